// What preparation (prepare.ts) does for vector code: every 0xFD
// instruction becomes one P.simd node whose `f` is its FD number, and so do
// the accesses to v128 locals and globals, under the V codes below, since a
// v128 lives on the VecStack (lanes.ts) beside the 8-byte slots the plain
// local and global cases move. Node fields: a = memory offset (`| 0`), b =
// lane index, c = memory index, e = 1 when that memory is 64-bit (decided
// here, as for scalar accesses, not at every access); v128.const keeps its
// four words in a, b, c, d; i8x16.shuffle reads its lane bytes from `src.bytes`.
// The commonest instructions (FAST below: v128 local moves, memory 0's
// 32-bit v128.load and v128.store, splats, lane accesses and add/sub/mul of
// 32- and 64-bit lanes) get node.ts's vector fast forms as their op
// instead of P.simd, with the same fields: the loop runs them in cases of
// its own, without execSimd's dispatch on class, shape and operator.

import type { Instr, Module } from '../../syntax/ast.js';
import { I64, V128, type ValType } from '../../syntax/types.js';
import { FD } from '../../syntax/opcodes.js';
import { SimdImm, simdOps } from '../../syntax/opcodes-simd.js';
import { O } from '../ops.js';
import { P, PNode } from '../node.js';

/** Node codes (in `f`) for the v128 moves that are not 0xFD instructions; above every FD number. */
export const enum V {
  local_get = 0x200,
  local_set = 0x201,
  local_tee = 0x202,
  global_get = 0x203,
  global_set = 0x204,
}

/** The fast form of each instruction that has one (by FD number); memory forms only on memory 0, 32-bit. */
const FAST = new Map<number, P>();
const FAST_BY_NAME: Record<string, P> = {
  'v128.load': P.vload, 'v128.store': P.vstore,
  'i32x4.splat': P.vsplat32, 'f32x4.splat': P.vsplat32, 'i64x2.splat': P.vsplat64, 'f64x2.splat': P.vsplat64,
  'i32x4.extract_lane': P.vextract32, 'f32x4.extract_lane': P.vextract32,
  'i32x4.replace_lane': P.vreplace32, 'f32x4.replace_lane': P.vreplace32,
  'i64x2.extract_lane': P.vextract64, 'f64x2.extract_lane': P.vextract64,
  'i64x2.replace_lane': P.vreplace64, 'f64x2.replace_lane': P.vreplace64,
  'f32x4.add': P.f32x4_add, 'f32x4.sub': P.f32x4_sub, 'f32x4.mul': P.f32x4_mul,
  'f64x2.add': P.f64x2_add, 'f64x2.sub': P.f64x2_sub, 'f64x2.mul': P.f64x2_mul,
  'i32x4.add': P.i32x4_add, 'i32x4.sub': P.i32x4_sub, 'i32x4.mul': P.i32x4_mul,
};
for (const [n, info] of simdOps) {
  const p = FAST_BY_NAME[info.name];
  if (p !== undefined) FAST.set(n, p);
}

/** Whether `op` is a vector instruction. */
function isSimdOp(op: number): boolean {
  return op >= FD && op < FD + 0x1000;
}

/** The P.simd node of a 0xFD instruction; `mems`: the address type of each memory (addr-type.ts). */
function simdNode(instr: Instr, mems: readonly ValType[]): PNode {
  const n = instr.op - FD;
  const node = new PNode(P.simd, instr);
  node.f = n;
  switch (simdOps.get(n)!.imm) {
    case SimdImm.memarg: node.a = instr.a | 0; node.c = instr.c; node.e = mems[instr.c] === I64 ? 1 : 0; break;
    case SimdImm.memargLane: node.a = instr.a | 0; node.c = instr.c; node.e = mems[instr.c] === I64 ? 1 : 0; node.b = instr.lane; break;
    case SimdImm.lane: node.b = instr.c; break;
    case SimdImm.v128: {
      const w = new Int32Array(instr.bytes!.slice().buffer);
      node.a = w[0]!; node.b = w[1]!; node.c = w[2]!; node.d = w[3]!;
      break;
    }
  }
  const fast = FAST.get(n);
  if (fast !== undefined && (fast !== P.vload && fast !== P.vstore || (node.c === 0 && node.e === 0))) node.op = fast;
  return node;
}

/**
 * The P.simd node of a vector instruction, or of a local or global access
 * that moves a v128; null for every other instruction.
 */
export function vectorNode(m: Module, localTypes: readonly ValType[], mems: readonly ValType[], instr: Instr): PNode | null {
  const op = instr.op;
  if (isSimdOp(op)) return simdNode(instr, mems);
  if (op === O.local_get || op === O.local_set || op === O.local_tee) return vecLocalNode(instr, localTypes[instr.a]!);
  if (op === O.global_get || op === O.global_set) return vecGlobalNode(m, instr);
  return null;
}

/** A local.get/set/tee of a v128 local (a fast form), or null for other locals. */
function vecLocalNode(instr: Instr, type: ValType): PNode | null {
  if (type !== V128) return null;
  const node = new PNode(instr.op === O.local_get ? P.vget : instr.op === O.local_set ? P.vset : P.vtee, instr);
  node.f = instr.op === O.local_get ? V.local_get : instr.op === O.local_set ? V.local_set : V.local_tee;
  node.a = instr.a;
  return node;
}

/** A global.get/set of a v128 global, or null for other globals. */
function vecGlobalNode(m: Module, instr: Instr): PNode | null {
  if (globalType(m, instr.a) !== V128) return null;
  const node = new PNode(P.simd, instr);
  node.f = instr.op === O.global_get ? V.global_get : V.global_set;
  node.a = instr.a;
  return node;
}

function globalType(m: Module, x: number): ValType {
  let k = 0;
  for (const imp of m.imports) {
    if (imp.desc.kind === 'global') {
      if (k === x) return imp.desc.type.type;
      k++;
    }
  }
  return m.globals[x - k]!.type.type;
}
