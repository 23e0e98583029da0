// Extern names (Explainer.md "Import and Export Definitions"): plain
// kebab-case labels, `[constructor]`/`[method]`/`[static]` annotated
// names, interface names `ns:pkg/iface@version`, and the dependency forms.
// Messages are wasmparser's, which the suite's assert_invalid expects.

import { ValidationError } from '../../core/runtime/errors.js';

/** A kebab-case word sequence: words all-lowercase or all-uppercase, digits not leading. */
export function isKebab(s: string): boolean {
  if (s.length === 0 || s.endsWith('-')) return false;
  let lower = false, upper = false, first = true, digit = false;
  for (const c of s) {
    const isLower = c >= 'a' && c <= 'z';
    const isUpper = c >= 'A' && c <= 'Z';
    const isDigit = c >= '0' && c <= '9';
    if (isLower && !upper) lower = true;
    else if (isUpper && !lower) upper = true;
    else if (isDigit && (lower || upper || !first)) digit = true;
    else if (c === '-' && (lower || upper || digit)) { lower = upper = digit = false; first = false; }
    else return false;
  }
  return true;
}

export type ParsedName =
  | { kind: 'label'; label: string }
  | { kind: 'constructor'; resource: string }
  | { kind: 'method'; resource: string; name: string }
  | { kind: 'static'; resource: string; name: string }
  | { kind: 'interface'; namespace: string; pkg: string; iface: string; version: string | null }
  | { kind: 'dependency' | 'url' | 'hash' };

class NameParser {
  constructor(public next: string, readonly offset: number) {}
  fail(msg: string): never { throw new ValidationError(msg, this.offset); }
  eat(p: string): boolean { if (this.next.startsWith(p)) { this.next = this.next.slice(p.length); return true; } return false; }
  expect(p: string): void { if (!this.eat(p)) this.fail(`expected \`${p}\` at \`${this.next}\``); }
  kebab(s: string): string { if (!isKebab(s)) this.fail(`\`${s}\` is not in kebab case`); return s; }
  rest(): string { const r = this.next; this.next = ''; return r; }
  takeUntil(c: string): string {
    const i = this.next.indexOf(c);
    if (i < 0) this.fail(`failed to find \`${c}\` character`);
    const r = this.next.slice(0, i); this.next = this.next.slice(i + 1); return r;
  }
  takeKebab(): string {
    const m = /[^a-zA-Z0-9-]/.exec(this.next);
    if (!m) return this.kebab(this.rest());
    const r = this.next.slice(0, m.index); this.next = this.next.slice(m.index); return this.kebab(r);
  }
  takeLowerKebab(): string {
    const k = this.takeKebab();
    const c = [...k].find((ch) => /[A-Z]/.test(ch));
    if (c) this.fail(`character \`${c}\` is not lowercase in package name/namespace`);
    return k;
  }
}

/** Parses an extern name, throwing ValidationError with wasmparser's message when it is not valid. */
export function parseExternName(name: string, offset: number): ParsedName {
  const p = new NameParser(name, offset);
  let parsed: ParsedName;
  if (p.eat('[constructor]')) parsed = { kind: 'constructor', resource: p.kebab(p.rest()) };
  else if (p.eat('[method]')) { const r = p.kebab(p.takeUntil('.')); parsed = { kind: 'method', resource: r, name: p.kebab(p.rest()) }; }
  else if (p.eat('[static]')) { const r = p.kebab(p.takeUntil('.')); parsed = { kind: 'static', resource: r, name: p.kebab(p.rest()) }; }
  else if (p.eat('unlocked-dep=') || p.eat('locked-dep=')) { p.expect('<'); p.takeUntil('>'); parsed = { kind: 'dependency' }; p.next = ''; }
  else if (p.eat('url=')) { p.expect('<'); const u = p.takeUntil('>'); if (u.includes('<')) p.fail('url cannot contain `<`'); p.next = ''; parsed = { kind: 'url' }; }
  else if (p.eat('integrity=')) { p.expect('<'); p.takeUntil('>'); parsed = { kind: 'hash' }; }
  else if (name.includes(':')) {
    const namespace = p.takeLowerKebab();
    p.expect(':');
    const pkg = p.takeLowerKebab();
    if (!p.next.startsWith('/')) p.fail('expected `/` after package name');
    p.expect('/');
    const iface = p.takeKebab();
    let version: string | null = null;
    if (p.eat('@')) version = p.rest();
    parsed = { kind: 'interface', namespace, pkg, iface, version };
  } else parsed = { kind: 'label', label: p.kebab(p.rest()) };
  if (p.next !== '') p.fail(`trailing characters found: \`${p.next}\``);
  return parsed;
}

/** A loose semver check: MAJOR.MINOR.PATCH with optional -pre and +build. */
export function isSemver(v: string): boolean {
  return /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/.test(v);
}

/**
 * The key under which names collide (Explainer.md "Name Uniqueness"):
 * comparison is ASCII-case-insensitive, and `[method]r.f` / `[static]r.f`
 * collide with each other and with the plain label `f`... as wasmparser
 * implements it: annotated names compare by their final label.
 */
export function uniquenessKey(p: ParsedName, raw: string): string {
  switch (p.kind) {
    case 'label': return `l:${p.label.toLowerCase()}`;
    case 'constructor': return `l:${p.resource.toLowerCase()}`;
    case 'method': case 'static': return `m:${p.resource.toLowerCase()}.${p.name.toLowerCase()}`;
    case 'interface': return `i:${raw.toLowerCase()}`;
    default: return `o:${raw}`;
  }
}
