// Static layout of component value types in linear memory
// (CanonicalABI.md "Despecialization", "Alignment", "Element Size").
//
// Names follow definitions.py: despecialize, alignment, elem_size,
// discriminant_type, max_case_alignment, align_to, alignment_flags,
// elem_size_flags. Every function that depends on the address width takes
// `ptrType` ('i32' for 32-bit memories, 'i64' for memory64), as the spec does.

import type { Case, DefinedType, Field, ValType } from '../syntax/types.js';
import type { ComponentValue, RecordValue, VariantValue } from './values.js';

export type PtrType = 'i32' | 'i64';

export function ptrSize(ptrType: PtrType): 4 | 8 {
  return ptrType === 'i32' ? 4 : 8;
}

/** The fundamental value types the ABI is defined on, after `despecialize`. */
export type DespecializedType =
  | Exclude<ValType, DefinedType>
  | { kind: 'record'; fields: Field[] }
  | { kind: 'variant'; cases: Case[] }
  | { kind: 'list'; elem: ValType; length: number | null }
  | Extract<DefinedType, { kind: 'flags' | 'own' | 'borrow' | 'stream' | 'future' }>;

const despecialized = new WeakMap<DefinedType, DespecializedType>();

/**
 * "Despecialization": tuple, enum, option, result and map are given the ABI
 * of the record, variant or list they expand to. Memoised per type object,
 * since load/store call it for every element.
 */
export function despecialize(t: ValType): DespecializedType {
  if (typeof t === 'string') return t;
  const hit = despecialized.get(t);
  if (hit) return hit;
  let d: DespecializedType;
  switch (t.kind) {
    case 'tuple': d = { kind: 'record', fields: t.types.map((type, i) => ({ name: String(i), type })) }; break;
    case 'enum': d = { kind: 'variant', cases: t.names.map((name) => ({ name, type: null })) }; break;
    case 'option': d = { kind: 'variant', cases: [{ name: 'none', type: null }, { name: 'some', type: t.type }] }; break;
    // definitions.py labels the second case "error"; the JS value uses 'err'.
    case 'result': d = { kind: 'variant', cases: [{ name: 'ok', type: t.ok }, { name: 'error', type: t.err }] }; break;
    case 'map': d = { kind: 'list', elem: { kind: 'tuple', types: [t.key, t.value] }, length: null }; break;
    default: d = t;
  }
  despecialized.set(t, d);
  return d;
}

export function alignTo(ptr: number, alignment: number): number {
  return Math.ceil(ptr / alignment) * alignment;
}

export function isAligned(ptr: number, alignment: number): boolean {
  return ptr % alignment === 0;
}

// ---- alignment ------------------------------------------------------------------

const alignCache = { i32: new WeakMap<object, number>(), i64: new WeakMap<object, number>() };
const sizeCache = { i32: new WeakMap<object, number>(), i64: new WeakMap<object, number>() };

export function alignment(t: ValType, ptrType: PtrType): number {
  if (typeof t !== 'string') {
    const hit = alignCache[ptrType].get(t);
    if (hit !== undefined) return hit;
  }
  const d = despecialize(t);
  let a: number;
  if (typeof d === 'string') {
    a = primSize(d, ptrType, 'align');
  } else {
    switch (d.kind) {
      case 'list': a = alignmentList(d.elem, d.length, ptrType); break;
      case 'record': a = alignmentRecord(d.fields, ptrType); break;
      case 'variant': a = alignmentVariant(d.cases, ptrType); break;
      case 'flags': a = alignmentFlags(d.names); break;
      case 'own': case 'borrow': case 'stream': case 'future': a = 4; break;
    }
  }
  if (typeof t !== 'string') alignCache[ptrType].set(t, a);
  return a;
}

function primSize(t: Exclude<ValType, DefinedType>, ptrType: PtrType, what: 'align' | 'size'): number {
  switch (t) {
    case 'bool': case 's8': case 'u8': return 1;
    case 's16': case 'u16': return 2;
    case 's32': case 'u32': case 'f32': case 'char': case 'error-context': return 4;
    case 's64': case 'u64': case 'f64': return 8;
    case 'string': return what === 'align' ? ptrSize(ptrType) : 2 * ptrSize(ptrType);
  }
}

export function alignmentList(elem: ValType, maybeLength: number | null, ptrType: PtrType): number {
  if (maybeLength !== null) return alignment(elem, ptrType);
  return ptrSize(ptrType);
}

export function alignmentRecord(fields: Field[], ptrType: PtrType): number {
  let a = 1;
  for (const f of fields) a = Math.max(a, alignment(f.type, ptrType));
  return a;
}

export function alignmentVariant(cases: Case[], ptrType: PtrType): number {
  return Math.max(alignment(discriminantType(cases), ptrType), maxCaseAlignment(cases, ptrType));
}

/** The smallest unsigned integer type that numbers every case. */
export function discriminantType(cases: Case[]): 'u8' | 'u16' | 'u32' {
  const n = cases.length;
  if (n <= 0x100) return 'u8';
  if (n <= 0x10000) return 'u16';
  return 'u32';
}

export function maxCaseAlignment(cases: Case[], ptrType: PtrType): number {
  let a = 1;
  for (const c of cases) if (c.type !== null) a = Math.max(a, alignment(c.type, ptrType));
  return a;
}

/**
 * Flags are a packed bit vector in the smallest integer that holds them.
 * The spec caps flags at 32 labels; cmr also lays out longer flags the way
 * earlier revisions of the spec did (one u32 per 32 labels), so a validator
 * that admits them still gets a well-defined ABI.
 */
export function alignmentFlags(labels: string[]): number {
  const n = labels.length;
  if (n <= 8) return 1;
  if (n <= 16) return 2;
  return 4;
}

// ---- element size -----------------------------------------------------------------

export function elemSize(t: ValType, ptrType: PtrType): number {
  if (typeof t !== 'string') {
    const hit = sizeCache[ptrType].get(t);
    if (hit !== undefined) return hit;
  }
  const d = despecialize(t);
  let s: number;
  if (typeof d === 'string') {
    s = primSize(d, ptrType, 'size');
  } else {
    switch (d.kind) {
      case 'list': s = elemSizeList(d.elem, d.length, ptrType); break;
      case 'record': s = elemSizeRecord(d.fields, ptrType); break;
      case 'variant': s = elemSizeVariant(d.cases, ptrType); break;
      case 'flags': s = elemSizeFlags(d.names); break;
      case 'own': case 'borrow': case 'stream': case 'future': s = 4; break;
    }
  }
  if (typeof t !== 'string') sizeCache[ptrType].set(t, s);
  return s;
}

export function elemSizeList(elem: ValType, maybeLength: number | null, ptrType: PtrType): number {
  if (maybeLength !== null) return maybeLength * elemSize(elem, ptrType);
  return 2 * ptrSize(ptrType);
}

export function elemSizeRecord(fields: Field[], ptrType: PtrType): number {
  let s = 0;
  for (const f of fields) {
    s = alignTo(s, alignment(f.type, ptrType));
    s += elemSize(f.type, ptrType);
  }
  return alignTo(s, alignmentRecord(fields, ptrType));
}

export function elemSizeVariant(cases: Case[], ptrType: PtrType): number {
  let s = elemSize(discriminantType(cases), ptrType);
  s = alignTo(s, maxCaseAlignment(cases, ptrType));
  let cs = 0;
  for (const c of cases) if (c.type !== null) cs = Math.max(cs, elemSize(c.type, ptrType));
  s += cs;
  return alignTo(s, alignmentVariant(cases, ptrType));
}

export function elemSizeFlags(labels: string[]): number {
  const n = labels.length;
  if (n <= 8) return 1;
  if (n <= 16) return 2;
  return 4 * numI32Flags(labels);
}

/** How many 32-bit words the flags occupy (1 for every spec-conforming type). */
export function numI32Flags(labels: string[]): number {
  return Math.max(1, Math.ceil(labels.length / 32));
}

// ---- specialised values <-> the record/variant they despecialise to ------------------

const caseIndexCache = new WeakMap<DefinedType, Map<string, number>>();

/**
 * match_case: the case index and payload of a variant-like value (variant,
 * enum, option, result), for a type `t` whose despecialisation is a variant.
 * Throws TypeError for a value that is not of the type (a host error, not a
 * trap: wasm cannot produce such a value).
 */
export function matchCase(v: ComponentValue, t: DefinedType): [number, ComponentValue | undefined] {
  if (t.kind === 'enum') {
    const i = caseIndex(t, t.names, v);
    return [i, undefined];
  }
  const vv = v as VariantValue;
  if (vv === null || typeof vv !== 'object' || typeof vv.tag !== 'string') {
    throw new TypeError(`expected a { tag, val? } object for a ${t.kind}, got ${String(v)}`);
  }
  switch (t.kind) {
    case 'option':
      if (vv.tag === 'none') return [0, noPayload(vv, t)];
      if (vv.tag === 'some') return [1, vv.val];
      break;
    case 'result':
      if (vv.tag === 'ok') return [0, t.ok === null ? noPayload(vv, t) : vv.val];
      if (vv.tag === 'err') return [1, t.err === null ? noPayload(vv, t) : vv.val];
      break;
    case 'variant': {
      const i = caseIndex(t, t.cases.map((c) => c.name), vv.tag);
      return [i, t.cases[i]!.type === null ? noPayload(vv, t) : vv.val];
    }
  }
  throw new TypeError(`no case ${JSON.stringify(vv.tag)} in ${t.kind}`);
}

/**
 * The payload of a case that has none: a `val` given anyway is a TypeError,
 * not dropped in silence (a host's value would be lost, as a flag's unknown
 * name would).
 */
function noPayload(vv: VariantValue, t: DefinedType): undefined {
  if (vv.val !== undefined) throw new TypeError(`case ${JSON.stringify(vv.tag)} of ${t.kind} has no payload, but the value gives \`val\` (${typeof vv.val})`);
  return undefined;
}

function caseIndex(t: DefinedType, labels: string[], label: ComponentValue): number {
  let m = caseIndexCache.get(t);
  if (!m) {
    m = new Map(labels.map((l, i) => [l, i]));
    caseIndexCache.set(t, m);
  }
  const i = typeof label === 'string' ? m.get(label) : undefined;
  if (i === undefined) throw new TypeError(`no case ${JSON.stringify(label)} in ${t.kind}`);
  return i;
}

/** The inverse of matchCase: the JS value of case `index` with `payload`. */
export function makeCase(t: DefinedType, index: number, payload: ComponentValue | undefined): ComponentValue {
  switch (t.kind) {
    case 'enum': return t.names[index]!;
    case 'option': return index === 0 ? { tag: 'none' } : { tag: 'some', val: payload! };
    case 'result': {
      const tag = index === 0 ? 'ok' : 'err';
      return payload === undefined ? { tag } : { tag, val: payload };
    }
    case 'variant': {
      const tag = t.cases[index]!.name;
      return payload === undefined ? { tag } : { tag, val: payload };
    }
    default: throw new Error(`makeCase: ${t.kind} is not a variant`);
  }
}

/** The field values of a record-like value (record, tuple), in field order. */
export function recordFields(v: ComponentValue, t: DefinedType): ComponentValue[] {
  if (t.kind === 'tuple') {
    if (!Array.isArray(v) || v.length !== t.types.length) throw new TypeError(`expected an array of ${t.types.length} for a tuple`);
    return v;
  }
  if (t.kind !== 'record') throw new Error(`recordFields: ${t.kind} is not a record`);
  const r = recordObject(v);
  const plain = plainRecord(r);
  const fields = t.fields;
  const out: ComponentValue[] = new Array(fields.length);
  for (let i = 0; i < fields.length; i++) out[i] = recordField(r, fields[i]!.name, plain);
  return out;
}

/** A record value: an object, whose fields recordField reads. */
export function recordObject(v: ComponentValue): RecordValue {
  if (v === null || typeof v !== 'object') throw new TypeError(`expected an object for a record, got ${String(v)}`);
  return v as RecordValue;
}

/**
 * Whether a record value is a plain object. Fields must be own properties.
 * Of a plain object, only a missing field reads as undefined or as
 * something inherited from Object.prototype (whose properties a label can
 * name are functions, never component values), so recordField checks
 * ownership only then.
 */
export function plainRecord(r: RecordValue): boolean {
  const proto = Object.getPrototypeOf(r) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The field `name` of a record value, an own property of it (`plain`: plainRecord(r)). */
export function recordField(r: RecordValue, name: string, plain: boolean): ComponentValue {
  return ownField(r, name, plain, r[name]);
}

/**
 * recordField with the read `x = r[name]` made by the caller, so that the
 * read can have a site of its own (storeRecord says why): checks that `x`
 * is the own property `name` of `r`.
 */
export function ownField(r: RecordValue, name: string, plain: boolean, x: ComponentValue | undefined): ComponentValue {
  if ((x === undefined || !plain || typeof x === 'function') && !Object.prototype.hasOwnProperty.call(r, name)) {
    throw new TypeError(`record value lacks field ${JSON.stringify(name)}`);
  }
  return x!;
}

/** The inverse of recordFields. */
export function makeRecord(t: DefinedType, values: ComponentValue[]): ComponentValue {
  if (t.kind === 'tuple') return values;
  if (t.kind !== 'record') throw new Error(`makeRecord: ${t.kind} is not a record`);
  const r: RecordValue = {};
  const fields = t.fields;
  for (let i = 0; i < fields.length; i++) r[fields[i]!.name] = values[i]!;
  return r;
}

// ---- offsets (for explaining a layout: cmr explain) ----------------------------------

/**
 * Where each field of a record starts: load_record/store_record's walk,
 * which aligns the pointer to each field's alignment and then moves past
 * the field's elem_size.
 */
export function fieldOffsets(fields: Field[], ptrType: PtrType): number[] {
  const out: number[] = [];
  let ptr = 0;
  for (const f of fields) {
    ptr = alignTo(ptr, alignment(f.type, ptrType));
    out.push(ptr);
    ptr += elemSize(f.type, ptrType);
  }
  return out;
}

/**
 * Where a variant's payload starts: after the discriminant, aligned to
 * max_case_alignment (load_variant/store_variant), whichever case is active.
 */
export function variantPayloadOffset(cases: Case[], ptrType: PtrType): number {
  return alignTo(elemSize(discriminantType(cases), ptrType), maxCaseAlignment(cases, ptrType));
}
