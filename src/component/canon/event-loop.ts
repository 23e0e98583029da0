// The store's event loop (CanonicalABI.md "Embedding", definitions.py
// Store.tick): the host calls a function and then, until its result
// arrives, resumes threads that are ready. The spec picks a ready thread at
// random; cmr takes the one that has waited longest (one of the spec's
// allowed choices). When nothing is ready and the result has not arrived,
// nothing ever will: the call traps, in wasmtime's words.

import type { ComponentInstance } from './context.js';
import type { CanonStore } from './trace.js';
import { EngineWait, driveSync, type Thread, type Wait } from './thread.js';
import { trap } from './traps.js';
import type { HostWait } from './host-wait.js';

export const DEADLOCK = 'deadlock detected: event loop cannot make further progress';

/** Store.tick: resumes one ready thread; false when none is ready. */
export function tick(store: CanonStore): boolean {
  return driveSync(tickCo(store));
}

/** tick as a generator, for drivers that can await the threads' engines (thread.ts EngineWait). */
export function* tickCo(store: CanonStore): Wait<boolean> {
  deliverHostResults(store);
  const waiting = store.waiting as Thread[];
  for (const thread of waiting) {
    const inst = thread.task.inst;
    // A thread of an instance that trapped (still entered) never runs again.
    if (!inst.mayEnterFrom(null) || !thread.ready()) continue;
    inst.enterFrom(null);
    if (inst.tracing) inst.emit({ kind: 'async', what: 'thread', op: 'resume', text: `event loop: resuming thread ${thread.index ?? '(exited)'} of ${inst.name}` });
    yield* thread.resumeCo();
    inst.leaveTo(null);
    return true;
  }
  return false;
}

/** Runs the event loop until `done()`; traps on deadlock. */
export function runUntil(store: CanonStore, done: () => boolean): void {
  driveSync(runUntilCo(store, done));
}

/**
 * runUntil as a generator: with no thread ready, it awaits the host
 * Promises threads wait for (host-wait.ts), and traps when there are none.
 */
export function* runUntilCo(store: CanonStore, done: () => boolean): Wait<void> {
  while (!done()) {
    if (yield* tickCo(store)) continue;
    const hostWait = awaitHostWaits(store);
    if (hostWait === null) trap(DEADLOCK);
    yield hostWait;
  }
}

/**
 * Resolves the async-lowered host calls whose Promise has settled
 * (host-wait.ts): their subtasks return, and the threads waiting for them
 * become ready. A rejection is the host function's failure: a trap of the
 * call that runs the event loop. True when it resolved any.
 */
export function deliverHostResults(store: CanonStore): boolean {
  let delivered = false;
  for (const w of store.hostWaits as Set<HostWait>) {
    if (!w.detached || !w.settled) continue;
    store.hostWaits.delete(w);
    try {
      if (!w.ok) throw w.value;
      w.then(w.value);
    } catch (e) {
      // The async-lowered call failed: a trap of its caller, which is left
      // as a trap leaves an instance (entered, so never entered again).
      w.caller?.enterFrom(null);
      throw e;
    }
    delivered = true;
  }
  return delivered;
}

/** An EngineWait until one of the host Promises threads of `store` wait for settles; null when there are none. */
export function awaitHostWaits(store: CanonStore): EngineWait | null {
  if (store.hostWaits.size === 0) return null;
  return new EngineWait(Promise.race([...store.hostWaits].map((w) => w.done)));
}

/**
 * Whether a thread other than `t` waits in the store and is ready to run:
 * the suite's condition (during-sync-call-*.wast) for a thread of a task
 * that may not block to block anyway — someone else could run meanwhile.
 */
export function anotherThreadReady(store: CanonStore, t: Thread): boolean {
  // Counted within the component t's instance belongs to (its outermost
  // instance): a thread left ready by another top-level instantiation is no
  // one this component could be waiting for.
  const root = rootOf(t.task.inst);
  for (const other of store.waiting as Thread[]) if (other !== t && rootOf(other.task.inst) === root && other.ready()) return true;
  return false;
}

function rootOf(inst: ComponentInstance): ComponentInstance {
  let i = inst;
  while (i.parent !== null) i = i.parent;
  return i;
}
