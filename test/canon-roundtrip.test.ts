// The canonical ABI engine's layout facts and value round trips: every value
// type, lowered then lifted through flat core values and through memory
// (store then load), with random types and values from fast-check; strings
// in all three encodings and transcoded between them.

import { expect } from 'chai';
import fc from 'fast-check';
import { HostFunc } from '../src/core/runtime/func.js';
import { MemoryInst } from '../src/core/runtime/memory.js';
import type { Value } from '../src/core/runtime/values.js';
import { I32 } from '../src/core/syntax/types.js';
import type { StringEncoding } from '../src/component/syntax/ast.js';
import type { DefinedType, FuncType, ValType } from '../src/component/syntax/types.js';
import {
  alignment, canonicalOptions, ComponentInstance, CoreValueIter, elemSize, flattenFunctype, flattenType,
  formatValue, HintedString, liftFlat, LiftLowerContext, load, lowerFlat, store, valuesEqual,
  type CanonicalOptions, type ComponentValue, type TraceEvent,
} from '../src/component/canon/index.js';
import { arbAnyString, arbTypedValue, labels } from './support/canon-arbitraries.js';

// ---- fixtures ---------------------------------------------------------------------

/** A bump allocator as a realloc: growing copies, shrinking keeps the block. */
function bumpRealloc(mem: MemoryInst, start = 8, calls: number[][] = []): HostFunc {
  let next = start;
  return new HostFunc({ params: [I32, I32, I32, I32], results: [I32] }, (args: Value[]) => {
    const [old, oldSize, align, newSize] = (args as number[]).map((x) => x >>> 0) as [number, number, number, number];
    calls.push([old, oldSize, align, newSize]);
    if (old !== 0 && newSize <= oldSize) return [old | 0];
    const ptr = Math.ceil(next / align) * align;
    next = ptr + newSize;
    while (next > mem.byteLength) mem.grow(1);
    mem.refresh();
    if (old !== 0) mem.u8.copyWithin(ptr, old, old + oldSize);
    return [ptr | 0];
  }, 'realloc');
}

function context(encoding: StringEncoding = 'utf8', calls: number[][] = []): { cx: LiftLowerContext; mem: MemoryInst; opts: CanonicalOptions } {
  const mem = MemoryInst.create({ limits: { min: 1, max: null } });
  const opts = canonicalOptions({ memory: mem, realloc: bumpRealloc(mem, 8, calls), stringEncoding: encoding });
  const cx = new LiftLowerContext(opts, new ComponentInstance());
  return { cx, mem, opts };
}

// ---- arbitrary types and values -------------------------------------------------------------


/** Replaces HintedStrings by their JS strings, recursively. */
function plain(v: unknown): unknown {
  if (v instanceof HintedString) return v.value;
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

function typeofFlat(v: Value): string {
  return typeof v;
}

// ---- layout ---------------------------------------------------------------------------------

describe('canon: layout and flattening', () => {
  const rec = (...types: ValType[]): DefinedType => ({ kind: 'record', fields: types.map((type, i) => ({ name: `f${i}`, type })) });
  const vnt = (...types: (ValType | null)[]): DefinedType => ({ kind: 'variant', cases: types.map((type, i) => ({ name: `c${i}`, type })) });

  it('sizes and aligns the primitive types', () => {
    const expected: [ValType, number, number][] = [
      ['bool', 1, 1], ['u8', 1, 1], ['s16', 2, 2], ['u32', 4, 4], ['s64', 8, 8], ['f32', 4, 4], ['f64', 8, 8], ['char', 4, 4], ['string', 8, 4],
    ];
    for (const [t, size, align] of expected) {
      expect(elemSize(t, 'i32'), `${String(t)} size`).to.equal(size);
      expect(alignment(t, 'i32'), `${String(t)} alignment`).to.equal(align);
    }
    expect(elemSize('string', 'i64')).to.equal(16);
    expect(alignment('string', 'i64')).to.equal(8);
  });

  it('pads records and variants', () => {
    expect(elemSize(rec('u8', 'u32', 'u8'), 'i32')).to.equal(12);
    expect(elemSize(rec('u8', 'u64'), 'i32')).to.equal(16);
    expect(alignment(rec('u8', 'u16'), 'i32')).to.equal(2);
    expect(elemSize(vnt(null, 'u64'), 'i32')).to.equal(16);
    expect(elemSize(vnt(null, 'u8'), 'i32')).to.equal(2);
    expect(elemSize({ kind: 'option', type: 'u32' }, 'i32')).to.equal(8);
    expect(elemSize({ kind: 'list', elem: 'u16', length: 3 }, 'i32')).to.equal(6);
    expect(alignment({ kind: 'list', elem: 'u16', length: 3 }, 'i32')).to.equal(2);
    expect(elemSize({ kind: 'list', elem: 'u16', length: null }, 'i32')).to.equal(8);
  });

  it('picks the smallest discriminant and flags integer', () => {
    const cases = (n: number): DefinedType => ({ kind: 'enum', names: labels(n, 'e') });
    expect(elemSize(cases(256), 'i32')).to.equal(1);
    expect(elemSize(cases(257), 'i32')).to.equal(2);
    const flags = (n: number): DefinedType => ({ kind: 'flags', names: labels(n, 'g') });
    expect([1, 8, 9, 16, 17, 32].map((n) => elemSize(flags(n), 'i32'))).to.deep.equal([1, 1, 2, 2, 4, 4]);
    expect(elemSize(flags(33), 'i32')).to.equal(8);
    expect(flattenType(flags(65), 'i32')).to.deep.equal(['i32', 'i32', 'i32']);
  });

  it('joins variant payloads', () => {
    expect(flattenType(vnt('f32', 'u32'), 'i32')).to.deep.equal(['i32', 'i32']);
    expect(flattenType(vnt('f32', 'f32'), 'i32')).to.deep.equal(['i32', 'f32']);
    expect(flattenType(vnt('f64', 'u32'), 'i32')).to.deep.equal(['i32', 'i64']);
    expect(flattenType(vnt(rec('u8', 'f32'), 'u64'), 'i32')).to.deep.equal(['i32', 'i64', 'f32']);
    expect(flattenType({ kind: 'result', ok: null, err: null }, 'i32')).to.deep.equal(['i32']);
    expect(flattenType('string', 'i64')).to.deep.equal(['i64', 'i64']);
  });

  it('spills parameters beyond 16 and results beyond 1', () => {
    const ft = (n: number, result: ValType | null): FuncType => ({ kind: 'func', async: false, params: Array.from({ length: n }, (_, i) => ({ name: `p${i}`, type: 'u32' as ValType })), result });
    const o = { ptrType: 'i32' as const };
    expect(flattenFunctype(o, ft(16, 'u32'), 'lift')).to.deep.equal({ params: new Array(16).fill('i32'), results: ['i32'] });
    expect(flattenFunctype(o, ft(17, null), 'lift')).to.deep.equal({ params: ['i32'], results: [] });
    expect(flattenFunctype(o, ft(1, 'string'), 'lift')).to.deep.equal({ params: ['i32'], results: ['i32'] });
    expect(flattenFunctype(o, ft(1, 'string'), 'lower')).to.deep.equal({ params: ['i32', 'i32'], results: [] });
    expect(flattenFunctype({ ptrType: 'i32', async: true }, ft(5, 'u32'), 'lower')).to.deep.equal({ params: ['i32', 'i32'], results: ['i32'] });
  });
});

// ---- round trips -------------------------------------------------------------------------------

describe('canon: value round trips', () => {
  it('lower_flat then lift_flat returns the value (random types)', () => {
    fc.assert(fc.property(arbTypedValue, ({ t, v }) => {
      const { cx } = context();
      const flat = lowerFlat(cx, v, t);
      expect(flat.map(typeofFlat)).to.deep.equal(flattenType(t, 'i32').map((ft) => (ft === 'i64' || ft === 'f64' ? 'bigint' : 'number')));
      const vi = new CoreValueIter(flat);
      const back = liftFlat(cx, vi, t);
      expect(vi.done()).to.equal(true);
      expect(valuesEqual(back, v, t), `${formatValue(back, t)} vs ${formatValue(v, t)}`).to.equal(true);
    }), { numRuns: 400 });
  });

  it('store then load returns the value (random types)', () => {
    fc.assert(fc.property(arbTypedValue, ({ t, v }) => {
      const { cx } = context();
      const ptr = cx.allocate(alignment(t, 'i32'), elemSize(t, 'i32'));
      store(cx, v, t, ptr);
      const back = load(cx, ptr, t);
      expect(valuesEqual(back, v, t), `${formatValue(back, t)} vs ${formatValue(v, t)}`).to.equal(true);
    }), { numRuns: 400 });
  });

  it('lowers a value, lifts it with string hints and lowers it into another encoding (random types)', () => {
    const encodings: StringEncoding[] = ['utf8', 'utf16', 'latin1+utf16'];
    fc.assert(fc.property(arbTypedValue, fc.constantFrom(...encodings), fc.constantFrom(...encodings), ({ t, v }, e1, e2) => {
      const a = context(e1);
      const b = context(e2);
      const hinted = new LiftLowerContext(a.opts, a.cx.inst, null, 'component', true);
      const mid = liftFlat(hinted, new CoreValueIter(lowerFlat(a.cx, v, t)), t);
      const back = liftFlat(b.cx, new CoreValueIter(lowerFlat(b.cx, mid, t)), t);
      expect(valuesEqual(plain(back) as ComponentValue, v, t)).to.equal(true);
    }), { numRuns: 300 });
  });

  it('canonicalises NaNs and keeps -0', () => {
    const { cx } = context();
    expect(lowerFlat(cx, NaN, 'f32')).to.deep.equal([0x7fc00000]);
    expect(lowerFlat(cx, NaN, 'f64')).to.deep.equal([0x7ff8000000000000n]);
    expect(liftFlat(cx, new CoreValueIter([0x7fa00001]), 'f32')).to.be.NaN;
    expect(liftFlat(cx, new CoreValueIter([-1n]), 'f64')).to.be.NaN;
    expect(Object.is(liftFlat(cx, new CoreValueIter([lowerFlat(cx, -0, 'f32')[0]!]), 'f32'), -0)).to.equal(true);
  });

  it('lifts any nonzero bool as true and ignores high bits of small integers', () => {
    const { cx } = context();
    expect(liftFlat(cx, new CoreValueIter([2]), 'bool')).to.equal(true);
    expect(liftFlat(cx, new CoreValueIter([-1]), 'bool')).to.equal(true);
    expect(liftFlat(cx, new CoreValueIter([0x1ff]), 'u8')).to.equal(0xff);
    expect(liftFlat(cx, new CoreValueIter([0x1ff]), 's8')).to.equal(-1);
    expect(liftFlat(cx, new CoreValueIter([-1]), 'u32')).to.equal(0xffffffff);
    expect(liftFlat(cx, new CoreValueIter([-1n]), 'u64')).to.equal(2n ** 64n - 1n);
    const ptr = cx.allocate(1, 1);
    cx.memory.u8[ptr] = 7;
    expect(load(cx, ptr, 'bool')).to.equal(true);
  });

  it('ignores flag bits beyond the last label', () => {
    const { cx } = context();
    const t: DefinedType = { kind: 'flags', names: ['a', 'b', 'c'] };
    expect(liftFlat(cx, new CoreValueIter([0xff]), t)).to.deep.equal({ a: true, b: true, c: true });
    const t70: DefinedType = { kind: 'flags', names: labels(70, 'g') };
    const v = liftFlat(cx, new CoreValueIter([0, 0, -1]), t70) as Record<string, boolean>;
    expect(Object.values(v).filter(Boolean).length).to.equal(6);
  });

  it('names the type of a wrong integer: "1" is not 1', () => {
    const { cx } = context();
    expect(() => lowerFlat(cx, '1', 'u8')).to.throw(TypeError, 'expected a u8 (an integer in [0, 255]), got the string "1"');
    expect(() => lowerFlat(cx, 1n, 'u32')).to.throw(TypeError, 'got the bigint 1n');
    expect(() => lowerFlat(cx, '1', 's64')).to.throw(TypeError, 'expected a s64 (a 64-bit bigint), got the string "1"');
    expect(() => lowerFlat(cx, [1], 'u16')).to.throw(TypeError, 'got an array');
  });

  it('refuses a flags value naming a flag the type lacks, or not a boolean', () => {
    const { cx } = context();
    const t: DefinedType = { kind: 'flags', names: ['read', 'write'] };
    expect(lowerFlat(cx, { write: true }, t)).to.deep.equal([2]);
    expect(lowerFlat(cx, { read: false }, t)).to.deep.equal([0]);
    // a typo, and an array of names, would otherwise leave every flag clear
    expect(() => lowerFlat(cx, { Read: true }, t)).to.throw(TypeError, 'no flag "Read" in flags (its flags: read, write)');
    expect(() => lowerFlat(cx, ['read'], t)).to.throw(TypeError, 'no flag "0" in flags');
    expect(() => lowerFlat(cx, { read: 'no' }, t)).to.throw(TypeError, 'expected a boolean for flag "read", got string');
    const ptr = cx.allocate(1, 1);
    expect(() => store(cx, { read: true, exec: true }, t, ptr)).to.throw(TypeError, 'no flag "exec"');
  });

  it('refuses a payload given to a case that has none, and ignores a record\'s extra fields (as jco)', () => {
    const { cx } = context();
    const v: DefinedType = { kind: 'variant', cases: [{ name: 'a', type: null }, { name: 'b', type: 'u8' }] };
    expect(lowerFlat(cx, { tag: 'a' }, v)).to.deep.equal([0, 0]);
    expect(lowerFlat(cx, { tag: 'a', val: undefined }, v)).to.deep.equal([0, 0]);
    expect(() => lowerFlat(cx, { tag: 'a', val: 7 }, v)).to.throw(TypeError, 'case "a" of variant has no payload, but the value gives `val` (number)');
    expect(() => lowerFlat(cx, { tag: 'none', val: 0 }, { kind: 'option', type: 'u8' })).to.throw(TypeError, 'case "none" of option has no payload');
    expect(() => lowerFlat(cx, { tag: 'ok', val: 'x' }, { kind: 'result', ok: null, err: 'u8' })).to.throw(TypeError, 'case "ok" of result has no payload');
    expect(lowerFlat(cx, { tag: 'err', val: 3 }, { kind: 'result', ok: null, err: 'u8' })).to.deep.equal([1, 3]);
    const ptr = cx.allocate(1, 2);
    expect(() => store(cx, { tag: 'a', val: 7 }, v, ptr)).to.throw(TypeError, 'has no payload');
    // A record reads its fields by name; other properties are not its business.
    const r: DefinedType = { kind: 'record', fields: [{ name: 'x', type: 'u8' }] };
    expect(lowerFlat(cx, { x: 1, note: 'ignored' }, r)).to.deep.equal([1]);
  });

  it('uses the spec case order for option and result', () => {
    const { cx } = context();
    expect(lowerFlat(cx, { tag: 'some', val: { tag: 'none' } }, { kind: 'option', type: { kind: 'option', type: 'u8' } })).to.deep.equal([1, 0, 0]);
    expect(lowerFlat(cx, { tag: 'err', val: 3 }, { kind: 'result', ok: 'f32', err: 'u8' })).to.deep.equal([1, 3]);
    expect(lowerFlat(cx, { tag: 'ok', val: 1.5 }, { kind: 'result', ok: 'f32', err: 'u8' })).to.deep.equal([0, 0x3fc00000]);
    expect(lowerFlat(cx, { tag: 'c1', val: 7 }, vntOf(['f64', 'u32']))).to.deep.equal([1, 7n]);
  });
});

function vntOf(types: ValType[]): DefinedType {
  return { kind: 'variant', cases: types.map((type, i) => ({ name: `c${i}`, type })) };
}

// ---- strings ---------------------------------------------------------------------------------------

describe('canon: strings', () => {
  const encodings: StringEncoding[] = ['utf8', 'utf16', 'latin1+utf16'];

  for (const enc of encodings) {
    it(`round-trips strings in ${enc} (non-ASCII, astral)`, () => {
      fc.assert(fc.property(arbAnyString, (s) => {
        const { cx } = context(enc);
        const back = liftFlat(cx, new CoreValueIter(lowerFlat(cx, s, 'string')), 'string');
        expect(back).to.equal(s);
      }), { numRuns: 300 });
    });
  }

  it('writes the bytes of each encoding', () => {
    const s = 'hö☃🍰';
    const bytesOf = (enc: StringEncoding, v: string) => {
      const { cx } = context(enc);
      const [ptr, len] = lowerFlat(cx, v, 'string') as number[];
      const units = len! >>> 0;
      const byteLen = enc === 'utf8' || (enc === 'latin1+utf16' && units < 0x80000000) ? units : 2 * (units & 0x7fffffff);
      return { units, bytes: [...cx.memory.u8.subarray(ptr!, ptr! + byteLen)] };
    };
    expect(bytesOf('utf8', s)).to.deep.equal({ units: 10, bytes: [0x68, 0xc3, 0xb6, 0xe2, 0x98, 0x83, 0xf0, 0x9f, 0x8d, 0xb0] });
    expect(bytesOf('utf16', s)).to.deep.equal({ units: 5, bytes: [0x68, 0, 0xf6, 0, 0x03, 0x26, 0x3c, 0xd8, 0x70, 0xdf] });
    expect(bytesOf('latin1+utf16', 'hö')).to.deep.equal({ units: 2, bytes: [0x68, 0xf6] });
    expect(bytesOf('latin1+utf16', s)).to.deep.equal({ units: 0x80000005, bytes: [0x68, 0, 0xf6, 0, 0x03, 0x26, 0x3c, 0xd8, 0x70, 0xdf] });
  });

  /** The realloc calls one transfer makes, source encoding → destination encoding. */
  function reallocCalls(src: StringEncoding, dst: StringEncoding, s: string): number[][] {
    const a = context(src);
    const calls: number[][] = [];
    const b = context(dst, calls);
    const hinted = new LiftLowerContext(a.opts, a.cx.inst, null, 'component', true);
    const mid = liftFlat(hinted, new CoreValueIter(lowerFlat(a.cx, s, 'string')), 'string');
    const flat = lowerFlat(b.cx, mid, 'string');
    expect(liftFlat(b.cx, new CoreValueIter(flat), 'string')).to.equal(s);
    return calls.map(([old, oldSize, align, size]) => [old === 0 ? 0 : 1, oldSize!, align!, size!]);
  }

  it('makes the spec\'s realloc calls when transcoding', () => {
    // utf8 → utf8: one exact allocation
    expect(reallocCalls('utf8', 'utf8', 'hö')).to.deep.equal([[0, 0, 1, 3]]);
    // utf16 → utf8: optimistic, then worst case (3 per unit), then shrink
    expect(reallocCalls('utf16', 'utf8', 'hö')).to.deep.equal([[0, 0, 1, 2], [1, 2, 1, 6], [1, 6, 1, 3]]);
    expect(reallocCalls('utf16', 'utf8', 'ab')).to.deep.equal([[0, 0, 1, 2]]);
    // latin1 → utf8: worst case is 2 per unit
    expect(reallocCalls('latin1+utf16', 'utf8', 'hö')).to.deep.equal([[0, 0, 1, 2], [1, 2, 1, 4], [1, 4, 1, 3]]);
    // utf8 → utf16: worst case up front, then shrink
    expect(reallocCalls('utf8', 'utf16', 'hö')).to.deep.equal([[0, 0, 2, 6], [1, 6, 2, 4]]);
    expect(reallocCalls('utf16', 'utf16', 'hö')).to.deep.equal([[0, 0, 2, 4]]);
    // into latin1+utf16: speculate Latin-1 …
    expect(reallocCalls('utf8', 'latin1+utf16', 'hö')).to.deep.equal([[0, 0, 2, 3], [1, 3, 2, 2]]);
    expect(reallocCalls('utf16', 'latin1+utf16', 'ab')).to.deep.equal([[0, 0, 2, 2]]);
    // … and inflate to UTF-16 when it does not fit
    expect(reallocCalls('utf16', 'latin1+utf16', 'ö☃')).to.deep.equal([[0, 0, 2, 2], [1, 2, 2, 4]]);
    expect(reallocCalls('utf8', 'latin1+utf16', 'ö☃')).to.deep.equal([[0, 0, 2, 5], [1, 5, 2, 10], [1, 10, 2, 4]]);
    // latin1+utf16 in its UTF-16 form: copy as UTF-16, deflate if it all fits Latin-1
    expect(reallocCalls('latin1+utf16', 'latin1+utf16', 'ö☃')).to.deep.equal([[0, 0, 2, 4]]);
    // (a Latin-1-form source is a plain copy, 2-aligned)
    expect(reallocCalls('latin1+utf16', 'latin1+utf16', 'hö')).to.deep.equal([[0, 0, 2, 2]]);
    expect(reallocCalls('latin1+utf16', 'utf16', 'hö')).to.deep.equal([[0, 0, 2, 4]]);
  });

  it('transcodes random strings between every pair of encodings', () => {
    fc.assert(fc.property(arbAnyString, fc.constantFrom(...encodings), fc.constantFrom(...encodings), (s, e1, e2) => {
      reallocCalls(e1, e2, s);
    }), { numRuns: 500 });
  });

  it('the deflate case of latin1+utf16 → latin1+utf16 works through a HintedString in UTF-16 form', () => {
    const calls: number[][] = [];
    const { cx } = context('latin1+utf16', calls);
    const flat = lowerFlat(cx, new HintedString('hé', 'latin1+utf16', 2, true), 'string');
    expect(flat[1]).to.equal(2);
    expect(calls.map(([old, ...rest]) => [old === 0 ? 0 : 1, ...rest])).to.deep.equal([[0, 0, 2, 4], [1, 4, 1, 2]]);
    expect(liftFlat(cx, new CoreValueIter(flat), 'string')).to.equal('hé');
  });

  it('rejects host strings with lone surrogates', () => {
    const { cx } = context('utf8');
    expect(() => lowerFlat(cx, 'a\ud800b', 'string')).to.throw(TypeError);
  });

  it('traces string placement and realloc calls', () => {
    const { cx } = context('utf8');
    const events: TraceEvent[] = [];
    cx.inst.store.trace = (e) => events.push(e);
    lowerFlat(cx, 'hé', 'string');
    // A host string goes into UTF-8 as UTF-8: one exact allocation, as
    // wasmtime's host strings do (the WASI adapter's import realloc
    // accepts nothing else).
    expect(events.map((e) => e.kind)).to.deep.equal(['realloc', 'store']);
    expect(events[0]!.text).to.match(/new size 3\)/);
    expect(events[1]!.text).to.match(/wrote "hé" \(from utf8, 3 code units\) as 3 bytes of utf8/);
  });
});
