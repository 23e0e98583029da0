// Generated (scripts/gen-interp.ts: edit its table, then npm run gen): do not edit.
//
// Every load and store of scripts/gen-interp.ts's table, by opcode: for the
// loads and stores without a case of their own in the interpreter's loop
// (the fused full-width loads, the rarer accesses) and memory-ops.ts's
// accesses of other memories.

import { O } from './ops.js';

/**
 * What load `op` reads at `ea` (bounds already checked), into the value
 * slot whose low word is i32[j] (f64: the same stack as doubles; m64, the
 * memory as doubles). Full-width loads here, the narrow ones in a second
 * function: small enough for V8 to inline loadAt where the loop calls it.
 */
export function loadAt(i32: Int32Array, f64: Float64Array, j: number, dv: DataView, m64: Float64Array, u8: Uint8Array, op: number, ea: number): void {
  switch (op) {
    case O.i32_load: i32[j] = dv.getInt32(ea, true); return;
    case O.i64_load: i32[j] = dv.getInt32(ea, true); i32[j + 1] = dv.getInt32(ea + 4, true); return;
    case O.f32_load: i32[j] = dv.getInt32(ea, true); return;
    case O.f64_load: if ((ea & 7) === 0) f64[j >> 1] = m64[ea >>> 3]!; else { i32[j] = dv.getInt32(ea, true); i32[j + 1] = dv.getInt32(ea + 4, true); } return;
    default: loadNarrow(i32, j, dv, u8, op, ea);
  }
}

/** The rest of loadAt: loads of 8, 16 or 32 bits, extended. */
function loadNarrow(i32: Int32Array, j: number, dv: DataView, u8: Uint8Array, op: number, ea: number): void {
  switch (op) {
    case O.i32_load8_s: { i32[j] = (u8[ea]! << 24) >> 24; return; }
    case O.i32_load8_u: { i32[j] = u8[ea]!; return; }
    case O.i32_load16_s: { i32[j] = dv.getInt16(ea, true); return; }
    case O.i32_load16_u: { i32[j] = dv.getUint16(ea, true); return; }
    case O.i64_load8_s: { var v = (u8[ea]! << 24) >> 24; i32[j] = v; i32[j + 1] = v >> 31; return; }
    case O.i64_load8_u: { i32[j] = u8[ea]!; i32[j + 1] = 0; return; }
    case O.i64_load16_s: { var v = dv.getInt16(ea, true); i32[j] = v; i32[j + 1] = v >> 31; return; }
    case O.i64_load16_u: { i32[j] = dv.getUint16(ea, true); i32[j + 1] = 0; return; }
    case O.i64_load32_s: { var v = dv.getInt32(ea, true); i32[j] = v; i32[j + 1] = v >> 31; return; }
    default: { i32[j] = dv.getInt32(ea, true); i32[j + 1] = 0; return; } // O.i64_load32_u
  }
}

/** What store `op` writes at `ea` (bounds already checked): the value with words lo, hi. */
export function storeAt(dv: DataView, u8: Uint8Array, op: number, ea: number, lo: number, hi: number): void {
  switch (op) {
    case O.i32_store: dv.setInt32(ea, lo, true); return;
    case O.i64_store: dv.setInt32(ea, lo, true); dv.setInt32(ea + 4, hi, true); return;
    case O.f32_store: dv.setInt32(ea, lo, true); return;
    case O.f64_store: dv.setInt32(ea, lo, true); dv.setInt32(ea + 4, hi, true); return;
    case O.i32_store8: u8[ea] = lo; return;
    case O.i32_store16: dv.setInt16(ea, lo, true); return;
    case O.i64_store8: u8[ea] = lo; return;
    case O.i64_store16: dv.setInt16(ea, lo, true); return;
    default: dv.setInt32(ea, lo, true); return; // O.i64_store32
  }
}
