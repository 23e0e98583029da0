// The native engine's feature gate (src/wast/feature-gate.ts): a module
// that uses a feature outside the script's standard is refused before a
// host of a later standard can accept it; which feature it uses is found
// by cmr's decoder and validator.

import { expect } from 'chai';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { decodeModule } from '../src/core/binary/decode.js';
import { validateModule } from '../src/core/valid/validate.js';
import { DecodeError, ValidationError } from '../src/core/errors.js';
import { WASM_2_0, WASM_3_0_SUPPORTED, type CoreFeatures } from '../src/core/syntax/feature-set.js';
import type { Module } from '../src/core/syntax/ast.js';
import { featureOutside, type Verdict } from '../src/wast/feature-gate.js';

function checker(bytes: Uint8Array): (features: CoreFeatures) => Promise<Verdict> {
  return async (features) => {
    let m: Module;
    try {
      m = decodeModule(bytes, features);
    } catch (e) {
      if (e instanceof DecodeError) return { ok: false, stage: 'decode', message: e.message };
      throw e;
    }
    try {
      validateModule(m, features);
      return { ok: true };
    } catch (e) {
      if (e instanceof ValidationError) return { ok: false, stage: 'validate', message: e.message, module: m };
      throw e;
    }
  };
}

async function later(wat: string, script: CoreFeatures = WASM_2_0): Promise<string | null> {
  return featureOutside(script, checker(await parse(wat)));
}

describe('the feature gate: modules that use a feature outside the script\'s standard', () => {
  it('names the 3.0 feature that allows a module 2.0 refuses', async () => {
    expect(await later('(module (memory 0) (memory 0))')).to.equal('multi-memory');
    expect(await later('(module (memory i64 1))')).to.equal('memory64');
    expect(await later('(module (table i64 1 funcref))')).to.equal('memory64');
  });

  it('names global.get of a module-defined global in a constant expression', async () => {
    expect(await later('(module (global i32 (i32.const 0)) (global i32 (global.get 0)))')).to.equal('extended constant expressions');
    expect(await later('(module (memory 1) (global i32 (i32.const 0)) (data (global.get 0) "a"))')).to.equal('extended constant expressions');
  });

  it('names none where 3.0 refuses the module too', async () => {
    // A global that reads itself, or a mutable one, is invalid in 3.0 as well.
    expect(await later('(module (global i32 (global.get 0)))')).to.equal(null);
    expect(await later('(module (global (mut i32) (i32.const 0)) (global i32 (global.get 0)))')).to.equal(null);
    expect(await later('(module (func (result i32) (i64.const 0)))')).to.equal(null);
  });

  it('names none for a module the script accepts, or a script already on 3.0', async () => {
    expect(await later('(module (memory 0))')).to.equal(null);
    expect(await later('(module (memory 0) (memory 0) (func (result i32) (i64.const 0)))', WASM_3_0_SUPPORTED)).to.equal(null);
  });
});
