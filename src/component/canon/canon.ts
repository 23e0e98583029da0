// `canon lift` and `canon lower` (CanonicalABI.md "canon lift", "canon
// lower", and the Store.lift / Store.lower wrappers of "Embedding"), for
// synchronous calls — plus the embedder's stackful waiting: a call started
// with callComponentFuncAsync runs interpreted core code on a Thread that a
// lowered host import may suspend while the host awaits a Promise.
//
// A component-level function (definitions.py `FuncInst`) is called with an
// OnStart callback that supplies its arguments and an OnResolve callback
// that receives its result, plus the calling component instance (null for
// the host). `canonLift` turns a core function into one; `canonLower` turns
// one into a core function. A component-to-component call is thus
//
//   core caller ─canonLower─> ComponentFunc ─canonLift─> core callee
//
// where the lowering side lifts the arguments out of the caller's memory
// (on_start) and lowers the result back into it (on_resolve), and the
// lifting side lowers the arguments into the callee's memory and lifts the
// result out of it — all eagerly, so no value outlives the call.

import { HostFunc, type FuncInst } from '../../core/runtime/func.js';
import type { Value } from '../../core/runtime/values.js';
import { Trap, TrapMessage } from '../../core/runtime/errors.js';
import { currentThread, SUSPEND, Thread as ExecThread, WasmFunc } from '../../core/exec/index.js';
import type { FuncType, ValType } from '../syntax/types.js';
import {
  checkMayLeave, ComponentInstance, LiftLowerContext, Subtask, SubtaskState, Task, TaskState,
  type CanonicalOptions, type OnCancel, type OnResolve, type OnStart,
} from './context.js';
import { flattenFunctype, MAX_FLAT_PARAMS, MAX_FLAT_RESULTS, paramTypes, resultTypes, toCoreFuncType } from './flatten.js';
import { CoreValueIter, liftFlatValues, lowerFlatValues } from './lift-lower.js';
import { CanonTrap, trap } from './traps.js';
import { canonLiftAsync } from './async-lift.js';
import { runUntil } from './event-loop.js';
import { canonLowerAsync } from './async-lower.js';
import { currentThread as currentSpecThread, runBuiltin, Thread as SpecThread, withCurrentThread } from './thread.js';
import type { CanonStore } from './trace.js';
import type { ComponentValue } from './values.js';

/** A component-level function (definitions.py FuncInst). */
export interface ComponentFunc {
  readonly type: FuncType;
  /** For traces and messages. */
  readonly name: string;
  /**
   * True for functions made by canonLift: their arguments may be
   * HintedStrings (strings.ts), which lets a component-to-component string
   * transfer make exactly the spec's realloc calls. Host functions always
   * receive plain JS strings.
   */
  readonly acceptsStringHints: boolean;
  /**
   * Runs the call: calls `onStart` for the arguments, `onResolve` with the
   * result (a list of zero or one values). Returns an OnCancel, or null when
   * the call completed synchronously (always, in the synchronous engine).
   */
  invoke(onStart: OnStart, onResolve: OnResolve, caller: ComponentInstance | null): OnCancel | null;
  /**
   * Runs the call as `invoke` does, but lets the core code it runs on the
   * interpreter wait for Promises of host imports (see callComponentFuncAsync).
   * Returns undefined when the call completed without waiting, else a
   * Promise of its end. Only functions made by canonLift have it.
   */
  invokeAsync?(onStart: OnStart, onResolve: OnResolve, caller: ComponentInstance | null, step: StepScope): Promise<void> | undefined;
  /**
   * The store of the instance a lifted function runs in: a host call that
   * does not resolve at once runs its event loop (event-loop.ts) until it does.
   */
  readonly store?: CanonStore;
}

/**
 * Wraps each synchronous stretch of an async call (the start, each resumption
 * after an await): the API uses it to give the call its own hostcall fuel.
 */
export type StepScope = <R>(f: () => R) => R;

const plainStep: StepScope = (f) => f();

/** Calls a component function synchronously: arguments in, result list out. */
export function callComponentFunc(f: ComponentFunc, args: readonly ComponentValue[], caller: ComponentInstance | null = null): ComponentValue[] {
  let result: ComponentValue[] | null = null;
  f.invoke(() => [...args], (r) => { result = r; }, caller);
  if (result === null) {
    if (f.store === undefined || caller !== null) trap(CanonTrap.cannotBlockSync);
    runUntil(f.store, () => result !== null);
  }
  return result!;
}

/**
 * Calls a component function from the host, letting a Promise returned by a
 * host import suspend the core code that called it (CanonicalABI.md has no
 * such thing for sync lifts; it is the embedding's stackful waiting, as in
 * wasmtime's async support). When `f` is a `canon lift` of a function of the
 * interpreter, it runs on a Thread of its own: a lowered host import that
 * returns a Promise makes the thread stop at that call (SUSPEND); the call
 * awaits the Promise, lowers its result into the caller exactly as the
 * synchronous path would (same LiftLowerContext: memory, realloc, string
 * encoding), resumes the thread, and so on until the export returns; then
 * the result is lifted and post-return runs, as in callComponentFunc.
 * Anything else (the native engine, a function without invokeAsync) runs as
 * callComponentFunc does, inside one `step`.
 */
export async function callComponentFuncAsync(
  f: ComponentFunc, args: readonly ComponentValue[], caller: ComponentInstance | null = null, step: StepScope = plainStep,
): Promise<ComponentValue[]> {
  return callComponentFuncMaybeAsync(f, args, caller, step);
}

/**
 * callComponentFuncAsync without a Promise when the call did not wait: the
 * result list, or a Promise of it. (Throws rather than rejects.)
 */
export function callComponentFuncMaybeAsync(
  f: ComponentFunc, args: readonly ComponentValue[], caller: ComponentInstance | null = null, step: StepScope = plainStep,
): ComponentValue[] | Promise<ComponentValue[]> {
  if (f.invokeAsync === undefined) return step(() => callComponentFunc(f, args, caller));
  let result: ComponentValue[] | null = null;
  const take = (): ComponentValue[] => {
    if (result === null) trap(CanonTrap.cannotBlockSync);
    return result;
  };
  const waiting = f.invokeAsync(() => [...args], (r) => { result = r; }, caller, step);
  return waiting === undefined ? take() : waiting.then(take);
}

// ---- suspending at a lowered host import ------------------------------------------

/** Threads being driven by invokeAsync: only calls from these may suspend. */
const drivenThreads = new Set<ExecThread>();

/** Where a host function called inside a lowered call that may suspend leaves its Promise. */
interface SuspendSlot {
  wait: PromiseLike<unknown> | null;
  /** Runs after the Promise fulfils, with its value: must resolve the call (onResolve). */
  then: ((value: unknown) => void) | null;
}

/** The slot of the lowered call in progress, when it may suspend. */
let suspendSlot: SuspendSlot | null = null;

/** What a suspended thread waits for, and how its call ends. */
interface Suspension {
  wait: PromiseLike<unknown>;
  /** After the Promise settled: the core results to resume the thread with (or throws). */
  finish: (ok: boolean, value: unknown) => Value[];
}

/** The suspension requested by the last lowered call of a driven thread. */
const suspensions = new WeakMap<ExecThread, Suspension>();

/**
 * Called by a host function (during ComponentFunc.invoke) that has a Promise
 * instead of a result: when the core code that called it through
 * `canon lower` can be suspended — interpreted code, in a call started with
 * callComponentFuncAsync, calling the lowered import directly — registers
 * `promise` and returns true; the host function then returns without calling
 * onResolve, and `then(value)` runs once the Promise fulfils (it must call
 * onResolve). Returns false otherwise: the host function must fail.
 */
export function suspendHostCall(promise: PromiseLike<unknown>, then: (value: unknown) => void): boolean {
  const slot = suspendSlot;
  if (slot === null || slot.wait !== null) return false;
  slot.wait = promise;
  slot.then = then;
  return true;
}

/**
 * A component function implemented by the host. `impl` receives the
 * arguments as plain values and returns the result (undefined for a function
 * without one). Host functions have no instance to enter: reentrance rules
 * are the host's own business.
 */
export function hostComponentFunc(type: FuncType, impl: (...args: ComponentValue[]) => ComponentValue | undefined, name = 'host'): ComponentFunc {
  return {
    type,
    name,
    acceptsStringHints: false,
    invoke(onStart, onResolve) {
      const args = onStart();
      const r = impl(...args);
      onResolve(type.result === null ? [] : [r as ComponentValue]);
      return null;
    },
  };
}

/**
 * canon lift (Store.lift + canon_lift): wraps the core function `callee` of
 * instance `inst` as a component function of type `ft`.
 *
 * Each call: trap unless `inst` may be entered from the caller (no
 * reentrance); lower the arguments into the callee (realloc'ing strings,
 * lists, spilled parameters); call; lift the result; hand it to the caller
 * (task.return — which traps if borrow handles lent to the callee remain);
 * then call post-return with the core results, during which the callee may
 * not call out.
 */
export function canonLift(callee: FuncInst, ft: FuncType, opts: CanonicalOptions, inst: ComponentInstance, name = 'lifted'): ComponentFunc {
  if (ft.async) return canonLiftAsync(callee, ft, opts, inst, name);
  const params = paramTypes(ft);
  const results = resultTypes(ft);
  const f: ComponentFunc = {
    type: ft,
    name,
    acceptsStringHints: true,
    store: inst.store,
    invoke(onStart: OnStart, onResolve: OnResolve, caller: ComponentInstance | null): OnCancel | null {
      enterLifted(inst, caller, name);
      try {
        const task = new Task(ft, opts, inst, onStart, onResolve);
        task.callerIsHost = caller === null;
        // The implicit thread: definitions.py canon_lift's thread_func for a
        // synchronous lift. It runs at once, and usually to its end.
        const thread = new SpecThread(task, function* (t: SpecThread) {
          task.enterSyncImplicitThread(t);
          const cx = new LiftLowerContext(opts, inst, task, caller === null ? 'host' : 'component', caller !== null);
          const flatArgs = lowerFlatValues(cx, MAX_FLAT_PARAMS, task.start(), params, null, 'param');
          const flatResults = yield* t.callCore(callee, flatArgs);
          task.return_(liftFlatValues(cx, MAX_FLAT_RESULTS, new CoreValueIter(flatResults), results, 'result'));
          if (opts.postReturn !== null) {
            if (inst.tracing) inst.emit({ kind: 'call', phase: 'post-return', func: name, text: `${inst.name}.${name}: post-return called with the core results [${flatResults.map(String).join(', ')}]` });
            inst.mayLeave = false;
            yield* t.callCore(opts.postReturn, flatResults);
            inst.mayLeave = true;
          }
          task.exitImplicitThread();
          if (inst.tracing) inst.emit({ kind: 'call', phase: 'exit', func: name, text: `${inst.name}.${name} returns to ${caller ? caller.name : 'host'}` });
        });
        thread.resume();
        // A function type without `async`: when its thread switched away
        // (thread.yield-then-resume, ...), run the instance's other ready
        // threads until the task has returned; none ready is the trap.
        while (task.state !== TaskState.RESOLVED) {
          let next: SpecThread | null = null;
          for (const other of inst.threads) {
            if (other !== inst.exclusiveThread && other.waiting() && other.ready()) { next = other; break; }
          }
          if (next === null) trap(CanonTrap.cannotBlockSync);
          next.resume();
        }
      } catch (e) {
        failLifted(e, inst, caller);
      }
      inst.leaveTo(caller);
      return null;
    },
    invokeAsync(onStart: OnStart, onResolve: OnResolve, caller: ComponentInstance | null, step: StepScope): Promise<void> | undefined {
      // Only the interpreter can stop core code at a host call.
      if (!(callee instanceof WasmFunc)) {
        step(() => f.invoke(onStart, onResolve, caller));
        return undefined;
      }
      const thread = threadPool.pop() ?? new ExecThread();
      let task!: Task;
      let implicit!: SpecThread;
      let cx!: LiftLowerContext;
      let r: 'done' | 'suspended';
      try {
        r = step(() => {
          enterLifted(inst, caller, name);
          try {
            let flatArgs: Value[];
            ({ task, thread: implicit, cx, flatArgs } = beginLifted(ft, opts, inst, caller, onStart, onResolve, params));
            thread.start(callee, flatArgs);
            return withCurrentThread(implicit, () => runDriven(thread, () => thread.run()));
          } catch (e) {
            return failLifted(e, inst, caller);
          }
        });
        if (r === 'done') finishDriven(step, () => withCurrentThread(implicit, () => finishLifted(opts, inst, caller, task, cx, thread.results(), name, results)), inst, caller);
      } catch (e) {
        releaseThread(thread);
        throw e;
      }
      if (r === 'done') {
        releaseThread(thread);
        return undefined;
      }
      // Suspended: wait, resume, until the export returns.
      return (async () => {
        try {
          while (r === 'suspended') {
            const s = suspensions.get(thread);
            if (s === undefined) {
              step(() => failLifted(new Error(`${name}: a host function suspended the call without a Promise to wait for`), inst, caller));
              return;
            }
            suspensions.delete(thread);
            let ok = true;
            let value: unknown;
            try {
              value = await s.wait;
            } catch (e) {
              ok = false;
              value = e;
            }
            r = step(() => {
              try {
                const resumeWith = s.finish(ok, value);
                return withCurrentThread(implicit, () => runDriven(thread, () => thread.resume(resumeWith)));
              } catch (e) {
                return failLifted(e, inst, caller);
              }
            });
          }
          finishDriven(step, () => withCurrentThread(implicit, () => finishLifted(opts, inst, caller, task, cx, thread.results(), name, results)), inst, caller);
        } finally {
          releaseThread(thread);
        }
      })();
    },
  };
  return f;
}

/** Threads for async calls, kept for their stacks as invoke.ts keeps its own. */
const threadPool: ExecThread[] = [];
const THREAD_POOL_SIZE = 4;

/** Gives a driven thread back to the pool (unless its call never ends: a Promise that never settles). */
function releaseThread(thread: ExecThread): void {
  suspensions.delete(thread);
  thread.reset();
  if (threadPool.length < THREAD_POOL_SIZE) threadPool.push(thread);
}

/** The last stretch of a driven call: `finish` (lift, return, post-return), then leave the instance. */
function finishDriven(step: StepScope, finish: () => void, inst: ComponentInstance, caller: ComponentInstance | null): void {
  step(() => {
    try {
      finish();
    } catch (e) {
      failLifted(e, inst, caller);
    }
    inst.leaveTo(caller);
  });
}

/** Runs a stretch of a driven thread: lowered imports it calls may suspend it. */
function runDriven(thread: ExecThread, run: () => 'done' | 'suspended'): 'done' | 'suspended' {
  drivenThreads.add(thread);
  try {
    return run();
  } catch (e) {
    // As invoke does: host functions re-entering wasm recurse on the JS
    // stack; if that overflows, it is still wasm's call stack that is exhausted.
    if (e instanceof RangeError && /call stack/i.test(e.message)) throw new Trap(TrapMessage.callStackExhausted);
    throw e;
  } finally {
    drivenThreads.delete(thread);
  }
}

/** canon_lift's entry: trap unless `inst` may be entered from the caller, then enter it. */
function enterLifted(inst: ComponentInstance, caller: ComponentInstance | null, name: string): void {
  if (!inst.mayEnterFrom(caller)) trap(CanonTrap.cannotEnter);
  inst.enterFrom(caller);
  if (inst.tracing) inst.emit({ kind: 'call', phase: 'enter', func: name, text: `${caller ? caller.name : 'host'} calls ${inst.name}.${name}` });
}

/** How a lifted call ends when something is thrown between entering and leaving `inst`; rethrows `e`. */
function failLifted(e: unknown, inst: ComponentInstance, caller: ComponentInstance | null): never {
  // A trap is fatal (CanonicalABI.md "Introduction"): the instance stays
  // entered, so any later call traps with "cannot enter component
  // instance", as in wasmtime. A host error (a wrongly shaped value, a
  // missing option) is not a trap: leave the instance usable.
  if (!(e instanceof Trap)) {
    inst.mayLeave = true;
    inst.leaveTo(caller);
  }
  throw e;
}

/** The body of canon_lift up to the core call: the task, the context, the arguments lowered into the callee. */
function beginLifted(
  ft: FuncType, opts: CanonicalOptions, inst: ComponentInstance, caller: ComponentInstance | null,
  onStart: OnStart, onResolve: OnResolve, params: ValType[],
): { task: Task; thread: SpecThread; cx: LiftLowerContext; flatArgs: Value[] } {
  const task = new Task(ft, opts, inst, onStart, onResolve, true);
  task.callerIsHost = caller === null;
  const thread = new SpecThread(task, null);
  task.enterSyncImplicitThread(thread);
  const peer = caller === null ? 'host' : 'component';
  const cx = new LiftLowerContext(opts, inst, task, peer, caller !== null);
  const args = task.start();
  const flatArgs = lowerFlatValues(cx, MAX_FLAT_PARAMS, args, params, null, 'param');
  return { task, thread, cx, flatArgs };
}

/** The body of canon_lift after the core call: lift the result, return it, post-return. */
function finishLifted(
  opts: CanonicalOptions, inst: ComponentInstance, caller: ComponentInstance | null, task: Task, cx: LiftLowerContext,
  flatResults: Value[], name: string, results: ValType[],
): void {
  const result = liftFlatValues(cx, MAX_FLAT_RESULTS, new CoreValueIter(flatResults), results, 'result');
  task.return_(result);
  if (opts.postReturn !== null) {
    if (inst.tracing) inst.emit({ kind: 'call', phase: 'post-return', func: name, text: `${inst.name}.${name}: post-return called with the core results [${flatResults.map(String).join(', ')}]` });
    inst.mayLeave = false;
    opts.postReturn.call(flatResults);
    inst.mayLeave = true;
  }
  task.exitImplicitThread();
  if (inst.tracing) inst.emit({ kind: 'call', phase: 'exit', func: name, text: `${inst.name}.${name} returns to ${caller ? caller.name : 'host'}` });
}

/**
 * canon lower (Store.lower + canon_lower): wraps the component function
 * `callee` as a core function for core code of instance `inst`, of type
 * flatten_functype(opts, ft, 'lower').
 *
 * Each call: trap if `inst` may not leave (during post-return or realloc);
 * call `callee` with `inst` as the caller, lifting the arguments out of
 * `inst`'s memory when the callee asks for them and lowering the result into
 * it (through the out-pointer when it does not fit in one core result);
 * then return the lent borrow handles.
 */
export function canonLower(callee: ComponentFunc, ft: FuncType, opts: CanonicalOptions, inst: ComponentInstance, name = callee.name): HostFunc {
  if (opts.async) return canonLowerAsync(callee, ft, opts, inst, name);
  const params = paramTypes(ft);
  const results = resultTypes(ft);
  const coreType = toCoreFuncType(flattenFunctype(opts, ft, 'lower'));
  const lowered: HostFunc = new HostFunc(coreType, (args: Value[]): Value[] => {
    checkMayLeave(inst);
    // A synchronous call of an async function may block: only a task that may block may make it.
    if (ft.async) {
      const t = currentSpecThread();
      if (t === null || !t.task.mayBlock()) trap(CanonTrap.cannotBlockSync);
    }
    const flatArgs = new CoreValueIter(args);
    const subtask = new Subtask();
    const hints = callee.acceptsStringHints;
    const cx = new LiftLowerContext(opts, inst, subtask, hints ? 'component' : 'host', hints);
    const onStart: OnStart = () => {
      subtask.state = SubtaskState.STARTED;
      return liftFlatValues(cx, MAX_FLAT_PARAMS, flatArgs, params, 'param');
    };
    const onResolve: OnResolve = (result) => {
      if (result === null) {
        subtask.resolve(subtask.state === SubtaskState.STARTING ? SubtaskState.CANCELLED_BEFORE_STARTED : SubtaskState.CANCELLED_BEFORE_RETURNED, []);
        return;
      }
      const flatResults = lowerFlatValues(cx, MAX_FLAT_RESULTS, result, results, flatArgs, 'result');
      subtask.resolve(SubtaskState.RETURNED, flatResults);
    };
    const deliver = (): Value[] => {
      subtask.deliverResolve(inst.tracing ? (h) => inst.emit({
        kind: 'handle', op: 'return-lend', index: -1, resource: h.rt.name ?? `resource#${h.rt.id}`, rep: h.rep, own: h.own, instance: inst.name,
        text: `${inst.name}: the lend of ${h.rt.name ?? 'a resource'} rep ${h.rep} ends with the call (lends: ${h.numLends})`,
      }) : undefined);
      return subtask.flatResults;
    };
    // May this call suspend? Only when a driven thread (callComponentFuncAsync)
    // called this function itself.
    const thread = drivenThreads.size === 0 ? null : currentThread();
    if (thread === null || !drivenThreads.has(thread) || thread.hostCallee !== lowered) {
      if (suspendSlot === null) {
        subtask.onCancel = callee.invoke(onStart, onResolve, inst);
      } else {
        // A synchronous call nested in one that may suspend: it may not.
        const outer = suspendSlot;
        suspendSlot = null;
        try {
          subtask.onCancel = callee.invoke(onStart, onResolve, inst);
        } finally {
          suspendSlot = outer;
        }
      }
      if (subtask.resolved()) return deliver();
      // The callee blocked (an async function): wait for its result, which
      // suspends the calling core code when it can be (thread.ts).
      return runBuiltin((function* () {
        const t = currentSpecThread();
        if (t === null) trap(CanonTrap.cannotBlockSync);
        yield* t.waitUntil(() => subtask.resolved());
        return deliver();
      })());
    }
    const slot: SuspendSlot = { wait: null, then: null };
    const outer = suspendSlot;
    suspendSlot = slot;
    try {
      callee.invoke(onStart, onResolve, inst);
    } finally {
      suspendSlot = outer;
    }
    if (subtask.resolved()) return deliver();
    if (slot.wait === null) trap(CanonTrap.cannotBlockSync);
    const then = slot.then!;
    suspensions.set(thread, {
      wait: slot.wait,
      finish(ok, value) {
        if (!ok) throw value;
        then(value);
        if (!subtask.resolved()) trap(CanonTrap.cannotBlockSync);
        return deliver();
      },
    });
    return SUSPEND;
  }, name);
  return lowered;
}

/** The core type `canonLift` expects of its callee (for checks at instantiation). */
export function liftedCoreType(ft: FuncType, opts: CanonicalOptions) {
  return toCoreFuncType(flattenFunctype(opts, ft, 'lift'));
}

/** The core type of the function `canonLower` produces. */
export function loweredCoreType(ft: FuncType, opts: CanonicalOptions) {
  return toCoreFuncType(flattenFunctype(opts, ft, 'lower'));
}

