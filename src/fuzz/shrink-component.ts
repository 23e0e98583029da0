// Shrinking a component disagreement: delta debugging over the type and the
// value together. A candidate is a smaller (type, value) pair: a part of
// the type in place of the whole (with the matching part of the value), a
// record or tuple without one member, a variant, enum or flags with fewer
// cases, a list with fewer elements, a shorter string, a simpler scalar,
// utf8 in place of another string encoding. The first candidate that still
// makes some engine disagree is taken, and the search starts again from
// it, until no candidate does or the budget is spent. The component is
// made afresh for each candidate from its type.

import type { Case, ValType } from '../component/syntax/types.js';
import type { StringEncoding } from '../component/syntax/ast.js';
import type { ComponentValue, RecordValue, VariantValue } from '../component/canon/values.js';
import { zeroValue } from '../component/canon/values.js';

export interface EchoPoint {
  type: ValType;
  value: ComponentValue;
  encoding: StringEncoding;
}

type Pair = [ValType, ComponentValue];

/** The zero value of t (the API's), for a part of a type that had no value of its own. */
function plainValue(t: ValType): ComponentValue {
  const v = zeroValue(t);
  if (v === null) throw new Error(`the fuzzer makes no values of ${typeof t === 'string' ? t : t.kind}`);
  return v;
}

function simplerScalars(t: string, v: ComponentValue): ComponentValue[] {
  switch (t) {
    case 'bool': return v === true ? [false] : [];
    case 's64': case 'u64': return v === 0n ? [] : v === 1n ? [0n] : [0n, 1n];
    case 'char': return v === 'a' ? [] : ['a'];
    case 'string': {
      const s = [...(v as string)];
      if (s.length === 0) return [];
      const out: string[] = ['', s.slice(0, s.length >> 1).join(''), s.slice(s.length >> 1).join('')];
      for (let i = 0; i < Math.min(s.length, 12); i++) out.push([...s.slice(0, i), ...s.slice(i + 1)].join(''));
      out.push(s.map((c) => (c.codePointAt(0)! < 0x80 ? c : 'a')).join(''));
      return out.filter((x) => x !== v);
    }
    default: return Object.is(v, 0) ? [] : v === 1 ? [0] : [0, 1];
  }
}

/** Smaller (type, value) pairs, the boldest first. */
function* candidates(t: ValType, v: ComponentValue): Generator<Pair> {
  if (typeof t === 'string') {
    for (const x of simplerScalars(t, v)) yield [t, x];
    return;
  }
  // A part of the type in place of the whole.
  for (const part of parts(t, v)) yield part;
  switch (t.kind) {
    case 'record': {
      const r = v as RecordValue;
      if (t.fields.length > 1) {
        for (let i = 0; i < t.fields.length; i++) {
          const fields = t.fields.filter((_, j) => j !== i);
          yield [{ kind: 'record', fields }, Object.fromEntries(fields.map((f) => [f.name, r[f.name]!]))];
        }
      }
      for (let i = 0; i < t.fields.length; i++) {
        const f = t.fields[i]!;
        for (const [ft, fv] of candidates(f.type, r[f.name]!)) {
          yield [{ kind: 'record', fields: t.fields.map((g, j) => (j === i ? { name: g.name, type: ft } : g)) }, { ...r, [f.name]: fv }];
        }
      }
      return;
    }
    case 'tuple': {
      const a = v as ComponentValue[];
      if (t.types.length > 1) for (let i = 0; i < t.types.length; i++) yield [{ kind: 'tuple', types: t.types.filter((_, j) => j !== i) }, a.filter((_, j) => j !== i)];
      for (let i = 0; i < t.types.length; i++) {
        for (const [et, ev] of candidates(t.types[i]!, a[i]!)) yield [{ kind: 'tuple', types: t.types.map((x, j) => (j === i ? et : x)) }, a.map((x, j) => (j === i ? ev : x))];
      }
      return;
    }
    case 'variant': {
      const x = v as VariantValue;
      const c = t.cases.find((k) => k.name === x.tag)!;
      if (t.cases.length > 1) yield [{ kind: 'variant', cases: [c] }, x];
      if (c.type !== null) {
        yield [{ kind: 'variant', cases: t.cases.map((k) => (k === c ? { name: c.name, type: null } : k)) }, { tag: x.tag }];
        for (const [ct, cv] of candidates(c.type, x.val!)) {
          const cases: Case[] = t.cases.map((k) => (k === c ? { name: c.name, type: ct } : k));
          yield [{ kind: 'variant', cases }, { tag: x.tag, val: cv }];
        }
      }
      return;
    }
    case 'enum':
      if (t.names.length > 1) yield [{ kind: 'enum', names: [v as string] }, v];
      return;
    case 'flags': {
      const f = v as unknown as Record<string, boolean>;
      const set = t.names.filter((n) => f[n]);
      const keep = set.length ? set : [t.names[0]!];
      if (keep.length < t.names.length) yield [{ kind: 'flags', names: keep }, Object.fromEntries(keep.map((n) => [n, f[n]!])) as unknown as ComponentValue];
      for (const n of set) yield [t, { ...f, [n]: false } as unknown as ComponentValue];
      return;
    }
    case 'list': {
      const a = v as ComponentValue[];
      if (a.length > 0) {
        yield [t, []];
        if (a.length > 1) { yield [t, a.slice(0, a.length >> 1)]; yield [t, a.slice(a.length >> 1)]; }
        for (let i = 0; i < a.length; i++) yield [t, a.filter((_, j) => j !== i)];
        for (let i = 0; i < a.length; i++) for (const [et, ev] of candidates(t.elem, a[i]!)) {
          // The element type may change only if the list holds nothing else.
          if (et === t.elem || a.length === 1) yield [{ kind: 'list', elem: et, length: null }, a.map((x, j) => (j === i ? ev : x))];
        }
      }
      return;
    }
    case 'option': {
      const x = v as VariantValue;
      if (x.tag === 'some') {
        yield [t, { tag: 'none' }];
        for (const [pt, pv] of candidates(t.type, x.val!)) yield [{ kind: 'option', type: pt }, { tag: 'some', val: pv }];
      }
      return;
    }
    case 'result': {
      const x = v as VariantValue;
      const pt = x.tag === 'ok' ? t.ok : t.err;
      if (pt !== null) {
        yield [x.tag === 'ok' ? { kind: 'result', ok: null, err: t.err } : { kind: 'result', ok: t.ok, err: null }, { tag: x.tag }];
        for (const [st, sv] of candidates(pt, x.val!)) {
          yield [x.tag === 'ok' ? { kind: 'result', ok: st, err: t.err } : { kind: 'result', ok: t.ok, err: st }, { tag: x.tag, val: sv }];
        }
      }
      return;
    }
    default:
      return;
  }
}

/** The parts of (t, v): each child type with its part of the value (or a plain value). */
function parts(t: ValType, v: ComponentValue): Pair[] {
  if (typeof t === 'string') return [];
  switch (t.kind) {
    case 'record': return t.fields.map((f) => [f.type, (v as RecordValue)[f.name]!]);
    case 'tuple': return t.types.map((x, i) => [x, (v as ComponentValue[])[i]!]);
    case 'variant': return t.cases.filter((c) => c.type !== null).map((c) => [c.type!, (v as VariantValue).tag === c.name ? (v as VariantValue).val! : plainValue(c.type!)]);
    case 'list': return (v as ComponentValue[]).length ? [[t.elem, (v as ComponentValue[])[0]!]] : [[t.elem, plainValue(t.elem)]];
    case 'option': return [[t.type, (v as VariantValue).tag === 'some' ? (v as VariantValue).val! : plainValue(t.type)]];
    case 'result': {
      const x = v as VariantValue;
      const out: Pair[] = [];
      if (t.ok !== null) out.push([t.ok, x.tag === 'ok' ? x.val! : plainValue(t.ok)]);
      if (t.err !== null) out.push([t.err, x.tag === 'err' ? x.val! : plainValue(t.err)]);
      return out;
    }
    default: return [];
  }
}

/** Every smaller point: utf8 first, then smaller types and values. Results are never the top type (see randomType). */
function* pointCandidates(p: EchoPoint): Generator<EchoPoint> {
  if (p.encoding !== 'utf8') yield { ...p, encoding: 'utf8' };
  for (const [type, value] of candidates(p.type, p.value)) {
    if (typeof type !== 'string' && type.kind === 'result') continue;
    yield { type, value, encoding: p.encoding };
  }
}

/**
 * Shrinks `p` while `stillFails` holds, within `budgetMs` (and at most
 * `maxTries` candidates). Returns the smallest failing point found.
 */
export async function shrinkEcho(p: EchoPoint, stillFails: (p: EchoPoint) => Promise<boolean>, budgetMs: number, maxTries = 2000): Promise<{ point: EchoPoint; tries: number; steps: number }> {
  const deadline = Date.now() + budgetMs;
  let tries = 0;
  let steps = 0;
  let progress = true;
  while (progress && Date.now() < deadline && tries < maxTries) {
    progress = false;
    for (const c of pointCandidates(p)) {
      if (Date.now() >= deadline || tries >= maxTries) break;
      tries++;
      if (await stillFails(c)) {
        p = c;
        steps++;
        progress = true;
        break;
      }
    }
  }
  return { point: p, tries, steps };
}
