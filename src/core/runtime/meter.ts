// Fuel and deadlines for running wasm (wasmtime's `consume_fuel` and epoch
// interruption). The interpreter charges one unit of fuel per function call
// and per loop iteration (a loop body's entry) — not per instruction, which
// would cost the interpreter too much — and so every unbounded computation
// passes a checkpoint. At a checkpoint it counts down `ticks`, a plain
// number; only when that runs out does it come here (`refill`), which
// either traps (no fuel left, deadline passed) or hands out the next slice.
// With no fuel and no deadline `ticks` starts at 2^30 - 1 and refill only
// starts the count again.
//
// One meter for the process: calls nest (host → wasm → host → wasm) but
// never run in parallel, and whoever starts a call (the embedder API, the
// .wast runner) installs its store's budget for the call's duration with
// `withBudget` and reads back what is left.

import { Trap } from '../errors.js';

/** The trap when fuel runs out (wasmtime's words). */
export const FUEL_EXHAUSTED = 'all fuel consumed by WebAssembly';
/** The trap when a deadline passes. */
export const TIMED_OUT = 'timed out: the epoch deadline was reached';

/** Checkpoints between two looks at the epoch when no fuel is counted. */
const EPOCH_SLICE = 10_000;

/**
 * `ticks` when nothing is counted, and the largest slice of fuel: a small
 * integer (V8's Smi), never Infinity, so that counting it down in the
 * interpreter's loop stays an integer operation (a double field would be
 * boxed anew at each store). Reaching zero only calls refill once more.
 */
const UNLIMITED = 0x3fffffff;

/**
 * An epoch counter: a 32-bit integer in shared memory, so that another
 * thread (a Worker ticking it) can advance it while wasm runs on this one.
 */
export class Epoch {
  readonly counter = new Int32Array(new SharedArrayBuffer(4));

  get value(): number {
    return Atomics.load(this.counter, 0);
  }

  increment(): void {
    Atomics.add(this.counter, 0, 1);
  }
}

/** What one call may spend: fuel (null: not counted) and an epoch deadline (null: none). */
export interface Budget {
  fuel: number | null;
  epoch: Epoch | null;
  deadline: number | null;
}

interface MeterState {
  ticks: number;
  reserve: number;
  counting: boolean;
  epoch: Epoch | null;
  deadline: number;
}

export class Meter {
  /** Checkpoints left before the next call of `refill`. */
  ticks = UNLIMITED;
  /** Fuel not yet handed out in `ticks` (when fuel is counted). */
  private reserve = 0;
  private counting = false;
  private epoch: Epoch | null = null;
  private deadline = Infinity;

  /**
   * Runs `f` under `budget`, restoring the enclosing budget afterwards;
   * `onFuelLeft` receives the fuel left (when counted), after a trap too.
   */
  withBudget<R>(budget: Budget, f: () => R, onFuelLeft?: (fuel: number) => void): R {
    const saved = this.install(budget);
    try {
      return f();
    } finally {
      this.uninstall(saved, onFuelLeft);
    }
  }

  /**
   * withBudget for an asynchronous `f` (instantiation, whose start
   * functions run between awaits): the budget stays installed until f
   * settles, so other wasm that runs on this thread meanwhile spends from it.
   */
  async withBudgetAsync<R>(budget: Budget, f: () => Promise<R>, onFuelLeft?: (fuel: number) => void): Promise<R> {
    const saved = this.install(budget);
    try {
      return await f();
    } finally {
      this.uninstall(saved, onFuelLeft);
    }
  }

  private install(budget: Budget): MeterState {
    const saved = { ticks: this.ticks, reserve: this.reserve, counting: this.counting, epoch: this.epoch, deadline: this.deadline };
    this.counting = budget.fuel !== null;
    this.reserve = budget.fuel ?? 0;
    this.epoch = budget.deadline !== null ? budget.epoch : null;
    this.deadline = budget.deadline ?? Infinity;
    this.ticks = this.counting || this.epoch !== null ? 0 : UNLIMITED;
    return saved;
  }

  private uninstall(saved: MeterState, onFuelLeft?: (fuel: number) => void): void {
    const left = this.fuelLeft();
    // Field by field: Object.assign is a generic copy, and this runs on every call.
    this.ticks = saved.ticks;
    this.reserve = saved.reserve;
    this.counting = saved.counting;
    this.epoch = saved.epoch;
    this.deadline = saved.deadline;
    if (left !== null) onFuelLeft?.(left);
  }

  /** The fuel not yet spent, or null when fuel is not counted. */
  fuelLeft(): number | null {
    return this.counting ? this.reserve + Math.max(this.ticks, 0) : null;
  }

  /**
   * Called by the interpreter when `ticks` went below zero: traps if the
   * fuel is spent or the deadline has passed, else hands out the next slice.
   */
  refill(): void {
    if (this.epoch !== null && this.epoch.value >= this.deadline) throw new Trap(TIMED_OUT);
    if (!this.counting) {
      this.ticks = this.epoch !== null ? EPOCH_SLICE : UNLIMITED;
      return;
    }
    // `ticks` is -1: the checkpoint that called refill needs a unit too.
    const slice = Math.min(this.reserve, this.epoch !== null ? EPOCH_SLICE : UNLIMITED);
    if (slice === 0) {
      this.ticks = 0;
      throw new Trap(FUEL_EXHAUSTED);
    }
    this.reserve -= slice;
    this.ticks += slice;
  }
}

/** The meter of this process's interpreter. */
export const meter = new Meter();
