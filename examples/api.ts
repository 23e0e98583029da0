import { Engine, Store, Component, Linker } from 'cmr';

const engine = new Engine();
const component = await Component.fromText(engine, `(component
  (import "double" (func $double (param "x" u32) (result u32)))
  (core func $d (canon lower (func $double)))
  (core module $m (import "host" "double" (func $d (param i32) (result i32)))
    (func (export "run") (param i32) (result i32) (i32.add (call $d (local.get 0)) (i32.const 1))))
  (core instance $i (instantiate $m (with "host" (instance (export "double" (func $d))))))
  (func (export "run") (param "x" u32) (result u32) (canon lift (core func $i "run"))))`);
const linker = new Linker(engine);
linker.root().funcWrap('double', (x: number) => x * 2);
const store = new Store(engine);
const instance = await linker.instantiate(store, component);
const [result] = await instance.getFunc('run')!.call(store, [20]);
console.log(result); // 41
