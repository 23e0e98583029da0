// Instructions whose typing is a fixed signature [t1*] -> [t2*], with no
// immediate to check (spec §3.3.1 "Numeric Instructions", §3.3.2 "Vector
// Instructions"): numeric operators and most vector operators. The
// validator pops t1* and pushes t2* for them; everything else it types by
// hand.

import { F32, F64, I32, I64, V128, type ValType } from '../syntax/types.js';
import { FC, FD } from '../syntax/opcodes.js';
import { SimdImm, simdOps } from '../syntax/opcodes-simd.js';

export interface Signature {
  params: readonly ValType[];
  results: readonly ValType[];
}

export const signatures = new Map<number, Signature>();

function sig(params: ValType[], results: ValType[]): Signature {
  return { params, results };
}

function range(from: number, to: number, s: Signature): void {
  for (let op = from; op <= to; op++) signatures.set(op, s);
}

const unop = (t: ValType) => sig([t], [t]);
const binop = (t: ValType) => sig([t, t], [t]);
const testop = (t: ValType) => sig([t], [I32]);
const relop = (t: ValType) => sig([t, t], [I32]);
const cvtop = (from: ValType, to: ValType) => sig([from], [to]);

// Numeric instructions, by opcode ranges of the binary format.
range(0x45, 0x45, testop(I32));
range(0x46, 0x4f, relop(I32));
range(0x50, 0x50, testop(I64));
range(0x51, 0x5a, relop(I64));
range(0x5b, 0x60, relop(F32));
range(0x61, 0x66, relop(F64));
range(0x67, 0x69, unop(I32));
range(0x6a, 0x78, binop(I32));
range(0x79, 0x7b, unop(I64));
range(0x7c, 0x8a, binop(I64));
range(0x8b, 0x91, unop(F32));
range(0x92, 0x98, binop(F32));
range(0x99, 0x9f, unop(F64));
range(0xa0, 0xa6, binop(F64));
range(0xa7, 0xa7, cvtop(I64, I32));
range(0xa8, 0xa9, cvtop(F32, I32));
range(0xaa, 0xab, cvtop(F64, I32));
range(0xac, 0xad, cvtop(I32, I64));
range(0xae, 0xaf, cvtop(F32, I64));
range(0xb0, 0xb1, cvtop(F64, I64));
range(0xb2, 0xb3, cvtop(I32, F32));
range(0xb4, 0xb5, cvtop(I64, F32));
range(0xb6, 0xb6, cvtop(F64, F32));
range(0xb7, 0xb8, cvtop(I32, F64));
range(0xb9, 0xba, cvtop(I64, F64));
range(0xbb, 0xbb, cvtop(F32, F64));
range(0xbc, 0xbc, cvtop(F32, I32));
range(0xbd, 0xbd, cvtop(F64, I64));
range(0xbe, 0xbe, cvtop(I32, F32));
range(0xbf, 0xbf, cvtop(I64, F64));
range(0xc0, 0xc1, unop(I32));
range(0xc2, 0xc4, unop(I64));
range(FC | 0, FC | 1, cvtop(F32, I32));
range(FC | 2, FC | 3, cvtop(F64, I32));
range(FC | 4, FC | 5, cvtop(F32, I64));
range(FC | 6, FC | 7, cvtop(F64, I64));

/** The scalar type of one lane of a vector shape (i8x16 → i32, ...). */
export function laneType(shape: string): ValType {
  switch (shape) {
    case 'i64x2': return I64;
    case 'f32x4': return F32;
    case 'f64x2': return F64;
    default: return I32;
  }
}

// Vector instructions without immediates, classified by their names'
// operator part, following the spec's instruction classes: vtestop and
// bitmask give an i32, splat takes a scalar, vshiftop takes an i32 count,
// vunop / vcvtop / vextunop are unary, bitselect and relaxed SIMD's
// madd, nmadd, laneselect and dot…add are ternary, and the rest (vbinop,
// vrelop, narrow, vextbinop, swizzle) are binary.
const VUNARY = /^(not|abs|neg|popcnt|sqrt|ceil|floor|trunc|nearest|extend_|extadd_pairwise|convert|demote|promote|relaxed_trunc)/;
const VTERNARY = /^(bitselect|relaxed_madd|relaxed_nmadd|relaxed_laneselect|relaxed_dot_.*_add_s)$/;
for (const [n, info] of simdOps) {
  if (info.imm !== SimdImm.none) continue;
  const [shape, operator] = info.name.split('.') as [string, string];
  let s: Signature;
  if (operator === 'any_true' || operator === 'all_true' || operator === 'bitmask') s = testop(V128);
  else if (operator === 'splat') s = sig([laneType(shape)], [V128]);
  else if (operator === 'shl' || operator === 'shr_s' || operator === 'shr_u') s = sig([V128, I32], [V128]);
  else if (VTERNARY.test(operator)) s = sig([V128, V128, V128], [V128]);
  else if (VUNARY.test(operator)) s = unop(V128);
  else s = binop(V128);
  signatures.set(FD | n, s);
}
