// Which WebAssembly features the decoder and validator accept. Core 2.0 is
// the baseline; each WebAssembly 3.0 feature cmr implements is one field,
// off in WASM_2_0 so that the 2.0 suite's rejections stay exact, and on in
// WASM_3_0_SUPPORTED. Add later 3.0 features as further fields of
// CoreFeatures and switch them on in WASM_3_0_SUPPORTED once implemented.

export interface CoreFeatures {
  /**
   * Multiple memories (WebAssembly 3.0): more than one memory per module,
   * memory indices in memargs (bit 6 of the alignment field) and in
   * memory.size/grow/fill/copy/init.
   */
  readonly multiMemory: boolean;
  /**
   * Exception handling (WebAssembly 3.0, the exnref version): the tag
   * section, tag imports and exports, throw, throw_ref, try_table and the
   * exnref value type.
   */
  readonly exceptions: boolean;
  /**
   * Shared memories (threads proposal), only as far as validation and
   * linking need them: limits flags 2 and 3, "shared memory must have
   * maximum", and the shared flag in memory type matching.
   */
  readonly threads: boolean;
  /**
   * Typed function references (WebAssembly 3.0): (ref null? ht) value types
   * (0x63, 0x64 and heap types; the abstract heap types of GC's hierarchies
   * too, whose only values without GC are null), call_ref, br_on_null,
   * br_on_non_null, ref.as_non_null, non-nullable locals, tables with an
   * initialiser expression, typed select over references, subtyping.
   */
  readonly functionReferences: boolean;
  /** Tail calls (WebAssembly 3.0): return_call, return_call_indirect (and return_call_ref with functionReferences). */
  readonly tailCalls: boolean;
  /**
   * Extended constant expressions (WebAssembly 3.0): i32/i64 add, sub and mul
   * in constant expressions, and global.get of any immutable global defined
   * before (not only imported ones).
   */
  readonly extendedConst: boolean;
  /** Relaxed SIMD (WebAssembly 3.0): the opcodes 0xFD 0x100 … 0x113. */
  readonly relaxedSimd: boolean;
  /**
   * memory64 and table64, with 3.0's binary format for limits (a flags
   * byte, u64 bounds) and memarg offsets (u64): i64 addresses for memories
   * and tables whose type says so.
   */
  readonly memory64: boolean;
  /**
   * Garbage collection (WebAssembly 3.0): rec groups, sub/final, struct and
   * array types with packed fields, the struct.*, array.*, i31, cast and
   * extern-conversion instructions (0xFB), and declared subtyping.
   */
  readonly gc: boolean;
}

/** WebAssembly 2.0 exactly: every post-2.0 feature off. */
export const WASM_2_0: CoreFeatures = Object.freeze({
  multiMemory: false, exceptions: false, threads: false, functionReferences: false, tailCalls: false, extendedConst: false, relaxedSimd: false, memory64: false, gc: false,
});

/** What cmr implements of WebAssembly 3.0. */
export const WASM_3_0_SUPPORTED: CoreFeatures = Object.freeze({
  multiMemory: true, exceptions: true, threads: true, functionReferences: true, tailCalls: true, extendedConst: true, relaxedSimd: true, memory64: true, gc: true,
});

/**
 * Whether errors are worded as WebAssembly 3.0's reference interpreter
 * words them: under a feature set with any post-2.0 feature on. The 2.0 and
 * 3.0 interpreters word a few errors differently ("global is immutable",
 * "immutable global"), each suite expects its own, and no one message is a
 * prefix of both.
 */
export function words3_0(f: CoreFeatures): boolean {
  return Object.values(f).some((on) => on === true);
}
