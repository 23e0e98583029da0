// The embedder's stackful waiting (wasmtime's async support; CanonicalABI.md
// has no such thing for synchronous functions): a host import that answers
// a call with a Promise, called through `canon lower` by core code that can
// be suspended, makes the calling thread wait until the Promise settles.
// Only threads of a task started by the embedder's asynchronous call
// (Task.hostDriven, see canon.ts invokeAsync) may wait so; the driver
// awaits the Promises of its task and resumes the thread. Elsewhere (the
// native engine, Func.callSync, a synchronous call nested in another
// component) the host function is told no and must fail.

import { currentThread } from './thread.js';

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
  if (t === null || !t.task.hostDriven || t.pendingHostWait !== null || !t.canBlockHere()) return false;
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
  t.task.hostWaits.add(w);
  return true;
}
