// Streams and futures a guest hands to the host (CanonicalABI.md "Stream
// State": "the readable end ... is read by either stream.read or the host";
// definitions.py's tests call the host's reader HostSink). The host gets
//
// - for a stream<T>, a web ReadableStream<T> (an async iterable too), one
//   chunk per element: each read the host makes (pull) is one read of the
//   guest's stream into a host buffer (host-buffer.ts), made only when the
//   host asks (high-water mark 0: the host's reads are the backpressure),
//   taking what the guest's writer offers, up to `chunk` values (partial
//   copies); the guest's writer dropping closes it;
// - for a future<T>, a Promise<T>, read at once.
//
// Cancelling the ReadableStream (reader.cancel(), leaving a for-await loop,
// an aborted pipeTo signal) or closing either with closeHostEnd (an
// AbortSignal through cancelOnAbort) is cancel-read, when a read is in
// progress, then drop: the guest's writer sees DROPPED.
//
// While a read waits for the guest, the store's event loop runs
// (concurrent.ts hostDemand), even with no call of the host's in progress:
// a guest task that returned its stream goes on writing.

import type { ValType } from '../syntax/types.js';
import { hostDemand, hostDemandMet, kick } from './concurrent.js';
import { CopyResult } from './copy-end.js';
import type { SharedReadableFuture } from './future.js';
import { WritableBufferHostImpl } from './host-buffer.js';
import { HostFutureSource, HostSource } from './host-source.js';
import type { SharedReadableStream } from './stream.js';
import type { CanonStore } from './trace.js';
import type { ComponentValue } from './values.js';

/** How many values one host read of a guest's stream takes at most. */
const CHUNK = 64;

function emit(store: CanonStore, what: 'stream' | 'future', op: string, text: string): void {
  store.trace?.({ kind: 'async', what, op, text });
}

function plural(n: number): string {
  return `${n} value${n === 1 ? '' : 's'}`;
}

/** The host's ends, by the value the host holds. */
const ends = new WeakMap<object, HostSink | HostFutureSink>();

/** The host reading a guest's stream (definitions.py's tests' HostSink). */
export class HostSink {
  readonly stream: ReadableStream<ComponentValue>;
  private controller!: ReadableStreamDefaultController<ComponentValue>;
  /** The read in progress: how it ends (called once). */
  private finishRead: ((result: CopyResult) => void) | null = null;
  private closed = false;
  private pulled = false;
  /** While open, the host may still read, which can let a waiting guest go on (concurrent.ts: no deadlock then). */
  readonly mayUnblock = true;

  constructor(readonly shared: SharedReadableStream, private readonly store: CanonStore) {
    this.stream = new ReadableStream<ComponentValue>({
      start: (c) => { this.controller = c; },
      pull: () => this.pull(),
      cancel: (reason: unknown) => { this.close(reason, false); },
    }, { highWaterMark: 0 });
    ends.set(this.stream, this);
    store.hostEnds.add(this);
  }

  private pull(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.pulled = true;
    return new Promise<void>((resolve) => {
      const buffer = new WritableBufferHostImpl(this.shared.t, CHUNK);
      let done = false;
      const finish = (result: CopyResult): void => {
        if (done) return;
        done = true;
        this.finishRead = null;
        hostDemandMet(this.store, this);
        if (!this.closed) {
          emit(this.store, 'stream', 'host-read', `host stream: the host reads ${plural(buffer.values.length)} from the guest's stream (${CopyResult[result]})`);
          for (const v of buffer.values) this.controller.enqueue(v);
          if (result === CopyResult.DROPPED) {
            this.forget();
            this.shared.drop();
            this.controller.close();
          }
        }
        resolve();
      };
      this.finishRead = finish;
      this.shared.read(null, buffer, (reclaim) => { reclaim(); finish(CopyResult.COMPLETED); }, finish);
      // The copy may have made the guest's writer ready.
      kick(this.store);
      if (!done) {
        emit(this.store, 'stream', 'host-wait', 'host stream: the host\'s read waits for the guest to write');
        hostDemand(this.store, this);
      }
    });
  }

  /**
   * The host is done with the stream: cancel-read (a read in progress gets
   * CANCELLED), then drop (the guest's writer sees DROPPED). `error`: the
   * ReadableStream errors with `reason` (a reader waiting rejects).
   */
  close(reason: unknown, error: boolean): void {
    if (this.closed) return;
    const reading = this.finishRead;
    // Closed first: the read that cancel-read ends enqueues nothing.
    this.forget();
    if (reading !== null) {
      emit(this.store, 'stream', 'host-cancel', 'host stream: the host cancels its read');
      this.shared.cancel();
      reading(CopyResult.CANCELLED);
    }
    emit(this.store, 'stream', 'host-drop', 'host stream: the host drops its readable end: the guest\'s writer sees DROPPED');
    this.shared.drop();
    if (error) this.controller.error(reason);
    kick(this.store);
  }

  /** The store's event loop failed: the stream errors with its failure. */
  fail(e: unknown): void {
    if (this.closed) return;
    this.forget();
    this.finishRead?.(CopyResult.CANCELLED);
    this.controller.error(e);
  }

  /** Hands the guest's stream on as it is (a host passing it, unread, to a guest); null once the host has read from it. */
  transfer(): SharedReadableStream | null {
    if (this.pulled || this.closed || this.stream.locked) return null;
    this.forget();
    this.controller.error(new TypeError('this stream was passed to a guest'));
    return this.shared;
  }

  private forget(): void {
    this.closed = true;
    this.store.hostEnds.delete(this);
    hostDemandMet(this.store, this);
  }
}

/** The host reading a guest's future: a Promise of its value. */
export class HostFutureSink {
  readonly promise: Promise<ComponentValue>;
  private resolve!: (v: ComponentValue) => void;
  private reject!: (e: unknown) => void;
  private reading = true;
  /** An unread future cannot let a guest go on: the guest's write completes at once, the host's read being in progress. */
  readonly mayUnblock = false;

  constructor(readonly shared: SharedReadableFuture, private readonly store: CanonStore) {
    this.promise = new Promise<ComponentValue>((resolve, reject) => { this.resolve = resolve; this.reject = reject; });
    this.promise.catch(() => {}); // a host that never awaits it is no unhandled rejection
    ends.set(this.promise, this);
    store.hostEnds.add(this);
    const buffer = new WritableBufferHostImpl(shared.t, 1);
    shared.read(null, buffer, (result) => {
      this.reading = false;
      this.store.hostEnds.delete(this);
      hostDemandMet(this.store, this);
      if (result === CopyResult.COMPLETED) {
        emit(this.store, 'future', 'host-read', 'host future: the host reads the guest\'s value');
        // The host's end has had its one value: it is dropped.
        shared.drop();
        this.resolve((shared.t === null ? undefined : buffer.values[0]) as ComponentValue);
      }
    });
    kick(this.store);
    if (this.reading) hostDemand(this.store, this);
  }

  /** The host is done with the future: cancel-read, then drop; the Promise rejects with `reason`. */
  close(reason: unknown): void {
    if (!this.reading) return;
    {
      emit(this.store, 'future', 'host-cancel', 'host future: the host cancels its read');
      this.shared.cancel();
    }
    this.reading = false;
    this.store.hostEnds.delete(this);
    hostDemandMet(this.store, this);
    emit(this.store, 'future', 'host-drop', 'host future: the host drops its readable end: the guest\'s writer sees DROPPED');
    this.shared.drop();
    this.reject(reason);
    kick(this.store);
  }

  fail(e: unknown): void {
    this.reading = false;
    this.store.hostEnds.delete(this);
    this.reject(e);
  }
}

/** What a guest's stream lifted to the host becomes: a ReadableStream (a host stream passed back unread: the host's own value). */
export function streamToHost(shared: SharedReadableStream, store: CanonStore): ReadableStream<ComponentValue> {
  if (shared instanceof HostSource && !shared.touched && shared.origin instanceof ReadableStream) return shared.origin as ReadableStream<ComponentValue>;
  return new HostSink(shared, store).stream;
}

/** What a guest's future lifted to the host becomes: a Promise of its value. */
export function futureToHost(shared: SharedReadableFuture, store: CanonStore): Promise<ComponentValue> {
  if (shared instanceof HostFutureSource && !shared.touched && shared.origin instanceof Promise) return shared.origin as Promise<ComponentValue>;
  return new HostFutureSink(shared, store).promise;
}

/** A host value passed to a guest as a stream<T>: the guest's stream it came from (unread), or a HostSource of it; null: not a stream. */
export function streamFromHost(t: ValType | null, store: CanonStore, v: unknown): SharedReadableStream | null {
  const end = typeof v === 'object' && v !== null ? ends.get(v) : undefined;
  if (end instanceof HostSink) {
    const shared = end.transfer();
    if (shared !== null) return shared;
  }
  return HostSource.of(t, store, v);
}

/** A host value passed to a guest as a future<T>: a HostFutureSource of a Promise (or any thenable); null: not a future. */
export function futureFromHost(t: ValType | null, store: CanonStore, v: unknown): SharedReadableFuture | null {
  if (typeof v !== 'object' || v === null || typeof (v as PromiseLike<unknown>).then !== 'function') return null;
  return new HostFutureSource(t, store, v as PromiseLike<unknown>);
}

/**
 * Closes the host's end behind `value` (a ReadableStream or a Promise a
 * guest's stream or future became): cancel-read if a read is in progress,
 * then drop. The stream errors, the Promise rejects, with `reason`. False
 * when `value` is no such end (or is closed already).
 */
export function closeHostEnd(value: unknown, reason: unknown): boolean {
  const end = typeof value === 'object' && value !== null ? ends.get(value) : undefined;
  if (end === undefined) return false;
  if (end instanceof HostSink) end.close(reason, true);
  else end.close(reason);
  return true;
}
