// Component values for the embedder: canon's lossless representation
// (src/component/canon/values.ts), re-exported with the zero value of a
// type, plus why a type has none.

import type { ValType } from '../component/syntax/types.js';
import { valTypeToWit } from '../component/print-wit.js';

export {
  ResourceValue, ErrorContext, variant, some, none, ok, err, formatValue, valuesEqual, zeroValue,
  type ComponentValue, type RecordValue, type VariantValue, type FlagsValue,
} from '../component/canon/values.js';
export { dropResourceValue } from '../component/canon/resources.js';

/** Why `t` has no zero value, for messages. */
export function noZeroValue(t: ValType): string {
  return `a value of type ${valTypeToWit(t)} cannot be made up`;
}
