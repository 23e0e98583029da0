import { expect } from 'chai';
import fc from 'fast-check';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { decodeModule } from '../src/core/binary/decode.js';
import { ValidationError } from '../src/core/errors.js';
import { moduleExternTypes, validateConstExpr, validateModule } from '../src/core/valid/validate.js';
import { Instr } from '../src/core/syntax/ast.js';
import { Op } from '../src/core/syntax/opcodes.js';
import { F32, I32, I64 } from '../src/core/syntax/types.js';
import { fuzzBudget, isInternalError } from './support/fuzz.js';

async function check(text: string): Promise<void> {
  validateModule(decodeModule(await parse(text)));
}

async function invalid(text: string): Promise<string> {
  try {
    await check(text);
  } catch (e) {
    if (e instanceof ValidationError) return e.message;
    throw e;
  }
  throw new Error(`expected a ValidationError for ${text}`);
}

describe('core validator', () => {
  it('accepts valid code: multi-value blocks, unreachable code, references, bulk memory, SIMD', async () => {
    await check(`(module
      (type $pair (func (param i32) (result i32 i64)))
      (table $t 2 funcref) (table $e 1 externref)
      (memory 1)
      (global $g (mut i32) (i32.const 0))
      (elem declare func $f)
      (data $d "abc")
      (func $f (param i32) (result i32 i64)
        (local.get 0)
        (block $b (type $pair) (i64.const 2)))
      (func (result i32)
        (unreachable) (i32.add) (select) (br_table 0 0))
      (func (result f32)
        (block (result f32) (f32.const 1) (br 0)) (return) (i32.const 0) (drop))
      (func (param externref) (result i32)
        (table.set $e (i32.const 0) (local.get 0))
        (drop (table.grow $t (ref.func $f) (i32.const 1)))
        (memory.init $d (i32.const 0) (i32.const 0) (i32.const 1))
        (data.drop $d)
        (global.set $g (i32.const 1))
        (ref.is_null (local.get 0)))
      (func (result v128)
        (v128.load32_lane 3 (i32.const 0)
          (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31 (v128.const i64x2 0 0) (v128.const i64x2 0 0)))
        (f64x2.replace_lane 1 (f64.const 1))))`);
  });

  const cases: [string, string][] = [
    ['(module (func (result i32) (i64.const 0)))', 'type mismatch'],
    ['(module (func (i32.const 0)))', 'type mismatch'],
    ['(module (func (local.get 1)))', 'unknown local 1'],
    ['(module (func (call 3)))', 'unknown function 3'],
    ['(module (func (global.get 0) (drop)))', 'unknown global 0'],
    ['(module (global i32 (i32.const 0)) (func (global.set 0 (i32.const 1))))', 'global is immutable'],
    ['(module (func (br 1)))', 'unknown label 1'],
    ['(module (func (drop (i32.load (i32.const 0)))))', 'unknown memory 0'],
    ['(module (memory 1) (func (drop (i32.load align=8 (i32.const 0)))))', 'alignment must not be larger than natural'],
    ['(module (func (drop (table.size 0))))', 'unknown table 0'],
    ['(module (memory 1) (func (data.drop 0)))', 'unknown data segment 0'],
    ['(module (func (elem.drop 0)))', 'unknown elem segment 0'],
    ['(module (func (block (type 5))))', 'unknown type 5'],
    ['(module (func $f) (func (drop (ref.func $f))))', 'undeclared function reference'],
    ['(module (func (drop (select (i32.const 0) (i64.const 0) (i32.const 1)))))', 'type mismatch'],
    ['(module (func (param funcref) (drop (select (local.get 0) (local.get 0) (i32.const 1)))))', 'type mismatch'],
    ['(module (func (result i32) (select (result i32 i32) (i32.const 0) (i32.const 0) (i32.const 0))))', 'invalid result arity'],
    ['(module (func (drop (i8x16.extract_lane_s 16 (v128.const i64x2 0 0)))))', 'invalid lane index'],
    ['(module (func (drop (i8x16.shuffle 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 32 (v128.const i64x2 0 0) (v128.const i64x2 0 0)))))', 'invalid lane index'],
    ['(module (memory 1) (func (drop (v128.load64_lane 2 (i32.const 0) (v128.const i64x2 0 0)))))', 'invalid lane index'],
    ['(module (func (result i32) (if (result i32) (i32.const 1) (then (i32.const 0)))))', 'type mismatch'],
    ['(module (func (result i32) (block (result i32) (br_table 0 1 (i32.const 0)))))', 'type mismatch'],
    ['(module (global i32 (i32.add (i32.const 0) (i32.const 1))))', 'constant expression required'],
    ['(module (global $g (mut i32) (i32.const 0)) (global i32 (global.get $g)))', 'unknown global 0'],
    ['(module (import "a" "b" (global (mut i32))) (global i32 (global.get 0)))', 'constant expression required'],
    ['(module (global i64 (i32.const 0)))', 'type mismatch'],
    ['(module (memory 65537))', 'memory size must be at most 65536 pages (4GiB)'],
    ['(module (memory 2 1))', 'size minimum must not be greater than maximum'],
    ['(module (memory 1) (memory 1))', 'multiple memories'],
    ['(module (func) (export "a" (func 0)) (export "a" (func 0)))', 'duplicate export name'],
    ['(module (export "a" (func 0)))', 'unknown function 0'],
    ['(module (func (param i32)) (start 0))', 'start function'],
    ['(module (table 1 externref) (elem (i32.const 0) funcref))', 'type mismatch'],
    ['(module (table 1 funcref) (func (table.init 0 0 (i32.const 0) (i32.const 0) (i32.const 0))))', 'unknown elem segment 0'],
    ['(module (data (i32.const 0) ""))', 'unknown memory 0'],
  ];
  for (const [text, message] of cases) {
    it(`rejects ${text} with "${message}"`, async () => {
      expect(await invalid(text)).to.satisfy((m: string) => m.startsWith(message));
    });
  }

  it('reports an unknown operand as type mismatch after a polymorphic stack only when the types clash', async () => {
    await check('(module (func (result i32) (unreachable) (i32.eqz)))');
    expect(await invalid('(module (func (result i32) (unreachable) (i64.eqz) (i64.eqz)))')).to.match(/^type mismatch/);
  });

  it('validates deeply nested code and finds a fault at the bottom', async function () {
    this.timeout(30_000); // bounded work; a loaded 2-core machine may need more than mocha's 2 s
    const depth = 50000;
    const ok = `(module (func ${'(block '.repeat(depth)}${')'.repeat(depth)}))`;
    await check(ok);
    const bad = `(module (func ${'(block '.repeat(depth)}(i32.const 0)${')'.repeat(depth)}))`;
    expect(await invalid(bad)).to.match(/^type mismatch/);
  });

  it('checks constant expressions on their own', async () => {
    const m = decodeModule(await parse('(module (import "a" "g" (global i64)) (global (mut f32) (f32.const 0)))'));
    const get = (x: number) => Object.assign(new Instr(Op.global_get), { a: x });
    validateConstExpr(m, [get(0)], I64);
    expect(() => validateConstExpr(m, [get(1)], F32)).to.throw(ValidationError, 'unknown global 1');
    expect(() => validateConstExpr(m, [get(0)], I32)).to.throw(ValidationError, 'type mismatch');
    expect(() => validateConstExpr(m, [new Instr(Op.nop)], I32)).to.throw(ValidationError, 'constant expression required');
  });

  it('gives the external types of imports and exports', async () => {
    const m = decodeModule(await parse(`(module
      (import "env" "f" (func (param i32) (result i64)))
      (import "env" "m" (memory 1 2))
      (global (export "g") (mut f32) (f32.const 0))
      (table (export "t") 3 externref)
      (export "f" (func 0)))`));
    const types = moduleExternTypes(m);
    expect(types.imports).to.deep.equal([
      { module: 'env', name: 'f', type: { kind: 'func', type: { params: [I32], results: [I64] } } },
      { module: 'env', name: 'm', type: { kind: 'memory', type: { limits: { min: 1, max: 2 } } } },
    ]);
    expect(types.exports.map(e => [e.name, e.type.kind])).to.deep.equal([['g', 'global'], ['t', 'table'], ['f', 'func']]);
    expect(types.exports[0]!.type).to.deep.equal({ kind: 'global', type: { type: F32, mutable: true } });
  });

  it('never throws anything but DecodeError or ValidationError on random instruction sequences', async () => {
    const base = decodeModule(await parse(`(module (type (func (param i32) (result i32))) (table 1 funcref) (memory 1)
      (global (mut i32) (i32.const 0)) (elem declare func 0) (data "")
      (func (type 0) (local i32) (local.get 0)))`));
    // Plausible opcodes, with immediates that are sometimes in range and sometimes not.
    const plain = [0x00, 0x01, 0x0f, 0x1a, 0x1b, 0x45, 0x50, 0x6a, 0x7c, 0x92, 0xa0, 0xa7, 0xd1];
    const withImmediates: number[][] = [[0x20, 0], [0x21, 0], [0x23, 0], [0x24, 0], [0x0c, 0], [0x0d, 1], [0x41, 1],
      [0x42, 1], [0x28, 2, 0], [0x36, 2, 0], [0x25, 0], [0xd0, 0x70], [0xd2, 0], [0xfd, 0x0f], [0xfd, 0x15, 3],
      [0x11, 0, 0], [0x0e, 1, 0, 1], [0x02, 0x40], [0x03, 0x7f], [0x04, 0x40], [0x05], [0x0b], [0xfc, 0x08, 0, 0],
      [0xfc, 0x10, 0]];
    const instr = fc.oneof(fc.constantFrom(...plain).map(o => [o]), fc.constantFrom(...withImmediates));
    fc.assert(
      fc.property(fc.array(instr, { maxLength: 30 }), body => {
        try {
          base.funcs[0]!.body = decodeBody(body.flat());
          validateModule(base);
        } catch (e) {
          if (isInternalError(e) || (!(e instanceof ValidationError) && (e as Error).name !== 'DecodeError')) throw e;
        }
      }),
      fuzzBudget(2000),
    );
  });
});

/** Decodes raw body bytes (without locals) by wrapping them in a minimal module. */
function decodeBody(body: number[]) {
  const code = [0x00, ...body, 0x0b];
  const leb = (n: number) => { const o: number[] = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; o.push(b); } while (n); return o; };
  const mod = Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    0x03, 0x02, 0x01, 0x00,
    0x0c, 0x01, 0x01,
    0x0a, ...leb(code.length + 1 + leb(code.length).length), 0x01, ...leb(code.length), ...code,
    0x0b, 0x03, 0x01, 0x01, 0x00,
  ]);
  return decodeModule(mod).funcs[0]!.body;
}
