// Host imports that answer with a Promise (wasmtime's async host
// functions). Lowered synchronously (`canon lower`), the call makes the
// calling thread wait until the Promise settles — the embedder's stackful
// waiting; CanonicalABI.md has no such thing for synchronous functions —
// which needs core code that can be suspended. Lowered with `async`, the
// guest gets a subtask at once, and the store's event loop delivers the
// result when the Promise settles (deliverHostResults), as the spec's host
// would resolve it.
// Only threads driven by the embedder's asynchronous call (thread.ts
// driveAsync) may wait so; the Promise joins the store's hostWaits, which
// the event loop awaits when no thread is ready. Elsewhere (Func.callSync,
// core code that cannot be suspended: the native engine without JS Promise
// Integration) the host function is told no and must fail.

import type { ComponentInstance } from './context.js';
import { currentThread, driverCanAwait } from './thread.js';

export interface HostWait {
  settled: boolean;
  ok: boolean;
  value: unknown;
  /** Fulfils when the Promise has settled (never rejects). */
  readonly done: Promise<void>;
  /** Runs after the Promise fulfils, with its value: must resolve the call (onResolve). */
  readonly then: (value: unknown) => void;
  /** Set by an async lower: nobody waits for it; the event loop delivers it. */
  detached: boolean;
  /**
   * The instance whose async-lowered call it answers: a rejection is that
   * call failing, a trap of the instance, which stays unusable as a trap
   * leaves it.
   */
  caller?: ComponentInstance;
}

/**
 * Called by a host function (during ComponentFunc.invoke) that has a Promise
 * instead of a result: when the call is driven by someone who can await
 * (Func.call), registers `promise` and returns true (the caller's lowering
 * then waits for it, or makes it a subtask); the host function then returns without calling
 * onResolve, and `then(value)` runs, in the resumed thread, once the Promise
 * fulfils (it must call onResolve). Returns false otherwise: the host
 * function must fail.
 */
export function suspendHostCall(promise: PromiseLike<unknown>, then: (value: unknown) => void): boolean {
  const t = currentThread();
  if (t === null || !driverCanAwait() || t.pendingHostWait !== null) return false;
  const w = hostWaitFor(promise, then, false);
  t.pendingHostWait = w;
  t.task.inst.store.hostWaits.add(w);
  return true;
}

/**
 * A HostWait for `promise`: `then` runs with its value once it fulfils (in
 * the thread waiting for it, or, `detached`, in the event loop); a
 * rejection keeps its reason for whoever delivers it.
 */
export function hostWaitFor(promise: PromiseLike<unknown>, then: (value: unknown) => void, detached: boolean): HostWait {
  const w: HostWait = {
    settled: false,
    ok: true,
    value: undefined,
    then,
    detached,
    done: Promise.resolve(promise).then(
      (v) => { w.settled = true; w.value = v; },
      (e: unknown) => { w.settled = true; w.ok = false; w.value = e; },
    ),
  };
  return w;
}
