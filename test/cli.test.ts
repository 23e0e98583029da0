import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SPAWN_LIMIT_MS, spawnsCeiling } from './support/spawn-limit.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
const fixture = (name: string) => join(root, 'test', 'fixtures', name);

function cmr(...args: string[]) {
  // A time limit, so that a command that hangs fails its test rather than the whole run.
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: SPAWN_LIMIT_MS, env: { ...process.env, CMR_SUITES: join(root, '..', 'shared', 'suites') } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cmr command line', function () {
  this.timeout(spawnsCeiling(12)); // a ceiling for a hang, not a duration (spawn-limit.ts): a test here spawns up to a dozen processes

  it('names a missing file in one line, without a stack trace', () => {
    const r = cmr('wast', 'no/such/file.wast');
    expect(r.status).to.equal(2);
    expect(r.stderr).to.equal('cmr: no such file or folder: no/such/file.wast\n');
  });

  it('reports unbalanced parentheses with file and line', () => {
    const r = cmr('wast', fixture('unbalanced.wast'), '--engine', 'interp');
    expect(r.status).to.equal(1);
    expect(r.stdout).to.match(/unbalanced\.wast:1:1: unbalanced parentheses/);
    expect(r.stdout).not.to.match(/at .*\.js:\d+/);
    expect(r.stdout.trim().split('\n').pop()).to.equal('0 passed, 1 failed, 0 skipped');
  });

  it('runs a script piped in as /dev/stdin (a file that is not a regular file is read, not listed as a folder)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmr-stdin-'));
    const script = join(dir, 's.wast');
    writeFileSync(script, '(module (func (export "f") (result i32) (i32.const 7)))\n(assert_return (invoke "f") (i32.const 7))\n');
    // Through a shell's pipe: Node's own child stdio is a socket, which /dev/stdin cannot open.
    const r = spawnSync('sh', ['-c', 'cat "$1" | "$2" "$3" wast /dev/stdin --engine interp', 'sh', script, process.execPath, cli], { encoding: 'utf8' });
    expect(r.stderr).to.equal('');
    expect(r.stdout).to.include('2 passed, 0 failed, 0 skipped');
    expect(r.status).to.equal(0);
  });

  it('says that a .wasm given to cmr wast is a binary, not a script, and an unterminated string where it starts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmr-cli-'));
    const wasm = join(dir, 'c.wasm');
    writeFileSync(wasm, Uint8Array.from([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 0xb2]));
    const r = cmr('wast', wasm, '--engine', 'interp');
    expect(r.status).to.equal(1);
    expect(r.stdout).to.include(`${wasm}:1:1: a WebAssembly binary, not a .wast script (cmr run, cmr inspect and cmr debug read binaries)`);
    const wast = join(dir, 'u.wast');
    writeFileSync(wast, '(module (func (export "f")))\n(assert_return (invoke "f" "abc');
    const u = cmr('wast', wast, '--engine', 'both');
    expect(u.status).to.equal(1);
    expect(u.stdout).to.include(`${wast}:2:28: unterminated string`);
    expect(u.stdout).not.to.match(/at .*\.js:\d+/);
  });

  it('counts passes and failures on both engines and writes the JSON report', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'cmr-cli-')), 'report.json');
    const r = cmr('wast', fixture('failing.wast'), '--engine', 'both', '--report', out);
    expect(r.status).to.equal(1);
    expect(r.stdout.trim().split('\n').pop()).to.equal('4 passed, 4 failed, 0 skipped');
    // A run that compares engines prints the table per suite and engine.
    expect(r.stdout).to.match(/\n\| \S+ \| interp \| 1 \| 2 \| 2 \| 0 \| 0 \|\n\| \S+ \| native \| 1 \| 2 \| 2 \| 0 \| 0 \|\n/);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report.totals).to.deep.include({ passed: 4, failed: 4, skipped: 0, mismatches: 0 });
    const lines = report.failures.map((f: { line: number; engine: string }) => `${f.line}:${f.engine}`).sort();
    expect(lines).to.deep.equal(['4:interp', '4:native', '5:interp', '5:native']);
    const f = report.failures.find((x: { line: number }) => x.line === 4);
    expect(f.expected).to.equal('(i32.const 2)');
    expect(f.got).to.equal('(i32.const 1)');
  });

  it('refuses an unknown engine', () => {
    const r = cmr('wast', fixture('failing.wast'), '--engine', 'v8');
    expect(r.status).to.not.equal(0);
    expect(r.stderr).to.match(/invalid/i);
  });

  it('runs an export with comma-separated or parenthesised arguments', () => {
    for (const call of ['add(u32.const 2, u32.const 3)', 'add((u32.const 2) (u32.const 3))']) {
      const r = cmr('run', '--invoke', call, fixture('run-strings.wat'));
      expect(r.stderr).to.equal('');
      expect(r.stdout.trim()).to.equal('(u32.const 5)');
    }
  });

  it('takes what follows the component as the guest\'s arguments, and says so for a component that is not a command', () => {
    const r = cmr('run', fixture('run-strings.wat'), '--invoke', 'add(u32.const 2, u32.const 3)');
    expect(r.status).to.equal(1);
    expect(r.stdout).to.equal('');
    expect(r.stderr).to.match(/^cmr: arguments after the component \(--invoke add\(u32\.const 2, u32\.const 3\)\) are the guest's, but it is not a WASI command .*--invoke among them, go before the component\n$/);
  });

  it('says an unquoted --invoke was cut at a space, rather than that its rest is a file it cannot read', () => {
    // the shell's split of: cmr run --invoke add(u32.const 2, u32.const 3) run-strings.wat
    const r = cmr('run', '--invoke', 'add(u32.const', '2,', 'u32.const', '3)', fixture('run-strings.wat'));
    expect(r.status).to.equal(1);
    expect(r.stderr).to.equal(`cmr: --invoke: "add(u32.const" has no closing parenthesis: quote the whole call, --invoke 'name(args…)' (a shell splits it at spaces)\n`);
  });

  it('waits a --timeout longer than a timer takes (2^31 - 1 ms) rather than stopping at once', () => {
    const r = cmr('run', '--timeout', '99999999999', '--invoke', 'greet(str.const "you")', join(root, 'examples', 'greet.wat'));
    expect(r.stderr).to.equal('');
    expect(r.stdout).to.equal('(str.const "hello, you")\n');
    expect(r.status).to.equal(0);
  });

  it('leaves a --timeout after the component to the guest', () => {
    const r = cmr('run', fixture('run-strings.wat'), '--timeout', '5');
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(/^cmr: arguments after the component \(--timeout 5\) are the guest's/);
  });

  it('lists --timeout in the help of every command, since every command takes it', () => {
    for (const command of ['wast', 'conformance', 'inspect', 'explain', 'compile', 'run', 'debug', 'fuzz']) {
      const help = cmr(command, '--help');
      expect(help.status, command).to.equal(0);
      expect(help.stdout, command).to.match(/--timeout <seconds> +stop the whole run after this many seconds/);
    }
  });

  it('--trace names a lifted function the name section leaves unnamed by its export name, not func0', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmr-trace-'));
    const file = join(dir, 'add.wat');
    // No `$name` on the lifted function: no name section entry for it.
    writeFileSync(file, `(component
  (core module $m (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
  (core instance $i (instantiate $m))
  (type (func (param "a" u32) (param "b" u32) (result u32)))
  (func (type 0) (canon lift (core func $i "add")))
  (instance (export "sum" (func 0)))
  (export "math" (instance 0)))`);
    const r = cmr('run', '--trace', '--invoke', 'math#sum(u32.const 1, u32.const 2)', file);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.equal('(u32.const 3)\n');
    expect(r.stderr).to.contain('trace: host calls component.sum\n').and.to.contain('trace: component.sum returns to host\n');
    expect(r.stderr).not.to.contain('func0');
  });

  it('says a file is not WebAssembly in the same words in every command', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmr-cli-'));
    const file = join(dir, 'junk.wasm');
    writeFileSync(file, Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]));
    for (const [command, prefix] of [['inspect', 'cmr inspect'], ['run', 'cmr'], ['explain', 'cmr'], ['compile', 'cmr compile'], ['debug', 'cmr']]) {
      const r = cmr(command!, file);
      expect(r.status, command).to.equal(1);
      expect(r.stderr, command).to.equal(`${prefix}: ${file} is not WebAssembly: no \\0asm magic header\n`);
    }
    // Not named .wasm: read as text when it can be, and said to be neither.
    const bin = join(dir, 'junk.bin');
    writeFileSync(bin, Buffer.from([0, 1, 2, 3, 0xff]));
    for (const [command, prefix] of [['inspect', 'cmr inspect'], ['run', 'cmr'], ['compile', 'cmr compile'], ['debug', 'cmr']]) {
      expect(cmr(command!, bin).stderr, command).to.equal(`${prefix}: ${bin} is not WebAssembly: no \\0asm magic header, and not text\n`);
    }
    // Text that is not WebAssembly text: malformed text, with its line and column, alike.
    const txt = join(dir, 'junk.txt');
    writeFileSync(txt, 'hello');
    for (const [command, prefix] of [['inspect', 'cmr inspect'], ['run', 'cmr'], ['compile', 'cmr compile']]) {
      expect(cmr(command!, txt).stderr, command).to.equal(`${prefix}: ${txt}:1:1: malformed text: expected \`(\`\n`);
    }
  });

  it('refuses /dev/zero after its first 64 KiB in every command, where inspect and debug read on forever', function () {
    if (process.platform === 'win32') this.skip(); // no /dev/zero
    for (const [command, prefix, text] of [['inspect', 'cmr inspect', true], ['run', 'cmr', true], ['explain', 'cmr', true], ['compile', 'cmr compile', true], ['debug', 'cmr', true]] as const) {
      const r = cmr(command, '/dev/zero');
      expect(r.status, command).to.equal(1);
      expect(r.stderr, command).to.equal(`${prefix}: /dev/zero is not WebAssembly: no \\0asm magic header${text ? ', and not text' : ''}\n`);
    }
    const jco = cmr('run', '--engine', 'jco', '/dev/zero');
    expect(jco.status).to.equal(1);
    expect(jco.stderr).to.equal('cmr: /dev/zero is not WebAssembly: no \\0asm magic header\n');
  });
});
