// The async canonical ABI (CanonicalABI.md, Concurrency.md): a callback-lifted
// export returning through task.return after waiting on a subtask, an async
// lowered call, the store's event loop, streams between two components, the
// deadlock trap, and the native engine's skip for a block inside core code.

import { expect } from 'chai';
import { Component, Engine, Linker, NotImplemented, Store, Trap, type TraceEvent, type TraceHook } from '../src/index.js';
import { hostHasJspi } from '../src/core/native/index.js';
import { relayText } from './support/async-components.js';

const interp = new Engine({ coreEngine: 'interp', features: { componentModelAsync: true } });
const native = new Engine({ coreEngine: 'native', features: { componentModelAsync: true } });

async function instantiate(engine: Engine, text: string, trace: TraceHook | null = null) {
  const component = await Component.fromText(engine, text);
  const store = new Store(engine, { trace });
  const inst = await new Linker(engine).instantiate(store, component);
  return { store, call: (name: string, args: unknown[] = []) => inst.getFunc(name)!.call(store, args as never) };
}

/**
 * $C.slow(x) waits for a `yield` round before returning x+1 (callback
 * lifted); $D is relayText: run(x) calls it with the async ABI, joins the
 * subtask to a waitable set, and from its callback returns the result the
 * subtask wrote.
 */
const subtaskText = `(component
  (component $C
    (core module $M
      (import "" "task.return" (func $ret (param i32)))
      (global $x (mut i32) (i32.const 0))
      (func (export "slow") (param i32) (result i32)
        (global.set $x (local.get 0))
        (i32.const 1 (; YIELD ;)))
      (func (export "cb") (param i32 i32 i32) (result i32)
        (call $ret (i32.add (global.get $x) (i32.const 1)))
        (i32.const 0 (; EXIT ;))))
    (core func $ret (canon task.return (result u32)))
    (core instance $m (instantiate $M (with "" (instance (export "task.return" (func $ret))))))
    (func (export "slow") async (param "x" u32) (result u32)
      (canon lift (core func $m "slow") async (callback (core func $m "cb")))))
  ${relayText.replace(/^\(component/, '(component $D')}
  (instance $c (instantiate $C))
  (instance $d (instantiate $D (with "slow" (func $c "slow"))))
  (export "run" (func $d "run")))`;

/** A sync-lifted function of an async type that waits on an empty set: it blocks inside core code. */
const stackfulText = `(component
  (core module $Mem (memory (export "mem") 1))
  (core instance $mem (instantiate $Mem))
  (core func $new (canon waitable-set.new))
  (core func $wait (canon waitable-set.wait (memory (core memory $mem "mem"))))
  (core func $yield (canon thread.yield))
  (core module $M
    (import "" "new" (func $new (result i32)))
    (import "" "wait" (func $wait (param i32 i32) (result i32)))
    (import "" "yield" (func $yield (result i32)))
    (global $n (mut i32) (i32.const 0))
    (func (export "f") (result i32) (drop (call $wait (call $new) (i32.const 0))) (i32.const 7))
    ;; yields three times (each a block inside core code), counting the resumptions
    (func (export "g") (result i32)
      (drop (call $yield)) (global.set $n (i32.add (global.get $n) (i32.const 1)))
      (drop (call $yield)) (global.set $n (i32.add (global.get $n) (i32.const 1)))
      (drop (call $yield)) (global.set $n (i32.add (global.get $n) (i32.const 1)))
      (global.get $n)))
  (core instance $m (instantiate $M (with "" (instance (export "new" (func $new)) (export "wait" (func $wait)) (export "yield" (func $yield))))))
  (func (export "f") async (result u32) (canon lift (core func $m "f")))
  (func (export "g") async (result u32) (canon lift (core func $m "g"))))`;

/** $C writes 3 bytes into a stream it returns; $D reads them with the sync ABI and sums them. */
const streamText = `(component
  (component $C
    (core module $Mem (memory (export "mem") 1))
    (core instance $mem (instantiate $Mem))
    (type $S (stream u8))
    (core func $new (canon stream.new $S))
    (core func $write (canon stream.write $S async (memory (core memory $mem "mem"))))
    (core func $ret (canon task.return (result $S)))
    (core module $M
      (import "" "mem" (memory 1))
      (import "" "new" (func $new (result i64)))
      (import "" "write" (func $write (param i32 i32 i32) (result i32)))
      (import "" "ret" (func $ret (param i32)))
      (func (export "make") (result i32)
        (local $rw i64) (local $r i32)
        (local.set $rw (call $new))
        (i32.store8 (i32.const 0) (i32.const 10))
        (i32.store8 (i32.const 1) (i32.const 20))
        (i32.store8 (i32.const 2) (i32.const 12))
        ;; no reader yet: the write blocks (BLOCKED = -1)
        (local.set $r (call $write (i32.wrap_i64 (i64.shr_u (local.get $rw) (i64.const 32))) (i32.const 0) (i32.const 3)))
        (if (i32.ne (local.get $r) (i32.const -1)) (then unreachable))
        (call $ret (i32.wrap_i64 (local.get $rw)))
        (i32.const 0 (; EXIT ;)))
      (func (export "cb") (param i32 i32 i32) (result i32) unreachable))
    (core instance $m (instantiate $M (with "" (instance
      (export "mem" (memory $mem "mem")) (export "new" (func $new)) (export "write" (func $write)) (export "ret" (func $ret))))))
    (func (export "make") async (result (stream u8))
      (canon lift (core func $m "make") async (callback (core func $m "cb")))))
  (component $D
    (import "make" (func $make async (result (stream u8))))
    (core module $Mem (memory (export "mem") 1))
    (core instance $mem (instantiate $Mem))
    (type $S (stream u8))
    (core func $make (canon lower (func $make)))
    (core func $read (canon stream.read $S (memory (core memory $mem "mem"))))
    (core module $M
      (import "" "mem" (memory 1))
      (import "" "make" (func $make (result i32)))
      (import "" "read" (func $read (param i32 i32 i32) (result i32)))
      (func (export "sum") (result i32)
        (local $r i32)
        (local.set $r (call $read (call $make) (i32.const 8) (i32.const 10)))
        ;; COMPLETED (0) with 3 values moved
        (if (i32.ne (local.get $r) (i32.const 0x30)) (then unreachable))
        (i32.add (i32.add (i32.load8_u (i32.const 8)) (i32.load8_u (i32.const 9))) (i32.load8_u (i32.const 10)))))
    (core instance $m (instantiate $M (with "" (instance
      (export "mem" (memory $mem "mem")) (export "make" (func $make)) (export "read" (func $read))))))
    (func (export "sum") async (result u32) (canon lift (core func $m "sum"))))
  (instance $c (instantiate $C))
  (instance $d (instantiate $D (with "make" (func $c "make"))))
  (export "sum" (func $d "sum")))`;

/** A future written and read within one component (u32: allowed intra-component), its writer's event polled; error-context new/drop; a writer dropped unwritten. */
const futureText = `(component
  (core module $Mem (memory (export "mem") 1) (data (i32.const 32) "oops"))
  (core instance $mem (instantiate $Mem))
  (type $F (future u32))
  (core func $new (canon future.new $F))
  (core func $write (canon future.write $F async (memory (core memory $mem "mem"))))
  (core func $read (canon future.read $F async (memory (core memory $mem "mem"))))
  (core func $dropw (canon future.drop-writable $F))
  (core func $dropr (canon future.drop-readable $F))
  (core func $wsnew (canon waitable-set.new))
  (core func $join (canon waitable.join))
  (core func $poll (canon waitable-set.poll (memory (core memory $mem "mem"))))
  (core func $ecnew (canon error-context.new (memory (core memory $mem "mem"))))
  (core func $ecdrop (canon error-context.drop))
  (core module $M
    (import "" "mem" (memory 1))
    (import "" "new" (func $new (result i64)))
    (import "" "write" (func $write (param i32 i32) (result i32)))
    (import "" "read" (func $read (param i32 i32) (result i32)))
    (import "" "dropw" (func $dropw (param i32)))
    (import "" "dropr" (func $dropr (param i32)))
    (import "" "wsnew" (func $wsnew (result i32)))
    (import "" "join" (func $join (param i32 i32)))
    (import "" "poll" (func $poll (param i32 i32) (result i32)))
    (import "" "ecnew" (func $ecnew (param i32 i32) (result i32)))
    (import "" "ecdrop" (func $ecdrop (param i32)))
    (func (export "run") (result i32)
      (local $rw i64) (local $r i32) (local $w i32) (local $ws i32)
      (local.set $rw (call $new))
      (local.set $r (i32.wrap_i64 (local.get $rw)))
      (local.set $w (i32.wrap_i64 (i64.shr_u (local.get $rw) (i64.const 32))))
      (i32.store (i32.const 0) (i32.const 7))
      ;; no reader yet: BLOCKED
      (if (i32.ne (call $write (local.get $w) (i32.const 0)) (i32.const -1)) (then unreachable))
      ;; the read meets the pending write: COMPLETED, the value copied
      (if (i32.ne (call $read (local.get $r) (i32.const 8)) (i32.const 0)) (then unreachable))
      (if (i32.ne (i32.load (i32.const 8)) (i32.const 7)) (then unreachable))
      ;; the writer's event: FUTURE_WRITE (5) for handle $w, COMPLETED (0)
      (local.set $ws (call $wsnew))
      (call $join (local.get $w) (local.get $ws))
      (if (i32.ne (call $poll (local.get $ws) (i32.const 16)) (i32.const 5)) (then unreachable))
      (if (i32.ne (i32.load (i32.const 16)) (local.get $w)) (then unreachable))
      (if (i32.ne (i32.load (i32.const 20)) (i32.const 0)) (then unreachable))
      (call $join (local.get $w) (i32.const 0))
      (call $dropw (local.get $w))
      (call $dropr (local.get $r))
      (call $ecdrop (call $ecnew (i32.const 32) (i32.const 4)))
      (i32.const 42))
    (func (export "bad-drop")
      (call $dropw (i32.wrap_i64 (i64.shr_u (call $new) (i64.const 32))))))
  (core instance $m (instantiate $M (with "" (instance
    (export "mem" (memory $mem "mem")) (export "new" (func $new)) (export "write" (func $write)) (export "read" (func $read))
    (export "dropw" (func $dropw)) (export "dropr" (func $dropr)) (export "wsnew" (func $wsnew)) (export "join" (func $join))
    (export "poll" (func $poll)) (export "ecnew" (func $ecnew)) (export "ecdrop" (func $ecdrop))))))
  (func (export "run") (result u32) (canon lift (core func $m "run")))
  (func (export "bad-drop") (canon lift (core func $m "bad-drop"))))`;

for (const engine of [interp, native]) {
  describe(`async canonical ABI (${engine === interp ? 'interp' : 'native'})`, () => {
    it('an async-lowered call waits for a callback-lifted callee through a waitable set', async () => {
      const { call } = await instantiate(engine, subtaskText);
      expect(await call('run', [41])).to.deep.equal([42]);
      expect(await call('run', [1])).to.deep.equal([2]);
    });

    it('a task blocked inside core code resumes there (interpreter, native with JSPI) or is NotImplemented (native, no JSPI)', async () => {
      const { call } = await instantiate(engine, stackfulText);
      if (engine === interp || hostHasJspi()) {
        // Suspended at each yield, resumed by the event loop where it stopped.
        expect(await call('g')).to.deep.equal([3]);
        // Nothing will ever wake the waiting thread: the event loop reports the deadlock.
        let err: unknown = null;
        try { await call('f'); } catch (e) { err = e; }
        expect(err).to.be.instanceOf(Trap);
        expect((err as Error).message).to.contain('deadlock detected');
      } else {
        let err: unknown = null;
        try { await call('f'); } catch (e) { err = e; }
        expect(err).to.be.instanceOf(NotImplemented);
        expect((err as Error).message).to.contain('JS Promise Integration');
      }
    });

    it('traces tasks, subtasks, built-ins and blocking', async () => {
      const events: TraceEvent[] = [];
      const { call } = await instantiate(engine, subtaskText, (e) => events.push(e));
      expect(await call('run', [5])).to.deep.equal([6]);
      const texts = events.filter((e) => e.kind === 'async').map((e) => e.text);
      expect(texts.some((t) => /task started \(async, callback\)/.test(t))).to.equal(true);
      expect(texts.some((t) => /subtask 1 \(STARTED\)/.test(t))).to.equal(true);
      expect(texts.some((t) => /waitable\.join\(1, 2\) returned \[\]/.test(t))).to.equal(true);
      expect(texts.some((t) => /returned WAIT on waitable set 2/.test(t))).to.equal(true);
      expect(texts.some((t) => /event loop: resuming thread/.test(t))).to.equal(true);
    });

    it('writes and reads a future, delivers the writer its event, and makes and drops an error context', async () => {
      const { call } = await instantiate(engine, futureText);
      expect(await call('run')).to.deep.equal([42]);
      let err: unknown = null;
      try { await call('bad-drop'); } catch (e) { err = e; }
      expect(err).to.be.instanceOf(Trap);
      expect((err as Error).message).to.contain('cannot drop future write end without first writing a value');
    });

    it('moves stream values from a pending write to a synchronous read', async () => {
      const { call } = await instantiate(engine, streamText);
      // The read meets the pending write at once: no block inside core code, so native runs it too.
      expect(await call('sum')).to.deep.equal([42]);
    });
  });
}
