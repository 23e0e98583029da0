// Buffers of stream and future copies (CanonicalABI.md "Stream State",
// definitions.py Buffer, BufferGuestImpl, ReadableBufferGuestImpl,
// WritableBufferGuestImpl): a range of guest memory a copy reads values
// from (the writer's) or writes values into (the reader's). A buffer of
// element type none (`stream`, `future` without a type) only counts.

import { checkValType } from '../valid/subtype.js';
import type { ValType } from '../syntax/types.js';
import type { LiftLowerContext } from './context.js';
import { alignment, elemSize } from './layout.js';
import { loadListFromValidRange, storeListIntoValidRange } from './load-store.js';
import { CanonTrap, trap } from './traps.js';
import type { ComponentValue } from './values.js';

export const MAX_BUFFER_LENGTH = 2 ** 28 - 1;

export interface Buffer {
  readonly t: ValType | null;
  progress: number;
  remain(): number;
  isZeroLength(): boolean;
}

export interface ReadableBuffer extends Buffer {
  read(n: number): ComponentValue[];
}

export interface WritableBuffer extends Buffer {
  write(vs: ComponentValue[]): void;
}

class BufferGuestImpl {
  progress = 0;

  constructor(readonly t: ValType | null, readonly cx: LiftLowerContext, public ptr: number, readonly length: number) {
    if (length > MAX_BUFFER_LENGTH) trap('buffer length exceeds the maximum of 2^28-1 elements');
    if (t !== null && length > 0) {
      const pt = cx.opts.ptrType;
      if (ptr % alignment(t, pt) !== 0) trap(CanonTrap.unalignedPointer);
      if (ptr + length * elemSize(t, pt) > cx.memory.u8.length) trap('buffer out of bounds of memory');
    }
  }

  remain(): number {
    return this.length - this.progress;
  }

  isZeroLength(): boolean {
    return this.length === 0;
  }
}

export class ReadableBufferGuestImpl extends BufferGuestImpl implements ReadableBuffer {
  read(n: number): ComponentValue[] {
    let vs: ComponentValue[];
    if (this.t !== null) {
      vs = loadListFromValidRange(this.cx, this.ptr, n, this.t);
      this.ptr += n * elemSize(this.t, this.cx.opts.ptrType);
    } else {
      vs = new Array<ComponentValue>(n).fill(null as unknown as ComponentValue);
    }
    this.progress += n;
    return vs;
  }
}

export class WritableBufferGuestImpl extends BufferGuestImpl implements WritableBuffer {
  write(vs: ComponentValue[]): void {
    if (this.t !== null) {
      storeListIntoValidRange(this.cx, vs, this.ptr, this.t);
      this.ptr += vs.length * elemSize(this.t, this.cx.opts.ptrType);
    }
    this.progress += vs.length;
  }
}

/** Whether two payload types (none as null) are the same type (definitions.py compares them with !=). */
export function samePayloadType(a: ValType | null, b: ValType | null): boolean {
  if (a === null || b === null) return a === b;
  if (a === b) return true;
  try {
    checkValType(a, b, 0);
    checkValType(b, a, 0);
    return true;
  } catch {
    return false;
  }
}

/** definitions.py none_or_number_type. */
export function noneOrNumberType(t: ValType | null): boolean {
  return t === null || (typeof t === 'string' && ['u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64', 'f32', 'f64'].includes(t));
}
