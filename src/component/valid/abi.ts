// The parts of the canonical ABI (CanonicalABI.md, definitions.py) that
// validation needs: flattening a function type into core parameters and
// results (to check `canon lift`/`lower` signatures) and element sizes (to
// bound value types). Names follow definitions.py.

import { F32, F64, I32, I64, type ValType as CoreValType } from '../../core/syntax/types.js';
import type { CoreFuncType } from '../syntax/ast.js';
import type { FuncType, ValType, DefinedType } from '../syntax/types.js';

export const MAX_FLAT_PARAMS = 16;
export const MAX_FLAT_ASYNC_PARAMS = 4;
export const MAX_FLAT_RESULTS = 1;

/** Number of bytes a discriminant of `n` cases takes. */
function discriminantSize(n: number): number {
  return n <= 256 ? 1 : n <= 65536 ? 2 : 4;
}

/**
 * Memo tables: types are immutable trees that share subtrees (a type index
 * used twice is one object), so sizes are computed once per object. Without
 * them a chain of n types, each wrapping the previous, costs O(n^2) or more.
 */
const memo = { align4: new WeakMap<object, number>(), align8: new WeakMap<object, number>(), size4: new WeakMap<object, number>(), size8: new WeakMap<object, number>() };

function memoized(table: WeakMap<object, number>, t: DefinedType, f: () => number): number {
  let v = table.get(t);
  if (v === undefined) { v = f(); table.set(t, v); }
  return v;
}

export function alignment(t: ValType, ptr = 4): number {
  if (typeof t !== 'string') return memoized(ptr === 8 ? memo.align8 : memo.align4, t, () => alignmentOfDefined(t, ptr));
  return alignmentOfDefined(t, ptr);
}

function alignmentOfDefined(t: ValType, ptr: number): number {
  if (typeof t === 'string') {
    switch (t) {
      case 'bool': case 's8': case 'u8': return 1;
      case 's16': case 'u16': return 2;
      case 's64': case 'u64': case 'f64': return 8;
      case 'string': return ptr;
      default: return 4;
    }
  }
  switch (t.kind) {
    case 'list': return t.length === null ? ptr : alignment(t.elem, ptr);
    case 'map': return ptr;
    case 'record': return Math.max(1, ...t.fields.map((f) => alignment(f.type, ptr)));
    case 'tuple': return Math.max(1, ...t.types.map((x) => alignment(x, ptr)));
    case 'flags': return t.names.length <= 8 ? 1 : t.names.length <= 16 ? 2 : 4;
    default: {
      const cases = variantCases(t);
      if (cases === null) return 4;
      return Math.max(discriminantSize(cases.length), ...cases.map((c) => (c === null ? 1 : alignment(c, ptr))));
    }
  }
}

/** The cases of a type that despecializes to a variant, else null. */
function variantCases(t: DefinedType): (ValType | null)[] | null {
  switch (t.kind) {
    case 'variant': return t.cases.map((c) => c.type);
    case 'enum': return t.names.map(() => null);
    case 'option': return [null, t.type];
    case 'result': return [t.ok, t.err];
    default: return null;
  }
}

const alignTo = (n: number, a: number) => Math.ceil(n / a) * a;
const alignmentOf = (t: ValType, ptr: number) => alignment(t, ptr);

/** `elem_size`, for 32-bit (`ptr` 4) or 64-bit (`ptr` 8) memories. */
export function elemSize(t: ValType, ptr = 4): number {
  if (typeof t !== 'string') return memoized(ptr === 8 ? memo.size8 : memo.size4, t, () => elemSizeOfDefined(t, ptr));
  return elemSizeOfDefined(t, ptr);
}

function elemSizeOfDefined(t: ValType, ptr: number): number {
  if (typeof t === 'string') {
    switch (t) {
      case 'bool': case 's8': case 'u8': return 1;
      case 's16': case 'u16': return 2;
      case 's64': case 'u64': case 'f64': return 8;
      case 'string': return 2 * ptr;
      default: return 4;
    }
  }
  const elemSizeP = (x: ValType) => elemSize(x, ptr);
  const alignment = (x: ValType) => alignmentOf(x, ptr);
  switch (t.kind) {
    case 'list': return t.length === null ? 2 * ptr : t.length * elemSizeP(t.elem);
    case 'map': return 2 * ptr;
    case 'record': case 'tuple': {
      const types = t.kind === 'record' ? t.fields.map((f) => f.type) : t.types;
      let s = 0;
      for (const f of types) s = alignTo(s, alignment(f)) + elemSizeP(f);
      return alignTo(s, alignment(t));
    }
    case 'flags': return t.names.length <= 8 ? 1 : t.names.length <= 16 ? 2 : 4 * Math.ceil(t.names.length / 32);
    default: {
      const cases = variantCases(t);
      if (cases === null) return 4;
      let s = discriminantSize(cases.length);
      let maxCase = 0;
      const maxAlign = Math.max(...cases.map((c) => (c === null ? 1 : alignment(c))));
      s = alignTo(s, maxAlign);
      for (const c of cases) if (c !== null) maxCase = Math.max(maxCase, elemSizeP(c));
      return alignTo(s + maxCase, alignment(t));
    }
  }
}

/** `join` of definitions.py: the flat type two variant cases can share. */
function join(a: CoreValType, b: CoreValType): CoreValType {
  if (a === b) return a;
  if ((a === I32 && b === F32) || (a === F32 && b === I32)) return I32;
  return I64;
}

export function flattenType(t: ValType): CoreValType[] {
  if (typeof t === 'string') {
    switch (t) {
      case 's64': case 'u64': return [I64];
      case 'f32': return [F32];
      case 'f64': return [F64];
      case 'string': return [I32, I32];
      default: return [I32];
    }
  }
  switch (t.kind) {
    case 'list': {
      if (t.length === null) return [I32, I32];
      const e = flattenType(t.elem);
      const out: CoreValType[] = [];
      for (let i = 0; i < t.length; i++) out.push(...e);
      return out;
    }
    case 'map': return [I32, I32];
    case 'record': return t.fields.flatMap((f) => flattenType(f.type));
    case 'tuple': return t.types.flatMap(flattenType);
    case 'flags': return t.names.length === 0 ? [] : new Array(Math.ceil(t.names.length / 32)).fill(I32);
    default: {
      const cases = variantCases(t);
      if (cases === null) return [I32];
      const flat: CoreValType[] = [];
      for (const c of cases) {
        if (c === null) continue;
        flattenType(c).forEach((ft, i) => {
          if (i < flat.length) flat[i] = join(flat[i]!, ft);
          else flat.push(ft);
        });
      }
      return [I32, ...flat];
    }
  }
}

/** `flatten_functype` for a sync function, as `canon lift` (`lower` = false) or `canon lower` sees it. */
export function flattenFuncType(ft: FuncType, context: 'lift' | 'lower', isAsync: boolean): CoreFuncType {
  let params = ft.params.flatMap((p) => flattenType(p.type));
  let results = ft.result === null ? [] : flattenType(ft.result);
  if (isAsync) {
    if (context === 'lift') {
      if (params.length > MAX_FLAT_PARAMS) params = [I32];
      return { params, results: [I32] };
    }
    if (params.length > MAX_FLAT_ASYNC_PARAMS) params = [I32];
    if (results.length > 0) params = [...params, I32];
    return { params, results: [I32] };
  }
  if (params.length > MAX_FLAT_PARAMS) params = [I32];
  if (results.length > MAX_FLAT_RESULTS) {
    if (context === 'lift') results = [I32];
    else { params = [...params, I32]; results = []; }
  }
  return { params, results };
}
