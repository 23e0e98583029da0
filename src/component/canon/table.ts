// The per-instance table of handles (CanonicalABI.md "Table State"): a dense
// array with a free list, whose indices are what core wasm sees as i32
// handles. Index 0 is reserved so that 0 can serve as a null/sentinel value.

import { CanonTrap, trap, unknownHandle } from './traps.js';

export class Table<E extends object> {
  static readonly MAX_LENGTH = 2 ** 28 - 1;

  readonly array: (E | null)[] = [null];
  readonly free: number[] = [];

  *[Symbol.iterator](): IterableIterator<E> {
    for (const e of this.array) if (e !== null) yield e;
  }

  /** The element at `i`; traps on an index out of range or a hole. */
  get(i: number): E {
    const e = i >>> 0 < this.array.length ? this.array[i >>> 0] : null;
    if (e === null || e === undefined) unknownHandle(i);
    return e;
  }

  /** Adds `e`, reusing a freed slot first (the most recently freed). */
  add(e: E): number {
    const reused = this.free.pop();
    if (reused !== undefined) {
      this.array[reused] = e;
      return reused;
    }
    const i = this.array.length;
    if (i > Table.MAX_LENGTH) trap(CanonTrap.tableFull);
    this.array.push(e);
    return i;
  }

  remove(i: number): E {
    const e = this.get(i);
    this.array[i >>> 0] = null;
    this.free.push(i >>> 0);
    return e;
  }

  /** Number of live elements. */
  get size(): number {
    let n = 0;
    for (const e of this.array) if (e !== null) n++;
    return n;
  }
}
