// Addresses and indices on the configuration's value stack, by address type
// (memory64, table64): an i32 operand is the slot's low word, an i64 both
// words. Shared by memory-ops.ts and table-ops.ts.

import { addrFromWords } from '../syntax/addr-type.js';

/** The address or index in value slot `s` (words i32[2s], i32[2s+1]), read as an i64 when `wide`. */
export function addrAt(i32: Int32Array, s: number, wide: boolean): number {
  return addrFromWords(i32[2 * s]!, i32[2 * s + 1]!, wide);
}

/** Writes a size or grow result (-1, or a size below 2^32) into slot `s`: as an i64, both words, when `wide`. */
export function putAddr(i32: Int32Array, s: number, v: number, wide: boolean): void {
  i32[2 * s] = v;
  if (wide) i32[2 * s + 1] = v < 0 ? -1 : 0;
}
