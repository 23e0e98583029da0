// The `spectest` host module every core suite imports from (see the spec
// interpreter's host/spectest.ml for the list). One is made per script run,
// so that writes to its memory or table in one file never leak into another.

import { F32, F64, FUNCREF, I32, I64, type FuncType, type ValType } from '../core/syntax/types.js';
import { HostFunc } from '../core/runtime/func.js';
import { GlobalInst } from '../core/runtime/global.js';
import { MemoryInst } from '../core/runtime/memory.js';
import { TableInst } from '../core/runtime/table.js';
import type { ExternVal } from '../core/runtime/instance.js';
import { f32Bits, f64Bits } from '../core/runtime/values.js';

/** Builds a fresh spectest instance; `print` receives what the print functions print. */
export function makeSpectest(print: (line: string) => void = () => {}): Map<string, ExternVal> {
  const exports = new Map<string, ExternVal>();
  const fn = (name: string, params: ValType[]) => {
    const type: FuncType = { params, results: [] };
    exports.set(name, {
      kind: 'func',
      value: new HostFunc(type, (args) => {
        print(`${name}(${args.map(String).join(', ')})`);
        return [];
      }, `spectest.${name}`),
    });
  };
  fn('print', []);
  fn('print_i32', [I32]);
  fn('print_i64', [I64]);
  fn('print_f32', [F32]);
  fn('print_f64', [F64]);
  fn('print_i32_f32', [I32, F32]);
  fn('print_f64_f64', [F64, F64]);
  exports.set('global_i32', { kind: 'global', value: new GlobalInst({ type: I32, mutable: false }, 666) });
  exports.set('global_i64', { kind: 'global', value: new GlobalInst({ type: I64, mutable: false }, 666n) });
  exports.set('global_f32', { kind: 'global', value: new GlobalInst({ type: F32, mutable: false }, f32Bits(666.6)) });
  exports.set('global_f64', { kind: 'global', value: new GlobalInst({ type: F64, mutable: false }, f64Bits(666.6)) });
  exports.set('table', { kind: 'table', value: TableInst.create({ elem: FUNCREF, limits: { min: 10, max: 20 } }) });
  exports.set('table64', { kind: 'table', value: TableInst.create({ elem: FUNCREF, limits: { min: 10, max: 20 }, addrType: I64 }) });
  exports.set('memory', { kind: 'memory', value: MemoryInst.create({ limits: { min: 1, max: 2 } }) });
  return exports;
}
