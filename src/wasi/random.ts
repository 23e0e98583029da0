// wasi:random (random, insecure, insecure-seed), from the WasiCtx's sources
// (by default preview2-shim's, which draw on node:crypto).

import type { Linker } from '../api/linker.js';
import { trap } from '../component/canon/traps.js';
import type { RandomSource } from './ctx.js';
import { type CtxOf, WasiInterface } from './link.js';

/** The most bytes one call may ask for: the result must fit in the guest's memory anyway. */
const MAX_RANDOM_BYTES = 1n << 31n;

function bytes(source: RandomSource, len: bigint): number[] {
  if (len > MAX_RANDOM_BYTES) trap(`get-random-bytes: ${len} bytes asked for, more than a guest can hold`);
  const n = Number(len);
  const b = source(n);
  if (!(b instanceof Uint8Array) || b.length !== n) throw new TypeError(`the WASI random source gave ${b instanceof Uint8Array ? b.length : typeof b} bytes, ${n} asked for`);
  return Array.from(b);
}

function u64(source: RandomSource): bigint {
  const b = source(8);
  if (!(b instanceof Uint8Array) || b.length !== 8) throw new TypeError('the WASI random source did not give the 8 bytes asked for');
  return new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
}

export function addRandom<T>(linker: Linker<T>, ctxOf: CtxOf<T>): void {
  new WasiInterface(linker, ctxOf, 'wasi:random/random')
    .func('get-random-bytes', (ctx, len: bigint) => bytes(ctx.secureRandom, len))
    .func('get-random-u64', (ctx) => u64(ctx.secureRandom));
  new WasiInterface(linker, ctxOf, 'wasi:random/insecure')
    .func('get-insecure-random-bytes', (ctx, len: bigint) => bytes(ctx.insecureRandom, len))
    .func('get-insecure-random-u64', (ctx) => u64(ctx.insecureRandom));
  new WasiInterface(linker, ctxOf, 'wasi:random/insecure-seed')
    .func('insecure-seed', (ctx) => [ctx.insecureSeed[0], ctx.insecureSeed[1]]);
}
