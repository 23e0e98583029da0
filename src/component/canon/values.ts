// Component-level values in JavaScript: what `canonLift`ed functions take and
// return, what host functions given to `canonLower` receive and produce.
//
// The representation follows jco's conventions where they are lossless:
//
//   bool                 boolean
//   s8 u8 s16 u16 s32 u32  number (an integer in the type's range)
//   s64 u64              bigint (in the type's range)
//   f32 f64              number. Lifting canonicalises every NaN
//                        (CanonicalABI.md "Loading": canonicalize_nan32/64),
//                        so there is one NaN per type and a JS NaN holds it.
//                        Lowering a NaN stores the canonical NaN: the spec
//                        lets hosts pick any NaN (maybe_scramble_nan32/64);
//                        cmr is deterministic (the deterministic profile).
//   char                 string holding exactly one Unicode scalar value
//   string               string (well-formed UTF-16: no lone surrogates)
//   list<T>, list<T, N>  array of T (list<u8> too: one shape for all lists)
//   record               plain object, one property per field, keyed by the
//                        field's label exactly as written (kebab-case kept:
//                        `{ 'first-name': 'x' }`), in declaration order
//   tuple<...>           array
//   variant              { tag: 'case-label', val?: payload }; `val` is
//                        present exactly when the case has a payload type
//   enum                 string: the case label
//   option<T>            { tag: 'none' } | { tag: 'some', val: T } — lossless
//                        for option<option<T>>, unlike null/undefined
//   result<T, E>         { tag: 'ok', val?: T } | { tag: 'err', val?: E }
//   flags                plain object with *every* label as a key and a
//                        boolean value: `{ read: true, write: false }`
//   map<K, V>            array of [key, value] pairs (keys may be any type,
//                        so a JS Map keyed by identity would be lossy)
//   own<R>, borrow<R>    ResourceValue (below)
//   error-context        ErrorContext (below)
//
// Records and flags never collide with variants because a value is always
// read together with its type.

import { resourceName as defaultResourceName, ResourceType, type ValType } from '../syntax/types.js';

export type ComponentValue =
  | boolean
  | number
  | bigint
  | string
  | ComponentValue[]
  | RecordValue
  | VariantValue
  | ResourceValue
  | ErrorContext;

export interface RecordValue { [label: string]: ComponentValue }

export interface VariantValue {
  tag: string;
  val?: ComponentValue;
}

/** A flags value: every label of the type mapped to whether it is set. */
export type FlagsValue = Record<string, boolean>;

/**
 * A resource handle as a value: the resource's type (identity is type
 * identity) and its representation, the i32 the implementing component gave
 * `resource.new`. CanonicalABI.md "Loading" (lift_own/lift_borrow): the
 * lifted value of a handle *is* its representation; the type travels with it
 * here so the receiving side can check it and so traces can name it.
 *
 * `own` values are consumed when lowered (ownership moves into a handle
 * table); lowering a consumed value again is a host error.
 */
export class ResourceValue {
  consumed = false;
  constructor(
    readonly type: ResourceType,
    readonly rep: number,
    readonly own: boolean,
  ) {}

  toString(): string {
    return this.describe();
  }

  /** `own<counter>(rep 1)`; `resourceName` names the type as the caller's context does (a TypeNames). */
  describe(resourceName?: (r: ResourceType) => string): string {
    return `${this.own ? 'own' : 'borrow'}<${resourceName?.(this.type) ?? defaultResourceName(this.type)}>(rep ${this.rep})`;
  }
}

/** An error-context value (CanonicalABI.md "canon error-context.new"). */
export class ErrorContext {
  constructor(readonly debugMessage: string) {}
}

// ---- construction helpers ----------------------------------------------------

export function variant(tag: string, val?: ComponentValue): VariantValue {
  return val === undefined ? { tag } : { tag, val };
}
export const none: VariantValue = Object.freeze({ tag: 'none' }) as VariantValue;
export function some(val: ComponentValue): VariantValue {
  return { tag: 'some', val };
}
export function ok(val?: ComponentValue): VariantValue {
  return variant('ok', val);
}
export function err(val?: ComponentValue): VariantValue {
  return variant('err', val);
}

// ---- types as text --------------------------------------------------------------

/** A value type in WIT-like syntax, for traces and messages. */
export function formatType(t: ValType | null): string {
  if (t === null) return '_';
  if (typeof t === 'string') return t;
  switch (t.kind) {
    case 'record': return `record { ${t.fields.map((f) => `${f.name}: ${formatType(f.type)}`).join(', ')} }`;
    case 'variant': return `variant { ${t.cases.map((c) => (c.type === null ? c.name : `${c.name}(${formatType(c.type)})`)).join(', ')} }`;
    case 'list': return t.length === null ? `list<${formatType(t.elem)}>` : `list<${formatType(t.elem)}, ${t.length}>`;
    case 'tuple': return `tuple<${t.types.map(formatType).join(', ')}>`;
    case 'flags': return `flags { ${t.names.join(', ')} }`;
    case 'enum': return `enum { ${t.names.join(', ')} }`;
    case 'option': return `option<${formatType(t.type)}>`;
    case 'result': return t.ok === null && t.err === null ? 'result' : `result<${formatType(t.ok)}, ${formatType(t.err)}>`;
    case 'own': return `own<${defaultResourceName(t.resource)}>`;
    case 'borrow': return `borrow<${defaultResourceName(t.resource)}>`;
    case 'stream': return t.elem === null ? 'stream' : `stream<${formatType(t.elem)}>`;
    case 'future': return t.elem === null ? 'future' : `future<${formatType(t.elem)}>`;
    case 'map': return `map<${formatType(t.key)}, ${formatType(t.value)}>`;
  }
}

// ---- values as text -------------------------------------------------------------

function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\u{${c.toString(16)}}`;
    else out += ch;
  }
  return out + '"';
}

function formatFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (Object.is(x, -0)) return '-0';
  return String(x);
}

/**
 * A value in the .wast component constant syntax: `(u32.const 1)`,
 * `(str.const "hi")`, `(record.const (field "a" (u32.const 1)))`,
 * `(variant.const "c" (u8.const 2))`, `(option.some …)`, `(result.ok …)`,
 * `(flags.const "a" "c")`, `(enum.const "red")`, `(list.const …)`,
 * `(tuple.const …)`.
 */
export function formatValue(v: ComponentValue, t: ValType, resourceName?: (r: ResourceType) => string): string {
  if (typeof t === 'string') {
    switch (t) {
      case 'bool': return `(bool.const ${v ? 'true' : 'false'})`;
      case 'f32': case 'f64': return `(${t}.const ${formatFloat(v as number)})`;
      case 'char': return `(char.const ${quote(String(v))})`;
      case 'string': return `(str.const ${quote(String(v))})`;
      case 'error-context': return `(error-context ${quote((v as ErrorContext).debugMessage)})`;
      default: return `(${t}.const ${String(v)})`;
    }
  }
  const arr = v as ComponentValue[];
  const vv = v as VariantValue;
  const payload = (x: ComponentValue | undefined, pt: ValType | null) =>
    pt === null || x === undefined ? '' : ` ${formatValue(x, pt, resourceName)}`;
  switch (t.kind) {
    case 'record':
      return `(record.const${t.fields.map((f) => ` (field ${quote(f.name)} ${formatValue((v as RecordValue)[f.name]!, f.type, resourceName)})`).join('')})`;
    case 'variant': {
      const c = t.cases.find((x) => x.name === vv.tag);
      return `(variant.const ${quote(vv.tag)}${payload(vv.val, c?.type ?? null)})`;
    }
    case 'list': return `(list.const${arr.map((x) => ` ${formatValue(x, t.elem, resourceName)}`).join('')})`;
    case 'tuple': return `(tuple.const${arr.map((x, i) => ` ${formatValue(x, t.types[i]!, resourceName)}`).join('')})`;
    case 'flags': return `(flags.const${t.names.filter((n) => (v as unknown as FlagsValue)[n]).map((n) => ` ${quote(n)}`).join('')})`;
    case 'enum': return `(enum.const ${quote(String(v))})`;
    case 'option': return vv.tag === 'none' ? '(option.none)' : `(option.some ${formatValue(vv.val!, t.type, resourceName)})`;
    case 'result': return `(result.${vv.tag}${payload(vv.val, vv.tag === 'ok' ? t.ok : t.err)})`;
    // A handle prints once, as its value says it: `own<counter>(rep 1)`.
    case 'own': case 'borrow': return v instanceof ResourceValue ? v.describe(resourceName) : `(${t.kind} ${String(v)})`;
    case 'map': return `(map.const${arr.map((p) => { const [k, x] = p as ComponentValue[]; return ` (${formatValue(k!, t.key, resourceName)} ${formatValue(x!, t.value, resourceName)})`; }).join('')})`;
    case 'stream': case 'future': return `(${t.kind} ${String(v)})`;
  }
}

// ---- equality ---------------------------------------------------------------------

function floatEqual(a: number, b: number): boolean {
  // NaNs are canonical after lifting, so NaN equals NaN; -0 and 0 differ.
  return Object.is(a, b);
}

/** Structural equality of two values of type `t`. */
export function valuesEqual(a: ComponentValue, b: ComponentValue, t: ValType): boolean {
  if (typeof t === 'string') {
    switch (t) {
      case 'f32': case 'f64': return floatEqual(a as number, b as number);
      case 'string': case 'char': return String(a) === String(b);
      case 'error-context': return a === b;
      default: return a === b;
    }
  }
  switch (t.kind) {
    case 'record': {
      const x = a as RecordValue;
      const y = b as RecordValue;
      return t.fields.every((f) => valuesEqual(x[f.name]!, y[f.name]!, f.type));
    }
    case 'tuple': {
      const x = a as ComponentValue[];
      const y = b as ComponentValue[];
      return x.length === y.length && t.types.every((ft, i) => valuesEqual(x[i]!, y[i]!, ft));
    }
    case 'list': {
      const x = a as ComponentValue[];
      const y = b as ComponentValue[];
      return x.length === y.length && x.every((e, i) => valuesEqual(e, y[i]!, t.elem));
    }
    case 'map': {
      const x = a as ComponentValue[][];
      const y = b as ComponentValue[][];
      return x.length === y.length && x.every((p, i) => valuesEqual(p[0]!, y[i]![0]!, t.key) && valuesEqual(p[1]!, y[i]![1]!, t.value));
    }
    case 'enum': return a === b;
    case 'flags': return t.names.every((n) => Boolean((a as unknown as FlagsValue)[n]) === Boolean((b as unknown as FlagsValue)[n]));
    case 'variant': case 'option': case 'result': {
      const x = a as VariantValue;
      const y = b as VariantValue;
      if (x.tag !== y.tag) return false;
      const pt = casePayloadType(t, x.tag);
      if (pt === null) return true;
      return valuesEqual(x.val!, y.val!, pt);
    }
    case 'own': case 'borrow': {
      const x = a as ResourceValue;
      const y = b as ResourceValue;
      return x.type === y.type && x.rep === y.rep;
    }
    case 'stream': case 'future': return a === b;
  }
}

function casePayloadType(t: ValType, tag: string): ValType | null {
  if (typeof t === 'string') return null;
  switch (t.kind) {
    case 'variant': return t.cases.find((c) => c.name === tag)?.type ?? null;
    case 'option': return tag === 'some' ? t.type : null;
    case 'result': return tag === 'ok' ? t.ok : t.err;
    default: return null;
  }
}

/**
 * The zero value of `t`: false, 0, 0n, '' , '\0', [] (N zeros for a
 * fixed-length list), a record or tuple of zeros, the first case of a
 * variant or enum (with a zero payload), none, ok (with a zero payload),
 * flags all false. Handles, streams, futures and error contexts have none:
 * null.
 */
export function zeroValue(t: ValType): ComponentValue | null {
  if (typeof t === 'string') {
    switch (t) {
      case 'bool': return false;
      case 's64': case 'u64': return 0n;
      case 'char': return '\0';
      case 'string': return '';
      case 'error-context': return null;
      default: return 0;
    }
  }
  if (t instanceof ResourceType) return null;
  const all = (ts: ValType[]): ComponentValue[] | null => {
    const out: ComponentValue[] = [];
    for (const x of ts) {
      const v = zeroValue(x);
      if (v === null) return null;
      out.push(v);
    }
    return out;
  };
  switch (t.kind) {
    case 'list': return t.length === null ? [] : all(new Array<ValType>(t.length).fill(t.elem));
    case 'tuple': return all(t.types);
    case 'record': {
      const vs = all(t.fields.map((f) => f.type));
      return vs === null ? null : Object.fromEntries(t.fields.map((f, i) => [f.name, vs[i]!]));
    }
    case 'variant': {
      const c = t.cases[0]!;
      if (c.type === null) return { tag: c.name };
      const v = zeroValue(c.type);
      return v === null ? null : { tag: c.name, val: v };
    }
    case 'enum': return t.names[0]!;
    case 'flags': return Object.fromEntries(t.names.map((n) => [n, false])) as ComponentValue;
    case 'option': return { tag: 'none' };
    case 'result': {
      if (t.ok === null) return { tag: 'ok' };
      const v = zeroValue(t.ok);
      return v === null ? null : { tag: 'ok', val: v };
    }
    case 'map': return [];
    case 'own': case 'borrow': case 'stream': case 'future': return null;
  }
}
