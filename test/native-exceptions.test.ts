// Tags and exceptions across the native engine's JS boundary (tags.ts): a
// tag is one object on both engines, exceptions pass through frames of
// either engine and are caught by tag, payloads keep every bit. These run
// where the host has exnref (Deno 2's V8 15, Node 22+); on Node 20 they
// are skipped, as the suites skip exception-handling modules natively there.

import { expect } from 'chai';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { decodeModule } from '../src/core/binary/decode.js';
import { Interpreter } from '../src/core/exec/index.js';
import { HostTrap, NativeEngine, NotCallableFromJs, hostFeatures } from '../src/core/native/index.js';
import { Trap } from '../src/core/errors.js';
import type { CoreEngine, ExternVal, ModuleInstance } from '../src/core/runtime/instance.js';
import { Exn, WasmException } from '../src/core/runtime/tag.js';
import { WASM_3_0_SUPPORTED } from '../src/core/syntax/feature-set.js';
import { exported, func, thrown } from './support/core.js';

const native = new NativeEngine();
const interp = new Interpreter();

async function instantiate(engine: CoreEngine, wat: string, imports: ExternVal[] = []): Promise<ModuleInstance> {
  const bytes = await parse(wat);
  return engine.instantiate(decodeModule(bytes, WASM_3_0_SUPPORTED), bytes, imports);
}

/** Throws tag $e with an f32 and an i64; its "pass" calls an imported function with no handler around it. */
const thrower = `(module
  (tag $e (export "e") (param f32 i64))
  (func (export "throw") (param i32 i64) (throw $e (f32.reinterpret_i32 (local.get 0)) (local.get 1))))`;

/** Catches tag $e around a call of the imported "f", returning the payload's bits. */
const catcher = `(module
  (import "m" "e" (tag $e (param f32 i64)))
  (import "m" "f" (func $f (param i32 i64)))
  (func (export "catch") (param i32 i64) (result i32 i64)
    (block $h (result f32 i64)
      (try_table (catch $e $h) (call $f (local.get 0) (local.get 1)))
      (return (i32.const -1) (i64.const -1)))
    (local.set 1)
    (i32.reinterpret_f32)
    (local.get 1)))`;

const snan = 0x7fa00001; // a signalling NaN with a payload

describe('native engine: tags and exceptions', function () {
  before(function () {
    if (!hostFeatures().exnref) this.skip();
  });

  for (const [throwOn, catchOn] of [[native, interp], [interp, native], [native, native]] as const) {
    it(`an exception thrown ${throwOn.name === 'native' ? 'natively' : 'interpreted'} is caught by tag ${catchOn.name === 'native' ? 'natively' : 'interpreted'}, bits intact`, async () => {
      const t = await instantiate(throwOn, thrower);
      const c = await instantiate(catchOn, catcher, [
        { kind: 'tag', value: exported(t, 'e', 'tag') },
        { kind: 'func', value: func(t, 'throw') },
      ]);
      expect(func(c, 'catch').call([snan, -5n])).to.deep.equal([snan, -5n]);
    });
  }

  it('calls functions that take and return exnref through the exnref bridge: the exception itself crosses, floats keep their bits', async () => {
    const t = await instantiate(native, thrower);
    const wat = `(module
      (import "m" "e" (tag $e (param f32 i64)))
      (import "m" "throw" (func $throw (param i32 i64)))
      (func (export "null") (result exnref) (ref.null exn))
      (func (export "nullexn") (result nullexnref) (ref.null noexn))
      (func (export "catch") (param i32 i64 f32) (result f32 exnref f32)
        (local.get 2)
        (block $h (result exnref)
          (try_table (catch_all_ref $h) (call $throw (local.get 0) (local.get 1)))
          (unreachable))
        (local.get 2))
      (func (export "isnull") (param exnref) (result i32) (ref.is_null (local.get 0)))
      (func (export "same") (param exnref) (result exnref) (local.get 0))
      (func (export "rethrow") (param exnref) (throw_ref (local.get 0)))
      (func (export "non-null") (param (ref exn))))`;
    const imports: ExternVal[] = [{ kind: 'tag', value: exported(t, 'e', 'tag') }, { kind: 'func', value: func(t, 'throw') }];
    const m = await instantiate(native, wat, imports);
    expect(func(m, 'null').call([])).to.deep.equal([null]);
    expect(func(m, 'nullexn').call([])).to.deep.equal([null]);
    const [before, exn, after] = func(m, 'catch').call([snan, -5n, snan]);
    expect([before, after]).to.deep.equal([snan, snan]);
    expect(exn).to.be.instanceOf(Exn);
    expect((exn as Exn).tag).to.equal(exported(t, 'e', 'tag'));
    expect((exn as Exn).payload).to.deep.equal([snan, -5n]);
    expect(func(m, 'isnull').call([null])).to.deep.equal([1]);
    expect(func(m, 'isnull').call([exn!])).to.deep.equal([0]);
    expect(func(m, 'same').call([exn!])[0]).to.equal(exn);
    expect(thrown(WasmException, () => func(m, 'rethrow').call([exn!])).exn).to.equal(exn);
    // An exception the interpreter caught goes in and comes back as itself.
    const i = await instantiate(interp, wat, imports);
    const caught = func(i, 'catch').call([snan, 7n, snan])[1] as Exn;
    expect(func(m, 'same').call([caught])[0]).to.equal(caught);
    expect(thrown(WasmException, () => func(m, 'rethrow').call([caught])).exn).to.equal(caught);
    // A type the bridge cannot carry (a non-nullable exn reference) is still refused before the call.
    expect(() => func(m, 'non-null').call([exn!])).to.throw(NotCallableFromJs, /cannot pass exnref/);
  });

  it('keeps a tag one object across engines, and an uncaught exception names it', async () => {
    const t = await instantiate(native, thrower);
    const tag = exported(t, 'e', 'tag');
    // Re-exported by an interpreted module and imported back natively: still the same tag.
    const i = await instantiate(interp, `(module (import "m" "e" (tag $e (param f32 i64))) (export "e" (tag $e)))`, [{ kind: 'tag', value: tag }]);
    expect(exported(i, 'e', 'tag')).to.equal(tag);
    const e = thrown(WasmException, () => func(t, 'throw').call([snan, 7n]));
    expect(e.exn.tag).to.equal(tag);
    expect(e.exn.payload).to.deep.equal([snan, 7n]);
  });

  it('lets no native handler catch a trap of an interpreted function: it arrives as the same Trap', async () => {
    const i = await instantiate(interp, `(module (func (export "boom") unreachable))`);
    const boom = func(i, 'boom');
    const original = thrown(Trap, () => boom.call([]));
    const c = await instantiate(native, `(module (import "m" "boom" (func $boom))
      (func (export "run") (result i32) (block $h (try_table (catch_all $h) (call $boom)) (return (i32.const 0))) (i32.const 1)))`,
    [{ kind: 'func', value: boom }]);
    const t = thrown(Trap, () => func(c, 'run').call([]));
    expect(t.message).to.equal(original.message);
    expect(t).to.not.be.instanceOf(HostTrap);
  });

  it('tells the tag of an exception whose tag the module does not export', async () => {
    const t = await instantiate(native, `(module (tag $hidden (param i32)) (func (export "f") (throw $hidden (i32.const 42))))`);
    const e = thrown(WasmException, () => func(t, 'f').call([]));
    expect(e.exn.payload).to.deep.equal([42]);
    // Rethrown into native code through an interpreted frame, it is the same exception, caught by catch_all.
    const i = await instantiate(interp, `(module (import "m" "f" (func $f)) (func (export "g") (call $f)))`, [{ kind: 'func', value: func(t, 'f') }]);
    const c = await instantiate(native, `(module (import "m" "g" (func $g))
      (func (export "caught") (result i32) (block $h (try_table (catch_all $h) (call $g)) (return (i32.const 0))) (i32.const 1)))`,
    [{ kind: 'func', value: func(i, 'g') }]);
    expect(func(c, 'caught').call([])).to.deep.equal([1]);
  });
});
