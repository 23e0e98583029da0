// A component's core types (Binary.md `core:deftype`: function, struct and
// array types, rec groups, module types) in the core's own model, so that
// their identity and subtyping are the core's (src/core/syntax/reftypes.ts):
// each defined type becomes a core `DefType` with its canonical id, so two
// types of two spaces (a module type's, a component's, a core module's) are
// the same type when their ids are, not when their indices are.

import { I16, I8, type DefType, type FieldType } from '../../core/syntax/types.js';
import { abstractHeapOfName, canonOfFunc, canonicalRecGroup, concreteHeap, refType, typeSpaceWithIds, type TypeSpace } from '../../core/syntax/reftypes.js';
import type { CoreCompType, CoreGcValType, CoreStorageType, CoreSubType } from '../syntax/ast.js';
import type { CoreType } from '../syntax/types.js';

/** A value type of a component's core type as a core value type (a type index stays relative to its space). */
function coreValType(v: CoreGcValType): number {
  if (typeof v === 'number') return v;
  const heap = typeof v.heap === 'number' ? concreteHeap(v.heap) : abstractHeapOfName(v.heap);
  if (heap === undefined) throw new Error(`unknown abstract heap type ${v.heap}`); // the decoder reads only known names
  return refType(heap, v.nullable);
}

function storage(t: CoreStorageType): number {
  return t === 'i8' ? I8 : t === 'i16' ? I16 : coreValType(t);
}

function field(f: { type: CoreStorageType; mutable: boolean }): FieldType {
  return { type: storage(f.type), mutable: f.mutable };
}

function defType(comp: CoreCompType, sub: CoreSubType, recStart: number, recSize: number): DefType {
  const gc = { supers: sub.supertypes, final: sub.final, recStart, recSize };
  switch (comp.kind) {
    case 'func': return { params: comp.params.map(coreValType), results: comp.results.map(coreValType), ...gc };
    case 'struct': return { params: [], results: [], comp: 'struct', fields: comp.fields.map(field), ...gc };
    case 'array': return { params: [], results: [], comp: 'array', fields: [field(comp.field)], ...gc };
  }
}

/** A module type's stand-in in a core type space: it has no canonical id, and no reference may name it (the validator says so). */
const MODULE_SLOT: DefType = { params: [], results: [] };

function defOf(t: CoreType): DefType {
  return t.kind === 'module' ? MODULE_SLOT : t.type;
}

/**
 * The core types of one rec group (one sub type is a group of one),
 * defined at the end of `space`, with their canonical ids: references to
 * earlier types go through those types' ids, so an aliased type keeps the
 * identity it has where it was defined.
 */
export function defineCoreGroup(space: readonly CoreType[], subs: readonly CoreSubType[]): CoreType[] {
  const defs = subs.map((sub) => defType(sub.comp, sub, space.length, subs.length));
  canonicalRecGroup(defs, space.length, (j) => (j < space.length ? canonOfFunc(defOf(space[j]!)) : 0));
  return subs.map((sub, k) => (sub.comp.kind === 'func' ? { kind: 'func', type: defs[k]!, sub } : { kind: 'gc', type: defs[k]!, sub }));
}

/**
 * `space` (with `more` after it) as a core type index space that knows each
 * entry's canonical id, for the core's matching rules (`matchesValType`,
 * composite type matching).
 */
export function coreTypeSpace(space: readonly CoreType[], more: readonly CoreType[] = []): TypeSpace {
  const all = [...space, ...more];
  return typeSpaceWithIds(all.map(defOf), all.map((t) => canonOfFunc(defOf(t))));
}
