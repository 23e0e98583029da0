// Resource limits (wasmtime's `ResourceLimiter` and `StoreLimits`): how
// large memories and tables may be made or grow, and how many instances,
// tables and memories one store may hold. Both engines consult the limiter
// of the running store when they instantiate a module (a minimum beyond the
// limit is a clean instantiation failure, before anything is allocated) and
// when the interpreter grows a memory or table (beyond the limit, the grow
// fails with -1, as the spec allows); the native engine asks once per
// memory and table, at instantiation, for the largest size allowed, since V8
// grows without asking (native/grow-caps.ts). Without a store's own limiter the
// default applies, which protects the process: a table of 2^32 elements
// would otherwise abort Node itself.

import type { Module } from '../syntax/ast.js';
import { PAGE_SIZE } from '../syntax/types.js';
import { Trap } from '../errors.js';

/** Decides whether memories and tables may grow, and how many items a store may hold. */
export interface ResourceLimiter {
  /** May a memory go from `current` to `desired` bytes? (`maximum`: its declared maximum in bytes, or null.) */
  memoryGrowing(current: number, desired: number, maximum: number | null): boolean;
  /** May a table go from `current` to `desired` elements? (`maximum`: its declared maximum, or null.) */
  tableGrowing(current: number, desired: number, maximum: number | null): boolean;
  /** The most core instances a store may hold. */
  readonly instances: number;
  /** The most tables a store may hold. */
  readonly tables: number;
  /** The most memories a store may hold. */
  readonly memories: number;
}

/** The limits of StoreLimits; every field optional (wasmtime's StoreLimitsBuilder). */
export interface StoreLimitsConfig {
  /** The most bytes one memory may have (default: no limit beyond the engine's own). */
  memorySize?: number | null;
  /** The most elements one table may have (default 10 000 000). */
  tableElements?: number | null;
  /** The most core instances in a store (default 10 000). */
  instances?: number;
  /** The most tables in a store (default 10 000). */
  tables?: number;
  /** The most memories in a store (default 10 000). */
  memories?: number;
}

/** Tables beyond this many elements are refused by default: each element costs the process memory. */
export const DEFAULT_TABLE_ELEMENTS = 10_000_000;

/** A ResourceLimiter from fixed limits (wasmtime's `StoreLimits`). */
export class StoreLimits implements ResourceLimiter {
  readonly memorySize: number | null;
  readonly tableElements: number | null;
  readonly instances: number;
  readonly tables: number;
  readonly memories: number;

  constructor(config: StoreLimitsConfig = {}) {
    this.memorySize = config.memorySize ?? null;
    this.tableElements = config.tableElements === undefined ? DEFAULT_TABLE_ELEMENTS : config.tableElements;
    this.instances = config.instances ?? 10_000;
    this.tables = config.tables ?? 10_000;
    this.memories = config.memories ?? 10_000;
  }

  memoryGrowing(_current: number, desired: number): boolean {
    return this.memorySize === null || desired <= this.memorySize;
  }

  tableGrowing(_current: number, desired: number): boolean {
    return this.tableElements === null || desired <= this.tableElements;
  }
}

/** A limiter and what its store holds so far. */
export class LimitScope {
  instances = 0;
  tables = 0;
  memories = 0;
  constructor(readonly limiter: ResourceLimiter) {}
}

/** Outside any store (core modules of the .wast runner): the default limits, nothing counted against a store. */
const processScope = new LimitScope(new StoreLimits({ instances: Infinity, tables: Infinity, memories: Infinity }));
let active = processScope;

/** The limiter of the running store. */
export function activeLimiter(): ResourceLimiter {
  return active.limiter;
}

/** Runs `f` (which may return a Promise) with `scope` as the running store's limits. */
export function withLimits<R>(scope: LimitScope, f: () => R): R {
  const saved = active;
  active = scope;
  let async = false;
  try {
    const r = f();
    if (r instanceof Promise) {
      async = true;
      return r.finally(() => { active = saved; }) as R;
    }
    return r;
  } finally {
    if (!async) active = saved;
  }
}

/**
 * Checks an instantiation of `m` against the running store's limits before
 * anything is allocated: the count of instances, tables and memories, and
 * the minimum size of each table and memory `m` defines.
 */
export function checkInstantiation(m: Module): void {
  const scope = active;
  const l = scope.limiter;
  if (scope.instances + 1 > l.instances) throw new Trap(`resource limit exceeded: instance count too high at ${scope.instances + 1} (limit ${l.instances})`);
  if (scope.tables + m.tables.length > l.tables) throw new Trap(`resource limit exceeded: table count too high at ${scope.tables + m.tables.length} (limit ${l.tables})`);
  if (scope.memories + m.mems.length > l.memories) throw new Trap(`resource limit exceeded: memory count too high at ${scope.memories + m.mems.length} (limit ${l.memories})`);
  for (const t of m.tables) {
    const { min, max } = t.type.limits;
    if (!l.tableGrowing(0, Number(min), max === null ? null : Number(max))) {
      throw new Trap(`resource limit exceeded: table minimum size of ${min} elements exceeds table limits`);
    }
  }
  for (const mem of m.mems) {
    const { min, max } = mem.type.limits;
    if (!l.memoryGrowing(0, Number(min) * PAGE_SIZE, max === null ? null : Number(max) * PAGE_SIZE)) {
      throw new Trap(`resource limit exceeded: memory minimum size of ${min} pages exceeds memory limits`);
    }
  }
  scope.instances++;
  scope.tables += m.tables.length;
  scope.memories += m.mems.length;
}
