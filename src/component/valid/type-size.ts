// The type-size budget (wasmparser's MAX_TYPE_SIZE): every type counts the
// types it contains, through any number of references, and a type whose
// effective size exceeds the budget is refused where it is defined. Types
// are shared objects, so a component type importing ten instances of a
// type that imports ten instances of ... is small to write and exponential
// to expand; refusing it at once keeps validation (and every later walk
// over the type: subtyping, substitution, instantiation) linear.

import { ValidationError } from '../../core/errors.js';
import { childValTypes, ResourceType, type ExternType, type Type } from '../syntax/types.js';

/** The largest effective type size accepted (wasmparser's limit). */
export const MAX_TYPE_SIZE = 1_000_000;

/**
 * cmr's own limit (wasmparser has none) on how deeply types nest: a
 * list of a list of ... 100 000 levels deep is small in bytes and in
 * effective size, but every walk over a type (the all-types-named rule,
 * subtyping, printing, the canonical ABI's layout) recurses once per
 * level, and would overflow the JS stack. Refused where it is defined,
 * with this message, instead. Real interfaces nest a few levels.
 */
export const MAX_TYPE_DEPTH = 1000;

interface Measure { size: number; depth: number }

/** Sizes and depths by type object: each object is measured once. */
const measures = new WeakMap<object, Measure>();

/** The effective size of `t`: 1 plus the sizes of the types it contains. */
export function typeSize(t: Type): number {
  return measure(t).size;
}

/** How deeply `t` nests: 1 plus the largest depth of the types it contains (a primitive or a resource: 0). */
export function typeDepth(t: Type): number {
  return measure(t).depth;
}

const LEAF: Measure = { size: 1, depth: 0 };

function measure(t: Type): Measure {
  if (typeof t === 'string' || t instanceof ResourceType) return LEAF;
  const known = measures.get(t);
  if (known !== undefined) return known;
  let size = 1;
  let depth = 0;
  const add = (m: Measure) => { size += m.size; depth = Math.max(depth, m.depth); };
  switch (t.kind) {
    case 'func':
      for (const p of t.params) add(measure(p.type));
      if (t.result !== null) add(measure(t.result));
      break;
    case 'component':
      for (const x of t.imports.values()) add(externMeasure(x));
      for (const x of t.exports.values()) add(externMeasure(x));
      break;
    case 'instance':
      for (const x of t.exports.values()) add(externMeasure(x));
      break;
    default:
      for (const c of childValTypes(t)) add(measure(c));
  }
  // Saturate: the sum of sizes already over the budget need not grow further.
  const m = { size: Math.min(size, MAX_TYPE_SIZE + 1), depth: depth + 1 };
  measures.set(t, m);
  return m;
}

function externMeasure(x: ExternType): Measure {
  switch (x.kind) {
    case 'module': return { size: 1 + x.type.imports.length + x.type.exports.size, depth: 1 };
    case 'func': case 'component': case 'instance': case 'value': case 'type': return measure(x.type);
  }
}

/** Refuses a type whose effective size exceeds the budget, or that nests deeper than cmr's limit. */
export function checkTypeSize(t: Type, offset: number): void {
  const m = measure(t);
  if (m.size > MAX_TYPE_SIZE) throw new ValidationError(`effective type size exceeds the limit of ${MAX_TYPE_SIZE}`, offset);
  if (m.depth > MAX_TYPE_DEPTH) throw new ValidationError(`type nesting exceeds cmr's limit of ${MAX_TYPE_DEPTH} levels`, offset);
}
