// The store's ResourceLimiter on memories the native engine defines. V8
// grows a memory for memory.grow without calling out to JS, so the limiter
// cannot be asked at each grow as the interpreter asks it (runtime/memory.ts).
// Instead it is asked once, at instantiation, for the largest size it allows
// each memory the module defines (by bisection: a limiter is taken to allow
// every size below one it allows, as StoreLimits does); when that is below
// the memory's own maximum, the bytes V8 compiles declare it as the
// maximum, so a memory.grow beyond it fails with -1, as on the interpreter.
// cmr's view of the memory's type stays the declared one (a lower maximum
// only narrows the memory, which still matches every import it matched).

import type { Module } from '../syntax/ast.js';
import { memoryPagesBound } from '../syntax/addr-type.js';
import { I32, I64, PAGE_SIZE, type MemType } from '../syntax/types.js';
import type { ResourceLimiter } from '../runtime/limits.js';
import { ByteWriter, section, SectionId } from './encode.js';

/** The largest size in pages, from `t`'s minimum up to its maximum, that `limiter` allows; null when it allows the maximum. */
export function memoryCap(t: MemType, limiter: ResourceLimiter): number | null {
  const declared = t.limits.max;
  const top = declared ?? memoryPagesBound(t.addrType ?? I32).max;
  const allows = (pages: number) => limiter.memoryGrowing(t.limits.min * PAGE_SIZE, pages * PAGE_SIZE, declared === null ? null : declared * PAGE_SIZE);
  if (allows(top)) return null;
  // checkInstantiation has already refused a memory whose minimum the limiter refuses.
  let lo = t.limits.min;
  let hi = top; // lo is allowed, hi is not
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (allows(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

function readU32(bytes: Uint8Array, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[pos++]!;
    result += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return [result, pos];
    shift += 7;
  }
}

/** A memory type's encoding with `max` as its maximum (limits flags: bit 0 a maximum, bit 1 shared, bit 2 64-bit). */
function memTypeBytes(t: MemType, max: number | null, w: ByteWriter): void {
  w.byte((max === null ? 0 : 1) | (t.shared ? 2 : 0) | (t.addrType === I64 ? 4 : 0)).u32(t.limits.min);
  if (max !== null) w.u32(max);
}

/**
 * `bytes` (a module decoded as `m`) with the maximum of each memory it
 * defines lowered to what `limiter` allows; `bytes` itself when the
 * limiter allows every memory its own maximum.
 */
export function capMemories(bytes: Uint8Array, m: Module, limiter: ResourceLimiter): Uint8Array {
  const caps = m.mems.map((mem) => memoryCap(mem.type, limiter));
  if (caps.every((c) => c === null)) return bytes;
  const body = new ByteWriter().u32(m.mems.length);
  m.mems.forEach((mem, i) => memTypeBytes(mem.type, caps[i] ?? mem.type.limits.max, body));
  const memorySection = Uint8Array.from(section(SectionId.memory, body));
  let pos = 8;
  while (pos < bytes.length) {
    const id = bytes[pos]!;
    const [size, start] = readU32(bytes, pos + 1);
    if (id === SectionId.memory) {
      const out = new Uint8Array(bytes.length - (start + size - pos) + memorySection.length);
      out.set(bytes.subarray(0, pos), 0);
      out.set(memorySection, pos);
      out.set(bytes.subarray(start + size), pos + memorySection.length);
      return out;
    }
    pos = start + size;
  }
  return bytes; // unreachable: a module that defines memories has a memory section
}
