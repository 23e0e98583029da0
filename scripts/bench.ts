// Benchmark: a few compute kernels on the tree-walking interpreter, on the
// host engine (V8) and on another interpreter (wabt's wasm-interp, the C++
// interpreter of the WebAssembly Binary Toolkit as the wabt npm package
// ships it, compiled to wasm, and as native code when a `wasm-interp` is on
// PATH) in one run, reported as ratios, which say more than seconds on a
// shared machine. --kernels: the kernel table alone.
//
//   npm run bench            (or: node dist/scripts/bench.js [--quick] [--load | --kernels | --canon])
//
// Each kernel on each engine is timed in a fresh process of its own (this
// script again, with --kernel-child), so one kernel's type feedback never
// shapes the code V8 makes of cmr's loop for another; one more process
// (--kernels-shared) runs them all one after the other on the interpreter,
// the measure before session 9, kept beside the new one. timeCalls says
// what "first" and "warm" are. The dispatch floor (dispatch-floor.ts) is a
// measuring aid run the same way.
//
// Then the real-world rows (--load: those alone), each measured in fresh
// processes, each figure beside its target (issues 13 and 17): the 12 MB
// componentize-js component from file to its first call on cmr's two
// engines and on jco (wall time, peak memory); decoding and validating core
// modules (MB/s, memory per input byte); and loading that component from
// its serialized form against its .wasm; and a warm call of real compiled
// code, SpiderMonkey running JavaScript (real-code.ts), on cmr's two engines
// and jco, with no target (the kernels' leave real code out). Then the canonical ABI rows
// (canon-throughput.ts; --canon: those alone): a list<string> and a
// list<record> of 10 000 elements lowered and lifted, against jco's glue.

import { watToBinary } from '../src/text/wat.js';
import { decodeModule } from '../src/core/binary/decode.js';
import { validateModule } from '../src/core/valid/validate.js';
import { Interpreter } from '../src/core/exec/index.js';
import { NativeEngine, hostFeatures } from '../src/core/native/index.js';
import type { CoreEngine } from '../src/core/runtime/instance.js';
import type { Value } from '../src/core/runtime/values.js';
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { decodeComponent } from '../src/component/binary/decode.js';
import type { Component as ComponentAst } from '../src/component/syntax/ast.js';
import { WASM_3_0_SUPPORTED } from '../src/core/syntax/feature-set.js';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../src/wast/suites.js';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { canonRows } from './canon-throughput.js';
import { isMainModule, median } from './script-main.js';
import { functionPreparer } from '../src/core/exec/prepare.js';
import { floorFrame, runFloor, unsupportedNode } from './dispatch-floor.js';

export interface Kernel {
  name: string;
  what: string;
  wat: string;
  export: string;
  args: Value[];
  /** The result both engines must return, so a wrong answer is never timed. */
  expect: Value;
  /** Arguments that make the kernel trivial: wasm-interp's start-up time, subtracted from its runs. */
  trivialArgs: number[];
  /** A GC kernel: native only where the host has GC; wasm-interp (wabt 1.0) has none. */
  gc?: true;
}

export const kernels: Kernel[] = [
  {
    name: 'fib',
    what: 'recursive fib(25): calls and returns',
    export: 'fib',
    args: [25],
    expect: 75025,
    trivialArgs: [1],
    wat: `(module (func $fib (export "fib") (param i32) (result i32)
      (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
        (then (local.get 0))
        (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                       (call $fib (i32.sub (local.get 0) (i32.const 2))))))))`,
  },
  {
    name: 'loop',
    what: 'tight i32 arithmetic loop, 3M iterations',
    export: 'run',
    args: [3_000_000],
    expect: 0, // filled in from the native run below, checked on the interpreter
    trivialArgs: [1],
    wat: `(module (func (export "run") (param $n i32) (result i32) (local $i i32) (local $acc i32)
      (loop $l
        (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 31)) (i32.xor (local.get $i) (i32.shr_u (local.get $acc) (i32.const 7)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
      (local.get $acc)))`,
  },
  {
    name: 'sieve',
    what: 'sieve of Eratosthenes over 1M bytes of memory',
    export: 'sieve',
    args: [1_000_000],
    expect: 78498,
    trivialArgs: [3],
    wat: `(module (memory 16)
      (func (export "sieve") (param $n i32) (result i32) (local $i i32) (local $j i32) (local $count i32)
        (memory.fill (i32.const 0) (i32.const 0) (local.get $n))
        (local.set $i (i32.const 2))
        (block $done (loop $outer
          (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
          (if (i32.eqz (i32.load8_u (local.get $i)))
            (then
              (local.set $count (i32.add (local.get $count) (i32.const 1)))
              ;; i*i would overflow past sqrt(2^32); those i mark nothing below n anyway
              (local.set $j (select (i32.mul (local.get $i) (local.get $i)) (local.get $n)
                (i32.le_u (local.get $i) (i32.div_u (local.get $n) (local.get $i)))))
              (block $end (loop $inner
                (br_if $end (i32.ge_u (local.get $j) (local.get $n)))
                (i32.store8 (local.get $j) (i32.const 1))
                (local.set $j (i32.add (local.get $j) (local.get $i)))
                (br $inner)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $outer)))
        (local.get $count)))`,
  },
  {
    name: 'matmul',
    what: 'f64 matrix multiply, 64x64, 4 times',
    export: 'run',
    args: [64, 4],
    expect: 0, // filled in from the native run
    trivialArgs: [1, 1],
    wat: `(module (memory 2)
      (func (export "run") (param $n i32) (param $reps i32) (result i32)
        (local $i i32) (local $j i32) (local $k i32) (local $acc f64) (local $r i32) (local $bOff i32) (local $cOff i32)
        (local.set $bOff (i32.mul (i32.mul (local.get $n) (local.get $n)) (i32.const 8)))
        (local.set $cOff (i32.mul (local.get $bOff) (i32.const 2)))
        ;; A[i][j] = i + j, B[i][j] = i - j
        (local.set $i (i32.const 0))
        (loop $fi (local.set $j (i32.const 0))
          (loop $fj
            (f64.store (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 3))
              (f64.convert_i32_s (i32.add (local.get $i) (local.get $j))))
            (f64.store (i32.add (local.get $bOff) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 3)))
              (f64.convert_i32_s (i32.sub (local.get $i) (local.get $j))))
            (br_if $fj (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $n))))
          (br_if $fi (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
        (loop $rep
          (local.set $i (i32.const 0))
          (loop $li (local.set $j (i32.const 0))
            (loop $lj (local.set $acc (f64.const 0)) (local.set $k (i32.const 0))
              (loop $lk
                (local.set $acc (f64.add (local.get $acc)
                  (f64.mul (f64.load (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $k)) (i32.const 3)))
                           (f64.load (i32.add (local.get $bOff) (i32.shl (i32.add (i32.mul (local.get $k) (local.get $n)) (local.get $j)) (i32.const 3)))))))
                (br_if $lk (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (local.get $n))))
              (f64.store (i32.add (local.get $cOff) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 3))) (local.get $acc))
              (br_if $lj (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $n))))
            (br_if $li (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
          (br_if $rep (local.tee $reps (i32.sub (local.get $reps) (i32.const 1)))))
        ;; checksum: C[n-1][n-1] truncated
        (i32.trunc_f64_s (f64.load (i32.add (local.get $cOff) (i32.shl (i32.sub (i32.mul (local.get $n) (local.get $n)) (i32.const 1)) (i32.const 3)))))))`,
  },
  {
    name: 'simd',
    what: 'f32x4 y = a*x + y over 4096 floats, 50 times (v128 loads, stores, lane arithmetic)',
    export: 'run',
    args: [4096, 50],
    expect: 0, // filled in from the native run
    trivialArgs: [4, 1],
    wat: `(module (memory 1)
      (func (export "run") (param $n i32) (param $reps i32) (result i32) (local $i i32) (local $a v128) (local $acc v128)
        ;; x[i] = i at 0, y[i] = 1 at 32768
        (loop $fill
          (f32.store (i32.shl (local.get $i) (i32.const 2)) (f32.convert_i32_u (local.get $i)))
          (f32.store offset=32768 (i32.shl (local.get $i) (i32.const 2)) (f32.const 1))
          (br_if $fill (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
        (local.set $a (f32x4.splat (f32.const 0.5)))
        (loop $rep
          (local.set $i (i32.const 0))
          (loop $l
            (v128.store offset=32768 (local.get $i)
              (f32x4.add (f32x4.mul (local.get $a) (v128.load (local.get $i))) (v128.load offset=32768 (local.get $i))))
            (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 16))) (i32.shl (local.get $n) (i32.const 2)))))
          (br_if $rep (local.tee $reps (i32.sub (local.get $reps) (i32.const 1)))))
        ;; checksum: the lanes of y truncated to integers and added
        (local.set $i (i32.const 0))
        (loop $sum
          (local.set $acc (i32x4.add (local.get $acc) (i32x4.trunc_sat_f32x4_s (v128.load offset=32768 (local.get $i)))))
          (br_if $sum (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 16))) (i32.shl (local.get $n) (i32.const 2)))))
        (i32.add (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
                 (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc))))))`,
  },
  {
    name: 'binary-trees',
    what: 'GC: 4 binary trees of depth 14 built of structs and walked (struct.new, struct.get, ref.is_null)',
    export: 'run',
    args: [14, 4],
    expect: 4 * 32767,
    trivialArgs: [0, 1],
    gc: true,
    wat: `(module
      (type $node (struct (field $l (ref null $node)) (field $r (ref null $node))))
      (func $make (param $d i32) (result (ref $node))
        (if (result (ref $node)) (i32.eqz (local.get $d))
          (then (struct.new $node (ref.null $node) (ref.null $node)))
          (else (struct.new $node (call $make (i32.sub (local.get $d) (i32.const 1)))
                                  (call $make (i32.sub (local.get $d) (i32.const 1)))))))
      (func $check (param $t (ref $node)) (result i32)
        (if (result i32) (ref.is_null (struct.get $node $l (local.get $t)))
          (then (i32.const 1))
          (else (i32.add (i32.const 1)
                  (i32.add (call $check (ref.as_non_null (struct.get $node $l (local.get $t))))
                           (call $check (ref.as_non_null (struct.get $node $r (local.get $t)))))))))
      (func (export "run") (param $d i32) (param $n i32) (result i32) (local $sum i32)
        (loop $l
          (local.set $sum (i32.add (local.get $sum) (call $check (call $make (local.get $d)))))
          (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
        (local.get $sum)))`,
  },
];

/**
 * How long a kernel is called in its process before its warm figure is
 * taken: at least `calls` calls after the first, and at least `ms`
 * milliseconds of them. The first few calls of a kernel on the interpreter
 * are still slow (V8 optimises cmr's loop, deoptimises it at a case with no
 * type feedback yet, optimises it again), so a warm figure from a fixed few
 * calls is not a steady state yet.
 */
const WARM = { calls: 10, ms: 500 };
const WARM_QUICK = { calls: 3, ms: 100 };

/**
 * How many fresh processes time each kernel on each engine; the table
 * takes the one with the median warm figure. One process is a coin flip on
 * the interpreter: V8 settles cmr's loop in one of two states, and which
 * one depends on a race between its concurrent compiler and the loop's
 * own second call (docs/performance.md, "Bistable warm times (session 12)":
 * the sieve kernel 29 ms warm in most processes, 35 ms in about one in
 * ten). With five, the median lands in the rarer state only when three of
 * them do.
 */
const PROCESSES = 5;

/** One kernel timed in one process (its own, or the shared one of the interpreter's "after the others" columns). */
export interface KernelTiming {
  /**
   * The process's first call of the kernel (on the interpreter: preparing
   * its code, and V8 compiling the loop for it), in CPU time as warmMs is
   * (the compiles it starts on V8's other threads count), so that first
   * call / warm compares like with like; wall time where the host cannot say.
   */
  firstMs: number;
  /** The same call's wall time. */
  firstWallMs: number;
  /** Steady state: the least CPU time among the last half of the calls after the first (see timeCalls); their wall time where the host cannot say. */
  warmMs: number;
  /** The least wall time among the same calls. */
  wallMs: number;
  /** Their median wall time: above wallMs by what the machine's other load and the calls' own pauses added. */
  medianMs: number;
  /** Calls after the first. */
  calls: number;
  /** The answer, the same on every call (checked). */
  result: number;
  /** The JS host and its V8. */
  host: string;
}

/**
 * Times `call` in this process: the first call, then calls until WARM is
 * reached; the warm figure is the best of the last half of them, when the
 * interpreter's loop has stopped being recompiled. The best, not the
 * median: on the shared machine another process's turn on the core only
 * ever adds to a call's wall time (a call of a few ms waits a whole 4 ms
 * scheduler tick), so under load the median measures the load (the native
 * loop kernel: a median of 12 ms where its best, and an idle machine's
 * every call, is 3.9 ms) and the best stays the kernel's. And CPU time,
 * not wall time, where the host has process.cpuUsage: a call of 30 ms or
 * more is never left alone on a loaded core, so its best wall time is
 * still the load's (the sieve kernel: 29 ms idle, a best of 90 to 490 ms
 * per process at load average 20-23, while its CPU time stayed at 29.5 to
 * 32.7 ms in 19 processes of 20). The process's CPU time (all its
 * threads: a compile or a collection a call waits for is counted) is what
 * an idle machine's wall time is (the sieve kernel: 29.35 ms CPU, 29.27 ms
 * wall). The best wall time and the median are kept too, so the table can
 * say how far apart they were. Every call's answer must be the first's.
 */
function timeCalls(name: string, call: () => Value, quick: boolean): KernelTiming {
  const warm = quick ? WARM_QUICK : WARM;
  const cpu = typeof process.cpuUsage === 'function' ? () => process.cpuUsage() : null;
  const ms = (c: NodeJS.CpuUsage): number => {
    const d = process.cpuUsage(c);
    return (d.user + d.system) / 1000;
  };
  const c0 = cpu?.();
  const t0 = performance.now();
  const result = call();
  const firstWallMs = performance.now() - t0;
  const firstMs = c0 === undefined ? firstWallMs : ms(c0);
  if (typeof result !== 'number') throw new Error(`${name}: answered ${String(result)}, not an i32`);
  const times: number[] = [];
  const cpuTimes: number[] = [];
  const start = performance.now();
  while (times.length < warm.calls || performance.now() - start < warm.ms) {
    const c = cpu?.();
    const t = performance.now();
    const r = call();
    times.push(performance.now() - t);
    if (c !== undefined) cpuTimes.push(ms(c));
    if (r !== result) throw new Error(`${name}: answered ${String(r)} after ${String(result)}`);
  }
  const steady = times.slice(Math.floor(times.length / 2));
  const wallMs = Math.min(...steady);
  const warmMs = cpuTimes.length === 0 ? wallMs : Math.min(...cpuTimes.slice(Math.floor(cpuTimes.length / 2)));
  return { firstMs, firstWallMs, warmMs, wallMs, medianMs: median(steady), calls: times.length, result, host: hostName() };
}

type KernelEngine = 'native' | 'interp' | 'floor';

/** The kernel's export from `file`, instantiated on `engine`, as a call with the kernel's arguments. */
async function kernelCall(engine: CoreEngine, k: Kernel, file: string): Promise<() => Value> {
  const bytes = new Uint8Array(readFileSync(file));
  const module = decodeModule(bytes, WASM_3_0_SUPPORTED);
  validateModule(module, WASM_3_0_SUPPORTED);
  const inst = await engine.instantiate(module, bytes, []);
  const f = inst.exports.get(k.export);
  if (!f || f.kind !== 'func') throw new Error(`${k.name}: no function export "${k.export}"`);
  const func = f.value;
  return () => func.call(k.args)[0]!;
}

/**
 * The loop kernel's function prepared as cmr's interpreter prepares it, run
 * by the dispatch floor (dispatch-floor.ts), or the first node it has no
 * case for when preparation changed the kernel's nodes: the bench then says so.
 */
function floorCall(k: Kernel, file: string): { call: () => Value } | { unsupported: number } {
  const bytes = new Uint8Array(readFileSync(file));
  const module = decodeModule(bytes, WASM_3_0_SUPPORTED);
  validateModule(module, WASM_3_0_SUPPORTED);
  const exp = module.exports.find((e) => e.name === k.export);
  if (exp?.kind !== 'func' || module.imports.length !== 0) throw new Error(`${k.name}: the floor needs a module with no imports and an exported function`);
  const code = functionPreparer(module)(exp.index);
  const op = unsupportedNode(code);
  if (op !== null) return { unsupported: op };
  const frame = floorFrame(code);
  const n = k.args[0] as number;
  return { call: () => runFloor(code, frame, n) };
}

/** In a child process: time kernel `name` from `file` on `engine` alone, print its KernelTiming as JSON. */
async function kernelChild(engine: KernelEngine, name: string, file: string, quick: boolean): Promise<void> {
  const k = kernelNamed(name);
  let call: () => Value;
  if (engine === 'floor') {
    const f = floorCall(k, file);
    if ('unsupported' in f) {
      process.stdout.write(`${JSON.stringify({ unsupported: f.unsupported })}\n`);
      return;
    }
    call = f.call;
  } else {
    call = await kernelCall(engine === 'native' ? new NativeEngine() : new Interpreter(), k, file);
  }
  process.stdout.write(`${JSON.stringify(timeCalls(`${name} on ${engine}`, call, quick))}\n`);
}

/**
 * In a child process: every kernel on the interpreter, one after the
 * other in the bench's order, each timed as in a process of its own:
 * the measure before session 9, where each kernel runs a loop V8 compiled
 * with the type feedback of the kernels before it.
 */
async function sharedChild(dir: string, quick: boolean): Promise<void> {
  const out: Record<string, KernelTiming> = {};
  for (const k of kernels) out[k.name] = timeCalls(`${k.name} after the others`, await kernelCall(new Interpreter(), k, join(dir, `${k.name}.wasm`)), quick);
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

function kernelNamed(name: string): Kernel {
  const k = kernels.find((c) => c.name === name);
  if (k === undefined) throw new Error(`no kernel named ${name}`);
  return k;
}

/** The `deno` package's binary (a dev dependency), or null where it is not installed. */
function denoBinary(): string | null {
  try {
    const exe = join(dirname(createRequire(import.meta.url).resolve('deno/package.json')), 'deno');
    accessSync(exe, constants.X_OK);
    return exe;
  } catch {
    return null;
  }
}

/** Runs this script as a child (on node, or on Deno: `deno` its binary) with `args`, and parses its last line of JSON. */
function benchChild<T>(args: string[], deno: string | null = null): T {
  const self = fileURLToPath(import.meta.url);
  const [exe, argv] = deno === null ? [process.execPath, [self, ...args]] : [deno, ['run', '-A', self, ...args]];
  const r = spawnSync(exe, argv, { encoding: 'utf8', cwd: projectRoot(), maxBuffer: 1 << 24 });
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.status !== 0 || !line.startsWith('{')) throw new Error(`bench ${args.join(' ')}${deno === null ? '' : ' on Deno'} failed: ${r.stderr.trim() || r.stdout.trim()}`);
  return JSON.parse(line) as T;
}

/** A kernel's timing in the process with the median warm figure of several, and every process's warm figure, lowest first. */
export type OwnTiming = KernelTiming & { processes: number[] };

/** Of one kernel's timings in several processes, the one with the median warm figure (the lower middle one of an even number). */
export function medianProcess(runs: KernelTiming[]): OwnTiming {
  const sorted = [...runs].sort((a, b) => a.warmMs - b.warmMs);
  return { ...sorted[(sorted.length - 1) >> 1]!, processes: sorted.map((t) => t.warmMs) };
}

/**
 * Kernel `k` (its binary `file`) on `engine`, in PROCESSES fresh processes
 * of its own (one with --quick; on Deno when `deno` is given): the timing
 * of the one with the median warm figure.
 */
function ownProcess(engine: KernelEngine, k: Kernel, file: string, quick: boolean, deno: string | null = null): OwnTiming {
  const runs: KernelTiming[] = [];
  for (let i = 0; i < (quick ? 1 : PROCESSES); i++) runs.push(benchChild<KernelTiming>(['--kernel-child', engine, k.name, file, ...(quick ? ['--quick'] : [])], deno));
  return medianProcess(runs);
}

/** Each timing's median wall time against its best, lowest and highest: how much the machine's load added to wall times in this run. */
function spreadOf(timings: KernelTiming[]): string {
  const r = timings.map((t) => t.medianMs / t.wallMs);
  return `${Math.min(...r).toFixed(2)}-${Math.max(...r).toFixed(2)}x`;
}

/** The JS host and its V8, as Deno's and Node's `process.versions` say. */
function hostName(): string {
  const v = process.versions as Record<string, string | undefined>;
  return `${v['deno'] !== undefined ? `Deno ${v['deno']}` : `node ${process.version}`}, V8 ${v['v8'] ?? '?'}`;
}

/** wabt's wasm-interp, from the wabt package's bin folder. */
function wasmInterpPath(): string {
  const pkg = createRequire(import.meta.url).resolve('wabt/package.json');
  return join(dirname(pkg), 'bin', 'wasm-interp');
}

/** wabt's C++ wasm-interp (native code: Debian's `wabt` package) when it is on PATH, else null. */
function cppWasmInterp(): string | null {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    const exe = join(dir || '.', 'wasm-interp');
    try {
      accessSync(exe, constants.X_OK);
      // `npm run` puts node_modules/.bin first on PATH, where the wabt npm
      // package's `wasm-interp` is a node script running the wasm build: only
      // a native executable (an ELF file, not a `#!` script) is the C++ one.
      if (statSync(exe).isFile() && isNativeExecutable(exe)) return exe;
    } catch {
      // not here
    }
  }
  return null;
}

/** Whether `file` starts as an ELF executable does (not a script). */
function isNativeExecutable(file: string): boolean {
  const head = readFileSync(file).subarray(0, 4);
  return head.length === 4 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46;
}

/**
 * The kernel with one more export, `bench_run`, that calls it with `args`,
 * and the kernel's own export removed: for a wasm-interp that can only run
 * all exports without arguments (`--run-all-exports`; Debian's 1.0.32 has
 * no -r/-a).
 */
function withArgsBuiltIn(k: Kernel, args: number[]): string {
  const head = new RegExp(`\\(func( \\$[\\w.]+)? \\(export "${k.export}"\\)`);
  const m = head.exec(k.wat);
  if (m === null) throw new Error(`${k.name}: the kernel's export is not an inline (func $name? (export "${k.export}")), which the wrapper needs`);
  const name = m[1]?.trim() ?? '$bench_kernel';
  const body = k.wat.replace(head, `(func ${name}`).replace(/\)\s*$/, '');
  return `${body}\n  (func (export "bench_run") (result i32) (call ${name} ${args.map((a) => `(i32.const ${a})`).join(' ')})))`;
}

/**
 * Milliseconds of CPU time a wasm-interp spends in the kernel: the best of
 * `runs` whole runs minus the best of as many runs with trivial arguments
 * (process start-up, decoding, validation). `command` gives the command line that
 * runs the kernel with the given arguments. Returns the result it printed too.
 */
function timeWasmInterp(k: Kernel, runs: number, command: (args: number[]) => string[]): { ms: number; result: string } {
  const once = (args: number[]) => {
    // Run under bash's `time`, which reports the child's CPU time (user +
    // system, its every thread) on stderr's last line: the kernels' cmr and
    // native figures are CPU time, and wall time on a loaded machine would
    // count other processes' turns against wasm-interp alone.
    const r = spawnSync('bash', ['-c', 'TIMEFORMAT="cpu %3U %3S"; time "$@"', 'bash', ...command(args)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${k.name}: wasm-interp failed: ${r.stderr || r.stdout}`);
    const cpu = /cpu (\d+\.\d+) (\d+\.\d+)\s*$/.exec(r.stderr);
    if (cpu === null) throw new Error(`${k.name}: no CPU time from bash's time: ${r.stderr}`);
    const ms = (Number(cpu[1]) + Number(cpu[2])) * 1000;
    // wasm-interp prints i32 results unsigned.
    const printed = /=> i32:(\d+)/.exec(r.stdout)?.[1];
    return { ms, result: printed === undefined ? r.stdout.trim() : String(Number(printed) | 0) };
  };
  let full = Infinity;
  let base = Infinity;
  let result = '';
  for (let i = 0; i < runs; i++) {
    const f = once(k.args as number[]);
    full = Math.min(full, f.ms);
    result = f.result;
    base = Math.min(base, once(k.trivialArgs).ms);
  }
  return { ms: Math.max(full - base, 0.01), result };
}

/** Checks a kernel's answer on one engine against the expected one: a wrong answer is never timed. */
function checkAnswer(k: Kernel, where: string, got: number | string, expect: Value): void {
  if (String(got) !== String(expect)) throw new Error(`${k.name}: wrong answer (${where} ${String(got)}, expected ${String(expect)})`);
}

const x = (ratio: number, digits = 1): string => `${ratio.toFixed(digits)}x`;
/** A ratio beside its target's verdict. */
const against = (ratio: number, limit: number, digits = 1): string => `${x(ratio, digits)}: ${verdict(ratio <= limit)}`;

/** The kernel table (issue 13's targets: cmr ≤ 15x native, first call ≤ 2x warm) and the lines under it. */
async function kernelRows(dir: string, quick: boolean, runs: number): Promise<string[]> {
  const cpp = cppWasmInterp();
  const files = new Map<Kernel, string>();
  for (const k of kernels) {
    const file = join(dir, `${k.name}.wasm`);
    writeFileSync(file, await watToBinary(k.wat));
    files.set(k, file);
  }
  const shared = benchChild<Record<string, KernelTiming>>(['--kernels-shared', dir, ...(quick ? ['--quick'] : [])]);
  const rows = [
    '| kernel | what | native (ms) | cmr interpreter (ms) | cmr / native (target ≤ 15x) | interpreter first call (ms) | first call / warm (target ≤ 2x) | after the kernels before it: interpreter (ms) | after them: cmr / native | after them: first call / warm (target ≤ 2x) | wabt wasm-interp, wasm (ms) | wabt wasm-interp, C++ (ms) | cmr / wabt wasm | cmr / wabt C++ |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  let loopInterp: KernelTiming | null = null;
  const timings: KernelTiming[] = Object.values(shared);
  // The interpreter's warm figure in each of a kernel's processes (on node), for the line under the table.
  const perProcess: string[] = [];
  const own = (engine: KernelEngine, k: Kernel, file: string, deno: string | null = null): OwnTiming => {
    const t = ownProcess(engine, k, file, quick, deno);
    timings.push(t);
    if (engine === 'interp' && deno === null) perProcess.push(`${k.name} ${t.processes.map((ms) => ms.toFixed(1)).join(', ')}`);
    return t;
  };
  let gcNote = '';
  for (const k of kernels) {
    const file = files.get(k)!;
    const interp = own('interp', k, file);
    const after = shared[k.name]!;
    const firstCells = `${interp.firstMs.toFixed(1)} | ${against(interp.firstMs / interp.warmMs, 2, 2)} | ${after.warmMs.toFixed(1)}`;
    const afterFirst = against(after.firstMs / after.warmMs, 2, 2);
    if (k.gc) {
      checkAnswer(k, 'interpreter', interp.result, k.expect);
      checkAnswer(k, 'interpreter, after the others', after.result, k.expect);
      // Native where the host has GC; else, with the `deno` package's
      // binary (V8 15: Wasm GC natively), both engines on Deno, each in a
      // process of its own, and the ratio taken there: an interpreter and a
      // native engine on the same V8, as for every other row.
      const deno = hostFeatures().gc ? null : denoBinary();
      let native = 'n/a (host lacks gc)', ratio = 'n/a', afterRatio = 'n/a';
      if (hostFeatures().gc || deno !== null) {
        const n = own('native', k, file, deno);
        const i = deno === null ? interp : own('interp', k, file, deno);
        checkAnswer(k, `native (${n.host})`, n.result, k.expect);
        checkAnswer(k, `interpreter (${i.host})`, i.result, k.expect);
        native = deno === null ? n.warmMs.toFixed(2) : `${n.warmMs.toFixed(2)} (on ${n.host})`;
        ratio = deno === null ? against(i.warmMs / n.warmMs, 15) : `${against(i.warmMs / n.warmMs, 15)} (both on Deno: ${i.warmMs.toFixed(1)} ms interpreted)`;
        afterRatio = deno === null ? x(after.warmMs / n.warmMs) : 'n/a (on node)';
        if (deno !== null) gcNote = ` The GC kernel's native figure and ratio come from Deno (${n.host}): Node 20's V8 lacks Wasm GC; its interpreter columns are node's.`;
      }
      // wabt's interpreters (the wasm build and the C++ one) have no GC: their columns are n/a.
      rows.push(`| ${k.name} | ${k.what} | ${native} | ${interp.warmMs.toFixed(1)} | ${ratio} | ${firstCells} | ${afterRatio} | ${afterFirst} | n/a (no GC) | n/a (no GC) | n/a | n/a |`);
      continue;
    }
    const native = own('native', k, file);
    const expect = k.expect === 0 ? native.result : k.expect;
    checkAnswer(k, 'native', native.result, expect);
    checkAnswer(k, 'interpreter', interp.result, expect);
    checkAnswer(k, 'interpreter, after the others', after.result, expect);
    if (k.name === 'loop') loopInterp = interp;
    const wabt = timeWasmInterp(k, runs, (args) => [process.execPath, wasmInterpPath(), file, '-r', k.export, ...args.flatMap((a) => ['-a', `i32:${a}`])]);
    checkAnswer(k, 'wabt wasm-interp', wabt.result, expect);
    let cppMs = 'absent';
    let cppRatio = 'absent';
    if (cpp !== null) {
      const wrapped = new Map<number[], string>();
      for (const args of [k.args as number[], k.trivialArgs]) {
        const f = join(dir, `${k.name}-${args.join('-')}.wasm`);
        writeFileSync(f, await watToBinary(withArgsBuiltIn(k, args)));
        wrapped.set(args, f);
      }
      const c = timeWasmInterp(k, runs, (args) => [cpp, wrapped.get(args)!, '--run-all-exports']);
      checkAnswer(k, cpp, c.result, expect);
      cppMs = c.ms.toFixed(1);
      cppRatio = x(interp.warmMs / c.ms, 2);
    }
    rows.push(`| ${k.name} | ${k.what} | ${native.warmMs.toFixed(2)} | ${interp.warmMs.toFixed(1)} | ${against(interp.warmMs / native.warmMs, 15)} | ${firstCells} | ${x(after.warmMs / native.warmMs)} | ${afterFirst} | ${wabt.ms.toFixed(1)} | ${cppMs} | ${x(interp.warmMs / wabt.ms, 2)} | ${cppRatio} |`);
  }
  const warm = quick ? WARM_QUICK : WARM;
  const cppNote = cpp !== null
    ? `wabt's C++ wasm-interp: ${cpp} (${spawnSync(cpp, ['--version'], { encoding: 'utf8' }).stdout.trim()}), timed the same way, the kernel called through a no-argument export`
    : 'wabt\'s C++ wasm-interp is absent (not on PATH; Debian: apt-get install wabt), so its columns say so';
  const processes = quick ? 'one fresh process' : `${PROCESSES} fresh processes`;
  rows.push('', `Each kernel on each engine in ${processes} of its own (${hostName()}), the table showing the one with the median warm figure: the first call is that process's first call of the kernel, which on the interpreter includes preparing its code and V8 compiling cmr's interpreter loop for it (and again after each deoptimisation), in CPU time as warm is; warm is the least CPU time (process.cpuUsage, the process's every thread) among the last half of the calls after it, called until at least ${warm.calls} calls and ${warm.ms} ms have passed (the best, not the median, and CPU time, not wall time: another process's turn on the shared machine's cores only ever adds to a call's wall time, and a call of tens of ms is never left alone on a loaded core; in this run each timing's median wall time was ${spreadOf(timings)} its best). More than one process because V8 settles cmr's loop in one of two states, the slower about 1.2x on the sieve kernel, and which one is a race in each process (docs/performance.md, "Bistable warm times (session 12)"); the interpreter's warm figure in each process, in ms, lowest first: ${perProcess.join('; ')}.${gcNote} "After the kernels before it": one more process runs every kernel on the interpreter in the table's order, each timed the same way, so each runs a loop V8 optimised with the type feedback of the kernels before it, and its first call starts in that optimised loop rather than compiling one from scratch (a case with no feedback yet still deoptimises it; the bench's measure before session 9, which took the best of 3 calls after one warm-up there). wasm-interp (the wabt npm package, compiled to wasm, run on node): best of ${runs} process runs minus the best of ${runs} runs with trivial arguments, in CPU time (bash's time builtin: user + system) as cmr's figures are; ${cppNote}.`);
  rows.push('', floorLine(kernelNamed('loop'), files.get(kernelNamed('loop'))!, loopInterp, quick));
  return rows;
}

/** The dispatch floor's line (dispatch-floor.ts): the loop kernel's nodes in a minimal switch, against cmr's loop. */
function floorLine(k: Kernel, file: string, cmr: KernelTiming | null, quick: boolean): string {
  const floor = benchChild<KernelTiming | { unsupported: number }>(['--kernel-child', 'floor', k.name, file, ...(quick ? ['--quick'] : [])]);
  const what = 'Dispatch floor (a measuring aid, not part of cmr: scripts/dispatch-floor.ts): the loop kernel\'s own prepared nodes (5 per iteration) run by a plain JS switch of only their cases, with no fuel checkpoint, in a process of its own, timed the same way';
  if ('unsupported' in floor) return `${what}: not run, the loop kernel's prepared nodes changed (node ${floor.unsupported.toString(16)} has no case in it).`;
  if (cmr === null) throw new Error('the loop kernel was not timed');
  checkAnswer(k, 'dispatch floor', floor.result, cmr.result);
  return `${what}: ${floor.warmMs.toFixed(1)} ms warm; cmr's interpreter on the same kernel ${cmr.warmMs.toFixed(1)} ms, ${x(cmr.warmMs / floor.warmMs, 2)} the floor.`;
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const runs = quick ? 1 : 3;
  const child = process.argv.indexOf('--kernel-child');
  if (child >= 0) {
    const [engine, name, file] = process.argv.slice(child + 1, child + 4);
    if (engine !== 'native' && engine !== 'interp' && engine !== 'floor') throw new Error(`--kernel-child: no engine ${String(engine)}`);
    await kernelChild(engine, name ?? '', file ?? '', quick);
    return;
  }
  const shared = process.argv.indexOf('--kernels-shared');
  if (shared >= 0) {
    await sharedChild(process.argv[shared + 1] ?? '', quick);
    return;
  }
  if (process.argv.includes('--load')) {
    process.stdout.write(`${(await realWorldRows(mkdtempSync(join(tmpdir(), 'cmr-bench-')), quick ? 1 : 3)).join('\n')}\n`);
    process.stdout.write(`\n${realCodeRows().join('\n')}\n`);
    return;
  }
  if (process.argv.includes('--canon')) {
    process.stdout.write(`${(await canonRows(quick)).join('\n')}\n`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'cmr-bench-'));
  process.stdout.write(`${(await kernelRows(dir, quick, runs)).join('\n')}\n`);
  if (process.argv.includes('--kernels')) return; // the kernel table alone
  process.stdout.write(`\n${(await realWorldRows(dir, quick ? 1 : 3)).join('\n')}\n`);
  process.stdout.write(`\n${realCodeRows().join('\n')}\n`);
  process.stdout.write(`\n${(await canonRows(quick)).join('\n')}\n`);
}

/** The real-code row's component: SpiderMonkey running a JavaScript `sum` over a list (scripts/real-code.ts). */
const REAL_CODE_COMPONENT = join(projectRoot(), '..', 'shared', 'real-world', 'componentize-js', 'rich.component.wasm');
const REAL_CODE_N = 300;

/**
 * The interpreter on compiled code that is not a kernel: a warm call of
 * the componentize-js rich component's `sum` (a JavaScript loop that
 * SpiderMonkey, C++ compiled by clang, interprets) on jco, cmr native and
 * cmr's interpreter, each in a fresh process (scripts/real-code.ts). No
 * target is set for it (issue 13's interpreter target names the kernels);
 * it says what the kernels' ratios leave out.
 */
function realCodeRows(): string[] {
  if (!existsSync(REAL_CODE_COMPONENT)) return [`(real-code row skipped: ${REAL_CODE_COMPONENT} not found)`];
  const run = (engine: string): { firstMs: number; warmMs: number; calls: number } =>
    child('real-code', [engine, REAL_CODE_COMPONENT, String(REAL_CODE_N)]);
  const jco = run('jco'), native = run('native'), interp = run('interp');
  return [
    `| real code: componentize-js/rich \`sum\` of a list of ${REAL_CODE_N} u32 (SpiderMonkey running a JavaScript loop), warm call | jco (ms) | cmr native (ms) | native / jco | cmr interpreter (ms) | interpreter / native | interpreter first call (ms) |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| warm: best of the last half of ≥ 10 calls and ≥ 0.5 s | ${jco.warmMs.toFixed(2)} | ${native.warmMs.toFixed(2)} | ${(native.warmMs / jco.warmMs).toFixed(2)}x | ${interp.warmMs.toFixed(1)} | ${(interp.warmMs / native.warmMs).toFixed(1)}x | ${interp.firstMs.toFixed(0)} |`,
  ];
}

/** The real-world component of the load rows (12 MB: StarlingMonkey and a little JS). */
const LOAD_COMPONENT = join(projectRoot(), '..', 'shared', 'real-world', 'componentize-js', 'hello.component.wasm');

interface LoadRun {
  /** File to the first call's result. */
  ms: number;
  /** Component.fromFile alone (cmr only). */
  loadMs?: number;
  /** CPU time of the process, every thread, file to first result (cmr only). */
  cpuMs?: number;
  /** The process's peak resident memory, bytes. */
  maxRss: number;
  /** A second call (cmr only). */
  warmMs?: number;
  result: unknown;
}

/** Runs one of the bench's child scripts (dist/scripts/NAME.js) and parses its line of JSON. */
function child<T>(name: string, args: string[]): T {
  const script = join(dirname(fileURLToPath(import.meta.url)), `${name}.js`);
  const r = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${name} ${args.join(' ')}: ${r.stderr.trim()}`);
  return JSON.parse(r.stdout) as T;
}

/** One load, file to first call, in a fresh process: cmr on an engine, or jco. */
function timeLoad(engine: 'interp' | 'native' | 'jco', file: string): LoadRun {
  const m = engine === 'jco' ? child<LoadRun>('load-jco', [file]) : child<LoadRun>('load-time', [engine, file]);
  if (m.result !== 'hello, cmr') throw new Error(`load ${engine} ${file}: greet answered ${JSON.stringify(m.result)}`);
  return m;
}

const mb = (bytes: number): string => (bytes / 1e6).toFixed(0);
const verdict = (ok: boolean): string => (ok ? 'met' : 'not met');

/** The core modules of the real-world corpus and jco-transpile's wasm-tools module, as files in `dir`. */
async function coreModuleFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  const corpus = join(projectRoot(), '..', 'shared', 'real-world');
  const components = ['componentize-js', 'jsco-wat', 'wasmtime-p2'].flatMap((sub) => {
    const d = join(corpus, sub);
    return existsSync(d) ? readdirSync(d).filter((f) => f.endsWith('.wasm')).map((f) => join(d, f)) : [];
  });
  const seen = new Set<string>();
  const collect = (c: ComponentAst): void => {
    for (const d of c.definitions) {
      if (d.kind === 'component') collect(d.component);
      if (d.kind !== 'coreModule') continue;
      const key = createHash('sha256').update(d.bytes).digest('hex');
      if (seen.has(key)) continue; // the same adapter module in every wasmtime program: counted once
      seen.add(key);
      const file = join(dir, `core-${files.length}.wasm`);
      writeFileSync(file, d.bytes);
      files.push(file);
    }
  };
  for (const f of components) collect(decodeComponent(new Uint8Array(readFileSync(f)), WASM_3_0_SUPPORTED));
  files.push(join(dirname(createRequire(import.meta.url).resolve('@bytecodealliance/jco-transpile')), '..', 'vendor', 'wasm-tools.core.wasm'));
  return files;
}

/**
 * The real-world rows: (1) the 12 MB componentize-js component, file to
 * first call, on jco, cmr native and cmr's interpreter, each run in a fresh
 * process, the three taking turns `runs` times (medians); (2) decoding and
 * validating every core module of the corpus and jco-transpile's
 * wasm-tools module; (3) the same component from its serialized form (`cmr
 * compile`) against its .wasm, taking turns with the runs of (1).
 */
async function realWorldRows(dir: string, runs: number): Promise<string[]> {
  if (!existsSync(LOAD_COMPONENT)) return [`(real-world rows skipped: ${LOAD_COMPONENT} not found)`];
  // One serialized form per engine, as `cmr compile --engine` makes it (the interpreter's holds its prepared code).
  const serialized = { native: join(dir, 'hello-native.cwasm'), interp: join(dir, 'hello-interp.cwasm') };
  const compileMs = { native: 0, interp: 0 };
  for (const engine of ['native', 'interp'] as const) {
    const t0 = performance.now();
    const c = spawnSync(process.execPath, [join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cli', 'main.js'), 'compile', '--engine', engine, LOAD_COMPONENT, '-o', serialized[engine]], { encoding: 'utf8' });
    if (c.status !== 0) throw new Error(`cmr compile: ${c.stderr.trim()}`);
    compileMs[engine] = performance.now() - t0;
  }

  const jco: LoadRun[] = [];
  const wasm = { native: [] as LoadRun[], interp: [] as LoadRun[] };
  const ser = { native: [] as LoadRun[], interp: [] as LoadRun[] };
  for (let i = 0; i < runs; i++) {
    jco.push(timeLoad('jco', LOAD_COMPONENT));
    for (const engine of ['native', 'interp'] as const) {
      wasm[engine].push(timeLoad(engine, LOAD_COMPONENT));
      ser[engine].push(timeLoad(engine, serialized[engine]));
    }
  }
  const jcoMs = median(jco.map((r) => r.ms));
  const jcoRss = median(jco.map((r) => r.maxRss));
  const rows = [
    '| componentize-js/hello (12 MB), file to first call | wall (ms) | / jco | target | peak memory (MB) | / jco | target (≤ 1.2x) | instantiation and first call / second call |',
    '| --- | ---: | ---: | --- | ---: | ---: | --- | ---: |',
    `| jco (transpile, instantiate, call) | ${jcoMs.toFixed(0)} | 1.00x | peer | ${mb(jcoRss)} | 1.00x | peer | |`,
  ];
  for (const engine of ['native', 'interp'] as const) {
    const ms = median(wasm[engine].map((r) => r.ms));
    const rss = median(wasm[engine].map((r) => r.maxRss));
    const target = engine === 'native' ? 1.0 : 1.5;
    const call = median(wasm[engine].map((r) => (r.ms - r.loadMs!) / r.warmMs!));
    rows.push(`| cmr ${engine} | ${ms.toFixed(0)} | ${(ms / jcoMs).toFixed(2)}x | ≤ ${target.toFixed(1)}x: ${verdict(ms / jcoMs <= target)} | ${mb(rss)} | ${(rss / jcoRss).toFixed(2)}x | ${verdict(rss / jcoRss <= 1.2)} | ${call.toFixed(1)}x |`);
  }
  rows.push('', `Medians of ${runs} fresh processes each, jco and cmr taking turns; peak memory is each process's peak resident set (node's own ~45 MB included); the last column is instantiation and the first call (where the interpreter prepares what the call reaches) against a second call.`);

  const modules = await coreModuleFiles(dir);
  const dv = child<{ bytes: number; ms: number; cpuMs: number; heapPerByte: number; rssPerByte: number }>('decode-validate', [String(Math.min(runs, 2)), ...modules]);
  const mbps = dv.bytes / 1e6 / (dv.ms / 1000);
  const cpuMbps = dv.bytes / 1e6 / (dv.cpuMs / 1000);
  rows.push('',
    '| decode + validate, core modules | input (MB) | wall (ms) | MB/s (target ≥ 20) | MB/s of CPU time | peak heap per byte of the largest input (target ≤ 10) | peak resident memory per byte |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${modules.length} modules: the corpus's (each once) and jco-transpile's wasm-tools | ${(dv.bytes / 1e6).toFixed(1)} | ${dv.ms.toFixed(0)} | ${mbps.toFixed(1)}: ${verdict(mbps >= 20)} | ${cpuMbps.toFixed(1)} | ${dv.heapPerByte.toFixed(1)}: ${verdict(dv.heapPerByte <= 10)} | ${dv.rssPerByte.toFixed(1)} |`,
    '', `Best of ${Math.min(runs, 2)} runs in one fresh process; the heap figure is V8's used heap after each function body is checked, above what the process held before (the largest input is 12 MB of SpiderMonkey).`);

  rows.push('',
    '| load: file to first call, componentize-js/hello (12 MB) | from .wasm (ms) | from serialized (ms) | speed-up (target ≥ 5x) | CPU time: .wasm / serialized (ms) | CPU speed-up | of which loading the file: .wasm / serialized (ms) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const engine of ['native', 'interp'] as const) {
    const w = median(wasm[engine].map((r) => r.ms));
    const s = median(ser[engine].map((r) => r.ms));
    const wc = median(wasm[engine].map((r) => r.cpuMs!));
    const sc = median(ser[engine].map((r) => r.cpuMs!));
    rows.push(`| ${engine} | ${w.toFixed(0)} | ${s.toFixed(0)} | ${(w / s).toFixed(1)}x: ${verdict(w / s >= 5)} | ${wc.toFixed(0)} / ${sc.toFixed(0)} | ${(wc / sc).toFixed(1)}x | ${median(wasm[engine].map((r) => r.loadMs!)).toFixed(0)} / ${median(ser[engine].map((r) => r.loadMs!)).toFixed(0)} |`);
  }
  rows.push('', `Medians of the same ${runs} turns; \`cmr compile --engine E\` (a process: decode, validate, serialize, write) took ${compileMs.native.toFixed(0)} ms (native) and ${compileMs.interp.toFixed(0)} ms (interp: every function prepared and stored too); the serialized forms are ${(statSync(serialized.native).size / 1e6).toFixed(2)} MB (native) and ${(statSync(serialized.interp).size / 1e6).toFixed(2)} MB (interp) (the .wasm: ${(statSync(LOAD_COMPONENT).size / 1e6).toFixed(2)} MB).`);
  return rows;
}

if (isMainModule(import.meta)) {
  main().catch((e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
