// `--timeout SECONDS`: the whole command runs in a Worker that the main
// thread terminates when the time is up. Terminating a Worker stops it even
// in the middle of a wasm loop on the native engine (V8 interrupts compiled
// wasm at its loop checks), and in the interpreter alike; nothing depends on
// the guest calling out.

import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';

/** The exit status of a command that ran out of time (as coreutils' timeout). */
export const TIMED_OUT_STATUS = 124;

/** The exit status of a run that Ctrl-C ended (128 + SIGINT's number, as a shell reports it). */
export const INTERRUPTED_STATUS = 130;

/** Reads `--timeout S` / `--timeout=S` out of `args`: the seconds (null when absent) and the other arguments. */
export function takeTimeout(args: string[]): { seconds: number | null; rest: string[] } {
  const rest: string[] = [];
  let seconds: number | null = null;
  const guestFrom = args[0] === 'run' ? componentIndex(args) : args.length;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (i >= guestFrom) { rest.push(a); continue; } // the component and the guest's own arguments
    let value: string | undefined;
    if (a === '--timeout') value = args[++i];
    else if (a.startsWith('--timeout=')) value = a.slice('--timeout='.length);
    else { rest.push(a); continue; }
    const n = Number(value);
    if (value === undefined || value.trim() === '' || !Number.isFinite(n) || n <= 0) {
      throw new Error(`--timeout: expected a positive number of seconds, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
    }
    seconds = n;
  }
  return { seconds, rest };
}

/** `cmr run`'s options that take a value (the word after them is not the component). */
const RUN_VALUE_OPTIONS = new Set(['--invoke', '--engine', '--env', '--dir', '--argv0', '--imports', '--fuel', '--timeout']);

/** Where `cmr run`'s component stands in `args` (['run', ...]): what follows it is the guest's, --timeout included. */
function componentIndex(args: string[]): number {
  for (let i = 1; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return i + 1;
    if (!a.startsWith('-')) return i;
    if (RUN_VALUE_OPTIONS.has(a)) i++;
  }
  return args.length;
}

/** The longest delay setTimeout takes (2^31 - 1 ms). */
const MAX_TIMER_MS = 0x7fffffff;

/** Runs the cmr command `args` in a Worker for at most `seconds`; resolves to its exit status. */
export function runWithTimeout(args: string[], seconds: number): Promise<number> {
  const main = fileURLToPath(new URL('./main.js', import.meta.url));
  // The command may read fd 0 synchronously in the Worker (cmr debug's
  // commands, a guest's inherited stdin). A blocking read there cannot be
  // interrupted: terminate() would wait for input that may never come, and
  // the process with it, past the limit. Opening process.stdin here has
  // libuv put a pipe or terminal on fd 0 in non-blocking mode, so those
  // reads poll (debug/input.ts, wasi/streams.ts) and the Worker can be
  // stopped between polls. It opens the stream without reading from it.
  // (This used to happen by accident: importing `node:process` as an ES
  // module reads its every property, stdin included, and the main thread
  // imported the whole runtime before each command's code became lazy.)
  void process.stdin;
  const worker = new Worker(main, { argv: args });
  return new Promise((resolve) => {
    let timedOut = false;
    // Node's timers take at most 2^31 - 1 ms (24.8 days): a longer delay
    // would fire after 1 ms, ending the run at once. Longer waits go in steps.
    let timer: NodeJS.Timeout;
    const wait = (ms: number): void => {
      timer = setTimeout(() => {
        if (ms > MAX_TIMER_MS) return wait(ms - MAX_TIMER_MS);
        timedOut = true;
        void worker.terminate();
      }, Math.min(ms, MAX_TIMER_MS));
    };
    wait(seconds * 1000);
    // Ctrl-C: this thread is free (the command runs in the Worker), so it can
    // end the run and say so; as a shell reports a process that SIGINT ended, 130.
    let interrupted = false;
    const onInterrupt = (): void => {
      interrupted = true;
      void worker.terminate();
    };
    process.once('SIGINT', onInterrupt);
    worker.on('error', (e) => {
      process.stderr.write(`cmr: ${e instanceof Error ? e.message : String(e)}\n`);
    });
    worker.on('exit', (code) => {
      clearTimeout(timer);
      process.off('SIGINT', onInterrupt);
      if (interrupted) {
        process.stderr.write('cmr: interrupted (SIGINT)\n');
        resolve(INTERRUPTED_STATUS);
      } else if (timedOut) {
        process.stderr.write(`cmr: timed out after ${seconds} s (--timeout)\n`);
        resolve(TIMED_OUT_STATUS);
      } else {
        resolve(code);
      }
    });
  });
}
