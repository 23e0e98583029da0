// Component-level values in .wast scripts: the constants of `invoke`
// arguments and `assert_return` results (wasmtime's wast syntax, which the
// component-model suites use), read against the function's component types
// into the canonical ABI's ComponentValue (canon/values.ts), matched, and
// printed back in the same syntax.
//
//   (bool.const true)  (u8.const 255)  (s64.const -1)  (f32.const nan)
//   (char.const "x")   (str.const "text")
//   (list.const v*)    (tuple.const v*)
//   (record.const (field "name" v)*)   — v may also be written unparenthesised:
//                                        (field "s" str.const "v=")
//   (variant.const "case" v?)  (enum.const "case")  (flags.const "a" "c")
//   (option.none)  (option.some v)  (result.ok v?)  (result.err v?)
//   (map.const (k v)*)  — cmr's own spelling (the suites have no map constant)
//
// Expected floats may also be `nan:canonical` or `nan:arithmetic`: lifting
// canonicalises every NaN, so each stands for the one NaN a result can be.

import { f32FromBits, f64FromBits } from '../core/runtime/values.js';
import type { ResourceType, ValType } from '../component/syntax/types.js';
import { formatType, formatValue, valuesEqual, zeroValue, type ComponentValue, type FlagsValue, type RecordValue } from '../component/canon/values.js';
import { parseF32, parseF64, parseIntBits } from './numbers.js';
import { type SExpr, type SList, type Pos, headOf, stringText, WastSyntaxError } from './sexpr.js';

/** A value form: its head (`u32.const`, `option.some`, …) and the items after it. */
interface Form {
  head: string;
  args: SExpr[];
  at: Pos;
}

function fail(at: Pos, message: string): never {
  throw new WastSyntaxError(message, at.line, at.col);
}

/** How a value of type `t` is written, e.g. `(str.const "")` (its zero value), or null for a type with none (resources, streams). */
export function valueExample(t: ValType): string | null {
  const z = zeroValue(t);
  return z === null ? null : formatValue(z, t);
}

function formOf(e: SExpr, t: ValType): Form {
  if (e.kind !== 'list' || headOf(e) === '') {
    const example = valueExample(t);
    fail(e, `expected a value of type ${formatType(t)}${example === null ? '' : ` such as ${example}`}`);
  }
  return { head: headOf(e), args: e.items.slice(1), at: e };
}

function atomArg(f: Form, i: number): string {
  const x = f.args[i];
  if (x?.kind !== 'atom') fail(x ?? f.at, `${f.head}: expected a literal`);
  return x.text;
}

function stringArg(f: Form, i: number): string {
  const x = f.args[i];
  if (x?.kind !== 'string') fail(x ?? f.at, `${f.head}: expected a string`);
  return stringText(x);
}

function arity(f: Form, n: number): void {
  if (f.args.length !== n) fail(f.at, `${f.head} takes ${n === 0 ? 'no arguments' : n === 1 ? 'one argument' : `${n} arguments`}, ${f.args.length} given`);
}

/** The one optional payload of a case (variant, result): absent exactly when the case has no type. */
function payload(f: Form, from: number, t: ValType | null, what: string): ComponentValue | undefined {
  const rest = f.args.slice(from);
  if (t === null) {
    if (rest.length !== 0) fail(f.at, `${what} has no payload`);
    return undefined;
  }
  if (rest.length !== 1) fail(f.at, `${what} needs one payload value of type ${formatType(t)}`);
  return parseComponentValue(rest[0]!, t);
}

const INT_WIDTH: Record<string, number> = { s8: 8, u8: 8, s16: 16, u16: 16, s32: 32, u32: 32, s64: 64, u64: 64 };

/** A NaN pattern of an expected result, read as the (canonical) NaN. */
const NAN_PATTERNS = new Set(['nan:canonical', 'nan:arithmetic']);

function parseForm(f: Form, t: ValType): ComponentValue {
  const expect = (head: string) => {
    if (f.head !== head) fail(f.at, `expected a value of type ${formatType(t)} (${head}), found ${f.head}`);
  };
  const literal = <T>(read: () => T): T => {
    try {
      return read();
    } catch (e) {
      if (e instanceof WastSyntaxError) throw e;
      return fail(f.at, `${f.head}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  if (typeof t === 'string') {
    switch (t) {
      case 'bool': {
        expect('bool.const'); arity(f, 1);
        const b = atomArg(f, 0);
        if (b !== 'true' && b !== 'false') fail(f.at, `bool.const takes true or false, not ${b}`);
        return b === 'true';
      }
      case 's8': case 'u8': case 's16': case 'u16': case 's32': case 'u32': case 's64': case 'u64': {
        expect(`${t}.const`); arity(f, 1);
        const w = INT_WIDTH[t]!;
        const text = atomArg(f, 0);
        const bits = literal(() => parseIntBits(text, w));
        const v = t[0] === 's' ? BigInt.asIntN(w, bits) : bits;
        // A literal of the other signedness that wraps (`u8.const -1`,
        // `s8.const 255`) is refused: component integers have one range
        // each. Hex spellings of a signed type's bit pattern are allowed.
        if ((t[0] === 'u' && text.startsWith('-') && bits !== 0n) || (t[0] === 's' && !text.startsWith('-') && v < 0n && !/0x/i.test(text))) {
          fail(f.at, `${text} is out of range for ${t}`);
        }
        return w === 64 ? v : Number(v);
      }
      case 'f32': case 'f64': {
        expect(`${t}.const`); arity(f, 1);
        const text = atomArg(f, 0);
        if (NAN_PATTERNS.has(text)) return NaN;
        return t === 'f32' ? f32FromBits(literal(() => parseF32(text))) : f64FromBits(literal(() => parseF64(text)));
      }
      case 'char': {
        expect('char.const'); arity(f, 1);
        const s = stringArg(f, 0);
        if ([...s].length !== 1) fail(f.at, `char.const takes one Unicode scalar value, got ${JSON.stringify(s)}`);
        return s;
      }
      case 'string':
        expect('str.const'); arity(f, 1);
        return stringArg(f, 0);
      case 'error-context':
        return fail(f.at, 'error-context values cannot be written in a script');
    }
  }
  switch (t.kind) {
    case 'list': {
      expect('list.const');
      if (t.length !== null && f.args.length !== t.length) fail(f.at, `expected ${t.length} elements for ${formatType(t)}, found ${f.args.length}`);
      return f.args.map((x) => parseComponentValue(x, t.elem));
    }
    case 'tuple': {
      expect('tuple.const'); arity(f, t.types.length);
      return f.args.map((x, i) => parseComponentValue(x, t.types[i]!));
    }
    case 'record': {
      expect('record.const'); arity(f, t.fields.length);
      const out: RecordValue = {};
      for (const x of f.args) {
        const field = fieldOf(x);
        const ft = t.fields.find((y) => y.name === field.name);
        if (ft === undefined) fail(x, `${formatType(t)} has no field "${field.name}"`);
        if (field.name in out) fail(x, `field "${field.name}" given twice`);
        out[field.name] = field.value.kind === 'expr' ? parseComponentValue(field.value.expr, ft.type) : parseForm(field.value.form, ft.type);
      }
      // In declaration order, as canon lowers them.
      const ordered: RecordValue = {};
      for (const ft of t.fields) ordered[ft.name] = out[ft.name]!;
      return ordered;
    }
    case 'variant': {
      expect('variant.const');
      const name = stringArg(f, 0);
      const c = t.cases.find((x) => x.name === name);
      if (c === undefined) fail(f.at, `${formatType(t)} has no case "${name}"`);
      const val = payload(f, 1, c.type, `case "${name}"`);
      return val === undefined ? { tag: name } : { tag: name, val };
    }
    case 'enum': {
      expect('enum.const'); arity(f, 1);
      const name = stringArg(f, 0);
      if (!t.names.includes(name)) fail(f.at, `${formatType(t)} has no case "${name}"`);
      return name;
    }
    case 'flags': {
      expect('flags.const');
      const out: FlagsValue = {};
      for (const n of t.names) out[n] = false;
      for (let i = 0; i < f.args.length; i++) {
        const name = stringArg(f, i);
        if (!t.names.includes(name)) fail(f.args[i]!, `${formatType(t)} has no flag "${name}"`);
        out[name] = true;
      }
      return out as unknown as ComponentValue;
    }
    case 'option': {
      if (f.head === 'option.none') { arity(f, 0); return { tag: 'none' }; }
      expect('option.some'); arity(f, 1);
      return { tag: 'some', val: parseComponentValue(f.args[0]!, t.type) };
    }
    case 'result': {
      if (f.head !== 'result.ok' && f.head !== 'result.err') fail(f.at, `expected a value of type ${formatType(t)} (result.ok or result.err), found ${f.head}`);
      const tag = f.head === 'result.ok' ? 'ok' : 'err';
      const val = payload(f, 0, tag === 'ok' ? t.ok : t.err, f.head);
      return val === undefined ? { tag } : { tag, val };
    }
    case 'map': {
      expect('map.const');
      return f.args.map((x) => {
        if (x.kind !== 'list' || x.items.length !== 2) fail(x, 'map.const entries are (key value) pairs');
        return [parseComponentValue(x.items[0]!, t.key), parseComponentValue(x.items[1]!, t.value)];
      });
    }
    case 'own': case 'borrow': case 'stream': case 'future':
      return fail(f.at, `${t.kind} values cannot be written in a script`);
  }
}

/** `(field "name" v)` where v is parenthesised, or written inline: `(field "name" str.const "x")`. */
function fieldOf(x: SExpr): { name: string; value: { kind: 'expr'; expr: SExpr } | { kind: 'form'; form: Form } } {
  if (x.kind !== 'list' || headOf(x) !== 'field') fail(x, 'record.const takes (field "name" value) items');
  const l = x as SList;
  const name = l.items[1];
  if (name?.kind !== 'string') fail(x, 'field: expected the field name as a string');
  const rest = l.items.slice(2);
  if (rest.length === 1 && rest[0]!.kind === 'list') return { name: stringText(name), value: { kind: 'expr', expr: rest[0]! } };
  const head = rest[0];
  if (head?.kind !== 'atom') fail(x, 'field: expected a value');
  return { name: stringText(name), value: { kind: 'form', form: { head: head.text, args: rest.slice(1), at: head } } };
}

/** Reads the value `e` as a value of type `t` (an `invoke` argument, an expected result). */
export function parseComponentValue(e: SExpr, t: ValType): ComponentValue {
  return parseForm(formOf(e, t), t);
}

/** Reads a whole argument list against a function's parameter types. */
export function parseComponentArgs(args: SExpr[], params: { name: string; type: ValType }[], at: Pos): ComponentValue[] {
  if (args.length !== params.length) fail(at, `the function takes ${params.length} argument${params.length === 1 ? '' : 's'}, ${args.length} given`);
  return args.map((a, i) => parseComponentValue(a, params[i]!.type));
}

/** Exact structural equality (NaN equals NaN: lifted NaNs are canonical; -0 differs from 0). */
export function componentValuesMatch(expected: ComponentValue, actual: ComponentValue, t: ValType): boolean {
  return valuesEqual(expected, actual, t);
}

/** A value in the same syntax the scripts use. */
export function formatComponentValue(v: ComponentValue, t: ValType): string {
  return formatValue(v, t);
}

/** A function's results as text: `(no results)` or the value. */
export function formatComponentResults(values: ComponentValue[], types: ValType[], resourceName?: (r: ResourceType) => string): string {
  return values.length === 0 ? '(no results)' : values.map((v, i) => formatValue(v, types[i]!, resourceName)).join(' ');
}
