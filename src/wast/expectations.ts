// The expected-failures list (spec-tests/expected-failures.json): every
// directive cmr is known to fail, each with the reason. The gate fails on a
// failure the list does not name and on an entry that no longer fails, so
// the list stays true.

import { readFileBytes } from '../api/read-serialized.js';
import type { EngineName } from './compare.js';
import { hostFeatures, type HostFeature } from '../core/native/index.js';

export interface ExpectedFailure {
  /** Path relative to the suites root; `*` matches within a folder, `**` across folders. */
  file: string;
  /** One directive's line; absent for the whole file. */
  line?: number;
  /** The engine that fails; absent for either. */
  engine?: EngineName;
  /**
   * Where the entry differs by host: it holds only on a host engine that
   * lacks this feature (as probed at start-up, src/core/native/features.ts),
   * e.g. "multi-memory" on Node 20's V8 11.3; on a host that has it, the
   * entry is set aside (neither matched nor reported as passing).
   */
  hostLacks?: HostFeature;
  reason: string;
}

function hostHas(feature: HostFeature): boolean {
  return hostFeatures()[feature];
}

export class Expectations {
  private readonly matchers: { entry: ExpectedFailure; re: RegExp }[];
  /** Per entry: did it cover a directive in this run, and did any of those fail? */
  private readonly seen = new Map<ExpectedFailure, { covered: boolean; failed: boolean }>();

  /** The entries that hold on this host. */
  readonly entries: ExpectedFailure[];

  constructor(entries: ExpectedFailure[], has: (feature: HostFeature) => boolean = hostHas) {
    this.entries = entries.filter((e) => e.hostLacks === undefined || !has(e.hostLacks));
    this.matchers = this.entries.map((entry) => ({ entry, re: globToRegExp(entry.file) }));
  }

  /** The list read as cmr wast reads every file: bounded, and /dev/zero's first 64 KiB are all it reads (JSON.parse refuses them). */
  static async read(path: string): Promise<Expectations> {
    let bytes: Uint8Array;
    try {
      bytes = await readFileBytes(path);
    } catch (e) {
      throw new Error(`cannot read the expected-failures list ${path}: ${(e as Error).message}`);
    }
    return Expectations.parse(path, new TextDecoder().decode(bytes));
  }

  /** The list from its JSON text. */
  static parse(path: string, text: string): Expectations {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new Error(`cannot read the expected-failures list ${path}: ${(e as Error).message}`);
    }
    const list = (raw as { entries?: unknown }).entries;
    if (!Array.isArray(list)) throw new Error(`${path}: expected an object with an "entries" array`);
    for (const [i, e] of list.entries()) {
      if (typeof e?.file !== 'string' || typeof e?.reason !== 'string' || e.reason.trim() === '') {
        throw new Error(`${path}: entry ${i} needs a "file" and a non-empty "reason"`);
      }
      if (e.hostLacks !== undefined && !Object.hasOwn(hostFeatures(), e.hostLacks)) {
        throw new Error(`${path}: entry ${i}: "hostLacks" names no host feature (${Object.keys(hostFeatures()).join(', ')})`);
      }
    }
    return new Expectations(list as ExpectedFailure[]);
  }

  /**
   * Records a directive's outcome; returns the entry that expects it to fail, if any.
   * `engine` null stands for a mismatch between engines.
   */
  observe(file: string, line: number, engine: EngineName | null, failed: boolean): ExpectedFailure | null {
    let hit: ExpectedFailure | null = null;
    for (const { entry, re } of this.matchers) {
      if (!re.test(file)) continue;
      if (entry.line !== undefined && entry.line !== line) continue;
      if (entry.engine !== undefined && engine !== null && entry.engine !== engine) continue;
      const s = this.seen.get(entry) ?? { covered: false, failed: false };
      s.covered = true;
      s.failed ||= failed;
      this.seen.set(entry, s);
      hit ??= entry;
    }
    return hit;
  }

  /** Entries that covered directives in this run of which none failed. */
  unexpectedPasses(): ExpectedFailure[] {
    return this.entries.filter((e) => {
      const s = this.seen.get(e);
      return s !== undefined && s.covered && !s.failed;
    });
  }
}

export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') { re += '.*'; i++; }
    else if (c === '*') re += '[^/]*';
    else re += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
