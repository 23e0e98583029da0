// WebAssembly GC on the interpreter: iso-recursive canonicalisation of rec
// groups and declared subtyping (syntax/reftypes.ts), the decoder and
// validator's GC rules, and the heap values the interpreter makes
// (runtime/gc-values.ts, exec/gc/).

import { expect } from 'chai';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { decodeModule } from '../src/core/binary/decode.js';
import { validateModule } from '../src/core/valid/validate.js';
import { instantiateModule } from '../src/core/exec/index.js';
import type { Module } from '../src/core/syntax/ast.js';
import { I32, I64, type DefType } from '../src/core/syntax/types.js';
import { rttOf } from '../src/core/exec/gc/rtt.js';
import { WASM_2_0, WASM_3_0_SUPPORTED } from '../src/core/syntax/feature-set.js';
import {
  HT, canonicalTypeCount, canonicalTypes, concreteHeap, funcTypeMatches, matchesHeapType, matchesValType, refType, sameFuncType,
} from '../src/core/syntax/reftypes.js';
import { GcArray, GcStruct, anyKind, externalize, internalize } from '../src/core/runtime/gc-values.js';
import type { Value } from '../src/core/runtime/values.js';
import { TrapMessage } from '../src/core/errors.js';
import { ExternRef, matchValue, parseExpected } from '../src/wast/numbers.js';

async function module3(wat: string): Promise<Module> {
  const m = decodeModule(await parse(wat), WASM_3_0_SUPPORTED);
  validateModule(m, WASM_3_0_SUPPORTED);
  return m;
}

async function invalid(wat: string): Promise<string> {
  try {
    await module3(wat);
  } catch (e) {
    return (e as Error).message;
  }
  return 'valid';
}

async function call(wat: string, name: string, args: Value[] = []): Promise<Value[]> {
  const inst = instantiateModule(await module3(wat), []);
  const f = inst.exports.get(name);
  if (f?.kind !== 'func') throw new Error(`no export ${name}`);
  return f.value.call(args);
}

describe('GC types: iso-recursive canonicalisation (reftypes.ts)', () => {
  it('gives equal rec groups of two modules the same ids, and tells positions in a group apart', async () => {
    const a = await module3('(module (rec (type $s (struct (field (ref null $t)))) (type $t (struct (field (ref null $s))))))');
    const b = await module3('(module (type (func)) (rec (type $s (struct (field (ref null $t)))) (type $t (struct (field (ref null $s))))))');
    const ia = canonicalTypes(a.types), ib = canonicalTypes(b.types);
    expect(ia[0]).to.equal(ib[1]);
    expect(ia[1]).to.equal(ib[2]);
    expect(ia[0]).to.not.equal(ia[1]); // same shape, different position in the group
  });

  it('keeps a type in a rec group distinct from the same type alone', async () => {
    const m = await module3('(module (type $a (struct)) (rec (type $b (struct)) (type (func))))');
    const ids = canonicalTypes(m.types);
    expect(ids[0]).to.not.equal(ids[1]);
  });

  it('keeps open and final types, and different supertypes, apart', async () => {
    const m = await module3(`(module
      (type $f (func)) (type $o (sub (func))) (type $s1 (sub $o (func))) (type $s2 (sub final $o (func))))`);
    const ids = canonicalTypes(m.types);
    expect(new Set(ids).size).to.equal(4);
    expect(sameFuncType(m.types[0]!, m.types[1]!)).to.equal(false);
  });

  it('relates declared subtypes across modules by canonical id', async () => {
    const a = await module3('(module (type $o (sub (func))) (type $s (sub $o (func))))');
    const b = await module3('(module (type $o (sub (func))))');
    expect(funcTypeMatches(a.types[1]!, b.types[0]!)).to.equal(true);
    expect(funcTypeMatches(b.types[0]!, a.types[1]!)).to.equal(false);
    expect(matchesHeapType(concreteHeap(1), concreteHeap(0), a.types, b.types)).to.equal(true);
  });

  it('lets go of the ids of types nothing has any more, keeps those alive, and those of types the interpreter made objects of', async function () {
    this.timeout(60_000);
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const collect = async (done: () => boolean) => {
      for (let i = 0; i < 50 && !done(); i++) {
        gc();
        await new Promise((r) => setTimeout(r, 20)); // finalizers run in a later task
      }
    };
    // 500 function types no other list has (i64 params repeated 1000 + i times), and a struct type.
    const funcList = (i: number): DefType[] => [{ params: new Array<number>(1000 + i).fill(I64), results: [] }];
    const structList = (): DefType[] => [{ params: [], results: [], comp: 'struct', fields: [{ type: I64, mutable: true }, { type: I32, mutable: false }] }];
    const kept = funcList(0);
    const keptId = canonicalTypes(kept)[0]!;
    const pinnedId = (() => { const s = structList(); rttOf(s, 0); return canonicalTypes(s)[0]!; })();
    const before = canonicalTypeCount();
    (() => { for (let i = 1; i <= 500; i++) canonicalTypes(funcList(i)); })();
    expect(canonicalTypeCount()).to.equal(before + 500);
    await collect(() => canonicalTypeCount() <= before);
    expect(canonicalTypeCount()).to.be.at.most(before);
    // A list still alive keeps its id, and a list whose struct type has objects keeps its id after the list is gone.
    expect(canonicalTypes(funcList(0))[0]).to.equal(keptId);
    expect(canonicalTypes(structList())[0]).to.equal(pinnedId);
    expect(kept.length).to.equal(1);
  });
});

describe('GC types: subtyping of defined and abstract heap types', () => {
  it('puts struct and array types under struct/array, eq and any, and none under them', async () => {
    const m = await module3('(module (type $s (struct)) (type $a (array i8)) (type $f (func)))');
    const s = concreteHeap(0), a = concreteHeap(1), f = concreteHeap(2);
    for (const h of [HT.struct, HT.eq, HT.any]) expect(matchesHeapType(s, h, m.types), `struct <: ${h}`).to.equal(true);
    expect(matchesHeapType(s, HT.array, m.types)).to.equal(false);
    expect(matchesHeapType(a, HT.array, m.types)).to.equal(true);
    expect(matchesHeapType(a, HT.i31, m.types)).to.equal(false);
    expect(matchesHeapType(f, HT.func, m.types)).to.equal(true);
    expect(matchesHeapType(f, HT.any, m.types)).to.equal(false);
    expect(matchesHeapType(HT.none, s, m.types)).to.equal(true);
    expect(matchesHeapType(HT.nofunc, s, m.types)).to.equal(false);
    expect(matchesHeapType(HT.nofunc, f, m.types)).to.equal(true);
    expect(matchesValType(refType(s, true), refType(HT.eq, false), m.types)).to.equal(false); // nullability
  });

  it('follows chains of declared supertypes, and only declared ones', async () => {
    const m = await module3(`(module (type $a (sub (struct))) (type $b (sub $a (struct (field i32))))
      (type $c (sub $b (struct (field i32) (field i64)))) (type $d (sub (struct (field i32)))))`);
    expect(matchesHeapType(concreteHeap(2), concreteHeap(0), m.types)).to.equal(true);
    expect(matchesHeapType(concreteHeap(0), concreteHeap(2), m.types)).to.equal(false);
    expect(matchesHeapType(concreteHeap(1), concreteHeap(3), m.types)).to.equal(false); // same shape, not declared
  });
});

describe('GC: decoding and validation', () => {
  it('reads rec groups, sub and packed fields only with GC switched on', async () => {
    const bytes = await parse('(module (type (struct (field (mut i8)))))');
    expect(() => decodeModule(bytes, WASM_2_0)).to.throw('malformed function type');
    const m = decodeModule(bytes, WASM_3_0_SUPPORTED);
    expect(m.types[0]!.comp).to.equal('struct');
    expect(m.types[0]!.fields).to.deep.equal([{ type: 0x78, mutable: true }]);
  });

  it('refuses a subtype of a final type, a mismatching field, and forward references out of a group', async () => {
    expect(await invalid('(module (type $a (struct)) (type (sub $a (struct))))')).to.match(/^sub type/);
    expect(await invalid('(module (type $a (sub (struct (field (mut i32))))) (type (sub $a (struct (field i32)))))'))
      .to.equal('sub type 1 does not match super type 0');
    expect(await invalid('(module (type (struct (field (ref 1)))) (type (struct)))')).to.match(/^unknown type/);
    expect(await invalid('(module (type $a (array i8)) (func (param (ref $a)) (array.set $a (local.get 0) (i32.const 0) (i32.const 1))))'))
      .to.equal('array is immutable');
    expect(await invalid('(module (type $s (struct (field i8))) (func (param (ref $s)) (result i32) (struct.get $s 0 (local.get 0))))'))
      .to.match(/^type mismatch/);
  });
});

describe('GC: heap values on the interpreter', () => {
  it('keeps i64 and f64 fields bit for bit, NaN payloads included', async () => {
    const [x, y] = await call(`(module (type $s (struct (field (mut i64)) (field (mut f64))))
      (func (export "f") (param i64 f64) (result i64 f64) (local $r (ref $s))
        (local.set $r (struct.new $s (local.get 0) (local.get 1)))
        (struct.get $s 0 (local.get $r)) (struct.get $s 1 (local.get $r))))`, 'f', [-2n, 0x7ff4000000000001n]);
    expect(x).to.equal(-2n);
    expect(y).to.equal(0x7ff4000000000001n);
  });

  it('wraps packed stores and extends packed loads by sign or zero', async () => {
    const out = await call(`(module (type $a (array (mut i16)))
      (func (export "f") (param i32) (result i32 i32) (local $r (ref $a))
        (local.set $r (array.new $a (local.get 0) (i32.const 2)))
        (array.get_s $a (local.get $r) (i32.const 1)) (array.get_u $a (local.get $r) (i32.const 1))))`, 'f', [0x1fffe]);
    expect(out).to.deep.equal([-2, 0xfffe]);
  });

  it('copies overlapping ranges of one array as memmove does', async () => {
    const out = await call(`(module (type $a (array (mut i32)))
      (func (export "f") (result i32 i32 i32 i32) (local $r (ref $a))
        (local.set $r (array.new_fixed $a 4 (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4)))
        (array.copy $a $a (local.get $r) (i32.const 1) (local.get $r) (i32.const 0) (i32.const 3))
        (array.get $a (local.get $r) (i32.const 0)) (array.get $a (local.get $r) (i32.const 1))
        (array.get $a (local.get $r) (i32.const 2)) (array.get $a (local.get $r) (i32.const 3))))`, 'f');
    expect(out).to.deep.equal([1, 1, 2, 3]);
  });

  it('makes structs and arrays plain JS objects, i31s numbers, and round-trips them through externref', async () => {
    const [s, a, i] = await call(`(module (type $s (struct)) (type $a (array i8))
      (func (export "f") (result anyref anyref anyref)
        (struct.new $s) (array.new_default $a (i32.const 3)) (ref.i31 (i32.const -1))))`, 'f');
    expect(s).to.be.instanceOf(GcStruct);
    expect(a).to.be.instanceOf(GcArray);
    expect((a as GcArray).length).to.equal(3);
    expect(i).to.equal(-1);
    for (const v of [s, a, i]) expect(internalize(externalize(v))).to.equal(v);
    expect(anyKind(internalize(5))).to.equal('host'); // a host number is no i31
  });

  it('traps in the suite\'s words', async () => {
    const wat = `(module (type $s (struct (field (mut i32)))) (type $a (array (mut i32)))
      (func (export "s") (struct.set $s 0 (ref.null $s) (i32.const 1)))
      (func (export "a") (drop (array.get $a (array.new_default $a (i32.const 1)) (i32.const 1))))
      (func (export "c") (drop (ref.cast (ref $a) (struct.new $s (i32.const 0))))))`;
    const inst = instantiateModule(await module3(wat), []);
    const trapOf = (n: string): string => {
      try {
        const f = inst.exports.get(n)!;
        if (f.kind === 'func') f.value.call([]);
      } catch (e) {
        return (e as Error).message;
      }
      return 'no trap';
    };
    expect(trapOf('s')).to.equal(TrapMessage.nullStructureReference);
    expect(trapOf('a')).to.equal(TrapMessage.outOfBoundsArray);
    expect(trapOf('c')).to.equal(TrapMessage.castFailure);
  });
});

describe('GC: the harness\'s result patterns (wast/numbers.ts)', () => {
  it('matches ref.struct, ref.array, ref.i31 [n], ref.eq and ref.any by what the value is', async () => {
    const [s, a, i] = await call(`(module (type $s (struct)) (type $a (array i8))
      (func (export "f") (result anyref anyref anyref)
        (struct.new $s) (array.new_default $a (i32.const 1)) (ref.i31 (i32.const 7))))`, 'f');
    const anyref = refType(HT.any, true);
    const m = (op: string, args: string[], v: Value): boolean => matchValue(parseExpected(op, args), v, anyref);
    expect(m('ref.struct', [], s)).to.equal(true);
    expect(m('ref.array', [], s)).to.equal(false);
    expect(m('ref.array', [], a)).to.equal(true);
    expect(m('ref.i31', [], i)).to.equal(true);
    expect(m('ref.i31', ['7'], i)).to.equal(true);
    expect(m('ref.i31', ['8'], i)).to.equal(false);
    for (const v of [s, a, i]) expect(m('ref.eq', [], v)).to.equal(true);
    expect(m('ref.any', [], ExternRef.of(1))).to.equal(true);
    expect(m('ref.eq', [], ExternRef.of(1))).to.equal(false);
    expect(m('ref.struct', [], null)).to.equal(false);
  });

  it('reads a host value as ref.host in an anyref result and as ref.extern in an externref one', () => {
    const v = ExternRef.of(3);
    expect(matchValue(parseExpected('ref.host', ['3']), v, refType(HT.any, true))).to.equal(true);
    expect(matchValue(parseExpected('ref.extern', ['3']), v, refType(HT.any, true))).to.equal(false);
    expect(matchValue(parseExpected('ref.extern', ['3']), v, refType(HT.extern, true))).to.equal(true);
    expect(matchValue(parseExpected('ref.host', ['3']), v, refType(HT.extern, true))).to.equal(false);
  });
});
