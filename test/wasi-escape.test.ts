// The WASI host's sandbox against hostile trees: symbolic links planted in
// a preopen that lead out of it, followed by every way of reaching a file
// (a read, a create through a link whose target does not exist yet), on
// both core engines. WASI's answer is `not-permitted`, and nothing outside
// the preopen is read, created or changed.

import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Component, Engine, Linker, Store, WasiCtxBuilder, addToLinkerSync, type ComponentValue } from '../src/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const NONE = { read: false, write: false, 'file-integrity-sync': false, 'data-integrity-sync': false, 'requested-write-sync': false, 'mutate-directory': false };
const NO_OPEN = { create: false, directory: false, exclusive: false, truncate: false };
const NOT_PERMITTED = { tag: 'err', val: 'not-permitted' };

for (const coreEngine of ['interp', 'native'] as const) {
  describe(`wasi sandbox on ${coreEngine}: links out of a preopen`, function () {
    this.timeout(20_000);
    const engine = new Engine({ coreEngine });
    let component: Component;
    let dir: string;
    let outside: string;
    before(async () => {
      component = await Component.fromText(engine, readFileSync(join(root, 'test', 'fixtures', 'wasi', 'filesystem.wat'), 'utf8'));
    });
    beforeEach(() => {
      const top = mkdtempSync(join(tmpdir(), 'cmr-escape-'));
      dir = join(top, 'pre');
      outside = join(top, 'outside');
      mkdirSync(dir);
      mkdirSync(outside);
      writeFileSync(join(outside, 'secret.txt'), 'secret');
      writeFileSync(join(dir, 'bar.txt'), 'bar');
    });
    afterEach(() => rmSync(dirname(dir), { recursive: true, force: true }));

    async function call(f: string, ...args: ComponentValue[]): Promise<ComponentValue> {
      const store = new Store(engine);
      const instance = await addToLinkerSync(new Linker(engine), new WasiCtxBuilder().preopenedDir(dir, '/').build()).instantiate(store, component);
      return (await instance.getFunc(f)!.call(store, args))[0]!;
    }
    const create = (path: string) => call('open', path, { ...NO_OPEN, create: true }, { ...NONE, write: true });

    it('does not create a file through a link to a name outside that does not exist yet', async () => {
      symlinkSync(join(outside, 'new.txt'), join(dir, 'dangling-abs'));
      symlinkSync(join('..', basename(outside), 'new2.txt'), join(dir, 'dangling-rel'));
      expect(await create('dangling-abs')).to.deep.equal(NOT_PERMITTED);
      expect(await create('dangling-rel')).to.deep.equal(NOT_PERMITTED);
      expect(existsSync(join(outside, 'new.txt'))).to.equal(false);
      expect(existsSync(join(outside, 'new2.txt'))).to.equal(false);
    });

    it('does not follow a chain of links out, nor a link to a folder outside', async () => {
      symlinkSync('b', join(dir, 'a'));
      symlinkSync(join('..', basename(outside), 'secret.txt'), join(dir, 'b'));
      symlinkSync(outside, join(dir, 'out'));
      expect(await call('read-file', 'a', 0n)).to.deep.equal(NOT_PERMITTED);
      expect(await call('read-file', 'out/secret.txt', 0n)).to.deep.equal(NOT_PERMITTED);
      expect(await create('out/new.txt')).to.deep.equal(NOT_PERMITTED);
      expect(existsSync(join(outside, 'new.txt'))).to.equal(false);
    });

    it('answers `loop` for links that lead to each other, when reading and when creating', async () => {
      symlinkSync('ping', join(dir, 'pong'));
      symlinkSync('pong', join(dir, 'ping'));
      expect(await call('read-file', 'ping', 0n)).to.deep.equal({ tag: 'err', val: 'loop' });
      expect(await create('pong')).to.deep.equal({ tag: 'err', val: 'loop' });
    });

    it('follows links that stay inside, and creates through a dangling one that points inside', async () => {
      mkdirSync(join(dir, 'sub'));
      symlinkSync('../bar.txt', join(dir, 'sub', 'up'));
      symlinkSync('sub/made.txt', join(dir, 'to-made'));
      expect(await call('read-file', 'sub/up', 0n)).to.deep.equal({ tag: 'ok', val: [[...Buffer.from('bar')], false] });
      expect(await create('to-made')).to.deep.equal({ tag: 'ok' });
      expect(existsSync(join(dir, 'sub', 'made.txt'))).to.equal(true);
    });
  });
}
