#!/usr/bin/env node
// The `cmr` command. Bad input of any kind ends in one clear line on stderr
// and a non-zero status, never a JS stack trace.

import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { isMainThread } from 'node:worker_threads';
import { parseEngineList } from '../wast/engine-names.js';
import type { WastOptions } from './wast.js';
import type { RunOptions } from './run.js';
import type { FuzzOptions } from './fuzz.js';
import type { DebugOptions } from './debug.js';
import { runWithTimeout, takeTimeout } from './timeout.js';
import { takeTraceCore } from './trace-args.js';
import { readFailure } from '../api/read-failure.js';

// Each command's code is imported when that command runs, not before: the
// whole runtime is ~240 modules, and Node 20 loads ES modules one file at a
// time, so loading all of them cost every `cmr` process (--help, --version,
// a usage error, a command that needs a part of them) ~0.3 s before it did
// anything. The options above are what parsing the command line needs.

// Output piped into `head` and closed early is not an error worth a stack
// trace. Output that cannot be written otherwise (a full disk, a device
// that refuses it) would be lost: one line says so, and the status is 1.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  const why = typeof e.code === 'string' ? `${e.message.replace(/^[A-Z]+: /, '').replace(/, write$/, '')} (${e.code})` : e.message;
  process.stderr.write(`cmr: cannot write to standard output: ${why}\n`);
  process.exit(1);
});

/** Commander's parser of an option whose value is a count. */
function nonNegativeInteger(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

/** --fuel: what each call may spend (the interpreter only). */
const fuelOption = () =>
  new Option('--fuel <units>', 'fuel for each call: one unit per wasm function call and loop iteration; running out traps (interpreter only)')
    .argParser(nonNegativeInteger);

/** --trace-limit: how many instructions --trace=core prints. */
const traceLimitOption = () =>
  new Option('--trace-limit <n>', 'with --trace=core: print at most this many instructions').argParser(nonNegativeInteger);

/** --trace-core: what `--trace=core` becomes before commander reads the line (trace-args.ts). */
const traceCoreOption = () => new Option('--trace-core', 'print every executed core instruction, its stack top and the locals it changed (written --trace=core; interpreter only)').hideHelp();

/** --timeout: read before commander (the command then runs in a Worker); declared here for --help. */
const timeoutOption = () => new Option('--timeout <seconds>', 'stop the whole run after this many seconds (exit status 124, "timed out")');

/**
 * The exit status of a usage error on every command (an unknown option, a
 * bad option value, a missing argument, options that do not go together),
 * as wasmtime's (clap's) and coreutils': not 1, which the commands give a
 * failed run (README "Command line").
 */
const USAGE_ERROR_STATUS = 2;

const program = new Command();
program
  // commander's usage errors come back as a CommanderError (main's catch gives them their status) instead of exiting with 1.
  // Called before the commands are added: they inherit it.
  .exitOverride()
  .enablePositionalOptions()
  .name('cmr')
  .description('cmr: a reference runtime for the WebAssembly Component Model and core WebAssembly')
  .version('0.1.0');

const engineOption = () =>
  new Option('--engine <engines>', 'engines, a comma list compared directive by directive: interp (tree-walking interpreter), native (the host engine, V8), jco (components transpiled by jco, its own canonical ABI); both = interp,native')
    .argParser((v: string) => {
      try {
        return parseEngineList(v);
      } catch (e) {
        throw new InvalidArgumentError((e as Error).message);
      }
    })
    .default(parseEngineList('both'), 'both');

program
  .command('wast')
  .description('run .wast scripts (files or folders) and report each directive')
  .argument('<paths...>', '.wast files or folders of them')
  .addOption(engineOption())
  .option('--report <file>', 'write the JSON report to this file')
  .option('--html <file>', 'write the HTML report to this file: one self-contained page with the tables, every failure, mismatch and skip, and filters')
  .option('--expected-failures <file>', 'the expected-failures list to hold the run to')
  .option('--verbose', 'print every failure in full')
  .option('--trace', 'explain every canonical ABI step of component calls on stderr (lift, lower, realloc, handles); --trace=core: every core instruction instead')
  .addOption(traceCoreOption())
  .addOption(traceLimitOption())
  .addOption(fuelOption())
  .addOption(timeoutOption())
  .action(async (paths: string[], opts: WastOptions) => {
    const { runWast } = await import('./wast.js');
    process.exitCode = await runWast(paths, opts);
  });

program
  .command('conformance')
  .description('run every official suite found at $CMR_SUITES (else ../shared/suites) and print the conformance table')
  .addOption(engineOption())
  .option('--report <file>', 'write the JSON report to this file')
  .option('--html <file>', 'write the HTML report to this file: one self-contained page with the tables, every failure, mismatch and skip, and filters')
  .option('--suite <name...>', 'only these suites (core-2.0, core-3.0, component-model, cmr: the project\'s own tests in spec-tests/cmr)')
  .option('--gate', 'the test gate: quieter output, fails on any failure not in spec-tests/expected-failures.json and on any entry that now passes')
  .option('--verbose', 'print every failure in full')
  .addOption(timeoutOption())
  .action(async (opts: WastOptions & { suite?: string[]; gate?: boolean }) => {
    const { runWast } = await import('./wast.js');
    process.exitCode = await runWast(null, opts);
  });

program
  .command('inspect')
  .description('print the imports and exports of a component (or core module) with their types, in WIT-like text')
  .argument('<file>', 'a .wasm binary, a .wat text file or a component serialized by cmr compile')
  .option('--json', 'print the types as JSON')
  .addOption(timeoutOption())
  .action(async (file: string, opts: { json?: boolean }) => {
    const { runInspect } = await import('./inspect.js');
    process.exitCode = await runInspect(file, opts);
  });

program
  .command('explain')
  .description('print the canonical ABI plan of a component\'s functions: flattened core signature, memory layout of every type, canonical options (CanonicalABI.md for a real function)')
  .argument('<file>', 'a component: .wasm binary, .wat text, or serialized by cmr compile')
  .argument('[function]', 'only this exported function (iface#func inside an exported instance, as cmr run --invoke names it), else the lowered import of that name; default: every export, then every lowered import')
  .option('--json', 'print the plans as JSON')
  .addOption(timeoutOption())
  .action(async (file: string, only: string | undefined, opts: { json?: boolean }) => {
    const { runExplain } = await import('./explain.js');
    process.exitCode = await runExplain(file, only, opts);
  });

program
  .command('compile')
  .description('decode and validate a component once and write its serialized form, which run and inspect load without doing that again (like `wasmtime compile`)')
  .argument('<file>', 'a component: .wasm binary or .wat text')
  .option('-o, --output <file>', 'where to write it (default: the input\'s name with .cwasm)')
  .addOption(new Option('--engine <engine>', 'the core engine it is for: interp also stores the interpreter\'s prepared code (a larger file, faster first calls); either loads on both').choices(['interp', 'native']).default('interp'))
  .addOption(timeoutOption())
  .action(async (file: string, opts: { output?: string; engine?: 'interp' | 'native' }) => {
    const { runCompile } = await import('./compile.js');
    process.exitCode = await runCompile(file, opts);
  });

program
  .command('run')
  .description('run a component: a WASI command (it exports wasi:cli/run) is run like `wasmtime run`; --invoke calls any export; otherwise its exports are listed')
  .argument('<file>', 'a component: .wasm binary, .wat text, or serialized by cmr compile')
  .argument('[args...]', 'arguments for the guest (argv[1] on): everything after the component, options included')
  .passThroughOptions()
  .option('--invoke <call>', "call this export instead, arguments in wast value syntax: 'greet(str.const \"you\")', or inside an exported instance 'iface#func(u32.const 1, u32.const 2)'")
  .addOption(new Option('--engine <engine>', 'core engine for the component\'s modules, or jco (WASI commands transpiled by jco, preview2-shim as the host)').choices(['interp', 'native', 'jco']).default('interp'))
  .option('--env <KEY=VALUE>', 'set a variable of the guest\'s environment (KEY alone: the host\'s value); repeatable', collect, [])
  .option('--inherit-env', 'give the guest the whole environment of cmr\'s process')
  .option('--dir <HOST::GUEST>', 'preopen the host folder HOST as GUEST (HOST alone: the same name); repeatable', collect, [])
  .option('--argv0 <name>', 'argv[0] as the guest sees it (default: the component\'s file name)')
  .option('--trace', 'explain every canonical ABI step on stderr; --trace=core: every core instruction instead')
  .addOption(traceCoreOption())
  .addOption(traceLimitOption())
  .option('--import-stubs', 'satisfy every import not otherwise supplied with a stub (zero results, or a trap naming it)')
  .option('--imports <host.js>', 'a JS module whose exports are the host functions, by import name')
  .addOption(fuelOption())
  .addOption(timeoutOption())
  .action(async (file: string, args: string[], opts: RunOptions) => {
    const { runRun } = await import('./run.js');
    process.exitCode = await runRun(file, { ...opts, args });
  });

program
  .command('debug')
  .description('step through a core module, a component or a script on the interpreter: breakpoints (functions, offsets, canonical ABI steps, traps), step/next/finish/continue, views of the stack, locals, frames, globals, tables, memory and the canonical ABI; commands from stdin (a terminal, or a script)')
  .argument('<file>', 'a .wat/.wasm core module or component (or one serialized by cmr compile), or a .wast script')
  .option('--invoke <call>', "call this export: core arguments for a module ('fib(i32.const 10)'), component values for a component ('greet(str.const \"you\")')")
  .option('--trace-core', 'also print every executed instruction, its stack top and the locals it changed (written --trace=core)')
  .addOption(traceLimitOption())
  .addOption(timeoutOption())
  .action(async (file: string, opts: DebugOptions) => {
    const { runDebug } = await import('./debug.js');
    process.exitCode = await runDebug(file, opts);
  });

program
  .command('fuzz')
  .description('differential fuzzing: random valid core modules (or, with --components, component types and values) run on several engines and compared; disagreements are shrunk and saved')
  .option('--components', 'random component types and values, lifted and lowered through an echo component, instead of core modules')
  .option('--engines <list>', 'engines to compare, a comma list of interp, native, jco (default interp,native; with --components interp,native,jco)')
  .option('--seed <n>', 'the first case\'s seed (case i uses seed+i); default random')
  .option('--time <seconds>', 'stop after this long (default 10, or unbounded with --count)')
  .option('--count <n>', 'stop after this many cases')
  .option('--out <dir>', 'where disagreements are saved as .wat (default: the current folder)')
  .option('--shrink-time <seconds>', 'how long to shrink each disagreement (default 60)')
  .option('--replay <file.wat>', 'run a saved reproducer again on --engines')
  .addOption(timeoutOption())
  .action(async (opts: FuzzOptions) => {
    const { runFuzz } = await import('./fuzz.js');
    process.exitCode = await runFuzz(opts);
  });

async function main(): Promise<void> {
  const { seconds, rest } = takeTimeout(process.argv.slice(2));
  if (seconds !== null && isMainThread) {
    process.exitCode = await runWithTimeout(rest, seconds);
    return;
  }
  await program.parseAsync([...process.argv.slice(0, 2), ...takeTraceCore(rest)]);
}

main().catch((e: unknown) => {
  // commander has said what is wrong with the command line (or printed the help it was asked for).
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? 0 : USAGE_ERROR_STATUS;
    return;
  }
  // A command line refused before the command runs (a bad --timeout, options
  // that do not go together, a --report path that cannot be written), and a
  // file a command could not read (fuzz --replay, wast --expected-failures,
  // …) in cmr run's words.
  process.stderr.write(`cmr: ${readFailure('', e) ?? (e instanceof Error ? e.message : String(e))}\n`);
  process.exitCode = USAGE_ERROR_STATUS;
});

/** Commander's way to let an option repeat: each use appends. */
function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
