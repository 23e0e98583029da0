// Multi-memory (WebAssembly 3.0) behind the core feature switch: the
// decoder and validator keep 2.0's rejections and words with WASM_2_0 (the
// default), and accept several memories and memory indices with
// WASM_3_0_SUPPORTED; the interpreter runs loads, stores and every memory
// instruction on any memory, and instantiates data segments into any memory.

import { expect } from 'chai';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { decodeModule } from '../src/core/binary/decode.js';
import { validateModule } from '../src/core/valid/validate.js';
import { Trap, TrapMessage } from '../src/core/errors.js';
import { Interpreter } from '../src/core/exec/index.js';
import { MemoryInst } from '../src/core/runtime/memory.js';
import type { ExternVal, ModuleInstance } from '../src/core/runtime/instance.js';
import type { Value } from '../src/core/runtime/values.js';
import { Op } from '../src/core/syntax/opcodes.js';
import type { Instr } from '../src/core/syntax/ast.js';
import { WASM_2_0, WASM_3_0_SUPPORTED } from '../src/core/syntax/feature-set.js';
import { featuresForScript } from '../src/wast/compare.js';
import { decodeError, func, trapOf, validationError } from './support/core.js';

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

function section(id: number, content: number[]): number[] {
  return [id, content.length, ...content]; // sizes below 128 only
}

/**
 * A module with `nmems` memories (min 1 page each), one function [] -> []
 * whose body is `code` (without `end`), and optionally a data count of 1
 * with one passive segment.
 */
function moduleBytes(nmems: number, code: number[], withData = false): Uint8Array {
  const mems: number[] = [nmems];
  for (let i = 0; i < nmems; i++) mems.push(0x00, 0x01);
  const body = [0x00, ...code, 0x0b];
  return Uint8Array.from([
    ...HEADER,
    ...section(1, [1, 0x60, 0, 0]),
    ...section(3, [1, 0]),
    ...section(5, mems),
    ...(withData ? section(12, [1]) : []),
    ...section(10, [1, body.length, ...body]),
    ...(withData ? section(11, [1, 0x01, 2, 0xaa, 0xbb]) : []),
  ]);
}

/** The first instruction of the only function. */
function firstInstr(bytes: Uint8Array): Instr {
  const m = decodeModule(bytes, WASM_3_0_SUPPORTED);
  return m.funcs[0]!.body.find((i) => i.op !== Op.i32_const)!;
}

const I32_0 = [0x41, 0x00]; // i32.const 0

describe('multi-memory: feature sets', () => {
  it('WASM_2_0 has every post-2.0 feature off, WASM_3_0_SUPPORTED multi-memory on', () => {
    expect(WASM_2_0.multiMemory).to.equal(false);
    expect(WASM_3_0_SUPPORTED.multiMemory).to.equal(true);
  });

  it('the harness runs the core-2.0 suite as 2.0 and everything else with all cmr implements', () => {
    expect(featuresForScript('/suites/core-2.0/binary.wast')).to.equal(WASM_2_0);
    expect(featuresForScript('core-2.0/align.wast')).to.equal(WASM_2_0);
    expect(featuresForScript('/suites/core-3.0/multi-memory/load1.wast')).to.equal(WASM_3_0_SUPPORTED);
    expect(featuresForScript('/suites/component-model/linking/unit.wast')).to.equal(WASM_3_0_SUPPORTED);
    expect(featuresForScript('spec-tests/cmr/strings.wast')).to.equal(WASM_3_0_SUPPORTED);
  });
});

describe('multi-memory: decoding', () => {
  const load1 = [...I32_0, 0x28, 0x42, 0x01, 0x04, 0x1a]; // i32.load memory=1 align=2 offset=4; drop

  it('2.0: a memarg with bit 6 set is "malformed memop flags"', () => {
    expect(decodeError(() => decodeModule(moduleBytes(2, load1)))).to.equal('malformed memop flags');
    expect(decodeError(() => decodeModule(moduleBytes(2, load1), WASM_2_0))).to.equal('malformed memop flags');
  });

  it('3.0: bit 6 of the memarg flags introduces a memory index (c), the rest is the alignment', () => {
    const ins = firstInstr(moduleBytes(2, load1));
    expect(ins.op).to.equal(Op.i32_load);
    expect([ins.a, ins.b, ins.c]).to.deep.equal([4, 2, 1]);
    const plain = firstInstr(moduleBytes(1, [...I32_0, 0x28, 0x02, 0x08, 0x1a]));
    expect([plain.a, plain.b, plain.c]).to.deep.equal([8, 2, 0]);
  });

  it('3.0: memop flags of 128 or more are malformed', () => {
    const bad = moduleBytes(1, [...I32_0, 0x28, 0x80, 0x01, 0x00, 0x1a]);
    expect(decodeError(() => decodeModule(bad, WASM_3_0_SUPPORTED))).to.equal('malformed memop flags');
  });

  const cases: [string, number[], (i: Instr) => number[], number[]][] = [
    ['memory.size', [0x3f, 0x01, 0x1a], (i) => [i.a], [1]],
    ['memory.grow', [...I32_0, 0x40, 0x01, 0x1a], (i) => [i.a], [1]],
    ['memory.fill', [...I32_0, ...I32_0, ...I32_0, 0xfc, 0x0b, 0x01], (i) => [i.a], [1]],
    ['memory.copy', [...I32_0, ...I32_0, ...I32_0, 0xfc, 0x0a, 0x01, 0x00], (i) => [i.a, i.b], [1, 0]],
  ];
  for (const [name, code, fields, want] of cases) {
    it(`${name}: 2.0 wants a zero byte, 3.0 reads the memory index`, () => {
      expect(decodeError(() => decodeModule(moduleBytes(2, code)))).to.equal('zero byte expected');
      expect(fields(firstInstr(moduleBytes(2, code)))).to.deep.equal(want);
    });
  }

  it('memory.init: 2.0 wants a zero byte, 3.0 reads the memory index into b', () => {
    const code = [...I32_0, ...I32_0, ...I32_0, 0xfc, 0x08, 0x00, 0x01];
    expect(decodeError(() => decodeModule(moduleBytes(2, code, true)))).to.equal('zero byte expected');
    const ins = firstInstr(moduleBytes(2, code, true));
    expect([ins.a, ins.b]).to.deep.equal([0, 1]);
  });

  it('2.0 bytes decode the same under both feature sets', () => {
    const code = [...I32_0, 0x28, 0x02, 0x00, 0x1a, 0x3f, 0x00, 0x1a];
    const a = decodeModule(moduleBytes(1, code));
    const b = decodeModule(moduleBytes(1, code), WASM_3_0_SUPPORTED);
    expect(b.funcs[0]!.body.map((i) => [i.op, i.a, i.b, i.c])).to.deep.equal(a.funcs[0]!.body.map((i) => [i.op, i.a, i.b, i.c]));
  });
});

describe('multi-memory: validation', () => {
  it('2.0: more than one memory is "multiple memories"', () => {
    const m = decodeModule(moduleBytes(2, []));
    expect(validationError(() => validateModule(m))).to.equal('multiple memories');
    expect(validationError(() => validateModule(m, WASM_2_0))).to.equal('multiple memories');
  });

  it('3.0: several memories validate, and memory indices are checked', () => {
    validateModule(decodeModule(moduleBytes(3, []), WASM_3_0_SUPPORTED), WASM_3_0_SUPPORTED);
    const ok = decodeModule(moduleBytes(2, [...I32_0, 0x28, 0x42, 0x01, 0x00, 0x1a]), WASM_3_0_SUPPORTED);
    validateModule(ok, WASM_3_0_SUPPORTED);
    const unknown: [number[], boolean][] = [
      [[...I32_0, 0x28, 0x42, 0x02, 0x00, 0x1a], false], // i32.load memory 2
      [[...I32_0, ...I32_0, 0x36, 0x42, 0x02, 0x00], false], // i32.store memory 2
      [[0x3f, 0x02, 0x1a], false], // memory.size 2
      [[...I32_0, 0x40, 0x02, 0x1a], false], // memory.grow 2
      [[...I32_0, ...I32_0, ...I32_0, 0xfc, 0x0b, 0x02], false], // memory.fill 2
      [[...I32_0, ...I32_0, ...I32_0, 0xfc, 0x0a, 0x02, 0x00], false], // memory.copy 2 0
      [[...I32_0, ...I32_0, ...I32_0, 0xfc, 0x0a, 0x00, 0x02], false], // memory.copy 0 2
      [[...I32_0, ...I32_0, ...I32_0, 0xfc, 0x08, 0x00, 0x02], true], // memory.init 0 2
    ];
    for (const [code, withData] of unknown) {
      const m = decodeModule(moduleBytes(2, code, withData), WASM_3_0_SUPPORTED);
      expect(validationError(() => validateModule(m, WASM_3_0_SUPPORTED))).to.equal('unknown memory 2');
    }
  });

  it('3.0: the alignment is still checked against the natural one', () => {
    const m = decodeModule(moduleBytes(2, [...I32_0, 0x28, 0x43, 0x01, 0x00, 0x1a]), WASM_3_0_SUPPORTED);
    expect(validationError(() => validateModule(m, WASM_3_0_SUPPORTED))).to.equal('alignment must not be larger than natural');
  });
});

async function instantiate(wat: string, imports: ExternVal[] = []): Promise<ModuleInstance> {
  const bytes = await parse(wat);
  const m = decodeModule(bytes, WASM_3_0_SUPPORTED);
  validateModule(m, WASM_3_0_SUPPORTED);
  return new Interpreter().instantiate(m, bytes, imports);
}

function call(inst: ModuleInstance, name: string, ...args: Value[]): Value[] {
  return func(inst, name).call(args);
}

function memory(inst: ModuleInstance, name: string): MemoryInst {
  const e = inst.exports.get(name);
  if (e?.kind !== 'memory') throw new Error(`no memory ${name}`);
  return e.value;
}

describe('multi-memory: execution in the interpreter', () => {
  const wat = `(module
    (memory $m0 (export "m0") 1)
    (memory $m1 (export "m1") 1 3)
    (memory $m2 (export "m2") 2)
    (data (memory $m1) (i32.const 8) "\\01\\02\\03\\04\\05\\06\\07\\08")
    (data (memory $m2) (i32.const 65536) "\\ff\\fe")
    (data $p "hello")
    (func (export "load1") (param i32) (result i32) (i32.load $m1 (local.get 0)))
    (func (export "load1_off") (param i32) (result i32) (i32.load $m1 offset=4 (local.get 0)))
    (func (export "load2_u8") (param i32) (result i32) (i32.load8_u $m2 (local.get 0)))
    (func (export "load2_s8") (param i32) (result i32) (i32.load8_s $m2 (local.get 0)))
    (func (export "load2_i64") (param i32) (result i64) (i64.load $m2 (local.get 0)))
    (func (export "load2_i64_16s") (param i32) (result i64) (i64.load16_s $m2 (local.get 0)))
    (func (export "load2_f64") (param i32) (result f64) (f64.load $m2 (local.get 0)))
    (func (export "load0") (param i32) (result i32) (i32.load $m0 (local.get 0)))
    (func (export "store1") (param i32 i32) (i32.store $m1 (local.get 0) (local.get 1)))
    (func (export "store2_i64") (param i32 i64) (i64.store $m2 (local.get 0) (local.get 1)))
    (func (export "store2_8") (param i32 i32) (i32.store8 $m2 (local.get 0) (local.get 1)))
    (func (export "store2_16") (param i32 i32) (i32.store16 $m2 (local.get 0) (local.get 1)))
    (func (export "store2_f32") (param i32 f32) (f32.store $m2 (local.get 0) (local.get 1)))
    (func (export "store0") (param i32 i32) (i32.store $m0 (local.get 0) (local.get 1)))
    (func (export "size1") (result i32) (memory.size $m1))
    (func (export "size2") (result i32) (memory.size $m2))
    (func (export "grow1") (param i32) (result i32) (memory.grow $m1 (local.get 0)))
    (func (export "fill2") (param i32 i32 i32) (memory.fill $m2 (local.get 0) (local.get 1) (local.get 2)))
    (func (export "copy_1_to_2") (param i32 i32 i32) (memory.copy $m2 $m1 (local.get 0) (local.get 1) (local.get 2)))
    (func (export "copy_2_to_2") (param i32 i32 i32) (memory.copy $m2 $m2 (local.get 0) (local.get 1) (local.get 2)))
    (func (export "init1") (param i32 i32 i32) (memory.init $m1 $p (local.get 0) (local.get 1) (local.get 2)))
    ;; grow memory 1, then access it in the same function: the views must follow
    (func (export "grow_then_store1") (param i32 i32) (result i32)
      (drop (memory.grow $m1 (i32.const 1)))
      (i32.store $m1 (local.get 0) (local.get 1))
      (i32.load $m1 (local.get 0))))`;

  it('applies data segments to memories 1 and 2', async () => {
    const inst = await instantiate(wat);
    expect(call(inst, 'load1', 8)).to.deep.equal([0x04030201]);
    expect(call(inst, 'load1_off', 8)).to.deep.equal([0x08070605]);
    expect(call(inst, 'load2_u8', 65536)).to.deep.equal([0xff]);
    expect(call(inst, 'load2_s8', 65537)).to.deep.equal([-2]);
    expect(call(inst, 'load0', 8)).to.deep.equal([0]); // memory 0 untouched
    expect(memory(inst, 'm1').u8[8]).to.equal(1);
  });

  it('loads and stores every width on memories 1 and 2, apart from memory 0', async () => {
    const inst = await instantiate(wat);
    call(inst, 'store1', 100, 0x11223344);
    call(inst, 'store0', 100, 7);
    expect(call(inst, 'load1', 100)).to.deep.equal([0x11223344]);
    expect(call(inst, 'load0', 100)).to.deep.equal([7]);
    call(inst, 'store2_i64', 200, -2n);
    expect(call(inst, 'load2_i64', 200)).to.deep.equal([-2n]);
    call(inst, 'store2_16', 300, 0x8001);
    expect(call(inst, 'load2_i64_16s', 300)).to.deep.equal([-32767n]);
    call(inst, 'store2_8', 400, 0x1ff);
    expect(call(inst, 'load2_u8', 400)).to.deep.equal([0xff]);
    call(inst, 'store2_i64', 500, 0x4000000000000000n); // f64 2.0
    expect(call(inst, 'load2_f64', 500)).to.deep.equal([0x4000000000000000n]); // f64 travels as its bits
    call(inst, 'store2_f32', 600, 0x3fc00000); // f32 1.5, as its bits
    expect(memory(inst, 'm2').view.getFloat32(600, true)).to.equal(1.5);
  });

  it('traps out of bounds on memory 1 and 2 by their own sizes', async () => {
    const inst = await instantiate(wat);
    // memory 1: 1 page; memory 2: 2 pages
    expect(call(inst, 'load1', 65532)).to.deep.equal([0]);
    expect(trapOf(() => call(inst, 'load1', 65533)).message).to.equal(TrapMessage.outOfBoundsMemory);
    expect(trapOf(() => call(inst, 'load1_off', 65530)).message).to.equal(TrapMessage.outOfBoundsMemory);
    expect(trapOf(() => call(inst, 'store1', 65536, 1)).message).to.equal(TrapMessage.outOfBoundsMemory);
    expect(call(inst, 'load2_u8', 131071)).to.deep.equal([0]);
    expect(trapOf(() => call(inst, 'load2_u8', 131072)).message).to.equal(TrapMessage.outOfBoundsMemory);
    expect(trapOf(() => call(inst, 'load2_i64', 131065)).message).to.equal(TrapMessage.outOfBoundsMemory);
    expect(trapOf(() => call(inst, 'store2_8', -1, 1)).message).to.equal(TrapMessage.outOfBoundsMemory);
    expect(trapOf(() => call(inst, 'fill2', 131070, 0, 3)).message).to.equal(TrapMessage.outOfBoundsMemory);
    expect(trapOf(() => call(inst, 'copy_1_to_2', 0, 65535, 2)).message).to.equal(TrapMessage.outOfBoundsMemory);
    expect(trapOf(() => call(inst, 'init1', 65534, 0, 3)).message).to.equal(TrapMessage.outOfBoundsMemory);
    // memory 0 has one page: an address valid in memory 2 is not in memory 0
    expect(trapOf(() => call(inst, 'load0', 65536)).message).to.equal(TrapMessage.outOfBoundsMemory);
  });

  it('memory.size and memory.grow address their memory, and accesses follow a grow', async () => {
    const inst = await instantiate(wat);
    expect(call(inst, 'size1')).to.deep.equal([1]);
    expect(call(inst, 'size2')).to.deep.equal([2]);
    expect(call(inst, 'grow1', 1)).to.deep.equal([1]);
    expect(call(inst, 'size1')).to.deep.equal([2]);
    expect(call(inst, 'size2')).to.deep.equal([2]);
    call(inst, 'store1', 65536 + 12, 42); // in the new page
    expect(call(inst, 'load1', 65536 + 12)).to.deep.equal([42]);
    expect(call(inst, 'grow_then_store1', 131072 + 4, 99)).to.deep.equal([99]);
    expect(call(inst, 'size1')).to.deep.equal([3]);
    expect(call(inst, 'grow1', 1)).to.deep.equal([-1]); // maximum 3
  });

  it('memory.fill, memory.copy (between and within memories) and memory.init on memories 1 and 2', async () => {
    const inst = await instantiate(wat);
    call(inst, 'fill2', 10, 0xab, 4);
    expect(call(inst, 'load2_u8', 13)).to.deep.equal([0xab]);
    expect(call(inst, 'load2_u8', 14)).to.deep.equal([0]);
    call(inst, 'copy_1_to_2', 1000, 8, 8);
    expect([...memory(inst, 'm2').u8.subarray(1000, 1008)]).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8]);
    call(inst, 'copy_2_to_2', 1002, 1000, 4); // overlapping
    expect([...memory(inst, 'm2').u8.subarray(1000, 1008)]).to.deep.equal([1, 2, 1, 2, 3, 4, 7, 8]);
    call(inst, 'init1', 20, 1, 4);
    expect(new TextDecoder().decode(memory(inst, 'm1').u8.subarray(20, 24))).to.equal('ello');
    expect(memory(inst, 'm2').u8[20]).to.equal(0);
  });

  it('imports memories alongside defined ones, and sees grows made from outside', async () => {
    const imported = MemoryInst.create({ limits: { min: 1, max: null } });
    const inst = await instantiate(`(module
      (memory $a (import "env" "a") 1)
      (memory $b 1)
      (data (memory $a) (i32.const 0) "\\2a")
      (data (memory $b) (i32.const 0) "\\07")
      (func (export "a") (param i32) (result i32) (i32.load8_u $a (local.get 0)))
      (func (export "b") (param i32) (result i32) (i32.load8_u $b (local.get 0)))
      (func (export "put_b") (param i32 i32) (i32.store8 $b (local.get 0) (local.get 1))))`,
    [{ kind: 'memory', value: imported }]);
    expect(imported.u8[0]).to.equal(42);
    expect(call(inst, 'a', 0)).to.deep.equal([42]);
    expect(call(inst, 'b', 0)).to.deep.equal([7]);
    imported.grow(1);
    imported.refresh();
    imported.u8[70000] = 5;
    expect(call(inst, 'a', 70000)).to.deep.equal([5]);
    expect(trapOf(() => call(inst, 'put_b', 70000, 1)).message).to.equal(TrapMessage.outOfBoundsMemory);
  });

  it('a data segment out of bounds of memory 1 traps at instantiation, after the segments before it', async () => {
    const m0 = MemoryInst.create({ limits: { min: 1, max: null } });
    const err = await instantiate(`(module
      (memory $a (import "env" "a") 1)
      (memory $b 1)
      (data (memory $a) (i32.const 0) "\\01")
      (data (memory $b) (i32.const 65536) "\\02"))`, [{ kind: 'memory', value: m0 }]).then(() => null, (e: unknown) => e);
    expect(err).to.be.instanceOf(Trap);
    expect((err as Trap).message).to.equal(TrapMessage.outOfBoundsMemory);
    expect(m0.u8[0]).to.equal(1);
  });
});
