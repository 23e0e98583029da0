// What the interpreter computes once per module, before running any code:
// per-function frame facts (`Code`) and per-block arities, cached in
// `Instr.aux` so the loop reads them with one property load. A module is
// prepared once however many times it is instantiated.

import type { Instr, Module } from '../syntax/ast.js';
import { Op } from '../syntax/opcodes.js';
import { isRefType, type BlockType, type FuncType, type ValType } from '../syntax/types.js';

/** The arity of a block, loop or if (in `Instr.aux`). */
export class BlockInfo {
  constructor(readonly nparams: number, readonly nresults: number) {}
}

/**
 * Marks local.get/set/tee of a reference-typed local (in `Instr.aux`), so
 * the loop copies the `refs` entry along with the number slot only then.
 */
export const REF_LOCAL = Object.freeze({ refLocal: true });

/** A function body as the interpreter runs it. */
export class Code {
  constructor(
    readonly index: number,
    readonly type: FuncType,
    readonly body: Instr[],
    readonly nparams: number,
    /** Declared locals, after the parameters. */
    readonly nlocals: number,
    readonly nresults: number,
    /** Whether a declared local has a reference type (it must start as null in `refs`). */
    readonly refLocals: boolean,
    /**
     * Value-stack slots the frame may use: parameters, locals, and an upper
     * bound on the operand stack (each instruction pushes at most one value,
     * calls push their results), checked once per call instead of per push.
     */
    readonly frameSize: number,
    /** Upper bound on the labels the function has open at once, its own included. */
    readonly maxLabels: number,
    readonly localTypes: readonly ValType[],
  ) {}
}

export interface PreparedModule {
  /** One per defined function (imports not included), in index order. */
  codes: Code[];
  /** Types of all functions, imports first (the function index space). */
  funcTypes: FuncType[];
}

const prepared = new WeakMap<Module, PreparedModule>();

export function prepareModule(m: Module): PreparedModule {
  let p = prepared.get(m);
  if (p) return p;
  const funcTypes: FuncType[] = [];
  for (const imp of m.imports) if (imp.desc.kind === 'func') funcTypes.push(m.types[imp.desc.typeIdx]!);
  for (const f of m.funcs) funcTypes.push(m.types[f.typeIdx]!);
  const nimported = funcTypes.length - m.funcs.length;
  const codes = m.funcs.map((f, i) => {
    const type = m.types[f.typeIdx]!;
    const localTypes = [...type.params, ...f.locals];
    const walker = new Walker(m, funcTypes, localTypes);
    const bound = walker.walk(f.body, 1);
    return new Code(
      nimported + i, type, f.body, type.params.length, f.locals.length, type.results.length,
      f.locals.some(isRefType), localTypes.length + bound, walker.maxDepth, localTypes,
    );
  });
  p = { codes, funcTypes };
  prepared.set(m, p);
  return p;
}

export function blockArity(m: Module, bt: BlockType): BlockInfo {
  switch (bt.kind) {
    case 'empty': return EMPTY_BLOCK;
    case 'value': return ONE_RESULT;
    case 'index': {
      const t = m.types[bt.index]!;
      return new BlockInfo(t.params.length, t.results.length);
    }
  }
}

const EMPTY_BLOCK = new BlockInfo(0, 0);
const ONE_RESULT = new BlockInfo(0, 1);

class Walker {
  maxDepth = 1;
  constructor(
    readonly m: Module,
    readonly funcTypes: FuncType[],
    readonly localTypes: ValType[],
  ) {}

  /** Annotates `body` and returns an upper bound on the values it pushes. */
  walk(body: Instr[], depth: number): number {
    if (depth > this.maxDepth) this.maxDepth = depth;
    let pushes = 0;
    for (const instr of body) {
      switch (instr.op) {
        case Op.block: case Op.loop: case Op.if:
          instr.aux = blockArity(this.m, instr.bt!);
          pushes += this.walk(instr.body!, depth + 1);
          if (instr.else_) pushes += this.walk(instr.else_, depth + 1);
          break;
        case Op.local_get: case Op.local_set: case Op.local_tee:
          instr.aux = isRefType(this.localTypes[instr.a]!) ? REF_LOCAL : null;
          pushes += 1;
          break;
        case Op.call:
          pushes += Math.max(1, this.funcTypes[instr.a]!.results.length);
          break;
        case Op.call_indirect:
          pushes += Math.max(1, this.m.types[instr.a]!.results.length);
          break;
        default:
          pushes += 1;
      }
    }
    return pushes;
  }
}
