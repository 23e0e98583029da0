// Tests of `--timeout` on a command that must first reach some state (a
// debugger prompt, a second `continue`) for the test to show what it says:
// that the limit ends the command *there*. How long a process takes to
// start node, load cmr and get to that state depends on the machine's load,
// not on cmr (a 2-core machine at load 20 took more than 8 s), so no one
// limit is both short enough for an idle run and long enough for a loaded
// one. The test runs the command with a short limit and, only when the run
// ended (as every run must, by its limit) before reaching the state, again
// with a longer one. The last attempt must have reached it.

import { SPAWN_LIMIT_MS } from './spawn-limit.js';

/** The limits tried in turn, in seconds: an idle machine reaches the state well within the first. */
export const TIMEOUT_ATTEMPTS = [3, 12, 48] as const;

/** The own limit of an attempt's process: only for a hang (the limit not working), far above the limit it is given, so that load cannot make it the one that ends the run. */
export const attemptKillMs = (seconds: number): number => seconds * 1000 + SPAWN_LIMIT_MS;

/** The mocha limit of a test that makes the attempts: a ceiling for a hang. */
export const ATTEMPTS_CEILING_MS = TIMEOUT_ATTEMPTS.reduce((a, s) => a + attemptKillMs(s), 0);

/**
 * Runs `attempt(seconds)` for each of TIMEOUT_ATTEMPTS until `reached` says a
 * run got to its state before the limit ended it; returns that run and its
 * limit, or the last run when none did (the caller's assertions then fail on it).
 * `attempt` asserts itself what every run must show (that the limit ended it).
 */
export async function reachThenTimeOut<R>(attempt: (seconds: number) => R | Promise<R>, reached: (r: R) => boolean): Promise<{ result: R; seconds: number }> {
  let last: { result: R; seconds: number } | undefined;
  for (const seconds of TIMEOUT_ATTEMPTS) {
    last = { result: await attempt(seconds), seconds };
    if (reached(last.result)) break;
  }
  return last!;
}
