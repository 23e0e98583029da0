// The interpreter's i32 binary operations, each written once: the table
// below holds the meaning of every i32 binary instruction as a JS
// expression over its operands x and y, and this script writes every place
// the interpreter runs one from it, so V8 sees each as inline code (a call
// through a shared function stops V8 inlining into the loop's `execute`,
// which cost 7-52% when tried):
//
// - the loop's plain cases (operands on the stack), in interpreter.ts
//   between the `generated: i32-binary` markers, and those of the rare
//   operations (the rotations) in rare-instructions.ts between the
//   `generated: i32-binary-rare` markers, out of the loop;
// - the fused nodes' cases for the common operations, one opcode per
//   operation and operand form (P.bin_ll, …: fuse.ts), between the
//   `generated: i32-fused` markers;
// - src/core/exec/i32-binary.ts, whole: those opcodes (`B`), the map from
//   a fused form and operation to its opcode, `bin32` (the fused nodes of
//   the other operations), and each comparison's encoding for the fused
//   tests (outcome bits and order), computed here by evaluating its
//   expression.
//
//   npm run gen                  (rewrites the files)
//   node dist/scripts/gen-interp.js --check   (exit status 1 when they differ)
//
// test/interp-generated.test.ts holds the checked-in files to this script.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../src/wast/suites.js';
import { accessWidth, Op } from '../src/core/syntax/opcodes.js';

interface Binary {
  /** The member of ops.ts's `O`. */
  name: string;
  /** The result as a JS expression over x and y (int32 operands; an int32 result, or 0/1). N: numerics.ts. */
  expr: string;
  /** It may trap (division, remainder): never fused with its operands. */
  traps?: boolean;
  /** Common enough to get its own opcode in each fused form (fewer dispatches than bin32's switch). */
  hot?: boolean;
  /** x OP y = y OP x: fusion may read its operands in either order. */
  commutes?: boolean;
  /**
   * Seldom run by real programs (as rare-instructions.ts's header counts
   * them, over the bench's kernels, the componentize-js hello and
   * wasmtime's WASI programs): its
   * plain case is rare-instructions.ts's, out of the loop.
   */
  rare?: boolean;
}

/** Every i32 binary instruction, in opcode order (spec §4.3.2). */
export const I32_BINARY: readonly Binary[] = [
  { name: 'i32_eq', expr: 'x === y ? 1 : 0', commutes: true },
  { name: 'i32_ne', expr: 'x !== y ? 1 : 0', commutes: true },
  { name: 'i32_lt_s', expr: 'x < y ? 1 : 0' },
  { name: 'i32_lt_u', expr: '(x >>> 0) < (y >>> 0) ? 1 : 0' },
  { name: 'i32_gt_s', expr: 'x > y ? 1 : 0' },
  { name: 'i32_gt_u', expr: '(x >>> 0) > (y >>> 0) ? 1 : 0' },
  { name: 'i32_le_s', expr: 'x <= y ? 1 : 0' },
  { name: 'i32_le_u', expr: '(x >>> 0) <= (y >>> 0) ? 1 : 0' },
  { name: 'i32_ge_s', expr: 'x >= y ? 1 : 0' },
  { name: 'i32_ge_u', expr: '(x >>> 0) >= (y >>> 0) ? 1 : 0' },
  { name: 'i32_add', expr: '(x + y) | 0', hot: true, commutes: true },
  { name: 'i32_sub', expr: '(x - y) | 0', hot: true },
  { name: 'i32_mul', expr: 'Math.imul(x, y)', hot: true, commutes: true },
  { name: 'i32_div_s', expr: 'N.divS32(x, y)', traps: true },
  { name: 'i32_div_u', expr: 'N.divU32(x, y)', traps: true },
  { name: 'i32_rem_s', expr: 'N.remS32(x, y)', traps: true },
  { name: 'i32_rem_u', expr: 'N.remU32(x, y)', traps: true },
  { name: 'i32_and', expr: 'x & y', hot: true, commutes: true },
  { name: 'i32_or', expr: 'x | y', hot: true, commutes: true },
  { name: 'i32_xor', expr: 'x ^ y', hot: true, commutes: true },
  { name: 'i32_shl', expr: 'x << y', hot: true },
  { name: 'i32_shr_s', expr: 'x >> y', hot: true },
  { name: 'i32_shr_u', expr: '(x >>> y) | 0', hot: true },
  { name: 'i32_rotl', expr: 'N.rotl32(x, y)', rare: true },
  { name: 'i32_rotr', expr: 'N.rotr32(x, y)', rare: true },
];

/**
 * The fused forms that get an opcode per hot operation: where x and y come
 * from (a local: fp + field, the stack, or the constant in b) and where the
 * result goes. Each is a statement template: X and Y stand for the
 * operands, R for the expression over them. `ops`: the hot operations that
 * get an opcode in this form, when not all of them: a loop's step is an
 * add in every program counted for `rare` (a count down adds -1); a step
 * by another operation runs through the form's P node and bin32, which
 * keeps the loop smaller.
 */
const FORMS: readonly { name: string; what: string; code: string; ops?: readonly string[] }[] = [
  { name: 'bin_ll', what: 'local a OP local b, pushed', code: 'var x = i32[(fp + instr.a) << 1]!, y = i32[(fp + instr.b) << 1]!; i32[sp++ << 1] = R;' },
  { name: 'bin_lk', what: 'local a OP constant b, pushed', code: 'var x = i32[(fp + instr.a) << 1]!, y = instr.b; i32[sp++ << 1] = R;' },
  { name: 'bin_sk', what: 'stack top OP constant b, in place', code: 'var j = (sp << 1) - 2, x = i32[j]!, y = instr.b; i32[j] = R;' },
  { name: 'bin_sl', what: 'stack top OP local b, in place', code: 'var j = (sp << 1) - 2, x = i32[j]!, y = i32[(fp + instr.b) << 1]!; i32[j] = R;' },
  { name: 'bin_ll_set', what: 'local a OP local b, to local d', code: 'var x = i32[(fp + instr.a) << 1]!, y = i32[(fp + instr.b) << 1]!; i32[(fp + instr.d) << 1] = R;' },
  { name: 'bin_lk_set', what: 'local a OP constant b, to local d', code: 'var x = i32[(fp + instr.a) << 1]!, y = instr.b; i32[(fp + instr.d) << 1] = R;' },
  { name: 'bin_ss_set', what: 'the two values on top of the stack, to local d', code: 'sp -= 2; var j = sp << 1, x = i32[j]!, y = i32[j + 2]!; i32[(fp + instr.d) << 1] = R;' },
  // Loop steps (the comparison, c >> 8, through holds): local d = local a OP y, then the loop's test of local d.
  { name: 'step_brif', what: 'local d = local a OP constant b, then branch when local d compares with local g', code: 'var x = i32[(fp + instr.a) << 1]!, y = instr.b, r = R; i32[(fp + instr.d) << 1] = r; if (holds(instr.c >> 8, r ^ instr.e, i32[(fp + instr.g) << 1]! ^ instr.e)) { body = instr.body!; pc = instr.f; if (pc === 0 && --mt.ticks < 0) mt.refill(); }', ops: ['add'] },
  { name: 'step_back_ll', what: 'local d = local a OP local b, then the back-edge and the loop\'s first test', code: 'var x = i32[(fp + instr.a) << 1]!, y = i32[(fp + instr.b) << 1]!, r = R; i32[(fp + instr.d) << 1] = r; if (--mt.ticks < 0) mt.refill(); if (holds(instr.c >> 8, r ^ instr.e, i32[(fp + instr.g) << 1]! ^ instr.e)) { body = instr.body!; pc = instr.f; if (pc === 0 && --mt.ticks < 0) mt.refill(); } else { body = instr.else_!; pc = 1; }', ops: ['add'] },
  { name: 'step_back_lk', what: 'local d = local a OP constant b, then the back-edge and the loop\'s first test', code: 'var x = i32[(fp + instr.a) << 1]!, y = instr.b, r = R; i32[(fp + instr.d) << 1] = r; if (--mt.ticks < 0) mt.refill(); if (holds(instr.c >> 8, r ^ instr.e, i32[(fp + instr.g) << 1]! ^ instr.e)) { body = instr.body!; pc = instr.f; if (pc === 0 && --mt.ticks < 0) mt.refill(); } else { body = instr.else_!; pc = 1; }', ops: ['add'] },
  // A function's one number goes straight to its frame base, where the return leaves it (g = 1: Code.numResult, finishBody).
  { name: 'bin_ss_ret', what: 'the two values on top of the stack, returned', code: 'var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!, r = R; if (instr.g !== 0) { i32[fp << 1] = r; sp = fp + 1; } else i32[j - 2] = r; break;' },
  // A call's argument (a recursion's n - 1, n - 2), then the call, which the loop makes after its switch (callee set).
  { name: 'call_lk', what: 'local a OP constant b, pushed, then a call of function d (defined in the module)', code: 'var x = i32[(fp + instr.a) << 1]!, y = instr.b; i32[sp++ << 1] = R; callee = (inst.funcs[instr.d] ?? inst.funcAt(instr.d)) as WasmFunc; break;', ops: ['add', 'sub'] },
];

/** The first opcode of the specialised fused nodes: after node.ts's P codes (which end below 0x110). */
const FIRST_CODE = 0x110;

/**
 * The loads and stores of memory 0, each one's meaning written once (spec
 * §4.4.7): a load's value as the expressions of its slot's low word `lo`
 * and, for a 64-bit result, its high word `hi` (over `v`, the low word, for
 * a sign extension), read at `ea` (bounds checked) from `dv` (the memory's
 * DataView: any alignment, little-endian), `u8` (its bytes) or `m64` (its
 * doubles: `aligned`, an 8-byte-aligned f64 moved whole, never computed
 * with, so a NaN's payload arrives unchanged); a store's statements writing
 * its value's words LO and HI at `ea` (floats as their bit patterns). The
 * generator writes each where it runs, so V8 sees it as inline code with
 * its width a constant: the loop's plain case and each fused memory form's
 * case of the `hot` ones (each with an opcode of its own), and memory-access.ts's
 * loadAt and storeAt (every other load and store, the fused full-width
 * loads and the other memories').
 */
interface Access {
  /** The member of ops.ts's `O`. */
  name: string;
  lo?: string;
  hi?: string;
  aligned?: string;
  /** A store's statements. */
  store?: string;
  /** Common in compilers' output (the componentize-js hello's greet: over 95% of its loads and stores): a case of its own in each form. */
  hot?: boolean;
}

const I32_WORD = 'dv.getInt32(ea, true)';
const HIGH_WORD = 'dv.getInt32(ea + 4, true)';
const STORE32 = 'dv.setInt32(ea, LO, true);';
const STORE64 = 'dv.setInt32(ea, LO, true); dv.setInt32(ea + 4, HI, true);';

/** Every load and store, in opcode order (0x28 to 0x3e). */
export const ACCESSES: readonly Access[] = [
  { name: 'i32_load', lo: I32_WORD, hot: true },
  { name: 'i64_load', lo: I32_WORD, hi: HIGH_WORD, hot: true },
  { name: 'f32_load', lo: I32_WORD },
  // `>>> 3`, not `>> 3`: an address of 2^31 or more stays positive.
  { name: 'f64_load', lo: I32_WORD, hi: HIGH_WORD, aligned: 'm64[ea >>> 3]!', hot: true },
  { name: 'i32_load8_s', lo: '(u8[ea]! << 24) >> 24' },
  { name: 'i32_load8_u', lo: 'u8[ea]!', hot: true },
  { name: 'i32_load16_s', lo: 'dv.getInt16(ea, true)' },
  { name: 'i32_load16_u', lo: 'dv.getUint16(ea, true)' },
  { name: 'i64_load8_s', lo: '(u8[ea]! << 24) >> 24', hi: 'v >> 31' },
  { name: 'i64_load8_u', lo: 'u8[ea]!', hi: '0' },
  { name: 'i64_load16_s', lo: 'dv.getInt16(ea, true)', hi: 'v >> 31' },
  { name: 'i64_load16_u', lo: 'dv.getUint16(ea, true)', hi: '0' },
  { name: 'i64_load32_s', lo: I32_WORD, hi: 'v >> 31' },
  { name: 'i64_load32_u', lo: I32_WORD, hi: '0' },
  { name: 'i32_store', store: STORE32, hot: true },
  { name: 'i64_store', store: STORE64, hot: true },
  { name: 'f32_store', store: STORE32 },
  { name: 'f64_store', store: STORE64, hot: true },
  { name: 'i32_store8', store: 'u8[ea] = LO;', hot: true },
  { name: 'i32_store16', store: 'dv.setInt16(ea, LO, true);' },
  { name: 'i64_store8', store: 'u8[ea] = LO;' },
  { name: 'i64_store16', store: 'dv.setInt16(ea, LO, true);' },
  { name: 'i64_store32', store: STORE32 },
];

/**
 * Where a load or store's address, and a store's value, come from: the
 * plain instruction (its case's O code; the address on the stack, offset
 * in a) and node.ts's fused memory forms (offset in d). `pre` runs first;
 * `base` is the address operand (an i32 word), `off` the offset (a u32
 * stored `| 0`); `dest` (loads) sets `j`, the low word of the value's
 * slot, after the bounds check, as is every effect; `lo`/`hi` (stores) are
 * the value's words; `then` follows the access. `ops`: the hot accesses it
 * specialises, when not all those of its kind.
 */
interface MemoryForm {
  name: string;
  what: string;
  load: boolean;
  plain?: boolean;
  pre?: string;
  base: string;
  off: string;
  dest?: string;
  lo?: string;
  hi?: string;
  then?: string;
  ops?: readonly string[];
  /** The one access this form makes (its case has no c). */
  only?: string;
}

const LOCAL_A = 'i32[(fp + instr.a) << 1]!';
/** A row-major element's index, local a * local f + local g (P.mul_add's), in k. */
const ROW_INDEX = 'var k = Math.imul(i32[(fp + instr.a) << 1]!, i32[(fp + instr.f) << 1]!) + i32[(fp + instr.g) << 1]!;';
const ROW_LBASE = '(i32[(fp + (instr.e >> 5)) << 1]! + (k << instr.e)) | 0';

/** update_lk's change and store (the add's expression from I32_BINARY, bin32 for the other operations; the i32 store's from ACCESSES). */
const UPDATE = `var x = i32[j]!, y = instr.b, r = instr.c === O.i32_add ? ${I32_BINARY.find((b) => b.name === 'i32_add')!.expr} : bin32(instr.c, x, y); ` +
  `if (instr.f !== 0) i32[(fp + instr.e) << 1] = instr.f === 1 ? x : r; ${ACCESSES.find((a) => a.name === 'i32_store')!.store!.replace('LO', 'r')}`;

const MEMORY_FORMS: readonly MemoryForm[] = [
  { name: 'load', what: 'the address on the stack, replaced by the value', load: true, plain: true, pre: 'var j = (sp << 1) - 2;', base: 'i32[j]!', off: 'instr.a' },
  { name: 'store', what: 'the address and the value on the stack', load: false, plain: true, pre: 'sp -= 2; var j = sp << 1;', base: 'i32[j]!', off: 'instr.a', lo: 'i32[j + 2]!', hi: 'i32[j + 3]!' },
  { name: 'load_l', what: 'from address local a, pushed', load: true, base: LOCAL_A, off: 'instr.d', dest: 'var j = sp++ << 1;' },
  { name: 'if_load_z', what: 'an i32 from address local a, then as if_z of it', load: true, base: LOCAL_A, off: 'instr.d', dest: 'var j = sp << 1;', then: 'if (i32[j] === 0) { body = instr.body!; pc = 0; } else if (instr.else_ !== null) { body = instr.else_; pc = 0; }', ops: ['i32_load', 'i32_load8_u'] },
  { name: 'store_ll', what: 'local e at address local a', load: false, base: LOCAL_A, off: 'instr.d', dest: 'var v = (fp + instr.e) << 1;', lo: 'i32[v]!', hi: 'i32[v + 1]!' },
  { name: 'store_lk', what: 'the constant e (high word f) at address local a', load: false, base: LOCAL_A, off: 'instr.d', lo: 'instr.e', hi: 'instr.f', ops: ['i32_store', 'i64_store', 'i32_store8'] },
  { name: 'store_sl', what: 'local e at the address on the stack', load: false, base: 'i32[--sp << 1]!', off: 'instr.d', dest: 'var v = (fp + instr.e) << 1;', lo: 'i32[v]!', hi: 'i32[v + 1]!', ops: ['i32_store', 'i64_store'] },
  // Full-width loads from base + index (fuse.ts; no case of their own per access): the address is the i32 sum, wrapped.
  { name: 'load_ss_add', what: 'from the sum of the two values on top of the stack, in their place', load: true, pre: 'var j = (--sp << 1) - 2;', base: '(i32[j]! + i32[j + 2]!) | 0', off: 'instr.d', ops: [] },
  { name: 'load_ll_add', what: 'from local a + local e, pushed', load: true, base: '(i32[(fp + instr.a) << 1]! + i32[(fp + instr.e) << 1]!) | 0', off: 'instr.d', dest: 'var j = sp++ << 1;', ops: [] },
  { name: 'load_sl_add', what: 'from the stack top + local e, in its place', load: true, pre: 'var j = (sp << 1) - 2;', base: '(i32[j]! + i32[(fp + instr.e) << 1]!) | 0', off: 'instr.d', ops: [] },
  { name: 'load_shl', what: 'from the stack top << e, in its place', load: true, pre: 'var j = (sp << 1) - 2;', base: 'i32[j]! << instr.e', off: 'instr.d', ops: [] },
  { name: 'load_add_shl', what: 'from x + (y << e), the two values on top of the stack, in their place', load: true, pre: 'var j = (--sp << 1) - 2;', base: '(i32[j]! + (i32[j + 2]! << instr.e)) | 0', off: 'instr.d', ops: [] },
  { name: 'load_idx', what: 'from (local a * local f + local g) << e, pushed', load: true, pre: ROW_INDEX, base: 'k << instr.e', off: 'instr.d', dest: 'var j = sp++ << 1;', ops: [] },
  { name: 'load_base_idx', what: 'from the stack top + ((local a * local f + local g) << e), in its place', load: true, pre: `var j = (sp << 1) - 2; ${ROW_INDEX}`, base: '(i32[j]! + (k << instr.e)) | 0', off: 'instr.d', ops: [] },
  { name: 'load_lbase_idx', what: 'from local e >> 5 + ((local a * local f + local g) << e), pushed', load: true, pre: ROW_INDEX, base: ROW_LBASE, off: 'instr.d', dest: 'var j = sp++ << 1;', ops: [] },
  // A dot product's step: the second factor's f64 load into the slot above the top, where the unfused load put it.
  { name: 'f64_madd_lbase_idx', what: 'local c = local b + the stack top (popped) * the f64 at load_lbase_idx\'s address', load: true, pre: ROW_INDEX, base: ROW_LBASE, off: 'instr.d', dest: 'var j = sp << 1;', then: 'sp--; f64[fp + instr.c] = f64[fp + instr.b]! + f64[sp]! * f64[sp + 1]!;', only: 'f64_load' },
  // A load from a local address into a local (`x = p->f`): the local written after the bounds check, as the value
  // (tee: then pushed too, both words, whatever the access: an i32's high word is never read).
  { name: 'load_l_set', what: 'from address local a, to local e', load: true, base: LOCAL_A, off: 'instr.d', dest: 'var j = (fp + instr.e) << 1;', ops: ['i32_load'] },
  { name: 'load_l_tee', what: 'from address local a, to local e and pushed', load: true, base: LOCAL_A, off: 'instr.d', dest: 'var j = (fp + instr.e) << 1;', then: 'var s = sp++ << 1; i32[s] = i32[j]!; i32[s + 1] = i32[j + 1]!;', ops: ['i32_load'] },
  { name: 'load_l_shl', what: 'from local a << e, pushed', load: true, base: 'i32[(fp + instr.a) << 1]! << instr.e', off: 'instr.d', dest: 'var j = sp++ << 1;', ops: ['i32_load'] },
  // The value computed on the stack after the address was read from a local (fuse.ts's valueStart).
  { name: 'store_ls', what: 'the stack top (popped) at address local a', load: false, base: LOCAL_A, off: 'instr.d', dest: 'var v = --sp << 1;', lo: 'i32[v]!', hi: 'i32[v + 1]!', ops: ['i32_store', 'i64_store'] },
  // A load from an address computed on the stack into a local (tee: the value also in the address's place).
  { name: 'load_s_set', what: 'from the address on the stack (popped), to local e', load: true, base: 'i32[--sp << 1]!', off: 'instr.d', dest: 'var j = (fp + instr.e) << 1;', ops: ['i32_load', 'i64_load'] },
  { name: 'load_s_tee', what: 'from the address on the stack, to local e and in the address\'s place', load: true, pre: 'var s = (sp << 1) - 2;', base: 'i32[s]!', off: 'instr.d', dest: 'var j = (fp + instr.e) << 1;', then: 'i32[s] = i32[j]!; i32[s + 1] = i32[j + 1]!;', ops: ['i32_load', 'i64_load'] },
  // `p->f += k`: the i32 read into the free slot above the top (the unfused code's, so within the stack), changed, stored back at the same address (checked once).
  { name: 'update_lk', what: 'the i32 at local a + d, OP constant b, written back (old or new value to local e: f = 1, 2)', load: true, base: LOCAL_A, off: 'instr.d', dest: 'var j = sp << 1;', then: UPDATE, only: 'i32_load' },
];

/**
 * A specialised case's effective address `ea` and bounds check, for an
 * access of `width` bytes (the trap before any effect). The address and
 * offset are u32s held as i32 words: when both are below 2^31 and the
 * access ends within memLim (memLen while that is below 2^31, else -1),
 * `ea` is their int32 sum, which V8 uses as an index as it is; otherwise
 * (an address or offset of 2^31 or more, an access out of bounds or a
 * memory of 2 GiB or more) it is the exact sum in doubles, which cannot
 * wrap, checked against memLen: an access past 2^32 traps. That branch has
 * no type feedback in a program that never takes it, so V8 leaves it out
 * of the optimised loop (a deoptimisation if it is ever taken) and `ea`
 * stays an int32.
 */
function boundsCheck(f: MemoryForm, width: number | string): string {
  return `var at = ${f.base}, off = ${f.off}, ea = 0; ` +
    `if ((at | off) < 0 || at > memLim - ${width} - off) { ea = (at >>> 0) + (off >>> 0); if (ea + ${width} > memLen) throw oob(); } else ea = at + off;`;
}

const isLoadAccess = (a: Access): boolean => a.store === undefined;
const hotAccesses = (load: boolean): Access[] => ACCESSES.filter((a) => a.hot === true && isLoadAccess(a) === load);
/** Whether memory form `f` has an opcode (or, plain, a case) of its own for access `a`. */
const memSpecialises = (f: MemoryForm, a: Access): boolean =>
  a.hot === true && isLoadAccess(a) === f.load && (f.ops === undefined || f.ops.includes(a.name));
/** Whether fused memory form `f` has opcodes of its own (B) for some accesses. */
const hasCodes = (f: MemoryForm): boolean => f.plain !== true && f.only === undefined && (f.ops === undefined || f.ops.length > 0);
/** The first code of the fused memory forms' opcodes: after the i32 forms' (a code per hot access of its kind per form, as there). */
const memoryCodes = (): Map<string, number> => {
  const codes = new Map<string, number>();
  let next = FIRST_CODE + FORMS.length * I32_BINARY.filter((b) => b.hot === true).length;
  for (const f of MEMORY_FORMS) {
    if (!hasCodes(f)) continue;
    for (const a of hotAccesses(f.load)) {
      if (memSpecialises(f, a)) codes.set(`${f.name}_${a.name}`, next);
      next++;
    }
  }
  return codes;
};

/** A load's statements: its value into the slot whose low word is i32[j]. */
function loadCode(a: Access): string {
  const words = a.hi === undefined ? `i32[j] = ${a.lo!};`
    : /\bv\b/.test(a.hi) ? `var v = ${a.lo!}; i32[j] = v; i32[j + 1] = ${a.hi};`
    : `i32[j] = ${a.lo!}; i32[j + 1] = ${a.hi};`;
  return a.aligned === undefined ? words : `if ((ea & 7) === 0) f64[j >> 1] = ${a.aligned}; else { ${words} }`;
}

/** A store's statements, its value's words `lo` and `hi`. */
function storeCode(a: Access, lo: string, hi: string): string {
  return a.store!.replace('LO', lo).replace('HI', hi);
}

/**
 * interpreter.ts's cases of the loads and stores: the plain ones (region
 * `memory`) or the fused forms' (`memory-fused`): a case per hot access the
 * form specialises (its width a constant), then the form's case for the
 * other accesses, through loadAt or storeAt (the width in b, prepare.ts and
 * fuse.ts; the access in op, plain, or c).
 */
function memoryCases(plain: boolean, indent: string): string[] {
  const out: string[] = [];
  for (const f of MEMORY_FORMS) {
    if ((f.plain === true) !== plain) continue;
    out.push(`${indent}// ${f.name}: ${f.what}`);
    const kase = (label: string, width: number | string, access: string): void => {
      const parts = [f.pre ?? '', boundsCheck(f, width), f.dest ?? '', access, f.then ?? '', 'continue;'];
      out.push(`${indent}${label} { ${parts.filter((p) => p !== '').join(' ')} }`);
    };
    if (f.only !== undefined) {
      const a = ACCESSES.find((x) => x.name === f.only)!;
      kase(`case P.${f.name}:`, accessWidth(opNumber(a.name)), loadCode(a));
      continue;
    }
    for (const a of ACCESSES) {
      if (!memSpecialises(f, a)) continue;
      kase(`case ${plain ? `O.${a.name}` : `B.${f.name}_${a.name}`}:`, accessWidth(opNumber(a.name)), f.load ? loadCode(a) : storeCode(a, f.lo!, f.hi!));
    }
    const op = plain ? 'instr.op' : 'instr.c';
    const label = plain ? ACCESSES.filter((a) => isLoadAccess(a) === f.load && !memSpecialises(f, a)).map((a) => `case O.${a.name}:`).join(' ') : `case P.${f.name}:`;
    kase(label, 'instr.b', f.load ? `loadAt(i32, f64, j, dv, m64, u8, ${op}, ea);` : `storeAt(dv, u8, ${op}, ea, ${f.lo!}, ${f.hi!});`);
  }
  return out;
}

/** src/core/exec/memory-access.ts. */
function accessModule(): string {
  const loads = ACCESSES.filter(isLoadAccess), full = loads.filter((a) => opNumber(a.name) <= opNumber('f64_load'));
  const narrow = loads.filter((a) => !full.includes(a));
  const lines = [
    `// Generated ${MARK}: do not edit.`,
    '//',
    "// Every load and store of scripts/gen-interp.ts's table, by opcode: for the",
    "// loads and stores without a case of their own in the interpreter's loop",
    "// (the fused full-width loads, the rarer accesses) and memory-ops.ts's",
    '// accesses of other memories.',
    '',
    "import { O } from './ops.js';",
    '',
    '/**',
    ' * What load `op` reads at `ea` (bounds already checked), into the value',
    ' * slot whose low word is i32[j] (f64: the same stack as doubles; m64, the',
    ' * memory as doubles). Full-width loads here, the narrow ones in a second',
    ' * function: small enough for V8 to inline loadAt where the loop calls it.',
    ' */',
    'export function loadAt(i32: Int32Array, f64: Float64Array, j: number, dv: DataView, m64: Float64Array, u8: Uint8Array, op: number, ea: number): void {',
    '  switch (op) {',
    ...full.map((a) => `    case O.${a.name}: ${loadCode(a)} return;`),
    '    default: loadNarrow(i32, j, dv, u8, op, ea);',
    '  }',
    '}',
    '',
    '/** The rest of loadAt: loads of 8, 16 or 32 bits, extended. */',
    'function loadNarrow(i32: Int32Array, j: number, dv: DataView, u8: Uint8Array, op: number, ea: number): void {',
    '  switch (op) {',
    ...narrow.map((a, i) => `    ${i === narrow.length - 1 ? 'default' : `case O.${a.name}`}: { ${loadCode(a)} return; }${i === narrow.length - 1 ? ` // O.${a.name}` : ''}`),
    '  }',
    '}',
    '',
    '/** What store `op` writes at `ea` (bounds already checked): the value with words lo, hi. */',
    'export function storeAt(dv: DataView, u8: Uint8Array, op: number, ea: number, lo: number, hi: number): void {',
    '  switch (op) {',
    ...ACCESSES.filter((a) => !isLoadAccess(a)).map((a, i, all) => `    ${i === all.length - 1 ? 'default' : `case O.${a.name}`}: ${storeCode(a, 'lo', 'hi')} return;${i === all.length - 1 ? ` // O.${a.name}` : ''}`),
    '  }',
    '}',
    '',
  ];
  return lines.join('\n');
}

/** An O member's number, from syntax/opcodes.ts's Op (the same numbers). */
function opNumber(name: string): number {
  const n = (Op as Record<string, number>)[name];
  if (n === undefined) throw new Error(`no opcode ${name}`);
  return n;
}

const fusible = I32_BINARY.filter((b) => b.traps !== true);
const hot = I32_BINARY.filter((b) => b.hot === true);
const short = (b: Binary): string => b.name.slice(4);
/** Whether fused form `f` has an opcode of its own for hot operation `b`. */
const specialises = (f: (typeof FORMS)[number], b: Binary): boolean => f.ops === undefined || f.ops.includes(short(b));

/** Evaluates a row's expression (the generator's own use: a comparison's encoding). */
function evaluate(b: Binary, x: number, y: number): number {
  const N = { rotl32: () => 0, rotr32: () => 0 };
  return (new Function('x', 'y', 'N', `return ${b.expr};`) as (x: number, y: number, n: unknown) => number)(x, y, N);
}

/**
 * A comparison's encoding for fuse.ts's tests: which outcomes hold (bit 0:
 * x < y, bit 1: x = y, bit 2: x > y) and whether it orders the operands as
 * unsigned (a bias then turns it into signed order).
 */
function comparison(b: Binary): { outcomes: number; unsigned: boolean } {
  const outcomes = evaluate(b, 1, 2) | (evaluate(b, 2, 2) << 1) | (evaluate(b, 2, 1) << 2);
  // -1 is below 0 as a signed number, above it as an unsigned one.
  const unsigned = evaluate(b, -1, 0) !== (outcomes & 1);
  return { outcomes, unsigned };
}

const comparisons = I32_BINARY.filter((b) => / \? 1 : 0$/.test(b.expr));

const MARK = '(scripts/gen-interp.ts: edit its table, then npm run gen)';

/** The plain cases (operands on the stack) of the common operations (interpreter.ts, `continue`) or the rare ones (rare-instructions.ts, `return sp`). */
function plainCases(rare: boolean, indent: string): string[] {
  return I32_BINARY.filter((b) => (b.rare === true) === rare)
    .map((b) => `${indent}case O.${b.name}: { var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!; i32[j - 2] = ${b.expr}; ${rare ? 'return sp;' : 'continue;'} }`);
}

/** interpreter.ts's cases of the specialised fused nodes. */
function fusedCases(indent: string): string[] {
  const out: string[] = [];
  for (const f of FORMS) {
    out.push(`${indent}// ${f.name}: ${f.what}`);
    // A form that returns or calls ends in `break` (to the loop's return or call path); the others go on.
    const next = f.code.endsWith('break;') ? '' : ' continue;';
    for (const b of hot) if (specialises(f, b)) out.push(`${indent}case B.${f.name}_${short(b)}: { ${f.code.replace('R', b.expr)}${next} }`);
  }
  return out;
}

/** src/core/exec/i32-binary.ts. */
function tableModule(): string {
  const lines = [
    `// Generated ${MARK}: do not edit.`,
    '//',
    '// The i32 binary operations for the interpreter\'s fused nodes (fuse.ts):',
    '// the opcodes of the specialised ones, bin32 for the rest, and the',
    '// comparisons\' encoding for the fused tests.',
    '',
    "import { O } from './ops.js';",
    "import * as N from './numerics.js';",
    '',
    '/** Fused nodes with one operation each (fields as their form\'s in node.ts\'s P): FORM_OP. */',
    'export const enum B {',
  ];
  // Each form's codes start at FIRST_CODE + its index * hot.length, a code
  // per hot operation in order, whether or not the form specialises it: so
  // a form's `ops` moves no other code.
  FORMS.forEach((f, i) => hot.forEach((b, k) => {
    if (specialises(f, b)) lines.push(`  ${f.name}_${short(b)} = 0x${(FIRST_CODE + i * hot.length + k).toString(16)},`);
  }));
  // The fused memory forms' codes, after them (a code per hot access of the form's kind, in opcode order).
  for (const [name, code] of memoryCodes()) lines.push(`  ${name} = 0x${code.toString(16)},`);
  lines.push('}', '');
  lines.push(
    '/** The opcode of fused form `form` (a P code) with operation `op` (its c; a step\'s operation is c & 0xff; a memory form\'s access), or `form` when it has none. */',
    'export function specialised(form: number, op: number): number {',
    '  switch (form) {',
  );
  FORMS.forEach((f, i) => {
    const first = `0x${(i * hot.length + FIRST_CODE).toString(16)}`;
    if (f.ops === undefined) lines.push(`    case 0x${formCode(f.name).toString(16)}: return ${first} + hotIndex(op & 0xff); // P.${f.name}`);
    else {
      const which = hot.flatMap((b, k) => (specialises(f, b) ? [`op === O.${b.name}`] : []));
      lines.push(`    case 0x${formCode(f.name).toString(16)}: op &= 0xff; return ${which.join(' || ')} ? ${first} + hotIndex(op) : NaN; // P.${f.name}: ${f.ops.join(', ')}`);
    }
  });
  const codes = memoryCodes();
  for (const f of MEMORY_FORMS) {
    if (!hasCodes(f)) continue;
    const which = ACCESSES.filter((a) => memSpecialises(f, a)).map((a) => `op === O.${a.name} ? 0x${codes.get(`${f.name}_${a.name}`)!.toString(16)}`);
    lines.push(`    case 0x${formCode(f.name).toString(16)}: return ${which.join(' : ')} : NaN; // P.${f.name}`);
  }
  lines.push('    default: return form;', '  }', '}', '');
  lines.push(
    'function hotIndex(op: number): number {',
    '  switch (op) {',
    ...hot.map((b, i) => `    case O.${b.name}: return ${i};`),
    '    default: return NaN;',
    '  }',
    '}', '',
  );
  lines.push(
    '/** An i32 binary operation that cannot trap (`op`: its wasm opcode), for the fused nodes without an opcode of their own. */',
    'export function bin32(op: number, x: number, y: number): number {',
    '  switch (op) {',
    ...fusible.map((b) => `    case O.${b.name}: return ${b.expr};`),
    '    default: throw new Error(`bin32: not a fusible i32 operation: 0x${op.toString(16)}`);',
    '  }',
    '}', '',
    '/** Whether i32 operation `op` gives the same result with its operands swapped. */',
    'export function commutes(op: number): boolean {',
    '  switch (op) {',
    `    ${I32_BINARY.filter((b) => b.commutes === true).map((b) => `case O.${b.name}:`).join(' ')}`,
    '      return true;',
    '    default:',
    '      return false;',
    '  }',
    '}', '',
    '/** Whether `op` is an i32 binary operation that cannot trap, which a fused node may carry. */',
    'export function fusibleBinary(op: number): boolean {',
    '  switch (op) {',
    `    ${fusible.map((b) => `case O.${b.name}:`).join(' ')}`,
    '      return true;',
    '    default:',
    '      return false;',
    '  }',
    '}', '',
  );
  lines.push(
    '/**',
    ' * Per i32 comparison, from i32.eq (op - O.i32_eq): which outcomes make it',
    ' * hold (bit 0: x < y, bit 1: x = y, bit 2: x > y), and whether it orders',
    ' * unsigned (fuse.ts\'s testOf biases the operands then).',
    ' */',
    `export const COMPARE_OUTCOMES: readonly number[] = [${comparisons.map((b) => `0b${comparison(b).outcomes.toString(2).padStart(3, '0')}`).join(', ')}];`,
    `export const COMPARE_UNSIGNED: readonly boolean[] = [${comparisons.map((b) => String(comparison(b).unsigned)).join(', ')}];`,
    '',
  );
  return lines.join('\n');
}

/** node.ts's P code of a fused form, read from node.ts (the one place it is written). */
function formCode(name: string): number {
  const text = readFileSync(join(projectRoot(), 'src', 'core', 'exec', 'node.ts'), 'utf8');
  const m = new RegExp(`^\\s*${name} = (0x[0-9a-f]+),$`, 'm').exec(text);
  if (m === null) throw new Error(`node.ts has no P.${name}`);
  return Number(m[1]);
}

/** Replaces the text between `// generated: NAME` and `// end generated: NAME` lines by `lines`. */
function replaceRegion(text: string, name: string, make: (indent: string) => string[]): string {
  const begin = new RegExp(`^( *)// generated: ${name} .*\\n`, 'm').exec(text);
  const end = new RegExp(`^ *// end generated: ${name}\\n`, 'm').exec(text);
  if (begin === null || end === null) throw new Error(`no region ${name}`);
  const start = begin.index + begin[0].length;
  return text.slice(0, start) + make(begin[1]!).map((l) => `${l}\n`).join('') + text.slice(end.index);
}

/** Every generated file, as it should be: path (from the project root) to text. */
export function generatedFiles(): Map<string, string> {
  const root = projectRoot();
  const interp = join('src', 'core', 'exec', 'interpreter.ts');
  let text = readFileSync(join(root, interp), 'utf8');
  text = replaceRegion(text, 'i32-binary', (indent) => plainCases(false, indent));
  text = replaceRegion(text, 'i32-fused', fusedCases);
  text = replaceRegion(text, 'memory', (indent) => memoryCases(true, indent));
  text = replaceRegion(text, 'memory-fused', (indent) => memoryCases(false, indent));
  const rare = join('src', 'core', 'exec', 'rare-instructions.ts');
  const rareText = replaceRegion(readFileSync(join(root, rare), 'utf8'), 'i32-binary-rare', (indent) => plainCases(true, indent));
  return new Map([
    [interp, text],
    [rare, rareText],
    [join('src', 'core', 'exec', 'i32-binary.ts'), tableModule()],
    [join('src', 'core', 'exec', 'memory-access.ts'), accessModule()],
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [path, text] of generatedFiles()) {
    const file = join(projectRoot(), path);
    let old = '';
    try { old = readFileSync(file, 'utf8'); } catch { /* a new file */ }
    if (old === text) continue;
    stale++;
    if (check) process.stderr.write(`${path} differs from what scripts/gen-interp.ts makes\n`);
    else writeFileSync(file, text);
  }
  if (check && stale > 0) process.exitCode = 1;
}
