// Module types whose globals and tables have GC reference types naming the
// module type's own types: linking matches a supplied core module against
// them by canonical identity, in the original component and in one that
// went through the serialized form. (The .wast tests,
// spec-tests/cmr/component/core-gc-module-types.wast, cover validation.)

import { expect } from 'chai';
import { Component, Engine, Linker, LinkError, Store } from '../src/index.js';
import { watToBinary } from '../src/text/wat.js';

// Numeric indices in the module type: wasm-tools' text parser panics on a
// named one in a global or table type there.
const CONSUMER = `(component
  (core type $mt (module
    (type $pad (array i8))
    (type $s (struct (field i32)))
    (type $f (func))
    (import "a" "g" (global (ref null 1)))
    (export "g" (global (ref null 1)))
    (export "t" (table 1 (ref null 1)))
    (export "r" (global (ref null 2)))))
  (import "m" (core module (type $mt))))`;

/**
 * A module of the module type's shape, its types at other indices (a lone
 * function type, whose rec group the serialized form does not store, then
 * the struct), the struct's field of type `field`.
 */
function supplied(field: string): Promise<Uint8Array> {
  return watToBinary(`(module
    (type $f (func))
    (type $s (struct (field ${field})))
    (import "a" "g" (global (ref null $s)))
    (global (export "r") (ref null $f) (ref.null $f))
    (global (export "g") (ref null $s) (ref.null $s))
    (table (export "t") 1 (ref null $s)))`);
}

async function linkWith(engine: Engine, c: Component, field: string): Promise<unknown> {
  const linker = new Linker(engine);
  linker.root().module('m', await supplied(field));
  return linker.instantiate(new Store(engine), c);
}

describe('module types with GC reference types, at link time', () => {
  const engine = new Engine({ coreEngine: 'interp' });

  it('a supplied module matches by canonical identity, also after the serialized form (twice), and a mismatch is refused', async () => {
    const original = await Component.fromText(engine, CONSUMER);
    const once = Component.deserialize(engine, original.serialize());
    const twice = Component.deserialize(engine, once.serialize());
    for (const c of [original, once, twice]) {
      await linkWith(engine, c, 'i32');
      let error: unknown = null;
      await linkWith(engine, c, 'i64').catch((e: unknown) => { error = e; });
      expect(error).to.be.instanceOf(LinkError);
      expect((error as Error).message).to.match(/module `m` has the wrong type/);
    }
  });
});
