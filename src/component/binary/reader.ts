// A bounded cursor over component bytes. Every read checks its bounds, so
// bad bytes end in a DecodeError carrying the offset, never in a JS
// exception. Messages follow wasm-tools' wasmparser, whose words the
// component-model suite's assert_malformed expects.

import { DecodeError } from '../../core/errors.js';
import type { CoreFeatures } from '../../core/syntax/feature-set.js';

/**
 * What one decodeComponent call carries down to every reader it makes: how
 * deeply components and component types nest at this point, and the core
 * features its embedded core modules are decoded with. Held by the readers,
 * not by the module, so that decodes never share it.
 */
export interface DecodeState {
  depth: number;
  readonly coreFeatures: CoreFeatures;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export class Reader {
  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
    /** One past the last byte this reader may read (the end of the current section). */
    public end: number,
    /** The state of the decode this reader belongs to (shared by its sub-readers). */
    readonly state: DecodeState,
  ) {}

  get atEnd(): boolean {
    return this.pos >= this.end;
  }

  fail(message: string, offset = this.pos): never {
    throw new DecodeError(message, offset);
  }

  /** wasmparser's "invalid leading byte (0x..) for ..." */
  invalidLeadingByte(byte: number, what: string, offset = this.pos - 1): never {
    throw new DecodeError(`invalid leading byte (0x${byte.toString(16)}) for ${what}`, offset);
  }

  u8(): number {
    if (this.pos >= this.end) this.fail('unexpected end-of-file');
    return this.bytes[this.pos++]!;
  }

  peek(): number {
    if (this.pos >= this.end) this.fail('unexpected end-of-file');
    return this.bytes[this.pos]!;
  }

  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const start = this.pos;
      const b = this.u8();
      if (shift === 28 && (b & 0x70) !== 0) this.fail('integer too large', start);
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result >>> 0;
      shift += 7;
      if (shift > 28) this.fail('integer representation too long', start + 1);
    }
  }

  u64(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const start = this.pos;
      const b = this.u8();
      if (shift === 63n && (b & 0x7e) !== 0) this.fail('integer too large', start);
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 63n) this.fail('integer representation too long', start + 1);
    }
  }

  /** A signed 33-bit LEB (valtype positions: negative = type code, else an index). */
  s33(): number {
    let result = 0;
    let shift = 0;
    let b: number;
    do {
      const start = this.pos;
      b = this.u8();
      if (shift === 28 && (b & 0x80) !== 0) this.fail('integer representation too long', start);
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    if (shift < 33 && (b & 0x40)) result -= 2 ** shift;
    if (result < -(2 ** 32) || result >= 2 ** 32) this.fail('integer too large', this.pos - 1);
    return result;
  }

  bool(what = 'boolean'): boolean {
    const b = this.u8();
    if (b === 0) return false;
    if (b === 1) return true;
    this.fail(`invalid ${what} value`, this.pos - 1);
  }

  bytesN(n: number): Uint8Array {
    if (n > this.end - this.pos) this.fail('unexpected end-of-file');
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** `core:name`: a length-prefixed UTF-8 string. */
  name(): string {
    const len = this.u32();
    const start = this.pos;
    const b = this.bytesN(len);
    try {
      return utf8.decode(b);
    } catch {
      this.fail('malformed UTF-8 encoding', start);
    }
  }

  /** `vec(T)`: a count, then that many items. */
  vec<T>(item: () => T): T[] {
    const n = this.u32();
    // Each item takes at least one byte: a count beyond the bytes left is
    // certainly truncated, and must not make us allocate a huge array.
    if (n > this.end - this.pos) this.fail('unexpected end-of-file');
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item());
    return out;
  }

  /** `T?`: 0x00 for absent, 0x01 then T. */
  optional<T>(item: () => T, what: string): T | null {
    const b = this.u8();
    if (b === 0) return null;
    if (b === 1) return item();
    this.invalidLeadingByte(b, what);
  }
}
