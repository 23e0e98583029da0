// The embedder API's Component: making components from text and bytes
// (typed errors), introspection (componentType, getExport / getExportIndex,
// exports), resourcesRequired and engine features — with TypeScript ports
// of the examples in wasmtime's documentation of Component.

import { expect } from 'chai';
import {
  Component, ComponentError, ComponentExportIndex, Engine, Linker, ResourceType, Store, type ComponentItem,
} from '../src/index.js';
import { watToBinary } from '../src/text/wat.js';

const engine = new Engine();

function resourceOf(item: ComponentItem | undefined): ResourceType {
  if (item?.kind !== 'resource') throw new Error(`expected a resource, got ${item?.kind}`);
  return item.type;
}

describe('api: Component', function () {
  this.timeout(30_000);

  describe('Component.new (wasmtime docs), fromText, fromBinary, fromFile', () => {
    it('makes a component from text and from bytes', async () => {
      const a = await Component.fromText(engine, '(component (core module))');
      expect(a.componentType().imports.size).to.equal(0);
      const b = await Component.fromBinary(engine, await watToBinary('(component (core module))'));
      expect(b.componentType().exports.size).to.equal(0);
      expect(b.engine).to.equal(engine);
    });

    it('reports text errors with line and column', async () => {
      try {
        await Component.fromText(engine, '(component\n  (oops))');
        expect.fail('should not parse');
      } catch (e) {
        expect(e).to.be.instanceOf(ComponentError);
        const ce = e as ComponentError;
        expect(ce.stage).to.equal('text');
        expect(ce.line).to.equal(2);
        expect(ce.col).to.be.greaterThan(0);
      }
    });

    it('reports decode errors with the byte offset', async () => {
      try {
        await Component.fromBinary(engine, new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 0x63]));
        expect.fail('should not decode');
      } catch (e) {
        expect(e).to.be.instanceOf(ComponentError);
        expect((e as ComponentError).stage).to.equal('decode');
        expect((e as ComponentError).offset).to.equal(9);
      }
    });

    it('reports validation errors with the byte offset, in the suite\'s words', async () => {
      try {
        await Component.fromText(engine, '(component (core module (func (result i32))))');
        expect.fail('should not validate');
      } catch (e) {
        expect(e).to.be.instanceOf(ComponentError);
        const ce = e as ComponentError;
        expect(ce.stage).to.equal('validate');
        expect(ce.message).to.contain('type mismatch');
        expect(ce.offset).to.be.greaterThan(0);
      }
    });

    it('reads binary or text files', async () => {
      const c = await Component.fromFile(engine, new URL('../../test/fixtures/run-strings.wat', import.meta.url).pathname);
      expect([...c.componentType().exports.keys()]).to.deep.equal(['ascii', 'snowman', 'add']);
    });

    it('refuses a component that needs a feature the engine does not enable', async () => {
      const text = `(component (core module (func (export "v") (result v128) (v128.const i64x2 0 0))))`;
      expect(new Engine({ coreEngine: 'interp' }).features.simd).to.equal(true);
      const interp = new Engine({ coreEngine: 'interp', features: { simd: false } });
      try {
        await Component.fromText(interp, text);
        expect.fail('should be refused');
      } catch (e) {
        expect(e).to.be.instanceOf(ComponentError);
        expect((e as ComponentError).stage).to.equal('feature');
        expect((e as ComponentError).message).to.contain('SIMD');
      }
      await Component.fromText(new Engine({ coreEngine: 'native' }), text);
      const noAsync = new Engine({ features: { componentModelAsync: false } });
      try {
        await Component.fromText(noAsync, '(component (core func (canon backpressure.inc)))');
        expect.fail('should be refused');
      } catch (e) {
        expect((e as ComponentError).stage).to.equal('feature');
      }
    });
  });

  describe('Component.component_type (wasmtime docs): resource type identity', () => {
    it('two components\' abstract imported resources are different types', async () => {
      const a = await Component.fromText(engine, '(component (import "x" (type (sub resource))))');
      const b = await Component.fromText(engine, '(component (import "x" (type (sub resource))))');
      const aTy = resourceOf(a.componentType().imports.get('x'));
      const bTy = resourceOf(b.componentType().imports.get('x'));
      expect(aTy).to.not.equal(bTy);
    });

    it('after instantiation an imported resource is the type the host supplied', async () => {
      const a = await Component.fromText(engine, `(component
        (import "x" (type $x (sub resource)))
        (export "x" (type $x)))`);
      const importTy = resourceOf(a.componentType().imports.get('x'));
      const exportTy = resourceOf(a.componentType().exports.get('x'));
      expect(importTy).to.equal(exportTy);

      const store = new Store(engine);
      const linker = new Linker(engine);
      class Unit {}
      linker.root().resource('x', ResourceType.host(Unit), () => {});
      const instance = await linker.instantiate(store, a);
      const instanceTy = instance.getResource('x');
      expect(instanceTy).to.not.equal(importTy);
      expect(instanceTy).to.not.equal(exportTy);
      expect(instanceTy).to.equal(ResourceType.host(Unit));
      expect(ResourceType.isHost(instanceTy!)).to.equal(true);
    });

    it('each instantiation\'s own resources are fresh types', async () => {
      const a = await Component.fromText(engine, `(component
        (type $x (resource (rep i32)))
        (export "x" (type $x)))`);
      const store = new Store(engine);
      const linker = new Linker(engine);
      const i1 = await linker.instantiate(store, a);
      const i2 = await linker.instantiate(store, a);
      const x1 = i1.getResource('x');
      const x2 = i2.getResource('x');
      expect(x1).to.be.instanceOf(ResourceType);
      expect(x1).to.not.equal(x2);
      expect(ResourceType.isGuest(x1!)).to.equal(true);
    });
  });

  describe('Component.get_export / get_export_index (wasmtime docs)', () => {
    const text = `(component
      (core module $m
        (func (export "f"))
        (func (export "g")))
      (core instance $i (instantiate $m))
      (func (export "f") (canon lift (core func $i "f")))
      (func (export "g") (canon lift (core func $i "g")))
      (component $c
        (core module $m (func (export "h")))
        (core instance $i (instantiate $m))
        (func (export "h") (canon lift (core func $i "h"))))
      (instance (export "i") (instantiate $c)))`;

    it('looks up root and nested exports before instantiation and finds them in instances', async () => {
      const component = await Component.fromText(engine, text);
      const f = component.getExport(null, 'f');
      expect(f).to.not.equal(null);
      expect(f![0].kind).to.equal('func');
      const [iTy, i] = component.getExport(null, 'i')!;
      expect(iTy.kind).to.equal('instance');
      const [hTy, h] = component.getExport(i, 'h')!;
      expect(hTy.kind).to.equal('func');
      expect(h.path).to.deep.equal(['i', 'h']);
      expect(component.getExport(null, 'h')).to.equal(null);
      expect(component.getExport(i, 'f')).to.equal(null);
      expect(component.getExportIndex(null, 'nope')).to.equal(null);
      expect(component.getExportIndex(i, 'h')!.path).to.deep.equal(['i', 'h']);

      const store = new Store(engine);
      const instance = await new Linker(engine).instantiate(store, component);
      const func = instance.getTypedFunc<[], void>(f![1], 'func()');
      expect(await func.call(store, [])).to.equal(undefined);
      const hf = instance.getFunc(h);
      expect(hf).to.not.equal(null);
      expect(await hf!.call(store, [])).to.deep.equal([]);
    });

    it('lists exports at the root and inside an exported instance (Component::exports)', async () => {
      const component = await Component.fromText(engine, text);
      const exports = component.exports(null)!;
      expect(exports.map(([n]) => n)).to.deep.equal(['f', 'g', 'i']);
      expect(exports[0]![1].kind).to.equal('func');
      expect(exports[2]![1].kind).to.equal('instance');
      const inner = component.exports(exports[2]![2])!;
      expect(inner.map(([n, t]) => [n, t.kind])).to.deep.equal([['h', 'func']]);
    });

    it('an index from another component finds nothing', async () => {
      const a = await Component.fromText(engine, text);
      const b = await Component.fromText(engine, text);
      const idx = a.getExportIndex(null, 'i')!;
      expect(b.getExport(idx, 'h')).to.equal(null);
      expect(b.exports(idx)).to.equal(null);
      const store = new Store(engine);
      const ib = await new Linker(engine).instantiate(store, b);
      expect(ib.getFunc(a.getExportIndex(null, 'f')!)).to.equal(null);
      expect(ib.getFunc(b.getExportIndex(null, 'f')!)).to.not.equal(null);
      expect(idx).to.be.instanceOf(ComponentExportIndex);
    });
  });

  describe('Component.resources_required (wasmtime docs)', () => {
    it('counts memories per core instance: a two-memory module instantiated three times needs six memories', async () => {
      // wasmtime's example, as written there.
      const component = await Component.fromText(engine, `(component
        (core module $m (memory 1) (memory 6))
        (core instance $a (instantiate (module $m)))
        (core instance $b (instantiate (module $m)))
        (core instance $c (instantiate (module $m))))`);
      const r = component.resourcesRequired();
      expect(r).to.deep.equal({ numMemories: 6, maxInitialMemorySize: 6, numTables: 0, maxInitialTableSize: null });
    });

    it('counts tables and nested components, and is null when an imported module is instantiated', async () => {
      const nested = await Component.fromText(engine, `(component
        (core module $t (table 3 funcref) (memory 2))
        (component $c
          (core module $u (table 10 funcref))
          (core instance (instantiate $u)))
        (instance (instantiate $c))
        (instance (instantiate $c))
        (core instance (instantiate $t)))`);
      expect(nested.resourcesRequired()).to.deep.equal({ numMemories: 1, maxInitialMemorySize: 2, numTables: 3, maxInitialTableSize: 10 });
      const imported = await Component.fromText(engine, `(component
        (import "m" (core module $m))
        (core instance (instantiate $m)))`);
      expect(imported.resourcesRequired()).to.equal(null);
      const none = await Component.fromText(engine, '(component)');
      expect(none.resourcesRequired()).to.deep.equal({ numMemories: 0, maxInitialMemorySize: null, numTables: 0, maxInitialTableSize: null });
    });
  });
});
