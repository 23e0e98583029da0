// Threads of the async canonical ABI (CanonicalABI.md "Thread State",
// definitions.py `Thread`), and how they stop and go on in JavaScript.
//
// definitions.py runs each Thread on a host thread and hands control back
// and forth with locks: `resume` runs a thread until it blocks, `block`
// gives control back to whoever resumed it (or switches to another thread).
// Here a thread's code is a generator: blocking is `yield` (the value is the
// thread to switch to, or null), `resume(cancelled)` is `next(cancelled)`.
// Everything a thread runs that may block is a generator too (type `Co`),
// composed with `yield*`.
//
// Core wasm in between: a thread whose core code calls a built-in that
// blocks (waitable-set.wait, a synchronous call of an async function, ...)
// must stop in the middle of that core code. callCore runs core code as a
// suspendable call of its engine (core/runtime/suspendable.ts) where the
// engine can stop it: the built-in leaves the rest of its work as a
// generator in `pendingBuiltin` and returns the call's suspend marker; the
// core code stops; callCore runs that generator (which blocks), then
// resumes the core code with the built-in's results. The interpreter can
// always stop its code; the native engine can where the host has JS Promise
// Integration and the call is driven by someone who can await (an
// asynchronous call from the host), since V8 resumes suspended frames only
// from its microtask queue: while the frames run on without us, the thread
// yields an EngineWait, which goes up through every generator to the driver
// (driveAsync), which awaits it and goes on. An EngineWait is no block in
// the spec's sense: the thread is running all the while, nothing else runs.
// Where core code cannot be stopped, a block there is NotImplemented (a
// skip), or, in a synchronous task that could not wait anyway, the trap.

import type { FuncInst } from '../../core/runtime/func.js';
import type { SuspendableCall } from '../../core/runtime/suspendable.js';
import type { Value } from '../../core/runtime/values.js';
import type { HostWait } from './host-wait.js';
import { TaskState, type Task } from './task.js';
import { CanonTrap, trap } from './traps.js';

/**
 * Core code running on without the caller (a native call resumed through
 * JSPI): whoever drives the generators awaits `until`, then goes on.
 */
export class EngineWait {
  constructor(readonly until: Promise<void>) {}
}

/**
 * What a blocking generator yields: the thread to switch to, or null (a
 * block; it is resumed with `cancelled`), or an EngineWait (passed up to
 * the driver).
 */
export type Co<T> = Generator<Thread | null | EngineWait, T, boolean>;

/** Work that never blocks a thread but may have to wait for a core engine (EngineWait). */
export type Wait<T> = Generator<EngineWait, T, unknown>;

let asyncDrivers = 0;
let syncDrivers = 0;

/** Whether the code running now is driven by driveAsync (and no synchronous driver inside it). */
export function driverCanAwait(): boolean {
  return asyncDrivers > 0 && syncDrivers === 0;
}

/** Runs `g` to its end synchronously; an EngineWait is NotImplemented (nothing here can await). */
export function driveSync<T>(g: Wait<T>): T {
  syncDrivers++;
  try {
    const r = g.next();
    if (!r.done) throw new NotImplemented('core code that waits for its engine (JS Promise Integration) needs an asynchronous call (Func.call)');
    return r.value;
  } finally {
    syncDrivers--;
  }
}

/**
 * Runs `g`, awaiting each EngineWait; `step` wraps each synchronous
 * stretch. The value at once when nothing had to be awaited.
 */
export function driveAsync<T>(g: Wait<T>, step: <R>(f: () => R) => R = (f) => f()): T | Promise<T> {
  const next = (): IteratorResult<EngineWait, T> => {
    const outer = syncDrivers;
    syncDrivers = 0;
    asyncDrivers++;
    try {
      return step(() => g.next());
    } finally {
      asyncDrivers--;
      syncDrivers = outer;
    }
  };
  let r = next();
  if (r.done) return r.value;
  return (async () => {
    while (!r.done) {
      // While the engine runs, its frames call built-ins: they are driven by us.
      asyncDrivers++;
      try {
        await r.value.until;
      } finally {
        asyncDrivers--;
      }
      r = next();
    }
    return r.value;
  })();
}

/**
 * Something cmr cannot run (yet) in this configuration: the harness reports
 * it as a skip with this message. (The component runtime's NotImplemented
 * is this class.)
 */
export class NotImplemented extends Error {
  override name = 'NotImplemented';
}

/** Whether the host has JS Promise Integration (a probe of the host, not of any engine: for the skip's words). */
const HOST_HAS_JSPI = typeof (WebAssembly as { Suspending?: unknown }).Suspending === 'function'
  && typeof (WebAssembly as { promising?: unknown }).promising === 'function';

export const NEEDS_JSPI = HOST_HAS_JSPI
  ? 'blocking inside core code on the native engine needs JS Promise Integration, which only a call that can await uses (Func.call, not callSync)'
  : 'blocking inside core code on the native engine needs stack switching (JS Promise Integration: WebAssembly.Suspending, WebAssembly.promising), which this host lacks';

let current: Thread | null = null;

/**
 * Threads whose core code runs on in its engine while their driver awaits
 * it (EngineWait). `current` is not theirs meanwhile, so that host code
 * running in that window (a timer calling into the store) is outside any
 * thread; their core code, calling a built-in, finds its thread here.
 */
const runningWithoutDriver = new Set<Thread>();

/** definitions.py current_thread(): the thread whose code is running, or null outside any task. */
export function currentThread(): Thread | null {
  if (current !== null || runningWithoutDriver.size === 0) return current;
  for (const t of runningWithoutDriver) if (t.run?.runsWithoutCaller?.() === true) return t;
  return null;
}

export class Thread {
  /** The rest of the thread's code; null while it runs, and for the stand-in thread of core code run outside any task. */
  private cont: Co<void> | null;
  private isRunning = false;
  done = false;
  readyFunc: (() => boolean) | null = null;
  cancellable = false;
  index: number | null = null;
  readonly storage: [number, number] = [0, 0];
  /** The core call running this thread's code right now, when its engine can stop it (suspendable.ts). */
  run: SuspendableCall | null = null;
  /** Whether the thread's core code is stopped at a built-in whose rest (pendingBuiltin) runs now. */
  private inBuiltin = false;
  /** Set by a built-in that blocks inside core code: the rest of its work, yielding to block. */
  pendingBuiltin: Co<Value[]> | null = null;
  /** Set by suspendHostCall (host-wait.ts): the Promise of the host call this thread is about to wait for. */
  pendingHostWait: HostWait | null = null;
  /** Core calls in progress on this thread (callCore nesting). */
  private coreDepth = 0;

  /**
   * A thread running `threadFunc` (not yet started: suspended), or, with
   * threadFunc null, a stand-in that never blocks (builtins.ts: core code
   * run outside any task, such as a start function).
   */
  constructor(readonly task: Task, threadFunc: ((t: Thread) => Co<void>) | null) {
    this.cont = threadFunc === null ? null : threadFunc(this);
    if (threadFunc === null) this.isRunning = true;
  }

  running(): boolean {
    return this.isRunning;
  }

  suspended(): boolean {
    return !this.isRunning && !this.done && this.readyFunc === null;
  }

  waiting(): boolean {
    return !this.isRunning && this.readyFunc !== null;
  }

  ready(): boolean {
    return this.waiting() && this.readyFunc!();
  }

  private startWaitingInternal(readyFunc: () => boolean): void {
    this.readyFunc = readyFunc;
    this.task.inst.store.waiting.push(this);
  }

  private stopWaitingInternal(): void {
    this.readyFunc = null;
    const w = this.task.inst.store.waiting;
    const i = w.indexOf(this);
    if (i >= 0) w.splice(i, 1);
  }

  resumeLater(): void {
    this.startWaitingInternal(() => true);
  }

  /** Runs the thread (and whatever it switches to) until it blocks or ends (driveSync of resumeCo). */
  resume(cancelled = false): void {
    driveSync(this.resumeCo(cancelled));
  }

  /** The same as a generator that passes EngineWaits up to whoever drives it. */
  *resumeCo(cancelled = false): Wait<void> {
    if (this.waiting()) this.stopWaitingInternal();
    let thread: Thread | null = this;
    let c = cancelled;
    while (thread !== null) {
      const k: Co<void> | null = thread.cont;
      if (k === null) throw new Error('canonical ABI: resuming a thread that cannot be resumed');
      thread.cont = null;
      thread.isRunning = true;
      const outer = current;
      current = thread;
      let r: IteratorResult<Thread | null | EngineWait, void>;
      try {
        r = k.next(c);
        while (!r.done && r.value instanceof EngineWait) {
          // The thread runs on in its engine: its core code finds it
          // through currentThread() meanwhile; anything else runs outside it.
          current = outer;
          runningWithoutDriver.add(thread);
          try {
            yield r.value;
          } finally {
            runningWithoutDriver.delete(thread);
          }
          current = thread;
          r = k.next(false);
        }
      } catch (e) {
        thread.done = true;
        throw e;
      } finally {
        current = outer;
        thread.isRunning = false;
      }
      if (r.done) {
        thread.done = true;
        thread = null;
      } else {
        thread.cont = k;
        thread = r.value as Thread | null;
      }
      c = false;
    }
  }

  /**
   * Whether this thread can block where it is now: a thread with a
   * continuation, outside core code, inside core code its engine can stop
   * at the host call now running (called directly by that code), or in the
   * rest of a built-in at which its core code stopped.
   */
  canBlockHere(): boolean {
    if (!this.isRunning || this.task.syncImplicit) return false;
    if (this.coreDepth === 0 || this.inBuiltin) return true;
    return this.run !== null && this.run.canSuspendHere();
  }

  /** Fails the way a block that cannot happen here fails (see the header). */
  private cannotBlock(): never {
    if (this.task.syncImplicit) trap(CanonTrap.cannotBlockSync);
    throw new NotImplemented(NEEDS_JSPI);
  }

  private *blockInternal(cancellable: boolean, switchTo: Thread | null = null): Co<boolean> {
    this.cancellable = cancellable;
    const cancelled: boolean = yield switchTo;
    return cancelled;
  }

  *suspend(cancellable: boolean): Co<boolean> {
    if (this.task.deliverPendingCancel(cancellable)) return true;
    if (!this.canBlockHere()) this.cannotBlock();
    return yield* this.blockInternal(cancellable);
  }

  /**
   * definitions.py wait_until. When `readyFunc` already holds, the thread
   * goes on without blocking, which the spec allows (outside its
   * deterministic profile, wait_until may return at once when ready) and
   * wasmtime does; a yield (`alwaysBlock`) still lets others run first.
   */
  *waitUntil(readyFunc: () => boolean, cancellable = false, alwaysBlock = false): Co<boolean> {
    if (this.task.deliverPendingCancel(cancellable)) return true;
    if (!alwaysBlock && readyFunc()) return false;
    if (!this.canBlockHere()) {
      if (readyFunc()) return false;
      this.cannotBlock();
    }
    // A thread holding its instance exclusively for a task that has already
    // returned its value, waiting inside core code (a synchronous built-in),
    // lets the instance go while it waits and takes it back to go on: the
    // suite's reading (sync-streams.wast), where definitions.py keeps
    // exclusive_thread set. A task that has not returned keeps it
    // (async-calls-sync.wast).
    const inst = this.task.inst;
    if (this.coreDepth > 0 && inst.exclusiveThread === this && this.task.state === TaskState.RESOLVED) {
      inst.exclusiveThread = null;
      this.startWaitingInternal(() => inst.exclusiveThread === null && readyFunc());
      const cancelled = yield* this.blockInternal(cancellable);
      inst.exclusiveThread = this;
      return cancelled;
    }
    this.startWaitingInternal(readyFunc);
    return yield* this.blockInternal(cancellable);
  }

  *yield_(cancellable: boolean): Co<boolean> {
    return yield* this.waitUntil(() => true, cancellable, true);
  }

  *suspendThenResume(cancellable: boolean, other: Thread): Co<boolean> {
    if (this.task.deliverPendingCancel(cancellable)) return true;
    if (!this.canBlockHere()) this.cannotBlock();
    return yield* this.blockInternal(cancellable, other);
  }

  *yieldThenResume(cancellable: boolean, other: Thread): Co<boolean> {
    if (this.task.deliverPendingCancel(cancellable)) return true;
    if (!this.canBlockHere()) this.cannotBlock();
    this.startWaitingInternal(() => true);
    return yield* this.blockInternal(cancellable, other);
  }

  *suspendThenPromote(cancellable: boolean, other: Thread): Co<boolean> {
    if (this.task.deliverPendingCancel(cancellable)) return true;
    if (other.ready()) {
      other.stopWaitingInternal();
      return yield* this.suspendThenResume(cancellable, other);
    }
    return yield* this.suspend(cancellable);
  }

  *yieldThenPromote(cancellable: boolean, other: Thread): Co<boolean> {
    if (this.task.deliverPendingCancel(cancellable)) return true;
    if (other.ready()) {
      other.stopWaitingInternal();
      return yield* this.yieldThenResume(cancellable, other);
    }
    return yield* this.yield_(cancellable);
  }

  /**
   * Calls core function `f` as this thread (definitions.py
   * call_and_trap_on_throw), as a suspendable call of its engine where it
   * can be, so that built-ins it calls may block (see the header).
   */
  *callCore(f: FuncInst, args: Value[]): Co<Value[]> {
    this.coreDepth++;
    const outerRun = this.run;
    const outerInBuiltin = this.inBuiltin;
    try {
      const run = f.suspendable(driverCanAwait());
      this.run = run;
      this.inBuiltin = false;
      if (run === null) return f.call(args);
      let state = run.start(args);
      while (state !== 'done') {
        if (state === 'suspended') {
          const k = this.pendingBuiltin;
          this.pendingBuiltin = null;
          if (k === null) throw new Error('canonical ABI: core code stopped at a host call that left nothing to wait for');
          this.inBuiltin = true;
          const results: Value[] = yield* k;
          this.inBuiltin = false;
          state = run.resume(results);
        } else {
          yield new EngineWait(state);
          state = run.poll();
        }
      }
      const results = run.results();
      run.release();
      return results;
    } finally {
      this.run = outerRun;
      this.inBuiltin = outerInBuiltin;
      this.coreDepth--;
    }
  }
}

/**
 * Runs the body of a built-in called by core code: a plain result, or a
 * generator that may block. When it blocks, the current thread stops inside
 * its core code (SUSPEND) and the generator's rest runs when the thread
 * goes on; `callee` is the host function being called (for the check that
 * the interpreter thread called it itself).
 */
export function runBuiltin(body: Value[] | Co<Value[]>): Value[] {
  if (Array.isArray(body)) return body;
  // The thread whose core code called the built-in (`current` may name
  // another when the body stops for a nested thread's EngineWait).
  const thread = currentThread();
  const gen = body as Co<Value[]>;
  const first = gen.next(false);
  if (first.done) return first.value;
  if (thread === null) throw new Error('canonical ABI: a built-in blocked outside any thread');
  const run = thread.run;
  // A block was checked by the thread (canBlockHere); waiting for an engine was not.
  if (run === null || !run.canSuspendHere()) throw new NotImplemented(NEEDS_JSPI);
  thread.pendingBuiltin = continueFrom(first.value, gen);
  lastMarker = run.suspend();
  return lastMarker;
}

let lastMarker: Value[] | null = null;

/** Whether `r`, returned by runBuiltin, stopped the core code rather than being its results. */
export function isSuspendMarker(r: Value[]): boolean {
  return r === lastMarker;
}

function* continueFrom(block: Thread | null | EngineWait, gen: Co<Value[]>): Co<Value[]> {
  let cancelled: boolean = yield block;
  for (;;) {
    const r = gen.next(cancelled);
    if (r.done) return r.value;
    cancelled = yield r.value;
  }
}
