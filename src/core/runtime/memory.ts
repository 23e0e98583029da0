// Memory instances (spec §4.2.8). Both engines use a WebAssembly.Memory as
// the store of bytes, so a memory can be shared between an interpreted and a
// native instance without copying. Views are refreshed when the buffer
// changes: any grow, by either engine, detaches the old ArrayBuffer.

import type { MemType } from '../syntax/types.js';
import { PAGE_SIZE } from '../syntax/types.js';
import { addrTypeOf, memoryPagesBound } from '../syntax/addr-type.js';
import { activeLimiter } from './limits.js';
import { Trap } from '../errors.js';

/** The most pages the JS API lets a WebAssembly.Memory declare as its maximum. */
const HOST_MAX_PAGES = 65536;

/**
 * Bytes that make a string of a range of them, one character per byte:
 * Node's Buffer, whose documented toString('latin1', start, end) is
 * ISO-8859-1 (each byte the code unit of its value, 0x80-0x9f included;
 * a TextDecoder's 'latin1' label is windows-1252, which is not).
 */
export type Latin1Source = Uint8Array & { toString(encoding: 'latin1', start: number, end: number): string };

export class MemoryInst {
  /** Byte view of the current buffer. */
  u8: Uint8Array;
  /** DataView of the current buffer (little-endian accessors). */
  view: DataView;
  /** The current buffer as doubles: the interpreter's 8-byte-aligned f64 loads (memory sizes are whole pages, so it spans every byte). */
  f64: Float64Array;
  /** The current buffer as f32 and i32 words: the interpreter's 4-byte-aligned vector lanes (simd, interpreter.ts's lane-wise case). */
  f32: Float32Array;
  i32: Int32Array;
  /**
   * Node's Buffer over the current buffer, where the host has Buffer: made
   * when the canonical ABI first decodes a Latin-1 string out of this
   * memory (strings.ts: its toString('latin1', start, end) needs no view
   * object per string), dropped with the views when the buffer changes.
   */
  latin1: Latin1Source | null = null;

  constructor(readonly type: MemType, readonly memory: WebAssembly.Memory) {
    this.u8 = new Uint8Array(memory.buffer);
    this.view = new DataView(memory.buffer);
    this.f64 = new Float64Array(memory.buffer);
    this.f32 = new Float32Array(memory.buffer);
    this.i32 = new Int32Array(memory.buffer);
  }

  static create(type: MemType): MemoryInst {
    const desc: WebAssembly.MemoryDescriptor = { initial: type.limits.min };
    // The bytes of a 64-bit memory live in an ordinary (32-bit) host memory:
    // the interpreter checks bounds itself, and no host here allocates more
    // than 65536 pages, the JS API's bound on a maximum. Its declared
    // maximum stays in `type`, which grow() checks first.
    if (type.limits.max !== null) desc.maximum = Math.min(type.limits.max, HOST_MAX_PAGES);
    if (type.shared) desc.shared = true; // validation ensures a maximum
    try {
      return new MemoryInst(type, new WebAssembly.Memory(desc));
    } catch (e) {
      // The host could not allocate it: an instantiation failure, not a crash.
      if (e instanceof RangeError) throw new Trap(`resource limit exceeded: memory minimum size of ${type.limits.min} pages cannot be allocated (${e.message})`);
      throw e;
    }
  }

  /**
   * Re-reads the buffer after a grow elsewhere; cheap when nothing changed:
   * growing an unshared memory detaches its old buffer, so a view that
   * still has bytes is current without asking the memory for its buffer
   * (a getter into the engine, which the canonical ABI would pay per value).
   */
  refresh(): void {
    if (this.u8.length !== 0 && !this.type.shared) return;
    if (this.u8.buffer !== this.memory.buffer) {
      this.u8 = new Uint8Array(this.memory.buffer);
      this.view = new DataView(this.memory.buffer);
      this.f64 = new Float64Array(this.memory.buffer);
      this.f32 = new Float32Array(this.memory.buffer);
      this.i32 = new Int32Array(this.memory.buffer);
      this.latin1 = null;
    }
  }

  get byteLength(): number {
    this.refresh();
    return this.u8.length;
  }

  /** Size in pages. */
  size(): number {
    return this.byteLength / PAGE_SIZE;
  }

  /**
   * memory.grow: the old size in pages, or -1 when the memory cannot grow by
   * `delta` pages, within its type or within what the host can allocate
   * (the spec lets grow fail for any reason).
   */
  grow(delta: number): number {
    const old = this.size();
    const max = this.type.limits.max ?? memoryPagesBound(addrTypeOf(this.type)).max;
    if (old + delta > max) return -1;
    if (!activeLimiter().memoryGrowing(old * PAGE_SIZE, (old + delta) * PAGE_SIZE, this.type.limits.max === null ? null : this.type.limits.max * PAGE_SIZE)) return -1;
    try {
      this.memory.grow(delta);
    } catch {
      return -1;
    }
    this.refresh();
    return old;
  }
}
