// Memory instructions other than loads and stores (spec §4.4.7): size, grow
// and the bulk operations. They are rare enough to live outside the loop;
// each takes its operands from the thread's value stack and returns the new
// stack height. Bounds are checked in doubles (u32 + u32 does not wrap) and
// before anything is written, as WebAssembly 2.0 requires.

import type { Instr } from '../syntax/ast.js';
import { PAGE_SIZE } from '../syntax/types.js';
import { Trap, TrapMessage } from '../runtime/errors.js';
import type { MemoryInst } from '../runtime/memory.js';
import type { ModuleInst } from './module-inst.js';
import type { Thread } from './thread.js';

const EMPTY = new Uint8Array(0);

/** memory.init's effect, shared with the instantiation of active data segments. */
export function initMemory(mem: MemoryInst, data: Uint8Array, d: number, s: number, n: number): void {
  mem.refresh();
  if (s + n > data.length || d + n > mem.u8.length) throw new Trap(TrapMessage.outOfBoundsMemory);
  mem.u8.set(data.subarray(s, s + n), d);
}

export function memorySize(t: Thread, inst: ModuleInst, instr: Instr, sp: number): number {
  const mem = inst.mems[instr.a]!;
  t.i32[2 * sp] = mem.byteLength / PAGE_SIZE;
  return sp + 1;
}

export function memoryGrow(t: Thread, inst: ModuleInst, instr: Instr, sp: number): number {
  const mem = inst.mems[instr.a]!;
  const j = 2 * (sp - 1);
  t.i32[j] = mem.grow(t.i32[j]! >>> 0);
  return sp;
}

export function memoryFill(t: Thread, inst: ModuleInst, instr: Instr, sp: number): number {
  const mem = inst.mems[instr.a]!;
  const i32 = t.i32;
  const j = 2 * (sp - 3);
  const d = i32[j]! >>> 0, val = i32[j + 2]! & 0xff, n = i32[j + 4]! >>> 0;
  mem.refresh();
  if (d + n > mem.u8.length) throw new Trap(TrapMessage.outOfBoundsMemory);
  mem.u8.fill(val, d, d + n);
  return sp - 3;
}

export function memoryCopy(t: Thread, inst: ModuleInst, instr: Instr, sp: number): number {
  const dst = inst.mems[instr.a]!, src = inst.mems[instr.b]!;
  const i32 = t.i32;
  const j = 2 * (sp - 3);
  const d = i32[j]! >>> 0, s = i32[j + 2]! >>> 0, n = i32[j + 4]! >>> 0;
  dst.refresh();
  src.refresh();
  if (s + n > src.u8.length || d + n > dst.u8.length) throw new Trap(TrapMessage.outOfBoundsMemory);
  // copyWithin and set both behave as if through a temporary buffer, which is what overlap needs.
  if (dst === src) dst.u8.copyWithin(d, s, s + n);
  else dst.u8.set(src.u8.subarray(s, s + n), d);
  return sp - 3;
}

export function memoryInit(t: Thread, inst: ModuleInst, instr: Instr, sp: number): number {
  const i32 = t.i32;
  const j = 2 * (sp - 3);
  initMemory(inst.mems[instr.b]!, inst.datas[instr.a]!, i32[j]! >>> 0, i32[j + 2]! >>> 0, i32[j + 4]! >>> 0);
  return sp - 3;
}

export function dataDrop(inst: ModuleInst, instr: Instr): void {
  inst.datas[instr.a] = EMPTY;
}
