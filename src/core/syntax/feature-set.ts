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
   * memory64 and table64, with 3.0's binary format for limits (a flags
   * byte, u64 bounds) and memarg offsets (u64): i64 addresses for memories
   * and tables whose type says so.
   */
  readonly memory64: boolean;
}

/** WebAssembly 2.0 exactly: every post-2.0 feature off. */
export const WASM_2_0: CoreFeatures = Object.freeze({ multiMemory: false, exceptions: false, threads: false, memory64: false });

/** What cmr implements of WebAssembly 3.0. */
export const WASM_3_0_SUPPORTED: CoreFeatures = Object.freeze({ multiMemory: true, exceptions: true, threads: true, memory64: true });
