// Opcodes of WebAssembly 3.0's garbage collection (spec §5.4.7 "Reference
// instructions"): the 0xFB-prefixed struct, array, cast, i31 and extern
// conversion instructions, numbered FB | n as opcodes.ts numbers the other
// prefixes, and ref.eq (one byte, 0xD3).

export const FB = 0xfb000;

export const GcOp = {
  struct_new: FB | 0,
  struct_new_default: FB | 1,
  struct_get: FB | 2,
  struct_get_s: FB | 3,
  struct_get_u: FB | 4,
  struct_set: FB | 5,
  array_new: FB | 6,
  array_new_default: FB | 7,
  array_new_fixed: FB | 8,
  array_new_data: FB | 9,
  array_new_elem: FB | 10,
  array_get: FB | 11,
  array_get_s: FB | 12,
  array_get_u: FB | 13,
  array_set: FB | 14,
  array_len: FB | 15,
  array_fill: FB | 16,
  array_copy: FB | 17,
  array_init_data: FB | 18,
  array_init_elem: FB | 19,
  ref_test: FB | 20,
  ref_test_null: FB | 21,
  ref_cast: FB | 22,
  ref_cast_null: FB | 23,
  br_on_cast: FB | 24,
  br_on_cast_fail: FB | 25,
  any_convert_extern: FB | 26,
  extern_convert_any: FB | 27,
  ref_i31: FB | 28,
  i31_get_s: FB | 29,
  i31_get_u: FB | 30,
  ref_eq: 0xd3,
} as const;

/** Whether an opcode is one of GC's (what the interpreter prepares as a P.gc node). */
export function isGcOp(op: number): boolean {
  return (op >= FB && op <= GcOp.i31_get_u) || op === GcOp.ref_eq;
}
