// Concurrent calls from the host into a store (wasmtime's
// `Func::call_concurrent` inside `Instance::run_concurrent`): each call
// starts at once (definitions.py Store.lift: the host is the caller), and
// while any has not returned, one driver per store runs the store's event
// loop (Store.tick), awaiting the host Promises and engine progress it
// waits for. A call's result arrives as its Promise's value. An AbortSignal
// asks for the call's cancellation as a caller's subtask.cancel does (the
// task's OnCancel: definitions.py Task.request_cancellation); a call the
// callee then ends with task.cancel rejects with the signal's reason.

import type { ComponentFunc, StepScope } from './canon.js';
import type { OnCancel } from './context.js';
import { awaitHostWaits, DEADLOCK, tickCo } from './event-loop.js';
import { EngineWait, driveAsync, type Wait } from './thread.js';
import type { CanonStore } from './trace.js';
import { Trap } from '../../core/errors.js';
import type { ComponentValue } from './values.js';

interface Call {
  readonly f: ComponentFunc;
  readonly args: readonly ComponentValue[];
  readonly resolve: (r: ComponentValue[]) => void;
  readonly reject: (e: unknown) => void;
  readonly signal: AbortSignal | undefined;
  onCancel: OnCancel | null;
  started: boolean;
}

class Driver {
  readonly toStart: Call[] = [];
  readonly toCancel: Call[] = [];
  readonly outstanding = new Set<Call>();
  running = false;
  private wakeUp: (() => void) | null = null;

  /** A Promise that fulfils when a call is started or cancelled from outside. */
  woken(): Promise<void> {
    return new Promise((resolve) => { this.wakeUp = resolve; });
  }

  wake(): void {
    const w = this.wakeUp;
    this.wakeUp = null;
    w?.();
  }
}

const drivers = new WeakMap<CanonStore, Driver>();

/**
 * Starts a call of `f` (a lifted function of `store`) alongside the others
 * in progress; resolves to its result list. `step` wraps each synchronous
 * stretch of the driver (the API's hostcall fuel and meter).
 */
export function callConcurrent(
  store: CanonStore, f: ComponentFunc, args: readonly ComponentValue[], step: StepScope, signal?: AbortSignal,
): Promise<ComponentValue[]> {
  let d = drivers.get(store);
  if (d === undefined) {
    d = new Driver();
    drivers.set(store, d);
  }
  const driver = d;
  return new Promise<ComponentValue[]>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const call: Call = { f, args, resolve, reject, signal, onCancel: null, started: false };
    driver.toStart.push(call);
    driver.outstanding.add(call);
    signal?.addEventListener('abort', () => {
      if (!driver.outstanding.has(call)) return;
      driver.toCancel.push(call);
      driver.wake();
    }, { once: true });
    if (driver.running) {
      driver.wake();
      return;
    }
    driver.running = true;
    const end = (e: unknown): void => {
      driver.running = false;
      // The driver failed (a trap in a thread of the store): every call still in progress fails with it.
      for (const c of driver.outstanding) c.reject(e);
      driver.outstanding.clear();
      driver.toStart.length = 0;
      driver.toCancel.length = 0;
    };
    try {
      const r = driveAsync(drive(store, driver), step);
      if (r instanceof Promise) r.then(() => { driver.running = false; }, end);
      else driver.running = false;
    } catch (e) {
      end(e);
    }
  });
}

function* drive(store: CanonStore, d: Driver): Wait<void> {
  for (;;) {
    while (d.toStart.length > 0) yield* start(d, d.toStart.shift()!);
    while (d.toCancel.length > 0) {
      const call = d.toCancel.shift()!;
      if (!d.outstanding.has(call)) continue;
      if (!call.started) {
        d.outstanding.delete(call);
        call.reject(call.signal!.reason);
      } else if (call.onCancel !== null) {
        yield* call.onCancel(null);
      }
    }
    if (d.outstanding.size === 0) return;
    if (yield* tickCo(store)) continue;
    const hostWait = awaitHostWaits(store);
    if (hostWait !== null) {
      yield new EngineWait(Promise.race([hostWait.until, d.woken()]));
      continue;
    }
    // Nothing can run: the embedder may still start or cancel a call (one
    // turn of the JS event loop); if it does not, nothing ever will run.
    yield new EngineWait(Promise.race([d.woken(), new Promise<void>((r) => setTimeout(r, 0))]));
    if (d.toStart.length > 0 || d.toCancel.length > 0) continue;
    if (yield* tickCo(store)) continue;
    const stuck = new Trap(DEADLOCK);
    for (const c of d.outstanding) c.reject(stuck);
    d.outstanding.clear();
    return;
  }
}

function* start(d: Driver, call: Call): Wait<void> {
  call.started = true;
  const settle = (r: ComponentValue[] | null): void => {
    if (!d.outstanding.has(call)) return;
    d.outstanding.delete(call);
    if (r === null) call.reject(call.signal?.aborted ? call.signal.reason : new Trap('the call was cancelled'));
    else call.resolve(r);
  };
  try {
    call.onCancel = yield* call.f.invoke(() => [...call.args], settle, null);
  } catch (e) {
    d.outstanding.delete(call);
    call.reject(e);
  }
}
