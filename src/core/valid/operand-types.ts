// The operand stack's types at every point of a function, as validation
// computes them: the value stack of a running function holds bare 8-byte
// slots, and a debugger needs these types to print its values.

import type { Func, Instr, Module } from '../syntax/ast.js';
import { fieldContext, moduleContext } from './context.js';
import { FunctionValidator, type Operand } from './instructions.js';

/** For each instruction list of `f`, the operand types before each instruction and (last) at its end; 0 is unknown (unreachable code). */
export type OperandTypes = Map<readonly Instr[], Operand[][]>;

export function operandTypes(m: Module, f: Func): OperandTypes {
  const out: OperandTypes = new Map();
  const fv = new FunctionValidator(moduleContext(m, fieldContext(m)));
  fv.observer = (list, index, vals) => {
    let row = out.get(list);
    if (row === undefined) out.set(list, row = []);
    row[index] = vals.slice();
  };
  fv.validate(f);
  return out;
}
