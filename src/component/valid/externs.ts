// Checks on the names of imports, exports and labels (Explainer.md "Import
// and Export Definitions", "Name Uniqueness").

import { ValidationError } from '../../core/errors.js';
import type { ExternName } from '../syntax/ast.js';
import type { ExternType, FuncType, ResourceType } from '../syntax/types.js';
import { isKebab, parseExternName, semverError, type ParsedName } from './names.js';
import { ExternNames, type Scope } from './scope.js';
import { fail, withContext } from './subtype.js';

/** A label (record field, case, flag, parameter): kebab-case and strongly-unique among `seen`. */
export function checkLabel(name: string, desc: string, seen: Map<string, string>, o: number, prevWord: string): void {
  if (name === '') fail(`${desc} name cannot be empty`, o);
  if (!isKebab(name)) fail(`${desc} name \`${name}\` is not in kebab case`, o);
  const key = name.toLowerCase();
  const prev = seen.get(key);
  if (prev !== undefined) fail(`${desc} name \`${name}\` conflicts with previous ${prevWord === 'tag' ? 'tag' : prevWord} name \`${prev}\``, o);
  seen.set(key, name);
}

/** The canonical form two names must differ in to be strongly-unique. */
export function strongKey(p: ParsedName, raw: string): string {
  switch (p.kind) {
    case 'label': return raw.toLowerCase();
    case 'constructor': return raw.toLowerCase();
    case 'method': case 'static': {
      const r = p.resource.toLowerCase(), n = p.name.toLowerCase();
      return r === n ? r : `${r}.${n}`;
    }
    // URLs and integrity hashes (base64) are case-sensitive: compared exactly.
    case 'dependency': case 'url': case 'hash': return `=${raw}`;
    default: return raw.toLowerCase();
  }
}

/**
 * Validates an extern name against the item's type and records it in
 * `keys` (canonical name → first spelling). `top` is false for the exports
 * of an instance built from exports, whose resource context is empty.
 */
export function checkExternNames(s: Scope, n: ExternName, t: ExternType, dir: 'import' | 'export', keys: Map<string, string>, o: number, top: boolean): void {
  const name = n.name;
  if (n.duplicateAttribute !== undefined) fail(`duplicate '${n.duplicateAttribute}' option in name`, o);
  let parsed: ParsedName;
  try {
    parsed = parseExternName(name, o);
  } catch (e) {
    if (e instanceof ValidationError) fail(`${dir} name \`${name}\` is not a valid extern name\n${e.message}`, o);
    throw e;
  }
  if (dir === 'export' && (parsed.kind === 'dependency' || parsed.kind === 'url' || parsed.kind === 'hash')) fail(`name \`${name}\` is not a valid export name`, o);
  if (n.implements !== null) {
    if (parsed.kind !== 'label') fail(`name \`${name}\` is not valid with \`implements\``, o);
    if (t.kind !== 'instance') fail('only instances can have an `implements`', o);
    let impl: ParsedName;
    try {
      impl = parseExternName(n.implements, o);
    } catch (e) {
      if (e instanceof ValidationError) fail(`\`${n.implements}\` is not a valid name\n${e.message}`, o);
      throw e;
    }
    if (impl.kind !== 'interface') fail(`name \`${n.implements}\` must be an interface`, o);
  }
  if (n.versionSuffix !== null && t.kind !== 'instance') fail('only instances can have an `versionsuffix`', o);
  // The exports of an instance built from exports are checked in an empty
  // context: a bag of exports introduces no index, so no resource has a
  // name there (a `[constructor]`/`[method]`/`[static]` name cannot refer to one).
  const context = top ? (dir === 'import' ? s.imports : s.exports) : new ExternNames();
  withContext(`${dir} name \`${name}\` is not valid`, () => checkNameAgainstType(context, parsed, n, t, o));
  const key = strongKey(parsed, name);
  const prev = keys.get(key);
  if (prev !== undefined) fail(`${dir} name \`${name}\` conflicts with previous name \`${prev}\``, o);
  keys.set(key, name);
}

function checkNameAgainstType(names: ExternNames, p: ParsedName, n: ExternName, t: ExternType, o: number): void {
  const func = (): FuncType => {
    if (t.kind !== 'func') fail('item is not a func', o);
    return t.type;
  };
  const resourceName = (r: { resource: ResourceType; alias?: object }, expected: string) => {
    const actual = names.resourceNames.get(r.alias ?? r.resource);
    if (actual === undefined) fail('resource used in function does not have a name in this context', o);
    if (actual !== expected) fail(`function does not match expected resource name \`${actual}\``, o);
  };
  switch (p.kind) {
    case 'interface': {
      if (p.version !== null || n.versionSuffix !== null) {
        const v = (p.version ?? '') + (n.versionSuffix ?? '');
        const why = semverError(v);
        if (why !== null) fail(`invalid interface version: ${why}`, o);
      }
      return;
    }
    case 'constructor': {
      const f = func();
      if (f.async) fail('constructor function cannot be async', o);
      if (f.result === null) fail('function should return one value', o);
      let r: { resource: ResourceType; alias?: object } | null = null;
      const res = f.result;
      if (typeof res !== 'string') {
        if (res.kind === 'own') r = res;
        else if (res.kind === 'result' && res.ok !== null && typeof res.ok !== 'string' && res.ok.kind === 'own') r = res.ok;
      }
      if (r === null) fail('function should return `(own $T)` or `(result (own $T))`', o);
      return resourceName(r, p.resource);
    }
    case 'method': {
      const f = func();
      if (f.params.length === 0) fail('function should have at least one argument', o);
      const first = f.params[0]!;
      if (first.name !== 'self') fail('function should have a first argument called `self`', o);
      if (typeof first.type === 'string' || first.type.kind !== 'borrow') fail('function should take a first argument of `(borrow $T)`', o);
      return resourceName(first.type, p.resource);
    }
    case 'static': {
      func();
      if (!names.allResourceNames.has(p.resource)) fail('static resource name is not known in this context', o);
      return;
    }
    default: return;
  }
}
