// GC's heap values (WebAssembly 3.0) as they live in an engine's reference
// slots and cross boundaries (values.ts's Ref): plain JS objects, which
// V8's collector reclaims when nothing holds them, so no instance keeps
// another's objects alive.
//
//   i31        a JS number: the 31-bit value, sign-extended (ref.eq is ===)
//   struct     GcStruct: its runtime type and its fields
//   array      GcArray: its runtime type, length and elements
//   an internalized host value (any.convert_extern of a host reference):
//              the host's object itself, or a HostAny box when it is a JS
//              number (which would otherwise read as an i31)
//   an externalized GC value (extern.convert_any of an i31, struct or
//              array): an ExternAny box, which any.convert_extern opens
//
// Fields and elements keep numbers as 32-bit words (i64 and f64 as two,
// low first; f32 as its bits), so NaN payloads survive and reading or
// writing one allocates nothing; references in a separate array.

import type { Ref } from './values.js';

/**
 * The runtime type of a struct or array: one per canonical type id (syntax/
 * reftypes.ts), shared by every module that defines the type, with the
 * layout of its fields.
 */
export class Rtt {
  /** Per field (an array: its one element): a reference field, its slot in `w` or `r`, its width in words, its packing (0, 8 or 16 bits). */
  readonly isRef: boolean[] = [];
  readonly slot: number[] = [];
  readonly words: number[] = [];
  readonly packed: number[] = [];
  nwords = 0;
  nrefs = 0;
  constructor(
    /** The canonical type id: casts compare it (and its declared supertypes). */
    readonly id: number,
    readonly kind: 'struct' | 'array',
  ) {}
}

const NO_SLOTS: never[] = [];

export class GcStruct {
  constructor(readonly rtt: Rtt, readonly w: number[], readonly r: Ref[]) {}
}

export class GcArray {
  constructor(readonly rtt: Rtt, readonly length: number, readonly w: number[], readonly r: Ref[]) {}
}

/** An i31, struct or array seen as an externref (extern.convert_any). */
export class ExternAny {
  constructor(readonly any: Ref | number) {}
}

/** A host reference that is a JS number, seen as an anyref (any.convert_extern). */
export class HostAny {
  constructor(readonly value: unknown) {}
}

/** An empty field array, shared. */
export function noSlots<T>(): T[] {
  return NO_SLOTS as T[];
}

/** extern.convert_any: GC values are boxed, internalized host values unboxed, null stays null. */
export function externalize(v: unknown): unknown {
  if (v === null) return null;
  if (v instanceof HostAny) return v.value;
  if (typeof v === 'number' || v instanceof GcStruct || v instanceof GcArray) return new ExternAny(v as Ref);
  return v;
}

/** any.convert_extern: the inverse of externalize. */
export function internalize(v: unknown): unknown {
  if (v === null) return null;
  if (v instanceof ExternAny) return v.any;
  if (typeof v === 'number') return new HostAny(v);
  return v;
}

/** How another engine's GC objects are told apart (the native engine's probe, native/gc-probe.ts); null: not one of them. */
let foreignKind: ((v: object) => 'struct' | 'array' | null) | null = null;

export function setForeignAnyKind(f: (v: object) => 'struct' | 'array' | null): void {
  foreignKind = f;
}

/** What an anyref value is, for the harness's result patterns (ref.i31, ref.struct, ref.array, ref.eq). */
export function anyKind(v: unknown): 'null' | 'i31' | 'struct' | 'array' | 'host' {
  if (v === null) return 'null';
  if (typeof v === 'number') return 'i31';
  if (v instanceof GcStruct) return 'struct';
  if (v instanceof GcArray) return 'array';
  if (typeof v === 'object' && foreignKind !== null) return foreignKind(v) ?? 'host';
  return 'host';
}
