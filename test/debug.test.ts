// cmr debug and --trace=core, driven as a user would: scripted sessions on
// stdin, transcripts checked line by line.

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { watToBinary } from '../src/text/wat.js';
import { decodeModule } from '../src/core/binary/decode.js';
import { prepareCode, prepareModule } from '../src/core/exec/prepare.js';
import { P, type PNode } from '../src/core/exec/node.js';
import { siteOf } from '../src/core/exec/debug-step.js';
import { printInstr } from '../src/debug/print-instr.js';
import { takeTraceCore } from '../src/cli/trace-args.js';
import { DebugQuit, DebugSession, HELP } from '../src/debug/session.js';
import { ArrayLines } from '../src/debug/input.js';
import { ATTEMPTS_CEILING_MS, attemptKillMs, reachThenTimeOut } from './support/reach-then-time-out.js';
import { SPAWN_LIMIT_MS, spawnsCeiling } from './support/spawn-limit.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
const example = (name: string) => join(root, 'examples', name);

/** Runs cmr with `commands` on stdin (a pipe: the debugger reads a script and echoes it). */
function cmr(args: string[], commands = '') {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', input: commands, timeout: SPAWN_LIMIT_MS });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The transcript's lines from the one that starts with `from` on (each command's answer follows its echo). */
function after(out: string, command: string): string {
  const i = out.indexOf(`(cmr) ${command}\n`);
  expect(i, `the transcript has the command ${command}`).to.be.greaterThanOrEqual(0);
  return out.slice(i + `(cmr) ${command}\n`.length);
}

/** The answer to the `n`th occurrence (0-based) of `command`: up to the next prompt. */
function answer(out: string, command: string, n = 0): string {
  let rest = out;
  for (let k = 0; k <= n; k++) rest = after(rest, command);
  return rest.slice(0, rest.indexOf('(cmr) ') < 0 ? undefined : rest.indexOf('(cmr) '));
}

function noStackTrace(text: string): void {
  expect(text).not.to.match(/\n\s+at .*\.js:\d+/);
}

describe('cmr debug', function () {
  // A ceiling for a hang (spawn-limit.ts): a test here spawns cmr up to six times.
  this.timeout(spawnsCeiling(6));

  it('a recursive fib: a function breakpoint, stepping with source lines, locals, the value stack, the call stack, finish', () => {
    const r = cmr(['debug', example('fib.wat'), '--invoke', 'fib(i32.const 3)'], [
      'break $fib', 'continue', 'locals', 'step', 'step', 'stack', 'step', 'step',
      'continue', 'locals', 'bt', 'finish', 'locals', 'stack', 'delete', 'continue', '',
    ].join('\n'));
    noStackTrace(r.stdout);
    expect(r.status, r.stdout + r.stderr).to.equal(0);
    const out = r.stdout;
    expect(answer(out, 'break $fib')).to.equal('breakpoint 1: function fib\n');
    // The first call: n = 3, stopped before its first instruction, with its source line.
    expect(answer(out, 'continue')).to.equal([
      'breakpoint 1: function fib',
      '$fib @0x24: local.get $n',
      '    fib.wat:9  (if (result i32) (i32.lt_s (local.get $n) (i32.const 2))',
      '',
    ].join('\n'));
    expect(answer(out, 'locals')).to.equal('  param $n: i32 3\n  local $a: i32 0\n');
    expect(answer(out, 'step', 0)).to.match(/^\$fib @0x26: i32\.const 2\n {4}fib\.wat:9 /);
    expect(answer(out, 'step', 1)).to.match(/^\$fib @0x28: i32\.lt_s\n/);
    expect(answer(out, 'stack')).to.equal('value stack (2, top last):\n  [0] i32 3\n  [1] i32 2\n');
    expect(answer(out, 'step', 2)).to.match(/^\$fib @0x29: if \(result i32\)\n/);
    // n < 2 is false: the else arm, line 12.
    expect(answer(out, 'step', 3)).to.match(/^\$fib @0x2e: local\.get \$n\n {4}fib\.wat:12 {2}\(local\.set \$a \(call \$fib/);
    // The recursive call: n = 2, two frames, the caller at its call.
    expect(answer(out, 'continue', 1)).to.match(/^breakpoint 1: function fib\n\$fib @0x24: local\.get \$n\n/);
    expect(answer(out, 'locals', 1)).to.equal('  param $n: i32 2\n  local $a: i32 0\n');
    expect(answer(out, 'bt')).to.equal([
      '#0 $fib @0x24: local.get $n',
      '    fib.wat:9  (if (result i32) (i32.lt_s (local.get $n) (i32.const 2))',
      '#1 $fib @0x33: call $fib',
      '    fib.wat:12  (local.set $a (call $fib (i32.sub (local.get $n) (i32.const 1))))',
      '',
    ].join('\n'));
    // finish: back in the caller after the call, fib(2) = 1 on its stack (the breakpoint on
    // the calls fib(2) makes is not hit by finish: it stops at the first place shallower).
    expect(answer(out, 'finish')).to.match(/^(breakpoint 1: function fib\n)?/);
    expect(out).to.include('program finished');
    expect(out).to.include('result: (i32.const 2)');
  });

  it('next steps over a call; finish returns to the caller with the result on its stack', () => {
    const r = cmr(['debug', example('fib.wat'), '--invoke', 'fib(i32.const 4)'], [
      'break @0x33', 'continue', 'delete 1', 'next', 'stack', 'locals', 'break $fib', 'continue', 'delete', 'finish', 'stack', 'quit',
    ].join('\n'));
    const out = r.stdout;
    noStackTrace(out);
    expect(answer(out, 'break @0x33')).to.equal('breakpoint 1: instruction at offset 0x33\n');
    expect(answer(out, 'continue')).to.match(/^breakpoint 1: instruction at offset 0x33\n\$fib @0x33: call \$fib\n/);
    // Over fib(3): the next instruction of this frame, fib(3) = 2 on the stack.
    expect(answer(out, 'next')).to.match(/^\$fib @0x35: local\.set \$a\n/);
    expect(answer(out, 'stack')).to.equal('value stack (1, top last):\n  [0] i32 2\n');
    expect(answer(out, 'locals')).to.equal('  param $n: i32 4\n  local $a: i32 0\n');
    // Into fib(2) (the second call), and out again: fib(2) = 1 under fib(4)'s $a = 2... in the caller.
    expect(answer(out, 'continue', 1)).to.match(/^breakpoint 2: function fib\n/);
    expect(answer(out, 'finish')).to.match(/^\$fib @0x\w+: i32\.add\n/);
    expect(answer(out, 'stack', 1)).to.equal('value stack (2, top last):\n  [0] i32 2\n  [1] i32 1\n');
    expect(out).to.include('program stopped');
    expect(r.status).to.equal(0);
  });

  it('debugs a component serialized by cmr compile as the component it holds', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmr-debug-'));
    const compiled = join(dir, 'greet.cwasm');
    const c = spawnSync(process.execPath, [cli, 'compile', example('greet.wat'), '-o', compiled], { encoding: 'utf8' });
    expect(c.status, c.stderr).to.equal(0);
    const r = cmr(['debug', compiled, '--invoke', 'greet(str.const "you")'], ['break greet', 'continue', 'continue'].join('\n'));
    noStackTrace(r.stdout);
    expect(r.stderr).to.equal('');
    expect(answer(r.stdout, 'continue', 0)).to.match(/^breakpoint 1: function greet\nfunc\[1\] "greet" @0x[0-9a-f]+: /);
    expect(r.stdout).to.include('result: (str.const "hello, you")\nprogram finished\n');
    expect(r.status).to.equal(0);
  });

  it('a component call: the string argument lowered into memory step by step (realloc, the bytes written, the flat values)', () => {
    const r = cmr(['debug', example('greet.wat'), '--invoke', 'greet(str.const "you")'], [
      'step', 'step', 'task', 'locals', 'abi', 'break abi realloc', 'break abi store', 'break abi lower', 'continue',
      'continue', 'x 1024 3', 'continue', 'abi', 'step', 'locals', 'delete', 'next', 'continue',
    ].join('\n'));
    const out = r.stdout;
    noStackTrace(out);
    expect(r.status, out + r.stderr).to.equal(0);
    expect(answer(out, 'step', 0)).to.equal('abi: host calls component.greet\n');
    // Lowering the string starts with a call of the guest's realloc, which the debugger steps into.
    expect(answer(out, 'step', 1)).to.match(/^\$realloc @0x4e: global\.get 0\n {4}greet\.wat:18 /);
    expect(answer(out, 'task')).to.equal([
      'task of component: func(name: string) -> string',
      '  state STARTED, caller the host, borrows 0',
      '  options: string-encoding=utf8, memory yes, realloc $realloc, post-return none',
      '',
    ].join('\n'));
    expect(answer(out, 'locals')).to.equal([
      '  param $old: i32 0', '  param $old_size: i32 0', '  param $align: i32 1', '  param $size: i32 3', '  local $p: i32 0', '',
    ].join('\n'));
    expect(answer(out, 'abi')).to.equal([
      'canonical ABI steps of this call:',
      '  host calls component.greet',
      'now: lowering parameter 0 (name: string) into the callee, in core code entered at $realloc',
      '',
    ].join('\n'));
    expect(answer(out, 'continue', 0)).to.equal('breakpoint 1: canonical ABI step: realloc\nabi: realloc(old 0, old size 0, align 1, new size 3) returned 1024\n');
    expect(answer(out, 'continue', 1)).to.equal([
      'breakpoint 2: canonical ABI step: store',
      'abi: wrote "you" (from utf8, 3 code units) as 3 bytes of utf8 at 1024',
      '  0x00000400: 79 6f 75                                         |you|',
      '',
    ].join('\n'));
    expect(answer(out, 'x 1024 3')).to.equal('  0x00000400: 79 6f 75                                         |you|\n');
    expect(answer(out, 'continue', 2)).to.equal('breakpoint 3: canonical ABI step: lower\nabi: component: lower param 0: string "you" -> [1024, 3]\n');
    expect(answer(out, 'abi', 1)).to.include('now: the callee\'s core function runs with the lowered parameters');
    // Then the core function, with the flat values as its parameters.
    expect(answer(out, 'step', 2)).to.match(/^func\[1\] "greet" @0x\w+: i32\.const 0\n {4}greet\.wat:25 {2}\(local\.set \$out \(call \$realloc/);
    expect(answer(out, 'locals', 1)).to.equal('  param $ptr: i32 1024\n  param $len: i32 3\n  local $out: i32 0\n');
    // `next` from the core function's first instruction: its next instruction (over nothing).
    expect(answer(out, 'next')).to.match(/^func\[1\] "greet" @0x\w+: i32\.const 0\n/);
    expect(out).to.include('result: (str.const "hello, you")');
  });

  it('breaks at a trap with the operands on the stack and the frames that led there', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmr-debug-'));
    const file = join(dir, 'div.wat');
    writeFileSync(file, `(module
  (func $div (export "div") (param $a i32) (param $b i32) (result i32)
    (i32.div_s (local.get $a) (local.get $b)))
  (func (export "run") (result i32)
    (call $div (i32.const 7) (i32.const 0))))
`);
    const r = cmr(['debug', file, '--invoke', 'run'], ['break trap', 'continue', 'stack', 'bt', 'continue'].join('\n'));
    noStackTrace(r.stdout);
    expect(answer(r.stdout, 'continue')).to.equal('breakpoint 1: trap\ntrap: integer divide by zero\n$div @0x32: i32.div_s\n    div.wat:3  (i32.div_s (local.get $a) (local.get $b)))\n');
    expect(answer(r.stdout, 'stack')).to.equal('value stack (2, top last):\n  [0] i32 7\n  [1] i32 0\n');
    expect(answer(r.stdout, 'bt')).to.match(/^#0 \$div @0x32: i32\.div_s\n.*\n#1 func\[1\] "run" @0x3a: call \$div\n/);
    expect(r.stderr).to.equal('cmr: trap: integer divide by zero\n');
    expect(r.stdout).not.to.include('cmr: trap');
    expect(r.status).to.equal(134);
  });

  it('answers bad commands with one line on stderr, goes on, quits at the end of its input without hanging, and fails the script', () => {
    const r = cmr(['debug', example('fib.wat'), '--invoke', 'fib(i32.const 2)'], [
      'frobnicate', 'break', 'break @zz', 'break abi nothing', 'delete 9', 'x', 'x 0 99999', 'locals', 'info break', 'step 0', 'step',
    ].join('\n'));
    const out = r.stdout;
    noStackTrace(out + r.stderr);
    // The transcript keeps the commands; each failed one's answer is on stderr, in order.
    for (const c of ['frobnicate', 'break', 'break @zz', 'break abi nothing', 'delete 9', 'x', 'x 0 99999', 'locals', 'step 0']) expect(answer(out, c)).to.equal('');
    expect(r.stderr.split('\n')).to.deep.equal([
      'error: unknown command `frobnicate` (help lists the commands)',
      'error: break what? (break $func | break FUNC-INDEX | break @OFFSET | break abi KIND | break trap)',
      'error: break @OFFSET: `zz` is not a number (decimal or 0x…)',
      'error: break abi takes one of lift, lower, realloc, store, load, spill, handle, call, task, dtor, any; got `nothing`',
      'error: no breakpoint 9',
      'error: x ADDR [LEN]: an address, decimal or 0x…',
      'error: x ADDR [LEN]: LEN is a number of bytes, at most 4096',
      'error: no wasm frame here (the program is at a canonical ABI step of the host, or not running)',
      'error: expected a count, got `0`',
      'cmr: 9 debugger command(s) failed',
      '',
    ]);
    expect(answer(out, 'info break')).to.equal('no breakpoints\n');
    expect(out).to.include('(end of input: quitting)\nprogram stopped\n');
    expect(r.status).to.equal(1);
  });

  it('refuses a breakpoint on a function that does not exist, naming those that do', () => {
    const r = cmr(['debug', example('fib.wat'), '--invoke', 'fib(i32.const 2)'], ['break $nope', 'break fi', 'break 7', 'info functions', 'info break', 'continue'].join('\n'));
    noStackTrace(r.stdout + r.stderr);
    expect(r.stderr.split('\n')).to.deep.equal([
      'error: no function is named `nope`; named: $fib',
      'error: no function is named `fi`; similar: $fib',
      'error: no function 7: function indices go from 0 to 0',
      'cmr: 3 debugger command(s) failed',
      '',
    ]);
    expect(answer(r.stdout, 'info functions')).to.equal('$fib\n');
    expect(answer(r.stdout, 'info break')).to.equal('no breakpoints\n');
    expect(r.stdout).to.include('result: (i32.const 1)');
    expect(r.status).to.equal(1);
    // A component's functions are those of all its core modules.
    const c = cmr(['debug', example('greet.wat')], ['break $nope', 'info functions re', 'break greet'].join('\n'));
    expect(c.stderr).to.match(/^error: no function is named `nope`; named: \$greet, \$realloc\n/);
    expect(answer(c.stdout, 'info functions re')).to.equal('$greet\n$realloc\n');
    expect(answer(c.stdout, 'break greet')).to.equal('breakpoint 1: function greet\n');
  });

  it('runs a .wast script under the debugger, directive by directive', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmr-debug-'));
    const file = join(dir, 't.wast');
    writeFileSync(file, `(module (func (export "f") (param i32) (result i32) (local i32)
  (local.set 1 (i32.mul (local.get 0) (i32.const 3)))
  (local.get 1)))
(assert_return (invoke "f" (i32.const 4)) (i32.const 12))
`);
    const r = cmr(['debug', file], ['break f', 'continue', 'next 4', 'locals', 'continue'].join('\n'));
    noStackTrace(r.stdout);
    expect(answer(r.stdout, 'continue')).to.equal('line 1: module pass\nbreakpoint 1: function f\nfunc[0] "f" @0x22: local.get 0\n    t.wast:2  (local.set 1 (i32.mul (local.get 0) (i32.const 3)))\n');
    expect(answer(r.stdout, 'next 4')).to.match(/^func\[0\] "f" @0x29: local\.get 1\n {4}t\.wast:3 /);
    expect(answer(r.stdout, 'locals')).to.equal('  param 0: i32 4\n  local 1: i32 12\n');
    expect(r.stdout).to.include('line 4: assert_return pass');
    expect(r.status).to.equal(0);
  });

  it('ends a .wast script whose directives failed with status 1, as cmr wast does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmr-debug-'));
    const file = join(dir, 't.wast');
    writeFileSync(file, `(module (func (export "f") (result i32) (i32.const 1)))
(assert_return (invoke "f") (i32.const 2))
(assert_return (invoke "f") (i32.const 1))
`);
    const r = cmr(['debug', file], 'continue');
    noStackTrace(r.stdout);
    expect(r.stdout).to.include('line 2: assert_return fail');
    expect(r.stdout).to.include('line 3: assert_return pass');
    expect(r.stderr).to.equal('cmr: 1 directive(s) of the script failed\n');
    expect(r.status).to.equal(1);
  });

  it('names a file it cannot read in one line', () => {
    const r = cmr(['debug', join(root, 'no-such.wat')], '');
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(/^cmr: cannot read .*no-such\.wat: no such file\n$/);
    expect(r.stdout).to.equal('');
    const folder = cmr(['debug', root], '');
    expect(folder.status).to.equal(1);
    expect(folder.stderr).to.match(/^cmr: cannot read .*: it is a folder, not a file\n$/);
  });

  it('refuses malformed input before the first prompt, even when no command starts the program', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmr-debug-'));
    const component = join(dir, 'cut.wasm');
    writeFileSync(component, Uint8Array.from([0, 0x61, 0x73, 0x6d, 0x0d, 0, 0x01, 0, 0x01, 0x05]));
    const r = cmr(['debug', component], '');
    expect(r.status).to.equal(1);
    expect(r.stdout).not.to.include('(cmr)');
    expect(r.stderr).to.match(/^cmr: .*cut\.wasm: malformed component .*\n$/);
    const invalid = join(dir, 'invalid.wat');
    writeFileSync(invalid, '(module (func (result i32)))');
    const v = cmr(['debug', invalid], '');
    expect(v.status).to.equal(1);
    expect(v.stdout).not.to.include('(cmr)');
    // Named the way cmr run names a component that does not validate.
    expect(v.stderr).to.match(/^cmr: .*invalid\.wat: invalid module \(at byte \d+\): type mismatch: .*\n$/);
    noStackTrace(v.stdout + v.stderr);
    const cutModule = join(dir, 'cut-module.wasm');
    writeFileSync(cutModule, Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0x01]));
    const m = cmr(['debug', cutModule], '');
    expect(m.status).to.equal(1);
    expect(m.stderr).to.match(/^cmr: .*cut-module\.wasm: malformed module \(at byte \d+\): .*\n$/);
    const unbalanced = join(dir, 'unbalanced.wat');
    writeFileSync(unbalanced, '(module\n  (func');
    const u = cmr(['debug', unbalanced], '');
    expect(u.status).to.equal(1);
    expect(u.stderr).to.match(/^cmr: .*unbalanced\.wat:\d+:\d+: malformed text: .*\n$/);
    // The same for a binary module and a component that do not validate.
    const invalidBinary = join(dir, 'invalid.wasm');
    writeFileSync(invalidBinary, Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7f, 3, 2, 1, 0, 10, 4, 1, 2, 0, 0x0b]));
    const b = cmr(['debug', invalidBinary], '');
    expect(b.status).to.equal(1);
    expect(b.stderr).to.match(/^cmr: .*invalid\.wasm: invalid module \(at byte \d+\): type mismatch: .*\n$/);
    const invalidComponent = join(dir, 'invalid-component.wat');
    writeFileSync(invalidComponent, '(component (core module (func (result i32))))');
    const c = cmr(['debug', invalidComponent], '');
    expect(c.status).to.equal(1);
    expect(c.stderr).to.match(/^cmr: .*invalid-component\.wat: invalid component \(at byte \d+\): type mismatch: .*\n$/);
  });

  it('reports, when a script ends, each breakpoint that no module of the script could match', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmr-debug-'));
    const file = join(dir, 's.wast');
    writeFileSync(file, `(module (func $f (export "f") (param i32) (result i32) (local.get 0)))
(assert_return (invoke "f" (i32.const 4)) (i32.const 4))
(module (func (export "g")))
(invoke "g")
`);
    const r = cmr(['debug', file], ['break nope', 'break g', 'break 0', 'break 5', 'continue', 'continue', 'continue'].join('\n'));
    noStackTrace(r.stdout + r.stderr);
    // Names are not known when the breaks are set; `g` (an export name of the second module) and index 0 match.
    expect(answer(r.stdout, 'break nope')).to.equal('breakpoint 1: function nope\n');
    expect(r.stdout).to.include('breakpoint 2: function g\nfunc[0] "g"');
    expect(r.stdout).to.include('line 4: action pass\nprogram finished\n');
    expect(r.stderr.split('\n')).to.deep.equal([
      'error: breakpoint 1 (function nope) matched nothing by the end of the script: no function is named `nope`; named: $f, $g',
      'error: breakpoint 4 (function 5) matched nothing by the end of the script: no function 5: function indices go from 0 to 0',
      'cmr: 2 debugger command(s) failed',
      '',
    ]);
    expect(r.status).to.equal(1);
  });

  it('stops a program that loops forever at --timeout, keeping the transcript, and lists --timeout in its help', async function () {
    this.timeout(ATTEMPTS_CEILING_MS);
    const dir = mkdtempSync(join(tmpdir(), 'cmr-debug-'));
    const file = join(dir, 'spin.wat');
    writeFileSync(file, '(module (func $spin (export "spin") (loop $l (br $l))))\n');
    const attempt = (seconds: number) => {
      const r = spawnSync(process.execPath, [cli, 'debug', file, '--invoke', 'spin()', '--timeout', String(seconds)],
        { encoding: 'utf8', input: ['break $spin', 'continue', 'stack', 'continue', ''].join('\n'), timeout: attemptKillMs(seconds) });
      expect(r.status, r.stderr).to.equal(124);
      expect(r.stderr).to.equal(`cmr: timed out after ${seconds} s (--timeout)\n`);
      return r.stdout;
    };
    // The session must reach its second `continue` (the endless loop) before the limit; a run the load kept from getting there is tried again with a longer limit.
    const { result: stdout } = await reachThenTimeOut(attempt, (out) => out.includes('(cmr) stack\n') && out.endsWith('(cmr) continue\n'));
    // Written before the limit, so kept: the Worker's output does not wait for its event loop.
    expect(answer(stdout, 'stack')).to.equal('value stack: empty\n');
    expect(stdout.endsWith('(cmr) continue\n'), stdout).to.equal(true);
    const help = cmr(['debug', '--help']);
    expect(help.stdout).to.match(/--timeout <seconds> +stop the whole run after this many seconds/);
  });
});

describe('the debugger\'s commands', () => {
  /** Every name `help` gives a command by (`s`, `step`, `info break`, …): the leading words of each entry before its description. */
  const names = HELP.split('\n').slice(1).filter((l) => l.trim() !== '')
    .flatMap((l) => l.trim().split(/\s{2,}/)[0]!.split(', '))
    .map((entry) => entry.split(' ').filter((w, i, ws) => /^[a-z]+$/.test(w) && ws.slice(0, i).every((v) => /^[a-z]+$/.test(v))).join(' '));

  it('help names each command by every name it takes, and the session knows them all', () => {
    expect(names).to.include.members(['s', 'step', 'n', 'next', 'finish', 'fin', 'c', 'continue', 'b', 'break', 'break abi', 'break trap',
      'd', 'delete', 'breaks', 'info break', 'info functions', 'bt', 'where', 'backtrace', 'stack', 'locals', 'globals', 'tables',
      'x', 'l', 'list', 'abi', 'instance', 'task', 'handles', 'h', 'help', 'q', 'quit']);
    for (const name of names) {
      const errors: string[] = [];
      const session = new DebugSession({ input: new ArrayLines([name]), out: () => {}, err: (t) => errors.push(t), sources: null });
      try {
        session.start('');
      } catch (e) {
        if (!(e instanceof DebugQuit)) throw e;
      }
      expect(errors.join(''), name).not.to.include('unknown command');
    }
  });

  it('the README\'s debugger section names every command help names', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Debug'), readme.indexOf('`test/debug.test.ts` runs scripted sessions'));
    const missing = [...new Set(names)].filter((n) => !new RegExp(`\`${n.replace(/[$]/g, '\\$&')}[\` ]`).test(section));
    expect(missing, 'commands help lists that the README does not').to.deep.equal([]);
  });
});

describe('--trace=core', function () {
  this.timeout(120_000);

  it('cmr run prints each instruction, the stack top and the locals it changed, up to --trace-limit', () => {
    const r = cmr(['run', '--trace=core', '--trace-limit', '10', '--invoke', 'greet(str.const "you")', example('greet.wat')]);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.equal('(str.const "hello, you")\n');
    const lines = r.stderr.trim().split('\n');
    expect(lines.slice(0, 3)).to.deep.equal([
      'core: $realloc @0x4e global.get 0  -> i32 1024',
      'core: $realloc @0x50 local.get $align  -> i32 1',
      'core: $realloc @0x52 i32.const 1  -> i32 1',
    ]);
    expect(lines[9]).to.equal('core: $realloc @0x5c local.set $p  -> (empty)  $p = i32 1024');
    expect(lines[10]).to.equal('core: trace limit 10 reached; the program runs on untraced');
    expect(lines).to.have.length(11);
  });

  it('cmr wast --engine interp traces calls and returns; the native engine is refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmr-trace-'));
    const file = join(dir, 'calls.wast');
    writeFileSync(file, `(module
  (func $sq (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
  (func (export "f") (param i32) (result i32) (call $sq (local.get 0))))
(assert_return (invoke "f" (i32.const 5)) (i32.const 25))
`);
    const r = cmr(['wast', '--engine', 'interp', '--trace=core', file]);
    expect(r.status, r.stdout + r.stderr).to.equal(0);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('core:'))).to.deep.equal([
      'core: func[1] "f" @0x29 local.get 0  -> i32 5',
      'core: func[1] "f" @0x2b call $sq  -> enters $sq',
      'core:   $sq @0x21 local.get 0  -> i32 5',
      'core:   $sq @0x23 local.get 0  -> i32 5',
      'core:   $sq @0x25 i32.mul  -> i32 25',
      'core:   $sq end (return)  -> i32 25',
      'core: func[1] "f" end (return)',
    ]);
    const native = cmr(['wast', '--trace=core', file]);
    expect(native.status).to.equal(2);
    expect(native.stderr).to.equal('cmr: --trace=core needs --engine interp: natively run wasm cannot be traced instruction by instruction\n');
  });

  it('prints GC instructions by their text names with their immediates, and references by their hierarchy', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmr-trace-'));
    const file = join(dir, 'gc.wat');
    writeFileSync(file, `(module
  (type $p (struct (field i32) (field (mut i64))))
  (type $a (array (mut i8)))
  (func (export "f") (result i32) (local $x (ref null $p)) (local $y anyref)
    (local.set $x (struct.new $p (i32.const 7) (i64.const 8)))
    (struct.set $p 1 (local.get $x) (i64.const 9))
    (local.set $y (local.get $x))
    (drop (ref.test (ref $p) (local.get $y)))
    (drop (ref.cast (ref null $p) (local.get $y)))
    (drop (block $l (result anyref) (br_on_cast $l anyref (ref $p) (local.get $y))))
    (drop (array.len (array.new_fixed $a 2 (i32.const 1) (i32.const 2))))
    (drop (ref.eq (ref.i31 (i32.const 1)) (ref.null none)))
    (struct.get $p 0 (local.get $x))))
`);
    const r = cmr(['debug', file, '--invoke', 'f()', '--trace=core'], 'continue\n');
    expect(r.status, r.stdout + r.stderr).to.equal(0);
    const traced = (r.stdout + r.stderr).split('\n').filter((l) => l.startsWith('core:')).map((l) => l.replace(/^core: func\[0\] "f" @0x[0-9a-f]+ /, ''));
    expect(traced.join('\n')).not.to.include('<opcode');
    for (const line of [
      'struct.new 0  -> ref.struct',
      'local.set $x  -> (empty)  $x = ref.struct',
      'struct.set 0 1  -> (empty)',
      'ref.test (ref 0)  -> i32 1',
      'ref.cast (ref null 0)  -> ref.struct',
      'br_on_cast 0 anyref (ref 0)  -> ref.struct',
      'array.new_fixed 1 2  -> ref.array',
      'array.len  -> i32 2',
      'ref.null none  -> ref.null any',
      'ref.eq  -> i32 0',
      'struct.get 0 0  -> i32 7',
    ]) expect(traced).to.include(line);
  });

  it('is read as cmr\'s option only before the component: after it, the words are the guest\'s', () => {
    expect(takeTraceCore(['run', '--trace=core', 'app.wasm', '--trace=core'])).to.deep.equal(['run', '--trace-core', 'app.wasm', '--trace=core']);
    expect(takeTraceCore(['run', '--env', 'X=1', '--trace=abi,core', 'app.wasm'])).to.deep.equal(['run', '--env', 'X=1', '--trace', '--trace-core', 'app.wasm']);
    expect(takeTraceCore(['wast', 'a.wast', '--trace=core'])).to.deep.equal(['wast', 'a.wast', '--trace-core']);
    expect(() => takeTraceCore(['wast', '--trace=all'])).to.throw('--trace=all: expected core or abi');
  });
});

describe('preparation for debugging', () => {
  it('normal preparation makes no step node; debug preparation one before every instruction, unfused', async () => {
    const m = decodeModule(await watToBinary(`(module (func (param i32) (result i32) (local i32)
      (local.set 1 (i32.add (local.get 0) (i32.const 1)))
      (if (i32.lt_s (local.get 1) (i32.const 10)) (then (local.set 1 (i32.const 10))))
      (local.get 1)))`));
    // Into the bodies blocks and ifs own (a branch's `body` is where it goes: not a child).
    const owns = (n: PNode) => n.op === 0x02 || n.op === 0x04;
    const all = (body: PNode[]): PNode[] => body.flatMap((n) => [n, ...(owns(n) ? [...all(n.body ?? []), ...all(n.else_ ?? [])] : [])]);
    // Preparation is lazy (on a function's first call): prepare it here.
    const prepared = (debugging: boolean) => {
      const code = prepareModule(m, debugging).codes[0]!;
      prepareCode(code);
      return code.body;
    };
    const normal = all(prepared(false));
    expect(normal.some((n) => n.op === P.step)).to.equal(false);
    const debug = all(prepared(true));
    const steps = debug.filter((n) => n.op === P.step);
    // 11 instructions, and an `end` for each of the three bodies (function, then arm; the if has no else).
    expect(steps.map((n) => siteOf(n)!.index < siteOf(n)!.list.length ? printInstr(n.src, { module: m, func: 0 }) : 'end')).to.deep.equal([
      'local.get 0', 'i32.const 1', 'i32.add', 'local.set 1', 'local.get 1', 'i32.const 10', 'i32.lt_s', 'if',
      'i32.const 10', 'local.set 1', 'end', 'local.get 1', 'end',
    ]);
    // Every step node is followed by its instruction's own node (no fusion), or an exit node at an end.
    expect(debug.length).to.be.greaterThan(normal.length * 2);
  });
});

describe('the README\'s cmr debug example', function () {
  this.timeout(60_000);

  it('is what cmr prints', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const m = /^ {4}\$ printf '([^']*)' \| cmr debug (\S+) --invoke '([^']+)'\n((?: {4}.*\n)+)/m.exec(readme);
    expect(m, 'the README shows a cmr debug session').to.not.equal(null);
    const [, commands, file, call, transcript] = m!;
    const r = cmr(['debug', join(root, file!), '--invoke', call!], commands!.replace(/\\n/g, '\n'));
    const shown = transcript!.split('\n').map((l) => l.slice(4)).join('\n');
    expect(r.stdout).to.include(shown);
  });
});
