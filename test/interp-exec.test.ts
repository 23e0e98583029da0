// The tree-walking interpreter: suspension at host calls, call stack
// exhaustion, NaN bit preservation, and numeric edge cases.

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { decodeModule } from '../src/core/binary/decode.js';
import { validateModule } from '../src/core/valid/validate.js';
import { Interpreter, SUSPEND, Configuration, currentConfiguration } from '../src/core/exec/index.js';
import { HostFunc } from '../src/core/runtime/func.js';
import { TrapMessage } from '../src/core/errors.js';
import type { ExternVal, ModuleInstance } from '../src/core/runtime/instance.js';
import { I32 } from '../src/core/syntax/types.js';
import { Op } from '../src/core/syntax/opcodes.js';
import { O } from '../src/core/exec/ops.js';
import { func, trapOf } from './support/core.js';

async function instantiate(wat: string, imports: ExternVal[] = []): Promise<ModuleInstance> {
  const bytes = await parse(wat);
  const m = decodeModule(bytes);
  validateModule(m);
  return new Interpreter().instantiate(m, bytes, imports);
}

describe('interpreter: suspension at host calls', () => {
  const wat = `(module
    (import "host" "next" (func $next (param i32) (result i32)))
    (func $sum (export "sum") (param $n i32) (result i32) (local $acc i32)
      ;; acc = next(0) + next(1) + ... + next(n-1), from a nested wasm call
      (block $done (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (local.set $acc (i32.add (local.get $acc) (call $inner (local.get $n))))
        (br $l)))
      (local.get $acc))
    (func $inner (param i32) (result i32) (call $next (local.get 0))))`;

  it('stops at the host call and resumes with its results', async () => {
    const seen: number[] = [];
    let thread: Configuration | null = null;
    const next = new HostFunc({ params: [I32], results: [I32] }, (args) => {
      expect(currentConfiguration()).to.equal(thread);
      seen.push(args[0] as number);
      return SUSPEND;
    });
    const inst = await instantiate(wat, [{ kind: 'func', value: next }]);
    thread = new Configuration();
    thread.start(func(inst, 'sum'), [3]);
    expect(thread.run()).to.equal('suspended');
    expect(seen).to.deep.equal([2]);
    expect(thread.resume([100])).to.equal('suspended');
    expect(seen).to.deep.equal([2, 1]);
    expect(thread.resume([20])).to.equal('suspended');
    expect(thread.resume([3])).to.equal('done');
    expect(seen).to.deep.equal([2, 1, 0]);
    expect(thread.results()).to.deep.equal([123]);
  });

  it('refuses to suspend a synchronous FuncInst.call', async () => {
    const next = new HostFunc({ params: [I32], results: [I32] }, () => SUSPEND);
    const inst = await instantiate(wat, [{ kind: 'func', value: next }]);
    expect(() => func(inst, 'sum').call([1])).to.throw(/suspended a synchronous call/);
  });

  it('runs host functions that return normally, and wasm called back from the host', async () => {
    let inst: ModuleInstance | null = null;
    const next = new HostFunc({ params: [I32], results: [I32] }, (args) => {
      const n = args[0] as number;
      // Re-enter wasm from the host: it runs on a thread of its own.
      return n > 0 ? [1 + (func(inst!, 'sum').call([n])[0] as number)] : [1];
    });
    inst = await instantiate(wat, [{ kind: 'func', value: next }]);
    // next(0) = 1, next(1) = 1 + sum(1) = 2, next(2) = 1 + sum(2) = 4; sum(3) = 4 + 2 + 1
    expect(func(inst, 'sum').call([3])).to.deep.equal([7]);
  });
});

describe('interpreter: a trap names the frames it unwound', () => {
  it('innermost first, by the name section, else by index', async () => {
    const inst = await instantiate(`(module $m
      (func $inner unreachable)
      (func (call $inner))
      (func $outer (export "f") (call 1)))`);
    expect(trapOf(() => func(inst, 'f').call([])).wasmBacktrace).to.deep.equal(['m!inner', 'm!func[1]', 'm!outer']);
  });

  it('counts the frames past the first 64 of deep recursion', async () => {
    const inst = await instantiate(`(module (func $f (export "f") (call $f)))`);
    const bt = trapOf(() => func(inst, 'f').call([])).wasmBacktrace!;
    expect(bt).to.have.length(65);
    expect(bt[0]).to.equal('<module>!f');
    expect(bt[64]).to.match(/^… \d+ more$/);
  });
});

describe('interpreter: call stack exhaustion', function () {
  this.timeout(120_000); // a ceiling for a hang: bounded work, some seconds on an idle machine and ten to fifteen times as long under c8 on a loaded 2-core one
  it('traps on infinite recursion without a JS RangeError', async () => {
    const inst = await instantiate(`(module (func $f (export "f") (call $f)))`);
    expect(trapOf(() => func(inst, 'f').call([])).message).to.equal(TrapMessage.callStackExhausted);
  });

  it('traps on deep recursion with many locals (value stack limit)', async () => {
    const locals = Array.from({ length: 200 }, () => 'i64').join(' ');
    const inst = await instantiate(`(module (func $f (export "f") (param i32) (result i32) (local ${locals})
      (i32.add (i32.const 1) (call $f (local.get 0)))))`);
    expect(trapOf(() => func(inst, 'f').call([0])).message).to.equal(TrapMessage.callStackExhausted);
  });

  it('still runs recursion that fits, and the thread is reusable after a trap', async () => {
    const inst = await instantiate(`(module
      (func $d (export "depth") (param i32) (result i32)
        (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
          (else (i32.add (i32.const 1) (call $d (i32.sub (local.get 0) (i32.const 1))))))))`);
    expect(func(inst, 'depth').call([20000])).to.deep.equal([20000]);
    trapOf(() => func(inst, 'depth').call([10_000_000]));
    expect(func(inst, 'depth').call([5])).to.deep.equal([5]);
  });
});

describe('interpreter: NaN payloads', () => {
  it('keeps f32 and f64 NaN bits through locals, globals, memory, select and reinterpret', async () => {
    const inst = await instantiate(`(module (memory 1)
      (global $g32 (mut f32) (f32.const 0))
      (global $g64 (mut f64) (f64.const 0))
      (func (export "f32") (param i32) (result i32) (local f32)
        (local.set 1 (f32.reinterpret_i32 (local.get 0)))
        (global.set $g32 (local.get 1))
        (f32.store offset=3 (i32.const 0) (global.get $g32))
        (i32.reinterpret_f32 (select (f32.load offset=3 (i32.const 0)) (f32.const 1) (i32.const 1))))
      (func (export "f64") (param i64) (result i64) (local f64)
        (local.set 1 (f64.reinterpret_i64 (local.get 0)))
        (global.set $g64 (local.get 1))
        (f64.store offset=5 (i32.const 0) (global.get $g64))
        (i64.reinterpret_f64 (f64.load offset=5 (i32.const 0))))
      (func (export "id64") (param f64) (result f64) (local.get 0))
      (func (export "neg32") (param f32) (result f32) (f32.neg (local.get 0)))
      (func (export "abs64") (param f64) (result f64) (f64.abs (local.get 0)))
      (func (export "copysign32") (param f32 f32) (result f32) (f32.copysign (local.get 0) (local.get 1))))`);
    for (const bits of [0x7fa00001, 0xff800001 | 0, 0x7fc00000, 0x7f800001]) {
      expect(func(inst, 'f32').call([bits])).to.deep.equal([bits]);
    }
    for (const bits of [0x7ff0000000000001n, -0x000fffffffffff01n, 0x7ff4000000000000n]) {
      expect(func(inst, 'f64').call([bits])).to.deep.equal([bits]);
      expect(func(inst, 'id64').call([bits])).to.deep.equal([bits]);
    }
    expect(func(inst, 'neg32').call([0x7fa00001])).to.deep.equal([0xffa00001 | 0]);
    expect(func(inst, 'abs64').call([-0x0007ffffffffff01n])).to.deep.equal([0x7ff80000000000ffn]);
    expect(func(inst, 'copysign32').call([0x7fa00001, -1])).to.deep.equal([0xffa00001 | 0]);
  });
});

describe('interpreter: numerics', () => {
  let inst: ModuleInstance;
  before(async () => {
    inst = await instantiate(`(module
      (func (export "f32_convert_i64_s") (param i64) (result i32) (i32.reinterpret_f32 (f32.convert_i64_s (local.get 0))))
      (func (export "f32_convert_i64_u") (param i64) (result i32) (i32.reinterpret_f32 (f32.convert_i64_u (local.get 0))))
      (func (export "f64_nearest") (param f64) (result f64) (f64.nearest (local.get 0)))
      (func (export "f32_min") (param f32 f32) (result f32) (f32.min (local.get 0) (local.get 1)))
      (func (export "i32_div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
      (func (export "i32_rem_s") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))
      (func (export "i64_rem_s") (param i64 i64) (result i64) (i64.rem_s (local.get 0) (local.get 1)))
      (func (export "i32_trunc_f64_s") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
      (func (export "i64_trunc_sat_f64_u") (param f64) (result i64) (i64.trunc_sat_f64_u (local.get 0)))
      (func (export "i64_ops") (param i64 i64) (result i64 i64 i64 i64 i64 i64 i64 i64)
        (i64.add (local.get 0) (local.get 1)) (i64.sub (local.get 0) (local.get 1))
        (i64.shl (local.get 0) (local.get 1)) (i64.shr_s (local.get 0) (local.get 1))
        (i64.shr_u (local.get 0) (local.get 1)) (i64.rotl (local.get 0) (local.get 1))
        (i64.rotr (local.get 0) (local.get 1)) (i64.mul (local.get 0) (local.get 1)))
      (func (export "i64_cmp") (param i64 i64) (result i32 i32 i32 i32)
        (i64.lt_s (local.get 0) (local.get 1)) (i64.lt_u (local.get 0) (local.get 1))
        (i64.ge_s (local.get 0) (local.get 1)) (i64.ge_u (local.get 0) (local.get 1))))`);
  });
  const f64 = (x: number) => { const b = new DataView(new ArrayBuffer(8)); b.setFloat64(0, x); return b.getBigInt64(0); };
  const f32 = (x: number) => { const b = new DataView(new ArrayBuffer(4)); b.setFloat32(0, x); return b.getInt32(0); };

  it('rounds i64 to f32 once (no double rounding)', () => {
    // 2^60 + 2^36 + 1 is just above the midpoint between two f32 values;
    // rounding to double first lands exactly on it, then ties-to-even goes down.
    const v = 2n ** 60n + 2n ** 36n + 1n;
    expect(func(inst, 'f32_convert_i64_s').call([v])).to.deep.equal([0x5d800001]);
    expect(func(inst, 'f32_convert_i64_s').call([-v])).to.deep.equal([0xdd800001 | 0]);
    expect(func(inst, 'f32_convert_i64_u').call([-1n])).to.deep.equal([0x5f800000]);
    expect(func(inst, 'f32_convert_i64_s').call([2n ** 60n + 2n ** 36n])).to.deep.equal([0x5d800000]);
  });

  it('rounds nearest ties to even and keeps the sign of zero', () => {
    const near = (x: number) => func(inst, 'f64_nearest').call([f64(x)])[0];
    expect(near(2.5)).to.equal(f64(2));
    expect(near(3.5)).to.equal(f64(4));
    expect(near(-0.5)).to.equal(f64(-0));
    expect(near(-1.5)).to.equal(f64(-2));
    expect(near(4503599627370497)).to.equal(f64(4503599627370497));
  });

  it('orders -0 below +0 in min', () => {
    expect(func(inst, 'f32_min').call([f32(0), f32(-0)])).to.deep.equal([f32(-0)]);
  });

  it('traps as the spec says', () => {
    expect(trapOf(() => func(inst, 'i32_div_s').call([-0x80000000, -1])).message).to.equal(TrapMessage.intOverflow);
    expect(trapOf(() => func(inst, 'i32_div_s').call([1, 0])).message).to.equal(TrapMessage.divByZero);
    expect(func(inst, 'i32_rem_s').call([-0x80000000, -1])).to.deep.equal([0]);
    expect(func(inst, 'i64_rem_s').call([-(2n ** 63n), -1n])).to.deep.equal([0n]);
    expect(trapOf(() => func(inst, 'i32_trunc_f64_s').call([f64(NaN)])).message).to.equal(TrapMessage.invalidConversion);
    expect(trapOf(() => func(inst, 'i32_trunc_f64_s').call([f64(2147483648)])).message).to.equal(TrapMessage.intOverflow);
    expect(func(inst, 'i32_trunc_f64_s').call([f64(-2147483648.9)])).to.deep.equal([-2147483648]);
    expect(func(inst, 'i64_trunc_sat_f64_u').call([f64(1e30)])).to.deep.equal([-1n]);
  });

  it('computes i64 word operations like BigInt does', () => {
    const wrap = (x: bigint) => BigInt.asIntN(64, x);
    const u = (x: bigint) => BigInt.asUintN(64, x);
    const samples = [0n, 1n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 0x123456789abcdef0n, -0x0fedcba987654321n, 31n, 32n, 33n, 63n, 64n, 65n];
    for (const a of samples) {
      for (const b of samples) {
        const a64 = wrap(a), b64 = wrap(b), k = u(b64) % 64n;
        expect(func(inst, 'i64_ops').call([a64, b64])).to.deep.equal([
          wrap(a64 + b64), wrap(a64 - b64), wrap(a64 << k), wrap(a64 >> k), wrap(u(a64) >> k),
          wrap((u(a64) << k) | (u(a64) >> ((64n - k) % 64n))), wrap((u(a64) >> k) | (u(a64) << ((64n - k) % 64n))),
          wrap(a64 * b64),
        ], `${a64} ${b64}`);
        expect(func(inst, 'i64_cmp').call([a64, b64])).to.deep.equal([
          +(a64 < b64), +(u(a64) < u(b64)), +(a64 >= b64), +(u(a64) >= u(b64)),
        ]);
      }
    }
  });
});

describe('interpreter: opcode numbers', () => {
  it('agree with syntax/opcodes.ts', () => {
    // A const enum has no runtime object: read its source.
    const src = readFileSync(new URL('../../src/core/exec/ops.ts', import.meta.url), 'utf8');
    const ours = new Map([...src.matchAll(/^\s+(\w+) = (0x[0-9a-f]+),$/gm)].map((m) => [m[1]!, Number(m[2])]));
    expect(ours.size).to.equal(Object.keys(Op).length);
    for (const [name, value] of Object.entries(Op)) expect(ours.get(name), name).to.equal(value);
    expect(O.i32_add).to.equal(Op.i32_add);
  });
});

