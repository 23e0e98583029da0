// The interpreter's vector fast forms (node.ts's vget … vstore_l, the
// lane-wise f32x4/f64x2/i32x4 add/sub/mul in their three forms, stored
// (vlane_st) and two of them stored (vlane2_st);
// simd/prepare.ts, simd/fuse.ts) must give the results, traps and memory
// effects of the instructions they stand for. The native engine (V8) runs
// the same bytes and is the oracle; float lanes that are NaN there must be
// NaN here (the payload of an arithmetic NaN is the host's choice).

import { expect } from 'chai';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { prepareCode, prepareModule } from '../src/core/exec/prepare.js';
import { P, type PNode } from '../src/core/exec/node.js';
import { Trap } from '../src/core/errors.js';
import type { FuncInst } from '../src/core/runtime/func.js';
import type { Value } from '../src/core/runtime/values.js';
import { func } from './support/core.js';
import { both, type Pair } from './support/engine-pair.js';

/** Node opcodes of the prepared body of the function exported as `name` (no blocks in these). */
function nodeOps(p: Pair, name: string): number[] {
  const index = p.module.exports.find((e) => e.name === name && e.kind === 'func')!.index;
  const code = prepareModule(p.module).codes[index]!;
  prepareCode(code);
  return code.body.map((n: PNode) => n.op);
}

/** A call's outcome: its results (v128s as byte arrays), or the trap's message. */
function outcome(f: FuncInst, args: Value[]): unknown[] | string {
  try {
    return f.call(args).map((v) => (v instanceof Uint8Array ? [...v] : v));
  } catch (e) {
    if (e instanceof Trap) return `trap: ${e.message}`;
    throw e;
  }
}

/** `bytes` with every NaN lane of the float shape (f32 4 bytes, f64 8) replaced by a marker, so NaNs compare equal. */
function nanLanes(bytes: number[], lane: 4 | 8 | 0): (number | string)[] {
  if (lane === 0) return bytes;
  const b = new Uint8Array(bytes);
  const view = lane === 4 ? new Float32Array(b.buffer) : new Float64Array(b.buffer);
  const out: (number | string)[] = [];
  view.forEach((x, i) => out.push(...(Number.isNaN(x) ? ['NaN'] : [...b.subarray(i * lane, i * lane + lane)])));
  return out;
}

function agree(p: Pair, name: string, args: Value[], lane: 4 | 8 | 0): void {
  const norm = (o: unknown[] | string) => (typeof o === 'string' ? o : o.map((v) => (Array.isArray(v) ? nanLanes(v, lane) : v)));
  const want = norm(outcome(func(p.native, name), args));
  const got = norm(outcome(func(p.interp, name), args));
  // The call's description is written only for a disagreement: the property makes some 25 000 of these comparisons.
  if (!isDeepStrictEqual(got, want)) expect(got, `${name}(${args.map((a) => (a instanceof Uint8Array ? `[${[...a]}]` : String(a))).join(', ')})`).to.deep.equal(want);
}

const OPS = ['f32x4.add', 'f32x4.sub', 'f32x4.mul', 'f64x2.add', 'f64x2.sub', 'f64x2.mul', 'i32x4.add', 'i32x4.sub', 'i32x4.mul'];
const tag = (op: string) => op.replace('.', '_');
const laneOf = (op: string): 4 | 8 | 0 => (op.startsWith('f32') ? 4 : op.startsWith('f64') ? 8 : 0);

/**
 * For each operation: `ss_` (both operands computed), `ld_` (the right
 * operand loaded from a local address), `lld_` (a v128 local and a load),
 * `st_`, `stld_`, `stss_` (the lld, ld and ss forms with the result stored
 * at a local address, then read back: vlane_st). Every
 * function takes (x: v128, y: v128, p: i32, q: i32); memory 0 is one page.
 */
function formsOf(op: string): string {
  const t = tag(op), shape = op.slice(0, 5);
  const sx = '(v128.or (local.get 0) (v128.const i64x2 0 0))'; // x computed on the stack: no local.get right before OP
  const f = (form: string, body: string) => `(func (export "${form}_${t}") (param v128 v128 i32 i32) (result v128) ${body})`;
  return [
    f('ss', `(${op} ${sx} (v128.or (local.get 1) (v128.const i64x2 0 0)))`),
    f('ld', `(${op} ${sx} (v128.load offset=3 (local.get 2)))`),
    f('lld', `(${op} (local.get 0) (v128.load offset=16 (local.get 2)))`),
    f('st', `(v128.store offset=5 (local.get 3) (${op} (local.get 1) (v128.load (local.get 2)))) (v128.load offset=5 (local.get 3))`),
    f('stld', `(v128.store offset=5 (local.get 3) (${op} (v128.load offset=32 (local.get 3)) (v128.load (local.get 2)))) (v128.load offset=5 (local.get 3))`),
    f('stss', `(v128.store offset=5 (local.get 3) (${op} (local.get 0) (local.get 1))) (v128.load offset=5 (local.get 3))`),
    // a v128 local times a load, then OP with the vector where the result is stored (vlane2_st), and OP first then a subtraction
    f('st2', `(v128.store offset=5 (local.get 3) (${op} (${shape}.mul (local.get 0) (v128.load (local.get 2))) (v128.load offset=5 (local.get 3)))) (v128.load offset=5 (local.get 3))`),
    f('st2r', `(v128.store offset=5 (local.get 3) (${shape}.sub (${op} (local.get 0) (v128.load (local.get 2))) (v128.load offset=5 (local.get 3)))) (v128.load offset=5 (local.get 3))`),
  ].join('\n');
}

const MOVES = `
  (func (export "splat32") (param v128 v128 i32 i32) (result v128) (i32x4.splat (local.get 2)))
  (func (export "splatf32") (param v128 v128 i32 i32) (result v128) (f32x4.splat (f32.reinterpret_i32 (local.get 2))))
  (func (export "splat64") (param v128 v128 i32 i32) (result v128) (i64x2.splat (i64.extend_i32_s (local.get 2))))
  (func (export "splatf64") (param v128 v128 i32 i32) (result v128)
    (f64x2.splat (f64.reinterpret_i64 (i64.or (i64.shl (i64.extend_i32_u (local.get 2)) (i64.const 32)) (i64.extend_i32_u (local.get 3))))))
  (func (export "lanes32") (param v128 v128 i32 i32) (result v128)
    (i32x4.replace_lane 3 (f32x4.replace_lane 1 (local.get 0) (f32x4.extract_lane 2 (local.get 1))) (i32x4.extract_lane 0 (local.get 1))))
  (func (export "lanes64") (param v128 v128 i32 i32) (result v128)
    (i64x2.replace_lane 0 (f64x2.replace_lane 1 (local.get 0) (f64x2.extract_lane 0 (local.get 1))) (i64x2.extract_lane 1 (local.get 1))))
  (func (export "tee") (param v128 v128 i32 i32) (result v128) (local v128)
    (local.set 4 (local.tee 1 (local.get 0))) (i32x4.add (local.get 4) (local.get 1)))
  (func (export "copy") (param v128 v128 i32 i32) (result v128)
    ;; addresses computed (not a local.get right before): the unfused vload and vstore
    (v128.store offset=16 (i32.add (local.get 3) (i32.const 0)) (v128.load (i32.add (local.get 2) (i32.const 0))))
    (v128.load offset=16 (local.get 3)))
  (func (export "copyl") (param v128 v128 i32 i32) (result v128)
    (v128.store offset=16 (local.get 3) (v128.load (local.get 2)))
    (v128.load offset=16 (local.get 3)))
  (func (export "poke") (param v128 i32) (v128.store (local.get 1) (local.get 0)))
  (func (export "unstore") (param i32) (v128.store offset=5 (local.get 0) (v128.const i64x2 0 0)))`;

/** Raw lane bytes, with the float patterns that matter (NaNs, infinities, zeros, rounding cases) often. */
const f32Bits = fc.oneof(
  fc.integer({ min: -0x80000000, max: 0x7fffffff }),
  fc.constantFrom(0x7fc00000, 0x7fa00001, -0x400000, 0x7f800000, -0x800000, 0, -0x80000000, 0x3f800001, 0x4b800001, 0x00000001, 0x7f7fffff),
);
const v128 = fc.oneof(
  fc.uint8Array({ minLength: 16, maxLength: 16 }),
  fc.array(f32Bits, { minLength: 4, maxLength: 4 }).map((w) => new Uint8Array(new Int32Array(w).buffer)),
  fc.array(fc.constantFrom(0x7ff8000000000000n, 0x7ff0000000000001n, 0x7ff0000000000000n, 0x3ff0000000000001n, 0n, -0x8000000000000000n, 0x1n), { minLength: 2, maxLength: 2 })
    .map((w) => new Uint8Array(new BigInt64Array(w).buffer)),
);
/** Addresses across the page: in bounds, at the end, past it (traps), wrapped u32s. */
const addr = fc.oneof(fc.integer({ min: 0, max: 65536 }), fc.constantFrom(65519, 65520, 65521, 65527, 65531, 65535, 65536, -1, -16, 0x7fffffff));

describe('interpreter: vector fast forms', function () {
  // A ceiling for a hang, not a duration: the property's 300 runs of 81
  // functions on two engines take some 6 s on an idle machine, and ten
  // times as long under c8 on a loaded 2-core one.
  this.timeout(300_000);

  it('are used for the forms they stand for', async () => {
    const p = await both(`(module (memory 1) ${OPS.map(formsOf).join('\n')} ${MOVES})`);
    OPS.forEach((op, k) => {
      const t = tag(op);
      expect(nodeOps(p, `ss_${t}`), `ss_${t}`).to.include(P.f32x4_add + k);
      expect(nodeOps(p, `ld_${t}`), `ld_${t}`).to.include(P.f32x4_add_ld + k);
      expect(nodeOps(p, `lld_${t}`), `lld_${t}`).to.include(P.f32x4_add_lld + k);
      expect(nodeOps(p, `st_${t}`), `st_${t}`).to.include.members([P.vlane_st, P.vload_l]);
      expect(nodeOps(p, `stld_${t}`), `stld_${t}`).to.include.members([P.vlane_st, P.vload_l]);
      expect(nodeOps(p, `stss_${t}`), `stss_${t}`).to.include.members([P.vlane_st, P.vget]);
      expect(nodeOps(p, `st2_${t}`), `st2_${t}`).to.include(P.vlane2_st);
      expect(nodeOps(p, `st2r_${t}`), `st2r_${t}`).to.include(P.vlane2_st);
    });
    expect(nodeOps(p, 'splat32')).to.include(P.vsplat32);
    expect(nodeOps(p, 'splatf64')).to.include(P.vsplat64);
    expect(nodeOps(p, 'lanes32')).to.include.members([P.vextract32, P.vreplace32]);
    expect(nodeOps(p, 'lanes64')).to.include.members([P.vextract64, P.vreplace64]);
    expect(nodeOps(p, 'tee')).to.include.members([P.vtee, P.vset, P.vget]);
    expect(nodeOps(p, 'copy')).to.include.members([P.vload, P.vstore]);
    expect(nodeOps(p, 'copyl')).to.include.members([P.vload_l, P.vstore_l]);
  });

  it('agree with the native engine on every operation, form and address', async () => {
    const p = await both(`(module (memory 1) ${OPS.map(formsOf).join('\n')} ${MOVES})`);
    const names = [...OPS.flatMap((op) => ['ss', 'ld', 'lld', 'st', 'stld', 'stss', 'st2', 'st2r'].map((form) => [`${form}_${tag(op)}`, laneOf(op)] as const)),
      ...['splat32', 'splatf32', 'splat64', 'splatf64', 'lanes32', 'lanes64', 'tee', 'copy', 'copyl'].map((n) => [n, 0] as const)];
    const poke = func(p.interp, 'poke'), pokeNative = func(p.native, 'poke');
    const unstore = func(p.interp, 'unstore'), unstoreNative = func(p.native, 'unstore');
    fc.assert(fc.property(v128, v128, addr, addr, fc.array(fc.tuple(v128, fc.integer({ min: 0, max: 4094 })), { maxLength: 4 }), (x, y, a, b, data) => {
      // The same memory contents in both engines: random vectors stored at random places.
      for (const [v, at] of data) { poke.call([v, 16 * at]); pokeNative.call([v, 16 * at]); }
      for (const [name, lane] of names) {
        agree(p, name, [x, y, a, b], lane);
        // An arithmetic NaN's payload is the host's choice, so the bytes a
        // float st_ form stored may differ between the engines while both
        // are right; zero them in both, or a later load at another offset
        // would read the two choices as different numbers.
        if (/^st\w*_f/.test(name)) for (const f of [unstore, unstoreNative]) outcome(f, [b]);
      }
    }), { numRuns: 300 });
  });

  it('leave memory as the unfused instructions do when a store traps', async () => {
    const p = await both(`(module (memory 1) ${formsOf('f32x4.add')})`);
    const x = new Uint8Array(16).fill(7);
    for (const at of [65515, 65520, 65531, -5]) {
      for (const form of ['st', 'stld', 'stss', 'st2', 'st2r']) agree(p, `${form}_f32x4_add`, [x, x, 0, at], 4);
      agree(p, 'st_f32x4_add', [x, x, at, 0], 4); // the load traps before the store
      agree(p, 'st2_f32x4_add', [x, x, at, 0], 4);
      agree(p, 'ld_f32x4_add', [x, x, 65504, 0], 4); // reads the bytes the failed store might have written
    }
  });
});
