// Substitution that keeps "named" types named. Whether a type is valid to
// import or export is decided by identity (Explainer.md: every record,
// variant, enum, flags and resource a function mentions must be named by an
// earlier import or export), so a substitution must give one type the same
// image wherever it occurs: the record an instance exports as "item" and the
// `list<item>` its function takes must still share one record afterwards.
// `substituteVal` rebuilds a changed type at each occurrence; mapping every
// changed type once, children before parents, makes each later occurrence
// find its image in the map (wasmparser's remapping memoizes the same way).

import type { DefinedType, ExternType } from '../syntax/types.js';
import { substituteExtern, substituteVal, type ResourceMap } from './subtype.js';
import { typesIn } from './types-in.js';

/** `e` with `m` applied, one image per type; `m` gains the images of the defined types that change. */
export function substituteNamed(e: ExternType, m: ResourceMap): ExternType {
  if (m.size === 0) return e;
  for (const t of typesIn(e).defined) {
    if (m.has(t)) continue;
    const image = substituteVal(t, m);
    if (image !== t) m.set(t, image as DefinedType);
  }
  return substituteExtern(e, m);
}
