// Substitution that keeps "named" types named. Whether a type is valid to
// import or export is decided by identity (Explainer.md: every record,
// variant, enum, flags and resource a function mentions must be named by an
// earlier import or export), so a substitution must give one type the same
// image wherever it occurs: the record an instance exports as "item" and the
// `list<item>` its function takes must still share one record afterwards.
// `substituteVal` rebuilds a changed type at each occurrence; mapping every
// changed type once, children before parents, makes each later occurrence
// find its image in the map (wasmparser's remapping memoizes the same way).

import { childValTypes, ResourceType, type DefinedType, type ExternType, type Type, type ValType } from '../syntax/types.js';
import { substituteExtern, substituteVal, type ResourceMap } from './subtype.js';

/** `e` with `m` applied, one image per type; `m` gains the images of the defined types that change. */
export function substituteNamed(e: ExternType, m: ResourceMap): ExternType {
  if (m.size === 0) return e;
  for (const t of definedTypesIn(e)) {
    if (m.has(t)) continue;
    const image = substituteVal(t, m);
    if (image !== t) m.set(t, image as DefinedType);
  }
  return substituteExtern(e, m);
}

/** The distinct defined value types inside `e`, each after the types it contains. */
function definedTypesIn(e: ExternType): DefinedType[] {
  const out: DefinedType[] = [];
  const seen = new Set<object>();
  const val = (v: ValType | null): void => {
    if (v === null || typeof v === 'string' || seen.has(v)) return;
    seen.add(v);
    for (const c of childValTypes(v)) val(c);
    out.push(v);
  };
  const ty = (t: Type): void => {
    if (t instanceof ResourceType || typeof t === 'string') return;
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
  return out;
}
