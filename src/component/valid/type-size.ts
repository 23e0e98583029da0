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

/** Effective sizes by type object: each object is sized once. */
const sizes = new WeakMap<object, number>();

/** The effective size of `t`: 1 plus the sizes of the types it contains. */
export function typeSize(t: Type): number {
  if (typeof t === 'string' || t instanceof ResourceType) return 1;
  const known = sizes.get(t);
  if (known !== undefined) return known;
  let n = 1;
  switch (t.kind) {
    case 'func':
      for (const p of t.params) n += typeSize(p.type);
      if (t.result !== null) n += typeSize(t.result);
      break;
    case 'component':
      for (const x of t.imports.values()) n += externSize(x);
      for (const x of t.exports.values()) n += externSize(x);
      break;
    case 'instance':
      for (const x of t.exports.values()) n += externSize(x);
      break;
    default:
      for (const c of childValTypes(t)) n += typeSize(c);
  }
  // Saturate: the sum of sizes already over the budget need not grow further.
  n = Math.min(n, MAX_TYPE_SIZE + 1);
  sizes.set(t, n);
  return n;
}

function externSize(x: ExternType): number {
  switch (x.kind) {
    case 'module': return 1 + x.type.imports.length + x.type.exports.size;
    case 'func': case 'component': case 'instance': case 'value': case 'type': return typeSize(x.type);
  }
}

/** Refuses a type whose effective size exceeds the budget. */
export function checkTypeSize(t: Type, offset: number): void {
  if (typeSize(t) > MAX_TYPE_SIZE) throw new ValidationError(`effective type size exceeds the limit of ${MAX_TYPE_SIZE}`, offset);
}
