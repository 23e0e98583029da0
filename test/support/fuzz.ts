// Property and fuzz tests run within an explicit time budget: up to
// `numRuns` cases, but never longer than `ms` milliseconds (fast-check's
// interruptAfterTimeLimit, not counted as a failure), so that a loaded
// 2-core machine runs fewer cases instead of failing on mocha's timeout.
// Any counterexample found within the budget still fails the test.

import type { Parameters } from 'fast-check';

/** The mocha timeout of a test that runs under `fuzzBudget(…, ms)`: the budget plus room for set-up and shrinking. */
export const fuzzTimeout = (ms: number) => ms + 30_000;

export function fuzzBudget<T>(numRuns: number, ms = 2_000): Parameters<T> {
  return { numRuns, interruptAfterTimeLimit: ms, markInterruptAsFailure: false };
}

/**
 * An error a decoder or validator wraps around a crash of its own (a JS
 * TypeError, RangeError …): a bug, which fuzz tests must not accept as a
 * clean refusal.
 */
export function isInternalError(e: unknown): boolean {
  return e instanceof Error && /^internal (decoder|validator) error/.test(e.message);
}
