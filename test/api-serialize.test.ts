// Serialized components (Component.serialize / deserialize /
// deserializeFile): a round trip keeps the type, the AST and the behaviour
// (on the official component-model suite too), and every kind of bad input
// is refused with its own message. Also InstancePre/Instance.instanceType.

import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Component, ComponentError, Engine, Linker, Store } from '../src/index.js';
import { checkSettings, currentSettings, seal, unseal, FORMAT_VERSION, type SerializedSettings } from '../src/api/serialize.js';
import { fingerprintOf, nodeCodeFingerprint, nodeCodeTables } from '../src/core/exec/node-codes.js';
import { NODE_FIELDS } from '../src/core/exec/prepared-store.js';
import { Instr } from '../src/core/syntax/ast.js';
import { LazyFunc } from '../src/core/binary/lazy-func.js';
import { prepareModule } from '../src/core/exec/prepare.js';
import { WASM_3_0_SUPPORTED } from '../src/core/syntax/feature-set.js';
import { ResourceType } from '../src/component/syntax/types.js';
import { coreGroupOrigin } from '../src/component/valid/core-types.js';
import { canonicalTypes, canonOfFunc, heapOf, isConcrete, isRef, typeSpaceOf } from '../src/core/syntax/reftypes.js';
import type { DefType, FuncType } from '../src/core/syntax/types.js';
import { printWit } from '../src/component/print-wit.js';
import { CMR_VERSION } from '../src/version.js';
import { featuresForScript, loadScript } from '../src/wast/compare.js';
import { ScriptRun } from '../src/wast/runner.js';
import { watToBinary } from '../src/text/wat.js';
import { prepare } from '../src/wast/prepare.js';
import { interpAdapter, nativeAdapter } from '../src/wast/engines.js';
import { suiteDir, wastFiles } from '../src/wast/suites.js';
import type { ModuleDef } from '../src/wast/script.js';

const ADDER = `(component
  (core module $m
    (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
    (func (export "mul") (param i32 i32) (result i32) local.get 0 local.get 1 i32.mul))
  (core instance $i (instantiate $m))
  (type $r (resource (rep i32)))
  (export $re "r" (type $r))
  (func (export "add") (param "a" u32) (param "b" u32) (result u32) (canon lift (core func $i "add")))
  (func (export "mul") (param "a" u32) (param "b" u32) (result u32) (canon lift (core func $i "mul"))))`;

/** Expects `f` to throw a ComponentError of `stage` whose message matches `re`. */
function refused(f: () => unknown, re: RegExp, stage = 'deserialize'): void {
  try {
    f();
  } catch (e) {
    expect(e, String(e)).to.be.instanceOf(ComponentError);
    expect((e as ComponentError).stage).to.equal(stage);
    expect((e as ComponentError).message).to.match(re);
    return;
  }
  expect.fail(`not refused (wanted ${re})`);
}

/**
 * The first difference between two graphs (null: none): same shape, same
 * sharing (an object met twice on one side is met twice on the other),
 * instructions without the interpreter's cache, resource types told apart by
 * identity rather than by id. `b`'s functions may be lazily decoded ones: their
 * fields are read through their getters.
 */
/** How many canonical ids `difference` compared (a component's GC core types). */
let restoredIds = 0;

/** A lone final function type without supertypes or concrete references (core-types.ts's plainGroup). */
function plainFuncType(t: DefType): boolean {
  return (t.recSize ?? 1) === 1 && t.comp === undefined && t.final !== false && (t.supers?.length ?? 0) === 0
    && ![...t.params, ...t.results].some((v) => isRef(v) && isConcrete(heapOf(v)));
}

function difference(a: unknown, b: unknown, path: string, pairs = new Map<object, unknown>()): string | null {
  if (a === null || typeof a !== 'object') return Object.is(a, b) ? null : `${path}: ${String(a)} vs ${String(b)}`;
  if (b === null || typeof b !== 'object') return `${path}: object vs ${String(b)}`;
  if (pairs.has(a)) return pairs.get(a) === b ? null : `${path}: sharing differs`;
  pairs.set(a, b);
  // A component's core type whose canonical id is restored on loading (core-types.ts) has the same id again.
  if (coreGroupOrigin(a) !== undefined) {
    restoredIds++;
    const x = canonOfFunc(a as FuncType), y = canonOfFunc(b as FuncType);
    if (x !== y) return `${path}: canonical type id ${x} vs ${y}`;
  }
  // Any type with a canonical id (a core module's too) has the same id again;
  // any with a type space (a global's, a table's) a space of the same types.
  // (But a plain function type, which matches by its parameters and results
  // alike, as core-types.ts's plainGroup says: a component's own is not
  // registered again.)
  const id = canonOfFunc(a as FuncType);
  if (id !== 0 && canonOfFunc(b as FuncType) !== id && !plainFuncType(a as DefType)) return `${path}: canonical type id ${id} vs ${canonOfFunc(b as FuncType)}`;
  const space = typeSpaceOf(a);
  if (space.length > 0 && canonicalTypes(space).join() !== canonicalTypes(typeSpaceOf(b)).join()) return `${path}: its type space differs`;
  if (ArrayBuffer.isView(a)) {
    const x = a as Uint8Array;
    const y = b as Uint8Array;
    return x.length === y.length && x.every((v, i) => v === y[i]) ? null : `${path}: bytes differ`;
  }
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return `${path}: maps differ in size`;
    const bk = [...b.keys()];
    let i = 0;
    for (const [k, v] of a) {
      const d = difference(k, bk[i], `${path}.key${i}`, pairs) ?? difference(v, b.get(bk[i]), `${path}[${String(k)}]`, pairs);
      if (d) return d;
      i++;
    }
    return null;
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return `${path}: lengths differ`;
    for (let i = 0; i < a.length; i++) {
      const d = difference(a[i], b[i], `${path}[${i}]`, pairs);
      if (d) return d;
    }
    return null;
  }
  if ((a instanceof Instr) !== (b instanceof Instr)) return `${path}: Instr on one side only`;
  if ((a instanceof ResourceType) !== (b instanceof ResourceType)) return `${path}: ResourceType on one side only`;
  // A deserialized function's `check` is its code section's deferred checksum, not the program.
  const skip = new Set(a instanceof Instr ? ['aux'] : a instanceof ResourceType ? ['id'] : a instanceof LazyFunc ? ['check'] : []);
  const keys = Object.keys(a).filter((k) => !skip.has(k));
  if (Object.getPrototypeOf(b) === Object.prototype && Object.keys(b).length !== Object.keys(a).length) return `${path}: fields differ`;
  for (const k of keys) {
    const d = difference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`, pairs);
    if (d) return d;
  }
  return null;
}

describe('api: serialized components', function () {
  this.timeout(300_000); // a ceiling for a hang: bounded work, some seconds on an idle machine and ten to fifteen times as long under c8 on a loaded 2-core one

  describe('round trip', () => {
    for (const coreEngine of ['interp', 'native'] as const) {
      it(`keeps the type and the behaviour (${coreEngine})`, async () => {
        const engine = new Engine({ coreEngine });
        const c = await Component.fromText(engine, ADDER);
        const bytes = c.serialize();
        const d = Component.deserialize(engine, bytes);
        expect(printWit(d.type)).to.equal(printWit(c.type));
        expect(difference(c.ast, d.ast, 'ast')).to.equal(null);
        expect(difference(c.type, d.type, 'type')).to.equal(null);
        const store = new Store(engine);
        const inst = await new Linker(engine).instantiate(store, d);
        expect(await inst.getFunc('add')!.call(store, [40, 2])).to.deep.equal([42]);
        expect(await inst.getFunc('mul')!.call(store, [6, 7])).to.deep.equal([42]);
        // A deserialized component serializes again to the same bytes.
        expect(Buffer.from(d.serialize()).equals(Buffer.from(bytes))).to.equal(true);
      });
    }

    it('keeps no decoded function bodies: none natively, only what the interpreter prepares', async () => {
      const kept = (f: unknown) => (f as { kept: unknown }).kept;
      const engine = new Engine({ coreEngine: 'native' });
      const d = Component.deserialize(engine, (await Component.fromText(engine, ADDER)).serialize());
      const store = new Store(engine);
      const inst = await new Linker(engine).instantiate(store, d);
      expect(await inst.getFunc('add')!.call(store, [1, 2])).to.deep.equal([3]);
      const def = d.ast.definitions.find((x) => x.kind === 'coreModule');
      if (def?.kind !== 'coreModule') throw new Error('no core module');
      // LazyFunc's kept tree: none, the native engine hands the bytes to V8.
      expect(def.module.funcs.map(kept)).to.deep.equal([null, null]);
      // The interpreter prepares a function on its first call, from a tree
      // it decodes for that and does not keep on the AST.
      const interp = new Engine({ coreEngine: 'interp' });
      const store2 = new Store(interp);
      const d2 = Component.deserialize(interp, d.serialize());
      const inst2 = await new Linker(interp).instantiate(store2, d2);
      const def2 = d2.ast.definitions.find((x) => x.kind === 'coreModule');
      if (def2?.kind !== 'coreModule') throw new Error('no core module');
      const codes = prepareModule(def2.module).codes;
      expect(codes.map((c) => c.prepared)).to.deep.equal([false, false]);
      expect(await inst2.getFunc('add')!.call(store2, [1, 2])).to.deep.equal([3]);
      expect(codes.map((c) => c.prepared)).to.deep.equal([true, false]); // `mul` was never called
      expect(def2.module.funcs.map(kept)).to.deep.equal([null, null]);
    });

    it('keeps the canonical ids of GC core types (of an imported module type): the same ids again', async () => {
      const engine = new Engine({ coreEngine: 'interp' });
      const types = `(core type $mt (module
          (rec (type $s (struct (field i32))) (type $a (array (mut i8))))
          (type $f (func (param (ref null $s)) (result (ref $a))))
          (export "f" (func (type $f)))))
        (import "m" (core module (type $mt)))`;
      // Core types of the component itself (one refers to an earlier group), of module types, of a nested component.
      const c = await Component.fromText(engine, `(component (core rec (type $s (struct (field i64))) (type (sub (array i8)))) ${types}
        (core type (func (param (ref $s)) (result i32)))
        (component ${types} (core type $t (struct)) (core type (func (param (ref null $t))))))`);
      const d = Component.deserialize(engine, c.serialize());
      restoredIds = 0;
      expect(difference(c.ast, d.ast, 'ast')).to.equal(null);
      expect(difference(c.type, d.type, 'type')).to.equal(null);
      expect(restoredIds).to.be.greaterThan(0);
    });

    it('keeps what a core module the component exports shares with its type: canonical ids, type spaces, subtyping across modules', async () => {
      // A module (and a nested component's) exported: the component's type
      // holds the module's type, whose function types are the module's own
      // (with their canonical ids, declared supertypes included) and whose
      // global and table types name the module's types.
      const m = `(core module $m
          (rec (type $s (sub (struct (field i32)))) (type $t (sub $s (struct (field i32) (field i64)))))
          (rec (type $f (sub (func (param (ref null $t)) (result i32)))) (type $g (sub $f (func (param (ref null $t)) (result i32)))))
          (func (export "f") (type $g) i32.const 7)
          (global (export "g") (ref null $s) (ref.null $s))
          (table (export "t") 1 (ref null $t)))`;
      const inner = `(component ${m} (export "m" (core module $m))
        (component $n ${m} (export "m" (core module $m))) (export "n" (component $n)))`;
      // An importer that wants `f` at its supertype $f: matched through the declared supertype's id.
      const outer = (struct: string) => `(component
        (import "c" (component $C
          (core type $mt (module (rec (type (sub (struct (field i32)))) (type (sub 0 (struct ${struct}))))
            (rec (type (sub (func (param (ref null 1)) (result i32)))) (type (sub 2 (func (param (ref null 1)) (result i32)))))
            (export "f" (func (type 2)))))
          (export "m" (core module (type $mt)))))
        (instance $i (instantiate $C))
        (alias export $i "m" (core module $mm))
        (core instance (instantiate $mm)))`;
      for (const coreEngine of ['interp', 'native'] as const) {
        const engine = new Engine({ coreEngine });
        const c = await Component.fromText(engine, inner);
        const d = Component.deserialize(engine, c.serialize());
        // The AST and the type together: an object shared between them is shared again.
        expect(difference({ ast: c.ast, type: c.type }, { ast: d.ast, type: d.type }, 'component')).to.equal(null);
        expect(printWit(d.type)).to.equal(printWit(c.type));
        expect(difference(c.componentType(), d.componentType(), 'componentType()')).to.equal(null);
        expect(difference(c.exports(), d.exports(), 'exports()')).to.equal(null);
        const exported = (x: Component) => (x.type.exports.get('m') as { type: { exports: Map<string, { type: FuncType }> } }).type.exports.get('f')!.type;
        expect(canonOfFunc(exported(d))).to.not.equal(0);
        const def = d.ast.definitions.find((x) => x.kind === 'coreModule');
        if (def?.kind !== 'coreModule') throw new Error('no core module');
        expect(def.module.types).to.include(exported(d));
        const pre = (x: Component) => new Linker(engine).instantiatePre(x);
        expect(difference(pre(c).instanceType(), pre(d).instanceType(), 'InstancePre.instanceType()')).to.equal(null);
        const [ic, id] = [await pre(c).instantiate(new Store(engine)), await pre(d).instantiate(new Store(engine))];
        expect(difference(ic.instanceType(), id.instanceType(), 'Instance.instanceType()')).to.equal(null);
        // Another component that imports one exporting such a module takes the deserialized one as the original.
        for (const [struct, ok] of [['(field i32) (field i64)', true], ['(field i32) (field i32)', false]] as const) {
          const o = await Component.fromText(engine, outer(struct));
          const verdict = (x: Component) => {
            const linker = new Linker(engine);
            linker.root().component('c', x);
            try { linker.instantiatePre(o); return 'linked'; } catch (e) { return String(e); }
          };
          expect(verdict(d), struct).to.equal(verdict(c));
          expect(verdict(c) === 'linked', struct).to.equal(ok);
        }
      }
    });

    it('serialized bytes work on either core engine', async () => {
      const bytes = (await Component.fromText(new Engine({ coreEngine: 'native' }), ADDER)).serialize();
      const engine = new Engine({ coreEngine: 'interp' });
      const store = new Store(engine);
      const inst = await new Linker(engine).instantiate(store, Component.deserialize(engine, bytes));
      expect(await inst.getFunc('add')!.call(store, [1, 2])).to.deep.equal([3]);
    });

    it('gives resource types of its own, distinct from the original component\'s', async () => {
      const engine = new Engine();
      const c = await Component.fromText(engine, '(component (import "x" (type (sub resource))))');
      const d = Component.deserialize(engine, c.serialize());
      expect(d.type.importedResources).to.have.length(1);
      expect(d.type.importedResources[0]).to.be.instanceOf(ResourceType);
      expect(d.type.importedResources[0]).to.not.equal(c.type.importedResources[0]);
      expect(d.type.importedResources[0]!.id).to.not.equal(c.type.importedResources[0]!.id);
    });

    it('deserializeFile and fromFile read the serialized form', async () => {
      const engine = new Engine();
      const dir = mkdtempSync(join(tmpdir(), 'cmr-ser-'));
      const file = join(dir, 'adder.cmrc');
      writeFileSync(file, (await Component.fromText(engine, ADDER)).serialize());
      for (const c of [await Component.deserializeFile(engine, file), await Component.fromFile(engine, file)]) {
        const store = new Store(engine);
        const inst = await new Linker(engine).instantiate(store, c);
        expect(await inst.getFunc('add')!.call(store, [2, 3])).to.deep.equal([5]);
      }
    });

    it('checks the engine\'s features again from what it stored of the code (SIMD, switched off)', async () => {
      const simd = '(component (core module (func (result v128) v128.const i32x4 0 0 0 0)))';
      const bytes = (await Component.fromText(new Engine({ coreEngine: 'native' }), simd)).serialize();
      refused(() => Component.deserialize(new Engine({ coreEngine: 'native', features: { simd: false } }), bytes), /SIMD/, 'feature');
      expect(Component.deserialize(new Engine({ coreEngine: 'native' }), bytes).type.kind).to.equal('component');
      expect(Component.deserialize(new Engine({ coreEngine: 'interp' }), bytes).type.kind).to.equal('component');
    });
  });

  describe('refusals, each with its own message', () => {
    const engine = new Engine();
    let good: Uint8Array;
    before(async () => { good = (await Component.fromText(engine, ADDER)).serialize(); });

    it('not the serialized form', () => {
      refused(() => Component.deserialize(engine, new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0])), /not a serialized cmr component/);
      refused(() => Component.deserialize(engine, new Uint8Array(0)), /not a serialized cmr component/);
    });

    it('truncated, at any length', () => {
      for (const n of [9, 15, 16, 30, 51, 52, 60, good.length >> 1, good.length - 1]) {
        refused(() => Component.deserialize(engine, good.subarray(0, n)), /^truncated: /);
      }
    });

    it('trailing bytes', () => {
      const longer = new Uint8Array(good.length + 3);
      longer.set(good);
      refused(() => Component.deserialize(engine, longer), /^corrupted: 3 bytes after the end/);
    });

    it('any changed byte after the checksum (a prepared function\'s record is checked on its first call: prepared-store.test.ts; a code section on its first use: below)', () => {
      const { records, binary, deferred } = unseal(good);
      const recordsAt = records.byteOffset - good.byteOffset;
      const binaryAt = binary.byteOffset - good.byteOffset;
      const code = deferred.map((d) => [binaryAt + d.at, binaryAt + d.at + d.length] as const);
      // The header's entry of the deferred code section too (where, how long, its digest).
      for (const at of [16, 40, 50, 54, 58, 60, 64, 68, 72, 103, good.length >> 1, recordsAt - 1, recordsAt + records.length, code[0]![0] - 1, code[0]![1], good.length - 1]) {
        expect(at >= recordsAt && at < recordsAt + records.length, `byte ${at} is in a record`).to.equal(false);
        expect(code.some(([from, to]) => at >= from && at < to), `byte ${at} is in a code section`).to.equal(false);
        const bad = good.slice();
        bad[at]! ^= 0x01;
        refused(() => Component.deserialize(engine, bad), /^corrupted: the checksum \(sha256\) does not match/);
      }
    });

    it('a changed byte in a core module\'s code section: refused where the bytes are first used (natively: at loading; a body decoded; serializing again)', async () => {
      /** `form` with the last byte of its one deferred code section (the last body's `end`) changed. */
      const damaged = (form: Uint8Array): Uint8Array => {
        const { binary, deferred } = unseal(form);
        expect(deferred.length).to.equal(1);
        const bad = form.slice();
        bad[binary.byteOffset - form.byteOffset + deferred[0]!.at + deferred[0]!.length - 1]! ^= 0x01;
        return bad;
      };
      const message = /^corrupted: the code section of a core module does not match its checksum \(sha256\)$/;
      const native = new Engine({ coreEngine: 'native' });
      const nativeForm = (await Component.fromText(native, ADDER)).serialize();
      refused(() => Component.deserialize(native, damaged(good)), message);
      refused(() => Component.deserialize(native, damaged(nativeForm)), message);
      // The interpreter loads it: with prepared code the bodies are never decoded, so it runs.
      const d = Component.deserialize(engine, damaged(good));
      const store = new Store(engine);
      const inst = await new Linker(engine).instantiate(store, d);
      expect(await inst.getFunc('add')!.call(store, [40, 2])).to.deep.equal([42]);
      const m = d.ast.definitions.find((x) => x.kind === 'coreModule')!;
      expect(() => (m as { module: { funcs: { body: unknown }[] } }).module.funcs[0]!.body).to.throw(message);
      expect(() => d.serialize()).to.throw(message);
      // Without prepared code (the native engine's form) the first call decodes a body: refused there.
      const e = Component.deserialize(engine, damaged(nativeForm));
      const store2 = new Store(engine);
      const inst2 = await new Linker(engine).instantiate(store2, e);
      let error: unknown = null;
      await inst2.getFunc('add')!.call(store2, [40, 2]).catch((x: unknown) => { error = x; });
      expect(String(error)).to.match(/corrupted: the code section of a core module does not match its checksum \(sha256\)/);
      // The undamaged forms pass the same uses.
      expect(Component.deserialize(native, nativeForm).type.kind).to.equal('component');
      expect(Buffer.from(Component.deserialize(native, nativeForm).serialize()).equals(Buffer.from(nativeForm))).to.equal(true);
      expect(Buffer.from(Component.deserialize(engine, good).serialize()).equals(Buffer.from(good))).to.equal(true);
    });

    it('a FIFO is opened and read once: fromFile gets its bytes, whether a .wasm or a serialized form', async function () {
      // A FIFO opened and closed unread loses what its writer wrote, so a
      // second open would wait for a writer forever.
      if (process.platform === 'win32') this.skip(); // no mkfifo
      const dir = mkdtempSync(join(tmpdir(), 'cmr-fifo-'));
      const text = '(component (core module $m (func (export "f") (result i32) i32.const 7)) (core instance $i (instantiate $m)) (func (export "f") (result u32) (canon lift (core func $i "f"))))';
      const form = (await Component.fromText(engine, text)).serialize();
      for (const [name, bytes] of [['binary.wasm', await watToBinary(text)], ['form.cwasm', form]] as const) {
        const fifo = join(dir, name);
        execFileSync('mkfifo', [fifo]);
        const written = writeFile(fifo, bytes); // opens on the thread pool once the reader has
        const c = await Component.fromFile(engine, fifo);
        await written;
        const store = new Store(engine);
        const inst = await new Linker(engine).instantiate(store, c);
        expect(await inst.getFunc('f')!.call(store, [])).to.deep.equal([7]);
      }
    });

    it('a file whose first 64 KiB show it holds no WebAssembly is refused after them: /dev/zero, a sparse file; one over 2 GiB before any read', async function () {
      if (process.platform === 'win32') this.skip(); // no /dev/zero
      const refusal = async (path: string): Promise<string> => {
        try {
          await Component.fromFile(engine, path);
        } catch (e) {
          expect(e).to.be.instanceOf(ComponentError);
          return (e as Error).message;
        }
        throw new Error(`${path} was accepted`);
      };
      // Neither would end (or fit in memory) if read whole.
      expect(await refusal('/dev/zero')).to.equal('/dev/zero is not WebAssembly: no \\0asm magic header, and not text');
      const dir = mkdtempSync(join(tmpdir(), 'cmr-big-'));
      const sparse = join(dir, 'sparse.wasm');
      const large = join(dir, 'large.wasm');
      try {
        writeFileSync(sparse, '');
        truncateSync(sparse, 1.5 * 2 ** 30); // holes: no disk space, all zero bytes
        expect(await refusal(sparse)).to.equal(`${sparse} is not WebAssembly: no \\0asm magic header`);
        writeFileSync(large, await watToBinary('(component)'));
        truncateSync(large, 3 * 2 ** 30); // a valid start, then more than any read may take
        expect(await refusal(large)).to.equal(`cannot read ${large}: it is larger than 2 GiB`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('a file read while it loads (fromFile, deserializeFile): the same component, and the same refusals', async () => {
      // 3000 functions: the records and the code section start past the
      // first read (64 KiB), so they arrive on the thread pool during loading.
      const funcs = Array.from({ length: 3000 }, (_, i) => `(func (export "f${i}") (result i32) i32.const ${i})`).join(' ');
      const text = `(component (core module $m ${funcs}) (core instance $i (instantiate $m))
        (func (export "last") (result u32) (canon lift (core func $i "f2999"))))`;
      const form = (await Component.fromText(engine, text)).serialize();
      const { records, binary, deferred } = unseal(form);
      const recordsAt = records.byteOffset - form.byteOffset, codeAt = binary.byteOffset - form.byteOffset + deferred[0]!.at;
      expect(recordsAt).to.be.greaterThan(1 << 16);
      const dir = mkdtempSync(join(tmpdir(), 'cmr-ser-'));
      const file = join(dir, 'large.cmrc');
      const changed = (at: number): Uint8Array => {
        const bad = form.slice();
        bad[at]! ^= 0x01;
        return bad;
      };
      const engines = [engine, new Engine({ coreEngine: 'native' })];
      // Both loads run at once, and both are settled before either is looked
      // at: awaiting one while the other was refused left that refusal
      // unhandled for a while (PromiseRejectionHandledWarning, now and then).
      const loads = async (e: Engine): Promise<PromiseSettledResult<Component>[]> => Promise.allSettled([Component.fromFile(e, file), Component.deserializeFile(e, file)]);
      const value = (r: PromiseSettledResult<Component>): Component => {
        if (r.status === 'rejected') throw r.reason;
        return r.value;
      };
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown): void => { unhandled.push(reason); };
      process.on('unhandledRejection', onUnhandled);
      const last = async (e: Engine, c: Component): Promise<unknown> => {
        const store = new Store(e);
        const inst = await new Linker(e).instantiate(store, c);
        return inst.getFunc('last')!.call(store, []).catch((x: unknown) => String(x));
      };
      /** Every load of `file` on both engines is refused with `re`. */
      const allRefused = async (re: RegExp): Promise<void> => {
        for (const e of engines) {
          for (const r of await loads(e)) {
            const err = r.status === 'rejected' ? r.reason : null;
            expect(err, `${e.coreEngineName}: not refused (wanted ${re})`).to.be.instanceOf(ComponentError);
            expect((err as ComponentError).message).to.match(re);
          }
        }
      };
      writeFileSync(file, form);
      for (const e of engines) for (const r of await loads(e)) expect(await last(e, value(r))).to.deep.equal([2999]);
      for (const n of [60, 1 << 16, recordsAt + 5, codeAt + 5, form.length - 1]) {
        writeFileSync(file, form.subarray(0, n));
        await allRefused(/^truncated: /);
      }
      writeFileSync(file, changed(binary.byteOffset - form.byteOffset + 1));
      await allRefused(/^corrupted: the checksum \(sha256\) does not match/);
      // A code section is checked at loading natively, on first use on the interpreter (never, with prepared code).
      writeFileSync(file, changed(codeAt + 5));
      for (const r of await loads(engines[1]!)) {
        expect(r.status, 'not refused').to.equal('rejected');
        expect(String((r as PromiseRejectedResult).reason)).to.match(/corrupted: the code section of a core module does not match/);
      }
      for (const r of await loads(engine)) expect(await last(engine, value(r))).to.deep.equal([2999]);
      // The last function's record (its last byte): its first call is refused.
      writeFileSync(file, changed(recordsAt + records.length - 1));
      for (const r of await loads(engine)) expect(await last(engine, value(r))).to.match(/corrupted: the stored prepared code of function 2999 does not match its checksum/);
      // Let a rejection noticed late be reported before looking.
      await new Promise((resolve) => setImmediate(resolve));
      process.off('unhandledRejection', onUnhandled);
      expect(unhandled.map(String)).to.deep.equal([]);
    });

    it('another format version', () => {
      const bad = good.slice();
      new DataView(bad.buffer).setUint32(8, FORMAT_VERSION + 1, true);
      refused(() => Component.deserialize(engine, bad), new RegExp(`format version ${FORMAT_VERSION + 1}; this cmr .* reads format version ${FORMAT_VERSION}`));
    });

    it('another cmr version, another V8, other core features', () => {
      const { graph, binary } = unseal(good);
      const mine = currentSettings(WASM_3_0_SUPPORTED);
      refused(() => Component.deserialize(engine, seal({ ...mine, cmr: '9.9.9' }, graph, binary)), /serialized by cmr 9\.9\.9; this is cmr /);
      refused(() => Component.deserialize(engine, seal({ ...mine, v8: '1.2.3' }, graph, binary)), /serialized under V8 1\.2\.3/);
      refused(() => Component.deserialize(engine, seal({ ...mine, coreFeatures: { ...mine.coreFeatures, threads: false } }, graph, binary)),
        /other core features \(threads: false, here true\)/);
      // The same settings pass.
      expect(() => checkSettings(mine, currentSettings(WASM_3_0_SUPPORTED))).to.not.throw();
    });

    it('prepared code written with other node codes (a renumbered P, B, O, ... table): refused with its own message', async () => {
      const { settings, graph, prepared, records, binary, deferred } = unseal(good);
      expect(settings.preparedCode).to.equal(true);
      expect(settings.nodeCodes).to.equal(nodeCodeFingerprint());
      const reseal = (s: SerializedSettings): Uint8Array => seal(s, graph, binary, prepared, records, deferred);
      // The same form sealed again loads (the forgery below differs in its node codes only).
      const store = new Store(engine);
      const inst = await new Linker(engine).instantiate(store, Component.deserialize(engine, reseal(settings)));
      expect(await inst.getFunc('add')!.call(store, [40, 2])).to.deep.equal([42]);
      const other = `${nodeCodeFingerprint().slice(0, 63)}${nodeCodeFingerprint().endsWith('0') ? '1' : '0'}`;
      const message = /^made by a cmr whose interpreter numbers its prepared nodes differently \(node codes \w{12}…, here \w{12}…\): .*recompile it with `cmr compile`/;
      refused(() => Component.deserialize(engine, reseal({ ...settings, nodeCodes: other })), message);
      refused(() => Component.deserialize(engine, reseal({ ...settings, nodeCodes: undefined })), /node codes none, here/);
      // On either engine: the native one ignores prepared code, but serializing again would copy it.
      refused(() => Component.deserialize(new Engine({ coreEngine: 'native' }), reseal({ ...settings, nodeCodes: other })), message);
    });

    it('a form without prepared code (the native engine\'s) holds no node codes and loads whatever they are', async () => {
      const native = new Engine({ coreEngine: 'native' });
      const form = (await Component.fromText(native, ADDER)).serialize();
      const { settings, graph, binary, deferred } = unseal(form);
      expect(settings.preparedCode).to.equal(false);
      expect(settings.nodeCodes).to.equal(undefined);
      for (const e of [native, engine]) {
        // Even a forged digest is no concern of a form that stores no node.
        const d = Component.deserialize(e, seal({ ...settings, nodeCodes: 'f'.repeat(64) }, graph, binary, undefined, undefined, deferred));
        const store = new Store(e);
        const inst = await new Linker(e).instantiate(store, d);
        expect(await inst.getFunc('mul')!.call(store, [6, 7])).to.deep.equal([42]);
      }
    });

    it('the node codes\' digest covers every member of the loop\'s code tables, and changes with any number', () => {
      const tables = nodeCodeTables();
      // Each const enum as its source declares it (names and values), read at run time.
      for (const [name, file] of [['O', 'ops'], ['P', 'node'], ['B', 'i32-binary'], ['V', 'simd/prepare']] as const) {
        const text = readFileSync(new URL(`../../src/core/exec/${file}.ts`, import.meta.url), 'utf8');
        const body = text.slice(text.indexOf(`export const enum ${name} {`), text.indexOf('\n}', text.indexOf(`export const enum ${name} {`)));
        const declared = [...body.matchAll(/^\s+(\w+) = (0x[0-9a-fA-F]+|\d+)\b/gm)].map((m) => [m[1], Number(m[2])]);
        expect(declared.length, `${file}.ts's ${name}`).to.be.greaterThan(4);
        expect(new Map(tables.get(name)), name).to.deep.equal(new Map(declared as [string, number][]));
      }
      expect(tables.get('NODE_FIELDS')!.map(([k]) => k)).to.deep.equal([...NODE_FIELDS]);
      const digest = fingerprintOf(tables);
      expect(digest).to.equal(nodeCodeFingerprint());
      const renumbered = new Map(tables);
      renumbered.set('P', tables.get('P')!.map(([k, v]) => [k, k === 'jump' ? v + 1 : v]));
      expect(fingerprintOf(renumbered)).to.not.equal(digest);
      const renamed = new Map(tables);
      renamed.set('B', tables.get('B')!.map(([k, v], i) => [i === 0 ? `${k}_` : k, v]));
      expect(fingerprintOf(renamed)).to.not.equal(digest);
    });

    it('cmr\'s version is package.json\'s', () => {
      const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
      expect(CMR_VERSION).to.equal(pkg.version);
    });
  });

  describe('instance types', () => {
    it('InstancePre.instanceType is the component\'s exports; Instance.instanceType has the instance\'s own resources', async () => {
      const engine = new Engine();
      const c = await Component.fromText(engine, ADDER);
      const pre = new Linker(engine).instantiatePre(c);
      const pt = pre.instanceType();
      expect(pt.kind).to.equal('instance');
      expect([...pt.exports.keys()]).to.deep.equal(['r', 'add', 'mul']);
      const store = new Store(engine);
      const inst = await pre.instantiate(store);
      const it1 = inst.instanceType();
      expect([...it1.exports.keys()]).to.deep.equal(['r', 'add', 'mul']);
      const r = it1.exports.get('r')!;
      expect(r.kind).to.equal('type');
      expect((r as { type: unknown }).type).to.equal(inst.getResource('r'));
      expect((r as { type: unknown }).type).to.not.equal((pt.exports.get('r') as { type: unknown }).type);
      const inst2 = await pre.instantiate(store);
      expect((inst2.instanceType().exports.get('r') as { type: unknown }).type).to.not.equal((r as { type: unknown }).type);
      expect(it1.exports.get('add')).to.deep.include({ kind: 'func' });
    });
  });

  describe('the component-model suite, and cmr\'s own component scripts', () => {
    const files = [...wastFiles(suiteDir('component-model')), ...wastFiles(join(suiteDir('cmr'), 'component'))];

    it('every component cmr accepts: deserialize(serialize(c)) has the same AST and type', async () => {
      const engine = new Engine({ coreEngine: 'native' });
      let count = 0;
      for (const file of files) {
        const defs: ModuleDef[] = [];
        for (const d of await loadScript(file)) {
          if (d.kind === 'module' && d.def.sort === 'component') defs.push(d.def);
          if ((d.kind === 'assert_trap' || d.kind === 'assert_unlinkable' || d.kind === 'assert_uninstantiable') && d.module?.sort === 'component') defs.push(d.module);
        }
        for (const def of defs) {
          const p = await prepare(def, featuresForScript(file));
          if (!p.ok) continue;
          const { ast, type } = p.compiled.component!;
          const c = Component.fromParts(engine, { bytes: p.compiled.bytes, ast, type });
          const d = Component.deserialize(engine, c.serialize());
          const where = `${file}:${def.line}`;
          const diff = difference({ ast, type }, { ast: d.ast, type: d.type }, where);
          expect(diff, diff ?? "").to.equal(null);
          count++;
        }
      }
      expect(count).to.be.greaterThan(250);
    });

    for (const [name, adapter] of [['interp', interpAdapter], ['native', nativeAdapter]] as const) {
      it(`every script runs with the same outcomes through the serialized form (${name})`, async () => {
        let directives = 0;
        for (const file of files) {
          const script = await loadScript(file);
          const features = featuresForScript(file);
          const plain = await new ScriptRun(adapter(), { features }).run(script);
          const through = await new ScriptRun(adapter(), { features, serializeRoundTrip: true }).run(script);
          const differ = plain.map((o, i) => [o, through[i]!] as const)
            .filter(([a, b]) => a.status !== b.status || a.got !== b.got)
            .map(([a, b]) => `${file}:${a.line}: ${a.status} ${a.got ?? ''} vs ${b.status} ${b.got ?? ''}`);
          expect(differ, differ.join('\n')).to.deep.equal([]);
          directives += plain.length;
        }
        expect(directives).to.be.greaterThan(1000);
      });
    }
  });
});
