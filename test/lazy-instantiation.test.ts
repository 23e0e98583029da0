// The interpreter makes a function (its WasmFunc and Code) on its first
// reference, and stores an active segment's function indices into its table
// without making them (exec/instantiate.ts, TableInst.setFuncs). What must
// not change: one identity per function (ref.func, table entries, exports
// and calls agree), tables' contents, bounds traps, imported tables.

import { expect } from 'chai';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { decodeModule } from '../src/core/binary/decode.js';
import { instantiateModule, invoke } from '../src/core/exec/index.js';
import type { ModuleInst } from '../src/core/exec/module-inst.js';
import { WASM_3_0_SUPPORTED } from '../src/core/syntax/feature-set.js';
import type { TableInst } from '../src/core/runtime/table.js';
import type { FuncInst } from '../src/core/runtime/func.js';

const WAT = `(module
  (type $t (func (result i32)))
  (table $tab (export "tab") 8 funcref)
  (func $f0 (type $t) (i32.const 10))
  (func $f1 (type $t) (i32.const 11))
  (func $f2 (type $t) (i32.const 12))
  (func $f3 (type $t) (i32.const 13))
  (func $f4 (type $t) (i32.const 14))
  (elem (table $tab) (i32.const 2) func $f1 $f2 $f3)
  (elem declare func $f4)
  (func (export "callAt") (param i32) (result i32) (call_indirect (type $t) (local.get 0)))
  (func (export "refF2") (result funcref) (ref.func $f2))
  (func (export "refF4") (result funcref) (ref.func $f4))
  (func (export "getAt") (param i32) (result funcref) (table.get $tab (local.get 0))))`;

async function instance(wat: string): Promise<ModuleInst> {
  return instantiateModule(decodeModule(await parse(wat), WASM_3_0_SUPPORTED), []);
}

function made(inst: ModuleInst): number[] {
  return inst.funcs.flatMap((f, i) => (f === null ? [] : [i]));
}

function exported(inst: ModuleInst, name: string): FuncInst {
  const x = inst.exports.get(name)!;
  if (x.kind !== 'func') throw new Error(`${name} is not a function`);
  return x.value;
}

describe('lazy functions at instantiation (interpreter)', () => {
  it('makes only the exported functions at instantiation, each other one on its first reference', async () => {
    const inst = await instance(WAT);
    // f0..f4 are 0..4, the exports 5..8; the table's three entries and the declared f4 are not made.
    expect(made(inst)).to.deep.equal([5, 6, 7, 8]);
    expect(invoke(exported(inst, 'callAt'), [3])).to.deep.equal([12]);
    expect(made(inst)).to.deep.equal([2, 5, 6, 7, 8]); // f2, through the table
    invoke(exported(inst, 'refF4'), []);
    expect(made(inst)).to.deep.equal([2, 4, 5, 6, 7, 8]);
  });

  it('gives one identity per function: ref.func, table.get, the table and exports agree', async () => {
    const inst = await instance(WAT);
    const tab = (inst.exports.get('tab')!.value as TableInst);
    const [viaRef] = invoke(exported(inst, 'refF2'), []);
    const [viaTable] = invoke(exported(inst, 'getAt'), [3]);
    expect(viaRef).to.equal(viaTable);
    expect(tab.get(3)).to.equal(viaRef);
    expect(inst.funcAt(2)).to.equal(viaRef);
    expect(inst.funcAt(5)).to.equal(exported(inst, 'callAt'));
    // Made through the table first, then by ref.func: still one function.
    const [first] = invoke(exported(inst, 'getAt'), [4]);
    expect(inst.funcAt(3)).to.equal(first);
    expect(invoke(exported(inst, 'callAt'), [4])).to.deep.equal([13]);
  });

  it('leaves the table as before: entries outside the segment null, calls through them trap as before', async () => {
    const inst = await instance(WAT);
    expect(invoke(exported(inst, 'getAt'), [0])).to.deep.equal([null]);
    expect(() => invoke(exported(inst, 'callAt'), [1])).to.throw('uninitialized element 1');
    expect(() => invoke(exported(inst, 'callAt'), [8])).to.throw('undefined element 8');
    expect([2, 3, 4].map((k) => invoke(exported(inst, 'callAt'), [k])[0])).to.deep.equal([11, 12, 13]);
  });

  it('stores into an imported table the functions of the instance that wrote them, and keeps earlier writes on an out-of-bounds segment', async () => {
    const a = await instance(WAT);
    const tab = a.exports.get('tab')!;
    const b = instantiateModule(decodeModule(await parse(`(module
      (import "a" "tab" (table 8 funcref))
      (func $g (result i32) (i32.const 20))
      (elem (i32.const 6) func $g))`), WASM_3_0_SUPPORTED), [tab]);
    // Another instance's deferred entries are already in the table: b's are made at once.
    expect(made(b)).to.deep.equal([0]);
    expect(invoke(exported(a, 'callAt'), [6])).to.deep.equal([20]);
    expect(invoke(exported(a, 'callAt'), [2])).to.deep.equal([11]);
    const bytes = await parse(`(module
      (import "a" "tab" (table 8 funcref))
      (func $h (result i32) (i32.const 30))
      (elem (i32.const 0) func $h)
      (elem (i32.const 7) func $h $h))`);
    expect(() => instantiateModule(decodeModule(bytes, WASM_3_0_SUPPORTED), [tab])).to.throw('out of bounds table access');
    // The first segment's write stays, and calls the failed instance's function.
    expect(invoke(exported(a, 'callAt'), [0])).to.deep.equal([30]);
  });

  it('makes a passive segment\'s functions when table.init copies them', async () => {
    const inst = await instance(`(module
      (type $t (func (result i32)))
      (table 4 funcref)
      (func $f0 (type $t) (i32.const 40))
      (elem $p func $f0)
      (func (export "init") (table.init 0 $p (i32.const 1) (i32.const 0) (i32.const 1)))
      (func (export "callAt") (param i32) (result i32) (call_indirect (type $t) (local.get 0))))`);
    invoke(exported(inst, 'init'), []);
    expect(invoke(exported(inst, 'callAt'), [1])).to.deep.equal([40]);
  });
});
