import { expect } from 'chai';
import fc from 'fast-check';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { decodeModule } from '../src/core/binary/decode.js';
import { Reader } from '../src/core/binary/reader.js';
import { DecodeError } from '../src/core/errors.js';
import { validateModule } from '../src/core/valid/validate.js';
import { Op } from '../src/core/syntax/opcodes.js';
import { funcCode, memOffset } from '../src/core/syntax/ast.js';
import { SimdOp, simdOpNames } from '../src/core/syntax/opcodes-simd.js';
import { WASM_3_0_SUPPORTED } from '../src/core/syntax/feature-set.js';
import { F32, FUNCREF, I32, I64, V128 } from '../src/core/syntax/types.js';
import { fuzzBudget, isInternalError } from './support/fuzz.js';
import { leb } from './support/binary.js';

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

function bytes(...parts: (number | number[] | string)[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === 'number') out.push(p);
    else if (typeof p === 'string') for (const b of new TextEncoder().encode(p)) out.push(b);
    else for (const b of p) out.push(b); // not push(...p): bodies can be 300000 bytes
  }
  return Uint8Array.from(out);
}

function section(id: number, ...content: (number | number[] | string)[]): number[] {
  const body = Array.from(bytes(...content));
  return Array.from(bytes(id, leb(body.length), body));
}

/** A module of one function of type [] -> [] with the given body bytes (ending in `end`). */
function moduleWithBody(body: number[]): Uint8Array {
  const code = Array.from(bytes(0x00, body)); // no locals
  return bytes(
    HEADER,
    section(1, 1, 0x60, 0, 0),
    section(3, 1, 0),
    section(10, 1, leb(code.length), code),
  );
}

function decodeError(b: Uint8Array): DecodeError {
  try {
    decodeModule(b);
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw e;
  }
  throw new Error('expected a DecodeError, but the module decoded');
}

/** Decoding (and validating what decodes) must end in a value or one of our errors, never another exception. */
function decodeAndValidateSafely(b: Uint8Array): void {
  try {
    validateModule(decodeModule(b));
  } catch (e) {
    const name = (e as Error).name;
    if (isInternalError(e) || (name !== 'DecodeError' && name !== 'ValidationError')) throw e;
  }
}

describe('core binary reader', () => {
  const r = (...b: number[]) => new Reader(Uint8Array.from(b));

  it('reads LEB128 at the limits of each width', () => {
    expect(r(0xff, 0xff, 0xff, 0xff, 0x0f).u32()).to.equal(0xffffffff);
    expect(r(0x80, 0x80, 0x80, 0x80, 0x78).s32()).to.equal(-(2 ** 31));
    expect(r(0xff, 0xff, 0xff, 0xff, 0x07).s32()).to.equal(2 ** 31 - 1);
    expect(r(0x7f).s32()).to.equal(-1);
    expect(r(0x80, 0x80, 0x80, 0x80, 0x70).s33()).to.equal(-(2 ** 32));
    expect(r(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f).s64()).to.equal(-(2n ** 63n));
    expect(r(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00).s64()).to.equal(2n ** 63n - 1n);
    expect(r(0xc0, 0xbb, 0x78).s64()).to.equal(-123456n);
    expect(r(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01).s64()).to.equal(2n ** 49n);
  });

  it('rejects over-long and over-large LEB128 with the reference messages', () => {
    expect(() => r(0x80, 0x80, 0x80, 0x80, 0x80, 0x00).u32()).to.throw(DecodeError, 'integer representation too long');
    expect(() => r(0x80, 0x80, 0x80, 0x80, 0x10).u32()).to.throw(DecodeError, 'integer too large');
    expect(() => r(0x80, 0x80, 0x80, 0x80, 0x40).s32()).to.throw(DecodeError, 'integer too large');
    expect(() => r(...Array(10).fill(0xff), 0x01).s64()).to.throw(DecodeError, 'integer representation too long');
    expect(() => r(...Array(9).fill(0xff), 0x01).s64()).to.throw(DecodeError, 'integer too large');
    expect(() => r(...Array(1000).fill(0x80)).u32()).to.throw(DecodeError, 'integer representation too long');
    expect(() => r(0x80).u32()).to.throw(DecodeError, 'unexpected end');
  });

  it('bounds lengths by the bytes left before allocating', () => {
    expect(() => r(0xff, 0xff, 0xff, 0xff, 0x0f).vec(x => x.u8())).to.throw(DecodeError, 'length out of bounds');
    expect(() => r(0x05, 0x61).name()).to.throw(DecodeError, 'length out of bounds');
  });

  it('validates UTF-8 in names and keeps a leading BOM', () => {
    expect(r(3, 0xef, 0xbb, 0xbf).name()).to.equal('\ufeff');
    expect(() => r(2, 0xc0, 0x80).name()).to.throw(DecodeError, 'malformed UTF-8 encoding');
    expect(() => r(3, 0xed, 0xa0, 0x80).name()).to.throw(DecodeError, 'malformed UTF-8 encoding');
    expect(() => r(1, 0xff).name()).to.throw(DecodeError, 'malformed UTF-8 encoding');
  });
});

describe('core binary decoder', () => {
  it('decodes the sections of a module into the AST', async () => {
    const b = await parse(`(module
      (type $t (func (param i32 i64) (result i32)))
      (import "m" "f" (func $imp (type $t)))
      (import "m" "g" (global $g (mut i64)))
      (table 2 10 funcref)
      (memory 1 2)
      (global $h i32 (i32.const -7))
      (func $f (export "f") (type $t) (local f32 f32 v128)
        (block (result i32)
          (if (result i32) (local.get 0)
            (then (i32.const 1))
            (else (br_table 0 1 0 (i32.const 2) (i32.const 3)))))
        (drop)
        (i64.store offset=8 align=4 (i32.const 0) (i64.const -123456789012))
        (drop (f32.const 1.5))
        (drop (v128.const i32x4 1 2 3 4))
        (drop (i8x16.extract_lane_u 15 (v128.const i64x2 0 0)))
        (i32.const 0))
      (elem (i32.const 0) func $f $imp)
      (elem declare funcref (ref.null func))
      (data (i32.const 16) "hi")
      (data "passive")
      (start 2))`);
    const m = decodeModule(b);
    expect(m.types).to.deep.equal([{ params: [I32, I64], results: [I32] }]);
    expect(m.imports.map(i => i.desc.kind)).to.deep.equal(['func', 'global']);
    expect(m.tables[0]!.type).to.deep.equal({ elem: FUNCREF, limits: { min: 2, max: 10 } });
    expect(m.mems[0]!.type.limits).to.deep.equal({ min: 1, max: 2 });
    expect(m.globals[0]!.init[0]!.a).to.equal(-7);
    expect(m.exports).to.deep.equal([{ name: 'f', kind: 'func', index: 1 }]);
    expect(m.start).to.equal(2);

    const f = m.funcs[0]!;
    expect(f.locals).to.deep.equal([F32, F32, V128]);
    expect(b[f.offset]).to.equal(2); // the body starts with two groups of locals
    const [block, drop] = f.body;
    expect(block!.op).to.equal(Op.block);
    expect(block!.bt).to.deep.equal({ kind: 'value', type: I32 });
    const iff = block!.body![1]!;
    expect(iff.op).to.equal(Op.if);
    expect(iff.body!.map(i => i.op)).to.deep.equal([Op.i32_const]);
    const brTable = iff.else_![2]!;
    expect(brTable.op).to.equal(Op.br_table);
    expect(brTable.labels).to.deep.equal([0, 1]);
    expect(brTable.a).to.equal(0);
    expect(drop!.op).to.equal(Op.drop);
    expect(b[drop!.offset]).to.equal(Op.drop);
    expect(f.body[3]!.op).to.equal(Op.i64_const);
    expect(f.body[3]!.i64).to.equal(-123456789012n);
    const store = f.body[4]!;
    expect(store.op).to.equal(Op.i64_store);
    expect([store.a, store.b, store.c]).to.deep.equal([8, 2, 0]);
    expect(f.body[5]!.a).to.equal(0x3fc00000); // f32 1.5 bit pattern
    expect(Array.from(f.body[7]!.bytes!)).to.deep.equal([1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0]);
    const extract = f.body[10]!;
    expect(extract.op).to.equal(SimdOp.i8x16_extract_lane_u);
    expect(extract.c).to.equal(15);
    expect(simdOpNames.get(extract.op)).to.equal('i8x16.extract_lane_u');

    expect(m.elems[0]!.mode.kind).to.equal('active');
    expect(m.elems[0]!.init.map(e => [e[0]!.op, e[0]!.a])).to.deep.equal([[Op.ref_func, 1], [Op.ref_func, 0]]);
    expect(m.elems[1]!.mode.kind).to.equal('declarative');
    expect(m.elems[1]!.init[0]![0]!.op).to.equal(Op.ref_null);
    expect(new TextDecoder().decode(m.datas[0]!.init)).to.equal('hi');
    expect(m.datas[1]!.mode.kind).to.equal('passive');
  });

  it('parses the name section and ignores a malformed one', async () => {
    const m = decodeModule(await parse('(module $mod (func $fn (param $p i32) (local $l i64)))'));
    expect(m.names?.module).to.equal('mod');
    expect(m.names?.funcs.get(0)).to.equal('fn');
    expect(m.names?.locals.get(0)?.get(1)).to.equal('l');
    expect(m.customs.map(c => c.name)).to.include('name');

    const broken = bytes(HEADER, section(0, 4, 'name', 1, 0x05, 0xff));
    const m2 = decodeModule(broken);
    expect(m2.names).to.equal(null);
    expect(m2.customs).to.have.length(1);
  });

  it('decodes every SIMD opcode the text format knows', async () => {
    const immediates = (name: string) =>
      /_lane$/.test(name) && name.startsWith('v128') ? ' 0'
        : /_lane(_[su])?$/.test(name) ? ' 0'
          : name === 'v128.const' ? ' i64x2 0 0'
            : name === 'i8x16.shuffle' ? ' 0'.repeat(16) : '';
    const names = [...simdOpNames.values()];
    const b = await parse(`(module (memory 1) (func ${names.map(n => n + immediates(n)).join('\n')}))`);
    const body = decodeModule(b, WASM_3_0_SUPPORTED).funcs[0]!.body; // relaxed SIMD is 3.0
    expect(body.map(i => simdOpNames.get(i.op))).to.deep.equal(names);
  });

  it('reports truncation at every prefix of a module as a DecodeError', async () => {
    const b = await parse(`(module (memory 1) (global i64 (i64.const 99))
      (func (export "f") (param i32) (result i32) (block (loop (br_if 1 (local.get 0)))) (i32.const 5))
      (data (i32.const 0) "abc"))`);
    decodeModule(b);
    // A prefix ending between two sections is a module too; any other is malformed.
    let wellFormed = 0;
    for (let n = 0; n < b.length; n++) {
      try {
        decodeModule(b.subarray(0, n));
        wellFormed++;
      } catch (e) {
        expect(e, `prefix of ${n} bytes`).to.be.instanceOf(DecodeError);
        expect((e as Error).message).to.match(/^(unexpected end|length out of bounds|function and code section)/);
      }
    }
    expect(wellFormed).to.be.lessThan(10);
  });

  it('gives the reference messages for header and section faults', () => {
    expect(decodeError(bytes()).message).to.match(/^unexpected end/);
    expect(decodeError(bytes(0x00, 0x61, 0x73, 0x6d, 2, 0, 0, 0)).message).to.equal('unknown binary version');
    expect(decodeError(bytes('wasm', 1, 0, 0, 0)).message).to.equal('magic header not detected');
    expect(decodeError(bytes(HEADER, 0x0d, 0x00)).message).to.equal('malformed section id');
    expect(decodeError(bytes(HEADER, section(3, 0), section(1, 0))).message).to.equal('unexpected content after last section');
    expect(decodeError(bytes(HEADER, section(1, 1, 0x60, 0, 0), 0x01)).message).to.equal('unexpected content after last section');
    expect(decodeError(bytes(HEADER, section(3, 1, 0))).message).to.equal('function and code section have inconsistent lengths');
    expect(decodeError(moduleWithBody([0x00, 0x0b, 0x0b])).message).to.equal('section size mismatch');
    expect(decodeError(moduleWithBody([0x06, 0x0b])).message).to.match(/^illegal opcode/);
    expect(decodeError(moduleWithBody([0xfd, 0x9a, 0x01, 0x0b])).message).to.match(/^illegal opcode/);
    expect(decodeError(moduleWithBody([0x05, 0x0b])).message).to.equal('END opcode expected');
    expect(decodeError(moduleWithBody([0x3f, 0x01, 0x1a, 0x0b])).message).to.equal('zero byte expected');
    expect(decodeError(moduleWithBody([0x41, 0x00, 0x28, 0x20, 0x00, 0x1a, 0x0b])).message).to.equal('malformed memop flags');
    expect(decodeError(moduleWithBody([0xfc, 0x09, 0x00, 0x0b])).message).to.equal('data count section required');
  });

  it('fails fast on absurd counts and sizes, without allocating them', () => {
    const huge = leb(0xffffffff);
    expect(decodeError(bytes(HEADER, 0x01, huge)).message).to.equal('length out of bounds');
    expect(decodeError(bytes(HEADER, 0x01, 0x06, huge, 0x60)).message).to.equal('length out of bounds');
    expect(decodeError(moduleWithBody([0x0e, ...huge, 0x0b])).message).to.equal('length out of bounds');
    // Locals: counts are not bounded by the bytes that declare them, only by the cap.
    const code = [0x02, ...leb(0x7fffffff), I32, ...leb(0x7fffffff), I64, 0x0b];
    const b = bytes(HEADER, section(1, 1, 0x60, 0, 0), section(3, 1, 0), section(10, 1, leb(code.length), code));
    expect(decodeError(b).message).to.equal('too many locals');
  });

  it('decodes and validates 100000 nested blocks without recursion', function () {
    this.timeout(30_000); // bounded work; a loaded 2-core machine may need more than mocha's 2 s
    const depth = 100000;
    const body = Array.from(bytes(Array(depth).fill([0x02, 0x40]).flat(), Array(depth).fill(0x0b), 0x0b));
    const m = decodeModule(moduleWithBody(body));
    let ins = m.funcs[0]!.body;
    let levels = 0;
    while (ins.length === 1 && ins[0]!.op === Op.block) {
      ins = ins[0]!.body!;
      levels++;
    }
    expect(levels).to.equal(depth);
    validateModule(m);

    // The same nest, unterminated.
    const open = Array.from(bytes(Array(depth).fill([0x02, 0x40]).flat(), 0x0b));
    expect(decodeError(moduleWithBody(open)).message).to.match(/^unexpected end/);
  });

  it('never throws anything but DecodeError or ValidationError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), raw => {
        decodeAndValidateSafely(raw);
        decodeAndValidateSafely(bytes(HEADER, Array.from(raw)));
      }),
      fuzzBudget(3000),
    );
  });

  it('never throws anything but DecodeError or ValidationError on mutated modules', async () => {
    const valid = await parse(`(module
      (type (func (param i32) (result i32)))
      (import "a" "b" (func (type 0)))
      (table 1 funcref) (memory 1) (global (mut i32) (i32.const 0))
      (func (type 0) (local i64 v128)
        (block (result i32) (loop (br_if 1 (i32.const 1) (local.get 0)) (br 0)))
        (memory.fill (i32.const 0) (i32.const 0) (i32.const 0))
        (drop (i32x4.extract_lane 1 (v128.const i32x4 0 0 0 0)))
        (call_indirect (type 0) (i32.const 0) (i32.const 0)))
      (elem (i32.const 0) func 1) (data (i32.const 0) "x"))`);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        fc.nat(valid.length),
        (edits, cut) => {
          const b = valid.slice(0, Math.max(cut, 8));
          for (const [at, v] of edits) if (at < b.length) b[at] = v;
          decodeAndValidateSafely(b);
        },
      ),
      fuzzBudget(5000),
    );
  });

  it('keeps memarg offsets in Instr.a as int32s, read back unsigned by memOffset (offsetImm)', async () => {
    const m = decodeModule(await parse(`(module (memory 1) (memory $w i64 1)
      (func (result i32) (i32.load offset=0x80000000 (i32.const 0)))
      (func (result i32) (i32.load offset=0xffffffff (i32.const 0)))
      (func (result i32) (i32.load $w offset=0x10000000000 (i64.const 0))))`), WASM_3_0_SUPPORTED);
    const load = (f: number) => funcCode(m.funcs[f]!).body[1]!;
    expect(load(0).a).to.equal(-0x80000000);
    expect(memOffset(load(0))).to.equal(0x80000000);
    expect(load(1).a).to.equal(-1);
    expect(memOffset(load(1))).to.equal(0xffffffff);
    // A 64-bit offset of 2^32 or more cannot be an int32: it stays a number.
    expect(memOffset(load(2))).to.equal(2 ** 40);
  });
});
