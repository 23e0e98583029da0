// Store: the state of one group of component instances (wasmtime's
// `Store<T>`): the canonical ABI store (trace hook, hostcall fuel), the
// host's table of resource representations, and the embedder's own data.

import { CanonStore, type TraceHook } from '../component/canon/trace.js';
import type { Engine } from './engine.js';

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
    return <R>(f: () => R): R => {
      const saved = this.canon.hostcallFuel;
      this.canon.hostcallFuel = fuel;
      try {
        return f();
      } finally {
        fuel = this.canon.hostcallFuel;
        this.canon.hostcallFuel = saved;
      }
    };
  }
}
