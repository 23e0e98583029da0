// Typed function references, tail calls and extended constant expressions
// (WebAssembly 3.0) on the interpreter: the type encoding and subtyping of
// reftypes.ts, the validator's rules (non-nullable locals and their
// initialisation, typed tables), the instructions' traps, tail calls in
// constant frame space, and linking of typed imports across modules.

import { expect } from 'chai';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { decodeModule } from '../src/core/binary/decode.js';
import { validateModule } from '../src/core/valid/validate.js';
import { TrapMessage } from '../src/core/errors.js';
import { instantiateModule, invoke } from '../src/core/exec/index.js';
import type { ExternVal, ModuleInstance } from '../src/core/runtime/instance.js';
import { resolveImports } from '../src/core/runtime/link.js';
import { WASM_2_0, WASM_3_0_SUPPORTED } from '../src/core/syntax/feature-set.js';
import { EXTERNREF, FUNCREF, I32, valTypeName } from '../src/core/syntax/types.js';
import {
  HT, concreteHeap, heapOf, isDefaultable, isNullable, matchesValType, refType, typeIndexOf,
} from '../src/core/syntax/reftypes.js';
import { NativeEngine, hostFeatures } from '../src/core/native/index.js';
import { featureFromCompileError } from '../src/core/native/features.js';
import { decodeError, exported, func, trapOf, validationError } from './support/core.js';

async function module3(wat: string) {
  const m = decodeModule(await parse(wat), WASM_3_0_SUPPORTED);
  validateModule(m, WASM_3_0_SUPPORTED);
  return m;
}

async function instance(wat: string, imports: ExternVal[] = []): Promise<ModuleInstance> {
  return instantiateModule(await module3(wat), imports);
}

const MUTUAL_TAIL_CALLS = `(module
  (func $even (export "even") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 1)) (else (return_call $odd (i32.sub (local.get 0) (i32.const 1))))))
  (func $odd (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0)) (else (return_call $even (i32.sub (local.get 0) (i32.const 1)))))))`;

describe('reference types: encoding and subtyping (reftypes.ts)', () => {
  it('keeps the 2.0 shorthands as their bytes and marks non-nullable ones by a bit', () => {
    expect(refType(HT.func, true)).to.equal(FUNCREF);
    expect(refType(HT.extern, true)).to.equal(EXTERNREF);
    const t = refType(concreteHeap(7), false);
    expect(isNullable(t)).to.equal(false);
    expect(typeIndexOf(heapOf(t))).to.equal(7);
    expect(valTypeName(t)).to.equal('(ref 7)');
    expect(valTypeName(refType(HT.none, true))).to.equal('nullref');
    expect(isDefaultable(t)).to.equal(false);
    expect(isDefaultable(refType(concreteHeap(7), true))).to.equal(true);
    expect(isDefaultable(I32)).to.equal(true);
  });

  it('matches along the hierarchies: (ref $t) <: (ref func) <: funcref, nofunc below every function type', () => {
    const types = [{ params: [], results: [] }, { params: [I32], results: [] }];
    const t0 = refType(concreteHeap(0), false), t1 = refType(concreteHeap(1), false);
    expect(matchesValType(t0, refType(HT.func, false), types)).to.equal(true);
    expect(matchesValType(refType(HT.func, false), FUNCREF, types)).to.equal(true);
    expect(matchesValType(FUNCREF, refType(HT.func, false), types)).to.equal(false);
    expect(matchesValType(refType(HT.nofunc, true), refType(concreteHeap(1), true), types)).to.equal(true);
    expect(matchesValType(t0, t1, types)).to.equal(false);
    expect(matchesValType(t0, EXTERNREF, types)).to.equal(false);
    expect(matchesValType(refType(HT.i31, false), refType(HT.eq, true), types)).to.equal(true);
    expect(matchesValType(refType(HT.none, true), EXTERNREF, types)).to.equal(false);
  });

  it('equates structurally equal types, also across modules whose type indices differ', () => {
    const a = [{ params: [], results: [] }, { params: [refType(concreteHeap(0), false)], results: [] }];
    const b = [{ params: [I32], results: [] }, { params: [], results: [] }, { params: [refType(concreteHeap(1), false)], results: [] }];
    expect(matchesValType(refType(concreteHeap(1), false), refType(concreteHeap(2), false), a, b)).to.equal(true);
    expect(matchesValType(refType(concreteHeap(0), false), refType(concreteHeap(0), false), a, b)).to.equal(false);
  });
});

describe('typed function references: decoding and validation', () => {
  it('refuses their encodings under WebAssembly 2.0', async () => {
    const bytes = await parse('(module (type $t (func)) (func (param (ref null $t))))');
    expect(decodeError(() => decodeModule(bytes, WASM_2_0))).to.equal('malformed value type');
    expect(() => decodeModule(bytes, WASM_3_0_SUPPORTED)).not.to.throw();
  });

  it('requires a non-nullable local to be set before it is read, within the block that set it', async () => {
    await module3('(module (type $t (func)) (func $f) (elem declare func $f) (func (local (ref $t)) (local.set 0 (ref.func $f)) (drop (local.get 0))))');
    const inBlock = await parse(
      '(module (type $t (func)) (func $f) (elem declare func $f) (func (local (ref $t)) (block (local.set 0 (ref.func $f))) (drop (local.get 0))))');
    const m = decodeModule(inBlock, WASM_3_0_SUPPORTED);
    expect(validationError(() => validateModule(m, WASM_3_0_SUPPORTED))).to.equal('uninitialized local');
  });

  it('needs an initialiser for a table of non-nullable references, and takes a subtype where a supertype is expected', async () => {
    const m = decodeModule(await parse('(module (type $t (func)) (table 1 (ref $t)))'), WASM_3_0_SUPPORTED);
    expect(validationError(() => validateModule(m, WASM_3_0_SUPPORTED))).to.match(/^type mismatch/);
    await module3('(module (type $t (func)) (func $f (type $t)) (table 2 (ref $t) (ref.func $f)) (func (result funcref) (table.get 0 (i32.const 0))))');
  });

  it('types br_on_non_null by its label and ref.func by its function type', async () => {
    await module3(`(module (type $t (func (result i32))) (func $f (type $t) (i32.const 1)) (elem declare func $f)
      (func (result (ref $t)) (block $l (result (ref $t)) (br_on_non_null $l (ref.func $f)) (unreachable))))`);
    const bad = decodeModule(await parse(`(module (type $t (func)) (type $u (func (param i32)))
      (func $f (type $t)) (elem declare func $f) (func (result (ref $u)) (ref.func $f)))`), WASM_3_0_SUPPORTED);
    expect(validationError(() => validateModule(bad, WASM_3_0_SUPPORTED))).to.match(/^type mismatch/);
  });
});

describe('typed function references: execution', () => {
  const wat = `(module
    (type $ii (func (param i32) (result i32)))
    (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
    (elem declare func $inc)
    (table $t 3 (ref null $ii) (ref.func $inc))
    (func (export "call") (param i32) (result i32) (call_ref $ii (local.get 0) (ref.func $inc)))
    (func (export "call-null") (result i32) (call_ref $ii (i32.const 0) (ref.null $ii)))
    (func (export "as-non-null") (drop (ref.as_non_null (ref.null func))))
    (func (export "on-null") (param funcref) (result i32)
      (block $null (drop (br_on_null $null (local.get 0))) (return (i32.const 1)))
      (i32.const 0))
    (func (export "table") (result i32) (call_ref $ii (i32.const 41) (table.get $t (i32.const 2)))))`;

  it('calls through a reference, and traps on null in the suite\'s words', async () => {
    const inst = await instance(wat);
    expect(invoke(func(inst, 'call'), [4])).to.deep.equal([5]);
    expect(trapOf(() => invoke(func(inst, 'call-null'), [])).message).to.equal(TrapMessage.nullFunctionReference);
    expect(trapOf(() => invoke(func(inst, 'as-non-null'), [])).message).to.equal(TrapMessage.nullReference);
  });

  it('branches on null, and fills a table from its initialiser', async () => {
    const inst = await instance(wat);
    expect(invoke(func(inst, 'on-null'), [null])).to.deep.equal([0]);
    expect(invoke(func(inst, 'on-null'), [func(inst, 'call')])).to.deep.equal([1]);
    expect(invoke(func(inst, 'table'), [])).to.deep.equal([42]);
    expect(exported(await instance(`${wat.slice(0, -1)} (export "t" (table $t)))`), 't', 'table').size()).to.equal(3);
  });

  it('links a typed global import against a module whose type indices differ', async () => {
    const a = await instance(`(module (type (func (param i32))) (type $t (func)) (func $f (type $t)) (elem declare func $f)
      (global (export "g") (ref $t) (ref.func $f)))`);
    const b = await module3('(module (type $t (func)) (global (import "a" "g") (ref null $t)))');
    const c = await module3('(module (type $t (func (param i32))) (global (import "a" "g") (ref null $t)))');
    const resolve = (_m: string, n: string) => a.exports.get(n);
    expect(() => resolveImports(b, resolve)).not.to.throw();
    expect(() => resolveImports(c, resolve)).to.throw(/incompatible import type/);
  });
});

describe('tail calls: constant frame space', () => {
  it('makes a million mutual tail calls without exhausting the call stack', async () => {
    const inst = await instance(MUTUAL_TAIL_CALLS);
    expect(invoke(func(inst, 'even'), [1_000_000])).to.deep.equal([1]);
    expect(invoke(func(inst, 'even'), [1_000_001])).to.deep.equal([0]);
  });

  it('does the same through return_call_indirect and return_call_ref, where a plain call exhausts the stack', async () => {
    const inst = await instance(`(module
      (type $t (func (param i32 i64) (result i64)))
      (table 1 funcref) (elem (i32.const 0) $count) (elem declare func $back)
      (func $count (type $t)
        (if (result i64) (i32.eqz (local.get 0)) (then (local.get 1))
          (else (return_call_ref $t (i32.sub (local.get 0) (i32.const 1)) (i64.add (local.get 1) (i64.const 1)) (ref.func $back)))))
      (func $back (type $t)
        (return_call_indirect (type $t) (local.get 0) (local.get 1) (i32.const 0)))
      (func $plain (export "plain") (param i32) (result i32)
        (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0)) (else (call $plain (i32.sub (local.get 0) (i32.const 1))))))
      (func (export "count") (param i32) (result i64) (return_call $count (local.get 0) (i64.const 0))))`);
    expect(invoke(func(inst, 'count'), [1_000_000])).to.deep.equal([1_000_000n]);
    expect(trapOf(() => invoke(func(inst, 'plain'), [1_000_000])).message).to.equal(TrapMessage.callStackExhausted);
  });
});

describe('extended constant expressions', () => {
  it('evaluates add, sub and mul over globals defined before', async () => {
    const inst = await instance(`(module
      (global $a i32 (i32.const 6))
      (global $b i64 (i64.const 10))
      (global (export "x") i32 (i32.mul (i32.sub (global.get $a) (i32.const 1)) (i32.add (global.get $a) (i32.const 1))))
      (global (export "y") i64 (i64.sub (i64.mul (global.get $b) (global.get $b)) (i64.const 1))))`);
    expect(exported(inst, 'x', 'global').value).to.equal(35);
    expect(exported(inst, 'y', 'global').value).to.equal(99n);
  });

  it('is refused under WebAssembly 2.0, and so is a global read before its definition', async () => {
    const m = decodeModule(await parse('(module (global i32 (i32.add (i32.const 1) (i32.const 2))))'), WASM_2_0);
    expect(validationError(() => validateModule(m, WASM_2_0))).to.equal('constant expression required');
    const later = decodeModule(await parse('(module (global i32 (global.get 1)) (global i32 (i32.const 0)))'), WASM_3_0_SUPPORTED);
    expect(validationError(() => validateModule(later, WASM_3_0_SUPPORTED))).to.equal('unknown global 1');
  });
});

describe('the native engine and these features', () => {
  it('has tail calls and (through V8\'s flag on Node 20) extended constants, and runs them as the interpreter does', async () => {
    expect(hostFeatures()['tail-call']).to.equal(true);
    expect(hostFeatures()['extended-const']).to.equal(true);
    const bytes = await parse(MUTUAL_TAIL_CALLS);
    const inst = await new NativeEngine().instantiate(decodeModule(bytes, WASM_3_0_SUPPORTED), bytes, []);
    expect(func(inst, 'even').call([1_000_001])).to.deep.equal([0]);
  });

  it('names typed function references when V8 11.3 reads 3.0\'s (ref ht) as its stringref draft', () => {
    expect(featureFromCompileError("WebAssembly.Module(): invalid value type 'stringref', enable with --experimental-wasm-stringref @+13"))
      .to.equal('function-references');
    expect(featureFromCompileError('invalid opcode, enable with --experimental-wasm-gc')).to.equal('gc');
  });
});
