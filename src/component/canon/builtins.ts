// The built-ins of the async canonical ABI as core functions (CanonicalABI.md
// "Canonical Built-ins"; definitions.py canon_task_return, canon_waitable_*,
// canon_subtask_*, canon_context_*, canon_backpressure_*, canon_thread_*),
// made once per `canon` definition by the instantiation walk. Streams and
// futures are in copy.ts, error contexts in error-context.ts.

import { HostFunc, type FuncInst } from '../../core/runtime/func.js';
import type { MemoryInst } from '../../core/runtime/memory.js';
import type { TableInst } from '../../core/runtime/table.js';
import type { Value } from '../../core/runtime/values.js';
import type { CoreFuncType } from '../syntax/ast.js';
import { sameFuncType } from '../../core/syntax/reftypes.js';
import type { CanonKind } from '../syntax/ast.js';
import type { FuncType, ValType } from '../syntax/types.js';
import { checkMayLeave, canonicalOptions, LiftLowerContext, type CanonicalOptions, type ComponentInstance } from './context.js';
import { cancelCopy, dropEnd, futureCopy, futureNew, streamCopy, streamNew, BLOCKED } from './copy.js';
import { samePayloadType } from './buffer.js';
import { anotherThreadReady } from './event-loop.js';
import { errorContextDebugMessage, errorContextDrop, errorContextNew } from './error-context.js';
import { MAX_FLAT_PARAMS, resultTypes } from './flatten.js';
import { CoreValueIter, liftFlatValues } from './lift-lower.js';
import { storeInt } from './load-store.js';
import { Subtask } from './subtask.js';
import { Task } from './task.js';
import { currentThread, EngineWait, isSuspendMarker, runBuiltin, Thread, type Co } from './thread.js';
import { CanonTrap, trap } from './traps.js';
import { EventCode, Waitable, type EventTuple } from './waitable.js';
import { WaitableSet } from './waitable-set.js';

/** What one `canon` built-in definition supplies, resolved by the instantiation walk. */
export interface BuiltinDef {
  kind: CanonKind;
  inst: ComponentInstance;
  /** Its core type (from the validator's typing of `canon`). */
  type: CoreFuncType;
  opts: CanonicalOptions;
  /** stream/future built-ins: the element type (null: none). */
  payload: ValType | null;
  /** task.return: the result type (null: none). */
  result: ValType | null;
  cancellable: boolean;
  async: boolean;
  /** waitable-set.wait/poll. */
  memory: MemoryInst | null;
  /** thread.new-indirect. */
  table: TableInst | null;
  funcType: CoreFuncType | null;
  slot: number;
}

const SYNC_FT: FuncType = { kind: 'func', async: false, params: [], result: null };
const noTask = new WeakMap<ComponentInstance, Thread>();

/**
 * The running thread. Core code that runs outside any call (a core start
 * function during instantiation) gets a synchronous stand-in, which traps
 * when it would block, as wasmtime does.
 */
function thisThread(inst: ComponentInstance): Thread {
  const t = currentThread();
  if (t !== null) return t;
  let s = noTask.get(inst);
  if (s === undefined) {
    s = new Thread(new Task(SYNC_FT, canonicalOptions(), inst, () => [], () => {}, true), null);
    noTask.set(inst, s);
  }
  return s;
}

export function makeBuiltin(d: BuiltinDef): HostFunc {
  const body = builtinBody(d);
  const inst = d.inst;
  return new HostFunc({ params: [...d.type.params], results: [...d.type.results] }, (args) => {
    if (!inst.tracing) return runBuiltin(body(args));
    const call = `${d.kind}(${args.map(String).join(', ')})`;
    const r = runBuiltin(tracedBody(inst, call, body(args)));
    if (!isSuspendMarker(r)) inst.emit({ kind: 'async', what: 'builtin', op: d.kind, text: `${inst.name}: ${call} returned [${r.map(String).join(', ')}]` });
    return r;
  }, d.kind);
}

/** For traces: a built-in that blocks says so, and says when it goes on. */
function tracedBody(inst: ComponentInstance, call: string, body: Value[] | Co<Value[]>): Value[] | Co<Value[]> {
  if (Array.isArray(body)) return body;
  return tracedCo(inst, call, body);
}

/** tracedBody's blocking body: a top-level generator, not one made per call (canon.ts, above syncLiftThread, says why). */
function* tracedCo(inst: ComponentInstance, call: string, gen: Co<Value[]>): Co<Value[]> {
  let r = gen.next(false);
  while (!r.done) {
    if (r.value instanceof EngineWait) {
      r = gen.next(yield r.value);
      continue;
    }
    inst.emit({ kind: 'async', what: 'thread', op: 'block', text: `${inst.name}: ${call} blocks the current thread${r.value ? ` (switching to thread ${r.value.index})` : ''}` });
    const cancelled: boolean = yield r.value;
    inst.emit({ kind: 'async', what: 'thread', op: 'resume', text: `${inst.name}: ${call} goes on${cancelled ? ' (cancelled)' : ''}` });
    r = gen.next(cancelled);
  }
  return r.value;
}

type Body = (args: Value[]) => Value[] | Co<Value[]>;

function builtinBody(d: BuiltinDef): Body {
  const inst = d.inst;
  switch (d.kind) {
    case 'context.get': return () => [thisThread(inst).storage[d.slot]!];
    case 'context.set': return ([v]) => { thisThread(inst).storage[d.slot] = v as number; return []; };
    case 'backpressure.inc': return () => {
      inst.backpressure += 1;
      if (inst.backpressure >= 2 ** 16) trap('backpressure counter overflow');
      return [];
    };
    case 'backpressure.dec': return () => {
      inst.backpressure -= 1;
      if (inst.backpressure < 0) trap('backpressure counter underflow');
      return [];
    };
    case 'task.return': return (args) => taskReturn(d, args);
    case 'task.cancel': return () => {
      checkMayLeave(inst);
      const task = thisThread(inst).task;
      if (!task.opts.async) trap('task.cancel called by a task not lifted with the `async` option');
      task.cancel();
      return [];
    };
    case 'waitable-set.new': return () => { checkMayLeave(inst); return [inst.handles.add(new WaitableSet())]; };
    case 'waitable-set.wait': return ([si, ptr]) => waitableSetWait(d, si as number, ptr as number);
    case 'waitable-set.poll': return ([si, ptr]) => {
      checkMayLeave(inst);
      const wset = getWaitableSet(inst, si as number);
      thisThread(inst);
      return unpackEvent(d, ptr as number, wset.poll(d.cancellable));
    };
    case 'waitable-set.drop': return ([si]) => {
      checkMayLeave(inst);
      const wset = inst.handles.get(si as number);
      if (!(wset instanceof WaitableSet)) trap(`handle index ${(si as number) >>> 0} is not a waitable set`);
      wset.drop();
      inst.handles.remove(si as number);
      return [];
    };
    case 'waitable.join': return ([wi, si]) => {
      checkMayLeave(inst);
      const w = inst.handles.get(wi as number);
      if (!(w instanceof Waitable)) trap(`handle index ${(wi as number) >>> 0} is not a waitable`);
      if (w.hasSyncWaiter) trap('waitable cannot be used synchronously while added to a waitable set');
      w.join(si === 0 ? null : getWaitableSet(inst, si as number));
      return [];
    };
    case 'subtask.cancel': return ([i]) => subtaskCancel(d, i as number);
    case 'subtask.drop': return ([i]) => {
      checkMayLeave(inst);
      const s = inst.handles.get(i as number);
      if (!(s instanceof Subtask)) trap(`handle index ${(i as number) >>> 0} is not a subtask`);
      s.drop();
      inst.handles.remove(i as number);
      return [];
    };
    case 'stream.new': return () => streamNew(inst, d.payload);
    case 'future.new': return () => futureNew(inst, d.payload);
    case 'stream.read': case 'stream.write': return ([i, ptr, n]) => {
      checkMayLeave(inst);
      if (!d.opts.async) checkMayBlock(inst);
      return streamCopy(d.kind === 'stream.read', inst, d.payload, d.opts, i as number, ptr as number, n as number);
    };
    case 'future.read': case 'future.write': return ([i, ptr]) => {
      checkMayLeave(inst);
      if (!d.opts.async) checkMayBlock(inst);
      return futureCopy(d.kind === 'future.read', inst, d.payload, d.opts, i as number, ptr as number);
    };
    case 'stream.cancel-read': case 'stream.cancel-write': case 'future.cancel-read': case 'future.cancel-write': return ([i]) => {
      checkMayLeave(inst);
      if (!d.async) checkMayBlock(inst);
      return cancelCopy(d.kind.startsWith('stream') ? 'stream' : 'future', d.kind.endsWith('read'), inst, d.payload, d.async, i as number);
    };
    case 'stream.drop-readable': case 'stream.drop-writable': case 'future.drop-readable': case 'future.drop-writable':
      return ([i]) => dropEnd(d.kind.startsWith('stream') ? 'stream' : 'future', d.kind.endsWith('readable'), inst, d.payload, i as number);
    case 'error-context.new': return ([ptr, units]) => errorContextNew(inst, d.opts, ptr as number, units as number);
    case 'error-context.debug-message': return ([i, ptr]) => errorContextDebugMessage(inst, d.opts, i as number, ptr as number);
    case 'error-context.drop': return ([i]) => errorContextDrop(inst, i as number);
    case 'thread.index': return () => {
      checkMayLeave(inst);
      const t = thisThread(inst);
      if (t.index === null) trap('the current thread has no index');
      return [t.index];
    };
    case 'thread.new-indirect': return ([fi, c]) => threadNewIndirect(d, fi as number, c as number);
    case 'thread.resume-later': return ([i]) => {
      checkMayLeave(inst);
      const other = getThread(inst, i as number);
      if (!other.suspended()) trap('thread.resume-later: the thread is not suspended');
      other.resumeLater();
      return [];
    };
    case 'thread.suspend': return () => { checkMayLeave(inst); checkMayBlock(inst); return threadOp(d, (t) => t.suspend(d.cancellable)); };
    // A task that may not block yields to nobody (definitions.py yield_until).
    case 'thread.yield': return () => { checkMayLeave(inst); return thisThread(inst).task.mayBlock() ? threadOp(d, (t) => t.yield_(d.cancellable)) : [0]; };
    case 'thread.suspend-then-resume': case 'thread.yield-then-resume': return ([i]) => threadOp(d, (t) => {
      const other = getThread(inst, i as number);
      if (!other.suspended()) trap(`${d.kind}: the thread is not suspended`);
      return d.kind === 'thread.suspend-then-resume' ? t.suspendThenResume(d.cancellable, other) : t.yieldThenResume(d.cancellable, other);
    });
    case 'thread.suspend-then-promote': case 'thread.yield-then-promote': return ([i]) => threadOp(d, (t) => {
      const other = getThread(inst, i as number);
      return d.kind === 'thread.suspend-then-promote' ? t.suspendThenPromote(d.cancellable, other) : t.yieldThenPromote(d.cancellable, other);
    });
    case 'thread.available-parallelism': return () => [1];
    case 'thread.spawn-ref': case 'thread.spawn-indirect':
      // The deterministic profile (which cmr follows) spawns nothing.
      return () => { checkMayLeave(inst); return [0]; };
    case 'lift': case 'lower': case 'resource.new': case 'resource.drop': case 'resource.rep':
      throw new Error(`canon ${d.kind} is not a built-in of the async ABI`);
  }
}

/**
 * Traps unless the current thread may block: its task may (Task.mayBlock),
 * or another thread of the store is ready to run in its stead (the
 * suite's rule, during-sync-call-*.wast; whether that thread may actually
 * run during a synchronous call is canon.ts runUntilResolved's business).
 */
function checkMayBlock(inst: ComponentInstance): void {
  const t = thisThread(inst);
  if (t.task.mayBlock()) return;
  if (!anotherThreadReady(inst.store, t)) trap(CanonTrap.cannotBlockSync);
}

function getWaitableSet(inst: ComponentInstance, si: number): WaitableSet {
  const wset = inst.handles.get(si);
  if (!(wset instanceof WaitableSet)) trap(`handle index ${si >>> 0} is not a waitable set`);
  return wset;
}

function getThread(inst: ComponentInstance, i: number): Thread {
  return inst.threads.get(i);
}

/** definitions.py unpack_event: the payloads go to memory at ptr, the code is returned. */
function unpackEvent(d: BuiltinDef, ptr: number, [code, p1, p2]: EventTuple): Value[] {
  const cx = new LiftLowerContext(canonicalOptions({ memory: d.memory }), d.inst);
  const p = ptr >>> 0;
  if (p % 4 !== 0) trap(CanonTrap.unalignedPointer);
  if (p + 8 > cx.memory.u8.length) trap('pointer out of bounds of memory');
  storeInt(cx, p1 >>> 0, p, 4);
  storeInt(cx, p2 >>> 0, p + 4, 4);
  return [code];
}

function* waitableSetWait(d: BuiltinDef, si: number, ptr: number): Co<Value[]> {
  checkMayLeave(d.inst);
  checkMayBlock(d.inst);
  const wset = getWaitableSet(d.inst, si);
  const event = yield* wset.waitForEvent(d.cancellable);
  return unpackEvent(d, ptr, event);
}

function taskReturn(d: BuiltinDef, args: Value[]): Value[] {
  checkMayLeave(d.inst);
  const task = thisThread(d.inst).task;
  if (!task.opts.async) trap('invalid `task.return` signature and/or options for current task');
  if (!samePayloadType(d.result, task.ft.result)) trap('invalid `task.return` signature and/or options for current task');
  // LiftOptions.equal compares the memories too; the suite (cross-abi-calls.wast
  // :491, :495) has a task.return without `memory` return from a task lifted
  // with one, as wasmtime allows: a task.return that has no memory reads none.
  if (d.opts.stringEncoding !== task.opts.stringEncoding || (d.opts.memory !== null && d.opts.memory !== task.opts.memory)) {
    trap('invalid `task.return` signature and/or options for current task');
  }
  const cx = new LiftLowerContext(d.opts, d.inst, task, task.callerIsHost ? 'host' : 'component', !task.callerIsHost);
  const result = liftFlatValues(cx, MAX_FLAT_PARAMS, new CoreValueIter(args), resultTypes(task.ft), 'result');
  task.return_(result);
  return [];
}

function* subtaskCancel(d: BuiltinDef, i: number): Co<Value[]> {
  const inst = d.inst;
  checkMayLeave(inst);
  if (!d.async) checkMayBlock(inst);
  const subtask = inst.handles.get(i);
  if (!(subtask instanceof Subtask)) trap(`handle index ${i >>> 0} is not a subtask`);
  if (subtask.resolveDelivered()) trap('cannot cancel a subtask whose result was already delivered');
  if (subtask.cancellationRequested) trap('cannot cancel a subtask twice');
  if (subtask.inWaitableSet() && !d.async) trap('waitable cannot be used synchronously while added to a waitable set');
  if (!subtask.resolved()) {
    subtask.cancellationRequested = true;
    if (subtask.onCancel !== null) yield* subtask.onCancel(inst);
    if (!subtask.resolved()) {
      if (d.async) return [BLOCKED];
      yield* subtask.waitForPendingEvent();
    }
  }
  const [code] = subtask.getPendingEvent();
  if (code !== EventCode.SUBTASK) throw new Error('canonical ABI: a subtask delivered a non-subtask event');
  return [subtask.state];
}

function* threadOp(d: BuiltinDef, op: (t: Thread) => Co<boolean>): Co<Value[]> {
  checkMayLeave(d.inst);
  const cancelled = yield* op(thisThread(d.inst));
  return [cancelled ? 1 : 0];
}

function threadNewIndirect(d: BuiltinDef, fi: number, c: number): Value[] {
  checkMayLeave(d.inst);
  const task = thisThread(d.inst).task;
  const table = d.table!;
  if (fi >>> 0 >= table.size()) trap('undefined element: table index out of bounds');
  const f = table.get(fi >>> 0) as FuncInst | null;
  if (f === null) trap('uninitialized element');
  if (!sameFuncType(f.type as CoreFuncType, d.funcType!)) trap('indirect call type mismatch');
  const newThread = new Thread(task, (t) => indirectThread(t, task, f, c));
  task.registerThread(newThread);
  return [newThread.index!];
}

/** A thread thread.new-indirect made: calls f(c), then ends (a top-level generator: canon.ts, above syncLiftThread). */
function* indirectThread(t: Thread, task: Task, f: FuncInst, c: number): Co<void> {
  yield* t.callCore(f, [c]);
  task.unregisterThread(t);
}
