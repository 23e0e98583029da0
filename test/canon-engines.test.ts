// The canonical ABI engine over real core modules, on both core engines
// (the interpreter and the host's native engine) and across them: realloc
// and post-return as core exports, a string transcoded between two
// components whose core code runs on either engine.

import { expect } from 'chai';
import fc from 'fast-check';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { decodeModule } from '../src/core/binary/decode.js';
import { Interpreter } from '../src/core/exec/index.js';
import { NativeEngine } from '../src/core/native/index.js';
import { Trap } from '../src/core/errors.js';
import type { FuncInst } from '../src/core/runtime/func.js';
import type { CoreEngine, ExternVal, ModuleInstance } from '../src/core/runtime/instance.js';
import type { MemoryInst } from '../src/core/runtime/memory.js';
import type { DefinedType, FuncType, ValType } from '../src/component/syntax/types.js';
import type { StringEncoding } from '../src/component/syntax/ast.js';
import {
  alignment, callComponentFunc, canonicalOptions, canonLift, canonLower, CanonStore, ComponentInstance, CoreValueIter,
  elemSize, formatValue, liftFlat, LiftLowerContext, load, lowerFlat, store, valuesEqual, type ComponentValue,
} from '../src/component/canon/index.js';
import { arbTypedValue } from './support/canon-arbitraries.js';
import { func } from './support/core.js';

const engines: CoreEngine[] = [new Interpreter(), new NativeEngine()];

async function instantiate(engine: CoreEngine, wat: string, imports: ExternVal[] = []): Promise<ModuleInstance> {
  const bytes = await parse(wat);
  return engine.instantiate(decodeModule(bytes), bytes, imports);
}

function memory(inst: ModuleInstance, name = 'mem'): MemoryInst {
  const e = inst.exports.get(name);
  if (e?.kind !== 'memory') throw new Error(`no memory ${name}`);
  return e.value;
}

/** A bump allocator whose growing reallocs copy, shrinking ones stay put; counts its calls. */
const libc = `
  (memory (export "mem") 1)
  (global $next (mut i32) (i32.const 1024))
  (global $calls (export "calls") (mut i32) (i32.const 0))
  (func (export "realloc") (param $old i32) (param $osize i32) (param $align i32) (param $nsize i32) (result i32)
    (local $r i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (if (i32.and (i32.ne (local.get $old) (i32.const 0)) (i32.le_u (local.get $nsize) (local.get $osize)))
      (then (return (local.get $old))))
    (local.set $r (i32.and (i32.add (global.get $next) (i32.sub (local.get $align) (i32.const 1)))
                           (i32.sub (i32.const 0) (local.get $align))))
    (global.set $next (i32.add (local.get $r) (local.get $nsize)))
    (if (i32.gt_u (global.get $next) (i32.mul (memory.size) (i32.const 65536)))
      (then (drop (memory.grow (i32.const 1)))))
    (if (i32.ne (local.get $old) (i32.const 0))
      (then (memory.copy (local.get $r) (local.get $old) (local.get $osize))))
    (local.get $r))`;

const calleeWat = `(module ${libc}
  (global $freed (export "freed") (mut i32) (i32.const 0))
  ;; echo: returns its string argument through a return area at 8
  (func (export "echo") (param $ptr i32) (param $len i32) (result i32)
    (i32.store (i32.const 8) (local.get $ptr))
    (i32.store (i32.const 12) (local.get $len))
    (i32.const 8))
  (func (export "post-echo") (param $ret i32)
    (global.set $freed (i32.load (local.get $ret))))
  (func (export "bad-realloc") (param i32 i32 i32 i32) (result i32) (i32.const 2)))`;

const callerWat = `(module
  (import "" "f" (func $f (param i32 i32 i32)))
  ${libc}
  (func (export "run") (param i32 i32 i32) (call $f (local.get 0) (local.get 1) (local.get 2))))`;

const strFn: FuncType = { kind: 'func', async: false, params: [{ name: 's', type: 'string' }], result: 'string' };

function writeUtf16(mem: MemoryInst, ptr: number, s: string): void {
  mem.refresh();
  for (let i = 0; i < s.length; i++) mem.view.setUint16(ptr + 2 * i, s.charCodeAt(i), true);
}

function readUtf16(mem: MemoryInst, ptr: number, units: number): string {
  mem.refresh();
  return String.fromCharCode(...Array.from({ length: units }, (_, i) => mem.view.getUint16(ptr + 2 * i, true)));
}

describe('canon: over real core modules', () => {
  for (const calleeEngine of engines) {
    for (const callerEngine of engines) {
      it(`transcodes utf16 → utf8 → utf16 from a ${callerEngine.name} caller to a ${calleeEngine.name} callee, with post-return`, async () => {
        const store = new CanonStore();
        const c = await instantiate(calleeEngine, calleeWat);
        const cInst = new ComponentInstance(store, null, 'C');
        const cOpts = canonicalOptions({ memory: memory(c), realloc: func(c, 'realloc'), postReturn: func(c, 'post-echo'), stringEncoding: 'utf8' });
        const echo = canonLift(func(c, 'echo'), strFn, cOpts, cInst, 'echo');

        let dMem: MemoryInst | null = null;
        let dRealloc: FuncInst | null = null;
        const dInst = new ComponentInstance(store, null, 'D');
        // The lowered import needs D's memory and realloc, which exist only once D
        // is instantiated: link through a forwarding function.
        const forward = { f: null as FuncInst | null };
        const { HostFunc } = await import('../src/core/runtime/func.js');
        const { I32 } = await import('../src/core/syntax/types.js');
        const shim = new HostFunc({ params: [I32, I32, I32], results: [] }, (args) => forward.f!.call(args));
        const d = await instantiate(callerEngine, callerWat, [{ kind: 'func', value: shim }]);
        dMem = memory(d);
        dRealloc = func(d, 'realloc');
        forward.f = canonLower(echo, strFn, canonicalOptions({ memory: dMem, realloc: dRealloc, stringEncoding: 'utf16' }), dInst);

        const s = 'hö☃🍰 — ünïcödé';
        writeUtf16(dMem, 100, s);
        func(d, 'run').call([100, s.length, 200]);
        dMem.refresh();
        const ptr = dMem.view.getUint32(200, true);
        const len = dMem.view.getUint32(204, true);
        expect(readUtf16(dMem, ptr, len)).to.equal(s);
        const cMem = memory(c);
        cMem.refresh();
        const freedExport = c.exports.get('freed');
        if (freedExport?.kind !== 'global') throw new Error('no global freed');
        const freed = freedExport.value.value;
        // post-return saw the callee's string pointer: the second block of the
        // bump allocator (the optimistic 15-byte block was outgrown)
        expect(freed).to.equal(1024 + s.length);
        const utf8 = new TextEncoder().encode(s);
        expect([...cMem.u8.subarray(freed as number, (freed as number) + utf8.length)]).to.deep.equal([...utf8]);
        expect(cInst.mayEnter && cInst.mayLeave && dInst.mayLeave).to.equal(true);
      });
    }

    it(`round-trips random values through a ${calleeEngine.name} realloc`, async () => {
      const m = await instantiate(calleeEngine, calleeWat);
      const types: ValType[] = [
        'string',
        { kind: 'list', elem: 'string', length: null },
        { kind: 'list', elem: { kind: 'tuple', types: ['u8', 'f64', 'string'] }, length: null },
        { kind: 'option', type: { kind: 'list', elem: 'char', length: null } },
      ];
      const encodings: StringEncoding[] = ['utf8', 'utf16', 'latin1+utf16'];
      const arbStr = fc.array(fc.oneof(fc.integer({ min: 0, max: 0xff }), fc.integer({ min: 0x100, max: 0xd7ff }), fc.integer({ min: 0x10000, max: 0x10ffff })), { maxLength: 8 }).map((cps) => String.fromCodePoint(...cps));
      const arbFor = (t: ValType): fc.Arbitrary<ComponentValue> => {
        if (t === 'string') return arbStr;
        if (t === 'u8') return fc.integer({ min: 0, max: 255 });
        if (t === 'f64') return fc.double();
        if (t === 'char') return fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c));
        const d = t as DefinedType;
        if (d.kind === 'list') return fc.array(arbFor(d.elem), { maxLength: 4 });
        if (d.kind === 'tuple') return fc.tuple(...d.types.map(arbFor));
        if (d.kind === 'option') return fc.oneof(fc.constant({ tag: 'none' }), arbFor(d.type).map((val) => ({ tag: 'some', val })));
        throw new Error('unexpected type');
      };
      for (const enc of encodings) {
        const cx = new LiftLowerContext(canonicalOptions({ memory: memory(m), realloc: func(m, 'realloc'), stringEncoding: enc }), new ComponentInstance());
        for (const t of types) {
          fc.assert(fc.property(arbFor(t), (v) => {
            const back = liftFlat(cx, new CoreValueIter(lowerFlat(cx, v, t)), t);
            expect(valuesEqual(back, v, t)).to.equal(true);
          }), { numRuns: 40 });
        }
      }
    });

    it(`round-trips random values of every type through ${calleeEngine.name} memory and realloc, in every string encoding`, async () => {
      const m = await instantiate(calleeEngine, calleeWat);
      for (const enc of ['utf8', 'utf16', 'latin1+utf16'] as StringEncoding[]) {
        const cx = new LiftLowerContext(canonicalOptions({ memory: memory(m), realloc: func(m, 'realloc'), stringEncoding: enc }), new ComponentInstance());
        fc.assert(fc.property(arbTypedValue, ({ t, v }) => {
          const flatBack = liftFlat(cx, new CoreValueIter(lowerFlat(cx, v, t)), t);
          expect(valuesEqual(flatBack, v, t), `flat: ${formatValue(flatBack, t)} vs ${formatValue(v, t)}`).to.equal(true);
          const ptr = cx.allocate(alignment(t, 'i32'), elemSize(t, 'i32'));
          store(cx, v, t, ptr);
          const loaded = load(cx, ptr, t);
          expect(valuesEqual(loaded, v, t), `memory: ${formatValue(loaded, t)} vs ${formatValue(v, t)}`).to.equal(true);
        }), { numRuns: 60 });
      }
    });

    it(`traps on a misaligned pointer from a ${calleeEngine.name} realloc, in the host's and in the adapter's words`, async () => {
      const m = await instantiate(calleeEngine, calleeWat);
      const opts = canonicalOptions({ memory: memory(m), realloc: func(m, 'bad-realloc') });
      const list: ValType = { kind: 'list', elem: 'u32', length: null };
      const ft: FuncType = { kind: 'func', async: false, params: [{ name: 'a', type: list }], result: null };
      const { HostFunc } = await import('../src/core/runtime/func.js');
      const { I32 } = await import('../src/core/syntax/types.js');
      const noop = new HostFunc({ params: [I32, I32], results: [] }, () => []);
      const f = canonLift(noop, ft, opts, new ComponentInstance());
      expect(() => callComponentFunc(f, [[1, 2]])).to.throw(Trap, 'realloc return: result not aligned');
      const g = canonLift(noop, ft, opts, new ComponentInstance());
      expect(() => callComponentFunc(g, [[1, 2]], new ComponentInstance())).to.throw(Trap, 'unaligned pointer');
    });
  }
});
