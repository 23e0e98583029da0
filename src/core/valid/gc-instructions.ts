// Validation of GC's instructions (WebAssembly 3.0, spec §3.4.4
// "Aggregate reference instructions", §3.4.3 casts, i31 and extern
// conversions), on the function validator's operand stack.

import type { Instr } from '../syntax/ast.js';
import { I32, I16, I8, unpacked, type FieldType, type ValType } from '../syntax/types.js';
import {
  HT, NON_NULL, concreteHeap, heapOf, isDefaultable, isNullable, isRef, matchesValType, refType, topOf,
} from '../syntax/reftypes.js';
import { GcOp } from '../syntax/opcodes-gc.js';
import { type Context, arrayTypeAt, checkHeapType, dataAt, elemAt, fail, structTypeAt } from './context.js';
import type { Frame, Operand } from './instructions.js';

/** What of the function validator the GC rules use. */
export interface GcOperands {
  at: number;
  pushVal(t: Operand): void;
  pushVals(ts: readonly ValType[]): void;
  popExpect(t: Operand): Operand;
  popVals(ts: readonly ValType[]): void;
  popRef(): ValType;
  label(depth: number): Frame;
  labelTypes(frame: Frame): readonly ValType[];
}

function isPacked(t: number): boolean {
  return t === I8 || t === I16;
}

function fieldOf(fields: FieldType[], y: number, at: number): FieldType {
  const f = fields[y];
  if (f === undefined) fail(`unknown field ${y}`, at);
  return f;
}

/** What struct.get_s/_u and array.get_s/_u need: a packed field, and plain get an unpacked one. */
function checkGetSign(op: number, f: FieldType, at: number): void {
  const signed = op === GcOp.struct_get_s || op === GcOp.struct_get_u || op === GcOp.array_get_s || op === GcOp.array_get_u;
  if (signed !== isPacked(f.type)) fail(signed ? 'type mismatch: field is not packed' : 'type mismatch: field is packed', at);
}

/** array.new_data / init_data: the element must be numeric or vector. */
function checkNumericElem(f: FieldType, at: number): void {
  if (!isPacked(f.type) && isRef(f.type)) fail('array type is not numeric or vector', at);
}

/** The reference type rt1 minus rt2 (spec: what is left when a br_on_cast to rt2 is not taken). */
function diff(rt1: ValType, rt2: ValType): ValType {
  return isNullable(rt2) ? rt1 | NON_NULL : rt1;
}

export function validateGcInstr(v: GcOperands, c: Context, ins: Instr): void {
  const at = v.at;
  const op = ins.op;
  const types = c.types;
  switch (op) {
    case GcOp.struct_new: {
      const fields = structTypeAt(c, ins.a, at);
      v.popVals(fields.map((f) => unpacked(f.type)));
      v.pushVal(refType(concreteHeap(ins.a), false));
      return;
    }
    case GcOp.struct_new_default: {
      const fields = structTypeAt(c, ins.a, at);
      for (const f of fields) if (!isPacked(f.type) && !isDefaultable(f.type)) fail('field type is not defaultable', at);
      v.pushVal(refType(concreteHeap(ins.a), false));
      return;
    }
    case GcOp.struct_get: case GcOp.struct_get_s: case GcOp.struct_get_u: {
      const f = fieldOf(structTypeAt(c, ins.a, at), ins.b, at);
      checkGetSign(op, f, at);
      v.popExpect(refType(concreteHeap(ins.a), true));
      v.pushVal(unpacked(f.type));
      return;
    }
    case GcOp.struct_set: {
      const f = fieldOf(structTypeAt(c, ins.a, at), ins.b, at);
      if (!f.mutable) fail('field is immutable', at);
      v.popVals([refType(concreteHeap(ins.a), true), unpacked(f.type)]);
      return;
    }
    case GcOp.array_new: {
      const f = arrayTypeAt(c, ins.a, at);
      v.popVals([unpacked(f.type), I32]);
      v.pushVal(refType(concreteHeap(ins.a), false));
      return;
    }
    case GcOp.array_new_default: {
      const f = arrayTypeAt(c, ins.a, at);
      if (!isPacked(f.type) && !isDefaultable(f.type)) fail('array type is not defaultable', at);
      v.popExpect(I32);
      v.pushVal(refType(concreteHeap(ins.a), false));
      return;
    }
    case GcOp.array_new_fixed: {
      const f = arrayTypeAt(c, ins.a, at);
      v.popVals(new Array<ValType>(ins.b).fill(unpacked(f.type)));
      v.pushVal(refType(concreteHeap(ins.a), false));
      return;
    }
    case GcOp.array_new_data: {
      const f = arrayTypeAt(c, ins.a, at);
      checkNumericElem(f, at);
      dataAt(c, ins.b, at);
      v.popVals([I32, I32]);
      v.pushVal(refType(concreteHeap(ins.a), false));
      return;
    }
    case GcOp.array_new_elem: {
      const f = arrayTypeAt(c, ins.a, at);
      const e = elemAt(c, ins.b, at);
      if (isPacked(f.type) || !matchesValType(e, f.type, types)) fail('type mismatch: element segment does not match the array', at);
      v.popVals([I32, I32]);
      v.pushVal(refType(concreteHeap(ins.a), false));
      return;
    }
    case GcOp.array_get: case GcOp.array_get_s: case GcOp.array_get_u: {
      const f = arrayTypeAt(c, ins.a, at);
      checkGetSign(op, f, at);
      v.popVals([refType(concreteHeap(ins.a), true), I32]);
      v.pushVal(unpacked(f.type));
      return;
    }
    case GcOp.array_set: {
      const f = arrayTypeAt(c, ins.a, at);
      if (!f.mutable) fail('array is immutable', at);
      v.popVals([refType(concreteHeap(ins.a), true), I32, unpacked(f.type)]);
      return;
    }
    case GcOp.array_len:
      v.popExpect(refType(HT.array, true));
      v.pushVal(I32);
      return;
    case GcOp.array_fill: {
      const f = arrayTypeAt(c, ins.a, at);
      if (!f.mutable) fail('array is immutable', at);
      v.popVals([refType(concreteHeap(ins.a), true), I32, unpacked(f.type), I32]);
      return;
    }
    case GcOp.array_copy: {
      const dst = arrayTypeAt(c, ins.a, at);
      const src = arrayTypeAt(c, ins.b, at);
      if (!dst.mutable) fail('array is immutable', at);
      const ok = isPacked(dst.type) || isPacked(src.type) ? dst.type === src.type : matchesValType(src.type, dst.type, types);
      if (!ok) fail('array types do not match', at);
      v.popVals([refType(concreteHeap(ins.a), true), I32, refType(concreteHeap(ins.b), true), I32, I32]);
      return;
    }
    case GcOp.array_init_data: {
      const f = arrayTypeAt(c, ins.a, at);
      if (!f.mutable) fail('array is immutable', at);
      checkNumericElem(f, at);
      dataAt(c, ins.b, at);
      v.popVals([refType(concreteHeap(ins.a), true), I32, I32, I32]);
      return;
    }
    case GcOp.array_init_elem: {
      const f = arrayTypeAt(c, ins.a, at);
      if (!f.mutable) fail('array is immutable', at);
      const e = elemAt(c, ins.b, at);
      if (isPacked(f.type) || !matchesValType(e, f.type, types)) fail('type mismatch: element segment does not match the array', at);
      v.popVals([refType(concreteHeap(ins.a), true), I32, I32, I32]);
      return;
    }
    case GcOp.ref_test: case GcOp.ref_test_null: case GcOp.ref_cast: case GcOp.ref_cast_null: {
      checkHeapType(c, ins.a, at);
      const nullable = op === GcOp.ref_test_null || op === GcOp.ref_cast_null;
      v.popExpect(refType(topOf(ins.a, types), true));
      v.pushVal(op === GcOp.ref_test || op === GcOp.ref_test_null ? I32 : refType(ins.a, nullable));
      return;
    }
    case GcOp.br_on_cast: case GcOp.br_on_cast_fail: {
      checkHeapType(c, ins.b, at);
      checkHeapType(c, ins.c, at);
      const rt1 = refType(ins.b, (ins.lane & 1) !== 0), rt2 = refType(ins.c, (ins.lane & 2) !== 0);
      if (!matchesValType(rt2, rt1, types)) fail('type mismatch: the cast\'s target type is not a subtype of its source type', at);
      const labelTypes = v.labelTypes(v.label(ins.a));
      const last = labelTypes[labelTypes.length - 1];
      const sent = op === GcOp.br_on_cast ? rt2 : diff(rt1, rt2);
      if (last === undefined || !isRef(last) || !matchesValType(sent, last, types)) {
        fail('type mismatch: the branch\'s label does not take the reference', at);
      }
      v.popExpect(rt1);
      const rest = labelTypes.slice(0, -1);
      v.popVals(rest);
      v.pushVals(rest);
      v.pushVal(op === GcOp.br_on_cast ? diff(rt1, rt2) : rt2);
      return;
    }
    case GcOp.any_convert_extern: {
      const t = v.popRef();
      if (!matchesValType(t, refType(HT.extern, true), types)) fail(`type mismatch: expected externref`, at);
      v.pushVal(refType(HT.any, isNullable(t)));
      return;
    }
    case GcOp.extern_convert_any: {
      const t = v.popRef();
      if (!matchesValType(t, refType(HT.any, true), types)) fail(`type mismatch: expected anyref`, at);
      v.pushVal(refType(HT.extern, isNullable(t)));
      return;
    }
    case GcOp.ref_i31:
      v.popExpect(I32);
      v.pushVal(refType(HT.i31, false));
      return;
    case GcOp.i31_get_s: case GcOp.i31_get_u:
      v.popExpect(refType(HT.i31, true));
      v.pushVal(I32);
      return;
    case GcOp.ref_eq:
      v.popVals([refType(HT.eq, true), refType(HT.eq, true)]);
      v.pushVal(I32);
      return;
  }
  void heapOf;
  fail(`unknown instruction ${op.toString(16)}`, at);
}
