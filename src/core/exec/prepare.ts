// What the interpreter computes for each function before running it: its
// prepared body (node.ts: the tree the loop walks, with resolved branches
// and fused instructions) and its frame facts (`Code`). A function is
// prepared on its first call (the loop calls `prepareCode` when it meets an
// unprepared Code), from its code decoded afresh (lazy-func.ts), so that
// instantiating a module of 12 000 functions prepares none of them and a
// call prepares only what it reaches. A module's Codes are made once
// however many times it is instantiated, so each function is prepared once;
// the AST itself is left as the decoder made it.
//
// Preparation walks the body tree with an explicit stack of open bodies,
// not by recursion, so that deeply nested blocks cannot overflow the JS
// stack. The same stack is the label stack: a branch to depth d targets
// the body d entries below the top. It also knows the static operand-stack
// height at every reachable point, which says where a branch must move its
// values and bounds the frame's size: the validator computes those heights
// (valid/operand-types.ts's operandHeights), so each instruction's stack
// effect is written once, in the validator's typing. Code after an
// unconditional branch, return or unreachable is never run and is left out.
//
// A plain block (not a loop, if or try_table) has no node: its instructions
// are spliced into the body around it, so entering it dispatches nothing
// and leaving it by its end needs no jump (clang's output is full of
// blocks: a C `switch` is a nest of them). A branch to its label continues
// in that body after the block's last node, which is known only at the
// block's end; until then the branch names the label's placeholder, and
// once the function is prepared every branch form that does (fused ones
// too) is made to continue there (fuse.ts's continueAt). Debug preparation
// keeps each block a node with its own body, as the stepper shows it.

import { Instr, funcCode, importedFuncCount, type Func, type Module } from '../syntax/ast.js';
import { F32, F64, I32, I64, isRefType, type FuncType, type ValType } from '../syntax/types.js';
import { addrTypes } from '../syntax/addr-type.js';
import { accessWidth } from '../syntax/opcodes.js';
import { O } from './ops.js';
import { P, PNode } from './node.js';
import { continueAt, emit as fuse, emitDirectCall, finishBody, fuseGets, fuseIf } from './fuse.js';
import { stepNode } from './debug-step.js';
import { operandHeights, type OperandHeights } from '../valid/operand-types.js';
import { type Handler, TryScope, tryScopes } from './exceptions.js';
import { CatchKind } from '../syntax/ast.js';
import { V128 } from '../syntax/types.js';
import { moduleFeatures } from '../syntax/features.js';
import { vectorNode } from './simd/prepare.js';
import { emitVector } from './simd/fuse.js';
import { emitBrIfNull, emitCallOfField, emitGc, finishNullTests, fuseIfNull, gcNode, isGcOp } from './gc/prepare.js';
import { rebuildStored } from './prepared-store.js';

/**
 * Code.entry's bits: not prepared yet; declared reference locals (null in
 * `refs`); declared v128 locals (zero vectors); v128 values at all (the
 * configuration needs its VecStack). A const enum, so that the loop's call
 * path reads numbers: an imported `const` costs it a load from the
 * module's cell and a check that the binding is initialised at every use.
 */
export const enum Entry { unprepared = 1, refLocals = 2, vecLocals = 4, vec = 8 }

/**
 * A function body as the interpreter runs it. Until `prepared`, only its
 * index and type are known; prepareCode fills in the rest.
 */
export class Code {
  body: PNode[] = UNPREPARED;
  /** Declared locals, after the parameters. */
  nlocals = 0;
  /**
   * Value-stack slots the frame may use: parameters, locals and the
   * highest operand stack, checked once per call instead of per push.
   */
  frameSize = 0;
  localTypes: readonly ValType[] = [];
  readonly nparams: number;
  readonly nresults: number;
  /**
   * Whether the function returns one number (i32, i64, f32 or f64): its
   * return moves that value's two words to the frame base and nothing of
   * `refs` or the vector stack (a numeric slot's `refs` entry is never read).
   */
  readonly numResult: boolean;

  constructor(
    readonly index: number,
    readonly type: FuncType,
    /** The module and function it is prepared from (released once prepared). */
    private source: { m: Module; func: Func; debug: boolean } | null,
  ) {
    this.nparams = type.params.length;
    this.nresults = type.results.length;
    this.numResult = returnsOneNumber(type);
  }

  /** Whether the module has v128 values: running this code needs the configuration's VecStack (simd/lanes.ts). */
  vec = false;
  /**
   * What a call of this code must do beyond zeroing its numeric locals, as
   * one number the call path tests once (0 for most functions): the Entry
   * bits, set by `fill`; `prepared`, `refLocals` and `vecLocals` read them.
   */
  entry: number = Entry.unprepared;

  /** Whether the fields above are filled in (prepareCode). */
  get prepared(): boolean { return (this.entry & Entry.unprepared) === 0; }
  /** Whether a declared local has a reference type (it must start as null in `refs`). */
  get refLocals(): boolean { return (this.entry & Entry.refLocals) !== 0; }
  /** Whether a declared local is a v128 (its VecStack slot must start as zero). */
  get vecLocals(): boolean { return (this.entry & Entry.vecLocals) !== 0; }

  /**
   * Prepares the body from its source (once). `stored`: rebuilt from the
   * module's stored prepared code when it has some (a deserialized
   * component's modules, prepared-store.ts), else prepared from the body.
   */
  prepare(stored = true): void {
    const src = this.source!;
    const rebuilt = src.debug || !stored ? null : rebuildStored(src.m, this.index);
    if (rebuilt !== null) return this.fill(rebuilt.body, [...this.type.params, ...rebuilt.locals], rebuilt.locals, rebuilt.maxHeight);
    // Debugging reads the function's kept tree (its instructions are the
    // ones the debugger maps to source lines); running decodes it afresh
    // and keeps nothing (lazy-func.ts).
    const code = src.debug ? { locals: src.func.locals, body: src.func.body } : funcCode(src.func);
    const localTypes = [...this.type.params, ...code.locals];
    const heights = operandHeights(src.m, src.func, code);
    const { body, maxHeight } = prepareBody(src.m, heights, localTypes, this.type, code.body, src.debug);
    this.fill(body, localTypes, code.locals, maxHeight);
  }

  private fill(body: PNode[], localTypes: readonly ValType[], locals: readonly ValType[], maxHeight: number): void {
    this.body = body;
    this.nlocals = locals.length;
    this.frameSize = localTypes.length + maxHeight + 1;
    this.localTypes = localTypes;
    this.source = null;
    this.entry = (locals.some(isRefType) ? Entry.refLocals : 0) | (locals.includes(V128) ? Entry.vecLocals : 0) | (this.vec ? Entry.vec : 0);
  }
}

/** Whether a function of `type` returns one number (Code.numResult). */
function returnsOneNumber(type: FuncType): boolean {
  const r = type.results[0];
  return type.results.length === 1 && (r === I32 || r === I64 || r === F32 || r === F64);
}

/** The body of a Code not prepared yet (never run: the loop prepares first). */
const UNPREPARED: PNode[] = [];

/** Prepares `code` if it is not yet: called before the first entry into a function. */
export function prepareCode(code: Code): void {
  if (!code.prepared) code.prepare();
}

/**
 * Prepares defined function `i` of `m` afresh, for storing (prepared-store.ts):
 * not the Code instances run, and not kept. One per module, called for each
 * of its functions.
 */
export function functionPreparer(m: Module): (i: number) => Code {
  const nimported = importedFuncCount(m);
  return (i) => {
    const func = m.funcs[i]!;
    const code = new Code(nimported + i, m.types[func.typeIdx]!, { m, func, debug: false });
    code.prepare(false);
    return code;
  };
}

/**
 * A module's Codes, one per defined function, each made when an instance
 * first makes that function (ModuleInst.funcAt: a call, ref.func, an
 * export, a table entry read): a 12 MB module of 12 669 functions of
 * which a first call reaches ~300 makes ~300 Codes, not 12 669.
 */
export class PreparedModule {
  /** Codes made so far, by defined function index (imports not included). */
  private readonly made: (Code | null)[];
  /** Whether the module has v128 values (Code.vec). */
  private readonly vec: boolean;
  /** Imported functions, which come first in the function index space. */
  readonly nimported: number;

  constructor(private readonly m: Module, private readonly debug: boolean) {
    this.made = new Array<Code | null>(m.funcs.length).fill(null);
    this.vec = moduleFeatures(m).has('simd');
    this.nimported = importedFuncCount(m);
  }

  /** The Code of defined function `i` (imports not included), made on the first request. */
  code(i: number): Code {
    return this.made[i] ?? this.make(i);
  }

  private make(i: number): Code {
    const func = this.m.funcs[i]!;
    const code = new Code(this.nimported + i, this.m.types[func.typeIdx]!, { m: this.m, func, debug: this.debug });
    code.vec = this.vec;
    this.made[i] = code;
    return code;
  }

  /** Every defined function's Code, all made now: for tools and tests, never for running. */
  get codes(): Code[] {
    return this.made.map((_, i) => this.code(i));
  }
}

const prepared = new WeakMap<Module, PreparedModule>();
const preparedForDebug = new WeakMap<Module, PreparedModule>();

/**
 * The module's Codes, one set per module however many times it is
 * instantiated (so each function is prepared once). `debug`: one node per
 * instruction (no fusion) with a step node before each (debug-step.ts),
 * for the debugger and --trace=core.
 */
export function prepareModule(m: Module, debug = false): PreparedModule {
  const cache = debug ? preparedForDebug : prepared;
  let p = cache.get(m);
  if (p === undefined) {
    p = new PreparedModule(m, debug);
    cache.set(m, p);
  }
  return p;
}

/**
 * Kinds of open body. SPLICED: a plain block's, whose instructions go
 * straight into the enclosing body (no node enters it, none leaves it): a
 * branch to its label continues in that body after the block's last node,
 * a position known only at the block's end, so such branches name the
 * label's own placeholder (`Open.label`) until the function is prepared.
 */
const BLOCK = 0, LOOP = 1, FUNC = 2, SPLICED = 3;

/**
 * Where a spliced block ends, when something branches there: no fusion may
 * take nodes on both sides of that position (a branch would land inside
 * the fused node). It stands in the body as a node no fusion pattern
 * matches, and is taken out once the function is prepared; positions are
 * counted without it (`position`).
 */
const FENCE = new PNode(O.nop, new Instr(O.nop));

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
    /** Where a branch to this label continues: loop: its own body at 0; block, if: after the node (spliced: not known yet, -1). */
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

  /** A spliced block's placeholder, which the branches to its label continue in until its end is known. */
  readonly label: PNode[] = [];
  /** Whether a branch to this (spliced) label was made. */
  targeted = false;
}

function prepareBody(
  m: Module, heights: OperandHeights, localTypes: readonly ValType[], type: FuncType, body: Instr[], debug: boolean,
): { body: PNode[]; maxHeight: number } {
  // Debugging keeps one node per instruction: fusion would merge them.
  const emit = debug ? pushNode : fuse;
  /** The module's imported functions, counted at the body's first call. */
  let nimported = -1;
  const nl = localTypes.length;
  const { mems, tables } = addrTypes(m);
  const root: PNode[] = [];
  /** Every body made, for the last step of fusion (finishBody). */
  const bodies: PNode[][] = [root];
  const open: Open[] = [new Open(body, root, FUNC, root, 0, type.results.length, 0, 0, type.results.length, null, null, 0, null)];
  let maxHeight = 0;
  // Debugging keeps every block a node of its own (one step node per instruction, in the block's body).
  const splice = !debug;
  /** Spliced labels branched to: placeholder → where their block ended. */
  const labels = new Map<PNode[], { body: PNode[]; pc: number }>();
  /** Fences in each body that has some (FENCE). */
  const fences = new Map<PNode[], number>();
  /** A node's position in `out` once the fences are taken out: where the next node goes. */
  const position = (out: PNode[]): number => out.length - (fences.get(out) ?? 0);
  /** The catch clauses' bodies (each one branch), which resolveLabels visits too. */
  const handlerBodies: PNode[][] = [];

  /** The node for a branch to depth `depth` taken at static height `h`. */
  const branch = (src: Instr, depth: number, h: number, plain: number, move: number, ret: number): PNode => {
    const target = open[open.length - 1 - depth]!;
    if (target.kind === FUNC) return new PNode(ret, src);
    const n = target.arity;
    const node = new PNode(h - n === target.height ? plain : move, src);
    if (target.kind === SPLICED) {
      // Continues where the block ends: made known by resolveLabels.
      target.targeted = true;
      node.body = target.label;
      node.a = -1;
    } else {
      node.body = target.kind === LOOP ? target.out : target.contBody;
      node.a = target.kind === LOOP ? 0 : target.contPc;
    }
    node.b = n;
    node.c = nl + target.height;
    return node;
  };

  while (open.length > 0) {
    const cur = open[open.length - 1]!;
    if (cur.dead || cur.i >= cur.instrs.length) {
      // End of the body: leave the label (its results are in place).
      if (cur.kind === SPLICED) {
        // The enclosing body goes on after the block's last node: where its branches continue.
        if (cur.targeted) {
          // Never 0: the node holding the branch comes before it. Only a
          // loop's back-edge lands at a body's start, where the loop counts fuel (interpreter.ts).
          const pc = position(cur.out);
          if (pc === 0) throw new Error('internal: a spliced block\'s end at its body\'s start');
          labels.set(cur.label, { body: cur.out, pc });
          if (cur.out[cur.out.length - 1] !== FENCE) {
            cur.out.push(FENCE);
            fences.set(cur.out, (fences.get(cur.out) ?? 0) + 1);
          }
        }
      } else if (!cur.dead) {
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
      if (!debug && op !== O.if) fuseGets(cur.out);
      if (op === O.if) cur.h--;
      const height = cur.h - np;
      if (op === O.block && splice) {
        // Its instructions go into this body, in its try scope (a block's is its parent's).
        cur.h = height + nr;
        if (cur.h > maxHeight) maxHeight = cur.h;
        open.push(new Open(instr.body!, cur.out, SPLICED, cur.out, -1, nr, height, np, nr, null, null, height + np, cur.scope));
        continue;
      }
      let node = new PNode(op === O.try_table ? O.try_table : O.block, instr);
      node.body = [];
      bodies.push(node.body);
      let scope = cur.scope;
      if (op === O.try_table) {
        // Each catch clause: a handler body holding the branch to its label
        // (relative to the try_table's context), taken with the payload
        // (and exnref) pushed at the try_table's height.
        const handlers: Handler[] = instr.catches!.map((k) => {
          const types = k.kind === CatchKind.catch || k.kind === CatchKind.catchRef ? m.types[tagTypeIndex(m, k.tag)]!.params : [];
          const n = types.length + (k.kind === CatchKind.catchRef || k.kind === CatchKind.catchAllRef ? 1 : 0);
          if (height + n > maxHeight) maxHeight = height + n;
          const body = [branch(instr, k.label, height + n, P.jump, P.br_move, P.return)];
          handlerBodies.push(body);
          return { kind: k.kind, tag: k.tag, types, body };
        });
        scope = new TryScope(handlers, nl + height, cur.scope);
      }
      if (scope !== null) tryScopes.set(node.body, scope);
      if (op === O.if) {
        node.op = O.if;
        node.else_ = instr.else_ !== null ? [] : null;
        if (node.else_ !== null) bodies.push(node.else_);
        if (!debug) node = fuseIfNull(cur.out, node) ?? fuseIf(cur.out, node);
        if (scope !== null && node.else_ !== null) tryScopes.set(node.else_, scope);
      }
      cur.out.push(node);
      const contPc = position(cur.out);
      cur.h = height + nr;
      if (cur.h > maxHeight) maxHeight = cur.h;
      open.push(new Open(
        instr.body!, node.body!, op === O.loop ? LOOP : BLOCK, cur.out, contPc,
        op === O.loop ? np : nr, height, np, nr,
        op === O.if ? instr.else_ : null, node.else_, height + np, scope,
      ));
      continue;
    }

    // The height after it: the validator's height before the next one (or
    // at the list's end). After an instruction that ends the reachable code
    // (br, br_table, return) that is the label's, so those branch from `before`.
    const before = cur.h;
    cur.h = heights.get(cur.instrs)![cur.i]!;
    if (cur.h > maxHeight) maxHeight = cur.h;
    const vnode = vectorNode(m, localTypes, mems, instr);
    if (vnode !== null) {
      if (debug) pushNode(cur.out, vnode);
      else emitVector(cur.out, vnode);
      continue;
    }
    if (isGcOp(op)) {
      // br_on_cast(_fail) branches with the reference, at the height after it.
      emitGc(cur.out, gcNode(m, instr, () => branch(instr, instr.a, cur.h, P.jump, P.br_move, P.return)), emit);
      continue;
    }
    switch (op) {
      case O.nop:
        continue;
      case O.br:
        emit(cur.out, branch(instr, instr.a, before, P.jump, P.br_move, P.return));
        cur.dead = true;
        continue;
      case O.br_if: {
        const node = branch(instr, instr.a, cur.h, O.br_if, P.br_if_move, P.br_if_return);
        if (debug || !emitBrIfNull(cur.out, node)) emit(cur.out, node);
        continue;
      }
      case O.br_table: {
        const node = new PNode(O.br_table, instr);
        // Taken with the index popped.
        const targets = instr.labels!.map((d) => branch(instr, d, before - 1, P.jump, P.br_move, P.return));
        targets.push(branch(instr, instr.a, before - 1, P.jump, P.br_move, P.return));
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
      case O.return_call: case O.return_call_indirect: case O.return_call_ref: {
        // A tail call: e = 1 tells the loop to reuse the frame.
        const node = new PNode(op, instr);
        node.a = instr.a; node.b = instr.b; node.e = 1;
        emit(cur.out, node);
        cur.dead = true;
        continue;
      }
      case O.ref_as_non_null: case O.ref_is_null:
        // Joined to a struct.get before it (gc/prepare.ts).
        emitGc(cur.out, new PNode(op === O.ref_is_null ? op : P.ref_as_non_null, instr), emit);
        continue;
      case O.br_on_null: case O.br_on_non_null: {
        // Taken without the reference (br_on_null: the height before it, less one) or with it.
        const node = new PNode(op === O.br_on_null ? P.br_on_null : P.br_on_non_null, instr);
        const h = op === O.br_on_null ? cur.h - 1 : cur.h + 1;
        node.targets = [branch(instr, instr.a, h, P.jump, P.br_move, P.return)];
        emit(cur.out, node);
        continue;
      }
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
        // Loads and stores on a memory other than 0, or on a 64-bit memory,
        // take the slow path of P.mem_access: memory 0's i32 path stays as it was.
        const other = (instr.c !== 0 || mems[instr.c] === I64) && op >= O.i32_load && op <= O.i64_store32;
        const node = new PNode(other ? P.mem_access : op, instr);
        // `| 0`: Instr.a is an int32 but for a memory64 offset of 2^32 or more (offsetImm), which P.mem_access reads from the source Instr.
        node.a = instr.a | 0; node.b = instr.b | 0; node.c = instr.c | 0;
        // call_indirect through a 64-bit table (table64): c = 1, the index is an i64.
        if (op === O.call_indirect) node.c = tables[instr.b] === I64 ? 1 : 0;
        // i64.const, f64.const: the 64 bits as two words, a low and b high (the loop writes them to the slot's two words).
        // `| 0` again: V8's Number(bigint) gives a heap number, not a Smi, for 2^31 - 1 and -2^31, and one
        // such store turns the field's representation, for every node, to double: every read of it
        // in the loop then unboxes a heap number (rich's sum: 1.4x the machine instructions; node.ts).
        if (op === O.i64_const || op === O.f64_const) { node.a = Number(BigInt.asIntN(32, instr.i64)) | 0; node.b = Number(BigInt.asIntN(32, instr.i64 >> 32n)) | 0; }
        // A load or store needs its width (for the bounds check), not its alignment hint.
        if (op >= O.i32_load && op <= O.i64_store32) node.b = accessWidth(op);
        // A call of a function the module defines may take its argument's node into it.
        if (op === O.call && !debug && instr.a >= (nimported < 0 ? (nimported = importedFuncCount(m)) : nimported)) {
          if (!emitCallOfField(cur.out, node)) emitDirectCall(cur.out, node);
        } else emit(cur.out, node);
      }
    }
  }
  if (!debug) {
    for (const [b, n] of fences) removeFences(b, n);
    if (labels.size > 0) resolveLabels([...bodies, ...handlerBodies], labels);
    const oneNumber = returnsOneNumber(type);
    for (const b of bodies) finishBody(b, oneNumber);
    for (const b of bodies) finishNullTests(b); // after every body's returns are made
  }
  return { body: root, maxHeight };
}

/** Takes the `n` fences out of `body`. */
function removeFences(body: PNode[], n: number): void {
  let k = 0;
  for (const node of body) if (node !== FENCE) body[k++] = node;
  if (body.length - k !== n) throw new Error(`internal: ${body.length - k} fences in a body that had ${n}`);
  body.length = k;
}

/**
 * Every branch to a spliced block's label (its placeholder: a node's
 * `body`, in a body, a br_table's or br_on_*'s targets, or a catch clause's
 * body) made to continue where that block ended.
 */
function resolveLabels(bodies: readonly PNode[][], labels: ReadonlyMap<PNode[], { body: PNode[]; pc: number }>): void {
  const visit = (n: PNode): void => {
    const to = n.body === null ? undefined : labels.get(n.body);
    if (to !== undefined) continueAt(n, to.body, to.pc);
    if (n.targets !== null) for (const t of n.targets) visit(t);
  };
  for (const b of bodies) for (const n of b) visit(n);
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

/** The type index of tag `x` (imports first). */
function tagTypeIndex(m: Module, x: number): number {
  let k = 0;
  for (const imp of m.imports) {
    if (imp.desc.kind === 'tag') {
      if (k === x) return imp.desc.typeIdx;
      k++;
    }
  }
  return m.tags[x - k]!.typeIdx;
}
