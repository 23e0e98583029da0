// The cache of `cmr run --engine jco`: jco's transpiled output (glue and
// core modules), one folder per component, named by a key (a sha256 of the
// component's bytes, jco's version and the options). Transpiling is most of
// jco's time, and the real-world run starts the same components many times.
//
// Where: $CMR_JCO_CACHE when set, else `cmr-jco-cache-<uid>` in the OS's
// temporary folder. Bounded: after each new entry the least recently used
// entries (a hit counts as a use) are removed until at most
// $CMR_JCO_CACHE_ENTRIES entries (default 64) of at most $CMR_JCO_CACHE_MB
// megabytes (default 256) in all remain; the entry just made stays, however
// large. Folders of writes that never finished (a killed run) are removed
// after an hour. Removing the folder by hand is always safe.

import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How much the cache may hold. */
export interface CacheLimits {
  entries: number;
  bytes: number;
}

/** A positive integer from the environment, or `fallback`. */
function envCount(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return n;
}

/** The cache's folder and limits, as the environment sets them. */
export function jcoCacheConfig(env: NodeJS.ProcessEnv = process.env): { root: string; limits: CacheLimits } {
  const root = env['CMR_JCO_CACHE'] || join(tmpdir(), `cmr-jco-cache-${process.getuid?.() ?? 'user'}`);
  return { root, limits: { entries: envCount('CMR_JCO_CACHE_ENTRIES', 64, env), bytes: envCount('CMR_JCO_CACHE_MB', 256, env) * 2 ** 20 } };
}

/** A finished entry holds this file, written last. */
const COMPLETE = 'exports.json';
/** How old an unfinished write may be before it counts as abandoned. */
const ABANDONED_MS = 3600_000;

/** The folder of entry `key` if it is complete (marked as just used), else null. */
export function cacheLookup(root: string, key: string): string | null {
  const dir = join(root, key);
  if (!existsSync(join(dir, COMPLETE))) return null;
  const now = new Date();
  try {
    utimesSync(dir, now, now);
  } catch {
    // Removed by a concurrent prune: a miss next time, still readable now or not at all.
  }
  return dir;
}

/**
 * Makes entry `key`: `write` fills a fresh folder (and must write
 * exports.json last), which is then renamed into place, so a concurrent run
 * sees all of it or none; then the cache is pruned to `limits`.
 */
export function cacheStore(root: string, key: string, limits: CacheLimits, write: (dir: string) => void): string {
  const dir = join(root, key);
  const part = `${dir}.${process.pid}.part`;
  mkdirSync(part, { recursive: true });
  try {
    write(part);
    renameSync(part, dir);
  } catch (e) {
    rmSync(part, { recursive: true, force: true });
    if (!existsSync(join(dir, COMPLETE))) throw e; // else another run got there first
  }
  pruneCache(root, limits, key);
  return dir;
}

/** Removes least recently used entries beyond `limits` (never `keep`), and abandoned writes. */
export function pruneCache(root: string, limits: CacheLimits, keep: string | null = null): void {
  const now = Date.now();
  const entries: { name: string; used: number; bytes: number }[] = [];
  for (const name of readdirSync(root)) {
    const path = join(root, name);
    let st;
    try {
      st = statSync(path);
    } catch {
      continue; // removed meanwhile
    }
    if (!st.isDirectory()) continue;
    if (name.endsWith('.part')) {
      if (now - st.mtimeMs > ABANDONED_MS) rmSync(path, { recursive: true, force: true });
      continue;
    }
    entries.push({ name, used: st.mtimeMs, bytes: folderBytes(path) });
  }
  // Most recently used first; the first entry that does not fit ends the kept ones.
  entries.sort((a, b) => (a.name === keep ? -1 : b.name === keep ? 1 : b.used - a.used));
  let count = 0;
  let bytes = 0;
  let full = false;
  for (const e of entries) {
    full ||= e.name !== keep && (count + 1 > limits.entries || bytes + e.bytes > limits.bytes);
    if (full) {
      rmSync(join(root, e.name), { recursive: true, force: true });
    } else {
      count++;
      bytes += e.bytes;
    }
  }
}

/** The bytes of the files in a folder (entries are flat). */
function folderBytes(dir: string): number {
  let n = 0;
  for (const f of readdirSync(dir)) {
    try {
      n += statSync(join(dir, f)).size;
    } catch {
      // removed meanwhile
    }
  }
  return n;
}
