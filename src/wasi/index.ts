// A WASI 0.2 host for cmr's component API, in the shape of wasmtime-wasi:
// WasiCtxBuilder makes a WasiCtx, addToLinkerSync puts every interface into
// a Linker. Host functions are synchronous (the native engine cannot
// suspend wasm), so they work on both core engines and with Func.callSync.

import type { Linker } from '../api/linker.js';
import type { Store } from '../api/store.js';
import { addCli } from './cli.js';
import { addClocks } from './clocks.js';
import { WasiCtx } from './ctx.js';
import { addFilesystem } from './filesystem.js';
import { addIo } from './io.js';
import type { CtxOf } from './link.js';
import { addRandom } from './random.js';

export { WasiCtx, WasiCtxBuilder, WasiExit, type OutputPipe, type Preopen, type StdinConfig, type OutputConfig, type RandomSource } from './ctx.js';
export type { Datetime, WallClock, MonotonicClock } from './clocks.js';
export { wasiTypes } from './resources.js';
export { WASI_VERSION } from './link.js';
export { runCommand, findRunExport, isRunExport, wasiExitOf } from './command.js';

/**
 * Defines every WASI 0.2 interface cmr implements in `linker` (wasmtime's
 * `add_to_linker_sync`): wasi:cli, wasi:io, wasi:clocks, wasi:filesystem,
 * wasi:random, at version WASI_VERSION, which serves imports of any 0.2.x.
 *
 * `ctx` is the context every instance made with this linker uses, or a
 * function that finds the context from the store of the calling instance
 * (`(store) => store.data.wasi`), for one linker serving many stores.
 */
export function addToLinkerSync<T>(linker: Linker<T>, ctx: WasiCtx | ((store: Store<T>) => WasiCtx)): Linker<T> {
  const ctxOf: CtxOf<T> = ctx instanceof WasiCtx ? () => ctx : (store) => {
    const c = ctx(store);
    if (!(c instanceof WasiCtx)) throw new TypeError('addToLinkerSync: the context function did not return a WasiCtx');
    return c;
  };
  addIo(linker, ctxOf);
  addCli(linker, ctxOf);
  addClocks(linker, ctxOf);
  addFilesystem(linker, ctxOf);
  addRandom(linker, ctxOf);
  return linker;
}
