// Validation of function bodies: the algorithm of the spec's appendix
// "Validation Algorithm", with an operand stack and a control stack.
//
// The AST nests block bodies, but walking them recursively would overflow
// the JS stack on deeply nested code, so each control frame also records
// which instruction list it is walking and where it is in it: the walk is a
// loop over the control stack.

import { CatchKind, type Func, type Instr } from '../syntax/ast.js';
import type { BlockType, FuncType, ValType } from '../syntax/types.js';
import { EXNREF, EXTERNREF, F32, F64, FUNCREF, I32, I64, V128, isRefType, sameTypes, valTypeName } from '../syntax/types.js';
import { accessWidth, FD, Op } from '../syntax/opcodes.js';
import { SimdImm, simdOps } from '../syntax/opcodes-simd.js';
import {
  type Context, dataAt, elemAt, fail, funcAt, globalAt, memAt, tableAt, tagAt, typeAt,
} from './context.js';
import { laneType, signatures } from './signatures.js';

/** An operand whose type is not known because the code after it is unreachable. */
const UNKNOWN = 0;
export type Operand = ValType | typeof UNKNOWN;

const NONE: readonly ValType[] = [];
const EMPTY_BLOCK: FuncType = { params: [], results: [] };
const VALUE_BLOCKS: Record<number, FuncType> = {};
for (const t of [I32, I64, F32, F64, V128, FUNCREF, EXTERNREF, EXNREF] as ValType[]) VALUE_BLOCKS[t] = { params: [], results: [t] };

interface Frame {
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
  private results: readonly ValType[] = NONE;
  /** Offset of the instruction being checked, for error messages. */
  private at = -1;
  /**
   * Sees the operand types before each instruction (`list[index]`) and at
   * the end of each instruction list (index = its length): what a debugger
   * shows the value stack with (operand-types.ts). Null when validating.
   */
  observer: ((list: readonly Instr[], index: number, vals: readonly Operand[]) => void) | null = null;

  constructor(private readonly c: Context) {}

  validate(func: Func): void {
    const type = typeAt(this.c, func.typeIdx, func.offset);
    this.locals = type.params.concat(func.locals);
    this.results = type.results;
    this.vals.length = 0;
    this.ctrls.length = 0;
    this.at = func.offset;
    this.pushCtrl(Op.block, NONE, type.results, func.body, null);
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

  private pushVal(t: Operand): void {
    this.vals.push(t);
  }

  private pushVals(ts: readonly ValType[]): void {
    for (const t of ts) this.vals.push(t);
  }

  private popVal(): Operand {
    const frame = this.ctrls[this.ctrls.length - 1]!;
    if (this.vals.length === frame.height) {
      if (frame.unreachable) return UNKNOWN;
      fail('type mismatch: expected a value, but the stack is empty', this.at);
    }
    return this.vals.pop()!;
  }

  private popExpect(expected: Operand): Operand {
    const actual = this.popVal();
    if (actual !== expected && actual !== UNKNOWN && expected !== UNKNOWN) {
      fail(`type mismatch: expected ${typeName(expected)}, found ${typeName(actual)}`, this.at);
    }
    return actual;
  }

  private popVals(ts: readonly ValType[]): void {
    for (let i = ts.length - 1; i >= 0; i--) this.popExpect(ts[i]!);
  }

  // --- the control stack -------------------------------------------------

  private pushCtrl(op: number, start: readonly ValType[], end: readonly ValType[], list: readonly Instr[], owner: Instr | null): void {
    this.ctrls.push({ op, start, end, height: this.vals.length, unreachable: false, list, next: 0, owner });
    this.pushVals(start);
  }

  private popCtrl(): Frame {
    const frame = this.ctrls[this.ctrls.length - 1]!;
    this.popVals(frame.end);
    if (this.vals.length !== frame.height) {
      fail(`type mismatch: ${this.vals.length - frame.height} values left at the end of a block`, this.at);
    }
    this.ctrls.pop();
    return frame;
  }

  private labelTypes(frame: Frame): readonly ValType[] {
    return frame.op === Op.loop ? frame.start : frame.end;
  }

  private label(depth: number): Frame {
    const frame = this.ctrls[this.ctrls.length - 1 - depth];
    if (frame === undefined || depth < 0) fail(`unknown label ${depth}`, this.at);
    return frame;
  }

  private setUnreachable(): void {
    const frame = this.ctrls[this.ctrls.length - 1]!;
    this.vals.length = frame.height;
    frame.unreachable = true;
  }

  private blockType(bt: BlockType): FuncType {
    switch (bt.kind) {
      case 'empty': return EMPTY_BLOCK;
      case 'value': return VALUE_BLOCKS[bt.type]!;
      case 'index': return typeAt(this.c, bt.index, this.at);
    }
  }

  // --- instructions ------------------------------------------------------

  private local(x: number): ValType {
    const t = this.locals[x];
    if (t === undefined) fail(`unknown local ${x}`, this.at);
    return t;
  }

  private checkAlignment(align: number, natural: number): void {
    if (align > natural) fail('alignment must not be larger than natural', this.at);
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
          if (k.kind === CatchKind.catchRef || k.kind === CatchKind.catchAllRef) sent = [...sent, EXNREF];
          if (!sameTypes(sent, types)) fail('type mismatch: catch clause does not match its label', this.at);
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

      case Op.call: {
        const t = funcAt(c, ins.a, this.at);
        this.popVals(t.params);
        this.pushVals(t.results);
        return;
      }
      case Op.call_indirect: {
        const table = tableAt(c, ins.b, this.at);
        if (table.elem !== FUNCREF) fail('type mismatch: call_indirect needs a funcref table', this.at);
        const t = typeAt(c, ins.a, this.at);
        this.popExpect(I32);
        this.popVals(t.params);
        this.pushVals(t.results);
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
        this.popExpect(I32);
        this.popExpect(t);
        this.popExpect(t);
        this.pushVal(t);
        return;
      }

      case Op.local_get:
        this.pushVal(this.local(ins.a));
        return;
      case Op.local_set:
        this.popExpect(this.local(ins.a));
        return;
      case Op.local_tee: {
        const t = this.local(ins.a);
        this.popExpect(t);
        this.pushVal(t);
        return;
      }
      case Op.global_get:
        this.pushVal(globalAt(c, ins.a, this.at).type);
        return;
      case Op.global_set: {
        const g = globalAt(c, ins.a, this.at);
        if (!g.mutable) fail('global is immutable', this.at);
        this.popExpect(g.type);
        return;
      }

      case Op.table_get: {
        const t = tableAt(c, ins.a, this.at).elem;
        this.popExpect(I32);
        this.pushVal(t);
        return;
      }
      case Op.table_set: {
        const t = tableAt(c, ins.a, this.at).elem;
        this.popExpect(t);
        this.popExpect(I32);
        return;
      }
      case Op.table_size:
        tableAt(c, ins.a, this.at);
        this.pushVal(I32);
        return;
      case Op.table_grow: {
        const t = tableAt(c, ins.a, this.at).elem;
        this.popExpect(I32);
        this.popExpect(t);
        this.pushVal(I32);
        return;
      }
      case Op.table_fill: {
        const t = tableAt(c, ins.a, this.at).elem;
        this.popExpect(I32);
        this.popExpect(t);
        this.popExpect(I32);
        return;
      }
      case Op.table_copy: {
        const dst = tableAt(c, ins.a, this.at).elem;
        const src = tableAt(c, ins.b, this.at).elem;
        if (dst !== src) fail('type mismatch: table.copy between tables of different types', this.at);
        this.popVals([I32, I32, I32]);
        return;
      }
      case Op.table_init: {
        const t = tableAt(c, ins.b, this.at).elem;
        const e = elemAt(c, ins.a, this.at);
        if (t !== e) fail('type mismatch: table.init of a segment of another type', this.at);
        this.popVals([I32, I32, I32]);
        return;
      }
      case Op.elem_drop:
        elemAt(c, ins.a, this.at);
        return;

      case Op.memory_size:
        memAt(c, ins.a, this.at);
        this.pushVal(I32);
        return;
      case Op.memory_grow:
        memAt(c, ins.a, this.at);
        this.popExpect(I32);
        this.pushVal(I32);
        return;
      case Op.memory_fill:
        memAt(c, ins.a, this.at);
        this.popVals([I32, I32, I32]);
        return;
      case Op.memory_copy:
        memAt(c, ins.a, this.at);
        memAt(c, ins.b, this.at);
        this.popVals([I32, I32, I32]);
        return;
      case Op.memory_init:
        memAt(c, ins.b, this.at);
        dataAt(c, ins.a, this.at);
        this.popVals([I32, I32, I32]);
        return;
      case Op.data_drop:
        dataAt(c, ins.a, this.at);
        return;

      case Op.i32_const: this.pushVal(I32); return;
      case Op.i64_const: this.pushVal(I64); return;
      case Op.f32_const: this.pushVal(F32); return;
      case Op.f64_const: this.pushVal(F64); return;

      case Op.ref_null:
        this.pushVal(ins.a as ValType);
        return;
      case Op.ref_is_null: {
        const t = this.popVal();
        if (t !== UNKNOWN && !isRefType(t)) fail(`type mismatch: ref.is_null of ${typeName(t)}`, this.at);
        this.pushVal(I32);
        return;
      }
      case Op.ref_func:
        funcAt(c, ins.a, this.at);
        if (!c.refs.has(ins.a)) fail('undeclared function reference', this.at);
        this.pushVal(FUNCREF);
        return;
    }

    if (op >= Op.i32_load && op <= Op.i64_store32) {
      memAt(c, ins.c, this.at);
      this.checkAlignment(ins.b, Math.log2(accessWidth(op)));
      const t = memoryValueType(op);
      if (op >= Op.i32_store) {
        this.popExpect(t);
        this.popExpect(I32);
      } else {
        this.popExpect(I32);
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
      case SimdImm.memarg:
        memAt(this.c, ins.c, this.at);
        this.checkAlignment(ins.b, info.align);
        if (info.name === 'v128.store') {
          this.popExpect(V128);
          this.popExpect(I32);
        } else {
          this.popExpect(I32);
          this.pushVal(V128);
        }
        return;
      case SimdImm.memargLane:
        memAt(this.c, ins.c, this.at);
        this.checkAlignment(ins.b, info.align);
        if (ins.lane >= info.lanes) fail('invalid lane index', this.at);
        this.popExpect(V128);
        this.popExpect(I32);
        if (info.name.startsWith('v128.load')) this.pushVal(V128);
        return;
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
