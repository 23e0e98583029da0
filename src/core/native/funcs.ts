// Functions crossing between the host engine and the rest of cmr.
//
// Every function the host engine can hold is a wasm function object: one a
// native instance defines (wrapped as a NativeFunc), or a trampoline standing
// for a FuncInst of another engine. Two weak maps tie wasm functions and
// FuncInsts together both ways, so a function keeps its identity however
// often it crosses (ref.func, tables, globals, re-exports).

import { FuncInst } from '../runtime/func.js';
import type { Value } from '../runtime/values.js';
import { WasmException } from '../runtime/tag.js';
import { throwIntoHost } from './tags.js';
import { F32, F64, I32, I64, V128, isRefType, valTypeName, type FuncType, type ValType } from '../syntax/types.js';
import { HT, heapOf, isConcrete, topOf } from '../syntax/reftypes.js';
import { hostError, uncatchable } from './traps.js';
import { wasmFunctionFromWire, wasmFunctionSwitching, wireCaller, type WasmFunction } from './trampolines.js';
import { activeNativeCall, asyncMode, wantsSuspend, hostHasJspi, NATIVE_SUSPEND, swapActiveNativeCall, swapSuspendable, takePending, withAsyncMode } from './jspi.js';
import { NativeCall } from './native-call.js';
import { bridgeable, bridgedType, ExnrefBridge } from './exnref-bridge.js';
import type { SuspendableCall } from '../runtime/suspendable.js';
import { typeNeedsWire, v128FromHalves, v128Halves, wireResultList, wireReturn, wireTypes } from './wire.js';

const funcOfWasm = new WeakMap<WasmFunction, FuncInst>();
const wasmOfFunc = new WeakMap<FuncInst, WasmFunction>();

/** A function defined by a native instance: calls go straight to the host engine. */
/**
 * A call JS cannot make: the JS API passes no exnref values (V8 throws a
 * TypeError); a native function that takes or returns one is called through
 * a bridge module (exnref-bridge.ts), except where its type is one the
 * bridge cannot carry. Thrown before the call, so nothing of it has run.
 */
export class NotCallableFromJs extends Error {
  override name = 'NotCallableFromJs';
}

/** Whether a function type has an exnref (or nullexnref) parameter or result. */
function crossesExnref(type: FuncType): boolean {
  return type.params.some(isExnRef) || type.results.some(isExnRef);
}

export class NativeFunc extends FuncInst {
  /** What JS calls: the function itself, or a trampoline on wire values when floats or v128s would lose bits. */
  private invoke: WasmFunction | null = null;

  constructor(type: FuncType, readonly fn: WasmFunction) {
    super(type);
  }

  /** The function JS calls (see `invoke`). */
  jsCallable(): WasmFunction {
    this.invoke ??= typeNeedsWire(this.type) ? wireCaller(this.fn, this.type) : this.fn;
    return this.invoke;
  }

  /**
   * Where the host has JS Promise Integration and the caller can await: a
   * call under WebAssembly.promising that a foreign function it calls
   * directly may stop (native-call.ts).
   */
  override suspendable(canAwait: boolean): SuspendableCall | null {
    return canAwait && hostHasJspi() ? new NativeCall(this) : null;
  }

  /** For a type that crosses exnref: its bridge (made on the first call) and what JS calls of it; null otherwise. */
  private bridged: { bridge: ExnrefBridge; type: FuncType; invoke: WasmFunction } | null | undefined;

  /**
   * What a call goes through: the function itself (`invoke`, on this
   * type's wire values), or its exnref bridge (on the bridged type's).
   */
  private target(): { bridge: ExnrefBridge | null; type: FuncType; invoke: WasmFunction } {
    if (this.bridged === undefined) {
      if (!crossesExnref(this.type)) {
        this.bridged = null;
      } else {
        if (!bridgeable(this.type)) throw new NotCallableFromJs('the JS API cannot pass exnref values (a TypeError), and this function\'s type is one the exnref bridge cannot carry');
        const bridge = new ExnrefBridge(this.fn, this.type);
        const type = bridgedType(this.type);
        this.bridged = { bridge, type, invoke: typeNeedsWire(type) ? wireCaller(bridge.call, type) : bridge.call };
      }
    }
    if (this.bridged !== null) return this.bridged;
    this.invoke ??= typeNeedsWire(this.type) ? wireCaller(this.fn, this.type) : this.fn;
    return { bridge: null, type: this.type, invoke: this.invoke };
  }

  /** The wire arguments of a call through `target` (exnref ones handed to the bridge first). */
  private wireArgs(bridge: ExnrefBridge | null, type: FuncType, args: Value[]): unknown[] {
    if (bridge === null) return toWire(type.params, args);
    bridge.putArgs(args);
    return toWire(type.params, args.map((a, i) => (isExnRef(this.type.params[i]!) ? 0 : a)));
  }

  /** The results of a call through `target`. */
  private results(bridge: ExnrefBridge | null, type: FuncType, out: unknown): Value[] {
    const results = fromWireList(type.results, wireResultList(out, wireCount(type.results)));
    return bridge === null ? results : (bridge.takeResults(results) as Value[]);
  }

  /** The same under WebAssembly.promising (callAsync). */
  private invokeAsync: ((...args: unknown[]) => Promise<unknown>) | null = null;

  /**
   * Whether every parameter and result is an i32 or an i64 (a realloc's
   * type), whose values cross JS as they are: such a call passes its
   * arguments and takes its result straight, with no wire lists (decided
   * on the first call).
   */
  private direct: boolean | undefined;

  call(args: Value[]): Value[] {
    if ((this.direct ??= plainNumeric(this.type)) && !hostHasJspi()) {
      // (Where the host has JSPI, the call must say it cannot wait: the general path below.)
      let out: unknown;
      try {
        out = this.fn(...args);
      } catch (e) {
        throw hostError(e);
      }
      return wireResultList(out, this.type.results.length) as Value[];
    }
    const { bridge, type, invoke } = this.target();
    const wire = this.wireArgs(bridge, type, args);
    let out: unknown;
    try {
      out = withAsyncMode(false, () => invoke(...wire));
    } catch (e) {
      throw hostError(e);
    }
    return this.results(bridge, type, out);
  }

  /**
   * Calls the function where it may suspend (JS Promise Integration,
   * jspi.ts): a foreign function it calls directly may give a Promise
   * (suspendNativeCall), which the native frames wait for. On a host
   * without JSPI, the same as `call`.
   */
  async callAsync(args: Value[]): Promise<Value[]> {
    // Through the exnref bridge, the results wait in its globals until the
    // call returns; a suspended call would leave them to be overwritten, so
    // such a call is made as one that cannot wait.
    if (!hostHasJspi() || this.target().bridge !== null) return this.call(args);
    const { bridge, type, invoke } = this.target();
    this.invokeAsync ??= WebAssembly.promising(invoke);
    const wire = this.wireArgs(bridge, type, args);
    const invokeAsync = this.invokeAsync;
    let out: unknown;
    try {
      out = await withAsyncMode(true, () => invokeAsync(...wire));
    } catch (e) {
      throw hostError(e);
    }
    return this.results(bridge, type, out);
  }
}

export function toWire(types: readonly ValType[], values: readonly Value[]): unknown[] {
  const wire: unknown[] = [];
  for (let i = 0; i < types.length; i++) pushWire(types[i]!, values[i]!, wire);
  return wire;
}

/**
 * The FuncInst for a wasm function of a native instance, made on first
 * sight and the same object every time after.
 */
export function funcInstOf(fn: WasmFunction, type: FuncType): FuncInst {
  let f = funcOfWasm.get(fn);
  if (f === undefined) {
    f = new NativeFunc(type, fn);
    funcOfWasm.set(fn, f);
    wasmOfFunc.set(f, fn);
  }
  return f;
}

/** The FuncInst of a wasm function already seen (every function a native instance can hand out is). */
export function knownFuncInst(fn: WasmFunction): FuncInst {
  const f = funcOfWasm.get(fn);
  if (f === undefined) throw new Error('native engine: a function reference of unknown origin left the host engine');
  return f;
}

/** The type of a wasm function already seen, or null. */
export function knownFuncType(fn: WasmFunction): FuncType | null {
  return funcOfWasm.get(fn)?.type ?? null;
}

/**
 * The wasm function standing for `f` in the host engine: a NativeFunc's own
 * function, or, for a function of another engine, a trampoline of the same
 * type that calls it (made once per FuncInst).
 */
export function wasmFunctionOf(f: FuncInst): WasmFunction {
  let fn = wasmOfFunc.get(f);
  if (fn === undefined) {
    const type = f.type;
    const host = (maySuspend: boolean, wire: unknown[]): unknown => {
      // The suspendable call whose frames call `f` (native-call.ts), to run again when they resume.
      const call = maySuspend ? activeNativeCall() : null;
      const outer = swapSuspendable(maySuspend ? f : null);
      let results: Value[];
      try {
        results = f.call(fromWireList(type.params, wire));
      } catch (e) {
        throw intoHost(e);
      } finally {
        swapSuspendable(outer);
      }
      if (results === NATIVE_SUSPEND) {
        if (!maySuspend) throw new Error(`native engine: a function suspended a call that cannot wait (${f.constructor.name})`);
        // The native frames wait (the switch calls `suspending`), then
        // resume with the results, or throw; the call they belong to runs again.
        suspension = Promise.resolve(takePending()).then((r) => {
          swapActiveNativeCall(call);
          return wireReturn(toWire(type.results, r));
        }, (e: unknown) => {
          swapActiveNativeCall(call);
          throw intoHost(e);
        });
        wantsSuspend().value = 1;
        return wireReturn(wireZeros(type.results));
      }
      return wireReturn(toWire(type.results, results));
    };
    fn = hostHasJspi()
      ? wasmFunctionSwitching({
        plain: (...wire) => host(false, wire),
        mayWait: (...wire) => host(true, wire),
        suspending: new WebAssembly.Suspending(takeSuspension),
        asyncMode: asyncMode(),
        wantsSuspend: wantsSuspend(),
      }, type)
      : wasmFunctionFromWire((...wire) => host(false, wire), type);
    funcOfWasm.set(fn, f);
    wasmOfFunc.set(f, fn);
  }
  return fn;
}

/** The Promise native frames are about to wait for (set by a foreign function that suspends, taken by the switch at once). */
let suspension: Promise<unknown> | null = null;

function takeSuspension(): Promise<unknown> {
  const p = suspension;
  suspension = null;
  if (p === null) throw new Error('native engine: a switch suspended without a Promise to wait for');
  return p;
}

/** Wire values standing in for results a suspending call does not give yet (the switch drops them). */
function wireZeros(types: readonly ValType[]): unknown[] {
  const out: unknown[] = [];
  for (const t of types) for (const w of wireTypes(t)) out.push(w === I64 ? 0n : w === I32 ? 0 : null);
  return out;
}

/**
 * What an error of the rest of cmr becomes in the host engine: a wasm
 * exception of another engine goes on through native frames as the host's
 * own; anything else is no exception of wasm's, and no handler in native
 * code may catch it.
 */
function intoHost(e: unknown): unknown {
  if (e instanceof WasmException) throwIntoHost(e.exn);
  return uncatchable(e);
}

/** Records that `fn` is `f` in the host engine (a function imported by a native instance and re-exported). */
export function registerFunc(fn: WasmFunction, f: FuncInst): void {
  if (!funcOfWasm.has(fn)) funcOfWasm.set(fn, f);
  if (!wasmOfFunc.has(f)) wasmOfFunc.set(f, fn);
}

/** Whether a function type has only i32 and i64 parameters and results (values the JS API passes unchanged). */
function plainNumeric(type: FuncType): boolean {
  const plain = (t: ValType) => t === I32 || t === I64;
  return type.params.every(plain) && type.results.every(plain);
}

function wireCount(types: readonly ValType[]): number {
  let n = 0;
  for (const t of types) n += t === V128 ? 2 : 1;
  return n;
}

/** A reference type of the func hierarchy: funcref, (ref null? $t), (ref null? func), nullfuncref. */
function isFuncRef(t: ValType): boolean {
  return isRefType(t) && topOf(heapOf(t)) === HT.func;
}

/** A reference type of the exn hierarchy: exnref, nullexnref (which no value crosses JS as; calls go through exnref-bridge.ts). */
export function isExnRef(t: ValType): boolean {
  return isRefType(t) && topOf(heapOf(t)) === HT.exn;
}

/** Appends the wire values of `v` (of type `t`) to `out`. */
export function pushWire(t: ValType, v: Value, out: unknown[]): void {
  switch (t) {
    case V128: {
      const [lo, hi] = v128Halves(v as Uint8Array);
      out.push(lo, hi);
      return;
    }
    default:
      // Function references (of any type) cross as the host's functions; i32
      // and f32 bits are numbers, i64 and f64 bits bigints, externrefs any
      // JS value: all cross as they are.
      // A defined type (concrete) may be a function, struct or array type,
      // which a value type alone does not say: the value does.
      if (isFuncRef(t) && (!isConcrete(heapOf(t)) || v instanceof FuncInst || v === null)) out.push(v === null ? null : wasmFunctionOf(v as FuncInst));
      else out.push(v);
  }
}

/** The value of type `t` from its wire values starting at `wire[i]`. */
export function fromWire(t: ValType, wire: readonly unknown[], i: number): Value {
  switch (t) {
    case I32: case F32: return wire[i] as number;
    case I64: case F64: return wire[i] as bigint;
    case V128: return v128FromHalves(wire[i] as bigint, wire[i + 1] as bigint);
    default:
      // GC objects cross as opaque objects, functions as JS functions (see pushWire).
      if (isFuncRef(t) && (!isConcrete(heapOf(t)) || typeof wire[i] === 'function')) return wire[i] === null ? null : knownFuncInst(wire[i] as WasmFunction);
      // extern's hierarchy (and any's, whose only values without GC are null) cross as they are.
      if (isRefType(t) && !isExnRef(t)) return wire[i] as Value;
      throw new Error(`the native engine does not carry ${valTypeName(t)} values`);
  }
}

export function fromWireList(types: readonly ValType[], wire: readonly unknown[]): Value[] {
  const out: Value[] = [];
  let i = 0;
  for (const t of types) {
    out.push(fromWire(t, wire, i));
    i += wireTypes(t).length;
  }
  return out;
}
