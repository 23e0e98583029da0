// The embedder's stackful waiting (wasmtime's async support; CanonicalABI.md
// has no such thing for synchronous functions): a host import that answers
// a call with a Promise, called through `canon lower` by core code that can
// be suspended, makes the calling thread wait until the Promise settles.
// Only threads driven by the embedder's asynchronous call (thread.ts
// driveAsync) may wait so; the Promise joins the store's hostWaits, which
// the event loop awaits when no thread is ready. Elsewhere (Func.callSync,
// core code that cannot be suspended: the native engine without JS Promise
// Integration) the host function is told no and must fail.

import { currentThread, driverCanAwait } from './thread.js';

export interface HostWait {
  settled: boolean;
  ok: boolean;
  value: unknown;
  /** Fulfils when the Promise has settled (never rejects). */
  readonly done: Promise<void>;
  /** Runs after the Promise fulfils, with its value: must resolve the call (onResolve). */
  readonly then: (value: unknown) => void;
}

/**
 * Called by a host function (during ComponentFunc.invoke) that has a Promise
 * instead of a result: when the calling thread may wait for it, registers
 * `promise` and returns true; the host function then returns without calling
 * onResolve, and `then(value)` runs, in the resumed thread, once the Promise
 * fulfils (it must call onResolve). Returns false otherwise: the host
 * function must fail.
 */
export function suspendHostCall(promise: PromiseLike<unknown>, then: (value: unknown) => void): boolean {
  const t = currentThread();
  if (t === null || !driverCanAwait() || t.pendingHostWait !== null || !t.canBlockHere()) return false;
  const w: HostWait = {
    settled: false,
    ok: true,
    value: undefined,
    then,
    done: Promise.resolve(promise).then(
      (v) => { w.settled = true; w.value = v; },
      (e) => { w.settled = true; w.ok = false; w.value = e; },
    ),
  };
  t.pendingHostWait = w;
  t.task.inst.store.hostWaits.add(w);
  return true;
}
