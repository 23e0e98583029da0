// A fuzzing run (`cmr fuzz`): cases made from consecutive seeds, each run
// on the chosen engines; every disagreement is shrunk and saved as a
// reproducer (reproducer.ts) with the command that runs it again. Case i
// of a run with seed S is made from seed S+i alone, so `--seed S+i
// --count 1` makes it again. The mode decides what a case is: a random
// core module and calls of its exports (differential.ts), or an echo
// component and values of its type (component-diff.ts).

import type { ComponentValue } from '../component/canon/values.js';
import type { AbiVariant } from '../component/canon/abi-variant.js';
import { formatType } from '../component/canon/values.js';
import { runComponentCase, type ComponentRunOptions } from './component-diff.js';
import { callText, runCoreCase, type CoreCase } from './differential.js';
import type { EngineName } from './engines.js';
import { echoComponent, randomEchoCase, randomValue } from './gen-component.js';
import { generateModule, randomArg, Rng } from './gen-module.js';
import { formatComponentValue } from '../wast/component-values.js';
import { shrinkCore } from './shrink-core.js';
import { shrinkEcho } from './shrink-component.js';
import type { Reproducer } from './reproducer.js';

export type Mode = 'core' | 'components';

export interface CaseResult {
  calls: number;
  skips: number;
  /** Why calls were skipped, one entry per skipped call. */
  skipReasons: string[];
  rejected: string | null;
  /** The shrunk reproducer of a disagreement. */
  reproducer: Reproducer | null;
}

/** Values per echo component, calls per export and module. */
const VALUES_PER_COMPONENT = 4;
const CALL_ROUNDS = 3;

export interface CaseOptions {
  engines: readonly EngineName[];
  /** Time the shrinker may spend on one disagreement. */
  shrinkMs: number;
  plant?: { engine: EngineName; variant: AbiVariant };
}

/** Makes case `seed` of `mode`, runs it, and shrinks what disagrees. */
export async function runSeed(mode: Mode, seed: number, opts: CaseOptions): Promise<CaseResult> {
  return mode === 'core' ? coreSeed(seed, opts) : componentSeed(seed, opts);
}

export function coreCase(seed: number): CoreCase {
  const r = new Rng(seed);
  const { wat, funcs } = generateModule(r);
  const calls = [];
  for (let round = 0; round < CALL_ROUNDS; round++) {
    for (let i = 0; i < funcs.length; i++) calls.push({ name: `f${i}`, args: funcs[i]!.params.map((t) => randomArg(r, t)) });
  }
  return { wat, calls };
}

async function coreSeed(seed: number, opts: CaseOptions): Promise<CaseResult> {
  const c = coreCase(seed);
  const v = await runCoreCase(c, opts.engines);
  if (!v.disagreement) return { calls: v.calls, skips: 0, skipReasons: [], rejected: v.rejected, reproducer: null };
  const kind = (o: string) => (o.startsWith('trap') ? 'trap' : 'values');
  const signature = v.disagreement.outcomes.map(([, o]) => kind(o)).join();
  const stillFails = async (x: CoreCase) => {
    const w = await runCoreCase(x, opts.engines);
    return w.disagreement !== null && w.disagreement.outcomes.map(([, o]) => kind(o)).join() === signature;
  };
  const shrunk = await shrinkCore(c, v.disagreement.index, stillFails, opts.shrinkMs);
  const final = (await runCoreCase(shrunk.case, opts.engines)).disagreement ?? v.disagreement;
  return {
    calls: v.calls, skips: 0, skipReasons: [], rejected: null,
    reproducer: {
      mode: 'core', seed, engines: opts.engines, wat: shrunk.case.wat, calls: shrunk.case.calls.map(callText),
      where: final.where, outcomes: final.outcomes, expected: null, note: `shrunk in ${shrunk.steps} steps (${shrunk.tries} tries)`,
    },
  };
}

async function componentSeed(seed: number, opts: CaseOptions): Promise<CaseResult> {
  const r = new Rng(seed);
  const { type, encoding } = randomEchoCase(r);
  const values: ComponentValue[] = Array.from({ length: VALUES_PER_COMPONENT }, () => randomValue(r, type));
  const run: ComponentRunOptions = { engines: opts.engines, ...(opts.plant ? { plant: opts.plant } : {}) };
  const v = await runComponentCase({ wat: echoComponent(type, encoding), type, values }, run);
  if (!v.disagreement) return { calls: v.calls, skips: v.skips, skipReasons: v.skipReasons, rejected: v.rejected, reproducer: null };
  // The shrinker runs only the engines that got it wrong.
  const wrong = { ...run, engines: v.disagreement.wrong };
  const shrunk = await shrinkEcho({ type, encoding, value: values[v.disagreement.index]! }, async (p) => {
    const w = await runComponentCase({ wat: echoComponent(p.type, p.encoding), type: p.type, values: [p.value] }, wrong);
    return w.disagreement !== null;
  }, opts.shrinkMs);
  const p = shrunk.point;
  const wat = echoComponent(p.type, p.encoding);
  const final = (await runComponentCase({ wat, type: p.type, values: [p.value] }, run)).disagreement ?? v.disagreement;
  return {
    calls: v.calls, skips: v.skips, skipReasons: v.skipReasons, rejected: null,
    reproducer: {
      mode: 'components', seed, engines: opts.engines, wat, calls: [`(invoke "echo" ${formatComponentValue(p.value, p.type)})`],
      where: final.where, outcomes: final.outcomes, expected: final.expected,
      note: `type ${formatType(p.type)}, string encoding ${p.encoding}; shrunk in ${shrunk.steps} steps (${shrunk.tries} tries)`,
    },
  };
}

export interface RunOptions extends CaseOptions {
  mode: Mode;
  seed: number;
  /** Stop after this many seconds (0: no limit). */
  seconds: number;
  /** Stop after this many cases. */
  count: number;
}

export interface Summary {
  cases: number;
  calls: number;
  skips: number;
  /** Skipped calls by reason. */
  skipReasons: Map<string, number>;
  disagreements: number;
  rejected: number;
}

export interface RunHooks {
  /** After each case, with the totals so far. */
  onCase?(seed: number, r: CaseResult, totals: Summary): void;
}

/** The run: cases from seed, seed+1, … until the time or the count is reached. */
export async function fuzzRun(opts: RunOptions, hooks: RunHooks = {}): Promise<Summary> {
  const deadline = Date.now() + opts.seconds * 1000;
  const t: Summary = { cases: 0, calls: 0, skips: 0, skipReasons: new Map(), disagreements: 0, rejected: 0 };
  while (t.cases < opts.count && (opts.seconds === 0 || Date.now() < deadline)) {
    const s = opts.seed + t.cases;
    const r = await runSeed(opts.mode, s, opts);
    t.cases++;
    t.calls += r.calls;
    t.skips += r.skips;
    for (const why of r.skipReasons) t.skipReasons.set(why, (t.skipReasons.get(why) ?? 0) + 1);
    if (r.rejected !== null) t.rejected++;
    if (r.reproducer) t.disagreements++;
    hooks.onCase?.(s, r, t);
  }
  return t;
}
