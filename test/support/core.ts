// Helpers the core tests share: looking up exports, and catching the one
// kind of error a test expects (anything else is rethrown, so a test never
// passes on the wrong error).

import { DecodeError, Trap, ValidationError } from '../../src/core/errors.js';
import type { FuncInst } from '../../src/core/runtime/func.js';
import type { ExternVal, ModuleInstance } from '../../src/core/runtime/instance.js';

export type ExternOf<K extends ExternVal['kind']> = Extract<ExternVal, { kind: K }>['value'];

/** The export `name` of kind `kind`; throws when there is none. */
export function exported<K extends ExternVal['kind']>(inst: ModuleInstance, name: string, kind: K): ExternOf<K> {
  const e = inst.exports.get(name);
  if (e?.kind !== kind) throw new Error(`no ${kind} export ${name}`);
  return e.value as ExternOf<K>;
}

/** The function export `name`. */
export function func(inst: ModuleInstance, name: string): FuncInst {
  return exported(inst, name, 'func');
}

/** The error of class `kind` that `f` throws; fails when it throws nothing, rethrows any other error. */
export function thrown<E extends Error>(kind: new (...args: never[]) => E, f: () => unknown): E {
  try {
    f();
  } catch (e) {
    if (e instanceof kind) return e;
    throw e;
  }
  throw new Error(`expected a ${kind.name}`);
}

export const trapOf = (f: () => unknown): Trap => thrown(Trap, f);
export const decodeError = (f: () => unknown): string => thrown(DecodeError, f).message;
export const validationError = (f: () => unknown): string => thrown(ValidationError, f).message;

/** The error `p` rejects with; fails the test when it fulfils. */
export async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}
