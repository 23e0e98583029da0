// Compiling a module for V8: once per module, and as early as the module is
// known. WebAssembly.compile works on V8's background threads, so a
// component that starts compiling its core modules when it is loaded
// (NativeEngine.ready) overlaps that work with the rest of loading and
// linking, and compiles its modules side by side rather than one after
// another at instantiation; every later instantiation reuses the result.
// The cost: a process that loads a component and never instantiates it
// still waits for these compiles before it exits (about 150 ms for the
// 12 MB componentize-js hello on a busy machine), because Node drains
// V8's background tasks each time its event loop runs empty, and a
// WebAssembly.compile cannot be cancelled; compiling in an unref'd Worker
// instead would cost every process that does instantiate a thread's
// start-up and a copy of the bytes.

import type { Module } from '../syntax/ast.js';
import { reveal, type Revealed } from './reveal.js';

export interface Compiled {
  /** The bytes V8 compiles (`m`'s own, plus the revealing exports) and what they reveal. */
  revealed: Revealed;
  /** V8's module; a rejection is reported by the instantiation that awaits it. */
  module: Promise<WebAssembly.Module>;
}

const compiled = new WeakMap<Module, { bytes: Uint8Array; c: Compiled }>();

/** `m` (decoded from `bytes`) compiled by V8: started on the first call, shared by the later ones. */
export function compileModule(m: Module, bytes: Uint8Array): Compiled {
  const known = compiled.get(m);
  if (known !== undefined && known.bytes === bytes) return known.c;
  const revealed = reveal(m, bytes);
  const module = WebAssembly.compile(revealed.bytes);
  // Started ahead of need: a module never instantiated must not leave an unhandled rejection.
  module.catch(() => undefined);
  const c = { revealed, module };
  compiled.set(m, { bytes, c });
  return c;
}
