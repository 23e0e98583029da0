// valid/operand-counts.ts counts the operands of the instructions the
// validator types by hand (the rest come from its signatures): each count
// must be what the validator's typing does, as the operand-stack heights it
// computes show. And exec/node-effects.ts, which fusion reads, must know
// every node whose effect fusion relied on before it read that table.

import { expect } from 'chai';
import { decodeModule } from '../src/core/binary/decode.js';
import { validateModule } from '../src/core/valid/validate.js';
import { funcCode, type Instr } from '../src/core/syntax/ast.js';
import { FD, Op } from '../src/core/syntax/opcodes.js';
import { SimdImm, simdOps } from '../src/core/syntax/opcodes-simd.js';
import { WASM_3_0_SUPPORTED } from '../src/core/syntax/feature-set.js';
import { signatures, laneType } from '../src/core/valid/signatures.js';
import { operandHeights } from '../src/core/valid/operand-types.js';
import { countedInstrs, popsOf, pushesOf } from '../src/core/valid/operand-counts.js';
import { nodeCount } from '../src/core/exec/node-effects.js';
import { P, PNode } from '../src/core/exec/node.js';
import { watToBinary } from '../src/text/wat.js';
import { I64, F32, F64 } from '../src/core/syntax/types.js';

const V = '(v128.const i64x2 0 0)';

/** A use of vector instruction `name` (one with immediates), its result dropped. */
function vectorUse(name: string, imm: number): string {
  const [shape] = name.split('.') as [string];
  const t = laneType(shape);
  const scalar = t === I64 ? '(i64.const 0)' : t === F32 ? '(f32.const 0)' : t === F64 ? '(f64.const 0)' : '(i32.const 0)';
  switch (imm) {
    case SimdImm.memarg: return name.includes('store') ? `(${name} (i32.const 0) ${V})` : `(drop (${name} (i32.const 0)))`;
    case SimdImm.memargLane: return name.includes('store') ? `(${name} 0 (i32.const 0) ${V})` : `(drop (${name} 0 (i32.const 0) ${V}))`;
    case SimdImm.lane: return name.endsWith('replace_lane') ? `(drop (${name} 0 ${V} ${scalar}))` : `(drop (${name} 0 ${V}))`;
    case SimdImm.shuffle: return `(drop (${name} ${Array(16).fill(0).join(' ')} ${V} ${V}))`;
    default: return `(drop ${V})`;
  }
}

/** Every instruction counted by hand (not by a signature), used once in straight-line code. */
async function handCounted(): Promise<Uint8Array> {
  const loads = ['i32.load', 'i64.load', 'f32.load', 'f64.load', 'i32.load8_s', 'i32.load8_u', 'i32.load16_s', 'i32.load16_u',
    'i64.load8_s', 'i64.load8_u', 'i64.load16_s', 'i64.load16_u', 'i64.load32_s', 'i64.load32_u'];
  const stores: [string, string][] = [['i32.store', 'i32'], ['i64.store', 'i64'], ['f32.store', 'f32'], ['f64.store', 'f64'],
    ['i32.store8', 'i32'], ['i32.store16', 'i32'], ['i64.store8', 'i64'], ['i64.store16', 'i64'], ['i64.store32', 'i64']];
  const vector = [...simdOps].filter(([, i]) => i.imm !== SimdImm.none).map(([, i]) => vectorUse(i.name, i.imm));
  return watToBinary(`(module
    (memory 1) (global $g (mut i32) (i32.const 0)) (elem declare func $f)
    (func $f (param $x i32) (local $r funcref)
      (drop (i32.const 1)) (drop (i64.const 1)) (drop (f32.const 1)) (drop (f64.const 1))
      (drop (local.get $x)) (local.set $x (local.tee $x (i32.const 2)))
      (global.set $g (global.get $g)) (drop (memory.size))
      (drop (select (i32.const 1) (i32.const 2) (local.get $x)))
      (drop (select (result i64) (i64.const 1) (i64.const 2) (local.get $x)))
      (drop (ref.is_null (ref.null func))) (drop (ref.as_non_null (ref.func $f)))
      ${loads.map((l) => `(drop (${l} (i32.const 0)))`).join(' ')}
      ${stores.map(([s, t]) => `(${s} (i32.const 0) (${t}.const 0))`).join(' ')}
      ${vector.join(' ')}))`);
}

describe('operand counts of instructions (valid/operand-counts.ts)', () => {
  it('each hand count is what the validator does: the height after less the height before is pushes less pops', async () => {
    const m = decodeModule(await handCounted(), WASM_3_0_SUPPORTED);
    validateModule(m, WASM_3_0_SUPPORTED);
    const code = funcCode(m.funcs[0]!);
    const heights = operandHeights(m, m.funcs[0]!, code);
    const seen = new Set<number>();
    const walk = (list: readonly Instr[]): void => {
      const h = heights.get(list)!;
      list.forEach((ins, i) => {
        const c = countedInstrs().get(ins.op);
        if (c === undefined) return;
        seen.add(ins.op);
        expect(h[i]!, `operands before ${ins.op.toString(16)}`).to.be.at.least(popsOf(c));
        expect(h[i + 1]! - h[i]!, `instruction ${ins.op.toString(16)}`).to.equal(pushesOf(c) - popsOf(c));
      });
    };
    walk(code.body);
    // Every instruction counted by hand was checked.
    const hand = [...countedInstrs().keys()].filter((op) => !signatures.has(op));
    expect(hand.filter((op) => !seen.has(op)).map((op) => op.toString(16))).to.deep.equal([]);
    expect(hand).to.include.members([Op.local_get, Op.local_tee, Op.i32_load, FD | 0]);
  });
});

describe('stack effects of nodes (exec/node-effects.ts)', () => {
  const node = (op: number, src: number): PNode => new PNode(op, { op: src } as unknown as Instr);
  const count = (op: number, src = op): [number, number] | null => {
    const c = nodeCount(node(op, src));
    return c < 0 ? null : [popsOf(c), pushesOf(c)];
  };

  it('counts each fused form as the instructions it stands for', () => {
    // The counts fuse.ts spelled out by hand before this table (session 13), and a few more.
    expect(count(P.bin_ll)).to.deep.equal([0, 1]);
    expect(count(P.bin_lk_tee)).to.deep.equal([0, 1]);
    expect(count(P.load_l_shl)).to.deep.equal([0, 1]);
    expect(count(P.load_lbase_idx)).to.deep.equal([0, 1]);
    expect(count(P.bin_sk)).to.deep.equal([1, 1]);
    expect(count(P.load_base_idx)).to.deep.equal([1, 1]);
    expect(count(P.load_s_tee)).to.deep.equal([1, 1]);
    expect(count(P.load_add_shl)).to.deep.equal([2, 1]);
    expect(count(P.f64_madd)).to.deep.equal([3, 1]);
    expect(count(P.f64_madd_lset)).to.deep.equal([2, 0]);
    expect(count(P.f64_madd_lbase_idx)).to.deep.equal([1, 0]);
    expect(count(P.store_ls)).to.deep.equal([1, 0]);
    expect(count(P.get3)).to.deep.equal([0, 3]);
    expect(count(P.vlane2_st)).to.deep.equal([0, 0]);
    expect(count(P.f32x4_mul_ld)).to.deep.equal([1, 1]);
  });

  it('counts a node that runs one instruction as that instruction, and knows no branch or call', () => {
    expect(count(Op.i64_extend_i32_u)).to.deep.equal([1, 1]);
    expect(count(Op.select)).to.deep.equal([3, 1]);
    expect(count(P.simd, FD | 0x0b)).to.deep.equal([2, 0]); // v128.store
    expect(count(P.mem_access, Op.i64_load)).to.deep.equal([1, 1]);
    for (const op of [Op.call, Op.br_if, Op.nop, P.jump, P.br_move, P.brif_ll, P.if_lk, P.call_lk, P.return_l, P.vlane_st]) {
      expect(count(op), `node ${op}`).to.equal(null);
    }
  });
});
