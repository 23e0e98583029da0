// The HTML conformance report (`--html`), loaded in a DOM (jsdom, its
// inline script run) and read back: the tables hold the JSON report's
// counts, every failure and skip is there with its directive's text, and
// the filters hide what they should.

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JSDOM, type DomNode, type DomWindow } from 'jsdom';
import { htmlReport } from '../src/report/html.js';
import { Tally, type Report } from '../src/wast/report.js';
import { Expectations } from '../src/wast/expectations.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
const fixture = join(root, 'test', 'fixtures', 'report.wast');

function load(html: string): DomWindow {
  return new JSDOM(html, { runScripts: 'dangerously' }).window;
}

const num = (el: DomNode | null | undefined) => Number(el?.textContent);

describe('cmr wast --html', function () {
  this.timeout(120_000);
  let report: Report;
  let window: DomWindow;
  let doc: DomWindow['document'];

  before(() => {
    const dir = mkdtempSync(join(tmpdir(), 'cmr-html-'));
    const json = join(dir, 'report.json');
    const html = join(dir, 'report.html');
    const r = spawnSync(process.execPath, [cli, 'wast', fixture, '--engine', 'both', '--report', json, '--html', html], { encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(1); // the fixture fails on purpose
    report = JSON.parse(readFileSync(json, 'utf8')) as Report;
    window = load(readFileSync(html, 'utf8'));
    doc = window.document;
  });

  it('is one page that fetches nothing', () => {
    expect(doc.querySelectorAll('link, script[src], img, iframe')).to.have.length(0);
    expect(doc.querySelector('h1')?.textContent).to.equal('cmr wast report');
    expect(doc.getElementById('summary-line')?.textContent).to.equal('6 passed, 5 failed, 3 skipped');
  });

  it('has the suite and file tables with the JSON report\'s counts', () => {
    const rows = [...doc.querySelectorAll('#suite-table tbody tr')];
    expect(rows.map((tr) => tr.getAttribute('data-engine'))).to.deep.equal(['interp', 'native']);
    for (const tr of rows) {
      const c = [...tr.querySelectorAll('td')];
      const suite = report.suites[c[0]!.textContent!]!;
      const counts = suite.engines[c[1]!.textContent as 'interp' | 'native']!;
      expect([num(c[2]), num(c[3]), num(c[4]), num(c[5]), num(c[6])]).to.deep.equal([suite.files, counts.passed, counts.failed, counts.skipped, suite.mismatches]);
      expect(tr.querySelector('.bar')?.getAttribute('aria-label')).to.equal(`${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
    }
    const files = [...doc.querySelectorAll('#file-table tbody tr')];
    expect(files).to.have.length(2);
    const interp = files.find((tr) => tr.getAttribute('data-engine') === 'interp')!.querySelectorAll('td');
    expect([num(interp[2]), num(interp[3]), num(interp[4])]).to.deep.equal([4, 3, 0]);
  });

  it('shows every failure with its directive, expected, got and reason, markup escaped', () => {
    const entries = [...doc.querySelectorAll('#failures article.entry')];
    expect(entries).to.have.length(report.failures.length);
    expect(report.failures).to.have.length(5);
    const trap = entries.find((e) => e.querySelector('.where')?.textContent?.endsWith(':8') && e.getAttribute('data-engine') === 'native')!;
    expect(trap.querySelector('pre.expected')?.textContent).to.equal('trap "</script><b>not markup</b>"');
    expect(trap.querySelector('b')).to.equal(null);
    expect(trap.querySelector('pre.got')?.textContent).to.equal('(i32.const 1)');
    expect(trap.querySelector('.reason')?.textContent).to.equal('not in the expected-failures list');
    expect(trap.querySelector('details.source pre')?.textContent).to.equal('(assert_trap (invoke "one") "</script><b>not markup</b>")');
  });

  it('groups the skips by reason, and builds every row of a group when it opens', () => {
    const groups = doc.querySelectorAll('details.skip-group');
    expect(groups).to.have.length(1);
    // The reason names exnref on every host (lacking it, or unable to pass its values through the JS API).
    expect(groups[0]!.querySelector('.reason')?.textContent).to.match(/exnref/);
    expect(num(groups[0]!.querySelector('.count'))).to.equal(report.skips.length);
    expect(groups[0]!.querySelectorAll('tbody tr')).to.have.length(0);
    (window.cmrReport as { openGroup(i: number): DomNode }).openGroup(0);
    const rows = [...groups[0]!.querySelectorAll('tbody tr')];
    expect(rows.map((tr) => tr.querySelector('td')!.textContent)).to.deep.equal(report.skips.map((s) => `${s.file}:${s.line}`));
    expect(rows[0]!.querySelector('details.source pre')?.textContent).to.match(/^\(module\n {2}\(func \(export "seven"\)/);
  });

  it('filters by engine and by outcome', () => {
    const box = (filter: string, value: string) => doc.querySelector(`input[data-filter="${filter}"][value="${value}"]`)!;
    const shown = (el: DomNode) => window.getComputedStyle(el).display !== 'none' && !el.hidden;
    const visibleEntries = () => [...doc.querySelectorAll('#failures article.entry')].filter(shown);
    expect(visibleEntries()).to.have.length(5);

    box('engine', 'native').checked = false;
    box('engine', 'native').dispatchEvent(new window.Event('change', { bubbles: true }));
    expect(visibleEntries().map((e) => e.getAttribute('data-engine'))).to.deep.equal(['interp', 'interp', 'interp']);
    // Every skip was the native engine's: the group has none left, and hides.
    const group = doc.querySelector('details.skip-group')!;
    expect(num(group.querySelector('.count'))).to.equal(0);
    expect(shown(group)).to.equal(false);
    expect([...doc.querySelectorAll('#file-table tbody tr')].filter(shown).map((tr) => tr.getAttribute('data-engine'))).to.deep.equal(['interp']);

    box('engine', 'native').checked = true;
    box('outcome', 'failure').checked = false;
    box('outcome', 'failure').dispatchEvent(new window.Event('change', { bubbles: true }));
    expect(visibleEntries()).to.have.length(0);
    expect(num(group.querySelector('.count'))).to.equal(3);
    expect(shown(group)).to.equal(true);
  });

  it('shows mismatches, expected failures and unreadable files from the same report data', () => {
    const tally = new Tally(['interp', 'native'], new Expectations([
      { file: 'x/c.wast', line: 5, reason: 'a known gap' },
      { file: 'x/d.wast', reason: 'fixed since' },
    ]));
    tally.add({
      file: 'x/c.wast',
      outcomes: { interp: [{ line: 5, kind: 'assert_invalid', status: 'fail', expected: 'invalid "type mismatch"', got: 'valid' }] },
      mismatches: [],
      sourceAt: (line) => (line === 5 ? '(assert_invalid (module) "type mismatch")' : undefined),
    });
    tally.add({ file: 'x/d.wast', outcomes: { interp: [{ line: 1, kind: 'module', status: 'pass' }] }, mismatches: [] });
    tally.add({
      file: 'x/a.wast',
      outcomes: {
        interp: [{ line: 3, kind: 'assert_trap', status: 'pass' }],
        native: [{ line: 3, kind: 'assert_trap', status: 'fail', expected: 'trap "oops"', got: '(i32.const 0)' }],
      },
      mismatches: [{ line: 3, kind: 'assert_trap', outcomes: { interp: 'pass', native: 'fail: (i32.const 0)' }, agreeWithSuite: ['interp'] }],
      sourceAt: (line) => (line === 3 ? '(assert_trap (invoke "f") "oops")' : undefined),
    });
    tally.add({ file: 'x/b.wast', outcomes: {}, mismatches: [], error: 'x/b.wast:1:1: unbalanced parentheses' });
    const rep = tally.finish();
    const d = load(htmlReport(rep, { title: 't' })).document;
    const mismatch = d.querySelector('article.entry[data-outcome="mismatch"]')!;
    expect(mismatch.getAttribute('data-engine')).to.equal('both');
    expect(mismatch.querySelector('pre.got')?.textContent).to.equal('interp: pass | native: fail: (i32.const 0)');
    expect(mismatch.querySelector('details.source pre')?.textContent).to.equal('(assert_trap (invoke "f") "oops")');
    const unreadable = [...d.querySelectorAll('article.entry')].find((e) => e.textContent!.includes('unbalanced parentheses'))!;
    expect(unreadable.querySelector('.reason')?.textContent).to.equal('the file cannot be read or parsed');
    expect(d.querySelector('#suite-table tbody tr td:nth-child(7)')?.textContent).to.equal('1');
    // The expected failure is in its reason's group, built when opened; the unexpected pass is shown.
    const w = load(htmlReport(rep, { title: 't' }));
    const group = w.document.querySelector('details.expected-group')!;
    expect(group.querySelector('.reason')?.textContent).to.equal('a known gap');
    (w.cmrReport as { openGroup(i: number): DomNode }).openGroup(Number(group.getAttribute('data-group')));
    const row = group.querySelector('tbody tr')!;
    expect(row.querySelector('td')?.textContent).to.equal('x/c.wast:5');
    expect(row.querySelector('pre.got')?.textContent).to.equal('got: valid');
    expect(row.querySelector('details.source pre')?.textContent).to.equal('(assert_invalid (module) "type mismatch")');
    const pass = w.document.querySelector('article.entry[data-outcome="unexpected-pass"]')!;
    expect(pass.querySelector('.reason')?.textContent).to.contain('fixed since');
  });
});
