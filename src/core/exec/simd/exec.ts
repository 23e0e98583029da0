// The vector instructions' executor: the interpreter loop hands every
// P.simd node here (one case in its switch) with the stack height, and
// gets the new height back. Vectors live on the VecStack (lanes.ts), the
// scalars they meet (lane values, shift counts, addresses, test results)
// in the loop's 8-byte slots (`i32`, two words per slot). Each
// instruction's class, lane shape and operator are read once from its name
// in opcodes-simd.ts into the tables below, so the meaning of a name is
// written in one place (int.ts, float.ts, memory.ts, relaxed.ts).

import { simdOps } from '../../syntax/opcodes-simd.js';
import type { PNode } from '../node.js';
import type { ModuleInst } from '../module-inst.js';
import { scratch, toScratch, type VecStack } from './lanes.js';
import { V } from './prepare.js';
import {
  K, Shape, allTrue, bitmask, dotI16, extaddPairwise, extend, extmul, intBinary, intUnary, narrow, q15mulr, shift,
} from './int.js';
import {
  type FloatUnary, convertI32ToF32, convertLowI32ToF64, demote, floatBinary, floatCompare, floatUnary, promote,
  truncSatF32, truncSatF64Zero,
} from './float.js';
import { load, loadLane, storeLane, storeV128 } from './memory.js';
import { dotI8, dotI8Add, madd } from './relaxed.js';

/** Instruction classes: how many operands, and which module computes the result. */
const enum C {
  load = 1, store, loadLane, storeLane, const_, shuffle, swizzle, splat, extract, replace,
  ibin, fbin, fcmp, not, and, andnot, or, xor, bitselect, anyTrue, allTrue, bitmask, iunary, funary, shift,
  narrow, extend, extmul, extadd, dot, q15, truncSat, truncSatZero, convert, convertLow, demote, promote,
  madd, nmadd, dotI8, dotI8Add,
}

const SHAPES: Record<string, Shape> = {
  i8x16: Shape.i8, i16x8: Shape.i16, i32x4: Shape.i32, i64x2: Shape.i64, f32x4: Shape.f32, f64x2: Shape.f64,
};
const KINDS: Record<string, K> = {
  add: K.add, sub: K.sub, mul: K.mul, add_sat_s: K.add_sat_s, add_sat_u: K.add_sat_u, sub_sat_s: K.sub_sat_s,
  sub_sat_u: K.sub_sat_u, min_s: K.min_s, min_u: K.min_u, max_s: K.max_s, max_u: K.max_u, avgr_u: K.avgr_u,
  eq: K.eq, ne: K.ne, lt_s: K.lt_s, lt_u: K.lt_u, gt_s: K.gt_s, gt_u: K.gt_u, le_s: K.le_s, le_u: K.le_u,
  ge_s: K.ge_s, ge_u: K.ge_u, div: K.div, min: K.min, max: K.max, pmin: K.pmin, pmax: K.pmax,
  lt: K.lt, gt: K.gt, le: K.le, ge: K.ge, relaxed_min: K.min, relaxed_max: K.max,
};

const SIZE = 0x114;
const CLASS = new Uint8Array(SIZE);
const SHAPE = new Uint8Array(SIZE);
const KIND = new Uint8Array(SIZE);
/** Per class: signed (1) or not, high half (2) or low, and for memory the access width. */
const FLAGS = new Uint8Array(SIZE);
/** The operator part of the name (abs, shl, …), for the classes that pass it on. */
const OPERATOR: string[] = [];

for (const [n, info] of simdOps) {
  const [shapeName, op] = info.name.split('.') as [string, string];
  const shape = SHAPES[shapeName] ?? Shape.i8;
  SHAPE[n] = shape;
  const signed = /_s(_zero)?$/.test(op) ? 1 : 0;
  const high = op.includes('_high_') ? 2 : 0;
  FLAGS[n] = signed | high;
  OPERATOR[n] = op;
  let c: C;
  if (shapeName === 'v128') {
    if (op === 'store') c = C.store;
    else if (/^load\d+_lane$/.test(op)) { c = C.loadLane; FLAGS[n] = Number(/\d+/.exec(op)![0]) / 8; }
    else if (/^store\d+_lane$/.test(op)) { c = C.storeLane; FLAGS[n] = Number(/\d+/.exec(op)![0]) / 8; }
    else if (op.startsWith('load')) c = C.load;
    else c = ({ const: C.const_, not: C.not, and: C.and, andnot: C.andnot, or: C.or, xor: C.xor, bitselect: C.bitselect, any_true: C.anyTrue } as Record<string, C>)[op]!;
  } else if (op === 'shuffle') c = C.shuffle;
  else if (op === 'swizzle' || op === 'relaxed_swizzle') c = C.swizzle;
  else if (op === 'splat') c = C.splat;
  else if (op.startsWith('extract_lane')) c = C.extract;
  else if (op === 'replace_lane') c = C.replace;
  else if (op === 'all_true') c = C.allTrue;
  else if (op === 'bitmask') c = C.bitmask;
  else if (op === 'shl' || op === 'shr_s' || op === 'shr_u') c = C.shift;
  else if (op.startsWith('narrow_')) c = C.narrow;
  else if (op.startsWith('extend_')) c = C.extend;
  else if (op.startsWith('extmul_')) c = C.extmul;
  else if (op.startsWith('extadd_pairwise')) c = C.extadd;
  else if (op === 'dot_i16x8_s') c = C.dot;
  else if (op === 'q15mulr_sat_s' || op === 'relaxed_q15mulr_s') c = C.q15;
  else if (/^(relaxed_)?trunc_(sat_)?f32x4/.test(op)) c = C.truncSat;
  else if (/^(relaxed_)?trunc_(sat_)?f64x2/.test(op)) c = C.truncSatZero;
  else if (op.startsWith('convert_low')) c = C.convertLow;
  else if (op.startsWith('convert_')) c = C.convert;
  else if (op.startsWith('demote')) c = C.demote;
  else if (op.startsWith('promote')) c = C.promote;
  else if (op === 'relaxed_madd') c = C.madd;
  else if (op === 'relaxed_nmadd') c = C.nmadd;
  else if (op === 'relaxed_laneselect') c = C.bitselect;
  else if (op === 'relaxed_dot_i8x16_i7x16_s') c = C.dotI8;
  else if (op === 'relaxed_dot_i8x16_i7x16_add_s') c = C.dotI8Add;
  else if (op === 'abs' || op === 'neg' || op === 'popcnt' || op === 'sqrt' || op === 'ceil' || op === 'floor' || op === 'trunc' || op === 'nearest') {
    c = shape >= Shape.f32 ? C.funary : C.iunary;
  } else {
    const k = KINDS[op];
    if (k === undefined) throw new Error(`simd/exec.ts does not know ${info.name}`);
    KIND[n] = k;
    c = shape < Shape.f32 ? C.ibin : k === K.eq || k === K.ne || k >= K.lt ? C.fcmp : C.fbin;
  }
  CLASS[n] = c;
}

/**
 * Runs the P.simd node `node` on the stacks (VecStack `v`, scalar words
 * `i32`) at height `sp`; returns the new height.
 */
export function execSimd(v: VecStack, i32: Int32Array, node: PNode, sp: number, inst: ModuleInst): number {
  const n = node.f;
  const w = v.i32;
  const s1 = sp - 1, s2 = sp - 2;
  // (v128 local moves and the commonest instructions are the loop's own
  // fast forms, simd/prepare.ts; they never come here.)
  if (n >= V.local_get) return global(v, node, sp, inst);
  switch (CLASS[n]) {
    case C.load: load(v, i32, inst.mems[node.c]!, node, s1, n); return sp;
    case C.store: storeV128(v, s1, inst.mems[node.c]!, i32, node); return s2;
    case C.loadLane: loadLane(v, i32, inst.mems[node.c]!, node, s2, FLAGS[n]!); return s1;
    case C.storeLane: storeLane(v, i32, inst.mems[node.c]!, node, s2, FLAGS[n]!); return s2;
    case C.const_: {
      const x = 4 * sp;
      w[x] = node.a; w[x + 1] = node.b; w[x + 2] = node.c; w[x + 3] = node.d;
      return sp + 1;
    }
    case C.shuffle: {
      toScratch(v, s2, 2);
      const lanes = node.src.bytes!, u8 = v.u8, t = scratch.u8, x = 16 * s2;
      for (let i = 0; i < 16; i++) u8[x + i] = t[lanes[i]!]!;
      return s1;
    }
    case C.swizzle: {
      toScratch(v, s2, 2);
      const u8 = v.u8, t = scratch.u8, x = 16 * s2;
      for (let i = 0; i < 16; i++) { const k = t[16 + i]!; u8[x + i] = k < 16 ? t[k]! : 0; }
      return s1;
    }
    case C.splat: {
      const x = 4 * s1, lo = i32[2 * s1]!;
      switch (SHAPE[n]) {
        case Shape.i8: v.u8.fill(lo, 16 * s1, 16 * s1 + 16); break;
        case Shape.i16: v.i16.fill(lo, 8 * s1, 8 * s1 + 8); break;
        case Shape.i32: case Shape.f32: w[x] = w[x + 1] = w[x + 2] = w[x + 3] = lo; break;
        default: { const hi = i32[2 * s1 + 1]!; w[x] = w[x + 2] = lo; w[x + 1] = w[x + 3] = hi; }
      }
      return sp;
    }
    case C.extract: {
      const j = 2 * s1, k = node.b;
      switch (SHAPE[n]) {
        case Shape.i8: i32[j] = FLAGS[n]! & 1 ? v.i8[16 * s1 + k]! : v.u8[16 * s1 + k]!; break;
        case Shape.i16: i32[j] = FLAGS[n]! & 1 ? v.i16[8 * s1 + k]! : v.u16[8 * s1 + k]!; break;
        case Shape.i32: case Shape.f32: i32[j] = w[4 * s1 + k]!; break;
        default: i32[j] = w[4 * s1 + 2 * k]!; i32[j + 1] = w[4 * s1 + 2 * k + 1]!;
      }
      return sp;
    }
    case C.replace: {
      const j = 2 * s1, k = node.b;
      switch (SHAPE[n]) {
        case Shape.i8: v.i8[16 * s2 + k] = i32[j]!; break;
        case Shape.i16: v.i16[8 * s2 + k] = i32[j]!; break;
        case Shape.i32: case Shape.f32: w[4 * s2 + k] = i32[j]!; break;
        default: w[4 * s2 + 2 * k] = i32[j]!; w[4 * s2 + 2 * k + 1] = i32[j + 1]!;
      }
      return s1;
    }
    case C.ibin: intBinary(v, s2, SHAPE[n]!, KIND[n]!); return s1;
    case C.fbin: floatBinary(v, s2, SHAPE[n]!, KIND[n]!); return s1;
    case C.fcmp: floatCompare(v, s2, SHAPE[n]!, KIND[n]!); return s1;
    case C.not: { const x = 4 * s1; for (let i = x; i < x + 4; i++) w[i] = ~w[i]!; return sp; }
    case C.and: { const x = 4 * s2; for (let i = x; i < x + 4; i++) w[i] = w[i]! & w[i + 4]!; return s1; }
    case C.andnot: { const x = 4 * s2; for (let i = x; i < x + 4; i++) w[i] = w[i]! & ~w[i + 4]!; return s1; }
    case C.or: { const x = 4 * s2; for (let i = x; i < x + 4; i++) w[i] = w[i]! | w[i + 4]!; return s1; }
    case C.xor: { const x = 4 * s2; for (let i = x; i < x + 4; i++) w[i] = w[i]! ^ w[i + 4]!; return s1; }
    case C.bitselect: {
      // v1 where the mask (third operand) has ones, v2 where it has zeros
      const s3 = sp - 3, x = 4 * s3;
      for (let i = x; i < x + 4; i++) { const m = w[i + 8]!; w[i] = (w[i]! & m) | (w[i + 4]! & ~m); }
      return s2;
    }
    case C.anyTrue: {
      const x = 4 * s1;
      i32[2 * s1] = (w[x]! | w[x + 1]! | w[x + 2]! | w[x + 3]!) !== 0 ? 1 : 0;
      return sp;
    }
    case C.allTrue: i32[2 * s1] = allTrue(v, s1, SHAPE[n]!); return sp;
    case C.bitmask: i32[2 * s1] = bitmask(v, s1, SHAPE[n]!); return sp;
    case C.iunary: intUnary(v, s1, SHAPE[n]!, OPERATOR[n] as 'abs' | 'neg' | 'popcnt'); return sp;
    case C.funary: floatUnary(v, s1, SHAPE[n]!, OPERATOR[n] as FloatUnary); return sp;
    case C.shift: shift(v, s2, SHAPE[n]!, OPERATOR[n] as 'shl' | 'shr_s' | 'shr_u', i32[2 * s1]!); return s1;
    case C.narrow: narrow(v, s2, SHAPE[n]!, (FLAGS[n]! & 1) !== 0); return s1;
    case C.extend: extend(v, s1, SHAPE[n]!, (FLAGS[n]! & 2) !== 0, (FLAGS[n]! & 1) !== 0); return sp;
    case C.extmul: extmul(v, s2, SHAPE[n]!, (FLAGS[n]! & 2) !== 0, (FLAGS[n]! & 1) !== 0); return s1;
    case C.extadd: extaddPairwise(v, s1, SHAPE[n]!, (FLAGS[n]! & 1) !== 0); return sp;
    case C.dot: dotI16(v, s2); return s1;
    case C.q15: q15mulr(v, s2); return s1;
    case C.truncSat: truncSatF32(v, s1, (FLAGS[n]! & 1) !== 0); return sp;
    case C.truncSatZero: truncSatF64Zero(v, s1, (FLAGS[n]! & 1) !== 0); return sp;
    case C.convert: convertI32ToF32(v, s1, (FLAGS[n]! & 1) !== 0); return sp;
    case C.convertLow: convertLowI32ToF64(v, s1, (FLAGS[n]! & 1) !== 0); return sp;
    case C.demote: demote(v, s1); return sp;
    case C.promote: promote(v, s1); return sp;
    case C.madd: madd(v, sp - 3, SHAPE[n]!, false); return s2;
    case C.nmadd: madd(v, sp - 3, SHAPE[n]!, true); return s2;
    case C.dotI8: dotI8(v, s2); return s1;
    case C.dotI8Add: dotI8Add(v, sp - 3); return s2;
  }
  throw new Error(`the interpreter does not know vector instruction ${n}`);
}

/** v128 globals (simd/prepare.ts's V codes): the global holds a value of values.ts, a 16-byte copy. */
function global(v: VecStack, node: PNode, sp: number, inst: ModuleInst): number {
  if (node.f === V.global_get) {
    v.write(sp, inst.globals[node.a]!.value);
    return sp + 1;
  }
  inst.globals[node.a]!.value = v.read(sp - 1);
  return sp - 1;
}
