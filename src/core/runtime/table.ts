// Table instances (spec §4.2.7): a growable vector of references. This base
// class keeps the references in a JS array. A table can move to a host
// engine's storage (a WebAssembly.Table) when a native module imports it; it
// then works through that storage, so both engines see every change. The
// native engine also subclasses this for tables a native module defines.

import type { TableType } from '../syntax/types.js';
import { addrTypeOf, tableSizeBound } from '../syntax/addr-type.js';
import type { Ref } from './values.js';
import { activeLimiter } from './limits.js';

/** Tables larger than this are refused by table.grow, as engines do to bound memory use. */
export const MAX_TABLE_SIZE = 10_000_000;

/** Somewhere else a table's elements can live: the same four operations as TableInst. */
export interface TableStorage {
  size(): number;
  get(i: number): Ref;
  set(i: number, r: Ref): void;
  grow(delta: number, init: Ref): number;
}

export class TableInst implements TableStorage {
  /** Where the elements live after `moveTo`; null while they live in `elements` (the interpreter's fast path). */
  private storage: TableStorage | null = null;

  constructor(readonly type: TableType, protected elements: Ref[]) {}

  static create(type: TableType, init: Ref = null): TableInst {
    return new TableInst(type, new Array<Ref>(type.limits.min).fill(init));
  }

  size(): number {
    return this.storage === null ? this.elements.length : this.storage.size();
  }

  /** The reference at `i`; the caller has checked `i < size()`. */
  get(i: number): Ref {
    return this.storage === null ? this.elements[i]! : this.storage.get(i);
  }

  /** Stores `r` at `i`; the caller has checked `i < size()`. */
  set(i: number, r: Ref): void {
    if (this.storage === null) this.elements[i] = r;
    else this.storage.set(i, r);
  }

  /** table.grow: the old size, or -1 when the table cannot grow by `delta`. */
  grow(delta: number, init: Ref): number {
    if (this.storage !== null) return this.storage.grow(delta, init);
    const old = this.elements.length;
    const max = this.type.limits.max ?? tableSizeBound(addrTypeOf(this.type)).max;
    if (old + delta > max || old + delta > MAX_TABLE_SIZE) return -1;
    if (!activeLimiter().tableGrowing(old, old + delta, this.type.limits.max)) return -1;
    for (let i = 0; i < delta; i++) this.elements.push(init);
    return old;
  }

  /**
   * Moves the elements into `storage` for good: `storage` must already have
   * this table's size; the elements are copied there, and from then on every
   * operation goes there. Used for a table that a native instance imports.
   */
  moveTo(storage: TableStorage): void {
    const n = this.size();
    for (let i = 0; i < n; i++) storage.set(i, this.get(i));
    this.storage = storage;
    this.elements = [];
  }
}
