// Generated (scripts/gen-interp.ts: edit its table, then npm run gen): do not edit.
//
// The i32 binary operations for the interpreter's fused nodes (fuse.ts):
// the opcodes of the specialised ones, bin32 for the rest, and the
// comparisons' encoding for the fused tests.

import { O } from './ops.js';
import * as N from './numerics.js';

/** Fused nodes with one operation each (fields as their form's in node.ts's P): FORM_OP. */
export const enum B {
  bin_ll_add = 0x110,
  bin_ll_sub = 0x111,
  bin_ll_mul = 0x112,
  bin_ll_and = 0x113,
  bin_ll_or = 0x114,
  bin_ll_xor = 0x115,
  bin_ll_shl = 0x116,
  bin_ll_shr_s = 0x117,
  bin_ll_shr_u = 0x118,
  bin_lk_add = 0x119,
  bin_lk_sub = 0x11a,
  bin_lk_mul = 0x11b,
  bin_lk_and = 0x11c,
  bin_lk_or = 0x11d,
  bin_lk_xor = 0x11e,
  bin_lk_shl = 0x11f,
  bin_lk_shr_s = 0x120,
  bin_lk_shr_u = 0x121,
  bin_sk_add = 0x122,
  bin_sk_sub = 0x123,
  bin_sk_mul = 0x124,
  bin_sk_and = 0x125,
  bin_sk_or = 0x126,
  bin_sk_xor = 0x127,
  bin_sk_shl = 0x128,
  bin_sk_shr_s = 0x129,
  bin_sk_shr_u = 0x12a,
  bin_sl_add = 0x12b,
  bin_sl_sub = 0x12c,
  bin_sl_mul = 0x12d,
  bin_sl_and = 0x12e,
  bin_sl_or = 0x12f,
  bin_sl_xor = 0x130,
  bin_sl_shl = 0x131,
  bin_sl_shr_s = 0x132,
  bin_sl_shr_u = 0x133,
  bin_ll_set_add = 0x134,
  bin_ll_set_sub = 0x135,
  bin_ll_set_mul = 0x136,
  bin_ll_set_and = 0x137,
  bin_ll_set_or = 0x138,
  bin_ll_set_xor = 0x139,
  bin_ll_set_shl = 0x13a,
  bin_ll_set_shr_s = 0x13b,
  bin_ll_set_shr_u = 0x13c,
  bin_lk_set_add = 0x13d,
  bin_lk_set_sub = 0x13e,
  bin_lk_set_mul = 0x13f,
  bin_lk_set_and = 0x140,
  bin_lk_set_or = 0x141,
  bin_lk_set_xor = 0x142,
  bin_lk_set_shl = 0x143,
  bin_lk_set_shr_s = 0x144,
  bin_lk_set_shr_u = 0x145,
  bin_ss_set_add = 0x146,
  bin_ss_set_sub = 0x147,
  bin_ss_set_mul = 0x148,
  bin_ss_set_and = 0x149,
  bin_ss_set_or = 0x14a,
  bin_ss_set_xor = 0x14b,
  bin_ss_set_shl = 0x14c,
  bin_ss_set_shr_s = 0x14d,
  bin_ss_set_shr_u = 0x14e,
  step_brif_add = 0x14f,
  step_back_ll_add = 0x158,
  step_back_lk_add = 0x161,
  bin_ss_ret_add = 0x16a,
  bin_ss_ret_sub = 0x16b,
  bin_ss_ret_mul = 0x16c,
  bin_ss_ret_and = 0x16d,
  bin_ss_ret_or = 0x16e,
  bin_ss_ret_xor = 0x16f,
  bin_ss_ret_shl = 0x170,
  bin_ss_ret_shr_s = 0x171,
  bin_ss_ret_shr_u = 0x172,
  call_lk_add = 0x173,
  call_lk_sub = 0x174,
  load_l_i32_load = 0x17c,
  load_l_i64_load = 0x17d,
  load_l_f64_load = 0x17e,
  load_l_i32_load8_u = 0x17f,
  if_load_z_i32_load = 0x180,
  if_load_z_i32_load8_u = 0x183,
  store_ll_i32_store = 0x184,
  store_ll_i64_store = 0x185,
  store_ll_f64_store = 0x186,
  store_ll_i32_store8 = 0x187,
  store_lk_i32_store = 0x188,
  store_lk_i64_store = 0x189,
  store_lk_i32_store8 = 0x18b,
  store_sl_i32_store = 0x18c,
  store_sl_i64_store = 0x18d,
  load_l_set_i32_load = 0x190,
  load_l_tee_i32_load = 0x194,
  load_l_shl_i32_load = 0x198,
  store_ls_i32_store = 0x19c,
  store_ls_i64_store = 0x19d,
  load_s_set_i32_load = 0x1a0,
  load_s_set_i64_load = 0x1a1,
  load_s_tee_i32_load = 0x1a4,
  load_s_tee_i64_load = 0x1a5,
}

/** The opcode of fused form `form` (a P code) with operation `op` (its c; a step's operation is c & 0xff; a memory form's access), or `form` when it has none. */
export function specialised(form: number, op: number): number {
  switch (form) {
    case 0xdb: return 0x110 + hotIndex(op & 0xff); // P.bin_ll
    case 0xdc: return 0x119 + hotIndex(op & 0xff); // P.bin_lk
    case 0xdd: return 0x122 + hotIndex(op & 0xff); // P.bin_sk
    case 0xde: return 0x12b + hotIndex(op & 0xff); // P.bin_sl
    case 0xdf: return 0x134 + hotIndex(op & 0xff); // P.bin_ll_set
    case 0xe0: return 0x13d + hotIndex(op & 0xff); // P.bin_lk_set
    case 0xfe: return 0x146 + hotIndex(op & 0xff); // P.bin_ss_set
    case 0xfd: op &= 0xff; return op === O.i32_add ? 0x14f + hotIndex(op) : NaN; // P.step_brif: add
    case 0x108: op &= 0xff; return op === O.i32_add ? 0x158 + hotIndex(op) : NaN; // P.step_back_ll: add
    case 0x109: op &= 0xff; return op === O.i32_add ? 0x161 + hotIndex(op) : NaN; // P.step_back_lk: add
    case 0x10d: return 0x16a + hotIndex(op & 0xff); // P.bin_ss_ret
    case 0x10e: op &= 0xff; return op === O.i32_add || op === O.i32_sub ? 0x173 + hotIndex(op) : NaN; // P.call_lk: add, sub
    case 0xf1: return op === O.i32_load ? 0x17c : op === O.i64_load ? 0x17d : op === O.f64_load ? 0x17e : op === O.i32_load8_u ? 0x17f : NaN; // P.load_l
    case 0x1ed: return op === O.i32_load ? 0x180 : op === O.i32_load8_u ? 0x183 : NaN; // P.if_load_z
    case 0xf2: return op === O.i32_store ? 0x184 : op === O.i64_store ? 0x185 : op === O.f64_store ? 0x186 : op === O.i32_store8 ? 0x187 : NaN; // P.store_ll
    case 0xf3: return op === O.i32_store ? 0x188 : op === O.i64_store ? 0x189 : op === O.i32_store8 ? 0x18b : NaN; // P.store_lk
    case 0xf4: return op === O.i32_store ? 0x18c : op === O.i64_store ? 0x18d : NaN; // P.store_sl
    case 0x1f1: return op === O.i32_load ? 0x190 : NaN; // P.load_l_set
    case 0x1f2: return op === O.i32_load ? 0x194 : NaN; // P.load_l_tee
    case 0x1f3: return op === O.i32_load ? 0x198 : NaN; // P.load_l_shl
    case 0x1f4: return op === O.i32_store ? 0x19c : op === O.i64_store ? 0x19d : NaN; // P.store_ls
    case 0x1f6: return op === O.i32_load ? 0x1a0 : op === O.i64_load ? 0x1a1 : NaN; // P.load_s_set
    case 0x1f9: return op === O.i32_load ? 0x1a4 : op === O.i64_load ? 0x1a5 : NaN; // P.load_s_tee
    default: return form;
  }
}

function hotIndex(op: number): number {
  switch (op) {
    case O.i32_add: return 0;
    case O.i32_sub: return 1;
    case O.i32_mul: return 2;
    case O.i32_and: return 3;
    case O.i32_or: return 4;
    case O.i32_xor: return 5;
    case O.i32_shl: return 6;
    case O.i32_shr_s: return 7;
    case O.i32_shr_u: return 8;
    default: return NaN;
  }
}

/** An i32 binary operation that cannot trap (`op`: its wasm opcode), for the fused nodes without an opcode of their own. */
export function bin32(op: number, x: number, y: number): number {
  switch (op) {
    case O.i32_eq: return x === y ? 1 : 0;
    case O.i32_ne: return x !== y ? 1 : 0;
    case O.i32_lt_s: return x < y ? 1 : 0;
    case O.i32_lt_u: return (x >>> 0) < (y >>> 0) ? 1 : 0;
    case O.i32_gt_s: return x > y ? 1 : 0;
    case O.i32_gt_u: return (x >>> 0) > (y >>> 0) ? 1 : 0;
    case O.i32_le_s: return x <= y ? 1 : 0;
    case O.i32_le_u: return (x >>> 0) <= (y >>> 0) ? 1 : 0;
    case O.i32_ge_s: return x >= y ? 1 : 0;
    case O.i32_ge_u: return (x >>> 0) >= (y >>> 0) ? 1 : 0;
    case O.i32_add: return (x + y) | 0;
    case O.i32_sub: return (x - y) | 0;
    case O.i32_mul: return Math.imul(x, y);
    case O.i32_and: return x & y;
    case O.i32_or: return x | y;
    case O.i32_xor: return x ^ y;
    case O.i32_shl: return x << y;
    case O.i32_shr_s: return x >> y;
    case O.i32_shr_u: return (x >>> y) | 0;
    case O.i32_rotl: return N.rotl32(x, y);
    case O.i32_rotr: return N.rotr32(x, y);
    default: throw new Error(`bin32: not a fusible i32 operation: 0x${op.toString(16)}`);
  }
}

/** Whether i32 operation `op` gives the same result with its operands swapped. */
export function commutes(op: number): boolean {
  switch (op) {
    case O.i32_eq: case O.i32_ne: case O.i32_add: case O.i32_mul: case O.i32_and: case O.i32_or: case O.i32_xor:
      return true;
    default:
      return false;
  }
}

/** Whether `op` is an i32 binary operation that cannot trap, which a fused node may carry. */
export function fusibleBinary(op: number): boolean {
  switch (op) {
    case O.i32_eq: case O.i32_ne: case O.i32_lt_s: case O.i32_lt_u: case O.i32_gt_s: case O.i32_gt_u: case O.i32_le_s: case O.i32_le_u: case O.i32_ge_s: case O.i32_ge_u: case O.i32_add: case O.i32_sub: case O.i32_mul: case O.i32_and: case O.i32_or: case O.i32_xor: case O.i32_shl: case O.i32_shr_s: case O.i32_shr_u: case O.i32_rotl: case O.i32_rotr:
      return true;
    default:
      return false;
  }
}

/**
 * Per i32 comparison, from i32.eq (op - O.i32_eq): which outcomes make it
 * hold (bit 0: x < y, bit 1: x = y, bit 2: x > y), and whether it orders
 * unsigned (fuse.ts's testOf biases the operands then).
 */
export const COMPARE_OUTCOMES: readonly number[] = [0b010, 0b101, 0b001, 0b001, 0b100, 0b100, 0b011, 0b011, 0b110, 0b110];
export const COMPARE_UNSIGNED: readonly boolean[] = [false, false, false, true, false, true, false, true, false, true];
