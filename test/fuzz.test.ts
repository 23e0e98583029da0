import { expect } from 'chai';
import { fuzzOne } from '../src/fuzz/differential.js';
import { generateModule, Rng } from '../src/fuzz/gen-module.js';

describe('cmr fuzz (differential, core modules)', function () {
  this.timeout(60_000);

  it('makes the same module from the same seed, and different ones from others', () => {
    expect(generateModule(new Rng(7)).wat).to.equal(generateModule(new Rng(7)).wat);
    expect(generateModule(new Rng(7)).wat).to.not.equal(generateModule(new Rng(8)).wat);
  });

  it('runs generated modules on both engines: valid, called, and in agreement', async () => {
    let calls = 0;
    for (let seed = 100; seed < 120; seed++) {
      const r = await fuzzOne(seed);
      expect(r.rejected, `module ${seed} refused`).to.equal(null);
      expect(r.disagreement, `module ${seed}`).to.equal(null);
      calls += r.calls;
    }
    expect(calls).to.be.greaterThan(20);
  });

  it('hides NaN bits from what is compared: reinterpretations, stores and copysign go through $denan', () => {
    const wats = Array.from({ length: 50 }, (_, i) => generateModule(new Rng(i)).wat).join('\n');
    expect(wats).to.match(/\(i32\.reinterpret_f32 \(call \$denan_f32 /);
    expect(wats).to.not.match(/reinterpret_f(32|64) \((?!call \$denan)/);
  });
});
