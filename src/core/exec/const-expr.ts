// Evaluation of constant expressions (spec §3.3.10, §4.5.4): global
// initialisers, segment offsets and element items. They are short and run
// once per instantiation, so they are evaluated directly on a small array of
// values in the lossless representation, not through a configuration.

import type { Expr } from '../syntax/ast.js';
import { Op } from '../syntax/opcodes.js';
import { SimdOp } from '../syntax/opcodes-simd.js';
import type { Value } from '../runtime/values.js';
import type { ModuleInst } from './module-inst.js';
import { evalGcConst } from './gc/const.js';

export function evalConst(expr: Expr, inst: ModuleInst): Value {
  const stack: Value[] = [];
  for (const instr of expr) {
    switch (instr.op) {
      case Op.i32_const: case Op.f32_const: stack.push(instr.a); break;
      case Op.i64_const: case Op.f64_const: stack.push(instr.i64); break;
      case Op.ref_null: stack.push(null); break;
      case SimdOp.v128_const: stack.push(instr.bytes!.slice()); break;
      case Op.ref_func: stack.push(inst.funcAt(instr.a)); break;
      case Op.global_get: stack.push(inst.globals[instr.a]!.value); break;
      // Extended constant expressions (a WebAssembly 3.0 feature, cheap to have).
      case Op.i32_add: case Op.i32_sub: case Op.i32_mul: {
        const b = stack.pop() as number, a = stack.pop() as number;
        stack.push(instr.op === Op.i32_add ? (a + b) | 0 : instr.op === Op.i32_sub ? (a - b) | 0 : Math.imul(a, b));
        break;
      }
      case Op.i64_add: case Op.i64_sub: case Op.i64_mul: {
        const b = stack.pop() as bigint, a = stack.pop() as bigint;
        stack.push(BigInt.asIntN(64, instr.op === Op.i64_add ? a + b : instr.op === Op.i64_sub ? a - b : a * b));
        break;
      }
      default:
        if (evalGcConst(instr, stack, inst)) break;
        throw new Error(`not a constant instruction: opcode 0x${instr.op.toString(16)}`);
    }
  }
  return stack[stack.length - 1]!;
}
