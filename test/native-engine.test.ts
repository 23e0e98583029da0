import { expect } from 'chai';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { decodeModule } from '../src/core/binary/decode.js';
import { NativeEngine, NativeFunc, NativeGlobal, NativeTable, HostTrap, hostFeatures, unsupportedFeature } from '../src/core/native/index.js';
import { FuncInst, HostFunc } from '../src/core/runtime/func.js';
import { GlobalInst } from '../src/core/runtime/global.js';
import { TableInst } from '../src/core/runtime/table.js';

import { Trap, TrapMessage } from '../src/core/errors.js';
import { hostTrapKind, trapFromRuntimeError } from '../src/core/native/traps.js';
import { runFile } from '../src/wast/compare.js';
import { adaptersFor } from '../src/wast/engines.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExternVal, ModuleInstance } from '../src/core/runtime/instance.js';
import { F32, F64, FUNCREF, EXTERNREF, I32 } from '../src/core/syntax/types.js';
import { exported, func, trapOf } from './support/core.js';

const engine = new NativeEngine();

async function instantiate(wat: string, imports: ExternVal[] = []): Promise<ModuleInstance> {
  const bytes = await parse(wat);
  return engine.instantiate(decodeModule(bytes), bytes, imports);
}

describe('native engine', () => {
  describe('lossless values', () => {
    it('keeps f32 and f64 NaN payloads through a call', async () => {
      const inst = await instantiate(`(module
        (func (export "id32") (param f32) (result f32) local.get 0)
        (func (export "id64") (param f64) (result f64) local.get 0)
        (func (export "swap") (param f32 f64) (result f64 f32) local.get 1 local.get 0))`);
      const snan32 = 0x7fa00001; // signalling NaN with a payload
      const snan64 = 0x7ff4000000000001n;
      expect(func(inst, 'id32').call([snan32])).to.deep.equal([snan32]);
      expect(func(inst, 'id32').call([0xffc00123 | 0])).to.deep.equal([0xffc00123 | 0]);
      expect(func(inst, 'id64').call([snan64])).to.deep.equal([snan64]);
      expect(func(inst, 'swap').call([snan32, snan64])).to.deep.equal([snan64, snan32]);
    });

    it('passes v128 values in and out', async function () {
      if (!hostFeatures().simd) this.skip();
      const inst = await instantiate(`(module
        (func (export "add") (param v128 v128) (result v128 i32)
          (i32x4.add (local.get 0) (local.get 1)) (i32.const 7)))`);
      const a = new Uint8Array(16).map((_, i) => i);
      const b = new Uint8Array(16).fill(1);
      const [sum, seven] = func(inst, 'add').call([a, b]);
      const expected = new Uint8Array(16);
      const va = new DataView(a.buffer), out = new DataView(expected.buffer);
      for (let i = 0; i < 4; i++) out.setInt32(i * 4, va.getInt32(i * 4, true) + 0x01010101, true);
      expect(sum).to.deep.equal(expected);
      expect(seven).to.equal(7);
    });

    it('calls a host function with float parameters, keeping bits both ways', async () => {
      const seen: unknown[] = [];
      const host = new HostFunc({ params: [F32, F64], results: [F64, F32] }, (args) => {
        seen.push(...args);
        return [0x7ff0000000000abcn, 0x7f800abc];
      });
      const inst = await instantiate(`(module
        (import "h" "f" (func $f (param f32 f64) (result f64 f32)))
        (func (export "run") (param f32 f64) (result f64 f32) local.get 0 local.get 1 call $f))`,
        [{ kind: 'func', value: host }]);
      expect(func(inst, 'run').call([0x7f800001, 0x7ff0000000000001n])).to.deep.equal([0x7ff0000000000abcn, 0x7f800abc]);
      expect(seen).to.deep.equal([0x7f800001, 0x7ff0000000000001n]);
    });

    it('reads and writes float and v128 globals losslessly', async () => {
      const inst = await instantiate(`(module
        (global (export "f") (mut f32) (f32.const nan:0x200001))
        (global (export "d") f64 (f64.const -nan:0x4000000000001)))`);
      const f = exported(inst, 'f', 'global');
      expect(f).to.be.instanceOf(NativeGlobal);
      expect(f.value).to.equal(0x7fa00001);
      f.value = 0x7f800003;
      expect(f.value).to.equal(0x7f800003);
      expect(exported(inst, 'd', 'global').value).to.equal(BigInt.asIntN(64, 0xfff4000000000001n));
    });
  });

  describe('traps', () => {
    it('speaks the suite words', async () => {
      const inst = await instantiate(`(module
        (type $t (func))
        (table 1 funcref)
        (memory 1)
        (func (export "div") (result i32) (i32.div_s (i32.const 1) (i32.const 0)))
        (func (export "ovf") (result i32) (i32.div_s (i32.const 0x80000000) (i32.const -1)))
        (func (export "unr") unreachable)
        (func (export "mem") (result i32) (i32.load (i32.const 70000)))
        (func (export "null") (call_indirect (type $t) (i32.const 0)))
        (func (export "oob") (call_indirect (type $t) (i32.const 9)))
        (func (export "tget") (drop (table.get (i32.const 9))))
        (func (export "trunc") (result i32) (i32.trunc_f32_s (f32.const nan))))`);
      expect(trapOf(() => func(inst, 'div').call([])).message).to.equal(TrapMessage.divByZero);
      expect(trapOf(() => func(inst, 'ovf').call([])).message).to.equal(TrapMessage.intOverflow);
      expect(trapOf(() => func(inst, 'unr').call([])).message).to.equal(TrapMessage.unreachable);
      expect(trapOf(() => func(inst, 'mem').call([])).message).to.equal(TrapMessage.outOfBoundsMemory);
      const nul = trapOf(() => func(inst, 'null').call([]));
      expect(nul).to.be.instanceOf(HostTrap);
      expect((nul as HostTrap).alternatives).to.include(TrapMessage.uninitializedElement);
      expect(trapOf(() => func(inst, 'oob').call([])).message).to.equal(TrapMessage.undefinedElement);
      expect(trapOf(() => func(inst, 'tget').call([])).message).to.equal(TrapMessage.outOfBoundsTable);
      expect((trapOf(() => func(inst, 'trunc').call([])) as HostTrap).alternatives).to.include(TrapMessage.invalidConversion);
    });

    it('reads the trap words of every V8 generation (11.3 in Node 20, 12+ in Node 22 and Deno 2)', () => {
      const means = (host: string) => trapFromRuntimeError(new WebAssembly.RuntimeError(host)).alternatives;
      // V8 11.3: one message for an empty slot and a wrong signature (no trap site here to tell them apart).
      expect(means('null function or function signature mismatch')).to.deep.equal([TrapMessage.uninitializedElement, TrapMessage.indirectCallTypeMismatch]);
      expect(means('WebAssembly.instantiate(): data segment is out of bounds')).to.deep.equal([TrapMessage.outOfBoundsMemory]);
      // V8 12 and later.
      expect(means('null function')).to.deep.equal([TrapMessage.uninitializedElement]);
      expect(means('function signature mismatch')).to.deep.equal([TrapMessage.indirectCallTypeMismatch]);
      expect(means('WebAssembly.instantiate(): data segment 0 is out of bounds (offset 65536, length 1, memory size 65536)')).to.deep.equal([TrapMessage.outOfBoundsMemory]);
      expect(means('rethrowing null value')).to.deep.equal([TrapMessage.nullExceptionReference]);
      // A message no generation used stands for itself.
      expect(means('null function reference or something new')).to.deep.equal(['null function reference or something new']);
    });

    it('is held to the suite words up to the detail V8 does not report (the element index); the interpreter to all of them', async () => {
      expect(hostTrapKind('uninitialized element 2')).to.equal(TrapMessage.uninitializedElement);
      expect(hostTrapKind('undefined element 9')).to.equal(TrapMessage.undefinedElement);
      expect(hostTrapKind('uninitialized element')).to.equal(TrapMessage.uninitializedElement);
      expect(hostTrapKind('indirect call type mismatch')).to.equal('indirect call type mismatch');
      expect(hostTrapKind('uninitialized element x')).to.equal('uninitialized element x');
      const path = join(mkdtempSync(join(tmpdir(), 'cmr-trap-detail-')), 'detail.wast');
      writeFileSync(path, `(module
  (type $t (func))
  (type $u (func (param i32)))
  (table $holes 4 funcref)
  (table $full 1 funcref)
  (elem (table $holes) (i32.const 0) func $f)
  (elem (table $full) (i32.const 0) func $f)
  (func $f)
  (func (export "call") (param i32) (call_indirect $holes (type $t) (local.get 0)))
  (func (export "wrong") (call_indirect $full (type $u) (i32.const 0) (i32.const 0))))
(assert_trap (invoke "call" (i32.const 2)) "uninitialized element 2")
(assert_trap (invoke "call" (i32.const 2)) "uninitialized element 3")
(assert_trap (invoke "wrong") "uninitialized element 0")
(assert_trap (invoke "call" (i32.const 9)) "uninitialized element 9")
(invoke "call" (i32.const 2))
`);
      const r = await runFile(path, 'detail.wast', adaptersFor('both'));
      const status = (engine: 'interp' | 'native') => Object.fromEntries(r.outcomes[engine]!.filter((o) => o.kind !== 'module').map((o) => [o.line, o.status]));
      // :11 right kind and slot; :12 right kind, wrong slot (only the
      // interpreter can tell); :13 a signature mismatch and :14 a slot past
      // the end are other kinds, refused by both; :15 traps on both alike.
      expect(status('interp')).to.deep.equal({ 11: 'pass', 12: 'fail', 13: 'fail', 14: 'fail', 15: 'fail' });
      expect(status('native')).to.deep.equal({ 11: 'pass', 12: 'pass', 13: 'fail', 14: 'fail', 15: 'fail' });
      expect(r.mismatches.map((m) => m.line)).to.deep.equal([12]);
    });

    it('ends deep recursion in "call stack exhausted"', async () => {
      const inst = await instantiate(`(module (func $f (export "f") call $f))`);
      expect(trapOf(() => func(inst, 'f').call([])).message).to.equal(TrapMessage.callStackExhausted);
    });

    it('traps in the start function and in segment initialisation', async () => {
      let err: unknown = null;
      await instantiate(`(module (func unreachable) (start 0))`).catch((e) => (err = e));
      expect(err).to.be.instanceOf(Trap);
      expect((err as Trap).message).to.equal(TrapMessage.unreachable);
      err = null;
      await instantiate(`(module (memory 1) (data (i32.const 70000) "a"))`).catch((e) => (err = e));
      expect((err as Trap).message).to.equal(TrapMessage.outOfBoundsMemory);
      err = null;
      await instantiate(`(module (table 1 funcref) (elem (i32.const 3) func 0) (func))`).catch((e) => (err = e));
      expect((err as Trap).message).to.equal(TrapMessage.outOfBoundsTable);
    });

    it('passes a trap of an imported function through unchanged', async () => {
      const boom = new HostFunc({ params: [], results: [] }, () => { throw new Trap('boom'); });
      const inst = await instantiate(`(module (import "h" "f" (func $f)) (func (export "run") call $f))`, [{ kind: 'func', value: boom }]);
      expect(trapOf(() => func(inst, 'run').call([])).message).to.equal('boom');
    });
  });

  describe('externs', () => {
    it('exports a table, a memory and a global that another native module imports', async () => {
      const a = await instantiate(`(module
        (table (export "t") 2 funcref)
        (memory (export "m") 1)
        (global (export "g") (mut i64) (i64.const 5))
        (func $f (export "f") (result i32) (i32.const 42))
        (elem (i32.const 1) $f))`);
      const t = exported(a, 't', 'table');
      const m = exported(a, 'm', 'memory');
      const g = exported(a, 'g', 'global');
      expect(t).to.be.instanceOf(NativeTable);
      const b = await instantiate(`(module
        (import "a" "t" (table 2 funcref))
        (import "a" "m" (memory 1))
        (import "a" "g" (global $g (mut i64)))
        (type $r (func (result i32)))
        (func (export "call1") (result i32) (call_indirect (type $r) (i32.const 1)))
        (func (export "poke") (i32.store (i32.const 8) (i32.const 99)) (global.set $g (i64.const 77)))
        (export "t2" (table 0)) (export "m2" (memory 0)) (export "g2" (global 0)))`,
        [{ kind: 'table', value: t }, { kind: 'memory', value: m }, { kind: 'global', value: g }]);
      expect(func(b, 'call1').call([])).to.deep.equal([42]);
      func(b, 'poke').call([]);
      expect(m.view.getInt32(8, true)).to.equal(99);
      expect(g.value).to.equal(77n);
      expect(exported(b, 't2', 'table')).to.equal(t);
      expect(exported(b, 'm2', 'memory')).to.equal(m);
      expect(exported(b, 'g2', 'global')).to.equal(g);
      // The funcref in the table is the exported function itself.
      expect(t.get(1)).to.equal(func(a, 'f'));
      expect(t.get(0)).to.equal(null);
    });

    it('keeps funcref identity for hidden functions, host functions and re-exports', async () => {
      const host = new HostFunc({ params: [I32], results: [I32] }, ([x]) => [(x as number) + 1]);
      const inst = await instantiate(`(module
        (import "h" "f" (func $h (param i32) (result i32)))
        (table (export "t") 3 funcref)
        (func $hidden (result i32) (i32.const 7))
        (elem (i32.const 0) $hidden $h)
        (func (export "get") (param i32) (result funcref) (table.get (local.get 0)))
        (type $ii (func (param i32) (result i32)))
        (func (export "callh") (param i32) (result i32) (call_indirect (type $ii) (local.get 0) (i32.const 1)))
        (export "h" (func $h)))`, [{ kind: 'func', value: host }]);
      const [hidden] = func(inst, 'get').call([0]);
      expect(hidden).to.be.instanceOf(NativeFunc);
      expect((hidden as FuncInst).call([])).to.deep.equal([7]);
      expect(func(inst, 'get').call([0])[0]).to.equal(hidden);
      expect(func(inst, 'get').call([1])[0]).to.equal(host);
      expect(func(inst, 'h')).to.equal(host);
      expect(func(inst, 'callh').call([4])).to.deep.equal([5]);
      // A host function stored into the native table works under call_indirect.
      const t = exported(inst, 't', 'table');
      t.set(1, new HostFunc({ params: [I32], results: [I32] }, ([x]) => [(x as number) * 10]));
      expect(func(inst, 'callh').call([4])).to.deep.equal([40]);
    });

    it('moves a base table and a mutable base global into the host engine, shared both ways', async () => {
      const table = TableInst.create({ elem: EXTERNREF, limits: { min: 2, max: 10 } });
      const marker = { tag: 'x' };
      table.set(0, marker);
      const global = new GlobalInst({ type: F64, mutable: true }, 0x7ff4000000000001n);
      const inst = await instantiate(`(module
        (import "b" "t" (table 2 10 externref))
        (import "b" "g" (global $g (mut f64)))
        (func (export "get") (param i32) (result externref) (table.get (local.get 0)))
        (func (export "grow") (result i32) (table.grow (ref.null extern) (i32.const 3)))
        (func (export "rd") (result f64) (global.get $g))
        (func (export "wr") (param f64) (global.set $g (local.get 0))))`,
        [{ kind: 'table', value: table }, { kind: 'global', value: global }]);
      expect(func(inst, 'get').call([0])).to.deep.equal([marker]);
      expect(func(inst, 'get').call([1])).to.deep.equal([null]);
      expect(func(inst, 'grow').call([])).to.deep.equal([2]);
      expect(table.size()).to.equal(5);
      const other = { tag: 'y' };
      table.set(4, other);
      expect(func(inst, 'get').call([4])).to.deep.equal([other]);
      expect(table.grow(100, null)).to.equal(-1);
      expect(func(inst, 'rd').call([])).to.deep.equal([0x7ff4000000000001n]);
      func(inst, 'wr').call([0x7ff0000000000002n]);
      expect(global.value).to.equal(0x7ff0000000000002n);
      global.value = 0x7ff0000000000003n;
      expect(func(inst, 'rd').call([])).to.deep.equal([0x7ff0000000000003n]);
    });

    it('takes a funcref global of host functions', async () => {
      const host = new HostFunc({ params: [], results: [F32] }, () => [0x7fa00005]);
      const global = new GlobalInst({ type: FUNCREF, mutable: true }, host);
      const inst = await instantiate(`(module
        (import "b" "g" (global $g (mut funcref)))
        (table 1 funcref)
        (type $t (func (result f32)))
        (func (export "run") (result f32) (table.set (i32.const 0) (global.get $g)) (call_indirect (type $t) (i32.const 0)))
        (func (export "get") (result funcref) (global.get $g)))`, [{ kind: 'global', value: global }]);
      expect(func(inst, 'run').call([])).to.deep.equal([0x7fa00005]);
      expect(func(inst, 'get').call([])[0]).to.equal(host);
    });
  });

  describe('features', () => {
    it('probes the host and names what a module lacks', async () => {
      const f = hostFeatures();
      expect(f).to.have.property('simd');
      const bytes = await parse('(module (func (param v128)))');
      const why = unsupportedFeature(decodeModule(bytes), bytes);
      expect(why).to.equal(f.simd ? null : 'host engine lacks simd');
    });
  });
});

