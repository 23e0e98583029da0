// Integer lane operations of the vector instructions (spec §4.4.3
// "Vector Instructions", the integer cases of §4.3.2's iop): one function
// per instruction class, taking the operands' slot on the VecStack and
// writing the result over the first operand. Lanes are read as signed
// values from the signed views; the unsigned operations mask them, and
// results are stored through the signed views, whose stores wrap modulo the
// lane width as the spec's integer operations do.

import type { VecStack } from './lanes.js';
import { scratch, toScratch } from './lanes.js';
import { cmpS64, shl64, shrS64, shrU64 } from '../numerics.js';

/** Lane shapes: log2 of the lane width in bytes. */
export const enum Shape { i8 = 0, i16 = 1, i32 = 2, i64 = 3, f32 = 4, f64 = 5 }

/** The operator part of an instruction's name, as a small code. */
export const enum K {
  add, sub, mul, add_sat_s, add_sat_u, sub_sat_s, sub_sat_u, min_s, min_u, max_s, max_u, avgr_u,
  eq, ne, lt_s, lt_u, gt_s, gt_u, le_s, le_u, ge_s, ge_u,
  // float-only operators (float.ts)
  div, min, max, pmin, pmax, lt, gt, le, ge,
}

const BITS = [8, 16, 32, 64];

function unsigned(x: number, bits: number): number {
  return bits === 32 ? x >>> 0 : x & ((1 << bits) - 1);
}

function satS(x: number, bits: number): number {
  const max = (1 << (bits - 1)) - 1;
  return x > max ? max : x < -max - 1 ? -max - 1 : x;
}

function satU(x: number, bits: number): number {
  const max = (1 << bits) - 1;
  return x > max ? max : x < 0 ? 0 : x;
}

// The wrapping operators, named: lane() below and the loop's fast cases
// (interpreter.ts's lane-wise case) both call them, so each is written once.
// The store through a signed view wraps the result to the lane width.
export function iadd(x: number, y: number): number { return x + y; }
export function isub(x: number, y: number): number { return x - y; }
/** The low bits of the product, whatever the lane width. */
export function imul(x: number, y: number): number { return Math.imul(x, y); }

/** One lane of an integer binary operation or comparison (x, y signed lane values). */
function lane(k: K, x: number, y: number, bits: number): number {
  switch (k) {
    case K.add: return iadd(x, y);
    case K.sub: return isub(x, y);
    case K.mul: return imul(x, y);
    case K.add_sat_s: return satS(x + y, bits);
    case K.add_sat_u: return satU(unsigned(x, bits) + unsigned(y, bits), bits);
    case K.sub_sat_s: return satS(x - y, bits);
    case K.sub_sat_u: return satU(unsigned(x, bits) - unsigned(y, bits), bits);
    case K.min_s: return x < y ? x : y;
    case K.min_u: return unsigned(x, bits) < unsigned(y, bits) ? x : y;
    case K.max_s: return x > y ? x : y;
    case K.max_u: return unsigned(x, bits) > unsigned(y, bits) ? x : y;
    case K.avgr_u: return (unsigned(x, bits) + unsigned(y, bits) + 1) >>> 1;
    case K.eq: return x === y ? -1 : 0;
    case K.ne: return x !== y ? -1 : 0;
    case K.lt_s: return x < y ? -1 : 0;
    case K.lt_u: return unsigned(x, bits) < unsigned(y, bits) ? -1 : 0;
    case K.gt_s: return x > y ? -1 : 0;
    case K.gt_u: return unsigned(x, bits) > unsigned(y, bits) ? -1 : 0;
    case K.le_s: return x <= y ? -1 : 0;
    case K.le_u: return unsigned(x, bits) <= unsigned(y, bits) ? -1 : 0;
    case K.ge_s: return x >= y ? -1 : 0;
    case K.ge_u: return unsigned(x, bits) >= unsigned(y, bits) ? -1 : 0;
    default: throw new Error(`not an integer lane operation: ${k}`);
  }
}

/** The signed view of a lane shape (i8 … i32). */
function view(v: VecStack, shape: Shape): Int8Array | Int16Array | Int32Array {
  return shape === Shape.i8 ? v.i8 : shape === Shape.i16 ? v.i16 : v.i32;
}

/** i8x16 … i32x4 binary operations and comparisons: slot s op slot s+1, into slot s. */
export function intBinary(v: VecStack, s: number, shape: Shape, k: K): void {
  if (shape === Shape.i64) return i64Binary(v, s, k);
  const a = view(v, shape), n = 16 >> shape, bits = BITS[shape]!;
  const x = n * s, y = x + n;
  for (let i = 0; i < n; i++) a[x + i] = lane(k, a[x + i]!, a[y + i]!, bits);
}

/** i64x2 binary operations and comparisons on 32-bit words (low word first). */
function i64Binary(v: VecStack, s: number, k: K): void {
  const w = v.i32, x = 4 * s, y = x + 4;
  for (let i = 0; i < 4; i += 2) {
    const alo = w[x + i]!, ahi = w[x + i + 1]!, blo = w[y + i]!, bhi = w[y + i + 1]!;
    switch (k) {
      // Carry and borrow from bit operations, in int32s, as the interpreter's i64.add and i64.sub (its header says why).
      case K.add: {
        const lo = (alo + blo) | 0;
        w[x + i] = lo; w[x + i + 1] = ahi + bhi + (((alo & blo) | ((alo | blo) & ~lo)) >>> 31);
        break;
      }
      case K.sub: {
        const lo = (alo - blo) | 0;
        w[x + i] = lo; w[x + i + 1] = ahi - bhi - (((~alo & blo) | (~(alo ^ blo) & lo)) >>> 31);
        break;
      }
      case K.mul: mul64(w, x + i, alo, ahi, blo, bhi); break;
      default: {
        const c = cmpS64(alo, ahi, blo, bhi);
        const r = k === K.eq ? c === 0 : k === K.ne ? c !== 0 : k === K.lt_s ? c < 0 : k === K.gt_s ? c > 0 : k === K.le_s ? c <= 0 : c >= 0;
        w[x + i] = w[x + i + 1] = r ? -1 : 0;
      }
    }
  }
}

/**
 * The low 64 bits of (ahi:alo) × (bhi:blo), into words w[i], w[i+1]: the
 * high word of the unsigned alo × blo by 16-bit columns, each partial
 * product an exact Math.imul (below 2^32) split into 16-bit halves, every
 * sum of halves far inside the int32s; plus the cross products, which only
 * reach the high word. All int32 arithmetic (interpreter.ts's header): no
 * sum or store of a value of 2^31 or more, which would throw away the
 * compiled code that had seen only small ones.
 */
export function mul64(w: Int32Array, i: number, alo: number, ahi: number, blo: number, bhi: number): void {
  const a0 = alo & 0xffff, a1 = alo >>> 16, b0 = blo & 0xffff, b1 = blo >>> 16;
  const p00 = Math.imul(a0, b0), p01 = Math.imul(a0, b1), p10 = Math.imul(a1, b0), p11 = Math.imul(a1, b1);
  // column 1 (bits 16-31) and its carry into column 2; column 0 needs no sum
  const c1 = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  const c2 = (c1 >>> 16) + (p01 >>> 16) + (p10 >>> 16) + (p11 & 0xffff);
  const hi = ((c2 >>> 16) + (p11 >>> 16)) << 16 | (c2 & 0xffff);
  w[i] = Math.imul(alo, blo);
  w[i + 1] = (((hi + Math.imul(alo, bhi)) | 0) + Math.imul(ahi, blo)) | 0;
}

/** abs, neg, popcnt of integer lanes, in place. */
export function intUnary(v: VecStack, s: number, shape: Shape, op: 'abs' | 'neg' | 'popcnt'): void {
  if (shape === Shape.i64) {
    const w = v.i32;
    for (let i = 4 * s; i < 4 * s + 4; i += 2) {
      const lo = w[i]!, hi = w[i + 1]!;
      if (op === 'neg' || hi < 0) {
        // two's complement negation: invert, add one (which carries into the high word when the low word is 0)
        w[i] = -lo | 0; w[i + 1] = ~hi + (lo === 0 ? 1 : 0);
      }
    }
    return;
  }
  const a = view(v, shape), n = 16 >> shape;
  for (let i = n * s; i < n * s + n; i++) {
    const x = a[i]!;
    a[i] = op === 'neg' ? -x : op === 'abs' ? (x < 0 ? -x : x) : popcnt8(x & 0xff);
  }
}

function popcnt8(x: number): number {
  x = x - ((x >> 1) & 0x55);
  x = (x & 0x33) + ((x >> 2) & 0x33);
  return (x + (x >> 4)) & 0x0f;
}

/** all_true: 1 when no lane is zero. */
export function allTrue(v: VecStack, s: number, shape: Shape): number {
  const a = view(v, shape === Shape.i64 ? Shape.i32 : shape), n = 16 >> shape;
  if (shape === Shape.i64) {
    for (let i = 4 * s; i < 4 * s + 4; i += 2) if ((a[i]! | a[i + 1]!) === 0) return 0;
    return 1;
  }
  for (let i = n * s; i < n * s + n; i++) if (a[i] === 0) return 0;
  return 1;
}

/** bitmask: bit i of the result is lane i's sign bit. */
export function bitmask(v: VecStack, s: number, shape: Shape): number {
  let r = 0;
  if (shape === Shape.i64) {
    const w = v.i32;
    for (let i = 0; i < 2; i++) if (w[4 * s + 2 * i + 1]! < 0) r |= 1 << i;
    return r;
  }
  const a = view(v, shape), n = 16 >> shape;
  for (let i = 0; i < n; i++) if (a[n * s + i]! < 0) r |= 1 << i;
  return r;
}

/** shl, shr_s, shr_u by an i32 count taken modulo the lane width, in place. */
export function shift(v: VecStack, s: number, shape: Shape, op: 'shl' | 'shr_s' | 'shr_u', count: number): void {
  const bits = BITS[shape]!, k = count & (bits - 1);
  if (shape === Shape.i64) {
    const f = op === 'shl' ? shl64 : op === 'shr_s' ? shrS64 : shrU64;
    f(v.i32, 4 * s, k); f(v.i32, 4 * s + 2, k);
    return;
  }
  const a = view(v, shape), n = 16 >> shape;
  for (let i = n * s; i < n * s + n; i++) {
    const x = a[i]!;
    a[i] = op === 'shl' ? x << k : op === 'shr_s' ? x >> k : unsigned(x, bits) >>> k;
  }
}

/** narrow_i16x8 / narrow_i32x4, signed or unsigned saturation: two vectors of wide lanes into one of narrow ones. */
export function narrow(v: VecStack, s: number, to: Shape, signed: boolean): void {
  toScratch(v, s, 2);
  const from = view(scratch, to + 1 as Shape), r = view(v, to), n = 16 >> to, bits = BITS[to]!;
  for (let i = 0; i < n; i++) {
    const x = from[i]!; // lanes of the first operand, then the second's
    r[n * s + i] = signed ? satS(x, bits) : satU(x, bits);
  }
}

/** extend_low/high: half the narrow lanes, sign- or zero-extended to the next width. */
export function extend(v: VecStack, s: number, to: Shape, high: boolean, signed: boolean): void {
  toScratch(v, s, 1);
  const n = 16 >> to, base = high ? n : 0;
  if (to === Shape.i64) {
    const w = v.i32;
    for (let i = 0; i < 2; i++) {
      const x = scratch.i32[base + i]!;
      w[4 * s + 2 * i] = x; w[4 * s + 2 * i + 1] = signed ? x >> 31 : 0;
    }
    return;
  }
  const from = view(scratch, to - 1 as Shape), r = view(v, to), bits = BITS[to - 1]!;
  for (let i = 0; i < n; i++) {
    const x = from[base + i]!;
    r[n * s + i] = signed ? x : unsigned(x, bits);
  }
}

/** extmul_low/high: half the narrow lanes of both operands, extended and multiplied. */
export function extmul(v: VecStack, s: number, to: Shape, high: boolean, signed: boolean): void {
  toScratch(v, s, 2);
  const n = 16 >> to, base = high ? n : 0;
  if (to === Shape.i64) {
    const t = scratch.i32;
    for (let i = 0; i < 2; i++) {
      const x = t[base + i]!, y = t[4 + base + i]!;
      if (signed) mul64(v.i32, 4 * s + 2 * i, x, x >> 31, y, y >> 31);
      else mul64(v.i32, 4 * s + 2 * i, x, 0, y, 0);
    }
    return;
  }
  const from = view(scratch, to - 1 as Shape), r = view(v, to), bits = BITS[to - 1]!;
  for (let i = 0; i < n; i++) {
    const x = from[base + i]!, y = from[2 * n + base + i]!;
    // products of 8- or 16-bit lanes fit a double exactly; the store wraps a u16 × u16 product
    r[n * s + i] = signed ? x * y : unsigned(x, bits) * unsigned(y, bits);
  }
}

/** extadd_pairwise: adjacent narrow lanes extended and added. */
export function extaddPairwise(v: VecStack, s: number, to: Shape, signed: boolean): void {
  toScratch(v, s, 1);
  const n = 16 >> to, from = view(scratch, to - 1 as Shape), r = view(v, to), bits = BITS[to - 1]!;
  for (let i = 0; i < n; i++) {
    const x = from[2 * i]!, y = from[2 * i + 1]!;
    r[n * s + i] = signed ? x + y : unsigned(x, bits) + unsigned(y, bits);
  }
}

/** i32x4.dot_i16x8_s: products of adjacent signed i16 lanes, added (wrapping). */
export function dotI16(v: VecStack, s: number): void {
  toScratch(v, s, 2);
  const a = scratch.i16, r = v.i32;
  for (let i = 0; i < 4; i++) r[4 * s + i] = (a[2 * i]! * a[8 + 2 * i]! + a[2 * i + 1]! * a[8 + 2 * i + 1]!) | 0;
}

/** i16x8.q15mulr_sat_s: rounding Q15 multiplication, saturated. */
export function q15mulr(v: VecStack, s: number): void {
  const a = v.i16, x = 8 * s;
  for (let i = 0; i < 8; i++) a[x + i] = satS((a[x + i]! * a[x + 8 + i]! + 0x4000) >> 15, 16);
}
