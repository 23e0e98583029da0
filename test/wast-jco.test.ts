import { expect } from 'chai';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pairOutcomes, runFile } from '../src/wast/compare.js';
import type { Directive } from '../src/wast/script.js';
import type { Outcome } from '../src/wast/directive-walker.js';
import { adaptersFor } from '../src/wast/engines.js';
import { parseEngineList } from '../src/wast/engine-names.js';
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

  it('pairs three engines: failures beside jco by verdict, interp and native by what happened', () => {
    const d = (line: number): Directive => ({ kind: 'action', action: { kind: 'invoke', instance: null, name: 'f', args: [], line }, line });
    const o = (line: number, status: Outcome['status'], got: string): Outcome => ({ line, kind: 'action', status, got });
    const directives = [d(1), d(2), d(3), d(4)];
    const m = pairOutcomes(directives, {
      interp: [o(1, 'fail', 'trap: x'), o(2, 'fail', 'trap: x'), o(3, 'pass', '(u32.const 1)'), o(4, 'pass', '(u32.const 1)')],
      native: [o(1, 'fail', 'trap: x'), o(2, 'fail', 'trap: y'), o(3, 'pass', '(u32.const 1)'), o(4, 'pass', '(u32.const 1)')],
      jco: [o(1, 'fail', 'trap: RuntimeError: x'), o(2, 'skip', ''), o(3, 'pass', '(u32.const 2)'), o(4, 'fail', 'trap: z')],
    });
    // 1: all failed alike (jco in its own words); 2: interp and native differ in words;
    // 3: jco's result differs; 4: jco alone failed.
    expect(m.map((x) => [x.line, x.agreeWithSuite])).to.deep.equal([[2, []], [3, ['interp', 'native', 'jco']], [4, ['interp', 'native']]]);
  });
});
