// What a call looks up instead of computing anew (session 13, small
// calls): the flattening of a parameter or result list (flatten.ts
// flattenTypes, cached per list and address type), the one list of
// parameter and result types per function type (paramTypes, resultTypes),
// and the instances a call enters (ComponentInstance.enteringSet, cached
// per caller). Each cache must give every key its own answer.

import { expect } from 'chai';
import { ComponentInstance } from '../src/component/canon/context.js';
import { flattenFunctype, flattenTypes, paramTypes, resultTypes } from '../src/component/canon/flatten.js';
import type { FuncType, ValType } from '../src/component/syntax/types.js';

function funcType(params: ValType[], result: ValType | null): FuncType {
  return { kind: 'func', async: false, params: params.map((type, i) => ({ name: `p${i}`, type })), result };
}

describe('canon: per-call caches', () => {
  it('flattenTypes: one list under both address types, and two lists, each get their own flattening', () => {
    const strings: ValType[] = ['string', 'u32'];
    const wide: ValType[] = ['u64', 'f32'];
    // The same list first as a memory64 function's, then as a 32-bit one's.
    expect(flattenTypes(strings, 'i64')).to.deep.equal(['i64', 'i64', 'i32']);
    expect(flattenTypes(strings, 'i32')).to.deep.equal(['i32', 'i32', 'i32']);
    expect(flattenTypes(wide, 'i32')).to.deep.equal(['i64', 'f32']);
    // Asked again, the same answers (from the cache).
    expect(flattenTypes(strings, 'i64')).to.deep.equal(['i64', 'i64', 'i32']);
    expect(flattenTypes(strings, 'i32')).to.equal(flattenTypes(strings, 'i32'));
  });

  it('paramTypes and resultTypes: one list per function type, never another type\'s', () => {
    const f = funcType(['u32', 'u32'], 'u32');
    const g = funcType(Array.from({ length: 17 }, () => 'u8' as ValType), 'string');
    const h = funcType([], null);
    expect(paramTypes(f)).to.deep.equal(['u32', 'u32']);
    expect(paramTypes(g)).to.have.length(17);
    expect(paramTypes(f)).to.equal(paramTypes(f));
    expect(resultTypes(f)).to.deep.equal(['u32']);
    expect(resultTypes(g)).to.deep.equal(['string']);
    expect(resultTypes(h)).to.deep.equal([]);
    // And so their flattened signatures stay apart: g spills its 17 parameters and its string result.
    expect(flattenFunctype({ ptrType: 'i32' }, f, 'lift')).to.deep.equal({ params: ['i32', 'i32'], results: ['i32'] });
    expect(flattenFunctype({ ptrType: 'i32' }, g, 'lift')).to.deep.equal({ params: ['i32'], results: ['i32'] });
    expect(flattenFunctype({ ptrType: 'i32' }, g, 'lower')).to.deep.equal({ params: ['i32', 'i32'], results: [] });
    expect(flattenFunctype({ ptrType: 'i32' }, f, 'lower')).to.deep.equal({ params: ['i32', 'i32'], results: ['i32'] });
  });

  it('enteringSet: what a call enters depends on who calls (donut wrapping)', () => {
    const parent = new ComponentInstance(undefined, null, 'parent');
    const child = new ComponentInstance(parent.store, parent, 'child');
    const other = new ComponentInstance(parent.store, null, 'other');
    // From the host, and from an unrelated instance: the child and its parent.
    expect(child.enteringSet(null)).to.deep.equal([child, parent]);
    expect(child.enteringSet(other)).to.deep.equal([child, parent]);
    // From its parent: the child alone, so the parent, already entered, may call it.
    expect(child.enteringSet(parent)).to.deep.equal([child]);
    expect(child.enteringSet(null)).to.deep.equal([child, parent]);
    parent.enterFrom(null);
    expect(child.mayEnterFrom(parent)).to.equal(true);
    expect(child.mayEnterFrom(null)).to.equal(false);
    expect(child.mayEnterFrom(other)).to.equal(false);
    parent.leaveTo(null);
    expect(child.mayEnterFrom(null)).to.equal(true);
  });
});
