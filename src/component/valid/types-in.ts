// The types an extern type mentions, found by one walk: what substitution
// and the import rules need to visit.

import { childValTypes, ResourceType, type DefinedType, type ExternType, type Type, type ValType } from '../syntax/types.js';

/**
 * The distinct defined value types inside `e`, each after the types it
 * contains, and the resource types it names directly (as a type item, not
 * through a handle type).
 */
export function typesIn(e: ExternType): { defined: DefinedType[]; resources: ResourceType[] } {
  const defined: DefinedType[] = [];
  const resources: ResourceType[] = [];
  const seen = new Set<object>();
  const val = (v: ValType | null): void => {
    if (v === null || typeof v === 'string' || seen.has(v)) return;
    seen.add(v);
    for (const c of childValTypes(v)) val(c);
    defined.push(v);
  };
  const ty = (t: Type): void => {
    if (t instanceof ResourceType) { resources.push(t); return; }
    if (typeof t === 'string') return;
    switch (t.kind) {
      case 'func': t.params.forEach((p) => val(p.type)); val(t.result); return;
      case 'instance': for (const x of t.exports.values()) ext(x); return;
      case 'component': for (const x of t.imports.values()) ext(x); for (const x of t.exports.values()) ext(x); return;
      default: val(t);
    }
  };
  const ext = (x: ExternType): void => {
    if (x.kind === 'module') return;
    if (x.kind === 'value') val(x.type);
    else ty(x.type);
  };
  ext(e);
  return { defined, resources };
}
