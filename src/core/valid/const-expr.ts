// Constant expressions (spec §3.3.10 "Constant Expressions"): global
// initialisers and segment offsets and items. They are first checked to be
// constant, then typed; in WebAssembly 2.0, global.get may name only an
// immutable imported global.

import type { Expr, Module } from '../syntax/ast.js';
import type { ValType } from '../syntax/types.js';
import { F32, F64, FUNCREF, I32, I64, V128, valTypeName } from '../syntax/types.js';
import { Op } from '../syntax/opcodes.js';
import { SimdOp } from '../syntax/opcodes-simd.js';
import { type Context, fail, fieldContext, funcAt, globalAt } from './context.js';

/** Checks `expr` in context `c` (whose globals are those a constant may read). */
export function checkConstExpr(c: Context, expr: Expr, expected: ValType, at = -1): void {
  for (const ins of expr) {
    switch (ins.op) {
      case Op.i32_const: case Op.i64_const: case Op.f32_const: case Op.f64_const:
      case SimdOp.v128_const: case Op.ref_null: case Op.ref_func:
        break;
      case Op.global_get:
        if (globalAt(c, ins.a, ins.offset).mutable) fail('constant expression required', ins.offset);
        break;
      default:
        fail('constant expression required', ins.offset);
    }
  }
  const stack: ValType[] = [];
  for (const ins of expr) {
    switch (ins.op) {
      case Op.i32_const: stack.push(I32); break;
      case Op.i64_const: stack.push(I64); break;
      case Op.f32_const: stack.push(F32); break;
      case Op.f64_const: stack.push(F64); break;
      case SimdOp.v128_const: stack.push(V128); break;
      case Op.ref_null: stack.push(ins.a as ValType); break;
      case Op.ref_func: funcAt(c, ins.a, ins.offset); stack.push(FUNCREF); break;
      case Op.global_get: stack.push(globalAt(c, ins.a, ins.offset).type); break;
    }
  }
  if (stack.length !== 1 || stack[0] !== expected) {
    const found = stack.map(valTypeName).join(' ');
    fail(`type mismatch: constant expression of type [${found}] where [${valTypeName(expected)}] is expected`,
      expr[0]?.offset ?? at);
  }
}

/**
 * Checks that `expr` is a constant expression of type `expected` in module
 * `m` (as an initialiser or offset of one of its fields would be).
 */
export function validateConstExpr(m: Module, expr: Expr, expected: ValType): void {
  checkConstExpr(fieldContext(m), expr, expected);
}
