// Func and TypedFunc: a component function exported by an instance, called
// from the host with component values in canon's lossless representation
// (src/component/canon/values.ts). Post-return runs inside the call, once
// the results are lifted: the caller has nothing more to do.

import { callComponentFunc, callComponentFuncMaybeAsync, type ComponentFunc } from '../component/canon/canon.js';
import { callConcurrent, eventLoopBusy } from '../component/canon/concurrent.js';
import { currentThread } from '../component/canon/thread.js';
import type { ComponentValue } from '../component/canon/values.js';
import type { FuncType, ValType } from '../component/syntax/types.js';
import { formatSignature, parseSignature, signatureMismatch, type Signature } from './signature.js';
import type { Store } from './store.js';
import { describeValue } from './component.js';

/** A host function as the Linker wraps it: what Func.call may run directly (and await). */
export interface HostBinding {
  /** Runs the host function; may return a Promise. */
  run(args: ComponentValue[]): ComponentValue[] | Promise<ComponentValue[]>;
}

/** Host functions by the ComponentFunc the linker made for them. @internal */
export const hostBindings = new WeakMap<ComponentFunc, HostBinding>();

/** Whether `x` looks like a Promise. */
export function isThenable(x: unknown): x is PromiseLike<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as { then?: unknown }).then === 'function';
}

/**
 * A component function of an instance (wasmtime's `component::Func`).
 *
 * Arguments and results are component values as canon documents them
 * (values.ts): numbers for 32-bit and smaller integers and floats, bigint
 * for 64-bit integers, strings, arrays for lists and tuples, objects for
 * records and flags, `{ tag, val? }` for variants, options and results,
 * ResourceValue for handles.
 */
export class Func {
  /** @internal */
  constructor(
    /** The store of the instance the function belongs to. */
    readonly store: Store<unknown>,
    /** The canonical ABI's function. @internal */
    readonly func: ComponentFunc,
    /** The export name it was found under. */
    readonly name: string,
  ) {}

  /** The function's component type (parameters with names, result). */
  get type(): FuncType {
    return this.func.type;
  }

  /** The parameter types, in order. */
  get params(): ValType[] {
    return this.func.type.params.map((p) => p.type);
  }

  /** The result types: none or one. */
  get results(): ValType[] {
    return this.func.type.result === null ? [] : [this.func.type.result];
  }

  /**
   * Calls the function: lowers `args` into the callee, runs it, lifts the
   * results, runs its post-return. Resolves to the results (an empty array
   * or one value). Rejects with a Trap on a trap (after which the instance
   * cannot be entered again), a TypeError for an argument that does not fit
   * its type, HostcallFuelExhausted when the strings and lists copied exceed
   * the engine's hostcall fuel.
   *
   * Calls into one store share its event loop: a call made while others
   * (`call` or `callConcurrent`) are in progress joins them, and the loop
   * runs until every one has its result (`callSync` at that time is an
   * error, see there). A call from inside a host function a guest calls
   * runs nested in that guest's call instead.
   *
   * Host functions that return a Promise (LinkerInstance.funcWrap,
   * funcNew) are awaited:
   * - when the function is a host function the component re-exports, it is
   *   called directly and its Promise awaited;
   * - when core wasm calls one through `canon lower` and the core module
   *   runs on the interpreter (`coreEngine: 'interp'`, the default), the
   *   interpreted code stops at that call, the Promise is awaited, its
   *   result is lowered into the caller (memory, realloc, string encoding,
   *   as for a synchronous result) and the code runs on — as many times as
   *   it calls such functions. The instance stays entered meanwhile (another
   *   call into it traps with "cannot enter component instance"). A
   *   rejection is thrown from the call as a synchronous throw of the host
   *   function would be;
   * - on the native engine, core wasm cannot be suspended: a Promise from a
   *   host function it calls is an error naming the function. So is one
   *   reached through a synchronous call nested inside (core wasm calling
   *   another component's export, a host function calling `callSync`).
   */
  async call(store: Store<unknown>, args: readonly ComponentValue[]): Promise<ComponentValue[]> {
    this.checkCall(store, args);
    const host = hostBindings.get(this.func);
    if (host !== undefined) return host.run([...args]);
    // A call from a host function a guest is calling runs nested, inside
    // the guest's call; any other goes through the store's one event-loop
    // driver, beside the calls in progress (see callConcurrent).
    if (currentThread() !== null) return callComponentFuncMaybeAsync(this.func, args, null, store.hostcallFuelScope());
    return callConcurrent(store.canon, this.func, args, store.hostcallFuelScope());
  }

  /**
   * Calls the function synchronously (see `call`). A Promise from a host
   * function — one the component re-exports, or one core wasm calls — is an
   * error here, naming the function. While calls made with `call` or
   * `callConcurrent` are in progress in the store and its event loop waits
   * for something, a synchronous call is an error (it could neither wait
   * for the loop nor safely run the store's threads beside it); from inside
   * a host function a guest calls, it runs nested as always.
   */
  callSync(store: Store<unknown>, args: readonly ComponentValue[]): ComponentValue[] {
    this.checkCall(store, args);
    if (currentThread() === null && eventLoopBusy(store.canon)) {
      throw new Error(`function \`${this.name}\` cannot be called with callSync while calls made with call or callConcurrent are in progress in its store (the store's event loop waits between their steps, and a synchronous call can neither wait for it nor run beside it): use call or callConcurrent`);
    }
    return store.metered(() => store.withHostcallFuel(() => callComponentFunc(this.func, args, null)));
  }

  /**
   * Starts a call that runs concurrently with the other calls into the
   * store (wasmtime's `call_concurrent`): the call starts at once, and
   * while any such call has not returned, the store's event loop runs,
   * resuming the guest's threads as what they wait for arrives (another
   * call's progress, a host function's Promise). Resolves to the results;
   * rejects with a Trap as `call` does. Several calls may be in progress in
   * one instance at once when its exports are lifted `async` (a function
   * without `async` runs to its end as it starts).
   *
   * `signal` cancels the call as a caller's `subtask.cancel` would: the
   * guest's task is told (TASK_CANCELLED) where it waits cancellably; if it
   * then ends with `task.cancel`, the call rejects with the signal's
   * reason; if it returns a value anyway, the call resolves to it. A call
   * not yet started rejects at once.
   *
   * When nothing can run and no host Promise is pending, the calls in
   * progress are given one turn of the JS event loop (to let the embedder
   * start or cancel calls); then they fail with the deadlock trap, unless
   * the host holds an open stream or future end of the store (it may still
   * read or write and so let a call go on). `call` shares the same loop:
   * the two mix freely.
   */
  callConcurrent(store: Store<unknown>, args: readonly ComponentValue[], options: { signal?: AbortSignal } = {}): Promise<ComponentValue[]> {
    this.checkCall(store, args);
    const host = hostBindings.get(this.func);
    if (host !== undefined) return Promise.resolve().then(() => host.run([...args]));
    return callConcurrent(store.canon, this.func, args, store.hostcallFuelScope(), options.signal);
  }

  private checkCall(store: Store<unknown>, args: readonly ComponentValue[]): void {
    if (store !== this.store) throw new Error(`function \`${this.name}\` belongs to another store`);
    const n = this.func.type.params.length;
    // A string is array-like too: `call(store, 'you')` would count its characters.
    if (!Array.isArray(args)) throw new TypeError(`function \`${this.name}\` takes its arguments as an array, got ${describeValue(args)}`);
    if (args.length !== n) throw new TypeError(`function \`${this.name}\` takes ${n} argument${n === 1 ? '' : 's'}, ${args.length} given`);
  }

  /**
   * The function with its type checked against `signature` (wasmtime's
   * `Func::typed`): a TypeError naming the function, both types and the
   * first difference when they do not match, a SignatureError when the
   * signature text does not parse. `P` and `R` are for TypeScript only;
   * what is checked is the signature.
   */
  typed<P extends ComponentValue[] = ComponentValue[], R extends ComponentValue | void = ComponentValue | void>(signature: Signature): TypedFunc<P, R> {
    const spec = parseSignature(signature);
    const why = signatureMismatch(spec, this.type);
    if (why !== null) throw new TypeError(`function \`${this.name}\` has type ${formatSignature(this.type)}, not ${formatSignature(spec)}: ${why}`);
    return new TypedFunc<P, R>(this);
  }
}

/**
 * A function whose type was checked against a signature when it was looked
 * up (Instance.getTypedFunc; wasmtime's `TypedFunc<P, R>`). `call` takes the
 * parameters as an array and resolves to the one result (undefined for a
 * function without one). `P` and `R` are for TypeScript only: the check is
 * the signature's.
 */
export class TypedFunc<P extends ComponentValue[] = ComponentValue[], R extends ComponentValue | void = ComponentValue | void> {
  constructor(
    /** The untyped function. */
    readonly func: Func,
  ) {}

  /** Calls the function (see Func.call); resolves to its result or undefined. */
  async call(store: Store<unknown>, args: P): Promise<R> {
    const r = await this.func.call(store, args);
    return r[0] as R;
  }

  /** Starts a concurrent call (see Func.callConcurrent); resolves to its result or undefined. */
  async callConcurrent(store: Store<unknown>, args: P, options: { signal?: AbortSignal } = {}): Promise<R> {
    const r = await this.func.callConcurrent(store, args, options);
    return r[0] as R;
  }

  /** Calls the function synchronously (see Func.callSync). */
  callSync(store: Store<unknown>, args: P): R {
    return this.func.callSync(store, args)[0] as R;
  }
}
