// How many values each instruction leaves on the operand stack, net, so
// preparation knows the static stack height at every point of a function
// (which validation guarantees). Instructions with a fixed signature
// (numeric ones, conversions) take it from the validator's table
// (valid/signatures.ts); the rest, which the validator types by hand, are
// listed here. Structured instructions (block, loop, if) and branches are
// handled by the walker itself.

import type { Instr, Module } from '../syntax/ast.js';
import type { FuncType } from '../syntax/types.js';
import { signatures } from '../valid/signatures.js';
import { O } from './ops.js';
import { isSimdOp, simdStackDelta } from './simd/prepare.js';
import { gcStackDelta, isGcOp } from './gc/prepare.js';

/** Net push count of `instr`, or NaN when the interpreter does not know the instruction. */
export function stackDelta(m: Module, funcTypes: readonly FuncType[], instr: Instr): number {
  const op = instr.op;
  switch (op) {
    case O.unreachable: case O.nop: case O.local_tee: case O.table_get: case O.memory_grow:
    case O.i32_eqz: case O.i64_eqz: case O.ref_is_null:
    case O.br: case O.return:
      return 0;
    case O.throw_ref:
      return -1;
    case O.throw:
      return -m.types[tagTypeIndex(m, instr.a)]!.params.length;
    case O.br_if: case O.br_table: case O.drop: case O.local_set: case O.global_set:
      return -1;
    case O.select: case O.select_t: case O.table_set:
      return -2;
    case O.local_get: case O.global_get: case O.memory_size: case O.ref_null: case O.ref_func:
    case O.i32_const: case O.i64_const: case O.f32_const: case O.f64_const:
      return 1;
    case O.call: {
      const t = funcTypes[instr.a]!;
      return t.results.length - t.params.length;
    }
    case O.call_indirect: case O.call_ref: {
      const t = m.types[instr.a]!;
      return t.results.length - t.params.length - 1;
    }
    // Tail calls end the body (what follows is not run); the branches on
    // null keep the reference where they do not branch, or drop it.
    case O.return_call: case O.return_call_indirect: case O.return_call_ref:
    case O.ref_as_non_null: case O.br_on_null:
      return 0;
    case O.br_on_non_null:
      return -1;
    case O.memory_init: case O.memory_copy: case O.memory_fill:
    case O.table_init: case O.table_copy: case O.table_fill:
      return -3;
    case O.data_drop: case O.elem_drop:
      return 0;
    case O.table_grow:
      return -1;
    case O.table_size:
      return 1;
  }
  if (op >= O.i32_load && op <= O.i64_load32_u) return 0;
  if (op >= O.i32_store && op <= O.i64_store32) return -2;
  if (isSimdOp(op)) return simdStackDelta(instr);
  if (isGcOp(op)) return gcStackDelta(m, instr);
  const s = op < O.ref_func || (op >= O.i32_trunc_sat_f32_s && op <= O.i64_trunc_sat_f64_u) ? signatures.get(op) : undefined;
  return s === undefined ? NaN : s.results.length - s.params.length;
}

/** The type index of tag `x` (imports first). */
export function tagTypeIndex(m: Module, x: number): number {
  let k = 0;
  for (const imp of m.imports) {
    if (imp.desc.kind === 'tag') {
      if (k === x) return imp.desc.typeIdx;
      k++;
    }
  }
  return m.tags[x - k]!.typeIdx;
}
