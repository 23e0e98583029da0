// Script constants as s-expressions to values and expected results: the
// glue between the reader's trees and numbers.ts, which knows the literals.

import type { ValType } from '../core/syntax/types.js';
import { HT, matchesValType, refType } from '../core/syntax/reftypes.js';

/** Script constants name no type indices: their types are abstract. */
const NO_TYPES: readonly never[] = [];
import type { Value } from '../core/runtime/values.js';
import { WastSyntaxError, type SExpr, headOf } from './sexpr.js';
import { either, type Expected, formatExpected, formatValue, matchValue, parseConst, parseExpected } from './numbers.js';

function tokens(e: SExpr): { op: string; args: string[] } {
  if (e.kind !== 'list') throw new WastSyntaxError('expected a constant such as (i32.const 1)', e.line, e.col);
  const args = e.items.slice(1).map((x) => {
    if (x.kind !== 'atom') throw new WastSyntaxError(`${headOf(e)}: unexpected argument`, x.line, x.col);
    return x.text;
  });
  return { op: headOf(e), args };
}

function located<T>(e: SExpr, f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof WastSyntaxError) throw err;
    throw new WastSyntaxError(err instanceof Error ? err.message : String(err), e.line, e.col);
  }
}

/** An argument of `invoke`, checked against the parameter's type. */
export function argValue(e: SExpr, type: ValType): Value {
  return located(e, () => {
    const { op, args } = tokens(e);
    const c = parseConst(op, args);
    // Subtyping: a null of the parameter's hierarchy, or a host reference, fits a reference parameter.
    // A host reference (ref.host) is an anyref as well as an externref (GC's any.convert_extern keeps it).
    const fits = matchesValType(c.type, type, NO_TYPES) || (op === 'ref.host' && matchesValType(refType(HT.any, false), type, NO_TYPES));
    if (!fits) throw new Error(`argument ${op} does not fit the parameter's type`);
    return c.value;
  });
}

export interface ExpectedResult {
  expected: Expected;
  text: string;
}

/** An expected result of `assert_return`, including `(either …)`. */
export function expectedResult(e: SExpr): ExpectedResult {
  return located(e, () => {
    if (headOf(e) === 'either' && e.kind === 'list') {
      const options = e.items.slice(1).map((x) => expectedResult(x).expected);
      const expected = either(options);
      return { expected, text: formatExpected(expected) };
    }
    const { op, args } = tokens(e);
    const expected = parseExpected(op, args);
    return { expected, text: formatExpected(expected) };
  });
}

export function matchResult(e: ExpectedResult, v: Value, type: ValType): boolean {
  return matchValue(e.expected, v, type);
}

export function formatResults(values: Value[], types: ValType[]): string {
  return values.length === 0 ? '(no results)' : values.map((v, i) => formatValue(v, types[i]!)).join(' ');
}
