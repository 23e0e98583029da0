// The serialized form of a component (`Component.serialize`,
// `Component.deserialize`, `cmr compile`): what instantiating needs, stored
// so that loading skips decoding and validating.
//
// Layout (integers little-endian):
//
//   0   8 bytes  magic "\0cmr-cmp"
//   8   u32      format version (FORMAT_VERSION)
//   12  u32      total length in bytes
//   16  32 bytes sha256 of every byte from 48 to the end but the records
//                and the deferred code sections
//   48  u32      length H of the settings (JSON, UTF-8)
//   52  u32      where the records start (R)
//   56  u32      the records' length
//   60  u32      the number N of deferred code sections
//   64  N x 40   each: u32 where it starts in the binary, u32 its length,
//                its sha256 (a core module's code section's contents,
//                hashed when its first body is decoded, not at loading)
//   ..  H bytes  settings: cmr's version, the V8 version that wrote the
//                payload, the core feature set the component was checked with,
//                whether prepared code is stored and then the digest of the
//                node-code tables it was written with
//   ..  G bytes  the graph: v8.serialize of { ast, type, coreGroups } packed
//                (see Packer; coreGroups: the core rec groups whose canonical
//                ids are registered again on loading, core-types.ts);
//                G is the settings' graphLength
//   ..  P bytes  the interpreter's prepared code, each module's head
//                (prepared-store.ts; P is the settings' preparedLength)
//   R   ..       the records: every prepared function's code, each with its
//                own sha256 in its module's head, checked on the function's
//                first call (so loading hashes the heads and the binary
//                but its code sections, not 11 MB of records of functions
//                that may never run)
//   ..  the rest the component's binary, which the core modules' bytes are
//                slices of (stored once, read in place on loading)
//
// The checks, in order, each with its own message: length and magic,
// format version, total length (truncated or trailing bytes), checksum,
// settings (cmr version, V8 version, core features, and with prepared code
// the interpreter's node codes: core/exec/node-codes.ts), the prepared heads'
// framing; a function's record, its digest, when it is first called; a
// module's code section, its digest, when a body of it is first decoded
// (the interpreter's debugging preparation, tools), or at loading on any
// core engine but the interpreter (the native one compiles the bytes), and
// before serializing again. With prepared code the interpreter never
// decodes a body, so its loading hashes neither the code (9 MB of the
// 12 MB componentize-js module) nor the records. What
// passes them is trusted: it is the form this cmr wrote from a component it
// had decoded and validated (README "Serialized components").
//
// The payload is the component's AST and its validated type, packed as
// plain data: class instances carry their class name (restored with their
// prototype), shared objects stay shared (v8's serializer keeps identity).
// A core module is stored as no more than what its code uses (SIMD,
// exceptions, for the feature checks): on loading it is decoded again from
// its bytes, a slice of the binary, with its code section not read at all
// (decodeTrustedModule: where each body starts is stored) — the bodies were
// validated when the component was serialized, and each is decoded only if
// the interpreter calls it (LazyFunc). The native engine never decodes
// them. So every byte of the binary (code, data segments, names) is stored
// once.

import { createHash } from 'node:crypto';
import { deserialize as v8Deserialize, serialize as v8Serialize } from 'node:v8';
import { codeSectionOf, decodeTrustedModule, type TrustedCode } from '../core/binary/decode.js';
import { LazyFunc } from '../core/binary/lazy-func.js';
import { Instr, type Module } from '../core/syntax/ast.js';
import { codeFeatures, recordCodeFeatures, type CodeFeatures } from '../core/syntax/features.js';
import type { CoreFeatures } from '../core/syntax/feature-set.js';
import type { Component as ComponentAst } from '../component/syntax/ast.js';
import { ResourceType, type ComponentType } from '../component/syntax/types.js';
import type { DefType } from '../core/syntax/types.js';
import { CMR_VERSION } from '../version.js';
import { ComponentError } from './errors.js';
import { attachStoredCode, encodeModuleCode, storedModuleCode, StoredCodeError } from '../core/exec/prepared-store.js';
import { functionPreparer } from '../core/exec/prepare.js';
import { nodeCodeFingerprint } from '../core/exec/node-codes.js';
import { coreGroupOrigin, isModuleTypeSpace, restoreCoreGroups, restoreModuleTypeSpace, type CoreGroupOrigin } from '../component/valid/core-types.js';
import { recordTypeSpace, typeSpaceOf } from '../core/syntax/reftypes.js';

/** The first 8 bytes of a serialized component. */
export const SERIALIZED_MAGIC = Uint8Array.from([0x00, 0x63, 0x6d, 0x72, 0x2d, 0x63, 0x6d, 0x70]); // "\0cmr-cmp"
/** The layout's version; bump it whenever the layout or the payload's shape changes. */
export const FORMAT_VERSION = 10; // 10: plain blocks spliced into their parent body (no block nodes, no linked block entries); 9: a module type's global and table types that name its own types store that type space ($types); 8: a stored function record holds a table of its bodies (scope, byte length), each built on its first entry; a node kind's mask has no i64 bit
/** The fixed header's length, before the deferred code sections' table. */
const FIXED = 64;
/** One entry of that table: where, how long, sha256. */
const DEFERRED_ENTRY = 40;

/** The settings a serialized component was made with; any difference in these three refuses it. */
export interface SerializedSettings {
  cmr: string;
  v8: string;
  coreFeatures: CoreFeatures;
  /**
   * Whether the interpreter's prepared code is stored (prepared-store.ts):
   * a reader without it prepares functions from their bodies, as from a
   * .wasm. Either way the bytes load on either engine.
   */
  preparedCode?: boolean;
  /**
   * With prepared code: the digest of the interpreter's node-code tables
   * it was written with (core/exec/node-codes.ts), which must be this
   * cmr's. A form without prepared code holds no node codes and has none.
   */
  nodeCodes?: string;
}

/** What Component needs back. */
export interface Deserialized {
  bytes: Uint8Array;
  ast: ComponentAst;
  type: ComponentType;
}

/** Whether `data` starts with the serialized form's magic. */
export function isSerialized(data: Uint8Array): boolean {
  return data.length >= SERIALIZED_MAGIC.length && SERIALIZED_MAGIC.every((b, i) => data[i] === b);
}

/** The settings this cmr writes and accepts. */
export function currentSettings(coreFeatures: CoreFeatures): SerializedSettings {
  return { cmr: CMR_VERSION, v8: process.versions.v8, coreFeatures: { ...coreFeatures } };
}

function fail(message: string): never {
  throw new ComponentError(message, 'deserialize');
}

/** A range of the binary (a core module's code section's contents) hashed on its first use, not at loading. */
export interface DeferredRange {
  at: number;
  length: number;
}

/**
 * The checksum: sha256 of every byte from 48 but those of `skip` (absolute
 * [start, end) ranges in increasing order, not overlapping: the records and
 * the deferred code sections).
 */
function checksum(data: Uint8Array, skip: [number, number][]): Uint8Array {
  const h = createHash('sha256');
  let at = 48;
  for (const [start, end] of skip) {
    h.update(data.subarray(at, start));
    at = end;
  }
  return h.update(data.subarray(at)).digest();
}

function sha256(b: Uint8Array): Uint8Array {
  return createHash('sha256').update(b).digest();
}

/** Whether two digests are equal. */
function sameDigest(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Wraps the graph, the prepared heads and records, and the binary in the
 * header (exported for tests that forge other settings or prepared code).
 */
export function seal(
  settings: SerializedSettings, graph: Uint8Array, binary: Uint8Array, prepared: Uint8Array = new Uint8Array(0),
  records: Uint8Array = new Uint8Array(0), deferred: readonly DeferredRange[] = [],
): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify({ ...settings, graphLength: graph.length, preparedLength: prepared.length }));
  const head = FIXED + DEFERRED_ENTRY * deferred.length;
  const recordsAt = head + json.length + graph.length + prepared.length;
  const binaryAt = recordsAt + records.length;
  const total = binaryAt + binary.length;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(SERIALIZED_MAGIC, 0);
  view.setUint32(8, FORMAT_VERSION, true);
  view.setUint32(12, total, true);
  view.setUint32(48, json.length, true);
  view.setUint32(52, recordsAt, true);
  view.setUint32(56, records.length, true);
  view.setUint32(60, deferred.length, true);
  const skip: [number, number][] = [[recordsAt, binaryAt]];
  deferred.forEach((d, i) => {
    const e = FIXED + DEFERRED_ENTRY * i;
    view.setUint32(e, d.at, true);
    view.setUint32(e + 4, d.length, true);
    out.set(sha256(binary.subarray(d.at, d.at + d.length)), e + 8);
    skip.push([binaryAt + d.at, binaryAt + d.at + d.length]);
  });
  out.set(json, head);
  out.set(graph, head + json.length);
  out.set(prepared, head + json.length + graph.length);
  out.set(records, recordsAt);
  out.set(binary, binaryAt);
  out.set(checksum(out, skip), 16);
  return out;
}

/**
 * Checks the header and checksum; returns the settings, the graph, the
 * prepared heads and records (the records unchecked: each function's is
 * checked against its digest on its first call) and the binary.
 */
export function unseal(data: Uint8Array): {
  settings: SerializedSettings; graph: Uint8Array; prepared: Uint8Array; records: Uint8Array; binary: Uint8Array;
  /** The deferred code sections (in the binary) with their digests, unchecked. */
  deferred: (DeferredRange & { digest: Uint8Array })[];
} {
  if (!isSerialized(data)) fail('not a serialized cmr component (no "\\0cmr-cmp" magic)');
  if (data.length < 16) fail(`truncated: ${data.length} bytes, shorter than the header`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const version = view.getUint32(8, true);
  if (version !== FORMAT_VERSION) fail(`serialized with format version ${version}; this cmr (${CMR_VERSION}) reads format version ${FORMAT_VERSION}: compile the component again`);
  const total = view.getUint32(12, true);
  if (data.length < total || data.length < FIXED) fail(`truncated: ${data.length} bytes of ${Math.max(total, FIXED)}`);
  if (data.length > total) fail(`corrupted: ${data.length - total} bytes after the end (${total} bytes)`);
  const recordsAt = view.getUint32(52, true), recordsLength = view.getUint32(56, true), n = view.getUint32(60, true);
  const head = FIXED + DEFERRED_ENTRY * n;
  const binaryAt = recordsAt + recordsLength;
  // Where the records and the deferred sections are is among what the
  // checksum covers: a changed byte there either fails the checksum or
  // places them out of bounds, damage all the same.
  let placed = recordsAt >= head && binaryAt <= total;
  const skip: [number, number][] = [[recordsAt, binaryAt]];
  const deferred: (DeferredRange & { digest: Uint8Array })[] = [];
  for (let i = 0, end = binaryAt; placed && i < n; i++) {
    const e = FIXED + DEFERRED_ENTRY * i;
    const at = view.getUint32(e, true), length = view.getUint32(e + 4, true);
    placed = binaryAt + at >= end && binaryAt + at + length <= total;
    end = binaryAt + at + length;
    skip.push([binaryAt + at, end]);
    deferred.push({ at, length, digest: data.subarray(e + 8, e + DEFERRED_ENTRY) });
  }
  const sum = placed ? checksum(data, skip) : null;
  if (sum === null || !sameDigest(sum, data.subarray(16, 48))) fail('corrupted: the checksum (sha256) does not match the contents');
  const jsonLength = view.getUint32(48, true);
  if (head + jsonLength > total) fail('corrupted: the settings run past the end');
  let settings: SerializedSettings & { graphLength: number; preparedLength: number };
  try {
    settings = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data.subarray(head, head + jsonLength))) as typeof settings;
  } catch {
    return fail('corrupted: the settings are not JSON');
  }
  if (settings === null || typeof settings !== 'object') fail('corrupted: the settings are not an object');
  const g = settings.graphLength;
  if (!Number.isInteger(g) || g < 0 || head + jsonLength + g > total) fail('corrupted: the graph runs past the end');
  const p = settings.preparedLength;
  if (!Number.isInteger(p) || p < 0 || head + jsonLength + g + p !== recordsAt) fail('corrupted: the prepared code is not where the records start');
  const at = head + jsonLength;
  return {
    settings, graph: data.subarray(at, at + g), prepared: data.subarray(at + g, recordsAt),
    records: data.subarray(recordsAt, binaryAt), binary: data.subarray(binaryAt, total), deferred,
  };
}

/**
 * The byte ranges of a serialized form that loading does not read, from
 * its first bytes `head` (the file's length `size`): the records, and with
 * `code` the deferred code sections (a core engine other than the
 * interpreter hashes them at loading). A file reader may fill these while
 * deserializeComponent runs (read-serialized.ts). Null where `head` does
 * not hold the header and its table, or they do not fit `size`: the reader
 * then reads the whole file first, and unseal says what is wrong.
 */
export function unreadAtLoading(head: Uint8Array, size: number, code: boolean): [number, number][] | null {
  if (head.length < FIXED || !isSerialized(head)) return null;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (view.getUint32(8, true) !== FORMAT_VERSION || view.getUint32(12, true) !== size) return null;
  const recordsAt = view.getUint32(52, true), binaryAt = recordsAt + view.getUint32(56, true), n = view.getUint32(60, true);
  if (FIXED + DEFERRED_ENTRY * n > head.length || recordsAt < FIXED + DEFERRED_ENTRY * n || binaryAt > size) return null;
  const out: [number, number][] = [[recordsAt, binaryAt]];
  for (let i = 0, end = binaryAt; code && i < n; i++) {
    const start = binaryAt + view.getUint32(FIXED + DEFERRED_ENTRY * i, true);
    const length = view.getUint32(FIXED + DEFERRED_ENTRY * i + 4, true);
    if (start < end || start + length > size) return null;
    end = start + length;
    out.push([start, end]);
  }
  return out;
}

/** Refuses settings that differ from this cmr's: each difference named (and prepared code of other node codes). */
export function checkSettings(got: SerializedSettings, want: SerializedSettings): void {
  if (got.cmr !== want.cmr) fail(`serialized by cmr ${String(got.cmr)}; this is cmr ${want.cmr}: compile the component again`);
  if (got.v8 !== want.v8) fail(`serialized under V8 ${String(got.v8)} (its object format); this Node.js has V8 ${want.v8}: compile the component again`);
  const keys = new Set([...Object.keys(got.coreFeatures ?? {}), ...Object.keys(want.coreFeatures)]);
  const differ = [...keys].filter((k) => (got.coreFeatures as unknown as Record<string, unknown>)?.[k] !== (want.coreFeatures as unknown as Record<string, unknown>)[k]);
  if (differ.length > 0) {
    fail(`serialized with other core features (${differ.map((k) => `${k}: ${String((got.coreFeatures as unknown as Record<string, unknown>)?.[k])}, here ${String((want.coreFeatures as unknown as Record<string, unknown>)[k])}`).join('; ')})`);
  }
  // Only prepared code holds node codes: a form without it loads whatever the interpreter's tables.
  if (got.preparedCode === true && got.nodeCodes !== nodeCodeFingerprint()) {
    const short = (x: unknown): string => (typeof x === 'string' ? `${x.slice(0, 12)}…` : 'none');
    fail(`made by a cmr whose interpreter numbers its prepared nodes differently (node codes ${short(got.nodeCodes)}, here ${short(nodeCodeFingerprint())}): its stored prepared code would run as other nodes here; recompile it with \`cmr compile\``);
  }
}

// ---- packing ---------------------------------------------------------------

const CLASS = '$class';
/** The field of a packed object whose type space is a core module's types: that module's packed definition. */
const SPACE = '$space';
/** The field of a packed object whose type space is a module type's (component/valid/core-types.ts): its types. */
const TYPES = '$types';

/**
 * An object of a core module that decoding its bytes makes again, shared
 * with the component's type (the module's type, where the component or a
 * nested one exports the module): a function type (its canonical id is
 * the module's), a global or table type (its type space is the module's
 * types). Stored as where it is in the module, so that the type shares the
 * deserialized module's object again, ids and spaces included.
 */
type ModuleItemKind = 'type' | 'import' | 'global' | 'table';

function moduleItem(m: Module, what: ModuleItemKind, index: number): object | undefined {
  switch (what) {
    case 'type': return m.types[index];
    case 'import': {
      const d = m.imports[index]?.desc;
      return d?.kind === 'global' || d?.kind === 'table' ? d.type : undefined;
    }
    case 'global': return m.globals[index]?.type;
    case 'table': return m.tables[index]?.type;
    default: return undefined;
  }
}

/**
 * The fields of an instruction as stored, in order (`aux`, the engine's
 * cache, is not the program). The settings check makes writer and reader
 * the same cmr, so the same order.
 */
const INSTR_FIELDS = Object.keys(new Instr(0)).filter((k) => k !== 'aux');

/**
 * A core module as stored: what its code uses. The rest is its bytes
 * (a slice of the binary), decoded again on loading without reading the
 * function bodies (decodeTrustedModule), which were validated when the
 * component was serialized.
 */
interface PackedModule {
  code: CodeFeatures;
  /**
   * Where its prepared code is, or null when not stored: its head in the
   * prepared section and its records in the records ([head at, length,
   * records at, length]).
   */
  prepared: [number, number, number, number] | null;
  /**
   * Where its code section's contents are in its bytes and where each body
   * starts there (Func.offset), so that loading does not read the section;
   * null: decoded from the bytes as they are (a function that is not a
   * LazyFunc, or no code section).
   */
  funcs: { codeAt: number; codeSize: number; types: Uint32Array; offsets: Uint32Array } | null;
}

/** A core module's code section that does not match its digest (thrown on the first use of its bytes). */
export class CodeChecksumError extends Error {
  constructor() {
    super('corrupted: the code section of a core module does not match its checksum (sha256)');
    this.name = 'CodeChecksumError';
  }
}

/** Each deserialized module's check of its deferred code section, until it passes. */
const pendingChecks = new WeakMap<Module, () => void>();

/**
 * Checks `m`'s code section against its digest if it was deferred and not
 * yet checked (throws CodeChecksumError); for every use of the bytes that
 * is not a LazyFunc's body: native compilation, serializing again.
 */
export function checkDeferredCode(m: Module): void {
  pendingChecks.get(m)?.();
}

/** Turns the AST and type into plain data v8 can serialize (see the header comment). */
class Packer {
  private readonly seen = new Map<object, unknown>();
  /** Each module's prepared heads, in the order the prepared section holds them. */
  readonly prepared: Uint8Array[] = [];
  private preparedLength = 0;
  /** Each module's records, in the same order. */
  readonly records: Uint8Array[] = [];
  private recordsLength = 0;
  /** The rec groups of the component's core types whose canonical ids are to be registered again on loading (packed). */
  readonly coreGroups: unknown[] = [];
  private readonly groupsSeen = new Set<CoreGroupOrigin>();
  /** The core modules' code sections in the binary, hashed on first use rather than by the checksum. */
  readonly deferred: DeferredRange[] = [];
  /**
   * The objects of each core module that decoding its bytes makes again
   * (see ModuleItem), with where they are in it: a type that mentions them
   * (a module type's functions and globals) gets the module's own again.
   */
  private readonly moduleItems = new Map<object, { def: unknown; what: ModuleItemKind; index: number }>();
  /** Each core module's type list, for the objects whose type space it is (a module type's tables). */
  private readonly moduleSpaces = new Map<object, unknown>();

  constructor(
    private readonly binary: Uint8Array,
    private readonly preparedCode: boolean,
    /** Called after each function is prepared (cmr compile's progress). */
    private readonly onPrepared: (() => void) | null = null,
  ) {}

  /** Where `v` starts in the binary, or null when it is not a slice of it. */
  private sliceAt(v: Uint8Array): number | null {
    const b = this.binary;
    return v.buffer === b.buffer && v.byteOffset >= b.byteOffset && v.byteOffset + v.length <= b.byteOffset + b.length ? v.byteOffset - b.byteOffset : null;
  }

  pack(v: unknown): unknown {
    if (v === null || typeof v !== 'object') {
      if (typeof v === 'function' || typeof v === 'symbol') throw new Error(`cannot serialize a ${typeof v}`);
      return v;
    }
    const done = this.seen.get(v);
    if (done !== undefined) return done;
    const item = this.moduleItems.get(v);
    if (item !== undefined) {
      const out = { [CLASS]: 'ModuleItem', def: item.def, what: item.what, index: item.index };
      this.seen.set(v, out);
      return out;
    }
    if (ArrayBuffer.isView(v)) {
      const at = v instanceof Uint8Array ? this.sliceAt(v) : null;
      if (at !== null) {
        // A slice of the binary (a core module's bytes): stored as where it is.
        const out = { [CLASS]: 'Slice', at, length: v.byteLength };
        this.seen.set(v, out);
        return out;
      }
      return v;
    }
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      this.seen.set(v, out);
      for (const x of v) out.push(this.pack(x));
      return out;
    }
    if (v instanceof Map) {
      const out = new Map();
      this.seen.set(v, out);
      for (const [k, x] of v) out.set(this.pack(k), this.pack(x));
      return out;
    }
    if (v instanceof Set) {
      const out = new Set();
      this.seen.set(v, out);
      for (const x of v) out.add(this.pack(x));
      return out;
    }
    const proto = Object.getPrototypeOf(v);
    const out: Record<string, unknown> = {};
    this.seen.set(v, out);
    if (proto === Instr.prototype) {
      // Compact: the fields' values in INSTR_FIELDS order, not an object
      // with its keys (constant expressions of 10 000 data segments, 7 000
      // element items: most of what a large component's graph holds).
      out[CLASS] = 'I';
      out['v'] = INSTR_FIELDS.map((k) => this.pack((v as unknown as Record<string, unknown>)[k]));
      return out;
    }
    if (proto === ResourceType.prototype) out[CLASS] = 'ResourceType';
    else if (proto !== Object.prototype && proto !== null) throw new Error(`cannot serialize an object of class ${(proto as { constructor?: { name?: string } }).constructor?.name ?? '?'}`);
    else if (CLASS in v || SPACE in v || TYPES in v) throw new Error(`cannot serialize an object with a ${CLASS in v ? CLASS : SPACE in v ? SPACE : TYPES} field`);
    const rec = v as Record<string, unknown>;
    if (rec['kind'] === 'coreModule' && rec['module'] !== undefined) {
      out['kind'] = 'coreModule';
      out['bytes'] = this.pack(rec['bytes']);
      out['offset'] = rec['offset'];
      out['module'] = this.packModule(rec['module'] as Module, rec['bytes'] as Uint8Array);
      this.noteModuleItems(rec['module'] as Module, out);
      return out;
    }
    for (const k of Object.keys(v)) {
      // A resource type's id is per process (deserializing makes a fresh one).
      if (k === 'id' && out[CLASS] === 'ResourceType') continue;
      out[k] = this.pack(rec[k]);
    }
    // A type whose references are indices into a core module's types (a
    // module type's table) names that module: its space is the module's
    // types again on loading.
    const ts = typeSpaceOf(v);
    const space = this.moduleSpaces.get(ts);
    if (space !== undefined) out[SPACE] = space;
    // A module type's global or table type whose reference names one of
    // the module type's types: its space is stored with it.
    else if (isModuleTypeSpace(ts)) out[TYPES] = this.pack([...ts]);
    // A core type's canonical id is per process too: its group is stored
    // with the earlier types it names, to be registered again on loading.
    const origin = coreGroupOrigin(v);
    if (origin !== undefined && !this.groupsSeen.has(origin)) {
      this.groupsSeen.add(origin);
      this.coreGroups.push(this.pack(origin));
    }
    return out;
  }

  /**
   * Notes the objects of `m` (the core module of packed definition `def`)
   * that a module type shares with it: its function types (with their
   * canonical ids) and its global types (with their type space).
   */
  private noteModuleItems(m: Module, def: unknown): void {
    const note = (v: object, what: ModuleItemKind, index: number): void => {
      if (!this.moduleItems.has(v)) this.moduleItems.set(v, { def, what, index });
    };
    m.types.forEach((t, i) => note(t, 'type', i));
    m.imports.forEach((im, i) => { if (im.desc.kind === 'global' || im.desc.kind === 'table') note(im.desc.type, 'import', i); });
    m.globals.forEach((g, i) => note(g.type, 'global', i));
    m.tables.forEach((t, i) => note(t.type, 'table', i));
    if (!this.moduleSpaces.has(m.types)) this.moduleSpaces.set(m.types, def);
  }

  private packModule(m: Module, bytes: Uint8Array): unknown {
    const done = this.seen.get(m);
    if (done !== undefined) return done;
    // A deserialized module's code is stored again only once it has passed its check.
    checkDeferredCode(m);
    // Only what the bytes cannot say cheaply: the module itself is decoded
    // again from its bytes on loading, its code section skipped.
    const out: PackedModule = { code: { ...codeFeatures(m) }, prepared: null, funcs: null };
    this.seen.set(m, out);
    const cs = codeSectionOf(m);
    if (cs !== undefined && m.funcs.every((f) => f instanceof LazyFunc)) {
      out.funcs = { codeAt: cs.at, codeSize: cs.size, types: Uint32Array.from(m.funcs, (f) => f.typeIdx), offsets: Uint32Array.from(m.funcs, (f) => f.offset) };
      const at = this.sliceAt(bytes);
      if (at !== null && cs.size > 0 && !this.deferred.some((d) => d.at === at + cs.at)) this.deferred.push({ at: at + cs.at, length: cs.size });
    }
    if (this.preparedCode) {
      // Every function prepared once (which will run is not known here); a
      // deserialized module's stored code is copied as it is.
      const prepare = functionPreparer(m);
      const tick = this.onPrepared;
      const code = storedModuleCode(m) ?? encodeModuleCode(m.funcs.length, tick === null ? prepare : (i) => {
        const c = prepare(i);
        tick();
        return c;
      });
      out.prepared = [this.preparedLength, code.head.length, this.recordsLength, code.records.length];
      this.prepared.push(code.head);
      this.preparedLength += code.head.length;
      this.records.push(code.records);
      this.recordsLength += code.records.length;
    }
    return out;
  }

}

/** Undoes Packer. */
class Unpacker {
  private readonly seen = new Map<object, unknown>();
  /** The objects whose type space is a module type's, with its types: recorded once the types have their ids again. */
  readonly moduleTypeSpaces: [object, DefType[]][] = [];

  /** The deferred code sections by where they start in the binary; each is taken by its module. */
  private readonly deferred: Map<number, DeferredRange & { digest: Uint8Array }>;

  constructor(
    private readonly binary: Uint8Array, private readonly prepared: Uint8Array, private readonly records: Uint8Array,
    private readonly features: CoreFeatures, deferred: (DeferredRange & { digest: Uint8Array })[],
  ) {
    this.deferred = new Map(deferred.map((d) => [d.at, d]));
  }

  /** The deferred code sections' checks, one per module that has one. */
  readonly checks: (() => void)[] = [];

  /** Throws unless every deferred code section was a module's (a range no module claims would be bytes no check covers). */
  allDeferredTaken(): void {
    if (this.deferred.size > 0) throw new Error('a deferred code section that is no module\'s');
  }

  unpack(v: unknown): unknown {
    if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v)) return v;
    const done = this.seen.get(v);
    if (done !== undefined) return done;
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      this.seen.set(v, out);
      for (const x of v) out.push(this.unpack(x));
      return out;
    }
    if (v instanceof Map) {
      const out = new Map();
      this.seen.set(v, out);
      for (const [k, x] of v) out.set(this.unpack(k), this.unpack(x));
      return out;
    }
    if (v instanceof Set) {
      const out = new Set();
      this.seen.set(v, out);
      for (const x of v) out.add(this.unpack(x));
      return out;
    }
    const rec = v as Record<string, unknown>;
    const cls = rec[CLASS];
    let out: Record<string, unknown>;
    if (cls === 'Slice') {
      const at = rec['at'] as number;
      const length = rec['length'] as number;
      if (!(at >= 0 && length >= 0 && at + length <= this.binary.length)) throw new Error('a slice past the binary');
      const slice = this.binary.subarray(at, at + length);
      this.seen.set(v, slice);
      return slice;
    }
    if (cls === 'ModuleItem') {
      const m = (this.unpack(rec['def']) as { module?: Module }).module;
      const item = m === undefined ? undefined : moduleItem(m, rec['what'] as ModuleItemKind, rec['index'] as number);
      if (item === undefined) throw new Error('a module item the module does not have');
      this.seen.set(v, item);
      return item;
    }
    if (cls === 'I') {
      const ins = new Instr(0) as unknown as Record<string, unknown>;
      this.seen.set(v, ins);
      const values = rec['v'] as unknown[];
      INSTR_FIELDS.forEach((k, i) => { ins[k] = this.unpack(values[i]); });
      return ins;
    }
    // A fresh id: ids tell resource types apart within this process.
    else if (cls === 'ResourceType') out = new ResourceType(null) as unknown as Record<string, unknown>;
    else if (cls === undefined) out = {};
    else throw new Error(`unknown class ${String(cls)}`);
    this.seen.set(v, out);
    if (rec['kind'] === 'coreModule' && cls === undefined) {
      out['kind'] = 'coreModule';
      out['bytes'] = rec['bytes'];
      out['offset'] = rec['offset'];
      out['bytes'] = this.unpack(rec['bytes']);
      out['module'] = this.unpackModule(rec['module'] as Record<string, unknown>, out['bytes'] as Uint8Array);
      return out;
    }
    for (const k of Object.keys(rec)) {
      if (k === CLASS || k === SPACE || k === TYPES || (k === 'id' && cls === 'ResourceType')) continue;
      out[k] = this.unpack(rec[k]);
    }
    if (rec[SPACE] !== undefined) {
      const m = (this.unpack(rec[SPACE]) as { module?: Module }).module;
      if (m === undefined) throw new Error('a type space that is no module\'s');
      recordTypeSpace(out, m.types);
    }
    if (rec[TYPES] !== undefined) this.moduleTypeSpaces.push([out, this.unpack(rec[TYPES]) as DefType[]]);
    return out;
  }

  private unpackModule(p: Record<string, unknown>, bytes: Uint8Array): Module {
    const done = this.seen.get(p);
    if (done !== undefined) return done as Module;
    const packed = p as unknown as PackedModule;
    const f = packed.funcs;
    let code: TrustedCode | undefined;
    let check: (() => void) | null = null;
    if (f !== null) {
      const b = this.binary;
      const at = bytes.buffer === b.buffer ? bytes.byteOffset - b.byteOffset + f.codeAt : -1;
      const d = this.deferred.get(at);
      if (d !== undefined) {
        if (d.length !== f.codeSize) throw new Error('a deferred code section that is not its module\'s');
        this.deferred.delete(at);
        check = deferredCheck(b.subarray(d.at, d.at + d.length), d.digest);
      }
      code = { types: f.types, offsets: f.offsets, check };
    }
    const m = decodeTrustedModule(bytes, this.features, code);
    if (f !== null) {
      const cs = codeSectionOf(m);
      if ((cs?.at ?? f.codeAt) !== f.codeAt || (cs?.size ?? f.codeSize) !== f.codeSize) throw new Error('a module whose code section is not where it was');
    }
    if (check !== null) {
      pendingChecks.set(m, check);
      this.checks.push(check);
    }
    this.seen.set(p, m);
    recordCodeFeatures(m, packed.code);
    if (packed.prepared !== null) {
      const [at, length, recordsAt, recordsLength] = packed.prepared;
      const within = (a: number, n: number, of: Uint8Array): boolean => a >= 0 && n >= 0 && a + n <= of.length;
      if (!within(at, length, this.prepared) || !within(recordsAt, recordsLength, this.records)) throw new StoredCodeError('of a module runs past its section');
      attachStoredCode(m, { head: this.prepared.subarray(at, at + length), records: this.records.subarray(recordsAt, recordsAt + recordsLength) });
    }
    return m;
  }

}

/**
 * The serialized form of a decoded and validated component; `preparedCode`:
 * with the interpreter's prepared code of every function.
 */
export function serializeComponent(parts: Deserialized, coreFeatures: CoreFeatures, preparedCode: boolean, onPrepared: (() => void) | null = null): Uint8Array {
  const packer = new Packer(parts.bytes, preparedCode, onPrepared);
  const packed = packer.pack({ ast: parts.ast, type: parts.type }) as Record<string, unknown>;
  packed['coreGroups'] = packer.coreGroups;
  const deferred = packer.deferred.sort((a, b) => a.at - b.at);
  const settings: SerializedSettings = { ...currentSettings(coreFeatures), preparedCode };
  if (preparedCode) settings.nodeCodes = nodeCodeFingerprint();
  return seal(settings, v8Serialize(packed), parts.bytes, concat(packer.prepared), concat(packer.records), deferred);
}

/** The check of a deferred code section: hashes `bytes` the first time, and throws while they differ from `digest`. */
function deferredCheck(bytes: Uint8Array, digest: Uint8Array): () => void {
  let done = false;
  return () => {
    if (done) return;
    if (!sameDigest(sha256(bytes), digest)) throw new CodeChecksumError();
    done = true;
  };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/**
 * The component a serialized form holds, after every check of unseal and
 * checkSettings. `checkCode`: check the modules' code sections now (for a
 * core engine that hands the bytes to the host), not on their first use.
 */
export function deserializeComponent(data: Uint8Array, coreFeatures: CoreFeatures, checkCode: boolean): Deserialized {
  const { settings, graph, prepared, records, binary, deferred } = unseal(data);
  checkSettings(settings, currentSettings(coreFeatures));
  let r: { ast?: ComponentAst; type?: ComponentType; coreGroups?: CoreGroupOrigin[] } | null;
  let spaces: [object, DefType[]][];
  try {
    const unpacker = new Unpacker(binary, prepared, records, coreFeatures, deferred);
    r = unpacker.unpack(v8Deserialize(graph)) as typeof r;
    spaces = unpacker.moduleTypeSpaces;
    unpacker.allDeferredTaken();
    if (checkCode) for (const check of unpacker.checks) check();
  } catch (e) {
    if (e instanceof StoredCodeError || e instanceof CodeChecksumError) return fail(e.message);
    // Past the checksum this means a writer's bug, not damage; say so plainly all the same.
    return fail(`corrupted: the payload does not deserialize (${e instanceof Error ? e.message : String(e)})`);
  }
  if (r === null || typeof r !== 'object' || typeof r.ast !== 'object' || r.type?.kind !== 'component') {
    return fail('corrupted: the payload is not a component');
  }
  // Empty unless the component defines GC core types (or function types that refer to them).
  restoreCoreGroups(r.coreGroups ?? []);
  for (const [owner, types] of spaces) recordTypeSpace(owner, restoreModuleTypeSpace(types));
  return { bytes: binary, ast: r.ast, type: r.type };
}
