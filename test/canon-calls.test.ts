// canonLift / canonLower, traps with the suites' wording, and resource
// handles, with core functions played by HostFuncs (canon-engines.test.ts
// runs real core modules on both engines).

import { expect } from 'chai';
import fc from 'fast-check';
import { HostFunc, type FuncInst } from '../src/core/runtime/func.js';
import { MemoryInst } from '../src/core/runtime/memory.js';
import { Trap } from '../src/core/errors.js';
import type { Value } from '../src/core/runtime/values.js';
import { I32, type FuncType as CoreFuncType } from '../src/core/syntax/types.js';
import { ResourceType, type DefinedType, type FuncType, type ValType } from '../src/component/syntax/types.js';
import {
  callComponentFunc, canonicalOptions, canonLift, canonLower, canonResourceDrop, canonResourceNew, canonResourceRep,
  CanonStore, ComponentInstance, CoreValueIter, defineResource, dropResourceValue, hostComponentFunc, liftFlat,
  LiftLowerContext, load, loadStringFromRange, lowerFlat, resourceDropFunc, resourceNewFunc, resourceRepFunc,
  ResourceValue, Subtask, Task, utf8Error, type CanonicalOptions, type ComponentValue, type Peer, type TraceEvent,
} from '../src/component/canon/index.js';

// ---- fixtures ------------------------------------------------------------------------

function bumpRealloc(mem: MemoryInst, start = 16): HostFunc {
  let next = start;
  return new HostFunc({ params: [I32, I32, I32, I32], results: [I32] }, (args: Value[]) => {
    const [old, oldSize, align, newSize] = (args as number[]).map((x) => x >>> 0) as [number, number, number, number];
    const ptr = Math.ceil(next / align) * align;
    next = ptr + newSize;
    mem.refresh();
    if (old !== 0) mem.u8.copyWithin(ptr, old, old + Math.min(oldSize, newSize));
    return [ptr | 0];
  }, 'realloc');
}

function constRealloc(result: number): HostFunc {
  return new HostFunc({ params: [I32, I32, I32, I32], results: [I32] }, () => [result | 0], 'realloc');
}

interface Side { inst: ComponentInstance; mem: MemoryInst; opts: CanonicalOptions }

function side(name: string, store = new CanonStore(), o: Partial<CanonicalOptions> = {}, parent: ComponentInstance | null = null): Side {
  const mem = MemoryInst.create({ limits: { min: 1, max: null } });
  const opts = canonicalOptions({ memory: mem, realloc: bumpRealloc(mem), ...o });
  return { inst: new ComponentInstance(store, parent, name), mem, opts };
}

function cx(s: Side, peer: Peer = 'host', scope: Task | Subtask | null = null): LiftLowerContext {
  return new LiftLowerContext(s.opts, s.inst, scope, peer);
}

function core(type: CoreFuncType, f: (args: Value[]) => Value[], name = 'core'): HostFunc {
  return new HostFunc(type, f, name);
}

const fn = (params: ValType[], result: ValType | null = null): FuncType => ({
  kind: 'func', async: false, params: params.map((type, i) => ({ name: `p${i}`, type })), result,
});

function trapOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof Trap) return e.message;
    throw e;
  }
  throw new Error('expected a trap');
}

const i32s = (n: number) => new Array(n).fill(I32);

// ---- trap wording ---------------------------------------------------------------------------

describe('canon: traps', () => {
  it('rejects invalid chars', () => {
    const s = side('c');
    for (const bad of [0xd800, 0xdfff, 0x110000, -1]) {
      expect(trapOf(() => liftFlat(cx(s), new CoreValueIter([bad]), 'char'))).to.equal('invalid `char` bit pattern');
    }
    expect(liftFlat(cx(s), new CoreValueIter([0x1f370]), 'char')).to.equal('🍰');
  });

  it('rejects invalid discriminants, flat and in memory', () => {
    const s = side('c');
    const v: DefinedType = { kind: 'variant', cases: [{ name: 'a', type: null }, { name: 'b', type: 'u32' }] };
    expect(trapOf(() => liftFlat(cx(s), new CoreValueIter([2, 0]), v))).to.equal('invalid variant discriminant');
    expect(trapOf(() => liftFlat(cx(s), new CoreValueIter([2]), { kind: 'enum', names: ['x', 'y'] }))).to.equal('invalid variant discriminant');
    expect(trapOf(() => liftFlat(cx(s), new CoreValueIter([-1]), { kind: 'option', type: 'u8' }))).to.equal('invalid variant discriminant');
    s.mem.u8[64] = 2;
    expect(trapOf(() => load(cx(s), 64, v))).to.equal('invalid variant discriminant');
  });

  it('checks string pointers: alignment, then bounds, in each peer\'s words', () => {
    const u16 = side('c', undefined, { stringEncoding: 'utf16' });
    expect(trapOf(() => loadStringFromRange(cx(u16), 1, 0))).to.equal('unaligned pointer');
    const l1 = side('c', undefined, { stringEncoding: 'latin1+utf16' });
    expect(trapOf(() => loadStringFromRange(cx(l1), 1, 0))).to.equal('unaligned pointer');
    expect(trapOf(() => loadStringFromRange(cx(l1), 1, 0x80000000))).to.equal('unaligned pointer');
    const u8 = side('c');
    expect(trapOf(() => loadStringFromRange(cx(u8, 'host'), 65535, 2))).to.equal('string pointer/length out of bounds of memory');
    expect(trapOf(() => loadStringFromRange(cx(u8, 'host'), 0xdeadbeef, 0))).to.equal('string pointer/length out of bounds of memory');
    expect(trapOf(() => loadStringFromRange(cx(u8, 'component'), 0x80000000, 1))).to.equal('string content out-of-bounds');
    expect(loadStringFromRange(cx(u8), 65534, 0)).to.equal('');
    expect(loadStringFromRange(cx(u8), 65536, 0)).to.equal('');
  });

  it('checks list pointers', () => {
    const s = side('c');
    const list: DefinedType = { kind: 'list', elem: 'u32', length: null };
    expect(trapOf(() => liftFlat(cx(s), new CoreValueIter([2, 1]), list))).to.equal('unaligned pointer');
    expect(trapOf(() => liftFlat(cx(s), new CoreValueIter([65532, 2]), list))).to.equal('list pointer/length out of bounds of memory');
    expect(trapOf(() => liftFlat(cx(s, 'component'), new CoreValueIter([65532, 2]), list))).to.equal('list content out-of-bounds');
    expect(trapOf(() => liftFlat(cx(s), new CoreValueIter([0, 0x10000000]), list))).to.equal('list pointer/length out of bounds of memory');
  });

  it('reports invalid UTF-8 as Rust does, and lone UTF-16 surrogates', () => {
    const s = side('c');
    s.mem.u8.set([0xff], 8);
    expect(trapOf(() => loadStringFromRange(cx(s), 8, 1))).to.equal('invalid utf-8 sequence of 1 bytes from index 0');
    s.mem.u8.set([0xc3], 8);
    expect(trapOf(() => loadStringFromRange(cx(s), 8, 1))).to.equal('incomplete utf-8 byte sequence from index 0');
    s.mem.u8.set([0x61, 0xe2, 0x28, 0xa1], 8);
    expect(trapOf(() => loadStringFromRange(cx(s), 8, 4))).to.equal('invalid utf-8 sequence of 1 bytes from index 1');
    s.mem.u8.set([0xed, 0xa0, 0x80], 8); // an encoded surrogate
    expect(trapOf(() => loadStringFromRange(cx(s), 8, 3))).to.equal('invalid utf-8 sequence of 1 bytes from index 0');
    const u16 = side('c', undefined, { stringEncoding: 'utf16' });
    u16.mem.u8.set([0x00, 0xd8, 0x61, 0x00], 8);
    expect(trapOf(() => loadStringFromRange(cx(u16), 8, 2))).to.match(/^invalid utf-16/);
  });

  it('utf8Error agrees with a fatal TextDecoder on random bytes', () => {
    const dec = new TextDecoder('utf-8', { fatal: true });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 12 }).chain((b) => fc.constant(b)), (b) => {
      let valid = true;
      try { dec.decode(b); } catch { valid = false; }
      expect(utf8Error(b) === null).to.equal(valid);
    }), { numRuns: 2000 });
  });

  it('checks realloc results in each peer\'s words, even for empty lists', () => {
    const list: DefinedType = { kind: 'list', elem: 'u32', length: null };
    const host = (r: number) => side('c', undefined, { realloc: constRealloc(r) });
    expect(trapOf(() => lowerFlat(cx(host(-1)), [1, 2], list))).to.equal('realloc return: result not aligned');
    expect(trapOf(() => lowerFlat(cx(host(-4)), [1, 2], list))).to.equal('realloc return: beyond end of memory');
    expect(trapOf(() => lowerFlat(cx(host(-4)), [], list))).to.equal('realloc return: beyond end of memory');
    expect(trapOf(() => lowerFlat(cx(host(2), 'component'), [1], list))).to.equal('unaligned pointer');
    expect(trapOf(() => lowerFlat(cx(host(-1), 'component'), [], { kind: 'list', elem: 'u8', length: null }))).to.equal('list content out-of-bounds');
    expect(trapOf(() => lowerFlat(cx(host(-1), 'component'), 'x', 'string'))).to.equal('string content out-of-bounds');
    const u16 = side('c', undefined, { realloc: constRealloc(1), stringEncoding: 'utf16' });
    expect(trapOf(() => lowerFlat(cx(u16, 'component'), 'x', 'string'))).to.equal('unaligned pointer');
  });
});

// ---- canon lift / canon lower -------------------------------------------------------------------

describe('canon: lift and lower', () => {
  it('calls a lifted function from the host, spilling 17 parameters and a 2-value result', () => {
    const c = side('c');
    const ft = fn(new Array(17).fill('u32'), { kind: 'tuple', types: ['u32', 'string'] });
    let postReturnArgs: Value[] | null = null;
    const callee = core({ params: [I32], results: [I32] }, ([argp]) => {
      const v = c.mem.view;
      let sum = 0;
      for (let i = 0; i < 17; i++) sum += v.getUint32((argp as number) + 4 * i, true);
      c.mem.u8.set([0x6f, 0x6b], 200);
      v.setUint32(100, sum, true);
      v.setUint32(104, 200, true);
      v.setUint32(108, 2, true);
      return [100];
    });
    const postReturn = core({ params: [I32], results: [] }, (args) => { postReturnArgs = args; return []; });
    const f = canonLift(callee, ft, { ...c.opts, postReturn }, c.inst, 'f');
    const result = callComponentFunc(f, Array.from({ length: 17 }, (_, i) => i));
    expect(result).to.deep.equal([[136, 'ok']]);
    expect(postReturnArgs).to.deep.equal([100]);
    expect(c.inst.mayEnter && c.inst.mayLeave).to.equal(true);
  });

  it('forbids calling out during post-return ("cannot leave component instance")', () => {
    const c = side('c');
    const imported = canonLower(hostComponentFunc(fn([]), () => undefined), fn([]), c.opts, c.inst);
    const callee = core({ params: [], results: [] }, () => []);
    const postReturn = core({ params: [], results: [] }, () => imported.call([]));
    const f = canonLift(callee, fn([]), { ...c.opts, postReturn }, c.inst);
    expect(trapOf(() => callComponentFunc(f, []))).to.equal('cannot leave component instance');
  });

  it('forbids reentering an instance ("cannot enter component instance")', () => {
    const store = new CanonStore();
    const a = side('a', store);
    const b = side('b', store);
    let bImport: FuncInst | null = null;
    const aExport = canonLift(core({ params: [], results: [] }, () => bImport!.call([])), fn([]), a.opts, a.inst);
    const aImport = canonLower(aExport, fn([]), b.opts, b.inst);
    const bExport = canonLift(core({ params: [], results: [] }, () => aImport.call([])), fn([]), b.opts, b.inst);
    bImport = canonLower(bExport, fn([]), a.opts, a.inst);
    expect(trapOf(() => callComponentFunc(aExport, []))).to.equal('cannot enter component instance');
    // a trap leaves the instance entered: it cannot be called again
    expect(trapOf(() => callComponentFunc(aExport, []))).to.equal('cannot enter component instance');
  });

  it('lets an instance call its own lifted export through a lowered import (nothing new is entered)', () => {
    const c = side('c');
    let self: FuncInst | null = null;
    let depth = 0;
    const callee = core({ params: [], results: [] }, () => (depth++ === 0 ? self!.call([]) : []));
    const f = canonLift(callee, fn([]), c.opts, c.inst);
    self = canonLower(f, fn([]), c.opts, c.inst);
    expect(callComponentFunc(f, [])).to.deep.equal([]);
    expect(depth).to.equal(2);
  });

  it('allows a child to call back into its parent (donut wrapping)', () => {
    const store = new CanonStore();
    const p = side('p', store);
    const child = side('child', store, {}, p.inst);
    const back = canonLift(core({ params: [], results: [I32] }, () => [7]), fn([], 'u32'), p.opts, p.inst);
    const childImport = canonLower(back, fn([], 'u32'), child.opts, child.inst);
    const childExport = canonLift(core({ params: [], results: [I32] }, () => childImport.call([])), fn([], 'u32'), child.opts, child.inst);
    const pImport = canonLower(childExport, fn([], 'u32'), p.opts, p.inst);
    const top = canonLift(core({ params: [], results: [I32] }, () => pImport.call([])), fn([], 'u32'), p.opts, p.inst);
    expect(callComponentFunc(top, [])).to.deep.equal([7]);
  });

  it('passes strings between components with different encodings, through the caller\'s out-pointer', () => {
    const store = new CanonStore();
    const callee = side('callee', store, { stringEncoding: 'utf8' });
    const caller = side('caller', store, { stringEncoding: 'utf16' });
    const ft = fn(['string'], 'string');
    // callee: appends "!" to its argument (utf8), returns via a return pointer
    const calleeCore = core({ params: i32s(2), results: [I32] }, ([p, n]) => {
      const u8 = callee.mem.u8;
      const len = n as number;
      u8.copyWithin(1000, p as number, (p as number) + len);
      u8[1000 + len] = 0x21;
      callee.mem.view.setUint32(8, 1000, true);
      callee.mem.view.setUint32(12, len + 1, true);
      return [8];
    });
    const lifted = canonLift(calleeCore, ft, callee.opts, callee.inst, 'shout');
    const lowered = canonLower(lifted, ft, caller.opts, caller.inst);
    expect(lowered.type.params).to.deep.equal(i32s(3));
    expect(lowered.type.results).to.deep.equal([]);
    const s = 'hö🍰';
    for (let i = 0; i < s.length; i++) caller.mem.view.setUint16(300 + 2 * i, s.charCodeAt(i), true);
    expect(lowered.call([300, s.length, 600])).to.deep.equal([]);
    const ptr = caller.mem.view.getUint32(600, true);
    const len = caller.mem.view.getUint32(604, true);
    expect(len).to.equal(5);
    expect(String.fromCharCode(...Array.from({ length: len }, (_, i) => caller.mem.view.getUint16(ptr + 2 * i, true)))).to.equal('hö🍰!');
  });

  it('checks the caller\'s out-pointer ("unaligned pointer")', () => {
    const store = new CanonStore();
    const callee = side('callee', store);
    const caller = side('caller', store);
    const ft = fn([], { kind: 'tuple', types: ['u32', 'u32'] });
    const lifted = canonLift(core({ params: [], results: [I32] }, () => [8]), ft, callee.opts, callee.inst);
    const lowered = canonLower(lifted, ft, caller.opts, caller.inst);
    expect(trapOf(() => lowered.call([2]))).to.equal('unaligned pointer');
  });

  it('hands host functions plain values and traces each step', () => {
    const c = side('c');
    const events: TraceEvent[] = [];
    c.inst.store.trace = (e) => events.push(e);
    let got: ComponentValue[] = [];
    const host = hostComponentFunc(fn(['string', 'u8']), (...args) => { got = args; return undefined; }, 'log');
    const lowered = canonLower(host, fn(['string', 'u8']), c.opts, c.inst);
    c.mem.u8.set([0x68, 0x69], 40);
    lowered.call([40, 2, 300]);
    expect(got).to.deep.equal(['hi', 300 & 0xff]);
    expect(events.map((e) => e.kind)).to.deep.equal(['load', 'lift', 'lift']);
    expect(events[1]!.text).to.equal('c: lift param 0: [40, 2] -> string "hi"');
  });
});

// ---- resources ------------------------------------------------------------------------------------

describe('canon: resources', () => {
  function world() {
    const store = new CanonStore();
    const impl = side('impl', store);
    const user = side('user', store);
    const R = new ResourceType('R', I32);
    const dtorCalls: number[] = [];
    defineResource(R, impl.inst, core({ params: [I32], results: [] }, ([rep]) => { dtorCalls.push(rep as number); return []; }, 'dtor'));
    return { store, impl, user, R, dtorCalls };
  }

  it('resource.new, resource.rep and resource.drop run the destructor', () => {
    const { impl, R, dtorCalls } = world();
    const h = canonResourceNew(R, impl.inst, 42);
    expect(h).to.equal(1);
    expect(canonResourceRep(R, impl.inst, h)).to.equal(42);
    canonResourceDrop(R, impl.inst, h);
    expect(dtorCalls).to.deep.equal([42]);
    expect(canonResourceNew(R, impl.inst, 43)).to.equal(1); // the freed slot is reused
  });

  it('traps on unknown, dropped and wrongly-typed handles', () => {
    const { impl, R } = world();
    const R2 = new ResourceType('R2', I32);
    defineResource(R2, impl.inst, null);
    const drop = resourceDropFunc(R, impl.inst);
    expect(trapOf(() => drop.call([5]))).to.equal('unknown handle index 5');
    expect(trapOf(() => drop.call([0]))).to.equal('unknown handle index 0');
    expect(trapOf(() => drop.call([-1]))).to.equal('unknown handle index 4294967295');
    expect(trapOf(() => resourceRepFunc(R, impl.inst).call([5]))).to.equal('unknown handle index 5');
    const h = resourceNewFunc(R2, impl.inst).call([1])[0] as number;
    expect(trapOf(() => drop.call([h]))).to.equal('handle index 1 used with the wrong type, expected guest-defined resource but found a different guest-defined resource');
    const h2 = canonResourceNew(R, impl.inst, 9);
    drop.call([h2]);
    expect(trapOf(() => drop.call([h2]))).to.equal(`unknown handle index ${h2}`);
  });

  it('moves own handles between tables and lends borrows for the call', () => {
    const { impl, user, R, dtorCalls } = world();
    // impl exports take(own R) -> u32 rep and peek(borrow R) -> u32 (the rep arrives directly)
    const take = canonLift(core({ params: [I32], results: [I32] }, ([h]) => {
      const rep = canonResourceRep(R, impl.inst, h as number);
      canonResourceDrop(R, impl.inst, h as number);
      return [rep];
    }), fn([{ kind: 'own', resource: R }], 'u32'), impl.opts, impl.inst, 'take');
    const peek = canonLift(core({ params: [I32], results: [I32] }, ([rep]) => [rep as number]), fn([{ kind: 'borrow', resource: R }], 'u32'), impl.opts, impl.inst, 'peek');
    const make = canonLift(core({ params: [I32], results: [I32] }, ([rep]) => [canonResourceNew(R, impl.inst, rep as number)]), fn(['u32'], { kind: 'own', resource: R }), impl.opts, impl.inst, 'make');

    const makeL = canonLower(make, make.type, user.opts, user.inst);
    const peekL = canonLower(peek, peek.type, user.opts, user.inst);
    const takeL = canonLower(take, take.type, user.opts, user.inst);
    const h = makeL.call([77])[0] as number;
    expect(impl.inst.handles.size).to.equal(0);
    expect(user.inst.handles.get(h)).to.include({ rep: 77, own: true });
    expect(peekL.call([h])).to.deep.equal([77]);
    expect(takeL.call([h])).to.deep.equal([77]);
    expect(dtorCalls).to.deep.equal([77]);
    expect(trapOf(() => takeL.call([h]))).to.equal(`unknown handle index ${h}`);
  });

  it('traps when a lent own handle is moved in the same call, and when borrows outlive the call', () => {
    const { store, impl, user, R } = world();
    const third = side('third', store);
    // third takes (borrow R, own R): lifting the own after the borrow of the same handle traps
    const both = canonLift(core({ params: i32s(2), results: [] }, () => []), fn([{ kind: 'borrow', resource: R }, { kind: 'own', resource: R }]), third.opts, third.inst);
    const bothL = canonLower(both, both.type, user.opts, user.inst);
    const h = canonResourceNew(R, user.inst, 5); // (a handle in user's table; impl is irrelevant here)
    expect(trapOf(() => bothL.call([h, h]))).to.equal('cannot remove owned resource while borrowed');

    // third keeps the borrow handle it was given: the call cannot return
    const keep = canonLift(core({ params: [I32], results: [] }, () => []), fn([{ kind: 'borrow', resource: R }]), third.opts, new ComponentInstance(store, null, 'keeper'));
    const keepL = canonLower(keep, keep.type, user.opts, user.inst);
    const h2 = canonResourceNew(R, user.inst, 6);
    expect(trapOf(() => keepL.call([h2]))).to.equal('borrow handles still remain at the end of the call');

    // dropping the borrow before returning is fine, and the lend ends with the call
    const inst3 = new ComponentInstance(store, null, 'dropper');
    const dropIt = canonLift(core({ params: [I32], results: [] }, ([b]) => { canonResourceDrop(R, inst3, b as number); return []; }), fn([{ kind: 'borrow', resource: R }]), third.opts, inst3);
    const dropL = canonLower(dropIt, dropIt.type, user.opts, user.inst);
    const h3 = canonResourceNew(R, user.inst, 7);
    dropL.call([h3]);
    expect((user.inst.handles.get(h3) as { numLends: number }).numLends).to.equal(0);
    void impl;
  });

  it('gives the host ResourceValues and runs destructors for host drops', () => {
    const { impl, R, dtorCalls } = world();
    const make = canonLift(core({ params: [], results: [I32] }, () => [canonResourceNew(R, impl.inst, 11)]), fn([], { kind: 'own', resource: R }), impl.opts, impl.inst);
    const [v] = callComponentFunc(make, []);
    expect(v).to.be.instanceOf(ResourceValue);
    expect((v as ResourceValue).rep).to.equal(11);
    const consume = canonLift(core({ params: [I32], results: [] }, ([h]) => { canonResourceDrop(R, impl.inst, h as number); return []; }), fn([{ kind: 'own', resource: R }]), impl.opts, impl.inst);
    callComponentFunc(consume, [v!]);
    expect(dtorCalls).to.deep.equal([11]);
    expect(() => callComponentFunc(consume, [v!])).to.throw(TypeError, /already transferred/);
    // Nor can it be lent: the guest would read a rep it has freed.
    const peek = canonLift(core({ params: [I32], results: [I32] }, ([rep]) => [rep as number]), fn([{ kind: 'borrow', resource: R }], 'u32'), impl.opts, impl.inst);
    expect(() => callComponentFunc(peek, [v!])).to.throw(TypeError, /already transferred or dropped/);
    const [w] = callComponentFunc(make, []);
    expect(callComponentFunc(peek, [w!])).to.deep.equal([11]);
    dropResourceValue(w as ResourceValue);
    expect(dtorCalls).to.deep.equal([11, 11]);
    expect(() => callComponentFunc(peek, [w!])).to.throw(TypeError, /already transferred or dropped/);
  });

  it('traps on resource.new and resource.drop while the instance may not leave', () => {
    const { impl, R } = world();
    impl.inst.mayLeave = false;
    expect(trapOf(() => canonResourceNew(R, impl.inst, 1))).to.equal('cannot leave component instance');
    expect(trapOf(() => canonResourceDrop(R, impl.inst, 1))).to.equal('cannot leave component instance');
  });

  it('round-trips own handles through lower_own / lift_own', () => {
    const { user, R } = world();
    const c = cx(user);
    const v = new ResourceValue(R, 3, true);
    const [i] = lowerFlat(c, v, { kind: 'own', resource: R });
    const back = liftFlat(c, new CoreValueIter([i!]), { kind: 'own', resource: R }) as ResourceValue;
    expect([back.rep, back.own, back.type]).to.deep.equal([3, true, R]);
    expect(user.inst.handles.size).to.equal(0);
  });
});
