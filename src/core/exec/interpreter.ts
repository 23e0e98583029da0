// The interpreter loop: walks the prepared tree of node.ts (block, loop and
// if own their bodies; common sequences are fused into one node) with an
// explicit position (body array + index) and the explicit stacks of
// configuration.ts. Calls between interpreted functions push a frame and stay in
// this loop, so the JS stack does not grow with wasm recursion.
//
// Shape, for speed: one `switch` on `instr.op` with literal case labels
// (ops.ts, and node.ts's P right after them), so V8 makes it a jump table;
// the instructions real programs seldom run are not among them: `default`
// calls rare-instructions.ts, which runs them, because V8 optimises this
// function as a whole and a first call runs unoptimised until that is done
// (each case here makes the compile, and so every first call, longer);
// the configuration's arrays are constants of the loop (when a stack must grow,
// the loop returns GROW and is re-entered), the position and memory views
// are local variables (memory views reloaded after host calls, memory.grow
// and calls into another instance); slots are indexed as `(fp + a) << 1`,
// not `2 * (fp + a)`: a shift needs no overflow check in V8's optimised
// code, a multiplication does (loop 0.88x, matmul 0.95x CPU per call);
// no allocation per instruction except i64 global accesses here, and
// rare-instructions.ts's i64 multiplication, division, remainder and
// conversions, which use BigInt. A plain block costs nothing (preparation
// splices it into the body around it); a loop, if or try_table a node in
// and a jump out: every body ends in a node saying where to continue, and
// every branch knows its destination and whether it must move values. Every case ends in
// `continue`; the only ways out of the switch are `break`s for a return or
// a call of an interpreted function (`callee` set), handled after it.
// The loop's locals are `var`s, on purpose: V8 gives every block-scoped
// `const` or `let` a register of its own (each case's `j`, `x`, ...: a frame
// of over 500 registers), and TurboFan's graph builder copies the frame at
// every branch of this function, so optimizing the loop, which a first call
// waits for, took longer; with one register per name the frame is ~70
// registers and the bytecode 15% shorter. A name keeps one type throughout.
// Word arithmetic stays in int32s where real values can leave the range
// type feedback saw: TurboFan speculates from the values seen before it
// compiled (small, in the first calls) and throws its code away, and
// compiles again, at the first that is not. So a u32 made by `x >>> 0`
// (2^31 or more when the word is negative) goes only into a comparison
// with another such u32 (compiled as an unsigned comparison) or into an
// operation that truncates to 32 bits (`| 0`, division's), never into `+`,
// `-`, a typed-array store or a comparison with any other number: i64
// add and sub get their carry and borrow from bit operations, the
// unsigned conversions add 2^32 by a multiplication, and indices (br_table,
// call_indirect, GC arrays) are compared as int32s, where 2^31 or more is
// negative. The exception is the effective address of an access whose
// address or offset is 2^31 or more, an exact sum in doubles: it is
// computed only on the way to a trap, or in a memory of 2 GiB or more.

import { O } from './ops.js';
import { F32, F64, I32, I64 } from '../syntax/types.js';
import { funcTypeMatches } from '../syntax/reftypes.js';
import { Trap, TrapMessage } from '../errors.js';
import type { FuncInst } from '../runtime/func.js';
import type { Ref } from '../runtime/values.js';
import { WasmFunc } from './module-inst.js';
import { P, PNode } from './node.js';
import { Instr } from '../syntax/ast.js';
import { Entry, prepareCode } from './prepare.js';
import { GROW, type Configuration } from './configuration.js';
import * as N from './numerics.js';
import * as M from './memory-ops.js';
// Named imports for what the hot cases call: V8 inlines a call through a
// module binding more readily than one through a namespace object.
import { B, bin32 } from './i32-binary.js';
import { loadAt, storeAt } from './memory-access.js';
import { int32Limit } from './memory-ops.js';
import { addrFromWords } from '../syntax/addr-type.js';
import { Exn } from '../runtime/tag.js';
import { throwException } from './exceptions.js';
import { meter } from '../runtime/meter.js';
import { execSimd } from './simd/exec.js';
import { castMatches, execGc, structGot, structMade, structNew } from './gc/exec.js';
import { setSlot, slotOf, type GcArray, type GcStruct, type Slot } from '../runtime/gc-values.js';
import { moveVec } from './simd/lanes.js';
import { loadV128At, storeV128At } from './simd/memory.js';
import { fadd, fmul, fsub } from './simd/float.js';
import { iadd, imul, isub } from './simd/int.js';
import { stepHooks } from './debug-step.js';
import { execRare } from './rare-instructions.js';
import { buildBody } from './prepared-store.js';

// Fuel and deadlines (meter.ts): a checkpoint on every call, every throw and
// every taken branch back to a loop's start — the only branches that land at
// position 0 of a body, since a branch out of a block continues after it
// (after its last node, for a spliced one) —
// written out at each branch as `if (pc === 0 && --mt.ticks < 0) mt.refill()` (mt: the meter,
// read once into a local of execute).

/** Where a tail call of a host function continues: a return, outside every try_table. */
const TAIL_RETURN: PNode[] = [new PNode(P.return, new Instr(O.return))];

const NO_MEMORY = new Uint8Array(0);
const NO_VIEW = new DataView(new ArrayBuffer(0));
const NO_F32 = new Float32Array(0);
const NO_F64 = new Float64Array(0);

function oob(): Trap {
  return new Trap(TrapMessage.outOfBoundsMemory);
}

/**
 * Runs `t` from its saved position until its entry function returns
 * ('done'), a host call suspends ('suspended'), or a call needs bigger
 * stacks (GROW: the configuration grows them and calls this again).
 */
export function execute(t: Configuration): 'done' | 'suspended' | typeof GROW {
  var i32 = t.i32, f32 = t.f32, f64 = t.f64, i64 = t.i64, refs = t.refs;
  // v128 values (simd/lanes.ts), when this configuration has run code that has them: moves copy them too.
  var vec = t.vec, vw = vec === null ? null : vec.i32;
  var vf32 = vec === null ? NO_F32 : vec.f32, vf64 = vec === null ? NO_F64 : vec.f64;
  // The free frame (configuration.ts's Frame): where a call saves this
  // function's position; its `d` is the depth, its `next` null when the frames must grow.
  var fr = t.frames[t.depth]!;
  // The value stack's size, a constant of the loop as the views are: a call checks it without reading the configuration.
  var cap = t.cap;
  var sp = t.sp;
  // The meter, read once: an imported binding costs a load from its cell and a check at each use.
  var mt = meter;
  var func = t.func!, inst = func.inst;
  var body = t.body, pc = t.pc, fp = t.fp;
  var mem = inst.mem0;
  if (mem !== null) mem.refresh(); // a host may have grown it while the configuration was suspended
  var u8 = mem !== null ? mem.u8 : NO_MEMORY;
  var dv = mem !== null ? mem.view : NO_VIEW;
  var m64 = mem !== null ? mem.f64 : NO_F64;
  var memLen = u8.length;
  // memLen for the specialised loads and stores' int32 bounds check (scripts/gen-interp.ts's boundsCheck).
  var memLim = int32Limit(memLen);

  var callee: WasmFunc | null = null;

  // A trap leaves the loop by an exception: the position goes back into
  // the configuration first, so that the configuration can name the frames it unwound.
  // (The loop's body keeps its indentation: one try around it.)
  try {
  for (;;) {
    // Every body ends in an exit node (jump or return), so pc never runs off its end.
    var instr = body[pc++]!;
    switch (instr.op) {
      // ------------------------------------------------------------ control
      case O.unreachable:
        throw new Trap(TrapMessage.unreachable);
      case O.nop:
        continue;
      case O.block: case O.loop: case O.try_table:
        // A loop's O.block node (a plain block has one only in debug-prepared code) or a try_table.
        // Nothing to record: the body's exit node and every branch out of
        // it know where to continue.
        body = instr.body!; pc = 0;
        continue;
      case O.if:
        if (i32[--sp << 1] !== 0) { body = instr.body!; pc = 0; }
        else if (instr.else_ !== null) { body = instr.else_; pc = 0; }
        continue;
      case P.jump:
        body = instr.body!; pc = instr.a; if (pc === 0 && --mt.ticks < 0) mt.refill();
        continue;
      case P.br_move:
        sp = moveValues(i32, refs, vw, sp, instr.b, fp + instr.c);
        body = instr.body!; pc = instr.a; if (pc === 0 && --mt.ticks < 0) mt.refill();
        continue;
      case O.br_if:
        if (i32[--sp << 1] !== 0) { body = instr.body!; pc = instr.a; if (pc === 0 && --mt.ticks < 0) mt.refill(); }
        continue;
      case P.br_if_move:
        if (i32[--sp << 1] !== 0) {
          sp = moveValues(i32, refs, vw, sp, instr.b, fp + instr.c);
          body = instr.body!; pc = instr.a; if (pc === 0 && --mt.ticks < 0) mt.refill();
        }
        continue;
      case P.br_if_return:
        if (i32[--sp << 1] === 0) continue;
        break;
      case O.br_table: {
        // The index less b (0, or the constant of an i32.sub before it: fuse.ts), wrapping as i32.sub does;
        // an index of 2^31 or more is a negative int32 here: the default, as any index from a on.
        var k = (i32[--sp << 1]! - instr.b) | 0;
        var targets = instr.targets!;
        var tg = targets[k >= 0 && k < instr.a ? k : instr.a]!;
        if (tg.op === P.return) break;
        if (tg.op === P.br_move) sp = moveValues(i32, refs, vw, sp, tg.b, fp + tg.c);
        body = tg.body!; pc = tg.a; if (pc === 0 && --mt.ticks < 0) mt.refill();
        continue;
      }
      case P.return:
        break;
      case P.return_l: {
        // The function's one result goes straight to the frame base, where the return leaves it.
        var l = (fp + instr.a) << 1;
        if (instr.g !== 0) { var d = fp << 1; i32[d] = i32[l]!; i32[d + 1] = i32[l + 1]!; sp = fp + 1; break; }
        var j = sp++ << 1;
        i32[j] = i32[l]!; i32[j + 1] = i32[l + 1]!;
        break;
      }
      case P.return_k:
        // A constant returned, to the frame base as return_l's local.
        if (instr.g !== 0) { i32[fp << 1] = instr.a; sp = fp + 1; break; }
        i32[sp++ << 1] = instr.a;
        break;
      case O.throw: case O.throw_ref: {
        if (--mt.ticks < 0) mt.refill();
        // Leave the loop: the throw finds its handler from the saved
        // position and sets the configuration there, and the loop starts again.
        var exn: Exn;
        if (instr.op === O.throw) {
          var tag = inst.tags[instr.a]!;
          var types = tag.type.params;
          sp -= types.length;
          var payload = new Array(types.length);
          for (var k = 0; k < types.length; k++) payload[k] = t.readValue(sp + k, types[k]!);
          exn = new Exn(tag, payload);
        } else {
          var ref = refs[--sp]!;
          if (ref === null) throw new Trap(TrapMessage.nullExceptionReference);
          exn = ref as Exn;
        }
        t.sp = sp; t.depth = fr.d; t.func = func; t.body = body; t.pc = pc; t.fp = fp;
        throwException(t, exn);
        t.need(0, 0);
        return GROW;
      }
      case O.call: case O.call_indirect: case O.call_ref:
      case O.return_call: case O.return_call_indirect: case O.return_call_ref: {
        // return_*: tail calls (e = 1), which reuse this frame (after the switch).
        var op: number = instr.op;
        var f: FuncInst;
        // A function not referred to before is made now (ModuleInst.funcAt).
        if (op === O.call || op === O.return_call) f = inst.funcs[instr.a] ?? inst.funcAt(instr.a);
        else if (op === O.call_ref || op === O.return_call_ref) {
          var ref = refs[--sp]!;
          if (ref === null) throw new Trap(TrapMessage.nullFunctionReference);
          f = ref as FuncInst;
        } else {
          var tab = inst.tables[instr.b]!;
          sp--;
          // c = 1: a 64-bit table (prepare.ts), whose index is an i64.
          // An i32 index of 2^31 or more is a negative int32 here, out of bounds as any index past the size.
          var k = instr.c === 0 ? i32[sp << 1]! : addrFromWords(i32[sp << 1]!, i32[(sp << 1) + 1]!, true);
          if (k < 0 || k >= tab.size()) throw new Trap(`${TrapMessage.undefinedElement} ${k < 0 ? k >>> 0 : k}`);
          var fn = tab.get(k) as FuncInst | null;
          if (fn === null) throw new Trap(`${TrapMessage.uninitializedElement} ${k}`); // the reference interpreter names the index
          var want = inst.types[instr.a]!;
          if (fn.type !== want && !funcTypeMatches(fn.type, want)) throw new Trap(TrapMessage.indirectCallTypeMismatch);
          f = fn;
        }
        if (f instanceof WasmFunc) {
          callee = f;
          break;
        }
        // A tail call of a host function returns right after it, from a
        // body outside every try_table (the caller's handlers, not this
        // frame's, see an exception it throws).
        if (instr.e !== 0) { body = TAIL_RETURN; pc = 0; }
        sp = t.callHost(f, sp);
        if (sp < 0) {
          t.depth = fr.d; t.func = func; t.body = body; t.pc = pc; t.fp = fp;
          if (sp === -1) return 'suspended';
          // The host call ended with a wasm exception: throw it on here.
          throwException(t, t.pendingExn!);
          t.pendingExn = null;
          t.need(0, 0);
          return GROW;
        }
        if (mem !== null) { mem.refresh(); u8 = mem.u8; dv = mem.view; m64 = mem.f64; memLen = u8.length; memLim = int32Limit(memLen); }
        continue;
      }
      case P.br_on_null: case P.br_on_non_null: case P.br_on_cast: {
        // Not taken: br_on_null keeps the reference, br_on_non_null drops it (a null);
        // br_on_cast (d = 0) and br_on_cast_fail (d = 1), GC's (gc/exec.ts), keep it either way.
        var taken: boolean;
        if (instr.op === P.br_on_cast) {
          taken = castMatches(refs[sp - 1], instr.c, instr.e, instr.b) !== (instr.d !== 0);
        } else {
          var isNull = refs[sp - 1] === null;
          taken = instr.op === P.br_on_null ? isNull : !isNull;
          if (isNull) sp--;
        }
        if (!taken) continue;
        var tg = instr.targets![0]!;
        if (tg.op === P.return) break;
        if (tg.op === P.br_move) sp = moveValues(i32, refs, vw, sp, tg.b, fp + tg.c);
        body = tg.body!; pc = tg.a; if (pc === 0 && --mt.ticks < 0) mt.refill();
        continue;
      }
      case P.ref_as_non_null:
        if (refs[sp - 1] === null) throw new Trap(TrapMessage.nullReference);
        continue;
      case P.gc:
        sp = execGc(t, instr, sp, inst);
        continue;
      // GC's common instructions (gc/prepare.ts, node.ts): b = 1 for a reference field or element, c = a field's slot.
      case P.struct_new:
        sp = structNew(instr, i32, refs as Slot[], sp);
        continue;
      case P.struct_new_ret: {
        // struct.new; return: a function's one result made at its frame
        // base, so the return moves nothing (as return_l's local).
        var s = instr.d === 0 ? sp - instr.a : sp;
        var made = structMade(instr, i32, refs as Slot[], s);
        if (func.code.nresults === 1) { refs[fp] = made; sp = fp + 1; break; }
        refs[s] = made; sp = s + 1;
        break;
      }
      case P.struct_get: {
        var obj = refs[sp - 1] as GcStruct | null;
        if (obj === null) throw new Trap(TrapMessage.nullStructureReference);
        sp = structGot(slotOf(obj, instr.c), instr, i32, refs, sp - 1);
        continue;
      }
      case P.struct_get_l: {
        var obj = refs[fp + instr.g] as GcStruct | null;
        if (obj === null) throw new Trap(TrapMessage.nullStructureReference);
        sp = structGot(slotOf(obj, instr.c), instr, i32, refs, sp);
        continue;
      }
      case P.struct_set: {
        sp -= 2;
        var obj = refs[sp] as GcStruct | null;
        if (obj === null) throw new Trap(TrapMessage.nullStructureReference);
        setSlot(obj, instr.c, instr.b !== 0 ? refs[sp + 1]! : i32[(sp + 1) << 1]!);
        continue;
      }
      case P.array_get: {
        var a = refs[--sp - 1] as GcArray | null;
        if (a === null) throw new Trap(TrapMessage.nullArrayReference);
        var k = i32[sp << 1]!; // as an int32: an index of 2^31 or more is negative, and out of bounds
        if (k < 0 || k >= a.length) throw new Trap(TrapMessage.outOfBoundsArray);
        if (instr.b !== 0) refs[sp - 1] = a.r[k]!;
        else { i32[(sp - 1) << 1] = a.w[k]!; i32[((sp - 1) << 1) + 1] = 0; refs[sp - 1] = null; }
        continue;
      }
      case P.array_set: {
        sp -= 3;
        var a = refs[sp] as GcArray | null;
        if (a === null) throw new Trap(TrapMessage.nullArrayReference);
        var k = i32[(sp + 1) << 1]!;
        if (k < 0 || k >= a.length) throw new Trap(TrapMessage.outOfBoundsArray);
        if (instr.b !== 0) a.r[k] = refs[sp + 2]!;
        else a.w[k] = i32[(sp + 2) << 1]!;
        continue;
      }
      case P.array_len: {
        var a = refs[sp - 1] as GcArray | null;
        if (a === null) throw new Trap(TrapMessage.nullArrayReference);
        i32[(sp - 1) << 1] = a.length; i32[((sp - 1) << 1) + 1] = 0; refs[sp - 1] = null;
        continue;
      }
      case P.ref_test:
        i32[(sp - 1) << 1] = castMatches(refs[sp - 1], instr.c, instr.e, instr.b) ? 1 : 0;
        i32[((sp - 1) << 1) + 1] = 0; refs[sp - 1] = null;
        continue;
      case P.ref_cast:
        if (!castMatches(refs[sp - 1], instr.c, instr.e, instr.b)) throw new Trap(TrapMessage.castFailure);
        continue;

      // ---------------------------------------------------------- parametric
      case O.drop:
        sp--;
        continue;
      case O.select: {
        sp -= 2;
        if (i32[(sp << 1) + 2] === 0) {
          var d = (sp << 1) - 2, s = sp << 1;
          i32[d] = i32[s]; i32[d + 1] = i32[s + 1];
          if (vw !== null) moveVec(vw, sp - 1, sp); // the operands may be v128s
        }
        continue;
      }
      case O.select_t: {
        sp -= 2;
        if (i32[(sp << 1) + 2] === 0) {
          var d = (sp << 1) - 2, s = sp << 1;
          i32[d] = i32[s]; i32[d + 1] = i32[s + 1];
          refs[sp - 1] = refs[sp]!;
          if (vw !== null) moveVec(vw, sp - 1, sp);
        }
        continue;
      }

      // ----------------------------------------------------------- variables
      case O.local_get: {
        var l = (fp + instr.a) << 1, j = sp++ << 1;
        i32[j] = i32[l]!; i32[j + 1] = i32[l + 1]!;
        continue;
      }
      case P.get2: {
        // Two (get3: three) local.gets in one node (fuse.ts's fuseGets), each as O.local_get.
        var l = (fp + instr.a) << 1, j = sp << 1;
        i32[j] = i32[l]!; i32[j + 1] = i32[l + 1]!;
        l = (fp + instr.b) << 1; i32[j + 2] = i32[l]!; i32[j + 3] = i32[l + 1]!;
        sp += 2;
        continue;
      }
      case P.get3: {
        var l = (fp + instr.a) << 1, j = sp << 1;
        i32[j] = i32[l]!; i32[j + 1] = i32[l + 1]!;
        l = (fp + instr.b) << 1; i32[j + 2] = i32[l]!; i32[j + 3] = i32[l + 1]!;
        l = (fp + instr.c) << 1; i32[j + 4] = i32[l]!; i32[j + 5] = i32[l + 1]!;
        sp += 3;
        continue;
      }
      case O.local_set: {
        var l = (fp + instr.a) << 1, j = --sp << 1;
        i32[l] = i32[j]!; i32[l + 1] = i32[j + 1]!;
        continue;
      }
      case O.local_tee: {
        var l = (fp + instr.a) << 1, j = (sp << 1) - 2;
        i32[l] = i32[j]!; i32[l + 1] = i32[j + 1]!;
        continue;
      }
      case P.local_get_ref: {
        var l = fp + instr.a;
        i32[sp << 1] = i32[2 * l]!; i32[(sp << 1) + 1] = i32[2 * l + 1]!;
        refs[sp] = refs[l]!;
        sp++;
        continue;
      }
      case P.local_set_ref: {
        var l = fp + instr.a;
        sp--;
        i32[2 * l] = i32[sp << 1]!; i32[2 * l + 1] = i32[(sp << 1) + 1]!;
        refs[l] = refs[sp]!;
        continue;
      }
      case P.local_tee_ref: {
        var l = fp + instr.a, s = sp - 1;
        i32[2 * l] = i32[2 * s]!; i32[2 * l + 1] = i32[2 * s + 1]!;
        refs[l] = refs[s]!;
        continue;
      }
      case P.mov: {
        var l = (fp + instr.a) << 1, d = (fp + instr.d) << 1;
        i32[d] = i32[l]!; i32[d + 1] = i32[l + 1]!;
        continue;
      }
      case P.set_k:
        i32[(fp + instr.d) << 1] = instr.b;
        continue;
      case O.global_get: {
        var g = inst.globals[instr.a]!;
        var ty = g.type.type;
        if (ty === I32 || ty === F32) i32[sp << 1] = g.value as number;
        else if (ty === I64 || ty === F64) i64[sp] = g.value as bigint;
        else refs[sp] = g.value as Ref;
        sp++;
        continue;
      }
      case O.global_set: {
        var g = inst.globals[instr.a]!;
        var ty = g.type.type;
        sp--;
        if (ty === I32 || ty === F32) g.value = i32[sp << 1]!;
        else if (ty === I64 || ty === F64) g.value = i64[sp]!;
        else g.value = refs[sp]!;
        continue;
      }

      // -------------------------------------------------------------- memory
      // Effective address = u32 base + u32 offset, in doubles (no wrap). Each
      // load's and store's meaning is scripts/gen-interp.ts's table; the common
      // ones have cases of their own, the others go through memory-access.ts's
      // loadAt and storeAt (b = the access width, prepare.ts).
      // generated: memory (scripts/gen-interp.ts: edit its table, then npm run gen)
      // load: the address on the stack, replaced by the value
      case O.i32_load: { var j = (sp << 1) - 2; var at = i32[j]!, off = instr.a, ea = 0; if ((at | off) < 0 || at > memLim - 4 - off) { ea = (at >>> 0) + (off >>> 0); if (ea + 4 > memLen) throw oob(); } else ea = at + off; i32[j] = dv.getInt32(ea, true); continue; }
      case O.i64_load: { var j = (sp << 1) - 2; var at = i32[j]!, off = instr.a, ea = 0; if ((at | off) < 0 || at > memLim - 8 - off) { ea = (at >>> 0) + (off >>> 0); if (ea + 8 > memLen) throw oob(); } else ea = at + off; i32[j] = dv.getInt32(ea, true); i32[j + 1] = dv.getInt32(ea + 4, true); continue; }
      case O.f64_load: { var j = (sp << 1) - 2; var at = i32[j]!, off = instr.a, ea = 0; if ((at | off) < 0 || at > memLim - 8 - off) { ea = (at >>> 0) + (off >>> 0); if (ea + 8 > memLen) throw oob(); } else ea = at + off; if ((ea & 7) === 0) f64[j >> 1] = m64[ea >>> 3]!; else { i32[j] = dv.getInt32(ea, true); i32[j + 1] = dv.getInt32(ea + 4, true); } continue; }
      case O.i32_load8_u: { var j = (sp << 1) - 2; var at = i32[j]!, off = instr.a, ea = 0; if ((at | off) < 0 || at > memLim - 1 - off) { ea = (at >>> 0) + (off >>> 0); if (ea + 1 > memLen) throw oob(); } else ea = at + off; i32[j] = u8[ea]!; continue; }
      case O.f32_load: case O.i32_load8_s: case O.i32_load16_s: case O.i32_load16_u: case O.i64_load8_s: case O.i64_load8_u: case O.i64_load16_s: case O.i64_load16_u: case O.i64_load32_s: case O.i64_load32_u: { var j = (sp << 1) - 2; var at = i32[j]!, off = instr.a, ea = 0; if ((at | off) < 0 || at > memLim - instr.b - off) { ea = (at >>> 0) + (off >>> 0); if (ea + instr.b > memLen) throw oob(); } else ea = at + off; loadAt(i32, f64, j, dv, m64, u8, instr.op, ea); continue; }
      // store: the address and the value on the stack
      case O.i32_store: { sp -= 2; var j = sp << 1; var at = i32[j]!, off = instr.a, ea = 0; if ((at | off) < 0 || at > memLim - 4 - off) { ea = (at >>> 0) + (off >>> 0); if (ea + 4 > memLen) throw oob(); } else ea = at + off; dv.setInt32(ea, i32[j + 2]!, true); continue; }
      case O.i64_store: { sp -= 2; var j = sp << 1; var at = i32[j]!, off = instr.a, ea = 0; if ((at | off) < 0 || at > memLim - 8 - off) { ea = (at >>> 0) + (off >>> 0); if (ea + 8 > memLen) throw oob(); } else ea = at + off; dv.setInt32(ea, i32[j + 2]!, true); dv.setInt32(ea + 4, i32[j + 3]!, true); continue; }
      case O.f64_store: { sp -= 2; var j = sp << 1; var at = i32[j]!, off = instr.a, ea = 0; if ((at | off) < 0 || at > memLim - 8 - off) { ea = (at >>> 0) + (off >>> 0); if (ea + 8 > memLen) throw oob(); } else ea = at + off; dv.setInt32(ea, i32[j + 2]!, true); dv.setInt32(ea + 4, i32[j + 3]!, true); continue; }
      case O.i32_store8: { sp -= 2; var j = sp << 1; var at = i32[j]!, off = instr.a, ea = 0; if ((at | off) < 0 || at > memLim - 1 - off) { ea = (at >>> 0) + (off >>> 0); if (ea + 1 > memLen) throw oob(); } else ea = at + off; u8[ea] = i32[j + 2]!; continue; }
      case O.f32_store: case O.i32_store16: case O.i64_store8: case O.i64_store16: case O.i64_store32: { sp -= 2; var j = sp << 1; var at = i32[j]!, off = instr.a, ea = 0; if ((at | off) < 0 || at > memLim - instr.b - off) { ea = (at >>> 0) + (off >>> 0); if (ea + instr.b > memLen) throw oob(); } else ea = at + off; storeAt(dv, u8, instr.op, ea, i32[j + 2]!, i32[j + 3]!); continue; }
      // end generated: memory
      case O.memory_grow:
        sp = M.memoryGrow(t, inst, instr.src, sp);
        // Memory 0 may be the grown memory, or share its buffer (imported twice).
        if (mem !== null) { mem.refresh(); u8 = mem.u8; dv = mem.view; m64 = mem.f64; memLen = u8.length; memLim = int32Limit(memLen); }
        continue;

      // ----------------------------------------------------------- constants
      case O.i32_const: case O.f32_const:
        i32[sp++ << 1] = instr.a;
        continue;
      case O.i64_const: case O.f64_const: {
        // The 64 bits as two words (a low, b high: node.ts): no BigInt.
        var j = sp++ << 1;
        i32[j] = instr.a; i32[j + 1] = instr.b;
        continue;
      }

      // --------------------------------------------------------------- i32
      case O.i32_eqz: { var j = (sp << 1) - 2; i32[j] = i32[j] === 0 ? 1 : 0; continue; }
      // generated: i32-binary (scripts/gen-interp.ts: edit its table, then npm run gen)
      case O.i32_eq: { var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!; i32[j - 2] = x === y ? 1 : 0; continue; }
      case O.i32_ne: { var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!; i32[j - 2] = x !== y ? 1 : 0; continue; }
      case O.i32_lt_s: { var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!; i32[j - 2] = x < y ? 1 : 0; continue; }
      case O.i32_lt_u: { var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!; i32[j - 2] = (x >>> 0) < (y >>> 0) ? 1 : 0; continue; }
      case O.i32_gt_s: { var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!; i32[j - 2] = x > y ? 1 : 0; continue; }
      case O.i32_gt_u: { var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!; i32[j - 2] = (x >>> 0) > (y >>> 0) ? 1 : 0; continue; }
      case O.i32_le_s: { var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!; i32[j - 2] = x <= y ? 1 : 0; continue; }
      case O.i32_le_u: { var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!; i32[j - 2] = (x >>> 0) <= (y >>> 0) ? 1 : 0; continue; }
      case O.i32_ge_s: { var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!; i32[j - 2] = x >= y ? 1 : 0; continue; }
      case O.i32_ge_u: { var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!; i32[j - 2] = (x >>> 0) >= (y >>> 0) ? 1 : 0; continue; }
      case O.i32_add: { var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!; i32[j - 2] = (x + y) | 0; continue; }
      case O.i32_sub: { var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!; i32[j - 2] = (x - y) | 0; continue; }
      case O.i32_mul: { var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!; i32[j - 2] = Math.imul(x, y); continue; }
      case O.i32_div_s: { var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!; i32[j - 2] = N.divS32(x, y); continue; }
      case O.i32_div_u: { var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!; i32[j - 2] = N.divU32(x, y); continue; }
      case O.i32_rem_s: { var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!; i32[j - 2] = N.remS32(x, y); continue; }
      case O.i32_rem_u: { var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!; i32[j - 2] = N.remU32(x, y); continue; }
      case O.i32_and: { var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!; i32[j - 2] = x & y; continue; }
      case O.i32_or: { var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!; i32[j - 2] = x | y; continue; }
      case O.i32_xor: { var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!; i32[j - 2] = x ^ y; continue; }
      case O.i32_shl: { var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!; i32[j - 2] = x << y; continue; }
      case O.i32_shr_s: { var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!; i32[j - 2] = x >> y; continue; }
      case O.i32_shr_u: { var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!; i32[j - 2] = (x >>> y) | 0; continue; }
      // end generated: i32-binary

      // --------------------------------------------------------------- i64
      // Words: low at i32[2s], high at i32[2s+1]; i32 results go to the low word.
      // Bit counts, multiplication, division, remainder and rotations are
      // rare-instructions.ts's.
      case O.i64_eqz: { var j = (sp << 1) - 2; i32[j] = (i32[j]! | i32[j + 1]!) === 0 ? 1 : 0; continue; }
      case O.i64_eq: { var j = --sp << 1; i32[j - 2] = i32[j - 2] === i32[j] && i32[j - 1] === i32[j + 1] ? 1 : 0; continue; }
      case O.i64_ne: { var j = --sp << 1; i32[j - 2] = i32[j - 2] !== i32[j] || i32[j - 1] !== i32[j + 1] ? 1 : 0; continue; }
      case O.i64_lt_s: { var j = --sp << 1; i32[j - 2] = N.cmpS64(i32[j - 2]!, i32[j - 1]!, i32[j]!, i32[j + 1]!) < 0 ? 1 : 0; continue; }
      case O.i64_lt_u: { var j = --sp << 1; i32[j - 2] = N.cmpU64(i32[j - 2]!, i32[j - 1]!, i32[j]!, i32[j + 1]!) < 0 ? 1 : 0; continue; }
      case O.i64_gt_s: { var j = --sp << 1; i32[j - 2] = N.cmpS64(i32[j - 2]!, i32[j - 1]!, i32[j]!, i32[j + 1]!) > 0 ? 1 : 0; continue; }
      case O.i64_gt_u: { var j = --sp << 1; i32[j - 2] = N.cmpU64(i32[j - 2]!, i32[j - 1]!, i32[j]!, i32[j + 1]!) > 0 ? 1 : 0; continue; }
      case O.i64_le_s: { var j = --sp << 1; i32[j - 2] = N.cmpS64(i32[j - 2]!, i32[j - 1]!, i32[j]!, i32[j + 1]!) <= 0 ? 1 : 0; continue; }
      case O.i64_le_u: { var j = --sp << 1; i32[j - 2] = N.cmpU64(i32[j - 2]!, i32[j - 1]!, i32[j]!, i32[j + 1]!) <= 0 ? 1 : 0; continue; }
      case O.i64_ge_s: { var j = --sp << 1; i32[j - 2] = N.cmpS64(i32[j - 2]!, i32[j - 1]!, i32[j]!, i32[j + 1]!) >= 0 ? 1 : 0; continue; }
      case O.i64_ge_u: { var j = --sp << 1; i32[j - 2] = N.cmpU64(i32[j - 2]!, i32[j - 1]!, i32[j]!, i32[j + 1]!) >= 0 ? 1 : 0; continue; }
      // add and sub word by word, in int32s only (see the header): the
      // carry out of the low word is bit 31 of (x & y) | ((x | y) & ~lo),
      // the borrow bit 31 of (~x & y) | (~(x ^ y) & lo) (Hacker's Delight 2-13).
      case O.i64_add: {
        var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!, lo = (x + y) | 0;
        i32[j - 2] = lo;
        i32[j - 1] = (i32[j - 1]! + i32[j + 1]! + (((x & y) | ((x | y) & ~lo)) >>> 31)) | 0;
        continue;
      }
      case O.i64_sub: {
        var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!, lo = (x - y) | 0;
        i32[j - 2] = lo;
        i32[j - 1] = (i32[j - 1]! - i32[j + 1]! - (((~x & y) | (~(x ^ y) & lo)) >>> 31)) | 0;
        continue;
      }
      case O.i64_and: { var j = --sp << 1; i32[j - 2] &= i32[j]!; i32[j - 1] &= i32[j + 1]!; continue; }
      case O.i64_or: { var j = --sp << 1; i32[j - 2] |= i32[j]!; i32[j - 1] |= i32[j + 1]!; continue; }
      case O.i64_xor: { var j = --sp << 1; i32[j - 2] ^= i32[j]!; i32[j - 1] ^= i32[j + 1]!; continue; }
      case O.i64_shl: { var j = --sp << 1; N.shl64(i32, j - 2, i32[j]!); continue; }
      case O.i64_shr_s: { var j = --sp << 1; N.shrS64(i32, j - 2, i32[j]!); continue; }
      case O.i64_shr_u: { var j = --sp << 1; N.shrU64(i32, j - 2, i32[j]!); continue; }

      // --------------------------------------------------------------- f32
      // Comparisons and arithmetic go through JS numbers (a Float32Array
      // store rounds to single precision once, which is exact for + - * /
      // computed in double); neg and abs touch only the sign bit so NaN
      // payloads survive. Rounding, sqrt, min, max and copysign, of f64's
      // too, are rare-instructions.ts's.
      case O.f32_eq: { var j = --sp << 1; i32[j - 2] = f32[j - 2] === f32[j] ? 1 : 0; continue; }
      case O.f32_ne: { var j = --sp << 1; i32[j - 2] = f32[j - 2] !== f32[j] ? 1 : 0; continue; }
      case O.f32_lt: { var j = --sp << 1; i32[j - 2] = f32[j - 2]! < f32[j]! ? 1 : 0; continue; }
      case O.f32_gt: { var j = --sp << 1; i32[j - 2] = f32[j - 2]! > f32[j]! ? 1 : 0; continue; }
      case O.f32_le: { var j = --sp << 1; i32[j - 2] = f32[j - 2]! <= f32[j]! ? 1 : 0; continue; }
      case O.f32_ge: { var j = --sp << 1; i32[j - 2] = f32[j - 2]! >= f32[j]! ? 1 : 0; continue; }
      case O.f32_abs: { var j = (sp << 1) - 2; i32[j] &= 0x7fffffff; continue; }
      case O.f32_neg: { var j = (sp << 1) - 2; i32[j] ^= -0x80000000; continue; }
      case O.f32_add: { var j = --sp << 1; f32[j - 2] = f32[j - 2]! + f32[j]!; continue; }
      case O.f32_sub: { var j = --sp << 1; f32[j - 2] = f32[j - 2]! - f32[j]!; continue; }
      case O.f32_mul: { var j = --sp << 1; f32[j - 2] = f32[j - 2]! * f32[j]!; continue; }
      case O.f32_div: { var j = --sp << 1; f32[j - 2] = f32[j - 2]! / f32[j]!; continue; }

      // --------------------------------------------------------------- f64
      case O.f64_eq: { sp--; var r = f64[sp - 1] === f64[sp] ? 1 : 0; i32[(sp << 1) - 2] = r; continue; }
      case O.f64_ne: { sp--; var r = f64[sp - 1] !== f64[sp] ? 1 : 0; i32[(sp << 1) - 2] = r; continue; }
      case O.f64_lt: { sp--; var r = f64[sp - 1]! < f64[sp]! ? 1 : 0; i32[(sp << 1) - 2] = r; continue; }
      case O.f64_gt: { sp--; var r = f64[sp - 1]! > f64[sp]! ? 1 : 0; i32[(sp << 1) - 2] = r; continue; }
      case O.f64_le: { sp--; var r = f64[sp - 1]! <= f64[sp]! ? 1 : 0; i32[(sp << 1) - 2] = r; continue; }
      case O.f64_ge: { sp--; var r = f64[sp - 1]! >= f64[sp]! ? 1 : 0; i32[(sp << 1) - 2] = r; continue; }
      case O.f64_abs: { var j = (sp << 1) - 1; i32[j] &= 0x7fffffff; continue; }
      case O.f64_neg: { var j = (sp << 1) - 1; i32[j] ^= -0x80000000; continue; }
      case O.f64_add: sp--; f64[sp - 1] = f64[sp - 1]! + f64[sp]!; continue;
      case O.f64_sub: sp--; f64[sp - 1] = f64[sp - 1]! - f64[sp]!; continue;
      case O.f64_mul: sp--; f64[sp - 1] = f64[sp - 1]! * f64[sp]!; continue;
      case O.f64_div: sp--; f64[sp - 1] = f64[sp - 1]! / f64[sp]!; continue;

      // --------------------------------------------------------- conversions
      // The common ones; the truncations, the conversions from i64,
      // demote, promote and i64.extendN_s are rare-instructions.ts's.
      case O.i32_wrap_i64:
        continue; // the low word is the result
      case O.i64_extend_i32_s: { var j = (sp << 1) - 2; i32[j + 1] = i32[j]! >> 31; continue; }
      case O.i64_extend_i32_u: { var j = (sp << 1) - 2; i32[j + 1] = 0; continue; }
      case O.f32_convert_i32_s: { var j = (sp << 1) - 2; f32[j] = i32[j]!; continue; }
      // The unsigned conversions add 2^32 to a negative word: `x >>> 0` would be speculated below 2^31 (see the header).
      case O.f32_convert_i32_u: { var j = (sp << 1) - 2, x = i32[j]!; f32[j] = x - (x >> 31) * 4294967296; continue; }
      case O.f64_convert_i32_s: { var s = sp - 1; f64[s] = i32[2 * s]!; continue; }
      case O.f64_convert_i32_u: { var s = sp - 1, x = i32[2 * s]!; f64[s] = x - (x >> 31) * 4294967296; continue; }
      case O.i32_reinterpret_f32: case O.i64_reinterpret_f64:
      case O.f32_reinterpret_i32: case O.f64_reinterpret_i64:
        continue; // same bits, same slot
      case O.i32_extend8_s: { var j = (sp << 1) - 2; i32[j] = (i32[j]! << 24) >> 24; continue; }
      case O.i32_extend16_s: { var j = (sp << 1) - 2; i32[j] = (i32[j]! << 16) >> 16; continue; }

      // ---------------------------------------------------------- references
      case O.ref_null:
        refs[sp] = null;
        i32[sp << 1] = 0; i32[(sp << 1) + 1] = 0;
        sp++;
        continue;
      case O.ref_is_null: {
        var s = sp - 1;
        i32[2 * s] = refs[s] === null ? 1 : 0;
        continue;
      }

      // ------------------------------------------------- superinstructions
      // (fuse.ts): operands from locals (fp + a, fp + b) or constants (b).
      // The common i32 operations have an opcode per operand form (B,
      // i32-binary.ts), so that each is inline code; the others go through bin32.
      // generated: i32-fused (scripts/gen-interp.ts: edit its table, then npm run gen)
      // bin_ll: local a OP local b, pushed
      case B.bin_ll_add: { var x = i32[(fp + instr.a) << 1]!, y = i32[(fp + instr.b) << 1]!; i32[sp++ << 1] = (x + y) | 0; continue; }
      case B.bin_ll_sub: { var x = i32[(fp + instr.a) << 1]!, y = i32[(fp + instr.b) << 1]!; i32[sp++ << 1] = (x - y) | 0; continue; }
      case B.bin_ll_mul: { var x = i32[(fp + instr.a) << 1]!, y = i32[(fp + instr.b) << 1]!; i32[sp++ << 1] = Math.imul(x, y); continue; }
      case B.bin_ll_and: { var x = i32[(fp + instr.a) << 1]!, y = i32[(fp + instr.b) << 1]!; i32[sp++ << 1] = x & y; continue; }
      case B.bin_ll_or: { var x = i32[(fp + instr.a) << 1]!, y = i32[(fp + instr.b) << 1]!; i32[sp++ << 1] = x | y; continue; }
      case B.bin_ll_xor: { var x = i32[(fp + instr.a) << 1]!, y = i32[(fp + instr.b) << 1]!; i32[sp++ << 1] = x ^ y; continue; }
      case B.bin_ll_shl: { var x = i32[(fp + instr.a) << 1]!, y = i32[(fp + instr.b) << 1]!; i32[sp++ << 1] = x << y; continue; }
      case B.bin_ll_shr_s: { var x = i32[(fp + instr.a) << 1]!, y = i32[(fp + instr.b) << 1]!; i32[sp++ << 1] = x >> y; continue; }
      case B.bin_ll_shr_u: { var x = i32[(fp + instr.a) << 1]!, y = i32[(fp + instr.b) << 1]!; i32[sp++ << 1] = (x >>> y) | 0; continue; }
      // bin_lk: local a OP constant b, pushed
      case B.bin_lk_add: { var x = i32[(fp + instr.a) << 1]!, y = instr.b; i32[sp++ << 1] = (x + y) | 0; continue; }
      case B.bin_lk_sub: { var x = i32[(fp + instr.a) << 1]!, y = instr.b; i32[sp++ << 1] = (x - y) | 0; continue; }
      case B.bin_lk_mul: { var x = i32[(fp + instr.a) << 1]!, y = instr.b; i32[sp++ << 1] = Math.imul(x, y); continue; }
      case B.bin_lk_and: { var x = i32[(fp + instr.a) << 1]!, y = instr.b; i32[sp++ << 1] = x & y; continue; }
      case B.bin_lk_or: { var x = i32[(fp + instr.a) << 1]!, y = instr.b; i32[sp++ << 1] = x | y; continue; }
      case B.bin_lk_xor: { var x = i32[(fp + instr.a) << 1]!, y = instr.b; i32[sp++ << 1] = x ^ y; continue; }
      case B.bin_lk_shl: { var x = i32[(fp + instr.a) << 1]!, y = instr.b; i32[sp++ << 1] = x << y; continue; }
      case B.bin_lk_shr_s: { var x = i32[(fp + instr.a) << 1]!, y = instr.b; i32[sp++ << 1] = x >> y; continue; }
      case B.bin_lk_shr_u: { var x = i32[(fp + instr.a) << 1]!, y = instr.b; i32[sp++ << 1] = (x >>> y) | 0; continue; }
      // bin_sk: stack top OP constant b, in place
      case B.bin_sk_add: { var j = (sp << 1) - 2, x = i32[j]!, y = instr.b; i32[j] = (x + y) | 0; continue; }
      case B.bin_sk_sub: { var j = (sp << 1) - 2, x = i32[j]!, y = instr.b; i32[j] = (x - y) | 0; continue; }
      case B.bin_sk_mul: { var j = (sp << 1) - 2, x = i32[j]!, y = instr.b; i32[j] = Math.imul(x, y); continue; }
      case B.bin_sk_and: { var j = (sp << 1) - 2, x = i32[j]!, y = instr.b; i32[j] = x & y; continue; }
      case B.bin_sk_or: { var j = (sp << 1) - 2, x = i32[j]!, y = instr.b; i32[j] = x | y; continue; }
      case B.bin_sk_xor: { var j = (sp << 1) - 2, x = i32[j]!, y = instr.b; i32[j] = x ^ y; continue; }
      case B.bin_sk_shl: { var j = (sp << 1) - 2, x = i32[j]!, y = instr.b; i32[j] = x << y; continue; }
      case B.bin_sk_shr_s: { var j = (sp << 1) - 2, x = i32[j]!, y = instr.b; i32[j] = x >> y; continue; }
      case B.bin_sk_shr_u: { var j = (sp << 1) - 2, x = i32[j]!, y = instr.b; i32[j] = (x >>> y) | 0; continue; }
      // bin_sl: stack top OP local b, in place
      case B.bin_sl_add: { var j = (sp << 1) - 2, x = i32[j]!, y = i32[(fp + instr.b) << 1]!; i32[j] = (x + y) | 0; continue; }
      case B.bin_sl_sub: { var j = (sp << 1) - 2, x = i32[j]!, y = i32[(fp + instr.b) << 1]!; i32[j] = (x - y) | 0; continue; }
      case B.bin_sl_mul: { var j = (sp << 1) - 2, x = i32[j]!, y = i32[(fp + instr.b) << 1]!; i32[j] = Math.imul(x, y); continue; }
      case B.bin_sl_and: { var j = (sp << 1) - 2, x = i32[j]!, y = i32[(fp + instr.b) << 1]!; i32[j] = x & y; continue; }
      case B.bin_sl_or: { var j = (sp << 1) - 2, x = i32[j]!, y = i32[(fp + instr.b) << 1]!; i32[j] = x | y; continue; }
      case B.bin_sl_xor: { var j = (sp << 1) - 2, x = i32[j]!, y = i32[(fp + instr.b) << 1]!; i32[j] = x ^ y; continue; }
      case B.bin_sl_shl: { var j = (sp << 1) - 2, x = i32[j]!, y = i32[(fp + instr.b) << 1]!; i32[j] = x << y; continue; }
      case B.bin_sl_shr_s: { var j = (sp << 1) - 2, x = i32[j]!, y = i32[(fp + instr.b) << 1]!; i32[j] = x >> y; continue; }
      case B.bin_sl_shr_u: { var j = (sp << 1) - 2, x = i32[j]!, y = i32[(fp + instr.b) << 1]!; i32[j] = (x >>> y) | 0; continue; }
      // bin_ll_set: local a OP local b, to local d
      case B.bin_ll_set_add: { var x = i32[(fp + instr.a) << 1]!, y = i32[(fp + instr.b) << 1]!; i32[(fp + instr.d) << 1] = (x + y) | 0; continue; }
      case B.bin_ll_set_sub: { var x = i32[(fp + instr.a) << 1]!, y = i32[(fp + instr.b) << 1]!; i32[(fp + instr.d) << 1] = (x - y) | 0; continue; }
      case B.bin_ll_set_mul: { var x = i32[(fp + instr.a) << 1]!, y = i32[(fp + instr.b) << 1]!; i32[(fp + instr.d) << 1] = Math.imul(x, y); continue; }
      case B.bin_ll_set_and: { var x = i32[(fp + instr.a) << 1]!, y = i32[(fp + instr.b) << 1]!; i32[(fp + instr.d) << 1] = x & y; continue; }
      case B.bin_ll_set_or: { var x = i32[(fp + instr.a) << 1]!, y = i32[(fp + instr.b) << 1]!; i32[(fp + instr.d) << 1] = x | y; continue; }
      case B.bin_ll_set_xor: { var x = i32[(fp + instr.a) << 1]!, y = i32[(fp + instr.b) << 1]!; i32[(fp + instr.d) << 1] = x ^ y; continue; }
      case B.bin_ll_set_shl: { var x = i32[(fp + instr.a) << 1]!, y = i32[(fp + instr.b) << 1]!; i32[(fp + instr.d) << 1] = x << y; continue; }
      case B.bin_ll_set_shr_s: { var x = i32[(fp + instr.a) << 1]!, y = i32[(fp + instr.b) << 1]!; i32[(fp + instr.d) << 1] = x >> y; continue; }
      case B.bin_ll_set_shr_u: { var x = i32[(fp + instr.a) << 1]!, y = i32[(fp + instr.b) << 1]!; i32[(fp + instr.d) << 1] = (x >>> y) | 0; continue; }
      // bin_lk_set: local a OP constant b, to local d
      case B.bin_lk_set_add: { var x = i32[(fp + instr.a) << 1]!, y = instr.b; i32[(fp + instr.d) << 1] = (x + y) | 0; continue; }
      case B.bin_lk_set_sub: { var x = i32[(fp + instr.a) << 1]!, y = instr.b; i32[(fp + instr.d) << 1] = (x - y) | 0; continue; }
      case B.bin_lk_set_mul: { var x = i32[(fp + instr.a) << 1]!, y = instr.b; i32[(fp + instr.d) << 1] = Math.imul(x, y); continue; }
      case B.bin_lk_set_and: { var x = i32[(fp + instr.a) << 1]!, y = instr.b; i32[(fp + instr.d) << 1] = x & y; continue; }
      case B.bin_lk_set_or: { var x = i32[(fp + instr.a) << 1]!, y = instr.b; i32[(fp + instr.d) << 1] = x | y; continue; }
      case B.bin_lk_set_xor: { var x = i32[(fp + instr.a) << 1]!, y = instr.b; i32[(fp + instr.d) << 1] = x ^ y; continue; }
      case B.bin_lk_set_shl: { var x = i32[(fp + instr.a) << 1]!, y = instr.b; i32[(fp + instr.d) << 1] = x << y; continue; }
      case B.bin_lk_set_shr_s: { var x = i32[(fp + instr.a) << 1]!, y = instr.b; i32[(fp + instr.d) << 1] = x >> y; continue; }
      case B.bin_lk_set_shr_u: { var x = i32[(fp + instr.a) << 1]!, y = instr.b; i32[(fp + instr.d) << 1] = (x >>> y) | 0; continue; }
      // bin_ss_set: the two values on top of the stack, to local d
      case B.bin_ss_set_add: { sp -= 2; var j = sp << 1, x = i32[j]!, y = i32[j + 2]!; i32[(fp + instr.d) << 1] = (x + y) | 0; continue; }
      case B.bin_ss_set_sub: { sp -= 2; var j = sp << 1, x = i32[j]!, y = i32[j + 2]!; i32[(fp + instr.d) << 1] = (x - y) | 0; continue; }
      case B.bin_ss_set_mul: { sp -= 2; var j = sp << 1, x = i32[j]!, y = i32[j + 2]!; i32[(fp + instr.d) << 1] = Math.imul(x, y); continue; }
      case B.bin_ss_set_and: { sp -= 2; var j = sp << 1, x = i32[j]!, y = i32[j + 2]!; i32[(fp + instr.d) << 1] = x & y; continue; }
      case B.bin_ss_set_or: { sp -= 2; var j = sp << 1, x = i32[j]!, y = i32[j + 2]!; i32[(fp + instr.d) << 1] = x | y; continue; }
      case B.bin_ss_set_xor: { sp -= 2; var j = sp << 1, x = i32[j]!, y = i32[j + 2]!; i32[(fp + instr.d) << 1] = x ^ y; continue; }
      case B.bin_ss_set_shl: { sp -= 2; var j = sp << 1, x = i32[j]!, y = i32[j + 2]!; i32[(fp + instr.d) << 1] = x << y; continue; }
      case B.bin_ss_set_shr_s: { sp -= 2; var j = sp << 1, x = i32[j]!, y = i32[j + 2]!; i32[(fp + instr.d) << 1] = x >> y; continue; }
      case B.bin_ss_set_shr_u: { sp -= 2; var j = sp << 1, x = i32[j]!, y = i32[j + 2]!; i32[(fp + instr.d) << 1] = (x >>> y) | 0; continue; }
      // step_brif: local d = local a OP constant b, then branch when local d compares with local g
      case B.step_brif_add: { var x = i32[(fp + instr.a) << 1]!, y = instr.b, r = (x + y) | 0; i32[(fp + instr.d) << 1] = r; if (holds(instr.c >> 8, r ^ instr.e, i32[(fp + instr.g) << 1]! ^ instr.e)) { body = instr.body!; pc = instr.f; if (pc === 0 && --mt.ticks < 0) mt.refill(); } continue; }
      // step_back_ll: local d = local a OP local b, then the back-edge and the loop's first test
      case B.step_back_ll_add: { var x = i32[(fp + instr.a) << 1]!, y = i32[(fp + instr.b) << 1]!, r = (x + y) | 0; i32[(fp + instr.d) << 1] = r; if (--mt.ticks < 0) mt.refill(); if (holds(instr.c >> 8, r ^ instr.e, i32[(fp + instr.g) << 1]! ^ instr.e)) { body = instr.body!; pc = instr.f; if (pc === 0 && --mt.ticks < 0) mt.refill(); } else { body = instr.else_!; pc = 1; } continue; }
      // step_back_lk: local d = local a OP constant b, then the back-edge and the loop's first test
      case B.step_back_lk_add: { var x = i32[(fp + instr.a) << 1]!, y = instr.b, r = (x + y) | 0; i32[(fp + instr.d) << 1] = r; if (--mt.ticks < 0) mt.refill(); if (holds(instr.c >> 8, r ^ instr.e, i32[(fp + instr.g) << 1]! ^ instr.e)) { body = instr.body!; pc = instr.f; if (pc === 0 && --mt.ticks < 0) mt.refill(); } else { body = instr.else_!; pc = 1; } continue; }
      // bin_ss_ret: the two values on top of the stack, returned
      case B.bin_ss_ret_add: { var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!, r = (x + y) | 0; if (instr.g !== 0) { i32[fp << 1] = r; sp = fp + 1; } else i32[j - 2] = r; break; }
      case B.bin_ss_ret_sub: { var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!, r = (x - y) | 0; if (instr.g !== 0) { i32[fp << 1] = r; sp = fp + 1; } else i32[j - 2] = r; break; }
      case B.bin_ss_ret_mul: { var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!, r = Math.imul(x, y); if (instr.g !== 0) { i32[fp << 1] = r; sp = fp + 1; } else i32[j - 2] = r; break; }
      case B.bin_ss_ret_and: { var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!, r = x & y; if (instr.g !== 0) { i32[fp << 1] = r; sp = fp + 1; } else i32[j - 2] = r; break; }
      case B.bin_ss_ret_or: { var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!, r = x | y; if (instr.g !== 0) { i32[fp << 1] = r; sp = fp + 1; } else i32[j - 2] = r; break; }
      case B.bin_ss_ret_xor: { var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!, r = x ^ y; if (instr.g !== 0) { i32[fp << 1] = r; sp = fp + 1; } else i32[j - 2] = r; break; }
      case B.bin_ss_ret_shl: { var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!, r = x << y; if (instr.g !== 0) { i32[fp << 1] = r; sp = fp + 1; } else i32[j - 2] = r; break; }
      case B.bin_ss_ret_shr_s: { var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!, r = x >> y; if (instr.g !== 0) { i32[fp << 1] = r; sp = fp + 1; } else i32[j - 2] = r; break; }
      case B.bin_ss_ret_shr_u: { var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!, r = (x >>> y) | 0; if (instr.g !== 0) { i32[fp << 1] = r; sp = fp + 1; } else i32[j - 2] = r; break; }
      // call_lk: local a OP constant b, pushed, then a call of function d (defined in the module)
      case B.call_lk_add: { var x = i32[(fp + instr.a) << 1]!, y = instr.b; i32[sp++ << 1] = (x + y) | 0; callee = (inst.funcs[instr.d] ?? inst.funcAt(instr.d)) as WasmFunc; break; }
      case B.call_lk_sub: { var x = i32[(fp + instr.a) << 1]!, y = instr.b; i32[sp++ << 1] = (x - y) | 0; callee = (inst.funcs[instr.d] ?? inst.funcAt(instr.d)) as WasmFunc; break; }
      // end generated: i32-fused
      case P.bin_ll: case P.bin_lk: case P.bin_sk: case P.bin_sl: {
        // x: local a (ll, lk), or the stack top the result replaces (sk, sl);
        // y: local b (ll, sl), or the constant b (lk, sk).
        var op: number = instr.op, onStack = op === P.bin_sk || op === P.bin_sl;
        var j = onStack ? (sp << 1) - 2 : (sp++ << 1);
        var x = onStack ? i32[j]! : i32[(fp + instr.a) << 1]!;
        var y = op === P.bin_lk || op === P.bin_sk ? instr.b : i32[(fp + instr.b) << 1]!;
        i32[j] = bin32(instr.c, x, y);
        continue;
      }
      case P.bin_ss_ret: {
        var j = --sp << 1, r = bin32(instr.c, i32[j - 2]!, i32[j]!);
        if (instr.g !== 0) { i32[fp << 1] = r; sp = fp + 1; } else i32[j - 2] = r;
        break;
      }
      case P.bin_ss_set: {
        sp -= 2;
        var j = sp << 1;
        i32[(fp + instr.d) << 1] = bin32(instr.c, i32[j]!, i32[j + 2]!);
        continue;
      }
      case P.bin_ll_set:
        i32[(fp + instr.d) << 1] = bin32(instr.c, i32[(fp + instr.a) << 1]!, i32[(fp + instr.b) << 1]!);
        continue;
      case P.bin_lk_set:
        i32[(fp + instr.d) << 1] = bin32(instr.c, i32[(fp + instr.a) << 1]!, instr.b);
        continue;
      case P.bin_ll_tee: {
        var r = bin32(instr.c, i32[(fp + instr.a) << 1]!, i32[(fp + instr.b) << 1]!);
        i32[(fp + instr.d) << 1] = r; i32[sp++ << 1] = r;
        continue;
      }
      case P.bin_lk_tee: {
        var r = bin32(instr.c, i32[(fp + instr.a) << 1]!, instr.b);
        i32[(fp + instr.d) << 1] = r; i32[sp++ << 1] = r;
        continue;
      }
      case P.brif_ll:
        if (holds(instr.c, i32[(fp + instr.a) << 1]! ^ instr.e, i32[(fp + instr.b) << 1]! ^ instr.e)) { body = instr.body!; pc = instr.d; if (pc === 0 && --mt.ticks < 0) mt.refill(); }
        continue;
      case P.brif_lk:
        if (holds(instr.c, i32[(fp + instr.a) << 1]! ^ instr.e, instr.b)) { body = instr.body!; pc = instr.d; if (pc === 0 && --mt.ticks < 0) mt.refill(); }
        continue;
      case P.brif_sk:
        if (holds(instr.c, i32[--sp << 1]! ^ instr.e, instr.b)) { body = instr.body!; pc = instr.d; if (pc === 0 && --mt.ticks < 0) mt.refill(); }
        continue;
      case P.brif_sl:
        if (holds(instr.c, i32[--sp << 1]! ^ instr.e, i32[(fp + instr.b) << 1]! ^ instr.e)) { body = instr.body!; pc = instr.d; if (pc === 0 && --mt.ticks < 0) mt.refill(); }
        continue;
      case P.brif_ss: {
        sp -= 2;
        var j = sp << 1;
        if (holds(instr.c, i32[j]! ^ instr.e, i32[j + 2]! ^ instr.e)) { body = instr.body!; pc = instr.d; if (pc === 0 && --mt.ticks < 0) mt.refill(); }
        continue;
      }
      case P.back_ll: case P.back_lk: {
        // A loop's back-edge (a checkpoint), then the loop's first test.
        if (--mt.ticks < 0) mt.refill();
        var y = instr.op === P.back_ll ? i32[(fp + instr.b) << 1]! ^ instr.e : instr.b;
        if (holds(instr.c, i32[(fp + instr.a) << 1]! ^ instr.e, y)) { body = instr.body!; pc = instr.d; if (pc === 0 && --mt.ticks < 0) mt.refill(); }
        else { body = instr.else_!; pc = 1; }
        continue;
      }
      case P.step_back_ll: case P.step_back_lk: {
        var r = bin32(instr.c & 0xff, i32[(fp + instr.a) << 1]!, instr.op === P.step_back_ll ? i32[(fp + instr.b) << 1]! : instr.b);
        i32[(fp + instr.d) << 1] = r;
        if (--mt.ticks < 0) mt.refill(); // the back-edge's checkpoint
        if (holds(instr.c >> 8, r ^ instr.e, i32[(fp + instr.g) << 1]! ^ instr.e)) { body = instr.body!; pc = instr.f; if (pc === 0 && --mt.ticks < 0) mt.refill(); }
        else { body = instr.else_!; pc = 1; }
        continue;
      }
      case P.brif_z:
        if (i32[--sp << 1] === 0) { body = instr.body!; pc = instr.d; if (pc === 0 && --mt.ticks < 0) mt.refill(); }
        continue;
      case P.brif_l:
        if (i32[(fp + instr.a) << 1] !== 0) { body = instr.body!; pc = instr.d; if (pc === 0 && --mt.ticks < 0) mt.refill(); }
        continue;
      case P.if_ll:
        if (holds(instr.c, i32[(fp + instr.a) << 1]! ^ instr.e, i32[(fp + instr.b) << 1]! ^ instr.e)) { body = instr.body!; pc = 0; }
        else if (instr.else_ !== null) { body = instr.else_; pc = 0; }
        continue;
      case P.if_lk:
        if (holds(instr.c, i32[(fp + instr.a) << 1]! ^ instr.e, instr.b)) { body = instr.body!; pc = 0; }
        else if (instr.else_ !== null) { body = instr.else_; pc = 0; }
        continue;
      case P.if_sk:
        if (holds(instr.c, i32[--sp << 1]! ^ instr.e, instr.b)) { body = instr.body!; pc = 0; }
        else if (instr.else_ !== null) { body = instr.else_; pc = 0; }
        continue;
      case P.if_sl:
        if (holds(instr.c, i32[--sp << 1]! ^ instr.e, i32[(fp + instr.b) << 1]! ^ instr.e)) { body = instr.body!; pc = 0; }
        else if (instr.else_ !== null) { body = instr.else_; pc = 0; }
        continue;
      case P.if_ss: {
        sp -= 2;
        var j = sp << 1;
        if (holds(instr.c, i32[j]! ^ instr.e, i32[j + 2]! ^ instr.e)) { body = instr.body!; pc = 0; }
        else if (instr.else_ !== null) { body = instr.else_; pc = 0; }
        continue;
      }
      case P.if_z:
        if (i32[--sp << 1] === 0) { body = instr.body!; pc = 0; }
        else if (instr.else_ !== null) { body = instr.else_; pc = 0; }
        continue;
      case P.if_l:
        if (i32[(fp + instr.a) << 1] !== 0) { body = instr.body!; pc = 0; }
        else if (instr.else_ !== null) { body = instr.else_; pc = 0; }
        continue;
      // generated: memory-fused (scripts/gen-interp.ts: edit its table, then npm run gen)
      // load_l: from address local a, pushed
      case B.load_l_i32_load: { var at = i32[(fp + instr.a) << 1]!, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - 4 - off) { ea = (at >>> 0) + (off >>> 0); if (ea + 4 > memLen) throw oob(); } else ea = at + off; var j = sp++ << 1; i32[j] = dv.getInt32(ea, true); continue; }
      case B.load_l_i64_load: { var at = i32[(fp + instr.a) << 1]!, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - 8 - off) { ea = (at >>> 0) + (off >>> 0); if (ea + 8 > memLen) throw oob(); } else ea = at + off; var j = sp++ << 1; i32[j] = dv.getInt32(ea, true); i32[j + 1] = dv.getInt32(ea + 4, true); continue; }
      case B.load_l_f64_load: { var at = i32[(fp + instr.a) << 1]!, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - 8 - off) { ea = (at >>> 0) + (off >>> 0); if (ea + 8 > memLen) throw oob(); } else ea = at + off; var j = sp++ << 1; if ((ea & 7) === 0) f64[j >> 1] = m64[ea >>> 3]!; else { i32[j] = dv.getInt32(ea, true); i32[j + 1] = dv.getInt32(ea + 4, true); } continue; }
      case B.load_l_i32_load8_u: { var at = i32[(fp + instr.a) << 1]!, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - 1 - off) { ea = (at >>> 0) + (off >>> 0); if (ea + 1 > memLen) throw oob(); } else ea = at + off; var j = sp++ << 1; i32[j] = u8[ea]!; continue; }
      case P.load_l: { var at = i32[(fp + instr.a) << 1]!, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - instr.b - off) { ea = (at >>> 0) + (off >>> 0); if (ea + instr.b > memLen) throw oob(); } else ea = at + off; var j = sp++ << 1; loadAt(i32, f64, j, dv, m64, u8, instr.c, ea); continue; }
      // if_load_z: an i32 from address local a, then as if_z of it
      case B.if_load_z_i32_load: { var at = i32[(fp + instr.a) << 1]!, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - 4 - off) { ea = (at >>> 0) + (off >>> 0); if (ea + 4 > memLen) throw oob(); } else ea = at + off; var j = sp << 1; i32[j] = dv.getInt32(ea, true); if (i32[j] === 0) { body = instr.body!; pc = 0; } else if (instr.else_ !== null) { body = instr.else_; pc = 0; } continue; }
      case B.if_load_z_i32_load8_u: { var at = i32[(fp + instr.a) << 1]!, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - 1 - off) { ea = (at >>> 0) + (off >>> 0); if (ea + 1 > memLen) throw oob(); } else ea = at + off; var j = sp << 1; i32[j] = u8[ea]!; if (i32[j] === 0) { body = instr.body!; pc = 0; } else if (instr.else_ !== null) { body = instr.else_; pc = 0; } continue; }
      case P.if_load_z: { var at = i32[(fp + instr.a) << 1]!, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - instr.b - off) { ea = (at >>> 0) + (off >>> 0); if (ea + instr.b > memLen) throw oob(); } else ea = at + off; var j = sp << 1; loadAt(i32, f64, j, dv, m64, u8, instr.c, ea); if (i32[j] === 0) { body = instr.body!; pc = 0; } else if (instr.else_ !== null) { body = instr.else_; pc = 0; } continue; }
      // store_ll: local e at address local a
      case B.store_ll_i32_store: { var at = i32[(fp + instr.a) << 1]!, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - 4 - off) { ea = (at >>> 0) + (off >>> 0); if (ea + 4 > memLen) throw oob(); } else ea = at + off; var v = (fp + instr.e) << 1; dv.setInt32(ea, i32[v]!, true); continue; }
      case B.store_ll_i64_store: { var at = i32[(fp + instr.a) << 1]!, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - 8 - off) { ea = (at >>> 0) + (off >>> 0); if (ea + 8 > memLen) throw oob(); } else ea = at + off; var v = (fp + instr.e) << 1; dv.setInt32(ea, i32[v]!, true); dv.setInt32(ea + 4, i32[v + 1]!, true); continue; }
      case B.store_ll_f64_store: { var at = i32[(fp + instr.a) << 1]!, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - 8 - off) { ea = (at >>> 0) + (off >>> 0); if (ea + 8 > memLen) throw oob(); } else ea = at + off; var v = (fp + instr.e) << 1; dv.setInt32(ea, i32[v]!, true); dv.setInt32(ea + 4, i32[v + 1]!, true); continue; }
      case B.store_ll_i32_store8: { var at = i32[(fp + instr.a) << 1]!, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - 1 - off) { ea = (at >>> 0) + (off >>> 0); if (ea + 1 > memLen) throw oob(); } else ea = at + off; var v = (fp + instr.e) << 1; u8[ea] = i32[v]!; continue; }
      case P.store_ll: { var at = i32[(fp + instr.a) << 1]!, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - instr.b - off) { ea = (at >>> 0) + (off >>> 0); if (ea + instr.b > memLen) throw oob(); } else ea = at + off; var v = (fp + instr.e) << 1; storeAt(dv, u8, instr.c, ea, i32[v]!, i32[v + 1]!); continue; }
      // store_lk: the constant e (high word f) at address local a
      case B.store_lk_i32_store: { var at = i32[(fp + instr.a) << 1]!, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - 4 - off) { ea = (at >>> 0) + (off >>> 0); if (ea + 4 > memLen) throw oob(); } else ea = at + off; dv.setInt32(ea, instr.e, true); continue; }
      case B.store_lk_i64_store: { var at = i32[(fp + instr.a) << 1]!, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - 8 - off) { ea = (at >>> 0) + (off >>> 0); if (ea + 8 > memLen) throw oob(); } else ea = at + off; dv.setInt32(ea, instr.e, true); dv.setInt32(ea + 4, instr.f, true); continue; }
      case B.store_lk_i32_store8: { var at = i32[(fp + instr.a) << 1]!, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - 1 - off) { ea = (at >>> 0) + (off >>> 0); if (ea + 1 > memLen) throw oob(); } else ea = at + off; u8[ea] = instr.e; continue; }
      case P.store_lk: { var at = i32[(fp + instr.a) << 1]!, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - instr.b - off) { ea = (at >>> 0) + (off >>> 0); if (ea + instr.b > memLen) throw oob(); } else ea = at + off; storeAt(dv, u8, instr.c, ea, instr.e, instr.f); continue; }
      // store_sl: local e at the address on the stack
      case B.store_sl_i32_store: { var at = i32[--sp << 1]!, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - 4 - off) { ea = (at >>> 0) + (off >>> 0); if (ea + 4 > memLen) throw oob(); } else ea = at + off; var v = (fp + instr.e) << 1; dv.setInt32(ea, i32[v]!, true); continue; }
      case B.store_sl_i64_store: { var at = i32[--sp << 1]!, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - 8 - off) { ea = (at >>> 0) + (off >>> 0); if (ea + 8 > memLen) throw oob(); } else ea = at + off; var v = (fp + instr.e) << 1; dv.setInt32(ea, i32[v]!, true); dv.setInt32(ea + 4, i32[v + 1]!, true); continue; }
      case P.store_sl: { var at = i32[--sp << 1]!, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - instr.b - off) { ea = (at >>> 0) + (off >>> 0); if (ea + instr.b > memLen) throw oob(); } else ea = at + off; var v = (fp + instr.e) << 1; storeAt(dv, u8, instr.c, ea, i32[v]!, i32[v + 1]!); continue; }
      // load_ss_add: from the sum of the two values on top of the stack, in their place
      case P.load_ss_add: { var j = (--sp << 1) - 2; var at = (i32[j]! + i32[j + 2]!) | 0, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - instr.b - off) { ea = (at >>> 0) + (off >>> 0); if (ea + instr.b > memLen) throw oob(); } else ea = at + off; loadAt(i32, f64, j, dv, m64, u8, instr.c, ea); continue; }
      // load_ll_add: from local a + local e, pushed
      case P.load_ll_add: { var at = (i32[(fp + instr.a) << 1]! + i32[(fp + instr.e) << 1]!) | 0, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - instr.b - off) { ea = (at >>> 0) + (off >>> 0); if (ea + instr.b > memLen) throw oob(); } else ea = at + off; var j = sp++ << 1; loadAt(i32, f64, j, dv, m64, u8, instr.c, ea); continue; }
      // load_sl_add: from the stack top + local e, in its place
      case P.load_sl_add: { var j = (sp << 1) - 2; var at = (i32[j]! + i32[(fp + instr.e) << 1]!) | 0, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - instr.b - off) { ea = (at >>> 0) + (off >>> 0); if (ea + instr.b > memLen) throw oob(); } else ea = at + off; loadAt(i32, f64, j, dv, m64, u8, instr.c, ea); continue; }
      // load_shl: from the stack top << e, in its place
      case P.load_shl: { var j = (sp << 1) - 2; var at = i32[j]! << instr.e, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - instr.b - off) { ea = (at >>> 0) + (off >>> 0); if (ea + instr.b > memLen) throw oob(); } else ea = at + off; loadAt(i32, f64, j, dv, m64, u8, instr.c, ea); continue; }
      // load_add_shl: from x + (y << e), the two values on top of the stack, in their place
      case P.load_add_shl: { var j = (--sp << 1) - 2; var at = (i32[j]! + (i32[j + 2]! << instr.e)) | 0, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - instr.b - off) { ea = (at >>> 0) + (off >>> 0); if (ea + instr.b > memLen) throw oob(); } else ea = at + off; loadAt(i32, f64, j, dv, m64, u8, instr.c, ea); continue; }
      // load_idx: from (local a * local f + local g) << e, pushed
      case P.load_idx: { var k = Math.imul(i32[(fp + instr.a) << 1]!, i32[(fp + instr.f) << 1]!) + i32[(fp + instr.g) << 1]!; var at = k << instr.e, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - instr.b - off) { ea = (at >>> 0) + (off >>> 0); if (ea + instr.b > memLen) throw oob(); } else ea = at + off; var j = sp++ << 1; loadAt(i32, f64, j, dv, m64, u8, instr.c, ea); continue; }
      // load_base_idx: from the stack top + ((local a * local f + local g) << e), in its place
      case P.load_base_idx: { var j = (sp << 1) - 2; var k = Math.imul(i32[(fp + instr.a) << 1]!, i32[(fp + instr.f) << 1]!) + i32[(fp + instr.g) << 1]!; var at = (i32[j]! + (k << instr.e)) | 0, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - instr.b - off) { ea = (at >>> 0) + (off >>> 0); if (ea + instr.b > memLen) throw oob(); } else ea = at + off; loadAt(i32, f64, j, dv, m64, u8, instr.c, ea); continue; }
      // load_lbase_idx: from local e >> 5 + ((local a * local f + local g) << e), pushed
      case P.load_lbase_idx: { var k = Math.imul(i32[(fp + instr.a) << 1]!, i32[(fp + instr.f) << 1]!) + i32[(fp + instr.g) << 1]!; var at = (i32[(fp + (instr.e >> 5)) << 1]! + (k << instr.e)) | 0, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - instr.b - off) { ea = (at >>> 0) + (off >>> 0); if (ea + instr.b > memLen) throw oob(); } else ea = at + off; var j = sp++ << 1; loadAt(i32, f64, j, dv, m64, u8, instr.c, ea); continue; }
      // f64_madd_lbase_idx: local c = local b + the stack top (popped) * the f64 at load_lbase_idx's address
      case P.f64_madd_lbase_idx: { var k = Math.imul(i32[(fp + instr.a) << 1]!, i32[(fp + instr.f) << 1]!) + i32[(fp + instr.g) << 1]!; var at = (i32[(fp + (instr.e >> 5)) << 1]! + (k << instr.e)) | 0, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - 8 - off) { ea = (at >>> 0) + (off >>> 0); if (ea + 8 > memLen) throw oob(); } else ea = at + off; var j = sp << 1; if ((ea & 7) === 0) f64[j >> 1] = m64[ea >>> 3]!; else { i32[j] = dv.getInt32(ea, true); i32[j + 1] = dv.getInt32(ea + 4, true); } sp--; f64[fp + instr.c] = f64[fp + instr.b]! + f64[sp]! * f64[sp + 1]!; continue; }
      // load_l_set: from address local a, to local e
      case B.load_l_set_i32_load: { var at = i32[(fp + instr.a) << 1]!, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - 4 - off) { ea = (at >>> 0) + (off >>> 0); if (ea + 4 > memLen) throw oob(); } else ea = at + off; var j = (fp + instr.e) << 1; i32[j] = dv.getInt32(ea, true); continue; }
      case P.load_l_set: { var at = i32[(fp + instr.a) << 1]!, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - instr.b - off) { ea = (at >>> 0) + (off >>> 0); if (ea + instr.b > memLen) throw oob(); } else ea = at + off; var j = (fp + instr.e) << 1; loadAt(i32, f64, j, dv, m64, u8, instr.c, ea); continue; }
      // load_l_tee: from address local a, to local e and pushed
      case B.load_l_tee_i32_load: { var at = i32[(fp + instr.a) << 1]!, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - 4 - off) { ea = (at >>> 0) + (off >>> 0); if (ea + 4 > memLen) throw oob(); } else ea = at + off; var j = (fp + instr.e) << 1; i32[j] = dv.getInt32(ea, true); var s = sp++ << 1; i32[s] = i32[j]!; i32[s + 1] = i32[j + 1]!; continue; }
      case P.load_l_tee: { var at = i32[(fp + instr.a) << 1]!, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - instr.b - off) { ea = (at >>> 0) + (off >>> 0); if (ea + instr.b > memLen) throw oob(); } else ea = at + off; var j = (fp + instr.e) << 1; loadAt(i32, f64, j, dv, m64, u8, instr.c, ea); var s = sp++ << 1; i32[s] = i32[j]!; i32[s + 1] = i32[j + 1]!; continue; }
      // load_l_shl: from local a << e, pushed
      case B.load_l_shl_i32_load: { var at = i32[(fp + instr.a) << 1]! << instr.e, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - 4 - off) { ea = (at >>> 0) + (off >>> 0); if (ea + 4 > memLen) throw oob(); } else ea = at + off; var j = sp++ << 1; i32[j] = dv.getInt32(ea, true); continue; }
      case P.load_l_shl: { var at = i32[(fp + instr.a) << 1]! << instr.e, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - instr.b - off) { ea = (at >>> 0) + (off >>> 0); if (ea + instr.b > memLen) throw oob(); } else ea = at + off; var j = sp++ << 1; loadAt(i32, f64, j, dv, m64, u8, instr.c, ea); continue; }
      // store_ls: the stack top (popped) at address local a
      case B.store_ls_i32_store: { var at = i32[(fp + instr.a) << 1]!, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - 4 - off) { ea = (at >>> 0) + (off >>> 0); if (ea + 4 > memLen) throw oob(); } else ea = at + off; var v = --sp << 1; dv.setInt32(ea, i32[v]!, true); continue; }
      case B.store_ls_i64_store: { var at = i32[(fp + instr.a) << 1]!, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - 8 - off) { ea = (at >>> 0) + (off >>> 0); if (ea + 8 > memLen) throw oob(); } else ea = at + off; var v = --sp << 1; dv.setInt32(ea, i32[v]!, true); dv.setInt32(ea + 4, i32[v + 1]!, true); continue; }
      case P.store_ls: { var at = i32[(fp + instr.a) << 1]!, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - instr.b - off) { ea = (at >>> 0) + (off >>> 0); if (ea + instr.b > memLen) throw oob(); } else ea = at + off; var v = --sp << 1; storeAt(dv, u8, instr.c, ea, i32[v]!, i32[v + 1]!); continue; }
      // load_s_set: from the address on the stack (popped), to local e
      case B.load_s_set_i32_load: { var at = i32[--sp << 1]!, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - 4 - off) { ea = (at >>> 0) + (off >>> 0); if (ea + 4 > memLen) throw oob(); } else ea = at + off; var j = (fp + instr.e) << 1; i32[j] = dv.getInt32(ea, true); continue; }
      case B.load_s_set_i64_load: { var at = i32[--sp << 1]!, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - 8 - off) { ea = (at >>> 0) + (off >>> 0); if (ea + 8 > memLen) throw oob(); } else ea = at + off; var j = (fp + instr.e) << 1; i32[j] = dv.getInt32(ea, true); i32[j + 1] = dv.getInt32(ea + 4, true); continue; }
      case P.load_s_set: { var at = i32[--sp << 1]!, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - instr.b - off) { ea = (at >>> 0) + (off >>> 0); if (ea + instr.b > memLen) throw oob(); } else ea = at + off; var j = (fp + instr.e) << 1; loadAt(i32, f64, j, dv, m64, u8, instr.c, ea); continue; }
      // load_s_tee: from the address on the stack, to local e and in the address's place
      case B.load_s_tee_i32_load: { var s = (sp << 1) - 2; var at = i32[s]!, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - 4 - off) { ea = (at >>> 0) + (off >>> 0); if (ea + 4 > memLen) throw oob(); } else ea = at + off; var j = (fp + instr.e) << 1; i32[j] = dv.getInt32(ea, true); i32[s] = i32[j]!; i32[s + 1] = i32[j + 1]!; continue; }
      case B.load_s_tee_i64_load: { var s = (sp << 1) - 2; var at = i32[s]!, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - 8 - off) { ea = (at >>> 0) + (off >>> 0); if (ea + 8 > memLen) throw oob(); } else ea = at + off; var j = (fp + instr.e) << 1; i32[j] = dv.getInt32(ea, true); i32[j + 1] = dv.getInt32(ea + 4, true); i32[s] = i32[j]!; i32[s + 1] = i32[j + 1]!; continue; }
      case P.load_s_tee: { var s = (sp << 1) - 2; var at = i32[s]!, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - instr.b - off) { ea = (at >>> 0) + (off >>> 0); if (ea + instr.b > memLen) throw oob(); } else ea = at + off; var j = (fp + instr.e) << 1; loadAt(i32, f64, j, dv, m64, u8, instr.c, ea); i32[s] = i32[j]!; i32[s + 1] = i32[j + 1]!; continue; }
      // update_lk: the i32 at local a + d, OP constant b, written back (old or new value to local e: f = 1, 2)
      case P.update_lk: { var at = i32[(fp + instr.a) << 1]!, off = instr.d, ea = 0; if ((at | off) < 0 || at > memLim - 4 - off) { ea = (at >>> 0) + (off >>> 0); if (ea + 4 > memLen) throw oob(); } else ea = at + off; var j = sp << 1; i32[j] = dv.getInt32(ea, true); var x = i32[j]!, y = instr.b, r = instr.c === O.i32_add ? (x + y) | 0 : bin32(instr.c, x, y); if (instr.f !== 0) i32[(fp + instr.e) << 1] = instr.f === 1 ? x : r; dv.setInt32(ea, r, true); continue; }
      // end generated: memory-fused
      case P.mul_add:
        i32[sp++ << 1] = Math.imul(i32[(fp + instr.a) << 1]!, i32[(fp + instr.f) << 1]!) + i32[(fp + instr.g) << 1]! | 0;
        continue;
      case P.f64_madd_lset:
        sp -= 2;
        f64[fp + instr.d] = f64[fp + instr.a]! + f64[sp]! * f64[sp + 1]!;
        continue;
      case P.f64_madd:
        sp -= 2;
        f64[sp - 1] = f64[sp - 1]! + f64[sp]! * f64[sp + 1]!;
        continue;
      case P.f64_madd_set:
        sp -= 3;
        f64[fp + instr.d] = f64[sp]! + f64[sp + 1]! * f64[sp + 2]!;
        continue;
      case P.step_brif: {
        var r = bin32(instr.c & 0xff, i32[(fp + instr.a) << 1]!, instr.b);
        i32[(fp + instr.d) << 1] = r;
        if (holds(instr.c >> 8, r ^ instr.e, i32[(fp + instr.g) << 1]! ^ instr.e)) { body = instr.body!; pc = instr.f; if (pc === 0 && --mt.ticks < 0) mt.refill(); }
        continue;
      }
      case P.step_brif_k: {
        // k: the fields c, y: the bias (unsigned order as signed, see fuse.ts's testOf).
        var k: number = instr.c, r = bin32(k & 0xff, i32[(fp + instr.a) << 1]!, instr.b), y = (k & 0x800) << 20;
        i32[(fp + instr.d) << 1] = r;
        if (holds((k >> 8) & 7, r ^ y, bin32(k >> 12, i32[(fp + instr.g) << 1]!, instr.e) ^ y)) { body = instr.body!; pc = instr.f; if (pc === 0 && --mt.ticks < 0) mt.refill(); }
        continue;
      }
      case P.if_null: case P.brif_null: case P.if_null_ret: {
        // The reference itself, or the struct whose field it is (form 1: in a local, 2: popped).
        var rv: Slot = instr.a === 1 ? refs[fp + instr.g]! : refs[--sp]!;
        if (instr.a !== 0) {
          if (rv === null) throw new Trap(TrapMessage.nullStructureReference);
          if (instr.a === 2) refs[sp] = null; // the slot's struct goes, as struct.get's pushed result drops it
          rv = slotOf(rv as GcStruct, instr.c);
        }
        if (instr.op === P.brif_null) {
          if (rv === null) { body = instr.body!; pc = instr.d; if (pc === 0 && --mt.ticks < 0) mt.refill(); }
        } else if (rv === null) {
          if (instr.op === P.if_null_ret) {
            // The then body's first node, return_k, as it would run there.
            if (instr.f !== 0) { i32[fp << 1] = instr.e; sp = fp + 1; break; }
            i32[sp++ << 1] = instr.e;
            break;
          }
          body = instr.body!; pc = 0;
        } else if (instr.else_ !== null) { body = instr.else_; pc = 0; }
        continue;
      }
      // A call's argument, then a direct call of a function the module
      // defines (a WasmFunc; fuse.ts, gc/prepare.ts): made after the switch,
      // as `call`'s. The common operations' call_lk are B codes (generated, above).
      case P.call_lk:
        i32[sp++ << 1] = bin32(instr.c, i32[(fp + instr.a) << 1]!, instr.b);
        callee = (inst.funcs[instr.d] ?? inst.funcAt(instr.d)) as WasmFunc;
        break;
      case P.call_sgl: {
        var obj = refs[fp + instr.g] as GcStruct | null;
        if (obj === null) throw new Trap(TrapMessage.nullStructureReference);
        sp = structGot(slotOf(obj, instr.c), instr, i32, refs, sp);
        callee = (inst.funcs[instr.f] ?? inst.funcAt(instr.f)) as WasmFunc;
        break;
      }
      case P.simd:
        sp = execSimd(vec!, i32, instr, sp, inst);
        continue;
      // ----------------------------------------------- vector fast forms
      // (node.ts, simd/prepare.ts): slot s's v128 is words 4s .. 4s+3 of vw
      // (f32 lanes: the same indices of vf32; f64 lanes: 2s, 2s+1 of vf64).
      // The lane operators are int.ts's and float.ts's; the typed-array
      // store wraps an i32 lane and rounds an f32 lane, as there.
      case P.vget: { var y = (fp + instr.a) << 1, z = sp++ << 1; vf64[z] = vf64[y]!; vf64[z + 1] = vf64[y + 1]!; continue; }
      case P.vset: { var y = --sp << 1, z = (fp + instr.a) << 1; vf64[z] = vf64[y]!; vf64[z + 1] = vf64[y + 1]!; continue; }
      case P.vtee: { var y = (sp - 1) << 1, z = (fp + instr.a) << 1; vf64[z] = vf64[y]!; vf64[z + 1] = vf64[y + 1]!; continue; }
      case P.vload: {
        var s = sp - 1, ea = (i32[s << 1]! >>> 0) + (instr.a >>> 0);
        if (ea + 16 > memLen) throw oob();
        loadV128At(vw!, vf64, s, m64, dv, ea);
        continue;
      }
      case P.vload_l: {
        var ea = (i32[(fp + instr.b) << 1]! >>> 0) + (instr.a >>> 0);
        if (ea + 16 > memLen) throw oob();
        loadV128At(vw!, vf64, sp++, m64, dv, ea);
        continue;
      }
      case P.vstore: {
        sp -= 2;
        var ea = (i32[sp << 1]! >>> 0) + (instr.a >>> 0);
        if (ea + 16 > memLen) throw oob();
        storeV128At(m64, dv, ea, vw!, vf64, sp + 1);
        continue;
      }
      case P.vsplat32: { var s = sp - 1, x = s << 2, l = i32[s << 1]!; vw![x] = l; vw![x + 1] = l; vw![x + 2] = l; vw![x + 3] = l; continue; }
      case P.vsplat64: {
        var s = sp - 1, x = s << 2, lo = i32[s << 1]!, hi = i32[(s << 1) + 1]!;
        vw![x] = lo; vw![x + 1] = hi; vw![x + 2] = lo; vw![x + 3] = hi;
        continue;
      }
      case P.vextract32: { var s = sp - 1; i32[s << 1] = vw![(s << 2) + instr.b]!; continue; }
      case P.vextract64: { var s = sp - 1, x = (s << 2) + 2 * instr.b; i32[s << 1] = vw![x]!; i32[(s << 1) + 1] = vw![x + 1]!; continue; }
      case P.vreplace32: { var s = --sp; vw![((s - 1) << 2) + instr.b] = i32[s << 1]!; continue; }
      case P.vreplace64: {
        var s = --sp, x = ((s - 1) << 2) + 2 * instr.b;
        vw![x] = i32[s << 1]!; vw![x + 1] = i32[(s << 1) + 1]!;
        continue;
      }
      // Lane-wise arithmetic, one case for its three forms (node.ts), so
      // that each operation's lanes are spelled once, below, with the lane
      // operators of float.ts and int.ts (small enough that V8 always
      // inlines them; a helper per operation would compete for the loop's
      // inlining budget, and lose). x: the first operand's word.
      case P.f32x4_add: case P.f32x4_sub: case P.f32x4_mul: case P.f64x2_add: case P.f64x2_sub: case P.f64x2_mul:
      case P.i32x4_add: case P.i32x4_sub: case P.i32x4_mul:
      case P.f32x4_add_ld: case P.f32x4_sub_ld: case P.f32x4_mul_ld: case P.f64x2_add_ld: case P.f64x2_sub_ld: case P.f64x2_mul_ld:
      case P.i32x4_add_ld: case P.i32x4_sub_ld: case P.i32x4_mul_ld:
      case P.f32x4_add_lld: case P.f32x4_sub_lld: case P.f32x4_mul_lld: case P.f64x2_add_lld: case P.f64x2_sub_lld: case P.f64x2_mul_lld:
      case P.i32x4_add_lld: case P.i32x4_sub_lld: case P.i32x4_mul_lld:
      case P.vlane_st: case P.vlane2_st: { // a form (c) and the store of its result to local g + e
        // The lanes go from their sources into a0..a3 (left, then the
        // result) and b0..b3 (right) and from there to their destination,
        // without copying an operand to the stack first. Left: the stack
        // or, OP_lld, local d (word x); right: the stack (word y) or, the
        // _ld forms, memory at local b + a (y = -1, ea); result: the top
        // slot or, vlane_st, memory at local g + e (z). vlane2_st then
        // applies its second operation (f) to that result and the vector at
        // z, and stores there. Memory lanes through the DataView at any
        // alignment; float lanes are computed with, so a signalling NaN may
        // come out quiet, as the spec allows.
        if (instr.op === P.vlane2_st && instr.c <= P.f32x4_mul_lld) {
          // vlane2_st on f32 lanes with both addresses 4-aligned (compilers'
          // float data: y = a * x + y and its kin) in a straight line, not
          // through the shared code's loop; other shapes and alignments
          // below. The load's bounds before the store's, as unfused.
          var ea = (i32[(fp + instr.b) << 1]! >>> 0) + (instr.a >>> 0);
          if (ea + 16 > memLen) throw oob();
          var z = (i32[(fp + instr.g) << 1]! >>> 0) + (instr.e >>> 0);
          if (z + 16 > memLen) throw oob();
          if (((ea | z) & 3) === 0) {
            let mf = mem!.f32, i = ea >>> 2, j = z >>> 2, x = (fp + instr.d) << 2, k = instr.c, k2 = instr.f;
            let a0 = vf32[x]!, a1 = vf32[x + 1]!, a2 = vf32[x + 2]!, a3 = vf32[x + 3]!;
            let b0 = mf[i]!, b1 = mf[i + 1]!, b2 = mf[i + 2]!, b3 = mf[i + 3]!;
            if (k === P.f32x4_mul_lld) { a0 = fmul(a0, b0); a1 = fmul(a1, b1); a2 = fmul(a2, b2); a3 = fmul(a3, b3); }
            else if (k === P.f32x4_add_lld) { a0 = fadd(a0, b0); a1 = fadd(a1, b1); a2 = fadd(a2, b2); a3 = fadd(a3, b3); }
            else { a0 = fsub(a0, b0); a1 = fsub(a1, b1); a2 = fsub(a2, b2); a3 = fsub(a3, b3); }
            // The first result rounded to f32, as its store would round it.
            a0 = Math.fround(a0); a1 = Math.fround(a1); a2 = Math.fround(a2); a3 = Math.fround(a3);
            b0 = mf[j]!; b1 = mf[j + 1]!; b2 = mf[j + 2]!; b3 = mf[j + 3]!;
            if (k2 === P.f32x4_add) { a0 = fadd(a0, b0); a1 = fadd(a1, b1); a2 = fadd(a2, b2); a3 = fadd(a3, b3); }
            else if (k2 === P.f32x4_sub) { a0 = fsub(a0, b0); a1 = fsub(a1, b1); a2 = fsub(a2, b2); a3 = fsub(a3, b3); }
            else { a0 = fmul(a0, b0); a1 = fmul(a1, b1); a2 = fmul(a2, b2); a3 = fmul(a3, b3); }
            mf[j] = a0; mf[j + 1] = a1; mf[j + 2] = a2; mf[j + 3] = a3;
            continue;
          }
        }
        // The lanes (f32, f64 or i32 lanes as numbers) are the block's own:
        // function-wide variables would live across the whole loop, stored
        // to the frame at every node that assigns them.
        let a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
        var k: number = instr.op >= P.vlane_st ? instr.c : instr.op, x: number, y: number, z = -1;
        if (k < P.f32x4_add_ld) { x = (--sp - 1) << 2; y = x + 4; ea = 0; }
        else {
          var ea = (i32[(fp + instr.b) << 1]! >>> 0) + (instr.a >>> 0);
          if (ea + 16 > memLen) throw oob();
          y = -1;
          if (k < P.f32x4_add_lld) { x = (sp - 1) << 2; k -= P.f32x4_add_ld - P.f32x4_add; }
          else { x = (fp + instr.d) << 2; sp++; k -= P.f32x4_add_lld - P.f32x4_add; }
        }
        if (instr.op >= P.vlane_st) { // the load's bounds are checked before the store's, as unfused
          z = (i32[(fp + instr.g) << 1]! >>> 0) + (instr.e >>> 0);
          if (z + 16 > memLen) throw oob();
          sp--;
        }
        if (k <= P.f32x4_mul) { a0 = vf32[x]!; a1 = vf32[x + 1]!; a2 = vf32[x + 2]!; a3 = vf32[x + 3]!; }
        else if (k <= P.f64x2_mul) { a0 = vf64[x >> 1]!; a1 = vf64[(x >> 1) + 1]!; }
        else { a0 = vw![x]!; a1 = vw![x + 1]!; a2 = vw![x + 2]!; a3 = vw![x + 3]!; }
        for (var k2 = instr.op === P.vlane2_st ? instr.f : 0; ; k = k2, k2 = 0, y = -1, ea = z) {
          if (k <= P.f32x4_mul) {
            if (y >= 0) { b0 = vf32[y]!; b1 = vf32[y + 1]!; b2 = vf32[y + 2]!; b3 = vf32[y + 3]!; }
            else if ((ea & 3) === 0) { let mf = mem!.f32, j = ea >>> 2; b0 = mf[j]!; b1 = mf[j + 1]!; b2 = mf[j + 2]!; b3 = mf[j + 3]!; }
            else { b0 = dv.getFloat32(ea, true); b1 = dv.getFloat32(ea + 4, true); b2 = dv.getFloat32(ea + 8, true); b3 = dv.getFloat32(ea + 12, true); }
          } else if (k <= P.f64x2_mul) {
            if (y >= 0) { b0 = vf64[y >> 1]!; b1 = vf64[(y >> 1) + 1]!; }
            else if ((ea & 7) === 0) { let j = ea >>> 3; b0 = m64[j]!; b1 = m64[j + 1]!; }
            else { b0 = dv.getFloat64(ea, true); b1 = dv.getFloat64(ea + 8, true); }
          } else if (y >= 0) { b0 = vw![y]!; b1 = vw![y + 1]!; b2 = vw![y + 2]!; b3 = vw![y + 3]!; }
          else if ((ea & 3) === 0) { let mi = mem!.i32, j = ea >>> 2; b0 = mi[j]!; b1 = mi[j + 1]!; b2 = mi[j + 2]!; b3 = mi[j + 3]!; }
          else { b0 = dv.getInt32(ea, true); b1 = dv.getInt32(ea + 4, true); b2 = dv.getInt32(ea + 8, true); b3 = dv.getInt32(ea + 12, true); }
          switch (k) {
            case P.f32x4_add: a0 = fadd(a0, b0); a1 = fadd(a1, b1); a2 = fadd(a2, b2); a3 = fadd(a3, b3); break;
            case P.f32x4_sub: a0 = fsub(a0, b0); a1 = fsub(a1, b1); a2 = fsub(a2, b2); a3 = fsub(a3, b3); break;
            case P.f32x4_mul: a0 = fmul(a0, b0); a1 = fmul(a1, b1); a2 = fmul(a2, b2); a3 = fmul(a3, b3); break;
            case P.f64x2_add: a0 = fadd(a0, b0); a1 = fadd(a1, b1); break;
            case P.f64x2_sub: a0 = fsub(a0, b0); a1 = fsub(a1, b1); break;
            case P.f64x2_mul: a0 = fmul(a0, b0); a1 = fmul(a1, b1); break;
            case P.i32x4_add: a0 = iadd(a0, b0); a1 = iadd(a1, b1); a2 = iadd(a2, b2); a3 = iadd(a3, b3); break;
            case P.i32x4_sub: a0 = isub(a0, b0); a1 = isub(a1, b1); a2 = isub(a2, b2); a3 = isub(a3, b3); break;
            default: a0 = imul(a0, b0); a1 = imul(a1, b1); a2 = imul(a2, b2); a3 = imul(a3, b3); break; // i32x4_mul
          }
          if (k2 === 0) break;
          // The first result's f32 lanes rounded, as its store would round them (i32 lanes need no
          // wrapping: a sum of two is exact in doubles, and the next operation is taken modulo 2^32).
          if (k <= P.f32x4_mul) { a0 = Math.fround(a0); a1 = Math.fround(a1); a2 = Math.fround(a2); a3 = Math.fround(a3); }
        }
        // The Float32Array or setFloat32 store rounds an f32 lane, the Int32Array or setInt32 store wraps an i32 lane.
        // Memory lanes at an address aligned to the lane (compilers' vector
        // data) through the memory's typed arrays, which V8 accesses in
        // fewer instructions than the DataView; otherwise the DataView.
        if (k <= P.f32x4_mul) {
          if (z < 0) { x = (sp - 1) << 2; vf32[x] = a0; vf32[x + 1] = a1; vf32[x + 2] = a2; vf32[x + 3] = a3; }
          else if ((z & 3) === 0) { let mf = mem!.f32, j = z >>> 2; mf[j] = a0; mf[j + 1] = a1; mf[j + 2] = a2; mf[j + 3] = a3; }
          else { dv.setFloat32(z, a0, true); dv.setFloat32(z + 4, a1, true); dv.setFloat32(z + 8, a2, true); dv.setFloat32(z + 12, a3, true); }
        } else if (k <= P.f64x2_mul) {
          if (z < 0) { x = (sp - 1) << 1; vf64[x] = a0; vf64[x + 1] = a1; }
          else if ((z & 7) === 0) { let j = z >>> 3; m64[j] = a0; m64[j + 1] = a1; }
          else { dv.setFloat64(z, a0, true); dv.setFloat64(z + 8, a1, true); }
        } else if (z < 0) { x = (sp - 1) << 2; vw![x] = a0; vw![x + 1] = a1; vw![x + 2] = a2; vw![x + 3] = a3; }
        else if ((z & 3) === 0) { let mi = mem!.i32, j = z >>> 2; mi[j] = a0; mi[j + 1] = a1; mi[j + 2] = a2; mi[j + 3] = a3; }
        else { dv.setInt32(z, a0, true); dv.setInt32(z + 4, a1, true); dv.setInt32(z + 8, a2, true); dv.setInt32(z + 12, a3, true); }
        continue;
      }
      case P.vstore_l: {
        var ea = (i32[(fp + instr.b) << 1]! >>> 0) + (instr.a >>> 0);
        if (ea + 16 > memLen) throw oob();
        storeV128At(m64, dv, ea, vw!, vf64, --sp);
        continue;
      }

      case P.step:
        // Debug-prepared code only (debug-step.ts): the hook sees the
        // position; the instruction's own node comes next.
        t.sp = sp; t.depth = fr.d; t.func = func; t.body = body; t.pc = pc; t.fp = fp;
        stepHooks.step?.(t, instr);
        continue;
      case P.unbuilt:
        // A body of stored code, on its first entry (prepared-store.ts):
        // built in place, then run from its start, this node's place.
        buildBody(instr, body); pc--;
        continue;
      default:
        // The instructions real programs seldom run (rare-instructions.ts):
        // out of this function, so that V8 optimises a smaller loop sooner.
        sp = execRare(t, instr, sp, inst);
        continue;
    }

    if (callee !== null) {
      // Call an interpreted function: its arguments, on top of the stack,
      // become the first locals of the new frame. A tail call (e = 1)
      // reuses the caller's frame instead (constant frame space): the
      // arguments move down to its base, and no frame is pushed.
      var code = callee.code;
      // What the call needs beyond sizes and numeric locals (prepare.ts's
      // Entry bits): nothing for most functions, one test then.
      var fl = code.entry;
      if (fl !== 0) {
        if ((fl & Entry.unprepared) !== 0) { prepareCode(code); fl = code.entry; } // its first call
        if ((fl & Entry.vec) !== 0 && vec === null) fl = -1; // the configuration needs its VecStack: grow
      }
      var tail = instr.e !== 0;
      var nfp = tail ? fp : sp - code.nparams;
      var nfr = fr.next;
      if (nfp + code.frameSize > cap || nfr === null || fl < 0) {
        // The stacks must grow. Their views are constants of this loop
        // (which lets V8 keep typed-array accesses cheap), so stop, let
        // the configuration grow them, and come back to redo the call: `call`
        // has popped nothing yet, call_indirect only its table index, call_ref its
        // reference; a fused call (any code above them) has pushed its argument.
        t.need(nfp + code.frameSize, fr.d + 2);
        if ((code.entry & Entry.vec) !== 0) t.ensureVec();
        t.sp = instr.op === O.call || instr.op === O.return_call ? sp : instr.op <= O.return_call_ref ? sp + 1 : sp - 1;
        t.depth = fr.d; t.func = func; t.body = body; t.pc = pc - 1; t.fp = fp;
        callee = null;
        return GROW;
      }
      if (tail) {
        sp = moveValues(i32, refs, vw, sp, code.nparams, fp);
      } else {
        fr.fp = fp; fr.func = func; fr.body = body; fr.pc = pc;
        fr = nfr;
        fp = nfp;
      }
      // Declared locals start as zero, or null for references.
      var top = sp + code.nlocals;
      for (var k = sp << 1; k < top << 1; k++) i32[k] = 0;
      if (fl !== 0) {
        if ((fl & Entry.refLocals) !== 0) for (var k = sp; k < top; k++) refs[k] = null;
        if ((fl & Entry.vecLocals) !== 0) for (var k = 4 * sp; k < 4 * top; k++) vw![k] = 0;
      }
      sp = top;
      if (callee.inst !== inst) {
        inst = callee.inst;
        mem = inst.mem0;
        if (mem !== null) { mem.refresh(); u8 = mem.u8; dv = mem.view; m64 = mem.f64; memLen = u8.length; memLim = int32Limit(memLen); }
      }
      func = callee;
      body = code.body;
      pc = 0;
      callee = null;
      if (--mt.ticks < 0) mt.refill();
      continue;
    }

    // Return: the results move down to the frame base (where the
    // arguments were), and the caller's position comes back. The entry
    // function's results stay where they are, the top of the stack, for
    // Configuration.results to read.
    fr = fr.prev!;
    if (fr.d === 0) {
      t.sp = sp; t.depth = 0; t.func = null; t.body = body; t.pc = pc;
      return 'done';
    }
    // Nothing to move when they are already there (a fused return put its function's one number at the base).
    var done = func.code;
    if (sp - done.nresults !== fp) {
      if (done.numResult === true) { var s = (sp - 1) << 1, d = fp << 1; i32[d] = i32[s]!; i32[d + 1] = i32[s + 1]!; sp = fp + 1; }
      else sp = moveValues(i32, refs, vw, sp, done.nresults, fp);
    }
    fp = fr.fp;
    body = fr.body;
    pc = fr.pc;
    var caller = fr.func!;
    func = caller;
    if (caller.inst !== inst) {
      inst = caller.inst;
      mem = inst.mem0;
      if (mem !== null) { mem.refresh(); u8 = mem.u8; dv = mem.view; m64 = mem.f64; memLen = u8.length; memLim = int32Limit(memLen); }
    }
  }
  } catch (e) {
    t.depth = fr.d; t.func = func;
    throw e;
  }
}

/**
 * A branch's value move: keeps the top `n` values, moved down to slot `to`;
 * returns the new stack height.
 */
function moveValues(i32: Int32Array, refs: Ref[], vw: Int32Array | null, sp: number, n: number, to: number): number {
  const from = sp - n;
  for (let k = 0; k < n; k++) {
    const d = to + k, s = from + k;
    i32[2 * d] = i32[2 * s]!; i32[2 * d + 1] = i32[2 * s + 1]!;
    refs[d] = refs[s]!;
    if (vw !== null) moveVec(vw, d, s);
  }
  return to + n;
}

/** Whether x and y (biased, see fuse.ts's testOf) compare as the outcome bits say. */
function holds(outcomes: number, x: number, y: number): boolean {
  return ((outcomes >> (x < y ? 0 : x === y ? 1 : 2)) & 1) !== 0;
}
