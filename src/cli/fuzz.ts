// `cmr fuzz`: differential fuzzing (src/fuzz/). Core mode compares the
// interpreter and the native engine on random valid core modules;
// `--components` runs random component types and values through interp,
// native and jco. Runs until --time seconds have passed or --count cases
// are done; each disagreement is shrunk and saved as a .wat with the
// command that reproduces it (`--replay`). A progress bar on a terminal;
// the last line is the summary: cases, calls, disagreements. The exit
// status is 1 when anything disagreed (or cmr refused a generated case).

import { mkdirSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { fuzzRun, type Mode } from '../fuzz/campaign.js';
import { parseEngines, type EngineName } from '../fuzz/engines.js';
import { replay, saveReproducer } from '../fuzz/reproducer.js';

export interface FuzzOptions {
  seed?: string;
  time?: string;
  count?: string;
  out?: string;
  engines?: string;
  components?: boolean;
  replay?: string;
  shrinkTime?: string;
}

function wholeNumber(v: string | undefined, what: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${what} must be a whole number, not ${v}`);
  return n;
}

function enginesOf(opts: FuzzOptions, mode: Mode): EngineName[] {
  const engines = parseEngines(opts.engines ?? (mode === 'core' ? 'interp,native' : 'interp,native,jco'));
  if (mode === 'core') {
    if (engines.includes('jco')) throw new Error('--engines: jco runs components only (add --components, or compare interp,native)');
    if (engines.length < 2) throw new Error('--engines: core modules are compared between two engines (interp,native)');
  }
  return engines;
}

/** A progress bar on stderr when it is a terminal; nothing otherwise. */
function progressBar(total: number, byTime: boolean): { update(done: number, text: string): void; stop(): void } {
  if (!process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar({
    format: `{bar} {value}/{total}${byTime ? ' s' : ''}  {text}`, stream: process.stderr, hideCursor: true, clearOnComplete: true,
  }, cliProgress.Presets.shades_classic);
  bar.start(total, 0, { text: '' });
  return { update: (done, text) => bar.update(Math.min(done, total), { text }), stop: () => bar.stop() };
}

export async function runFuzz(opts: FuzzOptions): Promise<number> {
  const mode: Mode = opts.components ? 'components' : 'core';
  if (opts.replay !== undefined) {
    const engines = parseEngines(opts.engines ?? 'interp,native');
    const r = await replay(opts.replay, engines);
    if (r.rejected !== null) process.stdout.write(`${opts.replay}: refused by cmr (${r.rejected.split('\n')[0]})\n`);
    else process.stdout.write(r.disagreement === null ? `${opts.replay}: ${r.calls} calls, the engines agree\n` : `${opts.replay}: disagreement at ${r.disagreement}\n`);
    return r.disagreement === null && r.rejected === null ? 0 : 1;
  }
  const engines = enginesOf(opts, mode);
  const seed = wholeNumber(opts.seed, '--seed', Math.floor(Math.random() * 2 ** 31));
  const seconds = wholeNumber(opts.time, '--time', opts.count === undefined ? 10 : 0);
  const count = wholeNumber(opts.count, '--count', Number.POSITIVE_INFINITY);
  // 0 seconds is "no time limit", which only --count can end.
  if (seconds === 0 && count === Number.POSITIVE_INFINITY) throw new Error('--time 0 sets no time limit: give --count too, or a time in seconds');
  const shrinkMs = wholeNumber(opts.shrinkTime, '--shrink-time', 60) * 1000;
  const dir = opts.out ?? '.';
  if (opts.out !== undefined) mkdirSync(dir, { recursive: true });
  const start = Date.now();
  const byTime = count === Number.POSITIVE_INFINITY;
  const bar = progressBar(byTime ? seconds : count, byTime);
  const what = mode === 'core' ? 'modules' : 'components';
  const say = (line: string) => {
    bar.stop();
    process.stdout.write(`${line}\n`);
  };
  let t;
  try {
    t = await fuzzRun({ mode, seed, seconds, count, engines, shrinkMs }, {
      onCase(s, r, totals) {
        if (r.rejected !== null) say(`case ${s}: generated ${mode === 'core' ? 'module' : 'component'} refused by cmr (${r.rejected.split('\n')[0]})`);
        if (r.reproducer) say(`case ${s}: disagreement at ${r.reproducer.where} (shrunk, saved to ${saveReproducer(r.reproducer, dir)})`);
        bar.update(byTime ? Math.floor((Date.now() - start) / 1000) : totals.cases, `${totals.cases} ${what}, ${totals.calls} calls, ${totals.disagreements} disagreements`);
      },
    });
  } finally {
    bar.stop();
  }
  for (const [why, n] of t.skipReasons) process.stdout.write(`skipped ${n} calls: ${why}\n`);
  const extra = [t.skips ? `${t.skips} skipped calls` : '', t.rejected ? `${t.rejected} generated ${what} refused` : ''].filter(Boolean);
  process.stdout.write(`seed ${seed}: ${t.cases} ${what}, ${t.calls} calls, ${t.disagreements} disagreements${extra.length ? `, ${extra.join(', ')}` : ''}\n`);
  return t.disagreements === 0 && t.rejected === 0 ? 0 : 1;
}
