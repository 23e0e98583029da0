// Host list values: Func.call takes a typed array for a list of the matching
// primitive element type (as jco does), and refuses one of another kind.

import { expect } from 'chai';
import { Component, Engine, Linker, Store } from '../src/index.js';


/** echo: func(l: list<T>) -> list<T>, the list handed back where canon lift put it. */
function echoOf(elem: string): string {
  return `(component
  (core module $m
    (memory (export "mem") 1)
    (global $next (mut i32) (i32.const 1024))
    (func $realloc (export "realloc") (param i32 i32) (param $align i32) (param $size i32) (result i32)
      (local $p i32)
      (local.set $p (i32.and (i32.add (global.get $next) (i32.sub (local.get $align) (i32.const 1)))
                             (i32.sub (i32.const 0) (local.get $align))))
      (global.set $next (i32.add (local.get $p) (local.get $size)))
      (local.get $p))
    (func (export "echo") (param $ptr i32) (param $len i32) (result i32)
      (i32.store (i32.const 8) (local.get $ptr))
      (i32.store (i32.const 12) (local.get $len))
      (i32.const 8)))
  (core instance $i (instantiate $m))
  (func (export "echo") (param "l" (list ${elem})) (result (list ${elem}))
    (canon lift (core func $i "echo") (memory (core memory $i "mem")) (realloc (core func $i "realloc")))))`;
}

async function echo(engine: Engine, elem: string, value: unknown): Promise<unknown> {
  const store = new Store(engine);
  const instance = await new Linker(engine).instantiate(store, await Component.fromText(engine, echoOf(elem)));
  const [result] = await instance.getFunc('echo')!.call(store, [value as never]);
  return result;
}

describe('api: typed arrays for host lists', function () {
  this.timeout(30_000);

  const cases: [string, ArrayLike<unknown>][] = [
    ['u8', new Uint8Array([0, 1, 255])],
    ['u8', new Uint8ClampedArray([7, 8])],
    ['s8', new Int8Array([-128, 5])],
    ['u16', new Uint16Array([65535, 2])],
    ['s16', new Int16Array([-32768, 3])],
    ['u32', new Uint32Array([4294967295, 4])],
    ['s32', new Int32Array([-2147483648, 5])],
    ['f32', new Float32Array([1.5, -0])],
    ['f64', new Float64Array([Math.PI, 1e300])],
    ['s64', new BigInt64Array([-9223372036854775808n, 6n])],
    ['u64', new BigUint64Array([18446744073709551615n, 7n])],
  ];
  for (const coreEngine of ['interp', 'native'] as const) {
    describe(`on the ${coreEngine} engine`, () => {
      const engine = new Engine({ coreEngine });
      for (const [elem, value] of cases) {
        it(`takes a ${value.constructor.name} for a list<${elem}> and gives an array back`, async () => {
          const result = await echo(engine, elem, value);
          expect(result).to.be.an('array');
          expect(result).to.deep.equal(Array.from(value));
        });
      }
    });
  }

  it('takes a typed array nested in a list of lists', async () => {
    expect(await echo(new Engine(), '(list u8)', [new Uint8Array([1, 2]), [3]])).to.deep.equal([[1, 2], [3]]);
  });

  it("takes a Uint8Array as a host function's list<u8> result", async () => {
    const engine = new Engine();
    const component = await Component.fromText(engine, `(component
      (import "get" (func $get (result (list u8))))
      (core module $mem (memory (export "mem") 1)
        (global $next (mut i32) (i32.const 1024))
        (func (export "realloc") (param i32 i32 i32 i32) (result i32) (local $p i32)
          (local.set $p (global.get $next)) (global.set $next (i32.add (local.get $p) (local.get 3))) (local.get $p)))
      (core instance $mi (instantiate $mem))
      (core func $g (canon lower (func $get) (memory (core memory $mi "mem")) (realloc (core func $mi "realloc"))))
      (core module $m (import "" "get" (func $g (param i32))) (import "" "mem" (memory 1))
        ;; the sum of the bytes the host gave
        (func (export "sum") (result i32) (local $p i32) (local $n i32) (local $s i32)
          (call $g (i32.const 8))
          (local.set $p (i32.load (i32.const 8))) (local.set $n (i32.load (i32.const 12)))
          (block $done (loop $each
            (br_if $done (i32.eqz (local.get $n)))
            (local.set $s (i32.add (local.get $s) (i32.load8_u (local.get $p))))
            (local.set $p (i32.add (local.get $p) (i32.const 1))) (local.set $n (i32.sub (local.get $n) (i32.const 1)))
            (br $each)))
          (local.get $s)))
      (core instance $i (instantiate $m (with "" (instance (export "get" (func $g)) (export "mem" (memory $mi "mem"))))))
      (func (export "sum") (result u32) (canon lift (core func $i "sum"))))`);
    const linker = new Linker(engine);
    linker.root().funcWrap('get', () => new Uint8Array([1, 2, 250]));
    const store = new Store(engine);
    expect(await (await linker.instantiate(store, component)).getFunc('sum')!.call(store, [])).to.deep.equal([253]);
  });

  it('refuses a typed array of another element type, naming it', async () => {
    const engine = new Engine();
    let error: unknown;
    try { await echo(engine, 'u8', new Uint16Array([1])); } catch (e) { error = e; }
    expect(String(error)).to.match(/expected an array for a list, got a Uint16Array/);
    error = undefined;
    try { await echo(engine, 's64', new BigUint64Array([1n])); } catch (e) { error = e; }
    expect(String(error)).to.match(/got a BigUint64Array/);
  });
});
