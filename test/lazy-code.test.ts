// Lazy function bodies (core/binary/lazy-func.ts, core/valid/early.ts,
// core/exec/prepare.ts): a module keeps its bodies as byte ranges, decoding
// and validation read each body once without keeping its tree, refusals come
// in the same order as from a module validated on its own, and the
// interpreter prepares a function on its first call.

import { expect } from 'chai';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { decodeModule } from '../src/core/binary/decode.js';
import { LazyFunc } from '../src/core/binary/lazy-func.js';
import { earlyBodyCheck, validateModule } from '../src/core/valid/validate.js';
import { DecodeError, ValidationError } from '../src/core/errors.js';
import { Interpreter } from '../src/core/exec/index.js';
import { prepareModule } from '../src/core/exec/prepare.js';
import { codeFeatures } from '../src/core/syntax/features.js';
import { WASM_3_0_SUPPORTED } from '../src/core/syntax/feature-set.js';
import { Component, Engine } from '../src/index.js';

const wasm = async (wat: string): Promise<Uint8Array> => parse(wat);
const kept = (f: unknown): unknown => (f as { kept: unknown }).kept;

/** The error decoding and validating `bytes` ends in (with or without the early body check), or null. */
function verdict(bytes: Uint8Array, early: boolean): string | null {
  try {
    validateModule(decodeModule(bytes, WASM_3_0_SUPPORTED, early ? earlyBodyCheck() : undefined), WASM_3_0_SUPPORTED);
    return null;
  } catch (e) {
    if (e instanceof DecodeError) return `malformed: ${e.message}`;
    if (e instanceof ValidationError) return `invalid: ${e.message} @${e.offset}`;
    throw e;
  }
}

describe('lazy function bodies', () => {
  it('keep no decoded tree after decoding and validation', async () => {
    const m = decodeModule(await wasm('(module (func (result i32) (i32.const 1)) (func (param i32) (local f64) (local.get 0) (drop)))'), WASM_3_0_SUPPORTED, earlyBodyCheck());
    validateModule(m, WASM_3_0_SUPPORTED);
    expect(m.funcs.every((f) => f instanceof LazyFunc)).to.equal(true);
    expect(m.funcs.map(kept)).to.deep.equal([null, null]);
    // Reading `body` (tools, tests) decodes it on demand.
    expect(m.funcs[1]!.locals).to.deep.equal([0x7c]);
    expect(m.funcs[1]!.body.map((i) => i.op)).to.deep.equal([0x20, 0x1a]);
  });

  it('learn what the code uses while decoding it', async () => {
    expect(codeFeatures(decodeModule(await wasm('(module (func (block (result v128) (v128.const i64x2 0 0)) (drop)))'), WASM_3_0_SUPPORTED)))
      .to.deep.equal({ simd: true, exceptions: false, typedRefs: false });
    expect(codeFeatures(decodeModule(await wasm('(module (tag) (func (throw 0)))'), WASM_3_0_SUPPORTED))).to.deep.equal({ simd: false, exceptions: true, typedRefs: false });
    expect(codeFeatures(decodeModule(await wasm('(module (func (local v128)))'), WASM_3_0_SUPPORTED))).to.deep.equal({ simd: true, exceptions: false, typedRefs: false });
    expect(codeFeatures(decodeModule(await wasm('(module (func (i32.const 0) (drop)))'), WASM_3_0_SUPPORTED))).to.deep.equal({ simd: false, exceptions: false, typedRefs: false });
    expect(codeFeatures(decodeModule(await wasm('(module (type $t (func)) (func (local (ref null $t))))'), WASM_3_0_SUPPORTED))).to.deep.equal({ simd: false, exceptions: false, typedRefs: true });
    expect(codeFeatures(decodeModule(await wasm('(module (func (param funcref) (drop (ref.as_non_null (local.get 0)))))'), WASM_3_0_SUPPORTED))).to.deep.equal({ simd: false, exceptions: false, typedRefs: true });
  });

  it('refuse as a module validated on its own does, in the same order', async () => {
    const cases = await Promise.all([
      // an invalid body before a malformed one: malformed wins
      wasm('(module (func (i32.add)) (func))'),
      // an invalid data segment after an invalid body: the segments are checked first
      wasm('(module (memory 1) (func (i32.add)) (data (memory 1) (i32.const 0) "x"))'),
      // an invalid start function after a valid body
      wasm('(module (func (param i32)) (start 0))'),
      // two invalid bodies: the first is reported
      wasm('(module (func (i64.add)) (func (f32.add)))'),
      // an unknown type in the function section: no body context before the code
      wasm('(module (type (func)) (func (type 1) (i32.add)))'),
    ]);
    // Make the second function of the first case malformed: its `end` becomes an illegal opcode.
    const first = cases[0]!;
    first[first.lastIndexOf(0x0b)] = 0xff;
    const verdicts = cases.map((b) => verdict(b, true));
    expect(verdicts).to.deep.equal(cases.map((b) => verdict(b, false)));
    expect(verdicts[0]).to.match(/^malformed/);
    expect(verdicts[1]).to.match(/^invalid: unknown memory 1/);
    expect(verdicts[3]).to.match(/^invalid: type mismatch/);
    expect(verdicts[4]).to.match(/^invalid: unknown type/);
  });

  it('are prepared by the interpreter on their first call only', async () => {
    const bytes = await wasm(`(module
      (func $leaf (result i32) (i32.const 41))
      (func (export "run") (result i32) (i32.add (call $leaf) (i32.const 1)))
      (func (export "never") (result i32) (i32.const 0)))`);
    const m = decodeModule(bytes, WASM_3_0_SUPPORTED, earlyBodyCheck());
    validateModule(m, WASM_3_0_SUPPORTED);
    const inst = await new Interpreter().instantiate(m, bytes, []);
    const codes = prepareModule(m).codes;
    expect(codes.map((c) => c.prepared)).to.deep.equal([false, false, false]);
    const run = inst.exports.get('run');
    if (run?.kind !== 'func') throw new Error('no run');
    expect(run.value.call([])).to.deep.equal([42]);
    expect(codes.map((c) => c.prepared)).to.deep.equal([true, true, false]);
    expect(m.funcs.map(kept)).to.deep.equal([null, null, null]);
  });

  it('store each byte of a serialized component once', async () => {
    const engine = new Engine();
    const data = 'x'.repeat(65536);
    const c = await Component.fromText(engine, `(component (core module (memory 1) (data (i32.const 0) "${data}") (func (export "f"))))`);
    const serialized = c.serialize();
    expect(serialized.length - c.bytes.length).to.be.below(4096);
  });
});
