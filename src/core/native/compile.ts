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
import type { ResourceLimiter } from '../runtime/limits.js';
import { joined } from '../binary/room.js';
import { capGrowth } from './grow-caps.js';
import { reveal, type Revealed } from './reveal.js';

export interface Compiled {
  /** What the extra exports reveal (reveal.ts), by their names. */
  funcs: Revealed['funcs'];
  tables: Revealed['tables'];
  tags: Revealed['tags'];
  /** Where the module's bytes that V8 got unchanged begin (Revealed.tailAt). */
  tailAt: number;
  /**
   * How much longer the bytes V8 compiled are than the module's own:
   * V8's byte offsets into the code (trap sites: traps.ts) are that much
   * further on, since everything written anew comes before the code.
   */
  shift: number;
  /** V8's module; a rejection is reported by the instantiation that awaits it. */
  module: Promise<WebAssembly.Module>;
}

const compiled = new WeakMap<Module, { bytes: Uint8Array; c: Compiled }>();

/**
 * `m` compiled from `head` followed by `bytes` from `r.tailAt` on (`bytes`
 * alone when `head` is null). Nothing of what V8 got is kept: V8 has its
 * own copy, and the module's own bytes are the component's.
 */
function compileJoined(r: Revealed, head: Uint8Array | null, bytes: Uint8Array): Compiled {
  const module = head === null ? WebAssembly.compile(bytes) : joined(head, bytes, r.tailAt, (b) => WebAssembly.compile(b));
  // Started ahead of need: a module never instantiated must not leave an unhandled rejection.
  module.catch(() => undefined);
  return { funcs: r.funcs, tables: r.tables, tags: r.tags, tailAt: r.tailAt, shift: head === null ? 0 : head.length - r.tailAt, module };
}

/** `m` (decoded from `bytes`) compiled by V8: started on the first call, shared by the later ones. */
export function compileModule(m: Module, bytes: Uint8Array): Compiled {
  const known = compiled.get(m);
  if (known !== undefined && known.bytes === bytes) return known.c;
  const r = reveal(m, bytes);
  const c = compileJoined(r, r.head, bytes);
  compiled.set(m, { bytes, c });
  return c;
}

/**
 * `m` compiled for an instantiation under `limiter`: compileModule's
 * module, unless the limiter lowers the maximum of a memory or table (the
 * host engine grows them without asking it: grow-caps.ts); then one
 * compiled for this instantiation with those maxima. Their sections come
 * before the export section, so only the head is rewritten.
 */
export function compileFor(m: Module, bytes: Uint8Array, limiter: ResourceLimiter): Compiled {
  const c = compileModule(m, bytes);
  const before = bytes.subarray(0, c.tailAt);
  const capped = capGrowth(before, m, limiter);
  if (capped === before) return c;
  const r = reveal(m, capped);
  return compileJoined({ ...r, tailAt: c.tailAt }, r.head ?? capped, bytes);
}
