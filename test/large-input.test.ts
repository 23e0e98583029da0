// Reading large input (issue 12): a 50 MB .wast of nested parentheses is
// refused at once, in memory far below 2.5 GB, never an aborted process.

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_DEPTH, readSExprs, WastSyntaxError } from '../src/wast/sexpr.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');

/** Runs cmr with the heap capped: exceeding it would abort the process, and the test would see that. */
function cmrCapped(heapMb: number, ...args: string[]) {
  const r = spawnSync(process.execPath, [`--max-old-space-size=${heapMb}`, cli, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

describe('reading large input', function () {
  this.timeout(300_000); // a ceiling for a hang: spawns of cmr reading tens of MB, each with its own 120 s limit

  it('refuses nesting deeper than MAX_DEPTH, naming line and column', () => {
    const n = MAX_DEPTH + 1;
    expect(() => readSExprs('('.repeat(n) + ')'.repeat(n))).to.throw(WastSyntaxError, `1:${MAX_DEPTH + 1}: nesting deeper than ${MAX_DEPTH} levels`);
  });

  it('skims module text: its fields are spans, not trees', () => {
    const [m] = readSExprs('(module $m (func (block (block (nop)))) (memory 1))');
    expect(m!.kind).to.equal('list');
    const items = (m as { items: { kind: string; items?: unknown[] }[] }).items;
    expect(items.map((x) => x.kind)).to.deep.equal(['atom', 'atom', 'list', 'list']);
    expect(items[2]!.items).to.deep.equal([]);
  });

  for (const [name, text] of [
    ['50 MB of nested parentheses', () => '('.repeat(25_000_000) + ')'.repeat(25_000_000)],
    ['a module of 50 MB of nested blocks', () => `(module (func ${'(block '.repeat(7_000_000)}${')'.repeat(7_000_000)}))`],
  ] as const) {
    it(`refuses ${name} within a 2.5 GB heap, as one line`, () => {
      const file = join(mkdtempSync(join(tmpdir(), 'cmr-large-')), 'deep.wast');
      writeFileSync(file, text());
      const r = cmrCapped(2500, 'wast', file);
      expect(r.signal).to.equal(null);
      expect(r.status).to.equal(1);
      expect(r.stdout).to.match(new RegExp(`deep\\.wast:1:\\d+: nesting deeper than ${MAX_DEPTH} levels`));
    });
  }
});
