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
  /** Whether its start (ComponentFunc.invoke) is running now. */
  starting: boolean;
  /** A result that arrived while the start was running; undefined: none yet. */
  held: ComponentValue[] | null | undefined;
}

interface Parked {
  readonly call: Call;
  readonly g: Wait<OnCancel | null>;
  ready: boolean;
  readonly until: Promise<void>;
}

class Driver {
  readonly toStart: Call[] = [];
  readonly toCancel: Call[] = [];
  readonly outstanding = new Set<Call>();
  /** Host stream and future operations waiting for a guest (host-source.ts, host-sink.ts): the loop runs while any waits. */
  readonly demands = new Set<object>();
  /**
   * Calls whose start (ComponentFunc.invoke) waits for a Promise or an
   * engine: a synchronous lift runs its task to the end inside invoke, and
   * others may start and run meanwhile.
   */
  readonly parked: Parked[] = [];
  running = false;
  /** The host acted on a stream or future (kick): threads it made ready run even with no call in progress. */
  kicked = false;
  /** Whether one of the driver's synchronous stretches is running now (a host call made from inside it is nested). */
  inStretch = false;
  private wakeUp: (() => void) | null = null;

  /** A Promise that fulfils when a call is started or cancelled, or the host acts on a stream or future, from outside. */
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

function driverOf(store: CanonStore): Driver {
  let d = drivers.get(store);
  if (d === undefined) {
    d = new Driver();
    drivers.set(store, d);
  }
  return d;
}

/**
 * Whether the store's event loop is driven by calls in progress and is
 * waiting between two of its stretches: a synchronous call from the host
 * now (Func.callSync) could neither wait for the loop nor run beside it.
 */
export function eventLoopBusy(store: CanonStore): boolean {
  const d = drivers.get(store);
  return d !== undefined && d.running && !d.inStretch && d.outstanding.size > 0;
}

/**
 * Starts a call of `f` (a lifted function of `store`) alongside the others
 * in progress; resolves to its result list. `step` wraps each synchronous
 * stretch of the driver (the API's hostcall fuel and meter) when this call
 * starts it.
 */
export function callConcurrent(
  store: CanonStore, f: ComponentFunc, args: readonly ComponentValue[], step: StepScope, signal?: AbortSignal,
): Promise<ComponentValue[]> {
  const driver = driverOf(store);
  return new Promise<ComponentValue[]>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const call: Call = { f, args, resolve, reject, signal, onCancel: null, started: false, starting: false, held: undefined };
    driver.toStart.push(call);
    driver.outstanding.add(call);
    signal?.addEventListener('abort', () => {
      if (!driver.outstanding.has(call)) return;
      driver.toCancel.push(call);
      driver.wake();
    }, { once: true });
    if (driver.running) driver.wake();
    else run(store, driver, step);
  });
}

/**
 * A host stream or future operation of `store` (`token`) waits for a
 * guest: the event loop runs (started here when no call runs it) until
 * `hostDemandMet(store, token)`, or until nothing can run.
 */
export function hostDemand(store: CanonStore, token: object): void {
  const d = driverOf(store);
  d.demands.add(token);
  kick(store);
}

export function hostDemandMet(store: CanonStore, token: object): void {
  drivers.get(store)?.demands.delete(token);
}

/**
 * The host acted on a stream or future of `store` (a copy that may have
 * made a guest thread ready): the event loop looks again, in a microtask,
 * so that no guest code runs inside the host's own call.
 */
export function kick(store: CanonStore): void {
  queueMicrotask(() => {
    const d = driverOf(store);
    d.kicked = true;
    if (d.running) d.wake();
    else if (d.demands.size > 0 || d.outstanding.size > 0 || store.waiting.some((t) => t.ready())) run(store, d, store.backgroundStep);
  });
}

function run(store: CanonStore, d: Driver, step: StepScope): void {
  d.running = true;
  const end = (e: unknown): void => {
    d.running = false;
    // The driver failed (a trap in a thread of the store): every call still
    // in progress fails with it, and so does every open host end.
    for (const c of d.outstanding) c.reject(e);
    d.outstanding.clear();
    d.toStart.length = 0;
    d.toCancel.length = 0;
    d.demands.clear();
    d.parked.length = 0;
    for (const h of [...store.hostEnds]) h.fail(e);
  };
  const stretch: StepScope = (f) => step(() => {
    const outer = d.inStretch;
    d.inStretch = true;
    try {
      return f();
    } finally {
      d.inStretch = outer;
    }
  });
  try {
    const r = driveAsync(drive(store, d), stretch);
    if (r instanceof Promise) r.then(() => {}, end);
  } catch (e) {
    end(e);
  }
}

function hostMayUnblock(store: CanonStore): boolean {
  for (const h of store.hostEnds) if (h.mayUnblock) return true;
  return false;
}

function* drive(store: CanonStore, d: Driver): Wait<void> {
  // `running` is cleared where the loop decides to stop, synchronously, so
  // that a call started right after finds the driver stopped and starts it.
  const stop = (): void => { d.running = false; };
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
    let advanced = false;
    for (const p of d.parked.filter((q) => q.ready)) {
      d.parked.splice(d.parked.indexOf(p), 1);
      advance(d, p.call, p.g);
      advanced = true;
    }
    if (d.outstanding.size === 0 && d.demands.size === 0) {
      // No call and no host operation waits: the loop stops, but for a
      // host action (kick) it first runs what that made ready.
      if (!d.kicked) return stop();
      if (yield* tickCo(store)) continue;
      d.kicked = false;
      continue;
    }
    if (advanced) continue;
    if (yield* tickCo(store)) continue;
    const hostWait = awaitHostWaits(store);
    if (hostWait !== null || d.parked.length > 0) {
      const waits = d.parked.map((p) => p.until);
      if (hostWait !== null) waits.push(hostWait.until);
      yield new EngineWait(Promise.race([...waits, d.woken()]));
      continue;
    }
    // Only the host's stream and future operations wait, and nothing can
    // run for them now: they stay pending; the host's next action (or call)
    // starts the loop again.
    if (d.outstanding.size === 0) return stop();
    // The host holds open stream or future ends: it may still read, write
    // or drop, which would let a call go on; wait for it rather than call it a deadlock.
    if (hostMayUnblock(store)) {
      yield new EngineWait(d.woken());
      continue;
    }
    // Nothing can run: the embedder may still start or cancel a call (one
    // turn of the JS event loop); if it does not, nothing ever will run.
    yield new EngineWait(Promise.race([d.woken(), new Promise<void>((r) => setTimeout(r, 0))]));
    if (d.toStart.length > 0 || d.toCancel.length > 0) continue;
    if (yield* tickCo(store)) continue;
    if (awaitHostWaits(store) !== null || hostMayUnblock(store)) continue;
    const stuck = new Trap(DEADLOCK);
    for (const c of d.outstanding) c.reject(stuck);
    d.outstanding.clear();
    return stop();
  }
}

function* start(d: Driver, call: Call): Wait<void> {
  call.started = true;
  advance(d, call, call.f.invoke(() => [...call.args], (r) => settle(d, call, r), null));
}

/**
 * A call's result (null: cancelled). While its start is still running
 * (post-return, or the rest of a synchronous lift, may still trap), it is
 * held until the start returns.
 */
function settle(d: Driver, call: Call, r: ComponentValue[] | null): void {
  if (!d.outstanding.has(call)) return;
  if (call.starting) {
    call.held = r;
    return;
  }
  d.outstanding.delete(call);
  if (r === null) call.reject(call.signal?.aborted ? call.signal.reason : new Trap('the call was cancelled'));
  else call.resolve(r);
}

/** Runs a call's start until it returns (its OnCancel) or waits (parked until the wait is over); a throw fails that call. */
function advance(d: Driver, call: Call, g: Wait<OnCancel | null>): void {
  let r: IteratorResult<EngineWait, OnCancel | null>;
  call.starting = true;
  try {
    r = g.next();
  } catch (e) {
    call.starting = false;
    d.outstanding.delete(call);
    call.reject(e);
    return;
  } finally {
    call.starting = false;
  }
  if (r.done) {
    call.onCancel = r.value;
    if (call.held !== undefined) settle(d, call, call.held);
    return;
  }
  const p: Parked = { call, g, ready: false, until: r.value.until.then(() => { p.ready = true; }) };
  d.parked.push(p);
}
