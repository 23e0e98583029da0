// What the host engine (V8 here) supports, probed once by validating tiny
// hand-encoded modules, and what a module needs of it. A module that uses a
// feature the host lacks is skipped with that reason, never counted as a
// failure of the native engine.

import { setFlagsFromString } from 'node:v8';
import type { Instr, Module } from '../syntax/ast.js';
import { FD, Op } from '../syntax/opcodes.js';
import { codeFeatures, isTypedRef } from '../syntax/features.js';
import { EXNREF, I32, I64, V128, type ValType } from '../syntax/types.js';
import { HT, refType } from '../syntax/reftypes.js';
import { addrTypes } from '../syntax/addr-type.js';
import { ByteWriter, moduleBytes, section, SectionId } from './encode.js';
import { hostHasTags } from './tags.js';
import { enableV8Feature } from './v8-flags.js';

export type HostFeature =
  | 'simd' | 'relaxed-simd' | 'multi-memory' | 'memory64' | 'exceptions' | 'exnref'
  | 'tail-call' | 'gc' | 'function-references' | 'extended-const' | 'threads' | 'table64';

/** Raised by the native engine for a module the host cannot run; the harness reports a skip. */
export class UnsupportedFeature extends Error {
  override name = 'UnsupportedFeature';
  constructor(readonly feature: string) {
    super(`skip: host engine lacks ${feature}`);
  }
}

const VOID_TYPE = section(SectionId.type, new ByteWriter().u32(1).byte(0x60, 0, 0));

/** A module with one function of type `type` (a type-section body) whose body is `code` (without `end`). */
function oneFunc(typeSection: readonly number[], code: readonly number[], locals: readonly number[] = [0]): Uint8Array {
  const body = [...locals, ...code, 0x0b];
  return moduleBytes([
    typeSection,
    section(SectionId.func, [1, 0]),
    section(SectionId.code, new ByteWriter().u32(1).u32(body.length).raw(body)),
  ]);
}

function probes(): Record<HostFeature, Uint8Array> {
  const v128ToV128 = section(SectionId.type, [1, 0x60, 1, V128, 1, V128]);
  return {
    // (func (param v128) (result v128) local.get 0)
    'simd': oneFunc(v128ToV128, [0x20, 0]),
    // i8x16.relaxed_swizzle (0xFD 0x100)
    'relaxed-simd': oneFunc(v128ToV128, [0x20, 0, 0x20, 0, 0xfd, 0x80, 0x02]),
    // (memory 0) (memory 0)
    'multi-memory': moduleBytes([section(SectionId.memory, [2, 0, 0, 0, 0])]),
    // (memory i64 0): limits flag 0x04
    'memory64': moduleBytes([section(SectionId.memory, [1, 0x04, 0])]),
    // (table i64 0 funcref): limits flag 0x04
    'table64': moduleBytes([section(SectionId.table, [1, 0x70, 0x04, 0])]),
    // legacy (try end)
    'exceptions': oneFunc(VOID_TYPE, [0x06, 0x40, 0x0b]),
    // (try_table end) with no catch clauses
    'exnref': oneFunc(VOID_TYPE, [0x1f, 0x40, 0x00, 0x0b]),
    // (return_call 0)
    'tail-call': oneFunc(VOID_TYPE, [0x12, 0]),
    // (type (struct))
    'gc': moduleBytes([section(SectionId.type, [1, 0x5f, 0])]),
    // (type (func (param (ref func))))
    'function-references': moduleBytes([section(SectionId.type, [1, 0x60, 1, 0x64, 0x70, 0])]),
    // (global i32 (i32.add (i32.const 1) (i32.const 2)))
    'extended-const': moduleBytes([section(SectionId.global, [1, I32, 0, 0x41, 1, 0x41, 2, 0x6a, 0x0b])]),
    // (memory 1 1 shared)
    'threads': moduleBytes([section(SectionId.memory, [1, 0x03, 1, 1])]),
  };
}

/**
 * Proposals this host has only behind a V8 flag, which cmr turns on because
 * their results agree with the suites: memory64 in Node 20's V8 11.3 (its
 * draft passes every memory64 directive the suite has for memories; table64
 * it lacks, and that stays a skip). V8 reads these flags at each compile,
 * so they work once set, before the first module that needs them; set at
 * load, when the probe fails without them, and never on a host that has the
 * feature already.
 */
const HOST_FLAGS: readonly [HostFeature, string][] = [['memory64', '--experimental-wasm-memory64']];

function enableHostFlags(): void {
  const all = probes();
  for (const [feature, flag] of HOST_FLAGS) {
    if (!WebAssembly.validate(all[feature])) setFlagsFromString(flag);
  }
}
enableHostFlags();

let probed: Readonly<Record<HostFeature, boolean>> | null = null;

/** The host's features, probed on first use. */
export function hostFeatures(): Readonly<Record<HostFeature, boolean>> {
  if (probed === null) {
    const result = {} as Record<HostFeature, boolean>;
    for (const [feature, bytes] of Object.entries(probes()) as [HostFeature, Uint8Array][]) {
      result[feature] = WebAssembly.validate(bytes) || enableV8Feature(feature, () => WebAssembly.validate(bytes));
    }
    probed = result;
  }
  return probed;
}

function usesV128(types: readonly ValType[]): boolean {
  return types.includes(V128);
}

function codeUsesSimd(body: readonly Instr[]): boolean {
  for (const instr of body) {
    if (instr.op >= FD && instr.op < FD + 0x1000) return true;
    if (instr.bt !== null && instr.bt.kind === 'value' && instr.bt.type === V128) return true;
    if (instr.body !== null && codeUsesSimd(instr.body)) return true;
    if (instr.else_ !== null && codeUsesSimd(instr.else_)) return true;
  }
  return false;
}

/** Whether a decoded module uses SIMD: a v128 anywhere in its types, or a 0xFD instruction. */
export function moduleUsesSimd(m: Module): boolean {
  if (m.types.some((t) => usesV128(t.params) || usesV128(t.results))) return true;
  if (m.imports.some((i) => i.desc.kind === 'global' && i.desc.type.type === V128)) return true;
  if (m.globals.some((g) => g.type.type === V128 || codeUsesSimd(g.init))) return true;
  return codeFeatures(m).simd;
}

/** Whether a body has a relaxed SIMD instruction (an explicit work stack: nesting may be deep). */
function codeUsesRelaxedSimd(body: readonly Instr[]): boolean {
  const work: (readonly Instr[])[] = [body];
  while (work.length > 0) {
    for (const instr of work.pop()!) {
      if (instr.op >= FD + 0x100 && instr.op < FD + 0x1000) return true;
      if (instr.body !== null) work.push(instr.body);
      if (instr.else_ !== null) work.push(instr.else_);
    }
  }
  return false;
}

/** Whether a decoded module uses relaxed SIMD (0xFD 0x100 and above). Walks every body: ask only when the host lacks it. */
export function moduleUsesRelaxedSimd(m: Module): boolean {
  return m.funcs.some((f) => codeUsesRelaxedSimd(f.body));
}

/** Whether a decoded module uses exception handling (exnref version): tags, exnref values or its instructions. */
export function moduleUsesExceptions(m: Module): boolean {
  if (m.tags.length > 0 || m.imports.some((i) => i.desc.kind === 'tag') || m.exports.some((e) => e.kind === 'tag')) return true;
  if (m.types.some((t) => t.params.includes(EXNREF) || t.results.includes(EXNREF))) return true;
  if (m.globals.some((g) => g.type.type === EXNREF) || m.tables.some((t) => t.type.elem === EXNREF)) return true;
  return codeFeatures(m).exceptions;
}

/**
 * Whether a decoded module uses typed function references: a reference
 * type beyond funcref, externref and exnref anywhere, a table initialiser,
 * or one of the instructions (codeFeatures).
 */
export function moduleUsesTypedRefs(m: Module): boolean {
  if (m.types.some((t) => t.params.some(isTypedRef) || t.results.some(isTypedRef))) return true;
  for (const i of m.imports) {
    if (i.desc.kind === 'global' && isTypedRef(i.desc.type.type)) return true;
    if (i.desc.kind === 'table' && isTypedRef(i.desc.type.elem)) return true;
  }
  // An element segment of function indices is (ref func) in 3.0 without writing it: only other types need the feature.
  const writtenElemType = (t: ValType) => isTypedRef(t) && t !== refType(HT.func, false);
  if (m.globals.some((g) => isTypedRef(g.type.type)) || m.elems.some((e) => writtenElemType(e.type))) return true;
  if (m.tables.some((t) => t.init !== null || isTypedRef(t.type.elem))) return true;
  // Data offsets left out: an i32 or i64 expression holds no reference in a
  // valid module, and reading them would decode a trusted module's data
  // section, which is decoded only on use (decode.ts).
  if (constExprs(m, false).some((e) => e.some((i) => i.op === Op.ref_null && isTypedRef(i.a)))) return true;
  return codeFeatures(m).typedRefs;
}

/** Every constant expression of `m`: global initialisers, segment offsets (data segments' with `dataOffsets`) and element items. */
function constExprs(m: Module, dataOffsets = true): Instr[][] {
  const out: Instr[][] = m.globals.map((g) => g.init);
  for (const t of m.tables) if (t.init !== null) out.push(t.init);
  for (const e of m.elems) {
    if (e.mode.kind === 'active') out.push(e.mode.offset);
    out.push(...e.init);
  }
  if (dataOffsets) for (const d of m.datas) if (d.mode.kind === 'active') out.push(d.mode.offset);
  return out;
}

/** Integer add, sub and mul, which extended-const allows in constant expressions. */
const extendedConstOps: ReadonlySet<number> = new Set([Op.i32_add, Op.i32_sub, Op.i32_mul, Op.i64_add, Op.i64_sub, Op.i64_mul]);

function usesExtendedConst(e: readonly Instr[]): boolean {
  return e.some((i) => extendedConstOps.has(i.op));
}

/**
 * The host feature a module needs and the host lacks, or null when the host
 * can run it. Only features our decoder can express are looked for here;
 * anything else the host rejects for want of a feature is caught by
 * `featureFromCompileError`.
 */
export function missingFeature(m: Module): HostFeature | null {
  const host = hostFeatures();
  if (!host.simd && moduleUsesSimd(m)) return 'simd';
  if (!host['relaxed-simd'] && moduleUsesRelaxedSimd(m)) return 'relaxed-simd';
  // Tags cross the JS boundary as WebAssembly.Tag (tags.ts); V8 on Node 20
  // has only the legacy exception proposal, not exnref.
  if (!(host.exnref && hostHasTags()) && moduleUsesExceptions(m)) return 'exnref';
  if (!host.threads && m.mems.some((mem) => mem.type.shared)) return 'threads';
  const { mems, tables } = addrTypes(m);
  if (!host.memory64 && mems.includes(I64)) return 'memory64';
  if (!host.table64 && tables.includes(I64)) return 'table64';
  if (!host['extended-const'] && constExprs(m).some(usesExtendedConst)) return 'extended-const';
  if (!host['function-references'] && moduleUsesTypedRefs(m)) return 'function-references';
  if (!host['multi-memory'] && m.mems.length + m.imports.filter((i) => i.desc.kind === 'memory').length > 1) {
    return 'multi-memory';
  }
  return null;
}

/**
 * V8 names the flag that would enable a proposal when it rejects a module
 * for using it ("..., enable with --experimental-wasm-simd"); that flag is
 * the missing feature.
 */
export function featureFromCompileError(message: string): string | null {
  // (V8 11.3 leaves out the "wasm-" for relaxed SIMD: "--experimental-relaxed-simd".)
  const m = /enable with --experimental-(?:wasm-)?([\w-]+)/.exec(message);
  // V8 11.3 reads 3.0's 0x64 ((ref ht), typed function references) as its stringref draft's type.
  if (m !== null) return m[1] === 'stringref' ? 'function-references' : m[1]!;
  // Rejections that name no flag but are features WebAssembly 3.0 added.
  if (/non-imported globals cannot be used in constant expressions/.test(message)) return 'gc';
  if (/opcode \S+ is not allowed in constant expressions/.test(message)) return 'extended-const';
  // A valid module whose declared sizes pass what this engine can allocate (V8: a 64-bit memory's maximum).
  if (/larger than implementation limit/.test(message)) return 'sizes this large (beyond its implementation limit)';
  return null;
}
