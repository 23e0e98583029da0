// `cmr fuzz`: differential fuzzing of the interpreter against the native
// engine on random valid core modules (src/fuzz/). Runs until --time
// seconds have passed or --count modules are done, saves each disagreement
// as a .wat with the command that reproduces it, and ends with one line:
// modules, calls, disagreements.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fuzzOne, type Disagreement } from '../fuzz/differential.js';

export interface FuzzOptions {
  seed?: string;
  time?: string;
  count?: string;
  out?: string;
}

function positiveInt(v: string | undefined, what: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${what} must be a whole number, not ${v}`);
  return n;
}

/** Writes the reproducer of a disagreement; returns its path. */
function save(d: Disagreement, dir: string): string {
  const path = join(dir, `cmr-fuzz-${d.seed}.wat`);
  const header = [
    `;; cmr fuzz: the interpreter and the native engine disagree.`,
    `;; Reproduce: cmr fuzz --seed ${d.seed} --count 1`,
    `;; At: ${d.where}`,
    `;;   interp: ${d.interp}`,
    `;;   native: ${d.native}`,
  ].join('\n');
  writeFileSync(path, `${header}\n${d.wat}`);
  return path;
}

export async function runFuzz(opts: FuzzOptions): Promise<number> {
  const seed = positiveInt(opts.seed, '--seed', Math.floor(Math.random() * 2 ** 31));
  const seconds = positiveInt(opts.time, '--time', opts.count === undefined ? 10 : 0);
  const count = positiveInt(opts.count, '--count', Number.POSITIVE_INFINITY);
  const dir = opts.out ?? '.';
  const tty = process.stderr.isTTY;
  const deadline = Date.now() + seconds * 1000;
  let modules = 0;
  let calls = 0;
  let disagreements = 0;
  let rejected = 0;
  while (modules < count && (seconds === 0 || Date.now() < deadline)) {
    const s = seed + modules;
    const r = await fuzzOne(s);
    modules++;
    calls += r.calls;
    if (r.rejected !== null) {
      rejected++;
      process.stdout.write(`module ${s}: generated module refused by cmr (${r.rejected.split('\n')[0]})\n`);
    }
    if (r.disagreement) {
      disagreements++;
      const path = save(r.disagreement, dir);
      process.stdout.write(`module ${s}: disagreement at ${r.disagreement.where} (saved to ${path})\n`);
    }
    if (tty) process.stderr.write(`\r\x1b[K${modules} modules, ${calls} calls, ${disagreements} disagreements`);
  }
  if (tty) process.stderr.write('\r\x1b[K');
  process.stdout.write(`seed ${seed}: ${modules} modules, ${calls} calls, ${disagreements} disagreements${rejected ? `, ${rejected} generated modules refused` : ''}\n`);
  return disagreements === 0 && rejected === 0 ? 0 : 1;
}
