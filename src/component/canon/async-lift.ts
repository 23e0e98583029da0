// `canon lift` of an async function type (CanonicalABI.md "canon lift",
// definitions.py canon_lift with Store.lift around it): the call runs as a
// Thread of a new Task, which may block — waiting for backpressure before
// it starts, in a callback loop between calls of its `callback`, or, when
// lifted without `async` or without a callback, inside its core code (on
// the interpreter; see thread.ts). The call returns to its caller as soon
// as the thread first blocks; the result reaches the caller later through
// on_resolve (task.return).

import type { FuncInst } from '../../core/runtime/func.js';
import type { Value } from '../../core/runtime/values.js';
import type { FuncType, ValType } from '../syntax/types.js';
import type { ComponentFunc } from './canon.js';
import { LiftLowerContext, type CanonicalOptions, type ComponentInstance, type OnCancel, type OnResolve, type OnStart } from './context.js';
import { MAX_FLAT_PARAMS, MAX_FLAT_RESULTS, paramTypes, resultTypes } from './flatten.js';
import { CoreValueIter, liftFlatValues, lowerFlatValues } from './lift-lower.js';
import { Task, TaskState } from './task.js';
import { Thread, type Co, type Wait } from './thread.js';
import { CanonTrap, trap } from './traps.js';
import { EventCode, type EventTuple } from './waitable.js';
import { WaitableSet } from './waitable-set.js';

export enum CallbackCode {
  EXIT = 0,
  YIELD = 1,
  WAIT = 2,
}

/** definitions.py CallbackCode.MAX (kept out of the enum, whose names traces print). */
const MAX_CALLBACK_CODE = 2;

function unpackCallbackResult(packed: number): [CallbackCode, number] {
  const code = packed & 0xf;
  if (code > MAX_CALLBACK_CODE) trap('unsupported callback code');
  return [code as CallbackCode, packed >>> 4];
}

export function canonLiftAsync(callee: FuncInst, ft: FuncType, opts: CanonicalOptions, inst: ComponentInstance, name: string): ComponentFunc {
  const params = paramTypes(ft);
  const results = resultTypes(ft);
  return {
    type: ft,
    name,
    acceptsStringHints: true,
    store: inst.store,
    *invoke(onStart: OnStart, onResolve: OnResolve, caller: ComponentInstance | null): Wait<OnCancel | null> {
      if (!inst.mayEnterFrom(caller)) trap(CanonTrap.cannotEnter);
      inst.enterFrom(caller);
      if (inst.tracing) inst.emit({ kind: 'call', phase: 'enter', func: name, text: `${caller ? caller.name : 'host'} calls ${inst.name}.${name} (async: a new task)` });
      const task = new Task(ft, opts, inst, onStart, onResolve);
      task.callerIsHost = caller === null;
      const thread = new Thread(task, (t) => asyncLiftThread(t, task, callee, opts, inst, caller, name, params, results));
      yield* thread.resumeCo();
      if (inst.tracing) inst.emit({ kind: 'async', what: 'task', op: task.state === TaskState.RESOLVED ? 'returned' : 'blocked', text: `${inst.name}.${name}: ${task.state === TaskState.RESOLVED ? 'the task returned its value' : 'the task blocked before returning; the caller goes on'}` });
      inst.leaveTo(caller);
      return (c) => task.requestCancellation(c);
    },
  };
}

/**
 * The implicit thread of an async-typed lift's task (definitions.py
 * canon_lift's thread_func): a top-level generator, not one made per call
 * (canon.ts, above syncLiftThread, says why).
 */
function* asyncLiftThread(
  thread: Thread, task: Task, callee: FuncInst, opts: CanonicalOptions, inst: ComponentInstance, caller: ComponentInstance | null,
  name: string, params: readonly ValType[], results: readonly ValType[],
): Co<void> {
  if (!(yield* task.enterImplicitThread())) return;
  const cx = new LiftLowerContext(opts, inst, task, caller === null ? 'host' : 'component', caller !== null);
  const args = task.start();
  if (inst.tracing) inst.emit({ kind: 'async', what: 'task', op: 'start', text: `${inst.name}.${name}: task started (${opts.async ? (opts.callback ? 'async, callback' : 'async, stackful') : 'sync lift of an async type'})` });
  const flatArgs = lowerFlatValues(cx, MAX_FLAT_PARAMS, args, params, null, 'param');
  if (!opts.async) {
    const flatResults = yield* thread.callCore(callee, flatArgs);
    const result = liftFlatValues(cx, MAX_FLAT_RESULTS, new CoreValueIter(flatResults), results, 'result');
    task.return_(result);
    if (opts.postReturn !== null) {
      inst.mayLeave = false;
      yield* thread.callCore(opts.postReturn, flatResults);
      inst.mayLeave = true;
    }
    task.exitImplicitThread();
    return;
  }
  if (opts.callback === null) {
    yield* thread.callCore(callee, flatArgs);
    task.exitImplicitThread();
    return;
  }
  let [code, si] = unpackCallbackResult((yield* thread.callCore(callee, flatArgs))[0] as number);
  if (inst.tracing) inst.emit({ kind: 'async', what: 'task', op: 'callback-code', text: `${inst.name}.${name}: returned ${CallbackCode[code]}${code === CallbackCode.WAIT ? ` on waitable set ${si}` : ''}` });
  while (code !== CallbackCode.EXIT) {
    inst.exclusiveThread = null;
    let event: EventTuple;
    if (code === CallbackCode.YIELD) {
      const cancelled = yield* thread.waitUntil(() => inst.exclusiveThread === null, true, true);
      event = cancelled ? [EventCode.TASK_CANCELLED, 0, 0] : [EventCode.NONE, 0, 0];
    } else {
      const wset = inst.handles.get(si);
      if (!(wset instanceof WaitableSet)) trap(`handle index ${si} is not a waitable set`);
      event = yield* wset.waitForEventAnd(() => inst.exclusiveThread === null, true);
    }
    inst.exclusiveThread = thread;
    if (inst.tracing) inst.emit({ kind: 'call', phase: 'enter', func: name, text: `${inst.name}.${name}: callback(event ${EventCode[event[0]]}, ${event[1]}, ${event[2]})` });
    const args: Value[] = [event[0], event[1] | 0, event[2] | 0];
    [code, si] = unpackCallbackResult((yield* thread.callCore(opts.callback, args))[0] as number);
    if (inst.tracing) inst.emit({ kind: 'async', what: 'task', op: 'callback-code', text: `${inst.name}.${name}: callback returned ${CallbackCode[code]}${code === CallbackCode.WAIT ? ` on waitable set ${si}` : ''}` });
  }
  task.exitImplicitThread();
}
