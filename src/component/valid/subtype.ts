// Subtyping of component types (Explainer.md "Subtyping"), used to check
// instantiation arguments, ascribed export types and imports, and the
// substitution of resources that instantiation performs. Value types match
// by structure; resources by identity. Messages follow wasmparser: the
// innermost cause last, each enclosing context on a line before it.

import { ValidationError } from '../../core/errors.js';
import { valTypeName } from '../../core/syntax/types.js';
import { equivalentValTypes, funcTypeMatches, globalTypeMatches, sameFuncType, typeSpaceOf } from '../../core/syntax/reftypes.js';
import type { CoreFuncType } from '../syntax/ast.js';
import {
  ResourceType, childValTypes, type ComponentType, type CoreExternType, type ExternType, type FuncType, type InstanceType,
  type ModuleType, type Type, type ValType, type DefinedType,
} from '../syntax/types.js';

export function fail(message: string, offset: number): never {
  throw new ValidationError(message, offset);
}

/** Runs `f`, prefixing `context` to the message of a ValidationError it throws. */
export function withContext<T>(context: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ValidationError) throw new ValidationError(`${context}\n${e.message}`, e.offset);
    throw e;
  }
}

function desc(t: ValType): string {
  return typeof t === 'string' ? t : t.kind;
}

/** `a` (what is supplied) must be usable where `b` (what is expected) is required. */
export function checkValType(a: ValType, b: ValType, offset: number): void {
  if (a === b) return;
  if (typeof a === 'string' || typeof b === 'string') {
    if (typeof a === 'string' && typeof b === 'string') {
      if (a !== b) fail(`expected primitive \`${b}\` found primitive \`${a}\``, offset);
      return;
    }
    fail(`expected ${desc(b)}, found ${desc(a)}`, offset);
  }
  checkDefined(a, b, offset);
}

function checkOpt(a: ValType | null, b: ValType | null, what: string, offset: number, ctx: string): void {
  if (a === null && b === null) return;
  if (a !== null && b !== null) return withContext(ctx, () => checkValType(a, b, offset));
  if (a === null) fail(`expected ${what} type, but found none`, offset);
  fail(`expected ${what} type to not be present`, offset);
}

function checkDefined(a: DefinedType, b: DefinedType, offset: number): void {
  if (a.kind !== b.kind) fail(`expected ${b.kind}, found ${a.kind}`, offset);
  switch (a.kind) {
    case 'record': {
      const bf = (b as typeof a).fields;
      if (a.fields.length !== bf.length) fail(`expected ${bf.length} fields, found ${a.fields.length}`, offset);
      a.fields.forEach((f, i) => {
        if (f.name !== bf[i]!.name) fail(`expected field name \`${bf[i]!.name}\`, found \`${f.name}\``, offset);
        withContext(`type mismatch in record field \`${f.name}\``, () => checkValType(f.type, bf[i]!.type, offset));
      });
      return;
    }
    case 'variant': {
      const bc = (b as typeof a).cases;
      if (a.cases.length !== bc.length) fail(`expected ${bc.length} cases, found ${a.cases.length}`, offset);
      a.cases.forEach((c, i) => {
        const d = bc[i]!;
        if (c.name !== d.name) fail(`expected case named \`${d.name}\`, found \`${c.name}\``, offset);
        if (c.type !== null && d.type !== null) withContext(`type mismatch in variant case \`${c.name}\``, () => checkValType(c.type!, d.type!, offset));
        else if (c.type === null && d.type !== null) fail(`expected case \`${c.name}\` to have a type, found none`, offset);
        else if (c.type !== null && d.type === null) fail(`expected case \`${c.name}\` to have no type`, offset);
      });
      return;
    }
    case 'list': {
      const bl = b as typeof a;
      if (a.length !== bl.length) {
        if (a.length === null || bl.length === null) fail(`expected ${bl.length === null ? 'list' : 'fixed-length list'}, found ${a.length === null ? 'list' : 'fixed-length list'}`, offset);
        fail(`expected fixed-length ${bl.length}, found size ${a.length}`, offset);
      }
      return checkValType(a.elem, bl.elem, offset);
    }
    case 'option': return checkValType(a.type, (b as typeof a).type, offset);
    case 'map': {
      const bm = b as typeof a;
      withContext('type mismatch in map key', () => checkValType(a.key, bm.key, offset));
      return withContext('type mismatch in map value', () => checkValType(a.value, bm.value, offset));
    }
    case 'tuple': {
      const bt = (b as typeof a).types;
      if (a.types.length !== bt.length) fail(`expected ${bt.length} types, found ${a.types.length}`, offset);
      a.types.forEach((t, i) => withContext(`type mismatch in tuple field ${i}`, () => checkValType(t, bt[i]!, offset)));
      return;
    }
    case 'flags': case 'enum': {
      const bn = (b as typeof a).names;
      if (a.names.length !== bn.length || a.names.some((n, i) => n !== bn[i])) fail(`mismatch in ${a.kind} elements`, offset);
      return;
    }
    case 'result': {
      const br = b as typeof a;
      checkOpt(a.ok, br.ok, 'ok', offset, 'type mismatch in ok variant');
      checkOpt(a.err, br.err, 'err', offset, 'type mismatch in err variant');
      return;
    }
    case 'own': case 'borrow':
      if (a.resource !== (b as typeof a).resource) fail('resource types are not the same', offset);
      return;
    case 'future': case 'stream':
      return checkOpt(a.elem, (b as typeof a).elem, a.kind, offset, `type mismatch in ${a.kind}`);
  }
}

export function checkFuncType(a: FuncType, b: FuncType, offset: number): void {
  if (a.async !== b.async) fail(`expected ${b.async ? 'async' : 'sync'} function, found ${a.async ? 'async' : 'sync'} function`, offset);
  if (a.params.length !== b.params.length) fail(`expected ${b.params.length} parameters, found ${a.params.length}`, offset);
  a.params.forEach((p, i) => {
    const q = b.params[i]!;
    if (p.name !== q.name) fail(`expected parameter named \`${q.name}\`, found \`${p.name}\``, offset);
    // Like wasmparser (and Wasmtime), function types must match exactly, so
    // the direction of this check only shapes the message.
    withContext(`type mismatch in function parameter \`${p.name}\``, () => checkValType(p.type, q.type, offset));
  });
  if (a.result !== null && b.result !== null) withContext('type mismatch with result type', () => checkValType(a.result!, b.result!, offset));
  // (wasmparser's wording, kept so messages match the suite.)
  else if (a.result !== null && b.result === null) fail('expected a result, found none', offset);
  else if (a.result === null && b.result !== null) fail('expected no result, found one', offset);
}

function typeDesc(t: Type): string {
  if (t instanceof ResourceType) return 'resource';
  if (typeof t === 'string') return 'defined type';
  switch (t.kind) {
    case 'func': return 'func type';
    case 'instance': return 'instance type';
    case 'component': return 'component type';
    default: return 'defined type';
  }
}

/** Types in a `(type (eq ...))` position. */
export function checkType(a: Type, b: Type, offset: number): void {
  const ad = typeDesc(a), bd = typeDesc(b);
  if (ad !== bd) fail(`expected ${bd === 'defined type' || bd === 'resource' ? bd : bd}, found ${ad}`, offset);
  if (a instanceof ResourceType) {
    if (a !== b) fail('resource types are not the same', offset);
    return;
  }
  switch (ad) {
    case 'func type': return checkFuncType(a as FuncType, b as FuncType, offset);
    case 'instance type': return checkInstanceType(a as InstanceType, b as InstanceType, offset);
    case 'component type': return checkComponentType(a as ComponentType, b as ComponentType, offset);
    default:
      // Both sides are type definitions here: a defined type that is a
      // primitive reads as "primitive" (wasmparser's wording).
      if (typeof b === 'string' && typeof a !== 'string') fail(`expected primitive, found ${desc(a as ValType)}`, offset);
      return checkValType(a as ValType, b as ValType, offset);
  }
}

export function checkInstanceType(a: InstanceType, b: InstanceType, offset: number): void {
  for (const [name, bt] of b.exports) {
    const at = a.exports.get(name);
    if (at === undefined) fail(`missing expected export \`${name}\``, offset);
    withContext(`type mismatch in instance export \`${name}\``, () => checkExtern(at, bt, offset));
  }
}

export function checkComponentType(a: ComponentType, b: ComponentType, offset: number): void {
  // Imports are contravariant: everything `a` imports, `b` must provide.
  const map: ResourceMap = new Map();
  for (const [name, at] of a.imports) {
    const bt = b.imports.get(name);
    if (bt === undefined) fail(`missing expected import \`${name}\``, offset);
    bindResources(at, bt, new Set(a.importedResources), map);
  }
  for (const [name, at] of a.imports) {
    const bt = b.imports.get(name)!;
    withContext(`type mismatch in import \`${name}\``, () => checkExtern(bt, substituteExtern(at, map), offset));
  }
  const exportMap: ResourceMap = new Map(map);
  for (const [name, bt] of b.exports) {
    const at = a.exports.get(name);
    if (at === undefined) fail(`missing expected export \`${name}\``, offset);
    bindResources(bt, at, new Set(b.definedResources), exportMap);
  }
  for (const [name, bt] of b.exports) {
    const at = a.exports.get(name)!;
    withContext(`type mismatch in export \`${name}\``, () => checkExtern(substituteExtern(at, map), substituteExtern(bt, exportMap), offset));
  }
}

function coreFuncText(t: CoreFuncType): string {
  const list = (v: readonly number[]) => v.map((x) => valTypeName(x as never)).join(' ');
  return `(func${t.params.length ? ` (param ${list(t.params)})` : ''}${t.results.length ? ` (result ${list(t.results)})` : ''})`;
}

/**
 * "want, found have", saying so when the two read the same: their type
 * indices name different types in the two type spaces.
 */
function otherIndices(want: string, have: string, found = ', found '): string {
  return `${want}${found}${have}${want === have ? ' (its type indices name other types)' : ''}`;
}

function limitsMatch(aMin: bigint, aMax: bigint | null, bMin: bigint, bMax: bigint | null): boolean {
  if (aMin < bMin) return false;
  if (bMax === null) return true;
  return aMax !== null && aMax <= bMax;
}

/**
 * Core extern subtyping (core spec "Import Matching"), by the core's rules:
 * types that refer to other types compare by canonical identity, not by
 * their indices, which are relative to each side's type space.
 */
export function checkCoreExtern(a: CoreExternType, b: CoreExternType, offset: number): void {
  if (a.kind !== b.kind) fail(`expected ${b.kind}, found ${a.kind}`, offset);
  switch (a.kind) {
    case 'func': case 'tag': {
      const bt = (b as typeof a).type;
      if (!(a.kind === 'func' ? funcTypeMatches(a.type, bt) : sameFuncType(a.type, bt))) {
        fail(`expected: ${otherIndices(coreFuncText(bt), coreFuncText(a.type), '\nfound:    ')}`, offset);
      }
      return;
    }
    case 'global': {
      const bt = (b as typeof a).type;
      if (a.type.mutable !== bt.mutable) fail('global types differ in mutability', offset);
      if (!globalTypeMatches(a.type, typeSpaceOf(a.type), bt, typeSpaceOf(bt))) fail(`expected global type ${otherIndices(valTypeName(bt.type), valTypeName(a.type.type))}`, offset);
      return;
    }
    case 'table': {
      const bt = (b as typeof a).type;
      if (!equivalentValTypes(a.type.elem, bt.elem, typeSpaceOf(a.type), typeSpaceOf(bt))) fail(`expected table element type ${otherIndices(valTypeName(bt.elem), valTypeName(a.type.elem))}`, offset);
      if (!limitsMatch(a.type.min, a.type.max, bt.min, bt.max) || a.type.table64 !== bt.table64) fail('mismatch in table limits', offset);
      return;
    }
    case 'memory': {
      const bt = (b as typeof a).type;
      if (a.type.shared !== bt.shared) fail('mismatch in the shared flag for memories', offset);
      if (a.type.memory64 !== bt.memory64) fail('mismatch in index type used for memories', offset);
      if ((a.type.pageSizeLog2 ?? 16) !== (bt.pageSizeLog2 ?? 16)) fail('mismatch in page size for memories', offset);
      if (!limitsMatch(a.type.min, a.type.max, bt.min, bt.max)) fail('mismatch in memory limits', offset);
      return;
    }
  }
}

export function checkModuleType(a: ModuleType, b: ModuleType, offset: number): void {
  // A module that imports less than expected, and exports at least as much, fits.
  for (const imp of a.imports) {
    const bi = b.imports.find((x) => x.module === imp.module && x.name === imp.name);
    if (bi === undefined) fail(`missing expected import \`${imp.module}::${imp.name}\``, offset);
    withContext(`type mismatch in import \`${imp.module}::${imp.name}\``, () => checkCoreExtern(bi.type, imp.type, offset));
  }
  for (const [name, bt] of b.exports) {
    const at = a.exports.get(name);
    if (at === undefined) fail(`missing expected export \`${name}\``, offset);
    withContext(`type mismatch in export \`${name}\``, () => checkCoreExtern(at, bt, offset));
  }
}

export function checkExtern(a: ExternType, b: ExternType, offset: number): void {
  if (a.kind !== b.kind) fail(`expected ${b.kind}, found ${a.kind}`, offset);
  switch (a.kind) {
    case 'module': return checkModuleType(a.type, (b as typeof a).type, offset);
    case 'func': return checkFuncType(a.type, (b as typeof a).type, offset);
    case 'value': return checkValType(a.type, (b as typeof a).type, offset);
    case 'type': return checkType(a.type, (b as typeof a).type, offset);
    case 'component': return checkComponentType(a.type, (b as typeof a).type, offset);
    case 'instance': return checkInstanceType(a.type, (b as typeof a).type, offset);
  }
}

/**
 * Walks an expected extern type and a supplied one side by side and records,
 * for each abstract resource of `expected` that is in `abstract`, the
 * resource the supplied item provides in the same place (Binary.md: "after
 * each individual type-import is supplied via `with`, the actual type
 * supplied is immediately substituted"). Mismatches are left for the
 * subtype check that follows to report.
 */
export function bindResources(expected: ExternType, actual: ExternType, abstract: Set<ResourceType>, map: ResourceMap, types = false): void {
  if (expected.kind === 'type' && actual.kind === 'type') {
    if (expected.type instanceof ResourceType && abstract.has(expected.type) && actual.type instanceof ResourceType && !map.has(expected.type)) {
      map.set(expected.type, actual.type);
    } else if (types && typeof expected.type === 'object' && !(expected.type instanceof ResourceType) && typeof actual.type === 'object' && !map.has(expected.type)) {
      // An `eq`-bound type import stands for the type supplied.
      map.set(expected.type, actual.type);
    }
    return;
  }
  if (expected.kind === 'instance' && actual.kind === 'instance') {
    for (const [name, e] of expected.type.exports) {
      const a = actual.type.exports.get(name);
      if (a !== undefined) bindResources(e, a, abstract, map, types);
    }
  }
}

// ---- substitution ------------------------------------------------------------

/**
 * Maps resources to resources (and, for `eq`-bound type imports, defined
 * types to the types supplied), applied by identity.
 */
export type ResourceMap = Map<object, object>;

function same<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function substituteVal(t: ValType, m: ResourceMap): ValType {
  if (typeof t === 'string' || m.size === 0) return t;
  const mapped = m.get(t);
  if (mapped !== undefined) return mapped as ValType;
  const out = substituteValInner(t, m);
  // Keep the identity of types that do not change: it is what "named" means.
  if (out.kind !== t.kind) return out;
  const a = childValTypes(t), b = childValTypes(out);
  if ((t.kind === 'own' || t.kind === 'borrow') && (out as typeof t).resource !== t.resource) return out;
  return same(a, b) ? t : out;
}

function substituteValInner(t: DefinedType, m: ResourceMap): DefinedType {
  const s = (x: ValType) => substituteVal(x, m);
  const so = (x: ValType | null) => (x === null ? null : substituteVal(x, m));
  switch (t.kind) {
    case 'record': return { kind: 'record', fields: t.fields.map((f) => ({ name: f.name, type: s(f.type) })) };
    case 'variant': return { kind: 'variant', cases: t.cases.map((c) => ({ name: c.name, type: so(c.type) })) };
    case 'list': return { kind: 'list', elem: s(t.elem), length: t.length };
    case 'tuple': return { kind: 'tuple', types: t.types.map(s) };
    case 'option': return { kind: 'option', type: s(t.type) };
    case 'result': return { kind: 'result', ok: so(t.ok), err: so(t.err) };
    case 'own': case 'borrow': return { kind: t.kind, resource: (m.get(t.resource) as ResourceType | undefined) ?? t.resource };
    case 'stream': case 'future': return { kind: t.kind, elem: so(t.elem) };
    case 'map': return { kind: 'map', key: s(t.key), value: s(t.value) };
    default: return t;
  }
}

export function substituteFunc(t: FuncType, m: ResourceMap): FuncType {
  if (m.size === 0) return t;
  return { kind: 'func', async: t.async, params: t.params.map((p) => ({ name: p.name, type: substituteVal(p.type, m) })), result: t.result === null ? null : substituteVal(t.result, m) };
}

function substituteMap(x: Map<string, ExternType>, m: ResourceMap): Map<string, ExternType> {
  return new Map([...x].map(([k, v]) => [k, substituteExtern(v, m)]));
}

export function substituteType(t: Type, m: ResourceMap): Type {
  if (m.size === 0) return t;
  if (t instanceof ResourceType) return (m.get(t) as ResourceType | undefined) ?? t;
  if (typeof t === 'string') return t;
  switch (t.kind) {
    case 'func': return substituteFunc(t, m);
    case 'instance': return { kind: 'instance', exports: substituteMap(t.exports, m), definedResources: t.definedResources.map((r) => (m.get(r) as ResourceType | undefined) ?? r) };
    case 'component': return {
      kind: 'component', imports: substituteMap(t.imports, m), exports: substituteMap(t.exports, m),
      importedResources: t.importedResources.map((r) => (m.get(r) as ResourceType | undefined) ?? r), definedResources: t.definedResources.map((r) => (m.get(r) as ResourceType | undefined) ?? r),
    };
    default: return substituteVal(t, m);
  }
}

export function substituteExtern(e: ExternType, m: ResourceMap): ExternType {
  if (m.size === 0) return e;
  switch (e.kind) {
    case 'module': return e;
    case 'func': return { kind: 'func', type: substituteFunc(e.type, m) };
    case 'value': return { kind: 'value', type: substituteVal(e.type, m) };
    case 'type': {
      const type = substituteType(e.type, m);
      // A name token stays with its resource; a substituted resource is a new one.
      return type === e.type ? e : { kind: 'type', type };
    }
    case 'component': return { kind: 'component', type: substituteType(e.type, m) as ComponentType };
    case 'instance': return { kind: 'instance', type: substituteType(e.type, m) as InstanceType };
  }
}

/** Gives each of `resources` a fresh copy, for an import of an instance type or an instantiation. */
export function freshen(resources: readonly ResourceType[], m: ResourceMap = new Map()): ResourceMap {
  for (const r of resources) m.set(r, new ResourceType(r.name, r.rep, r.dtor));
  return m;
}
