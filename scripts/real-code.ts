// The bench's real-code row, one engine in a fresh process: a warm call of
// compiled code that is not a kernel. The componentize-js `rich` component
// is SpiderMonkey (C++ compiled by clang) running JavaScript; its `sum`
// (local:rich/types#sum: func(xs: list<u32>) -> u64) is a JavaScript
// `for … of` loop over the list. Called until at least 10 calls and
// `minMs` have passed; warm is the best of the last half (the kernels'
// rule: on a shared machine load only ever adds to a call's time).
//
//   node dist/scripts/real-code.js <interp|native|jco> <component.wasm> <n>
//
// Prints one line of JSON: { firstMs, warmMs, calls, result }.

import { Component, Engine, Linker, Store } from '../src/api/index.js';
import { addToLinkerSync, WasiCtxBuilder } from '../src/wasi/index.js';
import { importJcoGlue } from './jco-glue.js';

type Sum = (xs: number[]) => Promise<unknown> | unknown;

/** `sum` on cmr's engine, or through jco's glue (with preview2-shim as WASI); `done` removes what it made. */
async function sumOn(engineName: string, file: string): Promise<{ sum: Sum; done: () => void }> {
  if (engineName === 'jco') {
    const { glue, remove } = await importJcoGlue(file);
    const f = (glue.types as { sum?: Sum } | undefined)?.sum;
    if (typeof f !== 'function') { remove(); throw new Error('jco\'s glue exports no types.sum'); }
    return { sum: f, done: remove };
  }
  const engine = new Engine({ coreEngine: engineName as 'interp' | 'native' });
  const component = await Component.fromFile(engine, file);
  const linker = addToLinkerSync(new Linker(engine), new WasiCtxBuilder().build());
  const store = new Store(engine);
  const instance = await linker.instantiate(store, component);
  const f = instance.getFunc('local:rich/types#sum');
  if (f === null) throw new Error('no export local:rich/types#sum');
  return { sum: async (xs) => (await f.call(store, [xs]))[0], done: () => {} };
}

async function main(): Promise<void> {
  const [engineName, file, n] = process.argv.slice(2) as [string, string, string];
  // A plain array, as both jco's glue and Func.call take a list.
  const xs = Array.from({ length: Number(n) }, (_, i) => i % 1000);
  const want = xs.reduce((s, x) => s + x, 0);
  const { sum, done } = await sumOn(engineName, file);
  try {
    const times: number[] = [];
    let result: unknown;
    const start = performance.now();
    while (times.length < 10 || performance.now() - start < 500) {
      const t0 = performance.now();
      result = await sum(xs);
      times.push(performance.now() - t0);
      if (BigInt(result as bigint | number) !== BigInt(want)) throw new Error(`sum answered ${String(result)}, not ${want}`);
    }
    const warmMs = Math.min(...times.slice(times.length >> 1));
    process.stdout.write(`${JSON.stringify({ firstMs: times[0], warmMs, calls: times.length, result: String(result) })}\n`);
  } finally {
    done();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`real-code: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
