// Values as flat core values (CanonicalABI.md "Flat Lifting", "Flat
// Lowering", "Lifting and Lowering Values"): lift_flat reads one component
// value from a sequence of core values, lower_flat turns one into core
// values, and lift_flat_values / lower_flat_values do a whole parameter or
// result list, spilling it to memory as a tuple when it flattens to more
// than `maxFlat` core values.
//
// Core values are in cmr's lossless core representation (see scalars.ts).

import type { Value } from '../../core/runtime/values.js';
import type { Case, DefinedType, ValType } from '../syntax/types.js';
import { asyncValues } from './async-hooks.js';
import type { LiftLowerContext } from './context.js';
import { flattenType, flattenTypes, flattenVariant, type FlatType } from './flatten.js';
import { alignment, despecialize, elemSize, isAligned, makeCase, makeRecord, matchCase, numI32Flags, recordFields } from './layout.js';
import { checkList, load, loadListFromRange, packFlagsIntoInt, store, storeListIntoRange, unpackFlagsFromInt } from './load-store.js';
import { liftBorrow, liftErrorContext, liftOwn, lowerBorrow, lowerErrorContext, lowerOwn } from './resources.js';
import {
  charToI32, checkBigInt, checkBool, checkFloat, checkNumber, convertI32ToChar, convertIntToBool,
  decodeI32AsFloat, decodeI64AsFloat, encodeFloatAsI32, encodeFloatAsI64,
} from './scalars.js';
import { loadStringFromRange, storeStringIntoRange, tagged } from './strings.js';
import { badReallocResult, CanonTrap, rangeOutOfBounds, trap } from './traps.js';
import { formatType, type ComponentValue } from './values.js';

// ---- iterating over core values ---------------------------------------------------------

/** Something that hands out core values one at a time, each read as a given flat type. */
export interface ValueIter {
  next(t: FlatType): Value;
}

/** CoreValueIter: the core parameters or results of a call, in order. */
export class CoreValueIter implements ValueIter {
  i = 0;
  constructor(readonly values: readonly Value[]) {}

  next(_t: FlatType): Value {
    if (this.i >= this.values.length) throw new Error('canonical ABI: ran out of core values (signature mismatch)');
    return this.values[this.i++]!;
  }

  done(): boolean {
    return this.i === this.values.length;
  }
}

function nextI32(vi: ValueIter): number {
  return vi.next('i32') as number;
}

function nextI64(vi: ValueIter): bigint {
  return vi.next('i64') as bigint;
}

/** A pointer-sized core value as an unsigned address. */
function nextPtr(cx: LiftLowerContext, vi: ValueIter): number {
  const v = vi.next(cx.opts.ptrType);
  return cx.opts.ptrType === 'i32' ? (v as number) >>> 0 : Number(BigInt.asUintN(64, v as bigint));
}

function nextPtrRaw(cx: LiftLowerContext, vi: ValueIter): number | bigint {
  const v = vi.next(cx.opts.ptrType);
  return cx.opts.ptrType === 'i32' ? (v as number) >>> 0 : BigInt.asUintN(64, v as bigint);
}

function ptrValue(cx: LiftLowerContext, p: number | bigint): Value {
  return cx.opts.ptrType === 'i32' ? Number(p) | 0 : BigInt.asIntN(64, BigInt(p));
}

// ---- lift_flat ----------------------------------------------------------------------------

export function liftFlat(cx: LiftLowerContext, vi: ValueIter, t: ValType): ComponentValue {
  const v = liftFlatByType(cx, vi, t);
  const variant = cx.inst.store.abiVariant;
  return variant === null ? v : variant.liftFlat(t, v);
}

function liftFlatByType(cx: LiftLowerContext, vi: ValueIter, t: ValType): ComponentValue {
  const d = despecialize(t);
  if (typeof d === 'string') {
    switch (d) {
      case 'bool': return convertIntToBool(nextI32(vi));
      case 'u8': return nextI32(vi) & 0xff;
      case 'u16': return nextI32(vi) & 0xffff;
      case 'u32': return nextI32(vi) >>> 0;
      case 'u64': return BigInt.asUintN(64, nextI64(vi));
      case 's8': return (nextI32(vi) << 24) >> 24;
      case 's16': return (nextI32(vi) << 16) >> 16;
      case 's32': return nextI32(vi) | 0;
      case 's64': return BigInt.asIntN(64, nextI64(vi));
      case 'f32': return decodeI32AsFloat(vi.next('f32') as number);
      case 'f64': return decodeI64AsFloat(vi.next('f64') as bigint);
      case 'char': return convertI32ToChar(nextI32(vi));
      case 'string': return liftFlatString(cx, vi);
      case 'error-context': return liftErrorContext(cx, nextI32(vi));
    }
  }
  const dt = t as DefinedType;
  switch (d.kind) {
    case 'list': return liftFlatList(cx, vi, d.elem, d.length);
    case 'record': return makeRecord(dt, d.fields.map((f) => liftFlat(cx, vi, f.type)));
    case 'variant': {
      const [index, payload] = liftFlatVariant(cx, vi, d.cases);
      return makeCase(dt, index, payload);
    }
    case 'flags': return liftFlatFlags(vi, d.names);
    case 'own': return liftOwn(cx, nextI32(vi), d.resource);
    case 'borrow': return liftBorrow(cx, nextI32(vi), d.resource);
    case 'stream': return asyncValues().liftStream(cx, nextI32(vi), d);
    case 'future': return asyncValues().liftFuture(cx, nextI32(vi), d);
  }
}

export function liftFlatString(cx: LiftLowerContext, vi: ValueIter): ComponentValue {
  const ptr = nextPtr(cx, vi);
  const packedLength = nextPtrRaw(cx, vi);
  return loadStringFromRange(cx, ptr, packedLength) as ComponentValue;
}

export function liftFlatList(cx: LiftLowerContext, vi: ValueIter, elemType: ValType, maybeLength: number | null): ComponentValue[] {
  if (maybeLength !== null) {
    const a: ComponentValue[] = [];
    for (let i = 0; i < maybeLength; i++) a.push(liftFlat(cx, vi, elemType));
    return a;
  }
  const ptr = nextPtr(cx, vi);
  const length = nextPtr(cx, vi);
  return loadListFromRange(cx, ptr, length, elemType);
}

/**
 * lift_flat_variant: reads the discriminant, then the payload through an
 * iterator that undoes the `join` of flatten_variant (reinterpreting an i32
 * slot as f32, wrapping an i64 slot to i32, ...), then skips the slots the
 * case does not use.
 */
export function liftFlatVariant(cx: LiftLowerContext, vi: ValueIter, cases: Case[]): [number, ComponentValue | undefined] {
  const flatTypes = flattenVariant(cases, cx.opts.ptrType).slice(1);
  const caseIndex = nextI32(vi) >>> 0;
  if (caseIndex >= cases.length) trap(CanonTrap.invalidDiscriminant);
  let k = 0;
  const coerce: ValueIter = {
    next(want: FlatType): Value {
      const have = flatTypes[k++]!;
      const x = vi.next(have);
      if (have === 'i64' && (want === 'i32' || want === 'f32')) return Number(BigInt.asIntN(32, x as bigint));
      // ('i32', 'f32') and ('i64', 'f64'): the slot already holds the bits.
      return x;
    },
  };
  const ct = cases[caseIndex]!.type;
  const v = ct === null ? undefined : liftFlat(cx, coerce, ct);
  for (; k < flatTypes.length; k++) vi.next(flatTypes[k]!);
  return [caseIndex, v];
}

export function liftFlatFlags(vi: ValueIter, labels: string[]): ComponentValue {
  const words: number[] = [];
  for (let i = 0; i < numI32Flags(labels); i++) words.push(nextI32(vi));
  return unpackFlagsFromInt(words, labels);
}

// ---- lower_flat ----------------------------------------------------------------------------

export function lowerFlat(cx: LiftLowerContext, v: unknown, t: ValType): Value[] {
  const d = despecialize(t);
  if (typeof d === 'string') {
    switch (d) {
      case 'bool': return [checkBool(v) ? 1 : 0];
      case 'u8': return [checkNumber(v, 0, 0xff, d)];
      case 'u16': return [checkNumber(v, 0, 0xffff, d)];
      case 'u32': return [checkNumber(v, 0, 0xffffffff, d) | 0];
      case 'u64': return [BigInt.asIntN(64, checkBigInt(v, false, d))];
      case 's8': return [checkNumber(v, -0x80, 0x7f, d)];
      case 's16': return [checkNumber(v, -0x8000, 0x7fff, d)];
      case 's32': return [checkNumber(v, -0x80000000, 0x7fffffff, d)];
      case 's64': return [checkBigInt(v, true, d)];
      case 'f32': return [encodeFloatAsI32(checkFloat(v, d))];
      case 'f64': return [encodeFloatAsI64(checkFloat(v, d))];
      case 'char': return [charToI32(v)];
      case 'string': return lowerFlatString(cx, v);
      case 'error-context': return [lowerErrorContext(cx, v)];
    }
  }
  const dt = t as DefinedType;
  switch (d.kind) {
    case 'list': return lowerFlatList(cx, v, d.elem, d.length);
    case 'record': {
      const values = recordFields(v as ComponentValue, dt);
      return d.fields.flatMap((f, i) => lowerFlat(cx, values[i], f.type));
    }
    case 'variant': {
      const [index, payload] = matchCase(v as ComponentValue, dt);
      return lowerFlatVariant(cx, index, payload, d.cases);
    }
    case 'flags': return packFlagsIntoInt(v, d.names);
    case 'own': return [lowerOwn(cx, v, d.resource)];
    case 'borrow': return [lowerBorrow(cx, v, d.resource)];
    case 'stream': return [asyncValues().lowerStream(cx, v, d)];
    case 'future': return [asyncValues().lowerFuture(cx, v, d)];
  }
}

export function lowerFlatString(cx: LiftLowerContext, v: unknown): Value[] {
  const [ptr, units, utf16] = storeStringIntoRange(cx, v);
  return [ptrValue(cx, ptr), ptrValue(cx, tagged(cx.opts.ptrType, units, utf16))];
}

export function lowerFlatList(cx: LiftLowerContext, v: unknown, elemType: ValType, maybeLength: number | null): Value[] {
  if (maybeLength !== null) {
    return Array.from(checkList(v, elemType, maybeLength), (e) => lowerFlat(cx, e, elemType)).flat();
  }
  const [ptr, length] = storeListIntoRange(cx, v, elemType);
  return [ptrValue(cx, ptr), ptrValue(cx, length)];
}

function zeroOf(t: FlatType): Value {
  return t === 'i64' || t === 'f64' ? 0n : 0;
}

/**
 * lower_flat_variant: the discriminant, the payload coerced into the joined
 * slot types (an f32's bits into an i32 slot, an i32 zero-extended into an
 * i64 slot, ...), then zeros for the slots the case does not use.
 */
export function lowerFlatVariant(cx: LiftLowerContext, caseIndex: number, payloadValue: unknown, cases: Case[]): Value[] {
  const flatTypes = flattenVariant(cases, cx.opts.ptrType).slice(1);
  const ct = cases[caseIndex]!.type;
  const payload: Value[] = [];
  if (ct !== null) {
    const flat = lowerFlat(cx, payloadValue, ct);
    const haves = flattenType(ct, cx.opts.ptrType);
    flat.forEach((fv, i) => {
      const have = haves[i]!;
      const want = flatTypes[i]!;
      if ((have === 'i32' || have === 'f32') && want === 'i64') payload.push(BigInt((fv as number) >>> 0));
      else payload.push(fv); // ('f32', 'i32'), ('f64', 'i64'): the bits move as they are
    });
  }
  for (let i = payload.length; i < flatTypes.length; i++) payload.push(zeroOf(flatTypes[i]!));
  return [caseIndex, ...payload];
}

// ---- whole parameter and result lists ---------------------------------------------------------

const tupleTypes = new WeakMap<readonly ValType[], DefinedType>();

/** The tuple type a spilled list of values is stored as (memoised per list of types). */
export function tupleOf(ts: readonly ValType[]): DefinedType {
  let t = tupleTypes.get(ts);
  if (!t) {
    t = { kind: 'tuple', types: [...ts] };
    tupleTypes.set(ts, t);
  }
  return t;
}

/** For traces: which list of values this is. */
export type ValuesRole = 'param' | 'result';

/**
 * lift_flat_values: the values of types `ts` from core values, or, when
 * they flatten to more than `maxFlat` core values, from a tuple in memory
 * behind one pointer.
 */
export function liftFlatValues(cx: LiftLowerContext, maxFlat: number, vi: ValueIter, ts: readonly ValType[], role: ValuesRole = 'param'): ComponentValue[] {
  const flatTypes = flattenTypes(ts, cx.opts.ptrType);
  if (flatTypes.length > maxFlat) {
    const ptr = nextPtr(cx, vi);
    const tupleType = tupleOf(ts);
    if (!isAligned(ptr, alignment(tupleType, cx.opts.ptrType))) trap(CanonTrap.unalignedPointer);
    const size = elemSize(tupleType, cx.opts.ptrType);
    if (ptr + size > cx.memory.u8.length) rangeOutOfBounds(cx.peer, 'tuple');
    const values = load(cx, ptr, tupleType) as ComponentValue[];
    if (cx.inst.tracing) {
      cx.inst.emit({ kind: 'spill', direction: 'lift', what: role === 'param' ? 'params' : 'results', addr: ptr, size, text: `${cx.inst.name}: ${ts.length} ${role}(s) read from memory at ${ptr} (${size} bytes) — more than ${maxFlat} flat values` });
      traceValues(cx, 'lift', role, ts, values, null, ptr);
    }
    return values;
  }
  const out: ComponentValue[] = [];
  if (!cx.inst.tracing) {
    for (let i = 0; i < ts.length; i++) out.push(liftFlat(cx, vi, ts[i]!));
    return out;
  }
  const flats: Value[][] = [];
  for (const t of ts) {
    const rec = recordingIter(vi);
    out.push(liftFlat(cx, rec, t));
    flats.push(rec.seen);
  }
  traceValues(cx, 'lift', role, ts, out, flats, null);
  return out;
}

function recordingIter(vi: ValueIter): ValueIter & { seen: Value[] } {
  const seen: Value[] = [];
  return { seen, next(t: FlatType) { const v = vi.next(t); seen.push(v); return v; } };
}

/**
 * lower_flat_values: core values for `vs`, or — past `maxFlat` — a tuple
 * stored in memory that is either allocated with realloc (its pointer
 * becomes the one core value) or placed at the caller's out-pointer, read
 * from `outParam`.
 */
export function lowerFlatValues(cx: LiftLowerContext, maxFlat: number, vs: readonly unknown[], ts: readonly ValType[], outParam: ValueIter | null = null, role: ValuesRole = 'param'): Value[] {
  if (vs.length !== ts.length) throw new TypeError(`expected ${ts.length} value(s), got ${vs.length}`);
  const flatTypes = flattenTypes(ts, cx.opts.ptrType);
  if (flatTypes.length > maxFlat) {
    const tupleType = tupleOf(ts);
    const align = alignment(tupleType, cx.opts.ptrType);
    const size = elemSize(tupleType, cx.opts.ptrType);
    let ptr: number;
    let flatVals: Value[];
    if (outParam === null) {
      ptr = cx.allocate(align, size);
      flatVals = [ptrValue(cx, ptr)];
      if (!isAligned(ptr, align)) badReallocResult(cx.peer, 'tuple', 'align');
      if (ptr + size > cx.memory.u8.length) badReallocResult(cx.peer, 'tuple', 'bounds');
    } else {
      ptr = nextPtr(cx, outParam);
      flatVals = [];
      if (!isAligned(ptr, align)) trap(CanonTrap.unalignedPointer);
      if (ptr + size > cx.memory.u8.length) rangeOutOfBounds(cx.peer, 'tuple');
    }
    if (cx.inst.tracing) {
      cx.inst.emit({ kind: 'spill', direction: 'lower', what: role === 'param' ? 'params' : 'results', addr: ptr, size, text: `${cx.inst.name}: ${ts.length} ${role}(s) written to memory at ${ptr} (${size} bytes${outParam ? ', the caller\'s out-pointer' : ', allocated with realloc'}) — more than ${maxFlat} flat values` });
    }
    store(cx, vs as ComponentValue[], tupleType, ptr);
    if (cx.inst.tracing) traceValues(cx, 'lower', role, ts, vs as ComponentValue[], null, ptr);
    return flatVals;
  }
  // A loop rather than map and flat: this runs on every call, and
  // Array.prototype.flat is a generic builtin that costs more than the
  // few values it moves.
  const out: Value[] = [];
  const flats: Value[][] | null = cx.inst.tracing ? [] : null;
  for (let i = 0; i < ts.length; i++) {
    const flat = lowerFlat(cx, vs[i], ts[i]!);
    flats?.push(flat);
    for (let j = 0; j < flat.length; j++) out.push(flat[j]!);
  }
  if (flats !== null) traceValues(cx, 'lower', role, ts, vs as ComponentValue[], flats, null);
  return out;
}

function formatFlat(v: Value): string {
  return typeof v === 'bigint' ? `${v}` : String(v);
}

function traceValues(cx: LiftLowerContext, kind: 'lift' | 'lower', role: ValuesRole, ts: readonly ValType[], vs: readonly ComponentValue[], flats: Value[][] | null, addr: number | null): void {
  ts.forEach((t, i) => {
    const value = safeFormat(vs[i]);
    const type = formatType(t);
    const where = flats ? `[${flats[i]!.map(formatFlat).join(', ')}]` : `the tuple at ${addr}`;
    const text = kind === 'lower'
      ? `${cx.inst.name}: lower ${role} ${i}: ${type} ${value} -> ${where}`
      : `${cx.inst.name}: lift ${role} ${i}: ${where} -> ${type} ${value}`;
    cx.inst.emit({ kind, what: role, index: i, type, value, ...(flats ? { flat: flats[i]! } : { addr: addr! }), text });
  });
}

function safeFormat(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : typeof x === 'object' && x !== null && !Array.isArray(x) && x.constructor !== Object ? String(x) : x)) ?? String(v);
  } catch {
    return String(v);
  }
}
