// Function instances (spec §4.2.6). Every engine's functions share this
// shape, so a function of one engine can be imported into a module of the
// other, stored in a table, or called by the canonical ABI.

import type { FuncType } from '../syntax/types.js';
import type { Value } from './values.js';

export abstract class FuncInst {
  constructor(readonly type: FuncType) {}

  /**
   * Calls the function to completion with arguments in the lossless
   * representation of values.ts. Throws Trap on a trap.
   */
  abstract call(args: Value[]): Value[];
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
