// The stream and future built-ins (CanonicalABI.md "canon stream.new",
// "canon {stream,future}.{read,write}", "cancel-read/-write",
// "drop-readable/-writable"; definitions.py stream_copy, future_copy,
// cancel_copy, drop), and the lifting and lowering of stream and future
// values (lift_async_value, lower_stream, lower_future) plugged into
// load/store and lift/lower through async-hooks.ts.

import type { Value } from '../../core/runtime/values.js';
import type { DefinedType, ValType } from '../syntax/types.js';
import { setAsyncValueHandlers } from './async-hooks.js';
import { ReadableBufferGuestImpl, samePayloadType, WritableBufferGuestImpl, type ReadableBuffer, type WritableBuffer } from './buffer.js';
import { checkMayLeave, LiftLowerContext, type CanonicalOptions, type ComponentInstance } from './context.js';
import { CopyEnd, CopyResult, CopyState } from './copy-end.js';
import { ReadableFutureEnd, SharedFutureImpl, WritableFutureEnd, type SharedReadableFuture } from './future.js';
import { futureFromHost, futureToHost, streamFromHost, streamToHost } from './host-sink.js';
import { HostFutureSource, HostSource } from './host-source.js';
import { ReadableStreamEnd, SharedStreamImpl, WritableStreamEnd, type SharedReadableStream } from './stream.js';
import type { Co } from './thread.js';
import { trap } from './traps.js';
import { EventCode } from './waitable.js';

export const BLOCKED = 0xffff_ffff;

const IN_SET = 'waitable cannot be used synchronously while added to a waitable set';

export function streamNew(inst: ComponentInstance, t: ValType | null): Value[] {
  checkMayLeave(inst);
  const shared = new SharedStreamImpl(t);
  const ri = inst.handles.add(new ReadableStreamEnd(shared));
  const wi = inst.handles.add(new WritableStreamEnd(shared));
  return [BigInt(ri) | (BigInt(wi) << 32n)];
}

export function futureNew(inst: ComponentInstance, t: ValType | null): Value[] {
  checkMayLeave(inst);
  const shared = new SharedFutureImpl(t);
  const ri = inst.handles.add(new ReadableFutureEnd(shared));
  const wi = inst.handles.add(new WritableFutureEnd(shared));
  return [BigInt(ri) | (BigInt(wi) << 32n)];
}

type EndClass = typeof ReadableStreamEnd | typeof WritableStreamEnd | typeof ReadableFutureEnd | typeof WritableFutureEnd;

function endName(EndT: EndClass): string {
  if (EndT === ReadableStreamEnd) return 'readable stream end';
  if (EndT === WritableStreamEnd) return 'writable stream end';
  if (EndT === ReadableFutureEnd) return 'readable future end';
  return 'writable future end';
}

/** The end at index `i`, checked as definitions.py does before a copy, cancel or drop. */
function getEnd<E extends CopyEnd>(inst: ComponentInstance, EndT: EndClass, t: ValType | null, i: number, remove: boolean): E {
  const e = remove ? inst.handles.remove(i) : inst.handles.get(i);
  if (!(e instanceof EndT)) trap(`handle index ${i >>> 0} is not a ${endName(EndT)}`);
  if (!samePayloadType(e.shared.t, t)) trap(`${endName(EndT)} at handle index ${i >>> 0} has the wrong element type`);
  return e as unknown as E;
}

/** The trap for a copy on an end that is not idle, in wasmtime's words where it has them. */
function notIdle(e: CopyEnd): never {
  if (e.state === CopyState.DONE) {
    if (e.kind === 'stream') {
      trap(e.readable ? 'cannot read from stream after being notified that the writable end dropped'
        : 'cannot write to stream after being notified that the readable end dropped');
    }
    trap(e.readable ? 'cannot read from future after previous read succeeded'
      : 'cannot write to future after previous write succeeded or readable end dropped');
  }
  trap('cannot have concurrent operations active on a future/stream');
}

export function* streamCopy(readable: boolean, inst: ComponentInstance, t: ValType | null, opts: CanonicalOptions, i: number, ptr: number, n: number): Co<Value[]> {
  checkMayLeave(inst);
  const e = getEnd<ReadableStreamEnd | WritableStreamEnd>(inst, readable ? ReadableStreamEnd : WritableStreamEnd, t, i, false);
  if (e.state !== CopyState.IDLE) notIdle(e);
  if (e.inWaitableSet() && !opts.async) trap(IN_SET);
  const cx = new LiftLowerContext(opts, inst, null, 'component', true);
  const eventCode = readable ? EventCode.STREAM_READ : EventCode.STREAM_WRITE;
  const buffer = readable ? new WritableBufferGuestImpl(t, cx, ptr >>> 0, n >>> 0) : new ReadableBufferGuestImpl(t, cx, ptr >>> 0, n >>> 0);
  const streamEvent = (result: CopyResult, reclaim: () => void): [EventCode, number, number] => {
    reclaim();
    e.state = result === CopyResult.DROPPED ? CopyState.DONE : CopyState.IDLE;
    return [eventCode, i, result | (buffer.progress << 4)];
  };
  const onCopy = (reclaim: () => void) => e.setPendingEvent(() => streamEvent(CopyResult.COMPLETED, reclaim));
  const onCopyDone = (result: CopyResult) => e.setPendingEvent(() => streamEvent(result, () => {}));
  e.state = CopyState.COPYING;
  e.buffer = buffer;
  if (readable) (e as ReadableStreamEnd).copy(inst, buffer as WritableBuffer, onCopy, onCopyDone);
  else (e as WritableStreamEnd).copy(inst, buffer as ReadableBuffer, onCopy, onCopyDone);
  if (!e.hasPendingEvent()) {
    if (opts.async) return [BLOCKED];
    yield* e.waitForPendingEvent();
  }
  return [e.getPendingEvent()[2] | 0];
}

export function* futureCopy(readable: boolean, inst: ComponentInstance, t: ValType | null, opts: CanonicalOptions, i: number, ptr: number): Co<Value[]> {
  checkMayLeave(inst);
  const e = getEnd<ReadableFutureEnd | WritableFutureEnd>(inst, readable ? ReadableFutureEnd : WritableFutureEnd, t, i, false);
  if (e.state !== CopyState.IDLE) notIdle(e);
  if (e.inWaitableSet() && !opts.async) trap(IN_SET);
  const cx = new LiftLowerContext(opts, inst, null, 'component', true);
  const eventCode = readable ? EventCode.FUTURE_READ : EventCode.FUTURE_WRITE;
  const buffer = readable ? new WritableBufferGuestImpl(t, cx, ptr >>> 0, 1) : new ReadableBufferGuestImpl(t, cx, ptr >>> 0, 1);
  const futureEvent = (result: CopyResult): [EventCode, number, number] => {
    e.state = result === CopyResult.DROPPED || result === CopyResult.COMPLETED ? CopyState.DONE : CopyState.IDLE;
    return [eventCode, i, result];
  };
  const onCopyDone = (result: CopyResult) => e.setPendingEvent(() => futureEvent(result));
  e.state = CopyState.COPYING;
  if (readable) (e as ReadableFutureEnd).copy(inst, buffer as WritableBuffer, onCopyDone);
  else (e as WritableFutureEnd).copy(inst, buffer as ReadableBuffer, onCopyDone);
  if (!e.hasPendingEvent()) {
    if (opts.async) return [BLOCKED];
    yield* e.waitForPendingEvent();
  }
  return [e.getPendingEvent()[2] | 0];
}

export function* cancelCopy(kind: 'stream' | 'future', readable: boolean, inst: ComponentInstance, t: ValType | null, async: boolean, i: number): Co<Value[]> {
  checkMayLeave(inst);
  const EndT = kind === 'stream' ? (readable ? ReadableStreamEnd : WritableStreamEnd) : (readable ? ReadableFutureEnd : WritableFutureEnd);
  const e = getEnd<CopyEnd>(inst, EndT, t, i, false);
  if (e.state !== CopyState.COPYING || e.hasSyncWaiter) trap(`there is no ${readable ? 'read' : 'write'} in progress on this ${kind} to cancel`);
  if (e.inWaitableSet() && !async) trap(IN_SET);
  e.state = CopyState.CANCELLING_COPY;
  // A stream copy that the other end has partly served but that is still
  // the pending one (its buffer not reclaimed) is cancelled too, so its
  // event reports CANCELLED with the progress made: the suite's reading
  // (cancel-stream.wast, big-interleaving-test.wast), where definitions.py
  // would deliver the partial copy's COMPLETED event instead.
  const stillPending = e.shared instanceof SharedStreamImpl && e.buffer !== null && e.shared.pendingBuffer === e.buffer;
  if (!e.hasPendingEvent() || stillPending) {
    e.shared.cancel();
    if (!e.hasPendingEvent()) {
      if (async) return [BLOCKED];
      yield* e.waitForPendingEvent();
    }
  }
  return [e.getPendingEvent()[2] | 0];
}

export function dropEnd(kind: 'stream' | 'future', readable: boolean, inst: ComponentInstance, t: ValType | null, i: number): Value[] {
  checkMayLeave(inst);
  const EndT = kind === 'stream' ? (readable ? ReadableStreamEnd : WritableStreamEnd) : (readable ? ReadableFutureEnd : WritableFutureEnd);
  const e = inst.handles.get(i);
  if (!(e instanceof EndT)) trap(`handle index ${i >>> 0} is not a ${endName(EndT)}`);
  if (!samePayloadType(e.shared.t, t)) trap(`${endName(EndT)} at handle index ${i >>> 0} has the wrong element type`);
  // Checked before the end leaves the table, so that a trap leaves it there.
  // wasmtime's words: dropping a readable end removes it from its reader.
  if (e.copying()) trap(readable ? `cannot remove busy ${kind}` : `cannot drop busy ${kind}`);
  if (e instanceof WritableFutureEnd && e.state !== CopyState.DONE) trap('cannot drop future write end without first writing a value');
  inst.handles.remove(i);
  e.drop();
  return [];
}

// ---- stream and future values -------------------------------------------------------

type StreamType = Extract<DefinedType, { kind: 'stream' }>;
type FutureType = Extract<DefinedType, { kind: 'future' }>;

/** definitions.py lift_async_value: the readable end leaves the table; its shared state is the value. */
function liftAsyncValue(kind: 'stream' | 'future', cx: LiftLowerContext, i: number, t: ValType | null): SharedReadableStream | SharedReadableFuture {
  const EndT = kind === 'stream' ? ReadableStreamEnd : ReadableFutureEnd;
  const e = cx.inst.handles.get(i);
  if (!(e instanceof EndT)) trap(`handle index ${i >>> 0} is not a ${endName(EndT)}`);
  if (!samePayloadType(e.shared.t, t)) trap(`${endName(EndT)} at handle index ${i >>> 0} has the wrong element type`);
  if (e.state === CopyState.DONE) {
    trap(kind === 'stream' ? 'cannot lift stream after being notified that the writable end dropped' : 'cannot lift future after previous read succeeded');
  }
  if (e.state !== CopyState.IDLE) trap(`cannot remove busy ${kind}`);
  if (e.inWaitableSet()) trap(`cannot lift ${kind} while it's in a waitable set`);
  cx.inst.handles.remove(i);
  return e.shared;
}

// To and from the host (peer 'host'), a stream is a web ReadableStream (or,
// passed in, an async iterable or an iterable) and a future a Promise:
// host-sink.ts and host-source.ts. Between guests the shared state itself
// is the value.
setAsyncValueHandlers({
  liftStream(cx, i, t: StreamType) {
    const shared = liftAsyncValue('stream', cx, i, t.elem) as SharedReadableStream;
    return (cx.peer === 'host' ? streamToHost(shared, cx.inst.store) : shared) as never;
  },
  liftFuture(cx, i, t: FutureType) {
    const shared = liftAsyncValue('future', cx, i, t.elem) as SharedReadableFuture;
    return (cx.peer === 'host' ? futureToHost(shared, cx.inst.store) : shared) as never;
  },
  lowerStream(cx, v, t: StreamType) {
    const shared = v instanceof SharedStreamImpl || v instanceof HostSource ? v : streamFromHost(t.elem, cx.inst.store, v);
    if (shared === null) throw new TypeError(`expected a stream (a ReadableStream, an async iterable or an iterable), got ${describe(v)}`);
    return cx.inst.handles.add(new ReadableStreamEnd(shared));
  },
  lowerFuture(cx, v, t: FutureType) {
    const shared = v instanceof SharedFutureImpl || v instanceof HostFutureSource ? v : futureFromHost(t.elem, cx.inst.store, v);
    if (shared === null) throw new TypeError(`expected a future (a Promise), got ${describe(v)}`);
    return cx.inst.handles.add(new ReadableFutureEnd(shared));
  },
});

function describe(v: unknown): string {
  if (v === null || typeof v !== 'object') return typeof v === 'string' ? 'a string' : String(v);
  return `an object (${v.constructor?.name ?? 'no constructor'})`;
}

/** Keeps the import (and so the handlers above) alive in bundles that tree-shake. */
export const copyBuiltinsInstalled = true;
