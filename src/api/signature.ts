// Function signatures the host states: what `LinkerInstance.funcWrap`
// checks a host function against and what `Instance.getTypedFunc` checks an
// export against. A signature is written in WIT-like text,
//
//   'func(u32, u32) -> u32'      'func(name: string)'      '(list<u8>) -> option<string>'
//
// or as an object of types, each a WIT-like string or a component ValType
// (the only way to name a particular record, variant or resource type):
//
//   { params: ['u32', someRecordType], result: 'string' }
//
// Parameter names are never compared. In text, `own<_>` and `borrow<_>`
// match a handle of any resource, and a bare name (`file`, `point`) matches
// a handle of a resource of that name or any record, variant, enum or
// flags type (whose names the types do not keep).

import { ResourceType as ResourceTypeObject, type FuncType, type ValType } from '../component/syntax/types.js';
import { funcToWit, valTypeToWit } from '../component/print-wit.js';

/** A type in a signature: WIT-like text or a component value type. */
export type TypeSpec = string | ValType;

/** A function signature: WIT-like text, or parameter and result types. */
export type Signature = string | { params: readonly TypeSpec[]; result?: TypeSpec | null };

/** Resources standing for "any resource" (`_`) or "something named so" in text signatures. */
const placeholders = new WeakSet<ResourceTypeObject>();

function placeholder(name: string | null): ResourceTypeObject {
  const r = new ResourceTypeObject(name);
  placeholders.add(r);
  return r;
}

const PRIMS = new Set(['bool', 's8', 'u8', 's16', 'u16', 's32', 'u32', 's64', 'u64', 'f32', 'f64', 'char', 'string', 'error-context']);

/** A syntax error in a signature. */
export class SignatureError extends Error {
  override name = 'SignatureError';
}

class Reader {
  private i = 0;
  constructor(private readonly s: string) {}

  private ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
  }

  peek(): string {
    this.ws();
    return this.s[this.i] ?? '';
  }

  eat(tok: string): boolean {
    this.ws();
    if (this.s.startsWith(tok, this.i)) { this.i += tok.length; return true; }
    return false;
  }

  expect(tok: string): void {
    if (!this.eat(tok)) this.fail(`expected \`${tok}\``);
  }

  word(): string {
    this.ws();
    const m = /^[A-Za-z_][A-Za-z0-9_-]*|^[0-9]+/.exec(this.s.slice(this.i));
    if (!m) this.fail('expected a name or a type');
    this.i += m[0].length;
    return m[0];
  }

  atEnd(): boolean {
    this.ws();
    return this.i >= this.s.length;
  }

  fail(msg: string): never {
    throw new SignatureError(`signature ${JSON.stringify(this.s)}: ${msg} at column ${this.i + 1}`);
  }

  type(): ValType {
    const w = this.word();
    if (PRIMS.has(w)) return w as ValType;
    const args = (): ValType[] => {
      const out: ValType[] = [];
      this.expect('<');
      do out.push(this.type()); while (this.eat(','));
      this.expect('>');
      return out;
    };
    switch (w) {
      case 'list': {
        this.expect('<');
        const elem = this.type();
        let length: number | null = null;
        if (this.eat(',')) length = Number(this.word());
        this.expect('>');
        return { kind: 'list', elem, length };
      }
      case 'option': { const [t] = args(); if (t === undefined) this.fail('option needs a type'); return { kind: 'option', type: t }; }
      case 'tuple': return { kind: 'tuple', types: args() };
      case 'result': {
        if (this.peek() !== '<') return { kind: 'result', ok: null, err: null };
        this.expect('<');
        const ok = this.eat('_') ? null : this.type();
        const err = this.eat(',') ? this.type() : null;
        this.expect('>');
        return { kind: 'result', ok, err };
      }
      case 'own': case 'borrow': {
        this.expect('<');
        const name = this.eat('_') ? null : this.word();
        this.expect('>');
        return { kind: w, resource: placeholder(name) };
      }
      case '_': return { kind: 'own', resource: placeholder(null) };
      default: return { kind: 'own', resource: placeholder(w) };
    }
  }
}

/** Reads a type written as WIT-like text. */
export function parseTypeSpec(t: TypeSpec): ValType {
  if (typeof t !== 'string') return t;
  const r = new Reader(t);
  const out = r.type();
  if (!r.atEnd()) r.fail('unexpected text after the type');
  return out;
}

/** A signature as a FuncType (parameter names are `p0`, `p1`, ... unless written). */
export function parseSignature(sig: Signature): FuncType {
  if (typeof sig !== 'string') {
    return {
      kind: 'func', async: false,
      params: sig.params.map((p, i) => ({ name: `p${i}`, type: parseTypeSpec(p) })),
      result: sig.result === undefined || sig.result === null ? null : parseTypeSpec(sig.result),
    };
  }
  const r = new Reader(sig);
  r.eat('func');
  r.expect('(');
  const params: { name: string; type: ValType }[] = [];
  if (!r.eat(')')) {
    do {
      // `name: type` or just `type`.
      const save = (r as unknown as { i: number }).i;
      let name = `p${params.length}`;
      const w = r.word();
      if (r.eat(':')) name = w;
      else (r as unknown as { i: number }).i = save;
      params.push({ name, type: r.type() });
    } while (r.eat(','));
    r.expect(')');
  }
  const result = r.eat('->') ? r.type() : null;
  if (!r.atEnd()) r.fail('unexpected text after the signature');
  return { kind: 'func', async: false, params, result };
}

/** Whether the stated type `spec` describes the actual type `t`. */
export function typeMatches(spec: ValType, t: ValType): boolean {
  if (typeof spec === 'string' || typeof t === 'string') return spec === t;
  if ((spec.kind === 'own' || spec.kind === 'borrow') && placeholders.has(spec.resource)) {
    const name = spec.resource.name;
    if (t.kind === spec.kind && (name === null || t.resource.name === name)) return true;
    return spec.kind === 'own' && name !== null && (t.kind === 'record' || t.kind === 'variant' || t.kind === 'enum' || t.kind === 'flags');
  }
  if (spec.kind !== t.kind) return false;
  const opt = (a: ValType | null, b: ValType | null) => (a === null || b === null ? a === b : typeMatches(a, b));
  switch (spec.kind) {
    case 'record': { const u = t as typeof spec; return spec.fields.length === u.fields.length && spec.fields.every((f, i) => f.name === u.fields[i]!.name && typeMatches(f.type, u.fields[i]!.type)); }
    case 'variant': { const u = t as typeof spec; return spec.cases.length === u.cases.length && spec.cases.every((c, i) => c.name === u.cases[i]!.name && opt(c.type, u.cases[i]!.type)); }
    case 'list': { const u = t as typeof spec; return spec.length === u.length && typeMatches(spec.elem, u.elem); }
    case 'tuple': { const u = t as typeof spec; return spec.types.length === u.types.length && spec.types.every((x, i) => typeMatches(x, u.types[i]!)); }
    case 'flags': case 'enum': { const u = t as typeof spec; return spec.names.length === u.names.length && spec.names.every((n, i) => n === u.names[i]); }
    case 'option': return typeMatches(spec.type, (t as typeof spec).type);
    case 'result': { const u = t as typeof spec; return opt(spec.ok, u.ok) && opt(spec.err, u.err); }
    case 'own': case 'borrow': return spec.resource === (t as typeof spec).resource;
    case 'stream': case 'future': return opt(spec.elem, (t as typeof spec).elem);
    case 'map': { const u = t as typeof spec; return typeMatches(spec.key, u.key) && typeMatches(spec.value, u.value); }
  }
}

/**
 * Why the function type `t` does not match the signature `spec`, in words,
 * or null when it matches.
 */
export function signatureMismatch(spec: FuncType, t: FuncType): string | null {
  if (spec.params.length !== t.params.length) {
    return `expected ${spec.params.length} parameter${spec.params.length === 1 ? '' : 's'}, found ${t.params.length}`;
  }
  for (let i = 0; i < spec.params.length; i++) {
    if (!typeMatches(spec.params[i]!.type, t.params[i]!.type)) {
      return `parameter ${i} (\`${t.params[i]!.name}\`): expected ${valTypeToWit(spec.params[i]!.type)}, found ${valTypeToWit(t.params[i]!.type)}`;
    }
  }
  if (spec.result === null || t.result === null) {
    if (spec.result !== t.result) return `expected ${spec.result === null ? 'no result' : `result ${valTypeToWit(spec.result)}`}, found ${t.result === null ? 'no result' : `result ${valTypeToWit(t.result)}`}`;
  } else if (!typeMatches(spec.result, t.result)) {
    return `expected result ${valTypeToWit(spec.result)}, found ${valTypeToWit(t.result)}`;
  }
  return null;
}

/** A signature in words, for messages. */
export function formatSignature(t: FuncType): string {
  return funcToWit(t);
}
