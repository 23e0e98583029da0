// Global instances (spec §4.2.10). The value lives in a field for globals
// the interpreter or the host makes; the native engine subclasses this to
// read and write a WebAssembly.Global instead, so either engine can import
// the other's globals and see every write.

import type { GlobalType } from '../syntax/types.js';
import type { Value } from './values.js';

export class GlobalInst {
  protected current: Value;

  constructor(readonly type: GlobalType, value: Value) {
    this.current = value;
  }

  get value(): Value {
    return this.current;
  }

  set value(v: Value) {
    this.current = v;
  }
}
