// Table instances (spec §4.2.7): a growable vector of references.

import type { TableType } from '../syntax/types.js';
import type { Ref } from './values.js';

export class TableInst {
  constructor(readonly type: TableType, public elements: Ref[]) {}

  static create(type: TableType, init: Ref = null): TableInst {
    return new TableInst(type, new Array<Ref>(type.limits.min).fill(init));
  }

  size(): number {
    return this.elements.length;
  }

  /** table.grow: the old size, or -1 when the table cannot grow by `delta`. */
  grow(delta: number, init: Ref): number {
    const old = this.elements.length;
    const max = this.type.limits.max ?? 0xffffffff;
    if (old + delta > max || old + delta > 10_000_000) return -1;
    for (let i = 0; i < delta; i++) this.elements.push(init);
    return old;
  }
}
