// Memory instructions other than loads and stores of memory 0 (spec
// §4.4.7): size, grow, the bulk operations, and loads and stores on other
// memories (multi-memory). They are rare enough to live outside the loop;
// each takes its operands from the thread's value stack and returns the new
// stack height. Bounds are checked in doubles (u32 + u32 does not wrap) and
// before anything is written, as WebAssembly 2.0 requires.

import type { Instr } from '../syntax/ast.js';
import { PAGE_SIZE } from '../syntax/types.js';
import { Trap, TrapMessage } from '../errors.js';
import type { MemoryInst } from '../runtime/memory.js';
import type { ModuleInst } from './module-inst.js';
import type { Thread } from './thread.js';
import { O } from './ops.js';

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

/**
 * A load or store on memory `instr.c` (multi-memory: any memory but 0, whose
 * accesses the loop does itself with its cached views). The memory's views
 * are refreshed first, since any grow, by either engine, detaches them.
 * Values move as their 32-bit words (floats as bit patterns).
 */
export function memoryAccess(t: Thread, inst: ModuleInst, instr: Instr, sp: number): number {
  const mem = inst.mems[instr.c]!;
  mem.refresh();
  const dv = mem.view, u8 = mem.u8;
  const i32 = t.i32;
  const op = instr.op;
  const offset = instr.a >>> 0;
  if (op <= O.i64_load32_u) {
    const j = 2 * sp - 2;
    const ea = (i32[j]! >>> 0) + offset;
    if (ea + loadWidth(op) > u8.length) throw new Trap(TrapMessage.outOfBoundsMemory);
    switch (op) {
      case O.i32_load: case O.f32_load: i32[j] = dv.getInt32(ea, true); break;
      case O.i64_load: case O.f64_load: i32[j] = dv.getInt32(ea, true); i32[j + 1] = dv.getInt32(ea + 4, true); break;
      case O.i32_load8_s: i32[j] = (u8[ea]! << 24) >> 24; break;
      case O.i32_load8_u: i32[j] = u8[ea]!; break;
      case O.i32_load16_s: i32[j] = dv.getInt16(ea, true); break;
      case O.i32_load16_u: i32[j] = dv.getUint16(ea, true); break;
      case O.i64_load8_s: { const v = (u8[ea]! << 24) >> 24; i32[j] = v; i32[j + 1] = v >> 31; break; }
      case O.i64_load8_u: i32[j] = u8[ea]!; i32[j + 1] = 0; break;
      case O.i64_load16_s: { const v = dv.getInt16(ea, true); i32[j] = v; i32[j + 1] = v >> 31; break; }
      case O.i64_load16_u: i32[j] = dv.getUint16(ea, true); i32[j + 1] = 0; break;
      case O.i64_load32_s: { const v = dv.getInt32(ea, true); i32[j] = v; i32[j + 1] = v >> 31; break; }
      default: i32[j] = dv.getInt32(ea, true); i32[j + 1] = 0; break; // i64.load32_u
    }
    return sp;
  }
  const j = 2 * (sp - 2);
  const ea = (i32[j]! >>> 0) + offset;
  const lo = i32[j + 2]!, hi = i32[j + 3]!;
  switch (op) {
    case O.i64_store: case O.f64_store:
      if (ea + 8 > u8.length) throw new Trap(TrapMessage.outOfBoundsMemory);
      dv.setInt32(ea, lo, true);
      dv.setInt32(ea + 4, hi, true);
      break;
    case O.i32_store8: case O.i64_store8:
      if (ea + 1 > u8.length) throw new Trap(TrapMessage.outOfBoundsMemory);
      u8[ea] = lo;
      break;
    case O.i32_store16: case O.i64_store16:
      if (ea + 2 > u8.length) throw new Trap(TrapMessage.outOfBoundsMemory);
      dv.setInt16(ea, lo, true);
      break;
    default: // i32.store, f32.store, i64.store32
      if (ea + 4 > u8.length) throw new Trap(TrapMessage.outOfBoundsMemory);
      dv.setInt32(ea, lo, true);
  }
  return sp - 2;
}

/** Bytes read by load `op`. */
function loadWidth(op: number): number {
  switch (op) {
    case O.i32_load8_s: case O.i32_load8_u: case O.i64_load8_s: case O.i64_load8_u: return 1;
    case O.i32_load16_s: case O.i32_load16_u: case O.i64_load16_s: case O.i64_load16_u: return 2;
    case O.i64_load: case O.f64_load: return 8;
    default: return 4;
  }
}
