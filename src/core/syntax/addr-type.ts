// Address types (WebAssembly 3.0, memory64 and table64): a memory or table
// is indexed by i32 or by i64. The rules that depend on it, written once
// for the decoder, the validator and both engines: the bounds of limits,
// the type of a copy's length, and reading an address out of a value.

import type { Module } from './ast.js';
import { type AddrType, I32, I64 } from './types.js';

/** The address type of a memory or table type (absent: i32, as in 2.0). */
export function addrTypeOf(t: { readonly addrType?: AddrType }): AddrType {
  return t.addrType ?? I32;
}

/** Whether a memory or table type is 64-bit. */
export function is64(t: { readonly addrType?: AddrType }): boolean {
  return t.addrType === I64;
}

/**
 * The length operand of memory.copy and table.copy between address types
 * `a` and `b` (3.0 §3.4.7): i64 only when both are, since a copy cannot be
 * longer than the smaller space.
 */
export function minAddrType(a: AddrType, b: AddrType): AddrType {
  return a === I64 && b === I64 ? I64 : I32;
}

/** The largest memory size in pages (3.0 §3.2.3: 2^16 for i32, 2^48 for i64), and the suite's message beyond it. */
export function memoryPagesBound(t: AddrType): { max: number; message: string } {
  return t === I64
    ? { max: 2 ** 48, message: 'memory size must be at most 2^48 pages (16 EiB)' }
    : { max: 65536, message: 'memory size must be at most 65536 pages (4GiB)' };
}

/** The largest table size (3.0 §3.2.4: 2^32-1 for i32, 2^64-1 for i64), and the suite's message beyond it. */
export function tableSizeBound(t: AddrType): { max: number; message: string } {
  return t === I64
    ? { max: 2 ** 64 - 1, message: 'table size must be at most 2^64-1' }
    : { max: 0xffffffff, message: 'table size must be at most 2^32-1' };
}

/** The largest memarg offset for an address type: an i32 memory's offsets stay below 2^32 ("offset out of range"). */
export function offsetBound(t: AddrType): number {
  return t === I64 ? 2 ** 64 - 1 : 0xffffffff;
}

/**
 * An address from its 32-bit words (the interpreter's value slots): the
 * low word for i32, both for i64, as a double. Above 2^53 the double rounds,
 * but stays above every memory or table a host can have, so bounds checks
 * in doubles still trap exactly when they must. Each word is made unsigned
 * as `x - (x >> 31) * 4294967296`, not `x >>> 0` (interpreter.ts's header):
 * a `>>> 0` that has only seen small words is compiled to give an int32,
 * and the first address of 2^31 or more throws that code away, where the
 * multiplication by a constant beyond the int32s is a double's from the
 * start.
 */
export function addrFromWords(lo: number, hi: number, t64: boolean): number {
  const low = lo - (lo >> 31) * 4294967296;
  return t64 ? low + (hi - (hi >> 31) * 4294967296) * 4294967296 : low;
}

/** An address from a constant expression's value (a segment offset): number for i32, bigint for i64. */
export function addrFromValue(v: unknown): number {
  return typeof v === 'bigint' ? Number(BigInt.asUintN(64, v)) : (v as number) >>> 0;
}

/** The address types of a module's memories and tables, imports first (the index spaces). */
export function addrTypes(m: Module): { mems: AddrType[]; tables: AddrType[] } {
  const mems: AddrType[] = [];
  const tables: AddrType[] = [];
  for (const im of m.imports) {
    if (im.desc.kind === 'memory') mems.push(addrTypeOf(im.desc.type));
    if (im.desc.kind === 'table') tables.push(addrTypeOf(im.desc.type));
  }
  for (const mem of m.mems) mems.push(addrTypeOf(mem.type));
  for (const t of m.tables) tables.push(addrTypeOf(t.type));
  return { mems, tables };
}
