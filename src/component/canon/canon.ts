// `canon lift` and `canon lower` (CanonicalABI.md "canon lift", "canon
// lower", and the Store.lift / Store.lower wrappers of "Embedding"), for
// synchronous calls.
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
import { Trap } from '../../core/runtime/errors.js';
import type { FuncType, ValType } from '../syntax/types.js';
import {
  checkMayLeave, ComponentInstance, LiftLowerContext, Subtask, SubtaskState, Task,
  type CanonicalOptions, type OnCancel, type OnResolve, type OnStart,
} from './context.js';
import { flattenFunctype, MAX_FLAT_PARAMS, MAX_FLAT_RESULTS, paramTypes, resultTypes, toCoreFuncType } from './flatten.js';
import { CoreValueIter, liftFlatValues, lowerFlatValues } from './lift-lower.js';
import { CanonTrap, trap } from './traps.js';
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
}

/** Calls a component function synchronously: arguments in, result list out. */
export function callComponentFunc(f: ComponentFunc, args: readonly ComponentValue[], caller: ComponentInstance | null = null): ComponentValue[] {
  let result: ComponentValue[] | null = null;
  f.invoke(() => [...args], (r) => { result = r; }, caller);
  if (result === null) trap(CanonTrap.cannotBlockSync);
  return result;
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
  if (opts.async) throw new Error('canonLift: async lifting needs the async canonical ABI engine');
  const params = paramTypes(ft);
  const results = resultTypes(ft);
  return {
    type: ft,
    name,
    acceptsStringHints: true,
    invoke(onStart: OnStart, onResolve: OnResolve, caller: ComponentInstance | null): OnCancel | null {
      if (!inst.mayEnterFrom(caller)) trap(CanonTrap.cannotEnter);
      inst.enterFrom(caller);
      if (inst.tracing) inst.emit({ kind: 'call', phase: 'enter', func: name, text: `${caller ? caller.name : 'host'} calls ${inst.name}.${name}` });

      try {
        runLifted(callee, ft, opts, inst, caller, onStart, onResolve, name, params, results);
      } catch (e) {
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
      inst.leaveTo(caller);
      return null;
    },
  };
}

/** The body of canon_lift for a synchronous call, between entering and leaving `inst`. */
function runLifted(
  callee: FuncInst, ft: FuncType, opts: CanonicalOptions, inst: ComponentInstance, caller: ComponentInstance | null,
  onStart: OnStart, onResolve: OnResolve, name: string, params: ValType[], results: ValType[],
): void {
  const task = new Task(ft, opts, inst, onStart, onResolve);
  const peer = caller === null ? 'host' : 'component';
  const cx = new LiftLowerContext(opts, inst, task, peer, caller !== null);
  const args = task.start();
  const flatArgs = lowerFlatValues(cx, MAX_FLAT_PARAMS, args, params, null, 'param');
  const flatResults = callee.call(flatArgs);
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
  if (opts.async) throw new Error('canonLower: async lowering needs the async canonical ABI engine');
  const params = paramTypes(ft);
  const results = resultTypes(ft);
  const coreType = toCoreFuncType(flattenFunctype(opts, ft, 'lower'));
  return new HostFunc(coreType, (args: Value[]): Value[] => {
    checkMayLeave(inst);
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
    callee.invoke(onStart, onResolve, inst);
    if (!subtask.resolved()) trap(CanonTrap.cannotBlockSync);
    subtask.deliverResolve(inst.tracing ? (h) => inst.emit({
      kind: 'handle', op: 'return-lend', index: -1, resource: h.rt.name ?? `resource#${h.rt.id}`, rep: h.rep, own: h.own, instance: inst.name,
      text: `${inst.name}: the lend of ${h.rt.name ?? 'a resource'} rep ${h.rep} ends with the call (lends: ${h.numLends})`,
    }) : undefined);
    return subtask.flatResults;
  }, name);
}

/** The core type `canonLift` expects of its callee (for checks at instantiation). */
export function liftedCoreType(ft: FuncType, opts: CanonicalOptions) {
  return toCoreFuncType(flattenFunctype(opts, ft, 'lift'));
}

/** The core type of the function `canonLower` produces. */
export function loweredCoreType(ft: FuncType, opts: CanonicalOptions) {
  return toCoreFuncType(flattenFunctype(opts, ft, 'lower'));
}

