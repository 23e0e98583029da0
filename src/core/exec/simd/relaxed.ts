// Relaxed SIMD (WebAssembly 3.0, spec §4.3.5 "Relaxed operations"): each
// instruction may give any of a few results, whichever the hardware gives
// fastest. cmr picks one, always the same, so a program's result does not
// depend on the host (README, "Relaxed SIMD"):
//
// - relaxed_swizzle, relaxed_trunc*, relaxed_laneselect, relaxed_min/max,
//   relaxed_q15mulr_s: exactly their deterministic counterparts (swizzle,
//   trunc_sat*, bitselect, min/max, q15mulr_sat_s), which are among the
//   allowed results;
// - relaxed_madd/nmadd: unfused, ±(a × b) rounded, then + c rounded, as
//   f32.mul/f64.mul then add would (the other allowed result is the fused
//   multiply-add, which JS has no exact operation for in f32);
// - relaxed_dot_i8x16_i7x16(_add)_s: both operands' lanes signed, products
//   summed and wrapped to the lane width (the result the spec's
//   deterministic profile gives).

import type { VecStack } from './lanes.js';
import { scratch, toScratch } from './lanes.js';
import { Shape } from './int.js';

/** relaxed_madd (negate false) / relaxed_nmadd: slots s, s+1, s+2 into slot s. */
export function madd(v: VecStack, s: number, shape: Shape, negate: boolean): void {
  if (shape === Shape.f32) {
    const a = v.f32, x = 4 * s;
    for (let i = x; i < x + 4; i++) {
      const p = Math.fround(a[i]! * a[i + 4]!);
      a[i] = (negate ? -p : p) + a[i + 8]!;
    }
  } else {
    const a = v.f64, x = 2 * s;
    for (let i = x; i < x + 2; i++) {
      const p = a[i]! * a[i + 2]!;
      a[i] = (negate ? -p : p) + a[i + 4]!;
    }
  }
}

/** i16x8.relaxed_dot_i8x16_i7x16_s: adjacent signed i8 products added, into i16 lanes (wrapping). */
export function dotI8(v: VecStack, s: number): void {
  toScratch(v, s, 2);
  const a = scratch.i8, r = v.i16;
  for (let i = 0; i < 8; i++) r[8 * s + i] = a[2 * i]! * a[16 + 2 * i]! + a[2 * i + 1]! * a[16 + 2 * i + 1]!;
}

/** i32x4.relaxed_dot_i8x16_i7x16_add_s: four adjacent signed i8 products added, plus the i32 lanes of slot s+2 (wrapping). */
export function dotI8Add(v: VecStack, s: number): void {
  toScratch(v, s, 3);
  const a = scratch.i8, c = v.i32, r = v.i32;
  for (let i = 0; i < 4; i++) {
    let sum = 0;
    for (let j = 4 * i; j < 4 * i + 4; j++) sum += a[j]! * a[16 + j]!;
    r[4 * s + i] = (sum + c[4 * s + 8 + i]!) | 0;
  }
}
