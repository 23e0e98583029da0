// Revealing the functions that may leave the host engine as references (and
// the tables, which trap diagnosis reads).
//
// A funcref that native code hands out (table.get, a result, a global) is a
// wasm function object, and cmr needs its FuncInst, which needs its type.
// The JS API gives no type for a function the module does not export, so
// before compiling, the module's export section is extended with an export
// for each such function. Only functions that can become references are
// added: those a ref.func may name, which validation limits to functions
// named in element segments, global and table initialisers or exports (spec §3.4.10,
// C.refs) — so the extra exports change neither validity nor behaviour.

import { importedFuncCount, type Expr, type Module } from '../syntax/ast.js';
import { Op } from '../syntax/opcodes.js';
import { ByteWriter, ExternByte, SectionId } from './encode.js';
import { readU32 } from './read-u32.js';

export interface Revealed {
  bytes: Uint8Array;
  /** Extra export name → function index. */
  funcs: Map<string, number>;
  /** Extra export name → table index (every table is revealed, for trap diagnosis: traps.ts). */
  tables: Map<string, number>;
  /** Extra export name → tag index (every tag the module defines, to tell an exception's tag: tags.ts). */
  tags: Map<string, number>;
}

function refFuncs(exprs: readonly Expr[], into: Set<number>): void {
  for (const e of exprs) for (const i of e) if (i.op === Op.ref_func) into.add(i.a);
}

/** Functions of `m` defined by it (not imported) that a funcref may name and that `m` does not export. */
export function hiddenReferenceable(m: Module): number[] {
  const named = new Set<number>();
  for (const elem of m.elems) refFuncs(elem.init, named);
  refFuncs(m.globals.map((g) => g.init), named);
  for (const t of m.tables) if (t.init !== null) refFuncs([t.init], named); // 3.0 table initialisers
  const imported = importedFuncCount(m);
  for (const e of m.exports) if (e.kind === 'func') named.delete(e.index);
  return [...named].filter((f) => f >= imported).sort((a, b) => a - b);
}


/** The unsigned LEB128 of `n` (below 2^32), one char per byte. */
function lebChars(n: number): string {
  let s = '';
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) b |= 0x80;
    s += String.fromCharCode(b);
  } while (n !== 0);
  return s;
}

/** A string of chars below 256 as those bytes. */
function latin1(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Where each section must come (spec §5.5.2); custom sections may come anywhere. */
const sectionRank: Record<number, number> = {
  [SectionId.type]: 1, [SectionId.import]: 2, [SectionId.func]: 3, [SectionId.table]: 4,
  [SectionId.memory]: 5, [SectionId.tag]: 6, [SectionId.global]: 7, [SectionId.export]: 8,
  [SectionId.start]: 9, [SectionId.elem]: 10, [SectionId.dataCount]: 11, [SectionId.code]: 12,
  [SectionId.data]: 13,
};

/** Tables of `m`, imported or defined, that it does not export. */
function hiddenTables(m: Module): number[] {
  const count = m.imports.filter((i) => i.desc.kind === 'table').length + m.tables.length;
  const exported = new Set(m.exports.filter((e) => e.kind === 'table').map((e) => e.index));
  return Array.from({ length: count }, (_, i) => i).filter((i) => !exported.has(i));
}

/** Tags `m` defines (not imported: those are known already) that it does not export. */
function hiddenTags(m: Module): number[] {
  const imported = m.imports.filter((i) => i.desc.kind === 'tag').length;
  const exported = new Set(m.exports.filter((e) => e.kind === 'tag').map((e) => e.index));
  return m.tags.map((_, i) => imported + i).filter((i) => !exported.has(i));
}

/**
 * `m`'s bytes with extra exports for its hidden referenceable functions and
 * its hidden tables (the bytes themselves when there are none).
 */
export function reveal(m: Module, bytes: Uint8Array): Revealed {
  const hidden = hiddenReferenceable(m);
  const tables = hiddenTables(m);
  const tags = hiddenTags(m);
  const funcs = new Map<string, number>();
  const tableNames = new Map<string, number>();
  const tagNames = new Map<string, number>();
  if (hidden.length === 0 && tables.length === 0 && tags.length === 0) return { bytes, funcs, tables: tableNames, tags: tagNames };
  const taken = new Set(m.exports.map((e) => e.name));
  let prefix = '\u0000cmr-';
  while ([...taken].some((n) => n.startsWith(prefix))) prefix += '-';
  // The new entries as a byte string (one char per byte: every name here is
  // ASCII, and a name's length fits one LEB byte), made into bytes at once:
  // a large module has thousands of them.
  let extra = '';
  const entry = (name: string, kind: number, index: number): void => {
    extra += String.fromCharCode(name.length) + name + String.fromCharCode(kind) + lebChars(index);
  };
  for (const f of hidden) {
    const name = `${prefix}func-${f}`;
    funcs.set(name, f);
    entry(name, ExternByte.func, f);
  }
  for (const t of tables) {
    const name = `${prefix}table-${t}`;
    tableNames.set(name, t);
    entry(name, ExternByte.table, t);
  }
  for (const t of tags) {
    const name = `${prefix}tag-${t}`;
    tagNames.set(name, t);
    entry(name, ExternByte.tag, t);
  }
  const extraBytes = latin1(extra);
  const added = hidden.length + tables.length + tags.length;

  // Whole sections are copied as slices: a byte at a time is seconds for a
  // module of megabytes.
  const out: Uint8Array[] = [bytes.subarray(0, 8)];
  let pos = 8;
  let written = false;
  const writeExports = (count: number, old: Uint8Array): void => {
    // The section's head, then the old entries and the new ones as they
    // are: the new ones are thousands in a large module, so they are
    // converted to bytes once, not passed through a writer again.
    const countBytes = new ByteWriter().u32(count + added).bytes;
    const size = countBytes.length + old.length + extraBytes.length;
    out.push(Uint8Array.from([SectionId.export, ...new ByteWriter().u32(size).bytes, ...countBytes]), old, extraBytes);
    written = true;
  };
  while (pos < bytes.length) {
    const id = bytes[pos]!;
    const [size, start] = readU32(bytes, pos + 1);
    const end = start + size;
    if (!written && id === SectionId.export) {
      const [count, entries] = readU32(bytes, start);
      writeExports(count, bytes.subarray(entries, end));
    } else {
      if (!written && id !== SectionId.custom && sectionRank[id]! > sectionRank[SectionId.export]!) {
        writeExports(0, new Uint8Array(0));
      }
      out.push(bytes.subarray(pos, end));
    }
    pos = end;
  }
  if (!written) writeExports(0, new Uint8Array(0));
  const joined = new Uint8Array(out.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of out) {
    joined.set(c, at);
    at += c.length;
  }
  return { bytes: joined, funcs, tables: tableNames, tags: tagNames };
}
