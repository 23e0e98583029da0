// Table instructions (spec §4.4.6) and elem.drop. Like memory-ops.ts, each
// takes its operands from the configuration's value stack (indices in i32 slots,
// references in `refs`) and returns the new stack height. Indices and
// lengths are read by the table's address type (i64 for table64).

import type { Instr } from '../syntax/ast.js';
import { Trap, TrapMessage } from '../errors.js';
import type { TableInst } from '../runtime/table.js';
import type { Ref } from '../runtime/values.js';
import type { ModuleInst } from './module-inst.js';
import type { Configuration } from './configuration.js';
import { is64 } from '../syntax/addr-type.js';
import { addrAt, putAddr } from './addr-slots.js';

/** A dropped element segment's items (elem.drop, and every non-passive segment once instantiated). */
export const DROPPED_ELEM: readonly Ref[] = [];

function outOfBounds(): Trap {
  return new Trap(TrapMessage.outOfBoundsTable);
}

/** table.init's effect, shared with the instantiation of active element segments. */
export function initTable(tab: TableInst, elem: readonly Ref[], d: number, s: number, n: number): void {
  if (s + n > elem.length || d + n > tab.size()) throw outOfBounds();
  for (let k = 0; k < n; k++) tab.set(d + k, elem[s + k]!);
}

export function tableGet(t: Configuration, inst: ModuleInst, instr: Instr, sp: number): number {
  const tab = inst.tables[instr.a]!;
  const s = sp - 1;
  const i = addrAt(t.i32, s, is64(tab.type));
  if (i >= tab.size()) throw outOfBounds();
  t.refs[s] = tab.get(i);
  return sp;
}

export function tableSet(t: Configuration, inst: ModuleInst, instr: Instr, sp: number): number {
  const tab = inst.tables[instr.a]!;
  const s = sp - 2;
  const i = addrAt(t.i32, s, is64(tab.type));
  if (i >= tab.size()) throw outOfBounds();
  tab.set(i, t.refs[s + 1]!);
  return s;
}

export function tableSize(t: Configuration, inst: ModuleInst, instr: Instr, sp: number): number {
  const tab = inst.tables[instr.a]!;
  putAddr(t.i32, sp, tab.size(), is64(tab.type));
  return sp + 1;
}

export function tableGrow(t: Configuration, inst: ModuleInst, instr: Instr, sp: number): number {
  const tab = inst.tables[instr.a]!;
  const s = sp - 2, wide = is64(tab.type);
  putAddr(t.i32, s, tab.grow(addrAt(t.i32, s + 1, wide), t.refs[s]!), wide);
  return s + 1;
}

export function tableFill(t: Configuration, inst: ModuleInst, instr: Instr, sp: number): number {
  const tab = inst.tables[instr.a]!;
  const s = sp - 3, wide = is64(tab.type);
  const i = addrAt(t.i32, s, wide), ref = t.refs[s + 1]!, n = addrAt(t.i32, s + 2, wide);
  if (i + n > tab.size()) throw outOfBounds();
  for (let k = 0; k < n; k++) tab.set(i + k, ref);
  return s;
}

export function tableCopy(t: Configuration, inst: ModuleInst, instr: Instr, sp: number): number {
  const dst = inst.tables[instr.a]!, src = inst.tables[instr.b]!;
  const s = sp - 3;
  // Between an i32 and an i64 table the length is an i32 (minAddrType).
  const d = addrAt(t.i32, s, is64(dst.type)), from = addrAt(t.i32, s + 1, is64(src.type));
  const n = addrAt(t.i32, s + 2, is64(dst.type) && is64(src.type));
  if (from + n > src.size() || d + n > dst.size()) throw outOfBounds();
  // Overlapping copies within one table go backwards when the destination is above the source.
  if (d <= from) for (let k = 0; k < n; k++) dst.set(d + k, src.get(from + k));
  else for (let k = n - 1; k >= 0; k--) dst.set(d + k, src.get(from + k));
  return s;
}

export function tableInit(t: Configuration, inst: ModuleInst, instr: Instr, sp: number): number {
  const s = sp - 3;
  const i32 = t.i32;
  const tab = inst.tables[instr.b]!;
  initTable(tab, inst.elems[instr.a]!, addrAt(i32, s, is64(tab.type)), i32[2 * s + 2]! >>> 0, i32[2 * s + 4]! >>> 0);
  return s;
}

export function elemDrop(inst: ModuleInst, instr: Instr): void {
  inst.elems[instr.a] = DROPPED_ELEM;
}
