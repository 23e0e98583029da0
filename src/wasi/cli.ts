// wasi:cli (environment, exit, stdin, stdout, stderr, terminal-input,
// terminal-output, terminal-stdin, terminal-stdout, terminal-stderr), from
// the WasiCtx: nothing here reads the process's state except stdio the
// context inherits.

import { isatty } from 'node:tty';
import type { Linker } from '../api/linker.js';
import type { ComponentValue } from '../api/values.js';
import { WasiExit, type WasiCtx } from './ctx.js';
import { type CtxOf, WasiInterface } from './link.js';
import { own, wasiTypes } from './resources.js';

/** `some(terminal handle)` when the stream is the process's and a terminal (as wasmtime answers), else none. */
function terminal(ctx: WasiCtx, inherited: boolean, fd: number, kind: 'terminal-input' | 'terminal-output'): ComponentValue {
  return inherited && isatty(fd) ? { tag: 'some', val: own(ctx, { kind }) } : { tag: 'none' };
}

export function addCli<T>(linker: Linker<T>, ctxOf: CtxOf<T>): void {
  new WasiInterface(linker, ctxOf, 'wasi:cli/environment')
    .func('get-environment', (ctx) => ctx.env.map(([k, v]) => [k, v]))
    .func('get-arguments', (ctx) => [...ctx.args])
    .func('initial-cwd', (ctx) => (ctx.initialCwd === null ? { tag: 'none' } : { tag: 'some', val: ctx.initialCwd }));

  new WasiInterface(linker, ctxOf, 'wasi:cli/exit')
    .func('exit', (_ctx, status: { tag: 'ok' | 'err' }) => {
      throw new WasiExit(status.tag === 'ok' ? 0 : 1);
    })
    .func('exit-with-code', (_ctx, code: number) => {
      throw new WasiExit(code);
    });

  new WasiInterface(linker, ctxOf, 'wasi:cli/stdin')
    .resource('input-stream', wasiTypes.inputStream)
    .func('get-stdin', (ctx) => own(ctx, { kind: 'input-stream', stream: ctx.stdinSource }));
  new WasiInterface(linker, ctxOf, 'wasi:cli/stdout')
    .resource('output-stream', wasiTypes.outputStream)
    .func('get-stdout', (ctx) => own(ctx, { kind: 'output-stream', stream: ctx.stdoutSink }));
  new WasiInterface(linker, ctxOf, 'wasi:cli/stderr')
    .resource('output-stream', wasiTypes.outputStream)
    .func('get-stderr', (ctx) => own(ctx, { kind: 'output-stream', stream: ctx.stderrSink }));

  new WasiInterface(linker, ctxOf, 'wasi:cli/terminal-input').resource('terminal-input', wasiTypes.terminalInput);
  new WasiInterface(linker, ctxOf, 'wasi:cli/terminal-output').resource('terminal-output', wasiTypes.terminalOutput);
  new WasiInterface(linker, ctxOf, 'wasi:cli/terminal-stdin')
    .resource('terminal-input', wasiTypes.terminalInput)
    .func('get-terminal-stdin', (ctx) => terminal(ctx, ctx.stdin === 'inherit', 0, 'terminal-input'));
  new WasiInterface(linker, ctxOf, 'wasi:cli/terminal-stdout')
    .resource('terminal-output', wasiTypes.terminalOutput)
    .func('get-terminal-stdout', (ctx) => terminal(ctx, ctx.stdout === 'inherit', 1, 'terminal-output'));
  new WasiInterface(linker, ctxOf, 'wasi:cli/terminal-stderr')
    .resource('terminal-output', wasiTypes.terminalOutput)
    .func('get-terminal-stderr', (ctx) => terminal(ctx, ctx.stderr === 'inherit', 2, 'terminal-output'));
}
