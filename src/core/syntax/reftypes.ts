// Reference types of WebAssembly 3.0 (spec §2.3.3 "Heap types", §2.3.4
// "Reference types", §3.3.3 "Matching"): their encoding as numbers, their
// names, and subtyping, written once here.
//
// A value type stays one number, so `===` and `switch` keep working:
//
// - numeric and vector types are their one-byte binary codes (0x7b..0x7f);
// - an abstract heap type is its one-byte binary code (func 0x70, extern
//   0x6f, any 0x6e, eq 0x6d, i31 0x6c, struct 0x6b, array 0x6a, exn 0x69,
//   none 0x71, noextern 0x72, nofunc 0x73, noexn 0x74);
// - a concrete heap type (a type index x of the module) is (x + 1) << 9;
// - a reference type is its heap type, plus NON_NULL (bit 8) when it is not
//   nullable. So the 2.0 shorthands keep their codes: funcref, which is
//   (ref null func), is 0x70, and (ref func) is 0x170.
//
// The heap-type space already holds GC's hierarchies (any ⊇ eq ⊇ i31,
// struct, array ⊇ none; func ⊇ nofunc; extern ⊇ noextern; exn ⊇ noexn), so
// GC adds instructions and composite types, not a new encoding. Concrete
// types are module-relative indices; across modules they are compared by
// canonical identity (`canonicalTypes` below): the hook where GC's rec
// groups and declared supertypes go.

import { createHash } from 'node:crypto';
import { compOf, type DefType, type FuncType, type GlobalType } from './types.js';
import type { Module } from './ast.js';

/** Abstract heap types, by their binary codes. */
export const enum HT {
  exn = 0x69, array = 0x6a, struct = 0x6b, i31 = 0x6c, eq = 0x6d, any = 0x6e,
  extern = 0x6f, func = 0x70, none = 0x71, noextern = 0x72, nofunc = 0x73, noexn = 0x74,
}

/**
 * The bottom heap type of validation: the heap type of a reference popped
 * from the unknown operands of unreachable code, which matches every heap
 * type (spec §3.3.3.1). No value has it.
 */
export const BOT_HEAP = 0;

/** The bit that makes a reference type non-nullable. */
export const NON_NULL = 0x100;
const CONCRETE_SHIFT = 9;

/** A heap type: an abstract code (HT) or a concrete type index packed by `concreteHeap`. */
export type HeapType = number;

export function isAbstractHeapCode(b: number): boolean {
  return b >= HT.exn && b <= HT.noexn;
}

/**
 * The largest type index a concrete heap type packs into a positive 32-bit
 * number (with NON_NULL). A module would need four million types for a
 * larger one to name a type; the decoder keeps a larger index as this one,
 * which validation then refuses as unknown.
 */
export const MAX_CONCRETE_INDEX = (1 << (31 - CONCRETE_SHIFT)) - 2;

export function concreteHeap(typeIndex: number): HeapType {
  return (typeIndex + 1) << CONCRETE_SHIFT;
}

export function isConcrete(h: HeapType): boolean {
  return h >= 1 << CONCRETE_SHIFT;
}

/** The type index of a concrete heap type. */
export function typeIndexOf(h: HeapType): number {
  return (h >>> CONCRETE_SHIFT) - 1;
}

/** The reference type (ref null? h). */
export function refType(h: HeapType, nullable: boolean): number {
  return nullable ? h : h | NON_NULL;
}

/** Whether a value type is a reference type (every type but the numeric and vector ones). */
export function isRef(t: number): boolean {
  return t < 0x7b || t > 0x7f;
}

export function heapOf(t: number): HeapType {
  return t & ~NON_NULL;
}

export function isNullable(t: number): boolean {
  return (t & NON_NULL) === 0;
}

/** A type has a default value (numbers and nullable references): locals may start with it, tables need no initialiser. */
export function isDefaultable(t: number): boolean {
  return !isRef(t) || isNullable(t);
}

const ABSTRACT_NAMES: Record<number, string> = {
  [HT.exn]: 'exn', [HT.array]: 'array', [HT.struct]: 'struct', [HT.i31]: 'i31', [HT.eq]: 'eq', [HT.any]: 'any',
  [HT.extern]: 'extern', [HT.func]: 'func', [HT.none]: 'none', [HT.noextern]: 'noextern', [HT.nofunc]: 'nofunc',
  [HT.noexn]: 'noexn',
};

/** The abstract heap type of a text name (`func`, `any`, `noexn`, …); undefined for another word. */
export function abstractHeapOfName(name: string): HeapType | undefined {
  for (const [code, n] of Object.entries(ABSTRACT_NAMES)) if (n === name) return Number(code);
  return undefined;
}

export function heapTypeName(h: HeapType): string {
  if (h === BOT_HEAP) return 'bot';
  return isConcrete(h) ? String(typeIndexOf(h)) : ABSTRACT_NAMES[h] ?? `heap type 0x${h.toString(16)}`;
}

/** A reference type in the text format's words: funcref for (ref null func), else (ref null? h). */
export function refTypeName(t: number): string {
  const h = heapOf(t);
  if (isNullable(t)) {
    switch (h) {
      case HT.func: return 'funcref';
      case HT.extern: return 'externref';
      case HT.exn: return 'exnref';
      case HT.any: return 'anyref';
      case HT.eq: return 'eqref';
      case HT.i31: return 'i31ref';
      case HT.struct: return 'structref';
      case HT.array: return 'arrayref';
      case HT.none: return 'nullref';
      case HT.nofunc: return 'nullfuncref';
      case HT.noextern: return 'nullexternref';
      case HT.noexn: return 'nullexnref';
    }
    return `(ref null ${heapTypeName(h)})`;
  }
  return `(ref ${heapTypeName(h)})`;
}

/**
 * What concrete heap types mean: the module's types, by index (function,
 * struct and array types with their declared supertypes and rec groups).
 */
export type TypeSpace = readonly DefType[];

/**
 * The top of a heap type's hierarchy (func, extern, any or exn). A concrete
 * type's top is any for struct and array types, func for function types:
 * `types` says which (without it, a concrete type counts as a function type).
 */
export function topOf(h: HeapType, types?: TypeSpace): HeapType {
  if (isConcrete(h)) {
    const t = types?.[typeIndexOf(h)];
    return t !== undefined && compOf(t) !== 'func' ? HT.any : HT.func;
  }
  switch (h) {
    case HT.func: case HT.nofunc: return HT.func;
    case HT.extern: case HT.noextern: return HT.extern;
    case HT.exn: case HT.noexn: return HT.exn;
    default: return HT.any;
  }
}

/** The bottom of a heap type's hierarchy (nofunc, noextern, none or noexn). */
export function bottomOf(h: HeapType, types?: TypeSpace): HeapType {
  switch (topOf(h, types)) {
    case HT.func: return HT.nofunc;
    case HT.extern: return HT.noextern;
    case HT.exn: return HT.noexn;
    default: return HT.none;
  }
}

/**
 * Heap type matching (spec §3.3.3.1): `a` is a subtype of `b`, with
 * concrete indices meaning entries of `ta` (for `a`) and `tb` (for `b`:
 * another module's types when matching an import).
 */
export function matchesHeapType(a: HeapType, b: HeapType, ta: TypeSpace, tb: TypeSpace = ta): boolean {
  if (a === BOT_HEAP) return true;
  if (isConcrete(a)) {
    if (isConcrete(b)) return concreteSubtype(ta, typeIndexOf(a), tb, typeIndexOf(b));
    // A defined type is below its form's abstract type: func, or struct / array ⊆ eq ⊆ any.
    const t = ta[typeIndexOf(a)];
    if (t === undefined) return false;
    const comp = compOf(t);
    if (comp === 'func') return b === HT.func;
    return b === HT.any || b === HT.eq || b === (comp === 'struct' ? HT.struct : HT.array);
  }
  if (isConcrete(b)) {
    // Only a hierarchy's bottom is below a defined type.
    const t = tb[typeIndexOf(b)];
    if (t === undefined) return false;
    return a === (compOf(t) === 'func' ? HT.nofunc : HT.none);
  }
  if (a === b) return true;
  if (topOf(a) !== topOf(b)) return false;
  if (a === bottomOf(a)) return true;
  if (b === topOf(b)) return true;
  // Within any's hierarchy (GC): i31, struct and array are below eq.
  return b === HT.eq && (a === HT.i31 || a === HT.struct || a === HT.array);
}

/** Value type matching (spec §3.3.3.2): numbers and vectors only match themselves. */
export function matchesValType(a: number, b: number, ta: TypeSpace, tb: TypeSpace = ta): boolean {
  if (a === b && ta === tb) return true;
  if (!isRef(a) || !isRef(b)) return a === b;
  if (isNullable(a) && !isNullable(b)) return false;
  return matchesHeapType(heapOf(a), heapOf(b), ta, tb);
}

/** Matching of result types, element by element. */
export function matchesValTypes(a: readonly number[], b: readonly number[], types: TypeSpace): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!matchesValType(a[i]!, b[i]!, types)) return false;
  return true;
}

/** Both ways: the same type (mutable globals and tables are matched so, spec §3.3.3). */
export function equivalentValTypes(a: number, b: number, ta: TypeSpace, tb: TypeSpace = ta): boolean {
  return matchesValType(a, b, ta, tb) && matchesValType(b, a, tb, ta);
}

/**
 * Global type matching (spec §3.3.3, import matching of globals): the same
 * mutability; an immutable global's value type may be a subtype of the
 * expected one, a mutable one's must be the same type.
 */
export function globalTypeMatches(a: GlobalType, ta: TypeSpace, b: GlobalType, tb: TypeSpace): boolean {
  if (a.mutable !== b.mutable) return false;
  return a.mutable ? equivalentValTypes(a.type, b.type, ta, tb) : matchesValType(a.type, b.type, ta, tb);
}

// The type space of a module's global and table types, so that an import
// can be matched against another module's export (linking). The decoder
// records it; a type without one (made by the host) has no concrete
// references.
const spaceOf = new WeakMap<object, TypeSpace>();
const NO_TYPES: TypeSpace = [];

export function recordTypeSpace(owner: object, types: TypeSpace): void {
  spaceOf.set(owner, types);
}

export function typeSpaceOf(owner: object): TypeSpace {
  return spaceOf.get(owner) ?? NO_TYPES;
}

/**
 * Gives `m`'s types their canonical ids and its global and table types
 * their type space. The decoder calls it, and so do instantiation and
 * linking, for modules that did not come from the decoder in this process
 * (a deserialized component's); calling it again changes nothing.
 */
export function registerModuleTypes(m: Module): void {
  canonicalTypes(m.types);
  for (const t of m.types) recordTypeSpace(t, m.types); // a function type's module types (the native engine's bridges copy them)
  for (const im of m.imports) if (im.desc.kind === 'global' || im.desc.kind === 'table') recordTypeSpace(im.desc.type, m.types);
  for (const g of m.globals) recordTypeSpace(g.type, m.types);
  for (const t of m.tables) recordTypeSpace(t.type, m.types);
}

// --- canonical type identity ------------------------------------------------
//
// Two type indices, in one module or in two, denote the same type when
// their rec groups are equal once every reference out of the group is
// replaced by the (canonical) type it denotes and every reference into it
// by its position there (iso-recursive equivalence, spec §3.3.3.4 "Rolling
// and unrolling"). A type refers only to its own group and earlier ones, so
// one pass in index order, group by group, gives every type a canonical id:
// a number equal for equal types in this process (ids are interned per
// process, which is at least as strong as once per store: type identity is
// a number compare everywhere). Each id also records its declared
// supertype's id and its form, so subtyping between defined types is a
// walk up a chain of numbers (`canonSubtype`), whichever module they come from.
//
// An id lives as long as something that has it: each type list given ids
// (a module's types, a component's rec group) holds its ids and the
// earlier ones its keys mention, and a type keeps its list alive (`owner`),
// so a function or value whose type is alive keeps the id. When the last
// holder is collected, the key and the id go (ids are never reused), so a
// process that sees ever new types (a long `cmr fuzz`) does not keep them
// all. A list whose struct or array types the interpreter made objects of
// is kept for good (`pinTypes`): an object may outlive every module of its
// type and meet an equal type defined later, which must get the same id.

const canonIds = new Map<string, number>();
const canonOfTypes = new WeakMap<TypeSpace, Int32Array>();
const canonOfFuncType = new WeakMap<FuncType, number>();
/** By canonical id: the id of its declared supertype (absent: none). */
const canonSuper = new Map<number, number>();
/** By canonical id: its key, and how many type lists hold it. */
const canonKey = new Map<number, string>();
const canonHolds = new Map<number, number>();
let nextCanonId = 1;
/** A type's list: kept alive while the type is, since the list holds the type's id. */
const owner = new WeakMap<DefType, object>();
const pinned = new Set<object>();

function release(ids: readonly number[]): void {
  for (const id of ids) {
    const n = canonHolds.get(id)! - 1;
    if (n > 0) { canonHolds.set(id, n); continue; }
    canonHolds.delete(id);
    canonIds.delete(canonKey.get(id)!);
    canonKey.delete(id);
    canonSuper.delete(id);
  }
}

const holders = new FinalizationRegistry<readonly number[]>(release);

/** `list` (whose types are `types`) holds `ids` until it is collected. */
function hold(list: object, types: readonly DefType[], ids: Iterable<number>): void {
  const held = [...new Set(ids)].filter((id) => id !== 0);
  for (const id of held) canonHolds.set(id, (canonHolds.get(id) ?? 0) + 1);
  holders.register(list, held);
  for (const t of types) if (!owner.has(t)) owner.set(t, list);
}

/** Keeps the ids of `types` (and the ids their keys mention) for the life of the process. */
export function pinTypes(types: TypeSpace): void {
  pinned.add(types);
}

/** How many canonical ids are alive (for tests and measurements). */
export function canonicalTypeCount(): number {
  return canonIds.size;
}

function hasConcrete(t: FuncType): boolean {
  for (const v of t.params) if (isRef(v) && isConcrete(heapOf(v))) return true;
  for (const v of t.results) if (isRef(v) && isConcrete(heapOf(v))) return true;
  return false;
}

/** The key of one defined type, references written by `ref` (a type index to its name in the key). */
function defTypeKey(t: DefType, ref: (j: number) => string): string {
  const part = (v: number): string => (!isRef(v) || !isConcrete(heapOf(v)) ? String(v) : `${isNullable(v) ? 'n' : 'r'}${ref(typeIndexOf(heapOf(v)))}`);
  const head = `${t.final === false ? 'open' : 'final'} <${(t.supers ?? []).map(ref).join(',')}> `;
  switch (compOf(t)) {
    case 'func': return `${head}func ${t.params.map(part).join(',')} -> ${t.results.map(part).join(',')}`;
    default: return `${head}${t.comp} ${(t.fields ?? []).map((f) => `${f.mutable ? 'mut ' : ''}${part(f.type)}`).join(',')}`;
  }
}

/** The canonical id of each of `types` (computed once per list). */
export function canonicalTypes(types: TypeSpace): Int32Array {
  let ids = canonOfTypes.get(types);
  if (ids !== undefined) return ids;
  const out = new Int32Array(types.length);
  ids = out;
  for (let i = 0; i < types.length;) {
    const first = types[i]!;
    // A group as the decoder recorded it (a malformed record counts as a group of one).
    const size = first.recStart === i && first.recSize !== undefined && first.recSize > 0 ? Math.min(first.recSize, types.length - i) : 1;
    const group = types.slice(i, i + size);
    internGroup(group, i, (j) => out[j]!).ids.forEach((id, k) => { out[i + k] = id; });
    i += size;
  }
  canonOfTypes.set(types, out);
  // The list's ids cover every id its keys mention (references go to earlier types of the list).
  hold(types, types, out);
  return out;
}

/**
 * The canonical ids of one rec group, `group`, whose members sit at indices
 * `start`, `start + 1`, … of their type index space; a reference to an
 * index below `start` (an earlier group) is to the type of canonical id
 * `earlier(j)`. A component's core type index space, where types may be
 * aliases of another space's, calls it with the ids its earlier entries
 * already have; the group holds its ids and those. Each member's id is
 * remembered on the member (`canonOfFunc`).
 */
export function canonicalRecGroup(group: readonly DefType[], start: number, earlier: (j: number) => number): number[] {
  const { ids, mentioned } = internGroup(group, start, earlier);
  hold(group, group, [...ids, ...mentioned]);
  return ids;
}

/**
 * A map key for a group's key: itself while short, else its sha256. V8
 * does not hash a string longer than 16 383 characters by its contents (its
 * hash is its length), so long keys of one length would share a bucket,
 * each lookup comparing them all: a rec group of 4 000 types took five
 * minutes to decode. A digest also keeps each member's key short.
 */
function shortKey(key: string): string {
  return key.length <= 1024 ? key : `sha256 ${createHash('sha256').update(key).digest('base64')}`;
}

function internGroup(group: readonly DefType[], start: number, earlier: (j: number) => number): { ids: number[]; mentioned: number[] } {
  const end = start + group.length;
  const mentioned: number[] = [];
  const outside = (j: number): number => { const id = earlier(j); mentioned.push(id); return id; };
  const ref = (j: number): string => (j >= start && j < end ? `rec.${j - start}` : j < start ? `#${outside(j)}` : `fwd${j}`); // fwd: invalid, the validator says so
  const groupKey = shortKey(group.map((t) => defTypeKey(t, ref)).join('; '));
  const ids = group.map((t, k) => {
    const key = `${groupKey} @${k}`;
    let id = canonIds.get(key);
    if (id === undefined) {
      id = nextCanonId++;
      canonIds.set(key, id);
      canonKey.set(id, key);
      canonHolds.set(id, 0);
    }
    if (!canonOfFuncType.has(t)) canonOfFuncType.set(t, id);
    return id;
  });
  group.forEach((t, k) => {
    const sup = t.supers?.[0];
    if (sup !== undefined && sup < end && sup !== start + k) canonSuper.set(ids[k]!, sup < start ? outside(sup) : ids[sup - start]!);
  });
  return { ids, mentioned };
}

/**
 * A type index space whose canonical ids are already known (`ids[i]` is
 * the id of `types[i]`), so that matching (`matchesValType`) reads them
 * rather than computing them from the indices: for a component's core
 * types, some of which are aliases of types of another space.
 */
export function typeSpaceWithIds(types: readonly DefType[], ids: readonly number[]): TypeSpace {
  const space = [...types];
  canonOfTypes.set(space, Int32Array.from(ids));
  return space;
}

/** Whether the type of canonical id `a` is `b` or declares it among its supertypes (transitively). */
export function canonSubtype(a: number, b: number): boolean {
  for (let x: number | undefined = a; x !== undefined && x !== 0; x = canonSuper.get(x)) if (x === b) return true;
  return false;
}

/** Whether type x of `ta` is a subtype of type y of `tb` (spec §3.3.3.1: the same type, or a declared supertype's). */
function concreteSubtype(ta: TypeSpace, x: number, tb: TypeSpace, y: number): boolean {
  if (ta === tb && x === y) return true;
  const a = canonicalTypes(ta)[x], b = canonicalTypes(tb)[y];
  return a !== undefined && b !== undefined && canonSubtype(a, b);
}

/** The canonical id of a defined type that came from a module's type section or a component's core types (0 for a function type made by the host). */
export function canonOfFunc(t: FuncType): number {
  return canonOfFuncType.get(t) ?? 0;
}

/**
 * Whether two function types (of any modules) are the same type. Types
 * with concrete references compare by canonical id, which their module's
 * `canonicalTypes` assigned; the others structurally (a host's function
 * types have no id, and GC's finality and supertypes do not apply to them).
 */
export function sameFuncType(a: FuncType, b: FuncType): boolean {
  if (a === b) return true;
  const x = canonOfFuncType.get(a), y = canonOfFuncType.get(b);
  if (x !== undefined && y !== undefined) return x === y;
  if (hasConcrete(a) || hasConcrete(b)) return false;
  return sameList(a.params, b.params) && sameList(a.results, b.results);
}

/**
 * Whether a function of type `a` may be used where type `b` is expected
 * (call_indirect's check, import matching: spec §3.3.3 with GC's declared
 * subtyping): the same type, or `a` declares `b` among its supertypes.
 */
export function funcTypeMatches(a: FuncType, b: FuncType): boolean {
  if (a === b) return true;
  const x = canonOfFuncType.get(a), y = canonOfFuncType.get(b);
  if (x !== undefined && y !== undefined) return canonSubtype(x, y);
  if (hasConcrete(a) || hasConcrete(b)) return false;
  return sameList(a.params, b.params) && sameList(a.results, b.results);
}

function sameList(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
