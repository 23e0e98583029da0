// SIMD on the interpreter: what the official suite does not reach. The
// 64-bit lane arithmetic done on 32-bit words (checked against BigInt on
// random values), v128 values crossing host calls and the engine boundary,
// relaxed SIMD's documented choices, and a suspended call holding vectors.

import { expect } from 'chai';
import fc from 'fast-check';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { decodeModule } from '../src/core/binary/decode.js';
import { validateModule } from '../src/core/valid/validate.js';
import { Interpreter, SUSPEND, Configuration } from '../src/core/exec/index.js';
import { NativeEngine, hostFeatures } from '../src/core/native/index.js';
import { HostFunc } from '../src/core/runtime/func.js';
import type { CoreEngine, ExternVal, ModuleInstance } from '../src/core/runtime/instance.js';
import { V128, I32 } from '../src/core/syntax/types.js';
import { WASM_2_0, WASM_3_0_SUPPORTED } from '../src/core/syntax/feature-set.js';
import { mul64 } from '../src/core/exec/simd/int.js';
import { func } from './support/core.js';

async function instantiate(wat: string, imports: ExternVal[] = [], engine: CoreEngine = new Interpreter()): Promise<ModuleInstance> {
  const bytes = await parse(wat);
  const m = decodeModule(bytes, WASM_3_0_SUPPORTED);
  validateModule(m, WASM_3_0_SUPPORTED);
  return engine.instantiate(m, bytes, imports);
}

function v128(words: number[]): Uint8Array {
  return new Uint8Array(new Int32Array(words).buffer);
}

function words(v: unknown): number[] {
  return [...new Int32Array((v as Uint8Array).slice().buffer)];
}

function i64Lanes(v: unknown): bigint[] {
  return [...new BigInt64Array((v as Uint8Array).slice().buffer)];
}

describe('interpreter: SIMD', () => {
  describe('64-bit lanes on 32-bit words', () => {
    it('mul64 gives the low 64 bits of the product', () => {
      fc.assert(fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (a, b) => {
        const w = new Int32Array(2);
        const lo = (x: bigint) => Number(BigInt.asIntN(32, x));
        const hi = (x: bigint) => Number(BigInt.asIntN(32, x >> 32n));
        mul64(w, 0, lo(a), hi(a), lo(b), hi(b));
        expect(new BigInt64Array(w.buffer)[0]).to.equal(BigInt.asIntN(64, a * b));
      }), { numRuns: 2000 });
    });

    it('i64x2 mul, extmul and shifts agree with BigInt', async () => {
      const inst = await instantiate(`(module
        (func (export "mul") (param v128 v128) (result v128) (i64x2.mul (local.get 0) (local.get 1)))
        (func (export "extmul_s") (param v128 v128) (result v128) (i64x2.extmul_high_i32x4_s (local.get 0) (local.get 1)))
        (func (export "extmul_u") (param v128 v128) (result v128) (i64x2.extmul_low_i32x4_u (local.get 0) (local.get 1)))
        (func (export "shr_s") (param v128 i32) (result v128) (i64x2.shr_s (local.get 0) (local.get 1))))`);
      const i64s = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
      const vec = (a: bigint, b: bigint) => new Uint8Array(new BigInt64Array([a, b]).buffer);
      fc.assert(fc.property(i64s, i64s, i64s, i64s, fc.integer({ min: 0, max: 200 }), (a, b, c, d, k) => {
        const x = vec(a, b), y = vec(c, d);
        expect(i64Lanes(func(inst, 'mul').call([x, y])[0])).to.deep.equal([BigInt.asIntN(64, a * c), BigInt.asIntN(64, b * d)]);
        // the i32 lanes the high (2, 3) and low (0, 1) halves name
        const s = (v: Uint8Array, i: number) => BigInt(new Int32Array(v.slice().buffer)[i]!);
        const u = (v: Uint8Array, i: number) => BigInt(new Uint32Array(v.slice().buffer)[i]!);
        expect(i64Lanes(func(inst, 'extmul_s').call([x, y])[0])).to.deep.equal([s(x, 2) * s(y, 2), s(x, 3) * s(y, 3)]);
        expect(i64Lanes(func(inst, 'extmul_u').call([x, y])[0])).to.deep.equal([BigInt.asIntN(64, u(x, 0) * u(y, 0)), BigInt.asIntN(64, u(x, 1) * u(y, 1))]);
        expect(i64Lanes(func(inst, 'shr_s').call([x, k])[0])).to.deep.equal([a >> BigInt(k % 64), b >> BigInt(k % 64)]);
      }), { numRuns: 300 });
    });
  });

  describe('v128 values at boundaries', () => {
    it('pass to and from a host function, bytes intact', async () => {
      const seen: Uint8Array[] = [];
      const host = new HostFunc({ params: [V128, I32], results: [V128] }, (args) => {
        seen.push(args[0] as Uint8Array);
        return [v128([7, 8, 9, args[1] as number])];
      });
      const inst = await instantiate(`(module
        (import "h" "f" (func $f (param v128 i32) (result v128)))
        (func (export "run") (param v128) (result v128)
          (i32x4.add (call $f (local.get 0) (i32.const -1)) (local.get 0))))`, [{ kind: 'func', value: host }]);
      const out = func(inst, 'run').call([v128([1, 2, 3, 4])])[0];
      expect(words(seen[0])).to.deep.equal([1, 2, 3, 4]);
      expect(words(out)).to.deep.equal([8, 10, 12, 3]);
    });

    it('survive a suspended host call and come back as its result', async () => {
      const host = new HostFunc({ params: [], results: [V128] }, () => SUSPEND);
      const inst = await instantiate(`(module
        (import "h" "wait" (func $wait (result v128)))
        (func (export "run") (param v128) (result v128) (local v128)
          (local.set 1 (i32x4.mul (local.get 0) (local.get 0)))
          (i32x4.sub (call $wait) (local.get 1))))`, [{ kind: 'func', value: host }]);
      const c = new Configuration();
      c.start(func(inst, 'run'), [v128([1, 2, 3, 4])]);
      expect(c.run()).to.equal('suspended');
      expect(c.resume([v128([100, 100, 100, 100])])).to.equal('done');
      expect(words(c.results()[0])).to.deep.equal([99, 96, 91, 84]);
    });

    it('cross between the engines: calls and a mutable v128 global', async function () {
      if (!hostFeatures().simd) this.skip();
      const provider = await instantiate(`(module
        (global (export "g") (mut v128) (v128.const i32x4 1 2 3 4))
        (func (export "neg") (param v128) (result v128) (i32x4.neg (local.get 0))))`, [], new NativeEngine());
      const inst = await instantiate(`(module
        (import "p" "g" (global $g (mut v128)))
        (import "p" "neg" (func $neg (param v128) (result v128)))
        (func (export "run") (result v128)
          (global.set $g (call $neg (global.get $g)))
          (global.get $g)))`, [provider.exports.get('g')!, provider.exports.get('neg')!]);
      expect(words(func(inst, 'run').call([])[0])).to.deep.equal([-1, -2, -3, -4]);
      expect(words(func(inst, 'run').call([])[0])).to.deep.equal([1, 2, 3, 4]);
    });
  });

  describe('relaxed SIMD', () => {
    it('is decoded only with the relaxedSimd feature', async () => {
      const bytes = await parse(`(module (func (param v128) (result v128) (i8x16.relaxed_swizzle (local.get 0) (local.get 0))))`);
      expect(() => decodeModule(bytes, WASM_2_0)).to.throw(/illegal opcode fd 100/);
      expect(() => decodeModule(bytes, WASM_3_0_SUPPORTED)).not.to.throw();
    });

    it('gives the results the README documents', async () => {
      const inst = await instantiate(`(module
        (func (export "madd") (param v128 v128 v128) (result v128) (f32x4.relaxed_madd (local.get 0) (local.get 1) (local.get 2)))
        (func (export "dot") (param v128 v128) (result v128) (i16x8.relaxed_dot_i8x16_i7x16_s (local.get 0) (local.get 1)))
        (func (export "trunc") (param v128) (result v128) (i32x4.relaxed_trunc_f32x4_u (local.get 0)))
        (func (export "swizzle") (param v128 v128) (result v128) (i8x16.relaxed_swizzle (local.get 0) (local.get 1))))`);
      const f32 = (...xs: number[]) => new Uint8Array(new Float32Array(xs).buffer);
      const i8 = (...xs: number[]) => new Uint8Array(new Int8Array(xs).buffer);
      const max = 3.4028234663852886e38;
      // unfused: FLT_MAX × 2 rounds to infinity before the addition (fused would give FLT_MAX)
      const madd = new Float32Array((func(inst, 'madd').call([f32(max, 1, 1, 1), f32(2, 2, 2, 2), f32(-max, 0, 0, 0)])[0] as Uint8Array).slice().buffer);
      expect([...madd]).to.deep.equal([Infinity, 2, 2, 2]);
      // both operands signed, the pair's sum wrapped: (-128 × -128) × 2 = 32768 → -32768
      const dot = new Int16Array((func(inst, 'dot').call([i8(-128, -128, ...Array(14).fill(0)), i8(-128, -128, ...Array(14).fill(0))])[0] as Uint8Array).slice().buffer);
      expect(dot[0]).to.equal(-32768);
      // as trunc_sat: NaN to 0, negative to 0, too large to the maximum
      expect(words(func(inst, 'trunc').call([f32(NaN, -5, 1e10, 7.9)])[0])).to.deep.equal([0, 0, -1, 7]);
      // as swizzle: an index of 16 or more gives 0
      const sw = func(inst, 'swizzle').call([i8(...Array.from({ length: 16 }, (_, i) => i + 1)), i8(0, 15, 16, -1, 200, ...Array(11).fill(1))])[0] as Uint8Array;
      expect([...sw.slice(0, 6)]).to.deep.equal([1, 16, 0, 0, 0, 2]);
    });
  });
});
