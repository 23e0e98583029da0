// Global instances (spec §4.2.10).

import type { GlobalType } from '../syntax/types.js';
import type { Value } from './values.js';

export class GlobalInst {
  constructor(readonly type: GlobalType, public value: Value) {}
}
