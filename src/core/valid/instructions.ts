// Validation of function bodies: the algorithm of the spec's appendix
// "Validation Algorithm", with an operand stack and a control stack.
//
// The AST nests block bodies, but walking them recursively would overflow
// the JS stack on deeply nested code, so each control frame also records
// which instruction list it is walking and where it is in it: the walk is a
// loop over the control stack.

import { CatchKind, funcCode, memOffset, type Func, type FuncCode, type Instr } from '../syntax/ast.js';
import type { AddrType, BlockType, FuncType, ValType } from '../syntax/types.js';
import { EXNREF, EXTERNREF, F32, F64, FUNCREF, I32, I64, V128, isRefType, valTypeName } from '../syntax/types.js';
import {
  BOT_HEAP, HT, NON_NULL, concreteHeap, isDefaultable, matchesValType, matchesValTypes, refType,
} from '../syntax/reftypes.js';
import { accessWidth, FD, Op } from '../syntax/opcodes.js';
import { SimdImm, simdOps } from '../syntax/opcodes-simd.js';
import { addrTypeOf, minAddrType, offsetBound } from '../syntax/addr-type.js';
import { WASM_2_0, words3_0, type CoreFeatures } from '../syntax/feature-set.js';
import {
  type Context, checkHeapType, checkValType, dataAt, elemAt, fail, funcAt, globalAt, memAt, tableAt, tagAt, funcTypeAt,
} from './context.js';
import { laneType, signatures } from './signatures.js';
import { isGcOp } from '../syntax/opcodes-gc.js';
import { validateGcInstr } from './gc-instructions.js';

/** An operand whose type is not known because the code after it is unreachable. */
const UNKNOWN = 0;
export type Operand = ValType | typeof UNKNOWN;

const NONE: readonly ValType[] = [];
const EMPTY_BLOCK: FuncType = { params: [], results: [] };
const VALUE_BLOCKS: Record<number, FuncType> = {};
for (const t of [I32, I64, F32, F64, V128, FUNCREF, EXTERNREF, EXNREF] as ValType[]) VALUE_BLOCKS[t] = { params: [], results: [t] };

export interface Frame {
  /** block, loop, if, or else (0x05); the function body counts as a block. */
  op: number;
  start: readonly ValType[];
  end: readonly ValType[];
  height: number;
  unreachable: boolean;
  /** The instructions this frame walks, and the next one to check. */
  list: readonly Instr[];
  next: number;
  /** The `if` instruction of an if frame (for its else arm). */
  owner: Instr | null;
  /** Height of the log of initialised locals when the frame began: the block's end forgets what it initialised. */
  inits: number;
}

function typeName(t: Operand): string {
  return t === UNKNOWN ? '_' : valTypeName(t);
}

/** Value type loaded or stored by a non-SIMD memory instruction. */
function memoryValueType(op: number): ValType {
  switch (op) {
    case Op.i32_load: case Op.i32_load8_s: case Op.i32_load8_u: case Op.i32_load16_s: case Op.i32_load16_u:
    case Op.i32_store: case Op.i32_store8: case Op.i32_store16:
      return I32;
    case Op.f32_load: case Op.f32_store:
      return F32;
    case Op.f64_load: case Op.f64_store:
      return F64;
    default:
      return I64;
  }
}

export class FunctionValidator {
  private vals: Operand[] = [];
  private ctrls: Frame[] = [];
  private locals: ValType[] = [];
  /**
   * Which locals are initialised (3.0, spec §3.4.1: a non-defaultable local
   * must be set before it is read), and the log of those set inside the
   * open blocks, undone at each block's end.
   */
  private inits: boolean[] = [];
  private initLog: number[] = [];
  private results: readonly ValType[] = NONE;
  /** Offset of the instruction being checked, for error messages. */
  at = -1;
  /**
   * Sees the operand types before each instruction (`list[index]`) and at
   * the end of each instruction list (index = its length): what a debugger
   * shows the value stack with (operand-types.ts). Null when validating.
   */
  observer: ((list: readonly Instr[], index: number, vals: readonly Operand[]) => void) | null = null;

  constructor(private readonly c: Context, private readonly features: CoreFeatures = WASM_2_0) {}

  /** `code`: the body, decoded for this check only unless the caller has it (a lazily decoded function keeps no tree). */
  validate(func: Func, code: FuncCode = funcCode(func)): void {
    const type = funcTypeAt(this.c, func.typeIdx, func.offset);
    for (const t of code.locals) checkValType(this.c, t, func.offset);
    this.locals = type.params.concat(code.locals);
    const nparams = type.params.length;
    this.inits = this.locals.map((t, i) => i < nparams || isDefaultable(t));
    this.initLog.length = 0;
    this.results = type.results;
    this.vals.length = 0;
    this.ctrls.length = 0;
    this.at = func.offset;
    this.pushCtrl(Op.block, NONE, type.results, code.body, null);
    this.run();
  }

  private run(): void {
    const ctrls = this.ctrls;
    while (ctrls.length > 0) {
      const frame = ctrls[ctrls.length - 1]!;
      if (frame.next < frame.list.length) {
        const ins = frame.list[frame.next++]!;
        this.at = ins.offset;
        this.observer?.(frame.list, frame.next - 1, this.vals);
        this.instr(ins);
        continue;
      }
      this.observer?.(frame.list, frame.list.length, this.vals);
      // End of the instruction list: an `if` goes on to its else arm (an
      // absent one is empty, so its results must equal its parameters).
      const done = this.popCtrl();
      if (done.op === Op.if) {
        this.pushCtrl(0x05, done.start, done.end, done.owner!.else_ ?? [], null);
      } else {
        this.pushVals(done.end);
      }
    }
  }

  // --- the operand stack -------------------------------------------------

  pushVal(t: Operand): void {
    this.vals.push(t);
  }

  pushVals(ts: readonly ValType[]): void {
    for (const t of ts) this.vals.push(t);
  }

  popVal(): Operand {
    const frame = this.ctrls[this.ctrls.length - 1]!;
    if (this.vals.length === frame.height) {
      if (frame.unreachable) return UNKNOWN;
      fail('type mismatch: expected a value, but the stack is empty', this.at);
    }
    return this.vals.pop()!;
  }

  popExpect(expected: Operand): Operand {
    const actual = this.popVal();
    if (actual !== expected && actual !== UNKNOWN && expected !== UNKNOWN && !matchesValType(actual, expected, this.c.types)) {
      fail(`type mismatch: expected ${typeName(expected)}, found ${typeName(actual)}`, this.at);
    }
    return actual;
  }

  /**
   * Pops operands of types `ts` (the last on top). A mismatch is worded as
   * the reference interpreter words it, for the instruction's operands as a
   * whole: "type mismatch: instruction requires [i32] but stack has []".
   */
  popVals(ts: readonly ValType[]): void {
    const frame = this.ctrls[this.ctrls.length - 1]!;
    const n = ts.length;
    for (let i = 0; i < n; i++) {
      const j = this.vals.length - n + i;
      const actual = j < frame.height ? (frame.unreachable ? UNKNOWN : null) : this.vals[j]!;
      if (actual === null || (actual !== UNKNOWN && !matchesValType(actual, ts[i]!, this.c.types))) {
        const have = this.vals.slice(Math.max(frame.height, this.vals.length - n));
        fail(`type mismatch: instruction requires [${ts.map(typeName).join(' ')}] but stack has [${have.map(typeName).join(' ')}]`, this.at);
      }
    }
    for (let i = n - 1; i >= 0; i--) this.popVal();
  }

  /** A reference operand (an unknown one is (ref bot), which matches every reference type). */
  popRef(): ValType {
    const t = this.popVal();
    if (t === UNKNOWN) return refType(BOT_HEAP, false);
    if (!isRefType(t)) fail(`type mismatch: expected a reference, found ${typeName(t)}`, this.at);
    return t;
  }

  // --- the control stack -------------------------------------------------

  private pushCtrl(op: number, start: readonly ValType[], end: readonly ValType[], list: readonly Instr[], owner: Instr | null): void {
    this.ctrls.push({ op, start, end, height: this.vals.length, unreachable: false, list, next: 0, owner, inits: this.initLog.length });
    this.pushVals(start);
  }

  private popCtrl(): Frame {
    const frame = this.ctrls[this.ctrls.length - 1]!;
    this.popVals(frame.end);
    if (this.vals.length !== frame.height) {
      fail(`type mismatch: ${this.vals.length - frame.height} values left at the end of a block`, this.at);
    }
    this.ctrls.pop();
    while (this.initLog.length > frame.inits) this.inits[this.initLog.pop()!] = false;
    return frame;
  }

  labelTypes(frame: Frame): readonly ValType[] {
    return frame.op === Op.loop ? frame.start : frame.end;
  }

  label(depth: number): Frame {
    const frame = this.ctrls[this.ctrls.length - 1 - depth];
    if (frame === undefined || depth < 0) fail(`unknown label ${depth}`, this.at);
    return frame;
  }

  setUnreachable(): void {
    const frame = this.ctrls[this.ctrls.length - 1]!;
    this.vals.length = frame.height;
    frame.unreachable = true;
  }

  private blockType(bt: BlockType): FuncType {
    switch (bt.kind) {
      case 'empty': return EMPTY_BLOCK;
      case 'value':
        checkValType(this.c, bt.type, this.at);
        return VALUE_BLOCKS[bt.type] ?? { params: [], results: [bt.type] };
      case 'index': return funcTypeAt(this.c, bt.index, this.at);
    }
  }

  // --- instructions ------------------------------------------------------

  private local(x: number): ValType {
    const t = this.locals[x];
    if (t === undefined) fail(`unknown local ${x}`, this.at);
    return t;
  }

  private setLocal(x: number): ValType {
    const t = this.local(x);
    if (!this.inits[x]) {
      this.inits[x] = true;
      this.initLog.push(x);
    }
    return t;
  }

  /**
   * A call of type `t`, its callee's operands popped: the results pushed,
   * or (a tail call) checked to be what this function returns, the callee's
   * results becoming the caller's.
   */
  private call(t: FuncType, tail: boolean): void {
    this.popVals(t.params);
    if (!tail) {
      this.pushVals(t.results);
      return;
    }
    if (!matchesValTypes(t.results, this.results, this.c.types)) {
      fail('type mismatch: the tail-called function\'s results do not match the caller\'s', this.at);
    }
    this.setUnreachable();
  }

  private checkAlignment(align: number, natural: number): void {
    if (align > natural) fail('alignment must not be larger than natural', this.at);
  }

  /**
   * A memarg of a load or store: its memory, alignment (below the natural
   * one) and offset (within the memory's address type, checked after the
   * alignment, as the reference interpreter does). Returns the address type.
   */
  private memarg(ins: Instr, natural: number): AddrType {
    const t = addrTypeOf(memAt(this.c, ins.c, this.at));
    this.checkAlignment(ins.b, natural);
    if (memOffset(ins) > offsetBound(t)) fail('offset out of range', this.at);
    return t;
  }

  /** The address type of memory `x` ("unknown memory" when there is none). */
  private memAddr(x: number): AddrType {
    return addrTypeOf(memAt(this.c, x, this.at));
  }

  private instr(ins: Instr): void {
    const op = ins.op;
    const c = this.c;

    const s = signatures.get(op);
    if (s !== undefined) {
      this.popVals(s.params);
      this.pushVals(s.results);
      return;
    }
    if (op >= FD) {
      this.simd(ins);
      return;
    }
    if (isGcOp(op) && this.features.gc) {
      validateGcInstr(this, c, ins);
      return;
    }

    switch (op) {
      case Op.unreachable:
        this.setUnreachable();
        return;
      case Op.nop:
        return;

      case Op.block:
      case Op.loop: {
        const t = this.blockType(ins.bt!);
        this.popVals(t.params);
        this.pushCtrl(op, t.params, t.results, ins.body!, null);
        return;
      }
      case Op.if: {
        const t = this.blockType(ins.bt!);
        this.popExpect(I32);
        this.popVals(t.params);
        this.pushCtrl(op, t.params, t.results, ins.body!, ins);
        return;
      }

      case Op.try_table: {
        const t = this.blockType(ins.bt!);
        // Catch labels are relative to the context outside the try_table.
        for (const k of ins.catches!) {
          const types = this.labelTypes(this.label(k.label));
          let sent: readonly ValType[] = NONE;
          if (k.kind === CatchKind.catch || k.kind === CatchKind.catchRef) sent = tagAt(c, k.tag, this.at).params;
          if (k.kind === CatchKind.catchRef || k.kind === CatchKind.catchAllRef) sent = [...sent, refType(HT.exn, false)]; // a caught exception is never null
          if (!matchesValTypes(sent, types, c.types)) fail('type mismatch: catch clause does not match its label', this.at);
        }
        this.popVals(t.params);
        this.pushCtrl(op, t.params, t.results, ins.body!, null);
        return;
      }
      case Op.throw: {
        const t = tagAt(c, ins.a, this.at);
        this.popVals(t.params);
        this.setUnreachable();
        return;
      }
      case Op.throw_ref:
        this.popExpect(EXNREF);
        this.setUnreachable();
        return;

      case Op.br:
        this.popVals(this.labelTypes(this.label(ins.a)));
        this.setUnreachable();
        return;
      case Op.br_if: {
        const types = this.labelTypes(this.label(ins.a));
        this.popExpect(I32);
        this.popVals(types);
        this.pushVals(types);
        return;
      }
      case Op.br_table: {
        this.popExpect(I32);
        const defaultTypes = this.labelTypes(this.label(ins.a));
        const arity = defaultTypes.length;
        for (const depth of ins.labels!) {
          const types = this.labelTypes(this.label(depth));
          if (types.length !== arity) fail('type mismatch: br_table labels have different arities', this.at);
          // Pop and push back, so that every label is checked against the
          // same operands (unknown ones stay unknown).
          const popped: Operand[] = [];
          for (let i = types.length - 1; i >= 0; i--) popped.push(this.popExpect(types[i]!));
          for (let i = popped.length - 1; i >= 0; i--) this.pushVal(popped[i]!);
        }
        this.popVals(defaultTypes);
        this.setUnreachable();
        return;
      }
      case Op.return:
        this.popVals(this.results);
        this.setUnreachable();
        return;

      case Op.call: case Op.return_call:
        this.call(funcAt(c, ins.a, this.at), op === Op.return_call);
        return;
      case Op.call_indirect: case Op.return_call_indirect: {
        const table = tableAt(c, ins.b, this.at);
        if (!matchesValType(table.elem, FUNCREF, c.types)) fail('type mismatch: call_indirect needs a funcref table', this.at);
        const t = funcTypeAt(c, ins.a, this.at);
        this.popExpect(addrTypeOf(table));
        this.call(t, op === Op.return_call_indirect);
        return;
      }
      case Op.call_ref: case Op.return_call_ref: {
        const t = funcTypeAt(c, ins.a, this.at);
        this.popExpect(refType(concreteHeap(ins.a), true));
        this.call(t, op === Op.return_call_ref);
        return;
      }
      case Op.ref_as_non_null:
        this.pushVal(this.popRef() | NON_NULL);
        return;
      case Op.br_on_null: {
        const rt = this.popRef();
        const types = this.labelTypes(this.label(ins.a));
        this.popVals(types);
        this.pushVals(types);
        this.pushVal(rt | NON_NULL);
        return;
      }
      case Op.br_on_non_null: {
        const rt = this.popRef();
        const types = this.labelTypes(this.label(ins.a));
        const last = types[types.length - 1];
        if (last === undefined || !matchesValType(rt | NON_NULL, last, c.types)) {
          fail('type mismatch: br_on_non_null\'s label does not take the reference', this.at);
        }
        const rest = types.slice(0, -1);
        this.popVals(rest);
        this.pushVals(rest);
        return;
      }

      case Op.drop:
        this.popVal();
        return;
      case Op.select: {
        this.popExpect(I32);
        const t1 = this.popVal();
        const t2 = this.popVal();
        if ((t1 !== UNKNOWN && isRefType(t1)) || (t2 !== UNKNOWN && isRefType(t2))) {
          fail('type mismatch: select without a type needs numeric or vector operands', this.at);
        }
        if (t1 !== t2 && t1 !== UNKNOWN && t2 !== UNKNOWN) {
          fail(`type mismatch: select operands ${typeName(t2)} and ${typeName(t1)}`, this.at);
        }
        this.pushVal(t1 === UNKNOWN ? t2 : t1);
        return;
      }
      case Op.select_t: {
        if (ins.b !== 1) fail('invalid result arity', this.at);
        const t = ins.a as ValType;
        checkValType(c, t, this.at);
        this.popExpect(I32);
        this.popExpect(t);
        this.popExpect(t);
        this.pushVal(t);
        return;
      }

      case Op.local_get: {
        const t = this.local(ins.a);
        if (!this.inits[ins.a]) fail('uninitialized local', this.at);
        this.pushVal(t);
        return;
      }
      case Op.local_set:
        this.popExpect(this.setLocal(ins.a));
        return;
      case Op.local_tee: {
        const t = this.setLocal(ins.a);
        this.popExpect(t);
        this.pushVal(t);
        return;
      }
      case Op.global_get:
        this.pushVal(globalAt(c, ins.a, this.at).type);
        return;
      case Op.global_set: {
        const g = globalAt(c, ins.a, this.at);
        if (!g.mutable) fail(words3_0(this.features) ? 'immutable global' : 'global is immutable', this.at);
        this.popExpect(g.type);
        return;
      }

      case Op.table_get: {
        const tt = tableAt(c, ins.a, this.at);
        this.popExpect(addrTypeOf(tt));
        this.pushVal(tt.elem);
        return;
      }
      case Op.table_set: {
        const tt = tableAt(c, ins.a, this.at);
        this.popExpect(tt.elem);
        this.popExpect(addrTypeOf(tt));
        return;
      }
      case Op.table_size:
        this.pushVal(addrTypeOf(tableAt(c, ins.a, this.at)));
        return;
      case Op.table_grow: {
        const tt = tableAt(c, ins.a, this.at);
        this.popExpect(addrTypeOf(tt));
        this.popExpect(tt.elem);
        this.pushVal(addrTypeOf(tt));
        return;
      }
      case Op.table_fill: {
        const tt = tableAt(c, ins.a, this.at);
        this.popExpect(addrTypeOf(tt));
        this.popExpect(tt.elem);
        this.popExpect(addrTypeOf(tt));
        return;
      }
      case Op.table_copy: {
        const dst = tableAt(c, ins.a, this.at);
        const src = tableAt(c, ins.b, this.at);
        if (!matchesValType(src.elem, dst.elem, c.types)) fail('type mismatch: table.copy between tables of different types', this.at);
        this.popVals([addrTypeOf(dst), addrTypeOf(src), minAddrType(addrTypeOf(dst), addrTypeOf(src))]);
        return;
      }
      case Op.table_init: {
        const tt = tableAt(c, ins.b, this.at);
        const e = elemAt(c, ins.a, this.at);
        if (!matchesValType(e, tt.elem, c.types)) fail('type mismatch: table.init of a segment of another type', this.at);
        this.popVals([addrTypeOf(tt), I32, I32]);
        return;
      }
      case Op.elem_drop:
        elemAt(c, ins.a, this.at);
        return;

      case Op.memory_size:
        this.pushVal(this.memAddr(ins.a));
        return;
      case Op.memory_grow: {
        const at = this.memAddr(ins.a);
        this.popExpect(at);
        this.pushVal(at);
        return;
      }
      case Op.memory_fill: {
        const at = this.memAddr(ins.a);
        this.popVals([at, I32, at]);
        return;
      }
      case Op.memory_copy: {
        const dst = this.memAddr(ins.a), src = this.memAddr(ins.b);
        this.popVals([dst, src, minAddrType(dst, src)]);
        return;
      }
      case Op.memory_init: {
        const at = this.memAddr(ins.b);
        dataAt(c, ins.a, this.at);
        this.popVals([at, I32, I32]);
        return;
      }
      case Op.data_drop:
        dataAt(c, ins.a, this.at);
        return;

      case Op.i32_const: this.pushVal(I32); return;
      case Op.i64_const: this.pushVal(I64); return;
      case Op.f32_const: this.pushVal(F32); return;
      case Op.f64_const: this.pushVal(F64); return;

      case Op.ref_null:
        checkHeapType(c, ins.a, this.at);
        this.pushVal(refType(ins.a, true));
        return;
      case Op.ref_is_null:
        this.popRef();
        this.pushVal(I32);
        return;
      case Op.ref_func:
        funcAt(c, ins.a, this.at);
        if (!c.refs.has(ins.a)) fail('undeclared function reference', this.at);
        // 3.0: the function's own type, (ref $t); 2.0 has only funcref.
        this.pushVal(this.features.functionReferences ? refType(concreteHeap(c.funcTypeIdxs[ins.a]!), false) : FUNCREF);
        return;
    }

    if (op >= Op.i32_load && op <= Op.i64_store32) {
      const at = this.memarg(ins, Math.log2(accessWidth(op)));
      const t = memoryValueType(op);
      if (op >= Op.i32_store) {
        this.popExpect(t);
        this.popExpect(at);
      } else {
        this.popExpect(at);
        this.pushVal(t);
      }
      return;
    }
    fail(`unknown instruction ${op.toString(16)}`, this.at);
  }

  private simd(ins: Instr): void {
    const info = simdOps.get(ins.op - FD);
    if (info === undefined) fail(`unknown instruction ${ins.op.toString(16)}`, this.at);
    switch (info.imm) {
      case SimdImm.memarg: {
        const at = this.memarg(ins, info.align);
        if (info.name === 'v128.store') {
          this.popExpect(V128);
          this.popExpect(at);
        } else {
          this.popExpect(at);
          this.pushVal(V128);
        }
        return;
      }
      case SimdImm.memargLane: {
        const at = this.memarg(ins, info.align);
        if (ins.lane >= info.lanes) fail('invalid lane index', this.at);
        this.popExpect(V128);
        this.popExpect(at);
        if (info.name.startsWith('v128.load')) this.pushVal(V128);
        return;
      }
      case SimdImm.lane: {
        if (ins.c >= info.lanes) fail('invalid lane index', this.at);
        const [shape, operator] = info.name.split('.') as [string, string];
        const t = laneType(shape);
        if (operator === 'replace_lane') {
          this.popExpect(t);
          this.popExpect(V128);
          this.pushVal(V128);
        } else {
          this.popExpect(V128);
          this.pushVal(t);
        }
        return;
      }
      case SimdImm.v128:
        this.pushVal(V128);
        return;
      case SimdImm.shuffle:
        for (const lane of ins.bytes!) if (lane >= 32) fail('invalid lane index', this.at);
        this.popExpect(V128);
        this.popExpect(V128);
        this.pushVal(V128);
        return;
    }
    fail(`unknown instruction ${ins.op.toString(16)}`, this.at);
  }
}
