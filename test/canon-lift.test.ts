// Lifting out of linear memory (canon/strings.ts, canon/load-store.ts),
// compared with the spec's rules written out here as definitions.py
// states them:
// - load_string_from_range decodes bytes.decode(encoding) with Python's
//   strictness (invalid UTF-8 and lone UTF-16 surrogates trap; Latin-1
//   maps each byte to its code point), whichever way cmr decodes them
//   (short ASCII strings through String.fromCharCode, Latin-1 through
//   Node's Buffer, others through a fatal TextDecoder; without Buffer,
//   through String.fromCharCode and the TextDecoder alone);
// - load_record builds `record[f.label] = load(cx, ptr, f.t)` field by
//   field along align_to/elem_size: cmr builds the record object directly,
//   its first four fields at written-out sites, so records of many fields,
//   nested records and records with option and variant fields are checked
//   against that loop, and on both engines through a guest's memory.

import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { HostFunc } from '../src/core/runtime/func.js';
import { MemoryInst } from '../src/core/runtime/memory.js';
import type { Value } from '../src/core/runtime/values.js';
import { I32 } from '../src/core/syntax/types.js';
import type { StringEncoding } from '../src/component/syntax/ast.js';
import type { DefinedType, Field, ValType } from '../src/component/syntax/types.js';
import {
  alignment, alignTo, canonicalOptions, ComponentInstance, CoreValueIter, elemSize, formatValue, liftFlat,
  LiftLowerContext, load, store, valuesEqual, type ComponentValue, type TraceEvent,
} from '../src/component/canon/index.js';
import { Component, Engine, Linker, Store, type Func } from '../src/api/index.js';
import { arbValue } from './support/canon-arbitraries.js';

// ---- fixtures ---------------------------------------------------------------------------

function context(encoding: StringEncoding = 'utf8'): { cx: LiftLowerContext; mem: MemoryInst } {
  const mem = MemoryInst.create({ limits: { min: 1, max: null } });
  let next = 8;
  const realloc = new HostFunc({ params: [I32, I32, I32, I32], results: [I32] }, (args: Value[]) => {
    const [, , align, size] = (args as number[]).map((x) => x >>> 0) as [number, number, number, number];
    const ptr = Math.ceil(next / align) * align;
    next = ptr + size;
    while (next > mem.byteLength) mem.grow(1);
    return [ptr | 0];
  }, 'realloc');
  const cx = new LiftLowerContext(canonicalOptions({ memory: mem, realloc, stringEncoding: encoding }), new ComponentInstance());
  return { cx, mem };
}

/** What the spec's load_string_from_range makes of `bytes`: the string, or 'trap'. */
function specDecode(bytes: Uint8Array, as: 'utf-8' | 'utf-16le' | 'latin1'): string | 'trap' {
  if (as === 'latin1') return Array.from(bytes, (b) => String.fromCharCode(b)).join('');
  try {
    return new TextDecoder(as, { fatal: true, ignoreBOM: true }).decode(bytes.slice());
  } catch {
    return 'trap';
  }
}

/** cmr's lift of the string of `bytes` placed at `at` (with the tagged length `units`), or 'trap'. */
function cmrDecode(enc: StringEncoding, bytes: Uint8Array, units: number, at = 64): string | 'trap' {
  const { cx, mem } = context(enc);
  mem.u8.set(bytes, at);
  try {
    return liftFlat(cx, new CoreValueIter([at, units | 0]), 'string') as string;
  } catch (e) {
    if (e instanceof TypeError || e instanceof RangeError) throw e;
    return 'trap';
  }
}

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const utf8 = (s: string) => new TextEncoder().encode(s);
const utf16 = (s: string) => {
  const b = new Uint8Array(2 * s.length);
  for (let i = 0; i < s.length; i++) { b[2 * i] = s.charCodeAt(i) & 0xff; b[2 * i + 1] = s.charCodeAt(i) >>> 8; }
  return b;
};
const TAG = 0x80000000;

/** Byte strings most of whose bytes are ASCII, of lengths around the short-string bound (64). */
const arbBytes = fc.oneof(
  fc.uint8Array({ maxLength: 80 }),
  fc.array(fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 0, max: 0x7f }) }, { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0xff }) }), { maxLength: 130 }).map((a) => Uint8Array.from(a)),
  fc.array(fc.integer({ min: 0, max: 0x7f }), { minLength: 60, maxLength: 70 }).map((a) => Uint8Array.from(a)),
);

/** The string cases, as [encoding, bytes, tagged length]: the ones the fast paths could get wrong. */
function stringCases(): [StringEncoding, Uint8Array, number][] {
  const a64 = 'x'.repeat(63) + 'y';
  return [
    ['utf8', ascii(''), 0],
    ['utf8', ascii('a'), 1],
    ['utf8', ascii('hello, world'), 12],
    ['utf8', ascii('\x00\x7f\x01'), 3],
    ['utf8', ascii(a64), 64], // the longest short string
    ['utf8', ascii(a64 + 'z'), 65], // the shortest long one
    ['utf8', ascii('q'.repeat(5000)), 5000],
    ['utf8', utf8('grüße→😀'), utf8('grüße→😀').length],
    ['utf8', Uint8Array.of(0x61, 0x62, 0x80), 3], // a non-ASCII byte last: invalid
    ['utf8', Uint8Array.of(0xc3), 1], // cut off
    ['utf8', Uint8Array.of(0x61, 0xed, 0xa0, 0x80), 4], // an encoded surrogate
    ['utf8', Uint8Array.of(0xff, 0x61), 2],
    ['utf8', Uint8Array.from([...ascii('x'.repeat(70)), 0xe2, 0x82]), 72],
    ['utf16', utf16(''), 0],
    ['utf16', utf16('ascii'), 5],
    ['utf16', utf16('hö☃😀'), 5],
    ['utf16', utf16('a\ud800b'), 3], // a lone high surrogate
    ['utf16', utf16('\udc00'), 1], // a lone low surrogate
    ['utf16', utf16('x\ud83d'), 2], // a high surrogate cut off by the end
    ['latin1+utf16', ascii(''), 0],
    ['latin1+utf16', ascii('plain'), 5],
    ['latin1+utf16', Uint8Array.of(0x68, 0xf6, 0x80, 0xff, 0x00), 5], // Latin-1 bytes above ASCII
    // 0x80-0x9f and 0xff: where ISO-8859-1 and windows-1252 (TextDecoder's 'latin1') part
    ['latin1+utf16', Uint8Array.from([0x61, ...Array.from({ length: 32 }, (_, i) => 0x80 + i), 0xff]), 34],
    ['latin1+utf16', Uint8Array.from({ length: 300 }, (_, i) => i & 0xff), 300],
    ['latin1+utf16', utf16(''), TAG],
    ['latin1+utf16', utf16('ö☃'), TAG + 2],
    ['latin1+utf16', utf16('a\ud800'), TAG + 2], // a lone surrogate in the UTF-16 form
    ['latin1+utf16', utf16('\udfff\ud800'), TAG + 2],
  ];
}

function specOf(enc: StringEncoding, bytes: Uint8Array, units: number): string | 'trap' {
  if (enc === 'utf8') return specDecode(bytes.subarray(0, units), 'utf-8');
  if (enc === 'utf16') return specDecode(bytes.subarray(0, 2 * units), 'utf-16le');
  return units >= TAG ? specDecode(bytes.subarray(0, 2 * (units - TAG)), 'utf-16le') : specDecode(bytes.subarray(0, units), 'latin1');
}

// ---- strings -------------------------------------------------------------------------------

describe('canon lift: strings as load_string_from_range decodes them', () => {
  it('decodes each case as the spec does, in all three encodings (ASCII, non-ASCII, lone surrogates, empty)', () => {
    for (const [enc, bytes, units] of stringCases()) {
      expect(cmrDecode(enc, bytes, units), `${enc} ${JSON.stringify([...bytes.subarray(0, 12)])}… (${units})`).to.equal(specOf(enc, bytes, units));
    }
  });

  it('decodes random bytes as UTF-8 as the spec does, at any offset', () => {
    fc.assert(fc.property(arbBytes, fc.integer({ min: 8, max: 200 }), (bytes, at) => {
      expect(cmrDecode('utf8', bytes, bytes.length, at)).to.equal(specDecode(bytes, 'utf-8'));
    }), { numRuns: 1000 });
  });

  it('decodes random bytes as Latin-1 and as UTF-16 in latin1+utf16, and as utf16', () => {
    fc.assert(fc.property(arbBytes, (bytes) => {
      expect(cmrDecode('latin1+utf16', bytes, bytes.length)).to.equal(specDecode(bytes, 'latin1'));
      const even = bytes.subarray(0, bytes.length & ~1);
      expect(cmrDecode('latin1+utf16', even, TAG + even.length / 2)).to.equal(specDecode(even, 'utf-16le'));
      expect(cmrDecode('utf16', even, even.length / 2)).to.equal(specDecode(even, 'utf-16le'));
    }), { numRuns: 300 });
  });

  it('decodes short ASCII strings out of a memory that has grown (a new buffer) since the last one', () => {
    const { cx, mem } = context('utf8');
    mem.u8.set(ascii('before'), 100);
    expect(liftFlat(cx, new CoreValueIter([100, 6]), 'string')).to.equal('before');
    mem.grow(1);
    mem.refresh();
    mem.u8.set(ascii('after'), 70000);
    expect(liftFlat(cx, new CoreValueIter([70000, 5]), 'string')).to.equal('after');
    expect(liftFlat(cx, new CoreValueIter([100, 6]), 'string')).to.equal('before');
  });

  it('traces a short ASCII string as any other', () => {
    const { cx, mem } = context('utf8');
    const events: TraceEvent[] = [];
    cx.inst.store.trace = (e) => events.push(e);
    mem.u8.set(ascii('hi'), 40);
    liftFlat(cx, new CoreValueIter([40, 2]), 'string');
    expect(events).to.deep.equal([{ kind: 'load', what: 'string', addr: 40, length: 2, byteLength: 2, encoding: 'utf8', text: 'read 2 bytes of utf8 at 40: "hi"' }]);
  });

  it('decodes the same where the host has no Buffer (the TextDecoder alone)', () => {
    // A child without the global Buffer, from its first import on.
    const cases = stringCases().map(([enc, bytes, units]) => [enc, [...bytes], units]);
    const script = `
      delete globalThis.Buffer;
      const canon = await import(${JSON.stringify(new URL('../src/component/canon/index.js', import.meta.url).href)});
      const { MemoryInst } = await import(${JSON.stringify(new URL('../src/core/runtime/memory.js', import.meta.url).href)});
      const out = [];
      for (const [enc, bytes, units] of ${JSON.stringify(cases)}) {
        const mem = MemoryInst.create({ limits: { min: 1, max: null } });
        mem.u8.set(bytes, 64);
        const cx = new canon.LiftLowerContext(canon.canonicalOptions({ memory: mem, stringEncoding: enc }), new canon.ComponentInstance());
        try { out.push(canon.liftFlat(cx, new canon.CoreValueIter([64, units | 0]), 'string')); } catch { out.push('trap'); }
      }
      console.log(JSON.stringify([typeof globalThis.Buffer, out]));`;
    const [bufferType, got] = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as [string, string[]];
    expect(bufferType).to.equal('undefined');
    expect(got).to.deep.equal(stringCases().map(([enc, bytes, units]) => specOf(enc, bytes, units)));
  });
});

// ---- records ---------------------------------------------------------------------------------

/** load_record as definitions.py writes it: each field at align_to of the walk, set by label in order. */
function specLoadRecord(cx: LiftLowerContext, ptr: number, fields: Field[]): Record<string, ComponentValue> {
  const record: Record<string, ComponentValue> = {};
  for (const f of fields) {
    ptr = alignTo(ptr, alignment(f.type, 'i32'));
    record[f.name] = load(cx, ptr, f.type);
    ptr += elemSize(f.type, 'i32');
  }
  return record;
}

const LEAVES: ValType[] = ['bool', 'u8', 's16', 'u32', 's64', 'f32', 'f64', 'char', 'string'];
const arbLeaf = fc.constantFrom(...LEAVES);
const arbFieldType: fc.Arbitrary<ValType> = fc.oneof(
  { weight: 4, arbitrary: arbLeaf },
  { weight: 1, arbitrary: fc.array(arbLeaf, { minLength: 1, maxLength: 6 }).map((ts): DefinedType => ({ kind: 'record', fields: ts.map((type, i) => ({ name: `n${i}`, type })) })) },
  { weight: 1, arbitrary: arbLeaf.map((type): DefinedType => ({ kind: 'option', type })) },
  { weight: 1, arbitrary: fc.array(fc.option(arbLeaf, { nil: null }), { minLength: 1, maxLength: 4 }).map((ts): DefinedType => ({ kind: 'variant', cases: ts.map((type, i) => ({ name: `c${i}`, type })) })) },
  { weight: 1, arbitrary: fc.array(arbLeaf, { minLength: 1, maxLength: 3 }).map((types): DefinedType => ({ kind: 'tuple', types })) },
);
/** Records of 1 to 12 fields: the written-out first four and the loop past them. */
const arbRecordType = fc.array(arbFieldType, { minLength: 1, maxLength: 12 }).map((ts): DefinedType & { kind: 'record' } => ({
  kind: 'record', fields: ts.map((type, i) => ({ name: i % 2 === 0 ? `field-${i}` : `f${i}`, type })),
}));

describe('canon lift: records as load_record builds them', () => {
  it('loads records of 1 to 12 fields (nested records, options, variants, tuples) as the spec\'s loop does, fields in order', () => {
    fc.assert(fc.property(arbRecordType.chain((t) => fc.array(arbValue(t), { minLength: 1, maxLength: 3 }).map((vs) => ({ t, vs }))), ({ t, vs }) => {
      const { cx } = context();
      const list: DefinedType = { kind: 'list', elem: t, length: null };
      const ptr = cx.allocate(4, 8);
      store(cx, vs, list, ptr);
      const got = load(cx, ptr, list) as Record<string, ComponentValue>[];
      const begin = cx.memory.view.getUint32(ptr, true);
      got.forEach((r, i) => {
        const want = specLoadRecord(cx, begin + i * elemSize(t, 'i32'), t.fields);
        expect(Object.getPrototypeOf(r)).to.equal(Object.prototype);
        expect(Object.keys(r)).to.deep.equal(t.fields.map((f) => f.name));
        expect(valuesEqual(r, want, t), `${formatValue(r, t)} vs ${formatValue(want, t)}`).to.equal(true);
        expect(valuesEqual(r, vs[i]!, t)).to.equal(true);
      });
    }), { numRuns: 300 });
  });

  it('loads a tuple as the array of its values', () => {
    const { cx } = context();
    const t: DefinedType = { kind: 'tuple', types: ['u8', 'string', 'f64', { kind: 'tuple', types: ['bool'] }] };
    const ptr = cx.allocate(8, elemSize(t, 'i32'));
    store(cx, [7, 'sü', 0.5, [true]], t, ptr);
    const got = load(cx, ptr, t);
    expect(Array.isArray(got)).to.equal(true);
    expect(got).to.deep.equal([7, 'sü', 0.5, [true]]);
  });
});

// ---- both engines, through a guest's memory ---------------------------------------------------------

/** take(list) keeps the list and answers its length; give() returns it. */
const lists = `(component
  (core module $m
    (memory (export "mem") 1)
    (global $next (mut i32) (i32.const 1024))
    (global $ptr (mut i32) (i32.const 0))
    (global $len (mut i32) (i32.const 0))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p (i32.and (i32.add (global.get $next) (i32.sub (local.get 2) (i32.const 1))) (i32.sub (i32.const 0) (local.get 2))))
      (global.set $next (i32.add (local.get $p) (local.get 3)))
      (if (i32.gt_u (global.get $next) (i32.shl (memory.size) (i32.const 16)))
        (then (drop (memory.grow (i32.add (i32.shr_u (i32.sub (global.get $next) (i32.shl (memory.size) (i32.const 16))) (i32.const 16)) (i32.const 1))))))
      (local.get $p))
    (func (export "take") (param i32 i32) (result i32)
      (global.set $ptr (local.get 0)) (global.set $len (local.get 1)) (global.set $next (i32.const 1024)) (local.get 1))
    (func (export "give") (result i32)
      (i32.store (i32.const 8) (global.get $ptr)) (i32.store (i32.const 12) (global.get $len)) (i32.const 8)))
  (core instance $i (instantiate $m))
  (type $in (record (field "p" u32) (field "q" string)))
  (export $ine "in" (type $in))
  (type $v (variant (case "none") (case "num" u64) (case "text" string)))
  (export $ve "v" (type $v))
  (type $big (record (field "a" u8) (field "b" $ine) (field "c" (option string)) (field "d" $ve)
    (field "e" (tuple string f32)) (field "f" (list string)) (field "g" bool) (field "h" s16) (field "i" string)))
  (export $bige "big" (type $big))
  (func (export "take-bigs") (param "l" (list $bige)) (result u32)
    (canon lift (core func $i "take") (memory (core memory $i "mem")) (realloc (core func $i "realloc"))))
  (func (export "give-bigs") (result (list $bige))
    (canon lift (core func $i "give") (memory (core memory $i "mem")) (realloc (core func $i "realloc"))))
  (func (export "take-ins") (param "l" (list $ine)) (result u32)
    (canon lift (core func $i "take") (memory (core memory $i "mem")) (realloc (core func $i "realloc"))))
  (func (export "give-ins") (result (list $ine))
    (canon lift (core func $i "give") (memory (core memory $i "mem")) (realloc (core func $i "realloc")))))`;

function bigs(n: number) {
  const text = (i: number) => (i % 4 === 0 ? `t${i}-grüße→😀` : i % 4 === 1 ? 'x'.repeat(60 + (i % 10)) : i % 4 === 2 ? '' : `t${i}`);
  const d = (i: number) => (i % 3 === 0 ? { tag: 'none' } : i % 3 === 1 ? { tag: 'num', val: 2n ** 64n - BigInt(i) - 1n } : { tag: 'text', val: text(i + 1) });
  return Array.from({ length: n }, (_, i) => ({
    a: i & 0xff,
    b: { p: (i * 2654435761) >>> 0, q: text(i) },
    c: i % 2 === 0 ? { tag: 'none' } : { tag: 'some', val: text(i + 2) },
    d: d(i),
    e: [text(i + 3), Math.fround(i / 3)],
    f: Array.from({ length: i % 4 }, (_, k) => text(i + k)),
    g: i % 5 === 0,
    h: 100 - i,
    i: text(i + 5),
  }));
}

for (const coreEngine of ['interp', 'native'] as const) {
  describe(`canon lift: lists of records through a guest's memory (${coreEngine})`, () => {
    async function instance() {
      const engine = new Engine({ coreEngine });
      const component = await Component.fromText(engine, lists);
      const store = new Store(engine);
      const inst = await new Linker(engine).instantiate(store, component);
      return { store, f: (name: string): Func => inst.getFunc(name)! };
    }

    it('gives back records of nine fields: a nested record, an option, a variant, a tuple, a list, strings long and short', async () => {
      const { store, f } = await instance();
      const xs = bigs(200);
      expect(f('take-bigs').callSync(store, [xs as never])).to.deep.equal([200]);
      const [back] = f('give-bigs').callSync(store, []) as [unknown[]];
      expect(back).to.deep.equal(xs);
      // the record type's own shape, in field order
      expect(Object.keys(back[0] as object)).to.deep.equal(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']);
    });

    it('traces a list of records as the spec steps through it: the list, then each string in field order', async () => {
      const { store, f } = await instance();
      f('take-ins').callSync(store, [[{ p: 1, q: 'ab' }, { p: 2, q: 'ü' }]]);
      const events: TraceEvent[] = [];
      store.trace = (e) => events.push(e);
      expect(f('give-ins').callSync(store, [])).to.deep.equal([[{ p: 1, q: 'ab' }, { p: 2, q: 'ü' }]]);
      store.trace = null;
      const loads = events.filter((e) => e.kind === 'load').map((e) => e.text.replace(/ at \d+/, ' at _'));
      expect(loads).to.deep.equal([
        'read a list of 2 element(s) (24 bytes) at _',
        'read 2 bytes of utf8 at _: "ab"',
        'read 2 bytes of utf8 at _: "ü"',
      ]);
    });
  });
}
