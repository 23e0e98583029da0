// wasi:clocks (monotonic-clock, wall-clock). The clocks are the WasiCtx's,
// so tests and embedders can install fake ones (preview2-shim reads the
// host's clocks directly). Waiting on a monotonic-clock pollable sleeps for
// the time the guest's clock says is left, as wasmtime does.

import { hrtime } from 'node:process';
import { performance } from 'node:perf_hooks';
import type { WasiCtx } from './ctx.js';
import type { CtxOf } from './link.js';
import { WasiInterface } from './link.js';
import { own, wasiTypes } from './resources.js';
import type { Linker } from '../api/linker.js';
import type { ResourceValue } from '../api/values.js';

/** A wall-clock time: seconds and nanoseconds since the Unix epoch (WIT `datetime`). */
export interface Datetime {
  seconds: bigint;
  nanoseconds: number;
}

/** A wall clock: `now` and its `resolution`. */
export interface WallClock {
  now(): Datetime;
  resolution(): Datetime;
}

/** A monotonic clock in nanoseconds: `now` and its `resolution`. */
export interface MonotonicClock {
  now(): bigint;
  resolution(): bigint;
}

/** The host's wall clock (performance.timeOrigin + performance.now(): microseconds). */
export const defaultWallClock: WallClock = {
  now() {
    const ns = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n;
    return { seconds: ns / 1_000_000_000n, nanoseconds: Number(ns % 1_000_000_000n) };
  },
  resolution() {
    return { seconds: 0n, nanoseconds: 1000 };
  },
};

/** The host's monotonic clock (process.hrtime), counting from when it is made. */
export function defaultMonotonicClock(): MonotonicClock {
  const start = hrtime.bigint();
  return { now: () => hrtime.bigint() - start, resolution: () => 1n };
}

const U64_MAX = (1n << 64n) - 1n;

function u64(x: bigint, what: string): bigint {
  if (typeof x !== 'bigint' || x < 0n || x > U64_MAX) throw new TypeError(`the WASI ${what} clock returned ${String(x)}, not a u64`);
  return x;
}

function datetime(d: Datetime, what: string): { seconds: bigint; nanoseconds: number } {
  return { seconds: u64(d.seconds, what), nanoseconds: d.nanoseconds };
}

/** A pollable ready after `ns` nanoseconds of the host's time from now. */
export function sleepPollable(ctx: WasiCtx, ns: bigint): ResourceValue {
  return own(ctx, { kind: 'pollable', deadline: hrtime.bigint() + (ns > 0n ? ns : 0n) });
}

export function addClocks<T>(linker: Linker<T>, ctxOf: CtxOf<T>): void {
  new WasiInterface(linker, ctxOf, 'wasi:clocks/monotonic-clock')
    .resource('pollable', wasiTypes.pollable)
    .func('now', (ctx) => u64(ctx.monotonicClock.now(), 'monotonic'))
    .func('resolution', (ctx) => u64(ctx.monotonicClock.resolution(), 'monotonic'))
    .func('subscribe-instant', (ctx, when: bigint) => sleepPollable(ctx, when - ctx.monotonicClock.now()))
    .func('subscribe-duration', (ctx, d: bigint) => sleepPollable(ctx, d));
  new WasiInterface(linker, ctxOf, 'wasi:clocks/wall-clock')
    .func('now', (ctx) => datetime(ctx.wallClock.now(), 'wall'))
    .func('resolution', (ctx) => datetime(ctx.wallClock.resolution(), 'wall'));
}
