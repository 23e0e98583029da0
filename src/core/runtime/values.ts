// Runtime values as they cross between engines, the host and the harness.
//
// The representation is lossless and needs the static type to be read, which
// every boundary has (a function type, a global type):
//
//   i32   number, the signed 32-bit value
//   i64   bigint, the signed 64-bit value
//   f32   number, the IEEE 754 bit pattern as a signed 32-bit value
//   f64   bigint, the IEEE 754 bit pattern as a signed 64-bit value
//   v128  Uint8Array of 16 bytes, lanes little-endian
//   funcref    null or a FuncInst
//   externref  null or any other JS value (the host's reference)
//
// Floats travel as bits because a JS number cannot hold every NaN payload
// (V8 canonicalises NaNs stored into double arrays), and the suites check
// payloads bit for bit.

import type { FuncInst } from './func.js';

export type Ref = FuncInst | object | null;
export type Value = number | bigint | Uint8Array | Ref;

const f32buf = new Float32Array(1);
const i32buf = new Int32Array(f32buf.buffer);
const f64buf = new Float64Array(1);
const i64buf = new BigInt64Array(f64buf.buffer);

/** f32 bits of a JS number, rounding it to single precision. */
export function f32Bits(x: number): number {
  f32buf[0] = x;
  return i32buf[0]!;
}

/** JS number of an f32 bit pattern (NaN payloads are not preserved). */
export function f32FromBits(bits: number): number {
  i32buf[0] = bits;
  return f32buf[0]!;
}

/** f64 bits of a JS number. */
export function f64Bits(x: number): bigint {
  f64buf[0] = x;
  return i64buf[0]!;
}

/** JS number of an f64 bit pattern (NaN payloads are not preserved). */
export function f64FromBits(bits: bigint): number {
  i64buf[0] = bits;
  return f64buf[0]!;
}
