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
// must stop in the middle of that core code. The interpreter can (its state
// is explicit, see core/exec/configuration.ts): the built-in leaves the rest of its
// work as a generator in `pendingBuiltin` and returns SUSPEND; the core
// interpreter thread stops; `callCore` runs that generator (which blocks),
// then resumes the core code with the built-in's results. The native
// engine cannot stop its frames without JS Promise Integration: a block
// there is NotImplemented (a skip), or, in a synchronous task that could
// not wait anyway, the spec's trap.

import { Configuration, SUSPEND, WasmFunc, currentConfiguration } from '../../core/exec/index.js';
import { Trap, TrapMessage } from '../../core/errors.js';
import type { FuncInst } from '../../core/runtime/func.js';
import type { Value } from '../../core/runtime/values.js';
import type { HostWait } from './host-wait.js';
import { TaskState, type Task } from './task.js';
import { CanonTrap, trap } from './traps.js';

/** What a blocking generator yields: the thread to switch to, or null. It is resumed with `cancelled`. */
export type Co<T> = Generator<Thread | null, T, boolean>;

/**
 * Something cmr cannot run (yet) in this configuration: the harness reports
 * it as a skip with this message. (The component runtime's NotImplemented
 * is this class.)
 */
export class NotImplemented extends Error {
  override name = 'NotImplemented';
}

/** Whether the running Node has JS Promise Integration (which cmr's native engine does not use yet either way). */
const HAS_JSPI = typeof (WebAssembly as unknown as { Suspending?: unknown }).Suspending === 'function';

export const NEEDS_JSPI = HAS_JSPI
  ? 'blocking inside core code on the native engine needs stack switching (JS Promise Integration), which cmr does not use yet'
  : 'blocking inside core code on the native engine needs stack switching (JS Promise Integration, WebAssembly.Suspending), which this Node lacks';

let current: Thread | null = null;

/** definitions.py current_thread(): the thread whose code is running, or null outside any task. */
export function currentThread(): Thread | null {
  return current;
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
  /** The interpreter thread running this thread's core code right now, when that code can be suspended. */
  exec: Configuration | null = null;
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

  /** Runs the thread (and whatever it switches to) until it blocks or ends. */
  resume(cancelled = false): void {
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
      let r: IteratorResult<Thread | null, void>;
      try {
        r = k.next(c);
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
        thread = r.value;
      }
      c = false;
    }
  }

  /**
   * Whether this thread can block where it is now: a thread with a
   * continuation, outside core code or inside core code the interpreter
   * runs for it (called directly, so its state is the thread's own).
   */
  canBlockHere(): boolean {
    if (!this.isRunning || this.task.syncImplicit) return false;
    if (this.coreDepth === 0) return true;
    return this.exec !== null && currentConfiguration() === this.exec;
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
   * call_and_trap_on_throw). Interpreted code runs on an interpreter thread
   * of its own, so that built-ins it calls may block (see the header).
   */
  *callCore(f: FuncInst, args: Value[]): Co<Value[]> {
    this.coreDepth++;
    try {
      if (!(f instanceof WasmFunc)) return f.call(args);
      const exec = execPool.pop() ?? new Configuration();
      const outerExec = this.exec;
      this.exec = exec;
      try {
        exec.start(f, args);
        let r = runExec(() => exec.run());
        while (r === 'suspended') {
          const k = this.pendingBuiltin;
          this.pendingBuiltin = null;
          if (k === null) throw new Error('canonical ABI: core code stopped at a host call that left nothing to wait for');
          const results: Value[] = yield* k;
          r = runExec(() => exec.resume(results));
        }
        const results = exec.results();
        exec.reset();
        if (execPool.length < EXEC_POOL_SIZE) execPool.push(exec);
        return results;
      } finally {
        this.exec = outerExec;
      }
    } finally {
      this.coreDepth--;
    }
  }
}

const execPool: Configuration[] = [];
const EXEC_POOL_SIZE = 8;

function runExec(f: () => 'done' | 'suspended'): 'done' | 'suspended' {
  try {
    return f();
  } catch (e) {
    // As core/exec/invoke.ts: a JS stack overflow in nested calls is still wasm's call stack.
    if (e instanceof RangeError && /call stack/i.test(e.message)) throw new Trap(TrapMessage.callStackExhausted);
    throw e;
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
  const gen = body as Co<Value[]>;
  const first = gen.next(false);
  if (first.done) return first.value;
  const thread = current;
  if (thread === null) throw new Error('canonical ABI: a built-in blocked outside any thread');
  thread.pendingBuiltin = continueFrom(first.value, gen);
  return SUSPEND;
}

function* continueFrom(block: Thread | null, gen: Co<Value[]>): Co<Value[]> {
  let cancelled: boolean = yield block;
  for (;;) {
    const r = gen.next(cancelled);
    if (r.done) return r.value;
    cancelled = yield r.value;
  }
}
