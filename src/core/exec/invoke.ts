// Synchronous calls into interpreted code (FuncInst.call): take a configuration,
// run it to completion, give the configuration back. Configurations are pooled because
// their stacks are worth keeping across the many short calls a test
// script makes; a host function that calls back into wasm gets a configuration of
// its own, since the calling configuration is still running.

import { Trap, TrapMessage } from '../errors.js';
import type { FuncInst } from '../runtime/func.js';
import type { Value } from '../runtime/values.js';
import { Configuration } from './configuration.js';

const pool: Configuration[] = [];
const POOL_SIZE = 4;

/** Calls `f` to completion on a pooled configuration. Throws Trap on a trap. */
export function invoke(f: FuncInst, args: Value[]): Value[] {
  const t = pool.pop() ?? new Configuration();
  try {
    t.start(f, args);
    if (t.run() === 'suspended') {
      throw new Error('a host function suspended a synchronous call (use a Configuration to call code that may suspend)');
    }
    return t.results();
  } catch (e) {
    // Host functions re-entering wasm recurse on the JS stack; if that
    // overflows, it is still wasm's call stack that is exhausted.
    if (e instanceof RangeError && /call stack/i.test(e.message)) throw new Trap(TrapMessage.callStackExhausted);
    throw e;
  } finally {
    t.reset();
    if (pool.length < POOL_SIZE) pool.push(t);
  }
}
