// The "wire" form of values: how they cross the JS boundary of the host
// engine without loss. A JS number cannot be trusted with a NaN payload and
// a v128 cannot cross at all, so floats travel as their bit patterns in
// integers and a v128 as two i64 halves. Trampolines (trampolines.ts)
// convert between wire types and real types inside wasm, where bits are kept.

import { F32, F64, FUNCREF, I32, I64, V128, type FuncType, type ValType, valTypeName } from '../syntax/types.js';

/** The wire types carrying one value of type `t`. */
export function wireTypes(t: ValType): ValType[] {
  switch (t) {
    case F32: return [I32];
    case F64: return [I64];
    case V128: return [I64, I64];
    default: return [t];
  }
}

export function wireFuncType(t: FuncType): FuncType {
  return { params: t.params.flatMap(wireTypes), results: t.results.flatMap(wireTypes) };
}

/** Whether a value of type `t` would lose bits (or fail) crossing JS as itself. */
export function needsWire(t: ValType): boolean {
  return t === F32 || t === F64 || t === V128;
}

export function typeNeedsWire(t: FuncType): boolean {
  return t.params.some(needsWire) || t.results.some(needsWire);
}

/** The JS API's name of a value type (for WebAssembly.Global and WebAssembly.Table descriptors). */
export function jsValueType(t: ValType): WebAssembly.ValueType {
  // The JS API spells funcref 'anyfunc' (still the name Node 20 accepts everywhere).
  return t === FUNCREF ? 'anyfunc' : (valTypeName(t) as WebAssembly.ValueType);
}

/** The two i64 halves (low, high) of a v128 value's 16 bytes. */
export function v128Halves(bytes: Uint8Array): [bigint, bigint] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, 16);
  return [view.getBigInt64(0, true), view.getBigInt64(8, true)];
}

export function v128FromHalves(lo: bigint, hi: bigint): Uint8Array {
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  view.setBigInt64(0, BigInt.asIntN(64, lo), true);
  view.setBigInt64(8, BigInt.asIntN(64, hi), true);
  return bytes;
}

/** What a call across JS returns for `n` wire results: nothing, the value, or an array. */
export function wireResultList(out: unknown, n: number): unknown[] {
  if (n === 0) return [];
  if (n === 1) return [out];
  return Array.from(out as Iterable<unknown>);
}

/** The reverse of wireResultList, for a JS function that wasm calls. */
export function wireReturn(values: unknown[]): unknown {
  if (values.length === 0) return undefined;
  if (values.length === 1) return values[0];
  return values;
}
