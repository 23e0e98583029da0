// The operand stack's types at every point of a function, as validation
// computes them: the value stack of a running function holds bare 8-byte
// slots, and a debugger needs these types to print its values.

import type { Func, FuncCode, Instr, Module } from '../syntax/ast.js';
import { WASM_3_0_SUPPORTED } from '../syntax/feature-set.js';
import { type Context, fieldContext, moduleContext } from './context.js';
import { FunctionValidator, type Operand } from './instructions.js';

/** For each instruction list of `f`, the operand types before each instruction and (last) at its end; 0 is unknown (unreachable code). */
export type OperandTypes = Map<readonly Instr[], Operand[][]>;

export function operandTypes(m: Module, f: Func): OperandTypes {
  const out: OperandTypes = new Map();
  const fv = new FunctionValidator(moduleContext(m, fieldContext(m)), WASM_3_0_SUPPORTED);
  fv.observer = (list, index, vals) => {
    let row = out.get(list);
    if (row === undefined) out.set(list, row = []);
    row[index] = vals.slice();
  };
  fv.validate(f);
  return out;
}

/** For each instruction list of a function body, the operand-stack height before each instruction and (last) at its end. */
export type OperandHeights = Map<readonly Instr[], Int32Array>;

/**
 * Function-body contexts of the modules whose bodies operandHeights has
 * walked. Kept with the module, as a function may be first called at any
 * time: for the 12 MB componentize-js module (12 669 functions) the
 * context holds 0.4 MB and takes 9 ms (warm) to 37 ms (cold) to build.
 */
const contexts = new WeakMap<Module, Context>();

/**
 * The operand-stack heights of `code` (the body of `f`, as the caller
 * decoded it: the keys are its instruction lists), as validation computes
 * them. The interpreter's preparation (exec/prepare.ts) takes every
 * instruction's stack effect from here, so instructions are typed in one
 * place, the validator. `f` must be valid: all features cmr implements are on.
 */
export function operandHeights(m: Module, f: Func, code: FuncCode): OperandHeights {
  let c = contexts.get(m);
  if (c === undefined) contexts.set(m, c = moduleContext(m, fieldContext(m)));
  const out: OperandHeights = new Map();
  const fv = new FunctionValidator(c, WASM_3_0_SUPPORTED);
  fv.observer = (list, index, vals) => {
    let row = out.get(list);
    if (row === undefined) out.set(list, row = new Int32Array(list.length + 1));
    row[index] = vals.length;
  };
  fv.validate(f, code);
  return out;
}
