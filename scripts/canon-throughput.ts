// The bench's canonical-ABI rows (issue 13): a list<string> of 10 000
// strings and a list<record> of 10 000 records moved through the canonical
// ABI, lowered into guest memory (the host calls an export taking the list:
// canon lift's parameter path) and lifted out of it (an export returning
// the list it last took), on cmr's two engines and on jco's generated glue
// for the same component (scripts/fixtures/canon-lists.wat). The guest does
// O(1) work per call, so the times are the canonical ABI's (and realloc's,
// which the guest runs once per list and once per string on each engine).
//
// Honesty: the three run the same binary with the same values; each one's
// answers are checked equal to the values passed in (and so to each other)
// once, outside the timed loops. Each target runs in a process of its own
// (`node dist/scripts/canon-throughput.js --child <target>`), so the
// garbage collections its calls cause are its own and are counted: the
// figure is the mean CPU time of all its timed calls, collections
// included. (Until session 12 the three took turns in one process and the
// figure was the best mean of 5 calls: that left out the collections, and
// hid that every lifted list was being promoted to the old generation,
// 4x the mean cost of a list<record> lift.) The processes take turns
// (jco, cmr native, cmr interp, three times), so a busy moment of the
// shared machine falls on all three alike.

import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { Component, Engine, Linker, Store } from '../src/api/index.js';
import type { Func } from '../src/api/index.js';
import type { Component as ComponentClass } from '../src/api/index.js';
import { Interpreter } from '../src/core/exec/index.js';
import { NativeEngine } from '../src/core/native/index.js';
import type { FuncInst } from '../src/core/runtime/func.js';
import { jcoTranspile } from '../src/cli/run-jco.js';
import { watToBinary } from '../src/text/wat.js';
import { projectRoot } from '../src/wast/suites.js';
import { isMainModule, median } from './script-main.js';

const N = 10_000;

/** 10 000 strings of 1 to 40 characters, one in eight with non-ASCII characters (2- and 3-byte UTF-8). */
export function benchStrings(): string[] {
  const out: string[] = [];
  for (let i = 0; i < N; i++) {
    const base = `item-${i}-${'abcdefghijklmnopqrstuvwxyz'.slice(0, i % 27)}`;
    out.push(i % 8 === 0 ? `${base}-grüße→${i}` : base);
  }
  return out;
}

/** 10 000 records { id: u32, name: string, score: f64, active: bool }. */
export function benchItems(): { id: number; name: string; score: number; active: boolean }[] {
  const names = benchStrings();
  return names.map((name, i) => ({ id: (i * 2654435761) >>> 0, name, score: i / 7 - 300.25, active: i % 3 === 0 }));
}

/** One target's four calls: the list in (answering its length) and the list out. */
interface Target {
  takeStrings(l: string[]): unknown;
  giveStrings(): unknown;
  takeItems(l: unknown[]): unknown;
  giveItems(): unknown;
}

async function cmrTarget(coreEngine: 'interp' | 'native', bytes: Uint8Array): Promise<Target> {
  const engine = new Engine({ coreEngine });
  const component = await Component.fromBinary(engine, bytes);
  const store = new Store(engine);
  const instance = await new Linker(engine).instantiate(store, component);
  const iface = instance.getExportIndex(null, 'cmr:bench/lists');
  const f = (name: string): Func => {
    const index = iface === null ? null : instance.getExportIndex(iface, name);
    const func = index === null ? null : instance.getFunc(index);
    if (func === null) throw new Error(`canon bench: no export ${name}`);
    return func;
  };
  const [ts, gs, ti, gi] = [f('take-strings'), f('give-strings'), f('take-items'), f('give-items')];
  return {
    takeStrings: (l) => ts.callSync(store, [l])[0],
    giveStrings: () => gs.callSync(store, [])[0],
    takeItems: (l) => ti.callSync(store, [l as never])[0],
    giveItems: () => gi.callSync(store, [])[0],
  };
}

async function jcoTarget(bytes: Uint8Array): Promise<{ target: Target; cleanup(): void }> {
  const out = await jcoTranspile(bytes);
  const dir = mkdtempSync(join(tmpdir(), 'cmr-bench-canon-'));
  for (const [name, data] of out.files) writeFileSync(join(dir, name), data);
  const module = (await import(pathToFileURL(join(dir, 'component.js')).href)) as Record<string, Record<string, (...a: unknown[]) => unknown> | undefined>;
  const glue = module['cmr:bench/lists'] ?? module.lists ?? {};
  for (const n of ['takeStrings', 'giveStrings', 'takeItems', 'giveItems']) {
    if (typeof glue[n] !== 'function') throw new Error(`jco's glue exports no ${n}`);
  }
  return {
    target: {
      takeStrings: (l) => glue.takeStrings!(l),
      giveStrings: () => glue.giveStrings!(),
      takeItems: (l) => glue.takeItems!(l),
      giveItems: () => glue.giveItems!(),
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

interface Op {
  name: string;
  what: string;
  /** Made once per target before its timed calls of this op (a give-* needs its list taken first). */
  setup(t: Target): void;
  run(t: Target): unknown;
  /** The answer every target must give, checked outside the timed loop. */
  expect: unknown;
}

function ops(strings: string[], items: unknown[]): Op[] {
  return [
    { name: 'list<string> lower', what: `host → guest: take-strings(${N} strings)`, setup: () => {}, run: (t) => t.takeStrings(strings), expect: N },
    { name: 'list<string> lift', what: `guest → host: give-strings() → ${N} strings`, setup: (t) => { t.takeStrings(strings); }, run: (t) => t.giveStrings(), expect: strings },
    { name: 'list<record> lower', what: `host → guest: take-items(${N} records {u32, string, f64, bool})`, setup: () => {}, run: (t) => t.takeItems(items), expect: N },
    { name: 'list<record> lift', what: `guest → host: give-items() → ${N} records`, setup: (t) => { t.takeItems(items); }, run: (t) => t.giveItems(), expect: items },
  ];
}

const TARGETS = ['jco', 'native', 'interp'] as const;
type TargetName = typeof TARGETS[number];

/** Calls per operation in a target's process: warm-up (untimed), then timed. */
const CALLS = { warm: 10, timed: 60 };
const CALLS_QUICK = { warm: 2, timed: 5 };

/**
 * One target's figures, in this process (a child of canonRows): per
 * operation, after a check of its answer and warm-up calls, the mean CPU
 * time (user + system, V8's helper threads included: not wall time, which
 * on a shared machine counts the moments another process held the core)
 * of its timed calls, the garbage collections they cause included.
 */
async function targetTimes(name: TargetName, quick: boolean): Promise<number[]> {
  const bytes = await watToBinary(readFileSync(join(projectRoot(), 'scripts', 'fixtures', 'canon-lists.wat'), 'utf8'));
  const jco = name === 'jco' ? await jcoTarget(bytes) : null;
  try {
    const t = jco !== null ? jco.target : await cmrTarget(name as 'native' | 'interp', bytes);
    const calls = quick ? CALLS_QUICK : CALLS;
    return ops(benchStrings(), benchItems()).map((op) => {
      op.setup(t);
      if (!isDeepStrictEqual(op.run(t), op.expect)) throw new Error(`canon bench: ${op.name} on ${name} answered differently from the values passed in`);
      for (let i = 0; i < calls.warm; i++) op.run(t);
      const t0 = process.cpuUsage();
      for (let i = 0; i < calls.timed; i++) op.run(t);
      const used = process.cpuUsage(t0);
      return (used.user + used.system) / 1000 / calls.timed;
    });
  } finally {
    jco?.cleanup();
  }
}

/** targetTimes(name) in a fresh process. */
function targetTimesInChild(name: TargetName, quick: boolean): number[] {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', name, ...(quick ? ['--quick'] : [])], { encoding: 'utf8' });
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.status !== 0 || !line.startsWith('[')) throw new Error(`canon bench: the ${name} process failed: ${r.stderr.trim() || r.stdout.trim()}`);
  return JSON.parse(line) as number[];
}

/**
 * The guest's part of the lower rows: its realloc, which they call 10 001
 * times (once for the list, once per string), run alone, with the sizes
 * list<record> lower asks for, on each cmr
 * engine with the sizes they ask for. It is core code, so on the
 * interpreter it runs at the interpreter's speed: this says how much of
 * an interp lower row is that rather than the canonical ABI. The fixture's
 * core module is instantiated on its own; `take` resets its bump
 * allocator after each round, as a take-* call does.
 */
async function reallocAlone(component: ComponentClass, strings: string[], rounds: number, batch: number): Promise<Record<'native' | 'interp', number>> {
  const def = component.ast.definitions.find((d) => d.kind === 'coreModule');
  if (def === undefined || def.kind !== 'coreModule') throw new Error('canon bench: the fixture has no core module');
  const sizes = strings.map((s) => Buffer.byteLength(s, 'utf8'));
  const best = { native: Infinity, interp: Infinity };
  const calls: Record<'native' | 'interp', () => void> = { native: () => {}, interp: () => {} };
  for (const [name, engine] of [['native', new NativeEngine()], ['interp', new Interpreter()]] as const) {
    const inst = await engine.instantiate(def.module, def.bytes, []);
    const fn = (n: string): FuncInst => {
      const x = inst.exports.get(n);
      if (x?.kind !== 'func') throw new Error(`canon bench: the fixture's core module exports no ${n}`);
      return x.value;
    };
    const [realloc, take] = [fn('realloc'), fn('take')];
    calls[name] = () => {
      realloc.call([0, 0, 8, 32 * sizes.length]); // list<record>: 32-byte elements aligned to 8
      for (const size of sizes) realloc.call([0, 0, 1, size]);
      take.call([0, 0]);
    };
  }
  for (let r = 0; r < rounds; r++) {
    for (const name of ['native', 'interp'] as const) {
      const t0 = process.cpuUsage();
      for (let i = 0; i < batch; i++) calls[name]();
      const used = process.cpuUsage(t0);
      best[name] = Math.min(best[name], (used.user + used.system) / 1000 / batch);
    }
  }
  return best;
}

const verdict = (ok: boolean): string => (ok ? 'met' : 'not met');

/** The rows: per operation, jco's time and each cmr engine's ratio to it beside the target (≤ 2x). */
export async function canonRows(quick: boolean): Promise<string[]> {
  const runs = quick ? 1 : 3;
  const times: Record<TargetName, number[][]> = { jco: [], native: [], interp: [] };
  for (let r = 0; r < runs; r++) for (const name of TARGETS) times[name].push(targetTimesInChild(name, quick));
  const bytes = await watToBinary(readFileSync(join(projectRoot(), 'scripts', 'fixtures', 'canon-lists.wat'), 'utf8'));
  const rows = [
    '| canonical ABI, 10 000 elements | what | jco (ms) | cmr native (ms) | / jco (target ≤ 2x) | cmr interp (ms) | / jco (target ≤ 2x) |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  ops(benchStrings(), benchItems()).forEach((op, k) => {
    const ms = { jco: median(times.jco.map((t) => t[k]!)), native: median(times.native.map((t) => t[k]!)), interp: median(times.interp.map((t) => t[k]!)) };
    const cell = (x: number) => `${(x / ms.jco).toFixed(2)}x: ${verdict(x / ms.jco <= 2)}`;
    rows.push(`| ${op.name} | ${op.what} | ${ms.jco.toFixed(2)} | ${ms.native.toFixed(2)} | ${cell(ms.native)} | ${ms.interp.toFixed(2)} | ${cell(ms.interp)} |`);
  });
  const rounds = quick ? 3 : 20;
  const batch = 5;
  const guest = await reallocAlone(await Component.fromBinary(new Engine(), bytes), benchStrings(), rounds, batch);
  const calls = quick ? CALLS_QUICK : CALLS;
  rows.push('', `The lower rows' guest code: its realloc, called ${N + 1} times (the list, then each string), takes ${guest.native.toFixed(2)} ms of them natively and ${guest.interp.toFixed(2)} ms on the interpreter (timed alone, core calls from the host, best mean of ${batch} calls over ${rounds} rounds), which is the interpreter's speed rather than the canonical ABI's; take-* itself does O(1) work.`);
  rows.push('', `CPU time (the process's user + system time, so time the shared machine gave other processes is left out): each target in a process of its own, the mean of ${calls.timed} calls after ${calls.warm} untimed ones, the garbage collections they cause included; the median of ${runs} such process${runs === 1 ? '' : 'es'} per target, jco and cmr's engines taking turns; the same component (scripts/fixtures/canon-lists.wat) and the same values on all three, every answer checked equal to the values passed in before timing; node ${process.version}.`);
  return rows;
}

async function main(): Promise<void> {
  const child = process.argv.indexOf('--child');
  const name = process.argv[child + 1];
  if (child < 0 || !(TARGETS as readonly string[]).includes(name ?? '')) throw new Error('usage: canon-throughput.js --child <jco|native|interp> [--quick]');
  process.stdout.write(`${JSON.stringify(await targetTimes(name as TargetName, process.argv.includes('--quick')))}\n`);
}

if (isMainModule(import.meta)) {
  main().catch((e: unknown) => {
    process.stderr.write(`canon-throughput: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
