// The layout of a component value type in linear memory and in flat core
// values, as a tree of plain data (for `cmr explain`'s text and JSON). Every
// number comes from the canonical ABI's own code (component/canon/layout.ts
// and flatten.ts); this module only arranges them.

import { resourceName, type ValType } from '../component/syntax/types.js';
import { valTypeToWit, type TypeNames } from '../component/print-wit.js';
import {
  alignment, despecialize, discriminantType, elemSize, fieldOffsets, variantPayloadOffset, type PtrType,
} from '../component/canon/layout.js';
import { flattenType, type FlatType } from '../component/canon/flatten.js';

export interface TypeLayout {
  /** The type in WIT syntax. */
  wit: string;
  /** What it is as written: a primitive's name, or record, variant, enum, option, result, tuple, list, map, flags, own, borrow, stream, future. */
  kind: string;
  /** What `despecialize` turns it into, when that differs (tuple → record; enum, option, result → variant; map → list). */
  despecializedAs?: 'record' | 'variant' | 'list';
  /** elem_size and alignment, in bytes. */
  size: number;
  align: number;
  /** flatten_type: the core values that carry it as a parameter or result. */
  flat: FlatType[];
  fields?: { name: string; offset: number; type: TypeLayout }[];
  discriminant?: { type: 'u8' | 'u16' | 'u32'; size: number };
  payloadOffset?: number;
  cases?: { name: string; index: number; type: TypeLayout | null }[];
  /** A list's element type, and its length when fixed. */
  element?: TypeLayout;
  length?: number | null;
  /** Flags: each label's bit, counted from bit 0 of the first 32-bit word. */
  flags?: { name: string; bit: number }[];
  /** Handles (own, borrow): the resource they index. */
  resource?: string;
}

/** The layout of `t` (with addresses `ptrType` wide), named types printed by `names`. */
export function typeLayout(t: ValType, ptrType: PtrType, names: TypeNames | null): TypeLayout {
  const base: TypeLayout = {
    wit: valTypeToWit(t, names, false),
    kind: typeof t === 'string' ? t : t.kind,
    size: elemSize(t, ptrType),
    align: alignment(t, ptrType),
    flat: flattenType(t, ptrType),
  };
  if (typeof t === 'string') return base;
  const d = despecialize(t);
  const sub = (x: ValType) => typeLayout(x, ptrType, names);
  if (typeof d !== 'string' && d.kind !== t.kind) base.despecializedAs = d.kind as 'record' | 'variant' | 'list';
  if (typeof d === 'string') return base;
  switch (d.kind) {
    case 'record': {
      const offsets = fieldOffsets(d.fields, ptrType);
      base.fields = d.fields.map((f, i) => ({ name: f.name, offset: offsets[i]!, type: sub(f.type) }));
      break;
    }
    case 'variant': {
      const disc = discriminantType(d.cases);
      base.discriminant = { type: disc, size: elemSize(disc, ptrType) };
      base.payloadOffset = variantPayloadOffset(d.cases, ptrType);
      base.cases = d.cases.map((c, index) => ({ name: c.name, index, type: c.type === null ? null : sub(c.type) }));
      break;
    }
    case 'list':
      base.element = sub(d.elem);
      base.length = d.length;
      break;
    case 'flags':
      base.flags = d.names.map((name, bit) => ({ name, bit }));
      break;
    case 'own': case 'borrow':
      base.resource = names ? names.resource(d.resource) : resourceName(d.resource);
      break;
    default:
      break;
  }
  return base;
}

