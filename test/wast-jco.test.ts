import { expect } from 'chai';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runFile } from '../src/wast/compare.js';
import { adaptersFor, parseEngineList } from '../src/wast/engines.js';
import { JCO_CORE_SKIP } from '../src/wast/jco-engine.js';
import { camel } from '../src/wast/jco-values.js';

const fixture = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test', 'fixtures', 'jco-engine.wast');

describe('jco as a third engine of the .wast harness', function () {
  this.timeout(60_000);

  it('reads --engine lists, both standing for interp,native', () => {
    expect(parseEngineList('both')).to.deep.equal(['interp', 'native']);
    expect(parseEngineList('jco,interp')).to.deep.equal(['interp', 'jco']);
    expect(parseEngineList('both,jco')).to.deep.equal(['interp', 'native', 'jco']);
    expect(() => parseEngineList('v8')).to.throw(/unknown engine "v8"/);
  });

  it('names kebab labels as jco does', () => {
    expect(camel('i-to-b')).to.equal('iToB');
    expect(camel('x-y')).to.equal('xY');
    expect(camel('enum-id')).to.equal('enumId');
  });

  it('runs components on jco, skips core modules, and reports where jco disagrees with the suite', async () => {
    const r = await runFile(fixture, 'jco-engine.wast', adaptersFor(['interp', 'native', 'jco']));
    const jco = r.outcomes.jco!;
    const at = (line: number) => jco.find((o) => o.line === line)!;
    // Core directives: not jco's.
    expect(at(2)).to.deep.include({ status: 'skip', reason: JCO_CORE_SKIP });
    expect(at(3)).to.deep.include({ status: 'skip', reason: JCO_CORE_SKIP });
    expect(at(5)).to.deep.include({ status: 'pass', got: 'instantiated' });
    expect(at(21)).to.deep.include({ status: 'pass', got: '(u32.const 5)' });
    expect(at(22)).to.deep.include({ status: 'pass', got: '(tuple.const (u8.const 7) (u8.const 9))' });
    expect(at(26).status).to.equal('pass');
    expect(at(26).got).to.match(/^trap \(jco: /);
    expect(at(28).status).to.equal('pass');
    expect(at(28).got).to.match(/^rejected by jco/);
    // The one disagreement: jco's bool lifting.
    expect(at(25).status).to.equal('fail');
    expect(r.mismatches).to.have.length(1);
    expect(r.mismatches[0]).to.deep.include({ line: 25, agreeWithSuite: ['interp', 'native'] });
    for (const e of ['interp', 'native'] as const) {
      expect(r.outcomes[e]!.filter((o) => o.status === 'fail')).to.deep.equal([]);
    }
  });
});
