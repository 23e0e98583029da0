// The command line on inputs a newcomer hands it by mistake or on purpose:
// FIFOs, endless devices, malformed --invoke arguments, bad options, a
// debugger left waiting, an interrupt. Each ends in one clear line and a
// known status, never a stack trace or a hang.

import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ATTEMPTS_CEILING_MS, attemptKillMs, reachThenTimeOut } from './support/reach-then-time-out.js';
import { SPAWN_LIMIT_MS, spawnsCeiling } from './support/spawn-limit.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
const greet = join(root, 'examples', 'greet.wat');

function cmr(...args: string[]) {
  // A time limit, so that a command that hangs fails its test rather than the whole run.
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: SPAWN_LIMIT_MS });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs `script` under sh with cmr's node and main.js as $1 and $2 (a FIFO needs a shell's redirections). */
function sh(script: string, dir: string) {
  const r = spawnSync('sh', ['-c', script, 'sh', process.execPath, cli], { encoding: 'utf8', cwd: dir, timeout: SPAWN_LIMIT_MS });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const noStackTrace = (text: string): void => { expect(text).not.to.match(/\n\s+at .*\.js:\d+/); };

describe('cmr command line: robustness', function () {
  // A ceiling for a hang (spawn-limit.ts): a test here spawns cmr up to twelve times.
  this.timeout(spawnsCeiling(12));

  describe('files that can be read only once, or never to their end', () => {
    before(function () {
      if (process.platform === 'win32') this.skip(); // no mkfifo, no /dev/zero
    });

    it('cmr debug reads a component from a FIFO once (a second read waited for a writer that never came)', () => {
      const dir = mkdtempSync(join(tmpdir(), 'cmr-fifo-'));
      // `timeout` would leave the writer behind on a hang; the spawn's own limit fails the test instead.
      const r = sh(`mkfifo c.wat && (cat "${greet}" > c.wat &) && printf 'continue\\n' | "$1" "$2" debug c.wat --invoke 'greet(str.const "you")'`, dir);
      expect(r.stderr).to.equal('');
      expect(r.stdout).to.include('cmr debug: c.wat (component)');
      expect(r.stdout).to.include('result: (str.const "hello, you")\n');
      expect(r.status).to.equal(0);
      // A name that says neither .wat nor .wasm: judged by its bytes, as cmr run judges it (text).
      const s = sh(`mkfifo c.in && (cat "${greet}" > c.in &) && printf 'continue\\n' | "$1" "$2" debug c.in --invoke 'greet(str.const "you")'`, dir);
      expect(s.stderr).to.equal('');
      expect(s.stdout).to.include('result: (str.const "hello, you")\n');
    });

    it('cmr debug reads a .wast script from a FIFO once', () => {
      const dir = mkdtempSync(join(tmpdir(), 'cmr-fifo-'));
      writeFileSync(join(dir, 'script'), '(module (func (export "f") (result i32) (i32.const 7)))\n(assert_return (invoke "f") (i32.const 7))\n');
      const r = sh(`mkfifo s.wast && (cat script > s.wast &) && printf 'continue\\n' | "$1" "$2" debug s.wast`, dir);
      expect(r.stderr).to.equal('');
      expect(r.stdout).to.include('line 2: assert_return pass\n');
      expect(r.status).to.equal(0);
    });

    it('cmr wast refuses /dev/zero after its first 64 KiB, in every command\'s words, where it read on forever', () => {
      const r = cmr('wast', '/dev/zero', '--engine', 'interp');
      expect(r.stdout).to.include('/dev/zero is not WebAssembly: no \\0asm magic header, and not text\n');
      expect(r.stdout.trim().split('\n').pop()).to.equal('0 passed, 1 failed, 0 skipped');
      expect(r.status).to.equal(1);
      // A regular file of zeros named .wast alike, and a missing one in cmr run's words.
      const dir = mkdtempSync(join(tmpdir(), 'cmr-zero-'));
      writeFileSync(join(dir, 'z.wast'), new Uint8Array(200_000));
      const z = cmr('wast', join(dir, 'z.wast'), '--engine', 'interp');
      expect(z.stdout).to.include(`${join(dir, 'z.wast')} is not WebAssembly: no \\0asm magic header, and not text\n`);
      expect(z.status).to.equal(1);
    });

    it('cmr fuzz --replay and cmr wast --expected-failures refuse /dev/zero, which they read on forever', () => {
      const f = cmr('fuzz', '--replay', '/dev/zero');
      expect(f.stderr).to.equal('cmr: /dev/zero is not WebAssembly: no \\0asm magic header, and not text\n');
      expect(f.status).to.equal(2);
      const script = join(mkdtempSync(join(tmpdir(), 'cmr-zero-')), 'ok.wast');
      writeFileSync(script, '(module)\n');
      const w = cmr('wast', script, '--engine', 'interp', '--expected-failures', '/dev/zero');
      expect(w.stderr).to.match(/^cmr: cannot read the expected-failures list \/dev\/zero: .*JSON/);
      expect(w.status).to.equal(2);
    });

    it('reads a script longer than 64 KiB whose first comment holds control characters to its end (comments may hold any character)', () => {
      const dir = mkdtempSync(join(tmpdir(), 'cmr-comment-'));
      const file = join(dir, 'c.wast');
      writeFileSync(file, `(;\u0000\u0001\u0007;)\n;; ${'x'.repeat(70_000)}\n(module (func (export "f") (result i32) (i32.const 7)))\n(assert_return (invoke "f") (i32.const 7))\n`);
      const r = cmr('wast', file, '--engine', 'both');
      expect(r.stdout.trim().split('\n').pop()).to.equal('4 passed, 0 failed, 0 skipped');
      expect(r.status).to.equal(0);
    });
  });

    it('takes a .wat whose comment holds control characters as text in every command, and says where one outside a comment is', () => {
      const dir = mkdtempSync(join(tmpdir(), 'cmr-comment-'));
      const good = join(dir, 'c.wat'), bad = join(dir, 'd.wat');
      writeFileSync(good, '(component ;; \u0001\u0007 in a comment\n  (core module $m (func (export "f") (result i32) (i32.const 7)))\n  (core instance $i (instantiate $m))\n  (func (export "f") (result u32) (canon lift (core func $i "f"))))\n');
      writeFileSync(bad, '(component \u0001)\n');
      const run = cmr('run', '--invoke', 'f()', good);
      expect(run.stderr).to.equal('');
      expect(run.stdout).to.equal('(u32.const 7)\n');
      expect(cmr('inspect', good).status).to.equal(0);
      for (const command of ['run', 'inspect', 'compile']) {
        const r = cmr(command, bad);
        expect(r.status, command).to.equal(1);
        expect(r.stderr, command).to.match(new RegExp(`^cmr( inspect| compile)?: ${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:1:12: malformed text: `));
      }
    });

  describe('--invoke arguments', () => {
    it('names the argument whose string has a malformed \\u escape, and how one is written', () => {
      for (const call of ['greet(str.const "\\uZZ")', 'greet((str.const "\\uZZ"))']) {
        const r = cmr('run', '--invoke', call, greet);
        const arg = call.slice('greet('.length, -1);
        expect(r.stderr, call).to.equal(`cmr: --invoke: argument 1 of greet, ${arg}: malformed \\u escape \\uZZ: expected \\u{hex digits}, a code point such as \\u{48} or \\u{1F600}\n`);
        expect(r.status).to.equal(1);
      }
    });

    it('refuses \\u{_} (an underscore goes between hex digits) in one line, where it threw "Invalid code point NaN"', () => {
      const r = cmr('run', '--invoke', 'greet(str.const "\\u{_}")', greet);
      expect(r.stderr).to.match(/^cmr: --invoke: argument 1 of greet, str\.const "\\u\{_\}": malformed \\u escape/);
      expect(r.status).to.equal(1);
    });

    it('names the second argument when it is the one that does not read', () => {
      const r = cmr('run', '--invoke', 'greet((str.const "a)b") (str.const "x)', greet);
      expect(r.stderr).to.equal('cmr: --invoke: argument 2 of greet, (str.const "x: unterminated string\n');
      expect(r.status).to.equal(1);
      noStackTrace(r.stderr);
    });

    it('reads arguments with a block comment holding a parenthesis, which splitting by parentheses would cut', () => {
      const r = cmr('run', '--invoke', 'greet((; ) ;) (str.const "you"))', greet);
      expect(r.stderr).to.equal('');
      expect(r.stdout).to.equal('(str.const "hello, you")\n');
      expect(r.status).to.equal(0);
    });
  });

  it('quotes a 100 000-character argument that does not read by its start and length, not whole', () => {
    const r = cmr('run', '--invoke', `greet(${'('.repeat(100_000)})`, greet);
    expect(r.stderr).to.equal(`cmr: --invoke: argument 1 of greet, ${'('.repeat(60)}… (100000 characters): unbalanced parentheses: "(" is never closed\n`);
    expect(r.status).to.equal(1);
  });

  it('cmr debug names an empty .wat as malformed text, as the other commands do', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cmr-empty-')), 'e.wat');
    writeFileSync(file, '');
    const r = cmr('debug', file);
    expect(r.stderr).to.equal(`cmr: ${file}: malformed text: the file holds no module or component\n`);
    expect(r.status).to.equal(1);
  });

  it('gives every usage error status 2 on every command: a bad --timeout as an unknown option, which had 1 (README "Command line")', () => {
    for (const command of ['wast', 'conformance', 'inspect', 'explain', 'compile', 'run', 'debug', 'fuzz']) {
      const t = cmr(command, '--timeout', 'abc', greet);
      expect(t.stderr, command).to.equal('cmr: --timeout: expected a positive number of seconds, got "abc"\n');
      expect(t.status, command).to.equal(2);
    }
    // commander's own usage errors, in the main thread and under --timeout (in a Worker).
    for (const args of [['inspect', '--no-such-option', greet], ['run', '--timeout', '60', '--no-such-option', greet]]) {
      const u = cmr(...args);
      expect(u.stderr, args.join(' ')).to.match(/^error: unknown option '--no-such-option'/);
      expect(u.status, args.join(' ')).to.equal(2);
    }
    // A command line that is right: help is not an error.
    expect(cmr('inspect', '--help').status).to.equal(0);
    expect(cmr('--version').status).to.equal(0);
  });

  it('cmr debug --timeout ends a session that waits for a typed command (stdin open, nothing written)', async function () {
    this.timeout(ATTEMPTS_CEILING_MS);
    const attempt = async (seconds: number) => {
      const child = spawn(process.execPath, [cli, 'debug', join(root, 'examples', 'fib.wat'), '--invoke', 'fib(i32.const 3)', '--timeout', String(seconds)], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
      const start = Date.now();
      const status = await new Promise<number | null>((resolve) => {
        const kill = setTimeout(() => child.kill('SIGKILL'), attemptKillMs(seconds));
        // 'close', not 'exit': the output is read to its end (on a loaded machine 'exit' can come first).
        child.on('close', (code) => { clearTimeout(kill); resolve(code); });
      });
      child.stdin.end();
      // The limit ended it (SIGKILL would give null), not sooner than it says.
      expect(status, stderr).to.equal(124);
      expect(stderr).to.equal(`cmr: timed out after ${seconds} s (--timeout)\n`);
      expect(Date.now() - start).to.be.at.least(seconds * 1000);
      return stdout;
    };
    // It was waiting at the prompt when the limit came (a run the load kept from getting there is tried again with a longer limit).
    const { result: stdout } = await reachThenTimeOut(attempt, (out) => /\(cmr\) $/.test(out));
    expect(stdout, stdout).to.match(/\(cmr\) $/);
  });

  it('Ctrl-C under --timeout ends the run at once with a line and status 130; without, SIGINT ends it at once', async function () {
    if (process.platform === 'win32') this.skip(); // no SIGINT to send
    const file = join(mkdtempSync(join(tmpdir(), 'cmr-sigint-')), 'spin.wat');
    writeFileSync(file, `(component
  (core module $m (func (export "spin") (loop $l (br $l))))
  (core instance $i (instantiate $m))
  (func (export "spin") (canon lift (core func $i "spin"))))`);
    for (const timeout of [['--timeout', '600'], []]) {
      // --trace=core's first line says the loop runs: the interrupt is sent then.
      const child = spawn(process.execPath, [cli, 'run', ...timeout, '--trace=core', '--trace-limit', '1', '--invoke', 'spin()', file], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      let sent = 0;
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (sent === 0 && stderr.includes('core: ')) {
          sent = Date.now();
          child.kill('SIGINT');
        }
      });
      const kill = setTimeout(() => child.kill('SIGKILL'), SPAWN_LIMIT_MS);
      // 'close', not 'exit': stderr is read to its end (on a loaded machine 'exit' can come first).
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
      clearTimeout(kill);
      expect(sent, stderr).to.be.greaterThan(0);
      expect(Date.now() - sent).to.be.lessThan(20_000);
      if (timeout.length > 0) {
        expect(stderr.endsWith('\ncmr: interrupted (SIGINT)\n'), stderr).to.equal(true);
        expect(code).to.equal(130);
      } else {
        // The interpreter's loop holds the main thread: no line, the signal's own end.
        expect(signal).to.equal('SIGINT');
      }
    }
  });
});
