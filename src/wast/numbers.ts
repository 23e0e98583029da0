// The text side of values for the .wast harness and the CLI: reading
// literals (spec §6.3 "Lexical Format" numbers, §6.5.x `const` instructions),
// the result patterns of assert_return (spec interpreter's script format:
// nan:canonical, nan:arithmetic, ref.extern N, ref.func, either), matching
// them against lossless runtime values (values.ts), and printing values.

import { FuncInst } from '../core/runtime/func.js';
import type { Value } from '../core/runtime/values.js';
import { F32, F64, I32, I64, V128, isRefType, type ValType } from '../core/syntax/types.js';
import { HT, heapOf, isConcrete, refType, topOf, type HeapType } from '../core/syntax/reftypes.js';
import { anyKind } from '../core/runtime/gc-values.js';
import {
  BINARY32,
  BINARY64,
  LiteralError,
  formatF32Bits,
  formatF64Bits,
  parseFloatBits,
} from './float-text.js';

export { LiteralError, type LiteralProblem } from './float-text.js';

// ---------------------------------------------------------------------------
// Integers (spec §6.3.1): iN ::= uN | sN, so a literal may be anything from
// −2^(N−1) to 2^N−1 and unsigned spellings above 2^(N−1)−1 wrap to negative.
// Like the reference interpreter, a '+' sign reads as an unsigned spelling.

const INTEGER = /^([+-]?)(?:0x([0-9a-fA-F](?:_?[0-9a-fA-F])*)|(\d(?:_?\d)*))$/;

/** The N-bit two's-complement pattern of an integer literal, as an unsigned bigint. */
export function parseIntBits(text: string, width: number): bigint {
  const m = INTEGER.exec(text);
  if (!m) throw new LiteralError('malformed', text);
  const magnitude = m[2] !== undefined ? BigInt('0x' + m[2].replace(/_/g, '')) : BigInt(m[3]!.replace(/_/g, ''));
  const negative = m[1] === '-';
  const limit = negative ? 1n << BigInt(width - 1) : (1n << BigInt(width)) - 1n;
  if (magnitude > limit) throw new LiteralError('out of range', text);
  return BigInt.asUintN(width, negative ? -magnitude : magnitude);
}

/** An i32 literal as its lossless value: the signed 32-bit number. */
export function parseInt32(text: string): number {
  return Number(BigInt.asIntN(32, parseIntBits(text, 32)));
}

/** An i64 literal as its lossless value: the signed 64-bit bigint. */
export function parseInt64(text: string): bigint {
  return BigInt.asIntN(64, parseIntBits(text, 64));
}

/** An unsigned 32-bit literal with no sign (indices, alignments, offsets). */
export function parseU32(text: string): number {
  if (/^[+-]/.test(text)) throw new LiteralError('malformed', text, 'sign not allowed');
  return Number(parseIntBits(text, 32));
}

// ---------------------------------------------------------------------------
// Floats: see float-text.ts for the exact rounding.

/** An f32 literal as its lossless value: the bit pattern as a signed 32-bit number. */
export function parseF32(text: string): number {
  return Number(BigInt.asIntN(32, parseFloatBits(text, BINARY32)));
}

/** An f64 literal as its lossless value: the bit pattern as a signed 64-bit bigint. */
export function parseF64(text: string): bigint {
  return BigInt.asIntN(64, parseFloatBits(text, BINARY64));
}

/** Shortest text that reads back as the same f32 bits; NaNs as `nan` / `nan:0x…`. */
export function formatF32(bits: number): string {
  return formatF32Bits(BigInt.asUintN(32, BigInt(bits)));
}

/** Shortest text that reads back as the same f64 bits; NaNs as `nan` / `nan:0x…`. */
export function formatF64(bits: bigint): string {
  return formatF64Bits(BigInt.asUintN(64, bits));
}

// ---------------------------------------------------------------------------
// NaN patterns (spec §4.3.3 "NaN propagation"). A canonical NaN has only the
// quiet bit set in its payload; an arithmetic NaN has at least the quiet bit.
// Either sign is allowed for both.

export type NanPattern = 'canonical' | 'arithmetic';

export function isCanonicalNanF32(bits: number): boolean {
  return (bits & 0x7fffffff) === 0x7fc00000;
}

export function isArithmeticNanF32(bits: number): boolean {
  return (bits & 0x7fc00000) === 0x7fc00000;
}

const F64_MAGNITUDE = (1n << 63n) - 1n;
const F64_CANONICAL_NAN = 0x7ff8000000000000n;

export function isCanonicalNanF64(bits: bigint): boolean {
  return (bits & F64_MAGNITUDE) === F64_CANONICAL_NAN;
}

export function isArithmeticNanF64(bits: bigint): boolean {
  return (bits & F64_CANONICAL_NAN) === F64_CANONICAL_NAN;
}

function matchesNanF32(pattern: NanPattern, bits: number): boolean {
  return pattern === 'canonical' ? isCanonicalNanF32(bits) : isArithmeticNanF32(bits);
}

function matchesNanF64(pattern: NanPattern, bits: bigint): boolean {
  return pattern === 'canonical' ? isCanonicalNanF64(bits) : isArithmeticNanF64(bits);
}

function nanPatternOf(text: string): NanPattern | null {
  if (text === 'nan:canonical') return 'canonical';
  if (text === 'nan:arithmetic') return 'arithmetic';
  return null;
}

// ---------------------------------------------------------------------------
// v128 (spec §6.5.9 "Vector Instructions": v128.const shape lanes…).

export type VecShape = 'i8x16' | 'i16x8' | 'i32x4' | 'i64x2' | 'f32x4' | 'f64x2';

const LANE_BITS: Record<VecShape, number> = { i8x16: 8, i16x8: 16, i32x4: 32, i64x2: 64, f32x4: 32, f64x2: 64 };

export function isVecShape(text: string): text is VecShape {
  return Object.hasOwn(LANE_BITS, text);
}

export function laneCount(shape: VecShape): number {
  return 128 / LANE_BITS[shape];
}

function checkShape(shape: string, lanes: readonly string[]): VecShape {
  if (!isVecShape(shape)) throw new LiteralError('unknown shape', shape, 'expected i8x16, i16x8, i32x4, i64x2, f32x4 or f64x2');
  if (lanes.length !== laneCount(shape)) {
    throw new LiteralError('lane count', `${shape} ${lanes.join(' ')}`, `${shape} needs ${laneCount(shape)} lanes`);
  }
  return shape;
}

/** One lane literal as its unsigned bit pattern. */
function parseLaneBits(shape: VecShape, text: string): bigint {
  if (shape === 'f32x4') return parseFloatBits(text, BINARY32);
  if (shape === 'f64x2') return parseFloatBits(text, BINARY64);
  return parseIntBits(text, LANE_BITS[shape]);
}

/** `v128.const shape lane…` as 16 little-endian bytes. */
export function parseV128(shape: string, lanes: readonly string[]): Uint8Array {
  const s = checkShape(shape, lanes);
  return packLanes(s, lanes.map((lane) => parseLaneBits(s, lane)));
}

function packLanes(shape: VecShape, lanes: readonly bigint[]): Uint8Array {
  const bytes = new Uint8Array(16);
  const width = LANE_BITS[shape] / 8;
  lanes.forEach((lane, i) => {
    for (let b = 0; b < width; b++) bytes[i * width + b] = Number((lane >> BigInt(8 * b)) & 0xffn);
  });
  return bytes;
}

/** The lanes of a v128 in a shape, each as its unsigned bit pattern. */
export function unpackLanes(shape: VecShape, bytes: Uint8Array): bigint[] {
  const width = LANE_BITS[shape] / 8;
  const lanes: bigint[] = [];
  for (let i = 0; i < laneCount(shape); i++) {
    let lane = 0n;
    for (let b = width - 1; b >= 0; b--) lane = (lane << 8n) | BigInt(bytes[i * width + b]!);
    lanes.push(lane);
  }
  return lanes;
}

// ---------------------------------------------------------------------------
// Host references. The script format's `ref.extern N` (and 3.0's `ref.host N`)
// names the N-th host reference; the same N must give the same reference so
// that a value passed in and returned compares equal, so they are interned.

export class ExternRef {
  private static readonly interned = new Map<string, ExternRef>();
  private constructor(readonly n: number, readonly host: boolean) {}

  /** The host reference `ref.extern n` (or `ref.host n` when host is true). */
  static of(n: number, host = false): ExternRef {
    const key = `${host ? 'host' : 'extern'} ${n}`;
    let ref = ExternRef.interned.get(key);
    if (!ref) ExternRef.interned.set(key, (ref = new ExternRef(n, host)));
    return ref;
  }

  toString(): string {
    return `(ref.${this.host ? 'host' : 'extern'} ${this.n})`;
  }
}

// ---------------------------------------------------------------------------
// Constants in actions and modules: `(i32.const 1)`, `(v128.const i8x16 …)`,
// `(ref.null func)`, `(ref.extern 1)`.

export interface Const {
  type: ValType;
  value: Value;
}

/**
 * A constant of the script format, from its head (`i32.const`, `ref.null`, …)
 * and its argument tokens, e.g. parseConst('v128.const', ['i32x4', '1', '2', '3', '4']).
 */
export function parseConst(op: string, args: readonly string[]): Const {
  switch (op) {
    case 'i32.const': return { type: I32, value: parseInt32(single(op, args)) };
    case 'i64.const': return { type: I64, value: parseInt64(single(op, args)) };
    case 'f32.const': return { type: F32, value: parseF32(single(op, args)) };
    case 'f64.const': return { type: F64, value: parseF64(single(op, args)) };
    case 'v128.const': return { type: V128, value: parseV128(args[0] ?? '', args.slice(1)) };
    case 'ref.null': return { type: refTypeOfHeap(single(op, args)), value: null };
    // A host reference is never null: (ref extern), which fits (ref null? extern) parameters alike.
    case 'ref.extern': return { type: refType(HT.extern, false), value: ExternRef.of(parseU32(single(op, args))) };
    case 'ref.host': return { type: refType(HT.extern, false), value: ExternRef.of(parseU32(single(op, args)), true) };
    default: throw new LiteralError('malformed', op, 'unknown constant');
  }
}

function single(op: string, args: readonly string[]): string {
  if (args.length !== 1) throw new LiteralError('malformed', `${op} ${args.join(' ')}`, `${op} takes one literal`);
  return args[0]!;
}

/** The abstract heap types by their names in the script format. */
const ABSTRACT_HEAPS: Record<string, HeapType> = {
  func: HT.func, nofunc: HT.nofunc, extern: HT.extern, noextern: HT.noextern, exn: HT.exn, noexn: HT.noexn,
  any: HT.any, eq: HT.eq, i31: HT.i31, struct: HT.struct, array: HT.array, none: HT.none,
};

function refTypeOfHeap(heap: string): ValType {
  const h = ABSTRACT_HEAPS[heap];
  if (h === undefined) throw new LiteralError('malformed', heap, 'unsupported heap type');
  return refType(h, true);
}

// ---------------------------------------------------------------------------
// Expected results of assert_return.

/** A v128 lane in an expected result: exact bits, or (float shapes only) a NaN pattern. */
export type LanePattern = bigint | NanPattern;

export type Expected =
  | { kind: 'i32'; value: number }
  | { kind: 'i64'; value: bigint }
  | { kind: 'f32'; bits: number }
  | { kind: 'f32'; nan: NanPattern }
  | { kind: 'f64'; bits: bigint }
  | { kind: 'f64'; nan: NanPattern }
  | { kind: 'v128'; shape: VecShape; lanes: LanePattern[] }
  /** A null reference; heap is '' for 3.0's bare `(ref.null)`, which matches any null. */
  | { kind: 'ref.null'; heap: string }
  /** A host reference; n null for a bare `(ref.extern)`, which matches any non-null externref. */
  | { kind: 'ref.extern'; n: number | null; host: boolean }
  /** Any non-null function reference. */
  | { kind: 'ref.func' }
  /**
   * A non-null reference of GC's any hierarchy (`ref.i31`, `ref.struct`,
   * `ref.array`, `ref.eq`, `ref.any`): a value of that abstract type; an
   * i31 with its value when n is given.
   */
  | { kind: 'ref.gc'; what: 'i31' | 'struct' | 'array' | 'eq' | 'any'; n: number | null }
  /** Any one of the options (relaxed SIMD's nondeterminism). */
  | { kind: 'either'; options: Expected[] };

/**
 * An expected result from its head and argument tokens, e.g.
 * parseExpected('f32.const', ['nan:canonical']) or
 * parseExpected('v128.const', ['f64x2', 'nan:arithmetic', '1.5']).
 * `either` is built by the caller from its parsed options.
 */
export function parseExpected(op: string, args: readonly string[]): Expected {
  switch (op) {
    case 'f32.const': {
      const nan = nanPatternOf(single(op, args));
      return nan ? { kind: 'f32', nan } : { kind: 'f32', bits: parseF32(args[0]!) };
    }
    case 'f64.const': {
      const nan = nanPatternOf(single(op, args));
      return nan ? { kind: 'f64', nan } : { kind: 'f64', bits: parseF64(args[0]!) };
    }
    case 'v128.const': return parseExpectedV128(args[0] ?? '', args.slice(1));
    case 'ref.null': return { kind: 'ref.null', heap: args.length === 0 ? '' : single(op, args) };
    case 'ref.func': return { kind: 'ref.func' };
    case 'ref.i31': case 'ref.struct': case 'ref.array': case 'ref.eq': case 'ref.any': {
      if (args.length > (op === 'ref.i31' ? 1 : 0)) throw new LiteralError('malformed', `${op} ${args.join(' ')}`, `${op} takes no literal`);
      return { kind: 'ref.gc', what: op.slice(4) as 'i31', n: args.length === 0 ? null : (parseInt32(args[0]!) << 1) >> 1 };
    }
    case 'ref.extern':
    case 'ref.host':
      return { kind: 'ref.extern', n: args.length === 0 ? null : parseU32(single(op, args)), host: op === 'ref.host' };
    default: {
      const c = parseConst(op, args); // i32.const, i64.const
      return c.type === I32 ? { kind: 'i32', value: c.value as number } : { kind: 'i64', value: c.value as bigint };
    }
  }
}

function parseExpectedV128(shape: string, lanes: readonly string[]): Expected {
  const s = checkShape(shape, lanes);
  const float = s === 'f32x4' || s === 'f64x2';
  return {
    kind: 'v128',
    shape: s,
    lanes: lanes.map((lane) => (float && nanPatternOf(lane)) || parseLaneBits(s, lane)),
  };
}

export function either(options: Expected[]): Expected {
  return { kind: 'either', options };
}

/**
 * Whether an actual result matches an expected one. `type`, when known (the
 * function's result type), also distinguishes `ref.null func` from
 * `ref.null extern`, which are both `null` in the value representation.
 */
export function matchValue(expected: Expected, actual: Value, type?: ValType): boolean {
  if (type !== undefined && !typeAgrees(expected, type)) return false;
  switch (expected.kind) {
    case 'i32': return typeof actual === 'number' && (actual | 0) === expected.value;
    case 'i64': return typeof actual === 'bigint' && BigInt.asIntN(64, actual) === expected.value;
    case 'f32':
      if (typeof actual !== 'number') return false;
      return 'nan' in expected ? matchesNanF32(expected.nan, actual | 0) : (actual | 0) === expected.bits;
    case 'f64':
      if (typeof actual !== 'bigint') return false;
      return 'nan' in expected ? matchesNanF64(expected.nan, actual) : BigInt.asIntN(64, actual) === expected.bits;
    case 'v128': return actual instanceof Uint8Array && actual.length === 16 && matchLanes(expected.shape, expected.lanes, actual);
    case 'ref.null': return actual === null;
    case 'ref.func': return actual instanceof FuncInst;
    case 'ref.extern': return matchExtern(expected, actual, type);
    case 'ref.gc': return matchGc(expected.what, expected.n, actual);
    case 'either': return expected.options.some((option) => matchValue(option, actual, type));
  }
}

/** i32 and f32 values are both JS numbers, so only the static type tells them apart. */
function typeAgrees(expected: Expected, type: ValType): boolean {
  switch (expected.kind) {
    case 'i32': return type === I32;
    case 'i64': return type === I64;
    case 'f32': return type === F32;
    case 'f64': return type === F64;
    case 'v128': return type === V128;
    case 'ref.func': return isRefType(type) && topOf(heapOf(type)) === HT.func;
    // A host reference may be seen as an externref or (internalized) as an anyref.
    case 'ref.extern': return isRefType(type) && (topOf(heapOf(type)) === HT.extern || (expected.host && inAnyHierarchy(type)));
    case 'ref.gc': return inAnyHierarchy(type);
    case 'ref.null': return heapAgrees(expected.heap, type);
    case 'either': return true; // each option is checked on its own
  }
}

function matchLanes(shape: VecShape, lanes: readonly LanePattern[], bytes: Uint8Array): boolean {
  const actual = unpackLanes(shape, bytes);
  return lanes.every((lane, i) => {
    const bits = actual[i]!;
    if (typeof lane === 'bigint') return lane === bits;
    return shape === 'f32x4' ? matchesNanF32(lane, Number(BigInt.asIntN(32, bits))) : matchesNanF64(lane, bits);
  });
}

/**
 * Whether a result type is in GC's any hierarchy. A defined type's form
 * (function, struct or array) is its module's business, which the harness
 * does not see: a concrete type is taken to be any of them, and the value
 * decides.
 */
function inAnyHierarchy(type: ValType): boolean {
  return isRefType(type) && (isConcrete(heapOf(type)) || topOf(heapOf(type)) === HT.any);
}

/** A null of `heap` (a name, or a type index or $name) fits a result of `type`'s hierarchy. */
function heapAgrees(heap: string, type: ValType): boolean {
  if (heap === '') return true;
  if (!isRefType(type)) return false;
  const h = ABSTRACT_HEAPS[heap];
  if (h === undefined || isConcrete(heapOf(type))) return true; // a defined type's hierarchy is not known here (see inAnyHierarchy)
  return topOf(h) === topOf(heapOf(type));
}

/**
 * A host reference `n`: `ref.extern n` where it is an externref, `ref.host
 * n` where it is an anyref (any.convert_extern and extern.convert_any keep
 * the host's value, so the result's type says which it is; without a type,
 * the form the value was written in).
 */
function matchExtern(expected: { n: number | null; host: boolean }, actual: Value, type?: ValType): boolean {
  if (expected.n === null) return actual !== null && !(actual instanceof FuncInst);
  if (!(actual instanceof ExternRef) || actual.n !== expected.n) return false;
  return (type === undefined ? actual.host : inAnyHierarchy(type)) === expected.host;
}

/** A value of GC's any hierarchy of the abstract type `what` (an i31 of value n when given). */
function matchGc(what: string, n: number | null, actual: Value): boolean {
  const kind = anyKind(actual);
  switch (what) {
    case 'i31': return kind === 'i31' && (n === null || actual === n);
    case 'struct': return kind === 'struct';
    case 'array': return kind === 'array';
    case 'eq': return kind === 'i31' || kind === 'struct' || kind === 'array';
    default: return kind !== 'null';
  }
}

// ---------------------------------------------------------------------------
// Printing, in the script format, so a report reads
// "expected (f32.const nan:canonical), got (f32.const nan:0x200000)".

/** A value of a type as a script-format constant, e.g. `(i32.const -1)`, `(v128.const i32x4 …)`. */
export function formatValue(value: Value, type: ValType, shape: VecShape = 'i32x4'): string {
  switch (type) {
    case I32: return `(i32.const ${(value as number) | 0})`;
    case I64: return `(i64.const ${BigInt.asIntN(64, value as bigint)})`;
    case F32: return `(f32.const ${formatF32(value as number)})`;
    case F64: return `(f64.const ${formatF64(value as bigint)})`;
    case V128: return formatV128(value as Uint8Array, shape);
  }
  switch (topOf(heapOf(type))) {
    case HT.func: return value === null ? '(ref.null func)' : '(ref.func)';
    case HT.extern: return formatExtern(value);
    case HT.exn: return value === null ? '(ref.null exn)' : '(ref.exn)';
    default: {
      const kind = anyKind(value);
      if (kind === 'null') return '(ref.null any)';
      if (kind === 'i31') return `(ref.i31 ${value as number})`;
      if (kind === 'host') return value instanceof ExternRef ? `(ref.host ${value.n})` : '(ref.any)';
      return `(ref.${kind})`;
    }
  }
}

/** A v128 as `(v128.const shape lane…)`: integer lanes in hex, float lanes as floats. */
export function formatV128(bytes: Uint8Array, shape: VecShape = 'i32x4'): string {
  const lanes = unpackLanes(shape, bytes).map((lane) => formatLane(shape, lane));
  return `(v128.const ${shape} ${lanes.join(' ')})`;
}

function formatLane(shape: VecShape, lane: LanePattern): string {
  if (typeof lane === 'string') return `nan:${lane}`;
  if (shape === 'f32x4') return formatF32Bits(lane);
  if (shape === 'f64x2') return formatF64Bits(lane);
  return '0x' + lane.toString(16).padStart(LANE_BITS[shape] / 4, '0');
}

function formatExtern(value: Value): string {
  if (value === null) return '(ref.null extern)';
  if (value instanceof ExternRef) return value.toString();
  if (value instanceof FuncInst) return '(ref.func)';
  return `(ref.extern ${describeHostValue(value)})`;
}

/** Any other JS value used as an externref (the native engine lets any through). */
function describeHostValue(value: unknown): string {
  try {
    if (typeof value === 'object' && value !== null) return `<${value.constructor?.name ?? 'object'}>`;
    return `<${typeof value}:${String(value)}>`;
  } catch {
    return '<host>';
  }
}

/** An expected result in the script format. */
export function formatExpected(expected: Expected): string {
  switch (expected.kind) {
    case 'i32': return `(i32.const ${expected.value})`;
    case 'i64': return `(i64.const ${expected.value})`;
    case 'f32': return `(f32.const ${'nan' in expected ? `nan:${expected.nan}` : formatF32(expected.bits)})`;
    case 'f64': return `(f64.const ${'nan' in expected ? `nan:${expected.nan}` : formatF64(expected.bits)})`;
    case 'v128': return `(v128.const ${expected.shape} ${expected.lanes.map((l) => formatLane(expected.shape, l)).join(' ')})`;
    case 'ref.null': return expected.heap === '' ? '(ref.null)' : `(ref.null ${expected.heap})`;
    case 'ref.func': return '(ref.func)';
    case 'ref.gc': return expected.n === null ? `(ref.${expected.what})` : `(ref.${expected.what} ${expected.n})`;
    case 'ref.extern': {
      const head = expected.host ? 'ref.host' : 'ref.extern';
      return expected.n === null ? `(${head})` : `(${head} ${expected.n})`;
    }
    case 'either': return `(either ${expected.options.map(formatExpected).join(' ')})`;
  }
}

/**
 * The shape to print an actual v128 in, so it lines up with what was expected.
 * Reporters can pass it to formatValue.
 */
export function shapeOf(expected: Expected): VecShape | undefined {
  if (expected.kind === 'v128') return expected.shape;
  if (expected.kind === 'either') return expected.options.map(shapeOf).find((s) => s !== undefined);
  return undefined;
}
