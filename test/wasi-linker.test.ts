// Semver-compatible import names in the Linker (src/api/semver-names.ts):
// which versions serve which imports, as wasmtime's linker decides. (Names
// bound with `eq` to a known resource: test/linker-eq-resources.test.ts.)

import { expect } from 'chai';
import { Component, Engine, Linker, LinkError, Store } from '../src/index.js';
import { compatibilityKey, findCompatible } from '../src/api/semver-names.js';

describe('linker: semver-compatible import names', () => {
  it('cuts a version to its compatibility class', () => {
    expect(compatibilityKey('wasi:io/streams@0.2.11')).to.equal('wasi:io/streams@0.2');
    expect(compatibilityKey('wasi:io/streams@0.2.0')).to.equal('wasi:io/streams@0.2');
    expect(compatibilityKey('a:b/c@1.4.2')).to.equal('a:b/c@1');
    expect(compatibilityKey('a:b/c@1.4.2+build.5')).to.equal('a:b/c@1');
    expect(compatibilityKey('a:b/c@0.0.3')).to.equal(null);
    expect(compatibilityKey('a:b/c@1.0.0-rc.1')).to.equal(null);
    expect(compatibilityKey('a:b/c')).to.equal(null);
    expect(compatibilityKey('a:b/c@01.2.3')).to.equal(null);
  });

  it('finds the exact name first, else the highest compatible version, never another class', () => {
    const defs = new Map([['wasi:io/streams@0.2.6', 'six'], ['wasi:io/streams@0.2.12', 'twelve'], ['wasi:io/streams@0.3.0', 'p3'], ['a:b/c@0.0.1', 'zero']]);
    expect(findCompatible(defs, 'wasi:io/streams@0.2.6')).to.equal('six');
    expect(findCompatible(defs, 'wasi:io/streams@0.2.11')).to.equal('twelve');
    expect(findCompatible(defs, 'wasi:io/streams@0.2.0')).to.equal('twelve');
    expect(findCompatible(defs, 'wasi:io/streams@0.3.1')).to.equal('p3');
    expect(findCompatible(defs, 'wasi:io/streams@1.0.0')).to.equal(undefined);
    expect(findCompatible(defs, 'a:b/c@0.0.2')).to.equal(undefined);
    expect(findCompatible(defs, 'wasi:io/streams')).to.equal(undefined);
  });

  it('links an import of 0.2.11 to a 0.2.6 definition, and not to a 0.3 one', async () => {
    const engine = new Engine();
    const component = await Component.fromText(engine, `(component
      (import "x:y/z@0.2.11" (instance $i (export "f" (func (result u32)))))
      (core func $f (canon lower (func $i "f")))
      (func (export "f") (result u32) (canon lift (core func $f))))`);
    const linker = new Linker(engine);
    linker.instance('x:y/z@0.2.6').funcWrap('f', () => 7);
    const instance = await linker.instantiate(new Store(engine), component);
    expect(await instance.getFunc('f')!.call(instance.store, [])).to.deep.equal([7]);

    const other = new Linker(engine);
    other.instance('x:y/z@0.3.0').funcWrap('f', () => 7);
    let caught: unknown;
    try {
      await other.instantiate(new Store(engine), component);
    } catch (e) {
      caught = e;
    }
    expect(caught).to.be.instanceOf(LinkError);
    expect((caught as Error).message).to.match(/component imports instance `x:y\/z@0\.2\.11`/);
  });

  it('fills stubs into the compatible definition, so it still serves the import', async () => {
    const engine = new Engine();
    const component = await Component.fromText(engine, `(component
      (import "x:y/z@0.2.11" (instance $i (export "f" (func (result u32))) (export "g" (func (result u32)))))
      (core func $f (canon lower (func $i "f")))
      (func (export "f") (result u32) (canon lift (core func $f))))`);
    const linker = new Linker(engine);
    linker.instance('x:y/z@0.2.6').funcWrap('f', () => 7);
    linker.defineUnknownImportsAsStubs(component);
    const instance = await linker.instantiate(new Store(engine), component);
    expect(await instance.getFunc('f')!.call(instance.store, [])).to.deep.equal([7]);
  });
});
