// The interpreter's suspendable call (runtime/suspendable.ts): a
// Configuration of its own, so that a host function the code calls can
// return SUSPEND and the call goes on, synchronously, with `resume`.

import type { SuspendableCall, RunState } from '../runtime/suspendable.js';
import type { Value } from '../runtime/values.js';
import { Configuration, SUSPEND, currentConfiguration } from './configuration.js';
import type { WasmFunc } from './module-inst.js';
import { stackOverflowAsTrap } from './invoke.js';

const pool: Configuration[] = [];
const POOL_SIZE = 8;

export class InterpCall implements SuspendableCall {
  private readonly exec: Configuration;

  constructor(private readonly f: WasmFunc) {
    this.exec = pool.pop() ?? new Configuration();
  }

  start(args: Value[]): RunState {
    this.exec.enter(this.f, args);
    try {
      return this.exec.run();
    } catch (e) {
      throw stackOverflowAsTrap(e);
    }
  }

  resume(results: Value[]): RunState {
    try {
      return this.exec.resume(results);
    } catch (e) {
      throw stackOverflowAsTrap(e);
    }
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
