// The lane-wise operations that have fast forms (node.ts's f32x4_add …
// i32x4_mul, and their fused _ld and _lld forms): the vectors at words x
// and x+4 of the VecStack (through the view that fits the lanes), the
// result over the first. The lane operators are float.ts's and int.ts's;
// the typed-array store rounds an f32 lane and wraps an i32 lane. Each is
// a function of its own, small enough for V8 to inline into the loop's
// cases (one function with a switch would not be), lanes unrolled (a loop
// over them costs twice as much in V8 on node 20).

import { fadd, fmul, fsub } from './float.js';
import { iadd, imul, isub } from './int.js';

export function f32x4Add(f32: Float32Array, x: number): void {
  f32[x] = fadd(f32[x]!, f32[x + 4]!); f32[x + 1] = fadd(f32[x + 1]!, f32[x + 5]!); f32[x + 2] = fadd(f32[x + 2]!, f32[x + 6]!); f32[x + 3] = fadd(f32[x + 3]!, f32[x + 7]!);
}
export function f32x4Sub(f32: Float32Array, x: number): void {
  f32[x] = fsub(f32[x]!, f32[x + 4]!); f32[x + 1] = fsub(f32[x + 1]!, f32[x + 5]!); f32[x + 2] = fsub(f32[x + 2]!, f32[x + 6]!); f32[x + 3] = fsub(f32[x + 3]!, f32[x + 7]!);
}
export function f32x4Mul(f32: Float32Array, x: number): void {
  f32[x] = fmul(f32[x]!, f32[x + 4]!); f32[x + 1] = fmul(f32[x + 1]!, f32[x + 5]!); f32[x + 2] = fmul(f32[x + 2]!, f32[x + 6]!); f32[x + 3] = fmul(f32[x + 3]!, f32[x + 7]!);
}
export function f64x2Add(f64: Float64Array, x: number): void {
  const y = x >> 1;
  f64[y] = fadd(f64[y]!, f64[y + 2]!); f64[y + 1] = fadd(f64[y + 1]!, f64[y + 3]!);
}
export function f64x2Sub(f64: Float64Array, x: number): void {
  const y = x >> 1;
  f64[y] = fsub(f64[y]!, f64[y + 2]!); f64[y + 1] = fsub(f64[y + 1]!, f64[y + 3]!);
}
export function f64x2Mul(f64: Float64Array, x: number): void {
  const y = x >> 1;
  f64[y] = fmul(f64[y]!, f64[y + 2]!); f64[y + 1] = fmul(f64[y + 1]!, f64[y + 3]!);
}
export function i32x4Add(w: Int32Array, x: number): void {
  w[x] = iadd(w[x]!, w[x + 4]!); w[x + 1] = iadd(w[x + 1]!, w[x + 5]!); w[x + 2] = iadd(w[x + 2]!, w[x + 6]!); w[x + 3] = iadd(w[x + 3]!, w[x + 7]!);
}
export function i32x4Sub(w: Int32Array, x: number): void {
  w[x] = isub(w[x]!, w[x + 4]!); w[x + 1] = isub(w[x + 1]!, w[x + 5]!); w[x + 2] = isub(w[x + 2]!, w[x + 6]!); w[x + 3] = isub(w[x + 3]!, w[x + 7]!);
}
export function i32x4Mul(w: Int32Array, x: number): void {
  w[x] = imul(w[x]!, w[x + 4]!); w[x + 1] = imul(w[x + 1]!, w[x + 5]!); w[x + 2] = imul(w[x + 2]!, w[x + 6]!); w[x + 3] = imul(w[x + 3]!, w[x + 7]!);
}
