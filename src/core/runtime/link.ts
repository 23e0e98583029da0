// Linking (spec §4.5.3 "Instantiation", steps 2–4, and §4.4.? "Import
// matching"): resolving a module's imports to extern values and checking
// that each value's type matches what the module declares. Engines receive
// only imports that passed these checks, so neither engine repeats them and
// both fail in the same words.

import type { Module, ImportDesc } from '../syntax/ast.js';
import { funcTypeEquals, funcTypeToString, type Limits, valTypeName } from '../syntax/types.js';
import { equivalentValTypes, funcTypeMatches, globalTypeMatches, registerModuleTypes, typeSpaceOf } from '../syntax/reftypes.js';
import { LinkError } from '../errors.js';
import { addrTypeOf } from '../syntax/addr-type.js';
import type { ExternVal } from './instance.js';

/** Looks up a (module, name) pair; undefined when nothing is registered under it. */
export type ImportResolver = (module: string, name: string) => ExternVal | undefined;

/** Resolves and checks every import of `m`, in order (assert_unlinkable's messages). */
export function resolveImports(m: Module, resolve: ImportResolver): ExternVal[] {
  registerModuleTypes(m);
  return m.imports.map((imp) => {
    const v = resolve(imp.module, imp.name);
    if (!v) throw new LinkError(`unknown import "${imp.module}" "${imp.name}"`);
    const why = mismatch(m, imp.desc, v);
    if (why) throw new LinkError(`incompatible import type for "${imp.module}" "${imp.name}": ${why}`);
    return v;
  });
}

/** Why `v` does not match the import description `d`, or null when it does. */
export function mismatch(m: Module, d: ImportDesc, v: ExternVal): string | null {
  if (d.kind !== v.kind) return `expected ${d.kind}, got ${v.kind}`;
  switch (d.kind) {
    case 'func': {
      const want = m.types[d.typeIdx]!;
      const have = (v as Extract<ExternVal, { kind: 'func' }>).value.type;
      // 3.0: the function's type may be a declared subtype of the import's.
      return funcTypeMatches(have, want) ? null : `expected ${funcTypeToString(want)}, got ${funcTypeToString(have)}`;
    }
    case 'table': {
      const t = (v as Extract<ExternVal, { kind: 'table' }>).value;
      if (!equivalentValTypes(t.type.elem, d.type.elem, typeSpaceOf(t.type), m.types)) {
        return `expected ${valTypeName(d.type.elem)} table, got ${valTypeName(t.type.elem)}`;
      }
      if (addrTypeOf(t.type) !== addrTypeOf(d.type)) return `expected an ${valTypeName(addrTypeOf(d.type))} table, got ${valTypeName(addrTypeOf(t.type))}`;
      return limitsMismatch({ min: t.size(), max: t.type.limits.max }, d.type.limits);
    }
    case 'memory': {
      const mem = (v as Extract<ExternVal, { kind: 'memory' }>).value;
      if ((mem.type.shared ?? false) !== (d.type.shared ?? false)) return 'mismatch in the shared flag for memories';
      if (addrTypeOf(mem.type) !== addrTypeOf(d.type)) return `expected an ${valTypeName(addrTypeOf(d.type))} memory, got ${valTypeName(addrTypeOf(mem.type))}`;
      return limitsMismatch({ min: mem.size(), max: mem.type.limits.max }, d.type.limits);
    }
    case 'global': {
      const g = (v as Extract<ExternVal, { kind: 'global' }>).value;
      if (g.type.mutable !== d.type.mutable) return d.type.mutable ? 'expected a mutable global' : 'expected an immutable global';
      return globalTypeMatches(g.type, typeSpaceOf(g.type), d.type, m.types) ? null : `expected ${valTypeName(d.type.type)}, got ${valTypeName(g.type.type)}`;
    }
    case 'tag': {
      const want = m.types[d.typeIdx]!;
      const have = (v as Extract<ExternVal, { kind: 'tag' }>).value.type;
      return funcTypeEquals(want, have) ? null : `expected tag ${funcTypeToString(want)}, got ${funcTypeToString(have)}`;
    }
  }
}

/** Limits subtyping (spec §4.5.2 "Limits"): the actual limits lie within the expected ones. */
function limitsMismatch(actual: Limits, expected: Limits): string | null {
  if (actual.min < expected.min) return `minimum ${actual.min} is smaller than ${expected.min}`;
  if (expected.max !== null) {
    if (actual.max === null) return `no maximum, expected at most ${expected.max}`;
    if (actual.max > expected.max) return `maximum ${actual.max} is larger than ${expected.max}`;
  }
  return null;
}
