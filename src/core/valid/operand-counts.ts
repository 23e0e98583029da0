// How many operands an instruction pops and how many results it pushes,
// for the instructions whose counts their opcode alone fixes and that
// neither branch nor call: what the interpreter's fusion (exec/node-effects.ts)
// needs to know of the nodes it looks back over. The fixed signatures of the
// numeric and vector operators (signatures.ts, which the validator types
// them by) give most; the few others the validator types by hand
// (instructions.ts) are counted here, and test/operand-counts.test.ts checks
// each against the heights the validator computes (operand-types.ts).
//
// Left out on purpose: control instructions, calls, nop (preparation's
// fence, exec/prepare.ts, is a nop node that no fused group may span),
// memory.grow and table.grow (a host's limiter may run), and the GC
// instructions (gc-instructions.ts types them; fusion does not look back
// over them).

import { Op, FD } from '../syntax/opcodes.js';
import { SimdImm, simdOps } from '../syntax/opcodes-simd.js';
import { signatures } from './signatures.js';

/** An operand count as one number: pops << 4 | pushes (at most 15 each); -1 when not fixed by the opcode. */
export type OperandCount = number;

export function operandCount(pops: number, pushes: number): OperandCount {
  return pops << 4 | pushes;
}
export const popsOf = (c: OperandCount): number => c >> 4;
export const pushesOf = (c: OperandCount): number => c & 15;

/** `a` then `b`, as one: what b pops beyond a's results comes from below a, and a's results b leaves stay. */
export function thenCount(a: OperandCount, b: OperandCount): OperandCount {
  const qa = pushesOf(a), pb = popsOf(b);
  return operandCount(popsOf(a) + Math.max(0, pb - qa), pushesOf(b) + Math.max(0, qa - pb));
}

const counts = new Map<number, OperandCount>();
for (const [op, s] of signatures) counts.set(op, operandCount(s.params.length, s.results.length));

const hand: [number[], number, number][] = [
  [[Op.i32_const, Op.i64_const, Op.f32_const, Op.f64_const, Op.local_get, Op.global_get, Op.memory_size, Op.ref_null, Op.ref_func], 0, 1],
  [[Op.local_tee, Op.ref_is_null, Op.ref_as_non_null], 1, 1],
  [[Op.local_set, Op.global_set, Op.drop], 1, 0],
  [[Op.select, Op.select_t], 3, 1],
];
for (let op = Op.i32_load; op <= Op.i64_load32_u; op++) counts.set(op, operandCount(1, 1));
for (let op = Op.i32_store; op <= Op.i64_store32; op++) counts.set(op, operandCount(2, 0));
for (const [ops, pops, pushes] of hand) for (const op of ops) counts.set(op, operandCount(pops, pushes));
// The vector instructions with immediates, by class, as the validator's `simd` types them.
for (const [n, info] of simdOps) {
  const store = info.name.includes('store');
  switch (info.imm) {
    case SimdImm.memarg: counts.set(FD | n, store ? operandCount(2, 0) : operandCount(1, 1)); break;
    case SimdImm.memargLane: counts.set(FD | n, store ? operandCount(2, 0) : operandCount(2, 1)); break;
    case SimdImm.lane: counts.set(FD | n, info.name.endsWith('replace_lane') ? operandCount(2, 1) : operandCount(1, 1)); break;
    case SimdImm.v128: counts.set(FD | n, operandCount(0, 1)); break;
    case SimdImm.shuffle: counts.set(FD | n, operandCount(2, 1)); break;
  }
}

/** The operand count of instruction `op` (pops << 4 | pushes), or -1 when its opcode does not fix it or it branches or calls. */
export function instrCount(op: number): OperandCount {
  return counts.get(op) ?? -1;
}

/** Every instruction with a count, for tests. */
export function countedInstrs(): ReadonlyMap<number, OperandCount> {
  return counts;
}
