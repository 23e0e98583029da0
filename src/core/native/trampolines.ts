// Trampolines: tiny generated wasm modules that stand between a function or
// a global of the host engine and JS, converting real types to wire types
// (wire.ts) inside wasm, where a call or a global access keeps every bit.
//
// A trampoline module depends only on a type, so it is compiled once per
// type and instantiated once per function or global it wraps.

import { F32, F64, I32, V128, funcTypeToString, valTypeName, type DefType, type FuncType, type ValType } from '../syntax/types.js';
import { canonOfFunc, heapOf, isConcrete, typeSpaceOf } from '../syntax/reftypes.js';
import { encodeModule, ByteWriter, type FuncDef } from './encode.js';
import { wireFuncType, wireTypes } from './wire.js';

/** A function of the host engine, or a JS function it imports. */
export type WasmFunction = (...args: unknown[]) => unknown;

const Code = {
  localGet: 0x20, localSet: 0x21, globalGet: 0x23, globalSet: 0x24, call: 0x10,
  i32ReinterpretF32: 0xbc, i64ReinterpretF64: 0xbd, f32ReinterpretI32: 0xbe, f64ReinterpretI64: 0xbf,
  simd: 0xfd, i64x2Splat: 0x12, i64x2ExtractLane: 0x1d, i64x2ReplaceLane: 0x1e,
  block: 0x02, tryTable: 0x1f, throw_: 0x08, end: 0x0b, unreachable: 0x00,
  if_: 0x04, else_: 0x05, i32Const: 0x41,
} as const;

/**
 * Code turning the real value of type `t`, pushed by `push`, into its wire
 * values on the stack. A v128 is pushed twice, once per extracted half.
 */
function realToWire(t: ValType, push: readonly number[]): number[] {
  switch (t) {
    case F32: return [...push, Code.i32ReinterpretF32];
    case F64: return [...push, Code.i64ReinterpretF64];
    case V128: return [
      ...push, Code.simd, Code.i64x2ExtractLane, 0,
      ...push, Code.simd, Code.i64x2ExtractLane, 1,
    ];
    default: return [...push];
  }
}

/** Code turning wire values, pushed by `pushWire(k)` for the k-th wire value, into the real value on the stack. */
function wireToReal(t: ValType, pushWire: (k: number) => number[]): number[] {
  switch (t) {
    case F32: return [...pushWire(0), Code.f32ReinterpretI32];
    case F64: return [...pushWire(0), Code.f64ReinterpretI64];
    case V128: return [
      ...pushWire(0), Code.simd, Code.i64x2Splat,
      ...pushWire(1), Code.simd, Code.i64x2ReplaceLane, 1,
    ];
    default: return pushWire(0);
  }
}

function localGet(i: number): number[] {
  return [Code.localGet, ...new ByteWriter().u32(i).bytes];
}

function localSet(i: number): number[] {
  return [Code.localSet, ...new ByteWriter().u32(i).bytes];
}

/**
 * Code passing a bridge function's own parameters to function 0, converted:
 * `ownIsWire` says which side has the wire types (the other has the real
 * types), and `real` is the real function type.
 */
function bridgeArgs(real: FuncType, ownIsWire: boolean): number[] {
  const code: number[] = [];
  let wireIndex = 0;
  real.params.forEach((t, realIndex) => {
    const first = wireIndex;
    if (ownIsWire) code.push(...wireToReal(t, (k) => localGet(first + k)));
    else code.push(...realToWire(t, localGet(realIndex)));
    wireIndex += wireTypes(t).length;
  });
  return code;
}

/**
 * Code converting function 0's results, which are on the stack with the
 * last on top. When any needs converting they are all stored into locals
 * (from `firstLocal` on, popped in reverse) and pushed back converted.
 */
function bridgeResults(real: FuncType, ownIsWire: boolean, firstLocal: number): { code: number[]; locals: ValType[] } {
  if (!real.results.some((t) => t === F32 || t === F64 || t === V128)) return { code: [], locals: [] };
  const locals = ownIsWire ? [...real.results] : real.results.flatMap(wireTypes);
  const code: number[] = [];
  for (let i = locals.length - 1; i >= 0; i--) code.push(...localSet(firstLocal + i));
  let wireIndex = 0;
  real.results.forEach((t, realIndex) => {
    const first = firstLocal + wireIndex;
    if (ownIsWire) code.push(...realToWire(t, localGet(firstLocal + realIndex)));
    else code.push(...wireToReal(t, (k) => localGet(first + k)));
    wireIndex += wireTypes(t).length;
  });
  return { code, locals };
}

/**
 * A module importing "t" "f" and exporting "f", which calls the import with
 * conversions: the import has the wire type and the export the real type
 * `real`, or the other way round when `ownIsWire`.
 */
function bridgeModule(real: FuncType, ownIsWire: boolean): WebAssembly.Module {
  const wire = wireFuncType(real);
  const results = bridgeResults(real, ownIsWire, wire.params.length);
  // A GC type (open, with supertypes, in a rec group, or naming other
  // types) is the same type only with its module's types up to its rec
  // group's end: those come first, and the real type is named by its own index.
  const own = ownTypes(real);
  const types: DefType[] = own === null ? [] : own.types.slice();
  const realIdx = own === null ? types.push(real) - 1 : own.index;
  const wireIdx = types.push(wire) - 1;
  const [calleeIdx, ownIdx] = ownIsWire ? [realIdx, wireIdx] : [wireIdx, realIdx];
  return new WebAssembly.Module(encodeModule({
    types,
    funcImports: [{ module: 't', name: 'f', typeIdx: calleeIdx }],
    funcs: [{ typeIdx: ownIdx, locals: results.locals, body: [...bridgeArgs(real, ownIsWire), Code.call, 0, ...results.code] }],
    exports: [{ name: 'f', kind: 'func', index: 1 }],
  }));
}

/** The module types a GC function type needs beside it (see bridgeModule), or null for a plain function type. */
function ownTypes(t: DefType): { types: readonly DefType[]; index: number } | null {
  const plain = t.final !== false && (t.supers?.length ?? 0) === 0 && (t.recSize ?? 1) === 1
    && !t.params.some(isConcreteRef) && !t.results.some(isConcreteRef);
  if (plain) return null;
  const space = typeSpaceOf(t);
  const index = space.indexOf(t);
  if (index < 0) return null;
  return { types: space.slice(0, (t.recStart ?? index) + (t.recSize ?? 1)), index };
}

function isConcreteRef(v: ValType): boolean {
  return v >= 0x100 && isConcrete(heapOf(v));
}

/** A bridge module's cache key: its type's text, or for a GC type its canonical identity. */
function bridgeKey(t: FuncType): string {
  return ownTypes(t) === null ? funcTypeToString(t) : `#${canonOfFunc(t)}`;
}

const outwardModules = new Map<string, WebAssembly.Module>();
const inwardModules = new Map<string, WebAssembly.Module>();

function instantiateBridge(cache: Map<string, WebAssembly.Module>, type: FuncType, ownIsWire: boolean, f: WasmFunction): WasmFunction {
  const key = bridgeKey(type);
  let module = cache.get(key);
  if (module === undefined) {
    module = bridgeModule(type, ownIsWire);
    cache.set(key, module);
  }
  return new WebAssembly.Instance(module, { t: { f } }).exports['f'] as WasmFunction;
}

/** A JS-callable function on wire values that calls the host engine's function `f` (of type `type`). */
export function wireCaller(f: WasmFunction, type: FuncType): WasmFunction {
  return instantiateBridge(outwardModules, type, true, f);
}

/**
 * A genuine wasm function of type `type` that calls the JS function `f` on
 * wire values. Being a wasm function, it can be stored in a table and
 * passes call_indirect's type check.
 */
export function wasmFunctionFromWire(f: WasmFunction, type: FuncType): WasmFunction {
  return instantiateBridge(inwardModules, type, false, f);
}

/** Lossless access to a WebAssembly.Global of a float or v128 type, on wire values. */
export interface WireAccessors {
  get(): unknown[];
  set(wire: unknown[]): void;
}

const accessorModules = new Map<string, WebAssembly.Module>();

function accessorModule(t: ValType, mutable: boolean): WebAssembly.Module {
  const key = `${valTypeName(t)} ${mutable}`;
  let module = accessorModules.get(key);
  if (module === undefined) {
    const wire = wireTypes(t);
    const funcs: FuncDef[] = [{ typeIdx: 0, locals: [], body: realToWire(t, [Code.globalGet, 0]) }];
    if (mutable) {
      funcs.push({ typeIdx: 1, locals: [], body: [...wireToReal(t, (k) => localGet(k)), Code.globalSet, 0] });
    }
    module = new WebAssembly.Module(encodeModule({
      types: [{ params: [], results: wire }, { params: wire, results: [] }],
      globalImports: [{ module: 't', name: 'g', type: t, mutable }],
      funcs,
      exports: mutable
        ? [{ name: 'get', kind: 'func', index: 0 }, { name: 'set', kind: 'func', index: 1 }]
        : [{ name: 'get', kind: 'func', index: 0 }],
    }));
    accessorModules.set(key, module);
  }
  return module;
}

export function globalAccessors(g: WebAssembly.Global, t: ValType, mutable: boolean): WireAccessors {
  const exports = new WebAssembly.Instance(accessorModule(t, mutable), { t: { g } }).exports;
  const get = exports['get'] as WasmFunction;
  const set = exports['set'] as WasmFunction | undefined;
  const n = wireTypes(t).length;
  return {
    get: () => (n === 1 ? [get()] : Array.from(get() as Iterable<unknown>)),
    set: (wire) => {
      if (set === undefined) throw new TypeError('cannot set an immutable global');
      set(...wire);
    },
  };
}

/**
 * A new WebAssembly.Global of a float or v128 type holding exactly the bits
 * given (as wire values). JS cannot construct one losslessly (nor a v128 one
 * at all), so a one-global module is made with the value as its constant.
 */
export function newWireGlobal(t: ValType, mutable: boolean, wire: unknown[]): WebAssembly.Global {
  const init = new ByteWriter();
  switch (t) {
    case F32: {
      const b = new DataView(new ArrayBuffer(4));
      b.setInt32(0, wire[0] as number, true);
      init.byte(0x43).raw(new Uint8Array(b.buffer));
      break;
    }
    case F64: {
      const b = new DataView(new ArrayBuffer(8));
      b.setBigInt64(0, BigInt.asIntN(64, wire[0] as bigint), true);
      init.byte(0x44).raw(new Uint8Array(b.buffer));
      break;
    }
    case V128: {
      const b = new DataView(new ArrayBuffer(16));
      b.setBigInt64(0, BigInt.asIntN(64, wire[0] as bigint), true);
      b.setBigInt64(8, BigInt.asIntN(64, wire[1] as bigint), true);
      init.byte(Code.simd).u32(0x0c).raw(new Uint8Array(b.buffer));
      break;
    }
    default:
      throw new TypeError(`newWireGlobal: ${valTypeName(t)} needs no wire form`);
  }
  const module = new WebAssembly.Module(encodeModule({
    globals: [{ type: t, mutable, init: init.bytes }],
    exports: [{ name: 'g', kind: 'global', index: 0 }],
  }));
  return new WebAssembly.Instance(module).exports['g'] as WebAssembly.Global;
}

/** Tag trampolines, made for one tag: raise an exception of it, and read one back. */
export interface TagTrampolines {
  /** Throws an exception of the tag whose payload is given as wire values. */
  throwWire(wire: unknown[]): never;
  /** The payload, as wire values, of an exception of the tag. */
  payloadWire(exception: WebAssembly.Exception): unknown[];
}

const tagModules = new Map<string, WebAssembly.Module>();

/**
 * Per tag type: "throw" (wire parameters → `throw` the imported tag with
 * the real values) and "catch" (calls the imported "t" "rethrow", catches
 * the tag in a try_table and returns its payload as wire values). JS's own
 * WebAssembly.Exception constructor and getArg would carry floats as JS
 * numbers, which do not keep every NaN's bits, and no v128 at all.
 */
function tagModule(payload: readonly ValType[]): WebAssembly.Module {
  const key = payload.map(valTypeName).join(' ');
  let module = tagModules.get(key);
  if (module === undefined) {
    const tagType: FuncType = { params: [...payload], results: [] };
    const wire = wireFuncType(tagType).params;
    const catchConvert = bridgeResults({ params: [], results: [...payload] }, true, 0);
    module = new WebAssembly.Module(encodeModule({
      // 0: the tag's type, 1: the thrower's, 2: the catcher's, 3: its block's, 4: "rethrow"'s.
      types: [tagType, { params: wire, results: [] }, { params: [], results: wire }, { params: [], results: [...payload] }, { params: [], results: [] }],
      funcImports: [{ module: 't', name: 'rethrow', typeIdx: 4 }],
      tagImports: [{ module: 't', name: 'tag', typeIdx: 0 }],
      funcs: [
        { typeIdx: 1, locals: [], body: [...bridgeArgs(tagType, true), Code.throw_, 0] },
        {
          typeIdx: 2,
          locals: catchConvert.locals,
          body: [
            Code.block, 3, // (block (type 3)
            Code.tryTable, 0x40, 1, 0x00, 0, 0, // (try_table (catch $tag 0)
            Code.call, 0, // (call $rethrow)
            Code.end, Code.unreachable, Code.end, // ) unreachable): the payload is on the stack
            ...catchConvert.code,
          ],
        },
      ],
      exports: [{ name: 'throw', kind: 'func', index: 1 }, { name: 'catch', kind: 'func', index: 2 }],
    }));
    tagModules.set(key, module);
  }
  return module;
}

export function tagTrampolines(tag: WebAssembly.Tag, payload: readonly ValType[]): TagTrampolines {
  let pending: unknown = null;
  const rethrow = (): never => {
    throw pending;
  };
  const exports = new WebAssembly.Instance(tagModule(payload), { t: { tag, rethrow } }).exports;
  const thrower = exports['throw'] as WasmFunction;
  const catcher = exports['catch'] as WasmFunction;
  const n = payload.flatMap(wireTypes).length;
  return {
    throwWire: (wire) => {
      thrower(...wire);
      throw new Error('unreachable: the tag trampoline returned instead of throwing');
    },
    payloadWire: (exception) => {
      pending = exception;
      try {
        const out = catcher();
        return n === 0 ? [] : n === 1 ? [out] : Array.from(out as Iterable<unknown>);
      } finally {
        pending = null;
      }
    },
  };
}

const switchModules = new Map<string, WebAssembly.Module>();

/** The JS functions and globals a switch (wasmFunctionSwitching) imports. */
export interface SwitchImports {
  /** The function on wire values, for calls that cannot suspend. */
  plain: WasmFunction;
  /** The same for calls that may: it sets `wantsSuspend` to 1 (returning zeros) when the frames must wait. */
  mayWait: WasmFunction;
  /** Gives the Promise the frames wait for (its value: the wire results). */
  suspending: WebAssembly.Suspending;
  /** 1 while a WebAssembly.promising call is below (jspi.ts). */
  asyncMode: WebAssembly.Global;
  wantsSuspend: WebAssembly.Global;
}

/**
 * For JS Promise Integration (jspi.ts): a wasm function of type `type`
 * that calls, on wire values, `plain` — or, while the global `asyncMode`
 * is 1, `mayWait`, and then, only when that asked for it (`wantsSuspend`),
 * `suspending`, which suspends the native frames above it until its
 * Promise settles. A Suspending import traps when no WebAssembly.promising
 * call is below it, and V8 suspends at every call of one, even when it
 * returns no Promise; so it is called only when the frames must wait. After
 * it returns (the frames resumed), the switch sets `asyncMode` back to 1:
 * whatever ran meanwhile left it as it found it, not as this call needs it.
 */
export function wasmFunctionSwitching(imports: SwitchImports, type: FuncType): WasmFunction {
  const key = funcTypeToString(type);
  let module = switchModules.get(key);
  if (module === undefined) {
    const wire = wireFuncType(type);
    const results = bridgeResults(type, false, type.params.length);
    const args = bridgeArgs(type, false);
    const drops = wire.results.map(() => 0x1a);
    module = new WebAssembly.Module(encodeModule({
      // 0: the callees' (wire) type, 1: the function's own (real) type,
      // 2: the outer if's block type, 3: suspending's type, 4: the inner if's (the wire results through).
      types: [wire, type, { params: [], results: wire.results }, { params: [], results: wire.results }, { params: wire.results, results: wire.results }],
      funcImports: [
        { module: 't', name: 'plain', typeIdx: 0 }, { module: 't', name: 'mayWait', typeIdx: 0 }, { module: 't', name: 'suspending', typeIdx: 3 },
      ],
      globalImports: [{ module: 't', name: 'async', type: I32, mutable: true }, { module: 't', name: 'wants', type: I32, mutable: true }],
      funcs: [{
        typeIdx: 1,
        locals: results.locals,
        body: [
          Code.globalGet, 0, Code.if_, 2,
          ...args, Code.call, 1,
          Code.globalGet, 1, Code.if_, 4,
          ...drops, Code.i32Const, 0, Code.globalSet, 1,
          Code.call, 2, Code.i32Const, 1, Code.globalSet, 0,
          Code.end,
          Code.else_,
          ...args, Code.call, 0,
          Code.end,
          ...results.code,
        ],
      }],
      exports: [{ name: 'f', kind: 'func', index: 3 }],
    }));
    switchModules.set(key, module);
  }
  const { plain, mayWait, suspending, asyncMode, wantsSuspend } = imports;
  return new WebAssembly.Instance(module, { t: { plain, mayWait, suspending, async: asyncMode, wants: wantsSuspend } }).exports['f'] as WasmFunction;
}

const sinkModules = new Map<string, WebAssembly.Module>();

/**
 * For JS Promise Integration (native-call.ts): a wasm function taking the
 * wire parameters of `f` (of type `type`), which calls `f` and hands its
 * results, as wire values, to the JS function `ret` instead of returning
 * them. Under WebAssembly.promising a call's results are only seen through
 * a Promise; through `ret` they are seen as soon as the call finishes.
 */
export function resultSink(f: WasmFunction, type: FuncType, ret: WasmFunction): WasmFunction {
  const key = funcTypeToString(type);
  let module = sinkModules.get(key);
  if (module === undefined) {
    const wire = wireFuncType(type);
    const results = bridgeResults(type, true, wire.params.length);
    module = new WebAssembly.Module(encodeModule({
      // 0: f's (real) type, 1: ret's type (the wire results), 2: the sink's own type (the wire parameters).
      types: [type, { params: wire.results, results: [] }, { params: wire.params, results: [] }],
      funcImports: [{ module: 't', name: 'f', typeIdx: 0 }, { module: 't', name: 'ret', typeIdx: 1 }],
      funcs: [{ typeIdx: 2, locals: results.locals, body: [...bridgeArgs(type, true), Code.call, 0, ...results.code, Code.call, 1] }],
      exports: [{ name: 'f', kind: 'func', index: 2 }],
    }));
    sinkModules.set(key, module);
  }
  return new WebAssembly.Instance(module, { t: { f, ret } }).exports['f'] as WasmFunction;
}
