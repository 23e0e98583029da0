// The store's ResourceLimiter on memories and tables the native engine
// defines. V8 runs memory.grow and table.grow without calling out to JS, so
// the limiter cannot be asked at each grow as the interpreter asks it
// (runtime/memory.ts, runtime/table.ts). Instead it is asked once, at
// instantiation, for the largest size it allows each memory and table the
// module defines (by bisection: a limiter is taken to allow every size
// below one it allows, as StoreLimits does); where that is below the item's
// own maximum, the bytes V8 compiles declare it as the maximum, so a grow
// beyond it fails with -1, as on the interpreter. cmr's view of the types
// stays the declared one (a lower maximum only narrows the item, which
// still matches every import it matched). A table with an initialiser
// expression (3.0's `0x40 0x00` form) is capped too: its expression is
// read again only to find where it ends, and copied as it is.

import type { Module } from '../syntax/ast.js';
import { memoryPagesBound, tableSizeBound } from '../syntax/addr-type.js';
import { I32, I64, PAGE_SIZE, type Limits } from '../syntax/types.js';
import type { ResourceLimiter } from '../runtime/limits.js';
import { ByteWriter, section, SectionId } from './encode.js';
import { readU32 } from './read-u32.js';
import { Reader } from '../binary/reader.js';
import { readExpr } from '../binary/code.js';
import { WASM_3_0_SUPPORTED } from '../syntax/feature-set.js';

/**
 * V8 grows no table beyond this many elements (its wasm_max_table_size),
 * whatever its type says: a limiter that allows as many needs no cap (the
 * default one, StoreLimits' 10 000 000, among them), and the module's bytes
 * are compiled as they are.
 */
const V8_TABLE_ELEMENTS = 10_000_000;

/**
 * The largest size, from `limits.min` up to its maximum (at most `bound`),
 * that `allows` accepts; null when it accepts that maximum itself.
 */
function largestAllowed(limits: Limits, bound: number, allows: (size: number) => boolean): number | null {
  const top = Math.min(limits.max ?? bound, bound);
  if (allows(top)) return null;
  // checkInstantiation has already refused an item whose minimum the limiter refuses.
  let lo = limits.min;
  let hi = top; // lo is allowed, hi is not
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (allows(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}


/** Limits flags (3.0): bit 0, a maximum follows; bit 1, shared; bit 2, 64-bit addresses. */
function limitsBytes(w: ByteWriter, flags: number, min: number, max: number | null): void {
  w.byte((flags & ~1) | (max === null ? 0 : 1)).u32(min);
  if (max !== null) w.u32(max);
}

/** Where section `id` is in a module's bytes: [start of the section, start of its contents, end], or null. */
function findSection(bytes: Uint8Array, id: number): [number, number, number] | null {
  let pos = 8;
  while (pos < bytes.length) {
    const [size, start] = readU32(bytes, pos + 1);
    if (bytes[pos] === id) return [pos, start, start + size];
    pos = start + size;
  }
  return null;
}

function replaceSection(bytes: Uint8Array, at: [number, number, number], contents: ByteWriter): Uint8Array {
  const s = Uint8Array.from(section(bytes[at[0]]!, contents));
  const out = new Uint8Array(bytes.length - (at[2] - at[0]) + s.length);
  out.set(bytes.subarray(0, at[0]), 0);
  out.set(s, at[0]);
  out.set(bytes.subarray(at[2]), at[0] + s.length);
  return out;
}

/** The memory section with each memory's maximum lowered to what `limiter` allows, or null when none is lowered. */
function cappedMemories(m: Module, limiter: ResourceLimiter): ByteWriter | null {
  const caps = m.mems.map(({ type: t }) => largestAllowed(t.limits, memoryPagesBound(t.addrType ?? I32).max, (pages) =>
    limiter.memoryGrowing(t.limits.min * PAGE_SIZE, pages * PAGE_SIZE, t.limits.max === null ? null : t.limits.max * PAGE_SIZE)));
  if (caps.every((c) => c === null)) return null;
  const w = new ByteWriter().u32(m.mems.length);
  m.mems.forEach(({ type: t }, i) => limitsBytes(w, (t.shared ? 2 : 0) | (t.addrType === I64 ? 4 : 0), t.limits.min, caps[i] ?? t.limits.max));
  return w;
}

/** The table section (`contents`: its bytes) with each table's maximum lowered to what `limiter` allows, or null when none is lowered. */
function cappedTables(m: Module, limiter: ResourceLimiter, contents: Uint8Array): ByteWriter | null {
  const caps = m.tables.map(({ type: t }) => largestAllowed(t.limits, Math.min(tableSizeBound(t.addrType ?? I32).max, V8_TABLE_ELEMENTS), (n) =>
    limiter.tableGrowing(t.limits.min, n, t.limits.max)));
  if (caps.every((c) => c === null)) return null;
  const w = new ByteWriter().u32(m.tables.length);
  let [, pos] = readU32(contents, 0);
  m.tables.forEach(({ type: t }, i) => {
    // A table with an initialiser: 0x40 0x00, the table type, the expression.
    const init = contents[pos] === 0x40;
    if (init) w.raw(contents.subarray(pos, pos += 2));
    // The reference type as written: one byte, or 0x63/0x64 and a heap type (an s33 LEB128).
    const start = pos;
    const first = contents[pos++]!;
    if (first === 0x63 || first === 0x64) while ((contents[pos++]! & 0x80) !== 0);
    w.raw(contents.subarray(start, pos));
    const flags = contents[pos++]!;
    [, pos] = readU32(contents, pos);
    if (flags & 1) [, pos] = readU32(contents, pos);
    limitsBytes(w, flags, t.limits.min, caps[i] ?? t.limits.max);
    if (init) {
      const r = new Reader(contents, pos);
      r.features = WASM_3_0_SUPPORTED;
      readExpr(r, { usesDataIndex: false, features: WASM_3_0_SUPPORTED });
      w.raw(contents.subarray(pos, pos = r.pos));
    }
  });
  return w;
}

/**
 * `bytes` (a module decoded as `m`) with the maximum of each memory and
 * table it defines lowered to what `limiter` allows; `bytes` itself when
 * the limiter allows every one its own maximum.
 */
export function capGrowth(bytes: Uint8Array, m: Module, limiter: ResourceLimiter): Uint8Array {
  let out = bytes;
  const tableAt = m.tables.length > 0 ? findSection(out, SectionId.table) : null;
  const tables = tableAt === null ? null : cappedTables(m, limiter, out.subarray(tableAt[1], tableAt[2]));
  if (tables !== null) out = replaceSection(out, tableAt!, tables);
  const mems = m.mems.length > 0 ? cappedMemories(m, limiter) : null;
  if (mems !== null) out = replaceSection(out, findSection(out, SectionId.memory)!, mems);
  return out;
}
