// Validating function bodies while the decoder reads them (decode.ts's
// BodyVisitor), so that each body is decoded once for decoding and
// validation together, instead of once to check it is well formed and again
// to validate it.
//
// The decoder must refuse a malformed module before validation says
// anything, and validateModule checks a module's parts in the reference
// interpreter's order (globals, segments, then bodies, then the rest). So
// the verdict on the bodies is only held here: validateModule takes it in
// place of its own pass over the bodies, at the same point of its order,
// throwing the first body's error there. Where the body context cannot be
// built from the sections before the code (an unknown type), nothing is
// held, and validateModule checks the bodies itself as before.

import type { BodyVisitor } from '../binary/decode.js';
import type { Func, Module } from '../syntax/ast.js';
import { ValidationError } from '../errors.js';
import { fieldContext, moduleContext } from './context.js';
import { FunctionValidator } from './instructions.js';
import type { CoreFeatures } from '../syntax/feature-set.js';

/**
 * The bodies' verdict of a module decoded with earlyBodyCheck: the first
 * body's error, or null, under the feature set it was decoded with.
 */
const verdicts = new WeakMap<Module, { error: ValidationError | null; features: CoreFeatures }>();

/** A visitor for decodeModule that validates each body as it is read. */
export function earlyBodyCheck(): BodyVisitor {
  let fv: FunctionValidator | null = null;
  let types: readonly number[] = [];
  let error: ValidationError | null = null;
  let features: CoreFeatures | null = null;
  return {
    begin(m, funcTypes, decodedWith) {
      types = funcTypes;
      features = decodedWith;
      // The module as it will be, as far as bodies can see: the data
      // section comes after the code, and bodies name data segments only
      // through the data count section (without it, decoding fails).
      const view: Module = { ...m, funcs: funcTypes.map((typeIdx): Func => ({ typeIdx, locals: [], body: [], offset: 0 })), datas: [] };
      try {
        fv = new FunctionValidator(moduleContext(view, fieldContext(view)), decodedWith);
      } catch {
        fv = null; // validateModule will find the fault in its own order
      }
    },
    body(index, offset, code) {
      if (fv === null || error !== null) return;
      try {
        fv.validate({ typeIdx: types[index]!, offset, locals: code.locals, body: code.body });
      } catch (e) {
        if (e instanceof ValidationError) error = e;
        else fv = null; // not a verdict: let validateModule meet it again
      }
    },
    end(m) {
      if (fv !== null) verdicts.set(m, { error, features: features! });
    },
  };
}

/** The verdict earlyBodyCheck reached on `m`'s bodies under `features`, if it reached one. */
export function earlyBodyVerdict(m: Module, features: CoreFeatures): { error: ValidationError | null } | undefined {
  const v = verdicts.get(m);
  return v !== undefined && sameFeatures(v.features, features) ? v : undefined;
}

function sameFeatures(a: CoreFeatures, b: CoreFeatures): boolean {
  return a === b || (Object.keys(a) as (keyof CoreFeatures)[]).every((k) => a[k] === b[k]);
}
