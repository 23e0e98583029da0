import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Expectations, globToRegExp } from '../src/wast/expectations.js';

describe('expected-failures list', () => {
  it('matches globs within and across folders', () => {
    expect(globToRegExp('core-3.0/*.wast').test('core-3.0/a.wast')).to.equal(true);
    expect(globToRegExp('core-3.0/*.wast').test('core-3.0/gc/a.wast')).to.equal(false);
    expect(globToRegExp('core-3.0/**').test('core-3.0/gc/a.wast')).to.equal(true);
  });

  it('names the entry behind an expected failure, by file, line and engine', () => {
    const x = new Expectations([{ file: 'a.wast', line: 3, engine: 'native', reason: 'r' }]);
    expect(x.observe('a.wast', 3, 'native', true)?.reason).to.equal('r');
    expect(x.observe('a.wast', 3, 'interp', true)).to.equal(null);
    expect(x.observe('a.wast', 4, 'native', true)).to.equal(null);
    expect(x.unexpectedPasses()).to.deep.equal([]);
  });

  it('reports an entry that no longer fails as an unexpected pass', () => {
    const e = { file: 'b.wast', reason: 'was broken' };
    const x = new Expectations([e, { file: 'never-run.wast', reason: 'other' }]);
    x.observe('b.wast', 1, 'interp', false);
    x.observe('b.wast', 2, 'interp', false);
    expect(x.unexpectedPasses()).to.deep.equal([e]);
  });

  it('sets aside an entry that holds only on a host lacking a feature, where the host has it', () => {
    const e = { file: 'm.wast', line: 5, engine: 'native' as const, hostLacks: 'multi-memory' as const, reason: 'host lacks it' };
    const lacking = new Expectations([e], () => false);
    expect(lacking.observe('m.wast', 5, 'native', true)?.reason).to.equal('host lacks it');
    const having = new Expectations([e], () => true);
    expect(having.entries).to.deep.equal([]);
    expect(having.observe('m.wast', 5, 'native', false)).to.equal(null);
    expect(having.unexpectedPasses()).to.deep.equal([]);
  });

  it('refuses a list with an entry without a reason, or that does not parse', async () => {
    /** The message `Expectations.read` rejects with. */
    const refusal = async (path: string): Promise<string> => {
      try {
        await Expectations.read(path);
      } catch (e) {
        return (e as Error).message;
      }
      return 'no refusal';
    };
    const dir = mkdtempSync(join(tmpdir(), 'cmr-xfail-'));
    const noReason = join(dir, 'a.json');
    writeFileSync(noReason, JSON.stringify({ entries: [{ file: 'x.wast', reason: ' ' }] }));
    expect(await refusal(noReason)).to.match(/entry 0 needs a "file" and a non-empty "reason"/);
    const broken = join(dir, 'b.json');
    writeFileSync(broken, '{ entries: ');
    expect(await refusal(broken)).to.match(/cannot read the expected-failures list/);
    const unknownFeature = join(dir, 'c.json');
    writeFileSync(unknownFeature, JSON.stringify({ entries: [{ file: 'x.wast', hostLacks: 'teleportation', reason: 'r' }] }));
    expect(await refusal(unknownFeature)).to.match(/"hostLacks" names no host feature/);
  });
});
