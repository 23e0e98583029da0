// The per-type load and store plans (canon/load-store.ts) on both core
// engines: lists whose lowering grows the guest's memory at every realloc
// (each element's views must follow the new buffer), floats stored and
// loaded as floats (NaN, -0, f32 rounding), and a record
// value's fields read as own properties only.

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Component, Engine, Linker, Store, type Func } from '../src/api/index.js';
import { projectRoot } from '../src/wast/suites.js';

/** take(list) keeps it and answers its length; give() returns it. realloc grows memory by a page at every call. */
const growing = `(component
  (core module $m
    (memory (export "mem") 1)
    (global $ptr (mut i32) (i32.const 0))
    (global $len (mut i32) (i32.const 0))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (i32.shl (memory.grow (i32.const 1)) (i32.const 16)))
    (func (export "take") (param i32 i32) (result i32)
      (global.set $ptr (local.get 0)) (global.set $len (local.get 1)) (local.get 1))
    (func (export "give") (result i32)
      (i32.store (i32.const 8) (global.get $ptr)) (i32.store (i32.const 12) (global.get $len)) (i32.const 8)))
  (core instance $i (instantiate $m))
  (type $r (record (field "x" f32) (field "y" f64) (field "s" string)))
  (export $re "r" (type $r))
  (func (export "take-strings") (param "l" (list string)) (result u32)
    (canon lift (core func $i "take") (memory (core memory $i "mem")) (realloc (core func $i "realloc"))))
  (func (export "give-strings") (result (list string))
    (canon lift (core func $i "give") (memory (core memory $i "mem")) (realloc (core func $i "realloc"))))
  (type $in (record (field "p" u32) (field "q" string)))
  (export $ine "in" (type $in))
  (type $w (record (field "a" u8) (field "b" $ine) (field "c" s16) (field "d" bool) (field "e" u64) (field "f" char)))
  (export $we "w" (type $w))
  (func (export "take-ws") (param "l" (list $we)) (result u32)
    (canon lift (core func $i "take") (memory (core memory $i "mem")) (realloc (core func $i "realloc"))))
  (func (export "give-ws") (result (list $we))
    (canon lift (core func $i "give") (memory (core memory $i "mem")) (realloc (core func $i "realloc"))))
  (func (export "take-rs") (param "l" (list $re)) (result u32)
    (canon lift (core func $i "take") (memory (core memory $i "mem")) (realloc (core func $i "realloc"))))
  (func (export "give-rs") (result (list $re))
    (canon lift (core func $i "give") (memory (core memory $i "mem")) (realloc (core func $i "realloc")))))`;

async function instance(coreEngine: 'interp' | 'native', text: string) {
  const engine = new Engine({ coreEngine });
  const component = await Component.fromText(engine, text);
  const store = new Store(engine);
  const inst = await new Linker(engine).instantiate(store, component);
  return { store, f: (name: string): Func => inst.getFunc(name)! };
}

for (const coreEngine of ['interp', 'native'] as const) {
  describe(`canonical ABI plans (${coreEngine})`, () => {
    it('lowers a list of strings while every realloc grows the memory, and lifts it back', async () => {
      const { store, f } = await instance(coreEngine, growing);
      const strings = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? `s${i}-ü→😀` : `s${i}`));
      expect(f('take-strings').callSync(store, [strings])).to.deep.equal([40]);
      expect(f('give-strings').callSync(store, [])).to.deep.equal([strings]);
    });

    it('stores and loads floats as floats: NaN stays NaN, -0 is kept, an f32 is rounded', async () => {
      const { store, f } = await instance(coreEngine, growing);
      const rs = [
        { x: 0.1, y: 0.1, s: 'a' },
        { x: NaN, y: NaN, s: '' },
        { x: -0, y: -0, s: 'ü' },
        { x: 1e40, y: -Infinity, s: 'z' },
      ];
      f('take-rs').callSync(store, [rs]);
      const [back] = f('give-rs').callSync(store, []) as [{ x: number; y: number; s: string }[]];
      expect(back.map((r) => r.s)).to.deep.equal(['a', '', 'ü', 'z']);
      expect(back[0]!.x).to.equal(Math.fround(0.1));
      expect(back[0]!.y).to.equal(0.1);
      expect(back[1]!.x).to.be.NaN;
      expect(back[1]!.y).to.be.NaN;
      expect(Object.is(back[2]!.x, -0) && Object.is(back[2]!.y, -0)).to.equal(true);
      expect(back[3]!.x).to.equal(Infinity);
      expect(back[3]!.y).to.equal(-Infinity);
    });

    it('reads a record\'s fields as own properties only', async () => {
      const { store, f } = await instance(coreEngine, growing);
      const inherited = Object.create({ s: 'from the prototype' }) as Record<string, unknown>;
      inherited.x = 1;
      inherited.y = 2;
      expect(() => f('take-rs').callSync(store, [[inherited as never]])).to.throw(TypeError, 'record value lacks field "s"');
      expect(() => f('take-rs').callSync(store, [[{ x: 1, y: 2 } as never]])).to.throw(TypeError, 'record value lacks field "s"');
    });

    // storeRecord writes out the reads and stores of a record's first four
    // fields and loops over the rest: a six-field record whose second field
    // is a record of its own goes through both, two record types sharing
    // the written-out sites.
    it('stores a record of six fields, one of them a record, through its first four sites and the loop', async () => {
      const { store, f } = await instance(coreEngine, growing);
      const ws = Array.from({ length: 30 }, (_, i) => ({
        a: i, b: { p: 1000 + i, q: `q${i}${i % 4 === 0 ? 'ß' : ''}` }, c: 7 - i, d: i % 2 === 0, e: 2n ** 63n + BigInt(i), f: i % 5 === 0 ? '😀' : 'x',
      }));
      expect(f('take-ws').callSync(store, [ws as never])).to.deep.equal([30]);
      expect(f('give-ws').callSync(store, [])).to.deep.equal([ws]);
      const inheritedB = Object.create({ b: ws[0]!.b }) as Record<string, unknown>;
      Object.assign(inheritedB, { a: 1, c: 2, d: true, e: 3n, f: 'y' });
      expect(() => f('take-ws').callSync(store, [[inheritedB as never]])).to.throw(TypeError, 'record value lacks field "b"');
      const noF = { a: 1, b: ws[1]!.b, c: 2, d: false, e: 4n };
      expect(() => f('take-ws').callSync(store, [[ws[0]!, noF] as never])).to.throw(TypeError, 'record value lacks field "f"');
      expect(() => f('take-ws').callSync(store, [[{ ...ws[0]!, b: { p: 1 } }] as never])).to.throw(TypeError, 'record value lacks field "q"');
    });
  });
}

describe('the canonical ABI bench component (scripts/fixtures/canon-lists.wat)', () => {
  it('gives back on both engines the lists it took', async () => {
    const text = readFileSync(join(projectRoot(), 'scripts', 'fixtures', 'canon-lists.wat'), 'utf8');
    for (const coreEngine of ['interp', 'native'] as const) {
      const engine = new Engine({ coreEngine });
      const store = new Store(engine);
      const inst = await new Linker(engine).instantiate(store, await Component.fromText(engine, text));
      const iface = inst.getExportIndex(null, 'cmr:bench/lists')!;
      const f = (name: string) => inst.getFunc(inst.getExportIndex(iface, name)!)!;
      const items = [{ id: 7, name: 'grüße', score: 1.25, active: true }, { id: 0xffffffff, name: '', score: -0.5, active: false }];
      expect(f('take-items').callSync(store, [items])).to.deep.equal([2]);
      expect(f('give-items').callSync(store, [])).to.deep.equal([items]);
      expect(f('take-strings').callSync(store, [['a', 'bc']])).to.deep.equal([2]);
      expect(f('give-strings').callSync(store, [])).to.deep.equal([['a', 'bc']]);
    }
  });
});
