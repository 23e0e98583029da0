// The native verdict on a module only the script's standard refuses: a
// host of WebAssembly 3.0 rightly accepts it, which is a skip with that
// reason (src/wast/later-standard.ts), never a failure.

import { expect } from 'chai';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { decodeModule } from '../src/core/binary/decode.js';
import { validateModule } from '../src/core/valid/validate.js';
import { DecodeError, ValidationError } from '../src/core/errors.js';
import { WASM_2_0, WASM_3_0_SUPPORTED, type CoreFeatures } from '../src/core/syntax/feature-set.js';
import type { Module } from '../src/core/syntax/ast.js';
import { allowedByLaterStandard, type Verdict } from '../src/wast/later-standard.js';

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
  return allowedByLaterStandard(script, checker(await parse(wat)));
}

describe('verdicts under a later standard than the script', () => {
  it('names the 3.0 feature that allows a module 2.0 refuses', async () => {
    expect(await later('(module (memory 0) (memory 0))')).to.match(/WebAssembly 3\.0 \(multi-memory\).*"multiple memories"/);
  });

  it('names global.get of a module-defined global in a constant expression', async () => {
    expect(await later('(module (global i32 (i32.const 0)) (global i32 (global.get 0)))')).to.match(/extended constant expressions.*"unknown global 0"/);
    expect(await later('(module (memory 1) (global i32 (i32.const 0)) (data (global.get 0) "a"))')).to.match(/extended constant expressions/);
  });

  it('gives no reason where 3.0 refuses the module too', async () => {
    // A global that reads itself, or a mutable one, is invalid in 3.0 as well.
    expect(await later('(module (global i32 (global.get 0)))')).to.equal(null);
    expect(await later('(module (global (mut i32) (i32.const 0)) (global i32 (global.get 0)))')).to.equal(null);
    expect(await later('(module (func (result i32) (i64.const 0)))')).to.equal(null);
  });

  it('gives no reason for a module the script accepts, or a script already on 3.0', async () => {
    expect(await later('(module (memory 0))')).to.equal(null);
    expect(await later('(module (memory 0) (memory 0) (func (result i32) (i64.const 0)))', WASM_3_0_SUPPORTED)).to.equal(null);
  });
});
