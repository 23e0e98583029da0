// Exception handling (WebAssembly 3.0, the exnref version) behind the core
// feature switch: the decoder keeps 2.0's rejections with WASM_2_0, and
// with WASM_3_0_SUPPORTED reads tags, throw, throw_ref, try_table and
// exnref; the validator checks catch clauses against their labels; the
// interpreter unwinds its own frames (across instances and through host
// calls) and an uncaught exception reaches the host as a WasmException.
// Also shared-memory limits (threads), as far as validation and linking go.

import { expect } from 'chai';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { decodeModule } from '../src/core/binary/decode.js';
import { validateModule } from '../src/core/valid/validate.js';
import { DecodeError, LinkError, Trap } from '../src/core/errors.js';
import { Interpreter } from '../src/core/exec/index.js';
import { HostFunc } from '../src/core/runtime/func.js';
import type { ExternVal, ModuleInstance } from '../src/core/runtime/instance.js';
import { resolveImports } from '../src/core/runtime/link.js';
import { Exn, TagInst, WasmException } from '../src/core/runtime/tag.js';
import type { Value } from '../src/core/runtime/values.js';
import { I32 } from '../src/core/syntax/types.js';
import { WASM_2_0, WASM_3_0_SUPPORTED } from '../src/core/syntax/feature-set.js';
import { decodeError, func, validationError } from './support/core.js';

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

function section(id: number, content: number[]): number[] {
  return [id, content.length, ...content]; // sizes below 128 only
}

/** (type (func (param i32))) (tag (type 0)) (func (type 1) (i32.const 7) (throw 0)) with [] -> [] as type 1. */
const THROWING = Uint8Array.from([
  ...HEADER,
  ...section(1, [2, 0x60, 1, I32, 0, 0x60, 0, 0]),
  ...section(3, [1, 1]),
  ...section(13, [1, 0x00, 0]),
  ...section(10, [1, 6, 0x00, 0x41, 7, 0x08, 0, 0x0b]),
]);

async function compile(wat: string) {
  const bytes = await parse(wat);
  const m = decodeModule(bytes, WASM_3_0_SUPPORTED);
  return { m, bytes };
}

async function instantiate(wat: string, imports: ExternVal[] = []): Promise<ModuleInstance> {
  const { m, bytes } = await compile(wat);
  validateModule(m, WASM_3_0_SUPPORTED);
  return new Interpreter().instantiate(m, bytes, imports);
}

async function invalid(wat: string): Promise<string> {
  const { m } = await compile(wat);
  return validationError(() => validateModule(m, WASM_3_0_SUPPORTED));
}

function call(inst: ModuleInstance, name: string, ...args: Value[]): Value[] {
  return func(inst, name).call(args);
}

function caught(f: () => unknown): WasmException {
  try {
    f();
  } catch (e) {
    if (e instanceof WasmException) return e;
    throw e;
  }
  throw new Error('expected a WasmException');
}

describe('exception handling: decoding', () => {
  it('refuses the tag section, throw and exnref with WebAssembly 2.0', () => {
    expect(decodeError(() => decodeModule(THROWING, WASM_2_0))).to.equal('malformed section id');
    expect(decodeError(() => decodeModule(THROWING))).to.equal('malformed section id');
    // throw (0x08) in a body, without a tag section
    const body = [0x00, 0x08, 0, 0x0b];
    const bytes = Uint8Array.from([...HEADER, ...section(1, [1, 0x60, 0, 0]), ...section(3, [1, 0]), ...section(10, [1, body.length, ...body])]);
    expect(decodeError(() => decodeModule(bytes, WASM_2_0))).to.equal('illegal opcode 08');
    // (func (param exnref))
    const exnParam = Uint8Array.from([...HEADER, ...section(1, [1, 0x60, 1, 0x69, 0])]);
    expect(decodeError(() => decodeModule(exnParam, WASM_2_0))).to.equal('malformed value type');
    expect(decodeModule(exnParam, WASM_3_0_SUPPORTED).types[0]!.params).to.deep.equal([0x69]);
  });

  it('reads tags, throw and try_table with WebAssembly 3.0', async () => {
    const m = decodeModule(THROWING, WASM_3_0_SUPPORTED);
    expect(m.tags).to.deep.equal([{ typeIdx: 0 }]);
    expect(m.funcs[0]!.body.map((i) => i.op)).to.deep.equal([0x41, 0x08]);
    const { m: m2 } = await compile(`(module (import "m" "t" (tag (param i64))) (tag $e (param i32)) (export "e" (tag $e))
      (func (block $h (result i32) (try_table (catch $e $h) (catch_all 1) (nop)) (return)) (drop)))`);
    const desc = m2.imports[0]!.desc;
    expect(desc.kind).to.equal('tag');
    expect(desc.kind === 'tag' && m2.types[desc.typeIdx]!.params).to.deep.equal([0x7e]);
    expect(m2.exports[0]).to.deep.equal({ name: 'e', kind: 'tag', index: 1 });
    const tryTable = m2.funcs[0]!.body[0]!.body![0]!;
    expect(tryTable.op).to.equal(0x1f);
    expect(tryTable.catches).to.deep.equal([{ kind: 0, tag: 1, label: 0 }, { kind: 2, tag: 0, label: 1 }]);
  });
});

describe('exception handling: validation', () => {
  it('requires tag types without results', async () => {
    expect(await invalid('(module (tag (result i32)))')).to.equal('non-empty tag result type');
  });

  it('checks throw operands and tag indices', async () => {
    expect(await invalid('(module (tag (param i32)) (func (throw 0)))')).to.match(/^type mismatch/);
    expect(await invalid('(module (tag (param i32)) (func (i64.const 0) (throw 0)))')).to.match(/^type mismatch/);
    const { m } = await compile('(module (tag) (func (throw 0)))');
    m.funcs[0]!.body[0]!.a = 5;
    expect(validationError(() => validateModule(m, WASM_3_0_SUPPORTED))).to.equal('unknown tag 5');
  });

  it('checks throw_ref takes an exnref', async () => {
    expect(await invalid('(module (func (throw_ref)))')).to.match(/^type mismatch/);
    expect(await invalid('(module (func (i32.const 0) (throw_ref)))')).to.match(/^type mismatch/);
  });

  it('checks catch clauses against their labels', async () => {
    // catch of an i32 tag to a label taking nothing
    expect(await invalid('(module (tag $e (param i32)) (func (block $h (try_table (catch $e $h)))))')).to.match(/^type mismatch/);
    // catch_ref needs an exnref after the payload
    expect(await invalid('(module (tag $e (param i32)) (func (block $h (result i32) (try_table (catch_ref $e $h)) (unreachable)) (drop)))')).to.match(/^type mismatch/);
    // catch_all_ref to a label of [exnref] is fine; to [] it is not
    await instantiate('(module (func (block $h (result exnref) (try_table (catch_all_ref $h)) (return)) (drop)))');
    expect(await invalid('(module (func (block $h (try_table (catch_all_ref $h)))))')).to.match(/^type mismatch/);
  });
});

describe('exception handling: execution', () => {
  it('catches a throw from a called function, with its payload', async () => {
    const inst = await instantiate(`(module
      (tag $e (param i32))
      (func $thrower (param i32) (if (local.get 0) (then (throw $e (local.get 0)))))
      (func $middle (param i32) (local i32) (local.set 1 (i32.const 5)) (call $thrower (local.get 0)))
      (func (export "run") (param i32) (result i32)
        (i32.const 1000)
        (block $h (result i32)
          (try_table (catch $e $h) (call $middle (local.get 0)))
          (i32.const 99)
          (return))
        (i32.add)))`);
    expect(call(inst, 'run', 42)).to.deep.equal([1042]);
    expect(call(inst, 'run', 0)).to.deep.equal([99]);
  });

  it('catches across instances by tag identity', async () => {
    const a = await instantiate(`(module (tag $t (export "t") (param i32))
      (func (export "throw") (param i32) (throw $t (local.get 0))))`);
    const b = await instantiate(`(module (tag $t (export "t") (param i32)))`);
    const catcherWat = `(module
      (import "a" "t" (tag $t (param i32)))
      (import "a" "throw" (func $throw (param i32)))
      (func (export "run") (param i32) (result i32)
        (block $all
          (block $h (result i32)
            (try_table (catch $t $h) (catch_all $all) (call $throw (local.get 0)))
            (return (i32.const 99)))
          (return))
        (i32.const 77)))`;
    const ta = a.exports.get('t')!, tb = b.exports.get('t')!;
    const throwA = a.exports.get('throw')!;
    expect(ta.value).to.be.instanceOf(TagInst);
    expect(ta.value).to.not.equal(tb.value);
    const same = await instantiate(catcherWat, [ta, throwA]);
    expect(call(same, 'run', 3)).to.deep.equal([3]);
    const other = await instantiate(catcherWat, [tb, throwA]);
    expect(call(other, 'run', 3)).to.deep.equal([77]);
  });

  it('defines a fresh tag per instantiation', async () => {
    const { m, bytes } = await compile('(module (tag (export "t")))');
    const i1 = await new Interpreter().instantiate(m, bytes, []);
    const i2 = await new Interpreter().instantiate(m, bytes, []);
    expect(i1.exports.get('t')!.value).to.not.equal(i2.exports.get('t')!.value);
  });

  it('rethrows with catch_ref and throw_ref, and catch_all catches anything', async () => {
    const inst = await instantiate(`(module
      (tag $e0 (param i32))
      (tag $e1)
      (func $rethrow (param i32)
        (block $h (result i32 exnref)
          (try_table (catch_ref $e0 $h) (throw $e0 (local.get 0)))
          (unreachable))
        (throw_ref))
      (func (export "outer") (param i32) (result i32)
        (block $h (result i32)
          (try_table (catch $e0 $h) (call $rethrow (local.get 0)))
          (unreachable)))
      (func (export "all") (result i32)
        (block $h
          (try_table (catch_all $h) (throw $e1))
          (unreachable))
        (i32.const 1))
      (func (export "all-ref") (result i32)
        (block $h (result exnref)
          (try_table (catch_all_ref $h) (throw $e1))
          (unreachable))
        (ref.is_null))
      (func (export "null") (throw_ref (ref.null exn))))`);
    expect(call(inst, 'outer', 9)).to.deep.equal([9]);
    expect(call(inst, 'all')).to.deep.equal([1]);
    expect(call(inst, 'all-ref')).to.deep.equal([0]);
    expect(() => call(inst, 'null')).to.throw(Trap, 'null exception reference');
  });

  it('lets an uncaught exception reach the host, and passes it through a host function', async () => {
    const inst = await instantiate(`(module
      (tag $e (export "e") (param i32))
      (func (export "throw") (param i32) (throw $e (local.get 0))))`);
    const e = caught(() => call(inst, 'throw', 5));
    expect(e.exn).to.be.instanceOf(Exn);
    expect(e.exn.tag).to.equal(inst.exports.get('e')!.value);
    expect(e.exn.payload).to.deep.equal([5]);
    // wasm -> host -> wasm: the inner throw crosses the host function and is caught outside it.
    const host = new HostFunc({ params: [I32], results: [] }, (args) => call(inst, 'throw', args[0]!));
    const outer = await instantiate(`(module
      (import "m" "e" (tag $e (param i32)))
      (import "m" "h" (func $h (param i32)))
      (func (export "run") (param i32) (result i32)
        (block $c (result i32)
          (try_table (catch $e $c) (call $h (local.get 0)))
          (i32.const -1))))`, [inst.exports.get('e')!, { kind: 'func', value: host }]);
    expect(call(outer, 'run', 8)).to.deep.equal([8]);
    // and the thread is usable afterwards
    expect(call(outer, 'run', 9)).to.deep.equal([9]);
  });

  it('preserves i64 and f64 payload bits', async () => {
    const inst = await instantiate(`(module
      (tag $e (param i64 f64))
      (func $t (throw $e (i64.const -2) (f64.const nan:0x4000000000001)))
      (func (export "run") (result i64 f64)
        (block $h (result i64 f64)
          (try_table (catch $e $h) (call $t))
          (unreachable)))
      (func (export "uncaught") (call $t)))`);
    expect(call(inst, 'run')).to.deep.equal([-2n, 0x7ff4000000000001n]);
    expect(caught(() => call(inst, 'uncaught')).exn.payload).to.deep.equal([-2n, 0x7ff4000000000001n]);
  });

  it('checks tag imports by type', async () => {
    const a = await instantiate('(module (tag (export "t") (param i32)))');
    const { m } = await compile('(module (import "a" "t" (tag (param i64))))');
    expect(() => resolveImports(m, (_mod, name) => a.exports.get(name))).to.throw(LinkError, /incompatible import type/);
  });
});

describe('shared memories (threads)', () => {
  it('needs a maximum, and is refused by 2.0', async () => {
    // (memory 1 shared): flags 2
    const noMax = Uint8Array.from([...HEADER, ...section(5, [1, 0x02, 1])]);
    expect(validationError(() => validateModule(decodeModule(noMax, WASM_3_0_SUPPORTED), WASM_3_0_SUPPORTED))).to.equal('shared memory must have maximum');
    expect(() => decodeModule(noMax, WASM_2_0)).to.throw(DecodeError);
    const withMax = Uint8Array.from([...HEADER, ...section(5, [1, 0x03, 1, 2])]);
    const m = decodeModule(withMax, WASM_3_0_SUPPORTED);
    expect(m.mems[0]!.type).to.deep.equal({ limits: { min: 1, max: 2 }, shared: true });
    validateModule(m, WASM_3_0_SUPPORTED);
  });

  it('links only to memories with the same shared flag', async () => {
    const shared = await instantiate('(module (memory (export "m") 1 2 shared))');
    const mem = shared.exports.get('m')!;
    expect(mem.kind === 'memory' && mem.value.memory.buffer instanceof SharedArrayBuffer).to.equal(true);
    const { m: wantsUnshared } = await compile('(module (import "a" "m" (memory 1 2)))');
    expect(() => resolveImports(wantsUnshared, () => mem)).to.throw(LinkError, /mismatch in the shared flag for memories/);
    const { m: wantsShared } = await compile('(module (import "a" "m" (memory 1 2 shared)))');
    expect(resolveImports(wantsShared, () => mem)).to.have.length(1);
  });
});
