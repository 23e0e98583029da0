// The ends of streams and futures held in handle tables (CanonicalABI.md
// "Stream State", definitions.py CopyState, CopyEnd): each end is a
// waitable whose copies (reads or writes) go IDLE → COPYING (→
// CANCELLING_COPY) → IDLE, or DONE once the other end has dropped (or, for
// a future, once its one value has passed).

import type { ValType } from '../syntax/types.js';
import { noneOrNumberType, type Buffer } from './buffer.js';
import type { ComponentInstance } from './context.js';
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

export type OnCopyDone = (result: CopyResult) => void;

/**
 * The pending copy that SharedStreamImpl and SharedFutureImpl keep alike
 * (definitions.py writes the same bookkeeping in both): the one read or
 * write waiting for its partner, and how it ends on cancel and on drop.
 */
export abstract class SharedCopyImpl implements SharedBase {
  dropped = false;
  pendingInst: ComponentInstance | null = null;
  pendingBuffer: Buffer | null = null;
  pendingOnCopyDone: OnCopyDone | null = null;

  constructor(readonly t: ValType | null, private readonly what: 'stream' | 'future') {}

  resetPending(): void {
    this.pendingInst = null;
    this.pendingBuffer = null;
    this.pendingOnCopyDone = null;
  }

  resetAndNotifyPending(result: CopyResult): void {
    const done = this.pendingOnCopyDone!;
    this.resetPending();
    done(result);
  }

  cancel(): void {
    this.resetAndNotifyPending(CopyResult.CANCELLED);
  }

  drop(): void {
    if (!this.dropped) {
      this.dropped = true;
      if (this.pendingBuffer !== null) this.resetAndNotifyPending(CopyResult.DROPPED);
    }
  }

  /** The spec's temporary rule: values other than numbers cannot go from a component to itself. */
  protected checkIntraComponent(inst: ComponentInstance | null): void {
    if (inst === this.pendingInst && !noneOrNumberType(this.t)) trap(`cannot read from and write to intra-component ${this.what}`);
  }
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
