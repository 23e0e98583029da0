// Runtime types of GC objects (runtime/gc-values.ts's Rtt), made once per
// canonical type id and shared by every module that defines the type: an
// object's type is then its Rtt, and its identity is the id, a number.

import { F64, I16, I64, I8, V128, compOf, type DefType, type StorageType } from '../../syntax/types.js';
import { canonicalTypes, isRef, pinTypes, type TypeSpace } from '../../syntax/reftypes.js';
import { Rtt } from '../../runtime/gc-values.js';

const rtts: (Rtt | undefined)[] = [];

/** Words a numeric storage type takes in a field array. */
function wordsOf(t: StorageType): number {
  return t === I64 || t === F64 ? 2 : t === V128 ? 4 : 1;
}

/**
 * Field k's layout: a struct's fields take consecutive slots (a reference
 * one, a number its words); an array's one element starts at 0.
 */
function layout(id: number, t: DefType): Rtt {
  const rtt = new Rtt(id, compOf(t) === 'array' ? 'array' : 'struct');
  for (const f of t.fields ?? []) {
    const packed = f.type === I8 ? 8 : f.type === I16 ? 16 : 0;
    const ref = packed === 0 && isRef(f.type);
    const words = ref ? 0 : wordsOf(f.type);
    rtt.isRef.push(ref);
    rtt.packed.push(packed);
    rtt.words.push(words);
    rtt.slot.push(rtt.init.length);
    if (ref) rtt.init.push(null);
    else for (let j = 0; j < words; j++) rtt.init.push(0);
    if (packed !== 0 || words > 1) rtt.flat = false;
  }
  return rtt;
}

/** The runtime type of struct or array type x of `types`. */
export function rttOf(types: TypeSpace, x: number): Rtt {
  const id = canonicalTypes(types)[x]!;
  const known = rtts[id];
  if (known !== undefined) return known;
  // Objects of this type may outlive every module that defines it: its id stays.
  pinTypes(types);
  return (rtts[id] = layout(id, types[x]!));
}

/** The runtime type of a canonical id that `rttOf` has made (preparation makes them before the code runs). */
export function rttById(id: number): Rtt {
  return rtts[id]!;
}
