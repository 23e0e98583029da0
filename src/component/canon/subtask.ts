// Subtasks (CanonicalABI.md "Subtask State", definitions.py `Subtask`): the
// caller side of one call made through a `canon lower`ed function. Lifted
// `borrow` arguments lend their source handles until the result is
// delivered (add_lender / deliver_resolve). An async caller holds the
// subtask in its handle table and learns of its progress by events.

import type { Value } from '../../core/runtime/values.js';
import type { OnCancel } from './context.js';
import type { ResourceHandle } from './resources.js';
import { trap } from './traps.js';
import { Waitable } from './waitable.js';

export enum SubtaskState {
  STARTING = 0,
  STARTED = 1,
  RETURNED = 2,
  CANCELLED_BEFORE_STARTED = 3,
  CANCELLED_BEFORE_RETURNED = 4,
}

export class Subtask extends Waitable {
  state = SubtaskState.STARTING;
  onCancel: OnCancel | null = null;
  lenders: ResourceHandle[] | null = [];
  cancellationRequested = false;
  flatResults: Value[] = [];

  resolved(): boolean {
    return this.state !== SubtaskState.STARTING && this.state !== SubtaskState.STARTED;
  }

  addLender(h: ResourceHandle): void {
    h.numLends += 1;
    this.lenders!.push(h);
  }

  resolve(state: SubtaskState, flatResults: Value[]): void {
    this.state = state;
    this.flatResults = flatResults;
  }

  /** Returns the lent handles to their owner; `onReturn` sees each (for traces). */
  deliverResolve(onReturn?: (h: ResourceHandle) => void): void {
    for (const h of this.lenders ?? []) {
      h.numLends -= 1;
      onReturn?.(h);
    }
    this.lenders = null;
  }

  resolveDelivered(): boolean {
    return this.lenders === null;
  }

  override drop(): void {
    if (!this.resolveDelivered()) trap('cannot drop a subtask which has not yet resolved');
    super.drop();
  }
}
