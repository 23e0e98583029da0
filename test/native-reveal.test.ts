// The bytes the native engine compiles: the module's own, with extra
// exports for what may leave V8 as a reference (reveal.ts), the rewritten
// head joined to the module's unchanged rest in the component's own buffer
// where it lends room (room.ts), and put back afterwards.

import { expect } from 'chai';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { decodeModule } from '../src/core/binary/decode.js';
import { joined, lend, roomyBytes, roomyCopy } from '../src/core/binary/room.js';
import { reveal } from '../src/core/native/reveal.js';
import { WASM_3_0_SUPPORTED } from '../src/core/syntax/feature-set.js';
import { Component, Engine, Linker, Store } from '../src/index.js';
import { Trap, TrapMessage } from '../src/core/errors.js';
import { watToBinary } from '../src/text/wat.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The bytes V8 would get for `bytes`, made in a buffer of their own. */
function revealedBytes(bytes: Uint8Array): { out: Uint8Array; names: Map<string, number>; tailAt: number } {
  const m = decodeModule(bytes, WASM_3_0_SUPPORTED);
  const r = reveal(m, bytes);
  const names = new Map([...r.funcs, ...r.tables, ...r.tags]);
  if (r.head === null) return { out: bytes, names, tailAt: r.tailAt };
  return { out: joined(r.head, bytes, r.tailAt, (b) => b.slice()), names, tailAt: r.tailAt };
}

/** The sections of module `bytes`: [id, contents] in order. */
function sections(bytes: Uint8Array): [number, string][] {
  const out: [number, string][] = [];
  let pos = 8;
  while (pos < bytes.length) {
    const id = bytes[pos]!;
    let size = 0;
    let at = pos + 1;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[at++]!;
      size += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) break;
    }
    out.push([id, Buffer.from(bytes.subarray(at, at + size)).toString('hex')]);
    pos = at + size;
  }
  return out;
}

const EXPORT = 7;

describe('native engine: revealed exports', () => {
  // Where the export section is: absent (before the element and code
  // sections, or at the very end), between others, or the last section; with
  // custom sections on either side, which stay where they were.
  const shapes: [string, string][] = [
    ['no export section, code after', `(module (type $r (func (result i32))) (table 2 funcref) (elem (i32.const 1) $seven)
      (@custom "c" (after global) "cc") (func $seven (result i32) i32.const 7))`],
    ['no export section, nothing after', `(module (@custom "a" (before first) "a") (table 1 funcref))`],
    ['an export section between others', `(module (type $r (func (result i32))) (table 2 funcref) (elem (i32.const 1) $seven)
      (@custom "c" (before export) "c") (@custom "d" (after export) "dd")
      (func $seven (result i32) i32.const 7) (func (export "f") (result i32) i32.const 1) (tag $e))`],
    ['the export section last', `(module (table 1 funcref) (global (export "g") i32 (i32.const 1)) (@custom "b" (after export) "yy"))`],
  ];
  for (const [what, wat] of shapes) {
    it(`adds the exports, and changes nothing else: ${what}`, async () => {
      const bytes = await parse(wat);
      const { out, names, tailAt } = revealedBytes(bytes);
      expect(names.size).to.be.greaterThan(0);
      // The same sections in the same order, the export section with the old entries and then the new ones.
      const before = sections(bytes);
      const after = sections(out);
      const m = decodeModule(bytes, WASM_3_0_SUPPORTED);
      const revealed = decodeModule(out, WASM_3_0_SUPPORTED);
      expect(revealed.exports.slice(0, m.exports.length)).to.deep.equal(m.exports);
      expect(revealed.exports.slice(m.exports.length).map((e) => [e.name, e.index])).to.deep.equal([...names]);
      expect(after.filter(([id]) => id !== EXPORT)).to.deep.equal(before.filter(([id]) => id !== EXPORT));
      // Where it was, or before the first section that must follow it (start, element, data count, code, data).
      const place = before.findIndex(([id]) => id === EXPORT || [8, 9, 10, 11, 12].includes(id));
      expect(after.findIndex(([id]) => id === EXPORT)).to.equal(place === -1 ? before.length : place);
      // The rest of the module is the same bytes, at the end.
      expect(Buffer.from(out.subarray(out.length - (bytes.length - tailAt))).equals(Buffer.from(bytes.subarray(tailAt)))).to.equal(true);
      // And V8 takes them: a hidden function is there to call.
      const inst = new WebAssembly.Instance(new WebAssembly.Module(out));
      for (const [name, index] of names) {
        const kind = revealed.exports.find((e) => e.name === name)!.kind;
        const value = inst.exports[name];
        if (kind === 'func') expect((value as () => number)()).to.equal(7, `function ${index}`);
        if (kind === 'table') expect(value).to.be.instanceOf(WebAssembly.Table);
      }
    });
  }

  it('joins in the buffer only while it is lent, only one cmr allocated, only past busyUntil, and puts the bytes back', () => {
    const bytes = roomyCopy(Uint8Array.from({ length: 100 }, (_, i) => i));
    const head = Uint8Array.from({ length: 30 }, () => 0xee);
    const want = [...head, ...bytes.subarray(20)];
    const join = (b: Uint8Array): { inPlace: boolean; got: number[] } =>
      joined(head, b, 20, (j) => ({ inPlace: j.buffer === b.buffer, got: [...j] }));
    // In place, the head reaching 10 bytes into the room in front.
    expect(lend(bytes, 0, () => join(bytes))).to.deep.equal({ inPlace: true, got: want });
    expect([...bytes]).to.deep.equal(Array.from({ length: 100 }, (_, i) => i));
    // Not lent: outside lend, a buffer cmr did not allocate, a head that reaches before busyUntil.
    expect(join(bytes)).to.deep.equal({ inPlace: false, got: want });
    const foreign = Uint8Array.from(bytes);
    expect(lend(foreign, 0, () => join(foreign))).to.deep.equal({ inPlace: false, got: want });
    expect(lend(bytes, bytes.byteOffset + 20 - head.length + 1, () => join(bytes)).inPlace).to.equal(false);
    expect(lend(bytes, bytes.byteOffset + 20 - head.length, () => join(bytes)).inPlace).to.equal(true);
    // A head larger than the room.
    const tight = roomyBytes(10);
    const room = tight.byteOffset;
    expect(lend(tight, 0, () => joined(new Uint8Array(room + 1), tight, 0, (j) => j.buffer === tight.buffer))).to.equal(false);
    expect(lend(tight, 0, () => joined(new Uint8Array(room), tight, 0, (j) => j.buffer === tight.buffer))).to.equal(true);
  });

  describe('a component on the native engine', function () {
    this.timeout(60_000);
    /** The component, with `more` in its core module. */
    const component = (more = ''): string => `(component
      (core module $m
        (type $r (func (result i32)))${more}
        (table $t 4 funcref)
        (elem (table $t) (i32.const 0) func $seven)
        (func $seven (result i32) i32.const 7)
        (func (export "via") (param i32) (result i32) (call_indirect $t (type $r) (local.get 0))))
      (core instance $i (instantiate $m))
      (func (export "via") (param "i" u32) (result u32) (canon lift (core func $i "via"))))`;

    async function via(engine: Engine, c: Component, i: number): Promise<unknown> {
      const store = new Store(engine);
      const inst = await new Linker(engine).instantiate(store, c);
      try {
        return await inst.getFunc('via')!.call(store, [i]);
      } catch (e) {
        if (e instanceof Trap) return e.message;
        throw e;
      }
    }

    /** The buffers WebAssembly.compile is given while `f` runs. */
    async function compiledFrom<T>(f: () => Promise<T>): Promise<[T, Uint8Array[]]> {
      const given: Uint8Array[] = [];
      const compile = WebAssembly.compile;
      WebAssembly.compile = (b) => {
        given.push(b as Uint8Array);
        return compile(b);
      };
      try {
        return [await f(), given];
      } finally {
        WebAssembly.compile = compile;
      }
    }

    it('deserializeFile: in place, but not over a part of the file the thread pool may still be reading into', async () => {
      const engine = new Engine({ coreEngine: 'native' });
      // A long function: the interpreter's form has its records (its
      // prepared code) past the first 64 KiB, which are read at once.
      const binary = await watToBinary(component(`(func $long (result i32) i32.const 0 ${'i32.const 1 i32.add '.repeat(20_000)})`));
      const dir = mkdtempSync(join(tmpdir(), 'cmr-reveal-'));
      // The native engine's form: nothing is read late. The interpreter's
      // holds its prepared code's records, read on the thread pool while the
      // component loads, right before the binary, where the head would go.
      for (const [form, inPlace] of [['native', true], ['interp', false]] as const) {
        const path = join(dir, `${form}.cwasm`);
        const serialized = (await Component.fromBinary(new Engine({ coreEngine: form }), binary)).serialize();
        const header = new DataView(serialized.buffer, serialized.byteOffset);
        const recordsEnd = header.getUint32(52, true) + header.getUint32(56, true); // serialize.ts's layout
        expect(recordsEnd > 1 << 16, 'records read late').to.equal(!inPlace);
        writeFileSync(path, serialized);
        const [c, given] = await compiledFrom(() => Component.deserializeFile(engine, path));
        expect(given).to.have.length(1);
        expect(given[0]!.buffer === c.bytes.buffer, form).to.equal(inPlace);
        expect(Buffer.from(c.bytes).equals(Buffer.from(binary))).to.equal(true);
        expect(await via(engine, c, 0)).to.deep.equal([7]);
      }
    });

    for (const how of ['fromBinary', 'fromFile', 'deserialize'] as const) {
      it(`${how}: compiles its core module in the component's own buffer, puts its bytes back, and runs it`, async () => {
        const engine = new Engine({ coreEngine: 'native' });
        const binary = await watToBinary(component());
        const input = how === 'deserialize' ? (await Component.fromBinary(new Engine(), binary)).serialize() : binary;
        const path = join(mkdtempSync(join(tmpdir(), 'cmr-reveal-')), 'c.wasm');
        writeFileSync(path, input);
        const [c, given] = await compiledFrom(async () => how === 'fromBinary' ? Component.fromBinary(engine, input)
          : how === 'fromFile' ? Component.fromFile(engine, path) : Component.deserialize(engine, input));
        expect(given).to.have.length(1);
        expect(given[0]!.buffer).to.equal(c.bytes.buffer);
        // What V8 got was the module with the table and the function revealed; the component's bytes are as given.
        expect(Buffer.from(c.bytes).equals(Buffer.from(binary))).to.equal(true);
        expect(await via(engine, c, 0)).to.deep.equal([7]);
        // Trap sites are found in the module's own bytes, past the exports V8 got in addition.
        expect(await via(engine, c, 9)).to.equal(TrapMessage.undefinedElement);
        expect(await via(engine, c, 1)).to.equal(TrapMessage.uninitializedElement);
      });
    }
  });
});
