// One instruction in the text format, from the AST: what the debugger and
// `--trace=core` print for the instruction at hand. Names come from the
// module's name section where it has them ($fib, $n), else indices. Block
// instructions print their head only (`block (result i32)`): their bodies
// are instructions of their own.

import { memOffset, type Instr, type Module } from '../core/syntax/ast.js';
import { Op } from '../core/syntax/opcodes.js';
import { EXNREF, EXTERNREF, FUNCREF, valTypeName, type ValType } from '../core/syntax/types.js';
import { formatF32, formatF64 } from '../wast/numbers.js';

/** Text names by opcode: `local_get` → `local.get`, `br_if` stays, `select_t` is `select`. */
const NAMES = new Map<number, string>();
const DOTTED = /^(i32|i64|f32|f64|v128|local|global|table|memory|ref|data|elem)_/;
for (const [key, op] of Object.entries(Op)) {
  NAMES.set(op, key === 'select_t' ? 'select' : key.replace(DOTTED, '$1.'));
}

const TEXT_NAMES = new Set([...NAMES.values()]);

/** Whether `name` is an instruction's text name (`local.get`, `br_if`). */
export function isInstructionName(name: string): boolean {
  return TEXT_NAMES.has(name);
}

/** The text name of an opcode (`0x..` for one cmr does not name, such as SIMD). */
export function opName(op: number): string {
  return NAMES.get(op) ?? `<opcode 0x${op.toString(16)}>`;
}

/** What the printer needs besides the instruction: names, and which function it is in (for local names). */
export interface PrintContext {
  module: Module | null;
  /** The function index (imports first), for local names. */
  func: number;
}

const HEAP: Record<number, string> = { [FUNCREF]: 'func', [EXTERNREF]: 'extern', [EXNREF]: 'exn' };

/** `instr` as one line of text: `local.get $n`, `call $fib`, `i32.load offset=8`, `block (result i32)`. */
export function printInstr(instr: Instr, cx: PrintContext): string {
  const name = opName(instr.op);
  const names = cx.module?.names ?? null;
  const fn = (i: number) => { const n = names?.funcs.get(i); return n !== undefined ? `$${n}` : String(i); };
  const local = (i: number) => { const n = names?.locals.get(cx.func)?.get(i); return n !== undefined ? `$${n}` : String(i); };
  const op = instr.op;
  switch (op) {
    case Op.block: case Op.loop: case Op.if: case Op.try_table:
      return `${name}${blockType(instr, cx.module)}${op === Op.try_table ? catches(instr) : ''}`;
    case Op.br: case Op.br_if:
      return `${name} ${instr.a}`;
    case Op.br_table:
      return `${name} ${[...instr.labels!, instr.a].join(' ')}`;
    case Op.call: case Op.ref_func:
      return `${name} ${fn(instr.a)}`;
    case Op.call_indirect:
      return `${name}${instr.b !== 0 ? ` ${instr.b}` : ''} (type ${instr.a})`;
    case Op.select_t:
      return `select (result ${valTypeName(instr.a as ValType)})`;
    case Op.local_get: case Op.local_set: case Op.local_tee:
      return `${name} ${local(instr.a)}`;
    case Op.global_get: case Op.global_set: case Op.throw:
    case Op.table_get: case Op.table_set: case Op.table_size: case Op.table_grow: case Op.table_fill:
    case Op.elem_drop: case Op.data_drop:
      return `${name} ${instr.a}`;
    case Op.memory_size: case Op.memory_grow: case Op.memory_fill:
      return instr.a === 0 ? name : `${name} ${instr.a}`;
    case Op.memory_copy: case Op.table_copy:
      return instr.a === 0 && instr.b === 0 ? name : `${name} ${instr.a} ${instr.b}`;
    case Op.memory_init: case Op.table_init:
      return instr.b === 0 ? `${name} ${instr.a}` : `${name} ${instr.b} ${instr.a}`;
    case Op.i32_const: return `${name} ${instr.a}`;
    case Op.i64_const: return `${name} ${instr.i64}`;
    case Op.f32_const: return `${name} ${formatF32(instr.a)}`;
    case Op.f64_const: return `${name} ${formatF64(instr.i64)}`;
    case Op.ref_null: return `${name} ${HEAP[instr.a] ?? instr.a}`;
  }
  if (op >= Op.i32_load && op <= Op.i64_store32) {
    const parts = [name];
    if (instr.c !== 0) parts.push(String(instr.c));
    if (instr.a !== 0) parts.push(`offset=${memOffset(instr)}`);
    return parts.join(' ');
  }
  return name;
}

function blockType(instr: Instr, m: Module | null): string {
  const bt = instr.bt;
  if (bt === null) return '';
  switch (bt.kind) {
    case 'empty': return '';
    case 'value': return ` (result ${valTypeName(bt.type)})`;
    case 'index': {
      const t = m?.types[bt.index];
      if (t === undefined) return ` (type ${bt.index})`;
      const params = t.params.length > 0 ? ` (param ${t.params.map(valTypeName).join(' ')})` : '';
      const results = t.results.length > 0 ? ` (result ${t.results.map(valTypeName).join(' ')})` : '';
      return params + results;
    }
  }
}

const CATCH = ['catch', 'catch_ref', 'catch_all', 'catch_all_ref'];

function catches(instr: Instr): string {
  return (instr.catches ?? []).map((k) => ` (${CATCH[k.kind]}${k.kind < 2 ? ` ${k.tag}` : ''} ${k.label})`).join('');
}
