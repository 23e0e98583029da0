// Flattening (CanonicalABI.md "Flattening"): which core values carry a
// component value in core function parameters and results, and the core
// signature of a lifted or lowered function (flatten_functype).

import { F32, F64, I32, I64, type FuncType as CoreFuncType, type ValType as CoreValType } from '../../core/syntax/types.js';
import type { Case, FuncType, ValType } from '../syntax/types.js';
import { despecialize, discriminantType, numI32Flags, type PtrType } from './layout.js';

/** A core value type as definitions.py spells it. */
export type FlatType = 'i32' | 'i64' | 'f32' | 'f64';

export const MAX_FLAT_PARAMS = 16;
export const MAX_FLAT_ASYNC_PARAMS = 4;
export const MAX_FLAT_RESULTS = 1;

/** The subset of canonical options that flattening depends on. */
export interface FlattenOptions {
  ptrType: PtrType;
  async?: boolean;
  callback?: unknown;
}

const flatCache = { i32: new WeakMap<object, FlatType[]>(), i64: new WeakMap<object, FlatType[]>() };

export function flattenType(t: ValType, ptrType: PtrType): FlatType[] {
  if (typeof t !== 'string') {
    const hit = flatCache[ptrType].get(t);
    if (hit) return hit;
  }
  const d = despecialize(t);
  let flat: FlatType[];
  if (typeof d === 'string') {
    switch (d) {
      case 's64': case 'u64': flat = ['i64']; break;
      case 'f32': flat = ['f32']; break;
      case 'f64': flat = ['f64']; break;
      case 'string': flat = [ptrType, ptrType]; break;
      default: flat = ['i32'];
    }
  } else {
    switch (d.kind) {
      case 'list': flat = flattenList(d.elem, d.length, ptrType); break;
      case 'record': flat = d.fields.flatMap((f) => flattenType(f.type, ptrType)); break;
      case 'variant': flat = flattenVariant(d.cases, ptrType); break;
      case 'flags': flat = new Array<FlatType>(numI32Flags(d.names)).fill('i32'); break;
      default: flat = ['i32'];
    }
  }
  if (typeof t !== 'string') flatCache[ptrType].set(t, flat);
  return flat;
}

const flatListCache = { i32: new WeakMap<readonly ValType[], readonly FlatType[]>(), i64: new WeakMap<readonly ValType[], readonly FlatType[]>() };

/**
 * The flattening of a list of types, in order. Cached per list object (and
 * address type), as flattenType is per type: a lift or lower flattens its
 * parameter and result lists on every call, and paramTypes/resultTypes
 * hand out one list per function type. The result is shared: never modify
 * it, nor a list once it has been flattened.
 */
export function flattenTypes(ts: readonly ValType[], ptrType: PtrType): readonly FlatType[] {
  const hit = flatListCache[ptrType].get(ts);
  if (hit) return hit;
  const flat: FlatType[] = [];
  for (const t of ts) for (const ft of flattenType(t, ptrType)) flat.push(ft);
  flatListCache[ptrType].set(ts, flat);
  return flat;
}

export function flattenList(elem: ValType, maybeLength: number | null, ptrType: PtrType): FlatType[] {
  if (maybeLength !== null) {
    const e = flattenType(elem, ptrType);
    const out: FlatType[] = [];
    for (let i = 0; i < maybeLength; i++) out.push(...e);
    return out;
  }
  return [ptrType, ptrType];
}

/**
 * A variant is its discriminant followed by the element-wise `join` of every
 * case's flattening, so every case travels in the same core types.
 */
export function flattenVariant(cases: Case[], ptrType: PtrType): FlatType[] {
  const flat: FlatType[] = [];
  for (const c of cases) {
    if (c.type === null) continue;
    flattenType(c.type, ptrType).forEach((ft, i) => {
      if (i < flat.length) flat[i] = join(flat[i]!, ft);
      else flat.push(ft);
    });
  }
  return [...flattenType(discriminantType(cases), ptrType), ...flat];
}

export function join(a: FlatType, b: FlatType): FlatType {
  if (a === b) return a;
  if ((a === 'i32' && b === 'f32') || (a === 'f32' && b === 'i32')) return 'i32';
  return 'i64';
}

// One list per function type, so that what is cached per list (flattenTypes,
// the tuple of spilled values: lift-lower.ts tupleOf) is found again on the
// next call. A FuncType is not modified once made.
const paramLists = new WeakMap<FuncType, readonly ValType[]>();
const resultLists = new WeakMap<FuncType, readonly ValType[]>();
const NO_RESULTS: readonly ValType[] = Object.freeze([]);

/** The component function's parameter types, in order (FuncType.param_types). Shared: never modify it. */
export function paramTypes(ft: FuncType): readonly ValType[] {
  let ts = paramLists.get(ft);
  if (ts === undefined) {
    ts = Object.freeze(ft.params.map((p) => p.type));
    paramLists.set(ft, ts);
  }
  return ts;
}

/** The component function's result types: zero or one (FuncType.result_type). Shared: never modify it. */
export function resultTypes(ft: FuncType): readonly ValType[] {
  if (ft.result === null) return NO_RESULTS;
  let ts = resultLists.get(ft);
  if (ts === undefined) {
    ts = Object.freeze([ft.result]);
    resultLists.set(ft, ts);
  }
  return ts;
}

export interface FlatFuncType { params: readonly FlatType[]; results: readonly FlatType[] }

/**
 * flatten_functype: the core signature of `canon lift` ('lift': the core
 * callee's type) or `canon lower` ('lower': the core function it produces).
 * Too many parameters travel through memory behind one pointer; too many
 * results come back behind a returned pointer (lift) or go into a
 * caller-supplied out-pointer (lower).
 */
export function flattenFunctype(opts: FlattenOptions, ft: FuncType, context: 'lift' | 'lower'): FlatFuncType {
  let flatParams = flattenTypes(paramTypes(ft), opts.ptrType);
  let flatResults = flattenTypes(resultTypes(ft), opts.ptrType);
  if (!opts.async) {
    if (flatParams.length > MAX_FLAT_PARAMS) flatParams = [opts.ptrType];
    if (flatResults.length > MAX_FLAT_RESULTS) {
      if (context === 'lift') {
        flatResults = [opts.ptrType];
      } else {
        flatParams = [...flatParams, opts.ptrType];
        flatResults = [];
      }
    }
    return { params: flatParams, results: flatResults };
  }
  if (context === 'lift') {
    if (flatParams.length > MAX_FLAT_PARAMS) flatParams = [opts.ptrType];
    flatResults = opts.callback ? ['i32'] : [];
  } else {
    if (flatParams.length > MAX_FLAT_ASYNC_PARAMS) flatParams = [opts.ptrType];
    if (flatResults.length > 0) flatParams = [...flatParams, opts.ptrType];
    flatResults = ['i32'];
  }
  return { params: flatParams, results: flatResults };
}

export function coreValType(t: FlatType): CoreValType {
  switch (t) {
    case 'i32': return I32;
    case 'i64': return I64;
    case 'f32': return F32;
    case 'f64': return F64;
  }
}

/** A flattened signature as a core function type (for HostFunc, validation). */
export function toCoreFuncType(ft: FlatFuncType): CoreFuncType {
  return { params: ft.params.map(coreValType), results: ft.results.map(coreValType) };
}
