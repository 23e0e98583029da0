// Core WebAssembly types (spec §2.3 "Types").
//
// Value types are numbers: numeric and vector types their one-byte binary
// codes, reference types as reftypes.ts encodes them (funcref, externref and
// exnref keep their one-byte codes). The decoder produces them without a
// lookup, the interpreter switches on them, and they print through
// `valTypeName`; subtyping is reftypes.ts's `matchesValType`.

import { isRef, refTypeName, sameFuncType } from './reftypes.js';

export const I32 = 0x7f;
export const I64 = 0x7e;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;
export const FUNCREF = 0x70;
export const EXTERNREF = 0x6f;
/** exnref (exception handling, WebAssembly 3.0): null or an exception (runtime/tag.ts's Exn). */
export const EXNREF = 0x69;

export type NumType = typeof I32 | typeof I64 | typeof F32 | typeof F64;
export type VecType = typeof V128;
/** A reference type (reftypes.ts): (ref null? heaptype). */
export type RefType = number;
export type ValType = number;

export function isRefType(t: ValType): boolean {
  return isRef(t);
}

export function valTypeName(t: ValType): string {
  switch (t) {
    case I32: return 'i32';
    case I64: return 'i64';
    case F32: return 'f32';
    case F64: return 'f64';
    case V128: return 'v128';
  }
  return refTypeName(t);
}

export interface FuncType {
  params: ValType[];
  results: ValType[];
}

/** Packed storage types of GC fields (their binary codes): i8, i16. */
export const I8 = 0x78;
export const I16 = 0x77;
/** A field's storage type: a value type, or a packed I8/I16. */
export type StorageType = number;

/** A field of a struct type, or an array type's element (GC). */
export interface FieldType {
  type: StorageType;
  mutable: boolean;
}

/**
 * A defined type of a module's type section (WebAssembly 3.0, spec §2.3.9
 * "Recursive types"): a composite type (function, struct or array) with its
 * declared supertypes, finality and rec group. Function types keep their
 * params and results where every FuncType has them (struct and array types
 * have none), so code reading the function types of a module is unchanged.
 * The GC fields are absent in a module without GC: a function type, final,
 * with no supertype, alone in its rec group.
 */
export interface DefType extends FuncType {
  /** The composite type's form; absent: func. */
  comp?: 'struct' | 'array';
  /** A struct's fields, an array's one element type. */
  fields?: FieldType[];
  /** Declared supertypes, by type index (valid: at most one). */
  supers?: number[];
  /** Whether the type is final: `sub final`, or no `sub` at all. Absent: final. */
  final?: boolean;
  /** The index of the first type of its rec group, and the group's size; absent: a group of its own. */
  recStart?: number;
  recSize?: number;
}

/** The form of a defined type. */
export function compOf(t: DefType): 'func' | 'struct' | 'array' {
  return t.comp ?? 'func';
}

export function storageTypeName(t: StorageType): string {
  return t === I8 ? 'i8' : t === I16 ? 'i16' : valTypeName(t);
}

/** A value of a storage type on the operand stack: packed types unpack to i32. */
export function unpacked(t: StorageType): ValType {
  return t === I8 || t === I16 ? I32 : t;
}

/** Whether two function types are the same type (across modules: by canonical identity, reftypes.ts). */
export function funcTypeEquals(a: FuncType, b: FuncType): boolean {
  return sameFuncType(a, b);
}

export function sameTypes(a: readonly ValType[], b: readonly ValType[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function funcTypeToString(t: FuncType): string {
  return `[${t.params.map(valTypeName).join(' ')}] -> [${t.results.map(valTypeName).join(' ')}]`;
}

/**
 * Limits of a memory (in pages) or a table (in elements). `max` null =
 * unbounded. 64-bit limits are doubles: above 2^53 they round (two such
 * limits may then compare equal when they differ; no host can allocate
 * sizes like these, and the suites compare none).
 */
export interface Limits {
  min: number;
  max: number | null;
}

/**
 * What indexes a memory or a table (WebAssembly 3.0's address type: i64 for
 * memory64 and table64), as its value-type code; rules in addr-type.ts.
 */
export type AddrType = typeof I32 | typeof I64;

export interface TableType {
  elem: RefType;
  limits: Limits;
  /** A 64-bit table (table64); absent means i32. */
  addrType?: AddrType;
}

export interface MemType {
  limits: Limits;
  /** A shared memory (threads proposal); absent means unshared. */
  shared?: boolean;
  /** A 64-bit memory (memory64); absent means i32. */
  addrType?: AddrType;
}

/** A tag's type (exception handling): a function type with no results, the payload as parameters. */
export interface TagType {
  type: FuncType;
}

export interface GlobalType {
  type: ValType;
  mutable: boolean;
}

export type ExternKind = 'func' | 'table' | 'memory' | 'global' | 'tag';

/** The type of an import or export, as used by linking (spec §2.5.10, §4.5.3). */
export type ExternType =
  | { kind: 'func'; type: FuncType }
  | { kind: 'table'; type: TableType }
  | { kind: 'memory'; type: MemType }
  | { kind: 'global'; type: GlobalType }
  | { kind: 'tag'; type: TagType };

/** Block types: empty, a single result value type, or a type index (multi-value). */
export type BlockType =
  | { kind: 'empty' }
  | { kind: 'value'; type: ValType }
  | { kind: 'index'; index: number };

export const PAGE_SIZE = 65536;
export const MAX_PAGES = 65536;
