// A module instantiated on both core engines, for tests that hold the
// interpreter's prepared code (fused forms) to the native engine (V8),
// which runs the same bytes unfused.

import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { decodeModule } from '../../src/core/binary/decode.js';
import { validateModule } from '../../src/core/valid/validate.js';
import { Interpreter } from '../../src/core/exec/index.js';
import { NativeEngine } from '../../src/core/native/index.js';
import type { ModuleInstance } from '../../src/core/runtime/instance.js';
import type { Module } from '../../src/core/syntax/ast.js';

export interface Pair {
  module: Module;
  interp: ModuleInstance;
  native: ModuleInstance;
}

/** The module of `wat`, decoded and validated once, instantiated on each engine. */
export async function both(wat: string): Promise<Pair> {
  const bytes = await parse(wat);
  const module = decodeModule(bytes);
  validateModule(module);
  return {
    module,
    interp: await new Interpreter().instantiate(module, bytes, []),
    native: await new NativeEngine().instantiate(module, bytes, []),
  };
}
