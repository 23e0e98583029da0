// Errors of the embedder API and of `cmr run` for careless input: typed,
// naming the path or the function at fault, never a raw Node or Rust
// message (issue 12).

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Component, ComponentError, Engine, Linker, Store, Trap } from '../src/index.js';
import { rejection } from './support/core.js';
import { watToBinary } from '../src/text/wat.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');

function cmr(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const DOUBLE = `(component
  (import "double" (func $double (param "x" u32) (result u32)))
  (core func $d (canon lower (func $double)))
  (core module $m (import "host" "double" (func $d (param i32) (result i32)))
    (func (export "run") (param i32) (result i32) (call $d (local.get 0))))
  (core instance $i (instantiate $m (with "host" (instance (export "double" (func $d))))))
  (func (export "run") (param "x" u32) (result u32) (canon lift (core func $i "run"))))`;

describe('API and CLI errors', function () {
  this.timeout(120_000); // a ceiling for a hang: bounded work, some seconds on an idle machine and ten to fifteen times as long under c8 on a loaded 2-core one, or a spawn of cmr
  const engine = new Engine();

  it('new Engine refuses a coreEngine that is neither a known name nor an engine object', () => {
    expect(() => new Engine({ coreEngine: 'bogus' as 'interp' })).to.throw(RangeError, `coreEngine must be 'interp', 'native' or a CoreEngine object, got "bogus"`);
    expect(() => new Engine({ coreEngine: {} as unknown as 'interp' })).to.throw(RangeError, 'got an object (Object)');
    expect(new Engine({ coreEngine: engine.coreEngine }).coreEngine).to.equal(engine.coreEngine);
  });

  it('Func.call given its arguments as a string, not an array, says so (not "takes 1 argument, 3 given")', async () => {
    const component = await Component.fromFile(engine, join(root, 'examples', 'greet.wat'));
    const store = new Store(engine);
    const greet = (await new Linker(engine).instantiate(store, component)).getFunc('greet')!;
    const e = await rejection(greet.call(store, 'you' as unknown as string[]));
    expect(e).to.be.instanceOf(TypeError);
    expect(e.message).to.equal('function `greet` takes its arguments as an array, got string');
    expect(() => greet.callSync(store, 'you' as unknown as string[])).to.throw(TypeError, 'as an array');
    expect(await greet.call(store, ['you'])).to.deep.equal(['hello, you']);
  });

  it('Component.fromBinary(null) is a TypeError', async () => {
    const e = await rejection(Component.fromBinary(engine, null as unknown as Uint8Array));
    expect(e).to.be.instanceOf(TypeError);
    expect(e.message).to.equal("Component.fromBinary: expected the component's bytes as a Uint8Array, got null");
  });

  it('Component.fromFile on a missing path is a ComponentError naming the path', async () => {
    const e = await rejection(Component.fromFile(engine, '/no/such/dir/c.wasm'));
    expect(e).to.be.instanceOf(ComponentError);
    expect((e as ComponentError).stage).to.equal('read');
    expect(e.message).to.equal('cannot read /no/such/dir/c.wasm: no such file');
  });

  it('Component.deserializeFile on a missing path or a folder is a ComponentError naming the path, as fromFile', async () => {
    const e = await rejection(Component.deserializeFile(engine, '/no/such/dir/c.cwasm'));
    expect(e).to.be.instanceOf(ComponentError);
    expect((e as ComponentError).stage).to.equal('read');
    expect(e.message).to.equal('cannot read /no/such/dir/c.cwasm: no such file');
    const dir = await rejection(Component.deserializeFile(engine, '/'));
    expect(dir.message).to.equal('cannot read /: it is a folder, not a file');
  });

  it('Linker.instantiate and instantiatePre given no store or no component are TypeErrors naming the method', async () => {
    const linker = new Linker(engine);
    const component = await Component.fromBinary(engine, await watToBinary('(component)'));
    const noStore = await rejection(linker.instantiate(null as unknown as Store, component));
    expect(noStore).to.be.instanceOf(TypeError);
    expect(noStore.message).to.equal('Linker.instantiate: expected a Store, got null');
    const noComponent = await rejection(linker.instantiate(new Store(engine), {} as unknown as Component));
    // Linker.instantiate checks its component through instantiatePre.
    expect(noComponent.message).to.equal('Linker.instantiatePre: expected a Component, got an object (Object)');
    const pre = linker.instantiatePre(component);
    const preNoStore = await rejection(pre.instantiate(undefined as unknown as Store));
    expect(preNoStore.message).to.equal('InstancePre.instantiate: expected a Store, got undefined');
    // The right arguments still instantiate.
    expect(await linker.instantiate(new Store(engine), component)).to.be.an('object');
  });

  it('Component.fromFile reads a .wasm as binary even when it is empty or cut short (not as text)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmr-empty-'));
    const empty = join(dir, 'empty.wasm');
    writeFileSync(empty, new Uint8Array(0));
    const e = await rejection(Component.fromFile(engine, empty));
    expect(e).to.be.instanceOf(ComponentError);
    expect((e as ComponentError).stage).to.equal('decode');
    expect(e.message).to.equal(`${empty} is not WebAssembly: no \\0asm magic header`);
  });

  it('a core module or garbage is "not a component"', async () => {
    const core = await rejection(Component.fromBinary(engine, new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0])));
    expect(core).to.be.instanceOf(ComponentError);
    expect(core.message).to.match(/^not a component: this is a core WebAssembly module/);
    const junk = await rejection(Component.fromBinary(engine, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])));
    expect(junk.message).to.equal('not a component: the bytes are not WebAssembly: no \\0asm magic header');
  });

  it('cmr run names the path of a folder, and of bytes that are neither wasm nor text', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmr-run-'));
    const r = cmr('run', dir);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.equal(`cmr: cannot read ${dir}: it is a folder, not a file\n`);
    const junk = join(dir, 'junk.bin');
    writeFileSync(junk, Buffer.from([0, 1, 2, 3, 0xff]));
    const j = cmr('run', junk);
    expect(j.status).to.equal(1);
    expect(j.stderr).to.equal(`cmr: ${junk} is not WebAssembly: no \\0asm magic header, and not text\n`);
    expect(j.stderr).not.to.contain('Lex(');
  });

  it('a host function whose type has no result may not return a value (funcWrap and funcNew alike)', async () => {
    const component = await Component.fromText(engine, `(component
      (import "tick" (func $tick))
      (core func $t (canon lower (func $tick)))
      (core module $m (import "host" "tick" (func $t))
        (func (export "run") (call $t)))
      (core instance $i (instantiate $m (with "host" (instance (export "tick" (func $t))))))
      (func (export "run") (canon lift (core func $i "run"))))`);
    const run = async (define: (l: Linker) => void): Promise<unknown> => {
      const linker = new Linker(engine);
      define(linker);
      const store = new Store(engine);
      const instance = await linker.instantiate(store, component);
      return instance.getFunc('run')!.call(store, []);
    };
    expect(await run((l) => l.root().funcWrap('tick', () => {}))).to.deep.equal([]);
    const counted: number[] = [];
    const e = await rejection(run((l) => l.root().funcWrap('tick', () => counted.push(1))));
    expect(e).to.be.instanceOf(Trap);
    expect(e.cause).to.be.instanceOf(TypeError);
    expect(e.message).to.equal('host function `tick` returned a value (number 1), but its type func() has no result (return nothing)');
    const p = await rejection(run((l) => l.root().funcWrap('tick', async () => ({ ok: true }))));
    expect(p.message).to.equal('host function `tick` returned a value (an object (Object)), but its type func() has no result (return nothing)');
    const n = await rejection(run((l) => l.root().funcNew('tick', () => [7])));
    expect(n.message).to.equal('host function `tick` must return a list of no values, got 7');
  });

  for (const coreEngine of ['interp', 'native'] as const) {
    it(`a host function returning the wrong type is an error naming the function (${coreEngine})`, async () => {
      const eng = new Engine({ coreEngine });
      const component = await Component.fromText(eng, DOUBLE);
      const linker = new Linker(eng);
      linker.root().funcWrap('double', () => 'oops');
      const store = new Store(eng);
      const instance = await linker.instantiate(store, component);
      const e = await rejection(instance.getFunc('run')!.call(store, [20]));
      expect(e).to.be.instanceOf(Trap);
      expect(e.cause).to.be.instanceOf(TypeError);
      expect(e.message).to.equal('host function `double` returned a value that does not match its type func(x: u32) -> u32: expected a u32 (an integer in [0, 4294967295]), got the string "oops"');
    });
  }
});
