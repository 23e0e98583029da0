// Tasks (CanonicalABI.md "Task State", definitions.py `Task`): the callee
// side of one call into a `canon lift`ed function. A task owns its threads
// (the implicit one that runs the lifted function, and any made with
// thread.new-indirect), counts the borrow handles lent to it, and moves
// through INITIAL → STARTED → (PENDING_CANCEL → CANCEL_DELIVERED →) RESOLVED.

import type { FuncType } from '../syntax/types.js';
import type { CanonicalOptions, ComponentInstance, OnResolve, OnStart } from './context.js';
import { currentThread, type Co, type Thread, type Wait } from './thread.js';
import { CanonTrap, trap } from './traps.js';
import type { ComponentValue } from './values.js';

export enum TaskState {
  INITIAL = 1,
  STARTED = 2,
  PENDING_CANCEL = 3,
  CANCEL_DELIVERED = 4,
  RESOLVED = 5,
}

export class Task {
  state = TaskState.INITIAL;
  numBorrows = 0;
  implicitThread: Thread | null = null;
  readonly threads: Thread[] = [];
  /** Whether the host made the call (the trap wording of lifted values depends on it, traps.ts). */
  callerIsHost = true;

  constructor(
    readonly ft: FuncType,
    readonly opts: CanonicalOptions,
    readonly inst: ComponentInstance,
    readonly onStart: OnStart,
    readonly onResolve: OnResolve,
    /**
     * True for the stand-in task of core code run outside any call (a core
     * start function during instantiation, builtins.ts): it cannot block,
     * and traps as a synchronous task would when it tries to.
     */
    readonly syncImplicit = false,
  ) {}

  /**
   * Whether the task may block (wasmtime's rule, and definitions.py's after
   * the pinned revision, which the suite follows): a task of a function type
   * without `async` may not until it has returned its value. Built-ins that
   * would block check it first of all and trap.
   */
  mayBlock(): boolean {
    return this.ft.async || this.state === TaskState.RESOLVED;
  }

  needsExclusive(): boolean {
    return !this.opts.async || this.opts.callback !== null;
  }

  /** Blocks while the instance has backpressure (async functions), then registers the implicit thread. False when cancelled while waiting. */
  *enterImplicitThread(): Co<boolean> {
    const thread = currentThread()!;
    this.implicitThread = thread;
    const inst = this.inst;
    if (this.ft.async) {
      const hasBackpressure = () => inst.backpressure > 0 || (this.needsExclusive() && inst.exclusiveThread !== null);
      if (hasBackpressure() || inst.numWaitingToEnter > 0) {
        inst.numWaitingToEnter += 1;
        const cancelled = yield* thread.waitUntil(() => !hasBackpressure(), true);
        inst.numWaitingToEnter -= 1;
        if (cancelled) {
          this.cancel();
          return false;
        }
      }
      if (this.needsExclusive()) inst.exclusiveThread = thread;
    }
    this.registerThread(thread);
    return true;
  }

  /** The entry of a function type without `async` (no backpressure to wait for): registers the implicit thread. */
  enterSyncImplicitThread(thread: Thread): void {
    this.implicitThread = thread;
    this.registerThread(thread);
  }

  registerThread(thread: Thread): void {
    this.threads.push(thread);
    thread.index = this.inst.threads.add(thread);
  }

  exitImplicitThread(): void {
    const thread = this.implicitThread!;
    this.unregisterThread(thread);
    if (this.ft.async && this.needsExclusive() && this.inst.exclusiveThread === thread) this.inst.exclusiveThread = null;
  }

  unregisterThread(thread: Thread): void {
    const i = this.threads.indexOf(thread);
    if (i >= 0) this.threads.splice(i, 1);
    if (thread.index !== null) {
      this.inst.threads.remove(thread.index);
      thread.index = null;
    }
    if (this.threads.length === 0 && this.state !== TaskState.RESOLVED) {
      trap(this.ft.async ? 'async-lifted export failed to produce a result' : 'task exited without returning a value');
    }
  }

  *requestCancellation(caller: ComponentInstance | null): Wait<void> {
    if (this.state === TaskState.INITIAL) {
      this.state = TaskState.CANCEL_DELIVERED;
      yield* this.implicitThread!.resumeCo(true);
      return;
    }
    if (this.state !== TaskState.STARTED) return;
    const candidates = this.threads.filter((t) => t.cancellable && !t.running() && !t.done);
    const exclusive = this.inst.exclusiveThread;
    const pick = this.needsExclusive() && exclusive !== null && exclusive !== this.implicitThread
      ? candidates.filter((t) => t !== this.implicitThread) : candidates;
    if (pick.length > 0 && this.inst.mayEnterFrom(caller)) {
      this.state = TaskState.CANCEL_DELIVERED;
      this.inst.enterFrom(caller);
      yield* pick[0]!.resumeCo(true);
      this.inst.leaveTo(caller);
    } else {
      this.state = TaskState.PENDING_CANCEL;
    }
  }

  deliverPendingCancel(cancellable: boolean): boolean {
    if (cancellable && this.state === TaskState.PENDING_CANCEL) {
      this.state = TaskState.CANCEL_DELIVERED;
      return true;
    }
    return false;
  }

  start(): ComponentValue[] {
    this.state = TaskState.STARTED;
    return this.onStart();
  }

  return_(result: ComponentValue[]): void {
    if (this.state === TaskState.RESOLVED) trap('cannot return a value twice');
    if (this.numBorrows > 0) trap(CanonTrap.borrowsRemain);
    this.onResolve(result);
    this.state = TaskState.RESOLVED;
  }

  cancel(): void {
    if (this.state !== TaskState.CANCEL_DELIVERED) trap('task.cancel called without a cancellation request delivered');
    if (this.numBorrows > 0) trap(CanonTrap.borrowsRemain);
    this.onResolve(null);
    this.state = TaskState.RESOLVED;
  }
}
