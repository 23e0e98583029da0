// The interpreter's suspendable call (runtime/suspendable.ts): a
// Configuration of its own, so that a host function the code calls can
// return SUSPEND and the call goes on, synchronously, with `resume`.

import { Trap, TrapMessage } from '../errors.js';
import type { SuspendableCall, RunState } from '../runtime/suspendable.js';
import type { Value } from '../runtime/values.js';
import { Configuration, SUSPEND, currentConfiguration } from './configuration.js';
import type { WasmFunc } from './module-inst.js';

const pool: Configuration[] = [];
const POOL_SIZE = 8;

export class InterpCall implements SuspendableCall {
  private readonly exec: Configuration;

  constructor(private readonly f: WasmFunc) {
    this.exec = pool.pop() ?? new Configuration();
  }

  start(args: Value[]): RunState {
    this.exec.start(this.f, args);
    return runExec(() => this.exec.run());
  }

  resume(results: Value[]): RunState {
    return runExec(() => this.exec.resume(results));
  }

  poll(): RunState {
    return this.exec.status === 'done' ? 'done' : 'suspended';
  }

  results(): Value[] {
    return this.exec.results();
  }

  /** The configuration's host call is in progress when it is the innermost one running. */
  canSuspendHere(): boolean {
    return currentConfiguration() === this.exec;
  }

  suspend(): Value[] {
    return SUSPEND;
  }

  release(): void {
    this.exec.reset();
    if (pool.length < POOL_SIZE) pool.push(this.exec);
  }
}

function runExec(f: () => 'done' | 'suspended'): 'done' | 'suspended' {
  try {
    return f();
  } catch (e) {
    // As invoke.ts: a JS stack overflow in nested calls is still wasm's call stack.
    if (e instanceof RangeError && /call stack/i.test(e.message)) throw new Trap(TrapMessage.callStackExhausted);
    throw e;
  }
}
