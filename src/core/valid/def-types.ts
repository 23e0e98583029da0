// Validation of the type section (spec §3.2 "Types", WebAssembly 3.0 with
// GC): rec groups, declared supertypes and the composite types, in the
// reference interpreter's words.

import { I16, I8, compOf, type DefType, type FieldType, type ValType } from '../syntax/types.js';
import { matchesValType, type TypeSpace } from '../syntax/reftypes.js';
import { type Context, checkValType, fail } from './context.js';

/**
 * Checks every defined type: a type refers only to types of its own rec
 * group and earlier ones ("unknown type"); a subtype names at most one
 * supertype, defined before it, not final, whose composite type its own
 * matches ("sub type").
 */
export function checkDefTypes(c: Context, types: readonly DefType[]): void {
  types.forEach((t, i) => {
    const end = t.recStart !== undefined ? t.recStart + t.recSize! : i + 1;
    const field = (v: ValType): void => checkValType(c, v, -1, end);
    for (const v of t.params) field(v);
    for (const v of t.results) field(v);
    for (const f of t.fields ?? []) field(f.type);
    const supers = t.supers ?? [];
    if (supers.length > 1) fail('multiple supertypes');
    for (const x of supers) {
      if (x >= i) fail(`unknown type ${x}`);
      const s = types[x]!;
      if (s.final !== false) fail(`sub type ${i} does not match super type ${x}: the super type is final`);
      if (!compMatches(t, s, types)) fail(`sub type ${i} does not match super type ${x}`);
    }
  });
}

/** Composite type matching (spec §3.3.3.3): the same form, then function, struct or array matching. */
export function compMatches(a: DefType, b: DefType, types: TypeSpace): boolean {
  const form = compOf(a);
  if (form !== compOf(b)) return false;
  switch (form) {
    case 'func':
      return a.params.length === b.params.length && a.results.length === b.results.length
        && b.params.every((p, k) => matchesValType(p, a.params[k]!, types))
        && a.results.every((r, k) => matchesValType(r, b.results[k]!, types));
    case 'struct': {
      const fa = a.fields!, fb = b.fields!;
      return fa.length >= fb.length && fb.every((f, k) => fieldMatches(fa[k]!, f, types));
    }
    case 'array':
      return fieldMatches(a.fields![0]!, b.fields![0]!, types);
  }
}

/** Field matching: the same mutability; an immutable field covariant, a mutable one the same type. */
function fieldMatches(a: FieldType, b: FieldType, types: TypeSpace): boolean {
  if (a.mutable !== b.mutable) return false;
  if (!storageMatches(a.type, b.type, types)) return false;
  return !a.mutable || storageMatches(b.type, a.type, types);
}

/** Packed types match only themselves; value types by value type matching. */
function storageMatches(a: number, b: number, types: TypeSpace): boolean {
  if (a === I8 || a === I16 || b === I8 || b === I16) return a === b;
  return a === b || matchesValType(a, b, types);
}
