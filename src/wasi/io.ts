// wasi:io (error, poll, streams). Streams complete every operation at once
// (streams.ts), so the pollables they give are always ready; only clock
// pollables (clocks.ts) wait, by sleeping the thread.

import { hrtime } from 'node:process';
import type { Linker } from '../api/linker.js';
import type { ResourceValue, ComponentValue } from '../api/values.js';
import { trap } from '../component/canon/traps.js';
import type { WasiCtx } from './ctx.js';
import { errorCodeOf, isFsError } from './errors.js';
import { type CtxOf, WasiInterface } from './link.js';
import { get, own, wasiTypes } from './resources.js';
import { sleepMs, type OutputSink, type ReadResult } from './streams.js';

/** wasmtime's bound on one blocking-write-and-flush (the WIT: "up to 4096 bytes"). */
const BLOCKING_WRITE_MAX = 4096;

const ok = (val?: ComponentValue): ComponentValue => (val === undefined ? { tag: 'ok' } : { tag: 'ok', val });
const err = (val: ComponentValue): ComponentValue => ({ tag: 'err', val });
const closed: ComponentValue = { tag: 'closed' };

/** A `stream-error` for a failed operation: `last-operation-failed` with an `error` resource describing it. */
export function lastOperationFailed(ctx: WasiCtx, e: unknown): ComponentValue {
  const code = isFsError(e) ? errorCodeOf(e) : null;
  const message = e instanceof Error ? e.message : String(e);
  return { tag: 'last-operation-failed', val: own(ctx, { kind: 'error', message, code }) };
}

/** A u64 length as a JS number: lengths beyond what one call can move are cut to 2^31 (reads and skips may return less than asked). */
function length(n: bigint): number {
  return n > 0x7fff_ffffn ? 0x7fff_ffff : Number(n);
}

function readResult(ctx: WasiCtx, r: ReadResult): ComponentValue {
  if (r === 'closed') return err(closed);
  if (r instanceof Uint8Array) return ok(Array.from(r));
  return err(lastOperationFailed(ctx, r.error));
}

function skipResult(ctx: WasiCtx, r: ReadResult): ComponentValue {
  if (r === 'closed') return err(closed);
  if (r instanceof Uint8Array) return ok(BigInt(r.length));
  return err(lastOperationFailed(ctx, r.error));
}

function bytesOf(list: number[]): Uint8Array {
  return Uint8Array.from(list);
}

/**
 * `write` (blocking: false) may carry only what check-write permits (the
 * WIT: else it traps); the blocking variants carry at most 4096 bytes and
 * need no permit.
 */
function write(ctx: WasiCtx, sink: OutputSink, bytes: Uint8Array, blocking: boolean): ComponentValue {
  if (blocking && bytes.length > BLOCKING_WRITE_MAX) trap(`Buffer too large for blocking-write-and-flush (expected at most ${BLOCKING_WRITE_MAX})`);
  const permit = sink.checkWrite();
  if (permit === 'closed') return err(closed);
  if (!blocking && bytes.length > permit) trap(`output-stream write of ${bytes.length} bytes exceeds the ${permit} bytes check-write permits`);
  const r = sink.write(bytes);
  if (r === null) return ok();
  if (r === 'closed') return err(closed);
  return err(lastOperationFailed(ctx, r.error));
}

function splice(ctx: WasiCtx, dst: ResourceValue, src: ResourceValue, len: bigint): ComponentValue {
  const sink = get(dst, 'output-stream').stream;
  const permit = sink.checkWrite();
  if (permit === 'closed') return err(closed);
  const r = get(src, 'input-stream').stream.read(Math.min(length(len), permit));
  if (!(r instanceof Uint8Array)) return skipResult(ctx, r);
  const w = sink.write(r);
  if (w === null) return ok(BigInt(r.length));
  if (w === 'closed') return err(closed);
  return err(lastOperationFailed(ctx, w.error));
}

const readyPollable = (ctx: WasiCtx): ResourceValue => own(ctx, { kind: 'pollable', deadline: null });

function isReady(deadline: bigint | null): boolean {
  return deadline === null || hrtime.bigint() >= deadline;
}

/** Sleeps until the host's monotonic time reaches `deadline`. */
function sleepUntil(deadline: bigint): void {
  for (;;) {
    const left = deadline - hrtime.bigint();
    if (left <= 0n) return;
    sleepMs(Math.max(1, Math.ceil(Number(left) / 1e6)));
  }
}

function poll(list: ResourceValue[]): number[] {
  if (list.length === 0) trap('poll: the list of pollables is empty');
  const deadlines = list.map((p) => get(p, 'pollable').deadline);
  if (!deadlines.some(isReady)) sleepUntil(deadlines.reduce((a, b) => (a! < b! ? a : b))!);
  const out: number[] = [];
  deadlines.forEach((d, i) => { if (isReady(d)) out.push(i); });
  return out;
}

export function addIo<T>(linker: Linker<T>, ctxOf: CtxOf<T>): void {
  new WasiInterface(linker, ctxOf, 'wasi:io/error')
    .resource('error', wasiTypes.error)
    .func('[method]error.to-debug-string', (_ctx, self: ResourceValue) => get(self, 'error').message);

  new WasiInterface(linker, ctxOf, 'wasi:io/poll')
    .resource('pollable', wasiTypes.pollable)
    .func('[method]pollable.ready', (_ctx, self: ResourceValue) => isReady(get(self, 'pollable').deadline))
    .func('[method]pollable.block', (_ctx, self: ResourceValue) => {
      const d = get(self, 'pollable').deadline;
      if (d !== null) sleepUntil(d);
    })
    .func('poll', (_ctx, list: ResourceValue[]) => poll(list));

  new WasiInterface(linker, ctxOf, 'wasi:io/streams')
    .resource('error', wasiTypes.error)
    .resource('pollable', wasiTypes.pollable)
    .resource('input-stream', wasiTypes.inputStream)
    .resource('output-stream', wasiTypes.outputStream)
    .func('[method]input-stream.read', (ctx, self: ResourceValue, len: bigint) => readResult(ctx, get(self, 'input-stream').stream.read(length(len))))
    .func('[method]input-stream.blocking-read', (ctx, self: ResourceValue, len: bigint) => readResult(ctx, get(self, 'input-stream').stream.read(length(len))))
    .func('[method]input-stream.skip', (ctx, self: ResourceValue, len: bigint) => skipResult(ctx, get(self, 'input-stream').stream.read(length(len))))
    .func('[method]input-stream.blocking-skip', (ctx, self: ResourceValue, len: bigint) => skipResult(ctx, get(self, 'input-stream').stream.read(length(len))))
    .func('[method]input-stream.subscribe', (ctx, self: ResourceValue) => { get(self, 'input-stream'); return readyPollable(ctx); })
    .func('[method]output-stream.check-write', (_ctx, self: ResourceValue) => {
      const permit = get(self, 'output-stream').stream.checkWrite();
      return permit === 'closed' ? err(closed) : ok(BigInt(permit));
    })
    .func('[method]output-stream.write', (ctx, self: ResourceValue, contents: number[]) => write(ctx, get(self, 'output-stream').stream, bytesOf(contents), false))
    .func('[method]output-stream.blocking-write-and-flush', (ctx, self: ResourceValue, contents: number[]) =>
      write(ctx, get(self, 'output-stream').stream, bytesOf(contents), true))
    .func('[method]output-stream.flush', (_ctx, self: ResourceValue) => flush(get(self, 'output-stream').stream))
    .func('[method]output-stream.blocking-flush', (_ctx, self: ResourceValue) => flush(get(self, 'output-stream').stream))
    .func('[method]output-stream.subscribe', (ctx, self: ResourceValue) => { get(self, 'output-stream'); return readyPollable(ctx); })
    .func('[method]output-stream.write-zeroes', (ctx, self: ResourceValue, len: bigint) =>
      write(ctx, get(self, 'output-stream').stream, new Uint8Array(length(len)), false))
    .func('[method]output-stream.blocking-write-zeroes-and-flush', (ctx, self: ResourceValue, len: bigint) =>
      write(ctx, get(self, 'output-stream').stream, new Uint8Array(length(len)), true))
    .func('[method]output-stream.splice', (ctx, self: ResourceValue, src: ResourceValue, len: bigint) => splice(ctx, self, src, len))
    .func('[method]output-stream.blocking-splice', (ctx, self: ResourceValue, src: ResourceValue, len: bigint) => splice(ctx, self, src, len));
}

/** Every write is written through at once: a flush has nothing to wait for. */
function flush(_sink: OutputSink): ComponentValue {
  return ok();
}
