// Floating-point lane operations and the conversions between lane shapes
// (spec §4.3.3 fop and §4.3.4 cvtop, lanewise). The scalar rules are
// numerics.ts's, the same as for f32 and f64: arithmetic in doubles, one
// rounding to single precision by the Float32Array store (exact for + - * /
// sqrt); min and max and the rounding functions give the canonical NaN for
// a NaN; abs, neg, pmin and pmax move bits, so NaN payloads survive them.

import type { VecStack } from './lanes.js';
import { K, Shape } from './int.js';
import { canon, fmax, fmin, nearest, truncSatS32, truncSatU32 } from '../numerics.js';

// The arithmetic operators, named: lane() below and the loop's fast cases
// (interpreter.ts's lane-wise case) both call them, so each is written once. In
// doubles; the Float32Array or Float64Array store that takes the result
// rounds it (once, which is exact for + - *).
export function fadd(x: number, y: number): number { return x + y; }
export function fsub(x: number, y: number): number { return x - y; }
export function fmul(x: number, y: number): number { return x * y; }

function lane(k: K, x: number, y: number): number {
  switch (k) {
    case K.add: return fadd(x, y);
    case K.sub: return fsub(x, y);
    case K.mul: return fmul(x, y);
    case K.div: return x / y;
    case K.min: return fmin(x, y);
    case K.max: return fmax(x, y);
    default: throw new Error(`not a float lane operation: ${k}`);
  }
}

function holds(k: K, x: number, y: number): boolean {
  switch (k) {
    case K.eq: return x === y;
    case K.ne: return x !== y;
    case K.lt: return x < y;
    case K.gt: return x > y;
    case K.le: return x <= y;
    default: return x >= y;
  }
}

/** f32x4/f64x2 binary arithmetic: slot s op slot s+1, into slot s. */
export function floatBinary(v: VecStack, s: number, shape: Shape, k: K): void {
  if (k === K.pmin || k === K.pmax) return pminmax(v, s, shape, k === K.pmin);
  if (shape === Shape.f32) {
    const a = v.f32, x = 4 * s;
    for (let i = x; i < x + 4; i++) a[i] = lane(k, a[i]!, a[i + 4]!);
  } else {
    const a = v.f64, x = 2 * s;
    for (let i = x; i < x + 2; i++) a[i] = lane(k, a[i]!, a[i + 2]!);
  }
}

/** Comparisons: all ones where the relation holds (false for NaN but in ne). */
export function floatCompare(v: VecStack, s: number, shape: Shape, k: K): void {
  if (shape === Shape.f32) {
    const a = v.f32, r = v.i32, x = 4 * s;
    for (let i = x; i < x + 4; i++) r[i] = holds(k, a[i]!, a[i + 4]!) ? -1 : 0;
  } else {
    const a = v.f64, r = v.i32, x = 2 * s;
    for (let i = x; i < x + 2; i++) {
      const m = holds(k, a[i]!, a[i + 2]!) ? -1 : 0;
      r[2 * i] = m; r[2 * i + 1] = m;
    }
  }
}

/**
 * pmin: b < a ? b : a; pmax: a < b ? b : a (the pseudo-minimum and maximum,
 * C's std::min and max): the chosen lane's bits, copied.
 */
function pminmax(v: VecStack, s: number, shape: Shape, min: boolean): void {
  const w = v.i32;
  if (shape === Shape.f32) {
    const a = v.f32, x = 4 * s;
    for (let i = x; i < x + 4; i++) if (min ? a[i + 4]! < a[i]! : a[i]! < a[i + 4]!) w[i] = w[i + 4]!;
  } else {
    const a = v.f64, x = 2 * s;
    for (let i = x; i < x + 2; i++) {
      if (min ? a[i + 2]! < a[i]! : a[i]! < a[i + 2]!) { w[2 * i] = w[2 * i + 4]!; w[2 * i + 1] = w[2 * i + 5]!; }
    }
  }
}

export type FloatUnary = 'abs' | 'neg' | 'sqrt' | 'ceil' | 'floor' | 'trunc' | 'nearest';

/** Unary float operations, in place. */
export function floatUnary(v: VecStack, s: number, shape: Shape, op: FloatUnary): void {
  const w = v.i32;
  if (op === 'abs' || op === 'neg') {
    // the sign bit only: the top bit of each f32 lane, of each f64 lane's high word
    const step = shape === Shape.f32 ? 1 : 2, first = shape === Shape.f32 ? 0 : 1;
    for (let i = 4 * s + first; i < 4 * s + 4; i += step) w[i] = op === 'abs' ? w[i]! & 0x7fffffff : w[i]! ^ -0x80000000;
    return;
  }
  const a = shape === Shape.f32 ? v.f32 : v.f64, n = shape === Shape.f32 ? 4 : 2;
  for (let i = n * s; i < n * s + n; i++) {
    const x = a[i]!;
    a[i] = canon(op === 'sqrt' ? Math.sqrt(x) : op === 'ceil' ? Math.ceil(x) : op === 'floor' ? Math.floor(x) : op === 'trunc' ? Math.trunc(x) : nearest(x));
  }
}

/** i32x4.trunc_sat_f32x4_s/u: in place. */
export function truncSatF32(v: VecStack, s: number, signed: boolean): void {
  const a = v.f32, r = v.i32;
  for (let i = 4 * s; i < 4 * s + 4; i++) r[i] = signed ? truncSatS32(a[i]!) : truncSatU32(a[i]!);
}

/** i32x4.trunc_sat_f64x2_s/u_zero: the two f64 lanes to the low i32 lanes, the high ones zero. */
export function truncSatF64Zero(v: VecStack, s: number, signed: boolean): void {
  const a = v.f64, r = v.i32;
  const x = a[2 * s]!, y = a[2 * s + 1]!;
  r[4 * s] = signed ? truncSatS32(x) : truncSatU32(x);
  r[4 * s + 1] = signed ? truncSatS32(y) : truncSatU32(y);
  r[4 * s + 2] = 0; r[4 * s + 3] = 0;
}

/** f32x4.convert_i32x4_s/u, in place (one rounding, by the store). */
export function convertI32ToF32(v: VecStack, s: number, signed: boolean): void {
  const a = v.i32, r = v.f32;
  for (let i = 4 * s; i < 4 * s + 4; i++) r[i] = signed ? a[i]! : a[i]! >>> 0;
}

/** f64x2.convert_low_i32x4_s/u (exact). */
export function convertLowI32ToF64(v: VecStack, s: number, signed: boolean): void {
  const a = v.i32, x = a[4 * s]!, y = a[4 * s + 1]!;
  v.f64[2 * s] = signed ? x : x >>> 0;
  v.f64[2 * s + 1] = signed ? y : y >>> 0;
}

/** f32x4.demote_f64x2_zero: the two f64 lanes rounded to the low f32 lanes, the high ones zero. */
export function demote(v: VecStack, s: number): void {
  const x = v.f64[2 * s]!, y = v.f64[2 * s + 1]!;
  v.f32[4 * s] = canon(x); v.f32[4 * s + 1] = canon(y);
  v.i32[4 * s + 2] = 0; v.i32[4 * s + 3] = 0;
}

/** f64x2.promote_low_f32x4 (exact). */
export function promote(v: VecStack, s: number): void {
  const x = v.f32[4 * s]!, y = v.f32[4 * s + 1]!;
  v.f64[2 * s] = canon(x); v.f64[2 * s + 1] = canon(y);
}
