// `cmr inspect` in this process: what `runInspect` writes, captured, and
// its exit status. A spawned `cmr` costs a node start and cmr's load (seconds
// on a loaded machine); tests that compare inspect's answers run it here.

import { runInspect } from '../../src/cli/inspect.js';

/** Runs `runInspect`, capturing what it writes. */
export async function inspect(file: string, json = false): Promise<{ status: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => { out.push(String(s)); return true; }) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => { err.push(String(s)); return true; }) as typeof process.stderr.write;
  try {
    const status = await runInspect(file, { json });
    return { status, out: out.join(''), err: err.join('') };
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
  }
}
