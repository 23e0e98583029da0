// `canon lift` and `canon lower` (CanonicalABI.md "canon lift", "canon
// lower", and the Store.lift / Store.lower wrappers of "Embedding") for
// function types without `async` (async-lift.ts and async-lower.ts do the
// rest). Each call runs as a Task with an implicit spec Thread (thread.ts),
// so it may switch threads; plus the embedder's stackful waiting: in a call
// started with callComponentFuncAsync, a lowered host import may make the
// calling thread wait while the host awaits a Promise (host-wait.ts).
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
import { Trap } from '../../core/errors.js';
import { resourceName, type FuncType, type ValType } from '../syntax/types.js';
import {
  checkMayLeave, ComponentInstance, LiftLowerContext, Subtask, SubtaskState, Task, TaskState,
  type CanonicalOptions, type OnCancel, type OnResolve, type OnStart,
} from './context.js';
import { flattenFunctype, MAX_FLAT_PARAMS, MAX_FLAT_RESULTS, paramTypes, resultTypes, toCoreFuncType } from './flatten.js';
import { CoreValueIter, liftFlatValues, lowerFlatValues } from './lift-lower.js';
import { CanonTrap, trap, trapOnThrow } from './traps.js';
import { canonLiftAsync } from './async-lift.js';
import { anotherThreadReady, awaitHostWaits, DEADLOCK, deliverHostResults, runUntilCo } from './event-loop.js';
import { canonLowerAsync } from './async-lower.js';
import { currentThread as currentSpecThread, driveAsync, driveSync, NEEDS_JSPI, runBuiltin, Thread as SpecThread, type Co, type Wait } from './thread.js';
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
   * the call completed synchronously. A generator, since core code it runs
   * may have to wait for its engine (thread.ts EngineWait).
   */
  invoke(onStart: OnStart, onResolve: OnResolve, caller: ComponentInstance | null): Wait<OnCancel | null>;
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
  return driveSync(callCo(f, args, caller));
}

/**
 * Calls a component function from the host, awaiting what its core code
 * waits for: Promises returned by host imports it calls through `canon
 * lower` (the embedder's stackful waiting, as in wasmtime's async support;
 * host-wait.ts), and, on the native engine with JS Promise Integration,
 * its own frames going on after a block (thread.ts). A call that waits for
 * nothing runs as callComponentFunc does, inside one `step`; otherwise each
 * synchronous stretch runs inside a `step`.
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
  return driveAsync(callCo(f, args, caller), step);
}

/** The host's call: invoke, then, until the result arrives, the store's event loop. */
function* callCo(f: ComponentFunc, args: readonly ComponentValue[], caller: ComponentInstance | null): Wait<ComponentValue[]> {
  let result: ComponentValue[] | null = null;
  yield* f.invoke(() => [...args], (r) => { result = r; }, caller);
  if (result === null) {
    if (f.store === undefined || caller !== null) trap(CanonTrap.cannotBlockSync);
    yield* runUntilCo(f.store, () => result !== null);
  }
  return result!;
}

export { suspendHostCall } from './host-wait.js';

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
    *invoke(onStart, onResolve) {
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
    *invoke(onStart: OnStart, onResolve: OnResolve, caller: ComponentInstance | null): Wait<OnCancel | null> {
      enterLifted(inst, caller, name);
      try {
        const thread = syncLiftThreadOf(callee, ft, opts, inst, caller, onStart, onResolve, name, params, results);
        yield* thread.resumeCo();
        // Usually the thread ran to its end: no loop (and no generator) to start.
        if (thread.task.state !== TaskState.RESOLVED) yield* runUntilResolved(thread.task, inst);
      } catch (e) {
        failLifted(e, inst, caller);
      }
      inst.leaveTo(caller);
      return null;
    },
  };
  return f;
}

/**
 * A synchronous lift's Task and its implicit thread (definitions.py
 * canon_lift's thread_func for a lift without `async`), not yet started:
 * the caller runs it at once, and usually to the end. (A plain function,
 * not a generator: one generator fewer per call.)
 */
function syncLiftThreadOf(
  callee: FuncInst, ft: FuncType, opts: CanonicalOptions, inst: ComponentInstance, caller: ComponentInstance | null,
  onStart: OnStart, onResolve: OnResolve, name: string, params: readonly ValType[], results: readonly ValType[],
): SpecThread {
  const task = new Task(ft, opts, inst, onStart, onResolve);
  task.callerIsHost = caller === null;
  return new SpecThread(task, (t) => syncLiftThread(t, task, callee, opts, inst, caller, name, params, results));
}

// Why the generators a call runs are top-level functions, never `function*`
// expressions made per call: V8 gives each generator closure that is called
// an initial map of its own, allocated in the old generation and pointing
// back at the closure, so every such call left an old object reaching the
// closure's context (its task, arguments, results) until the next full GC:
// garbage that minor GCs copied and promoted, call after call (measured on
// plain JS too: docs/performance.md, "Canonical ABI", session 12).

/** The implicit thread of a synchronous lift (syncLiftThreadOf). */
function* syncLiftThread(
  t: SpecThread, task: Task, callee: FuncInst, opts: CanonicalOptions, inst: ComponentInstance, caller: ComponentInstance | null,
  name: string, params: readonly ValType[], results: readonly ValType[],
): Co<void> {
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
}

/**
 * Whether a synchronous call in progress may resume `t`: not the implicit
 * thread of an async-typed task that needs the instance exclusively (a
 * callback or sync lift), whose stack use would interleave with the call's
 * (definitions.py excludes the instance's exclusive_thread; the suite,
 * during-sync-call-no-exclusive-resume.wast, every such thread).
 */
function mayRunDuringSyncCall(t: SpecThread): boolean {
  const task = t.task;
  if (t === task.inst.exclusiveThread) return false;
  return !(t === task.implicitThread && task.ft.async && task.needsExclusive());
}

/**
 * The end of canon_lift for a function type without `async`: while the
 * task has not returned (its thread switched away or waits), run the
 * instance's other ready threads. None ready: await host Promises that
 * threads wait for (host-wait.ts), else the trap.
 */
function* runUntilResolved(task: Task, inst: ComponentInstance): Wait<void> {
  while (task.state !== TaskState.RESOLVED) {
    let next: SpecThread | null = null;
    for (const other of inst.threads) {
      if (mayRunDuringSyncCall(other) && other.waiting() && other.ready()) { next = other; break; }
    }
    if (next !== null) {
      yield* next.resumeCo();
      continue;
    }
    if (deliverHostResults(inst.store)) continue;
    const hostWait = awaitHostWaits(inst.store);
    if (hostWait !== null) {
      yield hostWait;
      continue;
    }
    // Nothing can run: wasmtime's words for a stuck event loop.
    trap(DEADLOCK);
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
  // A core exception leaving the callee, its realloc or its post-return traps.
  e = trapOnThrow(e);
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
    // A synchronous call of an async function may block: a task that may
    // not block makes it only while another thread of the store is ready
    // to run in its stead (the suite's rule: during-sync-call-*.wast).
    if (ft.async) {
      const t = currentSpecThread();
      if (t === null || !(t.task.mayBlock() || anotherThreadReady(inst.store, t))) trap(CanonTrap.cannotBlockSync);
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
        kind: 'handle', op: 'return-lend', index: -1, resource: resourceName(h.rt), rep: h.rep, own: h.own, instance: inst.name,
        text: `${inst.name}: the lend of ${h.rt.name ?? 'a resource'} rep ${h.rep} ends with the call (lends: ${h.numLends})`,
      }) : undefined);
      return subtask.flatResults;
    };
    return runBuiltin(lowerCall(callee, inst, subtask, onStart, onResolve, deliver, name));
  }, name);
  return lowered;
}

/** The rest of a synchronous canon lower's call (canonLower), from the callee's start. */
function* lowerCall(
  callee: ComponentFunc, inst: ComponentInstance, subtask: Subtask, onStart: OnStart, onResolve: OnResolve, deliver: () => Value[], name: string,
): Co<Value[]> {
  subtask.onCancel = yield* callee.invoke(onStart, onResolve, inst);
  if (subtask.resolved()) return deliver();
  // The callee has not answered: an async function blocked, or a host
  // function waits for a Promise (host-wait.ts). The calling thread waits
  // for it, which suspends its core code when that can be (thread.ts).
  const t = currentSpecThread();
  const w = t?.pendingHostWait ?? null;
  if (t !== null) t.pendingHostWait = null;
  if (t === null) trap(CanonTrap.cannotBlockSync);
  if (w !== null) {
    if (!t.canBlockHere()) {
      inst.store.hostWaits.delete(w);
      throw new Trap(`host function \`${name}\` returned a Promise, but it was called from core wasm that cannot wait for it: ${NEEDS_JSPI}`);
    }
    if (inst.tracing) inst.emit({ kind: 'async', what: 'thread', op: 'host-wait', text: `${inst.name}: host function ${name} answered with a Promise: the calling thread waits for it` });
    yield* t.waitUntil(() => w.settled);
    inst.store.hostWaits.delete(w);
    if (!w.ok) throw w.value;
    w.then(w.value);
    if (!subtask.resolved()) trap(CanonTrap.cannotBlockSync);
    return deliver();
  }
  yield* t.waitUntil(() => subtask.resolved());
  return deliver();
}

