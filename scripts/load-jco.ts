// The bench's peer for the load rows, in a fresh process: jco (jco-transpile
// as `jco transpile` runs it, preview2-shim as WASI) from a component file to
// the first call's result: transpile, write the glue, import and instantiate
// it, call `greet`.
//
//   node dist/scripts/load-jco.js <component.wasm>
//
// Prints one line of JSON as load-time.ts does: { ms, result, maxRss }.

import { importJcoGlue } from './jco-glue.js';

async function main(): Promise<void> {
  const file = process.argv[2]!;
  const t0 = performance.now();
  const { glue, remove } = await importJcoGlue(file);
  try {
    const greet = glue.greet as ((name: string) => unknown) | undefined;
    if (typeof greet !== 'function') throw new Error('jco\'s glue exports no greet');
    const result = greet('cmr');
    const ms = performance.now() - t0;
    process.stdout.write(`${JSON.stringify({ ms, result, maxRss: process.resourceUsage().maxRSS * 1024 })}\n`);
  } finally {
    remove();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`load-jco: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
