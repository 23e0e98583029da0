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
// writing one allocates nothing. A struct is one JS object: its slots (a
// reference field takes one, a numeric field one word each) are the
// properties f0, f1 (GcStruct, two slots or fewer) or f0..f3 and the slots
// past them an array (`rest`, GcStructWide), so the common small struct
// allocates nothing else. An array keeps its elements'
// words, or its references, in one JS array.

import type { Ref } from './values.js';

/** A struct's slot or an array's element word: a 32-bit word (a number) or a reference. */
export type Slot = Ref | number;

/**
 * The runtime type of a struct or array: one per canonical type id (syntax/
 * reftypes.ts), shared by every module that defines the type, with the
 * layout of its fields (gc/rtt.ts makes it).
 */
export class Rtt {
  /** Per field (an array: its one element): a reference field, its first slot (an array's element: 0), its width in words (0: a reference), its packing (0, 8 or 16 bits). */
  readonly isRef: boolean[] = [];
  readonly slot: number[] = [];
  readonly words: number[] = [];
  readonly packed: number[] = [];
  /** A struct's slots, each at its default (null or 0): what struct.new_default makes. */
  readonly init: Slot[] = [];
  /** Whether every field of a struct takes one slot unpacked (a reference, i32 or f32): struct.new copies its operands as they are. */
  flat = true;
  constructor(
    /** The canonical type id: casts compare it (and its declared supertypes). */
    readonly id: number,
    readonly kind: 'struct' | 'array',
  ) {}
}

const NO_SLOTS: never[] = [];

/** Slots a struct of two slots or fewer keeps, as properties (GcStruct). */
export const NARROW_SLOTS = 2;
/** Slots a wider struct keeps as properties (GcStructWide); the rest go in an array. */
export const INLINE_SLOTS = 4;

/**
 * A struct of at most NARROW_SLOTS slots (a pair, a box, a tree's node,
 * a list's cell): its slots f0 and f1 only, so that such a struct is 48
 * bytes on a 64-bit V8 without pointer compression (node 20), not the 72
 * of a wide one, which every struct was: less to allocate, and less for
 * each scavenge to copy while a structure the program builds is alive.
 */
export class GcStruct {
  // Declared only and stored by the constructor, as node.ts's PNode (as
  // ES2022 class fields each would first be defined as undefined by an
  // initializer; TurboFan's code drops those stores, so this is for the
  // unoptimised code: no change in instructions per warm call measured).
  declare readonly rtt: Rtt;
  declare f0: Slot;
  declare f1: Slot;
  constructor(rtt: Rtt, f0: Slot, f1: Slot) {
    this.rtt = rtt;
    this.f0 = f0;
    this.f1 = f1;
  }
}

/** A struct of more slots: f0..f3, the slots past INLINE_SLOTS in an array. */
export class GcStructWide extends GcStruct {
  declare f2: Slot;
  declare f3: Slot;
  /** Slots INLINE_SLOTS on (shared and empty when there are none). */
  declare readonly rest: Slot[];
  constructor(rtt: Rtt, f0: Slot, f1: Slot, f2: Slot, f3: Slot, rest: Slot[]) {
    super(rtt, f0, f1);
    this.f2 = f2;
    this.f3 = f3;
    this.rest = rest;
  }
}

/** A struct of type `rtt` with the slots of `slots` (its length: the type's slot count). */
export function newStruct(rtt: Rtt, slots: readonly Slot[]): GcStruct {
  const n = slots.length;
  const f0 = n > 0 ? slots[0]! : null, f1 = n > 1 ? slots[1]! : null;
  if (n <= NARROW_SLOTS) return new GcStruct(rtt, f0, f1);
  return new GcStructWide(
    rtt, f0, f1,
    slots[2]!,
    n > 3 ? slots[3]! : null,
    n > INLINE_SLOTS ? slots.slice(INLINE_SLOTS) : NO_SLOTS,
  );
}

/** Slot i of struct s (slots past f1 only in a GcStructWide). */
export function slotOf(s: GcStruct, i: number): Slot {
  switch (i) {
    case 0: return s.f0;
    case 1: return s.f1;
    case 2: return (s as GcStructWide).f2;
    case 3: return (s as GcStructWide).f3;
    default: return (s as GcStructWide).rest[i - INLINE_SLOTS]!;
  }
}

/** Sets slot i of struct s. */
export function setSlot(s: GcStruct, i: number, v: Slot): void {
  switch (i) {
    case 0: s.f0 = v; return;
    case 1: s.f1 = v; return;
    case 2: (s as GcStructWide).f2 = v; return;
    case 3: (s as GcStructWide).f3 = v; return;
    default: (s as GcStructWide).rest[i - INLINE_SLOTS] = v;
  }
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
