// Table instructions (spec §4.4.6) and elem.drop. Like memory-ops.ts, each
// takes its operands from the configuration's value stack (indices in i32 slots,
// references in `refs`) and returns the new stack height.

import type { Instr } from '../syntax/ast.js';
import { Trap, TrapMessage } from '../errors.js';
import type { TableInst } from '../runtime/table.js';
import type { Ref } from '../runtime/values.js';
import type { ModuleInst } from './module-inst.js';
import type { Configuration } from './configuration.js';

const EMPTY: Ref[] = [];

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
  const i = t.i32[2 * s]! >>> 0;
  if (i >= tab.size()) throw outOfBounds();
  t.refs[s] = tab.get(i);
  return sp;
}

export function tableSet(t: Configuration, inst: ModuleInst, instr: Instr, sp: number): number {
  const tab = inst.tables[instr.a]!;
  const s = sp - 2;
  const i = t.i32[2 * s]! >>> 0;
  if (i >= tab.size()) throw outOfBounds();
  tab.set(i, t.refs[s + 1]!);
  return s;
}

export function tableSize(t: Configuration, inst: ModuleInst, instr: Instr, sp: number): number {
  t.i32[2 * sp] = inst.tables[instr.a]!.size();
  return sp + 1;
}

export function tableGrow(t: Configuration, inst: ModuleInst, instr: Instr, sp: number): number {
  const tab = inst.tables[instr.a]!;
  const s = sp - 2;
  t.i32[2 * s] = tab.grow(t.i32[2 * (s + 1)]! >>> 0, t.refs[s]!);
  return s + 1;
}

export function tableFill(t: Configuration, inst: ModuleInst, instr: Instr, sp: number): number {
  const tab = inst.tables[instr.a]!;
  const s = sp - 3;
  const i = t.i32[2 * s]! >>> 0, ref = t.refs[s + 1]!, n = t.i32[2 * (s + 2)]! >>> 0;
  if (i + n > tab.size()) throw outOfBounds();
  for (let k = 0; k < n; k++) tab.set(i + k, ref);
  return s;
}

export function tableCopy(t: Configuration, inst: ModuleInst, instr: Instr, sp: number): number {
  const dst = inst.tables[instr.a]!, src = inst.tables[instr.b]!;
  const s = sp - 3;
  const d = t.i32[2 * s]! >>> 0, from = t.i32[2 * (s + 1)]! >>> 0, n = t.i32[2 * (s + 2)]! >>> 0;
  if (from + n > src.size() || d + n > dst.size()) throw outOfBounds();
  // Overlapping copies within one table go backwards when the destination is above the source.
  if (d <= from) for (let k = 0; k < n; k++) dst.set(d + k, src.get(from + k));
  else for (let k = n - 1; k >= 0; k--) dst.set(d + k, src.get(from + k));
  return s;
}

export function tableInit(t: Configuration, inst: ModuleInst, instr: Instr, sp: number): number {
  const s = sp - 3;
  const i32 = t.i32;
  initTable(inst.tables[instr.b]!, inst.elems[instr.a]!, i32[2 * s]! >>> 0, i32[2 * s + 2]! >>> 0, i32[2 * s + 4]! >>> 0);
  return s;
}

export function elemDrop(inst: ModuleInst, instr: Instr): void {
  inst.elems[instr.a] = EMPTY;
}
