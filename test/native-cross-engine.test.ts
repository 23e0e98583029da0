import { expect } from 'chai';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { decodeModule } from '../src/core/binary/decode.js';
import { Interpreter } from '../src/core/exec/index.js';
import { NativeEngine, NativeFunc } from '../src/core/native/index.js';
import type { CoreEngine, ExternVal, ModuleInstance } from '../src/core/runtime/instance.js';
import { Trap } from '../src/core/errors.js';
import { func } from './support/core.js';

const native = new NativeEngine();
const interp = new Interpreter();

async function instantiate(engine: CoreEngine, wat: string, imports: ExternVal[] = []): Promise<ModuleInstance> {
  const bytes = await parse(wat);
  return engine.instantiate(decodeModule(bytes), bytes, imports);
}

function ext(inst: ModuleInstance, name: string): ExternVal {
  const e = inst.exports.get(name);
  if (!e) throw new Error(`no export ${name}`);
  return e;
}

const provider = `(module
  (table (export "t") 4 funcref)
  (memory (export "m") 1)
  (global (export "g") (mut f32) (f32.const nan:0x200001))
  (func $sq (export "sq") (param f64) (result f64) (f64.mul (local.get 0) (local.get 0)))
  (func $nan (export "nan") (param f32) (result f32) (local.get 0))
  (elem (i32.const 0) $sq $nan)
  (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1))))`;

const consumer = `(module
  (import "p" "t" (table 4 funcref))
  (import "p" "m" (memory 1))
  (import "p" "g" (global $g (mut f32)))
  (import "p" "nan" (func $nan (param f32) (result f32)))
  (type $ff (func (param f32) (result f32)))
  (func (export "via_table") (param f32) (result f32) (call_indirect (type $ff) (local.get 0) (i32.const 1)))
  (func (export "direct") (param f32) (result f32) (call $nan (local.get 0)))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "getg") (result f32) (global.get $g))
  (func (export "setg") (param f32) (global.set $g (local.get 0)))
  (elem declare func $nan)
  (func (export "put") (param i32) (table.set (local.get 0) (ref.func $nan)))
  (func (export "bad") (call_indirect (type $ff) (f32.const 0) (i32.const 0)) drop)
  (export "t2" (table 0)))`;

function links(providerEngine: CoreEngine, consumerEngine: CoreEngine): void {
  it(`links a ${providerEngine.name} provider into a ${consumerEngine.name} consumer`, async () => {
    const p = await instantiate(providerEngine, provider);
    const c = await instantiate(consumerEngine, consumer, [ext(p, 't'), ext(p, 'm'), ext(p, 'g'), ext(p, 'nan')]);
    const snan = 0x7fa00001;
    expect(func(c, 'direct').call([snan])).to.deep.equal([snan]);
    expect(func(c, 'via_table').call([snan])).to.deep.equal([snan]);
    func(p, 'store').call([16, 1234]);
    expect(func(c, 'load').call([16])).to.deep.equal([1234]);
    expect(func(c, 'getg').call([])).to.deep.equal([0x7fa00001]);
    func(c, 'setg').call([0x7f800005]);
    const g = ext(p, 'g');
    expect(g.kind === 'global' && g.value.value).to.equal(0x7f800005);
    // Identity: the consumer's re-export is the provider's table, holding the provider's functions.
    const t = ext(c, 't2');
    expect(t.value).to.equal(ext(p, 't').value);
    if (t.kind !== 'table') throw new Error('not a table');
    expect(t.value.get(0)).to.equal(func(p, 'sq'));
    func(c, 'put').call([3]);
    expect(t.value.get(3)).to.equal(func(p, 'nan'));
    let trap: unknown = null;
    try { func(c, 'bad').call([]); } catch (e) { trap = e; }
    expect(trap).to.be.instanceOf(Trap);
    expect((trap as Trap).message).to.match(/indirect call type mismatch|uninitialized element/);
  });
}

describe('native and interpreted instances linked together', () => {
  links(native, interp);
  links(interp, native);
  links(native, native);

  it('wraps an interpreted function as a native funcref and back', async () => {
    const i = await instantiate(interp, `(module (func (export "f") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1))))`);
    const n = await instantiate(native, `(module
      (import "i" "f" (func $f (param i32) (result i32)))
      (elem declare func $f)
      (func (export "ref") (result funcref) (ref.func $f)))`, [ext(i, 'f')]);
    const [r] = func(n, 'ref').call([]);
    expect(r).to.equal(func(i, 'f'));
    expect(r).not.to.be.instanceOf(NativeFunc);
  });
});
