// Streams and futures the host produces for a guest (CanonicalABI.md
// "Stream State": the host may implement the ReadableStream interface and
// pass the readable end into a component; "Future State" likewise;
// definitions.py's tests call such a stream HostSource). The host's value —
// a web ReadableStream, an async iterable or an iterable (an array) for a
// stream, a Promise for a future — becomes the shared state behind the
// guest's readable end:
//
// - values are taken from it only while a guest read waits for them (the
//   guest's reads are the backpressure), one item at a time from an async
//   source, as many as the guest's buffer takes from a synchronous one;
// - an item the guest's buffer has no room for waits for the next read
//   (partial copies);
// - its end is the writer dropping: the guest's read reports DROPPED;
// - the guest cancelling its read (cancel-read) gets its buffer back at
//   once (CANCELLED); an item still being fetched is kept for its next read;
// - the guest dropping its end cancels the source (ReadableStream.cancel,
//   the iterator's return).
// Waiting for an async source goes through the store's event loop as an
// async-lowered host call's Promise does (host-wait.ts): the loop awaits it
// and delivers the item inside a stretch of its own (deliverHostResults).

import { Trap } from '../../core/errors.js';
import type { ValType } from '../syntax/types.js';
import type { WritableBuffer } from './buffer.js';
import { hostDemand, hostDemandMet } from './concurrent.js';
import type { ComponentInstance } from './context.js';
import { CopyResult, type OnCopyDone } from './copy-end.js';
import type { SharedReadableFuture } from './future.js';
import { hostWaitFor } from './host-wait.js';
import type { OnCopy, SharedReadableStream } from './stream.js';
import type { CanonStore } from './trace.js';
import type { ComponentValue } from './values.js';

/** A chunk from a host producer: values, whether the source has ended, or its failure. */
type Chunk = { values: ComponentValue[]; done: boolean } | { error: unknown };

/** Where a HostSource takes its values from. */
interface Producer {
  /** The next values (at most `max`), at once or later. */
  next(max: number): Chunk | Promise<Chunk>;
  /** The guest dropped its end: stop producing. */
  close(): void;
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as { then?: unknown }).then === 'function';
}

/** The producer of a host value that can stand for a stream, or null when it cannot. */
function producerOf(v: unknown): Producer | null {
  if (typeof v !== 'object' || v === null) return null;
  if (typeof (v as ReadableStream).getReader === 'function') {
    const reader = (v as ReadableStream<ComponentValue>).getReader();
    return {
      next: () => reader.read().then(
        (r) => (r.done ? { values: [], done: true } : { values: [r.value], done: false }),
        (error: unknown) => ({ error }),
      ),
      close: () => { reader.cancel().catch(() => {}); },
    };
  }
  if (typeof (v as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    const it = (v as AsyncIterable<ComponentValue>)[Symbol.asyncIterator]();
    return {
      next: () => Promise.resolve(it.next()).then(
        (r) => (r.done === true ? { values: [], done: true } : { values: [r.value], done: false }),
        (error: unknown) => ({ error }),
      ),
      close: () => { Promise.resolve(it.return?.()).catch(() => {}); },
    };
  }
  if (typeof (v as Iterable<unknown>)[Symbol.iterator] === 'function') {
    const it = (v as Iterable<ComponentValue>)[Symbol.iterator]();
    return {
      next: (max) => {
        const values: ComponentValue[] = [];
        try {
          while (values.length < Math.max(max, 1)) {
            const r = it.next();
            if (r.done === true) return { values, done: true };
            values.push(r.value);
          }
        } catch (error) {
          return { error };
        }
        return { values, done: false };
      },
      close: () => { try { it.return?.(); } catch { /* the source's own business */ } },
    };
  }
  return null;
}

function emit(store: CanonStore, what: 'stream' | 'future', op: string, text: string): void {
  store.trace?.({ kind: 'async', what, op, text });
}

/** The guest cancelled its read (cancel-read): the host gives the buffer back at once. */
function cancelled(store: CanonStore, what: 'stream' | 'future', pending: { onCopyDone: OnCopyDone } | null): void {
  emit(store, what, 'host-cancel', `host ${what}: the guest cancels its read: its buffer is back at once`);
  pending?.onCopyDone(CopyResult.CANCELLED);
}

/** A host-produced stream behind a guest's readable end (definitions.py ReadableStream; its tests' HostSource). */
export class HostSource implements SharedReadableStream {
  private readonly buffered: ComponentValue[] = [];
  private ended = false;
  private dropped = false;
  private pending: { dst: WritableBuffer; onCopyDone: OnCopyDone } | null = null;
  private fetching = false;
  /** Whether a guest has read from it: the host can no longer get `origin` back as it was. */
  touched = false;

  private constructor(
    readonly t: ValType | null,
    private readonly store: CanonStore,
    private readonly producer: Producer,
    /** The host's value it was made from. */
    readonly origin: unknown,
  ) {}

  /** A HostSource of the host's value `v`, or null when `v` is no ReadableStream, async iterable or iterable. */
  static of(t: ValType | null, store: CanonStore, v: unknown): HostSource | null {
    if (typeof v === 'string') return null;
    const p = producerOf(v);
    return p === null ? null : new HostSource(t, store, p, v);
  }

  read(_inst: ComponentInstance | null, dst: WritableBuffer, _onCopy: OnCopy, onCopyDone: OnCopyDone): void {
    this.touched = true;
    if (this.buffered.length > 0 || this.ended) {
      this.deliver(dst, onCopyDone);
      return;
    }
    this.pending = { dst, onCopyDone };
    this.fetch(dst.remain());
  }

  private deliver(dst: WritableBuffer, onCopyDone: OnCopyDone): void {
    if (this.buffered.length === 0) {
      emit(this.store, 'stream', 'host-end', 'host stream: the host\'s source has ended: the guest\'s read sees the writer dropped');
      onCopyDone(CopyResult.DROPPED);
      return;
    }
    const n = Math.min(dst.remain(), this.buffered.length);
    if (n > 0) dst.write(this.buffered.splice(0, n));
    emit(this.store, 'stream', 'host-write', `host stream: the host writes ${n} value${n === 1 ? '' : 's'} into the guest's read (${this.buffered.length} kept for its next read)`);
    onCopyDone(CopyResult.COMPLETED);
  }

  /** Takes the next values from the producer: at once from a synchronous one, else through the event loop. */
  private fetch(max: number): void {
    if (this.fetching || this.ended) return;
    const c = this.producer.next(max);
    if (!isThenable(c)) {
      this.take(c);
      return;
    }
    this.fetching = true;
    emit(this.store, 'stream', 'host-wait', 'host stream: the guest\'s read waits for the host\'s source');
    const w = hostWaitFor(c, (value) => {
      this.fetching = false;
      hostDemandMet(this.store, this);
      this.take(value as Chunk);
    }, true);
    this.store.hostWaits.add(w);
    hostDemand(this.store, this);
  }

  private take(c: Chunk): void {
    if (this.dropped) return;
    if ('error' in c) {
      // A source that fails ends the stream: the guest sees the writer drop (a stream carries no error).
      emit(this.store, 'stream', 'host-error', `host stream: the host's source failed (${c.error instanceof Error ? c.error.message : String(c.error)}): the stream ends`);
      this.ended = true;
    } else {
      this.buffered.push(...c.values);
      if (c.done) this.ended = true;
    }
    const p = this.pending;
    if (p === null) return;
    if (this.buffered.length === 0 && !this.ended) {
      this.fetch(p.dst.remain());
      return;
    }
    this.pending = null;
    this.deliver(p.dst, p.onCopyDone);
  }

  cancel(): void {
    const p = this.pending;
    this.pending = null;
    cancelled(this.store, 'stream', p);
  }

  drop(): void {
    if (this.dropped) return;
    this.dropped = true;
    this.ended = true;
    this.buffered.length = 0;
    hostDemandMet(this.store, this);
    emit(this.store, 'stream', 'host-drop', 'host stream: the guest drops its readable end: the host\'s source is cancelled');
    this.producer.close();
  }
}

/** A host Promise behind a guest's readable future end (definitions.py ReadableFuture). */
export class HostFutureSource implements SharedReadableFuture {
  private settled = false;
  private value: ComponentValue | undefined;
  private pending: { dst: WritableBuffer; onCopyDone: OnCopyDone } | null = null;
  private waiting = false;
  touched = false;

  constructor(readonly t: ValType | null, private readonly store: CanonStore, readonly origin: PromiseLike<unknown>) {}

  read(_inst: ComponentInstance | null, dst: WritableBuffer, onCopyDone: OnCopyDone): void {
    this.touched = true;
    if (this.settled) {
      this.deliver(dst, onCopyDone);
      return;
    }
    this.pending = { dst, onCopyDone };
    if (this.waiting) return;
    this.waiting = true;
    emit(this.store, 'future', 'host-wait', 'host future: the guest\'s read waits for the host\'s Promise');
    // A future carries no error: a rejected Promise is the host failing, a trap of the loop that delivers it.
    const failing = Promise.resolve(this.origin).catch((e: unknown) => {
      throw new Trap(`the host's future failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    });
    const w = hostWaitFor(failing, (v) => {
      hostDemandMet(this.store, this);
      this.settled = true;
      this.value = v as ComponentValue;
      const p = this.pending;
      this.pending = null;
      if (p !== null) this.deliver(p.dst, p.onCopyDone);
    }, true);
    this.store.hostWaits.add(w);
    hostDemand(this.store, this);
  }

  private deliver(dst: WritableBuffer, onCopyDone: OnCopyDone): void {
    dst.write([(this.t === null ? null : this.value) as ComponentValue]);
    emit(this.store, 'future', 'host-write', 'host future: the host\'s value is written into the guest\'s read');
    onCopyDone(CopyResult.COMPLETED);
  }

  cancel(): void {
    const p = this.pending;
    this.pending = null;
    cancelled(this.store, 'future', p);
  }

  drop(): void {
    hostDemandMet(this.store, this);
    emit(this.store, 'future', 'host-drop', 'host future: the guest drops its readable end');
  }
}
