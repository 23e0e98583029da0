// A core call that can stop at a host call and go on later: what the
// canonical ABI needs to block inside core code (a stackful lift waiting,
// waitable-set.wait, a synchronous call of an async function). Each core
// engine supplies it for its own functions (FuncInst.suspendable), so the
// canonical ABI never asks which engine runs a module:
//
// - the interpreter stops its explicit Configuration at the host call and
//   resumes it synchronously (core/exec/suspendable-call.ts);
// - the native engine, where the host has JS Promise Integration, runs the
//   call under WebAssembly.promising and stops its frames at a Suspending
//   import (core/native/native-call.ts). V8 resumes such frames only from
//   its microtask queue, so after a resumption the call goes on by itself
//   and its next state arrives as a Promise; whoever drives it must be able
//   to await (the `canAwait` of FuncInst.suspendable).

import type { Value } from './values.js';

/**
 * Where a suspendable call stands after `start`, `resume` or `poll`:
 * finished ('done', results()), stopped at a host call ('suspended': the
 * host call's work is the caller's to do, then resume with its results), or
 * still running without the caller (a Promise that fulfils, never rejects,
 * when the call reaches one of the other two states or fails: then poll).
 */
export type RunState = 'done' | 'suspended' | Promise<void>;

export interface SuspendableCall {
  start(args: Value[]): RunState;
  resume(results: Value[]): RunState;
  /** The state once a RunState Promise has fulfilled; throws what the call threw (a Trap…). */
  poll(): RunState;
  /** The results, after 'done'. */
  results(): Value[];
  /** Whether the host function now running was called directly by this call's core code, so that it may stop it. */
  canSuspendHere(): boolean;
  /** Stops the call at the running host function (after canSuspendHere): the function returns this in place of results. */
  suspend(): Value[];
  /** The call is over (done or failed): its resources may be reused. */
  release(): void;
  /**
   * Whether the call's code is running right now while its caller waits
   * for a RunState Promise (the native engine's frames resumed by the
   * host); absent for engines that never run without their caller.
   */
  runsWithoutCaller?(): boolean;
}
