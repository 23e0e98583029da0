// The interpreter's prepared code in stored form (the serialized component,
// api/serialize.ts): each function's prepared body (node.ts's PNode trees,
// after fusion and finishBody) in a compact binary encoding, so that a
// function's first call after loading rebuilds its tree from a few bytes
// instead of decoding, validating (for operand heights) and fusing its body.
// Rebuilding is lazy as preparing is: a module's functions are a table of
// byte ranges, and `Code.prepare` (prepare.ts) rebuilds one on its first
// call; a function never called is never rebuilt. Within a function, lazier
// still: only its root body is built then; each nested body (a loop's,
// try_table's, if arm's, handler's) starts as one P.unbuilt node and is built in
// place on its first entry (the interpreter's P.unbuilt case calls
// `buildBody`), since a first call enters few of them: of the 120 000 nodes
// the componentize-js hello's first call rebuilt with the function, 52% lay
// in bodies it never entered. Every branch into a body lies inside it, so
// a body is first entered at its start, and the loop has no check for it.
//
// Nodes are encoded by PNode's fields, not by opcode, so a new node form
// (another fused opcode) needs nothing here; a new *field* must be stored
// here, and `NODE_FIELDS` makes encoding fail until it is (a test holds the
// list too). Bodies are referenced by ids, not nested: a branch's `body` is
// the body it continues in (an enclosing one, or a loop's own), a fused
// loop back-edge's `else_` is the loop's body, and a try_table's handler
// bodies hang off its TryScope, so a function's bodies are numbered in the
// order they are first met (the root is 0) and stored in that order.
//
// Two things are not plain fields:
// - a node's `src`, the instruction it starts with, which the loop's helpers
//   read for immediates (memory and table indices, memarg offsets of the
//   slow memory paths, a shuffle's lane bytes): its scalar fields and bytes
//   are stored (INSTR_STORED), not its nested bodies, labels, catch clauses
//   or block type, which only preparation reads, nor its byte offset, which
//   only the debugger reads (from code it prepares itself). So a rebuilt
//   node's src is equal to the prepared node's in every stored field, and
//   the nodes of a module whose sources are equal so share one Instr (the
//   module's sources are a table its node kinds index; each is made on its
//   first use): a seventh of the Instr objects a table per function made
//   (for the first call of a 12 MB component), and nothing is read or kept
//   twice;
// - GC nodes (gc/prepare.ts's isGcNode), whose type fields are canonical type ids,
//   numbers interned per process (syntax/reftypes.ts): they are made again
//   from their stored instruction by gc/prepare.ts's gcNode, which also
//   makes the runtime types they name, as preparing does.
//
// Layout of one module's code, in two parts (varints: LEB128; signed ones
// zigzag; words: u32 little-endian):
// - the head, which the serialized form's checksum covers and loading
//   checks: varint F (defined functions); varint K, then K node kinds of
//   three words each (op, field mask: bits 0-6 a..g non-zero, 7 body,
//   8 else_, 9 targets; source index), numbered by how many nodes use them,
//   most first, so that most nodes name theirs in one byte; varint Q, then
//   Q + 1 words (where each source instruction starts in the bytes that
//   follow, and where they end) and the Q source instructions (op, mask of
//   non-zero fields, those fields), shared by every function of the module;
//   F + 1 words (where each function's record starts in the records, and
//   where the last ends); F sha256 digests, one per record, 32 bytes each;
// - the records, one per function, each checked against its digest on the
//   function's first call, before it is read (so loading hashes only the
//   head, not every function's code): varint maxHeight; varint R, R runs of
//   declared locals (count, type); varint B (bodies); varint S, S try scopes
//   (base, outer + 1 or 0, H handlers: kind, tag, T types, body id); then
//   B entries, one per body in id order (its try scope + 1 or 0, its
//   encoding's length in bytes: where each starts, so a body is read on its
//   own), then the B bodies in id order to the record's end: N, N nodes. A
//   node: kind, its non-zero fields in order, body ids, targets (N nodes).
//
// The stored code is trusted as the function bodies are (the serialized
// form's checksum and the records' digests vouch for it; it is not
// validated again). Reading stays checked all the same: what does not parse
// (a count past the record, a body, kind or source it does not have, a
// body read past its length, which its final position check catches, body
// lengths that do not add up to the record's) is refused with
// StoredCodeError, never a crash; a nested body that does not parse is
// refused on its entry, and stays unbuilt, never half built.

import { createHash } from 'node:crypto';
import { Instr, importedFuncCount, type Module } from '../syntax/ast.js';
import type { ValType } from '../syntax/types.js';
import { P, PNode } from './node.js';
import { type Handler, TryScope, tryScopes } from './exceptions.js';
import { gcNodeAgain, isGcNode } from './gc/prepare.js';

/** PNode's fields, each stored by this encoding (checked against the class before encoding). */
export const NODE_FIELDS: readonly string[] = ['op', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'body', 'else_', 'targets', 'src'];
/** The fields of a node's source instruction that are stored: what running reads. */
export const INSTR_STORED: readonly string[] = ['op', 'a', 'b', 'c', 'lane', 'i64', 'bytes'];
/**
 * The rest: preparation reads them (nested bodies, labels, catches, block
 * type), running does not; only the debugger reads `offset`, and it
 * prepares its own code (prepareModule(m, true)), never the stored one;
 * `aux` is the engine's cache.
 */
export const INSTR_LEFT_OUT: readonly string[] = ['bt', 'body', 'else_', 'labels', 'catches', 'offset', 'aux'];

/** A malformed stored code section (the writer's bug or damage the checksum missed). */
export class StoredCodeError extends Error {
  constructor(message: string) {
    super(`corrupted: the stored prepared code ${message}`);
    this.name = 'StoredCodeError';
  }
}

/** What the interpreter keeps of a prepared function (prepare.ts's Code has these). */
export interface PreparedFunction {
  body: PNode[];
  /** Parameters, then declared locals. */
  localTypes: readonly ValType[];
  nparams: number;
  /** Value-stack slots the frame uses: locals + the highest operand stack + 1. */
  frameSize: number;
}

/** A function rebuilt from its stored form. */
export interface RebuiltFunction {
  body: PNode[];
  /** The declared locals (after the parameters). */
  locals: ValType[];
  maxHeight: number;
}

// ---- bytes -----------------------------------------------------------------

class Writer {
  buf = new Uint8Array(1 << 12);
  n = 0;

  private room(k: number): void {
    if (this.n + k <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.n + k) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.n));
    this.buf = b;
  }

  /** An unsigned varint: any non-negative integer (exact for every integral double). */
  u(v: number): void {
    this.room(11);
    while (v >= 0x80) {
      this.buf[this.n++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.n++] = v;
  }

  /** A signed integer, zigzag (-0 as 0: fields are read as integers, `| 0`). */
  s(v: number): void {
    if (!Number.isInteger(v)) throw new Error(`the prepared-code store keeps integers only, not ${v}`);
    this.u(v >= 0 ? 2 * v : -2 * v - 1);
  }

  big(v: bigint): void {
    let z = v >= 0n ? v << 1n : ((-v) << 1n) - 1n;
    this.room(1);
    while (z >= 0x80n) {
      this.buf[this.n++] = Number(z & 0x7fn) | 0x80;
      this.room(1);
      z >>= 7n;
    }
    this.buf[this.n++] = Number(z);
  }

  bytes(b: Uint8Array): void {
    this.u(b.length);
    this.raw(b);
  }

  /** Bytes as they are, without their length. */
  raw(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.n);
    this.n += b.length;
  }

  /** Bytes `from` to `to` of `b`, as they are (byte by byte: the spans are a few bytes, a view each would cost more). */
  copy(b: Uint8Array, from: number, to: number): void {
    this.room(to - from);
    const buf = this.buf;
    let n = this.n;
    for (let i = from; i < to; i++) buf[n++] = b[i]!;
    this.n = n;
  }

  /** A u32, little-endian. */
  word(v: number): void {
    this.room(4);
    const at = this.n;
    this.buf[at] = v; this.buf[at + 1] = v >>> 8; this.buf[at + 2] = v >>> 16; this.buf[at + 3] = v >>> 24;
    this.n += 4;
  }

  done(): Uint8Array {
    return this.buf.slice(0, this.n);
  }
}

class Reader {
  constructor(readonly b: Uint8Array, public p: number, readonly end: number, readonly what: string) {}

  fail(why: string): never {
    throw new StoredCodeError(`of ${this.what} ${why} (at byte ${this.p})`);
  }

  /**
   * An unsigned varint. Values below 2^28 (nearly all) are built with bit
   * operations, so they come out as small integers (Smis): a node field
   * holding a double would change PNode's field representation for every
   * node and slow the loop down.
   */
  u(): number {
    const b = this.b;
    let p = this.p;
    if (p + 4 < this.end) {
      let y = b[p++]!;
      let v = y & 0x7f;
      if (y >= 0x80) { y = b[p++]!; v |= (y & 0x7f) << 7;
        if (y >= 0x80) { y = b[p++]!; v |= (y & 0x7f) << 14;
          if (y >= 0x80) { y = b[p++]!; v |= (y & 0x7f) << 21;
            if (y >= 0x80) return this.wide(); } } }
      this.p = p;
      return v;
    }
    return this.wide();
  }

  /** A varint of any length (bounds-checked byte by byte). */
  private wide(): number {
    let v = 0, scale = 1;
    for (;;) {
      if (this.p >= this.end) this.fail('ends early');
      const y = this.b[this.p++]!;
      v += (y & 0x7f) * scale;
      if (y < 0x80) return v;
      scale *= 0x80;
      if (scale > 2 ** 70) this.fail('has a varint too long');
    }
  }

  /** A signed integer (zigzag); an int32 as a small integer where it fits. */
  s(): number {
    const z = this.u();
    if (z <= 0xffffffff) return (z >>> 1) ^ -(z & 1);
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  /** A signed 64-bit integer (zigzag). */
  big(): bigint {
    // Most are small: read as a number while it is exact (seven bytes, 49
    // bits), making one BigInt, not one per byte, then as BigInts.
    const b = this.b;
    let z = 0, scale = 1, p = this.p;
    for (let i = 0; i < 7 && p < this.end; i++) {
      const y = b[p++]!;
      z += (y & 0x7f) * scale;
      if (y < 0x80) {
        this.p = p;
        return BigInt(z % 2 === 0 ? z / 2 : -(z + 1) / 2);
      }
      scale *= 0x80;
    }
    return this.wideBig();
  }

  private wideBig(): bigint {
    let z = 0n, shift = 0n;
    for (;;) {
      if (this.p >= this.end) this.fail('ends early');
      const y = this.b[this.p++]!;
      z |= BigInt(y & 0x7f) << shift;
      if (y < 0x80) break;
      shift += 7n;
      if (shift > 70n) this.fail('has a 64-bit integer too long');
    }
    return (z & 1n) === 0n ? z >> 1n : -((z + 1n) >> 1n);
  }

  bytes(): Uint8Array {
    const n = this.u();
    if (n > this.end - this.p) this.fail('ends early');
    const out = this.b.slice(this.p, this.p + n);
    this.p += n;
    return out;
  }

  /** A count of items that take at least one byte each. */
  count(): number {
    const n = this.u();
    if (n > this.end - this.p) this.fail(`counts ${n} items in ${this.end - this.p} bytes`);
    return n;
  }
}

function u32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

// ---- encoding --------------------------------------------------------------

const M_BODY = 1 << 7, M_ELSE = 1 << 8, M_TARGETS = 1 << 9;
// A source instruction's mask: which of its fields are not zero (null).
const S_A = 1, S_B = 2, S_C = 4, S_LANE = 8, S_I64 = 16, S_BYTES = 32;

let fieldsChecked = false;

/** Fails unless PNode and Instr have exactly the fields this encoding knows. */
export function checkFieldLists(): void {
  if (fieldsChecked) return;
  const node = Object.keys(new PNode(0, new Instr(0)));
  if (node.join() !== NODE_FIELDS.join()) {
    throw new Error(`PNode's fields are [${node.join(', ')}]; prepared-store.ts stores [${NODE_FIELDS.join(', ')}]: store the new field there`);
  }
  const instr = Object.keys(new Instr(0)).sort();
  const known = [...INSTR_STORED, ...INSTR_LEFT_OUT].sort();
  if (instr.join() !== known.join()) {
    throw new Error(`Instr's fields are [${instr.join(', ')}]; prepared-store.ts knows [${known.join(', ')}]: store the new field there, or say why not`);
  }
  fieldsChecked = true;
}

function sha256(b: Uint8Array): Uint8Array {
  return createHash('sha256').update(b).digest();
}

/** A source instruction's stored fields, as a key (equal keys: one shared Instr). */
function srcKey(s: Instr): string {
  return `${s.op},${s.a},${s.b},${s.c},${s.lane},${s.i64},${s.bytes === null ? '' : s.bytes.join(':')}`;
}

/** A module's source instructions, numbered as met (equal ones, by srcKey, share a number). */
class Sources {
  private readonly ids = new Map<string, number>();
  readonly list: Instr[] = [];

  id(s: Instr): number {
    const key = srcKey(s);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.list.length;
      this.ids.set(key, id);
      this.list.push(s);
    }
    return id;
  }
}

/**
 * A module's node kinds (op, field mask, source), numbered as met while its
 * functions are encoded, with the number of nodes of each: once every
 * function is, they are numbered again by use (encodeModuleCode).
 */
class Kinds {
  /** Source → op * 2048 + mask → kind. */
  private readonly ids = new Map<number, Map<number, number>>();
  /** Op, mask and source of each kind. */
  readonly list: number[] = [];
  readonly uses: number[] = [];

  id(op: number, mask: number, src: number): number {
    let bySrc = this.ids.get(src);
    if (bySrc === undefined) this.ids.set(src, bySrc = new Map());
    const key = op * 2048 + mask;
    let id = bySrc.get(key);
    if (id === undefined) {
      id = this.uses.length;
      bySrc.set(key, id);
      this.list.push(op, mask, src);
      this.uses.push(0);
    }
    this.uses[id]!++;
    return id;
  }
}

/** One function's encoder: its bodies numbered as met, its scopes, where it names a kind. */
class FunctionEncoder {
  readonly bodyIds = new Map<PNode[], number>();
  readonly bodies: PNode[][] = [];
  readonly scopeIds = new Map<TryScope, number>();
  readonly scopes: TryScope[] = [];
  readonly seen = new Set<PNode>();
  readonly w = new Writer();
  /** Where in `w` each node's kind is (numbered again by use once the module is encoded). */
  readonly kindAt: number[] = [];

  constructor(readonly kinds: Kinds, readonly sources: Sources) {}

  bodyId(b: PNode[]): number {
    let id = this.bodyIds.get(b);
    if (id === undefined) {
      id = this.bodies.length;
      this.bodyIds.set(b, id);
      this.bodies.push(b);
    }
    return id;
  }

  /** The scope's number + 1 (0: none), its outer scopes and handler bodies numbered first. */
  scopeRef(s: TryScope | null): number {
    if (s === null) return 0;
    let id = this.scopeIds.get(s);
    if (id === undefined) {
      this.scopeRef(s.outer);
      for (const h of s.handlers) this.bodyId(h.body);
      id = this.scopes.length;
      this.scopeIds.set(s, id);
      this.scopes.push(s);
    }
    return id + 1;
  }

  node(n: PNode): void {
    if (this.seen.has(n)) throw new Error('a prepared node met twice: the prepared-code store keeps trees, not shared nodes');
    this.seen.add(n);
    const w = this.w;
    let mask = 0;
    if (n.a !== 0) mask |= 1;
    if (n.b !== 0) mask |= 2;
    if (n.c !== 0) mask |= 4;
    if (n.d !== 0) mask |= 8;
    if (n.e !== 0) mask |= 16;
    if (n.f !== 0) mask |= 32;
    if (n.g !== 0) mask |= 64;
    if (n.body !== null) mask |= M_BODY;
    if (n.else_ !== null) mask |= M_ELSE;
    if (n.targets !== null) mask |= M_TARGETS;
    this.kindAt.push(w.n);
    w.u(this.kinds.id(n.op, mask, this.sources.id(n.src)));
    if (mask & 1) w.s(n.a);
    if (mask & 2) w.s(n.b);
    if (mask & 4) w.s(n.c);
    if (mask & 8) w.s(n.d);
    if (mask & 16) w.s(n.e);
    if (mask & 32) w.s(n.f);
    if (mask & 64) w.s(n.g);
    if (n.body !== null) w.u(this.bodyId(n.body));
    if (n.else_ !== null) w.u(this.bodyId(n.else_));
    if (n.targets !== null) {
      w.u(n.targets.length);
      for (const t of n.targets) this.node(t);
    }
  }
}

/** A function's record in two parts, with its kinds as first numbered, and where its bodies and kinds are. */
interface EncodedRecord {
  /** Everything before the body table: maxHeight, locals, B, the try scopes. */
  prefix: Uint8Array;
  /** The bodies' encodings, in id order. */
  bodies: Uint8Array;
  /** Where each body starts in `bodies`, and where the last ends. */
  bodyAt: number[];
  /** Each body's try scope + 1 (0: none). */
  bodyScope: number[];
  /** Where in `bodies` each node's kind is. */
  kindAt: number[];
}

/** One prepared function's record. */
function encodeFunction(f: PreparedFunction, kinds: Kinds, sources: Sources): EncodedRecord {
  const e = new FunctionEncoder(kinds, sources);
  e.bodyId(f.body);
  // The bodies, into e.w: numbering bodies and scopes as they are met.
  const bodyAt: number[] = [], bodyScope: number[] = [];
  for (let i = 0; i < e.bodies.length; i++) {
    const b = e.bodies[i]!;
    bodyScope.push(e.scopeRef(tryScopes.get(b) ?? null));
    bodyAt.push(e.w.n);
    e.w.u(b.length);
    for (const n of b) e.node(n);
  }
  bodyAt.push(e.w.n);
  const out = new Writer();
  const locals = f.localTypes.slice(f.nparams);
  out.u(f.frameSize - f.localTypes.length - 1);
  const runs: [number, ValType][] = [];
  for (const t of locals) {
    const last = runs[runs.length - 1];
    if (last !== undefined && last[1] === t) last[0]++;
    else runs.push([1, t]);
  }
  out.u(runs.length);
  for (const [k, t] of runs) { out.u(k); out.u(t); }
  out.u(e.bodies.length);
  out.u(e.scopes.length);
  for (const s of e.scopes) {
    out.u(s.base);
    out.u(s.outer === null ? 0 : e.scopeIds.get(s.outer)! + 1);
    out.u(s.handlers.length);
    for (const h of s.handlers) {
      out.u(h.kind); out.u(h.tag);
      out.u(h.types.length);
      for (const t of h.types) out.u(t);
      out.u(e.bodyIds.get(h.body)!);
    }
  }
  return { prefix: out.done(), bodies: e.w.done(), bodyAt, bodyScope, kindAt: e.kindAt };
}

/**
 * `r`'s final bytes, with every kind numbered again (`newId`): its prefix,
 * the body table (each body's scope and byte length, as renumbered: a kind's
 * varint may change length) and the bodies.
 */
function renumberKinds(r: EncodedRecord, newId: Int32Array): Uint8Array {
  const bodies = new Writer();
  const read = new Reader(r.bodies, 0, r.bodies.length, 'a record being written');
  const lengths: number[] = [];
  let k = 0;
  for (let i = 0; i + 1 < r.bodyAt.length; i++) {
    const start = bodies.n, end = r.bodyAt[i + 1]!;
    let copied = r.bodyAt[i]!;
    for (; k < r.kindAt.length && r.kindAt[k]! < end; k++) {
      const at = r.kindAt[k]!;
      bodies.copy(r.bodies, copied, at);
      read.p = at;
      bodies.u(newId[read.u()]!);
      copied = read.p;
    }
    bodies.copy(r.bodies, copied, end);
    lengths.push(bodies.n - start);
  }
  const out = new Writer();
  out.raw(r.prefix);
  for (let i = 0; i < lengths.length; i++) { out.u(r.bodyScope[i]!); out.u(lengths[i]!); }
  out.raw(bodies.buf.subarray(0, bodies.n));
  return out.done();
}

function writeSource(w: Writer, s: Instr): void {
  const smask = (s.a !== 0 ? S_A : 0) | (s.b !== 0 ? S_B : 0) | (s.c !== 0 ? S_C : 0) | (s.lane !== 0 ? S_LANE : 0)
    | (s.i64 !== 0n ? S_I64 : 0) | (s.bytes !== null ? S_BYTES : 0);
  w.u(s.op); w.u(smask);
  if (smask & S_A) w.s(s.a);
  if (smask & S_B) w.s(s.b);
  if (smask & S_C) w.s(s.c);
  if (smask & S_LANE) w.s(s.lane);
  if (smask & S_I64) w.big(s.i64);
  if (smask & S_BYTES) w.bytes(s.bytes!);
}

/** One module's prepared code, as stored: its head and its functions' records (see the layout above). */
export interface ModuleCode {
  head: Uint8Array;
  records: Uint8Array;
}

/**
 * One module's prepared code: `prepare(i)` prepares defined function i
 * afresh (prepare.ts's functionPreparer), each encoded and dropped before
 * the next is prepared.
 */
export function encodeModuleCode(nfuncs: number, prepare: (i: number) => PreparedFunction): ModuleCode {
  checkFieldLists();
  const kinds = new Kinds();
  const sources = new Sources();
  const encoded: EncodedRecord[] = [];
  for (let i = 0; i < nfuncs; i++) encoded.push(encodeFunction(prepare(i), kinds, sources));
  // Kinds by use, most used first (ties as met), so most nodes name theirs in one byte.
  const order = kinds.uses.map((_, k) => k).sort((x, y) => kinds.uses[y]! - kinds.uses[x]! || x - y);
  const newId = new Int32Array(order.length);
  order.forEach((k, i) => { newId[k] = i; });
  const records = new Writer();
  const at: number[] = [];
  const digests: Uint8Array[] = [];
  for (const r of encoded) {
    const bytes = renumberKinds(r, newId);
    at.push(records.n);
    digests.push(sha256(bytes));
    records.raw(bytes);
  }
  at.push(records.n);
  const head = new Writer();
  head.u(nfuncs);
  head.u(order.length);
  for (const k of order) { head.word(kinds.list[3 * k]!); head.word(kinds.list[3 * k + 1]!); head.word(kinds.list[3 * k + 2]!); }
  head.u(sources.list.length);
  const src = new Writer();
  const srcAt: number[] = [];
  for (const s of sources.list) { srcAt.push(src.n); writeSource(src, s); }
  srcAt.push(src.n);
  for (const a of srcAt) head.word(a);
  head.raw(src.buf.subarray(0, src.n));
  for (const a of at) head.word(a);
  for (const d of digests) head.raw(d);
  return { head: head.done(), records: records.done() };
}

// ---- decoding --------------------------------------------------------------

const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** `n` words of `b` from `at` (in bounds: the caller checked). */
function words(b: Uint8Array, at: number, n: number): Int32Array {
  const out = new Int32Array(n);
  if (LITTLE_ENDIAN) new Uint8Array(out.buffer).set(b.subarray(at, at + 4 * n));
  else for (let i = 0; i < n; i++) out[i] = u32(b, at + 4 * i) | 0;
  return out;
}

/** A module's stored code, as the interpreter finds it on the module (attachStoredCode). */
interface StoredCode {
  code: ModuleCode;
  nfuncs: number;
  /** Function index of the first defined function (imports come first). */
  first: number;
  /** Each kind's op, field mask and source index, three entries a kind. */
  kinds: Int32Array;
  /** Where each source instruction starts after `srcBase`, and where the last ends (checked on first use). */
  srcAt: Int32Array;
  /** Where the source instructions start in the head. */
  srcBase: number;
  /** The module's source instructions made so far (each on its first use). */
  srcs: (Instr | null)[];
  /** Where each function's record starts in the records, and where the last ends. */
  table: Int32Array;
  /** Where the records' digests start in the head. */
  digests: number;
}

const storedCode = new WeakMap<Module, StoredCode>();

/**
 * Gives `m` its prepared code (encodeModuleCode's output), which
 * Code.prepare then rebuilds its functions from. Checks the head's framing:
 * the number of functions, the kinds, the sources' and records' tables; a
 * record is checked against its digest and read only when its function is
 * first called.
 */
export function attachStoredCode(m: Module, code: ModuleCode): void {
  const { head, records } = code;
  const r = new Reader(head, 0, head.length, 'a module');
  const nfuncs = r.u();
  if (nfuncs !== m.funcs.length) r.fail(`has ${nfuncs} functions, the module ${m.funcs.length}`);
  const nkinds = r.u();
  if (nkinds > (head.length - r.p) / 12) r.fail('has a malformed kind table');
  // The kinds' field masks and the sources' places are checked where they
  // are used (a node's unknown fields as it is read, a source's place when
  // it is first made), not here: a loop over each of them at loading (38 000
  // kinds and 27 000 sources for the 12 MB componentize-js component, run
  // before V8 has optimised anything) cost more than the few a first call uses.
  const kinds = words(head, r.p, 3 * nkinds);
  r.p += 12 * nkinds;
  const nsrcs = r.u();
  if (nsrcs + 1 > (head.length - r.p) / 4) r.fail('has a malformed source table');
  const srcAt = words(head, r.p, nsrcs + 1);
  const srcBase = r.p + 4 * (nsrcs + 1);
  // The sources end where the function table starts, which ends the head.
  const tableAt = head.length - (36 * nfuncs + 4);
  if (srcAt[0] !== 0 || srcAt[nsrcs]! < 0 || srcBase + srcAt[nsrcs]! !== tableAt) r.fail('has a malformed function table');
  const table = words(head, tableAt, nfuncs + 1);
  if (table[0] !== 0 || table[nfuncs] !== records.length) r.fail('has a function table that does not span its records');
  const digests = tableAt + 4 * (nfuncs + 1);
  storedCode.set(m, { code, nfuncs, first: importedFuncCount(m), kinds, srcAt, srcBase, srcs: new Array<Instr | null>(nsrcs).fill(null), table, digests });
}

/** The stored form of `m`'s code (a deserialized component's), if it has one: serializing again copies it. */
export function storedModuleCode(m: Module): ModuleCode | null {
  return storedCode.get(m)?.code ?? null;
}

/**
 * Function `index` of `m` rebuilt from its stored form, or null when `m` has
 * none. Its record is checked against its digest first: a changed byte is
 * refused before it is read.
 */
export function rebuildStored(m: Module, index: number): RebuiltFunction | null {
  const s = storedCode.get(m);
  if (s === undefined) return null;
  const i = index - s.first;
  if (!(i >= 0 && i < s.nfuncs)) return null;
  const start = s.table[i]!, end = s.table[i + 1]!;
  const { head, records } = s.code;
  if (!(start >= 0 && start <= end && end <= records.length)) throw new StoredCodeError(`of function ${index} is out of place`);
  const digest = sha256(records.subarray(start, end));
  for (let k = 0; k < 32; k++) {
    if (digest[k] !== head[s.digests + 32 * i + k]) throw new StoredCodeError(`of function ${index} does not match its checksum (sha256)`);
  }
  return new FunctionDecoder(new Reader(records, start, end, `function ${index}`), m, s).function();
}

/**
 * As node.ts's settleShape for PNode: the source instructions' fields are
 * each stored once after construction (FunctionDecoder's `source`), and a
 * field's second store makes V8 change Instr's map (the field is no longer
 * "const") and throw away code optimised for the old one; in a serialized
 * component, whose modules' bodies are never decoded, the first such store
 * can come in the middle of its first call. So, once at loading, a second
 * store into each of them.
 */
function settleSourceShape(): void {
  const s = new Instr(0);
  s.a = 1; s.b = 1; s.c = 1; s.lane = 1; s.i64 = 1n; s.bytes = new Uint8Array(0);
}
settleSourceShape();

/** The node of every unbuilt body of stored code (P.unbuilt) → the decoder of its function, which builds it. */
const unbuiltOf = new WeakMap<PNode, FunctionDecoder>();
/** An unbuilt body's node's source: never read (the node never traps, and no tool sees stored code). */
const UNBUILT_SRC = new Instr(0x01);

/**
 * Builds `body`, an unbuilt body of stored code (its one node `unbuilt`, a
 * P.unbuilt node), in place: the same array then holds its nodes. The
 * interpreter's P.unbuilt case calls it on the body's first entry, and
 * runs the body from its start; every branch into a body lies inside it, so
 * nothing enters one anywhere else.
 */
export function buildBody(unbuilt: PNode, body: PNode[]): void {
  const d = unbuiltOf.get(unbuilt);
  if (d === undefined) throw new Error('an unbuilt body without its stored code');
  d.build(body);
}

/** `body`, built if it was not (tools and tests that walk a rebuilt tree). */
export function builtBody(body: PNode[]): PNode[] {
  const n = body[0];
  if (body.length === 1 && n !== undefined && n.op === P.unbuilt) buildBody(n, body);
  return body;
}

class FunctionDecoder {
  bodies: PNode[][] = [];
  /** Where each body's encoding starts in the record, and where the last ends. */
  starts = new Int32Array(0);
  /** The unbuilt bodies' ids. */
  readonly ids = new Map<PNode[], number>();
  /** A node's fields a..g as read. */
  readonly fields = [0, 0, 0, 0, 0, 0, 0];
  readonly b: Uint8Array;
  readonly kinds: Int32Array;
  readonly srcs: (Instr | null)[];

  constructor(readonly r: Reader, readonly m: Module, readonly s: StoredCode) {
    this.b = r.b;
    this.kinds = s.kinds;
    this.srcs = s.srcs;
  }

  function(): RebuiltFunction {
    const r = this.r;
    const maxHeight = r.u();
    const locals: ValType[] = [];
    const runs = r.count();
    for (let k = 0; k < runs; k++) {
      const count = r.u(), t = r.u();
      if (count > 50_000 - locals.length) r.fail('has too many locals');
      for (let j = 0; j < count; j++) locals.push(t);
    }
    const nbodies = r.count();
    if (nbodies === 0) r.fail('has no body');
    // The root is built now; every other body starts unbuilt (one
    // P.unbuilt node, shared) and is built on its first entry: in a first
    // call of the componentize-js hello, half the nodes lie in bodies that
    // call never enters.
    const bodies = this.bodies = new Array<PNode[]>(nbodies);
    bodies[0] = [];
    if (nbodies > 1) {
      const unbuilt = new PNode(P.unbuilt, UNBUILT_SRC);
      unbuiltOf.set(unbuilt, this);
      for (let k = 1; k < nbodies; k++) this.ids.set(bodies[k] = [unbuilt], k);
    }
    const scopes: TryScope[] = [];
    const nscopes = r.count();
    for (let k = 0; k < nscopes; k++) {
      const base = r.u(), outer = r.u();
      if (outer > scopes.length) r.fail('has a try scope inside a later one');
      const handlers: Handler[] = [];
      const nh = r.count();
      for (let j = 0; j < nh; j++) {
        const kind = r.u(), tag = r.u();
        if (kind > 3) r.fail('has an unknown catch kind');
        const types: ValType[] = [];
        const nt = r.count();
        for (let q = 0; q < nt; q++) types.push(r.u());
        handlers.push({ kind, tag, types, body: this.body(r.u()) });
      }
      scopes.push(new TryScope(handlers, base, outer === 0 ? null : scopes[outer - 1]!));
    }
    const starts = this.starts = new Int32Array(nbodies + 1);
    let at = 0;
    for (let k = 0; k < nbodies; k++) {
      const scope = r.u(), length = r.u();
      if (scope > scopes.length) r.fail('names a try scope it does not have');
      if (scope !== 0) tryScopes.set(bodies[k]!, scopes[scope - 1]!);
      starts[k] = at;
      at += length;
      if (at > r.end - r.p) r.fail('has bodies longer than itself');
    }
    if (at !== r.end - r.p) r.fail('has bytes after its last body');
    for (let k = 0; k < nbodies; k++) starts[k] += r.p;
    starts[nbodies] = r.end;
    this.read(0, bodies[0]);
    return { body: bodies[0], locals, maxHeight };
  }

  /** Builds unbuilt body `body` in place (buildBody). */
  build(body: PNode[]): void {
    const id = this.ids.get(body);
    if (id === undefined) throw new Error('an unbuilt body its function does not have');
    const unbuilt = body[0]!;
    body.length = 0;
    try {
      this.read(id, body);
    } catch (e) {
      // Unbuilt again, not half built: a later entry fails the same way.
      body.length = 0;
      body.push(unbuilt);
      throw e;
    }
    this.ids.delete(body);
  }

  /** Body `id`'s nodes, into `out`. */
  private read(id: number, out: PNode[]): void {
    const r = this.r;
    r.p = this.starts[id]!;
    this.nodes(out, r.count());
    if (r.p !== this.starts[id + 1]) r.fail(`has body ${id} longer or shorter than its length`);
  }

  private body(id: number): PNode[] {
    return this.bodies[id] ?? this.r.fail(`names body ${id} of ${this.bodies.length}`);
  }

  /** The module's source instruction `i`, made on its first use. */
  private source(i: number): Instr {
    const s = this.s;
    if (!(i >= 0 && i < s.srcs.length)) this.r.fail(`names source instruction ${i} of ${s.srcs.length}`);
    // Its place, checked here rather than at loading (attachStoredCode): within the sources.
    const start = s.srcAt[i]!, end = s.srcAt[i + 1]!, last = s.srcAt[s.srcs.length]!;
    if (!(start >= 0 && start <= end && end <= last)) this.r.fail(`has source instruction ${i} out of place`);
    const r = new Reader(s.code.head, s.srcBase + start, s.srcBase + end, `a module's source instruction ${i}`);
    const src = new Instr(r.u());
    const smask = r.u();
    if (smask & S_A) src.a = r.s();
    if (smask & S_B) src.b = r.s();
    if (smask & S_C) src.c = r.s();
    if (smask & S_LANE) src.lane = r.s();
    if (smask & S_I64) src.i64 = r.big();
    if (smask & S_BYTES) src.bytes = r.bytes();
    if (r.p !== r.end) r.fail('has bytes after its fields');
    return s.srcs[i] = src;
  }

  /**
   * `count` nodes, appended to `out`: a body's, or a br_table's targets.
   * One loop reads the whole of each node (kind, fields, bodies, targets),
   * with no call per node: it runs 120 000 times in the first call after
   * loading a 12 MB component, mostly before V8 has optimised it, where a
   * call costs as much as a field, and a loop is optimised (on stack) while
   * it runs, where a function called per node waited for its next call,
   * and was compiled once alone and again inlined into its caller. A
   * one-byte kind and field is read inline; a read past the record's end
   * is refused by the reader, or by the record's final position check.
   */
  private nodes(out: PNode[], count: number): void {
    const r = this.r, b = this.b, kinds = this.kinds, srcs = this.srcs;
    for (let j = 0; j < count; j++) {
      let k = b[r.p]!;
      if (k < 0x80) r.p++; else k = r.u();
      const at = 3 * k;
      const op = kinds[at];
      if (op === undefined) return r.fail('names a node kind it does not have');
      const mask = kinds[at + 1]!, si = kinds[at + 2]!;
      const n = new PNode(op, srcs[si] ?? this.source(si));
      if ((mask & 127) !== 0) {
        // Every field is written, zero or not, through one loop: each
        // operation here has run (has V8's type feedback) once any node
        // had a field, so the optimised code is not thrown away the first
        // time a rare field (f, g) appears, as it was with a branch per field.
        const v = this.fields;
        let p = r.p;
        for (let i = 0; i < 7; i++) {
          let val = 0;
          if ((mask & (1 << i)) !== 0) {
            const x = b[p++]!;
            if (x < 0x80) val = (x >>> 1) ^ -(x & 1); else { r.p = p - 1; val = r.s(); p = r.p; }
          }
          v[i] = val;
        }
        r.p = p;
        n.a = v[0]!; n.b = v[1]!; n.c = v[2]!; n.d = v[3]!; n.e = v[4]!; n.f = v[5]!; n.g = v[6]!;
      }
      if ((mask >>> 7) !== 0) {
        // A kind's unknown field bits (checked here, on use, not at loading;
        // the mask is a signed word, so the tests are unsigned shifts).
        if ((mask >>> 10) !== 0) return r.fail('has a node kind with unknown fields');
        if (mask & M_BODY) n.body = this.body(r.u());
        if (mask & M_ELSE) n.else_ = this.body(r.u());
        if (mask & M_TARGETS) {
          const targets: PNode[] = [];
          this.nodes(targets, r.count());
          n.targets = targets;
        }
      }
      out.push(isGcNode(op) ? this.gc(n) : n);
    }
  }

  /** A GC node made again from its instruction: canonical type ids are the process's own. */
  private gc(n: PNode): PNode {
    const r = this.r;
    if (n.op === P.br_on_cast && n.targets?.length !== 1) r.fail('has a br_on_cast without its branch');
    try {
      return gcNodeAgain(this.m, n, () => n.targets![0]!);
    } catch {
      return r.fail('has a GC instruction whose types the module does not have');
    }
  }
}
