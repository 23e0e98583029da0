// One instruction in the text format, from the AST: what the debugger and
// `--trace=core` print for the instruction at hand. Names come from the
// module's name section where it has them ($fib, $n), else indices. Block
// instructions print their head only (`block (result i32)`): their bodies
// are instructions of their own.

import { memOffset, type Instr, type Module } from '../core/syntax/ast.js';
import { Op } from '../core/syntax/opcodes.js';
import { GcOp } from '../core/syntax/opcodes-gc.js';
import { heapTypeName, refType, refTypeName } from '../core/syntax/reftypes.js';
import { valTypeName, type ValType } from '../core/syntax/types.js';
import { formatF32, formatF64 } from '../wast/numbers.js';

/** Text names by opcode: `local_get` → `local.get`, `br_if` stays, `select_t` is `select`. */
const NAMES = new Map<number, string>();
const DOTTED = /^(i32|i64|f32|f64|v128|local|global|table|memory|ref|data|elem)_/;
for (const [key, op] of Object.entries(Op)) {
  NAMES.set(op, key === 'select_t' ? 'select' : key.replace(DOTTED, '$1.'));
}
// GC's (0xFB): ref.test and ref.cast of a nullable type are the same text
// instruction as of a non-nullable one (their immediate says which).
const GC_DOTTED = /^(struct|array|ref|i31|any|extern)_/;
for (const [key, op] of Object.entries(GcOp)) NAMES.set(op, key.replace(/_null$/, '').replace(GC_DOTTED, '$1.'));

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
    case Op.ref_null: return `${name} ${heapTypeName(instr.a)}`;
    case Op.return_call: return `${name} ${fn(instr.a)}`;
    case Op.return_call_indirect:
      return `${name}${instr.b !== 0 ? ` ${instr.b}` : ''} (type ${instr.a})`;
    case Op.call_ref: case Op.return_call_ref: case Op.br_on_null: case Op.br_on_non_null:
      return `${name} ${instr.a}`;
  }
  if (op >= GcOp.struct_new && op <= GcOp.i31_get_u) return `${name}${gcImmediates(instr)}`;
  if (op >= Op.i32_load && op <= Op.i64_store32) {
    const parts = [name];
    if (instr.c !== 0) parts.push(String(instr.c));
    if (instr.a !== 0) parts.push(`offset=${memOffset(instr)}`);
    return parts.join(' ');
  }
  return name;
}

/**
 * A GC instruction's immediates as wasm-tools prints them (code.ts's
 * readPrefixedFB says where each is kept): a type index, then a field,
 * a count, a segment or the source type; a cast's target reference type;
 * br_on_cast's label, source and target types.
 */
function gcImmediates(instr: Instr): string {
  switch (instr.op) {
    case GcOp.array_len: case GcOp.any_convert_extern: case GcOp.extern_convert_any:
    case GcOp.ref_i31: case GcOp.i31_get_s: case GcOp.i31_get_u:
      return '';
    case GcOp.struct_new: case GcOp.struct_new_default:
    case GcOp.array_new: case GcOp.array_new_default:
    case GcOp.array_get: case GcOp.array_get_s: case GcOp.array_get_u: case GcOp.array_set:
    case GcOp.array_fill:
      return ` ${instr.a}`;
    case GcOp.ref_test: case GcOp.ref_cast:
      return ` ${refTypeName(refType(instr.a, false))}`;
    case GcOp.ref_test_null: case GcOp.ref_cast_null:
      return ` ${refTypeName(refType(instr.a, true))}`;
    case GcOp.br_on_cast: case GcOp.br_on_cast_fail:
      return ` ${instr.a} ${refTypeName(refType(instr.b, (instr.lane & 1) !== 0))} ${refTypeName(refType(instr.c, (instr.lane & 2) !== 0))}`;
    default: // struct.get/set (type, field), array.new_fixed (type, count), array.copy (destination, source), the segment forms
      return ` ${instr.a} ${instr.b}`;
  }
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
