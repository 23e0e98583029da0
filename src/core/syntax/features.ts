// Which post-MVP features a module uses, read off its AST, so that an engine
// lacking one can say "skip: needs <feature>" instead of failing.

import type { Instr, Module } from './ast.js';
import { FD, Op } from './opcodes.js';
import { EXNREF, EXTERNREF, FUNCREF, V128, isRefType, type FuncType, type ValType } from './types.js';

export type Feature = 'simd';

export function moduleFeatures(m: Module): Set<Feature> {
  const found = new Set<Feature>();
  const hasV128 = (t: FuncType) => t.params.includes(V128) || t.results.includes(V128);
  if (m.types.some(hasV128) || m.globals.some((g) => g.type.type === V128)
    || codeFeatures(m).simd
    || m.globals.some((g) => usesSimdOps(g.init))
    || m.imports.some((i) => i.desc.kind === 'global' && i.desc.type.type === V128)) {
    found.add('simd');
  }
  return found;
}

function usesSimdOps(body: Instr[]): boolean {
  // An explicit work list: bodies nest as deeply as the module author liked.
  const work: Instr[][] = [body];
  while (work.length > 0) {
    for (const ins of work.pop()!) {
      if (ins.op >= FD && ins.op < FD + 0x1000) return true;
      if (ins.body) work.push(ins.body);
      if (ins.else_) work.push(ins.else_);
    }
  }
  return false;
}

/** What a module's function code (locals and bodies) uses. */
export interface CodeFeatures {
  /** A v128 local, block type or 0xFD instruction. */
  readonly simd: boolean;
  /** An exnref local or block type, throw, throw_ref or try_table. */
  readonly exceptions: boolean;
  /**
   * Typed function references: a local, block type, typed select or ref.null
   * of a reference type beyond 2.0's and exnref, or call_ref,
   * return_call_ref, br_on_null, br_on_non_null, ref.as_non_null.
   */
  readonly typedRefs: boolean;
}

/** A reference type that only typed function references (or GC) can write: not funcref, externref or exnref. */
export function isTypedRef(t: ValType): boolean {
  return isRefType(t) && t !== FUNCREF && t !== EXTERNREF && t !== EXNREF;
}

const typedRefOps: ReadonlySet<number> = new Set([
  Op.call_ref, Op.return_call_ref, Op.br_on_null, Op.br_on_non_null, Op.ref_as_non_null,
]);

/** Whether an instruction needs typed function references (its opcode, block type, select type or heap type). */
function instrUsesTypedRefs(ins: Instr): boolean {
  if (typedRefOps.has(ins.op)) return true;
  if (ins.bt !== null && ins.bt.kind === 'value' && isTypedRef(ins.bt.type)) return true;
  return (ins.op === Op.select_t || ins.op === Op.ref_null) && isTypedRef(ins.a);
}

/**
 * Computed once per module: walking every body of a large module is costly,
 * and a deserialized component brings the answer with it so that its
 * bodies need not be decoded to know it (see recordCodeFeatures).
 */
const known = new WeakMap<Module, CodeFeatures>();

/** What `m`'s function code uses (walked once, then remembered). */
export function codeFeatures(m: Module): CodeFeatures {
  let f = known.get(m);
  if (f === undefined) {
    let simd = false;
    let exceptions = false;
    let typedRefs = false;
    for (const fn of m.funcs) {
      if (!simd && fn.locals.includes(V128)) simd = true;
      if (!exceptions && fn.locals.includes(EXNREF)) exceptions = true;
      if (!typedRefs && fn.locals.some(isTypedRef)) typedRefs = true;
      const work: Instr[][] = [fn.body];
      while (work.length > 0 && !(simd && exceptions && typedRefs)) {
        for (const ins of work.pop()!) {
          if (!typedRefs && instrUsesTypedRefs(ins)) typedRefs = true;
          if (ins.op >= FD && ins.op < FD + 0x1000) simd = true;
          else if (ins.op === Op.throw || ins.op === Op.throw_ref || ins.op === Op.try_table) exceptions = true;
          if (ins.bt !== null && ins.bt.kind === 'value') {
            if (ins.bt.type === V128) simd = true;
            if (ins.bt.type === EXNREF) exceptions = true;
          }
          if (ins.body !== null) work.push(ins.body);
          if (ins.else_ !== null) work.push(ins.else_);
        }
      }
      if (simd && exceptions && typedRefs) break;
    }
    f = Object.freeze({ simd, exceptions, typedRefs });
    known.set(m, f);
  }
  return f;
}

/**
 * Records what `m`'s code uses, as codeFeatures computed it for the same
 * code earlier (a deserialized module whose bodies are decoded lazily).
 */
export function recordCodeFeatures(m: Module, f: CodeFeatures): void {
  known.set(m, Object.freeze({ simd: f.simd, exceptions: f.exceptions, typedRefs: f.typedRefs }));
}
