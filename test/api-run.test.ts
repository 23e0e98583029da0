// `cmr run` (src/cli/run.ts): listing exports, invoking with arguments and
// results in .wast value syntax, imports from a JS module or from stubs,
// tracing, and errors as one line with exit status 1.

import { expect } from 'chai';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runRun, type RunOptions } from '../src/cli/run.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixture = (name: string) => join(root, 'test', 'fixtures', name);

async function cmrRun(file: string, opts: RunOptions = {}): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await runRun(file, opts, { out: (t) => { stdout += t; }, err: (t) => { stderr += t; } });
  return { status, stdout, stderr };
}

describe('api: cmr run', function () {
  this.timeout(30_000);

  it('lists the exports and their types without --invoke', async () => {
    const r = await cmrRun(fixture('run-strings.wat'));
    expect(r.status).to.equal(0);
    expect(r.stdout).to.equal('ascii: func() -> string\nsnowman: func() -> string\nadd: func(a: u32, b: u32) -> u32\n');
  });

  for (const engine of ['interp', 'native'] as const) {
    it(`invokes an export of a component from the suite (values/strings.wast) on ${engine}`, async () => {
      expect(await cmrRun(fixture('run-strings.wat'), { engine, invoke: 'snowman()' })).to.deep.equal({ status: 0, stdout: '(str.const "☃")\n', stderr: '' });
      expect((await cmrRun(fixture('run-strings.wat'), { engine, invoke: 'ascii' })).stdout).to.equal('(str.const "ok")\n');
      expect((await cmrRun(fixture('run-strings.wat'), { engine, invoke: 'add((u32.const 2) (u32.const 40))' })).stdout).to.equal('(u32.const 42)\n');
    });

    it(`takes host functions from a JS module by import name on ${engine}`, async () => {
      const r = await cmrRun(fixture('host-import.wat'), { engine, invoke: 'compute((u32.const 3))', imports: fixture('host.js') });
      expect(r).to.deep.equal({ status: 0, stdout: '(u32.const 37)\n', stderr: '' });
    });
  }

  it('stubs every import with --import-stubs, and traces on stderr', async () => {
    const r = await cmrRun(fixture('host-import.wat'), { invoke: 'compute((u32.const 3))', importStubs: true, trace: true });
    expect(r.status).to.equal(0);
    expect(r.stdout).to.equal('(u32.const 1)\n');
    expect(r.stderr).to.match(/^trace: host calls /);
  });

  it('ends every error in one line and status 1', async () => {
    const cases: [string, RunOptions, RegExp][] = [
      [fixture('host-import.wat'), { invoke: 'compute((u32.const 3))' }, /^cmr: cannot instantiate: component imports func `double`, but a matching implementation was not found in the linker\n$/],
      [fixture('run-strings.wat'), { invoke: 'nope()' }, /^cmr: the component exports no function `nope` \(exports: ascii, snowman, add\)\n$/],
      [fixture('run-strings.wat'), { invoke: 'add((u32.const 1))' }, /^cmr: --invoke: the function takes 2 arguments, 1 given\n$/],
      [fixture('run-strings.wat'), { invoke: 'add((str.const "x") (u32.const 1))' }, /^cmr: --invoke: expected a value of type u32/],
      [fixture('no-such-file.wat'), {}, /^cmr: cannot read .*no-such-file\.wat: no such file\n$/],
      [fixture('host.js'), {}, /^cmr: .*host\.js:1:1: /],
      [fixture('run-strings.wat'), { engine: 'both' as never }, /^cmr: --engine must be interp or native/],
      [fixture('host-import.wat'), { invoke: 'compute((u32.const 3))', imports: fixture('no-such.js') }, /^cmr: --imports .*no-such\.js: /],
    ];
    for (const [file, opts, pattern] of cases) {
      const r = await cmrRun(file, opts);
      expect(r.status, JSON.stringify(opts)).to.equal(1);
      expect(r.stderr).to.match(pattern);
      expect(r.stderr.trim().split('\n')).to.have.length(1);
      expect(r.stderr).not.to.match(/at .*\.js:\d+/);
    }
  });

  it('reports a trap in one line', async () => {
    const r = await cmrRun(fixture('host-import.wat'), { invoke: 'compute((u32.const 3))', imports: fixture('host-trap.js') });
    expect(r.status).to.equal(1);
    expect(r.stderr).to.equal('cmr: trap: host function `double` failed: host said no\n');
  });
});
