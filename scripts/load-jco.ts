// The bench's peer for the load rows, in a fresh process: jco (jco-transpile
// as `jco transpile` runs it, preview2-shim as WASI) from a component file to
// the first call's result: transpile, write the glue, import and instantiate
// it, call `greet`.
//
//   node dist/scripts/load-jco.js <component.wasm>
//
// Prints one line of JSON as load-time.ts does: { ms, result, maxRss }.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { jcoTranspile } from '../src/cli/run-jco.js';

async function main(): Promise<void> {
  const file = process.argv[2]!;
  const t0 = performance.now();
  const out = await jcoTranspile(new Uint8Array(readFileSync(file)));
  const dir = mkdtempSync(join(tmpdir(), 'cmr-bench-jco-'));
  try {
    for (const [name, data] of out.files) writeFileSync(join(dir, name), data);
    const glue = (await import(pathToFileURL(join(dir, 'component.js')).href)) as { greet?: (name: string) => unknown };
    if (typeof glue.greet !== 'function') throw new Error('jco\'s glue exports no greet');
    const result = glue.greet('cmr');
    const ms = performance.now() - t0;
    process.stdout.write(`${JSON.stringify({ ms, result, maxRss: process.resourceUsage().maxRSS * 1024 })}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`load-jco: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
