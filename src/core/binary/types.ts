// Binary decoding of types (spec §5.3 "Types").
//
// Type bytes are single-byte signed LEB128 values in the spec's grammar; a
// byte with the continuation bit set is therefore "integer representation
// too long" (what the reference decoder reports), not an unknown type.

import type { BlockType, DefType, FieldType, FuncType, GlobalType, Limits, MemType, RefType, TableType, ValType } from '../syntax/types.js';
import { EXNREF, EXTERNREF, F32, F64, FUNCREF, I16, I32, I64, I8, V128 } from '../syntax/types.js';
import { HT, MAX_CONCRETE_INDEX, concreteHeap, isAbstractHeapCode, refType, type HeapType } from '../syntax/reftypes.js';
import type { Reader } from './reader.js';

/** Prefixes of the general reference types (typed function references): (ref null ht) and (ref ht). */
const REF_NULL = 0x63, REF = 0x64;

/** Whether an abstract heap type's code is one the features allow. */
function abstractHeapAllowed(r: Reader, b: number): boolean {
  if (b === HT.func || b === HT.extern) return true;
  if (b === HT.exn) return r.features.exceptions;
  if (b === HT.noexn) return r.features.exceptions && r.features.functionReferences;
  return isAbstractHeapCode(b) && r.features.functionReferences;
}

/**
 * A heap type (3.0): an abstract one's code, or a type index, both as one
 * s33 (abstract codes are negative).
 */
export function readHeapType(r: Reader): HeapType {
  const at = r.pos;
  const v = r.s33();
  if (v >= 0) return concreteHeap(Math.min(v, MAX_CONCRETE_INDEX));
  const b = v & 0x7f;
  if (v >= -64 && abstractHeapAllowed(r, b)) return b;
  return r.fail('malformed heap type', at);
}

/** A reference type: a one-byte shorthand, or (with typed function references) 0x63/0x64 and a heap type. */
function refTypeOf(r: Reader, b: number): RefType | null {
  if ((b === REF_NULL || b === REF) && r.features.functionReferences) return refType(readHeapType(r), b === REF_NULL);
  if (abstractHeapAllowed(r, b)) return b;
  return null;
}

export function readValType(r: Reader): ValType {
  const at = r.pos;
  const b = r.u8();
  switch (b) {
    case I32: case I64: case F32: case F64: case V128:
      return b;
  }
  const t = refTypeOf(r, b);
  if (t !== null) return t;
  if (b & 0x80) r.fail('integer representation too long', at + 1);
  return r.fail('malformed value type', at);
}

export function readRefType(r: Reader): RefType {
  const at = r.pos;
  const t = refTypeOf(r, r.u8());
  if (t !== null) return t;
  if (r.bytes[at]! & 0x80) r.fail('integer representation too long', at + 1);
  return r.fail('malformed reference type', at);
}

export function readFuncType(r: Reader): FuncType {
  const at = r.pos;
  const form = r.u8();
  if (form !== 0x60) {
    if (form & 0x80) r.fail('integer representation too long', at + 1);
    r.fail('malformed function type', at);
  }
  const params = r.vec(readValType);
  const results = r.vec(readValType);
  return { params, results };
}

/** GC's type-section forms: rec group, open and final subtypes, struct and array. */
const REC = 0x4e, SUB = 0x50, SUB_FINAL = 0x4f, FUNC = 0x60, STRUCT = 0x5f, ARRAY = 0x5e;

/** A field's storage type and mutability (GC). */
function readFieldType(r: Reader): FieldType {
  const b = r.peek();
  let type: number;
  if (b === I8 || b === I16) {
    r.pos++;
    type = b;
  } else {
    type = readValType(r);
  }
  const mat = r.pos;
  const m = r.u8();
  if (m > 1) r.fail('malformed mutability', mat);
  return { type, mutable: m === 1 };
}

/** Whether `b` is the form byte of a composite type (func, struct, array). */
export function isCompTypeForm(b: number): boolean {
  return b === FUNC || b === STRUCT || b === ARRAY;
}

/**
 * A composite type (func, struct or array), its form byte already read
 * (the component decoder reads a component's core types with it too).
 */
export function readCompType(r: Reader, form: number, at: number): DefType {
  switch (form) {
    case FUNC: {
      const params = r.vec(readValType);
      const results = r.vec(readValType);
      return { params, results };
    }
    case STRUCT: return { params: [], results: [], comp: 'struct', fields: r.vec(readFieldType) };
    case ARRAY: return { params: [], results: [], comp: 'array', fields: [readFieldType(r)] };
  }
  if (form & 0x80) r.fail('integer representation too long', at + 1);
  return r.fail('malformed function type', at);
}

/** A subtype: `sub final? x* comptype`, or (final, no supertypes) a bare composite type. */
function readSubType(r: Reader): DefType {
  const at = r.pos;
  const form = r.u8();
  if (r.features.gc && (form === SUB || form === SUB_FINAL)) {
    const supers = r.vec((rr) => rr.u32());
    const cat = r.pos;
    const t = readCompType(r, r.u8(), cat);
    t.supers = supers;
    t.final = form === SUB_FINAL;
    return t;
  }
  if (!r.features.gc && form !== FUNC) {
    if (form & 0x80) r.fail('integer representation too long', at + 1);
    r.fail('malformed function type', at);
  }
  return readCompType(r, form, at);
}

/**
 * The type section: a vector of rec groups (GC), each flattened into the
 * module's type index space with its position recorded; without GC each
 * entry is a function type.
 */
export function readTypeSection(r: Reader): DefType[] {
  const types: DefType[] = [];
  const n = r.len();
  for (let g = 0; g < n; g++) {
    if (r.features.gc && r.peek() === REC) {
      r.pos++;
      const start = types.length;
      const group = r.vec(readSubType);
      for (const t of group) {
        t.recStart = start;
        t.recSize = group.length;
        types.push(t);
      }
    } else {
      types.push(readSubType(r));
    }
  }
  return types;
}

export function readLimits(r: Reader): Limits {
  // The flag is a one-bit unsigned LEB128: 2 is "integer too large".
  const hasMax = r.uN(1) === 1;
  const min = r.u32();
  const max = hasMax ? r.u32() : null;
  return { min, max };
}

/**
 * A memory's limits. With threads, flags 2 and 3 are the shared forms of 0
 * and 1 (bit 1: shared); otherwise as readLimits.
 */
function readMemLimits(r: Reader): MemType {
  if (!r.features.threads) return { limits: readLimits(r) };
  const at = r.pos;
  const flags = r.uN(7);
  if (flags > 3) r.fail('malformed limits flags', at);
  const min = r.u32();
  const max = (flags & 1) ? r.u32() : null;
  return (flags & 2) ? { limits: { min, max }, shared: true } : { limits: { min, max } };
}

/** Limits flags of WebAssembly 3.0: bit 0, a maximum follows; bit 1, shared (memories, with threads); bit 2, 64-bit addresses. */
const HAS_MAX = 1, SHARED = 2, ADDR64 = 4;

/**
 * 3.0's limits (memory64): one flags byte, whose unknown bits are
 * "malformed limits flags" (a byte, not a LEB128: 0x81 is malformed too),
 * then the bounds as u64 for either address type (the validator bounds
 * them by address type).
 */
function readLimits64(r: Reader, allowed: number): { limits: Limits; flags: number } {
  const at = r.pos;
  const flags = r.u8();
  if ((flags & ~allowed) !== 0) r.fail('malformed limits flags', at);
  const min = r.uN(64);
  const max = (flags & HAS_MAX) ? r.uN(64) : null;
  return { limits: { min, max }, flags };
}

/**
 * A table type. (3.0 tables with an initialiser, 0x40 0x00 tabletype expr,
 * are read by the table section, which alone may hold them.)
 */
export function readTableType(r: Reader): TableType {
  const elem = readRefType(r);
  if (!r.features.memory64) return { elem, limits: readLimits(r) };
  const { limits, flags } = readLimits64(r, HAS_MAX | ADDR64);
  return (flags & ADDR64) ? { elem, limits, addrType: I64 } : { elem, limits };
}

export function readMemType(r: Reader): MemType {
  if (!r.features.memory64) return readMemLimits(r);
  const { limits, flags } = readLimits64(r, HAS_MAX | ADDR64 | (r.features.threads ? SHARED : 0));
  const t: MemType = { limits };
  if (flags & SHARED) t.shared = true;
  if (flags & ADDR64) t.addrType = I64;
  return t;
}

export function readGlobalType(r: Reader): GlobalType {
  const type = readValType(r);
  const at = r.pos;
  const m = r.u8();
  if (m > 1) r.fail('malformed mutability', at);
  return { type, mutable: m === 1 };
}

// Block types without an index are shared: they are immutable and frequent.
const EMPTY_BLOCK: BlockType = Object.freeze({ kind: 'empty' });
const VALUE_BLOCKS = new Map<ValType, BlockType>(
  ([I32, I64, F32, F64, V128, FUNCREF, EXTERNREF, EXNREF] as ValType[]).map(t => [t, Object.freeze({ kind: 'value', type: t })]),
);

function valueBlock(t: ValType): BlockType {
  return VALUE_BLOCKS.get(t) ?? { kind: 'value', type: t };
}

/** A block type: 0x40 (empty), a value type, or a type index as a positive s33. */
export function readBlockType(r: Reader): BlockType {
  const b = r.peek();
  if (b === 0x40) {
    r.pos++;
    return EMPTY_BLOCK;
  }
  if ((b & 0xc0) === 0x40) return valueBlock(readValType(r));
  const at = r.pos;
  const index = r.s33();
  if (index < 0) r.fail('malformed block type', at);
  return { kind: 'index', index };
}
