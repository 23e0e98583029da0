// One measurement for the bench's decode + validate row, in a fresh
// process: core modules (raw .wasm files) decoded and validated as cmr does
// inside a component (WebAssembly 3.0 as far as cmr implements it; bodies
// validated as they are decoded), each `runs` times.
//
//   node dist/scripts/decode-validate.js <runs> <module.wasm>...
//
// Prints one line of JSON: { bytes, ms, cpuMs, heapPerByte, rssPerByte }:
// the input's total size, the best run's wall time and CPU time (user and
// system: on a shared machine, what the work itself took) for all of it,
// and per byte of the
// largest input (each module is decoded and validated alone, so the largest
// one sets the peak) the peak above what the process held before the first
// run (the inputs read, the code loaded): of the JS heap (V8's used heap,
// sampled after each function body is decoded and validated, while its
// tree is alive, in a run of its own) and of resident memory (the process's
// high-water mark).

import { readFileSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { decodeModule, type BodyVisitor } from '../src/core/binary/decode.js';
import { earlyBodyCheck, validateModule } from '../src/core/valid/validate.js';
import { WASM_3_0_SUPPORTED } from '../src/core/syntax/feature-set.js';

function main(): void {
  const [runs, ...files] = process.argv.slice(2);
  const inputs = files.map((f) => new Uint8Array(readFileSync(f)));
  const bytes = inputs.reduce((n, b) => n + b.length, 0);
  const largest = Math.max(...inputs.map((b) => b.length));
  const before = process.memoryUsage().rss;
  let best = Infinity;
  let bestCpu = Infinity;
  for (let i = 0; i < Number(runs); i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (const b of inputs) validateModule(decodeModule(b, WASM_3_0_SUPPORTED, earlyBodyCheck()), WASM_3_0_SUPPORTED);
    const cpu = process.cpuUsage(c0);
    best = Math.min(best, performance.now() - t0);
    bestCpu = Math.min(bestCpu, (cpu.user + cpu.system) / 1000);
  }
  const peak = process.resourceUsage().maxRSS * 1024;
  // The heap: a last run whose body check samples the heap after each body.
  const heapBefore = getHeapStatistics().used_heap_size;
  let heapPeak = heapBefore;
  for (const b of inputs) {
    const check = earlyBodyCheck();
    const sampling: BodyVisitor = {
      begin: (m, types, features) => check.begin(m, types, features),
      body: (i, at, code) => {
        check.body(i, at, code);
        heapPeak = Math.max(heapPeak, getHeapStatistics().used_heap_size);
      },
      end: (m) => check.end(m),
    };
    validateModule(decodeModule(b, WASM_3_0_SUPPORTED, sampling), WASM_3_0_SUPPORTED);
    heapPeak = Math.max(heapPeak, getHeapStatistics().used_heap_size);
  }
  process.stdout.write(`${JSON.stringify({ bytes, ms: best, cpuMs: bestCpu, heapPerByte: (heapPeak - heapBefore) / largest, rssPerByte: Math.max(peak - before, 0) / largest })}\n`);
}

main();
