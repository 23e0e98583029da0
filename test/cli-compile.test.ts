// `cmr compile` and the serialized form through `cmr run` / `cmr inspect`.

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { defaultOutput, runCompile } from '../src/cli/compile.js';
import { inspect } from './support/inspect.js';
import { SPAWN_LIMIT_MS, spawnsCeiling } from './support/spawn-limit.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
const fixture = join(root, 'test', 'fixtures', 'run-strings.wat');

function cmr(...args: string[]) {
  // A limit so that a command that hangs fails its test (spawn-limit.ts).
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: SPAWN_LIMIT_MS });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cmr compile', function () {
  // A ceiling for a hang, not a duration (spawn-limit.ts): a test here (or the hook) spawns cmr up to twice.
  this.timeout(spawnsCeiling(2));
  const dir = mkdtempSync(join(tmpdir(), 'cmr-compile-'));
  const out = join(dir, 'strings.cwasm');

  before(() => {
    const r = cmr('compile', fixture, '-o', out);
    expect(r.stderr).to.equal('');
    expect(r.status).to.equal(0);
  });

  it('writes the serialized form, which run --invoke uses on both engines', () => {
    expect(readFileSync(out).subarray(0, 8).toString('latin1')).to.equal('\0cmr-cmp');
    for (const engine of ['interp', 'native']) {
      const r = cmr('run', '--engine', engine, '--invoke', 'add(u32.const 40, u32.const 2)', out);
      expect(r.stderr).to.equal('');
      expect(r.stdout.trim()).to.equal('(u32.const 42)');
    }
  });

  it('inspect prints the same types from the serialized form as from the source', async () => {
    // One spawn shows the command's own answer; the other three forms are compared in this process (the same runInspect).
    const a = cmr('inspect', out);
    expect(a.stderr).to.equal('');
    expect(a.status).to.equal(0);
    const b = await inspect(fixture);
    expect(b.status).to.equal(0);
    expect(a.stdout).to.equal(b.out);
    const [aj, bj] = [await inspect(out, true), await inspect(fixture, true)];
    expect(aj.status).to.equal(0);
    expect(aj.out).to.equal(bj.out).and.contain('"add"');
  });

  it('refuses a damaged file in one line, on run and inspect', async () => {
    const bytes = readFileSync(out);
    const truncated = join(dir, 'truncated.cwasm');
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 10));
    const corrupted = join(dir, 'corrupted.cwasm');
    const c = Buffer.from(bytes);
    c[c.length - 5]! ^= 0xff;
    writeFileSync(corrupted, c);
    for (const [file, why] of [[truncated, /truncated: \d+ bytes of \d+/], [corrupted, /checksum \(sha256\) does not match/]] as const) {
      const r = cmr('run', file);
      expect(r.status).to.equal(1);
      expect(r.stderr).to.match(why).and.match(/refused serialized component/);
      expect(r.stderr.trim().split('\n')).to.have.length(1);
      // inspect in this process (the command's status is what runInspect returns).
      const i = await inspect(file);
      expect(i.status).to.equal(1);
      expect(i.err).to.match(why);
      expect(i.err.trim().split('\n')).to.have.length(1);
    }
  });

  it('reports an input it cannot compile in one line', () => {
    const bad = join(dir, 'bad.wat');
    writeFileSync(bad, '(component (core module (func (result i32))))');
    const r = cmr('compile', bad, '-o', join(dir, 'bad.cwasm'));
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(/^cmr compile: .*bad\.wat: invalid component/);
    expect(existsSync(join(dir, 'bad.cwasm'))).to.equal(false);
    expect(cmr('compile', join(dir, 'missing.wasm')).stderr).to.match(/^cmr compile: cannot read .*missing\.wasm: no such file\n$/);
  });

  it('draws its progress on stderr when that is a terminal (the functions prepared), and nothing otherwise', async () => {
    let drawn = '';
    const tty = Object.assign(new Writable({ write(chunk, _enc, done) { drawn += String(chunk); done(); } }), { isTTY: true, columns: 100 }) as unknown as NodeJS.WriteStream;
    const errors: string[] = [];
    const status = await runCompile(fixture, { output: join(dir, 'progress.cwasm') }, (t) => errors.push(t), tty);
    expect(status).to.equal(0);
    expect(errors).to.deep.equal([]);
    // run-strings.wat's one module has 3 functions.
    expect(drawn).to.contain('decoding and validating run-strings.wat');
    expect(drawn).to.contain('3/3 functions prepared');
    // Not a terminal (the spawned runs above, a pipe): not a byte.
    let piped = '';
    const pipe = new Writable({ write(chunk, _enc, done) { piped += String(chunk); done(); } }) as unknown as NodeJS.WriteStream;
    expect(await runCompile(fixture, { output: join(dir, 'quiet.cwasm') }, (t) => errors.push(t), pipe)).to.equal(0);
    expect(piped).to.equal('');
  });

  it('writes name.cwasm beside the input without -o', () => {
    expect(defaultOutput('/a/b/hello.component.wasm')).to.equal('/a/b/hello.component.cwasm');
    expect(defaultOutput('x.wat')).to.equal('x.cwasm');
  });
});
