// Decoding a binary module (spec §5.5 "Modules") into the AST of ast.ts.
//
// Sections are read in the order the format fixes, custom sections anywhere
// between them. As in the reference decoder, a section's content is read
// from the whole byte stream and its declared size is checked afterwards, so
// a section that runs long is "section size mismatch" and one whose size
// exceeds the bytes left is "length out of bounds". Every failure is a
// DecodeError with the reference decoder's message.

import type { CustomSection, Data, Elem, Export, Expr, Func, FuncCode, Global, Import, ImportDesc, Memory, Module, Table } from '../syntax/ast.js';
import { Instr, emptyModule } from '../syntax/ast.js';
import type { ExternKind, RefType } from '../syntax/types.js';
import { FUNCREF } from '../syntax/types.js';
import { Op } from '../syntax/opcodes.js';
import { DecodeError } from '../errors.js';
import { Reader } from './reader.js';
import { readExpr, type CodeFacts } from './code.js';
import { readGlobalType, readMemType, readRefType, readTableType, readTypeSection } from './types.js';
import { parseNameSection } from './names.js';
import { HT, refType, registerModuleTypes } from '../syntax/reftypes.js';
import { WASM_2_0, type CoreFeatures } from '../syntax/feature-set.js';
import { noteLocalUses, recordCodeFeatures } from '../syntax/features.js';
import { LazyFunc, readLocals } from './lazy-func.js';

export { DecodeError };

/**
 * Sees each function body as the decoder reads it, while its tree exists,
 * so that a pass over every body needs no second decoding.
 */
export interface BodyVisitor {
  /**
   * The code section begins: `m` holds the sections before it; `funcTypes`
   * are the defined functions' type indices; `features`, the feature set
   * the module is decoded with.
   */
  begin(m: Module, funcTypes: readonly number[], features: CoreFeatures): void;
  /** Function `index` (of the defined ones), whose code starts at `offset`. */
  body(index: number, offset: number, code: FuncCode): void;
  /** The whole module decoded without error. */
  end(m: Module): void;
}

const MAGIC = 0x6d736100; // "\0asm", read little-endian
const VERSION = 1;

const enum SectionId {
  custom = 0, type = 1, import = 2, func = 3, table = 4, memory = 5, global = 6,
  export = 7, start = 8, elem = 9, code = 10, data = 11, dataCount = 12, tag = 13,
}

/** Position of each non-custom section in the required order (the data count section comes before code). */
const SECTION_ORDER = [0, 1, 2, 3, 4, 5, 6.5, 7, 8, 9, 11, 12, 10, 6];
/* The tag section (13, exception handling) sits between memory and global. */

/**
 * Decodes a binary module. `features` says which post-2.0 encodings are
 * accepted; with the default, WebAssembly 2.0, the decoder is exactly 2.0's.
 * Every function body is decoded (malformed code is refused here), but what
 * the module keeps of each is where it starts (lazy-func.ts), and what the
 * code uses (features.ts's CodeFeatures). A `visitor` sees each body's tree
 * while it exists (validation checks bodies so, in the same pass:
 * valid/early.ts).
 */
export function decodeModule(bytes: Uint8Array, features: CoreFeatures = WASM_2_0, visitor?: BodyVisitor): Module {
  return decode(bytes, features, visitor, false);
}

/**
 * Decodes a module whose code this cmr decoded and validated before (a
 * serialized component's, trusted by its checksum: api/serialize.ts): the
 * function bodies are skipped, not read. What the code uses is not learnt
 * (the caller records it: features.ts's recordCodeFeatures).
 */
export function decodeTrustedModule(bytes: Uint8Array, features: CoreFeatures, code?: TrustedCode): Module {
  return decode(bytes, features, undefined, true, code);
}

/**
 * What a serialized component stores of a trusted module's code section, so
 * that loading never reads it: where each body starts (Func.offset), and
 * the check its bytes must pass before any body is decoded (api/serialize.ts
 * hashes the section on first use, not at loading; null: already checked).
 */
export interface TrustedCode {
  /** Each defined function's type index (the function section, also not read) and where its body starts. */
  types: Uint32Array;
  offsets: Uint32Array;
  check: (() => void) | null;
}

/** Where each decoded module's code section's contents are in its bytes (codeSectionOf). */
const codeSections = new WeakMap<Module, { at: number; size: number }>();

/** Where `m`'s code section's contents are in the bytes it was decoded from (undefined: not decoded, or no code section). */
export function codeSectionOf(m: Module): { at: number; size: number } | undefined {
  return codeSections.get(m);
}

function decode(bytes: Uint8Array, features: CoreFeatures, visitor: BodyVisitor | undefined, trustedCode: boolean, stored?: TrustedCode): Module {
  const r = new Reader(bytes);
  r.features = features;
  const m = emptyModule();

  const magic = r.fixed32();
  if (magic !== MAGIC) r.fail('magic header not detected', 0);
  const version = r.fixed32();
  if (version !== VERSION) r.fail('unknown binary version', 4);

  const facts: CodeFacts = { usesDataIndex: false, features };
  let funcTypes: number[] = [];
  let bodies: number[] = [];
  // The function code's own facts: what it uses (CodeFeatures), apart from constant expressions.
  const codeFacts: CodeFacts = { usesDataIndex: false, features, uses: { simd: false, exceptions: false, typedRefs: false } };
  let lastOrder = 0;

  while (!r.eof()) {
    const idAt = r.pos;
    const id = r.u8();
    if (id > (features.exceptions ? SectionId.tag : SectionId.dataCount)) r.fail('malformed section id', idAt);
    if (id !== SectionId.custom) {
      const order = SECTION_ORDER[id]!;
      if (order <= lastOrder) r.fail('unexpected content after last section', idAt);
      lastOrder = order;
    }
    const size = r.len();
    const start = r.pos;
    switch (id) {
      case SectionId.custom: m.customs.push(readCustom(r, size, m)); break;
      case SectionId.type: m.types = readTypeSection(r); break;
      case SectionId.import: m.imports = r.vec(readImport); break;
      case SectionId.func:
        if (stored !== undefined) r.skip(size);
        else funcTypes = r.vec(rr => rr.u32());
        break;
      case SectionId.table: m.tables = r.vec(rr => readTable(rr, facts)); break;
      case SectionId.memory: m.mems = r.vec(readMemory); break;
      case SectionId.global: m.globals = r.vec(rr => readGlobal(rr, facts)); break;
      case SectionId.export: m.exports = r.vec(readExport); break;
      case SectionId.start: m.start = r.u32(); break;
      case SectionId.elem: m.elems = r.vec(rr => readElem(rr, facts)); break;
      case SectionId.dataCount: m.dataCount = r.u32(); break;
      case SectionId.code:
        visitor?.begin(m, funcTypes, features);
        let index = 0;
        codeSections.set(m, { at: start, size });
        // Not read when stored: its bytes are checked on first use (TrustedCode).
        if (stored !== undefined) r.skip(size);
        else bodies = r.vec(rr => (trustedCode ? skipCode(rr) : readCode(rr, codeFacts, index++, visitor)));
        break;
      case SectionId.data:
        if (trustedCode) lazyDatas(m, r, size, facts);
        else m.datas = r.vec(rr => readData(rr, facts));
        break;
      case SectionId.tag: m.tags = r.vec(rr => ({ typeIdx: readTagType(rr) })); break;
    }
    if (r.pos !== start + size) r.fail('section size mismatch', start);
  }

  if (stored !== undefined) {
    m.funcs = storedFuncs(stored, codeSections.get(m), bytes, features, r);
  } else if (funcTypes.length !== bodies.length) {
    r.fail('function and code section have inconsistent lengths', bytes.length);
  }
  if (!trustedCode && m.dataCount !== null && m.dataCount !== m.datas.length) {
    r.fail('data count and data section have inconsistent lengths', bytes.length);
  }
  if (m.dataCount === null && (facts.usesDataIndex || codeFacts.usesDataIndex)) {
    r.fail('data count section required', bytes.length);
  }

  if (stored === undefined) m.funcs = bodies.map((offset, i) => new LazyFunc(funcTypes[i]!, offset, bytes, features));
  registerModuleTypes(m);
  if (!trustedCode) recordCodeFeatures(m, codeFacts.uses!);
  visitor?.end(m);
  return m;
}

function readCustom(r: Reader, size: number, m: Module): CustomSection {
  const start = r.pos;
  const name = r.name();
  // A name longer than the section makes this negative: "unexpected end".
  const payload = r.take(size - (r.pos - start)); // a view, as data segments are
  if (name === 'name') m.names = parseNameSection(payload);
  return { name, bytes: payload };
}

function readImport(r: Reader): Import {
  const module = r.name();
  const name = r.name();
  const at = r.pos;
  const kind = r.u8();
  let desc: ImportDesc;
  switch (kind) {
    case 0x00: desc = { kind: 'func', typeIdx: r.u32() }; break;
    case 0x01: desc = { kind: 'table', type: readTableType(r) }; break;
    case 0x02: desc = { kind: 'memory', type: readMemType(r) }; break;
    case 0x03: desc = { kind: 'global', type: readGlobalType(r) }; break;
    case 0x04:
      if (!r.features.exceptions) return r.fail('malformed import kind', at);
      desc = { kind: 'tag', typeIdx: readTagType(r) };
      break;
    default: return r.fail('malformed import kind', at);
  }
  return { module, name, desc };
}

/** A table: its type, or (3.0, typed function references) 0x40 0x00, its type and an initialiser expression. */
function readTable(r: Reader, facts: CodeFacts): Table {
  if (r.peek() === 0x40 && r.features.functionReferences) {
    const at = r.pos;
    r.pos++;
    if (r.u8() !== 0x00) r.fail('malformed table', at);
    const type = readTableType(r);
    return { type, init: readExpr(r, facts) };
  }
  return { type: readTableType(r), init: null };
}

function readMemory(r: Reader): Memory {
  return { type: readMemType(r) };
}

function readGlobal(r: Reader, facts: CodeFacts): Global {
  const type = readGlobalType(r);
  const init = readExpr(r, facts);
  return { type, init };
}

const EXPORT_KINDS: ExternKind[] = ['func', 'table', 'memory', 'global', 'tag'];

/** A tag type: the attribute byte 0 (exception), then a type index. */
function readTagType(r: Reader): number {
  const at = r.pos;
  if (r.u8() !== 0) r.fail('malformed tag attribute', at);
  return r.u32();
}

function readExport(r: Reader): Export {
  const name = r.name();
  const at = r.pos;
  const kind = EXPORT_KINDS[r.u8()];
  if (kind === undefined || (kind === 'tag' && !r.features.exceptions)) r.fail('malformed export kind', at);
  return { name, kind, index: r.u32() };
}

/**
 * The element kind of the segment encodings with function indices: only
 * 0x00 exists, funcref in 2.0 and (ref func) in 3.0 (an index is never null).
 */
function readElemKind(r: Reader): RefType {
  const at = r.pos;
  if (r.u8() !== 0x00) r.fail('malformed element kind', at);
  return funcIndicesType(r);
}

function funcIndicesType(r: Reader): RefType {
  return r.features.functionReferences ? refType(HT.func, false) : FUNCREF;
}

/** A vector of function indices, as `ref.func` expressions. */
function readFuncIndices(r: Reader): Expr[] {
  return r.vec(rr => {
    const at = rr.pos;
    const ins = new Instr(Op.ref_func, at);
    ins.a = rr.u32();
    return [ins];
  });
}

function readElem(r: Reader, facts: CodeFacts): Elem {
  const at = r.pos;
  const flags = r.u32();
  // Bit 0: passive or declarative (else active); bit 1: explicit table
  // index (active) or declarative (otherwise); bit 2: items are expressions.
  if (flags > 7) r.fail('malformed elements segment kind', at);
  const active = (flags & 1) === 0;
  let table = 0;
  let offset: Expr = [];
  if (active) {
    if (flags & 2) table = r.u32();
    offset = readExpr(r, facts);
  }
  const mode: Elem['mode'] = active
    ? { kind: 'active', table, offset }
    : (flags & 2) ? { kind: 'declarative' } : { kind: 'passive' };
  // Flags 0 and 4 imply funcref (0, function indices: (ref func) in 3.0); the others give the kind or type explicitly.
  const implicitType = flags === 0 || flags === 4;
  let type: RefType = flags === 0 ? funcIndicesType(r) : FUNCREF;
  let init: Expr[];
  if (flags & 4) {
    if (!implicitType) type = readRefType(r);
    init = r.vec(rr => readExpr(rr, facts));
  } else {
    if (!implicitType) type = readElemKind(r);
    init = readFuncIndices(r);
  }
  return { type, init, mode };
}

function readData(r: Reader, facts: CodeFacts): Data {
  const at = r.pos;
  const flags = r.u32();
  let mode: Data['mode'];
  switch (flags) {
    case 0: mode = { kind: 'active', memory: 0, offset: readExpr(r, facts) }; break;
    case 1: mode = { kind: 'passive' }; break;
    case 2: {
      const memory = r.u32();
      mode = { kind: 'active', memory, offset: readExpr(r, facts) };
      break;
    }
    default: return r.fail('malformed data segment kind', at);
  }
  // A view of the module's bytes, not a copy: the bytes stay alive anyway
  // (function bodies are read from them), and a serialized component then
  // stores the segment once, as a slice of its binary (api/serialize.ts).
  const init = r.take(r.len());
  return { init, mode };
}

/**
 * A trusted module's data section (decoded before), skipped: `m.datas` is
 * decoded on first use. The native engine never uses it (V8 initialises
 * memory from the bytes), and a large module's segments are most of what
 * decoding its other sections costs (10 000 in a 12 MB SpiderMonkey).
 */
function lazyDatas(m: Module, r: Reader, size: number, facts: CodeFacts): void {
  const at = r.pos;
  r.skip(size);
  trustedDataSections.set(m, { bytes: r.bytes, at });
  const define = (datas: Data[]): void => {
    Object.defineProperty(m, 'datas', { value: datas, writable: true, enumerable: true, configurable: true });
  };
  // Segments set from outside may differ from the section's: only the decoded ones keep it.
  const set = (datas: Data[]): void => {
    trustedDataSections.delete(m);
    define(datas);
  };
  Object.defineProperty(m, 'datas', {
    enumerable: true,
    configurable: true,
    get(): Data[] {
      const rr = new Reader(r.bytes, at);
      rr.features = r.features;
      const datas = rr.vec(x => readData(x, facts));
      define(datas);
      return datas;
    },
    set,
  });
}

/** The byte that ends an expression. */
const END = 0x0b;

/** Where a trusted module's data section starts (lazyDatas), while `m.datas` is the section's. */
const trustedDataSections = new WeakMap<Module, { bytes: Uint8Array; at: number }>();

/** A trusted module's data segments as positions in its bytes (trustedDataSegments). */
export interface TrustedDataSegments {
  /** The module's bytes, which hold every segment's. */
  bytes: Uint8Array;
  /** Where segment `i`'s bytes start in `bytes`, and how many. */
  starts: Int32Array;
  lengths: Int32Array;
  /** The memory of active segment `i`, or -1 if it is passive. */
  active: Int32Array;
  /** An active segment's offset (its i32.const). */
  offsets: Int32Array;
}

/**
 * A trusted module's data segments read straight from its data section,
 * making no object per segment (a 12 MB module has 10 000, most of a few
 * bytes). Null where the module is not a trusted one with its section
 * unchanged, or where an offset is not a plain i32.const (the caller then
 * reads `m.datas`, whose offsets are expressions).
 */
export function trustedDataSegments(m: Module): TrustedDataSegments | null {
  const section = trustedDataSections.get(m);
  if (section === undefined) return null;
  // The section was decoded and checked when the component was compiled
  // (and its bytes are vouched for by the checksum): read with plain loops
  // rather than a Reader's calls, as this runs before V8 has optimised
  // anything, where 10 000 segments' calls cost ~4 000 instructions each.
  const b = section.bytes;
  let p = section.at, x = 0, v = 0, shift = 0;
  for (v = 0, shift = 0; ; shift += 7) { x = b[p++]!; v |= (x & 0x7f) << shift; if (x < 0x80) break; }
  const n = v >>> 0;
  const starts = new Int32Array(n), lengths = new Int32Array(n), active = new Int32Array(n), offsets = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const flags = b[p++]!;
    if (flags === 1) active[i] = -1;
    else {
      if (flags === 0) active[i] = 0;
      else if (flags === 2) {
        for (v = 0, shift = 0; ; shift += 7) { x = b[p++]!; v |= (x & 0x7f) << shift; if (x < 0x80) break; }
        active[i] = v;
      } else return null;
      if (b[p++] !== Op.i32_const) return null;
      // Signed: the last byte's bit 6 is the sign, extended above what was read.
      for (v = 0, shift = 0; ; shift += 7) { x = b[p++]!; v |= (x & 0x7f) << shift; if (x < 0x80) break; }
      offsets[i] = shift < 25 && (x & 0x40) !== 0 ? v | (-1 << (shift + 7)) : v;
      if (b[p++] !== END) return null;
    }
    for (v = 0, shift = 0; ; shift += 7) { x = b[p++]!; v |= (x & 0x7f) << shift; if (x < 0x80) break; }
    starts[i] = p;
    lengths[i] = v;
    p += v;
  }
  return { bytes: b, starts, lengths, active, offsets };
}

/** A trusted module's functions from what was stored of them, each body inside the code section `code` (where it was). */
function storedFuncs(stored: TrustedCode, code: { at: number; size: number } | undefined, bytes: Uint8Array, features: CoreFeatures, r: Reader): Func[] {
  const { types, offsets, check } = stored;
  const n = types.length;
  if (offsets.length !== n) r.fail('function and code section have inconsistent lengths', bytes.length);
  const from = code?.at ?? 0, to = from + (code?.size ?? 0);
  const out = new Array<Func>(n);
  for (let i = 0; i < n; i++) {
    const o = offsets[i]!;
    if (!(o > from && o < to)) r.fail('a stored function body outside the code section', from);
    out[i] = new LazyFunc(types[i]!, o, bytes, features, check);
  }
  return out;
}

/** Skips a code entry (trusted: decoded before) and returns where its locals start. */
function skipCode(r: Reader): number {
  const size = r.len();
  const start = r.pos;
  r.skip(size);
  return start;
}

/**
 * Reads code entry `index` (its facts into `facts`), shows it to `visitor`,
 * and returns where its locals start: its tree is dropped.
 */
function readCode(r: Reader, facts: CodeFacts, index: number, visitor: BodyVisitor | undefined): number {
  const size = r.len();
  const start = r.pos;
  const locals = readLocals(r);
  noteLocalUses(facts.uses!, locals);
  const body = readExpr(r, facts);
  if (r.pos !== start + size) r.fail('section size mismatch', start);
  visitor?.body(index, start, { locals, body });
  return start;
}
