// Real WASI 0.2 components through the WASI host and the API, on both core
// engines: jsco-wat/hello (imports of 0.2.11), and wasmtime's own test
// programs run as wasmtime's tests run them (wasmtime-p2/manifest.json):
// stdout and stderr, a preopened copy of fixtures/, fake clocks, a read-only
// preopen, exit statuses, non-ASCII arguments, the reactor with a host-made
// output stream. The corpus is read from ../shared/real-world or
// $CMR_REAL_WORLD; without it, every test here is skipped with that reason.

import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Component, Engine, Linker, Store, Trap, addToLinkerSync, runCommand, WasiCtxBuilder, type ComponentValue } from '../src/index.js';
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

    /** Runs a manifest command; resolves to its status and output. */
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
        const files = Object.fromEntries(Object.keys(e.expect.files ?? {}).map((f) => [f, readFileSync(join(run.folder!, f), 'utf8')]));
        const left = run.folder === null ? null : { newTxt: existsSync(join(run.folder, 'new.txt')), sub2: existsSync(join(run.folder, 'sub2')), bar: readFileSync(join(run.folder, 'bar.txt'), 'utf8') };
        return { e, status, stdout: run.stdout(), stderr: run.stderr(), files, left };
      } finally {
        run.dispose();
      }
    }

    it('runs jsco-wat/hello (wasi:cli/run@0.2.11 printing through streams 0.2.11)', async () => {
      const out: Uint8Array[] = [];
      const ctx = new WasiCtxBuilder().stdout((b) => out.push(b)).build();
      const store = new Store(engine);
      const instance = await addToLinkerSync(new Linker(engine), ctx).instantiate(store, await load('jsco-wat/hello.wasm'));
      expect(await runCommand(store, instance)).to.equal(0);
      expect(Buffer.concat(out).toString()).to.equal('hello from jsco\n');
    });

    it('p2_cli_hello_stdout: prints to stdout and stderr, exit 0', async () => {
      const r = await runEntry('p2_cli_hello_stdout.component.wasm');
      expect(r.status).to.equal(0);
      expect(r.stdout).to.equal(r.e.expect.stdout);
      expect(r.stderr).to.equal(r.e.expect.stderr);
    });

    it('p2_cli_file_read: reads through a preopened copy of fixtures/', async () => {
      const r = await runEntry('p2_cli_file_read.component.wasm');
      expect(r.status).to.equal(0);
      expect(r.stdout).to.equal(r.e.expect.stdout);
    });

    it('p2_cli_file_append: appends, and the file holds what wasmtime expects', async () => {
      const r = await runEntry('p2_cli_file_append.component.wasm');
      expect(r.status).to.equal(0);
      expect(r.files).to.deep.equal(r.e.expect.files);
    });

    it('p2_api_time: reads the fake clocks wasmtime installs', async () => {
      const r = await runEntry('p2_api_time.component.wasm');
      expect(r.status).to.equal(0);
    });

    it('p2_api_read_only: every change through the read-only preopen fails, nothing changes', async () => {
      const r = await runEntry('p2_api_read_only.component.wasm');
      expect(r.status).to.equal(0);
      expect(r.left).to.deep.equal({ newTxt: false, sub2: false, bar: 'And stood awhile in thought' });
    });

    it('p2_cli_args: arguments with an empty string and an emoji', async () => {
      const r = await runEntry('p2_cli_args.component.wasm');
      expect(r.status).to.equal(0);
    });

    it('p2_cli_exit_failure and p2_cli_exit_panic: exit status 1, and a trap with the panic on stderr', async () => {
      expect((await runEntry('p2_cli_exit_failure.component.wasm')).status).to.equal(1);
      const panic = await runEntry('p2_cli_exit_panic.component.wasm');
      expect(panic.status).to.equal('trap');
      for (const s of panic.e.expect.stderrContains ?? []) expect(panic.stderr).to.include(s);
    });

    it('p2_api_reactor: the four exports, with a host-made output stream read back', async () => {
      const e = manifestEntry('p2_api_reactor.component.wasm');
      const run = contextFor(e);
      try {
        const store = new Store(engine);
        const instance = await addToLinkerSync(new Linker(engine), run.ctx).instantiate(store, await load(join('wasmtime-p2', e.file)));
        const call = async (name: string, args: ComponentValue[]) => (await instance.getFunc(name)!.call(store, args))[0];
        const [add, get, write, record] = e.invocations!;
        expect(await call('add-strings', add!.args as ComponentValue[])).to.equal(add!.result);
        expect(await call('get-strings', [])).to.deep.equal(get!.result);
        const pipe = run.ctx.newOutputPipe(4096);
        expect(await call('write-strings-to', [pipe.stream])).to.deep.equal(write!.result);
        expect(Buffer.from(pipe.contents()).toString()).to.equal(write!.streamContents);
        const stat = record!.args[0] as Record<string, unknown>;
        const time = (t: { seconds: number; nanoseconds: number }) => ({ tag: 'some', val: { seconds: BigInt(t.seconds), nanoseconds: t.nanoseconds } });
        const arg = {
          type: stat.type, 'link-count': BigInt(stat['link-count'] as number), size: BigInt(stat.size as number),
          'data-access-timestamp': time(stat['data-access-timestamp'] as never),
          'data-modification-timestamp': time(stat['data-modification-timestamp'] as never),
          'status-change-timestamp': time(stat['status-change-timestamp'] as never),
        } as ComponentValue;
        expect(await call('pass-an-imported-record', [arg])).to.equal(record!.result);
      } finally {
        run.dispose();
      }
    });
  });
}
