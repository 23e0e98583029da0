// `cmr run` (src/cli/run.ts): listing exports, invoking with arguments and
// results in .wast value syntax, imports from a JS module or from stubs,
// tracing, errors as one line with exit status 1, and WASI commands run as
// `wasmtime run` runs them.

import { expect } from 'chai';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
      [fixture('run-strings.wat'), { invoke: 'add((u32.const 1))' }, /^cmr: --invoke: add takes 2 arguments \(a: u32, b: u32\), 1 given\n$/],
      [fixture('run-strings.wat'), { invoke: 'add((str.const "x") (u32.const 1))' }, /^cmr: --invoke: argument 1 of add \(a: u32\), \(str\.const "x"\): expected a value of type u32 \(u32\.const\), found str\.const; a u32 is written like u32\.const 0\n$/],
      // WAVE's spelling names the argument, the type, how cmr writes it, and that cmr does not read WAVE.
      [fixture('run-strings.wat'), { invoke: 'add(u32.const 1, 2)' }, /^cmr: --invoke: argument 2 of add \(b: u32\), 2: expected a value of type u32 \(u32\.const\), found 2; a u32 is written like u32\.const 0 \(cmr reads the \.wast value syntax of README's "Command line", not WAVE\)\n$/],
      [join(root, 'examples', 'greet.wat'), { invoke: 'greet("x")' }, /^cmr: --invoke: argument 1 of greet \(name: string\), "x": expected a value of type string such as \(str\.const ""\) \(cmr reads the \.wast value syntax/],
      [join(root, 'examples', 'greet.wat'), { invoke: 'greet(())' }, /^cmr: --invoke: argument 1 of greet \(name: string\), \(\): expected a value of type string such as \(str\.const ""\)\n$/],
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
    expect(r.status).to.equal(134); // a trap, as wasmtime run's status for one
    expect(r.stderr).to.equal('cmr: trap: host function `double` failed: host said no\nwasm backtrace:\n  0: M!func[2]\n');
  });

  it('refuses an --env with an empty name in one line, on every engine, before running anything', async () => {
    const greet = join(root, 'examples', 'greet.wat');
    for (const engine of ['interp', 'native', 'jco'] as const) {
      expect(await cmrRun(greet, { engine, env: [''] })).to.deep.equal({ status: 1, stdout: '', stderr: "cmr: --env '': expected KEY=VALUE or KEY\n" });
      expect(await cmrRun(greet, { engine, env: ['A=1', '=x'] })).to.deep.equal({ status: 1, stdout: '', stderr: 'cmr: --env =x: expected KEY=VALUE or KEY\n' });
    }
    // KEY alone is the host's value (or nothing when the host has none): not an error.
    expect((await cmrRun(greet, { env: ['CMR_NO_SUCH_VARIABLE'], invoke: 'greet(str.const "x")' })).stdout).to.equal('(str.const "hello, x")\n');
  });

  it('lists an exported resource and the functions that take and give it by the name cmr inspect gives it', async () => {
    expect(await cmrRun(fixture('exported-resource.wat'))).to.deep.equal({
      status: 0,
      stdout: 'docs:c/counters#counter: resource\ndocs:c/counters#make: func() -> counter\ndocs:c/counters#take: func(c: counter)\n',
      stderr: '',
    });
  });

  it('--invoke prints a handle result once, by the resource name cmr inspect gives it', async () => {
    expect(await cmrRun(fixture('exported-resource.wat'), { invoke: 'docs:c/counters#make()' })).to.deep.equal({ status: 0, stdout: 'own<counter>(rep 1)\n', stderr: '' });
  });

  describe('WASI commands, as wasmtime run runs them (real components from ../shared/real-world)', function () {
    const corpus = process.env.CMR_REAL_WORLD ?? join(root, '..', 'shared', 'real-world');
    const p2 = (name: string) => join(corpus, 'wasmtime-p2', `${name}.component.wasm`);
    before(function () {
      if (!existsSync(corpus)) this.skip(); // the corpus lives outside the project; the gate's real-world run insists on it
    });

    for (const engine of ['interp', 'native'] as const) {
      it(`runs a command: its stdout and stderr, exit status 0 (${engine})`, async () => {
        const r = await cmrRun(p2('p2_cli_hello_stdout'), { engine });
        expect(r).to.deep.equal({ status: 0, stdout: 'hello, world\n', stderr: 'hello, world\n' });
      });

      it(`passes argv (argv[0]: the file name, or --argv0) and --env (${engine})`, async () => {
        expect((await cmrRun(p2('p2_cli_args'), { engine, args: ['hello', 'this', '', 'is an argument', 'with 🚩 emoji'] })).status).to.equal(0);
        // the program asserts argv[1..] exactly: other arguments make it panic, a trap
        expect((await cmrRun(p2('p2_cli_args'), { engine, args: ['hello'] })).status).to.equal(134);
        expect((await cmrRun(p2('p2_cli_argv0'), { engine, argv0: 'b', args: ['b'] })).status).to.equal(0);
        expect((await cmrRun(p2('p2_cli_argv0'), { engine, args: ['b'] })).status).to.equal(134);
        expect((await cmrRun(p2('p2_cli_env'), { engine, env: ['frabjous=day', 'callooh=callay'] })).status).to.equal(0);
      });

      it(`gives the guest's exit status, and 134 with "cmr: trap:" for a trap (${engine})`, async () => {
        expect((await cmrRun(p2('p2_cli_exit_failure'), { engine })).status).to.equal(1);
        expect((await cmrRun(p2('p2_cli_exit_success'), { engine })).status).to.equal(0);
        const panic = await cmrRun(p2('p2_cli_exit_panic'), { engine });
        expect(panic.status).to.equal(134);
        expect(panic.stderr).to.contain('Curiouser and curiouser!');
        expect(panic.stderr).to.match(/\ncmr: trap: unreachable\n/);
        if (engine === 'interp') {
          // the interpreter names the frames it unwound, innermost first, by the name section
          expect(panic.stderr).to.match(/\nwasm backtrace:\n  0: p2_cli_exit_panic-[0-9a-f]+\.wasm!abort\n(  \d+: .*\n)*  \d+: .*p2_cli_exit_panic4main.*\n/);
        }
      });

      it(`preopens --dir HOST::GUEST and feeds stdin (${engine})`, async () => {
        const dir = mkdtempSync(join(tmpdir(), 'cmr-run-'));
        try {
          cpSync(join(corpus, 'wasmtime-p2', 'fixtures'), dir, { recursive: true });
          expect((await cmrRun(p2('p2_cli_file_read'), { engine, dir: [`${dir}::/`] })).status).to.equal(0);
          const none = await cmrRun(p2('p2_cli_file_read'), { engine }); // no preopen: main returns an error
          expect(none.status).to.equal(1);
          expect(none.stderr).to.contain('failed to find a pre-opened file descriptor');
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
        const stdin = new TextEncoder().encode('So rested he by the Tumtum tree');
        expect((await cmrRunWith(p2('p2_cli_stdin'), { engine }, stdin)).status).to.equal(0);
      });
    }

    it('lists the functions of exported instances as iface#func, and --invoke calls them with WASI provided', async () => {
      const hello = join(corpus, 'jsco-wat', 'hello.wasm');
      expect((await cmrRun(hello, { invoke: 'wasi:cli/run@0.2.11#run()' }))).to.deep.equal({ status: 0, stdout: 'hello from jsco\n(result.ok)\n', stderr: '' });
      const echo = await cmrRun(join(corpus, 'jsco-wat', 'echo.wasm'));
      expect(echo.stdout).to.contain('jsco:test/echo-primitives@0.1.0#echo-u8: func(v: u8) -> u8\n');
      expect((await cmrRun(join(corpus, 'jsco-wat', 'echo.wasm'), { invoke: 'jsco:test/echo-primitives@0.1.0#echo-u8(u8.const 7)' })).stdout).to.equal('(u8.const 7)\n');
    });

    it('refuses malformed --env and --dir in one line', async () => {
      expect(await cmrRun(p2('p2_cli_env'), { env: ['=x'] })).to.deep.equal({ status: 1, stdout: '', stderr: 'cmr: --env =x: expected KEY=VALUE or KEY\n' });
      expect(await cmrRun(p2('p2_cli_env'), { dir: ['::/'] })).to.deep.equal({ status: 1, stdout: '', stderr: 'cmr: --dir ::/: expected HOST::GUEST or HOST\n' });
      // A host folder that is not there is named by the option, not by the API method behind it.
      expect(await cmrRun(p2('p2_cli_env'), { dir: ['/no/such/folder::/'] })).to.deep.equal({ status: 1, stdout: '', stderr: 'cmr: --dir /no/such/folder::/: host folder "/no/such/folder" does not exist\n' });
    });
  });
});

async function cmrRunWith(file: string, opts: RunOptions, stdin: Uint8Array): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await runRun(file, opts, { out: (t) => { stdout += t; }, err: (t) => { stderr += t; }, stdin });
  return { status, stdout, stderr };
}
