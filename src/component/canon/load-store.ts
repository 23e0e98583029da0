// Values in linear memory (CanonicalABI.md "Loading" and "Storing"): load
// reads a value of type `t` at `ptr`, store writes one. The caller has
// checked that `ptr` is aligned and that elem_size(t) bytes fit.

import type { Case, DefinedType, ValType } from '../syntax/types.js';
import { chargeHostcallFuel, type LiftLowerContext } from './context.js';
import {
  alignment, alignTo, despecialize, discriminantType, elemSize, elemSizeFlags, isAligned,
  makeCase, makeRecord, matchCase, maxCaseAlignment, numI32Flags, ptrSize, recordFields,
} from './layout.js';
import { liftBorrow, liftErrorContext, liftOwn, lowerBorrow, lowerErrorContext, lowerOwn } from './resources.js';
import {
  charToI32, checkBigInt, checkBool, checkFloat, checkNumber, convertI32ToChar, convertIntToBool,
  decodeI32AsFloat, decodeI64AsFloat, encodeFloatAsI32, encodeFloatAsI64,
} from './scalars.js';
import { loadString, storeString } from './strings.js';
import { asyncValues } from './async-hooks.js';
import { badReallocResult, CanonTrap, rangeOutOfBounds, trap } from './traps.js';
import type { ComponentValue, FlagsValue } from './values.js';

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

function loadPtr(cx: LiftLowerContext, ptr: number): number {
  return ptrSize(cx.opts.ptrType) === 4 ? loadInt(cx, ptr, 4) : Number(loadInt(cx, ptr, 8));
}

function storePtr(cx: LiftLowerContext, v: number, ptr: number): void {
  storeInt(cx, ptrSize(cx.opts.ptrType) === 4 ? v : BigInt(v), ptr, ptrSize(cx.opts.ptrType));
}

// ---- load ---------------------------------------------------------------------------------

export function load(cx: LiftLowerContext, ptr: number, t: ValType): ComponentValue {
  const d = despecialize(t);
  if (typeof d === 'string') {
    switch (d) {
      case 'bool': return convertIntToBool(loadInt(cx, ptr, 1));
      case 'u8': return loadInt(cx, ptr, 1);
      case 'u16': return loadInt(cx, ptr, 2);
      case 'u32': return loadInt(cx, ptr, 4);
      case 'u64': return loadInt(cx, ptr, 8);
      case 's8': return loadInt(cx, ptr, 1, true);
      case 's16': return loadInt(cx, ptr, 2, true);
      case 's32': return loadInt(cx, ptr, 4, true);
      case 's64': return loadInt(cx, ptr, 8, true);
      case 'f32': return decodeI32AsFloat(loadInt(cx, ptr, 4, true));
      case 'f64': return decodeI64AsFloat(loadInt(cx, ptr, 8, true));
      case 'char': return convertI32ToChar(loadInt(cx, ptr, 4));
      case 'string': return loadString(cx, ptr) as ComponentValue;
      case 'error-context': return liftErrorContext(cx, loadInt(cx, ptr, 4));
    }
  }
  const dt = t as DefinedType;
  switch (d.kind) {
    case 'list': return loadList(cx, ptr, d.elem, d.length);
    case 'record': return makeRecord(dt, loadRecord(cx, ptr, d.fields.map((f) => f.type)));
    case 'variant': {
      const [index, payload] = loadVariant(cx, ptr, d.cases);
      return makeCase(dt, index, payload);
    }
    case 'flags': return loadFlags(cx, ptr, d.names);
    case 'own': return liftOwn(cx, loadInt(cx, ptr, 4), d.resource);
    case 'borrow': return liftBorrow(cx, loadInt(cx, ptr, 4), d.resource);
    case 'stream': return asyncValues().liftStream(cx, loadInt(cx, ptr, 4), d);
    case 'future': return asyncValues().liftFuture(cx, loadInt(cx, ptr, 4), d);
  }
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
  chargeHostcallFuel(cx, 'list', byteLength);
  if (cx.inst.tracing) {
    cx.inst.emit({ kind: 'load', what: 'list', addr: ptr, length, byteLength, text: `read a list of ${length} element(s) (${byteLength} bytes) at ${ptr}` });
  }
  return loadListFromValidRange(cx, ptr, length, elemType);
}

export function loadListFromValidRange(cx: LiftLowerContext, ptr: number, length: number, elemType: ValType): ComponentValue[] {
  const size = elemSize(elemType, cx.opts.ptrType);
  const a: ComponentValue[] = new Array(length);
  for (let i = 0; i < length; i++) a[i] = load(cx, ptr + i * size, elemType);
  return a;
}

/** load_record: the field values, in order (the caller shapes them as a record or tuple). */
export function loadRecord(cx: LiftLowerContext, ptr: number, fieldTypes: ValType[]): ComponentValue[] {
  const out: ComponentValue[] = [];
  for (const ft of fieldTypes) {
    ptr = alignTo(ptr, alignment(ft, cx.opts.ptrType));
    out.push(load(cx, ptr, ft));
    ptr += elemSize(ft, cx.opts.ptrType);
  }
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
  const words = new Array<number>(numI32Flags(labels)).fill(0);
  labels.forEach((l, i) => {
    if (f[l]) words[i >>> 5]! |= 1 << (i & 31);
  });
  return words.map((w) => w | 0);
}

// ---- store ----------------------------------------------------------------------------------

export function store(cx: LiftLowerContext, v: unknown, t: ValType, ptr: number): void {
  const d = despecialize(t);
  if (typeof d === 'string') {
    switch (d) {
      case 'bool': storeInt(cx, checkBool(v) ? 1 : 0, ptr, 1); return;
      case 'u8': storeInt(cx, checkNumber(v, 0, 0xff, d), ptr, 1); return;
      case 'u16': storeInt(cx, checkNumber(v, 0, 0xffff, d), ptr, 2); return;
      case 'u32': storeInt(cx, checkNumber(v, 0, 0xffffffff, d), ptr, 4); return;
      case 'u64': storeInt(cx, checkBigInt(v, false, d), ptr, 8); return;
      case 's8': storeInt(cx, checkNumber(v, -0x80, 0x7f, d), ptr, 1); return;
      case 's16': storeInt(cx, checkNumber(v, -0x8000, 0x7fff, d), ptr, 2); return;
      case 's32': storeInt(cx, checkNumber(v, -0x80000000, 0x7fffffff, d), ptr, 4); return;
      case 's64': storeInt(cx, checkBigInt(v, true, d), ptr, 8); return;
      case 'f32': storeInt(cx, encodeFloatAsI32(checkFloat(v, d)), ptr, 4); return;
      case 'f64': storeInt(cx, encodeFloatAsI64(checkFloat(v, d)), ptr, 8); return;
      case 'char': storeInt(cx, charToI32(v), ptr, 4); return;
      case 'string': storeString(cx, v, ptr); return;
      case 'error-context': storeInt(cx, lowerErrorContext(cx, v), ptr, 4); return;
    }
  }
  const dt = t as DefinedType;
  switch (d.kind) {
    case 'list': storeList(cx, v, ptr, d.elem, d.length); return;
    case 'record': storeRecord(cx, recordFields(v as ComponentValue, dt), ptr, d.fields.map((f) => f.type)); return;
    case 'variant': {
      const [index, payload] = matchCase(v as ComponentValue, dt);
      storeVariant(cx, index, payload, ptr, d.cases);
      return;
    }
    case 'flags': storeFlags(cx, v, ptr, d.names); return;
    case 'own': storeInt(cx, lowerOwn(cx, v, d.resource), ptr, 4); return;
    case 'borrow': storeInt(cx, lowerBorrow(cx, v, d.resource), ptr, 4); return;
    case 'stream': storeInt(cx, asyncValues().lowerStream(cx, v, d), ptr, 4); return;
    case 'future': storeInt(cx, asyncValues().lowerFuture(cx, v, d), ptr, 4); return;
  }
}

function checkList(v: unknown, maybeLength: number | null): unknown[] {
  if (!Array.isArray(v)) throw new TypeError(`expected an array for a list, got ${String(v)}`);
  if (maybeLength !== null && v.length !== maybeLength) throw new TypeError(`expected a list of exactly ${maybeLength} elements, got ${v.length}`);
  return v;
}

export function storeList(cx: LiftLowerContext, v: unknown, ptr: number, elemType: ValType, maybeLength: number | null): void {
  const list = checkList(v, maybeLength);
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
  const list = checkList(v, null);
  const align = alignment(elemType, cx.opts.ptrType);
  const byteLength = list.length * elemSize(elemType, cx.opts.ptrType);
  const ptr = cx.allocate(align, byteLength);
  if (!isAligned(ptr, align)) badReallocResult(cx.peer, 'list', 'align');
  if (ptr + byteLength > cx.memory.u8.length) badReallocResult(cx.peer, 'list', 'bounds');
  chargeHostcallFuel(cx, 'list', byteLength);
  if (cx.inst.tracing) {
    cx.inst.emit({ kind: 'store', what: 'list', addr: ptr, length: list.length, byteLength, text: `wrote a list of ${list.length} element(s) (${byteLength} bytes) at ${ptr}` });
  }
  storeListIntoValidRange(cx, list, ptr, elemType);
  return [ptr, list.length];
}

export function storeListIntoValidRange(cx: LiftLowerContext, v: unknown[], ptr: number, elemType: ValType): void {
  const size = elemSize(elemType, cx.opts.ptrType);
  v.forEach((e, i) => store(cx, e, elemType, ptr + i * size));
}

export function storeRecord(cx: LiftLowerContext, values: ComponentValue[], ptr: number, fieldTypes: ValType[]): void {
  fieldTypes.forEach((ft, i) => {
    ptr = alignTo(ptr, alignment(ft, cx.opts.ptrType));
    store(cx, values[i], ft, ptr);
    ptr += elemSize(ft, cx.opts.ptrType);
  });
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
