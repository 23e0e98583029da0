// Promise-returning host functions called by core wasm through `canon lower`:
// on the interpreter, Func.call suspends the core thread at the host call,
// awaits the Promise, lowers the result exactly as a synchronous result
// would be (memory, realloc, hostcall fuel), and resumes; several times in
// one call, with traps and rejections after a resumption. On the native
// engine, and in Func.callSync, a Promise stays an error naming the function.

import { expect } from 'chai';
import { Component, Engine, HostcallFuelExhausted, Linker, Store, Trap, type HostCallContext, type TraceEvent } from '../src/index.js';
import { rejection } from './support/core.js';
import { relayText } from './support/async-components.js';
import { hostHasJspi } from '../src/core/native/index.js';
import { growInPlaceLibc } from './support/libc.js';

const interp = new Engine({ coreEngine: 'interp' });
const native = new Engine({ coreEngine: 'native' });

const tick = () => new Promise<void>((r) => setTimeout(r, 1));

/**
 * Imports `fetch-double(x: u32) -> u32` and `fetch-greet(s: string) -> string`;
 * exports `sum-doubles(n)` = Σ fetch-double(i) for i < n, `greet-twice(s)` =
 * fetch-greet(fetch-greet(s)) (with post-return), `double-then-trap(x)`,
 * which traps after its host call returns, and `posts()`, the number of
 * post-return calls so far.
 */
const text = `(component
  (import "fetch-double" (func $fd (param "x" u32) (result u32)))
  (import "fetch-greet" (func $fg (param "s" string) (result string)))
${growInPlaceLibc('$libc')}
  (core instance $libc (instantiate $libc))
  (core func $fd (canon lower (func $fd)))
  (core func $fg (canon lower (func $fg) (memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))))
  (core module $m
    (import "libc" "mem" (memory 1))
    (import "libc" "post" (global $post (mut i32)))
    (import "h" "fetch-double" (func $fd (param i32) (result i32)))
    (import "h" "fetch-greet" (func $fg (param i32 i32 i32)))
    (func (export "sum-doubles") (param $n i32) (result i32)
      (local $i i32) (local $acc i32)
      (block $done (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (call $fd (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
      (local.get $acc))
    (func (export "greet-twice") (param i32 i32) (result i32)
      (call $fg (local.get 0) (local.get 1) (i32.const 16))
      (call $fg (i32.load (i32.const 16)) (i32.load (i32.const 20)) (i32.const 16))
      (i32.const 16))
    (func (export "double-then-trap") (param i32) (result i32)
      (drop (call $fd (local.get 0)))
      unreachable)
    (func (export "posts") (result i32) (global.get $post)))
  (core instance $i (instantiate $m
    (with "libc" (instance $libc))
    (with "h" (instance (export "fetch-double" (func $fd)) (export "fetch-greet" (func $fg))))))
  (func (export "sum-doubles") (param "n" u32) (result u32) (canon lift (core func $i "sum-doubles")))
  (func (export "greet-twice") (param "s" string) (result string)
    (canon lift (core func $i "greet-twice") (memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))
      (post-return (core func $libc "post-return"))))
  (func (export "double-then-trap") (param "x" u32) (result u32) (canon lift (core func $i "double-then-trap")))
  (func (export "posts") (result u32) (canon lift (core func $i "posts"))))`;

interface Hosts {
  double: (x: number) => number | Promise<number>;
  greet: (s: string) => string | Promise<string>;
}

const asyncHosts = (log: string[] = []): Hosts => ({
  double: async (x) => { log.push(`double ${x}`); await tick(); return x * 2; },
  greet: async (s) => { log.push(`greet ${s}`); await tick(); return `hello, ${s}!`; },
});

async function setUp(engine: Engine, hosts: Hosts, trace?: (e: TraceEvent) => void) {
  const component = await Component.fromText(engine, text);
  const linker = new Linker(engine);
  linker.root()
    .funcWrap('fetch-double', hosts.double, 'func(u32) -> u32')
    .funcWrap('fetch-greet', hosts.greet, 'func(string) -> string');
  const store = new Store(engine, trace === undefined ? {} : { trace });
  const inst = await linker.instantiate(store, component);
  const fn = (name: string) => inst.getFunc(name)!;
  return { store, inst, fn };
}

describe('api: async host functions called from core wasm', function () {
  this.timeout(30_000);

  describe('on the interpreter, through Func.call', () => {
    it('suspends at each call of an async import in a loop and sums the results', async () => {
      const log: string[] = [];
      const { store, fn } = await setUp(interp, asyncHosts(log));
      expect(await fn('sum-doubles').call(store, [5])).to.deep.equal([2 * (0 + 1 + 2 + 3 + 4)]);
      expect(log).to.deep.equal(['double 0', 'double 1', 'double 2', 'double 3', 'double 4']);
      // Many suspensions in one call, and the instance is usable afterwards.
      expect(await fn('sum-doubles').call(store, [200])).to.deep.equal([199 * 200]);
      expect(await fn('sum-doubles').call(store, [0])).to.deep.equal([0]);
    });

    it('passes strings both ways through memory and realloc, then runs post-return', async () => {
      const { store, fn } = await setUp(interp, asyncHosts());
      expect(await fn('greet-twice').call(store, ['wasm'])).to.deep.equal(['hello, hello, wasm!!']);
      expect(await fn('greet-twice').call(store, ['ünïcødé ✓'])).to.deep.equal(['hello, hello, ünïcødé ✓!!']);
      // The same through the synchronous path, for comparison.
      const sync = await setUp(interp, { double: (x) => x, greet: (s) => `hello, ${s}!` });
      expect(sync.fn('greet-twice').callSync(sync.store, ['ünïcødé ✓'])).to.deep.equal(['hello, hello, ünïcødé ✓!!']);
      expect(await fn('posts').call(store, [])).to.deep.equal([2]);
    });

    it('lowers an awaited result exactly as a synchronous one (same realloc calls and trace)', async () => {
      const syncEvents: TraceEvent[] = [];
      const asyncEvents: TraceEvent[] = [];
      const sync = await setUp(interp, { double: (x) => x * 2, greet: (s) => `hello, ${s}!` }, (e) => syncEvents.push(e));
      const async_ = await setUp(interp, asyncHosts(), (e) => asyncEvents.push(e));
      const a = sync.fn('greet-twice').callSync(sync.store, ['abc ✓']);
      const b = await async_.fn('greet-twice').call(async_.store, ['abc ✓']);
      expect(b).to.deep.equal(a);
      expect(asyncEvents.length).to.be.greaterThan(0);
      expect(asyncEvents.some((e) => e.kind === 'realloc')).to.equal(true);
      // The same events, plus one per wait for the host's Promise.
      const waits = asyncEvents.filter((e) => e.kind === 'async' && e.op === 'host-wait');
      expect(waits.map((e) => e.text)).to.deep.equal([
        'component: host function fetch-greet answered with a Promise: the calling thread waits for it',
        'component: host function fetch-greet answered with a Promise: the calling thread waits for it',
      ]);
      expect(asyncEvents.filter((e) => !waits.includes(e))).to.deep.equal(syncEvents);
    });

    it('keeps the instance entered while suspended, and leaves it afterwards', async () => {
      let release!: () => void;
      const gate = new Promise<void>((r) => { release = r; });
      let calls = 0;
      const { store, fn } = await setUp(interp, {
        double: async (x) => { calls++; await gate; return x * 2; },
        greet: (s) => s,
      });
      const pending = fn('sum-doubles').call(store, [1]);
      await tick();
      expect(calls).to.equal(1);
      // Reentering the instance while its call waits traps, as it would during a synchronous host call.
      const e = await rejection(fn('posts').call(store, []));
      expect(e).to.be.instanceOf(Trap);
      expect(e.message).to.contain('cannot enter component instance');
      release();
      expect(await pending).to.deep.equal([0]);
      // That trap happened before entering: the instance is usable again.
      expect(await fn('sum-doubles').call(store, [3])).to.deep.equal([6]);
    });

    it('has the instance\'s may_enter/may_leave flags as the synchronous path has them', async () => {
      const flags = (i: { handle: { instance: { mayEnter: boolean; mayLeave: boolean } } }) => `${i.handle.instance.mayEnter}/${i.handle.instance.mayLeave}`;
      const seen: string[] = [];
      let syncInst!: Parameters<typeof flags>[0];
      const sync = await setUp(interp, { double: (x) => { seen.push(`sync call ${flags(syncInst)}`); return x; }, greet: (s) => s });
      syncInst = sync.inst;
      seen.push(`sync before ${flags(syncInst)}`);
      sync.fn('sum-doubles').callSync(sync.store, [1]);
      seen.push(`sync after ${flags(syncInst)}`);
      let asyncInst!: Parameters<typeof flags>[0];
      const async_ = await setUp(interp, {
        double: async (x) => {
          seen.push(`async call ${flags(asyncInst)}`);
          await tick();
          seen.push(`async waiting ${flags(asyncInst)}`);
          return x;
        },
        greet: (s) => s,
      });
      asyncInst = async_.inst;
      seen.push(`async before ${flags(asyncInst)}`);
      const p = async_.fn('sum-doubles').call(async_.store, [1]);
      seen.push(`async suspended ${flags(asyncInst)}`);
      await p;
      seen.push(`async after ${flags(asyncInst)}`);
      expect(seen).to.deep.equal([
        'sync before true/true', 'sync call false/true', 'sync after true/true',
        'async before true/true', 'async call false/true', 'async suspended false/true', 'async waiting false/true', 'async after true/true',
      ]);
    });

    it('runs concurrent calls into different instances', async () => {
      const one = await setUp(interp, asyncHosts());
      const two = await setUp(interp, asyncHosts());
      const [a, b] = await Promise.all([
        one.fn('sum-doubles').call(one.store, [10]),
        two.fn('greet-twice').call(two.store, ['x']),
      ]);
      expect(a).to.deep.equal([90]);
      expect(b).to.deep.equal(['hello, hello, x!!']);
    });

    it('traps after a resumption, and the instance cannot be entered again', async () => {
      const log: string[] = [];
      const { store, fn } = await setUp(interp, asyncHosts(log));
      const e = await rejection(fn('double-then-trap').call(store, [7]));
      expect(e).to.be.instanceOf(Trap);
      expect(e.message).to.contain('unreachable');
      expect(log).to.deep.equal(['double 7']);
      const again = await rejection(fn('sum-doubles').call(store, [1]));
      expect(again).to.be.instanceOf(Trap);
      expect(again.message).to.contain('cannot enter component instance');
    });

    it('ends the call on a rejection as a trap whose cause is the host error, leaving the instance as a trap leaves it', async () => {
      const hostError = new Error('network down');
      const { store, fn } = await setUp(interp, {
        double: async (x) => { await tick(); if (x === 2) throw hostError; return x * 2; },
        greet: (s) => s,
      });
      const e = await rejection(fn('sum-doubles').call(store, [4]));
      expect(e).to.be.instanceOf(Trap);
      expect(e.message).to.equal('host function `fetch-double` failed: network down');
      expect(e.cause).to.equal(hostError);
      const again = await rejection(fn('sum-doubles').call(store, [4]));
      expect(again.message).to.contain('cannot enter component instance');
    });

    it('checks an awaited result against the type as a synchronous one', async () => {
      const { store, fn } = await setUp(interp, { double: (async () => { await tick(); return undefined; }) as never, greet: (s) => s });
      const e = await rejection(fn('sum-doubles').call(store, [1]));
      expect(e).to.be.instanceOf(Trap);
      expect(e.cause).to.be.instanceOf(TypeError);
      expect(e.message).to.contain('host function `fetch-double` returned nothing');
    });

    it('spends the host call\'s hostcall fuel when lowering an awaited string', async () => {
      const engine = new Engine({ coreEngine: 'interp', hostcallFuel: 64 });
      const { store, fn } = await setUp(engine, { double: (x) => x, greet: async (s) => { await tick(); return s.repeat(100); } });
      const e = await rejection(fn('greet-twice').call(store, ['ab']));
      expect(e).to.be.instanceOf(HostcallFuelExhausted);
    });

    it('awaits a Promise from a funcNew host function', async () => {
      const engine = interp;
      const component = await Component.fromText(engine, text);
      const linker = new Linker(engine);
      linker.root()
        .funcNew('fetch-double', async ([x]) => { await tick(); return [(x as number) * 3]; })
        .funcNew('fetch-greet', async ([s], cx) => { await tick(); return [`${cx.name}: ${s as string}`]; });
      const store = new Store(engine);
      const inst = await linker.instantiate(store, component);
      expect(await inst.getFunc('sum-doubles')!.call(store, [3])).to.deep.equal([9]);
      expect(await inst.getFunc('greet-twice')!.call(store, ['s'])).to.deep.equal(['fetch-greet: fetch-greet: s']);
    });

    it('mixes synchronous and asynchronous answers in one call', async () => {
      const { store, fn } = await setUp(interp, {
        double: (x) => (x % 2 === 0 ? x * 2 : tick().then(() => x * 2)),
        greet: (s) => s,
      });
      expect(await fn('sum-doubles').call(store, [6])).to.deep.equal([30]);
    });
  });

  it('Func.callSync still refuses a Promise from an import core wasm calls', async () => {
    const { store, fn } = await setUp(interp, asyncHosts());
    expect(() => fn('sum-doubles').callSync(store, [2])).to.throw(/host function `fetch-double` returned a Promise, but it was called from core wasm that cannot wait for it/);
    // It unwound the guest's frames: the instance is left as a trap leaves it.
    const again = await rejection(fn('sum-doubles').call(store, [2]));
    expect(again.message).to.contain('cannot enter component instance');
  });

  it('on the native engine, a Promise from an import core wasm calls suspends through JSPI, or is an error naming the function without it', async () => {
    if (hostHasJspi()) {
      // The native frames stop at the call (WebAssembly.Suspending) and go on with the value.
      const log: string[] = [];
      const { store, fn } = await setUp(native, asyncHosts(log));
      expect(await fn('sum-doubles').call(store, [5])).to.deep.equal([2 * (0 + 1 + 2 + 3 + 4)]);
      expect(log).to.deep.equal(['double 0', 'double 1', 'double 2', 'double 3', 'double 4']);
      expect(await fn('greet-twice').call(store, ['ünïcødé ✓'])).to.deep.equal(['hello, hello, ünïcødé ✓!!']);
      // callSync cannot wait: the same Promise is an error there.
      const e = await rejection(Promise.resolve().then(() => fn('sum-doubles').callSync(store, [2])));
      expect(e.message).to.match(/host function `fetch-double` returned a Promise, but it was called from core wasm that cannot wait for it/);
      return;
    }
    const { store, fn } = await setUp(native, asyncHosts());
    const e = await rejection(fn('sum-doubles').call(store, [2]));
    expect(e.message).to.match(/host function `fetch-double` returned a Promise, but it was called from core wasm that cannot wait for it/);
    expect(e.message).to.contain('JS Promise Integration');
    // Synchronous host functions work as before on the native engine.
    const ok = await setUp(native, { double: (x) => x * 2, greet: (s) => `hello, ${s}!` });
    expect(await ok.fn('greet-twice').call(ok.store, ['n'])).to.deep.equal(['hello, hello, n!!']);
  });
});

describe('api: async-lowered host functions', function () {
  this.timeout(30_000);
  for (const engine of [interp, native]) {
    const name = engine === interp ? 'interp' : 'native';
    it(`gives the guest a subtask, which returns when the host's Promise settles (${name})`, async () => {
      const component = await Component.fromText(engine, relayText);
      const linker = new Linker(engine);
      const log: string[] = [];
      linker.root().funcWrap('slow', async (x: number) => {
        log.push(`slow ${x}`);
        await new Promise((r) => setTimeout(r, 5));
        log.push('slow answers');
        return x + 1;
      });
      const store = new Store(engine);
      const inst = await linker.instantiate(store, component);
      expect(await inst.getFunc('run')!.call(store, [41])).to.deep.equal([42]);
      expect(log).to.deep.equal(['slow 41', 'slow answers']);
      // A rejection is the host function's failure: the call traps, naming it.
      const failing = new Linker(engine);
      failing.root().funcWrap('slow', async () => { throw new Error('no answer'); });
      const store2 = new Store(engine);
      const inst2 = await failing.instantiate(store2, component);
      const e = await rejection(inst2.getFunc('run')!.call(store2, [1]));
      expect(e).to.be.instanceOf(Trap);
      expect(e.message).to.contain('host function `slow` failed: no answer');
      // It is a trap of the guest that made the call: its instance is left as a trap leaves it.
      const again = await rejection(inst2.getFunc('run')!.call(store2, [1]));
      expect(again.message).to.contain('cannot enter component instance');
      // callSync cannot wait for the Promise.
      const store3 = new Store(engine);
      const inst3 = await linker.instantiate(store3, component);
      const e3 = await rejection(Promise.resolve().then(() => inst3.getFunc('run')!.callSync(store3, [1])));
      expect(e3.message).to.contain('returned a Promise');
    });
  }
});

/**
 * `run()` calls the async-lowered host import `slow`, cancels the subtask at
 * once (subtask.cancel async: BLOCKED), and returns the state its SUBTASK
 * event reports.
 */
const cancelHostText = `(component
  (import "slow" (func $slow async (param "x" u32) (result u32)))
  (core module $Mem (memory (export "mem") 1))
  (core instance $mem (instantiate $Mem))
  (core func $slow (canon lower (func $slow) async (memory (core memory $mem "mem"))))
  (core func $cancel (canon subtask.cancel async))
  (core func $new (canon waitable-set.new))
  (core func $join (canon waitable.join))
  (core func $ret (canon task.return (result u32)))
  (core module $M
    (import "" "slow" (func $slow (param i32 i32) (result i32)))
    (import "" "cancel" (func $cancel (param i32) (result i32)))
    (import "" "new" (func $new (result i32)))
    (import "" "join" (func $join (param i32 i32)))
    (import "" "ret" (func $ret (param i32)))
    (func (export "run") (result i32)
      (local $st i32) (local $ws i32)
      (local.set $st (i32.shr_u (call $slow (i32.const 1) (i32.const 100)) (i32.const 4)))
      (if (i32.ne (call $cancel (local.get $st)) (i32.const -1 (; BLOCKED ;))) (then unreachable))
      (local.set $ws (call $new))
      (call $join (local.get $st) (local.get $ws))
      (i32.or (i32.const 2 (; WAIT ;)) (i32.shl (local.get $ws) (i32.const 4))))
    (func (export "cb") (param $code i32) (param $index i32) (param $payload i32) (result i32)
      (if (i32.ne (local.get $code) (i32.const 1 (; SUBTASK ;))) (then unreachable))
      (call $ret (local.get $payload))
      (i32.const 0 (; EXIT ;))))
  (core instance $m (instantiate $M (with "" (instance
    (export "slow" (func $slow)) (export "cancel" (func $cancel)) (export "new" (func $new))
    (export "join" (func $join)) (export "ret" (func $ret))))))
  (func (export "run") async (result u32)
    (canon lift (core func $m "run") async (callback (core func $m "cb")))))`;

describe('api: a guest cancels an async-lowered host call', function () {
  this.timeout(30_000);
  for (const engine of [interp, native]) {
    const name = engine === interp ? 'interp' : 'native';
    it(`aborts the host function's signal; a rejection then ends the subtask as cancelled, a value as returned (${name})`, async () => {
      const component = await Component.fromText(engine, cancelHostText);
      const run = async (slow: (this: HostCallContext, x: number) => Promise<number>) => {
        const linker = new Linker(engine);
        linker.root().funcWrap('slow', slow);
        const store = new Store(engine);
        return (await linker.instantiate(store, component)).getFunc('run')!.call(store, []);
      };
      let reason: unknown = null;
      expect(await run(function () {
        return new Promise<number>((_, reject) => this.signal.addEventListener('abort', () => {
          reason = this.signal.reason;
          reject(this.signal.reason);
        }));
      })).to.deep.equal([4 /* CANCELLED_BEFORE_RETURNED */]);
      expect((reason as Error).name).to.equal('AbortError');
      expect((reason as Error).message).to.contain('the guest cancelled the call of `slow`');
      // A host function that answers anyway: the subtask returned.
      expect(await run(async () => 7)).to.deep.equal([2 /* RETURNED */]);
    });
  }
});
