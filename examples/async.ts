import { Engine, Store, Component, Linker } from 'cmr';

const engine = new Engine();
const linker = new Linker(engine);
// A host function that answers with a Promise: the guest's core code waits for it.
linker.root().funcWrap('double', async (x: number) => x * 2);
const doubler = await Component.fromText(engine, `(component
  (import "double" (func $double (param "x" u32) (result u32)))
  (core func $d (canon lower (func $double)))
  (core module $m (import "host" "double" (func $d (param i32) (result i32)))
    (func (export "run") (param i32) (result i32) (i32.add (call $d (local.get 0)) (i32.const 1))))
  (core instance $i (instantiate $m (with "host" (instance (export "double" (func $d))))))
  (func (export "run") (param "x" u32) (result u32) (canon lift (core func $i "run"))))`);
const store = new Store(engine);
const run = (await linker.instantiate(store, doubler)).getFunc('run')!;
console.log((await run.call(store, [20]))[0]); // 41

// An async export that waits until it is cancelled: called concurrently, cancelled through an AbortSignal.
const parker = await Component.fromText(engine, `(component
  (core func $new (canon waitable-set.new))
  (core func $cancel (canon task.cancel))
  (core module $m (import "" "new" (func $new (result i32))) (import "" "cancel" (func $cancel))
    (func (export "park") (result i32) (i32.or (i32.const 2) (i32.shl (call $new) (i32.const 4))))
    (func (export "cb") (param i32 i32 i32) (result i32) (call $cancel) (i32.const 0)))
  (core instance $i (instantiate $m (with "" (instance (export "new" (func $new)) (export "cancel" (func $cancel))))))
  (func (export "park") async (result u32) (canon lift (core func $i "park") async (callback (core func $i "cb")))))`);
const park = (await linker.instantiate(store, parker)).getFunc('park')!;
const ac = new AbortController();
const parked = park.callConcurrent(store, [], { signal: ac.signal });
ac.abort('no longer needed');
console.log(await parked.catch((reason: unknown) => reason)); // no longer needed
