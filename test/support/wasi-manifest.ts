// The real-world corpus (../shared/real-world or $CMR_REAL_WORLD) and
// wasmtime-p2/manifest.json as WASI contexts: each entry's argv, env,
// stdin, preopens (a temporary copy, seeded), fake clocks, with stdout and
// stderr captured.

import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WasiCtxBuilder, type WasiCtx } from '../../src/index.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Where the corpus is: $CMR_REAL_WORLD, else ../shared/real-world beside the checkout. */
export const realWorldDir = process.env.CMR_REAL_WORLD ?? join(repo, '..', 'shared', 'real-world');

/** Why the corpus cannot be used, or null when it can. */
export function realWorldMissing(): string | null {
  return existsSync(join(realWorldDir, 'wasmtime-p2', 'manifest.json')) ? null : `no real-world corpus at ${realWorldDir} (set CMR_REAL_WORLD)`;
}

export interface ManifestEntry {
  file: string;
  world: 'command' | 'reactor';
  args: string[];
  env: Record<string, string>;
  stdin: string | null;
  preopens: { host: string; guest: string; readOnly: boolean }[];
  seedFiles?: Record<string, string>;
  clocks?: {
    wall: { now: { seconds: number; nanoseconds: number }; resolution: { seconds: number; nanoseconds: number } };
    monotonic: { firstNowNs: number; incrementPerNowCallNs: number; resolutionNs: number };
  };
  expect: { exit: number | null; trap?: boolean; stdout: string | null; stderr?: string; stderrContains: string[] | null; files?: Record<string, string> };
  invocations?: { export: string; args: unknown[]; result: unknown; streamContents?: string }[];
}

export function manifestEntry(file: string): ManifestEntry {
  const all = JSON.parse(readFileSync(join(realWorldDir, 'wasmtime-p2', 'manifest.json'), 'utf8')) as ManifestEntry[];
  const e = all.find((x) => x.file === file);
  if (e === undefined) throw new Error(`manifest.json has no entry ${file}`);
  return e;
}

/** A context for a manifest entry, its captured output, and the temporary preopen (removed by `dispose`). */
export interface ManifestRun {
  ctx: WasiCtx;
  stdout(): string;
  stderr(): string;
  /** The temporary copy of the preopened folder, or null. */
  folder: string | null;
  dispose(): void;
}

export function contextFor(e: ManifestEntry): ManifestRun {
  const out: Uint8Array[] = [];
  const err: Uint8Array[] = [];
  const b = new WasiCtxBuilder().args(e.args).env(e.env).stdout((x) => out.push(x)).stderr((x) => err.push(x));
  if (e.stdin !== null) b.stdin(new TextEncoder().encode(e.stdin));
  let folder: string | null = null;
  for (const p of e.preopens) {
    folder = mkdtempSync(join(tmpdir(), 'cmr-real-world-'));
    cpSync(join(realWorldDir, 'wasmtime-p2', p.host), folder, { recursive: true });
    for (const [name, text] of Object.entries(e.seedFiles ?? {})) writeFileSync(join(folder, name), text);
    b.preopenedDir(folder, p.guest, { readOnly: p.readOnly });
  }
  if (e.clocks !== undefined) {
    const { wall, monotonic } = e.clocks;
    // wasmtime's fake monotonic clock: firstNowNs, then incrementPerNowCallNs more at every call.
    let next = BigInt(monotonic.firstNowNs);
    b.wallClock({
      now: () => ({ seconds: BigInt(wall.now.seconds), nanoseconds: wall.now.nanoseconds }),
      resolution: () => ({ seconds: BigInt(wall.resolution.seconds), nanoseconds: wall.resolution.nanoseconds }),
    });
    b.monotonicClock({
      now: () => {
        const t = next;
        next += BigInt(monotonic.incrementPerNowCallNs);
        return t;
      },
      resolution: () => BigInt(monotonic.resolutionNs),
    });
  }
  const ctx = b.build();
  return {
    ctx,
    stdout: () => Buffer.concat(out).toString('utf8'),
    stderr: () => Buffer.concat(err).toString('utf8'),
    folder,
    dispose() {
      ctx.close();
      if (folder !== null) rmSync(folder, { recursive: true, force: true });
    },
  };
}
