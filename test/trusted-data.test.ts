// A trusted module's data segments, read at instantiation straight from its
// data section (decode.ts's trustedDataSegments), must give the instance
// exactly what the decoded segments give: the same memory, the same passive
// segments for memory.init, a trap at the same segment.

import { expect } from 'chai';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { decodeModule, decodeTrustedModule, trustedDataSegments } from '../src/core/binary/decode.js';
import { instantiateModule, invoke } from '../src/core/exec/index.js';
import type { ModuleInst } from '../src/core/exec/module-inst.js';
import { MemoryInst } from '../src/core/runtime/memory.js';
import { WASM_3_0_SUPPORTED } from '../src/core/syntax/feature-set.js';

const WAT = `(module
  (memory $a 1) (memory $b 1)
  (data (i32.const 8) "abc")
  (data "passive")
  (data (memory $b) (i32.const 0) "xy")
  (data (i32.const 100) "")
  (data (i32.const 1000) "${'0123456789'.repeat(10)}")
  (func (export "init") (memory.init $a 1 (i32.const 200) (i32.const 0) (i32.const 7))))`;

async function bytesOf(wat: string): Promise<Uint8Array> {
  return parse(wat);
}

function memoryBytes(inst: ModuleInst, mem: number, from: number, n: number): number[] {
  return [...(inst.mems[mem] as MemoryInst).u8.subarray(from, from + n)];
}

describe('trusted data segments', () => {
  it('reads what the decoded segments hold, making no object per segment', async () => {
    const b = await bytesOf(WAT);
    const m = decodeTrustedModule(b, WASM_3_0_SUPPORTED);
    const raw = trustedDataSegments(m)!;
    expect(Array.from(raw.active)).to.deep.equal([0, -1, 1, 0, 0]);
    expect(Array.from(raw.offsets)).to.deep.equal([8, 0, 0, 100, 1000]);
    const decoded = decodeModule(b, WASM_3_0_SUPPORTED).datas;
    expect([...raw.starts].map((at, i) => [...b.subarray(at, at + raw.lengths[i]!)])).to.deep.equal(decoded.map((d) => [...d.init]));
    const negative = decodeTrustedModule(await bytesOf('(module (memory 1) (data (i32.const -65536) "z"))'), WASM_3_0_SUPPORTED);
    expect(Array.from(trustedDataSegments(negative)!.offsets)).to.deep.equal([-65536]);
  });

  it('instantiates as the decoded module does, passive segments kept for memory.init', async () => {
    const b = await bytesOf(WAT);
    const trusted = instantiateModule(decodeTrustedModule(b, WASM_3_0_SUPPORTED), []);
    const plain = instantiateModule(decodeModule(b, WASM_3_0_SUPPORTED), []);
    for (const inst of [trusted, plain]) {
      expect(memoryBytes(inst, 0, 8, 3)).to.deep.equal([...'abc'].map((c) => c.charCodeAt(0)));
      expect(memoryBytes(inst, 1, 0, 2)).to.deep.equal([...'xy'].map((c) => c.charCodeAt(0)));
      expect(inst.datas.map((d) => d.length)).to.deep.equal([0, 7, 0, 0, 0]);
      expect(String.fromCharCode(...memoryBytes(inst, 0, 1000, 100))).to.equal('0123456789'.repeat(10));
      invoke(inst.exports.get('init')!.value as never, []);
      expect(String.fromCharCode(...memoryBytes(inst, 0, 200, 7))).to.equal('passive');
    }
  });

  it('traps at the same segment, after the writes of the ones before it', async () => {
    const b = await bytesOf('(module (memory 1) (data (i32.const 0) "ok") (data (i32.const 65535) "no") (data (i32.const 4) "late"))');
    const m = decodeTrustedModule(b, WASM_3_0_SUPPORTED);
    expect(trustedDataSegments(m)).to.not.equal(null);
    let created: ModuleInst | undefined;
    expect(() => instantiateModule(m, [], false, (inst) => { created = inst; })).to.throw('out of bounds memory access');
    expect(memoryBytes(created!, 0, 0, 6)).to.deep.equal([0x6f, 0x6b, 0, 0, 0, 0]);
  });

  it('leaves offsets other than i32.const, and segments set from outside, to m.datas', async () => {
    const b = await bytesOf('(module (global i32 (i32.const 16)) (memory 1) (data (global.get 0) "g"))');
    const m = decodeTrustedModule(b, WASM_3_0_SUPPORTED);
    expect(trustedDataSegments(m)).to.equal(null);
    expect(memoryBytes(instantiateModule(m, []), 0, 16, 1)).to.deep.equal([0x67]);
    const other = decodeTrustedModule(await bytesOf(WAT), WASM_3_0_SUPPORTED);
    other.datas = [];
    expect(trustedDataSegments(other)).to.equal(null);
  });
});
