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
// Only the sections up to the export section are written anew (the head);
// the rest of the bytes V8 compiles is the module's own, from the end of
// its export section on, joined to the head in place where the buffer
// lends room for it (core/binary/room.ts), so megabytes of code and data
// are not copied into fresh memory before V8 copies them again.

import { importedFuncCount, type Expr, type Module } from '../syntax/ast.js';
import { Op } from '../syntax/opcodes.js';
import { ByteWriter, ExternByte, SectionId } from './encode.js';
import { readU32 } from './read-u32.js';

export interface Revealed {
  /**
   * The start of the bytes V8 compiles: `m`'s sections up to its export
   * section, and that section with the extra exports (null when there are
   * none: `m`'s bytes are compiled as they are). The rest, from `tailAt` of
   * `m`'s own bytes on, follows unchanged: the code and data sections, nearly
   * every byte of a large module, are never rewritten (room.ts).
   */
  head: Uint8Array | null;
  /** Where in `m`'s bytes what follows the head begins: after the export section, or where it would be (also when the head is null). */
  tailAt: number;
  /** Extra export name → function index. */
  funcs: Map<string, number>;
  /** Extra export name → table index (every table is revealed, for trap diagnosis: traps.ts). */
  tables: Map<string, number>;
  /** Extra export name → tag index (every tag the module defines, to tell an exception's tag: tags.ts). */
  tags: Map<string, number>;
}

function refFuncs(exprs: readonly Expr[], into: Set<number>): void {
  // Indexed loops: this runs once per module, before V8 has optimised it,
  // over every item of its element segments (thousands in a large module).
  for (let k = 0; k < exprs.length; k++) {
    const e = exprs[k]!;
    for (let j = 0; j < e.length; j++) if (e[j]!.op === Op.ref_func) into.add(e[j]!.a);
  }
}

/** Functions of `m` defined by it (not imported) that a funcref may name and that `m` does not export. */
export function hiddenReferenceable(m: Module): number[] {
  const named = new Set<number>();
  for (const elem of m.elems) refFuncs(elem.init, named);
  refFuncs(m.globals.map((g) => g.init), named);
  for (const t of m.tables) if (t.init !== null) refFuncs([t.init], named); // 3.0 table initialisers
  const imported = importedFuncCount(m);
  for (const e of m.exports) if (e.kind === 'func') named.delete(e.index);
  // Sorted as a typed array (numerically, natively), not with a comparator
  // called some 100 000 times before V8 has optimised it.
  const defined = new Uint32Array(named.size);
  let n = 0;
  for (const f of named) if (f >= imported) defined[n++] = f;
  return Array.from(defined.subarray(0, n).sort());
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
 * The extra exports for `m`'s hidden referenceable functions, its hidden
 * tables and tags: the head of its bytes that holds them (see Revealed).
 */
export function reveal(m: Module, bytes: Uint8Array): Revealed {
  const hidden = hiddenReferenceable(m);
  const tables = hiddenTables(m);
  const tags = hiddenTags(m);
  const funcs = new Map<string, number>();
  const tableNames = new Map<string, number>();
  const tagNames = new Map<string, number>();
  // Where the export section is, or would be: after the sections before it
  // (small: types, imports, declarations; code and data come after it).
  let pos = 8;
  let old: { count: number; entries: number; end: number } | null = null;
  while (pos < bytes.length) {
    const id = bytes[pos]!;
    const [size, start] = readU32(bytes, pos + 1);
    if (id === SectionId.export) {
      const [count, entries] = readU32(bytes, start);
      old = { count, entries, end: start + size };
      break;
    }
    if (id !== SectionId.custom && sectionRank[id]! > sectionRank[SectionId.export]!) break;
    pos = start + size;
  }
  const tailAt = old?.end ?? pos;
  if (hidden.length === 0 && tables.length === 0 && tags.length === 0) {
    return { head: null, tailAt, funcs, tables: tableNames, tags: tagNames };
  }
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
  const added = hidden.length + tables.length + tags.length;

  // The head: those sections, then the export section with the old entries
  // as they are and the new ones, converted to bytes once (a writer would
  // take each of thousands of entries apart again).
  const entries = old === null ? bytes.subarray(0, 0) : bytes.subarray(old.entries, old.end);
  const countBytes = new ByteWriter().u32((old?.count ?? 0) + added).bytes;
  const sizeBytes = new ByteWriter().u32(countBytes.length + entries.length + extra.length).bytes;
  const head = new Uint8Array(pos + 1 + sizeBytes.length + countBytes.length + entries.length + extra.length);
  head.set(bytes.subarray(0, pos));
  let at = pos;
  head[at++] = SectionId.export;
  head.set(sizeBytes, at);
  at += sizeBytes.length;
  head.set(countBytes, at);
  at += countBytes.length;
  head.set(entries, at);
  at += entries.length;
  // Written by Node's latin1 encoder (one byte a char, as they are), not a
  // loop of charCodeAt, which runs unoptimised over 100 KB in a large module.
  Buffer.from(head.buffer, head.byteOffset, head.length).write(extra, at, 'latin1');
  return { head, tailAt, funcs, tables: tableNames, tags: tagNames };
}
