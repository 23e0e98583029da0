// One measurement for the bench's load row, in a fresh process as a user
// would start: the time from a component file to the first call's result.
//
//   node dist/scripts/load-time.js <interp|native> <file (.wasm or serialized)>
//
// Prints one line of JSON: { ms, cpuMs, loadMs, result, maxRss, warmMs } (ms:
// file to first result; cpuMs: the CPU time the process spent in that span,
// on every thread (V8 compiles wasm on background threads): steadier than
// the wall time on a shared machine; loadMs: Component.fromFile alone;
// maxRss: the process's peak resident memory in bytes; warmMs: a second call). The component is the componentize-js
// hello (greet: func(string) -> string), given an empty WASI.

import { Component, Engine, Linker, Store } from '../src/api/index.js';
import { addToLinkerSync, WasiCtxBuilder } from '../src/wasi/index.js';

async function main(): Promise<void> {
  const [engineName, file] = process.argv.slice(2) as ['interp' | 'native', string];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const engine = new Engine({ coreEngine: engineName });
  const component = await Component.fromFile(engine, file);
  const loaded = performance.now();
  const linker = addToLinkerSync(new Linker(engine), new WasiCtxBuilder().build());
  const store = new Store(engine);
  const instance = await linker.instantiate(store, component);
  const greet = instance.getFunc('greet');
  if (greet === null) throw new Error('no export greet');
  const [result] = await greet.call(store, ['cmr']);
  const t1 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const maxRss = process.resourceUsage().maxRSS * 1024; // before the second call, which is not part of the load
  await greet.call(store, ['cmr']);
  const warmMs = performance.now() - t1;
  process.stdout.write(`${JSON.stringify({ ms: t1 - t0, cpuMs: (cpu.user + cpu.system) / 1000, loadMs: loaded - t0, result, maxRss, warmMs })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`load-time: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
