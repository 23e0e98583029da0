// JS Promise Integration (JSPI): native code that waits for a Promise.
//
// Where the host has WebAssembly.Suspending and WebAssembly.promising (V8
// 13.7 and later, as Deno 2's V8 15; not Node 20), a call made with NativeFunc.callAsync
// runs under WebAssembly.promising, and a foreign function it calls directly
// (a function of the interpreter or of the host, imported into native code)
// may answer with a Promise instead of results: suspendNativeCall. The
// native frames then stop at that call and resume with the Promise's value,
// as interpreted code stops at a host call on its explicit stack.
//
// A Suspending import traps unless a promising call is below it, and V8
// suspends at every call of one (even one that gives no Promise), so each
// foreign function is imported through a switch (trampolines.ts) that may
// suspend only while the `asyncMode` global is 1, and then calls the
// Suspending import only when the function asked to (`wantsSuspend`). Every entry
// into native code sets it: 1 for callAsync, 0 for a synchronous call or an
// instantiation, restored when the entry returns.

import type { FuncInst } from '../runtime/func.js';
import type { Value } from '../runtime/values.js';

export function hostHasJspi(): boolean {
  return typeof WebAssembly.Suspending === 'function' && typeof WebAssembly.promising === 'function';
}

let asyncModeGlobal: WebAssembly.Global | null = null;

/** The global the switches read (JSPI hosts only). */
export function asyncMode(): WebAssembly.Global {
  asyncModeGlobal ??= new WebAssembly.Global({ value: 'i32', mutable: true }, 0);
  return asyncModeGlobal;
}

let wantsSuspendGlobal: WebAssembly.Global | null = null;

/** The global a foreign function sets to make its switch suspend (trampolines.ts wasmFunctionSwitching). */
export function wantsSuspend(): WebAssembly.Global {
  wantsSuspendGlobal ??= new WebAssembly.Global({ value: 'i32', mutable: true }, 0);
  return wantsSuspendGlobal;
}

/** Runs `f`, an entry into native code, with asyncMode `on`, restoring it after. */
export function withAsyncMode<R>(on: boolean, f: () => R): R {
  if (!hostHasJspi()) return f();
  const g = asyncMode();
  const saved = g.value;
  g.value = on ? 1 : 0;
  try {
    return f();
  } finally {
    g.value = saved;
  }
}

/** What a foreign function returns (instead of results) after suspendNativeCall. */
export const NATIVE_SUSPEND: Value[] = Object.freeze([]) as unknown as Value[];

/** The foreign function native code is calling on the Suspending path, until it takes the right to suspend. */
let suspendable: FuncInst | null = null;
let pending: PromiseLike<Value[]> | null = null;

/** Sets the function that may suspend (null: none), returning the previous one. */
export function swapSuspendable(f: FuncInst | null): FuncInst | null {
  const outer = suspendable;
  suspendable = f;
  return outer;
}

/**
 * Whether `f` was called directly by native code in a call that may
 * suspend (NativeFunc.callAsync). True once per call: `f` takes the right,
 * so what it calls in turn cannot suspend the native frames.
 */
export function takeNativeSuspension(f: FuncInst): boolean {
  if (suspendable !== f) return false;
  suspendable = null;
  return true;
}

/**
 * For a function that took the right (takeNativeSuspension): the native
 * frames that called it wait for `p`, which gives its results. Returns
 * NATIVE_SUSPEND, which the function returns in place of results.
 */
export function suspendNativeCall(p: PromiseLike<Value[]>): Value[] {
  pending = p;
  return NATIVE_SUSPEND;
}

/**
 * Whether a foreign function called directly by native code in a call that
 * may suspend is running and has not given the right away (the check of
 * takeNativeSuspension, for code that does not know which function it is).
 */
export function directCallPending(): boolean {
  return suspendable !== null;
}

/** Gives the right up (the function suspends the native frames with suspendNativeCall). */
export function takeDirectCall(): void {
  suspendable = null;
}

/** The suspendable native call (native-call.ts) whose frames run now, or null. */
let activeCall: unknown = null;

export function activeNativeCall(): unknown {
  return activeCall;
}

/** Sets the call whose frames run now, returning the previous one. */
export function swapActiveNativeCall(c: unknown): unknown {
  const outer = activeCall;
  activeCall = c;
  return outer;
}

/** The Promise a foreign function left with suspendNativeCall. */
export function takePending(): PromiseLike<Value[]> {
  const p = pending;
  pending = null;
  if (p === null) throw new Error('native engine: a function returned NATIVE_SUSPEND without suspendNativeCall');
  return p;
}
