// memory64 and table64 beyond the suites' reach: 3.0's limits flags under
// each feature set, the address type carried into linking and into the
// component model's view of a core module.

import { expect } from 'chai';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { decodeModule } from '../src/core/binary/decode.js';
import { validateModule } from '../src/core/valid/validate.js';
import { WASM_2_0, WASM_3_0_SUPPORTED } from '../src/core/syntax/feature-set.js';
import { I64 } from '../src/core/syntax/types.js';
import { moduleType } from '../src/component/valid/core-module.js';
import { MemoryInst } from '../src/core/runtime/memory.js';
import { TableInst } from '../src/core/runtime/table.js';
import { resolveImports } from '../src/core/runtime/link.js';
import { FUNCREF } from '../src/core/syntax/types.js';

const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const memorySection = (...entry: number[]) => new Uint8Array([...header, 5, entry.length + 1, 1, ...entry]);
const tableSection = (...entry: number[]) => new Uint8Array([...header, 4, entry.length + 2, 1, 0x70, ...entry]);

describe('memory64 and table64', () => {
  it('reads 3.0 limits flags as a byte: 64-bit and shared bits, anything else malformed', () => {
    expect(decodeModule(memorySection(0x04, 1), WASM_3_0_SUPPORTED).mems[0]!.type).to.deep.equal({ limits: { min: 1, max: null }, addrType: I64 });
    expect(decodeModule(memorySection(0x07, 1, 2), WASM_3_0_SUPPORTED).mems[0]!.type).to.deep.equal({ limits: { min: 1, max: 2 }, shared: true, addrType: I64 });
    expect(decodeModule(tableSection(0x05, 0, 3), WASM_3_0_SUPPORTED).tables[0]!.type).to.deep.equal({ elem: FUNCREF, limits: { min: 0, max: 3 }, addrType: I64 });
    expect(() => decodeModule(memorySection(0x08, 0), WASM_3_0_SUPPORTED)).to.throw('malformed limits flags');
    // A table has no shared form; 0x81 is a byte with unknown bits, not a LEB128 of 1.
    expect(() => decodeModule(tableSection(0x02, 0), WASM_3_0_SUPPORTED)).to.throw('malformed limits flags');
    expect(() => decodeModule(memorySection(0x81, 0x00, 0), WASM_3_0_SUPPORTED)).to.throw('malformed limits flags');
  });

  it('keeps 2.0 limits under the 2.0 feature set', () => {
    expect(() => decodeModule(memorySection(0x04, 1), WASM_2_0)).to.throw('integer too large');
    // u32 bounds: a 6-byte minimum is too long in 2.0, a valid u64 in 3.0 (then too large a memory).
    const long = memorySection(0x00, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01);
    expect(() => decodeModule(long, WASM_2_0)).to.throw('integer representation too long');
    expect(() => validateModule(decodeModule(long, WASM_3_0_SUPPORTED), WASM_3_0_SUPPORTED)).to.throw(/^memory size/);
  });

  it('bounds limits by address type', async () => {
    const check = async (wat: string) => validateModule(decodeModule(await parse(wat), WASM_3_0_SUPPORTED), WASM_3_0_SUPPORTED);
    await check('(module (memory i64 0x1_0000_0000_0000))');
    await check('(module (table i64 0x1_0000_0000 funcref))');
    let message = '';
    try { await check('(module (memory i64 0x1_0000_0000_0001))'); } catch (e) { message = (e as Error).message; }
    expect(message).to.match(/^memory size/);
  });

  it('links a memory or table only to an import of the same address type', async () => {
    const m = decodeModule(await parse('(module (import "m" "mem" (memory i64 1)) (import "m" "tab" (table 1 funcref)))'), WASM_3_0_SUPPORTED);
    const mem32 = MemoryInst.create({ limits: { min: 1, max: null } });
    const mem64 = MemoryInst.create({ limits: { min: 1, max: null }, addrType: I64 });
    const tab64 = TableInst.create({ elem: FUNCREF, limits: { min: 1, max: null }, addrType: I64 });
    const tab32 = TableInst.create({ elem: FUNCREF, limits: { min: 1, max: null } });
    const link = (mem: MemoryInst, tab: TableInst) => resolveImports(m, (_, n) => (n === 'mem' ? { kind: 'memory', value: mem } : { kind: 'table', value: tab }));
    expect(() => link(mem32, tab32)).to.throw(/incompatible import type.*i64 memory/);
    expect(() => link(mem64, tab64)).to.throw(/incompatible import type.*i32 table/);
    expect(link(mem64, tab32)).to.have.length(2);
  });

  it('a 64-bit memory grows within its type, and by -1 past what the host can allocate', () => {
    const mem = MemoryInst.create({ limits: { min: 1, max: null }, addrType: I64 });
    expect(mem.grow(2 ** 40)).to.equal(-1);
    expect(mem.grow(1)).to.equal(1);
    expect(mem.size()).to.equal(2);
  });

  it('shows the address type in the component model\'s view of a core module', async () => {
    const t = moduleType(decodeModule(await parse('(module (memory (export "m") i64 1) (table (export "t") i64 1 funcref))'), WASM_3_0_SUPPORTED));
    const m = t.exports.get('m')!, tab = t.exports.get('t')!;
    expect(m.kind === 'memory' && m.type.memory64).to.equal(true);
    expect(tab.kind === 'table' && tab.type.table64).to.equal(true);
  });
});
