// A seam for testing the differential tests themselves: a store may carry a
// deliberate deviation from one lifting rule, so that a test can check that
// `cmr fuzz --components` notices an engine that reads the canonical ABI
// wrongly (test/fuzz-planted.test.ts). It is per store, so it never leaks
// into another store, engine or test; every store the API makes has none.

import type { ValType } from '../syntax/types.js';
import type { ComponentValue } from './values.js';

export interface AbiVariant {
  /** Receives each value lift_flat produced for type t; returns the value to use instead. */
  liftFlat(t: ValType, v: ComponentValue): ComponentValue;
}
