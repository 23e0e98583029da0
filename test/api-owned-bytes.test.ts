// A component keeps its own copy of the bytes it was made from. Function
// bodies are decoded again from those bytes on first use (lazy-func.ts), so
// a caller that changes its buffer after fromBinary or deserialize must not
// change the program: what runs is what was validated (or checksummed).

import { expect } from 'chai';
import { Component, Engine, Linker, Store } from '../src/index.js';
import { watToBinary } from '../src/text/wat.js';

const ANSWER = `(component
  (core module $m (func (export "f") (result i32) i32.const 42))
  (core instance $i (instantiate $m))
  (func (export "f") (result u32) (canon lift (core func $i "f"))))`;

/** A component that instantiates the core module the linker defines as "m". */
const IMPORTER = `(component
  (import "m" (core module $M (export "f" (func (result i32)))))
  (core instance $i (instantiate $M))
  (func (export "f") (result u32) (canon lift (core func $i "f"))))`;

/** Where `i32.const 42; end` is in `bytes` (the one body of ANSWER). */
function bodyAt(bytes: Uint8Array): number {
  const hits: number[] = [];
  for (let i = 0; i + 2 < bytes.length; i++) if (bytes[i] === 0x41 && bytes[i + 1] === 42 && bytes[i + 2] === 0x0b) hits.push(i);
  expect(hits, 'the body occurs once').to.have.length(1);
  return hits[0]!;
}

/** Changes the caller's buffer after loading: a different constant, then an opcode that does not exist. */
const changes: [string, (b: Uint8Array, at: number) => void][] = [
  // (The buffers below are Node Buffers, whose `slice` shares memory: the copy must not be one.)
  ['another constant (still valid code)', (b, at) => { b[at + 1] = 7; }],
  ['an opcode that does not exist', (b, at) => { b[at] = 0xff; }],
];

async function call(engine: Engine, c: Component): Promise<unknown> {
  const store = new Store(engine);
  const inst = await new Linker(engine).instantiate(store, c);
  return inst.getFunc('f')!.call(store, []);
}

describe('api: a component owns its bytes', function () {
  this.timeout(60_000);
  let binary: Uint8Array;
  let importer: Uint8Array;
  before(async () => {
    binary = await watToBinary(ANSWER);
    importer = await watToBinary(IMPORTER);
  });

  it('Component.deserialize(null) is a TypeError, not a crash in the copy', () => {
    expect(() => Component.deserialize(new Engine(), null as unknown as Uint8Array))
      .to.throw(TypeError, 'Component.deserialize: expected the serialized bytes as a Uint8Array, got null');
  });

  for (const coreEngine of ['interp', 'native'] as const) {
    for (const [what, change] of changes) {
      it(`fromBinary: the caller's buffer changed afterwards (${what}) runs as validated (${coreEngine})`, async () => {
        const engine = new Engine({ coreEngine });
        const mine = Buffer.from(binary);
        const c = await Component.fromBinary(engine, mine);
        change(mine, bodyAt(mine));
        expect(await call(engine, c)).to.deep.equal([42]);
      });

      it(`LinkerInstance.module: the caller's buffer changed afterwards (${what}) runs as validated (${coreEngine})`, async () => {
        const engine = new Engine({ coreEngine });
        const mine = Buffer.from(await watToBinary('(module (func (export "f") (result i32) i32.const 42))'));
        const linker = new Linker(engine);
        linker.root().module('m', mine);
        change(mine, bodyAt(mine));
        const store = new Store(engine);
        const inst = await linker.instantiate(store, await Component.fromBinary(engine, importer));
        expect(await inst.getFunc('f')!.call(store, [])).to.deep.equal([42]);
      });

      it(`deserialize: the caller's buffer changed afterwards (${what}) runs as checked (${coreEngine})`, async () => {
        const engine = new Engine({ coreEngine });
        const mine = Buffer.from((await Component.fromBinary(engine, binary)).serialize());
        const c = Component.deserialize(engine, mine);
        change(mine, bodyAt(mine));
        expect(await call(engine, c)).to.deep.equal([42]);
      });
    }
  }
});
