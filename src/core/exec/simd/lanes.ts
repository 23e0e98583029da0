// The interpreter's storage for v128 values: a second value stack beside
// the 8-byte slots of configuration.ts, 16 bytes per slot, so that slot s
// holds a v128 in bytes 16s .. 16s+15 (lanes little-endian, as typed
// arrays are on every host Node runs on). A configuration allocates it only
// once it runs a module that has v128 values (Code.vec), and grows it with
// the slots. Every lane shape is a view of the same buffer, so an
// instruction reads and writes lanes in place, without allocating.

import type { Value } from '../../runtime/values.js';

export class VecStack {
  readonly i8: Int8Array;
  readonly u8: Uint8Array;
  readonly i16: Int16Array;
  readonly u16: Uint16Array;
  readonly i32: Int32Array;
  readonly u32: Uint32Array;
  readonly f32: Float32Array;
  readonly f64: Float64Array;

  constructor(readonly slots: number, from: VecStack | null = null) {
    const buf = new ArrayBuffer(slots * 16);
    this.i8 = new Int8Array(buf);
    this.u8 = new Uint8Array(buf);
    this.i16 = new Int16Array(buf);
    this.u16 = new Uint16Array(buf);
    this.i32 = new Int32Array(buf);
    this.u32 = new Uint32Array(buf);
    this.f32 = new Float32Array(buf);
    this.f64 = new Float64Array(buf);
    if (from !== null) this.i32.set(from.i32);
  }

  /** Slot s as a value (values.ts: 16 bytes, a copy). */
  read(s: number): Value {
    return this.u8.slice(16 * s, 16 * s + 16);
  }

  write(s: number, v: Value): void {
    this.u8.set(v as Uint8Array, 16 * s);
  }
}

/** A scratch vector (three, for ternary operations) for instructions whose result overlaps operands they still read. */
export const scratch = new VecStack(3);

/** Copies the v128 of slot `from` to slot `to` (4 words each). */
export function moveVec(w: Int32Array, to: number, from: number): void {
  const d = 4 * to, s = 4 * from;
  w[d] = w[s]!; w[d + 1] = w[s + 1]!; w[d + 2] = w[s + 2]!; w[d + 3] = w[s + 3]!;
}

/** The vectors of slots s .. s+count-1 copied to the scratch vectors, for an instruction whose result overlaps operands it still reads. */
export function toScratch(v: VecStack, s: number, count: number): void {
  const w = v.i32, t = scratch.i32;
  for (let i = 0; i < 4 * count; i++) t[i] = w[4 * s + i]!;
}
