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
//   48  u32      length H of the settings (JSON, UTF-8)
//   52  u32      where the records start (R)
//   56  u32      the records' length
//   60  H bytes  settings: cmr's version, the V8 version that wrote the
//                payload, the core feature set the component was checked with
//   ..  G bytes  the graph: v8.serialize of { ast, type, coreGroups } packed
//                (see Packer; coreGroups: the core rec groups whose canonical
//                ids are registered again on loading, core-types.ts);
//                G is the settings' graphLength
//   ..  P bytes  the interpreter's prepared code, each module's head
//                (prepared-store.ts; P is the settings' preparedLength)
//   R   ..       the records: every prepared function's code, each with its
//                own sha256 in its module's head, checked on the function's
//                first call (so loading hashes the 12 MB binary and the
//                heads, not 15 MB of code of functions that may never run)
//   ..  the rest the component's binary, which the core modules' bytes are
//                slices of (stored once, read in place on loading)
//
// The checks, in order, each with its own message: length and magic,
// format version, total length (truncated or trailing bytes), checksum,
// settings (cmr version, V8 version, core features), the prepared heads'
// framing; a function's record, its digest, when it is first called. What
// passes them is trusted: it is the form this cmr wrote from a component it
// had decoded and validated (README "Serialized components").
//
// The payload is the component's AST and its validated type, packed as
// plain data: class instances carry their class name (restored with their
// prototype), shared objects stay shared (v8's serializer keeps identity).
// A core module is stored as no more than what its code uses (SIMD,
// exceptions, for the feature checks): on loading it is decoded again from
// its bytes, a slice of the binary, with its function bodies skipped
// (decodeTrustedModule) — they were validated when the component was
// serialized, and each is decoded only if the interpreter calls it
// (LazyFunc). The native engine never decodes them. So every byte of the
// binary (code, data segments, names) is stored once.

import { createHash } from 'node:crypto';
import { deserialize as v8Deserialize, serialize as v8Serialize } from 'node:v8';
import { decodeTrustedModule } from '../core/binary/decode.js';
import { Instr, type Module } from '../core/syntax/ast.js';
import { codeFeatures, recordCodeFeatures, type CodeFeatures } from '../core/syntax/features.js';
import type { CoreFeatures } from '../core/syntax/feature-set.js';
import type { Component as ComponentAst } from '../component/syntax/ast.js';
import { ResourceType, type ComponentType } from '../component/syntax/types.js';
import { CMR_VERSION } from '../version.js';
import { ComponentError } from './errors.js';
import { attachStoredCode, encodeModuleCode, storedModuleCode, StoredCodeError } from '../core/exec/prepared-store.js';
import { functionPreparer } from '../core/exec/prepare.js';
import { coreGroupOrigin, restoreCoreGroups, type CoreGroupOrigin } from '../component/valid/core-types.js';

/** The first 8 bytes of a serialized component. */
export const SERIALIZED_MAGIC = Uint8Array.from([0x00, 0x63, 0x6d, 0x72, 0x2d, 0x63, 0x6d, 0x70]); // "\0cmr-cmp"
/** The layout's version; bump it whenever the layout or the payload's shape changes. */
export const FORMAT_VERSION = 5;
const FIXED = 60;

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

/** The checksum: sha256 of every byte from 48 but the records (`records`: where they are). */
function checksum(data: Uint8Array, records: number, recordsLength: number): Uint8Array {
  return createHash('sha256').update(data.subarray(48, records)).update(data.subarray(records + recordsLength)).digest();
}

/**
 * Wraps the graph, the prepared heads and records, and the binary in the
 * header (exported for tests that forge other settings or prepared code).
 */
export function seal(settings: SerializedSettings, graph: Uint8Array, binary: Uint8Array, prepared: Uint8Array = new Uint8Array(0), records: Uint8Array = new Uint8Array(0)): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify({ ...settings, graphLength: graph.length, preparedLength: prepared.length }));
  const recordsAt = FIXED + json.length + graph.length + prepared.length;
  const total = recordsAt + records.length + binary.length;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(SERIALIZED_MAGIC, 0);
  view.setUint32(8, FORMAT_VERSION, true);
  view.setUint32(12, total, true);
  view.setUint32(48, json.length, true);
  view.setUint32(52, recordsAt, true);
  view.setUint32(56, records.length, true);
  out.set(json, FIXED);
  out.set(graph, FIXED + json.length);
  out.set(prepared, FIXED + json.length + graph.length);
  out.set(records, recordsAt);
  out.set(binary, recordsAt + records.length);
  out.set(checksum(out, recordsAt, records.length), 16);
  return out;
}

/**
 * Checks the header and checksum; returns the settings, the graph, the
 * prepared heads and records (the records unchecked: each function's is
 * checked against its digest on its first call) and the binary.
 */
export function unseal(data: Uint8Array): { settings: SerializedSettings; graph: Uint8Array; prepared: Uint8Array; records: Uint8Array; binary: Uint8Array } {
  if (!isSerialized(data)) fail('not a serialized cmr component (no "\\0cmr-cmp" magic)');
  if (data.length < 16) fail(`truncated: ${data.length} bytes, shorter than the header`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const version = view.getUint32(8, true);
  if (version !== FORMAT_VERSION) fail(`serialized with format version ${version}; this cmr (${CMR_VERSION}) reads format version ${FORMAT_VERSION}: compile the component again`);
  const total = view.getUint32(12, true);
  if (data.length < total || data.length < FIXED) fail(`truncated: ${data.length} bytes of ${Math.max(total, FIXED)}`);
  if (data.length > total) fail(`corrupted: ${data.length - total} bytes after the end (${total} bytes)`);
  const recordsAt = view.getUint32(52, true), recordsLength = view.getUint32(56, true);
  // Where the records are is among what the checksum covers: a changed byte
  // there either fails the checksum or places them out of bounds, damage all the same.
  const placed = recordsAt >= FIXED && recordsAt + recordsLength <= total;
  const sum = placed ? checksum(data, recordsAt, recordsLength) : null;
  if (sum === null || !sum.every((b, i) => data[16 + i] === b)) fail('corrupted: the checksum (sha256) does not match the contents');
  const jsonLength = view.getUint32(48, true);
  if (FIXED + jsonLength > total) fail('corrupted: the settings run past the end');
  let settings: SerializedSettings & { graphLength: number; preparedLength: number };
  try {
    settings = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data.subarray(FIXED, FIXED + jsonLength))) as typeof settings;
  } catch {
    return fail('corrupted: the settings are not JSON');
  }
  if (settings === null || typeof settings !== 'object') fail('corrupted: the settings are not an object');
  const g = settings.graphLength;
  if (!Number.isInteger(g) || g < 0 || FIXED + jsonLength + g > total) fail('corrupted: the graph runs past the end');
  const p = settings.preparedLength;
  if (!Number.isInteger(p) || p < 0 || FIXED + jsonLength + g + p !== recordsAt) fail('corrupted: the prepared code is not where the records start');
  const at = FIXED + jsonLength;
  return {
    settings, graph: data.subarray(at, at + g), prepared: data.subarray(at + g, recordsAt),
    records: data.subarray(recordsAt, recordsAt + recordsLength), binary: data.subarray(recordsAt + recordsLength, total),
  };
}

/** Refuses settings that differ from this cmr's: each difference named. */
export function checkSettings(got: SerializedSettings, want: SerializedSettings): void {
  if (got.cmr !== want.cmr) fail(`serialized by cmr ${String(got.cmr)}; this is cmr ${want.cmr}: compile the component again`);
  if (got.v8 !== want.v8) fail(`serialized under V8 ${String(got.v8)} (its object format); this Node.js has V8 ${want.v8}: compile the component again`);
  const keys = new Set([...Object.keys(got.coreFeatures ?? {}), ...Object.keys(want.coreFeatures)]);
  const differ = [...keys].filter((k) => (got.coreFeatures as unknown as Record<string, unknown>)?.[k] !== (want.coreFeatures as unknown as Record<string, unknown>)[k]);
  if (differ.length > 0) {
    fail(`serialized with other core features (${differ.map((k) => `${k}: ${String((got.coreFeatures as unknown as Record<string, unknown>)?.[k])}, here ${String((want.coreFeatures as unknown as Record<string, unknown>)[k])}`).join('; ')})`);
  }
}

// ---- packing ---------------------------------------------------------------

const CLASS = '$class';

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

  constructor(
    private readonly binary: Uint8Array,
    private readonly preparedCode: boolean,
    /** Called after each function is prepared (cmr compile's progress). */
    private readonly onPrepared: (() => void) | null = null,
  ) {}

  pack(v: unknown): unknown {
    if (v === null || typeof v !== 'object') {
      if (typeof v === 'function' || typeof v === 'symbol') throw new Error(`cannot serialize a ${typeof v}`);
      return v;
    }
    const done = this.seen.get(v);
    if (done !== undefined) return done;
    if (ArrayBuffer.isView(v)) {
      const b = this.binary;
      if (v instanceof Uint8Array && v.buffer === b.buffer && v.byteOffset >= b.byteOffset && v.byteOffset + v.length <= b.byteOffset + b.length) {
        // A slice of the binary (a core module's bytes): stored as where it is.
        const out = { [CLASS]: 'Slice', at: v.byteOffset - b.byteOffset, length: v.length };
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
    else if (CLASS in v) throw new Error(`cannot serialize an object with a ${CLASS} field`);
    const rec = v as Record<string, unknown>;
    if (rec['kind'] === 'coreModule' && rec['module'] !== undefined) {
      out['kind'] = 'coreModule';
      out['bytes'] = this.pack(rec['bytes']);
      out['offset'] = rec['offset'];
      out['module'] = this.packModule(rec['module'] as Module);
      return out;
    }
    for (const k of Object.keys(v)) {
      // A resource type's id is per process (deserializing makes a fresh one).
      if (k === 'id' && out[CLASS] === 'ResourceType') continue;
      out[k] = this.pack(rec[k]);
    }
    // A core type's canonical id is per process too: its group is stored
    // with the earlier types it names, to be registered again on loading.
    const origin = coreGroupOrigin(v);
    if (origin !== undefined && !this.groupsSeen.has(origin)) {
      this.groupsSeen.add(origin);
      this.coreGroups.push(this.pack(origin));
    }
    return out;
  }

  private packModule(m: Module): unknown {
    const done = this.seen.get(m);
    if (done !== undefined) return done;
    // Only what the bytes cannot say cheaply: the module itself is decoded
    // again from its bytes on loading, its function bodies skipped.
    const out: PackedModule = { code: { ...codeFeatures(m) }, prepared: null };
    this.seen.set(m, out);
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

  constructor(private readonly binary: Uint8Array, private readonly prepared: Uint8Array, private readonly records: Uint8Array, private readonly features: CoreFeatures) {}

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
      if (k === CLASS || (k === 'id' && cls === 'ResourceType')) continue;
      out[k] = this.unpack(rec[k]);
    }
    return out;
  }

  private unpackModule(p: Record<string, unknown>, bytes: Uint8Array): Module {
    const done = this.seen.get(p);
    if (done !== undefined) return done as Module;
    const m = decodeTrustedModule(bytes, this.features);
    this.seen.set(p, m);
    const packed = p as unknown as PackedModule;
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
  return seal({ ...currentSettings(coreFeatures), preparedCode }, v8Serialize(packed), parts.bytes, concat(packer.prepared), concat(packer.records));
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** The component a serialized form holds, after every check of unseal and checkSettings. */
export function deserializeComponent(data: Uint8Array, coreFeatures: CoreFeatures): Deserialized {
  const { settings, graph, prepared, records, binary } = unseal(data);
  checkSettings(settings, currentSettings(coreFeatures));
  let r: { ast?: ComponentAst; type?: ComponentType; coreGroups?: CoreGroupOrigin[] } | null;
  try {
    r = new Unpacker(binary, prepared, records, coreFeatures).unpack(v8Deserialize(graph)) as typeof r;
  } catch (e) {
    if (e instanceof StoredCodeError) return fail(e.message);
    // Past the checksum this means a writer's bug, not damage; say so plainly all the same.
    return fail(`corrupted: the payload does not deserialize (${e instanceof Error ? e.message : String(e)})`);
  }
  if (r === null || typeof r !== 'object' || typeof r.ast !== 'object' || r.type?.kind !== 'component') {
    return fail('corrupted: the payload is not a component');
  }
  // Empty unless the component defines GC core types (or function types that refer to them).
  restoreCoreGroups(r.coreGroups ?? []);
  return { bytes: binary, ast: r.ast, type: r.type };
}
