// The real-world run: components built by real toolchains, run on both core
// engines and held to what their makers' own tests expect.
//
//   npm run real-world                 (or: node dist/scripts/real-world.js [--engine interp|native] [--only NAME] [--gate])
//
// The corpus is ../shared/real-world (or $CMR_REAL_WORLD); it is never
// copied into the project (its SOURCES.md says what each part is).
//
// - wasmtime-p2/: wasmtime's WASI 0.2 test programs. manifest.json says how
//   wasmtime's own tests run each one. Those that wasmtime runs through its
//   command line (tests/all/cli_tests.rs) run here through `cmr run` as a
//   child process: argv, environment, stdin, preopened folders (a temporary
//   copy of fixtures/), exit status, stdout, stderr and files after the run
//   are compared. Those that wasmtime runs through its embedding API
//   (crates/wasi/tests/all/p2/api.rs) run here through cmr's API, with the
//   manifest's fake clocks, read-only preopen and export calls.
// - jsco-wat/hello: a hand-written WASI command, through `cmr run`.
// - componentize-js/: JavaScript made into components by componentize-js;
//   each export is called with arguments whose results follow from the JS
//   source in make-*.mjs (a call that never returns is ended by fuel on the
//   interpreter, by `cmr run --timeout` natively).
//
// - jco: the commands run through `cmr run` also run on jco (`cmr run
//   --engine jco`: jco's transpiled glue, preview2-shim as the WASI host),
//   held to the same manifest; then each program's exit status, stdout and
//   stderr are compared across interp, native and jco (a trap's message is
//   each engine's own, so only that it trapped is compared), and every
//   difference is a failure named by program. What jco cannot run (the
//   programs wasmtime drives through its embedding API, componentize-js's
//   export calls, a read-only preopen) is a skip with its reason.
//
// First every component of the corpus is decoded and validated (what
// `cmr inspect` does). Then prints one line per program and engine with its
// time, then a table, then
// `N passed, N failed, N skipped`. Exit status 1 when anything failed; with --gate a
// missing corpus is an error too. `--engine interp|native|jco` (or a comma
// list) runs only those engines.

import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Component, Engine, Linker, Store, Trap, formatValue, valuesEqual, type ComponentValue, type Func, type Instance,
} from '../src/index.js';
import type { ValType } from '../src/component/syntax/types.js';
import { addToLinkerSync, runCommand, WasiCtxBuilder, type WasiCtx } from '../src/wasi/index.js';

type EngineName = 'interp' | 'native' | 'jco';
const ENGINES: EngineName[] = ['interp', 'native', 'jco'];
type CmrEngine = Exclude<EngineName, 'jco'>;

/** What jco cannot do with a job: the reason it is skipped there. */
class JcoSkip extends Error {}
const JCO_COMMANDS_ONLY = '`cmr run --engine jco` runs WASI commands from the command line; this program is driven through the embedding API';

/** What a command printed and its exit status, for the comparison across engines. */
interface Printed { status: number | null; stdout: string; stderr: string }

interface Preopen { host: string; guest: string; readOnly: boolean }

interface Expect {
  exit: number | null;
  trap?: boolean;
  stdout: string | null;
  stderr?: string;
  stdoutContains: string[] | null;
  stderrContains: string[] | null;
  files?: Record<string, string>;
}

interface Invocation { export: string; args: unknown[]; result: unknown; streamContents?: string }

interface Clocks {
  wall: { now: { seconds: number; nanoseconds: number }; resolution: { seconds: number; nanoseconds: number } };
  monotonic: { firstNowNs: number; incrementPerNowCallNs: number; resolutionNs: number };
}

interface ManifestEntry {
  file: string;
  world: 'command' | 'reactor';
  args: string[];
  env: Record<string, string>;
  stdin: string | null;
  preopens: Preopen[];
  seedFiles?: Record<string, string>;
  expect: Expect;
  variants?: { args: string[] }[];
  invocations?: Invocation[];
  clocks?: Clocks;
  source: { harness: string };
}

/** One run's verdict: null when it did what was expected, else why not; skip: why it was not run. */
interface Outcome { program: string; engine: EngineName; ms: number; failure: string | null; skip?: string; printed?: Printed }

/** How long one program may run before it counts as hung. */
const RUN_LIMIT_MS = 180_000;

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(projectRoot, 'dist', 'src', 'cli', 'main.js');

function corpusRoot(): string {
  const env = process.env.CMR_REAL_WORLD;
  return env ? resolve(env) : resolve(projectRoot, '..', 'shared', 'real-world');
}

// ---- wasmtime-p2 through `cmr run` ---------------------------------------------

/** A temporary copy of each preopened folder, seeded as the manifest says; returns the copies and a clean-up. */
function preparePreopens(root: string, e: ManifestEntry): { dirs: Preopen[]; cleanup: () => void } {
  const made: string[] = [];
  const dirs = e.preopens.map((p) => {
    const tmp = mkdtempSync(join(tmpdir(), 'cmr-real-world-'));
    made.push(tmp);
    cpSync(join(root, p.host), tmp, { recursive: true });
    for (const [name, text] of Object.entries(e.seedFiles ?? {})) writeFileSync(join(tmp, name), text);
    return { host: tmp, guest: p.guest, readOnly: p.readOnly };
  });
  return { dirs, cleanup: () => { for (const d of made) rmSync(d, { recursive: true, force: true }); } };
}

interface ChildResult { status: number | null; signal: string | null; stdout: string; stderr: string; timedOut: boolean }

/**
 * Runs `cmr run` on one program. stdin gets the manifest's bytes, and is
 * closed once the expected stdout has appeared (at once when none is
 * expected): a guest that must show a prompt before it reads its input
 * (p2_cli_stdio_write_flushes) is held to flushing it first.
 */
function runCli(args: string[], stdin: string | null, expectStdout: string | null): Promise<ChildResult> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [cli, 'run', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outText = '';
    let stdinOpen = true;
    const closeStdin = () => { if (stdinOpen) { stdinOpen = false; child.stdin.end(); } };
    child.stdin.on('error', () => {}); // a guest that exits without reading closes the pipe
    if (stdin !== null && stdin !== '') child.stdin.write(stdin);
    if (expectStdout === null || expectStdout === '' || stdin === null) closeStdin();
    child.stdout.on('data', (b: Buffer) => {
      out.push(b);
      if (stdinOpen && expectStdout !== null) {
        outText += b.toString('utf8');
        if (outText.startsWith(expectStdout)) closeStdin();
      }
    });
    child.stderr.on('data', (b: Buffer) => err.push(b));
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; closeStdin(); child.kill('SIGKILL'); }, RUN_LIMIT_MS);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      done({ status, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), timedOut });
    });
  });
}

function cliArgs(engine: EngineName, e: ManifestEntry, args: string[], dirs: Preopen[], file: string): string[] {
  const out = ['--engine', engine];
  for (const [k, v] of Object.entries(e.env)) out.push('--env', `${k}=${v}`);
  for (const d of dirs) out.push('--dir', `${d.host}::${d.guest}`);
  if (args.length > 0) out.push('--argv0', args[0]!);
  out.push(file, ...args.slice(1));
  return out;
}

/** Why the result differs from what the manifest expects, or null. */
function checkOutput(ex: Expect, r: { status: number | null; stdout: string; stderr: string }, files: Preopen[]): string | null {
  const show = (s: string) => JSON.stringify(s.length > 200 ? `${s.slice(0, 200)}…` : s);
  if (ex.exit !== null && r.status !== ex.exit) return `exit status ${r.status}, expected ${ex.exit}${r.stderr ? `; stderr ${show(r.stderr)}` : ''}`;
  if (ex.trap && !/^cmr: trap: /m.test(r.stderr)) return `expected a trap, stderr ${show(r.stderr)}`;
  if (ex.stdout !== null && r.stdout !== ex.stdout) return `stdout ${show(r.stdout)}, expected ${show(ex.stdout)}`;
  if (ex.stderr !== undefined && r.stderr !== ex.stderr) return `stderr ${show(r.stderr)}, expected ${show(ex.stderr)}`;
  for (const s of ex.stdoutContains ?? []) if (!r.stdout.includes(s)) return `stdout lacks ${show(s)}`;
  for (const s of ex.stderrContains ?? []) if (!r.stderr.includes(s)) return `stderr lacks ${show(s)}`;
  for (const [name, text] of Object.entries(ex.files ?? {})) {
    const dir = files[0];
    const path = dir === undefined ? null : join(dir.host, name);
    const got = path !== null && existsSync(path) ? readFileSync(path, 'utf8') : null;
    if (got !== text) return `file ${name} holds ${got === null ? 'nothing' : show(got)}, expected ${show(text)}`;
  }
  return null;
}

async function runCliEntry(root: string, e: ManifestEntry, engine: EngineName, args: string[], printed: (p: Printed) => void): Promise<string | null> {
  const { dirs, cleanup } = preparePreopens(root, e);
  try {
    if (dirs.some((d) => d.readOnly)) return 'a read-only preopen cannot be asked for on the command line';
    const r = await runCli(cliArgs(engine, e, args, dirs, join(root, e.file)), e.stdin, e.expect.stdout);
    if (r.timedOut) return `no result within ${RUN_LIMIT_MS / 1000} s`;
    printed(r);
    return checkOutput(e.expect, r, dirs);
  } finally {
    cleanup();
  }
}

// ---- wasmtime-p2 through the API ---------------------------------------------

/** The manifest's fake clocks: a fixed wall clock, and a monotonic one that advances by a step per reading. */
function fakeClocks(b: WasiCtxBuilder, c: Clocks): void {
  const wall = { seconds: BigInt(c.wall.now.seconds), nanoseconds: c.wall.now.nanoseconds };
  const wallRes = { seconds: BigInt(c.wall.resolution.seconds), nanoseconds: c.wall.resolution.nanoseconds };
  b.wallClock({ now: () => wall, resolution: () => wallRes });
  let next = BigInt(c.monotonic.firstNowNs);
  const step = BigInt(c.monotonic.incrementPerNowCallNs);
  b.monotonicClock({ now: () => { const t = next; next += step; return t; }, resolution: () => BigInt(c.monotonic.resolutionNs) });
}

async function instantiateWithWasi(engine: CmrEngine, file: string, ctx: WasiCtx): Promise<{ store: Store; instance: Instance }> {
  const eng = new Engine({ coreEngine: engine });
  const component = await Component.fromFile(eng, file);
  const linker = addToLinkerSync(new Linker(eng), ctx);
  const store = new Store(eng);
  return { store, instance: await linker.instantiate(store, component) };
}

async function runApiEntry(root: string, e: ManifestEntry, engine: CmrEngine): Promise<string | null> {
  const { dirs, cleanup } = preparePreopens(root, e);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const b = new WasiCtxBuilder().args(e.args).env(e.env)
    .stdin(e.stdin === null ? null : new TextEncoder().encode(e.stdin))
    .stdout((x) => out.push(Buffer.from(x))).stderr((x) => err.push(Buffer.from(x)));
  for (const d of dirs) b.preopenedDir(d.host, d.guest, { readOnly: d.readOnly });
  if (e.clocks) fakeClocks(b, e.clocks);
  const ctx = b.build();
  try {
    const { store, instance } = await instantiateWithWasi(engine, join(root, e.file), ctx);
    if (e.world === 'reactor') return await invokeAll(store, instance, ctx, e.invocations ?? []);
    let status: number;
    try {
      status = await runCommand(store, instance);
    } catch (x) {
      if (!(x instanceof Trap)) throw x;
      status = 134;
      err.push(Buffer.from(`cmr: trap: ${x.message}\n`));
    }
    return checkOutput(e.expect, { status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }, dirs);
  } finally {
    ctx.close();
    cleanup();
  }
}

/** A host-made output stream, where the manifest's argument says wasmtime passes one. */
const HOST_STREAM = /^<host-created output-stream/;

async function invokeAll(store: Store, instance: Instance, ctx: WasiCtx, calls: Invocation[]): Promise<string | null> {
  for (const c of calls) {
    const f = instance.getFunc(c.export);
    if (f === null) return `no export \`${c.export}\``;
    const pipes: { contents(): Uint8Array }[] = [];
    const args = c.args.map((a, i) => {
      if (typeof a === 'string' && HOST_STREAM.test(a)) {
        const p = ctx.newOutputPipe(4096);
        pipes.push(p);
        return p.stream;
      }
      return fromJson(a, f.params[i]!);
    });
    const [result] = await f.call(store, args);
    const want = c.result === undefined ? undefined : fromJson(c.result, f.results[0]!);
    const rt = f.results[0]!;
    if (want !== undefined && !valuesEqual(result!, want, rt)) return `${c.export} returned ${formatValue(result!, rt)}, expected ${formatValue(want, rt)}`;
    if (c.streamContents !== undefined) {
      const got = new TextDecoder().decode(pipes[0]?.contents() ?? new Uint8Array());
      if (got !== c.streamContents) return `${c.export} wrote ${JSON.stringify(got)}, expected ${JSON.stringify(c.streamContents)}`;
    }
  }
  return null;
}

/** A manifest value (JSON) as the component value of type `t`. */
function fromJson(v: unknown, t: ValType): ComponentValue {
  if (typeof t === 'string') {
    if (t === 'u64' || t === 's64') return BigInt(v as number);
    return v as ComponentValue;
  }
  switch (t.kind) {
    case 'list': return (v as unknown[]).map((x) => fromJson(x, t.elem));
    case 'record': {
      const o = v as Record<string, unknown>;
      return Object.fromEntries(t.fields.map((f) => [f.name, fromJson(o[f.name], f.type)]));
    }
    case 'option': return v === null || v === undefined ? { tag: 'none' } : { tag: 'some', val: fromJson(v, t.type) };
    case 'enum': return v as string;
    case 'result': {
      const r = v as { tag: 'ok' | 'err'; val?: unknown };
      const pt = r.tag === 'ok' ? t.ok : t.err;
      return pt === null ? { tag: r.tag } : { tag: r.tag, val: fromJson(r.val, pt) };
    }
    default: return v as ComponentValue;
  }
}

// ---- componentize-js -------------------------------------------------------------

interface Call {
  fn: string;
  args: ComponentValue[];
  result?: ComponentValue;
  /** The call traps: with this message in it. */
  trap?: string;
  stdout?: string;
  /** The call never returns: bounded by fuel on the interpreter, by `cmr run --timeout` natively. */
  endless?: true;
}

/** The calls made on each componentize-js component, with the results its JS source (make-*.mjs) gives. */
const componentizeCalls: Record<string, { iface: string | null; calls: Call[] }> = {
  'hello.component.wasm': {
    iface: null,
    calls: [
      { fn: 'greet', args: ['cmr'], result: 'hello, cmr' },
      { fn: 'add', args: [40, 2], result: 42 },
    ],
  },
  'rich.component.wasm': {
    iface: 'local:rich/types',
    calls: [
      { fn: 'sum', args: [[1, 2, 3, 4000000000]], result: 4000000006n },
      { fn: 'mkpoint', args: [3, -4], result: { x: 3, y: -4, label: 'p3,-4' } },
      { fn: 'classify', args: [-5], result: { tag: 'neg', val: 5 } },
      { fn: 'classify', args: [0], result: { tag: 'zero' } },
      { fn: 'classify', args: [7], result: { tag: 'pos', val: '7' } },
      { fn: 'safediv', args: [1, 4], result: { tag: 'ok', val: 0.25 } },
      { fn: 'safediv', args: [1, 0], result: { tag: 'err', val: 'division by zero' } },
      { fn: 'swapcolor', args: ['red'], result: 'green' },
      { fn: 'swapcolor', args: ['blue'], result: 'red' },
      { fn: 'perms', args: [{ read: true, write: false, exec: true }], result: { read: false, write: true, exec: true } },
      { fn: 'maybe', args: [{ tag: 'some', val: 21 }], result: { tag: 'some', val: 42 } },
      { fn: 'maybe', args: [{ tag: 'none' }], result: { tag: 'none' } },
      { fn: 'hello', args: ['cmr'], result: 'hi cmr', stdout: 'log: hello cmr\n' },
      { fn: 'rand', args: [], result: true },
      { fn: 'boom', args: [], trap: 'unreachable' },
      { fn: 'loop', args: [], endless: true },
    ],
  },
};

/** Fuel for one call: about 100 times what a returning call of `rich` spends (SpiderMonkey: about 11 000). */
const CALL_FUEL = 1_000_000;

/** Fuel for a call that never returns: enough to show it loops (about a second on the interpreter). */
const ENDLESS_FUEL = 100_000;

/** How long a call that never returns runs natively before `cmr run --timeout` ends it. */
const ENDLESS_SECONDS = 3;

async function runComponentize(root: string, file: string, engine: CmrEngine): Promise<string | null> {
  const spec = componentizeCalls[file]!;
  const path = join(root, 'componentize-js', file);
  const out: Buffer[] = [];
  const ctx = new WasiCtxBuilder().stdout((x) => out.push(Buffer.from(x))).stderr(() => {}).build();
  const eng = new Engine({ coreEngine: engine, consumeFuel: engine === 'interp' });
  const component = await Component.fromFile(eng, path);
  const linker = addToLinkerSync(new Linker(eng), ctx);
  // A trap leaves the instance unusable: the next call gets a new one.
  let current: { store: Store; instance: Instance } | null = null;
  const fresh = async () => {
    const store = new Store(eng);
    if (eng.consumeFuel) store.setFuel(CALL_FUEL);
    return (current ??= { store, instance: await linker.instantiate(store, component) });
  };
  const qualified = (name: string) => (spec.iface === null ? name : `${spec.iface}#${name}`);
  try {
    for (const c of spec.calls) {
      if (c.endless && engine === 'native') {
        const r = await runCli(['--engine', 'native', '--timeout', String(ENDLESS_SECONDS), '--invoke', `${qualified(c.fn)}()`, path], null, null);
        if (r.status === 0 || !r.stderr.includes('timed out')) return `${c.fn} under --timeout ${ENDLESS_SECONDS}: exit status ${r.status}, stderr ${JSON.stringify(r.stderr)}`;
        continue;
      }
      const { store, instance } = await fresh();
      const f = funcOf(instance, spec.iface, c.fn);
      if (f === null) return `no export \`${c.fn}\``;
      if (eng.consumeFuel) store.setFuel(c.endless ? ENDLESS_FUEL : CALL_FUEL);
      out.length = 0;
      let result: ComponentValue | undefined;
      try {
        [result] = await f.call(store, c.args);
      } catch (x) {
        current = null;
        const want = c.endless ? 'fuel' : c.trap;
        if (want !== undefined && x instanceof Trap && x.message.includes(want)) continue;
        throw x;
      }
      const rt = f.results[0]!;
      if (c.trap !== undefined || c.endless) return `${c.fn} returned ${result === undefined ? 'nothing' : formatValue(result, rt)}, expected ${c.endless ? 'it never to return' : 'a trap'}`;
      if (!valuesEqual(result!, c.result!, rt)) {
        const args = c.args.map((a, i) => formatValue(a, f.params[i]!)).join(', ');
        return `${c.fn}(${args}) returned ${formatValue(result!, rt)}, expected ${formatValue(c.result!, rt)}`;
      }
      const printed = Buffer.concat(out).toString('utf8');
      if (c.stdout !== undefined && printed !== c.stdout) return `${c.fn} printed ${JSON.stringify(printed)}, expected ${JSON.stringify(c.stdout)}`;
    }
    return null;
  } finally {
    ctx.close();
  }
}

function funcOf(instance: Instance, iface: string | null, name: string): Func | null {
  if (iface === null) return instance.getFunc(name);
  const i = instance.getExportIndex(null, iface);
  const idx = i === null ? null : instance.getExportIndex(i, name);
  return idx === null ? null : instance.getFunc(idx);
}

// ---- the run --------------------------------------------------------------------

interface Job { program: string; run: (engine: EngineName, printed: (p: Printed) => void) => Promise<string | null> }

/** A job jco cannot run: a skip there, the given run elsewhere. */
function notOnJco(run: (engine: CmrEngine) => Promise<string | null>): Job['run'] {
  return (engine) => {
    if (engine === 'jco') throw new JcoSkip(JCO_COMMANDS_ONLY);
    return run(engine);
  };
}

function jobs(root: string): Job[] {
  const out: Job[] = [];
  const manifest = JSON.parse(readFileSync(join(root, 'wasmtime-p2', 'manifest.json'), 'utf8')) as ManifestEntry[];
  const p2 = join(root, 'wasmtime-p2');
  for (const e of manifest) {
    const name = e.file.replace(/\.component\.wasm$/, '');
    const viaCli = e.source.harness.startsWith('tests/all/cli_tests.rs');
    if (!viaCli) {
      out.push({ program: name, run: notOnJco((engine) => runApiEntry(p2, e, engine)) });
      continue;
    }
    const argSets = e.variants?.map((v) => v.args) ?? [e.args];
    argSets.forEach((args, i) => {
      out.push({ program: argSets.length > 1 ? `${name} [${i + 1}/${argSets.length}]` : name, run: (engine, printed) => runCliEntry(p2, e, engine, args, printed) });
    });
  }
  // jsco-wat/hello: the smallest WASI 0.2 command; its text says what it prints.
  out.push({
    program: 'jsco-wat/hello',
    run: async (engine, printed) => {
      const r = await runCli(['--engine', engine, join(root, 'jsco-wat', 'hello.wasm')], null, null);
      if (!r.timedOut) printed(r);
      return r.timedOut ? 'no result in time' : checkOutput({ exit: 0, stdout: 'hello from jsco\n', stderr: '', stdoutContains: null, stderrContains: null }, r, []);
    },
  });
  for (const file of Object.keys(componentizeCalls)) {
    out.push({ program: `componentize-js/${file.replace(/\.component\.wasm$/, '')}`, run: notOnJco((engine) => runComponentize(root, file, engine)) });
  }
  return out;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const opt = (name: string): string | undefined => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
  const gate = argv.includes('--gate');
  const engines = (opt('--engine') ?? ENGINES.join(',')).split(',') as EngineName[];
  for (const e of engines) if (!ENGINES.includes(e)) throw new Error(`--engine must be interp, native or jco (or a comma list), not ${e}`);
  const only = opt('--only');
  const root = corpusRoot();
  if (!existsSync(join(root, 'wasmtime-p2', 'manifest.json'))) {
    const why = `the real-world corpus is not at ${root} (set CMR_REAL_WORLD)`;
    if (gate) throw new Error(why);
    process.stdout.write(`real-world: skipped: ${why}\n`);
    return 0;
  }
  const invalid = only === undefined ? await validateAll(root) : 0;
  const outcomes: Outcome[] = [];
  for (const job of jobs(root)) {
    if (only !== undefined && !job.program.includes(only)) continue;
    for (const engine of engines) {
      const t0 = performance.now();
      let failure: string | null;
      let skip: string | undefined;
      let printed: Printed | undefined;
      try {
        failure = await job.run(engine, (p) => { printed = p; });
      } catch (x) {
        if (x instanceof JcoSkip) {
          failure = null;
          skip = `jco: ${x.message}`;
        } else failure = `${x instanceof Error ? `${x.name}: ${x.message}` : String(x)}`.split('\n')[0]!;
      }
      const ms = performance.now() - t0;
      outcomes.push({ program: job.program, engine, ms, failure, ...(skip ? { skip } : {}), ...(printed ? { printed } : {}) });
      process.stdout.write(`${skip ? 'skip' : failure === null ? 'pass' : 'FAIL'}  ${job.program} [${engine}] ${skip ?? `${(ms / 1000).toFixed(2)} s${failure === null ? '' : `: ${failure}`}`}\n`);
    }
  }
  const differences = compareEngines(outcomes);
  for (const d of differences) process.stdout.write(`DIFF  ${d}\n`);
  process.stdout.write(`\n${table(outcomes, engines)}\n`);
  const skipped = outcomes.filter((o) => o.skip !== undefined).length;
  const failed = outcomes.filter((o) => o.failure !== null).length + invalid + differences.length;
  const ran = outcomes.length - skipped + (only === undefined ? componentFiles(root).length : 0);
  process.stdout.write(`real-world: ${ran - failed + differences.length} passed, ${failed} failed${differences.length ? ` (${differences.length} differences between engines)` : ''}, ${skipped} skipped\n`);
  return failed === 0 ? 0 : 1;
}

/** A trap's words (and the interpreter's backtrace after them) are each engine's own: only that it trapped is compared. */
function comparable(p: Printed): Printed {
  return { ...p, stderr: p.stderr.replace(/^cmr: trap: [\s\S]*$/m, 'cmr: trap: …') };
}

/** Each program's exit status, stdout and stderr on every engine against the first engine's: one line per difference. */
function compareEngines(outcomes: Outcome[]): string[] {
  const out: string[] = [];
  const show = (s: string) => JSON.stringify(s.length > 120 ? `${s.slice(0, 120)}…` : s);
  for (const program of new Set(outcomes.map((o) => o.program))) {
    const runs = outcomes.filter((o) => o.program === program && o.printed !== undefined);
    const [first, ...rest] = runs.map((o) => ({ engine: o.engine, p: comparable(o.printed!) }));
    if (first === undefined) continue;
    for (const r of rest) {
      for (const k of ['status', 'stdout', 'stderr'] as const) {
        if (r.p[k] !== first.p[k]) {
          const v = (x: Printed) => (k === 'status' ? String(x.status) : show(x[k]));
          out.push(`${program}: ${k} ${v(r.p)} on ${r.engine}, ${v(first.p)} on ${first.engine}`);
        }
      }
    }
  }
  return out;
}

/** Every component of the corpus, relative to its root. */
function componentFiles(root: string): string[] {
  return readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((d) => readdirSync(join(root, d.name)).filter((f) => f.endsWith('.wasm')).sort().map((f) => `${d.name}/${f}`));
}

/** Decodes and validates every component of the corpus (what `cmr inspect` does); returns how many were refused. */
async function validateAll(root: string): Promise<number> {
  const engine = new Engine({ coreEngine: 'interp' });
  let refused = 0;
  const files = componentFiles(root);
  for (const f of files) {
    try {
      await Component.fromFile(engine, join(root, f));
    } catch (x) {
      refused++;
      process.stdout.write(`FAIL  validate ${f}: ${x instanceof Error ? x.message.split('\n')[0] : String(x)}\n`);
    }
  }
  process.stdout.write(`${refused === 0 ? 'pass' : 'FAIL'}  validate: ${files.length - refused} of ${files.length} components accepted\n`);
  return refused;
}

/** The Markdown table of the README: one row per program, a pass mark and the time per engine. */
function table(outcomes: Outcome[], engines: EngineName[]): string {
  const programs = [...new Set(outcomes.map((o) => o.program))];
  const rows = [`| program | ${engines.join(' | ')} |`, `| --- | ${engines.map(() => '---:').join(' | ')} |`];
  for (const p of programs) {
    const cells = engines.map((e) => {
      const o = outcomes.find((x) => x.program === p && x.engine === e);
      return o === undefined ? '-' : o.skip !== undefined ? 'skip' : `${o.failure === null ? 'pass' : 'FAIL'} ${(o.ms / 1000).toFixed(2)} s`;
    });
    rows.push(`| ${p} | ${cells.join(' | ')} |`);
  }
  return rows.join('\n');
}

main().then((code) => { process.exitCode = code; }, (e: unknown) => {
  process.stderr.write(`real-world: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 2;
});
