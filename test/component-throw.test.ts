// Core exceptions and host errors leaving component code (issue 12):
// definitions.py's call_and_trap_on_throw makes an exception that leaves a
// lifted export, realloc or post-return a trap, which no caller can catch;
// a host error that unwinds guest frames leaves the instance as a trap
// would, and reaches the caller as the trap's cause.

import { expect } from 'chai';
import { Component, Engine, Linker, Store, Trap } from '../src/index.js';
import { CanonTrap, trapOnThrow } from '../src/component/canon/traps.js';
import { rejection } from './support/core.js';

const THROWER = `
  (core module $M
    (tag $t)
    (memory (export "mem") 1)
    (func (export "throw") (throw $t))
    (func (export "ok") (result i32) (i32.const 7))
    (func (export "take") (param i32 i32))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) (throw $t))
    (func (export "post") (param i32) (throw $t)))
  (core instance $m (instantiate $M))`;

async function instance(text: string, setUp?: (l: Linker) => void) {
  const engine = new Engine();
  const component = await Component.fromText(engine, text);
  const linker = new Linker(engine);
  setUp?.(linker);
  const store = new Store(engine);
  const inst = await linker.instantiate(store, component);
  return { store, inst };
}

describe('core exceptions and host errors leaving component code', function () {
  this.timeout(30_000);

  it('an exception out of a lifted export traps, and the instance cannot be entered again', async () => {
    const { store, inst } = await instance(`(component ${THROWER}
      (func (export "throw") (canon lift (core func $m "throw")))
      (func (export "ok") (result u32) (canon lift (core func $m "ok"))))`);
    const e = await rejection(inst.getFunc('throw')!.call(store, []));
    expect(e).to.be.instanceOf(Trap);
    expect(e.message).to.equal(CanonTrap.uncaughtException);
    const again = await rejection(inst.getFunc('ok')!.call(store, []));
    expect(again.message).to.contain('cannot enter component instance');
  });

  it('an exception out of realloc traps', async () => {
    const { store, inst } = await instance(`(component ${THROWER}
      (func (export "take") (param "s" string) (canon lift (core func $m "take") (memory (core memory $m "mem")) (realloc (core func $m "realloc")))))`);
    const e = await rejection(inst.getFunc('take')!.call(store, ['hi']));
    expect(e).to.be.instanceOf(Trap);
    expect(e.message).to.equal(CanonTrap.uncaughtException);
  });

  it('an exception out of post-return traps', async () => {
    const { store, inst } = await instance(`(component ${THROWER}
      (func (export "ok") (result u32) (canon lift (core func $m "ok") (post-return (core func $m "post")))))`);
    const e = await rejection(inst.getFunc('ok')!.call(store, []));
    expect(e).to.be.instanceOf(Trap);
    expect(e.message).to.equal(CanonTrap.uncaughtException);
  });

  it("a calling component's try_table cannot catch an exception thrown by the component it calls", async () => {
    const { store, inst } = await instance(`(component
      (component $Inner ${THROWER}
        (func (export "throw") (canon lift (core func $m "throw"))))
      (instance $inner (instantiate $Inner))
      (core func $throw (canon lower (func $inner "throw")))
      (core module $Caller
        (import "inner" "throw" (func $throw))
        (func (export "run") (result i32)
          (block $caught
            (try_table (catch_all $caught) (call $throw))
            (return (i32.const 0)))
          (i32.const 1)))
      (core instance $c (instantiate $Caller (with "inner" (instance (export "throw" (func $throw))))))
      (func (export "run") (result u32) (canon lift (core func $c "run"))))`);
    const e = await rejection(inst.getFunc('run')!.call(store, []));
    expect(e).to.be.instanceOf(Trap);
    expect(e.message).to.equal(CanonTrap.uncaughtException);
  });

  it('on the native engine, a WebAssembly.Exception becomes the trap', () => {
    // Node's WebAssembly has Tag and Exception; this project's type declarations do not.
    const wasm = WebAssembly as unknown as { Tag: new (t: { parameters: string[] }) => object; Exception: new (tag: object, payload: unknown[]) => object };
    const t = trapOnThrow(new wasm.Exception(new wasm.Tag({ parameters: [] }), []));
    expect(t).to.be.instanceOf(Trap);
    expect((t as Trap).message).to.equal(CanonTrap.uncaughtException);
    const other = new Error('not an exception');
    expect(trapOnThrow(other)).to.equal(other);
  });

  for (const coreEngine of ['interp', 'native'] as const) {
    it(`a host error unwinding guest frames reaches the caller as the cause of a trap, and the instance is not re-enterable (${coreEngine})`, async () => {
      const engine = new Engine({ coreEngine });
      const component = await Component.fromText(engine, `(component
        (import "fail" (func $fail (param "x" u32) (result u32)))
        (core func $f (canon lower (func $fail)))
        (core module $M (import "host" "fail" (func $f (param i32) (result i32)))
          (func (export "run") (param i32) (result i32) (call $f (local.get 0))))
        (core instance $i (instantiate $M (with "host" (instance (export "fail" (func $f))))))
        (func (export "run") (param "x" u32) (result u32) (canon lift (core func $i "run"))))`);
      class ExitRequest extends Error {}
      const hostError = new ExitRequest('exit 3');
      const linker = new Linker(engine);
      linker.root().funcWrap('fail', () => { throw hostError; });
      const store = new Store(engine);
      const inst = await linker.instantiate(store, component);
      const e = await rejection(inst.getFunc('run')!.call(store, [1]));
      expect(e).to.be.instanceOf(Trap);
      expect(e.message).to.equal('host function `fail` failed: exit 3');
      expect(e.cause).to.equal(hostError);
      const again = await rejection(inst.getFunc('run')!.call(store, [1]));
      expect(again.message).to.contain('cannot enter component instance');
    });
  }
});
