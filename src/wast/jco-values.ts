// Component values between cmr's representation (canon/values.ts) and the
// JS values of jco's generated bindings, by type. jco's conventions: record
// fields and flags in lowerCamelCase, variants as { tag, val }, enums as
// their case name, option<T> as T or undefined (a nested option's inner
// level as { tag: 'some' | 'none', val }), result as { tag: 'ok' | 'err',
// val } (thrown as ComponentError when a function's whole result is an err),
// lists of numbers as typed arrays.

import type { ValType } from '../component/syntax/types.js';
import type { ComponentValue, RecordValue, VariantValue } from '../component/canon/values.js';

/** A value jco's bindings cannot carry across cmr's boundary (resources, streams, …): a skip. */
export class NotExpressible extends Error {}

/** jco's name for a kebab-case label: lowerCamelCase, each word lowercased then capitalised. */
export function camel(name: string): string {
  return name
    .split('-')
    .map((w, i) => (i === 0 ? w.toLowerCase() : w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()))
    .join('');
}

type TypedArrayCtor = new (xs: ArrayLike<number> & ArrayLike<bigint>) => ArrayLike<unknown>;

const TYPED: Record<string, unknown> = {
  u8: Uint8Array, s8: Int8Array, u16: Uint16Array, s16: Int16Array, u32: Uint32Array, s32: Int32Array,
  u64: BigUint64Array, s64: BigInt64Array, f32: Float32Array, f64: Float64Array,
};

function isOption(t: ValType): boolean {
  return typeof t !== 'string' && t.kind === 'option';
}

/** cmr's value of type `t` as jco's bindings take it. */
export function toJs(v: ComponentValue, t: ValType): unknown {
  if (typeof t === 'string') {
    if (t === 'error-context') throw new NotExpressible('error-context values are not carried to jco');
    return v;
  }
  switch (t.kind) {
    case 'record': {
      const out: Record<string, unknown> = {};
      for (const f of t.fields) out[camel(f.name)] = toJs((v as RecordValue)[f.name]!, f.type);
      return out;
    }
    case 'variant': {
      const vv = v as VariantValue;
      const c = t.cases.find((x) => x.name === vv.tag);
      return c?.type ? { tag: vv.tag, val: toJs(vv.val!, c.type) } : { tag: vv.tag };
    }
    case 'list': {
      const xs = (v as ComponentValue[]).map((x) => toJs(x, t.elem));
      const ctor = typeof t.elem === 'string' ? TYPED[t.elem] : undefined;
      return ctor ? new (ctor as TypedArrayCtor)(xs as number[] & bigint[]) : xs;
    }
    case 'tuple':
      return (v as ComponentValue[]).map((x, i) => toJs(x, t.types[i]!));
    case 'flags': {
      const out: Record<string, boolean> = {};
      for (const n of t.names) out[camel(n)] = Boolean((v as unknown as Record<string, boolean>)[n]);
      return out;
    }
    case 'enum':
      return v;
    case 'option': {
      const vv = v as VariantValue;
      if (isOption(t.type)) return vv.tag === 'none' ? { tag: 'none' } : { tag: 'some', val: toJs(vv.val!, t.type) };
      return vv.tag === 'none' ? undefined : toJs(vv.val!, t.type);
    }
    case 'result': {
      const vv = v as VariantValue;
      const pt = vv.tag === 'ok' ? t.ok : t.err;
      return pt === null ? { tag: vv.tag } : { tag: vv.tag, val: toJs(vv.val!, pt) };
    }
    default:
      throw new NotExpressible(`${t.kind} values are not carried between cmr's harness and jco`);
  }
}

/** jco's JS value of type `t` as cmr's; a value of the wrong shape is reported, not guessed. */
export function fromJs(x: unknown, t: ValType): ComponentValue {
  const bad = (): never => {
    throw new TypeError(`jco returned ${String(x)} for a value of type ${typeof t === 'string' ? t : t.kind}`);
  };
  if (typeof t === 'string') {
    switch (t) {
      case 'bool': return typeof x === 'boolean' ? x : bad();
      case 'u64': case 's64': return typeof x === 'bigint' ? x : bad();
      case 'char': case 'string': return typeof x === 'string' ? x : bad();
      case 'error-context': throw new NotExpressible('error-context values are not carried from jco');
      default: return typeof x === 'number' ? x : bad();
    }
  }
  switch (t.kind) {
    case 'record': {
      if (typeof x !== 'object' || x === null) bad();
      const out: RecordValue = {};
      for (const f of t.fields) out[f.name] = fromJs((x as Record<string, unknown>)[camel(f.name)], f.type);
      return out;
    }
    case 'variant': {
      const { tag, val } = (x ?? {}) as { tag?: unknown; val?: unknown };
      const c = t.cases.find((k) => k.name === tag);
      if (!c) return bad();
      return c.type ? { tag: c.name, val: fromJs(val, c.type) } : { tag: c.name };
    }
    case 'list': {
      if (typeof x !== 'object' || x === null || typeof (x as ArrayLike<unknown>).length !== 'number') return bad();
      return Array.from(x as ArrayLike<unknown>, (e) => fromJs(e, t.elem));
    }
    case 'tuple': {
      if (!Array.isArray(x) || x.length !== t.types.length) return bad();
      return x.map((e, i) => fromJs(e, t.types[i]!));
    }
    case 'flags': {
      if (typeof x !== 'object' || x === null) return bad();
      const out: Record<string, boolean> = {};
      for (const n of t.names) out[n] = Boolean((x as Record<string, unknown>)[camel(n)]);
      return out as unknown as ComponentValue;
    }
    case 'enum':
      return typeof x === 'string' && t.names.includes(x) ? x : bad();
    case 'option': {
      if (isOption(t.type)) {
        const { tag, val } = (x ?? {}) as { tag?: unknown; val?: unknown };
        if (x === undefined || tag === 'none') return { tag: 'none' };
        if (tag === 'some') return { tag: 'some', val: fromJs(val, t.type) };
        return bad();
      }
      return x === undefined || x === null ? { tag: 'none' } : { tag: 'some', val: fromJs(x, t.type) };
    }
    case 'result': {
      const { tag, val } = (x ?? {}) as { tag?: unknown; val?: unknown };
      if (tag !== 'ok' && tag !== 'err') return bad();
      const pt = tag === 'ok' ? t.ok : t.err;
      return pt === null ? { tag } : { tag, val: fromJs(val, pt) };
    }
    default:
      throw new NotExpressible(`${t.kind} values are not carried between jco and cmr's harness`);
  }
}
