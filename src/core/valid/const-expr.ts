// Constant expressions (spec §3.3.10 "Constant Expressions"): global
// initialisers, table initialisers, segment offsets and items. They are
// first checked to be constant, then typed. global.get may name an
// immutable global of the context it is checked in (2.0: imported globals
// only; 3.0 adds those defined before, see module.ts); extended constant
// expressions (3.0) add i32/i64 add, sub and mul.

import type { Expr, Module } from '../syntax/ast.js';
import type { ValType } from '../syntax/types.js';
import { F32, F64, FUNCREF, I32, I64, V128, valTypeName } from '../syntax/types.js';
import { concreteHeap, matchesValType, refType } from '../syntax/reftypes.js';
import { WASM_2_0, type CoreFeatures } from '../syntax/feature-set.js';
import { Op } from '../syntax/opcodes.js';
import { SimdOp } from '../syntax/opcodes-simd.js';
import { GcOp } from '../syntax/opcodes-gc.js';
import { type GcOperands, validateGcInstr } from './gc-instructions.js';
import { type Context, fail, fieldContext, funcAt, globalAt } from './context.js';

/** Checks `expr` in context `c` (whose globals are those a constant may read). */
export function checkConstExpr(c: Context, expr: Expr, expected: ValType, features: CoreFeatures = WASM_2_0, at = -1): void {
  for (const ins of expr) {
    switch (ins.op) {
      case Op.i32_const: case Op.i64_const: case Op.f32_const: case Op.f64_const:
      case SimdOp.v128_const: case Op.ref_null: case Op.ref_func:
        break;
      case Op.i32_add: case Op.i32_sub: case Op.i32_mul: case Op.i64_add: case Op.i64_sub: case Op.i64_mul:
        if (!features.extendedConst) fail('constant expression required', ins.offset);
        break;
      case Op.global_get:
        if (globalAt(c, ins.a, ins.offset).mutable) fail('constant expression required', ins.offset);
        break;
      case GcOp.struct_new: case GcOp.struct_new_default: case GcOp.array_new: case GcOp.array_new_default:
      case GcOp.array_new_fixed: case GcOp.ref_i31: case GcOp.any_convert_extern: case GcOp.extern_convert_any:
        if (!features.gc) fail('constant expression required', ins.offset);
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
      case Op.ref_null: stack.push(refType(ins.a, true)); break;
      case Op.ref_func:
        funcAt(c, ins.a, ins.offset);
        stack.push(features.functionReferences ? refType(concreteHeap(c.funcTypeIdxs[ins.a]!), false) : FUNCREF);
        break;
      case Op.global_get: stack.push(globalAt(c, ins.a, ins.offset).type); break;
      case Op.i32_add: case Op.i32_sub: case Op.i32_mul: binary(stack, I32, ins.offset); break;
      case Op.i64_add: case Op.i64_sub: case Op.i64_mul: binary(stack, I64, ins.offset); break;
      default: validateGcInstr(constOperands(stack, ins.offset, c.types), c, ins); // GC's constant instructions
    }
  }
  if (stack.length !== 1 || !matchesValType(stack[0]!, expected, c.types)) {
    const found = stack.map(valTypeName).join(' ');
    fail(`type mismatch: constant expression of type [${found}] where [${valTypeName(expected)}] is expected`,
      expr[0]?.offset ?? at);
  }
}

/** The GC rules' view of a constant expression's stack (it has no labels: no branch is constant). */
function constOperands(stack: ValType[], at: number, types: Context['types']): GcOperands {
  const pop = (): ValType => {
    const t = stack.pop();
    if (t === undefined) fail('type mismatch: expected a value, but the stack is empty', at);
    return t;
  };
  const popExpect = (t: ValType): ValType => {
    const a = pop();
    if (!matchesValType(a, t, types)) fail(`type mismatch: expected ${valTypeName(t)}, found ${valTypeName(a)}`, at);
    return a;
  };
  return {
    at,
    pushVal: (t) => { stack.push(t); },
    pushVals: (ts) => { stack.push(...ts); },
    popExpect,
    popVals: (ts) => { for (let i = ts.length - 1; i >= 0; i--) popExpect(ts[i]!); },
    popRef: () => pop(),
    label: () => fail('constant expression required', at),
    labelTypes: () => [],
  };
}

/** An extended constant's binary operation on two values of type `t`. */
function binary(stack: ValType[], t: ValType, at: number): void {
  const b = stack.pop(), a = stack.pop();
  if (a !== t || b !== t) fail(`type mismatch: instruction requires [${valTypeName(t)} ${valTypeName(t)}]`, at);
  stack.push(t);
}

/**
 * Checks that `expr` is a constant expression of type `expected` in module
 * `m` (as an initialiser or offset of one of its fields would be).
 */
export function validateConstExpr(m: Module, expr: Expr, expected: ValType, features: CoreFeatures = WASM_2_0): void {
  checkConstExpr(fieldContext(m), expr, expected, features);
}
