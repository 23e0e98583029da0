// Bad bytes never make the component decoder or validator throw anything
// but DecodeError or ValidationError: random bytes, truncations, absurd
// counts and deep nesting.

import { expect } from 'chai';
import fc from 'fast-check';
import { decodeComponent } from '../src/component/binary/decode.js';
import { validateComponent } from '../src/component/valid/validate.js';
import { MAX_TYPE_DEPTH } from '../src/component/valid/type-size.js';
import { typeOfBinary } from '../src/component/types.js';
import { printWit, componentJson } from '../src/component/print-wit.js';
import { DecodeError, ValidationError } from '../src/core/errors.js';
import { watToBinary } from '../src/text/wat.js';
import { fuzzBudget, fuzzTimeout, isInternalError } from './support/fuzz.js';
import { leb, section } from './support/binary.js';

const preamble = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00];

/**
 * Decodes and validates; returns the error class name, or 'ok'. Anything
 * else fails the test, and so does an "internal … error": a DecodeError or
 * ValidationError wrapped around a crash of the decoder or validator.
 */
function outcome(b: Uint8Array): string {
  try {
    const t = validateComponent(decodeComponent(b));
    printWit(t);
    JSON.stringify(componentJson(t));
    return 'ok';
  } catch (e) {
    if (isInternalError(e)) throw e;
    if (e instanceof DecodeError || e instanceof ValidationError) return e.name;
    throw e;
  }
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) { out.push(b); return out; }
    out.push(b | 0x80);
  }
}


const sample = `(component
  (import "i" (instance $i (export "r" (type (sub resource))) (export "f" (func (param "x" u32) (result string)))))
  (alias export $i "r" (type $r))
  (type $rec (record (field "a" u32) (field "b" (list string))))
  (import "rec" (type $rec' (eq $rec)))
  (import "g" (func $g (param "r" (own $r)) (result (option $rec'))))
  (core module $m (memory (export "mem") 1) (func (export "f") (param i32 i32)))
  (core instance $ci (instantiate $m))
  (type $v (variant (case "a") (case "b" u64)))
  (import "h" (func $h))
  (component $c (import "x" (func)) (export "y" (func 0)))
  (instance $n (instantiate $c (with "x" (func $h))))
  (export "n" (instance $n))
)`;

describe('component decoder and validator robustness', function () {
  this.timeout(fuzzTimeout(2_000));
  let valid: Uint8Array;
  before(async () => {
    valid = await watToBinary(sample);
  });

  it('counts an error wrapped around a decoder or validator crash as a failure, not a clean refusal', () => {
    expect(isInternalError(new DecodeError('internal decoder error: Cannot read properties of undefined', -1))).to.equal(true);
    expect(isInternalError(new ValidationError('internal validator error: x is not a function'))).to.equal(true);
    expect(isInternalError(new DecodeError('unexpected end', 3))).to.equal(false);
  });

  it('random bytes after a preamble', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
      outcome(Uint8Array.from([...preamble, ...b]));
    }), fuzzBudget(2000));
  });

  it('random sections with plausible ids', () => {
    const sec = fc.tuple(fc.integer({ min: 0, max: 12 }), fc.uint8Array({ maxLength: 40 })).map(([id, body]) => section(id, [...body]));
    fc.assert(fc.property(fc.array(sec, { maxLength: 6 }), (secs) => {
      outcome(Uint8Array.from([...preamble, ...secs.flat()]));
    }), fuzzBudget(2000));
  });

  it('the sample is valid, and its truncations fail cleanly (a cut at a section boundary may stay valid)', () => {
    expect(outcome(valid)).to.equal('ok');
    for (let n = 0; n < 8; n++) expect(outcome(valid.subarray(0, n)), `${n} bytes`).to.equal('DecodeError');
    let cutsInsideSections = 0;
    for (let n = 8; n < valid.length; n++) if (outcome(valid.subarray(0, n)) === 'DecodeError') cutsInsideSections++;
    expect(cutsInsideSections).to.be.greaterThan(valid.length / 2);
  });

  it('single-byte mutations of the sample', () => {
    fc.assert(fc.property(fc.nat(), fc.integer({ min: 0, max: 255 }), (at, byte) => {
      const b = Uint8Array.from(valid);
      b[8 + (at % (b.length - 8))] = byte;
      outcome(b);
    }), fuzzBudget(3000));
  });

  it('absurd counts are truncation, not allocation', () => {
    for (const id of [2, 3, 5, 6, 7, 8, 10, 11]) {
      const b = Uint8Array.from([...preamble, ...section(id, [0xff, 0xff, 0xff, 0xff, 0x0f])]);
      expect(() => decodeComponent(b)).to.throw(DecodeError);
    }
    // a record with 2^32-1 fields, a name of 2^32-1 bytes
    expect(() => decodeComponent(Uint8Array.from([...preamble, ...section(7, [0x01, 0x72, 0xff, 0xff, 0xff, 0xff, 0x0f])]))).to.throw(DecodeError);
    expect(() => decodeComponent(Uint8Array.from([...preamble, ...section(10, [0x01, 0x00, 0xff, 0xff, 0xff, 0xff, 0x0f])]))).to.throw(DecodeError);
  });

  it('deeply nested components', () => {
    let inner: number[] = [...preamble];
    for (let i = 0; i < 1500; i++) inner = [...preamble, ...section(4, inner)];
    expect(() => decodeComponent(Uint8Array.from(inner))).to.throw(DecodeError, 'nesting too deep');
    let ok: number[] = [...preamble];
    for (let i = 0; i < 50; i++) ok = [...preamble, ...section(4, ok)];
    expect(outcome(Uint8Array.from(ok))).to.equal('ok');
  });

  it('deeply nested component types', () => {
    // (type (component (type (component ... )))) written inside out
    let decl: number[] = [0x41, 0x00];
    for (let i = 0; i < 3000; i++) decl = [0x41, 0x01, 0x01, ...decl];
    const b = Uint8Array.from([...preamble, ...section(7, [0x01, ...decl])]);
    expect(() => decodeComponent(b)).to.throw(DecodeError, 'nesting too deep');
  });

  it('long chains of value types (each refers to the previous index), up to cmr\'s nesting limit', () => {
    // lists and options: sizes are memoised, so this is linear, not cubic
    for (const op of [0x70, 0x6b]) {
      const types: number[] = [0x6b, 0x79];
      const n = MAX_TYPE_DEPTH;
      for (let i = 1; i < n; i++) types.push(op, ...sleb(i - 1));
      const b = Uint8Array.from([...preamble, ...section(7, [...leb(n), ...types])]);
      expect(validateComponent(decodeComponent(b)).imports.size).to.equal(0);
    }
  });

  it('a type nested deeper than cmr\'s limit is refused with that limit, not a stack overflow; one at the limit is exported and printed', () => {
    // n lists of lists of ... u8, the last one exported: the all-types-named
    // walk and the WIT printer recurse once per level.
    const chain = (n: number, op: number) => {
      const types: number[] = [];
      for (let i = 0; i < n; i++) types.push(op, ...(i === 0 ? [0x7d] : sleb(i - 1)));
      const name = [0x00, 0x01, 0x74]; // plain name "t"
      const exp = [0x01, ...name, 0x03, ...leb(n - 1), 0x00];
      return Uint8Array.from([...preamble, ...section(7, [...leb(n), ...types]), ...section(11, exp)]);
    };
    for (const op of [0x70, 0x6b]) {
      expect(outcome(chain(MAX_TYPE_DEPTH, op))).to.equal('ok');
      for (const n of [MAX_TYPE_DEPTH + 1, 100_000]) {
        expect(() => validateComponent(decodeComponent(chain(n, op)))).to.throw(ValidationError, `type nesting exceeds cmr's limit of ${MAX_TYPE_DEPTH} levels`);
      }
    }
  });

  it('typeOfBinary reports core modules and components alike through the two error classes', () => {
    expect(() => typeOfBinary(Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0x01]))).to.throw(DecodeError);
    expect(typeOfBinary(Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0])).kind).to.equal('module');
    expect(typeOfBinary(valid).kind).to.equal('component');
  });
});
