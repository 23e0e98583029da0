// A real WASI 0.2 component through the WASI host and the API, on both core
// engines, for what the real-world run (scripts/real-world.ts, part of the
// gate) does not check: it runs every program of wasmtime-p2/manifest.json
// on both engines and holds each to the manifest (exit status, output, the
// files it names, the reactor's export calls), but does not look at the
// preopened folder after p2_api_read_only, whose point is that nothing in
// it changes. The corpus is read from ../shared/real-world or
// $CMR_REAL_WORLD; without it, every test here is skipped with that reason.

import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Component, Engine, Linker, Store, Trap, addToLinkerSync, runCommand } from '../src/index.js';
import { contextFor, manifestEntry, realWorldDir, realWorldMissing } from './support/wasi-manifest.js';

const missing = realWorldMissing();

for (const coreEngine of ['interp', 'native'] as const) {
  describe(`wasi real world on ${coreEngine}${missing === null ? '' : ` (skipped: ${missing})`}`, function () {
    this.timeout(120_000);
    before(function () {
      if (missing !== null) this.skip();
    });
    const engine = new Engine({ coreEngine });
    const load = async (path: string) => Component.fromBinary(engine, readFileSync(join(realWorldDir, path)));

    /** Runs a manifest command; resolves to its status and what is left in its preopened folder. */
    async function runEntry(file: string) {
      const e = manifestEntry(file);
      const run = contextFor(e);
      try {
        const store = new Store(engine);
        const instance = await addToLinkerSync(new Linker(engine), run.ctx).instantiate(store, await load(join('wasmtime-p2', file)));
        let status: number | 'trap';
        try {
          status = await runCommand(store, instance);
        } catch (err) {
          if (!(err instanceof Trap)) throw err;
          status = 'trap';
        }
        const left = run.folder === null ? null : { newTxt: existsSync(join(run.folder, 'new.txt')), sub2: existsSync(join(run.folder, 'sub2')), bar: readFileSync(join(run.folder, 'bar.txt'), 'utf8') };
        return { status, left };
      } finally {
        run.dispose();
      }
    }

    it('p2_api_read_only: every change through the read-only preopen fails, nothing changes', async () => {
      const r = await runEntry('p2_api_read_only.component.wasm');
      expect(r.status).to.equal(0);
      expect(r.left).to.deep.equal({ newTxt: false, sub2: false, bar: 'And stood awhile in thought' });
    });
  });
}
