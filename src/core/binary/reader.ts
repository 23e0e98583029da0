// A cursor over the bytes of a binary module (spec §5.1, §5.2 "Values").
//
// The error messages are those of the spec's reference decoder, because the
// official suite compares against them by prefix. Running out of bytes is
// always "unexpected end of section or function" (the suite also accepts it
// where it expects "unexpected end"); a length or count that exceeds the
// bytes left is "length out of bounds", checked before anything is
// allocated, so an absurd count fails at once.

import { DecodeError } from '../errors.js';
import { WASM_2_0, type CoreFeatures } from '../syntax/feature-set.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export const UNEXPECTED_END = 'unexpected end of section or function';

export class Reader {
  /** Offset of the next byte to read. */
  pos: number;
  /** Offset one past the last readable byte. */
  readonly end: number;
  private view: DataView | null = null;
  /** What the decoder accepts beyond 2.0 (value types, limits flags); set by decodeModule. */
  features: CoreFeatures = WASM_2_0;

  constructor(readonly bytes: Uint8Array, start = 0, end = bytes.length) {
    this.pos = start;
    this.end = end;
  }

  eof(): boolean {
    return this.pos >= this.end;
  }

  remaining(): number {
    return this.end - this.pos;
  }

  fail(message: string, at: number = this.pos): never {
    throw new DecodeError(message, at);
  }

  /** The next byte, without consuming it; -1 at the end. */
  peek(): number {
    return this.pos < this.end ? this.bytes[this.pos]! : -1;
  }

  u8(): number {
    if (this.pos >= this.end) this.fail(UNEXPECTED_END);
    return this.bytes[this.pos++]!;
  }

  /** Consumes `n` bytes and returns them as a view (no copy). */
  take(n: number): Uint8Array {
    if (n < 0 || this.pos + n > this.end) this.fail(UNEXPECTED_END);
    const view = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return view;
  }

  skip(n: number): void {
    if (n < 0 || this.pos + n > this.end) this.fail(UNEXPECTED_END);
    this.pos += n;
  }

  /** Four bytes, little-endian, as a signed 32-bit number (f32 bit patterns, the magic). */
  fixed32(): number {
    if (this.pos + 4 > this.end) this.fail(UNEXPECTED_END);
    const b = this.bytes;
    const p = this.pos;
    this.pos = p + 4;
    return b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24);
  }

  /** Eight bytes, little-endian, as a signed 64-bit bigint (f64 bit patterns). */
  fixed64(): bigint {
    if (this.pos + 8 > this.end) this.fail(UNEXPECTED_END);
    this.view ??= new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    const v = this.view.getBigInt64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /**
   * An unsigned LEB128 integer of at most `bits` bits (bits ≤ 32). A value
   * needing more bits is "integer too large"; more bytes than
   * ceil(bits / 7) is "integer representation too long".
   */
  uN(bits: number): number {
    let result = 0;
    let scale = 1;
    for (let n = bits; ; n -= 7) {
      if (n <= 0) this.fail('integer representation too long');
      const b = this.u8();
      const payload = b & 0x7f;
      if (n < 7 && payload >= 1 << n) this.fail('integer too large', this.pos - 1);
      result += payload * scale;
      if ((b & 0x80) === 0) return result;
      scale *= 128;
    }
  }

  u32(): number {
    // Fast path: one-byte values are the vast majority.
    if (this.pos < this.end) {
      const b = this.bytes[this.pos]!;
      if (b < 0x80) {
        this.pos++;
        return b;
      }
    }
    return this.uN(32);
  }

  /**
   * A signed LEB128 integer of at most `bits` bits (bits ≤ 33), as a
   * number. The unused bits of the last byte must all equal the sign bit.
   */
  sN(bits: number): number {
    let result = 0;
    let scale = 1;
    for (let n = bits; ; n -= 7) {
      if (n <= 0) this.fail('integer representation too long');
      const b = this.u8();
      if (n < 7) {
        const mask = (-1 << (n - 1)) & 0x7f;
        const high = b & mask;
        if (high !== 0 && high !== mask) this.fail('integer too large', this.pos - 1);
      }
      result += (b & 0x7f) * scale;
      scale *= 128;
      if ((b & 0x80) === 0) {
        // Sign-extend from the last payload bit read.
        return (b & 0x40) !== 0 ? result - scale : result;
      }
    }
  }

  s32(): number {
    return this.sN(32) | 0;
  }

  s33(): number {
    return this.sN(33);
  }

  /** A signed LEB128 integer of at most 64 bits. */
  s64(): bigint {
    // The first seven bytes (49 bits) are exact in a double; only longer
    // encodings pay for bigint arithmetic.
    let low = 0;
    let scale = 1;
    for (let i = 0; i < 7; i++) {
      const b = this.u8();
      low += (b & 0x7f) * scale;
      scale *= 128;
      if ((b & 0x80) === 0) return BigInt((b & 0x40) !== 0 ? low - scale : low);
    }
    let result = BigInt(low);
    let shift = 49n;
    for (let n = 64 - 49; ; n -= 7) {
      if (n <= 0) this.fail('integer representation too long');
      const b = this.u8();
      if (n < 7) {
        const mask = (-1 << (n - 1)) & 0x7f;
        const high = b & mask;
        if (high !== 0 && high !== mask) this.fail('integer too large', this.pos - 1);
      }
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) {
        return BigInt.asIntN(64, (b & 0x40) !== 0 ? result - (1n << shift) : result);
      }
    }
  }

  /**
   * A length or count (u32) that must not exceed the bytes left. As in the
   * reference decoder, "left" counts from the start of the length itself.
   */
  len(): number {
    const at = this.pos;
    const n = this.u32();
    if (n > this.end - at) this.fail('length out of bounds', at);
    return n;
  }

  /** A name: a length-prefixed UTF-8 string. */
  name(): string {
    const at = this.pos;
    const n = this.len();
    const raw = this.take(n);
    try {
      return utf8.decode(raw);
    } catch {
      return this.fail('malformed UTF-8 encoding', at);
    }
  }

  /** A vector: a count (bounded by the bytes left) and that many elements. */
  vec<T>(element: (r: Reader) => T): T[] {
    const n = this.len();
    const out: T[] = new Array<T>(n);
    for (let i = 0; i < n; i++) out[i] = element(this);
    return out;
  }
}
