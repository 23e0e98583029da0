// Extern names (Explainer.md "Import and Export Definitions"): plain
// kebab-case labels, `[constructor]`/`[method]`/`[static]` annotated
// names, interface names `ns:pkg/iface@version`, and the dependency forms.
// Messages are wasmparser's, which the suite's assert_invalid expects.

import { ValidationError } from '../../core/errors.js';

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
  else if (p.eat('unlocked-dep=')) {
    // The query's version range may hold `>` (`@{>=1.0.0}`): the name ends at the last one.
    p.expect('<');
    if (!p.next.endsWith('>')) p.fail('failed to find `>` character');
    pkgNameQuery(p, p.next.slice(0, -1));
    p.next = '';
    parsed = { kind: 'dependency' };
  }
  else if (p.eat('locked-dep=')) { p.expect('<'); pkgName(p, p.takeUntil('>')); optionalIntegrity(p); parsed = { kind: 'dependency' }; }
  else if (p.eat('url=')) { p.expect('<'); const u = p.takeUntil('>'); if (u.includes('<')) p.fail('url cannot contain `<`'); optionalIntegrity(p); parsed = { kind: 'url' }; }
  else if (p.eat('integrity=')) { p.expect('<'); integrity(p, p.takeUntil('>')); parsed = { kind: 'hash' }; }
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

// The dependency names of the Explainer's earlier grammar, which wasmparser
// still accepts and checks:
//   depname      ::= 'unlocked-dep=<' <pkgnamequery> '>'
//                  | 'locked-dep=<' <pkgname> '>' ( ',' <hashname> )?
//   pkgnamequery ::= <pkgpath> <verrange>?
//   pkgname      ::= <pkgpath> ( '@' <valid semver> )?
//   verrange     ::= '@*' | '@{' <verlower> '}' | '@{' <verupper> '}' | '@{' <verlower> ' ' <verupper> '}'
//   verlower     ::= '>=' <valid semver>       verupper ::= '<' <valid semver>
//   urlname      ::= 'url=<' [^<>]* '>' ( ',' <hashname> )?
//   hashname     ::= 'integrity=<' <integrity-metadata> '>'   (Subresource Integrity: sha256/384/512 and base64)

/** `ns:pkg` (lowercase kebab words on both sides of one colon); returns what follows it. */
function pkgPath(p: NameParser, text: string): string {
  const q = new NameParser(text, p.offset);
  q.takeLowerKebab();
  q.expect(':');
  q.takeLowerKebab();
  return q.next;
}

function checkSemver(p: NameParser, v: string): void {
  const why = semverError(v);
  if (why !== null) p.fail(`\`${v}\` is not a valid semver: ${why}`);
}

/** `ns:pkg@version?` */
function pkgName(p: NameParser, text: string): void {
  const rest = pkgPath(p, text);
  if (rest === '') return;
  if (!rest.startsWith('@')) p.fail(`trailing characters found: \`${rest}\``);
  checkSemver(p, rest.slice(1));
}

/** `ns:pkg` with an optional version range: `@*`, `@{>=v}`, `@{<v}`, `@{>=v <v}`. */
function pkgNameQuery(p: NameParser, text: string): void {
  const rest = pkgPath(p, text);
  if (rest === '' || rest === '@*') return;
  if (!rest.startsWith('@{') || !rest.endsWith('}')) p.fail(`expected a version range \`@*\` or \`@{...}\` at \`${rest}\``);
  const range = rest.slice(2, -1);
  const parts = range.split(' ');
  if (parts.length === 1 && parts[0]!.startsWith('>=')) return checkSemver(p, parts[0]!.slice(2));
  if (parts.length === 1 && parts[0]!.startsWith('<')) return checkSemver(p, parts[0]!.slice(1));
  if (parts.length === 2 && parts[0]!.startsWith('>=') && parts[1]!.startsWith('<')) {
    checkSemver(p, parts[0]!.slice(2));
    return checkSemver(p, parts[1]!.slice(1));
  }
  p.fail(`invalid version range \`{${range}}\`: expected \`>=v\`, \`<v\` or \`>=v <v\``);
}

/** `,integrity=<...>` after a locked dependency or a url, if present. */
function optionalIntegrity(p: NameParser): void {
  if (p.next === '') return;
  p.expect(',');
  p.expect('integrity=');
  p.expect('<');
  integrity(p, p.takeUntil('>'));
}

/**
 * Subresource Integrity metadata: hashes separated by spaces, each
 * `sha256-`, `sha384-` or `sha512-` then base64, optionally `?options`.
 * Base64 is case-sensitive: names that differ only in case are different.
 */
function integrity(p: NameParser, text: string): void {
  const hashes = text.split(/\s+/).filter((h) => h !== '');
  if (hashes.length === 0) p.fail('integrity hash cannot be empty');
  for (const h of hashes) {
    const m = /^sha(256|384|512)(.*)$/.exec(h);
    if (m === null) p.fail(`unrecognized hash algorithm: \`${h}\``);
    if (!m![2]!.startsWith('-')) p.fail(`expected \`-\` after hash algorithm: ${h}`);
    const value = m![2]!.slice(1).split('?')[0]!;
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) p.fail(`not valid base64: \`${value}\``);
  }
}


type SemverPos = 'major version number' | 'minor version number' | 'patch version number' | 'pre-release identifier' | 'build metadata';

/**
 * Why `v` is not a semver version, in the words of the Rust `semver` crate
 * (which wasm-tools uses, and whose messages the suite expects), or null
 * when it is one.
 */
export function semverError(v: string): string | null {
  if (v === '') return 'empty string, expected a semver version';
  const quote = (c: string) => (c === "'" ? "'\\''" : `'${c}'`);
  let i = 0;
  const digit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  const numeric = (pos: SemverPos): string | null => {
    const start = i;
    let value = 0n;
    while (digit(v[i])) {
      if (value === 0n && i > start) return `invalid leading zero in ${pos}`;
      value = value * 10n + BigInt(v.charCodeAt(i) - 48);
      if (value > 0xffffffffffffffffn) return `value of ${pos} exceeds u64::MAX`;
      i++;
    }
    if (i > start) return null;
    const c = [...v.slice(i)][0];
    return c !== undefined ? `unexpected character ${quote(c)} while parsing ${pos}` : `unexpected end of input while parsing ${pos}`;
  };
  const dot = (pos: SemverPos): string | null => {
    if (v[i] === '.') { i++; return null; }
    const c = [...v.slice(i)][0];
    return c !== undefined ? `unexpected character ${quote(c)} after ${pos}` : `unexpected end of input while parsing ${pos}`;
  };
  /** Dot-separated identifiers of [0-9A-Za-z-]; returns an error, or null having advanced `i`. */
  const identifier = (pos: SemverPos): string | null => {
    let segStart = i;
    let nonDigit = false;
    for (;;) {
      const c = v[i];
      if (c !== undefined && /[A-Za-z-]/.test(c)) { nonDigit = true; i++; continue; }
      if (digit(c)) { i++; continue; }
      const len = i - segStart;
      if (len === 0) return `empty identifier segment in ${pos}`;
      if (pos === 'pre-release identifier' && len > 1 && !nonDigit && v[segStart] === '0') return `invalid leading zero in ${pos}`;
      if (c !== '.') return null;
      i++;
      segStart = i;
      nonDigit = false;
    }
  };
  let pos: SemverPos = 'major version number';
  let err = numeric('major version number') ?? dot('major version number')
    ?? numeric('minor version number') ?? dot('minor version number') ?? numeric('patch version number');
  if (err !== null) return err;
  pos = 'patch version number';
  if (v[i] === '-') { i++; pos = 'pre-release identifier'; err = identifier(pos); if (err !== null) return err; }
  if (v[i] === '+') { i++; pos = 'build metadata'; err = identifier(pos); if (err !== null) return err; }
  const rest = [...v.slice(i)][0];
  if (rest !== undefined) return `unexpected character ${quote(rest)} after ${pos}`;
  return null;
}
