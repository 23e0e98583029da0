// Vector loads and stores (spec §4.4.7: v128.load, the extending and
// splatting loads, load_zero, load_lane, v128.store, store_lane). Each
// checks bounds on the whole access before it reads or writes anything, in
// doubles (u32 base + u32 offset does not wrap; on a 64-bit memory, u64
// base + u64 offset rounds above 2^53 but stays out of bounds), as the
// scalar ones do.

import type { MemoryInst } from '../../runtime/memory.js';
import type { PNode } from '../node.js';
import { Trap, TrapMessage } from '../../errors.js';
import type { VecStack } from './lanes.js';
import { addrFromWords } from '../../syntax/addr-type.js';
import { memOffset } from '../../syntax/ast.js';

/**
 * The effective address of a node's access with `width` bytes, base
 * address from i32 slot `s`, checked. Memory 0's views are fresh: the loop
 * refreshes them after everything that may grow a memory (memory.grow, host
 * calls, calls into another instance), as it does for its own cached views;
 * reading `WebAssembly.Memory.buffer` per access would cost more than the
 * access. Other memories are refreshed here, as memory-ops.ts does.
 */
function address(mem: MemoryInst, i32: Int32Array, s: number, node: PNode, width: number): number {
  if (node.c !== 0) mem.refresh();
  // A 64-bit memory (memory64, node.e = 1, simd/prepare.ts): both words of
  // the address, and the memarg's offset as decoded (a u64, which node.a's
  // 32 bits cannot hold).
  const ea = node.e !== 0
    ? addrFromWords(i32[2 * s]!, i32[2 * s + 1]!, true) + memOffset(node.src)
    : (i32[2 * s]! >>> 0) + (node.a >>> 0);
  if (ea + width > mem.u8.length) throw new Trap(TrapMessage.outOfBoundsMemory);
  return ea;
}

/** v128.load, load8x8…32x2 (n = the FD number 0..6), splats (7..10), load32/64_zero: address slot s, the vector into slot s. */
export function load(v: VecStack, i32: Int32Array, mem: MemoryInst, node: PNode, s: number, n: number): void {
  const w = v.i32, x = 4 * s;
  switch (n) {
    case 0x00: loadV128(v, s, mem, i32, node); return;
    case 0x01: case 0x02: { // 8x8 _s/_u
      const ea = address(mem, i32, s, node, 8), u8 = mem.u8;
      for (let k = 0; k < 8; k++) { const b = u8[ea + k]!; v.i16[8 * s + k] = n === 0x01 ? (b << 24) >> 24 : b; }
      return;
    }
    case 0x03: case 0x04: { // 16x4
      const ea = address(mem, i32, s, node, 8), dv = mem.view;
      for (let k = 0; k < 4; k++) w[x + k] = n === 0x03 ? dv.getInt16(ea + 2 * k, true) : dv.getUint16(ea + 2 * k, true);
      return;
    }
    case 0x05: case 0x06: { // 32x2
      const ea = address(mem, i32, s, node, 8), dv = mem.view;
      for (let k = 0; k < 2; k++) {
        const l = dv.getInt32(ea + 4 * k, true);
        w[x + 2 * k] = l; w[x + 2 * k + 1] = n === 0x05 ? l >> 31 : 0;
      }
      return;
    }
    case 0x07: { const b = mem.u8[address(mem, i32, s, node, 1)]!; v.u8.fill(b, 16 * s, 16 * s + 16); return; }
    case 0x08: { const h = mem.view.getInt16(address(mem, i32, s, node, 2), true); v.i16.fill(h, 8 * s, 8 * s + 8); return; }
    case 0x09: { const l = mem.view.getInt32(address(mem, i32, s, node, 4), true); w[x] = w[x + 1] = w[x + 2] = w[x + 3] = l; return; }
    case 0x0a: {
      const ea = address(mem, i32, s, node, 8), lo = mem.view.getInt32(ea, true), hi = mem.view.getInt32(ea + 4, true);
      w[x] = w[x + 2] = lo; w[x + 1] = w[x + 3] = hi;
      return;
    }
    case 0x5c: { const l = mem.view.getInt32(address(mem, i32, s, node, 4), true); w[x] = l; w[x + 1] = w[x + 2] = w[x + 3] = 0; return; }
    default: { // 0x5d load64_zero
      const ea = address(mem, i32, s, node, 8);
      w[x] = mem.view.getInt32(ea, true); w[x + 1] = mem.view.getInt32(ea + 4, true); w[x + 2] = w[x + 3] = 0;
    }
  }
}

/** v128.load: the address in i32 slot s, the vector into slot s of the VecStack `v`. */
export function loadV128(v: VecStack, s: number, mem: MemoryInst, i32: Int32Array, node: PNode): void {
  const ea = address(mem, i32, s, node, 16); // first: it may refresh mem's views
  loadV128At(v.i32, v.f64, s, mem.f64, mem.view, ea);
}

/**
 * The 16 bytes at `ea` (bounds checked by the caller) into slot s of a
 * VecStack (its words `w`, its doubles `d`); also the loop's load cases.
 * 8-byte aligned (what compilers emit for vector data): two doubles of the
 * memory's Float64Array, moved and never computed with, so that every bit
 * pattern (NaN payloads, signalling NaNs) survives, as f64.load's; else four words.
 */
export function loadV128At(w: Int32Array, d: Float64Array, s: number, m64: Float64Array, dv: DataView, ea: number): void {
  if ((ea & 7) === 0) {
    const j = ea >>> 3, x = s << 1;
    d[x] = m64[j]!; d[x + 1] = m64[j + 1]!;
  } else {
    const x = s << 2;
    w[x] = dv.getInt32(ea, true); w[x + 1] = dv.getInt32(ea + 4, true);
    w[x + 2] = dv.getInt32(ea + 8, true); w[x + 3] = dv.getInt32(ea + 12, true);
  }
}

/** v128.store: the address in i32 slot s - 1, the vector in slot s. */
export function storeV128(v: VecStack, s: number, mem: MemoryInst, i32: Int32Array, node: PNode): void {
  const ea = address(mem, i32, s - 1, node, 16); // first: it may refresh mem's views
  storeV128At(mem.f64, mem.view, ea, v.i32, v.f64, s);
}

/** Slot s of a VecStack (words `w`, doubles `d`) to the 16 bytes at `ea` (bounds checked by the caller), as loadV128At moves them; also the loop's store cases. */
export function storeV128At(m64: Float64Array, dv: DataView, ea: number, w: Int32Array, d: Float64Array, s: number): void {
  if ((ea & 7) === 0) {
    const j = ea >>> 3, x = s << 1;
    m64[j] = d[x]!; m64[j + 1] = d[x + 1]!;
  } else {
    const x = s << 2;
    dv.setInt32(ea, w[x]!, true); dv.setInt32(ea + 4, w[x + 1]!, true);
    dv.setInt32(ea + 8, w[x + 2]!, true); dv.setInt32(ea + 12, w[x + 3]!, true);
  }
}

/** load8/16/32/64_lane (width bytes): address slot s, vector slot s+1; lane node.b replaced, the vector moves to slot s. */
export function loadLane(v: VecStack, i32: Int32Array, mem: MemoryInst, node: PNode, s: number, width: number): void {
  const ea = address(mem, i32, s, node, width);
  const d = 16 * (s + 1) + width * node.b, u8 = v.u8, src = mem.u8;
  for (let k = 0; k < width; k++) u8[d + k] = src[ea + k]!;
  const w = v.i32;
  for (let k = 0; k < 4; k++) w[4 * s + k] = w[4 * s + 4 + k]!;
}

/** store8/16/32/64_lane: lane node.b of the vector in slot s+1 to the address in slot s. */
export function storeLane(v: VecStack, i32: Int32Array, mem: MemoryInst, node: PNode, s: number, width: number): void {
  const ea = address(mem, i32, s, node, width);
  const from = 16 * (s + 1) + width * node.b, u8 = v.u8, dst = mem.u8;
  for (let k = 0; k < width; k++) dst[ea + k] = u8[from + k]!;
}
