// A component's core types (Binary.md `core:deftype`: function, struct and
// array types, rec groups, module types) in the core's own model, so that
// their identity and subtyping are the core's (src/core/syntax/reftypes.ts):
// each defined type becomes a core `DefType` with its canonical id, so two
// types of two spaces (a module type's, a component's, a core module's) are
// the same type when their ids are, not when their indices are.

import { compOf, type DefType } from '../../core/syntax/types.js';
import { canonOfFunc, canonicalRecGroup, heapOf, isConcrete, isRef, typeSpaceWithIds, type TypeSpace } from '../../core/syntax/reftypes.js';
import type { CoreType } from '../syntax/types.js';

/** A module type's stand-in in a core type space: it has no canonical id, and no reference may name it (the validator says so). */
const MODULE_SLOT: DefType = { params: [], results: [] };

function defOf(t: CoreType): DefType {
  return t.kind === 'module' ? MODULE_SLOT : t.type;
}

/**
 * How one rec group got its canonical ids: the group, where it starts in
 * its space, and the earlier types its references name (by index). The
 * ids are per process, so a deserialized component (src/api/serialize.ts)
 * registers its groups again from this (`restoreCoreGroup`).
 */
export interface CoreGroupOrigin {
  group: DefType[];
  start: number;
  earlier: [number, DefType][];
}

const origins = new WeakMap<DefType, CoreGroupOrigin>();

/**
 * A group of one final function type without supertypes or concrete
 * references: matching without canonical ids (by its parameters and
 * results, reftypes.ts's fallback) says the same as with them, so it need
 * not be registered again after deserializing.
 */
function plainGroup(group: readonly DefType[]): boolean {
  const t = group[0]!;
  return group.length === 1 && t.comp === undefined && t.final !== false && (t.supers?.length ?? 0) === 0
    && ![...t.params, ...t.results].some((v) => isRef(v) && isConcrete(heapOf(v)));
}

/**
 * Gives `origin.group` its canonical ids: a reference to index j below its
 * start is to the type `typeAt(j)` (its id as it has it). Fills
 * `origin.earlier` and remembers the origin of a group that is not plain.
 */
function registerCoreGroup(origin: CoreGroupOrigin, typeAt: (j: number) => DefType | undefined): void {
  const earlier = new Map<number, DefType>();
  canonicalRecGroup(origin.group, origin.start, (j) => {
    const t = typeAt(j);
    if (t === undefined) return 0;
    earlier.set(j, t);
    return canonOfFunc(t);
  });
  origin.earlier = [...earlier];
  if (!plainGroup(origin.group)) for (const t of origin.group) origins.set(t, origin);
}

/** The origin of the group `t` is a member of, when it has canonical ids worth restoring. */
export function coreGroupOrigin(t: object): CoreGroupOrigin | undefined {
  return origins.get(t as DefType);
}

/**
 * Registers deserialized groups again, as `defineCoreGroup` did, each
 * after the groups its references name (their members were deserialized
 * without ids too).
 */
export function restoreCoreGroups(list: readonly CoreGroupOrigin[]): void {
  for (const o of list) for (const t of o.group) origins.set(t, o);
  const restore = (origin: CoreGroupOrigin): void => {
    if (origin.group.every((t) => canonOfFunc(t) !== 0)) return;
    const earlier = new Map(origin.earlier);
    for (const t of earlier.values()) {
      const o = origins.get(t);
      if (o !== undefined) restore(o);
    }
    registerCoreGroup(origin, (j) => earlier.get(j));
  };
  list.forEach(restore);
}

/**
 * The core types of one rec group (one sub type is a group of one),
 * defined at the end of `space`, with their canonical ids: references to
 * earlier types go through those types' ids, so an aliased type keeps the
 * identity it has where it was defined.
 */
export function defineCoreGroup(space: readonly CoreType[], subs: readonly DefType[]): CoreType[] {
  // Copies: the decoded types stay as written, and a component's
  // definitions are read again at instantiation.
  const defs = subs.map((sub): DefType => ({ ...sub, recStart: space.length, recSize: subs.length }));
  registerCoreGroup({ group: defs, start: space.length, earlier: [] }, (j) => (j < space.length ? defOf(space[j]!) : undefined));
  return defs.map((type) => (compOf(type) === 'func' ? { kind: 'func', type } : { kind: 'gc', type }));
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

const moduleTypeSpaces = new WeakSet<TypeSpace>();

/**
 * A module type's core type space as its global and table types see it
 * (their references name its types), marked so that the serialized form
 * stores it with them (`isModuleTypeSpace`): unlike a core module's
 * types, it is made by nothing that loading does again.
 */
export function moduleTypeSpace(types: readonly CoreType[]): TypeSpace {
  const space = coreTypeSpace(types);
  moduleTypeSpaces.add(space);
  return space;
}

export function isModuleTypeSpace(space: TypeSpace): boolean {
  return moduleTypeSpaces.has(space);
}

/**
 * A module type's space again on loading, from its types once their rec
 * groups have their ids again (`restoreCoreGroups`). A lone final function
 * type without concrete references has no stored group: its id is made
 * anew, which is the same id, since it refers to no other type.
 */
export function restoreModuleTypeSpace(types: readonly DefType[]): TypeSpace {
  const ids = types.map((t, i) => canonOfFunc(t) || canonicalRecGroup([t], i, () => 0)[0]!);
  const space = typeSpaceWithIds(types, ids);
  moduleTypeSpaces.add(space);
  return space;
}
