// The validation context C (spec §3.1.1 "Contexts"): what is in scope while
// checking a module, and the lookups that fail with the suite's
// "unknown <space> <index>" messages.

import type { Module } from '../syntax/ast.js';
import type { DefType, FieldType, FuncType, GlobalType, MemType, RefType, TableType, ValType } from '../syntax/types.js';
import { compOf } from '../syntax/types.js';
import { type HeapType, heapOf, isConcrete, isRef, typeIndexOf } from '../syntax/reftypes.js';
import { Op } from '../syntax/opcodes.js';
import { ValidationError } from '../errors.js';

export interface Context {
  types: DefType[];
  funcs: FuncType[];
  /** The type index of each function (ref.func x has type (ref $t) in 3.0). */
  funcTypeIdxs: number[];
  tables: TableType[];
  mems: MemType[];
  globals: GlobalType[];
  /** Tags (exception handling), as their function types. */
  tags: FuncType[];
  elems: RefType[];
  /** Number of data segments (only their count matters for validation). */
  datas: number;
  /** Functions that may be named by ref.func in function bodies (C.refs). */
  refs: Set<number>;
}

export function fail(message: string, offset = -1): never {
  throw new ValidationError(message, offset);
}

export function typeAt(c: Context, x: number, at = -1): DefType {
  const t = c.types[x];
  if (t === undefined) fail(`unknown type ${x}`, at);
  return t;
}

/** Type x, which must be a function type (the reference interpreter's words otherwise). */
export function funcTypeAt(c: Context, x: number, at = -1): FuncType {
  const t = typeAt(c, x, at);
  if (compOf(t) !== 'func') fail(`non-function type ${x}`, at);
  return t;
}

/** The fields of type x, which must be a struct type. */
export function structTypeAt(c: Context, x: number, at = -1): FieldType[] {
  const t = typeAt(c, x, at);
  if (compOf(t) !== 'struct') fail(`non-structure type ${x}`, at);
  return t.fields!;
}

/** The element of type x, which must be an array type. */
export function arrayTypeAt(c: Context, x: number, at = -1): FieldType {
  const t = typeAt(c, x, at);
  if (compOf(t) !== 'array') fail(`non-array type ${x}`, at);
  return t.fields![0]!;
}

export function funcAt(c: Context, x: number, at = -1): FuncType {
  const t = c.funcs[x];
  if (t === undefined) fail(`unknown function ${x}`, at);
  return t;
}

export function tableAt(c: Context, x: number, at = -1): TableType {
  const t = c.tables[x];
  if (t === undefined) fail(`unknown table ${x}`, at);
  return t;
}

export function memAt(c: Context, x: number, at = -1): MemType {
  const t = c.mems[x];
  if (t === undefined) fail(`unknown memory ${x}`, at);
  return t;
}

export function globalAt(c: Context, x: number, at = -1): GlobalType {
  const t = c.globals[x];
  if (t === undefined) fail(`unknown global ${x}`, at);
  return t;
}

export function tagAt(c: Context, x: number, at = -1): FuncType {
  const t = c.tags[x];
  if (t === undefined) fail(`unknown tag ${x}`, at);
  return t;
}

export function elemAt(c: Context, x: number, at = -1): RefType {
  const t = c.elems[x];
  if (t === undefined) fail(`unknown elem segment ${x}`, at);
  return t;
}

/** A value type's concrete heap type, if any, names a type of the module ("unknown type"); `limit`: how many it may see. */
export function checkValType(c: Context, t: ValType, at = -1, limit = c.types.length): void {
  if (isRef(t)) checkHeapType(c, heapOf(t), at, limit);
}

export function checkHeapType(c: Context, h: HeapType, at = -1, limit = c.types.length): void {
  if (isConcrete(h) && typeIndexOf(h) >= limit) fail(`unknown type ${typeIndexOf(h)}`, at);
}

export function dataAt(c: Context, x: number, at = -1): void {
  if (x >= c.datas) fail(`unknown data segment ${x}`, at);
}

/** The imported part of the module's index spaces, resolving function import types. */
function importedContext(m: Module): Context {
  const c: Context = {
    types: m.types, funcs: [], funcTypeIdxs: [], tables: [], mems: [], globals: [], tags: [], elems: [], datas: 0, refs: new Set(),
  };
  for (const im of m.imports) {
    switch (im.desc.kind) {
      case 'func': c.funcs.push(funcTypeAt(c, im.desc.typeIdx)); c.funcTypeIdxs.push(im.desc.typeIdx); break;
      case 'table': c.tables.push(im.desc.type); break;
      case 'memory': c.mems.push(im.desc.type); break;
      case 'global': c.globals.push(im.desc.type); break;
      case 'tag': c.tags.push(funcTypeAt(c, im.desc.typeIdx)); break;
    }
  }
  return c;
}

/**
 * The context C' in which constant expressions of module fields are checked:
 * every function, table, memory, element and data segment, but only the
 * imported globals (spec §3.4.10, WebAssembly 2.0).
 */
export function fieldContext(m: Module): Context {
  const c = importedContext(m);
  for (const f of m.funcs) {
    c.funcs.push(funcTypeAt(c, f.typeIdx));
    c.funcTypeIdxs.push(f.typeIdx);
  }
  for (const t of m.tables) c.tables.push(t.type);
  for (const mem of m.mems) c.mems.push(mem.type);
  for (const tag of m.tags) c.tags.push(funcTypeAt(c, tag.typeIdx));
  c.elems = m.elems.map(e => e.type);
  c.datas = m.dataCount ?? m.datas.length;
  c.refs = declaredFuncRefs(m);
  return c;
}

/** The full context C, in which function bodies are checked. */
export function moduleContext(m: Module, fields: Context): Context {
  return { ...fields, globals: fields.globals.concat(m.globals.map(g => g.type)) };
}

/**
 * C.refs: the functions referenced outside function bodies (in globals,
 * element segments and exports), which are the only ones ref.func may name.
 */
export function declaredFuncRefs(m: Module): Set<number> {
  const refs = new Set<number>();
  const scan = (expr: readonly { op: number; a: number }[]): void => {
    for (const ins of expr) if (ins.op === Op.ref_func) refs.add(ins.a);
  };
  for (const g of m.globals) scan(g.init);
  for (const t of m.tables) if (t.init !== null) scan(t.init);
  for (const e of m.elems) {
    for (const item of e.init) scan(item);
    if (e.mode.kind === 'active') scan(e.mode.offset);
  }
  for (const d of m.datas) if (d.mode.kind === 'active') scan(d.mode.offset);
  for (const ex of m.exports) if (ex.kind === 'func') refs.add(ex.index);
  return refs;
}
