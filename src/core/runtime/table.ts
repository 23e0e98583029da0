// Table instances (spec §4.2.7): a growable vector of references. This base
// class keeps the references in a JS array; the native engine subclasses it
// to use a WebAssembly.Table, so either engine can import the other's tables.

import type { TableType } from '../syntax/types.js';
import type { Ref } from './values.js';

/** Tables larger than this are refused by table.grow, as engines do to bound memory use. */
export const MAX_TABLE_SIZE = 10_000_000;

export class TableInst {
  constructor(readonly type: TableType, protected elements: Ref[]) {}

  static create(type: TableType, init: Ref = null): TableInst {
    return new TableInst(type, new Array<Ref>(type.limits.min).fill(init));
  }

  size(): number {
    return this.elements.length;
  }

  /** The reference at `i`; the caller has checked `i < size()`. */
  get(i: number): Ref {
    return this.elements[i]!;
  }

  /** Stores `r` at `i`; the caller has checked `i < size()`. */
  set(i: number, r: Ref): void {
    this.elements[i] = r;
  }

  /** table.grow: the old size, or -1 when the table cannot grow by `delta`. */
  grow(delta: number, init: Ref): number {
    const old = this.elements.length;
    const max = this.type.limits.max ?? 0xffffffff;
    if (old + delta > max || old + delta > MAX_TABLE_SIZE) return -1;
    for (let i = 0; i < delta; i++) this.elements.push(init);
    return old;
  }
}
