// Numeric operations of spec §4.3 that are more than one JS operator.
//
// The interpreter keeps i64 values as two 32-bit words in its value stack
// (low word first, little-endian), so the i64 operations that are cheap on
// words (shifts, rotations, bit counts) are done on words here without
// allocating BigInts. Multiplication, division and remainder use BigInt
// (which allocates: acceptable for now; a word-based version would be the
// next step if i64-heavy code needs speed).

import { Trap, TrapMessage } from '../errors.js';

// ---------------------------------------------------------------- integers

/** i32.popcnt */
export function popcnt32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** i32.ctz */
export function ctz32(x: number): number {
  if (x === 0) return 32;
  return 31 - Math.clz32(x & -x);
}

/** i32.rotl */
export function rotl32(x: number, k: number): number {
  k &= 31;
  return (x << k) | (x >>> ((32 - k) & 31));
}

/** i32.rotr */
export function rotr32(x: number, k: number): number {
  k &= 31;
  return (x >>> k) | (x << ((32 - k) & 31));
}

/** i64.shl on the words at w[i] (low), w[i+1] (high); k is the shift count (taken mod 64). */
export function shl64(w: Int32Array, i: number, k: number): void {
  k &= 63;
  if (k === 0) return;
  const lo = w[i]!, hi = w[i + 1]!;
  if (k < 32) {
    w[i + 1] = (hi << k) | (lo >>> (32 - k));
    w[i] = lo << k;
  } else {
    w[i + 1] = lo << (k - 32);
    w[i] = 0;
  }
}

/** i64.shr_u on words. */
export function shrU64(w: Int32Array, i: number, k: number): void {
  k &= 63;
  if (k === 0) return;
  const lo = w[i]!, hi = w[i + 1]!;
  if (k < 32) {
    w[i] = (lo >>> k) | (hi << (32 - k));
    w[i + 1] = hi >>> k;
  } else {
    w[i] = hi >>> (k - 32);
    w[i + 1] = 0;
  }
}

/** i64.shr_s on words. */
export function shrS64(w: Int32Array, i: number, k: number): void {
  k &= 63;
  if (k === 0) return;
  const lo = w[i]!, hi = w[i + 1]!;
  if (k < 32) {
    w[i] = (lo >>> k) | (hi << (32 - k));
    w[i + 1] = hi >> k;
  } else {
    w[i] = hi >> (k - 32);
    w[i + 1] = hi >> 31;
  }
}

/** i64.rotl on words. */
export function rotl64(w: Int32Array, i: number, k: number): void {
  k &= 63;
  let lo = w[i]!, hi = w[i + 1]!;
  if (k >= 32) {
    const t = lo; lo = hi; hi = t;
    k -= 32;
  }
  if (k !== 0) {
    const nlo = (lo << k) | (hi >>> (32 - k));
    const nhi = (hi << k) | (lo >>> (32 - k));
    lo = nlo; hi = nhi;
  }
  w[i] = lo;
  w[i + 1] = hi;
}

/** i64.rotr on words. */
export function rotr64(w: Int32Array, i: number, k: number): void {
  rotl64(w, i, (64 - (k & 63)) & 63);
}

/** i64.clz of the words lo, hi. */
export function clz64(lo: number, hi: number): number {
  return hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo);
}

/** i64.ctz of the words lo, hi. */
export function ctz64(lo: number, hi: number): number {
  return lo !== 0 ? ctz32(lo) : 32 + ctz32(hi);
}

/** Unsigned comparison of two i64 given as words: -1, 0 or 1. */
export function cmpU64(alo: number, ahi: number, blo: number, bhi: number): number {
  if (ahi !== bhi) return (ahi >>> 0) < (bhi >>> 0) ? -1 : 1;
  if (alo !== blo) return (alo >>> 0) < (blo >>> 0) ? -1 : 1;
  return 0;
}

/** Signed comparison of two i64 given as words: -1, 0 or 1. */
export function cmpS64(alo: number, ahi: number, blo: number, bhi: number): number {
  if (ahi !== bhi) return ahi < bhi ? -1 : 1;
  if (alo !== blo) return (alo >>> 0) < (blo >>> 0) ? -1 : 1;
  return 0;
}

const I64_MIN = -(2n ** 63n);

export function divS64(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new Trap(TrapMessage.divByZero);
  if (b === -1n && a === I64_MIN) throw new Trap(TrapMessage.intOverflow);
  return a / b;
}

export function divU64(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new Trap(TrapMessage.divByZero);
  return BigInt.asUintN(64, a) / BigInt.asUintN(64, b);
}

export function remS64(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new Trap(TrapMessage.divByZero);
  return a % b;
}

export function remU64(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new Trap(TrapMessage.divByZero);
  return BigInt.asUintN(64, a) % BigInt.asUintN(64, b);
}

export function divS32(a: number, b: number): number {
  if (b === 0) throw new Trap(TrapMessage.divByZero);
  if (b === -1 && a === -0x80000000) throw new Trap(TrapMessage.intOverflow);
  return (a / b) | 0;
}

export function divU32(a: number, b: number): number {
  if (b === 0) throw new Trap(TrapMessage.divByZero);
  return ((a >>> 0) / (b >>> 0)) | 0;
}

export function remS32(a: number, b: number): number {
  if (b === 0) throw new Trap(TrapMessage.divByZero);
  return (a % b) | 0;
}

export function remU32(a: number, b: number): number {
  if (b === 0) throw new Trap(TrapMessage.divByZero);
  return ((a >>> 0) % (b >>> 0)) | 0;
}

// ------------------------------------------------------------------ floats

/**
 * fnearest: round to the nearest integer, ties to even (Math.round rounds
 * ties up). Zero signs are kept: Math.round(-0.4) is -0, as the spec wants.
 */
export function nearest(x: number): number {
  const r = Math.round(x);
  if (r - x === 0.5 && r % 2 !== 0) return r - 1;
  return r;
}

/**
 * fmin/fmax: Math.min/max already order -0 below +0 and yield NaN for a NaN
 * operand, but may hand back a NaN operand bit for bit (a signalling NaN
 * stays signalling); the spec wants an arithmetic NaN, so NaNs become the
 * canonical NaN, which is one.
 */
export function fmin(a: number, b: number): number {
  const r = Math.min(a, b);
  return r !== r ? NaN : r;
}

export function fmax(a: number, b: number): number {
  const r = Math.max(a, b);
  return r !== r ? NaN : r;
}

/** The canonical NaN for any NaN: rounding functions may pass a signalling NaN through. */
export function canon(x: number): number {
  return x !== x ? NaN : x;
}

/** f32.convert_i64_u, correctly rounded (see f32FromI64). */
export function f32FromU64(v: bigint): number {
  return f32FromUnsigned(BigInt.asUintN(64, v));
}

/** f32.convert_i64_s, correctly rounded. */
export function f32FromI64(v: bigint): number {
  return v < 0n ? -f32FromUnsigned(-v) : f32FromUnsigned(v);
}

/**
 * Math.fround(Number(v)) rounds twice (to 53 bits, then to 24) and can land
 * on the wrong side of a tie. Below 2^53 the first step is exact. Above, we
 * drop the low 11 bits ourselves with round-to-odd (any dropped 1 bit sets
 * the lowest kept bit): with at least 43 bits kept, well over 24 + 2, the
 * final rounding to single precision is then correct.
 */
function f32FromUnsigned(a: bigint): number {
  if (a < 0x20000000000000n) return Math.fround(Number(a));
  let hi = a >> 11n;
  if ((a & 0x7ffn) !== 0n) hi |= 1n;
  return Math.fround(Number(hi) * 2048);
}

/** f64.convert_i64_u: BigInt → Number conversion rounds to nearest even, once. */
export function f64FromU64(v: bigint): number {
  return Number(BigInt.asUintN(64, v));
}

// Truncations (spec §4.3.3 trunc, trunc_sat). Bounds are exclusive limits in
// doubles: every f32 and f64 value converts to a double exactly.

function checkTrunc(x: number, lo: number, hi: number): number {
  if (x !== x) throw new Trap(TrapMessage.invalidConversion);
  const t = Math.trunc(x);
  if (!(t > lo && t < hi)) throw new Trap(TrapMessage.intOverflow);
  return t;
}

export function truncS32(x: number): number {
  return checkTrunc(x, -2147483649, 2147483648) | 0;
}

export function truncU32(x: number): number {
  return checkTrunc(x, -1, 4294967296) | 0;
}

export function truncS64(x: number): bigint {
  return BigInt(checkTrunc(x, -9223372036854777856, 9223372036854775808));
}

export function truncU64(x: number): bigint {
  return BigInt(checkTrunc(x, -1, 18446744073709551616));
}

export function truncSatS32(x: number): number {
  if (x !== x) return 0;
  if (x >= 2147483647) return 2147483647;
  if (x <= -2147483648) return -2147483648;
  return Math.trunc(x) | 0;
}

export function truncSatU32(x: number): number {
  if (x !== x || x <= 0) return 0;
  if (x >= 4294967295) return -1;
  return Math.trunc(x) | 0;
}

export function truncSatS64(x: number): bigint {
  if (x !== x) return 0n;
  if (x >= 9223372036854775808) return 0x7fffffffffffffffn;
  if (x <= -9223372036854775808) return I64_MIN;
  return BigInt(Math.trunc(x));
}

export function truncSatU64(x: number): bigint {
  if (x !== x || x <= 0) return 0n;
  if (x >= 18446744073709551616) return -1n;
  return BigInt(Math.trunc(x));
}
