// Store: the state of one group of component instances (wasmtime's
// `Store<T>`): the canonical ABI store (trace hook, hostcall fuel), the
// host's table of resource representations, and the embedder's own data.

import { CanonStore, type TraceHook } from '../component/canon/trace.js';
import type { Engine } from './engine.js';
import { meter, type Budget } from '../core/runtime/meter.js';
import { LimitScope, StoreLimits, withLimits, type ResourceLimiter } from '../core/runtime/limits.js';

/**
 * A table the host can keep its resources' state in: `push` gives a
 * representation (a u32 to use as the `rep` of a ResourceValue), `get` finds
 * the state again, `delete` frees the slot (call it from the resource's
 * destructor). Slots are reused after deletion, lowest first.
 */
export class ResourceTable<T = unknown> {
  private readonly slots: (T | undefined)[] = [];
  private readonly used: boolean[] = [];
  private readonly free: number[] = [];

  /** Stores `value`; returns its representation. */
  push(value: T): number {
    this.free.sort((a, b) => b - a);
    const rep = this.free.pop() ?? this.slots.length;
    this.slots[rep] = value;
    this.used[rep] = true;
    return rep;
  }

  /** The value stored under `rep`. Throws RangeError for a free or unknown slot. */
  get(rep: number): T {
    if (!this.used[rep]) throw new RangeError(`resource table: no value for rep ${rep}`);
    return this.slots[rep] as T;
  }

  /** True when `rep` holds a value. */
  has(rep: number): boolean {
    return this.used[rep] === true;
  }

  /** Removes and returns the value stored under `rep`. Throws RangeError for a free slot. */
  delete(rep: number): T {
    const v = this.get(rep);
    this.slots[rep] = undefined;
    this.used[rep] = false;
    this.free.push(rep);
    return v;
  }

  /** How many values the table holds. */
  get size(): number {
    return this.used.filter(Boolean).length;
  }
}

/** Options of a Store. */
export interface StoreOptions<T> {
  /** The embedder's own data, reachable from host functions as `store.data`. */
  data?: T;
  /** The trace hook of this store; the engine's when absent. */
  trace?: TraceHook | null;
  /**
   * The resource limiter of the store's memories, tables and instances
   * (wasmtime's `Store::limiter`). Default: `new StoreLimits()`, which
   * refuses tables beyond 10 000 000 elements and more than 10 000
   * instances, tables or memories.
   */
  limiter?: ResourceLimiter;
}

/**
 * Per-store state (wasmtime's `Store<T>`). Every instance belongs to one
 * store; its functions are called with that store. `T` is the type of the
 * embedder's own data.
 */
export class Store<T = undefined> {
  /** The canonical ABI's store: trace hook and hostcall fuel, shared by every instance of this store. */
  readonly canon = new CanonStore();
  /** A table for the state of host-defined resources. */
  readonly table = new ResourceTable();
  /** The embedder's data. */
  data: T;

  constructor(readonly engine: Engine, options: StoreOptions<T> = {}) {
    this.data = options.data as T;
    this.canon.trace = options.trace === undefined ? engine.trace : options.trace;
    this.canon.guestCopyLimit = engine.hostcallFuel;
    this.limits = new LimitScope(options.limiter ?? new StoreLimits());
    // The event loop run for host stream and future ends between calls is metered as a call is.
    this.canon.backgroundStep = (f) => this.hostcallFuelScope()(f);
  }

  private limits: LimitScope;

  /**
   * Replaces the store's resource limiter (wasmtime's \`Store::limiter\`); the
   * counts of what the store already holds are kept.
   */
  limiter(limiter: ResourceLimiter): void {
    const next = new LimitScope(limiter);
    next.instances = this.limits.instances;
    next.tables = this.limits.tables;
    next.memories = this.limits.memories;
    this.limits = next;
  }

  private fuel = 0;
  private epochDeadline: number | null = null;

  /**
   * Sets the fuel this store's wasm may spend (wasmtime's \`Store::set_fuel\`):
   * one unit per function call and per loop iteration. Needs an engine with
   * \`consumeFuel\`.
   */
  setFuel(fuel: number): void {
    if (!this.engine.consumeFuel) throw new Error('fuel is not enabled: create the Engine with consumeFuel: true');
    if (!(Number.isInteger(fuel) && fuel >= 0)) throw new RangeError(`fuel must be a non-negative integer, got ${fuel}`);
    this.fuel = fuel;
  }

  /** The fuel left (wasmtime's \`Store::get_fuel\`). Needs an engine with \`consumeFuel\`. */
  getFuel(): number {
    if (!this.engine.consumeFuel) throw new Error('fuel is not enabled: create the Engine with consumeFuel: true');
    return this.fuel;
  }

  /**
   * Wasm of this store traps with "timed out" once the engine's epoch has
   * advanced \`ticks\` beyond its value now (wasmtime's
   * \`Store::set_epoch_deadline\`). Needs an engine with \`epochInterruption\`.
   */
  setEpochDeadline(ticks: number): void {
    if (!this.engine.epochInterruption) throw new Error('epoch interruption is not enabled: create the Engine with epochInterruption: true');
    if (!(Number.isInteger(ticks) && ticks >= 0)) throw new RangeError(`the epoch deadline must be a non-negative integer, got ${ticks}`);
    this.epochDeadline = this.engine.epoch.value + ticks;
  }

  private budget(): Budget {
    return {
      fuel: this.engine.consumeFuel ? this.fuel : null,
      epoch: this.engine.epoch,
      deadline: this.engine.epochInterruption ? this.epochDeadline : null,
    };
  }

  /**
   * Runs \`f\` (a synchronous stretch of wasm) with this store's fuel and
   * deadline, keeping what fuel is left.
   * @internal
   */
  metered<R>(f: () => R): R {
    // Already running under this store's budget (a host call resumed within
    // a metered stretch): keep spending from it.
    if (this.meteredDepth > 0) return f();
    this.meteredDepth++;
    try {
      return withLimits(this.limits, () => meter.withBudget(this.budget(), f, this.keepFuelLeft));
    } finally {
      this.meteredDepth--;
    }
  }

  private meteredDepth = 0;
  /** Receives the fuel a metered stretch left (one closure for the store, not one per call). */
  private readonly keepFuelLeft = (left: number): void => { this.fuel = left; };

  /** metered for an asynchronous \`f\` (instantiation). @internal */
  meteredAsync<R>(f: () => Promise<R>): Promise<R> {
    return withLimits(this.limits, () => meter.withBudgetAsync(this.budget(), f, this.keepFuelLeft));
  }

  /** The trace hook (null: none). Setting it affects every instance of the store from the next step on. */
  get trace(): TraceHook | null {
    return this.canon.trace;
  }

  set trace(hook: TraceHook | null) {
    this.canon.trace = hook;
  }

  /**
   * Runs `f` with a fresh allowance of hostcall fuel (the engine's) and
   * restores the caller's allowance afterwards: host calls nest, each with
   * its own allowance.
   * @internal
   */
  withHostcallFuel<R>(f: () => R): R {
    const saved = this.canon.hostcallFuel;
    this.canon.hostcallFuel = this.engine.hostcallFuel;
    try {
      return f();
    } finally {
      this.canon.hostcallFuel = saved;
    }
  }

  /**
   * A scope with an allowance of hostcall fuel (`fuel`; by default a fresh
   * one, the engine's) that lasts across several synchronous stretches of one call (an async call
   * awaiting in between): each run of the returned function spends from the
   * same allowance and restores the caller's afterwards.
   * @internal
   */
  hostcallFuelScope(fuel: number | null = this.engine.hostcallFuel): <R>(f: () => R) => R {
    return <R>(f: () => R): R => this.metered(() => {
      const saved = this.canon.hostcallFuel;
      this.canon.hostcallFuel = fuel;
      try {
        return f();
      } finally {
        fuel = this.canon.hostcallFuel;
        this.canon.hostcallFuel = saved;
      }
    });
  }
}
