// Resources that an import binds with `eq` to one already imported, as
// wit-component writes every WASI 0.2 world: wasi:clocks re-exports
// wasi:io's `pollable`, and a world that `use`s a type imports it again at
// the top level. The linker defines the resource once; the other names
// stand for it without a definition of their own.

import { expect } from 'chai';
import { Component, Engine, Linker, LinkError, ResourceType, Store } from '../src/index.js';
import { watToBinary } from '../src/text/wat.js';

const engines = [new Engine({ coreEngine: 'interp' }), new Engine({ coreEngine: 'native' })];

const component = `(component
  (type $tp (instance (export "pollable" (type (sub resource)))))
  (import "wasi:io/poll@0.2.6" (instance $poll (type $tp)))
  (alias export $poll "pollable" (type $pollable))
  (type $tc (instance (alias outer 1 $pollable (type)) (export "pollable" (type (eq 0)))
                      (type (own 1)) (type (func (result 2))) (export "subscribe" (func (type 3)))))
  (import "wasi:clocks/monotonic-clock@0.2.6" (instance (type $tc)))
  (import "pollable" (type (eq $pollable))))`;

describe('linker: resources bound with eq to an earlier import', () => {
  for (const engine of engines) {
    const name = engine.coreEngineName;
    it(`need no definition of their own (${name})`, async () => {
      const c = await Component.fromBinary(engine, await watToBinary(component));
      const linker = new Linker(engine);
      const pollable = ResourceType.host('pollable');
      linker.instance('wasi:io/poll@0.2.6').resource('pollable', pollable);
      linker.instance('wasi:clocks/monotonic-clock@0.2.6').funcNew('subscribe', () => [null as never]);
      const instance = await linker.instantiate(new Store(engine), c);
      expect(instance).to.not.equal(null);
    });

    it(`must be the resource the linker gives, when it gives one (${name})`, async () => {
      const c = await Component.fromBinary(engine, await watToBinary(component));
      const linker = new Linker(engine);
      linker.instance('wasi:io/poll@0.2.6').resource('pollable', ResourceType.host('pollable'));
      const clocks = linker.instance('wasi:clocks/monotonic-clock@0.2.6');
      clocks.resource('pollable', ResourceType.host('another'));
      clocks.funcNew('subscribe', () => [null as never]);
      let error: unknown = null;
      try { await linker.instantiate(new Store(engine), c); } catch (e) { error = e; }
      expect(error).to.be.instanceOf(LinkError);
    });

    it(`still need the first definition (${name})`, async () => {
      const c = await Component.fromBinary(engine, await watToBinary(component));
      const linker = new Linker(engine);
      linker.instance('wasi:io/poll@0.2.6');
      let error: unknown = null;
      try { await linker.instantiate(new Store(engine), c); } catch (e) { error = e; }
      expect(error).to.be.instanceOf(LinkError);
      expect((error as Error).message).to.match(/defines no resource `pollable`/);
    });
  }
});
