// Which post-MVP features a module uses, read off its AST, so that an engine
// lacking one can say "skip: needs <feature>" instead of failing.

import { funcCode, type Instr, type Module } from './ast.js';
import { FD, Op } from './opcodes.js';
import { EXNREF, EXTERNREF, FUNCREF, V128, isRefType, type DefType, type ValType } from './types.js';

export type Feature = 'simd';

export function moduleFeatures(m: Module): Set<Feature> {
  const found = new Set<Feature>();
  // A struct or array with v128 fields (GC) moves v128s too.
  const hasV128 = (t: DefType) => t.params.includes(V128) || t.results.includes(V128) || (t.fields?.some((f) => f.type === V128) ?? false);
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
    const found = { simd: false, exceptions: false, typedRefs: false };
    for (const fn of m.funcs) {
      const code = funcCode(fn);
      addCodeFeatures(code.locals, code.body, found);
      if (found.simd && found.exceptions && found.typedRefs) break;
    }
    f = Object.freeze(found);
    known.set(m, f);
  }
  return f;
}

/** Adds to `found` what one function's locals and body use. */
function addCodeFeatures(locals: readonly ValType[], body: Instr[], found: CodeUses): void {
  noteLocalUses(found, locals);
  const work: Instr[][] = [body];
  while (work.length > 0) {
    for (const ins of work.pop()!) {
      noteUses(found, ins);
      if (ins.body !== null) work.push(ins.body);
      if (ins.else_ !== null) work.push(ins.else_);
    }
  }
}

/** Notes in `uses` what a function's declared locals need: a v128, an exnref, a typed reference. */
export function noteLocalUses(uses: CodeUses, locals: readonly ValType[]): void {
  if (locals.includes(V128)) uses.simd = true;
  if (locals.includes(EXNREF)) uses.exceptions = true;
  if (locals.some(isTypedRef)) uses.typedRefs = true;
}

/** CodeFeatures as they are gathered, instruction by instruction. */
export type CodeUses = { -readonly [K in keyof CodeFeatures]: CodeFeatures[K] };

/**
 * Notes in `uses` what one instruction needs: SIMD (a 0xFD instruction, a
 * v128 block type), exceptions (throw, throw_ref, try_table, an exnref
 * block type), typed function references (instrUsesTypedRefs). The decoder
 * calls it on every instruction of the code.
 */
export function noteUses(uses: CodeUses, ins: Instr): void {
  const op = ins.op;
  if (!uses.typedRefs && instrUsesTypedRefs(ins)) uses.typedRefs = true;
  if (op >= FD && op < FD + 0x1000) uses.simd = true;
  else if (op === Op.throw || op === Op.throw_ref || op === Op.try_table) uses.exceptions = true;
  const bt = ins.bt;
  if (bt !== null && bt.kind === 'value') {
    if (bt.type === V128) uses.simd = true;
    else if (bt.type === EXNREF) uses.exceptions = true;
  }
}

/**
 * Records what `m`'s code uses, as codeFeatures would compute it: the
 * decoder learns it while reading the bodies, and a deserialized component
 * brings it with it, so the bodies need not be decoded again to know it.
 */
export function recordCodeFeatures(m: Module, f: CodeFeatures): void {
  known.set(m, Object.freeze({ simd: f.simd, exceptions: f.exceptions, typedRefs: f.typedRefs }));
}
