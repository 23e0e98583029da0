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
import { runSeed, type Mode } from '../fuzz/campaign.js';
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
  const shrinkMs = wholeNumber(opts.shrinkTime, '--shrink-time', 60) * 1000;
  const dir = opts.out ?? '.';
  if (opts.out !== undefined) mkdirSync(dir, { recursive: true });
  const start = Date.now();
  const deadline = start + seconds * 1000;
  const byTime = count === Number.POSITIVE_INFINITY;
  const bar = progressBar(byTime ? seconds : count, byTime);
  let cases = 0;
  let calls = 0;
  let skips = 0;
  let disagreements = 0;
  let rejected = 0;
  const say = (line: string) => {
    bar.stop();
    process.stdout.write(`${line}\n`);
  };
  try {
    while (cases < count && (seconds === 0 || Date.now() < deadline)) {
      const s = seed + cases;
      const r = await runSeed(mode, s, { engines, shrinkMs });
      cases++;
      calls += r.calls;
      skips += r.skips;
      if (r.rejected !== null) {
        rejected++;
        say(`case ${s}: generated ${mode === 'core' ? 'module' : 'component'} refused by cmr (${r.rejected.split('\n')[0]})`);
      }
      if (r.reproducer) {
        disagreements++;
        const path = saveReproducer(r.reproducer, dir);
        say(`case ${s}: disagreement at ${r.reproducer.where} (shrunk, saved to ${path})`);
      }
      bar.update(byTime ? Math.floor((Date.now() - start) / 1000) : cases, `${cases} ${mode === 'core' ? 'modules' : 'components'}, ${calls} calls, ${disagreements} disagreements`);
    }
  } finally {
    bar.stop();
  }
  const what = mode === 'core' ? 'modules' : 'components';
  const extra = [skips ? `${skips} skipped calls` : '', rejected ? `${rejected} generated ${what} refused` : ''].filter(Boolean);
  process.stdout.write(`seed ${seed}: ${cases} ${what}, ${calls} calls, ${disagreements} disagreements${extra.length ? `, ${extra.join(', ')}` : ''}\n`);
  return disagreements === 0 && rejected === 0 ? 0 : 1;
}
