// The abstract syntax of a core module (spec §2.5 "Modules"), as the decoder
// produces it and the validator and the interpreter consume it.
//
// Instructions form a tree: `block`, `loop` and `if` own their bodies, and
// the interpreter walks that tree. Every instruction is one `Instr` object
// with the same fields, whatever its opcode, so that property reads in the
// interpreter's hot loop stay monomorphic.

import type { BlockType, DefType, GlobalType, MemType, RefType, TableType, ValType, ExternKind } from './types.js';

/**
 * One instruction. Which fields mean what, by opcode (see opcodes.ts):
 *
 * - block, loop, if:   bt, body; if also else_ (null when absent)
 * - br, br_if:         a = label depth
 * - br_table:          labels = depths, a = default depth
 * - call:              a = function index
 * - call_indirect:     a = type index, b = table index
 * - return_call:       a = function index; return_call_indirect as call_indirect
 * - call_ref, return_call_ref: a = type index
 * - br_on_null, br_on_non_null: a = label depth
 * - select (typed):    a = the value type; b = how many types the binary lists
 *                      (valid only when 1: validation reports "invalid result arity")
 * - local.* / global.*: a = index
 * - table.get/set/size/grow/fill: a = table index
 * - table.copy:        a = destination table, b = source table
 * - table.init:        a = element segment, b = table
 * - elem.drop:         a = element segment
 * - loads and stores:  a = offset, b = alignment exponent, c = memory index
 * - memory.size/grow/fill: a = memory index
 * - memory.copy:       a = destination memory, b = source memory
 * - memory.init:       a = data segment, b = memory
 * - data.drop:         a = data segment
 * - i32.const:         a = the value (signed 32-bit)
 * - f32.const:         a = the bit pattern (as a signed 32-bit number)
 * - i64.const:         i64 = the value (signed)
 * - f64.const:         i64 = the bit pattern (signed 64-bit bigint)
 * - ref.null:          a = heap type (reftypes.ts: an abstract code, or a packed type index)
 * - ref.func:          a = function index
 * - throw:             a = tag index
 * - try_table:         bt, body; catches = the catch clauses
 * - v128.const:        bytes = the 16 bytes (little-endian lanes)
 * - i8x16.shuffle:     bytes = the 16 lane indices
 * - SIMD lane ops:     c = lane index (load/store lane: a, b, c as loads, plus lane in `lane`)
 *
 * `offset` is the byte offset of the opcode in the binary, for messages.
 */
export class Instr {
  op: number;
  a = 0;
  b = 0;
  c = 0;
  lane = 0;
  i64: bigint = 0n;
  bt: BlockType | null = null;
  body: Instr[] | null = null;
  else_: Instr[] | null = null;
  labels: number[] | null = null;
  bytes: Uint8Array | null = null;
  /** try_table: its catch clauses, in order. */
  catches: Catch[] | null = null;
  offset: number;
  /** Free for the engine that runs the code (the interpreter caches its prepared form here). */
  aux: unknown = null;

  constructor(op: number, offset = 0) {
    this.op = op;
    this.offset = offset;
  }
}

/**
 * A memarg offset as Instr.a holds it: an int32 (`x | 0`, so 2^31 and more
 * are negative there), since one double stored in `a` would make V8 keep
 * that field as a boxed number in every Instr. A memory64 offset of 2^32
 * or more cannot be an int32 and stays a number. `memOffset` reads it back.
 */
export function offsetImm(x: number): number {
  return x < 2 ** 32 ? x | 0 : x;
}

/** The memarg offset of a load or store, unsigned (see offsetImm). */
export function memOffset(ins: Instr): number {
  const a = ins.a;
  return a < 0 ? a >>> 0 : a;
}

/** The kinds of a try_table's catch clause, as their binary codes. */
export const enum CatchKind { catch = 0, catchRef = 1, catchAll = 2, catchAllRef = 3 }

/** A catch clause of try_table: kind, tag index (catch, catch_ref) and label depth. */
export interface Catch {
  kind: CatchKind;
  tag: number;
  label: number;
}

/** A constant expression (global initialisers, segment offsets and items). */
export type Expr = Instr[];

export type ImportDesc =
  | { kind: 'func'; typeIdx: number }
  | { kind: 'table'; type: TableType }
  | { kind: 'memory'; type: MemType }
  | { kind: 'global'; type: GlobalType }
  | { kind: 'tag'; typeIdx: number };

export interface Import {
  module: string;
  name: string;
  desc: ImportDesc;
}

export interface Export {
  name: string;
  kind: ExternKind;
  index: number;
}

export interface Func {
  typeIdx: number;
  /** Declared locals, expanded (one entry per local, parameters not included). */
  locals: ValType[];
  body: Instr[];
  /** Byte offset of the function body in the binary. */
  offset: number;
  /**
   * A function whose code is decoded on demand (binary/lazy-func.ts): its
   * locals and body for one pass, not kept by the function. Passes over
   * every function (validation, the interpreter's preparation) take the
   * code through `funcCode`, so that a module never holds all its bodies'
   * trees at once.
   */
  code?(): FuncCode;
}

/** A function's code: its declared locals and its body. */
export interface FuncCode {
  locals: ValType[];
  body: Instr[];
}

/** `f`'s code for one pass over it: decoded afresh, and not kept, when `f` decodes on demand. */
export function funcCode(f: Func): FuncCode {
  return f.code !== undefined ? f.code() : f;
}

export interface Table {
  type: TableType;
  /** The initialiser of every element (3.0: `(table 10 (ref $t) (ref.func $f))`); null: the type's default, null. */
  init: Expr | null;
}

export interface Memory {
  type: MemType;
}

/** A tag (exception handling): its type is a function type, by index. */
export interface Tag {
  typeIdx: number;
}

export interface Global {
  type: GlobalType;
  init: Expr;
}

export type ElemMode =
  | { kind: 'passive' }
  | { kind: 'declarative' }
  | { kind: 'active'; table: number; offset: Expr };

export interface Elem {
  type: RefType;
  /** Each item is a constant expression producing one reference. */
  init: Expr[];
  mode: ElemMode;
}

export type DataMode =
  | { kind: 'passive' }
  | { kind: 'active'; memory: number; offset: Expr };

export interface Data {
  init: Uint8Array;
  mode: DataMode;
}

export interface CustomSection {
  name: string;
  bytes: Uint8Array;
}

/** Names from the `name` custom section, when present and well-formed. */
export interface NameMap {
  module: string | null;
  funcs: Map<number, string>;
  locals: Map<number, Map<number, string>>;
}

export interface Module {
  types: DefType[];
  imports: Import[];
  funcs: Func[];
  tables: Table[];
  mems: Memory[];
  globals: Global[];
  tags: Tag[];
  exports: Export[];
  start: number | null;
  elems: Elem[];
  datas: Data[];
  /** Value of the data count section, when present. */
  dataCount: number | null;
  customs: CustomSection[];
  names: NameMap | null;
}

/** How many functions `m` imports: its defined functions' indices start there. */
export function importedFuncCount(m: Module): number {
  let n = 0;
  for (const imp of m.imports) if (imp.desc.kind === 'func') n++;
  return n;
}

export function emptyModule(): Module {
  return {
    types: [], imports: [], funcs: [], tables: [], mems: [], globals: [], tags: [], exports: [],
    start: null, elems: [], datas: [], dataCount: null, customs: [], names: null,
  };
}
