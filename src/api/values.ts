// Component values for the embedder: canon's lossless representation
// (src/component/canon/values.ts), re-exported, plus the zero value of a type.

import { ResourceType as ResourceTypeObject, type ValType } from '../component/syntax/types.js';
import type { ComponentValue } from '../component/canon/values.js';
import { valTypeToWit } from '../component/print-wit.js';

export {
  ResourceValue, ErrorContext, variant, some, none, ok, err, formatValue, valuesEqual,
  type ComponentValue, type RecordValue, type VariantValue, type FlagsValue,
} from '../component/canon/values.js';
export { dropResourceValue } from '../component/canon/resources.js';

/**
 * The zero value of `t`: false, 0, 0n, '' , '\0', [] (N zeros for a
 * fixed-length list), a record or tuple of zeros, the first case of a
 * variant or enum (with a zero payload), none, ok (with a zero payload),
 * flags all false. Handles, streams, futures and error contexts have none:
 * null.
 */
export function zeroValue(t: ValType): ComponentValue | null {
  if (typeof t === 'string') {
    switch (t) {
      case 'bool': return false;
      case 's64': case 'u64': return 0n;
      case 'char': return '\0';
      case 'string': return '';
      case 'error-context': return null;
      default: return 0;
    }
  }
  if (t instanceof ResourceTypeObject) return null;
  const all = (ts: ValType[]): ComponentValue[] | null => {
    const out: ComponentValue[] = [];
    for (const x of ts) {
      const v = zeroValue(x);
      if (v === null) return null;
      out.push(v);
    }
    return out;
  };
  switch (t.kind) {
    case 'list': return t.length === null ? [] : all(new Array<ValType>(t.length).fill(t.elem));
    case 'tuple': return all(t.types);
    case 'record': {
      const vs = all(t.fields.map((f) => f.type));
      return vs === null ? null : Object.fromEntries(t.fields.map((f, i) => [f.name, vs[i]!]));
    }
    case 'variant': {
      const c = t.cases[0]!;
      if (c.type === null) return { tag: c.name };
      const v = zeroValue(c.type);
      return v === null ? null : { tag: c.name, val: v };
    }
    case 'enum': return t.names[0]!;
    case 'flags': return Object.fromEntries(t.names.map((n) => [n, false])) as ComponentValue;
    case 'option': return { tag: 'none' };
    case 'result': {
      if (t.ok === null) return { tag: 'ok' };
      const v = zeroValue(t.ok);
      return v === null ? null : { tag: 'ok', val: v };
    }
    case 'map': return [];
    case 'own': case 'borrow': case 'stream': case 'future': return null;
  }
}

/** Why `t` has no zero value, for messages. */
export function noZeroValue(t: ValType): string {
  return `a value of type ${valTypeToWit(t)} cannot be made up`;
}
