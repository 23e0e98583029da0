// Waitable sets (CanonicalABI.md "Waitable State", definitions.py
// `WaitableSet`): a thread waits on a set until one of its waitables has an
// event. The spec picks among ready waitables at random; cmr takes the one
// that joined the set first, which is one of the spec's allowed choices.

import { currentThread, type Co } from './thread.js';
import { EventCode, type EventTuple, type Waitable } from './waitable.js';
import { trap } from './traps.js';

export class WaitableSet {
  readonly elems: Waitable[] = [];
  numWaiting = 0;

  hasPendingEvent(): boolean {
    return this.elems.some((w) => w.hasPendingEvent());
  }

  getPendingEvent(): EventTuple {
    for (const w of this.elems) if (w.hasPendingEvent()) return w.getPendingEvent();
    throw new Error('canonical ABI: no pending event in the waitable set');
  }

  *waitForEventAnd(readyFunc: () => boolean, cancellable: boolean): Co<EventTuple> {
    this.numWaiting += 1;
    try {
      const cancelled = yield* currentThread()!.waitUntil(() => readyFunc() && this.hasPendingEvent(), cancellable);
      return cancelled ? [EventCode.TASK_CANCELLED, 0, 0] : this.getPendingEvent();
    } finally {
      this.numWaiting -= 1;
    }
  }

  *waitForEvent(cancellable: boolean): Co<EventTuple> {
    return yield* this.waitForEventAnd(() => true, cancellable);
  }

  poll(cancellable: boolean): EventTuple {
    if (currentThread()!.task.deliverPendingCancel(cancellable)) return [EventCode.TASK_CANCELLED, 0, 0];
    if (!this.hasPendingEvent()) return [EventCode.NONE, 0, 0];
    return this.getPendingEvent();
  }

  drop(): void {
    if (this.elems.length > 0) trap('cannot drop waitable set with waiters');
    if (this.numWaiting > 0) trap('cannot drop waitable set with waiters');
  }
}
