// The fuzzer checked against a bug planted on purpose: one engine's stores
// carry a variant of one canonical ABI rule (lift_flat of s8 zero-extends
// instead of sign-extending), through the per-store AbiVariant seam
// (src/component/canon/abi-variant.ts), and `cmr fuzz --components` must
// find it within a bounded number of cases and shrink it to a small
// reproducer that fails again with the bug and passes without it.

import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AbiVariant } from '../src/component/canon/abi-variant.js';
import { fuzzRun, type CaseResult } from '../src/fuzz/campaign.js';
import { replay, saveReproducer } from '../src/fuzz/reproducer.js';

const s8ZeroExtended: AbiVariant = {
  liftFlat: (t, v) => (t === 's8' && typeof v === 'number' && v < 0 ? v & 0xff : v),
};

describe('cmr fuzz --components finds a planted canonical ABI bug', function () {
  this.timeout(180_000);

  it('finds it within 150 cases, shrinks it to s8 alone, and the reproducer fails only with the bug', async () => {
    const plant = { engine: 'interp' as const, variant: s8ZeroExtended };
    let found: CaseResult | null = null;
    const totals = await fuzzRun({ mode: 'components', seed: 1, seconds: 0, count: 150, engines: ['interp', 'native'], shrinkMs: 30_000, plant }, {
      onCase(_s, r) { if (r.reproducer && !found) found = r; },
    });
    expect(found, `no disagreement in ${totals.cases} cases`).to.not.equal(null);
    const rep = found!.reproducer!;
    expect(rep.note).to.match(/^type s8, string encoding utf8;/);
    expect(rep.calls).to.have.length(1);
    expect(rep.calls[0]).to.match(/^\(invoke "echo" \(s8\.const -\d+\)\)$/);
    expect(rep.outcomes.find(([e]) => e === 'native')![1]).to.equal(`returned ${rep.calls[0]!.slice(15, -1)}; host import got ${rep.calls[0]!.slice(15, -1)}`);
    expect(rep.wat.split('\n').length).to.be.lessThan(40);
    // No other engine or store was touched: the same run without the plant is clean.
    const clean = await fuzzRun({ mode: 'components', seed: rep.seed, seconds: 0, count: 1, engines: ['interp', 'native'], shrinkMs: 0 });
    expect(clean.disagreements).to.equal(0);

    const dir = mkdtempSync(join(tmpdir(), 'cmr-planted-'));
    try {
      const path = saveReproducer(rep, dir);
      expect(readFileSync(path, 'utf8')).to.contain(`;; Reproduce: cmr fuzz --replay ${path} --engines interp,native`);
      expect((await replay(path, ['interp', 'native'], plant)).disagreement).to.match(/^\(invoke "echo" \(s8\.const -\d+\)\): expected/);
      expect((await replay(path, ['interp', 'native'])).disagreement).to.equal(null);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
