// Memory instructions other than loads and stores of memory 0 (spec
// §4.4.7): size, grow, the bulk operations, and loads and stores on other
// memories (multi-memory) and on 64-bit memories (memory64). They are rare
// enough to live outside the loop; each takes its operands from the
// configuration's value stack and returns the new stack height. Addresses
// and lengths are read by the memory's address type (addr-type.ts); bounds
// are checked in doubles (u32 + u32 does not wrap; u64 sums beyond 2^53
// round but stay out of bounds) and before anything is written, as the spec
// requires.

import { memOffset, type Instr } from '../syntax/ast.js';
import { PAGE_SIZE } from '../syntax/types.js';
import { addrFromWords, is64 } from '../syntax/addr-type.js';
import { addrAt, putAddr } from './addr-slots.js';
import { accessWidth } from '../syntax/opcodes.js';
import { Trap, TrapMessage } from '../errors.js';
import type { MemoryInst } from '../runtime/memory.js';
import type { ModuleInst } from './module-inst.js';
import type { Configuration } from './configuration.js';
import { O } from './ops.js';
import { loadAt, storeAt } from './memory-access.js';

/** A dropped data segment (data.drop; an active one once instantiated): one empty view shared by all. */
export const DROPPED_DATA = new Uint8Array(0);

/**
 * memory.init's effect, shared with the instantiation of active data
 * segments (`data` may be a whole module's bytes, `s` a segment's start in
 * them: a trusted module's, exec/instantiate.ts). A short copy (most of a
 * large module's 10 000 segments) goes byte by byte, making no view.
 */
export function initMemory(mem: MemoryInst, data: Uint8Array, d: number, s: number, n: number): void {
  mem.refresh();
  if (s + n > data.length || d + n > mem.u8.length) throw new Trap(TrapMessage.outOfBoundsMemory);
  const u8 = mem.u8;
  if (n <= 64) for (let k = 0; k < n; k++) u8[d + k] = data[s + k]!;
  else u8.set(s === 0 && n === data.length ? data : data.subarray(s, s + n), d);
}

export function memorySize(t: Configuration, inst: ModuleInst, instr: Instr, sp: number): number {
  const mem = inst.mems[instr.a]!;
  putAddr(t.i32, sp, mem.byteLength / PAGE_SIZE, is64(mem.type));
  return sp + 1;
}

export function memoryGrow(t: Configuration, inst: ModuleInst, instr: Instr, sp: number): number {
  const mem = inst.mems[instr.a]!;
  const wide = is64(mem.type);
  putAddr(t.i32, sp - 1, mem.grow(addrAt(t.i32, sp - 1, wide)), wide);
  return sp;
}

export function memoryFill(t: Configuration, inst: ModuleInst, instr: Instr, sp: number): number {
  const mem = inst.mems[instr.a]!;
  const i32 = t.i32;
  const s = sp - 3, wide = is64(mem.type);
  const d = addrAt(i32, s, wide), val = i32[2 * s + 2]! & 0xff, n = addrAt(i32, s + 2, wide);
  mem.refresh();
  if (d + n > mem.u8.length) throw new Trap(TrapMessage.outOfBoundsMemory);
  mem.u8.fill(val, d, d + n);
  return sp - 3;
}

export function memoryCopy(t: Configuration, inst: ModuleInst, instr: Instr, sp: number): number {
  const dst = inst.mems[instr.a]!, src = inst.mems[instr.b]!;
  const i32 = t.i32;
  const k = sp - 3;
  // Between an i32 and an i64 memory the length is an i32 (minAddrType).
  const d = addrAt(i32, k, is64(dst.type)), s = addrAt(i32, k + 1, is64(src.type));
  const n = addrAt(i32, k + 2, is64(dst.type) && is64(src.type));
  dst.refresh();
  src.refresh();
  if (s + n > src.u8.length || d + n > dst.u8.length) throw new Trap(TrapMessage.outOfBoundsMemory);
  // copyWithin and set both behave as if through a temporary buffer, which is what overlap needs.
  if (dst === src) dst.u8.copyWithin(d, s, s + n);
  else dst.u8.set(src.u8.subarray(s, s + n), d);
  return sp - 3;
}

export function memoryInit(t: Configuration, inst: ModuleInst, instr: Instr, sp: number): number {
  const i32 = t.i32;
  const mem = inst.mems[instr.b]!;
  const j = 2 * (sp - 3);
  initMemory(mem, inst.datas[instr.a]!, addrAt(i32, sp - 3, is64(mem.type)), i32[j + 2]! >>> 0, i32[j + 4]! >>> 0);
  return sp - 3;
}

export function dataDrop(inst: ModuleInst, instr: Instr): void {
  inst.datas[instr.a] = DROPPED_DATA;
}

/**
 * The interpreter loop's memLim for memory 0 of `len` bytes: `len` while
 * below 2^31, the int32 bound of its specialised loads and stores
 * (scripts/gen-interp.ts's boundsCheck), else -1, which sends every access
 * to their exact check in doubles.
 */
export function int32Limit(len: number): number {
  return len <= 0x7fffffff ? len : -1;
}

/**
 * A load or store on memory `instr.c` (multi-memory: any memory but 0, whose
 * accesses the loop does itself with its cached views; memory64: any 64-bit
 * memory, whose address is an i64 and offset a u64). The memory's views
 * are refreshed first, since any grow, by either engine, detaches them.
 */
export function memoryAccess(t: Configuration, inst: ModuleInst, instr: Instr, sp: number): number {
  const mem = inst.mems[instr.c]!;
  mem.refresh();
  const i32 = t.i32;
  const op = instr.op;
  const load = op <= O.i64_load32_u;
  const j = load ? 2 * sp - 2 : 2 * (sp - 2);
  // The decoded offset, below 2^32 on an i32 memory (validation).
  const ea = addrFromWords(i32[j]!, i32[j + 1]!, is64(mem.type)) + memOffset(instr);
  if (ea + accessWidth(op) > mem.u8.length) throw new Trap(TrapMessage.outOfBoundsMemory);
  if (load) {
    loadAt(i32, t.f64, j, mem.view, mem.f64, mem.u8, op, ea);
    return sp;
  }
  storeAt(mem.view, mem.u8, op, ea, i32[j + 2]!, i32[j + 3]!);
  return sp - 2;
}
