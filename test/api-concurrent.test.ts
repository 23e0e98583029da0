// Func.callConcurrent (wasmtime's call_concurrent): several calls in
// progress in one instance at once, driven by the store's event loop, and
// their cancellation through an AbortSignal.

import { expect } from 'chai';
import { Component, Engine, Linker, Store, Trap } from '../src/index.js';
import { rejection } from './support/core.js';
import { relayText } from './support/async-components.js';

const interp = new Engine({ coreEngine: 'interp' });
const native = new Engine({ coreEngine: 'native' });

/** `park()` waits on an empty waitable set until it is cancelled, then ends with task.cancel. */
const parkText = `(component
  (core func $new (canon waitable-set.new))
  (core func $cancel (canon task.cancel))
  (core module $M
    (import "" "new" (func $new (result i32)))
    (import "" "cancel" (func $cancel))
    (func (export "park") (result i32)
      (i32.or (i32.const 2 (; WAIT ;)) (i32.shl (call $new) (i32.const 4))))
    (func (export "cb") (param $code i32) (param i32 i32) (result i32)
      (if (i32.ne (local.get $code) (i32.const 6 (; TASK_CANCELLED ;))) (then unreachable))
      (call $cancel)
      (i32.const 0 (; EXIT ;))))
  (core instance $m (instantiate $M (with "" (instance (export "new" (func $new)) (export "cancel" (func $cancel))))))
  (func (export "park") async (result u32)
    (canon lift (core func $m "park") async (callback (core func $m "cb")))))`;

describe('api: Func.callConcurrent', function () {
  this.timeout(30_000);
  for (const engine of [interp, native]) {
    const name = engine === interp ? 'interp' : 'native';

    it(`runs several calls in one instance at once, each result arriving when its host Promise settles (${name})`, async () => {
      const component = await Component.fromText(engine, relayText);
      const linker = new Linker(engine);
      const answers = new Map<number, (v: number) => void>();
      linker.root().funcWrap('slow', (x: number) => new Promise<number>((resolve) => answers.set(x, resolve)));
      const store = new Store(engine);
      const run = (await linker.instantiate(store, component)).getFunc('run')!;
      const order: number[] = [];
      const a = run.callConcurrent(store, [1]).then((r) => { order.push(1); return r; });
      const b = run.callConcurrent(store, [2]).then((r) => { order.push(2); return r; });
      const c = run.callConcurrent(store, [3]).then((r) => { order.push(3); return r; });
      // All three tasks started and wait in the instance for their host calls.
      await new Promise((r) => setTimeout(r, 5));
      expect([...answers.keys()]).to.deep.equal([1, 2, 3]);
      answers.get(2)!(20);
      expect(await b).to.deep.equal([20]);
      answers.get(3)!(30);
      expect(await c).to.deep.equal([30]);
      answers.get(1)!(10);
      expect(await a).to.deep.equal([10]);
      expect(order).to.deep.equal([2, 3, 1]);
    });

    it(`cancels a call through an AbortSignal: the guest is told and ends with task.cancel (${name})`, async () => {
      const component = await Component.fromText(engine, parkText);
      const store = new Store(engine);
      const park = (await new Linker(engine).instantiate(store, component)).getFunc('park')!;
      const ac = new AbortController();
      const parked = park.callConcurrent(store, [], { signal: ac.signal });
      const reason = new Error('not needed any more');
      ac.abort(reason);
      expect(await rejection(parked)).to.equal(reason);
      // An aborted signal rejects at once; the instance is usable afterwards.
      expect(await rejection(park.callConcurrent(store, [], { signal: ac.signal }))).to.equal(reason);
      // Nothing will ever wake a parked call that is not cancelled: the deadlock trap.
      const e = await rejection(park.callConcurrent(store, []));
      expect(e).to.be.instanceOf(Trap);
      expect(e.message).to.contain('deadlock detected');
    });
  }
});
