// Table instances (spec §4.2.7): a growable vector of references. This base
// class keeps the references in a JS array. A table can move to a host
// engine's storage (a WebAssembly.Table) when a native module imports it; it
// then works through that storage, so both engines see every change. The
// native engine also subclasses this for tables a native module defines.

import type { TableType } from '../syntax/types.js';
import { addrTypeOf, tableSizeBound } from '../syntax/addr-type.js';
import type { Ref } from './values.js';
import type { FuncInst } from './func.js';
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

/** A module instance that makes its function `x` on the first reference (the interpreter's ModuleInst.funcAt). */
export interface FuncSource {
  funcAt(x: number): FuncInst;
}

/** In `elements`: an entry whose function is not made yet; `deferred` holds its index. */
const DEFERRED: Ref = Object.freeze({});

export class TableInst implements TableStorage {
  /** Where the elements live after `moveTo`; null while they live in `elements` (the interpreter's fast path). */
  private storage: TableStorage | null = null;
  /**
   * Entries stored by `setFuncs` before their function was made: DEFERRED in
   * `elements`, the function's index here, made by `deferFrom` when the
   * entry is first read. An active element segment of 7 687 functions then
   * makes only those that are called through the table.
   */
  private deferred: Int32Array | null = null;
  private deferFrom: FuncSource | null = null;

  constructor(readonly type: TableType, protected elements: Ref[]) {}

  static create(type: TableType, init: Ref = null): TableInst {
    return new TableInst(type, new Array<Ref>(type.limits.min).fill(init));
  }

  size(): number {
    return this.storage === null ? this.elements.length : this.storage.size();
  }

  /** The reference at `i`; the caller has checked `i < size()`. */
  get(i: number): Ref {
    if (this.storage !== null) return this.storage.get(i);
    const r = this.elements[i]!;
    return r !== DEFERRED ? r : this.undefer(i);
  }

  /** Makes a deferred entry's function, which stays in its place from then on. */
  private undefer(i: number): Ref {
    const f = this.deferFrom!.funcAt(this.deferred![i]!);
    this.elements[i] = f;
    return f;
  }

  /**
   * Stores functions `xs` of `from` from `d` on (the caller has checked
   * `d + xs.length <= size()`), as `set(d + k, from.funcAt(xs[k]))` does,
   * but makes each function only when its entry is first read. Deferred
   * where this table keeps its own elements (not a NativeTable's, whose
   * `elements` are empty, nor after `moveTo`) and defers no other
   * instance's functions; elsewhere made now.
   */
  setFuncs(d: number, from: FuncSource, xs: Int32Array): void {
    const n = xs.length;
    if (n === 0) return;
    if (this.storage !== null || d + n > this.elements.length || (this.deferFrom !== null && this.deferFrom !== from)) {
      for (let k = 0; k < n; k++) this.set(d + k, from.funcAt(xs[k]!));
      return;
    }
    if (this.deferred === null || this.deferred.length < d + n) {
      // The first deferral, or one past a grow since: room for every entry.
      const grown = new Int32Array(this.elements.length);
      if (this.deferred !== null) grown.set(this.deferred);
      this.deferred = grown;
      this.deferFrom = from;
    }
    this.deferred.set(xs, d);
    this.elements.fill(DEFERRED, d, d + n);
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
    this.deferred = null;
    this.deferFrom = null;
  }
}
