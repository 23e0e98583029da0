// The harness cannot be fooled by careless scripts or careless command
// lines: a misspelled directive, an empty folder, invalid UTF-8, malformed
// constants, an unwritable report path and the expected-failures list are
// each a clear, early, honest verdict (issue 12).

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnsCeiling } from './support/spawn-limit.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');

function cmr(args: string[], opts: { cwd?: string; suites?: string } = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    cwd: opts.cwd ?? root,
    env: { ...process.env, CMR_SUITES: opts.suites ?? join(root, '..', 'shared', 'suites') },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'cmr-strict-'));
}

function script(dir: string, name: string, text: string | Uint8Array): string {
  const p = join(dir, name);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
  return p;
}

const ONE = '(module (func (export "one") (result i32) (i32.const 1)))\n';

describe('harness strictness', function () {
  this.timeout(spawnsCeiling(4)); // a ceiling for a hang, not a duration (spawn-limit.ts): a test here spawns cmr up to four times

  it('fails a misspelled directive, naming file and line', () => {
    const f = script(tmp(), 'typo.wast', `${ONE}(asert_return (invoke "one") (i32.const 2))\n`);
    const r = cmr(['wast', f, '--engine', 'interp']);
    expect(r.status).to.equal(1);
    expect(r.stdout).to.match(/typo\.wast:2 unknown \[interp\]/);
    expect(r.stdout).to.contain('unknown directive "asert_return"');
    expect(r.stdout.trim().split('\n').pop()).to.equal('1 passed, 1 failed, 0 skipped');
  });

  it('skips a known directive it does not run, with the reason', () => {
    const f = script(tmp(), 'thread.wast', `${ONE}(thread $t (invoke "one"))\n`);
    const r = cmr(['wast', f, '--engine', 'interp']);
    expect(r.status).to.equal(0);
    expect(r.stdout).to.contain('directive "thread" is not supported');
  });

  it('refuses a folder without .wast files (exit 2)', () => {
    const dir = tmp();
    script(dir, 'notes.txt', 'no scripts here');
    const r = cmr(['wast', dir]);
    expect(r.status).to.equal(2);
    expect(r.stderr).to.equal(`cmr: no .wast files in ${dir}\n`);
  });

  it('reports raw invalid UTF-8 as a malformed script at its line', () => {
    const bytes = Buffer.concat([Buffer.from(`${ONE};; caf`), Buffer.from([0xe9]), Buffer.from('\n')]);
    const f = script(tmp(), 'latin1.wast', bytes);
    const r = cmr(['wast', f, '--engine', 'interp']);
    expect(r.status).to.equal(1);
    expect(r.stdout).to.match(/latin1\.wast:2:7: malformed UTF-8 encoding \(byte 0xe9/);
  });

  it('reports a syntax error anywhere in one line naming file:line:col', () => {
    const f = script(tmp(), 'syntax.wast', `${ONE}(assert_return (invoke "one") (i32.const 1))\n(register "x" "\\q")\n`);
    const r = cmr(['wast', f, '--engine', 'interp']);
    expect(r.status).to.equal(1);
    const lines = r.stdout.split('\n').filter((l) => l.includes('syntax.wast:'));
    expect(lines.length).to.be.greaterThan(0);
    for (const l of lines) expect(l).to.match(/syntax\.wast:3:\d+: malformed escape/);
    expect(r.stdout).not.to.match(/at .*\.js:\d+/);
  });

  it('fails a malformed constant in invoke arguments clearly, not as an internal error', () => {
    const f = script(tmp(), 'const.wast', '(module (func (export "id") (param i32) (result i32) (local.get 0)))\n(assert_return (invoke "id" (i32.const 0xzz)) (i32.const 1))\n');
    const r = cmr(['wast', f, '--engine', 'both']);
    expect(r.status).to.equal(1);
    expect(r.stdout).to.contain('malformed constant in the arguments of "id" at 2:');
    expect(r.stdout).not.to.contain('internal error');
  });

  it('checks the --report path before running', () => {
    const f = script(tmp(), 'ok.wast', ONE);
    const r = cmr(['wast', f, '--report', join(tmp(), 'no', 'such', 'folder', 'r.json')]);
    expect(r.status).to.equal(2);
    expect(r.stderr).to.match(/^cmr: cannot write the report .*r\.json: no such folder/);
    expect(r.stdout).to.equal('');
  });

  it('resolves expected-failure paths against the suites root and names the list used', () => {
    const suites = tmp();
    const f = script(suites, 'mine/fails.wast', `${ONE}(assert_return (invoke "one") (i32.const 2))\n`);
    const list = script(tmp(), 'list.json', JSON.stringify({ entries: [{ file: 'mine/fails.wast', line: 2, reason: 'known' }] }));
    // Run from another folder, naming the script by an absolute path: the list still matches.
    const r = cmr(['wast', f, '--engine', 'interp', '--expected-failures', list], { cwd: tmp(), suites });
    expect(r.status).to.equal(0);
    expect(r.stdout).to.contain(`1 expected failures (${list})`);
    expect(r.stdout).not.to.contain('spec-tests/expected-failures.json');
    const out = JSON.parse(readFileSync(list, 'utf8'));
    expect(out.entries).to.have.length(1);
  });
});
