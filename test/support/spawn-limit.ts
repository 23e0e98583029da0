// Limits of tests that spawn cmr (or a script) and wait for it. Starting a
// process costs node's start and cmr's load, some 0.5 s on an idle machine
// and up to 30 s under c8 on a 2-core machine at load 20 (measured: twelve
// spawns took more than 240 s). These limits are ceilings for a hang, never
// durations a test is expected to come near.

/** One spawned process's own limit: what ends a command that hangs, so that its test fails rather than the whole run. */
export const SPAWN_LIMIT_MS = 120_000;

/** The mocha limit of a test that spawns up to `spawns` processes one after another: a minute each. */
export const spawnsCeiling = (spawns: number): number => spawns * 60_000;
