// The stack effect of every node fusion may look back over (fuse.ts's
// valueStart and pushesOnly, simd/fuse.ts's store of a computed vector),
// and the local it writes: one table, by node code, next to node.ts's P.
//
// A node that does what one instruction does (a plain wasm opcode, and the
// forms that only run one instruction another way: P.simd, P.mem_access,
// the vector fast forms, the reference locals' moves) counts as that
// instruction, as the validator types it (valid/operand-counts.ts). A fused
// form is written as the instructions it stands for (node.ts says which),
// and counts as they do in sequence, so no form's pops are counted by hand.
// A node not here (a branch, a call, a block, a form whose effect its
// fields decide) is one fusion never looks back over.

import { O } from './ops.js';
import { P, type PNode } from './node.js';
import { FD } from '../syntax/opcodes.js';
import { simdOps } from '../syntax/opcodes-simd.js';
import { countedInstrs, instrCount, operandCount, thenCount, type OperandCount } from '../valid/operand-counts.js';

export { popsOf, pushesOf, operandCount } from '../valid/operand-counts.js';

/** Which field of a node holds the local it writes (eIfF: e, when its f is not 0: update_lk). */
const enum W { none, a, c, d, e, eIfF }

/** A form's count: its own, or (FROM_SRC) that of the instruction its node is made from (node.src). */
const FROM_SRC = -2;

const counts = new Map<number, OperandCount>();
const writes = new Map<number, W>();

/** The count of instructions `seq` run in order. */
function sequence(seq: readonly number[]): OperandCount {
  let c = operandCount(0, 0);
  for (const op of seq) {
    const k = instrCount(op);
    if (k < 0) throw new Error(`internal: instruction ${op} has no operand count`);
    c = thenCount(c, k);
  }
  return c;
}

function form(op: number, seq: readonly number[] | typeof FROM_SRC, w = W.none): void {
  counts.set(op, seq === FROM_SRC ? FROM_SRC : sequence(seq));
  if (w !== W.none) writes.set(op, w);
}

// Plain nodes: the opcode is the instruction's. ref.as_non_null's node is
// P.ref_as_non_null (its wasm opcode, 0xd4, is P.br_move's code); vector
// instructions are P.simd or fast-form nodes, below.
for (const [op, c] of countedInstrs()) {
  if (op >= FD || op === O.ref_as_non_null) continue;
  counts.set(op, c);
  if (op === O.local_set || op === O.local_tee) writes.set(op, W.a);
}

const GET = O.local_get, SET = O.local_set, TEE = O.local_tee, K = O.i32_const;
/** Any fusible i32 operation (fields say which; all pop two and push one), i32.shl, a load and a store of any width. */
const BIN = O.i32_add, SHL = O.i32_shl, LOAD = O.i32_load, STORE = O.i32_store;
const MUL_ADD = [GET, GET, O.i32_mul, GET, O.i32_add];
const IDX = [...MUL_ADD, K, SHL];
const fd = (name: string): number => {
  for (const [n, info] of simdOps) if (info.name === name) return FD | n;
  throw new Error(`internal: no vector instruction ${name}`);
};
const VLOAD = fd('v128.load'), VSTORE = fd('v128.store'), VBIN = fd('f32x4.add');

form(P.ref_as_non_null, FROM_SRC);
form(P.local_get_ref, FROM_SRC);
form(P.local_set_ref, FROM_SRC, W.a);
form(P.local_tee_ref, FROM_SRC, W.a);
form(P.mem_access, FROM_SRC);
form(P.simd, FROM_SRC);

form(P.bin_ll, [GET, GET, BIN]);
form(P.bin_lk, [GET, K, BIN]);
form(P.bin_sk, [K, BIN]);
form(P.bin_sl, [GET, BIN]);
form(P.bin_ll_set, [GET, GET, BIN, SET], W.d);
form(P.bin_lk_set, [GET, K, BIN, SET], W.d);
form(P.bin_ll_tee, [GET, GET, BIN, TEE], W.d);
form(P.bin_lk_tee, [GET, K, BIN, TEE], W.d);
form(P.bin_ss_set, [BIN, SET], W.d);
form(P.mov, [GET, SET], W.d);
form(P.set_k, [K, SET], W.d);
form(P.get2, [GET, GET]);
form(P.get3, [GET, GET, GET]);
form(P.mul_add, MUL_ADD);

form(P.load_l, [GET, LOAD]);
form(P.load_l_set, [GET, LOAD, SET], W.e);
form(P.load_l_tee, [GET, LOAD, TEE], W.e);
form(P.load_s_set, [LOAD, SET], W.e);
form(P.load_s_tee, [LOAD, TEE], W.e);
form(P.load_l_shl, [GET, K, SHL, LOAD]);
form(P.load_ss_add, [BIN, LOAD]);
form(P.load_ll_add, [GET, GET, BIN, LOAD]);
form(P.load_sl_add, [GET, BIN, LOAD]);
form(P.load_shl, [K, SHL, LOAD]);
form(P.load_add_shl, [K, SHL, BIN, LOAD]);
form(P.load_idx, [...IDX, LOAD]);
form(P.load_base_idx, [...IDX, BIN, LOAD]);
form(P.load_lbase_idx, [GET, ...IDX, BIN, LOAD]);
// The address's local.get, moved to the store, and the store (the value computed before it).
form(P.store_ll, [GET, GET, STORE]);
form(P.store_lk, [GET, K, STORE]);
form(P.store_sl, [GET, STORE]);
form(P.store_ls, [GET, STORE]);
form(P.update_lk, [GET, GET, LOAD, K, BIN, TEE, STORE], W.eIfF);

form(P.f64_madd, [O.f64_mul, O.f64_add]);
form(P.f64_madd_set, [O.f64_mul, O.f64_add, SET], W.d);
form(P.f64_madd_lset, [O.f64_mul, GET, O.f64_add, SET], W.d);
form(P.f64_madd_lbase_idx, [GET, ...IDX, BIN, O.f64_load, O.f64_mul, GET, O.f64_add, SET], W.c);

for (const op of [P.vget, P.vload, P.vstore, P.vsplat32, P.vsplat64, P.vextract32, P.vextract64, P.vreplace32, P.vreplace64]) form(op, FROM_SRC);
form(P.vset, FROM_SRC, W.a);
form(P.vtee, FROM_SRC, W.a);
form(P.vload_l, [GET, VLOAD]);
form(P.vstore_l, [GET, VSTORE]);
for (let k = 0; k < 9; k++) {
  form(P.f32x4_add + k, FROM_SRC);
  form(P.f32x4_add_ld + k, [GET, VLOAD, VBIN]);
  form(P.f32x4_add_lld + k, [GET, GET, VLOAD, VBIN]);
}
form(P.vlane2_st, [GET, GET, VLOAD, VBIN, GET, VLOAD, VBIN, GET, VSTORE]);

/**
 * What node `n` pops and pushes (valid/operand-counts.ts's pops << 4 |
 * pushes) when it neither branches nor calls, so that a local it does not
 * write keeps its value across it; -1 for any other node.
 */
export function nodeCount(n: PNode): OperandCount {
  const c = counts.get(n.op);
  return c === undefined ? -1 : c === FROM_SRC ? instrCount(n.src.op) : c;
}

/** The local that node `n`, one nodeCount knows, writes; -1 when it writes none. */
export function localWritten(n: PNode): number {
  switch (writes.get(n.op) ?? W.none) {
    case W.none: return -1;
    case W.a: return n.a;
    case W.c: return n.c;
    case W.d: return n.d;
    case W.e: return n.e;
    case W.eIfF: return n.f !== 0 ? n.e : -1;
  }
}
