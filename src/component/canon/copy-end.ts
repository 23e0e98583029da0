// The ends of streams and futures held in handle tables (CanonicalABI.md
// "Stream State", definitions.py CopyState, CopyEnd): each end is a
// waitable whose copies (reads or writes) go IDLE → COPYING (→
// CANCELLING_COPY) → IDLE, or DONE once the other end has dropped (or, for
// a future, once its one value has passed).

import type { ValType } from '../syntax/types.js';
import { trap } from './traps.js';
import { Waitable } from './waitable.js';

export enum CopyState {
  IDLE = 1,
  COPYING = 2,
  CANCELLING_COPY = 3,
  DONE = 4,
}

export enum CopyResult {
  COMPLETED = 0,
  DROPPED = 1,
  CANCELLED = 2,
}

/** What a stream or future end shares with the other end (definitions.py SharedBase). */
export interface SharedBase {
  readonly t: ValType | null;
  cancel(): void;
  drop(): void;
}

export abstract class CopyEnd extends Waitable {
  state = CopyState.IDLE;
  /** The buffer of the copy in progress (for cancel_copy, see copy.ts). */
  buffer: object | null = null;
  abstract readonly kind: 'stream' | 'future';
  abstract readonly readable: boolean;

  constructor(readonly shared: SharedBase) {
    super();
  }

  copying(): boolean {
    return this.state === CopyState.COPYING || this.state === CopyState.CANCELLING_COPY;
  }

  override drop(): void {
    if (this.copying()) trap(`cannot drop busy ${this.kind}`);
    this.shared.drop();
    super.drop();
  }
}
