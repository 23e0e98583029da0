// `--invoke 'name(args…)'` (cmr run, cmr debug): the call read, and its
// arguments read as component values of the function's parameter types.
// A value that does not read says which argument it is, the parameter's
// name and type, and how a value of that type is written.

import type { ValType } from '../component/syntax/types.js';
import { formatType, type ComponentValue } from '../component/canon/values.js';
import { parseComponentValue, valueExample } from '../wast/component-values.js';
import { readSExprs, WastSyntaxError, type SExpr } from '../wast/sexpr.js';

/** A call as --invoke writes it: the function's name, its arguments as s-expressions, and each argument's text as written. */
export interface Invoke {
  name: string;
  args: SExpr[];
  texts: string[];
}

/** `name(args…)` read: the name, and the arguments as s-expressions. */
export function parseInvoke(text: string): Invoke {
  const open = text.indexOf('(');
  if (open < 0) return { name: text.trim(), args: [], texts: [] };
  const close = text.lastIndexOf(')');
  if (close < open) {
    // Unquoted, `--invoke f(u32.const 1)` reaches cmr cut at the space, its
    // rest taken for the component's path.
    throw new Error(`--invoke: ${JSON.stringify(text)} has no closing parenthesis: quote the whole call, --invoke 'name(args…)' (a shell splits it at spaces)`);
  }
  if (text.slice(close + 1).trim() !== '') throw new Error(`--invoke: expected name(args…), got ${JSON.stringify(text)}`);
  const name = text.slice(0, open).trim();
  if (name === '') throw new Error(`--invoke: no function name in ${JSON.stringify(text)}`);
  const inner = text.slice(open + 1, close);
  const comma = commaPieces(inner);
  if (comma !== null) {
    const args = comma.map((p, i) => readArgument(name, `(${p})`, p, i));
    return { name, args: args.flat(), texts: comma };
  }
  try {
    const args = readSExprs(inner);
    return { name, args, texts: args.map((a) => inner.slice(a.start, a.end)) };
  } catch (e) {
    if (!(e instanceof WastSyntaxError)) throw e;
    // Name the argument that does not read: the forms read one by one
    // (only now: splitting by parentheses alone knows no comments).
    parenPieces(inner).forEach((p, i) => readArgument(name, p, p, i));
    throw e;
  }
}

/** Argument i of `name` (`piece` as written, read as `source`), or an Error naming it. */
function readArgument(name: string, source: string, piece: string, i: number): SExpr[] {
  try {
    return readSExprs(source);
  } catch (e) {
    if (!(e instanceof WastSyntaxError)) throw e;
    throw new Error(`--invoke: argument ${i + 1} of ${name}, ${shown(piece)}: ${e.message.replace(/^\d+:\d+: /, '')}`);
  }
}

/**
 * The arguments written as s-expressions, `(u32.const 1) (str.const "a")`:
 * each top-level parenthesised form (a parenthesis inside a string does not
 * count), and the text between forms, if any, as a piece of its own.
 */
function parenPieces(inner: string): string[] {
  const pieces: string[] = [];
  let depth = 0;
  let inString = false;
  let start = -1;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (start < 0 && !/\s/.test(c)) start = i;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '(') depth++;
    else if (c === ')' && depth > 0 && --depth === 0) {
      pieces.push(inner.slice(start, i + 1));
      start = -1;
    }
  }
  if (start >= 0) pieces.push(inner.slice(start).trimEnd());
  return pieces;
}

/**
 * Both spellings of the arguments are accepted: s-expressions as in a
 * .wast file, `(u32.const 1) (str.const "a")` (null here), and the shorter
 * comma-separated `u32.const 1, str.const "a"`, whose pieces (returned
 * trimmed) are each wrapped in parentheses.
 */
function commaPieces(inner: string): string[] | null {
  if (inner.trim() === '' || inner.trim().startsWith('(')) return null;
  const pieces: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      pieces.push(inner.slice(start, i).trim());
      start = i + 1;
    }
  }
  pieces.push(inner.slice(start).trim());
  return pieces;
}

/** How WAVE (wasmtime's value syntax) writes a value, which cmr does not read: a bare literal, a list or a record. */
const WAVE_LIKE = /^(["'[{]|-?\d|true$|false$|none$|(some|ok|err)\()/;

/** The call's arguments as values of `params`' types; an argument that does not read is an Error naming it. */
export function invokeArgs(call: Invoke, params: readonly { name: string; type: ValType }[]): ComponentValue[] {
  if (call.args.length !== params.length) {
    const list = params.map((p) => `${p.name}: ${formatType(p.type)}`).join(', ');
    throw new Error(`--invoke: ${call.name} takes ${params.length} argument${params.length === 1 ? '' : 's'} (${list}), ${call.args.length} given`);
  }
  return call.args.map((a, i) => {
    const p = params[i]!;
    try {
      return parseComponentValue(a, p.type);
    } catch (e) {
      if (!(e instanceof WastSyntaxError)) throw e;
      const text = call.texts[i]!;
      // The example, unless the reader's message already gave it (an argument that is no value form at all).
      const written = valueExample(p.type);
      const example = written === null || e.message.includes(written) ? '' : `; a ${formatType(p.type)} is written like ${written.replace(/^\((.*)\)$/, '$1')}`;
      const wave = WAVE_LIKE.test(text) ? ' (cmr reads the .wast value syntax of README\'s "Command line", not WAVE)' : '';
      throw new Error(`--invoke: argument ${i + 1} of ${call.name} (${p.name}: ${formatType(p.type)}), ${shown(text)}: ${e.message.replace(/^\d+:\d+: /, '')}${example}${wave}`);
    }
  });
}

/** An argument as an error quotes it: whole when short, else its start and its length (a 100 KB argument is not one line of the error). */
function shown(text: string): string {
  const MAX = 80;
  return text.length <= MAX ? text : `${text.slice(0, MAX - 20)}… (${text.length} characters)`;
}
