// `cmr inspect` and the introspection under it: imports and exports with
// their types, resource identity, nested instances, and clean errors.

import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from './support/inspect.js';
import { componentSignature, typeOfBinary } from '../src/component/types.js';
import { componentItems } from '../src/api/types.js';
import { ResourceType } from '../src/component/syntax/types.js';
import { watToBinary } from '../src/text/wat.js';

const dir = mkdtempSync(join(tmpdir(), 'cmr-inspect-'));

const text = `(component
  (import "wasi:io/streams@0.2.0" (instance $s
    (export "input-stream" (type $is (sub resource)))
    (export "[method]input-stream.read" (func (param "self" (borrow $is)) (param "n" u64) (result (list u8))))))
  (import "a:b/x" (instance $x (export "r" (type (sub resource)))))
  (import "a:b/y" (instance $y (export "r" (type (sub resource)))))
  (alias export $x "r" (type $rx))
  (alias export $y "r" (type $ry))
  (import "rx" (type $rx2 (eq $rx)))
  (import "ry" (type $ry2 (eq $ry)))
  (import "f" (func $f (param "a" (own $rx2)) (param "b" (own $ry2)) (result string)))
  (type $pt' (record (field "x" u32) (field "y" u32)))
  (export $pt "point" (type $pt'))
  (type $R (resource (rep i32)))
  (export $R' "thing" (type $R))
  (core module $m
    (memory (export "mem") 1)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) unreachable)
    (func (export "g") (param i32 i32) (result i32) unreachable)
    (func (export "mk") (result i32) unreachable))
  (core instance $i (instantiate $m))
  (func $g (param "p" $pt) (result (option $pt)) (canon lift (core func $i "g") (memory (core memory $i "mem")) (realloc (core func $i "realloc"))))
  (export "g" (func $g) (func (param "p" $pt) (result (option $pt))))
  (func $mk (result (own $R')) (canon lift (core func $i "mk")))
  (export "[constructor]thing" (func $mk))
  (instance $nested (export "g2" (func $g)) (export "point" (type $pt)))
  (export "nested" (instance $nested)))`;

describe('cmr inspect', () => {
  let wasm: string;
  let wat: string;
  let bytes: Uint8Array;
  before(async () => {
    bytes = await watToBinary(text);
    wasm = join(dir, 'c.wasm');
    wat = join(dir, 'c.wat');
    writeFileSync(wasm, bytes);
    writeFileSync(wat, text);
  });

  it('prints imports and exports in WIT-like text, from a binary or from text', async () => {
    const a = await inspect(wasm);
    const b = await inspect(wat);
    expect(a.status).to.equal(0);
    expect(a.err).to.equal('');
    expect(b.out).to.equal(a.out);
    const o = a.out;
    expect(o).to.contain('world root {');
    expect(o).to.contain('import wasi:io/streams@0.2.0: interface {');
    expect(o).to.contain('resource input-stream;');
    expect(o).to.contain('[method]input-stream.read: func(self: borrow<input-stream>, n: u64) -> list<u8>;');
    expect(o).to.contain('export record point { x: u32, y: u32 }');
    expect(o).to.contain('export g: func(p: point) -> option<point>;');
    expect(o).to.contain('export resource thing;');
    expect(o).to.contain('export [constructor]thing: func() -> thing;');
    expect(o).to.contain('export nested: interface {');
    expect(o).to.contain('g2: func(p: point) -> option<point>;');
  });

  it('keeps two abstract resources of one name apart', async () => {
    const o = (await inspect(wasm)).out;
    expect(o).to.contain('import f: func(a: r, b: a:b/y.r) -> string;');
    const j = JSON.parse((await inspect(wasm, true)).out) as {
      imports: { name: string; kind: string; params?: { type: { resource: number } }[] }[];
      resources: { id: number; name: string; origin: string }[];
    };
    const f = j.imports.find((x) => x.name === 'f')!;
    const [a, b] = f.params!.map((p) => p.type.resource);
    expect(a).to.not.equal(b);
    expect(j.resources.map((r) => r.origin)).to.include.members(['imported', 'defined']);
    expect(j.resources.find((r) => r.name === 'thing')!.origin).to.equal('defined');
  });

  it('introspection: items and resource identity as wasmtime sees them', () => {
    const t = typeOfBinary(bytes);
    if (t.kind !== 'component') throw new Error('not a component');
    const imports = componentItems(t.type.imports);
    const rx = imports.get('rx')!;
    const ry = imports.get('ry')!;
    expect(rx.kind).to.equal('resource');
    expect(ry.kind).to.equal('resource');
    expect((rx as { type: ResourceType }).type).to.not.equal((ry as { type: ResourceType }).type);
    expect(componentItems(t.type.exports).get('point')!.kind).to.equal('type');
    expect(componentSignature(bytes).exports.map(([n]) => n)).to.deep.equal(['point', 'thing', 'g', '[constructor]thing', 'nested']);
  });

  it('two imports of one instance type get distinct resources', async () => {
    const b = await watToBinary(`(component
      (type $t (instance (export "r" (type (sub resource)))))
      (import "a" (instance $a (type $t)))
      (import "b" (instance $b (type $t))))`);
    const t = typeOfBinary(b);
    if (t.kind !== 'component') throw new Error('not a component');
    const r = (n: string) => {
      const i = t.type.imports.get(n)!;
      if (i.kind !== 'instance') throw new Error('not an instance');
      return (i.type.exports.get('r') as { type: ResourceType }).type;
    };
    expect(r('a')).to.be.instanceOf(ResourceType);
    expect(r('a')).to.not.equal(r('b'));
  });

  it('prints a core module', async () => {
    const m = join(dir, 'm.wat');
    writeFileSync(m, '(module (import "env" "f" (func (param i32) (result i32))) (memory (export "mem") 1 2) (func (export "run")))');
    const r = await inspect(m);
    expect(r.status).to.equal(0);
    expect(r.out).to.contain('import "env" "f": func(i32) -> i32;');
    expect(r.out).to.contain('export "mem": memory 1 2;');
    expect(r.out).to.contain('export "run": func();');
    const j = JSON.parse((await inspect(m, true)).out) as { kind: string };
    expect(j.kind).to.equal('module');
  });

  describe('errors: one line on stderr, status 1', () => {
    const expectError = (r: { status: number; out: string; err: string }, ...parts: string[]) => {
      expect(r.status).to.equal(1);
      expect(r.out).to.equal('');
      expect(r.err.trimEnd().split('\n')).to.have.length(1);
      for (const p of parts) expect(r.err).to.contain(p);
      expect(r.err).to.not.match(/\n\s+at /);
    };
    it('truncated bytes name the file and the offset', async () => {
      const f = join(dir, 'trunc.wasm');
      writeFileSync(f, bytes.subarray(0, 40));
      expectError(await inspect(f), f, 'malformed at offset 0x', 'unexpected end-of-file');
    });
    it('bad bytes', async () => {
      const f = join(dir, 'bad.wasm');
      writeFileSync(f, Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 0x7f, 0x00]));
      expectError(await inspect(f), f, 'malformed at offset 0x8', 'malformed section id');
    });
    it('bad text names line:col', async () => {
      const f = join(dir, 'bad.wat');
      writeFileSync(f, '(component\n  (import "f" (func (param "a" u32))\n  (bogus))');
      expectError(await inspect(f), `${f}:3:`, 'malformed text');
    });
    it('invalid components', async () => {
      const f = join(dir, 'invalid.wat');
      writeFileSync(f, '(component (import "f" (func)) (import "f" (func)))');
      expectError(await inspect(f), f, 'invalid at offset', 'conflicts with previous name');
    });
    it('a missing file', async () => {
      expectError(await inspect(join(dir, 'nope.wasm')), 'nope.wasm', 'cannot read');
    });
    it('a folder, in the words cmr run uses', async () => {
      expectError(await inspect(dir), `cannot read ${dir}: it is a folder, not a file`);
    });
    it('not text, not a binary', async () => {
      const f = join(dir, 'junk.wat');
      writeFileSync(f, Uint8Array.from([0xff, 0xfe, 0x00, 0x01]));
      expectError(await inspect(f), f);
    });
  });
});
