// GC's constant instructions (struct.new, struct.new_default, array.new,
// array.new_default, array.new_fixed, ref.i31, any.convert_extern,
// extern.convert_any) in constant expressions, which const-expr.ts
// evaluates on values in the lossless representation (runtime/values.ts).

import type { Instr } from '../../syntax/ast.js';
import { GcOp } from '../../syntax/opcodes-gc.js';
import { GcArray, externalize, internalize, newStruct, noSlots, type Rtt, type Slot } from '../../runtime/gc-values.js';
import type { Ref, Value } from '../../runtime/values.js';
import type { ModuleInst } from '../module-inst.js';
import { rttOf } from './rtt.js';
import { MAX_ARRAY_SLOTS } from './exec.js';
import { Trap, TrapMessage } from '../../errors.js';

/** Writes value v as field k of `rtt` at `at` of the object's words or references (a struct's slots: both the same array). */
function put(rtt: Rtt, k: number, w: number[], r: Ref[], at: number, v: Value): void {
  if (rtt.isRef[k]) { r[at] = v as Ref; return; }
  const p = rtt.packed[k]!;
  if (typeof v === 'bigint') {
    w[at] = Number(BigInt.asIntN(32, v));
    w[at + 1] = Number(BigInt.asIntN(32, v >> 32n));
    return;
  }
  if (v instanceof Uint8Array) { // a v128: four little-endian words
    const dv = new DataView(v.buffer, v.byteOffset, 16);
    for (let j = 0; j < 4; j++) w[at + j] = dv.getInt32(4 * j, true);
    return;
  }
  const x = v as number;
  w[at] = p === 8 ? x & 0xff : p === 16 ? x & 0xffff : x | 0;
}

/** Evaluates one GC constant instruction on `stack`; false when `instr` is not one. */
export function evalGcConst(instr: Instr, stack: Value[], inst: ModuleInst): boolean {
  switch (instr.op) {
    case GcOp.struct_new: case GcOp.struct_new_default: {
      const rtt = rttOf(inst.types, instr.a);
      const n = rtt.isRef.length;
      const slots: Slot[] = rtt.init.slice();
      if (instr.op === GcOp.struct_new) {
        const args = stack.splice(stack.length - n, n);
        for (let k = 0; k < n; k++) put(rtt, k, slots as number[], slots as Ref[], rtt.slot[k]!, args[k]!);
      }
      stack.push(newStruct(rtt, slots));
      return true;
    }
    case GcOp.array_new: case GcOp.array_new_default: case GcOp.array_new_fixed: {
      const rtt = rttOf(inst.types, instr.a);
      let items: Value[];
      if (instr.op === GcOp.array_new_fixed) items = stack.splice(stack.length - instr.b, instr.b);
      else {
        const n = (stack.pop() as number) >>> 0;
        if (n * Math.max(rtt.words[0]!, 1) > MAX_ARRAY_SLOTS) throw new Trap(TrapMessage.arrayTooLarge);
        const v = instr.op === GcOp.array_new ? stack.pop()! : (rtt.isRef[0] ? null : 0);
        items = new Array<Value>(n).fill(v);
      }
      const words = rtt.words[0]!;
      const a = rtt.isRef[0]
        ? new GcArray(rtt, items.length, noSlots(), new Array<Ref>(items.length).fill(null))
        : new GcArray(rtt, items.length, new Array<number>(items.length * words).fill(0), noSlots());
      items.forEach((v, k) => put(rtt, 0, a.w, a.r, rtt.isRef[0] ? k : k * words, v));
      stack.push(a);
      return true;
    }
    case GcOp.ref_i31:
      stack.push(((stack.pop() as number) << 1) >> 1);
      return true;
    case GcOp.any_convert_extern:
      stack.push(internalize(stack.pop()!) as Value);
      return true;
    case GcOp.extern_convert_any:
      stack.push(externalize(stack.pop()!) as Value);
      return true;
  }
  return false;
}
