// Scalar conversions shared by load/store and lift_flat/lower_flat
// (CanonicalABI.md "Loading", "Storing", "Flat Lifting", "Flat Lowering").
//
// Core values arrive in cmr's lossless core representation
// (core/runtime/values.ts): i32 a signed number, i64 a signed bigint, f32
// its bit pattern as a signed int32 number, f64 its bit pattern as a signed
// bigint. Floats therefore move between i32/i64/f32/f64 slots of a joined
// variant by plain bit moves, as in hardware.

import { f32Bits, f32FromBits, f64Bits, f64FromBits } from '../../core/runtime/values.js';
import { CanonTrap, trap } from './traps.js';

export const CANONICAL_FLOAT32_NAN = 0x7fc00000;
export const CANONICAL_FLOAT64_NAN = 0x7ff8000000000000n;

/** convert_int_to_bool: any nonzero bit pattern is true. */
export function convertIntToBool(i: number): boolean {
  return i !== 0;
}

/** convert_i32_to_char: traps unless the value is a Unicode scalar value. */
export function convertI32ToChar(i: number): string {
  const u = i >>> 0;
  if (u >= 0x110000 || (u >= 0xd800 && u <= 0xdfff)) trap(CanonTrap.invalidChar);
  return String.fromCodePoint(u);
}

/** char_to_i32: the code point of a one-character string (host values are checked). */
export function charToI32(c: unknown): number {
  if (typeof c !== 'string') throw new TypeError(`expected a char (a one-code-point string), got ${typeof c}`);
  const cp = c.codePointAt(0);
  if (cp === undefined || c.length !== (cp > 0xffff ? 2 : 1) || (cp >= 0xd800 && cp <= 0xdfff)) {
    throw new TypeError(`expected a single Unicode scalar value, got ${JSON.stringify(c)}`);
  }
  return cp;
}

/** decode_i32_as_float: an f32 from its bits, NaNs canonicalised (canonicalize_nan32). */
export function decodeI32AsFloat(bits: number): number {
  return f32FromBits(bits);
}

/** decode_i64_as_float: an f64 from its bits, NaNs canonicalised (canonicalize_nan64). */
export function decodeI64AsFloat(bits: bigint): number {
  return f64FromBits(bits);
}

/**
 * encode_float_as_i32: the bits of an f32. maybe_scramble_nan32 may pick
 * any NaN; cmr always picks the canonical one (deterministic profile).
 */
export function encodeFloatAsI32(f: number): number {
  if (Number.isNaN(f)) return CANONICAL_FLOAT32_NAN | 0;
  return f32Bits(f);
}

export function encodeFloatAsI64(f: number): bigint {
  if (Number.isNaN(f)) return BigInt.asIntN(64, CANONICAL_FLOAT64_NAN);
  return f64Bits(f);
}

// ---- host value checks (a host passing a wrong JS value is a TypeError, not a trap) ----

/** A wrong value as a message names it: its type is part of what is wrong ("1" is not 1, nor 1 1n). */
function shown(v: unknown): string {
  switch (typeof v) {
    case 'number': return String(v);
    case 'bigint': return `the bigint ${v}n`;
    case 'string': return `the string ${JSON.stringify(v)}`;
    case 'boolean': return `the boolean ${v}`;
    case 'undefined': return 'undefined';
    case 'object': return v === null ? 'null' : Array.isArray(v) ? 'an array' : 'an object';
    default: return `a ${typeof v}`;
  }
}

export function checkNumber(v: unknown, lo: number, hi: number, t: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
    throw new TypeError(`expected a ${t} (an integer in [${lo}, ${hi}]), got ${shown(v)}`);
  }
  return v;
}

export function checkBigInt(v: unknown, signed: boolean, t: string): bigint {
  if (typeof v !== 'bigint' || (signed ? BigInt.asIntN(64, v) : BigInt.asUintN(64, v)) !== v) {
    throw new TypeError(`expected a ${t} (a 64-bit bigint), got ${typeof v === 'bigint' ? `${v}n` : shown(v)}`);
  }
  return v;
}

export function checkFloat(v: unknown, t: string): number {
  if (typeof v !== 'number') throw new TypeError(`expected a ${t} (a number), got ${typeof v}`);
  return v;
}

export function checkBool(v: unknown): boolean {
  if (typeof v !== 'boolean') throw new TypeError(`expected a bool (a boolean), got ${typeof v}`);
  return v;
}
