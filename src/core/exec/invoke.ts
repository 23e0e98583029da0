// Synchronous calls into interpreted code (FuncInst.call): take a configuration,
// run it to completion, give the configuration back. Configurations are pooled because
// their stacks are worth keeping across the many short calls a test
// script makes; a host function that calls back into wasm gets a configuration of
// its own, since the calling configuration is still running.
//
// The host calls a short function often (the canonical ABI calls a guest's
// realloc once per string it lowers), so a call of an interpreted function
// (`invokeWasm`) goes straight to the configuration's entry and its results
// (Configuration.callToEnd): no dispatch on the kind of function, nothing
// allocated but the results.

import { Trap, TrapMessage } from '../errors.js';
import type { FuncInst } from '../runtime/func.js';
import type { Value } from '../runtime/values.js';
import { Configuration } from './configuration.js';
import { WasmFunc } from './module-inst.js';

const pool: Configuration[] = [];
const POOL_SIZE = 4;

/** Calls `f` to completion on a pooled configuration. Throws Trap on a trap. */
export function invoke(f: FuncInst, args: Value[]): Value[] {
  if (f instanceof WasmFunc) return invokeWasm(f, args);
  // A host function as the entry point: `start` calls it.
  const t = pool.pop() ?? new Configuration();
  try {
    t.start(f, args);
    return t.results();
  } catch (e) {
    throw stackOverflowAsTrap(e);
  } finally {
    release(t);
  }
}

/** `invoke` for a function known to be interpreted (WasmFunc.call). */
export function invokeWasm(f: WasmFunc, args: Value[]): Value[] {
  const t = pool.pop() ?? new Configuration();
  try {
    return t.callToEnd(f, args);
  } catch (e) {
    t.reset();
    throw stackOverflowAsTrap(e);
  } finally {
    if (pool.length < POOL_SIZE) pool.push(t);
  }
}

/**
 * Host functions re-entering wasm recurse on the JS stack; if that
 * overflows, it is still wasm's call stack that is exhausted.
 */
export function stackOverflowAsTrap(e: unknown): unknown {
  return e instanceof RangeError && /call stack/i.test(e.message) ? new Trap(TrapMessage.callStackExhausted) : e;
}

function release(t: Configuration): void {
  t.reset();
  if (pool.length < POOL_SIZE) pool.push(t);
}
