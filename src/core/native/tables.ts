// Tables in the host engine: a NativeTable is a TableInst whose elements
// are a WebAssembly.Table's. Function references are wasm functions inside
// and FuncInsts outside (funcs.ts keeps the two in step); external
// references are stored as they are. A 64-bit table (table64) is a
// WebAssembly.Table with address 'i64', whose JS API takes and gives
// indices and sizes as BigInts; a NativeTable converts at that edge.

import { TableInst } from '../runtime/table.js';
import type { Ref } from '../runtime/values.js';
import { FUNCREF, type TableType } from '../syntax/types.js';
import { is64 } from '../syntax/addr-type.js';
import { fromWire, pushWire } from './funcs.js';

/** The JS API's form of an index or size for a table of `type`: a BigInt for table64. */
function jsIndex(type: TableType, n: number): number {
  return (is64(type) ? BigInt(n) : n) as number;
}

export class NativeTable extends TableInst {
  constructor(type: TableType, readonly table: WebAssembly.Table) {
    super(type, []);
  }

  override size(): number {
    return Number(this.table.length);
  }

  override get(i: number): Ref {
    return fromWire(this.type.elem, [this.table.get(jsIndex(this.type, i))], 0) as Ref;
  }

  override set(i: number, r: Ref): void {
    this.table.set(jsIndex(this.type, i), toHost(this.type.elem, r));
  }

  override grow(delta: number, init: Ref): number {
    try {
      return Number(this.table.grow(jsIndex(this.type, delta), toHost(this.type.elem, init)));
    } catch {
      // The JS API throws a RangeError where table.grow returns -1.
      return -1;
    }
  }
}

function toHost(elem: TableType['elem'], r: Ref): unknown {
  const out: unknown[] = [];
  pushWire(elem, r, out);
  return out[0];
}

/** The native tables that base tables moved to, and the TableInst each native table stands for. */
const movedTo = new WeakMap<TableInst, WebAssembly.Table>();
const tableInstOf = new WeakMap<WebAssembly.Table, TableInst>();

function newTable(type: TableType, size: number): WebAssembly.Table {
  const desc: WebAssembly.TableDescriptor & { address?: 'i64' } = { element: type.elem === FUNCREF ? 'anyfunc' : 'externref', initial: jsIndex(type, size) };
  if (type.limits.max !== null) desc.maximum = jsIndex(type, type.limits.max);
  if (is64(type)) desc.address = 'i64';
  // Without an explicit null, an externref table would be filled with `undefined`, which is not ref.null.
  return new WebAssembly.Table(desc, null);
}

/**
 * The WebAssembly.Table to import for `t`. A NativeTable is itself; a table
 * of another engine moves into a new WebAssembly.Table (TableInst.moveTo),
 * so both engines share it from then on.
 */
export function nativeTableOf(t: TableInst): WebAssembly.Table {
  if (t instanceof NativeTable) return t.table;
  let table = movedTo.get(t);
  if (table === undefined) {
    table = newTable(t.type, t.size());
    t.moveTo(new NativeTable(t.type, table));
    movedTo.set(t, table);
    tableInstOf.set(table, t);
  }
  return table;
}

/** The TableInst for a table a native instance exports: the one it was made from if imported, else a new NativeTable. */
export function tableInstFor(table: WebAssembly.Table, type: TableType): TableInst {
  let t = tableInstOf.get(table);
  if (t === undefined) {
    t = new NativeTable(type, table);
    tableInstOf.set(table, t);
  }
  return t;
}
