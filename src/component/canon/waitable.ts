// Waitables (CanonicalABI.md "Waitable State", definitions.py `Waitable`):
// what a thread can wait on, one at a time or in a waitable set. A waitable
// holds at most one pending event, computed when it is delivered.

import { currentThread, type Co } from './thread.js';
import type { WaitableSet } from './waitable-set.js';

export enum EventCode {
  NONE = 0,
  SUBTASK = 1,
  STREAM_READ = 2,
  STREAM_WRITE = 3,
  FUTURE_READ = 4,
  FUTURE_WRITE = 5,
  TASK_CANCELLED = 6,
}

export type EventTuple = [EventCode, number, number];

export class Waitable {
  pendingEvent: (() => EventTuple) | null = null;
  wset: WaitableSet | null = null;
  hasSyncWaiter = false;

  setPendingEvent(pendingEvent: () => EventTuple): void {
    this.pendingEvent = pendingEvent;
  }

  hasPendingEvent(): boolean {
    return this.pendingEvent !== null;
  }

  inWaitableSet(): boolean {
    return this.wset !== null;
  }

  *waitForPendingEvent(): Co<void> {
    this.hasSyncWaiter = true;
    try {
      yield* currentThread()!.waitUntil(() => this.hasPendingEvent(), false);
    } finally {
      this.hasSyncWaiter = false;
    }
  }

  getPendingEvent(): EventTuple {
    const e = this.pendingEvent!;
    this.pendingEvent = null;
    return e();
  }

  join(wset: WaitableSet | null): void {
    if (this.wset !== null) {
      const i = this.wset.elems.indexOf(this);
      if (i >= 0) this.wset.elems.splice(i, 1);
    }
    this.wset = wset;
    if (wset !== null) wset.elems.push(this);
  }

  drop(): void {
    this.join(null);
  }
}
