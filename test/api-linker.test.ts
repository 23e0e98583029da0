// The embedder API's Linker, InstancePre, Instance and Func: host functions
// (typed checks, Promises), host resources, whole instances, modules,
// missing and mistyped imports, stubs, calls with component values,
// hostcall fuel, Instance.get_func (wasmtime docs). The README example is
// examples/api.ts, run by readme.test.ts and package.test.ts.

import { join } from 'node:path';
import { expect } from 'chai';
import {
  Component, Engine, HostcallFuelExhausted, DEFAULT_HOSTCALL_FUEL, Instance, Linker, LinkError, ResourceType, ResourceValue, SignatureError, Store, Trap,
  type ComponentValue, type TraceEvent,
} from '../src/index.js';
import { watToBinary } from '../src/text/wat.js';
import { hostFeatures } from '../src/core/native/features.js';
import { growInPlaceLibc } from './support/libc.js';
import { root } from './support/examples.js';
import { formatType } from '../src/component/canon/values.js';

const engines = [new Engine({ coreEngine: 'interp' }), new Engine({ coreEngine: 'native' })];

/** A component importing `double: func(x: u32) -> u32` and exporting `run(x) = double(x) + 1`. */
const doubleRun = `(component
  (import "double" (func $double (param "x" u32) (result u32)))
  (core func $d (canon lower (func $double)))
  (core module $m (import "host" "double" (func $d (param i32) (result i32)))
    (func (export "run") (param i32) (result i32) (i32.add (call $d (local.get 0)) (i32.const 1))))
  (core instance $i (instantiate $m (with "host" (instance (export "double" (func $d))))))
  (func (export "run") (param "x" u32) (result u32) (canon lift (core func $i "run"))))`;

/**
 * The body of a component exporting `get: func(n: u32) -> list<list<u8>>`
 * whose n inner lists all alias the same 64 KiB (its first page): 512 MiB
 * to lift for n = 8192 from a guest of 192 KiB.
 */
const ALIASED_LISTS = `
  (core module $m
    (memory (export "mem") 3)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) (i32.const 0))
    (func (export "get") (param $n i32) (result i32)
      (local $i i32)
      (block $done (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (i32.store (i32.add (i32.const 65536) (i32.shl (local.get $i) (i32.const 3))) (i32.const 0))
        (i32.store (i32.add (i32.const 65540) (i32.shl (local.get $i) (i32.const 3))) (i32.const 65536))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
      (i32.store (i32.const 0) (i32.const 65536))
      (i32.store (i32.const 4) (local.get $n))
      (i32.const 0)))
  (core instance $i (instantiate $m))
  (func (export "get") (param "n" u32) (result (list (list u8)))
    (canon lift (core func $i "get") (memory (core memory $i "mem")) (realloc (core func $i "realloc"))))`;

/** Strings and lists both ways, with realloc and post-return counting its calls. */
const strings = `(component
  (import "log" (func $log (param "s" string)))
${growInPlaceLibc('$mem')}
  (core instance $mem (instantiate $mem))
  (core func $log (canon lower (func $log) (memory (core memory $mem "mem")) (realloc (core func $mem "realloc"))))
  (core module $m
    (import "mem" "mem" (memory 1))
    (import "host" "log" (func $log (param i32 i32)))
    (import "mem" "post" (global $post (mut i32)))
    ;; echo: the string's pointer/length pair stored at 0, returned by pointer
    (func (export "echo") (param i32 i32) (result i32)
      (call $log (local.get 0) (local.get 1))
      (i32.store (i32.const 0) (local.get 0))
      (i32.store (i32.const 4) (local.get 1))
      (i32.const 0))
    ;; sum of a list<u32>
    (func (export "sum") (param i32 i32) (result i32)
      (local $s i32)
      (block $done (loop $l
        (br_if $done (i32.eqz (local.get 1)))
        (local.set $s (i32.add (local.get $s) (i32.load (local.get 0))))
        (local.set 0 (i32.add (local.get 0) (i32.const 4)))
        (local.set 1 (i32.sub (local.get 1) (i32.const 1)))
        (br $l)))
      (local.get $s))
    (func (export "posts") (result i32) (global.get $post)))
  (core instance $i (instantiate $m (with "mem" (instance $mem)) (with "host" (instance (export "log" (func $log))))))
  (func (export "echo") (param "s" string) (result string)
    (canon lift (core func $i "echo") (memory (core memory $mem "mem")) (realloc (core func $mem "realloc"))
      (post-return (core func $mem "post-return"))))
  (func (export "sum") (param "xs" (list u32)) (result u32)
    (canon lift (core func $i "sum") (memory (core memory $mem "mem")) (realloc (core func $mem "realloc"))))
  (func (export "posts") (result u32) (canon lift (core func $i "posts"))))`;

describe('api: Linker, Instance, Func', function () {
  this.timeout(120_000); // a ceiling for a hang: bounded work, some seconds on an idle machine and ten to fifteen times as long under c8 on a loaded 2-core one

  for (const engine of engines) {
    describe(`on the ${engine.coreEngineName} engine`, () => {
      it('calls host functions from wasm and checks their types at instantiation', async () => {
        const component = await Component.fromText(engine, doubleRun);
        const store = new Store(engine);
        const ok = new Linker(engine);
        ok.root().funcWrap('double', (x: number) => x * 2, 'func(u32) -> u32');
        const inst = await ok.instantiate(store, component);
        expect(await inst.getFunc('run')!.call(store, [5])).to.deep.equal([11]);

        const wrongSig = new Linker(engine);
        wrongSig.root().funcWrap('double', (x: number) => x, 'func(string) -> u32');
        await expectLinkError(wrongSig.instantiate(store, component), /component imports func `double`.*\n.*expected string, found u32/);

        const tooMany = new Linker(engine);
        tooMany.root().funcWrap('double', (x: number, y: number) => x + y);
        await expectLinkError(tooMany.instantiate(store, component), /`double`: the host function takes 2 parameters, the import 1/);

        const dynamic = new Linker(engine);
        dynamic.root().funcNew('double', (args, cx) => {
          expect(cx.name).to.equal('double');
          expect(cx.type.params.map((p) => p.name)).to.deep.equal(['x']);
          return [(args[0] as number) * 3];
        });
        const i3 = await dynamic.instantiate(store, component);
        expect(await i3.getFunc('run')!.call(store, [5])).to.deep.equal([16]);
      });

      it('names a missing import and an import of the wrong kind', async () => {
        const component = await Component.fromText(engine, doubleRun);
        const store = new Store(engine);
        await expectLinkError(new Linker(engine).instantiate(store, component),
          /^component imports func `double`, but a matching implementation was not found in the linker/);
        const wrongKind = new Linker(engine);
        wrongKind.root().instance('double').funcWrap('f', () => 0);
        await expectLinkError(wrongKind.instantiate(store, component), /`double`: expected a func, the linker defines a instance/);
        // instantiatePre checks before any store is involved.
        expect(() => new Linker(engine).instantiatePre(component)).to.throw(LinkError, /`double`/);
      });

      it('InstancePre instantiates in any store with the definitions it was made with', async () => {
        const component = await Component.fromText(engine, doubleRun);
        const linker = new Linker(engine);
        linker.root().funcWrap('double', (x: number) => x * 2);
        const pre = linker.instantiatePre(component);
        linker.allowShadowing(true).root().funcWrap('double', (x: number) => x * 10);
        const s1 = new Store(engine);
        const s2 = new Store(engine);
        const a = await pre.instantiate(s1);
        const b = await pre.instantiate(s2);
        expect(await a.getFunc('run')!.call(s1, [1])).to.deep.equal([3]);
        expect(await b.getFunc('run')!.call(s2, [2])).to.deep.equal([5]);
        // Functions belong to their store.
        try {
          await a.getFunc('run')!.call(s2, [1]);
          expect.fail('should refuse another store');
        } catch (e) {
          expect((e as Error).message).to.contain('another store');
        }
        const c = await linker.instantiate(s1, component);
        expect(await c.getFunc('run')!.call(s1, [1])).to.deep.equal([11]);
      });

      it('refuses to define a name twice unless shadowing is allowed', () => {
        const linker = new Linker(engine);
        linker.root().funcWrap('f', () => 0);
        expect(() => linker.root().funcWrap('f', () => 1)).to.throw(LinkError, /already defined/);
        linker.allowShadowing(true).root().funcWrap('f', () => 1);
      });

      it('passes strings and lists both ways, runs post-return for the caller, and caps copies with hostcall fuel', async () => {
        const component = await Component.fromText(engine, strings);
        const logged: string[] = [];
        const linker = new Linker(engine);
        linker.root().funcWrap('log', (s: string) => { logged.push(s); });
        const store = new Store(engine);
        const inst = await linker.instantiate(store, component);
        const echo = inst.getTypedFunc<[string], string>('echo', 'func(string) -> string');
        expect(await echo.call(store, ['héllo ☃'])).to.equal('héllo ☃');
        expect(logged).to.deep.equal(['héllo ☃']);
        expect(await inst.getFunc('posts')!.call(store, [])).to.deep.equal([1]);
        expect(await inst.getFunc('sum')!.call(store, [[1, 2, 3, 4]])).to.deep.equal([10]);
        expect(() => inst.getTypedFunc('sum', 'func(list<u8>) -> u32')).to.throw(TypeError, /expected list<u8>, found list<u32>/);
        expect(() => inst.getTypedFunc('nope', 'func()')).to.throw(TypeError, /no function `nope`/);

        const tight = new Engine({ coreEngine: engine.coreEngine, hostcallFuel: 16 });
        const c2 = await Component.fromText(tight, strings);
        const l2 = new Linker(tight);
        l2.root().funcWrap('log', () => {});
        const s2 = new Store(tight);
        const i2 = await l2.instantiate(s2, c2);
        // Only lifts out of a guest spend fuel: the host's own list goes in free.
        expect(await i2.getFunc('sum')!.call(s2, [[1, 2, 3, 4, 5, 6, 7, 8]])).to.deep.equal([36]);
        // The guest's call of log lifts 16 bytes (just enough), the result 16 more (a fresh allowance).
        expect(await i2.getFunc('echo')!.call(s2, ['0123456789abcdef'])).to.deep.equal(['0123456789abcdef']);
        try {
          await i2.getFunc('echo')!.call(s2, ['0123456789abcdefg']);
          expect.fail('should run out of fuel');
        } catch (e) {
          expect(e).to.be.instanceOf(HostcallFuelExhausted);
          expect(e).to.be.instanceOf(Trap);
          expect((e as Error).message).to.match(/hostcall fuel exhausted: copying a string of 17 bytes/);
        }
      });

      it('bounds by default what a guest aliasing one buffer in every inner list makes the host lift', async () => {
        expect(new Engine().hostcallFuel).to.equal(DEFAULT_HOSTCALL_FUEL);
        expect(DEFAULT_HOSTCALL_FUEL).to.equal(128 * 1024 * 1024);
        // 8192 inner lists, each all 64 KiB of the first page: 512 MiB to lift
        // from a guest of 192 KiB (without a limit V8 runs out of heap and aborts).
        const aliased = await Component.fromText(engine, `(component ${ALIASED_LISTS})`);
        const store = new Store(engine);
        const inst = await new Linker(engine).instantiate(store, aliased);
        const [two] = await inst.getFunc('get')!.call(store, [2]) as [number[][]];
        expect(two).to.have.length(2);
        expect(two[1]).to.have.length(65536);
        try {
          await inst.getFunc('get')!.call(store, [8192]);
          expect.fail('should run out of hostcall fuel');
        } catch (e) {
          expect(e).to.be.instanceOf(HostcallFuelExhausted);
          // each inner list costs 8 bytes of fuel per element (a JS array slot)
          expect((e as Error).message).to.match(/copying a list of 524288 bytes/);
        }
      });

      it('bounds what one guest makes cmr lift for another guest (each copy between components has the hostcall fuel)', async () => {
        // $A returns n inner lists, each all 64 KiB of its first page; $B
        // calls it through an import and returns how many lists it received.
        const pair = `(component
          (component $A ${ALIASED_LISTS})
          (instance $a (instantiate $A))
          (component $B
            (import "get" (func $get (param "n" u32) (result (list (list u8)))))
            (core module $libc
              (memory (export "mem") 1)
              (global $top (mut i32) (i32.const 16))
              ;; a bump allocator that grows the memory as it needs
              (func (export "realloc") (param i32 i32 i32 i32) (result i32)
                (local $p i32)
                (local.set $p (i32.and (i32.add (global.get $top) (i32.sub (local.get 2) (i32.const 1))) (i32.sub (i32.const 0) (local.get 2))))
                (global.set $top (i32.add (local.get $p) (local.get 3)))
                (if (i32.gt_u (global.get $top) (i32.shl (memory.size) (i32.const 16)))
                  (then (drop (memory.grow (i32.add (i32.shr_u (i32.sub (global.get $top) (i32.shl (memory.size) (i32.const 16))) (i32.const 16)) (i32.const 1))))))
                (local.get $p)))
            (core instance $libc (instantiate $libc))
            (core func $get (canon lower (func $get) (memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))))
            (core module $m
              (import "libc" "mem" (memory 1))
              (import "a" "get" (func $get (param i32 i32)))
              (func (export "run") (param $n i32) (result i32)
                (call $get (local.get $n) (i32.const 0))
                (i32.load (i32.const 4))))
            (core instance $i (instantiate $m (with "libc" (instance $libc)) (with "a" (instance (export "get" (func $get))))))
            (func (export "run") (param "n" u32) (result u32) (canon lift (core func $i "run"))))
          (instance $b (instantiate $B (with "get" (func $a "get"))))
          (export "run" (func $b "run")))`;
        const run = async (e: Engine, n: number): Promise<unknown> => {
          const store = new Store(e);
          const inst = await new Linker(e).instantiate(store, await Component.fromText(e, pair));
          return (await inst.getFunc('run')!.call(store, [n]))[0];
        };
        const expectExhausted = async (e: Engine, n: number, bytes: number): Promise<void> => {
          try {
            await run(e, n);
            expect.fail('should exceed the guest copy limit');
          } catch (err) {
            expect(err).to.be.instanceOf(HostcallFuelExhausted);
            expect((err as Error).message).to.match(new RegExp(`guest copy limit exceeded: copying a list of ${bytes} bytes out of .* for another component exceeds the ${e.hostcallFuel} bytes`));
          }
        };
        // 1 MiB: one inner list (8 + 512 KiB of fuel) passes, three do not.
        const tight = new Engine({ coreEngine: engine.coreEngine, hostcallFuel: 1 << 20 });
        expect(await run(tight, 1)).to.equal(1);
        await expectExhausted(tight, 3, 524288);
        // null is no limit.
        expect(await run(new Engine({ coreEngine: engine.coreEngine, hostcallFuel: null }), 3)).to.equal(3);
        // The default bounds 8192 aliased lists (512 MiB of bytes, 4 GiB as JS
        // arrays; without a bound V8 aborts) after 256 of them. The lift is
        // the canonical ABI's, the same on both engines: once is enough.
        if (engine.coreEngineName === 'interp') await expectExhausted(engine, 8192, 524288);
      });

      it('gives host resources to guests and runs their destructor', async () => {
        const component = await Component.fromText(engine, `(component
          (import "file" (type $file (sub resource)))
          (import "open" (func $open (param "name" u32) (result (own $file))))
          (core func $open (canon lower (func $open)))
          (core func $drop (canon resource.drop $file))
          (core module $m
            (import "host" "open" (func $open (param i32) (result i32)))
            (import "host" "drop" (func $drop (param i32)))
            (func (export "cycle") (param i32) (result i32)
              (local $h i32)
              (local.set $h (call $open (local.get 0)))
              (call $drop (local.get $h))
              (local.get $h)))
          (core instance $i (instantiate $m (with "host" (instance (export "open" (func $open)) (export "drop" (func $drop))))))
          (func (export "cycle") (param "n" u32) (result u32) (canon lift (core func $i "cycle")))
          (export "file-type" (type $file)))`);
        class File {}
        const fileType = ResourceType.host(File);
        const store = new Store<{ closed: string[] }>(engine, { data: { closed: [] } });
        // Linker<T> as wasmtime's: the destructor and the host functions see Store<T>, no casts.
        const linker = new Linker<{ closed: string[] }>(engine);
        linker.root()
          .resource('file', fileType, (rep, s) => { s.data.closed.push(s.table.delete(rep) as string); })
          .funcWrap('open', function (n: number) { return new ResourceValue(fileType, this.store.table.push(`file${n}`), true); });
        const inst = await linker.instantiate(store, component);
        expect(inst.getResource('file-type')).to.equal(fileType);
        const [handle] = await inst.getFunc('cycle')!.call(store, [7]);
        expect(handle).to.be.a('number');
        expect(store.data.closed).to.deep.equal(['file7']);
        expect(store.table.size).to.equal(0);
        // A Linker<T> instantiates only in a Store<T> (checked by tsc: the line must not compile).
        // @ts-expect-error a store of other data
        await linker.instantiate(new Store<number>(engine, { data: 1 }), component).catch(() => {});
      });

      it('links a whole instance of one component into another, and core modules', async () => {
        const store = new Store(engine);
        const provider = await Component.fromText(engine, `(component
          (core module $m (func (export "f") (result i32) (i32.const 42)))
          (core instance $i (instantiate $m))
          (func (export "get") (result u32) (canon lift (core func $i "f")))
          (export "m" (core module $m)))`);
        const p = await new Linker(engine).instantiate(store, provider);
        const consumer = await Component.fromText(engine, `(component
          (import "api" (instance $api (export "get" (func (result u32)))))
          (import "mod" (core module $m (export "f" (func (result i32)))))
          (alias export $api "get" (func $get))
          (core instance $mi (instantiate $m))
          (func (export "get") (result u32) (canon lift (core func $mi "f")))
          (export "again" (func $get)))`);
        const linker = new Linker(engine);
        linker.root().instance('api', p);
        linker.root().module('mod', p.getModule('m')!);
        const c = await linker.instantiate(store, consumer);
        expect(await c.getFunc('again')!.call(store, [])).to.deep.equal([42]);
        expect(await c.getFunc('get')!.call(store, [])).to.deep.equal([42]);
        // Module bytes work too.
        const l2 = new Linker(engine);
        l2.root().instance('api', p).module('mod', await watToBinary('(module (func (export "f") (result i32) (i32.const 9)))'));
        const c2 = await l2.instantiate(store, consumer);
        expect(await c2.getFunc('get')!.call(store, [])).to.deep.equal([9]);
      });

      it('takes module bytes with the core features of embedded modules (GC types), matched by canonical type identity', async function () {
        if (engine.coreEngineName === 'native' && !hostFeatures().gc) return this.skip(); // host engine lacks gc (Node 20); Deno runs it
        const consumer = await Component.fromText(engine, `(component
          (core type $mt (module
            (type $s (struct (field i32)))
            (type $f (func (param (ref null $s)) (result i32)))
            (export "f" (func (type $f)))))
          (import "m" (core module $m (type $mt)))
          (core instance $i (instantiate $m))
          (core module $w (type $s (struct (field i32))) (import "i" "f" (func $f (param (ref null $s)) (result i32)))
            (func (export "h") (result i32) (call $f (ref.null none))))
          (core instance $wi (instantiate $w (with "i" (instance (export "f" (func $i "f"))))))
          (func (export "h") (result u32) (canon lift (core func $wi "h"))))`);
        const linker = new Linker(engine);
        // The struct type sits at another index than in the module type.
        linker.root().module('m', await watToBinary('(module (type (func)) (type $s (struct (field i32))) (func (export "f") (param (ref null $s)) (result i32) (i32.const 7)))'));
        const store = new Store(engine);
        const c = await linker.instantiate(store, consumer);
        expect(await c.getFunc('h')!.call(store, [])).to.deep.equal([7]);
      });

      it('keeps canonical type identity of GC core types through the serialized form (nested components too), still refusing a mismatch', async function () {
        if (engine.coreEngineName === 'native' && !hostFeatures().gc) return this.skip(); // host engine lacks gc (Node 20); Deno runs it
        const consumer = (mt: string) => `(core type $mt (module
            (type $pad (func))
            (rec (type $s (struct (field i32))) (type $t (array i8)))
            (type $f (func (param (ref null $s)) (result i32)))
            (export "f" (func (type $f)))))
          (import "m" (core module $m (type ${mt})))
          (core instance $i (instantiate $m))
          (core module $w (rec (type $s (struct (field i32))) (type $t (array i8))) (import "i" "f" (func $f (param (ref null $s)) (result i32)))
            (func (export "h") (result i32) (call $f (ref.null none))))
          (core instance $wi (instantiate $w (with "i" (instance (export "f" (func $i "f"))))))
          (func (export "h") (result u32) (canon lift (core func $wi "h")))`;
        const flat = `(component ${consumer('$mt')})`;
        // The inner component's module type is the outer's, aliased (the same core types, the same ids).
        const nested = `(component
          (core type $mt (module
            (type $pad (func))
            (rec (type $s (struct (field i32))) (type $t (array i8)))
            (type $f (func (param (ref null $s)) (result i32)))
            (export "f" (func (type $f)))))
          (import "m" (core module $m (type $mt)))
          (component $inner (alias outer 1 $mt (core type $outer)) ${consumer('$outer')})
          (instance $x (instantiate $inner (with "m" (core module $m))))
          (export "h" (func $x "h")))`;
        const module = (struct: string) => watToBinary(`(module (type (func)) (rec (type $s (struct (field ${struct}))) (type (array i8)))
          (func (export "f") (param (ref null $s)) (result i32) (i32.const 7)))`);
        for (const text of [flat, nested]) {
          const c = Component.deserialize(engine, (await Component.fromText(engine, text)).serialize());
          const linker = new Linker(engine);
          linker.root().module('m', await module('i32'));
          const store = new Store(engine);
          const inst = await linker.instantiate(store, c);
          expect(await inst.getFunc('h')!.call(store, [])).to.deep.equal([7]);
          const wrong = new Linker(engine);
          wrong.root().module('m', await module('i64'));
          await expectLinkError(wrong.instantiate(new Store(engine), c), /`m`/);
          // Twice through the serialized form: the restored ids are stored again.
          const again = Component.deserialize(engine, c.serialize());
          expect(await (await linker.instantiate(store, again)).getFunc('h')!.call(store, [])).to.deep.equal([7]);
        }
      });

      it('builds imported instances from nested linker instances, binding their resources', async () => {
        const component = await Component.fromText(engine, `(component
          (import "wasi:demo/counter" (instance $c
            (export "counter" (type $t (sub resource)))
            (export "make" (func (param "start" u32) (result (own $t))))
            (export "value" (func (param "c" (borrow $t)) (result u32)))))
          (alias export $c "counter" (type $counter))
          (alias export $c "make" (func $make))
          (alias export $c "value" (func $value))
          (core func $make (canon lower (func $make)))
          (core func $value (canon lower (func $value)))
          (core func $drop (canon resource.drop $counter))
          (core module $m
            (import "h" "make" (func $make (param i32) (result i32)))
            (import "h" "value" (func $value (param i32) (result i32)))
            (import "h" "drop" (func $drop (param i32)))
            (func (export "run") (param i32) (result i32)
              (local $h i32) (local $v i32)
              (local.set $h (call $make (local.get 0)))
              (local.set $v (call $value (local.get $h)))
              (call $drop (local.get $h))
              (local.get $v)))
          (core instance $i (instantiate $m (with "h" (instance
            (export "make" (func $make)) (export "value" (func $value)) (export "drop" (func $drop))))))
          (func (export "run") (param "start" u32) (result u32) (canon lift (core func $i "run"))))`);
        const counter = ResourceType.host('counter');
        const store = new Store(engine);
        const dropped: number[] = [];
        const linker = new Linker(engine);
        linker.instance('wasi:demo/counter')
          .resource('counter', counter, (rep) => { dropped.push(rep); })
          .funcWrap('make', (start: number) => new ResourceValue(counter, start + 100, true), 'func(u32) -> own<_>')
          .funcWrap('value', (c: ResourceValue) => c.rep * 2, 'func(borrow<counter>) -> u32');
        const inst = await linker.instantiate(store, component);
        expect(await inst.getFunc('run')!.call(store, [1])).to.deep.equal([202]);
        expect(dropped).to.deep.equal([101]);

        const missing = new Linker(engine);
        missing.instance('wasi:demo/counter').resource('counter', counter).funcWrap('make', () => 0);
        await expectLinkError(missing.instantiate(store, component), /`value` of instance `wasi:demo\/counter`: the linker's instance `wasi:demo\/counter` defines no func `value`/);
      });

      it('awaits a Promise-returning host function only where the call is async', async () => {
        const component = await Component.fromText(engine, `(component
          (import "slow" (func $slow (param "x" u32) (result u32)))
          (export "slow" (func $slow))
          (core func $s (canon lower (func $slow)))
          (core module $m (import "h" "slow" (func $s (param i32) (result i32)))
            (func (export "via-wasm") (param i32) (result i32) (call $s (local.get 0))))
          (core instance $i (instantiate $m (with "h" (instance (export "slow" (func $s))))))
          (func (export "via-wasm") (param "x" u32) (result u32) (canon lift (core func $i "via-wasm"))))`);
        const linker = new Linker(engine);
        linker.root().funcWrap('slow', async (x: number) => { await new Promise((r) => setTimeout(r, 1)); return x + 1; });
        const store = new Store(engine);
        const inst = await linker.instantiate(store, component);
        expect(await inst.getFunc('slow')!.call(store, [1])).to.deep.equal([2]);
        // Interpreted core wasm waits for it in Func.call (api-async-host.test.ts); native core wasm cannot.
        if (engine.coreEngineName === 'interp') {
          expect(await inst.getFunc('via-wasm')!.call(store, [1])).to.deep.equal([2]);
        }
        try {
          if (engine.coreEngineName === 'interp') inst.getFunc('via-wasm')!.callSync(store, [1]);
          else await inst.getFunc('via-wasm')!.call(store, [1]);
          expect.fail('should refuse');
        } catch (e) {
          expect((e as Error).message).to.match(/host function `slow` returned a Promise, but it was called from core wasm/);
        }
        // The instance stays usable: the error was the host's, not a trap.
        linker.allowShadowing(true).root().funcWrap('slow', (x: number) => x + 5);
        const again = await linker.instantiate(store, component);
        expect(await again.getFunc('via-wasm')!.call(store, [1])).to.deep.equal([6]);
      });

      it('defines unknown imports as stubs: zero values, or traps naming the import', async () => {
        const component = await Component.fromText(engine, doubleRun);
        const store = new Store(engine);
        const zero = await new Linker(engine).defineUnknownImportsAsStubs(component, 'zero').instantiate(store, component);
        expect(await zero.getFunc('run')!.call(store, [5])).to.deep.equal([1]);
        const traps = await new Linker(engine).defineUnknownImportsAsStubs(component, 'trap').instantiate(store, component);
        try {
          await traps.getFunc('run')!.call(store, [5]);
          expect.fail('should trap');
        } catch (e) {
          expect(e).to.be.instanceOf(Trap);
          expect((e as Error).message).to.contain('import `double` is a stub');
        }
      });

      it('sends trace events to the store\'s hook', async () => {
        const component = await Component.fromText(engine, doubleRun);
        const events: TraceEvent[] = [];
        const store = new Store(engine, { trace: (e) => events.push(e) });
        const linker = new Linker(engine);
        linker.root().funcWrap('double', (x: number) => x * 2);
        const inst = await linker.instantiate(store, component);
        await inst.getFunc('run')!.call(store, [2]);
        expect(events.some((e) => e.kind === 'call' && e.phase === 'enter')).to.equal(true);
        expect(events.every((e) => typeof e.text === 'string')).to.equal(true);
      });
    });
  }

  describe('resource names', () => {
    it('names a resource exported only inside an instance by that name in traces, values and types, not resource#N', async () => {
      const engine = engines[0]!;
      const component = await Component.fromText(engine, `(component
        (type $counter (resource (rep i32)))
        (core func $new (canon resource.new $counter))
        (core module $m
          (import "r" "new" (func $new (param i32) (result i32)))
          (func (export "make") (param i32) (result i32) (call $new (local.get 0))))
        (core instance $i (instantiate $m (with "r" (instance (export "new" (func $new))))))
        (func $make (param "n" u32) (result (own $counter)) (canon lift (core func $i "make")))
        (instance $api (export "counter" (type $counter)) (export "make" (func $make)))
        (export "docs:c/api" (instance $api)))`);
      const events: TraceEvent[] = [];
      const store = new Store(engine);
      store.trace = (e) => { events.push(e); };
      const instance = await new Linker(engine).instantiate(store, component);
      const f = instance.getFunc('docs:c/api#make')!;
      const [v] = await f.call(store, [5]);
      const texts = events.map((e) => e.text).join('\n');
      expect(texts).to.contain('resource.new counter rep 5');
      expect(texts).to.contain('own<counter>');
      expect(texts).to.not.contain('resource#');
      expect(events.filter((e) => e.kind === 'handle').map((e) => (e as { resource: string }).resource)).to.include('counter');
      expect((v as ResourceValue).describe()).to.equal('own<counter>(rep 5)');
      expect(formatType(f.results[0]!)).to.equal('own<counter>');
    });
  });

  describe('Instance.get_func (wasmtime docs)', () => {
    it('finds functions by name and by export index, nested ones by index too', async () => {
      const engine = engines[0]!;
      const component = await Component.fromText(engine, `(component
        (core module $m (func (export "f")))
        (core instance $i (instantiate $m))
        (func (export "f") (canon lift (core func $i "f")))
        (component $c
          (core module $m (func (export "f")))
          (core instance $i (instantiate $m))
          (func (export "f") (canon lift (core func $i "f"))))
        (instance (export "i") (instantiate $c)))`);
      const store = new Store(engine);
      const instance: Instance = await new Linker(engine).instantiate(store, component);
      // By name.
      expect(instance.getFunc('f')).to.not.equal(null);
      // By an index of the component, looked up before instantiation.
      const [, f] = component.getExport(null, 'f')!;
      expect(instance.getFunc(f)).to.not.equal(null);
      // Nested: the index of the instance, then of the function in it.
      const i = instance.getExportIndex(null, 'i')!;
      const nested = instance.getExportIndex(i, 'f')!;
      const func = instance.getFunc(nested)!;
      expect(await func.call(store, [])).to.deep.equal([]);
      expect(instance.getFunc('i')).to.equal(null);
      expect(instance.getExport(i, 'f')![0].kind).to.equal('func');
      expect(instance.exports().map(([n, t]) => [n, t.kind])).to.deep.equal([['f', 'func'], ['i', 'instance']]);
      expect(instance.getModule('f')).to.equal(null);
      expect(instance.getResource('f')).to.equal(null);
    });

    it('finds a function inside an exported instance by its `iface#func` path, as cmr run --invoke takes it', async () => {
      const engine = engines[0]!;
      const component = await Component.fromFile(engine, join(root, 'examples', 'greet.wat'));
      const store = new Store(engine);
      const instance = await new Linker(engine).instantiate(store, component);
      const greet = instance.getFunc('docs:hello/greeter#greet')!;
      expect(greet).to.not.equal(null);
      expect(await greet.call(store, ['you'])).to.deep.equal(['hello, you']);
      expect(instance.getTypedFunc<[string], string>('docs:hello/greeter#greet', 'func(string) -> string')).to.not.equal(null);
      expect(instance.getFunc('docs:hello/greeter#nothing')).to.equal(null);
      expect(instance.getFunc('greet#greet')).to.equal(null);
      expect(instance.getFunc('docs:hello/greeter')).to.equal(null);
    });

    it('getExport and getExportIndex take the same `iface#func` path as getFunc, on the component and the instance', async () => {
      const engine = engines[0]!;
      const component = await Component.fromFile(engine, join(root, 'examples', 'greet.wat'));
      const store = new Store(engine);
      const instance = await new Linker(engine).instantiate(store, component);
      const iface = component.getExportIndex(null, 'docs:hello/greeter')!;
      for (const from of [component, instance]) {
        const [item, index] = from.getExport(null, 'docs:hello/greeter#greet')!;
        expect(item.kind).to.equal('func');
        expect(index.path).to.deep.equal(['docs:hello/greeter', 'greet']);
        expect(from.getExportIndex(null, 'docs:hello/greeter#greet')!.path).to.deep.equal(index.path);
        // the same as an instance's index and the name inside it (wasmtime's shape)
        expect(from.getExportIndex(iface, 'greet')!.path).to.deep.equal(index.path);
        expect(await instance.getFunc(index)!.call(store, ['you'])).to.deep.equal(['hello, you']);
        expect(from.getExportIndex(null, 'docs:hello/greeter#nothing')).to.equal(null);
        expect(from.getExportIndex(null, 'greet#greet')).to.equal(null);
        expect(from.getExportIndex(null, 'docs:hello/greeter#greet#x')).to.equal(null);
      }
    });

    it('rejects a wrong number of arguments and a value that does not fit its type', async () => {
      const engine = engines[0]!;
      const component = await Component.fromText(engine, doubleRun);
      const linker = new Linker(engine);
      linker.root().funcWrap('double', (x: number) => x * 2);
      const store = new Store(engine);
      const inst = await linker.instantiate(store, component);
      const run = inst.getFunc('run')!;
      expect(run.params).to.deep.equal(['u32']);
      expect(run.results).to.deep.equal(['u32']);
      try {
        await run.call(store, []);
        expect.fail('should refuse');
      } catch (e) {
        expect(e).to.be.instanceOf(TypeError);
      }
      expect(() => run.callSync(store, ['x' as ComponentValue])).to.throw();
      expect(run.callSync(store, [1])).to.deep.equal([3]);
    });

    it('Func.typed checks the signature (wasmtime\'s Func::typed) and fails naming both types', async () => {
      const engine = engines[0]!;
      const component = await Component.fromText(engine, doubleRun);
      const linker = new Linker(engine);
      linker.root().funcWrap('double', (x: number) => x * 2);
      const store = new Store(engine);
      const run = (await linker.instantiate(store, component)).getFunc('run')!;
      const typed = run.typed<[number], number>('func(u32) -> u32');
      expect(await typed.call(store, [20])).to.equal(41);
      expect(run.typed({ params: ['u32'], result: 'u32' }).callSync(store, [1])).to.equal(3);
      expect(() => run.typed('func(u32) -> u64')).to.throw(TypeError, 'function `run` has type func(x: u32) -> u32, not func(p0: u32) -> u64: expected result u64, found u32');
      expect(() => run.typed('func(s32) -> u32')).to.throw(TypeError, /parameter 0 \(`x`\): expected s32, found u32/);
      expect(() => run.typed('func()')).to.throw(TypeError, /expected 0 parameters, found 1/);
      expect(() => run.typed('func(u32)')).to.throw(TypeError, /expected no result, found result u32/);
      expect(() => run.typed('func(u32')).to.throw(SignatureError);
    });
  });
});

async function expectLinkError(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  try {
    await p;
  } catch (e) {
    expect(e).to.be.instanceOf(LinkError);
    expect((e as Error).message).to.match(pattern);
    return;
  }
  expect.fail(`expected a LinkError matching ${pattern}`);
}
