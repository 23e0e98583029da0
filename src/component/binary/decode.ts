// The component binary decoder (Binary.md). It checks only what the grammar
// says — validation (index spaces, types, names) is ../valid's job — and
// reports malformed bytes as DecodeError with wasmparser's words, which the
// component-model suite's assert_malformed expects.
//
// Embedded core modules are decoded here too, by the core decoder, because a
// malformed core module makes the whole component malformed.

import { DecodeError } from '../../core/errors.js';
import { F32, F64, I32, I64, V128, FUNCREF, EXTERNREF } from '../../core/syntax/types.js';
import type { DefType, ValType as CoreValType } from '../../core/syntax/types.js';
import { isRef } from '../../core/syntax/reftypes.js';
import { decodeModule } from '../../core/binary/decode.js';
import { Reader as CoreReader, UNEXPECTED_END } from '../../core/binary/reader.js';
import { isCompTypeForm, readCompType, readGlobalType, readRefType } from '../../core/binary/types.js';
import { earlyBodyCheck } from '../../core/valid/validate.js';
import { WASM_2_0, WASM_3_0_SUPPORTED, type CoreFeatures } from '../../core/syntax/feature-set.js';
import type { Module } from '../../core/syntax/ast.js';
import { Reader } from './reader.js';
import type {
  Alias, Canon, CanonKind, CanonOpt, Component, ComponentNames, CoreExternDesc,
  CoreInstanceExpr, CoreMemType, CoreSort, CoreTableType, CoreTypeDef, Decl, Definition, ExternDesc,
  ExternName, InstanceExpr, ModuleDecl, PrimValType, Sort, TypeDef, ValTypeRef, DefValTypeDef,
} from '../syntax/ast.js';


const MAGIC = [0x00, 0x61, 0x73, 0x6d];
const COMPONENT_VERSION = 0x0d;
const COMPONENT_LAYER = 0x01;

/**
 * How deep components and component/instance types may nest. The decoder
 * and the validator recurse on nesting; the limit turns absurd input into
 * a clear error instead of an exhausted JS stack.
 */
export const MAX_NESTING = 100;

function nested<T>(r: Reader, f: () => T): T {
  if (r.state.depth >= MAX_NESTING) r.fail(`nesting too deep: components and component types may nest at most ${MAX_NESTING} levels`);
  r.state.depth++;
  try {
    return f();
  } finally {
    r.state.depth--;
  }
}

/**
 * Decodes a component. `features` are the core features its embedded core
 * modules may use (wasm-tools accepts every stable one; the default,
 * WebAssembly 2.0, keeps existing callers as they were).
 */
export function decodeComponent(bytes: Uint8Array, features: CoreFeatures = WASM_2_0): Component {
  try {
    return readComponent(new Reader(bytes, 0, bytes.length, { depth: 0, coreFeatures: features }));
  } catch (e) {
    if (e instanceof DecodeError) throw e;
    // A bug of ours must still read as "malformed", never crash the caller.
    throw new DecodeError(`internal decoder error: ${(e as Error)?.message ?? e}`, -1);
  }
}

/** The preamble: magic, version, layer. `expect` says which kind the context requires. */
function readPreamble(r: Reader, expect: 'component' | 'module'): void {
  const start = r.pos;
  for (const m of MAGIC) {
    if (r.atEnd) r.fail('unexpected end-of-file', r.pos);
    if (r.u8() !== m) r.fail('magic header not detected: bad magic number', start);
  }
  if (r.end - r.pos < 4) r.fail('unexpected end-of-file', r.pos);
  const version = r.bytes[r.pos]! | (r.bytes[r.pos + 1]! << 8);
  const layer = r.bytes[r.pos + 2]! | (r.bytes[r.pos + 3]! << 8);
  if (layer === 0 && version === 1 && expect === 'component') r.fail('expected a version header for a component', start);
  if (layer === COMPONENT_LAYER && version === COMPONENT_VERSION && expect === 'module') r.fail('expected a version header for a module', start);
  if (layer !== COMPONENT_LAYER || version !== COMPONENT_VERSION) {
    const word = (version | (layer << 16)) >>> 0;
    r.fail(`unknown binary version: 0x${word.toString(16).padStart(8, '0')}`, r.pos);
  }
  r.pos += 4;
}

function readComponent(r: Reader): Component {
  const offset = r.pos;
  readPreamble(r, 'component');
  const c: Component = { definitions: [], customs: [], names: null, offset };
  const defs = c.definitions;
  while (!r.atEnd) {
    const idPos = r.pos;
    const id = r.u8();
    if (id & 0x80) r.fail('malformed section id', idPos);
    const size = r.u32();
    const start = r.pos;
    if (size > r.end - start) r.fail('unexpected end-of-file', start);
    const s = new Reader(r.bytes, start, start + size, r.state);
    const at = () => s.pos;
    switch (id) {
      case 0: readCustom(s, c); break;
      case 1: defs.push(readCoreModule(s)); break;
      case 2: for (const d of s.vec(() => ({ kind: 'coreInstance' as const, offset: at(), instance: readCoreInstance(s) }))) defs.push(d); break;
      case 3: for (const d of s.vec(() => ({ kind: 'coreType' as const, offset: at(), type: readCoreType(s) }))) defs.push(d); break;
      case 4: defs.push({ kind: 'component', offset: start, component: nested(s, () => readComponent(s)) }); break;
      case 5: for (const d of s.vec(() => ({ kind: 'instance' as const, offset: at(), instance: readInstance(s) }))) defs.push(d); break;
      case 6: for (const d of s.vec(() => ({ kind: 'alias' as const, offset: at(), alias: readAlias(s) }))) defs.push(d); break;
      case 7: for (const d of s.vec(() => ({ kind: 'type' as const, offset: at(), type: readTypeDef(s) }))) defs.push(d); break;
      case 8: for (const d of s.vec(() => ({ kind: 'canon' as const, offset: at(), canon: readCanon(s) }))) defs.push(d); break;
      case 9: defs.push({ kind: 'start', offset: start, start: { func: s.u32(), args: s.vec(() => s.u32()), results: s.u32() } }); break;
      case 10: for (const d of s.vec(() => ({ kind: 'import' as const, offset: at(), import: { name: readExternName(s), desc: readExternDesc(s) } }))) defs.push(d); break;
      case 11: for (const d of s.vec(() => ({ kind: 'export' as const, offset: at(), export: readExport(s) }))) defs.push(d); break;
      case 12: for (const d of s.vec(() => readValue(s))) defs.push(d); break;
      default: r.fail('malformed section id', idPos);
    }
    if (!s.atEnd) s.fail(`unexpected content in the ${SECTION_NAMES[id] ?? 'custom'} section`);
    r.pos = start + size;
  }
  return c;
}

const SECTION_NAMES: Record<number, string> = {
  1: 'module', 2: 'core instance', 3: 'core type', 4: 'component', 5: 'component instance', 6: 'component alias',
  7: 'component type', 8: 'component canonical function', 9: 'component start', 10: 'component import',
  11: 'component export', 12: 'component value',
};

function readCustom(s: Reader, c: Component): void {
  const offset = s.pos;
  const name = s.name();
  const bytes = s.bytesN(s.end - s.pos);
  c.customs.push({ name, bytes, offset });
  // The name section is informative: an ill-formed one is ignored (Binary.md "Name Section").
  if (name === 'component-name' && c.names === null) {
    try {
      c.names = readNameSection(new Reader(bytes, 0, bytes.length, s.state));
    } catch {
      c.names = null;
    }
  }
}

function readNameSection(r: Reader): ComponentNames {
  const names: ComponentNames = { component: null, sorts: new Map() };
  while (!r.atEnd) {
    const id = r.u8();
    const size = r.u32();
    const sub = new Reader(r.bytes, r.pos, r.pos + size, r.state);
    if (sub.end > r.end) r.fail('unexpected end-of-file');
    if (id === 0) names.component = sub.name();
    else if (id === 1) {
      const sort = sortName(readSort(sub));
      const map = new Map<number, string>();
      for (const [i, n] of sub.vec(() => [sub.u32(), sub.name()] as const)) map.set(i, n);
      names.sorts.set(sort, map);
    }
    r.pos = sub.end;
  }
  return names;
}

function sortName(s: Sort): string {
  return typeof s === 'string' ? s : `core ${s.core}`;
}

function readCoreModule(s: Reader): Definition {
  const offset = s.pos;
  const bytes = s.bytes.subarray(s.pos, s.end);
  // A component preamble where a module belongs is its own, clearer error.
  const probe = new Reader(s.bytes, s.pos, s.end, s.state);
  if (probe.end - probe.pos >= 8 && MAGIC.every((m, i) => s.bytes[s.pos + i] === m)) {
    const version = s.bytes[s.pos + 4]! | (s.bytes[s.pos + 5]! << 8);
    const layer = s.bytes[s.pos + 6]! | (s.bytes[s.pos + 7]! << 8);
    if (layer === COMPONENT_LAYER) s.fail('expected a version header for a module', offset);
    void version;
  }
  let module: Module;
  try {
    module = decodeModule(bytes, s.state.coreFeatures, earlyBodyCheck()); // bodies validated as they are read
  } catch (e) {
    if (e instanceof DecodeError) throw new DecodeError(coreMessage(e.message), e.offset >= 0 ? e.offset + offset : offset);
    throw new DecodeError(`malformed core module: ${(e as Error)?.message ?? e}`, offset);
  }
  s.pos = s.end;
  return { kind: 'coreModule', bytes, module, offset };
}

/**
 * The core decoder speaks the core suites' words; inside a component the
 * component-model suite expects wasm-tools' for the same faults. A section
 * that repeats or comes too late is "section out of order" there.
 */
function coreMessage(m: string): string {
  if (m === 'unexpected content after last section') return 'section out of order';
  return m;
}

// ---- sorts -------------------------------------------------------------------

const CORE_SORTS: Record<number, CoreSort> = {
  0x00: 'func', 0x01: 'table', 0x02: 'memory', 0x03: 'global', 0x04: 'tag', 0x10: 'type', 0x11: 'module', 0x12: 'instance',
};

/** `sort`, with wasmparser's "component external kind" wording for bad bytes. */
function readSort(s: Reader): Sort {
  const b = s.u8();
  switch (b) {
    case 0x00: {
      const b2 = s.u8();
      const sort = CORE_SORTS[b2];
      if (sort === undefined) s.invalidLeadingByte(b2, 'component external kind');
      return { core: sort };
    }
    case 0x01: return 'func';
    case 0x02: return 'value';
    case 0x03: return 'type';
    case 0x04: return 'component';
    case 0x05: return 'instance';
    default: s.invalidLeadingByte(b, 'component external kind');
  }
}

/** `sort` where only exportable sorts (core module and the component sorts) may appear. */
function readExternalKind(s: Reader): Sort {
  const b = s.u8();
  if (b === 0x00) {
    const b2 = s.u8();
    if (b2 !== 0x11) s.invalidLeadingByte(b2, 'component external kind');
    return { core: 'module' };
  }
  s.pos--;
  return readSort(s);
}

// ---- instances ---------------------------------------------------------------

function readCoreInstance(s: Reader): CoreInstanceExpr {
  const b = s.u8();
  if (b === 0x00) {
    const module = s.u32();
    const args = s.vec(() => {
      const name = s.name();
      const k = s.u8();
      if (k !== 0x12) s.invalidLeadingByte(k, 'instantiation arg kind');
      return { name, instance: s.u32() };
    });
    return { kind: 'instantiate', module, args };
  }
  if (b === 0x01) {
    return { kind: 'exports', exports: s.vec(() => ({ name: s.name(), sort: readCoreExternalKind(s), index: s.u32() })) };
  }
  s.invalidLeadingByte(b, 'core instance');
}

/** A core `externkind`: func, table, memory, global or tag. */
function readCoreExternalKind(s: Reader): CoreSort {
  const b = s.u8();
  if (b > 0x04) s.invalidLeadingByte(b, 'external kind');
  return CORE_SORTS[b]!;
}

function readInstance(s: Reader): InstanceExpr {
  const b = s.u8();
  if (b === 0x00) {
    const component = s.u32();
    const args = s.vec(() => ({ name: s.name(), sort: readExternalKind(s), index: s.u32() }));
    return { kind: 'instantiate', component, args };
  }
  if (b === 0x01) {
    return { kind: 'exports', exports: s.vec(() => ({ name: readExternName(s), sort: readExternalKind(s), index: s.u32() })) };
  }
  s.invalidLeadingByte(b, 'instance');
}

// ---- aliases -----------------------------------------------------------------

function readAlias(s: Reader): Alias {
  const sortPos = s.pos;
  const b1 = s.u8();
  const b2 = b1 === 0x00 ? s.u8() : null;
  const target = s.u8();
  switch (target) {
    case 0x00: {
      const sort = sortFromBytes(s, b1, b2, sortPos, 'component external kind');
      return { kind: 'export', sort, instance: s.u32(), name: s.name() };
    }
    case 0x01: {
      if (b2 === null) s.invalidLeadingByte(b1, 'core instance export kind', sortPos);
      if (b2 > 0x04) s.invalidLeadingByte(b2, 'external kind', sortPos + 1);
      return { kind: 'coreExport', sort: CORE_SORTS[b2]!, instance: s.u32(), name: s.name() };
    }
    case 0x02: {
      // Outer aliases only reach core modules, core types, types and components.
      let sort: Sort;
      if (b2 !== null) {
        if (b2 === 0x10) sort = { core: 'type' };
        else if (b2 === 0x11) sort = { core: 'module' };
        else s.invalidLeadingByte(b2, 'component outer alias kind', sortPos + 1);
      } else if (b1 === 0x03) sort = 'type';
      else if (b1 === 0x04) sort = 'component';
      else s.invalidLeadingByte(b1, 'component outer alias kind', sortPos);
      return { kind: 'outer', sort, count: s.u32(), index: s.u32() };
    }
    default: s.invalidLeadingByte(target, 'alias');
  }
}

function sortFromBytes(s: Reader, b1: number, b2: number | null, pos: number, what: string): Sort {
  if (b2 !== null) {
    if (b2 !== 0x11) s.invalidLeadingByte(b2, what, pos + 1);
    return { core: 'module' };
  }
  switch (b1) {
    case 0x01: return 'func';
    case 0x02: return 'value';
    case 0x03: return 'type';
    case 0x04: return 'component';
    case 0x05: return 'instance';
    default: s.invalidLeadingByte(b1, what, pos);
  }
}

// ---- core types --------------------------------------------------------------

function readCoreValType(s: Reader): CoreValType {
  const b = s.u8();
  switch (b) {
    case I32: case I64: case F32: case F64: case V128: case FUNCREF: case EXTERNREF: return b as CoreValType;
    default: s.invalidLeadingByte(b, 'value type');
  }
}

/**
 * Runs one of the core decoder's readers at `s`'s position. A component's
 * core types are WebAssembly 3.0's (Binary.md), whatever features its
 * embedded modules are decoded with, and are read by the core's rules
 * (value, heap, field and composite types), so each rule is written once.
 */
function withCore<T>(s: Reader, read: (r: CoreReader) => T): T {
  const r = new CoreReader(s.bytes, s.pos, s.end);
  r.features = WASM_3_0_SUPPORTED;
  let v: T;
  try {
    v = read(r);
  } catch (e) {
    // Running out of bytes is the component's end of input, in its words.
    if (e instanceof DecodeError && e.message === UNEXPECTED_END) s.fail('unexpected end-of-file', e.offset);
    throw e;
  }
  s.pos = r.pos;
  return v;
}

/**
 * `core:subtype` after its first byte `b`: `0x50` (non-final) or `0x4f`
 * (final) with its supertypes, or a bare composite type (final). A byte
 * that starts no composite type is refused in wasmparser's words, which
 * the component-model suite expects, before the core reads the rest.
 */
function readSubType(s: Reader, b: number): DefType {
  const sub = b === 0x50 || b === 0x4f;
  const supers = sub ? s.vec(() => s.u32()) : [];
  const form = sub ? s.u8() : b;
  const at = s.pos - 1;
  if (!isCompTypeForm(form)) s.invalidLeadingByte(form, 'core type', at);
  const t = withCore(s, (r) => readCompType(r, form, at));
  if (sub) {
    t.supers = supers;
    t.final = b === 0x4f;
  }
  return t;
}

/** A type of WebAssembly 2.0's value types alone (no sub, struct, array or typed reference). */
function isPlainFunc(t: DefType): boolean {
  const plain = (v: number) => !isRef(v) || v === FUNCREF || v === EXTERNREF;
  return t.comp === undefined && t.supers === undefined && t.params.every(plain) && t.results.every(plain);
}

/**
 * `core:deftype` (Binary.md "Type Definitions"): where a component holds a
 * core type, `0x50` is a module type and a non-final sub type is written
 * `0x00 0x50`.
 */
function readCoreType(s: Reader): CoreTypeDef {
  const b = s.u8();
  switch (b) {
    case 0x50: return { kind: 'module', decls: s.vec(() => readModuleDecl(s)) };
    case 0x00: {
      const b2 = s.u8();
      if (b2 !== 0x50) s.invalidLeadingByte(b2, 'core type');
      return { kind: 'sub', sub: readSubType(s, b2) };
    }
    case 0x4e: return { kind: 'rec', types: s.vec(() => readSubType(s, s.u8())) };
    default: {
      const t = readSubType(s, b);
      return isPlainFunc(t) ? { kind: 'func', type: { params: t.params, results: t.results } } : { kind: 'sub', sub: t };
    }
  }
}

/**
 * The `core:type` of a module type's `0x01` declarator. Binary.md reads it
 * as `core:deftype`, where a bare `0x50` is a module type (which validation
 * then refuses in a module type) and a non-final sub is `0x00 0x50`;
 * wasm-tools reads and writes it as a `core:rectype`, where a bare `0x50`
 * is a non-final sub. Both are read: a bare `0x50` whose bytes go on as a
 * sub's (supertype indices, then a composite type's form byte) is a sub,
 * as toolchains write it; otherwise it is Binary.md's module type, for
 * validation to refuse. A module type can never be valid here, so this
 * accepts every valid type either reading accepts.
 */
function readModuleTypeDef(s: Reader): CoreTypeDef {
  if (s.peek() !== 0x50 || !subFollows(s, s.pos + 1)) return readCoreType(s);
  s.pos++;
  return { kind: 'sub', sub: readSubType(s, 0x50) };
}

/** Whether the bytes at `pos` read as a sub type's supertypes followed by a composite type's form byte. */
function subFollows(s: Reader, pos: number): boolean {
  const ahead = new Reader(s.bytes, pos, s.end, s.state);
  try {
    ahead.vec(() => ahead.u32());
    return isCompTypeForm(ahead.peek());
  } catch (e) {
    if (e instanceof DecodeError) return false;
    throw e;
  }
}

function readModuleDecl(s: Reader): ModuleDecl {
  const offset = s.pos;
  const b = s.u8();
  switch (b) {
    case 0x00: return { kind: 'import', module: s.name(), name: s.name(), desc: readCoreExternDesc(s), offset };
    case 0x01: return { kind: 'type', type: readModuleTypeDef(s), offset };
    case 0x02: {
      const k = s.u8();
      if (k !== 0x10) s.invalidLeadingByte(k, 'outer alias kind');
      const t = s.u8();
      if (t !== 0x01) s.invalidLeadingByte(t, 'outer alias target');
      return { kind: 'alias', count: s.u32(), index: s.u32(), offset };
    }
    case 0x03: return { kind: 'export', name: s.name(), desc: readCoreExternDesc(s), offset };
    default: s.invalidLeadingByte(b, 'type definition');
  }
}

function readLimits(s: Reader): { flags: number; min: bigint; max: bigint | null; pageSizeLog2: number | null } {
  const flags = s.u8();
  if (flags > 0x0f) s.invalidLeadingByte(flags, 'limits');
  const is64 = (flags & 0x04) !== 0;
  const min = is64 ? s.u64() : BigInt(s.u32());
  const max = flags & 0x01 ? (is64 ? s.u64() : BigInt(s.u32())) : null;
  const pageSizeLog2 = flags & 0x08 ? s.u32() : null;
  return { flags, min, max, pageSizeLog2 };
}

function readCoreExternDesc(s: Reader): CoreExternDesc {
  const b = s.u8();
  switch (b) {
    case 0x00: return { kind: 'func', typeIdx: s.u32() };
    case 0x01: {
      // Core's `externtype` (Binary.md reuses it): 3.0 reference types too.
      const elem = withCore(s, readRefType);
      const l = readLimits(s);
      const type: CoreTableType = { elem, min: l.min, max: l.max, table64: (l.flags & 0x04) !== 0 };
      return { kind: 'table', type };
    }
    case 0x02: {
      const l = readLimits(s);
      const type: CoreMemType = { min: l.min, max: l.max, shared: (l.flags & 0x02) !== 0, memory64: (l.flags & 0x04) !== 0, pageSizeLog2: l.pageSizeLog2 };
      return { kind: 'memory', type };
    }
    case 0x03: return { kind: 'global', type: withCore(s, readGlobalType) };
    case 0x04: {
      const attr = s.u8();
      if (attr !== 0) s.invalidLeadingByte(attr, 'tag attribute');
      return { kind: 'tag', typeIdx: s.u32() };
    }
    default: s.invalidLeadingByte(b, 'external kind');
  }
}

// ---- component types ---------------------------------------------------------

const PRIMS: Record<number, PrimValType> = {
  0x7f: 'bool', 0x7e: 's8', 0x7d: 'u8', 0x7c: 's16', 0x7b: 'u16', 0x7a: 's32', 0x79: 'u32',
  0x78: 's64', 0x77: 'u64', 0x76: 'f32', 0x75: 'f64', 0x74: 'char', 0x73: 'string', 0x64: 'error-context',
};

function readValType(s: Reader): ValTypeRef {
  const prim = PRIMS[s.peek()];
  if (prim !== undefined) {
    s.pos++;
    return prim;
  }
  const v = s.s33();
  // A negative code that is no primitive cannot name a type: keep it as an
  // index that is out of every bound, as wasmparser does.
  return v < 0 ? v + 2 ** 32 : v;
}

function readOptValType(s: Reader): ValTypeRef | null {
  return s.optional(() => readValType(s), 'optional component value type');
}

function readLabel(s: Reader): string {
  return s.name();
}

function readResultList(s: Reader): ValTypeRef | null {
  const b = s.u8();
  if (b === 0x00) return readValType(s);
  if (b === 0x01) {
    const z = s.u8();
    if (z !== 0x00) s.invalidLeadingByte(z, 'number of results');
    return null;
  }
  s.invalidLeadingByte(b, 'component function results');
}

function readTypeDef(s: Reader): TypeDef {
  const b = s.u8();
  switch (b) {
    case 0x3f: {
      const rep = readCoreValType(s);
      const dtor = s.optional(() => s.u32(), 'resource destructor');
      return { kind: 'resource', rep, dtor };
    }
    case 0x40: case 0x43: {
      const params = s.vec(() => ({ name: readLabel(s), type: readValType(s) }));
      return { kind: 'func', async: b === 0x43, params, result: readResultList(s) };
    }
    case 0x41: return nested(s, () => ({ kind: 'component', decls: s.vec(() => readDecl(s, true)) }));
    case 0x42: return nested(s, () => ({ kind: 'instance', decls: s.vec(() => readDecl(s, false)) }));
    default: return readDefValType(s, b);
  }
}

function readDefValType(s: Reader, b: number): DefValTypeDef {
  const prim = PRIMS[b];
  if (prim !== undefined) return { kind: 'prim', type: prim };
  switch (b) {
    case 0x72: return { kind: 'record', fields: s.vec(() => ({ name: readLabel(s), type: readValType(s) })) };
    case 0x71: return {
      kind: 'variant',
      cases: s.vec(() => {
        const name = readLabel(s);
        const type = readOptValType(s);
        const z = s.u8();
        if (z !== 0) s.invalidLeadingByte(z, 'zero byte required');
        return { name, type };
      }),
    };
    case 0x70: return { kind: 'list', elem: readValType(s), length: null };
    case 0x67: return { kind: 'list', elem: readValType(s), length: s.u32() };
    case 0x6f: return { kind: 'tuple', types: s.vec(() => readValType(s)) };
    case 0x6e: return { kind: 'flags', names: s.vec(() => readLabel(s)) };
    case 0x6d: return { kind: 'enum', names: s.vec(() => readLabel(s)) };
    case 0x6b: return { kind: 'option', type: readValType(s) };
    case 0x6a: return { kind: 'result', ok: readOptValType(s), err: readOptValType(s) };
    case 0x69: return { kind: 'own', typeIdx: s.u32() };
    case 0x68: return { kind: 'borrow', typeIdx: s.u32() };
    case 0x66: return { kind: 'stream', elem: readOptValType(s) };
    case 0x65: return { kind: 'future', elem: readOptValType(s) };
    case 0x63: return { kind: 'map', key: readValType(s), value: readValType(s) };
    default: s.invalidLeadingByte(b, 'component defined type');
  }
}

function readDecl(s: Reader, inComponentType: boolean): Decl {
  const offset = s.pos;
  const b = s.u8();
  switch (b) {
    case 0x00: return { kind: 'coreType', type: readCoreType(s), offset };
    case 0x01: return { kind: 'type', type: readTypeDef(s), offset };
    case 0x02: return { kind: 'alias', alias: readAlias(s), offset };
    case 0x03:
      if (!inComponentType) s.invalidLeadingByte(b, 'component or instance type declaration');
      return { kind: 'import', name: readExternName(s), desc: readExternDesc(s), offset };
    case 0x04: return { kind: 'export', name: readExternName(s), desc: readExternDesc(s), offset };
    default: s.invalidLeadingByte(b, 'component or instance type declaration');
  }
}

function readExternDesc(s: Reader): ExternDesc {
  const pos = s.pos;
  const b1 = s.u8();
  const b2 = b1 === 0x00 ? s.u8() : null;
  const sort = sortFromBytes(s, b1, b2, pos, 'component external kind');
  if (typeof sort !== 'string') return { kind: 'module', typeIdx: s.u32() };
  switch (sort) {
    case 'func': return { kind: 'func', typeIdx: s.u32() };
    case 'value': {
      const k = s.u8();
      if (k === 0x00) return { kind: 'value', bound: { kind: 'eq', valueIdx: s.u32() } };
      if (k === 0x01) return { kind: 'value', bound: { kind: 'type', type: readValType(s) } };
      s.invalidLeadingByte(k, 'value bound');
    }
    // falls through (unreachable: invalidLeadingByte throws)
    case 'type': {
      const k = s.u8();
      if (k === 0x00) return { kind: 'type', bound: { kind: 'eq', typeIdx: s.u32() } };
      if (k === 0x01) return { kind: 'type', bound: { kind: 'subResource' } };
      s.invalidLeadingByte(k, 'type bound');
    }
    // falls through
    case 'component': return { kind: 'component', typeIdx: s.u32() };
    case 'instance': return { kind: 'instance', typeIdx: s.u32() };
  }
}

/** `nameattributes`. */
function readExternName(s: Reader): ExternName {
  const b = s.u8();
  if (b > 0x02) s.invalidLeadingByte(b, 'component name');
  const n: ExternName = { name: s.name(), implements: null, versionSuffix: null, externalId: null };
  if (b === 0x02) {
    const count = s.u32();
    for (let i = 0; i < count; i++) {
      // A repeated attribute is well-formed; validation rejects it.
      const k = s.u8();
      const dup = (what: string) => { n.duplicateAttribute ??= what; };
      if (k === 0x00) {
        const v = s.name();
        if (n.implements !== null) dup('implements'); else n.implements = v;
      } else if (k === 0x01) {
        const v = s.name();
        if (n.versionSuffix !== null) dup('versionsuffix'); else n.versionSuffix = v;
      } else if (k === 0x02) {
        const v = s.name();
        if (n.externalId !== null) dup('external-id'); else n.externalId = v;
      } else s.invalidLeadingByte(k, 'name option');
    }
  }
  return n;
}

function readExport(s: Reader) {
  const name = readExternName(s);
  const sort = readExternalKind(s);
  const index = s.u32();
  const b = s.u8();
  let desc: ExternDesc | null = null;
  if (b === 0x01) desc = readExternDesc(s);
  else if (b !== 0x00) s.invalidLeadingByte(b, 'optional component export type');
  return { name, sort, index, desc };
}

function readValue(s: Reader): Definition {
  const offset = s.pos;
  const type = readValType(s);
  const len = s.u32();
  return { kind: 'value', type, bytes: s.bytesN(len), offset };
}

// ---- canonical definitions ---------------------------------------------------

function readCanonOpts(s: Reader): CanonOpt[] {
  return s.vec((): CanonOpt => {
    const b = s.u8();
    switch (b) {
      case 0x00: return { kind: 'string-encoding', encoding: 'utf8' };
      case 0x01: return { kind: 'string-encoding', encoding: 'utf16' };
      case 0x02: return { kind: 'string-encoding', encoding: 'latin1+utf16' };
      case 0x03: return { kind: 'memory', index: s.u32() };
      case 0x04: return { kind: 'realloc', index: s.u32() };
      case 0x05: return { kind: 'post-return', index: s.u32() };
      case 0x06: return { kind: 'async' };
      case 0x07: return { kind: 'callback', index: s.u32() };
      case 0x08: return { kind: 'core-type', index: s.u32() };
      case 0x09: return { kind: 'gc' };
      default: s.invalidLeadingByte(b, 'canonical option');
    }
  });
}

/** Built-ins whose only immediate is a type index. */
const TYPE_ONLY: Record<number, CanonKind> = {
  0x02: 'resource.new', 0x03: 'resource.drop', 0x04: 'resource.rep',
  0x0e: 'stream.new', 0x13: 'stream.drop-readable', 0x14: 'stream.drop-writable',
  0x15: 'future.new', 0x1a: 'future.drop-readable', 0x1b: 'future.drop-writable',
};
/** Built-ins taking a type index and canonical options. */
const TYPE_OPTS: Record<number, CanonKind> = { 0x0f: 'stream.read', 0x10: 'stream.write', 0x16: 'future.read', 0x17: 'future.write' };
/** Built-ins taking a type index and an `async?` flag. */
const TYPE_ASYNC: Record<number, CanonKind> = {
  0x11: 'stream.cancel-read', 0x12: 'stream.cancel-write', 0x18: 'future.cancel-read', 0x19: 'future.cancel-write',
};
/** Built-ins with no immediates. */
const NO_IMM: Record<number, CanonKind> = {
  0x24: 'backpressure.inc', 0x25: 'backpressure.dec', 0x05: 'task.cancel', 0x0d: 'subtask.drop',
  0x1e: 'error-context.drop', 0x1f: 'waitable-set.new', 0x22: 'waitable-set.drop', 0x23: 'waitable.join',
  0x26: 'thread.index', 0x28: 'thread.resume-later',
};
/** Built-ins taking only a `cancel?` flag. */
const CANCEL_ONLY: Record<number, CanonKind> = {
  0x29: 'thread.suspend', 0x0c: 'thread.yield', 0x2a: 'thread.suspend-then-resume', 0x2b: 'thread.yield-then-resume',
  0x2c: 'thread.suspend-then-promote', 0x2d: 'thread.yield-then-promote',
};

function readCanon(s: Reader): Canon {
  const b = s.u8();
  if (TYPE_ONLY[b]) return { kind: TYPE_ONLY[b]!, typeIdx: s.u32() };
  if (TYPE_OPTS[b]) return { kind: TYPE_OPTS[b]!, typeIdx: s.u32(), options: readCanonOpts(s) };
  if (TYPE_ASYNC[b]) return { kind: TYPE_ASYNC[b]!, typeIdx: s.u32(), async: s.bool() };
  if (NO_IMM[b]) return { kind: NO_IMM[b]! };
  if (CANCEL_ONLY[b]) return { kind: CANCEL_ONLY[b]!, cancellable: s.bool() };
  switch (b) {
    case 0x00: {
      const z = s.u8();
      if (z !== 0x00) s.invalidLeadingByte(z, 'canonical function lift');
      const coreFunc = s.u32();
      const options = readCanonOpts(s);
      return { kind: 'lift', coreFunc, options, typeIdx: s.u32() };
    }
    case 0x01: {
      const z = s.u8();
      if (z !== 0x00) s.invalidLeadingByte(z, 'canonical function lower');
      return { kind: 'lower', func: s.u32(), options: readCanonOpts(s) };
    }
    case 0x09: return { kind: 'task.return', result: readResultList(s), options: readCanonOpts(s) };
    case 0x0a: return { kind: 'context.get', valType: readCoreValType(s), slot: s.u32() };
    case 0x0b: return { kind: 'context.set', valType: readCoreValType(s), slot: s.u32() };
    case 0x06: return { kind: 'subtask.cancel', async: s.bool() };
    case 0x1c: return { kind: 'error-context.new', options: readCanonOpts(s) };
    case 0x1d: return { kind: 'error-context.debug-message', options: readCanonOpts(s) };
    case 0x20: return { kind: 'waitable-set.wait', cancellable: s.bool(), memory: s.u32() };
    case 0x21: return { kind: 'waitable-set.poll', cancellable: s.bool(), memory: s.u32() };
    case 0x27: return { kind: 'thread.new-indirect', funcTypeIdx: s.u32(), table: s.u32() };
    case 0x40: return { kind: 'thread.spawn-ref', shared: s.bool(), funcTypeIdx: s.u32() };
    case 0x41: return { kind: 'thread.spawn-indirect', shared: s.bool(), funcTypeIdx: s.u32(), table: s.u32() };
    case 0x42: return { kind: 'thread.available-parallelism', shared: s.bool() };
    default: s.invalidLeadingByte(b, 'canonical function');
  }
}
