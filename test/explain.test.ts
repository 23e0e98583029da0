// `cmr explain`: the canonical ABI plan of a component's functions, checked
// against layouts worked out by hand from CanonicalABI.md, on the README's
// example, on components written here, and on a real component
// (../shared/real-world/jsco-wat/echo.wasm, or $CMR_REAL_WORLD).

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Component, Engine } from '../src/api/index.js';
import { explainComponent, type FunctionPlan } from '../src/explain/plan.js';
import { realWorldDir } from './support/wasi-manifest.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
const greet = join(root, 'examples', 'greet.wat');

function cmr(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function plansOf(wat: string, only: string | null = null): Promise<FunctionPlan[]> {
  const c = await Component.fromText(new Engine(), wat);
  return explainComponent(c.ast, c.type, only);
}

describe('cmr explain', function () {
  this.timeout(120_000);

  it('explains the README example: a string in, a string out through a returned pointer', () => {
    const r = cmr('explain', greet, 'greet');
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.contain('export greet: func(name: string) -> string');
    expect(r.stdout).to.contain('core signature (flatten_functype, lift):  (func (param i32 i32) (result i32))');
    expect(r.stdout).to.contain('more than MAX_FLAT_RESULTS (1): the core function returns one i32, the address of the result in its memory, 8 bytes aligned to 4');
    expect(r.stdout).to.match(/memory\s+"mem" exported by core instance 0 \(an instance of core module 0\)/);
    expect(r.stdout).to.match(/realloc\s+"realloc" exported by core instance 0/);
    expect(r.stdout).to.contain('param name: string  size 8, align 4, flat [i32 i32]');
  });

  it('prints what the README shows for it (lines cut with … are prefixes)', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const block = /^ {4}\$ cmr explain examples\/greet\.wat greet\n((?: {4}.*\n)+)/m.exec(readme)?.[1];
    expect(block, 'the README\'s cmr explain example').to.be.a('string');
    const out = cmr('explain', greet, 'greet').stdout.split('\n');
    const shown = block!.split('\n').filter((l) => l.trim() !== '' && l.trim() !== '…').map((l) => l.slice(4));
    expect(shown.length).to.be.greaterThan(10);
    for (const line of shown) {
      if (line.endsWith(' …')) expect(out.some((o) => o.startsWith(line.slice(0, -2))), line).to.equal(true);
      else expect(out, line).to.include(line);
    }
  });

  it('names functions of exported instances as cmr run --invoke does, and lists every export by default', () => {
    const one = cmr('explain', greet, 'docs:hello/greeter#greet', '--json');
    expect(one.status, one.stderr).to.equal(0);
    const plans = JSON.parse(one.stdout) as FunctionPlan[];
    expect(plans.map((p) => p.name)).to.deep.equal(['docs:hello/greeter#greet']);
    expect(plans[0]!.flat).to.deep.equal({
      params: ['i32', 'i32'], results: ['i32', 'i32'], core: { params: ['i32', 'i32'], results: ['i32'] },
      paramsInMemory: false, resultsInMemory: true,
    });
    const all = cmr('explain', greet, '--json');
    expect((JSON.parse(all.stdout) as FunctionPlan[]).map((p) => p.name)).to.deep.equal(['greet', 'docs:hello/greeter#greet']);
  });

  it('refuses an export the component does not have, in one line', () => {
    const r = cmr('explain', greet, 'nope');
    expect(r.status).to.not.equal(0);
    expect(r.stderr).to.equal('cmr: the component exports no function `nope` and lowers no import of that name (exports: greet, docs:hello/greeter#greet)\n');
  });

  it('lays out records, variants, flags, enums and handles as the spec does', async () => {
    const plans = await plansOf(`(component
      (type $r0 (record (field "a" u8) (field "b" u32) (field "c" u16) (field "d" u64)))
      (type $v0 (variant (case "x" u8) (case "y" u64) (case "z")))
      (type $f0 (flags "a" "b" "c" "d" "e" "f" "g" "h" "i"))
      (type $res0 (resource (rep i32)))
      ;; Types an export uses must be exported themselves (named).
      (export $r "r" (type $r0))
      (export $v "v" (type $v0))
      (export $f "fl" (type $f0))
      (export $res "res" (type $res0))
      (core module $m
        (memory (export "mem") 1)
        (func (export "f") (param i32 i32 i32 i64 i32 i64 i32 i32) (result i32) unreachable)
        (func (export "realloc") (param i32 i32 i32 i32) (result i32) unreachable))
      (core instance $i (instantiate $m))
      (func (export "f") (param "r" $r) (param "v" $v) (param "fl" $f) (param "h" (own $res)) (result $r)
        (canon lift (core func $i "f") (memory (core memory $i "mem")) (realloc (core func $i "realloc")))))`);
    expect(plans).to.have.length(1);
    const p = plans[0]!;
    const [r, v, fl, h] = p.params.map((x) => x.layout);
    // record: a at 0, b aligned to 4, c at 8, d aligned to 8 → 16; 24 bytes, align 8.
    expect(r!.fields!.map((f) => [f.name, f.offset])).to.deep.equal([['a', 0], ['b', 4], ['c', 8], ['d', 16]]);
    expect([r!.size, r!.align]).to.deep.equal([24, 8]);
    // variant: u8 discriminant, payload aligned to 8 (the u64 case), 16 bytes; flat i32 then join(i32, i64) = i64.
    expect(v!.discriminant).to.deep.equal({ type: 'u8', size: 1 });
    expect([v!.payloadOffset, v!.size, v!.align]).to.deep.equal([8, 16, 8]);
    expect(v!.flat).to.deep.equal(['i32', 'i64']);
    // nine flags need a u16.
    expect([fl!.size, fl!.align, fl!.flags!.length]).to.deep.equal([2, 2, 9]);
    expect(h!.kind).to.equal('own');
    expect([h!.size, h!.flat]).to.deep.equal([4, ['i32']]);
    expect(p.flat!.core).to.deep.equal({ params: ['i32', 'i32', 'i32', 'i64', 'i32', 'i64', 'i32', 'i32'], results: ['i32'] });
    expect(p.options).to.include({ stringEncoding: 'utf8', async: false, postReturn: null });
  });

  it('spills more than MAX_FLAT_PARAMS parameters to memory, and names a discriminant past 256 cases u16', async () => {
    const params = Array.from({ length: 17 }, (_, i) => `(param "p${i}" u32)`).join(' ');
    const cases = Array.from({ length: 257 }, (_, i) => `"c${i}"`).join(' ');
    const plans = await plansOf(`(component
      (type $e0 (enum ${cases}))
      (export $e "e" (type $e0))
      (core module $m (memory (export "mem") 1)
        (func (export "f") (param i32) unreachable)
        (func (export "g") (param i32) (result i32) unreachable)
        (func (export "realloc") (param i32 i32 i32 i32) (result i32) unreachable))
      (core instance $i (instantiate $m))
      (func (export "f") ${params} (canon lift (core func $i "f") (memory (core memory $i "mem")) (realloc (core func $i "realloc"))))
      (func (export "g") (param "e" $e) (result $e) (canon lift (core func $i "g"))))`);
    const f = plans.find((p) => p.name === 'f')!;
    expect(f.flat!.params).to.have.length(17);
    expect(f.flat!.paramsInMemory).to.equal(true);
    expect(f.flat!.core).to.deep.equal({ params: ['i32'], results: [] });
    expect(f.flat!.paramTuple).to.deep.equal({ size: 68, align: 4 });
    const g = plans.find((p) => p.name === 'g')!;
    expect(g.params[0]!.layout.discriminant).to.deep.equal({ type: 'u16', size: 2 });
  });

  it('explains the lowered imports, with the out-pointer a lower adds for results that spill', async () => {
    const plans = await plansOf(`(component
      (import "get" (func $get (result (tuple u32 u64))))
      (core module $mem (memory (export "mem") 1))
      (core instance $mi (instantiate $mem))
      (core func $lowered (canon lower (func $get) (memory (core memory $mi "mem")))))`);
    expect(plans.map((p) => [p.name, p.direction, p.canon])).to.deep.equal([['get', 'import', 'lower']]);
    expect(plans[0]!.flat).to.deep.include({ core: { params: ['i32'], results: [] }, resultsInMemory: true });
  });

  it('follows flatten_functype\'s async rules: a callback lift returns a status code; an async lower spills past MAX_FLAT_ASYNC_PARAMS', async () => {
    const wat = `(component
      (import "slow" (func $slow async (param "a" u32) (param "b" u32) (param "c" u32) (param "d" u32) (param "e" u32) (result u64)))
      (core module $m
        (memory (export "mem") 1)
        (func (export "f") (param i32) (result i32) unreachable)
        (func (export "cb") (param i32 i32 i32) (result i32) unreachable))
      (core instance $i (instantiate $m))
      (core func $slow (canon lower (func $slow) async (memory (core memory $i "mem"))))
      (func (export "f") async (param "x" u32) (result string)
        (canon lift (core func $i "f") async (callback (core func $i "cb")) (memory (core memory $i "mem")))))`;
    const plans = await plansOf(wat);
    const f = plans.find((p) => p.name === 'f')!;
    expect(f.options).to.include({ async: true, callback: '"cb" exported by core instance 0 (an instance of core module 0)' });
    expect(f.flat!.core).to.deep.equal({ params: ['i32'], results: ['i32'] });
    const slow = plans.find((p) => p.name === 'slow')!;
    expect((await plansOf(wat, 'slow')).map((p) => [p.name, p.direction])).to.deep.equal([['slow', 'import']]);
    // Five flat parameters are more than MAX_FLAT_ASYNC_PARAMS (4): one pointer, then the out-pointer for the result.
    expect(slow.flat).to.deep.include({ core: { params: ['i32', 'i32'], results: ['i32'] }, paramsInMemory: true, resultsInMemory: true });
  });

  it('explains a real component: jsco-wat/echo.wasm', function () {
    const echo = join(realWorldDir, 'jsco-wat', 'echo.wasm');
    if (!existsSync(echo)) this.skip();
    const r = cmr('explain', echo, 'jsco:test/echo-algebraic@0.1.0#echo-variant', '--json');
    expect(r.status, r.stderr).to.equal(0);
    const [p] = JSON.parse(r.stdout) as FunctionPlan[];
    // shape: variant { circle(f64), rectangle(tuple<f64, f64>), named-polygon(string), dot }
    const shape = p!.params[0]!.layout;
    expect(shape.cases!.map((c) => c.name)).to.deep.equal(['circle', 'rectangle', 'named-polygon', 'dot']);
    expect([shape.size, shape.align, shape.payloadOffset]).to.deep.equal([24, 8, 8]);
    expect(shape.flat).to.deep.equal(['i32', 'i64', 'i64']);
    expect(p!.flat!.core).to.deep.equal({ params: ['i32', 'i64', 'i64'], results: ['i32'] });
    expect(p!.options!.realloc).to.equal('"cabi_realloc" exported by core instance 2 (an instance of core module 1)');
    // The text form of every export and import, without error.
    const all = cmr('explain', echo);
    expect(all.status, all.stderr).to.equal(0);
    expect(all.stdout).to.contain('export jsco:test/echo-compound@0.1.0#echo-nested-record: func(v: labeled-point) -> labeled-point');
    expect(all.stdout).to.contain('+24 elevation: option<f64>  size 16, align 8, flat [i32 f64], despecialized to a variant');
  });

  it('reads a text file that is not a component as one clear line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmr-explain-'));
    const bad = join(dir, 'bad.wat');
    writeFileSync(bad, '(component (func');
    const r = cmr('explain', bad);
    expect(r.status).to.not.equal(0);
    expect(r.stderr.trim().split('\n')).to.have.length(1);
    expect(r.stderr).to.not.match(/at .*\.js:\d+/);
  });

  it('names the file, the stage and the offset of bad bytes, with status 1, as cmr run does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmr-explain-'));
    const bad = join(dir, 'leb.wasm');
    // a component whose first section's size is a LEB128 too large for a u32
    writeFileSync(bad, Uint8Array.from([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 7, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]));
    const r = cmr('explain', bad);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.equal(`cmr: ${bad}: malformed component (at byte 13): integer too large\n`);
    const missing = cmr('explain', join(dir, 'missing.wasm'));
    expect(missing.status).to.equal(1);
    expect(missing.stderr).to.equal(`cmr: cannot read ${join(dir, 'missing.wasm')}: no such file\n`);
  });
});
