// The WASI 0.2 host (src/wasi/) with hand-written components
// (test/fixtures/wasi/*.wat), on both core engines: stdio captured by JS
// sinks, stdin from bytes, args and env, exit statuses, filesystem reads and
// writes through a preopen in a temporary folder, a read-only preopen
// refusing changes with WASI's error codes, fake clocks, random sources, a
// host-made output stream, and imports of 0.2.11 served by the 0.2.6 host.

import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Component, Engine, Linker, Store, Trap, WasiCtx, WasiCtxBuilder, WasiExit, wasiExitOf, addToLinkerSync, runCommand, ResourceValue, wasiTypes,
  type ComponentValue,
} from '../src/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixture = (name: string) => readFileSync(join(root, 'test', 'fixtures', 'wasi', name), 'utf8');
const text = (chunks: Uint8Array[]) => Buffer.concat(chunks).toString('utf8');
const bytes = (s: string) => [...Buffer.from(s)];

const NONE = { read: false, write: false, 'file-integrity-sync': false, 'data-integrity-sync': false, 'requested-write-sync': false, 'mutate-directory': false };
const NO_OPEN = { create: false, directory: false, exclusive: false, truncate: false };

for (const coreEngine of ['interp', 'native'] as const) {
  describe(`wasi host on ${coreEngine}`, function () {
    this.timeout(20_000);
    const engine = new Engine({ coreEngine });
    const components = new Map<string, Component>();
    const load = async (name: string) => {
      let c = components.get(name);
      if (c === undefined) components.set(name, (c = await Component.fromText(engine, fixture(name))));
      return c;
    };
    async function instantiate(name: string, ctx: WasiCtx) {
      const store = new Store(engine);
      const instance = await addToLinkerSync(new Linker(engine), ctx).instantiate(store, await load(name));
      const call = async (f: string, ...args: ComponentValue[]) => (await instance.getFunc(f)!.call(store, args))[0];
      return { store, instance, call };
    }

    describe('io and cli stdio', () => {
      it('prints "hello" to a JS sink through wasi:cli/stdout and wasi:io/streams (imports of 0.2.11)', async () => {
        const out: Uint8Array[] = [];
        const err: Uint8Array[] = [];
        const { call } = await instantiate('streams.wat', new WasiCtxBuilder().stdout((b) => out.push(b)).stderr((b) => err.push(b)).build());
        expect(await call('hello')).to.deep.equal({ tag: 'ok' });
        expect(text(out)).to.equal('hello\n');
        expect(text(err)).to.equal('oops\n');
      });

      it('runs the command export with runCommand: status 0', async () => {
        const out: Uint8Array[] = [];
        const { store, instance } = await instantiate('streams.wat', new WasiCtxBuilder().stdout((b) => out.push(b)).build());
        expect(await runCommand(store, instance)).to.equal(0);
        expect(text(out)).to.equal('hello\n');
      });

      it('throws stdout and stderr away unless configured', async () => {
        const { call } = await instantiate('streams.wat', new WasiCtxBuilder().build());
        expect(await call('hello')).to.deep.equal({ tag: 'ok' });
      });

      it('reads stdin from bytes, then reports it closed; without stdin, closed at once', async () => {
        const { call } = await instantiate('streams.wat', new WasiCtxBuilder().stdin(new TextEncoder().encode('abcdef')).build());
        expect(await call('read', 4n)).to.deep.equal({ tag: 'ok', val: bytes('abcd') });
        // A new get-stdin handle reads on from where the last one stopped.
        expect(await call('read', 100n)).to.deep.equal({ tag: 'ok', val: bytes('ef') });
        expect(await call('read', 100n)).to.deep.equal({ tag: 'err', val: { tag: 'closed' } });
        const empty = await instantiate('streams.wat', new WasiCtxBuilder().build());
        expect(await empty.call('read', 1n)).to.deep.equal({ tag: 'err', val: { tag: 'closed' } });
      });

      it('gives a guest a host-made output stream and reads back what it wrote (newOutputPipe)', async () => {
        const ctx = new WasiCtxBuilder().build();
        const { call } = await instantiate('streams.wat', ctx);
        const pipe = ctx.newOutputPipe();
        expect(pipe.stream.type).to.equal(wasiTypes.outputStream);
        expect(await call('write-to', pipe.stream, bytes('hello'))).to.deep.equal({ tag: 'ok' });
        const again = ctx.newOutputPipe(4);
        expect(await call('write-to', again.stream, bytes('gussie'))).to.deep.equal({ tag: 'err', val: { tag: 'closed' } });
        expect(Buffer.from(pipe.contents()).toString()).to.equal('hello');
        expect(again.contents().length).to.equal(0);
      });

      it('traps when a blocking-write-and-flush carries more than 4096 bytes', async () => {
        const ctx = new WasiCtxBuilder().build();
        const { call } = await instantiate('streams.wat', ctx);
        let caught: unknown;
        try {
          await call('write-to', ctx.newOutputPipe().stream, new Array(4097).fill(65));
        } catch (e) {
          caught = e;
        }
        expect(caught).to.be.instanceOf(Trap);
        expect((caught as Error).message).to.match(/Buffer too large for blocking-write-and-flush \(expected at most 4096\)/);
      });
    });

    describe('cli environment and exit', () => {
      it('gives the guest its args and env, and nothing of the process unless asked', async () => {
        const ctx = new WasiCtxBuilder().args(['prog', 'a', '', 'with 🚩 emoji']).env({ K: 'V', frabjous: 'day' }).env([['K', 'W']]).build();
        const { call } = await instantiate('cli.wat', ctx);
        expect(await call('args')).to.deep.equal(['prog', 'a', '', 'with 🚩 emoji']);
        expect(await call('env')).to.deep.equal([['K', 'W'], ['frabjous', 'day']]);
        expect(await call('cwd')).to.deep.equal({ tag: 'none' });
        const bare = await instantiate('cli.wat', new WasiCtxBuilder().initialCwd('/').build());
        expect(await bare.call('args')).to.deep.equal([]);
        expect(await bare.call('env')).to.deep.equal([]);
        expect(await bare.call('cwd')).to.deep.equal({ tag: 'some', val: '/' });
      });

      it('inherits the environment of the process with inheritEnv', async () => {
        process.env.CMR_WASI_TEST = 'inherited';
        try {
          const { call } = await instantiate('cli.wat', new WasiCtxBuilder().inheritEnv().build());
          expect(await call('env')).to.deep.include(['CMR_WASI_TEST', 'inherited']);
        } finally {
          delete process.env.CMR_WASI_TEST;
        }
      });

      it('ends the call with a trap whose cause is WasiExit carrying the status; the instance cannot be entered again', async () => {
        for (const [fail, code] of [[true, 1], [false, 0]] as const) {
          const { call } = await instantiate('cli.wat', new WasiCtxBuilder().args(['p']).build());
          let caught: unknown;
          try {
            await call('exit', fail);
          } catch (e) {
            caught = e;
          }
          expect(caught).to.be.instanceOf(Trap);
          expect((caught as Error).cause).to.be.instanceOf(WasiExit);
          expect(wasiExitOf(caught)?.code).to.equal(code);
          let again: unknown;
          try { await call('args'); } catch (e) { again = e; }
          expect(again).to.be.instanceOf(Trap);
        }
      });
    });

    describe('filesystem', () => {
      let dir: string;
      beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), 'cmr-wasi-'));
        writeFileSync(join(dir, 'bar.txt'), 'And stood awhile in thought');
        mkdirSync(join(dir, 'sub'));
      });
      afterEach(() => rmSync(dir, { recursive: true, force: true }));

      it('reads a file through a preopen, from an offset', async () => {
        const { call } = await instantiate('filesystem.wat', new WasiCtxBuilder().preopenedDir(dir, '/').build());
        expect(await call('read-file', 'bar.txt', 0n)).to.deep.equal({ tag: 'ok', val: [bytes('And stood awhile in thought'), false] });
        expect(await call('read-file', 'sub/../bar.txt', 11n)).to.deep.equal({ tag: 'ok', val: [bytes('while in thought'), false] });
        expect(await call('read-file', 'bar.txt', 27n)).to.deep.equal({ tag: 'ok', val: [[], true] });
        expect(await call('read-file', 'nope.txt', 0n)).to.deep.equal({ tag: 'err', val: 'no-entry' });
      });

      it('creates folders and files in a writable preopen', async () => {
        const { call } = await instantiate('filesystem.wat', new WasiCtxBuilder().preopenedDir(dir, '/').build());
        expect(await call('mkdir', 'sub2')).to.deep.equal({ tag: 'ok' });
        expect(existsSync(join(dir, 'sub2'))).to.equal(true);
        expect(await call('mkdir', 'sub2')).to.deep.equal({ tag: 'err', val: 'exist' });
        expect(await call('open', 'new.txt', { ...NO_OPEN, create: true }, { ...NONE, write: true })).to.deep.equal({ tag: 'ok' });
        expect(existsSync(join(dir, 'new.txt'))).to.equal(true);
      });

      it('refuses every change through a read-only preopen, and still reads', async () => {
        const { call } = await instantiate('filesystem.wat', new WasiCtxBuilder().preopenedDir(dir, '/', { readOnly: true }).build());
        expect(await call('read-file', 'bar.txt', 0n)).to.deep.equal({ tag: 'ok', val: [bytes('And stood awhile in thought'), false] });
        expect(await call('mkdir', 'sub2')).to.deep.equal({ tag: 'err', val: 'not-permitted' });
        expect(await call('open', 'new.txt', { ...NO_OPEN, create: true }, { ...NONE, write: true })).to.deep.equal({ tag: 'err', val: 'not-permitted' });
        expect(await call('open', 'bar.txt', NO_OPEN, { ...NONE, read: true, write: true })).to.deep.equal({ tag: 'err', val: 'not-permitted' });
        expect(await call('open', 'bar.txt', { ...NO_OPEN, truncate: true }, { ...NONE, read: true })).to.deep.equal({ tag: 'err', val: 'not-permitted' });
        expect(await call('open', 'bar.txt', NO_OPEN, { ...NONE, read: true })).to.deep.equal({ tag: 'ok' });
        expect(existsSync(join(dir, 'sub2'))).to.equal(false);
        expect(existsSync(join(dir, 'new.txt'))).to.equal(false);
        expect(readFileSync(join(dir, 'bar.txt'), 'utf8')).to.equal('And stood awhile in thought');
      });

      it('keeps paths inside the preopen: absolute paths, `..` above it and links out of it are not permitted', async () => {
        const outside = mkdtempSync(join(tmpdir(), 'cmr-wasi-outside-'));
        try {
          writeFileSync(join(outside, 'secret.txt'), 'secret');
          symlinkSync(outside, join(dir, 'escape'));
          const { call } = await instantiate('filesystem.wat', new WasiCtxBuilder().preopenedDir(dir, '/').build());
          expect(await call('read-file', '/bar.txt', 0n)).to.deep.equal({ tag: 'err', val: 'not-permitted' });
          expect(await call('read-file', '../bar.txt', 0n)).to.deep.equal({ tag: 'err', val: 'not-permitted' });
          expect(await call('read-file', 'escape/secret.txt', 0n)).to.deep.equal({ tag: 'err', val: 'not-permitted' });
          expect(await call('mkdir', 'escape/x')).to.deep.equal({ tag: 'err', val: 'not-permitted' });
          expect(existsSync(join(outside, 'x'))).to.equal(false);
        } finally {
          rmSync(outside, { recursive: true, force: true });
        }
      });

      it('releases what is left open when the context is closed: its handles stop working', async () => {
        const ctx = new WasiCtxBuilder().preopenedDir(dir, '/').build();
        const { call } = await instantiate('streams.wat', ctx);
        const pipe = ctx.newOutputPipe();
        expect(ctx.owned.size).to.equal(1);
        ctx.close();
        expect(ctx.owned.size).to.equal(0);
        let caught: unknown;
        try {
          await call('write-to', pipe.stream, bytes('late'));
        } catch (e) {
          caught = e;
        }
        expect(caught).to.be.instanceOf(Trap);
        expect((caught as Error).message).to.match(/WASI output-stream handle \(rep \d+\) is no longer valid/);
      });
    });

    describe('clocks and random', () => {
      it('reads fake clocks', async () => {
        let t = 0n;
        const ctx = new WasiCtxBuilder()
          .wallClock({ now: () => ({ seconds: 1431648000n, nanoseconds: 100 }), resolution: () => ({ seconds: 1n, nanoseconds: 0 }) })
          .monotonicClock({ now: () => (t += 42_000_000_000n), resolution: () => 1_000_000_000n })
          .build();
        const { call } = await instantiate('clocks-random.wat', ctx);
        expect(await call('wall-now')).to.deep.equal({ seconds: 1431648000n, nanoseconds: 100 });
        expect(await call('wall-resolution')).to.deep.equal({ seconds: 1n, nanoseconds: 0 });
        expect(await call('mono-now')).to.equal(42_000_000_000n);
        expect(await call('mono-now')).to.equal(84_000_000_000n);
      });

      it('reads the host clocks by default', async () => {
        const { call } = await instantiate('clocks-random.wat', new WasiCtxBuilder().build());
        const now = (await call('wall-now')) as { seconds: bigint };
        expect(Number(now.seconds)).to.be.closeTo(Date.now() / 1000, 5);
        const a = (await call('mono-now')) as bigint;
        const b = (await call('mono-now')) as bigint;
        expect(b >= a).to.equal(true);
      });

      it('sleeps on a monotonic-clock pollable until it is ready', async () => {
        const { call } = await instantiate('clocks-random.wat', new WasiCtxBuilder().build());
        // 250 ms, not less: 'not ready at once' must hold on a loaded machine
        // too, where subscribe and the readiness check can be tens of ms apart.
        const start = process.hrtime.bigint();
        expect(await call('sleep', 250_000_000n)).to.equal(false);
        expect(Number(process.hrtime.bigint() - start) / 1e6).to.be.at.least(249);
        expect(await call('sleep', 0n)).to.equal(true);
      });

      it('draws random bytes from the configured sources, and one insecure seed per context', async () => {
        let n = 0;
        const counting = (len: number) => Uint8Array.from({ length: len }, () => n++ & 0xff);
        const ctx = new WasiCtxBuilder().secureRandom(counting).insecureSeed([7n, 9n]).build();
        const { call } = await instantiate('clocks-random.wat', ctx);
        expect(await call('random-bytes', 4n)).to.deep.equal([0, 1, 2, 3]);
        expect(await call('random-u64')).to.equal(0x0b0a090807060504n);
        expect(await call('seed')).to.deep.equal([7n, 9n]);
        expect(await call('seed')).to.deep.equal([7n, 9n]);
        const host = await instantiate('clocks-random.wat', new WasiCtxBuilder().build());
        expect((await host.call('random-bytes', 16n)) as number[]).to.have.length(16);
      });
    });

    it('serves many stores from one linker with a context per store', async () => {
      const linker = addToLinkerSync(new Linker<{ wasi: WasiCtx }>(engine), (store) => store.data.wasi);
      const component = await load('cli.wat');
      const results: ComponentValue[] = [];
      for (const name of ['one', 'two']) {
        const store = new Store(engine, { data: { wasi: new WasiCtxBuilder().args([name]).build() } });
        const instance = await linker.instantiate(store, component);
        results.push((await instance.getFunc('args')!.call(store, []))[0]!);
      }
      expect(results).to.deep.equal([['one'], ['two']]);
    });

    it('accepts a host-made stream value as an owned handle only once', async () => {
      const ctx = new WasiCtxBuilder().build();
      const { call } = await instantiate('streams.wat', ctx);
      const pipe = ctx.newOutputPipe();
      await call('write-to', pipe.stream, bytes('x'));
      let caught: unknown;
      try {
        await call('write-to', pipe.stream, bytes('y'));
      } catch (e) {
        caught = e;
      }
      expect(caught).to.be.instanceOf(Error);
      expect(pipe.stream).to.be.instanceOf(ResourceValue);
      expect(Buffer.from(pipe.contents()).toString()).to.equal('x');
    });
  });
}
