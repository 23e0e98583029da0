// A tiny WebAssembly binary encoder (spec §5), just enough for the small
// modules the native engine generates: trampolines, global makers and the
// feature probes. It writes bytes; it does not validate.

import { compOf, type DefType, type FieldType, type FuncType, type ValType } from '../syntax/types.js';
import { heapOf, isConcrete, isNullable, typeIndexOf } from '../syntax/reftypes.js';

/** Section ids (spec §5.5.2). */
export const SectionId = {
  custom: 0, type: 1, import: 2, func: 3, table: 4, memory: 5, global: 6,
  export: 7, start: 8, elem: 9, code: 10, data: 11, dataCount: 12, tag: 13,
} as const;

/** Export and import kind bytes (spec §5.5.5, §5.5.10). */
export const ExternByte = { func: 0x00, table: 0x01, memory: 0x02, global: 0x03, tag: 0x04 } as const;

/** Appends bytes in the encodings of spec §5.1–5.2. */
export class ByteWriter {
  readonly bytes: number[] = [];

  byte(...bs: number[]): this {
    for (const b of bs) this.bytes.push(b & 0xff);
    return this;
  }

  raw(bs: ArrayLike<number>): this {
    for (let i = 0; i < bs.length; i++) this.bytes.push(bs[i]! & 0xff);
    return this;
  }

  /** Unsigned LEB128 of a non-negative integer below 2^32. */
  u32(n: number): this {
    do {
      let b = n & 0x7f;
      n = Math.floor(n / 128);
      if (n !== 0) b |= 0x80;
      this.bytes.push(b);
    } while (n !== 0);
    return this;
  }

  /** Signed LEB128 of a 32-bit integer. */
  s32(n: number): this {
    return this.s64(BigInt(n | 0));
  }

  /** Signed LEB128 of a 64-bit integer. */
  s64(n: bigint): this {
    for (;;) {
      const b = Number(n & 0x7fn);
      n >>= 7n;
      const done = (n === 0n && (b & 0x40) === 0) || (n === -1n && (b & 0x40) !== 0);
      this.bytes.push(done ? b : b | 0x80);
      if (done) return this;
    }
  }

  /** A name: its UTF-8 length, then its UTF-8 bytes. */
  name(s: string): this {
    const utf8 = new TextEncoder().encode(s);
    return this.u32(utf8.length).raw(utf8);
  }

  /** A vector: its length, then each item written by `each`. */
  vec<T>(items: readonly T[], each: (w: this, item: T) => void): this {
    this.u32(items.length);
    for (const item of items) each(this, item);
    return this;
  }

  funcType(t: FuncType): this {
    this.byte(0x60);
    this.vec(t.params, (w, v) => w.valType(v));
    return this.vec(t.results, (w, v) => w.valType(v));
  }

  /** A value (or packed storage) type: one byte, or 0x63/0x64 and a heap type (a type index as s33). */
  valType(v: ValType): this {
    if (v < 0x100) return this.byte(v);
    const h = heapOf(v);
    this.byte(isNullable(v) ? 0x63 : 0x64);
    return isConcrete(h) ? this.s32(typeIndexOf(h)) : this.byte(h);
  }

  /** A defined type (GC): sub/final with its supertypes when it has them, then its composite type. */
  defType(t: DefType): this {
    if (t.supers !== undefined || t.final === false) {
      this.byte(t.final === false ? 0x50 : 0x4f).vec(t.supers ?? [], (w, x) => w.u32(x));
    }
    if (compOf(t) === 'func') return this.funcType(t);
    const field = (w: this, f: FieldType): void => { w.valType(f.type).byte(f.mutable ? 1 : 0); };
    if (compOf(t) === 'struct') return this.byte(0x5f).vec(t.fields!, field);
    this.byte(0x5e);
    field(this, t.fields![0]!);
    return this;
  }

  /** A type section's contents: the types, their rec groups as recorded (a group of one written bare). */
  typeSection(types: readonly DefType[]): this {
    const groups: DefType[][] = [];
    for (let i = 0; i < types.length;) {
      const t = types[i]!;
      const n = t.recStart === i && (t.recSize ?? 1) !== 1 ? t.recSize! : 1;
      groups.push(types.slice(i, i + n) as DefType[]);
      i += Math.max(n, 1);
    }
    return this.vec(groups, (w, g) => {
      if (g.length === 1 && g[0]!.recSize === undefined) w.defType(g[0]!);
      else w.byte(0x4e).vec(g, (gw, t) => gw.defType(t));
    });
  }
}

/** One section: id, byte size, contents. */
export function section(id: number, contents: ByteWriter | readonly number[]): number[] {
  const body = contents instanceof ByteWriter ? contents.bytes : contents;
  return [id, ...new ByteWriter().u32(body.length).bytes, ...body];
}

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** A module from already-encoded sections, in the order given. */
export function moduleBytes(sections: readonly (readonly number[])[]): Uint8Array {
  const all = [...HEADER];
  for (const s of sections) for (const b of s) all.push(b);
  return new Uint8Array(all);
}

export interface FuncImport { module: string; name: string; typeIdx: number }
export interface GlobalImport { module: string; name: string; type: ValType; mutable: boolean }
export interface TagImport { module: string; name: string; typeIdx: number }
export interface FuncDef {
  typeIdx: number;
  /** Locals beyond the parameters, one entry each. */
  locals: ValType[];
  /** The instructions, without the final `end`. */
  body: number[];
}
export interface GlobalDef { type: ValType; mutable: boolean; init: number[] }
export interface ExportDef { name: string; kind: keyof typeof ExternByte; index: number }

/** The few parts a generated module has. */
export interface ModuleParts {
  types?: DefType[];
  funcImports?: FuncImport[];
  globalImports?: GlobalImport[];
  tagImports?: TagImport[];
  funcs?: FuncDef[];
  globals?: GlobalDef[];
  exports?: ExportDef[];
}

export function encodeModule(m: ModuleParts): Uint8Array {
  const sections: number[][] = [];
  const types = m.types ?? [];
  if (types.length > 0) sections.push(section(SectionId.type, new ByteWriter().typeSection(types)));
  const funcImports = m.funcImports ?? [];
  const globalImports = m.globalImports ?? [];
  const tagImports = m.tagImports ?? [];
  if (funcImports.length + globalImports.length + tagImports.length > 0) {
    const w = new ByteWriter().u32(funcImports.length + globalImports.length + tagImports.length);
    for (const i of funcImports) w.name(i.module).name(i.name).byte(ExternByte.func).u32(i.typeIdx);
    for (const i of globalImports) w.name(i.module).name(i.name).byte(ExternByte.global, i.type, i.mutable ? 1 : 0);
    // A tag's attribute byte is 0 (an exception).
    for (const i of tagImports) w.name(i.module).name(i.name).byte(ExternByte.tag, 0).u32(i.typeIdx);
    sections.push(section(SectionId.import, w));
  }
  const funcs = m.funcs ?? [];
  if (funcs.length > 0) sections.push(section(SectionId.func, new ByteWriter().vec(funcs, (w, f) => w.u32(f.typeIdx))));
  const globals = m.globals ?? [];
  if (globals.length > 0) {
    sections.push(section(SectionId.global, new ByteWriter().vec(globals, (w, g) =>
      w.byte(g.type, g.mutable ? 1 : 0).raw(g.init).byte(0x0b))));
  }
  const exports = m.exports ?? [];
  if (exports.length > 0) {
    sections.push(section(SectionId.export, new ByteWriter().vec(exports, (w, e) =>
      w.name(e.name).byte(ExternByte[e.kind]).u32(e.index))));
  }
  if (funcs.length > 0) {
    sections.push(section(SectionId.code, new ByteWriter().vec(funcs, (w, f) => {
      // Locals are written one group per local: simpler than run-length grouping, and these bodies are tiny.
      const body = new ByteWriter().vec(f.locals, (lw, t) => lw.u32(1).byte(t)).raw(f.body).byte(0x0b);
      w.u32(body.bytes.length).raw(body.bytes);
    })));
  }
  return moduleBytes(sections);
}
