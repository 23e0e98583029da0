// What a GC object of the host engine is. V8 hands structs and arrays to JS
// as opaque objects (i31s as numbers), so nothing in JS tells a struct from
// an array or from a host object; a tiny wasm module does, by ref.test. The
// probe is registered with runtime/gc-values.ts's anyKind, which the
// harness's result patterns (ref.struct, ref.array, ref.eq) read.

import { setForeignAnyKind } from '../runtime/gc-values.js';

/**
 * (module (func (export "k") (param anyref) (result i32)
 *   (i32.or (ref.test (ref struct) (local.get 0))
 *           (i32.shl (ref.test (ref array) (local.get 0)) (i32.const 1)))))
 */
const PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x06, 0x01, 0x60, 0x01, 0x6e, 0x01, 0x7f,
  0x03, 0x02, 0x01, 0x00,
  0x07, 0x05, 0x01, 0x01, 0x6b, 0x00, 0x00,
  0x0a, 0x12, 0x01, 0x10, 0x00,
  0x20, 0x00, 0xfb, 0x14, 0x6b, 0x20, 0x00, 0xfb, 0x14, 0x6a, 0x41, 0x01, 0x74, 0x72, 0x0b,
]);

let probe: ((v: unknown) => number) | null | undefined;

function kindOf(v: object): 'struct' | 'array' | null {
  if (probe === undefined) {
    try {
      const inst = new WebAssembly.Instance(new WebAssembly.Module(PROBE), {});
      probe = inst.exports['k'] as (v: unknown) => number;
    } catch {
      probe = null; // a host without GC has no GC objects to classify
    }
  }
  if (probe === null) return null;
  const k = probe(v);
  return k === 1 ? 'struct' : k === 2 ? 'array' : null;
}

setForeignAnyKind(kindOf);
