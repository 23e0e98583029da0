// The prepared form of a function body: the tree the interpreter loop
// walks. It mirrors the AST (a block, loop or if node owns its bodies), but
// is the interpreter's own copy, so the AST the validator, the native engine
// and the tools read stays untouched. Preparation (prepare.ts) makes three
// kinds of change on the way:
//
// - a plain block has no node: its instructions are spliced into the body
//   around it (a loop, if or try_table keeps a node owning its bodies);
//   every body ends in an explicit exit node (jump to the continuation, or
//   return), and every branch knows its destination (body + index) and
//   whether it must move values, so the loop keeps no label stack;
// - common instruction sequences are fused into one node (fuse.ts);
// - operands are stored so that every field stays a small integer (Smi):
//   V8 tracks one representation per field for all nodes, and a single
//   store of a heap number, even one holding an integer (Number(bigint)
//   gives one for 2^31 - 1 and -2^31), turns the field to double, so every
//   read of it in the loop unboxes (test/node-fields.test.ts); hence `| 0`.
//
// Node opcodes: the wasm opcodes of ops.ts for nodes that do what the wasm
// instruction does, plus the codes of `P` below for the prepared-only forms.
// They follow the one-byte wasm opcodes (which end at 0xd2), so the loop's
// switch stays one dense jump table.
// What each form pops, pushes and writes, for fusion's look-backs, is
// node-effects.ts's table, which writes each form as the instructions it
// stands for: a new form fusion may look back over goes there too.

import { Instr } from '../syntax/ast.js';

export const enum P {
  // Five prepared forms sit in holes of the one-byte wasm opcodes, because
  // their own codes (0xd4..0xd6) are taken by the forms below. Their branch
  // (as a br node: jump, br_move or return) is `targets`[0].
  /** ref.as_non_null */
  ref_as_non_null = 0x16,
  /** br_on_null: branch when the top reference is null (popping it). */
  br_on_null = 0x17,
  /** br_on_non_null: branch with the top reference when it is not null; else pop it. */
  br_on_non_null = 0x1d,
  /**
   * GC (gc/prepare.ts): br_on_cast (d = 0) and br_on_cast_fail (d = 1):
   * branch with the top reference when it is (is not) in the target type
   * (gc/exec.ts's castMatches of c, e, b).
   */
  br_on_cast = 0x18,
  /** GC: every other GC instruction (f = its opcode), run by gc/exec.ts. */
  gc = 0x19,

  // GC's common instructions (gc/prepare.ts), which the loop runs itself,
  // in the holes 0xc5..0xcf of the one-byte wasm opcodes. For the gets and
  // sets b = 1 for a reference field or element, 0 for an unpacked 32-bit
  // one (any other is a P.gc node); c = a struct field's slot; a reference
  // struct get joined with the ref.as_non_null after it has d = 1 (null
  // traps), with the ref.is_null after it d = 2 (pushes whether null).
  /** struct.new of a type whose fields take one slot each (a = their count, e = the type's id; d = 1: the ref.nulls of every field joined to it): gc/exec.ts's structNew. */
  struct_new = 0xc5,
  struct_get = 0xc6,
  struct_set = 0xc7,
  array_get = 0xc8,
  array_set = 0xc9,
  array_len = 0xca,
  /** ref.test and ref.cast (nullable or not): the target as P.br_on_cast's (c, e, b). */
  ref_test = 0xcb,
  ref_cast = 0xcc,
  /** local.get g (a reference); struct.get (b, c as struct_get's): gc/prepare.ts's emitGc fuses them. */
  struct_get_l = 0xcd,

  /** End of a body, or `br` needing no value move: continue at `body`[a]. */
  jump = 0xd3,
  /** `br` that keeps b values, moved down to slot fp + c; continues at `body`[a]. */
  br_move = 0xd4,
  /** End of a function body, `return`, or a branch to the function's label. */
  return = 0xd5,
  /** `br_if` whose branch moves values (fields as br_move). */
  br_if_move = 0xd6,
  /** `br_if` to the function's label. */
  br_if_return = 0xd7,
  /** local.get/set/tee of a reference-typed local (the `refs` entry moves too). */
  local_get_ref = 0xd8,
  local_set_ref = 0xd9,
  local_tee_ref = 0xda,

  // i32 binary operations (c = the wasm opcode: arithmetic that cannot trap,
  // or a comparison) with operands from locals (L: index), constants (K:
  // value) or the stack (S). Results are pushed unless the name says
  // where they go (SET, TEE: local d).
  /** local a OP local b */
  bin_ll = 0xdb,
  /** local a OP constant b */
  bin_lk = 0xdc,
  /** stack top OP constant b (in place) */
  bin_sk = 0xdd,
  /** stack top OP local b (in place) */
  bin_sl = 0xde,
  bin_ll_set = 0xdf,
  bin_lk_set = 0xe0,
  bin_ll_tee = 0xe1,
  bin_lk_tee = 0xe2,

  // An i32 comparison and a br_if whose branch moves nothing: continue at
  // `body`[d] when it holds. Operands as for bin_*; the comparison is
  // encoded as fuse.ts's testOf says (c = outcomes, e = bias).
  brif_ll = 0xe3,
  brif_lk = 0xe4,
  brif_sk = 0xe5,
  brif_sl = 0xe6,
  /** both operands on the stack */
  brif_ss = 0xe7,
  /** i32.eqz; br_if: continue at `body`[d] when the top is zero. */
  brif_z = 0xe8,
  /** local.get a; br_if */
  brif_l = 0xe9,

  // An `if` whose condition is a fused comparison or test: as `if`, with
  // operands and comparison as for brif_*.
  if_ll = 0xea,
  if_lk = 0xeb,
  if_sk = 0xec,
  if_sl = 0xed,
  if_ss = 0xee,
  /** i32.eqz; if */
  if_z = 0xef,
  /** local.get a; if */
  if_l = 0xf0,

  // Memory access with operands from locals or constants. c = the wasm
  // opcode of the load or store, b = its width in bytes, d = the offset
  // (stored `| 0`, read `>>> 0`).
  /** load from address local a */
  load_l = 0xf1,
  /** store local e at address local a */
  store_ll = 0xf2,
  /** store the constant e at address local a (i32 stores; i64 stores of an i64.const: its high word in f) */
  store_lk = 0xf3,
  /** store local e at the address on the stack */
  store_sl = 0xf4,

  /** local.get a; local.set d (a numeric local) */
  mov = 0xf5,
  /** i32.const/f32.const b; local.set d */
  set_k = 0xf6,
  /**
   * The branch back to the start of a loop whose first node is brif_ll
   * (loop inversion): runs that test here, so the loop's first node is
   * skipped. Fields a, b, c, e, d and `body` as the test's; the loop's
   * body in `else_`, where it goes on at 1 when the test fails.
   */
  back_ll = 0xf7,

  // Full-width loads (b = 4 or 8 bytes: i32, f32 / i64, f64; d = offset)
  // from a base + index address computed by i32.add (which wraps).
  /** address = the two values on top of the stack, added */
  load_ss_add = 0xf8,
  /** address = local a + local e */
  load_ll_add = 0xf9,
  /** address = the stack top + local e */
  load_sl_add = 0xfa,

  /** f64.mul; f64.add: a + b * c (rounded twice, as the two instructions do) */
  f64_madd = 0xfb,
  /** f64.mul; f64.add; local.set d */
  f64_madd_set = 0xfc,

  /**
   * A counted loop's step and test: local d = local a OP constant b (c & 0xff
   * = the operation), then branch to `body`[f] when the new value compares
   * with local g as the outcomes c >> 8 say (bias e). See brif_*.
   */
  step_brif = 0xfd,
  /** An i32 operation (c) on the two values on top of the stack, result to local d. */
  bin_ss_set = 0xfe,
  /**
   * A load or store on a memory other than memory 0 (multi-memory): fields
   * as the wasm instruction's (a = offset, c = memory index), the wasm
   * opcode in `src.op`. Memory 0 keeps the loop's cached views; these go
   * through the instance's memory list (memory-ops.ts) and are never fused.
   */
  mem_access = 0xff,
  /**
   * A vector instruction (0xFD), or a local, global or select access that
   * moves a v128: run by simd/exec.ts (f = the FD number or simd/prepare.ts's V code).
   */
  simd = 0x100,

  /**
   * Debugging only (prepared with PrepareMode.debug, debug-step.ts): stands
   * before each instruction's node and calls the step hook with the
   * configuration's position saved. Past the one-byte codes, so the main
   * switch's jump table stays as it is; normal preparation never makes one.
   */
  step = 0x101,
  /**
   * A body of stored code not built yet (prepared-store.ts): its only node,
   * until its first entry builds the body in place (`buildBody`) and runs
   * it from its start. Made only by the stored-code reader. (0x1eb: a
   * free code among the fused forms at the switch's end.)
   */
  unbuilt = 0x1eb,
  /** As back_ll, for a loop whose first node is brif_lk. */
  back_lk = 0x102,
  /**
   * Full-width loads from a scaled index (fields as load_ss_add's, e = the
   * shift): address = the stack top << e (i32.shl by a constant) …
   */
  load_shl = 0x103,
  /** … or the value below it + (the stack top << e): base + scaled index. */
  load_add_shl = 0x104,
  /** i32.mul of local a and local f, then i32.add of local g (both wrapping): pushed. */
  mul_add = 0x105,
  /**
   * Full-width loads from a row-major element address (fields b, c, d as
   * load_shl's; a, f, g as mul_add's; e = the shift): address =
   * (local a * local f + local g) << e …
   */
  load_idx = 0x106,
  /** … or the stack top + ((local a * local f + local g) << e): base + element. */
  load_base_idx = 0x107,
  /**
   * A loop's step and back-edge: local d = local a OP local b (c & 0xff =
   * the operation), then, as back_ll, the loop's first test, a brif_ll of
   * local d with local g (outcomes c >> 8, bias e) that continues at
   * `body`[f] when it holds, else at `else_`[1].
   */
  step_back_ll = 0x108,
  /** As step_back_ll, with the constant b: local d = local a OP b. */
  step_back_lk = 0x109,
  /** As load_base_idx, the base from local e >> 5 (the shift is e & 31). */
  load_lbase_idx = 0x10a,
  /** local d = local a + the two values on top of the stack multiplied (f64.mul; f64.add; local.set d). */
  f64_madd_lset = 0x10b,
  /**
   * local.get a; return (finishBody: the return's node stays after it,
   * never reached). g = 1: the function returns one number, written to
   * the frame base (as return_k's and bin_ss_ret's).
   */
  return_l = 0x10c,
  /** An i32 operation (c) on the two values on top of the stack, then return (the return's node stays after it, as return_l's). */
  bin_ss_ret = 0x10d,
  /**
   * local a OP constant b (c = the operation), pushed, then a call of
   * function d, one the module defines (a WasmFunc, never a host function):
   * a call's argument computed from a local, as a recursion's `n - 1`.
   */
  call_lk = 0x10e,
  /**
   * A reference field's get from the struct in local g (P.struct_get_l, with
   * its fields b, c, d), then a call of function f, one the module defines:
   * a walk's `call $visit (struct.get $t $left (local.get $t))` (gc/prepare.ts).
   */
  call_sgl = 0x10f,
  // 0x110 on: i32-binary.ts's B (generated).

  // Vector fast forms (simd/prepare.ts, simd/fuse.ts): the commonest v128
  // instructions, each a case of the loop itself instead of a P.simd node
  // (f still holds the FD number or V code). Far above B, so either list
  // can grow. Memory forms: memory 0, 32-bit, a = the offset (`| 0`).
  /** local.get/set/tee of a v128 local a */
  vget = 0x1c0,
  vset = 0x1c1,
  vtee = 0x1c2,
  /** v128.load, the address on the stack */
  vload = 0x1c3,
  /** local.get b; v128.load: the address from local b */
  vload_l = 0x1c4,
  /** v128.store */
  vstore = 0x1c5,
  /** i32x4.splat, f32x4.splat (the same bits in every lane) */
  vsplat32 = 0x1c6,
  /** i64x2.splat, f64x2.splat */
  vsplat64 = 0x1c7,
  /** i32x4/f32x4.extract_lane b, and replace_lane b */
  vextract32 = 0x1c8,
  vreplace32 = 0x1c9,
  /** i64x2/f64x2.extract_lane b, and replace_lane b */
  vextract64 = 0x1ca,
  vreplace64 = 0x1cb,
  // Lane-wise arithmetic (one case of the loop), in three forms of nine
  // operations each, in the same order. OP: both operands on the stack.
  f32x4_add = 0x1cc,
  f32x4_sub = 0x1cd,
  f32x4_mul = 0x1ce,
  f64x2_add = 0x1cf,
  f64x2_sub = 0x1d0,
  f64x2_mul = 0x1d1,
  i32x4_add = 0x1d2,
  i32x4_sub = 0x1d3,
  i32x4_mul = 0x1d4,
  // OP_ld: local.get b; v128.load; OP: the stack top OP the vector at local b + a, in place.
  f32x4_add_ld = 0x1d5,
  f32x4_sub_ld = 0x1d6,
  f32x4_mul_ld = 0x1d7,
  f64x2_add_ld = 0x1d8,
  f64x2_sub_ld = 0x1d9,
  f64x2_mul_ld = 0x1da,
  i32x4_add_ld = 0x1db,
  i32x4_sub_ld = 0x1dc,
  i32x4_mul_ld = 0x1dd,
  // OP_lld: local.get d (a v128); local.get b; v128.load; OP: local d OP the vector at local b + a, pushed.
  f32x4_add_lld = 0x1de,
  f32x4_sub_lld = 0x1df,
  f32x4_mul_lld = 0x1e0,
  f64x2_add_lld = 0x1e1,
  f64x2_sub_lld = 0x1e2,
  f64x2_mul_lld = 0x1e3,
  i32x4_add_lld = 0x1e4,
  i32x4_sub_lld = 0x1e5,
  i32x4_mul_lld = 0x1e6,
  /**
   * local.get b; …; v128.store, where the nodes between push one vector
   * and write no local: those nodes, then the store to local b + a.
   */
  vstore_l = 0x1e7,
  /**
   * A lane-wise fast form and the vstore_l after it (simd/fuse.ts): the
   * operation as its form c (one of the 27 above, fields a, b, d as its
   * own), then its result stored to local g + e (e = the store's offset).
   */
  vlane_st = 0x1e8,
  /**
   * A counted loop's step and a test against a computed bound (fuse.ts):
   * local d = local a OP1 constant b, then branch to `body`[f] when the new
   * value compares with (local g OP2 constant e). c = OP1 | outcomes << 8
   * (see brif_*) | 0x800 when unsigned | OP2 << 12.
   */
  step_brif_k = 0x1e9,
  /** i32.const or f32.const a; return (finishBody: the return's node stays after it, as return_l's). */
  return_k = 0x1ea,
  /**
   * local c = local b + the stack top (popped) * the f64 loaded from a
   * load_lbase_idx address (fields a, f, g, e, d as there): local.get b; X;
   * that load; f64.mul; f64.add; local.set c, after X (fuse.ts).
   */
  f64_madd_lbase_idx = 0x1ec,
  /** An i32 load from local a (fields as load_l's), i32.eqz and if: as if_z of the loaded value. */
  if_load_z = 0x1ed,
  /**
   * ref.is_null; if (gc/prepare.ts's fuseIfNull): as `if`, the then body
   * when the reference is null. a = where the reference comes from: 0 the
   * stack top (popped); 1 a reference field (slot c) of the struct in local
   * g, 2 of the struct on the stack top (popped), the struct.get and
   * ref.is_null that P.struct_get_l or P.struct_get with d = 2 stand for
   * (a null struct traps as there).
   */
  if_null = 0x1ee,
  /** ref.is_null; br_if whose branch moves nothing: continue at `body`[d] when null; a, c, g as if_null's. */
  brif_null = 0x1ef,
  /**
   * struct.new (P.struct_new, fields as its own) followed by a return
   * (finishBody, gc/prepare.ts's fuseStructReturn; the return's node stays
   * after it, as return_k's): the new struct goes straight to the frame
   * base when it is the function's one result, and the function returns.
   */
  struct_new_ret = 0x1f0,
  // Memory forms of compilers' everyday code (fuse.ts; fields c, b, d as
  // load_l's: the access, its width, its offset), in free codes below 0x1f7 and above 0x1f8.
  /** A load from address local a written to local e (load_l; local.set e): `x = p->f`. */
  load_l_set = 0x1f1,
  /** A load from address local a written to local e and pushed (load_l; local.tee e). */
  load_l_tee = 0x1f2,
  /** A load from address local a << e (local.get a; i32.const e; i32.shl; load): an element of a table at a constant address (the offset). */
  load_l_shl = 0x1f3,
  /**
   * A store of the stack top (popped) at address local a: local.get a; X;
   * store, where X computes the value without branching or writing local a
   * (fuse.ts's valueStart): X; this node.
   */
  store_ls = 0x1f4,
  /**
   * An i32 field updated in place (fuse.ts's updateOf): at address local a +
   * offset d, the i32 there OP constant b (c = the operation; an i32.sub's
   * constant stored negated as an add) written back, checked once (the
   * store's address is the load's): local.get a; local.get a; i32.load d;
   * i32.const b; OP; i32.store d, clang's `p->f += k`. f = 1: the old value
   * also to local e (a local.tee after the load), f = 2: the new one (a
   * local.tee before the store), f = 0: neither.
   */
  update_lk = 0x1f5,
  /** A load from the address on the stack (popped) to local e (load; local.set e): `x = *e` (fields c, b, d as load_l's). */
  load_s_set = 0x1f6,
  /**
   * if_null whose then body starts with a constant's return (P.return_k;
   * gc/prepare.ts's finishNullTests): when the reference is null, returns
   * the constant e as that return_k does, without entering the then body;
   * else as if_null. a, c, g, body and else_ as if_null's; f = 1: the
   * function returns one number, written to the frame base (return_k's g).
   */
  if_null_ret = 0x1f7,
  /**
   * y = local d OP1 (a vector loaded from local b + a), then OP2 the vector
   * at local g + e, stored back there (simd/fuse.ts): an OP1_lld form (c,
   * fields a, b, d as its own), an OP2_ld form of the same lane shape whose
   * load and the store after it have the same address (OP2 as its plain
   * form in f), one node: `y = a * x + y`, `y = y - a * x`... (0x1f8: the
   * vector codes from 0x1f8 up.)
   */
  vlane2_st = 0x1f8,
  /** As load_s_set, the value also pushed in the address's place (load; local.tee e). */
  load_s_tee = 0x1f9,
  /**
   * local.get a; local.get b (get2), and local.get c after them (get3):
   * pushes before a block starts that no node after them can take into a
   * fused form (prepare.ts's fuseGets): SpiderMonkey's dispatch pushes its
   * frame three times before its blocks.
   */
  get2 = 0x1fa,
  get3 = 0x1fb,
}

/**
 * One node of a prepared body. Every node has the same fields, whatever its
 * opcode, so the loop's property reads stay monomorphic; the meaning of
 * a..e by opcode is as in ast.ts for wasm opcodes (with offsets `| 0`) and
 * as documented on `P` for the rest.
 */
export class PNode {
  // Declared only, and each stored by the constructor, in this order, with
  // a value of its final kind. Not class field initialisers: V8 runs those
  // as a function of their own, a second call for every node made while
  // preparing or rebuilding (prepared-store.ts) runs unoptimised; not
  // parameter properties either: with ES2022 class fields those would start
  // as undefined, and V8 would then keep `op` as a generic tagged field and
  // check its type at every dispatch.
  declare op: number;
  declare a: number;
  declare b: number;
  declare c: number;
  declare d: number;
  declare e: number;
  declare f: number;
  declare g: number;
  /** loop (an O.block node), try_table, if: the (then) body; branches: the body they continue in. */
  declare body: PNode[] | null;
  /** if: the else body, null when absent. */
  declare else_: PNode[] | null;
  /** br_table: one branch node per label, the default last (its `b`: a constant the index is reduced by first, fuse.ts). */
  declare targets: PNode[] | null;
  /** The instruction this node starts with (helpers read its immediates; messages its offset). */
  declare readonly src: Instr;

  constructor(op: number, src: Instr) {
    this.op = op;
    this.a = 0; this.b = 0; this.c = 0; this.d = 0; this.e = 0; this.f = 0; this.g = 0;
    this.body = null;
    this.else_ = null;
    this.targets = null;
    this.src = src;
  }
}

/**
 * Gives PNode's map its final form before any code that makes or reads
 * nodes is optimised. V8 keeps a class's fields "const" until a second
 * store into one (the constructor's is the first), and tracks
 * spare in-object room over a class's first few instances; each change
 * comes with a map change that throws away the optimised code depending on
 * the old one. Left to happen on their own, they came with the first node
 * that had a field, an `else_` or `targets`, in the middle of a
 * serialized component's first call: the stored-code reader's first
 * optimised compile was thrown away "due to dependency change", and it ran
 * unoptimised for longer (prepared-store.ts). So, once at loading: enough
 * nodes to end the tracking, and a second store, of another value of the
 * field's own kind, into every field of one.
 */
function settleShape(): void {
  const src = new Instr(0);
  let n = new PNode(0, src);
  for (let k = 0; k < 16; k++) n = new PNode(0, src);
  n.op = 1; n.a = 1; n.b = 1; n.c = 1; n.d = 1; n.e = 1; n.f = 1; n.g = 1;
  n.body = []; n.else_ = []; n.targets = []; (n as { src: Instr }).src = new Instr(1);
}
settleShape();
