// Buffers the host owns (CanonicalABI.md "Buffer State": a buffer "can
// either be owned by the host or by wasm"): the host side of a stream or
// future copy. A readable one holds values the host hands to a guest; a
// writable one collects values a guest hands to the host, up to its length.
// A guest's strings reach a host buffer as plain JS strings.

import type { ValType } from '../syntax/types.js';
import type { ReadableBuffer, WritableBuffer } from './buffer.js';
import { HintedString } from './strings.js';
import type { ComponentValue } from './values.js';

export class ReadableBufferHostImpl implements ReadableBuffer {
  progress = 0;

  constructor(readonly t: ValType | null, private readonly values: readonly ComponentValue[]) {}

  remain(): number {
    return this.values.length - this.progress;
  }

  isZeroLength(): boolean {
    return this.values.length === 0;
  }

  read(n: number): ComponentValue[] {
    const vs = this.values.slice(this.progress, this.progress + n);
    this.progress += n;
    return vs;
  }
}

export class WritableBufferHostImpl implements WritableBuffer {
  progress = 0;
  readonly values: ComponentValue[] = [];

  constructor(readonly t: ValType | null, readonly length: number) {}

  remain(): number {
    return this.length - this.progress;
  }

  isZeroLength(): boolean {
    return this.length === 0;
  }

  write(vs: ComponentValue[]): void {
    for (const v of vs) this.values.push(plainStrings(v));
    this.progress += vs.length;
  }
}

/**
 * `v` with every string plain: a guest's copy lifts strings with their
 * encoding hints (strings.ts HintedString), which only another guest uses.
 * Walks arrays and plain objects (lists, tuples, records, variants, flags).
 */
function plainStrings(v: ComponentValue): ComponentValue {
  if (v instanceof HintedString) return v.value;
  if (Array.isArray(v)) return v.map(plainStrings);
  if (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, ComponentValue> = {};
    for (const [k, x] of Object.entries(v)) out[k] = plainStrings(x as ComponentValue);
    return out as ComponentValue;
  }
  return v;
}
