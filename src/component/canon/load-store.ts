// Values in linear memory (CanonicalABI.md "Loading" and "Storing"): load
// reads a value of type `t` at `ptr`, store writes one. The caller has
// checked that `ptr` is aligned and that elem_size(t) bytes fit.

import type { Case, DefinedType, Field, ValType } from '../syntax/types.js';
import { chargeHostcallFuel, listFuelCost, type LiftLowerContext } from './context.js';
import {
  alignment, alignTo, despecialize, discriminantType, elemSize, elemSizeFlags, fieldOffsets, isAligned,
  makeCase, matchCase, maxCaseAlignment, numI32Flags, ownField, plainRecord, ptrSize, recordField, recordFields,
  recordObject, type PtrType,
} from './layout.js';
import { liftBorrow, liftErrorContext, liftOwn, lowerBorrow, lowerErrorContext, lowerOwn } from './resources.js';
import {
  charToI32, checkBigInt, checkBool, checkFloat, checkNumber, convertI32ToChar, convertIntToBool,
  encodeFloatAsI32, encodeFloatAsI64,
} from './scalars.js';
import { loadString, storeString } from './strings.js';
import { asyncValues } from './async-hooks.js';
import { badReallocResult, CanonTrap, rangeOutOfBounds, trap } from './traps.js';
import type { ComponentValue, FlagsValue, RecordValue } from './values.js';

export const MAX_LIST_BYTE_LENGTH = 2 ** 28 - 1;

// ---- integers -------------------------------------------------------------------------

/** load_int: little-endian, unsigned unless `signed`; 8-byte integers as bigint. */
export function loadInt(cx: LiftLowerContext, ptr: number, nbytes: 1 | 2 | 4, signed?: boolean): number;
export function loadInt(cx: LiftLowerContext, ptr: number, nbytes: 8, signed?: boolean): bigint;
export function loadInt(cx: LiftLowerContext, ptr: number, nbytes: 1 | 2 | 4 | 8, signed = false): number | bigint {
  const v = cx.memory.view;
  switch (nbytes) {
    case 1: return signed ? v.getInt8(ptr) : v.getUint8(ptr);
    case 2: return signed ? v.getInt16(ptr, true) : v.getUint16(ptr, true);
    case 4: return signed ? v.getInt32(ptr, true) : v.getUint32(ptr, true);
    case 8: return signed ? v.getBigInt64(ptr, true) : v.getBigUint64(ptr, true);
  }
}

/** store_int: the low `nbytes` bytes of `v`, little-endian. */
export function storeInt(cx: LiftLowerContext, v: number | bigint, ptr: number, nbytes: 1 | 2 | 4 | 8): void {
  const view = cx.memory.view;
  switch (nbytes) {
    case 1: view.setUint8(ptr, Number(v) & 0xff); break;
    case 2: view.setUint16(ptr, Number(v) & 0xffff, true); break;
    case 4: view.setUint32(ptr, Number(v) >>> 0, true); break;
    case 8: view.setBigUint64(ptr, BigInt.asUintN(64, BigInt(v)), true); break;
  }
}

/**
 * decode_i32_as_float(load_int(cx, ptr, 4)) and the 8-byte form, read as a
 * float directly: the same bits, without an i64's bigint. Every NaN reads
 * as JS's one NaN, which is what canonicalize_nan32/64 make of it.
 */
export function loadFloat(cx: LiftLowerContext, ptr: number, nbytes: 4 | 8): number {
  const v = cx.memory.view;
  return nbytes === 4 ? v.getFloat32(ptr, true) : v.getFloat64(ptr, true);
}

/**
 * store_int(cx, encode_float_as_i32(f), ptr, 4) and the 8-byte form: a
 * NaN as the canonical NaN's bits (encodeFloatAsI32/I64 say why), any
 * other number as the float it is (for 4 bytes rounded to f32 as
 * encode_float_as_i32 rounds it).
 */
export function storeFloat(cx: LiftLowerContext, f: number, ptr: number, nbytes: 4 | 8): void {
  if (Number.isNaN(f)) {
    if (nbytes === 4) storeInt(cx, encodeFloatAsI32(f), ptr, 4);
    else storeInt(cx, encodeFloatAsI64(f), ptr, 8);
    return;
  }
  const v = cx.memory.view;
  if (nbytes === 4) v.setFloat32(ptr, f, true);
  else v.setFloat64(ptr, f, true);
}

function loadPtr(cx: LiftLowerContext, ptr: number): number {
  return ptrSize(cx.opts.ptrType) === 4 ? loadInt(cx, ptr, 4) : Number(loadInt(cx, ptr, 8));
}

function storePtr(cx: LiftLowerContext, v: number, ptr: number): void {
  storeInt(cx, ptrSize(cx.opts.ptrType) === 4 ? v : BigInt(v), ptr, ptrSize(cx.opts.ptrType));
}

// ---- load ---------------------------------------------------------------------------------

/**
 * load: the value of type `t` at `ptr`. Dispatches through the type's load
 * plan (below), so a list of 10 000 records decides what each field is
 * once, not once per value.
 */
export function load(cx: LiftLowerContext, ptr: number, t: ValType): ComponentValue {
  return loadPlan(t, cx.opts.ptrType)(cx, ptr);
}

/** What a type's load plan does: load(cx, ptr, t) for its one type. */
export type Loader = (cx: LiftLowerContext, ptr: number) => ComponentValue;

/**
 * The load plan of `t`: a closure made once per type (and pointer type)
 * that calls the spec's functions for it — loadInt and the conversions,
 * loadString, loadList, loadRecord, loadVariant, loadFlags, lift_own … —
 * with everything that depends only on the type (despecialization, field
 * offsets, the plans of element and field types) worked out beforehand.
 * Each rule stays in the function named after it; the plan only skips the
 * per-value dispatch.
 */
export const loadPlan: (t: ValType, ptrType: PtrType) => Loader = planMemo(makeLoadPlan);

/** Plans memoised per type and pointer type: `make` runs once for each pair. */
function planMemo<P>(make: (t: ValType, ptrType: PtrType) => P): (t: ValType, ptrType: PtrType) => P {
  const defined = { i32: new WeakMap<DefinedType, P>(), i64: new WeakMap<DefinedType, P>() };
  const primitive = { i32: new Map<ValType, P>(), i64: new Map<ValType, P>() };
  return (t, ptrType) => {
    const cache = (typeof t === 'string' ? primitive[ptrType] : defined[ptrType]) as Map<ValType, P>;
    let plan = cache.get(t);
    if (plan === undefined) {
      plan = make(t, ptrType);
      cache.set(t, plan);
    }
    return plan;
  };
}

function makeLoadPlan(t: ValType, ptrType: PtrType): Loader {
  const d = despecialize(t);
  if (typeof d === 'string') {
    switch (d) {
      case 'bool': return (cx, ptr) => convertIntToBool(loadInt(cx, ptr, 1));
      case 'u8': return (cx, ptr) => loadInt(cx, ptr, 1);
      case 'u16': return (cx, ptr) => loadInt(cx, ptr, 2);
      case 'u32': return (cx, ptr) => loadInt(cx, ptr, 4);
      case 'u64': return (cx, ptr) => loadInt(cx, ptr, 8);
      case 's8': return (cx, ptr) => loadInt(cx, ptr, 1, true);
      case 's16': return (cx, ptr) => loadInt(cx, ptr, 2, true);
      case 's32': return (cx, ptr) => loadInt(cx, ptr, 4, true);
      case 's64': return (cx, ptr) => loadInt(cx, ptr, 8, true);
      case 'f32': return (cx, ptr) => loadFloat(cx, ptr, 4);
      case 'f64': return (cx, ptr) => loadFloat(cx, ptr, 8);
      case 'char': return (cx, ptr) => convertI32ToChar(loadInt(cx, ptr, 4));
      case 'string': return (cx, ptr) => loadString(cx, ptr) as ComponentValue;
      case 'error-context': return (cx, ptr) => liftErrorContext(cx, loadInt(cx, ptr, 4));
    }
  }
  const dt = t as DefinedType;
  switch (d.kind) {
    case 'list': {
      const { elem, length } = d;
      return (cx, ptr) => loadList(cx, ptr, elem, length);
    }
    case 'record': {
      const fields = recordPlan(d.fields, ptrType);
      // A tuple is a record despecialized (labels 0, 1, …), shaped as
      // the array of its values.
      if (dt.kind === 'tuple') return (cx, ptr) => loadTuple(cx, ptr, fields);
      return (cx, ptr) => loadRecord(cx, ptr, fields);
    }
    case 'variant': {
      const cases = d.cases;
      return (cx, ptr) => {
        const [index, payload] = loadVariant(cx, ptr, cases);
        return makeCase(dt, index, payload);
      };
    }
    case 'flags': {
      const names = d.names;
      return (cx, ptr) => loadFlags(cx, ptr, names);
    }
    case 'own': {
      const r = d.resource;
      return (cx, ptr) => liftOwn(cx, loadInt(cx, ptr, 4), r);
    }
    case 'borrow': {
      const r = d.resource;
      return (cx, ptr) => liftBorrow(cx, loadInt(cx, ptr, 4), r);
    }
    case 'stream': return (cx, ptr) => asyncValues().liftStream(cx, loadInt(cx, ptr, 4), d);
    case 'future': return (cx, ptr) => asyncValues().liftFuture(cx, loadInt(cx, ptr, 4), d);
  }
}

/**
 * A record's fields as its plans use them: where each starts (fieldOffsets,
 * load_record's and store_record's walk of align_to and elem_size) and the
 * load and store plans of their types, made when first used.
 */
export class RecordPlan {
  readonly offsets: number[];
  readonly types: ValType[];
  readonly names: string[];
  private loaders: Loader[] | null = null;
  private storers: Storer[] | null = null;

  constructor(fields: Field[], readonly ptrType: PtrType) {
    this.offsets = fieldOffsets(fields, ptrType);
    this.types = fields.map((f) => f.type);
    this.names = fields.map((f) => f.name);
  }

  get load(): Loader[] {
    return (this.loaders ??= this.types.map((ft) => loadPlan(ft, this.ptrType)));
  }

  get store(): Storer[] {
    return (this.storers ??= this.types.map((ft) => storePlan(ft, this.ptrType)));
  }
}

const recordPlans = { i32: new WeakMap<Field[], RecordPlan>(), i64: new WeakMap<Field[], RecordPlan>() };

/** The RecordPlan of a list of fields (memoised per list, as despecialize keeps it). */
export function recordPlan(fields: Field[], ptrType: PtrType): RecordPlan {
  let p = recordPlans[ptrType].get(fields);
  if (p === undefined) {
    p = new RecordPlan(fields, ptrType);
    recordPlans[ptrType].set(fields, p);
  }
  return p;
}

export function loadList(cx: LiftLowerContext, ptr: number, elemType: ValType, maybeLength: number | null): ComponentValue[] {
  if (maybeLength !== null) return loadListFromValidRange(cx, ptr, maybeLength, elemType);
  const begin = loadPtr(cx, ptr);
  const length = loadPtr(cx, ptr + ptrSize(cx.opts.ptrType));
  return loadListFromRange(cx, begin, length, elemType);
}

/** load_list_from_range: checks the length limit, alignment and bounds, then loads. */
export function loadListFromRange(cx: LiftLowerContext, ptr: number, length: number, elemType: ValType): ComponentValue[] {
  const size = elemSize(elemType, cx.opts.ptrType);
  const byteLength = length * size;
  if (byteLength > MAX_LIST_BYTE_LENGTH) rangeOutOfBounds(cx.peer, 'list');
  if (!isAligned(ptr, alignment(elemType, cx.opts.ptrType))) trap(CanonTrap.unalignedPointer);
  if (ptr + byteLength > cx.memory.u8.length) rangeOutOfBounds(cx.peer, 'list');
  chargeHostcallFuel(cx, 'list', listFuelCost(length, size));
  if (cx.inst.tracing) {
    cx.inst.emit({ kind: 'load', what: 'list', addr: ptr, length, byteLength, text: `read a list of ${length} element(s) (${byteLength} bytes) at ${ptr}` });
  }
  return loadListFromValidRange(cx, ptr, length, elemType);
}

export function loadListFromValidRange(cx: LiftLowerContext, ptr: number, length: number, elemType: ValType): ComponentValue[] {
  const size = elemSize(elemType, cx.opts.ptrType);
  const loadElem = loadPlan(elemType, cx.opts.ptrType);
  const a: ComponentValue[] = new Array(length);
  for (let i = 0; i < length; i++) a[i] = loadElem(cx, ptr + i * size);
  return a;
}

/**
 * load_record: a record of each field's value, loaded at its offset of the
 * record's walk, in field order (definitions.py's `record[f.label] = load(…)`).
 *
 * As storeRecord does, the first four fields are loaded and set each at a
 * site of its own, the rest in a loop: at one shared site the keyed store
 * of every field's name into the new object and the call of every
 * field's load plan would be megamorphic. Every record of one type is then
 * built by the same transitions from `{}`, into one map.
 */
export function loadRecord(cx: LiftLowerContext, ptr: number, fields: RecordPlan): RecordValue {
  const { offsets, load: loaders, names } = fields;
  const r: RecordValue = {};
  const n = offsets.length;
  if (n === 0) return r;
  r[names[0]!] = loaders[0]!(cx, ptr + offsets[0]!);
  if (n === 1) return r;
  r[names[1]!] = loaders[1]!(cx, ptr + offsets[1]!);
  if (n === 2) return r;
  r[names[2]!] = loaders[2]!(cx, ptr + offsets[2]!);
  if (n === 3) return r;
  r[names[3]!] = loaders[3]!(cx, ptr + offsets[3]!);
  for (let i = 4; i < n; i++) r[names[i]!] = loaders[i]!(cx, ptr + offsets[i]!);
  return r;
}

/** load_record of a tuple's despecialized record: its values as the tuple's array. */
export function loadTuple(cx: LiftLowerContext, ptr: number, fields: RecordPlan): ComponentValue[] {
  const { offsets, load: loaders } = fields;
  const out: ComponentValue[] = new Array(offsets.length);
  for (let i = 0; i < offsets.length; i++) out[i] = loaders[i]!(cx, ptr + offsets[i]!);
  return out;
}

/** load_variant: the case index (checked) and its payload. */
export function loadVariant(cx: LiftLowerContext, ptr: number, cases: Case[]): [number, ComponentValue | undefined] {
  const discSize = elemSize(discriminantType(cases), cx.opts.ptrType) as 1 | 2 | 4;
  const caseIndex = loadInt(cx, ptr, discSize);
  ptr += discSize;
  if (caseIndex >= cases.length) trap(CanonTrap.invalidDiscriminant);
  const ct = cases[caseIndex]!.type;
  ptr = alignTo(ptr, maxCaseAlignment(cases, cx.opts.ptrType));
  if (ct === null) return [caseIndex, undefined];
  return [caseIndex, load(cx, ptr, ct)];
}

/** load_flags: bits beyond the last label are ignored. */
export function loadFlags(cx: LiftLowerContext, ptr: number, labels: string[]): FlagsValue {
  const size = elemSizeFlags(labels);
  if (size < 4) return unpackFlagsFromInt([loadInt(cx, ptr, size as 1 | 2)], labels);
  const words: number[] = [];
  for (let k = 0; k < numI32Flags(labels); k++) words.push(loadInt(cx, ptr + 4 * k, 4));
  return unpackFlagsFromInt(words, labels);
}

/** unpack_flags_from_int, over 32-bit words (word k holds labels 32k…32k+31). */
export function unpackFlagsFromInt(words: number[], labels: string[]): FlagsValue {
  const record: FlagsValue = {};
  labels.forEach((l, i) => { record[l] = ((words[i >>> 5]! >>> (i & 31)) & 1) === 1; });
  return record;
}

/** pack_flags_into_int, into 32-bit words. */
export function packFlagsIntoInt(v: unknown, labels: string[]): number[] {
  if (v === null || typeof v !== 'object') throw new TypeError(`expected an object of booleans for flags, got ${String(v)}`);
  const f = v as Record<string, unknown>;
  // A name that is not a flag (a typo, or an array of names) would
  // otherwise be dropped in silence and the flag left clear.
  for (const k of Object.keys(f)) {
    if (!labels.includes(k)) throw new TypeError(`no flag ${JSON.stringify(k)} in flags (its flags: ${labels.join(', ')})`);
  }
  const words = new Array<number>(numI32Flags(labels)).fill(0);
  labels.forEach((l, i) => {
    const b = f[l];
    if (b === true) words[i >>> 5]! |= 1 << (i & 31);
    else if (b !== false && b !== undefined) throw new TypeError(`expected a boolean for flag ${JSON.stringify(l)}, got ${typeof b}`);
  });
  return words.map((w) => w | 0);
}

// ---- store ----------------------------------------------------------------------------------

/** store: writes `v` of type `t` at `ptr`, through the type's store plan (as load does). */
export function store(cx: LiftLowerContext, v: unknown, t: ValType, ptr: number): void {
  storePlan(t, cx.opts.ptrType)(cx, v, ptr);
}

/** What a type's store plan does: store(cx, v, t, ptr) for its one type. */
export type Storer = (cx: LiftLowerContext, v: unknown, ptr: number) => void;

/** The store plan of `t`, made once per type as loadPlan makes load plans. */
export const storePlan: (t: ValType, ptrType: PtrType) => Storer = planMemo(makeStorePlan);

function makeStorePlan(t: ValType, ptrType: PtrType): Storer {
  const d = despecialize(t);
  if (typeof d === 'string') {
    switch (d) {
      case 'bool': return (cx, v, ptr) => storeInt(cx, checkBool(v) ? 1 : 0, ptr, 1);
      case 'u8': return (cx, v, ptr) => storeInt(cx, checkNumber(v, 0, 0xff, d), ptr, 1);
      case 'u16': return (cx, v, ptr) => storeInt(cx, checkNumber(v, 0, 0xffff, d), ptr, 2);
      case 'u32': return (cx, v, ptr) => storeInt(cx, checkNumber(v, 0, 0xffffffff, d), ptr, 4);
      case 'u64': return (cx, v, ptr) => storeInt(cx, checkBigInt(v, false, d), ptr, 8);
      case 's8': return (cx, v, ptr) => storeInt(cx, checkNumber(v, -0x80, 0x7f, d), ptr, 1);
      case 's16': return (cx, v, ptr) => storeInt(cx, checkNumber(v, -0x8000, 0x7fff, d), ptr, 2);
      case 's32': return (cx, v, ptr) => storeInt(cx, checkNumber(v, -0x80000000, 0x7fffffff, d), ptr, 4);
      case 's64': return (cx, v, ptr) => storeInt(cx, checkBigInt(v, true, d), ptr, 8);
      case 'f32': return (cx, v, ptr) => storeFloat(cx, checkFloat(v, d), ptr, 4);
      case 'f64': return (cx, v, ptr) => storeFloat(cx, checkFloat(v, d), ptr, 8);
      case 'char': return (cx, v, ptr) => storeInt(cx, charToI32(v), ptr, 4);
      case 'string': return (cx, v, ptr) => storeString(cx, v, ptr);
      case 'error-context': return (cx, v, ptr) => storeInt(cx, lowerErrorContext(cx, v), ptr, 4);
    }
  }
  const dt = t as DefinedType;
  switch (d.kind) {
    case 'list': {
      const { elem, length } = d;
      return (cx, v, ptr) => storeList(cx, v, ptr, elem, length);
    }
    case 'record': {
      const fields = recordPlan(d.fields, ptrType);
      return (cx, v, ptr) => storeRecord(cx, v as ComponentValue, dt, ptr, fields);
    }
    case 'variant': {
      const cases = d.cases;
      return (cx, v, ptr) => {
        const [index, payload] = matchCase(v as ComponentValue, dt);
        storeVariant(cx, index, payload, ptr, cases);
      };
    }
    case 'flags': {
      const names = d.names;
      return (cx, v, ptr) => storeFlags(cx, v, ptr, names);
    }
    case 'own': {
      const r = d.resource;
      return (cx, v, ptr) => storeInt(cx, lowerOwn(cx, v, r), ptr, 4);
    }
    case 'borrow': {
      const r = d.resource;
      return (cx, v, ptr) => storeInt(cx, lowerBorrow(cx, v, r), ptr, 4);
    }
    case 'stream': return (cx, v, ptr) => storeInt(cx, asyncValues().lowerStream(cx, v, d), ptr, 4);
    case 'future': return (cx, v, ptr) => storeInt(cx, asyncValues().lowerFuture(cx, v, d), ptr, 4);
  }
}

/**
 * The typed arrays a host may pass for a list of each primitive element
 * type (as jco takes them: file bytes as a Uint8Array for list<u8>); their
 * elements are already the JS values of that type, so they are read as an
 * array is. Lifting still gives arrays.
 */
const typedArraysFor: Partial<Record<string, readonly (abstract new (...args: never[]) => ArrayLike<unknown>)[]>> = {
  u8: [Uint8Array, Uint8ClampedArray],
  s8: [Int8Array],
  u16: [Uint16Array],
  s16: [Int16Array],
  u32: [Uint32Array],
  s32: [Int32Array],
  f32: [Float32Array],
  f64: [Float64Array],
  s64: [BigInt64Array],
  u64: [BigUint64Array],
};

/** A host list value: an array, or a typed array of the element type's own kind. */
export function checkList(v: unknown, elemType: ValType, maybeLength: number | null): ArrayLike<unknown> {
  // Arrays first: the common case asks nothing of the typed-array table.
  if (!Array.isArray(v) && !(typeof elemType === 'string' && typedArraysFor[elemType]?.some((c) => v instanceof c))) {
    const what = ArrayBuffer.isView(v) ? `a ${v.constructor.name}` : String(v);
    throw new TypeError(`expected an array for a list, got ${what}`);
  }
  const list = v as ArrayLike<unknown>;
  if (maybeLength !== null && list.length !== maybeLength) throw new TypeError(`expected a list of exactly ${maybeLength} elements, got ${list.length}`);
  return list;
}

export function storeList(cx: LiftLowerContext, v: unknown, ptr: number, elemType: ValType, maybeLength: number | null): void {
  const list = checkList(v, elemType, maybeLength);
  if (maybeLength !== null) {
    storeListIntoValidRange(cx, list, ptr, elemType);
    return;
  }
  const [begin, length] = storeListIntoRange(cx, list, elemType);
  storePtr(cx, begin, ptr);
  storePtr(cx, length, ptr + ptrSize(cx.opts.ptrType));
}

/**
 * store_list_into_range: one realloc of exactly length × elem_size bytes —
 * made even for an empty list — whose result is checked for alignment and
 * bounds before anything is written.
 */
export function storeListIntoRange(cx: LiftLowerContext, v: unknown, elemType: ValType): [number, number] {
  const list = checkList(v, elemType, null);
  const align = alignment(elemType, cx.opts.ptrType);
  const byteLength = list.length * elemSize(elemType, cx.opts.ptrType);
  const ptr = cx.allocate(align, byteLength);
  if (!isAligned(ptr, align)) badReallocResult(cx.peer, 'list', 'align');
  if (ptr + byteLength > cx.memory.u8.length) badReallocResult(cx.peer, 'list', 'bounds');
  if (cx.inst.tracing) {
    cx.inst.emit({ kind: 'store', what: 'list', addr: ptr, length: list.length, byteLength, text: `wrote a list of ${list.length} element(s) (${byteLength} bytes) at ${ptr}` });
  }
  storeListIntoValidRange(cx, list, ptr, elemType);
  return [ptr, list.length];
}

export function storeListIntoValidRange(cx: LiftLowerContext, v: ArrayLike<unknown>, ptr: number, elemType: ValType): void {
  const size = elemSize(elemType, cx.opts.ptrType);
  const storeElem = storePlan(elemType, cx.opts.ptrType);
  for (let i = 0; i < v.length; i++) storeElem(cx, v[i], ptr + i * size);
}

/**
 * store_record: each field's value at its offset of the record's walk. A
 * record's fields are read as they are stored, as definitions.py reads
 * v[f.label] (no array of them per record); a tuple's are its array.
 *
 * The first four fields of a record are read and stored each at a site of
 * its own, written out, and the rest in a loop. V8 caches a property read
 * and a call at each site for what that site has seen: at one site for
 * every field (a loop's), the fields' different names and store plans make
 * the read a generic lookup by name and the call one it cannot inline.
 * Written out, storing 10 000 records {u32, u32, f64, bool} takes about
 * half the time it took in the loop. Records of other types that pass
 * through the same sites share those caches, so the gain is largest for
 * one record type stored many times, as a list's elements are.
 */
export function storeRecord(cx: LiftLowerContext, v: ComponentValue, t: DefinedType, ptr: number, fields: RecordPlan): void {
  const { offsets, store: storers } = fields;
  if (t.kind !== 'record') {
    const values = recordFields(v, t);
    for (let i = 0; i < offsets.length; i++) storers[i]!(cx, values[i], ptr + offsets[i]!);
    return;
  }
  const r = recordObject(v);
  const names = fields.names;
  const n = offsets.length;
  if (n === 0) return;
  let name = names[0]!;
  const x0 = r[name];
  // After a read V8 knows the object's shape, and with it its prototype:
  // plainRecord's Object.getPrototypeOf is then no call.
  const plain = plainRecord(r);
  storers[0]!(cx, ownField(r, name, plain, x0), ptr + offsets[0]!);
  if (n === 1) return;
  name = names[1]!;
  storers[1]!(cx, ownField(r, name, plain, r[name]), ptr + offsets[1]!);
  if (n === 2) return;
  name = names[2]!;
  storers[2]!(cx, ownField(r, name, plain, r[name]), ptr + offsets[2]!);
  if (n === 3) return;
  name = names[3]!;
  storers[3]!(cx, ownField(r, name, plain, r[name]), ptr + offsets[3]!);
  for (let i = 4; i < n; i++) storers[i]!(cx, recordField(r, names[i]!, plain), ptr + offsets[i]!);
}

export function storeVariant(cx: LiftLowerContext, caseIndex: number, payload: ComponentValue | undefined, ptr: number, cases: Case[]): void {
  const discSize = elemSize(discriminantType(cases), cx.opts.ptrType) as 1 | 2 | 4;
  storeInt(cx, caseIndex, ptr, discSize);
  ptr += discSize;
  ptr = alignTo(ptr, maxCaseAlignment(cases, cx.opts.ptrType));
  const ct = cases[caseIndex]!.type;
  if (ct !== null) store(cx, payload, ct, ptr);
}

export function storeFlags(cx: LiftLowerContext, v: unknown, ptr: number, labels: string[]): void {
  const words = packFlagsIntoInt(v, labels);
  const size = elemSizeFlags(labels);
  if (size < 4) {
    storeInt(cx, words[0]!, ptr, size as 1 | 2);
    return;
  }
  words.forEach((w, k) => storeInt(cx, w, ptr + 4 * k, 4));
}
