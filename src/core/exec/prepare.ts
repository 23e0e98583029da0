// What the interpreter computes once per module, before running any code:
// for each function, its prepared body (node.ts: the tree the loop walks,
// with resolved branches and fused instructions) and its frame facts
// (`Code`). A module is prepared once however many times it is
// instantiated; the AST itself is left as the decoder made it.
//
// Preparation walks the body tree with an explicit stack of open bodies,
// not by recursion, so that deeply nested blocks cannot overflow the JS
// stack. The same stack is the label stack: a branch to depth d targets
// the body d entries below the top. It also tracks the static operand-stack
// height (validation guarantees one at every reachable point), which says
// where a branch must move its values and bounds the frame's size. Code
// after an unconditional branch, return or unreachable is never run and is
// left out.

import { Instr, type Module } from '../syntax/ast.js';
import { isRefType, type FuncType, type ValType } from '../syntax/types.js';
import { accessWidth } from '../syntax/opcodes.js';
import { O } from './ops.js';
import { P, PNode } from './node.js';
import { emit as fuse, fuseIf } from './fuse.js';
import { stepNode } from './debug-step.js';
import { stackDelta, tagTypeIndex } from './stack-effect.js';
import { type Handler, TryScope, tryScopes } from './exceptions.js';
import { CatchKind } from '../syntax/ast.js';

/** A function body as the interpreter runs it. */
export class Code {
  constructor(
    readonly index: number,
    readonly type: FuncType,
    readonly body: PNode[],
    readonly nparams: number,
    /** Declared locals, after the parameters. */
    readonly nlocals: number,
    readonly nresults: number,
    /** Whether a declared local has a reference type (it must start as null in `refs`). */
    readonly refLocals: boolean,
    /**
     * Value-stack slots the frame may use: parameters, locals and the
     * highest operand stack, checked once per call instead of per push.
     */
    readonly frameSize: number,
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
const preparedForDebug = new WeakMap<Module, PreparedModule>();

/**
 * `debug`: one node per instruction (no fusion) with a step node before
 * each (debug-step.ts), for the debugger and --trace=core.
 */
export function prepareModule(m: Module, debug = false): PreparedModule {
  const cache = debug ? preparedForDebug : prepared;
  let p = cache.get(m);
  if (p) return p;
  const funcTypes: FuncType[] = [];
  for (const imp of m.imports) if (imp.desc.kind === 'func') funcTypes.push(m.types[imp.desc.typeIdx]!);
  for (const f of m.funcs) funcTypes.push(m.types[f.typeIdx]!);
  const nimported = funcTypes.length - m.funcs.length;
  const codes = m.funcs.map((f, i) => {
    const type = m.types[f.typeIdx]!;
    const localTypes = [...type.params, ...f.locals];
    const { body, maxHeight } = prepareBody(m, funcTypes, localTypes, type, f.body, debug);
    return new Code(
      nimported + i, type, body, type.params.length, f.locals.length, type.results.length,
      f.locals.some(isRefType), localTypes.length + maxHeight + 1, localTypes,
    );
  });
  p = { codes, funcTypes };
  cache.set(m, p);
  return p;
}

const BLOCK = 0, LOOP = 1, FUNC = 2;

/** Stands for the instruction of an exit node that ends an empty body. */
const NO_SRC = new Instr(O.nop);

/** One open body during preparation, and the label it belongs to. */
class Open {
  /** Position in `instrs`; `dead` once the rest cannot run. */
  i = 0;
  dead = false;
  constructor(
    public instrs: Instr[],
    public out: PNode[],
    readonly kind: number,
    /** Where a branch to this label continues: loop: its own body at 0; block, if: after the node. */
    readonly contBody: PNode[],
    readonly contPc: number,
    /** Values a branch to this label keeps (a loop's parameters, a block's results). */
    readonly arity: number,
    /** Static operand-stack height at the label (params popped), above the locals. */
    readonly height: number,
    readonly nparams: number,
    readonly nresults: number,
    /** An if's else arm, still to prepare once the then arm is done. */
    public pendingElse: Instr[] | null,
    public pendingElseOut: PNode[] | null,
    /** Current static height. */
    public h: number,
    /** The innermost try_table around this body, if any. */
    readonly scope: TryScope | null,
  ) {}
}

function prepareBody(
  m: Module, funcTypes: readonly FuncType[], localTypes: readonly ValType[], type: FuncType, body: Instr[], debug: boolean,
): { body: PNode[]; maxHeight: number } {
  // Debugging keeps one node per instruction: fusion would merge them.
  const emit = debug ? pushNode : fuse;
  const nl = localTypes.length;
  const root: PNode[] = [];
  const open: Open[] = [new Open(body, root, FUNC, root, 0, type.results.length, 0, 0, type.results.length, null, null, 0, null)];
  let maxHeight = 0;

  /** The node for a branch to depth `depth` taken at static height `h`. */
  const branch = (src: Instr, depth: number, h: number, plain: number, move: number, ret: number): PNode => {
    const target = open[open.length - 1 - depth]!;
    if (target.kind === FUNC) return new PNode(ret, src);
    const n = target.arity;
    const node = new PNode(h - n === target.height ? plain : move, src);
    node.body = target.kind === LOOP ? target.out : target.contBody;
    node.a = target.kind === LOOP ? 0 : target.contPc;
    node.b = n;
    node.c = nl + target.height;
    return node;
  };

  while (open.length > 0) {
    const cur = open[open.length - 1]!;
    if (cur.dead || cur.i >= cur.instrs.length) {
      // End of the body: leave the label (its results are in place).
      if (!cur.dead) {
        if (debug) cur.out.push(stepNode(cur.instrs, cur.instrs.length, cur.instrs[cur.instrs.length - 1] ?? NO_SRC));
        if (cur.kind === FUNC) {
          cur.out.push(new PNode(P.return, cur.instrs[cur.instrs.length - 1] ?? NO_SRC));
        } else {
          const j = new PNode(P.jump, cur.instrs[cur.instrs.length - 1] ?? NO_SRC);
          j.body = cur.contBody; j.a = cur.contPc;
          cur.out.push(j);
        }
      }
      if (cur.pendingElse !== null) {
        cur.instrs = cur.pendingElse; cur.out = cur.pendingElseOut!;
        cur.pendingElse = null; cur.pendingElseOut = null;
        cur.i = 0; cur.dead = false; cur.h = cur.height + cur.nparams;
        continue;
      }
      open.pop();
      continue;
    }

    const instr = cur.instrs[cur.i++]!;
    const op = instr.op;
    if (debug) cur.out.push(stepNode(cur.instrs, cur.i - 1, instr));
    if (op === O.block || op === O.loop || op === O.if || op === O.try_table) {
      const [np, nr] = blockArity(m, instr);
      if (op === O.if) cur.h--;
      const height = cur.h - np;
      let node = new PNode(op === O.try_table ? O.try_table : O.block, instr);
      node.body = [];
      let scope = cur.scope;
      if (op === O.try_table) {
        // Each catch clause: a handler body holding the branch to its label
        // (relative to the try_table's context), taken with the payload
        // (and exnref) pushed at the try_table's height.
        const handlers: Handler[] = instr.catches!.map((k) => {
          const types = k.kind === CatchKind.catch || k.kind === CatchKind.catchRef ? m.types[tagTypeIndex(m, k.tag)]!.params : [];
          const n = types.length + (k.kind === CatchKind.catchRef || k.kind === CatchKind.catchAllRef ? 1 : 0);
          if (height + n > maxHeight) maxHeight = height + n;
          return { kind: k.kind, tag: k.tag, types, body: [branch(instr, k.label, height + n, P.jump, P.br_move, P.return)] };
        });
        scope = new TryScope(handlers, nl + height, cur.scope);
      }
      if (scope !== null) tryScopes.set(node.body, scope);
      if (op === O.if) {
        node.op = O.if;
        node.else_ = instr.else_ !== null ? [] : null;
        if (!debug) node = fuseIf(cur.out, node);
        if (scope !== null && node.else_ !== null) tryScopes.set(node.else_, scope);
      }
      cur.out.push(node);
      const contPc = cur.out.length;
      cur.h = height + nr;
      if (cur.h > maxHeight) maxHeight = cur.h;
      open.push(new Open(
        instr.body!, node.body!, op === O.loop ? LOOP : BLOCK, cur.out, contPc,
        op === O.loop ? np : nr, height, np, nr,
        op === O.if ? instr.else_ : null, node.else_, height + np, scope,
      ));
      continue;
    }

    const delta = stackDelta(m, funcTypes, instr);
    if (Number.isNaN(delta)) {
      emit(cur.out, new PNode(P.unsupported, instr));
      cur.dead = true;
      continue;
    }
    cur.h += delta;
    if (cur.h > maxHeight) maxHeight = cur.h;
    switch (op) {
      case O.nop:
        continue;
      case O.br:
        emit(cur.out, branch(instr, instr.a, cur.h, P.jump, P.br_move, P.return));
        cur.dead = true;
        continue;
      case O.br_if:
        emit(cur.out, branch(instr, instr.a, cur.h, O.br_if, P.br_if_move, P.br_if_return));
        continue;
      case O.br_table: {
        const node = new PNode(O.br_table, instr);
        const targets = instr.labels!.map((d) => branch(instr, d, cur.h, P.jump, P.br_move, P.return));
        targets.push(branch(instr, instr.a, cur.h, P.jump, P.br_move, P.return));
        node.targets = targets;
        node.a = targets.length - 1;
        emit(cur.out, node);
        cur.dead = true;
        continue;
      }
      case O.return:
        emit(cur.out, new PNode(P.return, instr));
        cur.dead = true;
        continue;
      case O.unreachable:
        emit(cur.out, new PNode(O.unreachable, instr));
        cur.dead = true;
        continue;
      case O.local_get: case O.local_set: case O.local_tee: {
        const ref = isRefType(localTypes[instr.a]!);
        const node = new PNode(!ref ? op : op === O.local_get ? P.local_get_ref : op === O.local_set ? P.local_set_ref : P.local_tee_ref, instr);
        node.a = instr.a;
        emit(cur.out, node);
        continue;
      }
      default: {
        // Loads and stores on a memory other than 0 take the slow path of P.mem_access.
        const other = instr.c !== 0 && op >= O.i32_load && op <= O.i64_store32;
        const node = new PNode(other ? P.mem_access : op, instr);
        // `| 0`: a memory offset of 2^31 or more would otherwise be a double (read back with `>>> 0`).
        node.a = instr.a | 0; node.b = instr.b | 0; node.c = instr.c | 0;
        node.i64 = instr.i64;
        // A load or store needs its width (for the bounds check), not its alignment hint.
        if (op >= O.i32_load && op <= O.i64_store32) node.b = accessWidth(op);
        emit(cur.out, node);
      }
    }
  }
  return { body: root, maxHeight };
}

function blockArity(m: Module, instr: Instr): [number, number] {
  const bt = instr.bt!;
  switch (bt.kind) {
    case 'empty': return [0, 0];
    case 'value': return [0, 1];
    case 'index': {
      const t = m.types[bt.index]!;
      return [t.params.length, t.results.length];
    }
  }
}

function pushNode(out: PNode[], node: PNode): void {
  out.push(node);
}
