// The interpreter's i32 binary operations are written once, in
// scripts/gen-interp.ts's table; the loop's cases and i32-binary.ts are
// generated from it and checked in. This holds the checked-in files to what
// the script makes now, and the generated meanings to the instructions'.

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedFiles } from '../scripts/gen-interp.js';
import { projectRoot } from '../src/wast/suites.js';
import { bin32, commutes, COMPARE_OUTCOMES, COMPARE_UNSIGNED, fusibleBinary } from '../src/core/exec/i32-binary.js';
import { Op } from '../src/core/syntax/opcodes.js';

describe('interpreter: generated i32 operations (scripts/gen-interp.ts)', () => {
  it('the checked-in files are what the generator makes (npm run gen)', () => {
    for (const [path, text] of generatedFiles()) {
      expect(readFileSync(join(projectRoot(), path), 'utf8') === text, `${path} is stale: run npm run gen`).to.equal(true);
    }
  });

  it('bin32 and the comparisons\' encoding agree with the instructions on edge operands', () => {
    const values = [0, 1, -1, 2, 31, 32, 33, 0x7fffffff, -0x80000000, 0x12345678];
    const holds = (outcomes: number, x: number, y: number): boolean => ((outcomes >> (x < y ? 0 : x === y ? 1 : 2)) & 1) !== 0;
    const compares: [number, (x: number, y: number) => boolean][] = [
      [Op.i32_eq, (x, y) => x === y], [Op.i32_ne, (x, y) => x !== y],
      [Op.i32_lt_s, (x, y) => x < y], [Op.i32_lt_u, (x, y) => x >>> 0 < y >>> 0],
      [Op.i32_gt_s, (x, y) => x > y], [Op.i32_gt_u, (x, y) => x >>> 0 > y >>> 0],
      [Op.i32_le_s, (x, y) => x <= y], [Op.i32_le_u, (x, y) => x >>> 0 <= y >>> 0],
      [Op.i32_ge_s, (x, y) => x >= y], [Op.i32_ge_u, (x, y) => x >>> 0 >= y >>> 0],
    ];
    for (const [op, want] of compares) {
      const k = op - Op.i32_eq, bias = COMPARE_UNSIGNED[k] ? -0x80000000 : 0;
      for (const x of values) for (const y of values) {
        expect(bin32(op, x, y), `0x${op.toString(16)} ${x} ${y}`).to.equal(want(x, y) ? 1 : 0);
        expect(holds(COMPARE_OUTCOMES[k]!, x ^ bias, y ^ bias), `fused 0x${op.toString(16)} ${x} ${y}`).to.equal(want(x, y));
      }
    }
    for (const x of values) for (const y of values) {
      expect(bin32(Op.i32_add, x, y)).to.equal((x + y) | 0);
      expect(bin32(Op.i32_shr_u, x, y)).to.equal((x >>> (y & 31)) | 0);
      expect(bin32(Op.i32_rotl, x, y)).to.equal(((x << (y & 31)) | (x >>> ((32 - (y & 31)) & 31))) | 0);
    }
    for (let op = Op.i32_eq; op <= Op.i32_rotr; op++) {
      if (!fusibleBinary(op)) continue;
      const swaps = values.every((x) => values.every((y) => bin32(op, x, y) === bin32(op, y, x)));
      expect(commutes(op), `commutes(0x${op.toString(16)})`).to.equal(swaps);
    }
    expect(fusibleBinary(Op.i32_div_s)).to.equal(false);
    expect(fusibleBinary(Op.i32_rotr)).to.equal(true);
  });
});
