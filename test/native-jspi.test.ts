// JS Promise Integration in the native engine (src/core/native/jspi.ts): a
// call made with callAsync waits, native frames and all, for a Promise a
// foreign function it calls gives instead of results. Run where the host
// has JSPI (Deno 2's V8 15); skipped on Node 20.

import { expect } from 'chai';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { decodeModule } from '../src/core/binary/decode.js';
import { Interpreter } from '../src/core/exec/index.js';
import { NativeEngine, NativeFunc, hostHasJspi, suspendNativeCall, takeNativeSuspension } from '../src/core/native/index.js';
import { HostFunc } from '../src/core/runtime/func.js';
import { Trap } from '../src/core/errors.js';
import type { ExternVal, ModuleInstance } from '../src/core/runtime/instance.js';
import type { Value } from '../src/core/runtime/values.js';
import { F32, I32, type FuncType } from '../src/core/syntax/types.js';
import { WASM_3_0_SUPPORTED } from '../src/core/syntax/feature-set.js';
import { func } from './support/core.js';

const native = new NativeEngine();

async function instantiate(wat: string, imports: ExternVal[] = []): Promise<ModuleInstance> {
  const bytes = await parse(wat);
  return native.instantiate(decodeModule(bytes, WASM_3_0_SUPPORTED), bytes, imports);
}

const tick = () => new Promise<void>((r) => setTimeout(r, 1));

/** A host function that answers later when the native caller may wait, at once otherwise. */
function later(type: FuncType, compute: (args: Value[]) => Value[], log: string[] = []): HostFunc {
  const f: HostFunc = new HostFunc(type, (args) => {
    if (!takeNativeSuspension(f)) {
      log.push('sync');
      return compute(args);
    }
    log.push('suspend');
    return suspendNativeCall(tick().then(() => compute(args)));
  });
  return f;
}

const summer = `(module
  (import "h" "double" (func $d (param i32) (result i32)))
  (func (export "sum") (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $acc (i32.add (local.get $acc) (call $d (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (local.get $acc)))`;

describe('native engine: JS Promise Integration', function () {
  before(function () {
    if (!hostHasJspi()) this.skip();
  });

  it('waits for each Promise a foreign function gives, and resumes with its value', async () => {
    const log: string[] = [];
    const m = await instantiate(summer, [{ kind: 'func', value: later({ params: [I32], results: [I32] }, ([x]) => [(x as number) * 2], log) }]);
    const sum = func(m, 'sum') as NativeFunc;
    expect(await sum.callAsync([4])).to.deep.equal([12]);
    expect(log).to.deep.equal(['suspend', 'suspend', 'suspend', 'suspend']);
  });

  it('calls the same functions synchronously, without suspending, between and during suspended calls', async () => {
    const log: string[] = [];
    const m = await instantiate(summer, [{ kind: 'func', value: later({ params: [I32], results: [I32] }, ([x]) => [(x as number) * 2], log) }]);
    const sum = func(m, 'sum') as NativeFunc;
    expect(sum.call([3])).to.deep.equal([6]);
    const pending = sum.callAsync([3]);
    // The async call is suspended now: a synchronous call runs to its end meanwhile.
    expect(sum.call([2])).to.deep.equal([2]);
    expect(await pending).to.deep.equal([6]);
    expect(log).to.deep.equal(['sync', 'sync', 'sync', 'suspend', 'sync', 'sync', 'suspend', 'suspend']);
  });

  it('keeps float bits through a suspended call', async () => {
    const snan = 0x7fa00001;
    const m = await instantiate(`(module (import "h" "id" (func $id (param f32) (result f32)))
      (func (export "f") (param f32) (result f32) (call $id (local.get 0))))`,
    [{ kind: 'func', value: later({ params: [F32], results: [F32] }, (args) => args) }]);
    expect(await (func(m, 'f') as NativeFunc).callAsync([snan])).to.deep.equal([snan]);
  });

  it('throws a rejection at the call, where no native handler catches a trap', async () => {
    const failing: HostFunc = new HostFunc({ params: [], results: [] }, () => {
      if (!takeNativeSuspension(failing)) throw new Error('expected to be allowed to suspend');
      return suspendNativeCall(tick().then(() => { throw new Trap('boom'); }));
    });
    const m = await instantiate(`(module (import "h" "f" (func $f))
      (func (export "run") (result i32) (block $h (try_table (catch_all $h) (call $f)) (return (i32.const 0))) (i32.const 1)))`,
    [{ kind: 'func', value: failing }]);
    let err: unknown = null;
    await (func(m, 'run') as NativeFunc).callAsync([]).catch((e) => (err = e));
    expect(err).to.be.instanceOf(Trap);
    expect((err as Trap).message).to.equal('boom');
  });

  it('lets only the function native code calls directly suspend, not what that function calls', async () => {
    // An interpreted function between the native caller and the host function: the host function must answer at once.
    const log: string[] = [];
    const host = later({ params: [I32], results: [I32] }, ([x]) => [(x as number) + 1], log);
    const bytes = await parse(`(module (import "h" "f" (func $f (param i32) (result i32))) (func (export "g") (param i32) (result i32) (call $f (local.get 0))))`);
    const mid = await new Interpreter().instantiate(decodeModule(bytes), bytes, [{ kind: 'func', value: host }]);
    const m = await instantiate(summer, [{ kind: 'func', value: func(mid, 'g') }]);
    expect(await (func(m, 'sum') as NativeFunc).callAsync([3])).to.deep.equal([6]);
    expect(log).to.deep.equal(['sync', 'sync', 'sync']);
  });

  it('runs a start function that calls a foreign function, even right after an async call', async () => {
    const m = await instantiate(summer, [{ kind: 'func', value: later({ params: [I32], results: [I32] }, ([x]) => [x as number]) }]);
    await (func(m, 'sum') as NativeFunc).callAsync([2]);
    const calls: string[] = [];
    const seen = new HostFunc({ params: [], results: [] }, () => { calls.push('start'); return []; });
    await instantiate(`(module (import "h" "f" (func $f)) (start $f))`, [{ kind: 'func', value: seen }]);
    expect(calls).to.deep.equal(['start']);
  });
});
