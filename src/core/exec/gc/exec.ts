// GC's instructions on the interpreter (WebAssembly 3.0, spec §4.4.7
// "Aggregate reference instructions", casts, i31 and extern conversion).
// The common forms have nodes of their own, which the loop runs itself
// (gc/prepare.ts: struct.new of a type whose fields are one slot each,
// struct.get/set of a reference or unpacked 32-bit field, array.get/set of
// such an element, array.len, ref.test, ref.cast; `structNew` below), as
// it runs P.br_on_cast, which asks `castMatches`; every other GC
// instruction is one P.gc node, whose `f` is its opcode, run by `execGc`.
// Node fields (gc/prepare.ts): e = the canonical id of the instruction's
// struct or array type (its Rtt), a = field index, array.new_fixed's length
// or a segment index, b = array.copy's source id, d = 1 for the signed get
// forms; casts: c = the target's abstract heap type (0: concrete, id in e),
// b = 1 when the target is nullable.
//
// Operands are read and results written in the configuration's slots as
// 32-bit words, so nothing is allocated but the objects the program makes.

import { Trap, TrapMessage } from '../../errors.js';
import { GcOp } from '../../syntax/opcodes-gc.js';
import { HT, canonOfFunc, canonSubtype } from '../../syntax/reftypes.js';
import { FuncInst } from '../../runtime/func.js';
import { GcArray, GcStruct, GcStructWide, INLINE_SLOTS, NARROW_SLOTS, externalize, internalize, newStruct, noSlots, setSlot, slotOf, type Rtt, type Slot } from '../../runtime/gc-values.js';
import type { Ref } from '../../runtime/values.js';
import type { Configuration } from '../configuration.js';
import type { ModuleInst } from '../module-inst.js';
import type { PNode } from '../node.js';
import { rttById } from './rtt.js';

/** A reference slot's content: GC's i31 values are numbers (gc-values.ts). */
type AnyRef = Ref | number;

function trap(message: string): never {
  throw new Trap(message);
}

/** Whether reference `r` is in the heap type (c, e) (see the header), null only when `nullable`. */
export function castMatches(r: unknown, c: number, e: number, nullable: number): boolean {
  if (r === null) return nullable !== 0;
  if (c === 0) {
    if (r instanceof GcStruct || r instanceof GcArray) return canonSubtype(r.rtt.id, e);
    if (r instanceof FuncInst) return canonSubtype(canonOfFunc(r.type), e);
    return false;
  }
  switch (c) {
    case HT.any: case HT.func: case HT.extern: case HT.exn: return true;
    case HT.eq: return typeof r === 'number' || r instanceof GcStruct || r instanceof GcArray;
    case HT.i31: return typeof r === 'number';
    case HT.struct: return r instanceof GcStruct;
    case HT.array: return r instanceof GcArray;
    default: return false; // a bottom type holds null only
  }
}

/**
 * The configuration's v128 slots (simd/lanes.ts), where a v128 field's
 * value comes from and goes to: a module with v128 fields counts as using
 * SIMD (syntax/features.ts), so its configuration has them.
 */
let vw: Int32Array | null = null;

/** Field k of `rtt` from stack slot s into the words/refs of an object. */
function store(rtt: Rtt, k: number, w: number[], r: AnyRef[], at: number, i32: Int32Array, refs: AnyRef[], s: number): void {
  if (rtt.isRef[k]) { r[at] = refs[s]!; return; }
  const p = rtt.packed[k]!;
  const x = i32[2 * s]!;
  w[at] = p === 8 ? x & 0xff : p === 16 ? x & 0xffff : x;
  const words = rtt.words[k]!;
  if (words === 2) w[at + 1] = i32[2 * s + 1]!;
  else if (words === 4) for (let j = 0; j < 4; j++) w[at + j] = vw![4 * s + j]!;
}

/** Field k of `rtt` (its slot `at`) to stack slot s; `signed` for get_s. */
function load(rtt: Rtt, k: number, w: number[], r: AnyRef[], at: number, signed: number, i32: Int32Array, refs: AnyRef[], s: number): void {
  if (rtt.isRef[k]) { refs[s] = r[at]!; return; }
  refs[s] = null; // a number: the slot's reference (the object read from) goes
  const p = rtt.packed[k]!;
  const x = w[at]!;
  i32[2 * s] = p === 0 ? x : signed === 0 ? x : p === 8 ? (x << 24) >> 24 : (x << 16) >> 16;
  const words = rtt.words[k]!;
  i32[2 * s + 1] = words === 2 ? w[at + 1]! : 0;
  if (words === 4) for (let j = 0; j < 4; j++) vw![4 * s + j] = w[at + j]!;
}

/** Field k of `rtt` from stack slot s into struct `o`'s slots. */
function storeField(rtt: Rtt, k: number, o: GcStruct, i32: Int32Array, refs: AnyRef[], s: number): void {
  const at = rtt.slot[k]!;
  if (rtt.isRef[k]) { setSlot(o, at, refs[s]!); return; }
  const p = rtt.packed[k]!;
  const x = i32[2 * s]!;
  setSlot(o, at, p === 8 ? x & 0xff : p === 16 ? x & 0xffff : x);
  const words = rtt.words[k]!;
  if (words === 2) setSlot(o, at + 1, i32[2 * s + 1]!);
  else if (words === 4) for (let j = 0; j < 4; j++) setSlot(o, at + j, vw![4 * s + j]!);
}

/** Field k of struct `o` to stack slot s; `signed` for get_s. */
function loadField(rtt: Rtt, k: number, o: GcStruct, signed: number, i32: Int32Array, refs: AnyRef[], s: number): void {
  const at = rtt.slot[k]!;
  if (rtt.isRef[k]) { refs[s] = slotOf(o, at); return; }
  refs[s] = null; // a number: the slot's reference (the object read from) goes
  const p = rtt.packed[k]!;
  const x = slotOf(o, at) as number;
  i32[2 * s] = p === 0 ? x : signed === 0 ? x : p === 8 ? (x << 24) >> 24 : (x << 16) >> 16;
  const words = rtt.words[k]!;
  i32[2 * s + 1] = words === 2 ? slotOf(o, at + 1) as number : 0;
  if (words === 4) for (let j = 0; j < 4; j++) vw![4 * s + j] = slotOf(o, at + j) as number;
}

/** Operand k of a flat struct.new (below): its slot as it is. */
function operand(isRef: boolean[], k: number, i32: Int32Array, refs: AnyRef[], s: number): Slot {
  return isRef[k] ? refs[s + k]! : i32[2 * (s + k)]!;
}

/**
 * struct.new of a type whose fields each take one slot unpacked (Rtt.flat;
 * a = their count, e = the type's id; d = 1: all null), the loop's P.struct_new: the new
 * struct is one object made from its operands. Returns the new stack height.
 */
export function structNew(node: PNode, i32: Int32Array, refs: AnyRef[], sp: number): number {
  const s = sp - (node.d === 0 ? node.a : 0);
  refs[s] = structMade(node, i32, refs, s);
  return s + 1;
}

/**
 * The struct P.struct_new and P.struct_new_ret make, from the operands at
 * stack slots s on (none when the node's d = 1: every field a null
 * reference, the ref.null nodes before it joined to it by gc/prepare.ts's
 * emitGc). The loop places it: P.struct_new where its operands were,
 * P.struct_new_ret at the frame base, where a return leaves it.
 */
export function structMade(node: PNode, i32: Int32Array, refs: AnyRef[], s: number): GcStruct {
  const rtt = rttById(node.e), n = node.a, isRef = rtt.isRef;
  const given = node.d === 0 ? n : 0;
  const f0 = given > 0 ? operand(isRef, 0, i32, refs, s) : null;
  const f1 = given > 1 ? operand(isRef, 1, i32, refs, s) : null;
  if (n <= NARROW_SLOTS) return new GcStruct(rtt, f0, f1);
  let rest = noSlots<Slot>();
  if (n > INLINE_SLOTS) {
    rest = new Array<Slot>(n - INLINE_SLOTS);
    for (let k = INLINE_SLOTS; k < n; k++) rest[k - INLINE_SLOTS] = k < given ? operand(isRef, k, i32, refs, s) : null;
  }
  return new GcStructWide(
    rtt, f0, f1,
    given > 2 ? operand(isRef, 2, i32, refs, s) : null,
    given > 3 ? operand(isRef, 3, i32, refs, s) : null,
    rest,
  );
}

/**
 * The loop's P.struct_get and P.struct_get_l (node.ts): field value v to
 * stack slot s as the node's b and d say. Returns the new stack height.
 */
export function structGot(v: Slot, node: PNode, i32: Int32Array, refs: AnyRef[], s: number): number {
  if (node.b === 0 || node.d === 2) {
    // A number, or whether the reference is null: the slot's reference goes.
    i32[s << 1] = node.b === 0 ? v as number : v === null ? 1 : 0;
    i32[(s << 1) + 1] = 0;
    refs[s] = null;
  } else {
    if (v === null && node.d === 1) trap(TrapMessage.nullReference);
    refs[s] = v;
  }
  return s + 1;
}

/**
 * The most slots (words or references) one array may take: 2^27, a GiB of
 * doubles. Beyond it V8 would end the process for want of heap, so the
 * allocation traps instead.
 */
export const MAX_ARRAY_SLOTS = 2 ** 27;

/** A new array's storage for n elements, zero or null. */
function arrayOf(rtt: Rtt, n: number): GcArray {
  if (n * Math.max(rtt.words[0]!, 1) > MAX_ARRAY_SLOTS) trap(TrapMessage.arrayTooLarge);
  return rtt.isRef[0]
    ? new GcArray(rtt, n, noSlots(), new Array<Ref>(n).fill(null))
    : new GcArray(rtt, n, new Array<number>(n * rtt.words[0]!).fill(0), noSlots());
}

/** Bytes one element of a numeric array takes in a data segment. */
function byteWidth(rtt: Rtt): number {
  const p = rtt.packed[0]!;
  return p !== 0 ? p / 8 : rtt.words[0]! * 4;
}

/** Elements [d, d + n) of `a` from data segment bytes at s (bounds checked by the caller). */
function fromData(a: GcArray, d: number, data: Uint8Array, s: number, n: number): void {
  const bw = byteWidth(a.rtt), words = a.rtt.words[0]!;
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let k = 0; k < n; k++) {
    const at = s + k * bw, o = (d + k) * words;
    if (bw === 1) a.w[o] = dv.getUint8(at);
    else if (bw === 2) a.w[o] = dv.getUint16(at, true);
    else {
      for (let j = 0; j < words; j++) a.w[o + j] = dv.getInt32(at + 4 * j, true);
    }
  }
}

function structOf(r: AnyRef): GcStruct {
  if (r === null) trap(TrapMessage.nullStructureReference);
  return r as GcStruct;
}

function arrayRef(r: AnyRef): GcArray {
  if (r === null) trap(TrapMessage.nullArrayReference);
  return r as GcArray;
}

/** Runs a P.gc node; returns the new stack height. */
export function execGc(t: Configuration, node: PNode, sp: number, inst: ModuleInst): number {
  const i32 = t.i32, refs = t.refs as AnyRef[];
  vw = t.vec === null ? null : t.vec.i32;
  switch (node.f) {
    case GcOp.struct_new: case GcOp.struct_new_default: {
      const rtt = rttById(node.e);
      const o = newStruct(rtt, rtt.init);
      if (node.f === GcOp.struct_new) {
        const n = rtt.isRef.length;
        sp -= n;
        for (let k = 0; k < n; k++) storeField(rtt, k, o, i32, refs, sp + k);
      }
      refs[sp++] = o;
      return sp;
    }
    case GcOp.struct_get: case GcOp.struct_get_s: case GcOp.struct_get_u: {
      const o = structOf(refs[sp - 1]!);
      loadField(o.rtt, node.a, o, node.d, i32, refs, sp - 1);
      return sp;
    }
    case GcOp.struct_set: {
      sp -= 2;
      const o = structOf(refs[sp]!);
      storeField(o.rtt, node.a, o, i32, refs, sp + 1);
      return sp;
    }
    case GcOp.array_new: case GcOp.array_new_default: {
      const rtt = rttById(node.e);
      const withValue = node.f === GcOp.array_new;
      const n = i32[2 * (sp - 1)]! >>> 0;
      const a = arrayOf(rtt, n);
      if (withValue) {
        const v = sp - 2;
        const words = rtt.words[0]!;
        for (let k = 0; k < n; k++) store(rtt, 0, a.w, a.r as AnyRef[], rtt.isRef[0] ? k : k * words, i32, refs, v);
        sp -= 2;
      } else {
        sp -= 1;
      }
      refs[sp++] = a;
      return sp;
    }
    case GcOp.array_new_fixed: {
      const rtt = rttById(node.e);
      const n = node.a;
      const a = arrayOf(rtt, n);
      sp -= n;
      const words = rtt.words[0]!;
      for (let k = 0; k < n; k++) store(rtt, 0, a.w, a.r as AnyRef[], rtt.isRef[0] ? k : k * words, i32, refs, sp + k);
      refs[sp++] = a;
      return sp;
    }
    case GcOp.array_new_data: case GcOp.array_new_elem: {
      const rtt = rttById(node.e);
      sp -= 2;
      const s = i32[2 * sp]! >>> 0, n = i32[2 * sp + 2]! >>> 0;
      if (node.f === GcOp.array_new_data) {
        const data = inst.datas[node.a]!;
        if (s + n * byteWidth(rtt) > data.length) trap(TrapMessage.outOfBoundsMemory);
        const a = arrayOf(rtt, n);
        fromData(a, 0, data, s, n);
        refs[sp++] = a;
      } else {
        const elem = inst.elems[node.a]!;
        if (s + n > elem.length) trap(TrapMessage.outOfBoundsTable);
        refs[sp++] = new GcArray(rtt, n, noSlots(), elem.slice(s, s + n));
      }
      return sp;
    }
    case GcOp.array_get: case GcOp.array_get_s: case GcOp.array_get_u: {
      sp -= 1;
      const a = arrayRef(refs[sp - 1]!);
      const k = i32[2 * sp]! >>> 0;
      if (k >= a.length) trap(TrapMessage.outOfBoundsArray);
      const rtt = a.rtt;
      load(rtt, 0, a.w, a.r as AnyRef[], rtt.isRef[0] ? k : k * rtt.words[0]!, node.d, i32, refs, sp - 1);
      return sp;
    }
    case GcOp.array_set: {
      sp -= 3;
      const a = arrayRef(refs[sp]!);
      const k = i32[2 * sp + 2]! >>> 0;
      if (k >= a.length) trap(TrapMessage.outOfBoundsArray);
      const rtt = a.rtt;
      store(rtt, 0, a.w, a.r as AnyRef[], rtt.isRef[0] ? k : k * rtt.words[0]!, i32, refs, sp + 2);
      return sp;
    }
    case GcOp.array_fill: {
      sp -= 4;
      const a = arrayRef(refs[sp]!);
      const d = i32[2 * sp + 2]! >>> 0, n = i32[2 * sp + 6]! >>> 0;
      if (d + n > a.length) trap(TrapMessage.outOfBoundsArray);
      const rtt = a.rtt, words = rtt.words[0]!;
      for (let k = d; k < d + n; k++) store(rtt, 0, a.w, a.r as AnyRef[], rtt.isRef[0] ? k : k * words, i32, refs, sp + 2);
      return sp;
    }
    case GcOp.array_copy: {
      sp -= 5;
      const dst = arrayRef(refs[sp]!), src = arrayRef(refs[sp + 2]!);
      const d = i32[2 * sp + 2]! >>> 0, s = i32[2 * sp + 6]! >>> 0, n = i32[2 * sp + 8]! >>> 0;
      if (d + n > dst.length || s + n > src.length) trap(TrapMessage.outOfBoundsArray);
      if (dst.rtt.isRef[0]) copyWithin(dst.r, d, src.r, s, n);
      else { const words = dst.rtt.words[0]!; copyWithin(dst.w, d * words, src.w, s * words, n * words); }
      return sp;
    }
    case GcOp.array_init_data: {
      sp -= 4;
      const a = arrayRef(refs[sp]!);
      const d = i32[2 * sp + 2]! >>> 0, s = i32[2 * sp + 4]! >>> 0, n = i32[2 * sp + 6]! >>> 0;
      if (d + n > a.length) trap(TrapMessage.outOfBoundsArray);
      const data = inst.datas[node.a]!;
      if (s + n * byteWidth(a.rtt) > data.length) trap(TrapMessage.outOfBoundsMemory);
      fromData(a, d, data, s, n);
      return sp;
    }
    case GcOp.array_init_elem: {
      sp -= 4;
      const a = arrayRef(refs[sp]!);
      const d = i32[2 * sp + 2]! >>> 0, s = i32[2 * sp + 4]! >>> 0, n = i32[2 * sp + 6]! >>> 0;
      if (d + n > a.length) trap(TrapMessage.outOfBoundsArray);
      const elem = inst.elems[node.a]!;
      if (s + n > elem.length) trap(TrapMessage.outOfBoundsTable);
      for (let k = 0; k < n; k++) a.r[d + k] = elem[s + k]!;
      return sp;
    }
    case GcOp.any_convert_extern:
      refs[sp - 1] = internalize(refs[sp - 1]!) as AnyRef;
      return sp;
    case GcOp.extern_convert_any:
      refs[sp - 1] = externalize(refs[sp - 1]!) as AnyRef;
      return sp;
    case GcOp.ref_i31:
      refs[sp - 1] = (i32[2 * (sp - 1)]! << 1) >> 1;
      return sp;
    case GcOp.i31_get_s: case GcOp.i31_get_u: {
      const r = refs[sp - 1]!;
      if (r === null) trap(TrapMessage.nullI31Reference);
      const v = r as number;
      i32[2 * (sp - 1)] = node.f === GcOp.i31_get_s ? v : v & 0x7fffffff;
      i32[2 * (sp - 1) + 1] = 0;
      refs[sp - 1] = null;
      return sp;
    }
    case GcOp.ref_eq: {
      sp -= 1;
      const j = 2 * (sp - 1);
      i32[j] = refs[sp - 1] === refs[sp] ? 1 : 0;
      i32[j + 1] = 0;
      refs[sp - 1] = null; refs[sp] = null;
      return sp;
    }
  }
  throw new Error(`the interpreter does not support opcode 0x${node.f.toString(16)}`);
}

/** Copies n entries from src[s] to dst[d], as memmove does when the two overlap. */
function copyWithin<T>(dst: T[], d: number, src: T[], s: number, n: number): void {
  if (dst === src && d > s) for (let k = n - 1; k >= 0; k--) dst[d + k] = src[s + k]!;
  else for (let k = 0; k < n; k++) dst[d + k] = src[s + k]!;
}
