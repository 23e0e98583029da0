// Function instances (spec §4.2.6). Every engine's functions share this
// shape, so a function of one engine can be imported into a module of the
// other, stored in a table, or called by the canonical ABI.

import type { FuncType } from '../syntax/types.js';
import type { SuspendableCall } from './suspendable.js';
import type { Value } from './values.js';

export abstract class FuncInst {
  constructor(readonly type: FuncType) {}

  /**
   * Calls the function to completion with arguments in the lossless
   * representation of values.ts. Throws Trap on a trap.
   */
  abstract call(args: Value[]): Value[];

  /**
   * A call of this function that can stop at a host call and go on later
   * (suspendable.ts), or null when its engine cannot stop it here.
   * `canAwait`: whether the caller can wait for a Promise of the call's
   * progress (an engine that resumes asynchronously needs it).
   */
  suspendable(_canAwait: boolean): SuspendableCall | null {
    return null;
  }
}

/** A function supplied by the host (spectest's print, canonical built-ins, the embedder). */
export class HostFunc extends FuncInst {
  constructor(type: FuncType, readonly callback: (args: Value[]) => Value[], readonly name = 'host') {
    super(type);
  }

  call(args: Value[]): Value[] {
    return this.callback(args);
  }
}
