// `canon lower` with the `async` option (CanonicalABI.md "canon lower",
// definitions.py canon_lower's async branch): the core caller gets back at
// once either RETURNED (the callee finished during the call) or the
// subtask's state with its new handle index packed above it; the subtask
// then reports its progress (STARTED, RETURNED, cancelled) as events.

import { HostFunc } from '../../core/runtime/func.js';
import type { Value } from '../../core/runtime/values.js';
import type { FuncType } from '../syntax/types.js';
import type { ComponentFunc } from './canon.js';
import { checkMayLeave, LiftLowerContext, type CanonicalOptions, type ComponentInstance, type OnResolve, type OnStart } from './context.js';
import { flattenFunctype, MAX_FLAT_ASYNC_PARAMS, paramTypes, resultTypes, toCoreFuncType } from './flatten.js';
import { CoreValueIter, liftFlatValues, lowerFlatValues } from './lift-lower.js';
import { Subtask, SubtaskState } from './subtask.js';
import { EventCode } from './waitable.js';
import { currentThread, runBuiltin, type Co } from './thread.js';

export function canonLowerAsync(callee: ComponentFunc, ft: FuncType, opts: CanonicalOptions, inst: ComponentInstance, name: string): HostFunc {
  const params = paramTypes(ft);
  const results = resultTypes(ft);
  const coreType = toCoreFuncType(flattenFunctype(opts, ft, 'lower'));
  return new HostFunc(coreType, (args: Value[]): Value[] => runBuiltin(asyncLowerCall(args)), name);

  function* asyncLowerCall(args: Value[]): Co<Value[]> {
    checkMayLeave(inst);
    const flatArgs = new CoreValueIter(args);
    const subtask = new Subtask();
    const hints = callee.acceptsStringHints;
    const cx = new LiftLowerContext(opts, inst, subtask, hints ? 'component' : 'host', hints);
    let maybeOnProgress = (): void => {};
    const onStart: OnStart = () => {
      maybeOnProgress();
      subtask.state = SubtaskState.STARTED;
      return liftFlatValues(cx, MAX_FLAT_ASYNC_PARAMS, flatArgs, params, 'param');
    };
    const onResolve: OnResolve = (result) => {
      maybeOnProgress();
      if (result === null) {
        subtask.resolve(subtask.state === SubtaskState.STARTING ? SubtaskState.CANCELLED_BEFORE_STARTED : SubtaskState.CANCELLED_BEFORE_RETURNED, []);
        return;
      }
      const flatResults = lowerFlatValues(cx, 0, result, results, flatArgs, 'result');
      subtask.resolve(SubtaskState.RETURNED, flatResults);
    };
    const t = currentThread();
    subtask.onCancel = yield* callee.invoke(onStart, onResolve, inst);
    // A host function that answered with a Promise (host-wait.ts): nobody
    // waits for it here; the event loop resolves the subtask when it settles.
    if (t !== null && t.pendingHostWait !== null) {
      t.pendingHostWait.detached = true;
      t.pendingHostWait.caller = inst;
      t.pendingHostWait = null;
      if (inst.tracing) inst.emit({ kind: 'async', what: 'subtask', op: 'host-promise', text: `${inst.name}: host function ${name} answered with a Promise: the event loop resolves the subtask when it settles` });
    }
    if (subtask.resolved()) {
      subtask.deliverResolve();
      return [SubtaskState.RETURNED];
    }
    const subtaski = inst.handles.add(subtask);
    maybeOnProgress = () => {
      subtask.setPendingEvent(() => {
        if (subtask.resolved()) subtask.deliverResolve();
        return [EventCode.SUBTASK, subtaski, subtask.state];
      });
    };
    if (inst.tracing) inst.emit({ kind: 'async', what: 'subtask', op: 'new', text: `${inst.name}: async call of ${name} did not finish: subtask ${subtaski} (${SubtaskState[subtask.state]})` });
    return [subtask.state | (subtaski << 4)];
  }
}
