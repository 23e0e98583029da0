// Global instances (spec §4.2.10). The value lives in a field for globals
// the interpreter or the host makes. A global can move to a host engine's
// storage (a WebAssembly.Global) when a native module imports it; it then
// reads and writes through that storage, so both engines see every write.
// The native engine also subclasses this for globals a native module defines.

import type { GlobalType } from '../syntax/types.js';
import type { Value } from './values.js';

/** Somewhere else a global's value can live, with the lossless representation of values.ts. */
export interface GlobalStorage {
  value: Value;
}

export class GlobalInst {
  protected current: Value;
  /** Where the value lives after `moveTo`; null while it lives in `current` (the interpreter's fast path). */
  private storage: GlobalStorage | null = null;

  constructor(readonly type: GlobalType, value: Value) {
    this.current = value;
  }

  get value(): Value {
    return this.storage === null ? this.current : this.storage.value;
  }

  set value(v: Value) {
    if (this.storage === null) this.current = v;
    else this.storage.value = v;
  }

  /**
   * Moves the value into `storage` for good: the current value is written
   * there, and from then on every read and write goes there. Used for a
   * mutable global that a native instance imports, which must share one
   * cell with the engine that made it.
   */
  moveTo(storage: GlobalStorage): void {
    storage.value = this.value;
    this.storage = storage;
  }
}
