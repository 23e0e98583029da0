// Validation rules of the component validator that the suite pinned down:
// when `canon lift`/`lower` need `memory` and `realloc`, semver messages,
// name attributes, module types inside module types, GC core types,
// section order of embedded modules, external visibility of resources and
// type-mismatch wording.

import { expect } from 'chai';
import { decodeComponent } from '../src/component/binary/decode.js';
import { validateComponent } from '../src/component/valid/validate.js';
import { semverError } from '../src/component/valid/names.js';
import { flattenType } from '../src/component/canon/flatten.js';
import { decodeModule } from '../src/core/binary/decode.js';
import { DecodeError, ValidationError } from '../src/core/errors.js';
import { validateModule } from '../src/core/valid/validate.js';
import { WASM_3_0_SUPPORTED } from '../src/core/syntax/feature-set.js';
import { watToBinary } from '../src/text/wat.js';

const preamble = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00];
const bytes = (...b: number[]) => Uint8Array.from([...preamble, ...b]);

async function check(text: string): Promise<void> {
  validateComponent(decodeComponent(await watToBinary(text)));
}

async function invalid(text: string, message: string): Promise<void> {
  let err: unknown = null;
  try {
    await check(text);
  } catch (e) {
    err = e;
  }
  expect(err, `expected "${message}"`).to.be.instanceOf(ValidationError);
  expect((err as Error).message).to.contain(message);
}

const memModule = `
  (core module $M
    (memory (export "mem") 1)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) unreachable)
    (func (export "i2") (param i32 i32) unreachable)
    (func (export "i20") (param i32) unreachable)
    (func (export "r0") (result i32) unreachable)
    (func (export "cb") (param i32 i32 i32) (result i32) unreachable))
  (core instance $i (instantiate $M))`;

describe('canonical options: memory and realloc (CanonicalABI.md)', () => {
  it('async lift: a flat result needs no memory (it goes through task.return)', async () => {
    await check(`(component ${memModule}
      (func async (result (tuple u32 u32)) (canon lift (core func $i "r0") async (callback (core func $i "cb")))))`);
  });
  it('async lift: a result holding a pointer needs memory', async () => {
    await invalid(`(component ${memModule}
      (func async (result string) (canon lift (core func $i "r0") async (callback (core func $i "cb")))))`,
    'canonical option `memory` is required');
  });
  it('lift: a parameter holding a pointer needs realloc', async () => {
    await invalid(`(component ${memModule}
      (func (param "p" (list u8)) (canon lift (core func $i "i2") (memory (core memory $i "mem")))))`,
    'canonical option `realloc` is required');
  });
  it('lift: a parameter holding a pointer reports memory first when both are missing', async () => {
    await invalid(`(component ${memModule}
      (func (param "p" (list u8)) (canon lift (core func $i "i2"))))`,
    'canonical option `memory` is required');
  });
  it('lift: more than 16 flat parameters need realloc', async () => {
    const params = Array.from({ length: 20 }, (_, k) => `(param "p${k + 1}" u32)`).join(' ');
    await invalid(`(component ${memModule}
      (func ${params} (canon lift (core func $i "i20") (memory (core memory $i "mem")))))`,
    'canonical option `realloc` is required');
    await check(`(component ${memModule}
      (func ${params} (canon lift (core func $i "i20") (memory (core memory $i "mem")) (realloc (core func $i "realloc")))))`);
  });
  it('lower: a result holding a pointer needs realloc; a parameter one only memory', async () => {
    await invalid(`(component ${memModule}
      (import "f" (func $f (result string)))
      (core func (canon lower (func $f) (memory (core memory $i "mem")))))`,
    'canonical option `realloc` is required');
    await check(`(component ${memModule}
      (import "f" (func $f (param "s" string)))
      (core func (canon lower (func $f) (memory (core memory $i "mem")))))`);
    await invalid(`(component ${memModule}
      (import "f" (func $f (param "s" string)))
      (core func (canon lower (func $f))))`,
    'canonical option `memory` is required');
  });
  it('async lower: any result goes through memory', async () => {
    await invalid(`(component ${memModule}
      (import "f" (func $f async (result u32)))
      (core func (canon lower (func $f) async)))`,
    'canonical option `memory` is required');
    await check(`(component ${memModule}
      (import "f" (func $f async (param "a" u32)))
      (core func (canon lower (func $f) async)))`);
  });
  it('task.return takes neither realloc nor post-return', async () => {
    await invalid(`(component ${memModule}
      (core func (canon task.return (result string) (memory (core memory $i "mem")) (realloc (core func $i "realloc")))))`,
    'cannot specify `realloc` option on `task.return`');
    await invalid(`(component ${memModule}
      (core func (canon task.return (result string))))`,
    'canonical option `memory` is required');
  });
});

describe('interface versions (semver)', () => {
  const cases: [string, string][] = [
    ['', 'empty string, expected a semver version'],
    ['.', "unexpected character '.' while parsing major version number"],
    ['1.', 'unexpected end of input while parsing minor version number'],
    ['a.2', "unexpected character 'a' while parsing major version number"],
    ['2.b', "unexpected character 'b' while parsing minor version number"],
    ['2.0x0', "unexpected character 'x' after minor version number"],
    ['2.0.0+', 'empty identifier segment in build metadata'],
    ['2.0.0-', 'empty identifier segment in pre-release identifier'],
    ['01.0.0', 'invalid leading zero in major version number'],
    ['1.0.0-01', 'invalid leading zero in pre-release identifier'],
    ['1.0.0 ', "unexpected character ' ' after patch version number"],
    ['99999999999999999999.0.0', 'value of major version number exceeds u64::MAX'],
  ];
  for (const [v, m] of cases) it(`"${v}": ${m}`, () => expect(semverError(v)).to.equal(m));
  it('accepts valid versions', () => {
    for (const v of ['0.0.0', '1.2.3', '1.0.0-alpha.1', '1.0.0+build.01', '1.0.0-rc.1+x-y']) expect(semverError(v), v).to.equal(null);
  });
  it('reports them on import names', async () => {
    await invalid('(component (import "a:b/c@1." (func)))', 'invalid interface version: unexpected end of input');
  });
});

describe('binary rules the suite classifies as invalid', () => {
  it('a repeated name attribute is a validation error, not a decode error', () => {
    const b = bytes(
      0x07, 0x03, 0x01, 0x42, 0x00,
      0x0a, 0x15, 0x01, 0x02, 0x01, 0x69, 0x02, 0x00, 0x05, ...Buffer.from('a:b/x'), 0x00, 0x05, ...Buffer.from('a:b/y'), 0x05, 0x00,
    );
    const c = decodeComponent(b);
    expect(() => validateComponent(c)).to.throw(ValidationError, "duplicate 'implements' option in name");
  });
  it('a module type inside a module type is invalid', () => {
    const b = bytes(0x03, 0x0a, 0x01, 0x50, 0x02, 0x01, 0x50, 0x00, 0x01, 0x60, 0x00, 0x00);
    const c = decodeComponent(b);
    expect(() => validateComponent(c)).to.throw(ValidationError, 'invalid leading byte');
  });
});

describe('embedded core modules', () => {
  const module = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00, 0x0b, 0x01, 0x00, 0x01, 0x01, 0x00];
  it('a section out of order is "section out of order" in a component', () => {
    expect(() => decodeComponent(bytes(0x01, module.length, ...module))).to.throw(DecodeError, 'section out of order');
  });
  it('the core decoder keeps its own words for core modules', () => {
    expect(() => decodeModule(Uint8Array.from(module))).to.throw(DecodeError, 'unexpected content after last section');
  });
});

describe('WebAssembly 3.0 core types in component core type sections', () => {
  it('decodes a 0x00-prefixed non-final sub type as a function type', () => {
    const c = decodeComponent(bytes(0x03, 0x07, 0x01, 0x00, 0x50, 0x00, 0x60, 0x00, 0x00));
    expect(c.definitions[0]).to.deep.include({ kind: 'coreType', type: { kind: 'sub', sub: { final: false, supers: [], params: [], results: [] } } });
    validateComponent(c);
  });
  it('a rec group defines one type per member, and may refer forward inside itself', () => {
    // (rec (type (struct (field (ref null 1)))) (type (array i32))) then (core type (sub 0 ...)) fails: 0 is final
    const rec = [0x4e, 0x02, 0x5f, 0x01, 0x63, 0x01, 0x00, 0x5e, 0x7f, 0x01];
    validateComponent(decodeComponent(bytes(0x03, rec.length + 1, 0x01, ...rec)));
    const sub = [0x00, 0x50, 0x01, 0x00, 0x5f, 0x00];
    expect(() => validateComponent(decodeComponent(bytes(0x03, rec.length + sub.length + 1, 0x02, ...rec, ...sub))))
      .to.throw(ValidationError, 'sub type cannot have a final super type');
  });
  it('checks type indices in reference types', () => {
    const t = [0x5f, 0x01, 0x63, 0x05, 0x00];
    expect(() => validateComponent(decodeComponent(bytes(0x03, t.length + 1, 0x01, ...t)))).to.throw(ValidationError, 'type index out of bounds');
  });
  it('rejects unknown leading bytes', () => {
    expect(() => decodeComponent(bytes(0x03, 0x03, 0x01, 0x00, 0x51))).to.throw(DecodeError, 'invalid leading byte (0x51) for core type');
  });
  // A module type (0x50) of `decls`, alone in a core type section.
  const moduleType = (...decls: number[][]) => {
    const body = [0x01, 0x50, decls.length, ...decls.flat()];
    return decodeComponent(bytes(0x03, body.length, ...body));
  };
  const subOf = (c: ReturnType<typeof decodeComponent>, k: number) => {
    const d = c.definitions[0]!;
    if (d.kind !== 'coreType' || d.type.kind !== 'module') throw new Error('not a module type');
    return d.type.decls[k];
  };
  it('in a module type, a bare 0x50 that goes on as a sub type is a non-final sub (as wasm-tools writes it), and 0x00 0x50 is one too (Binary.md)', () => {
    const struct = [0x5f, 0x01, 0x7f, 0x00];
    for (const prefix of [[0x50], [0x00, 0x50]]) {
      const c = moduleType([0x01, ...prefix, 0x00, ...struct], [0x01, ...prefix, 0x01, 0x00, ...struct]);
      expect(subOf(c, 1)).to.deep.include({ kind: 'type', type: { kind: 'sub', sub: { params: [], results: [], comp: 'struct', fields: [{ type: 0x7f, mutable: false }], supers: [0], final: false } } });
      validateComponent(c);
    }
  });
  it('in a module type, a bare 0x50 that does not go on as a sub type is a module type, which is invalid there', () => {
    const c = moduleType([0x01, 0x50, 0x00], [0x01, 0x60, 0x00, 0x00]);
    expect(subOf(c, 0)).to.deep.include({ kind: 'type', type: { kind: 'module', decls: [] } });
    expect(() => validateComponent(c)).to.throw(ValidationError, 'a module type cannot declare a module type');
  });
  it('a core type cut short ends in the component\'s words', () => {
    expect(() => decodeComponent(bytes(0x03, 0x04, 0x01, 0x5f, 0x01, 0x63))).to.throw(DecodeError, 'unexpected end-of-file');
    expect(() => moduleType([0x03, 0x01, 0x67, 0x03, 0x63])).to.throw(DecodeError, 'unexpected end-of-file');
  });
  it('a type index too large for a packed heap type (2^23 here) is unknown, in a core module, a component core type and a module type', () => {
    const big = [0x80, 0x80, 0x80, 0x04];
    const types = [0x01, 0x60, 0x01, 0x63, ...big, 0x00];
    const m = decodeModule(Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, types.length, ...types]), WASM_3_0_SUPPORTED);
    expect(() => validateModule(m, WASM_3_0_SUPPORTED)).to.throw(ValidationError, 'unknown type');
    const ct = types.slice(1);
    expect(() => validateComponent(decodeComponent(bytes(0x03, ct.length + 1, 0x01, ...ct)))).to.throw(ValidationError, 'type index out of bounds');
    expect(() => validateComponent(moduleType([0x03, 0x01, 0x67, 0x03, 0x63, ...big, 0x00]))).to.throw(ValidationError, 'type index out of bounds');
  });
  it('a module type\'s globals and tables may have GC reference types naming its own types', () => {
    const c = moduleType([0x01, 0x5f, 0x00], [0x00, 0x01, 0x61, 0x01, 0x67, 0x03, 0x63, 0x00, 0x00], [0x03, 0x01, 0x74, 0x01, 0x64, 0x6b, 0x00, 0x01]);
    validateComponent(c);
    expect(() => validateComponent(moduleType([0x00, 0x01, 0x61, 0x01, 0x67, 0x03, 0x63, 0x00, 0x00]))).to.throw(ValidationError, 'unknown type 0: type index out of bounds');
  });
});

describe('external visibility of resources (Explainer.md)', () => {
  const lifted = `
    (core module $m (func (export "f") (result i32) unreachable))
    (core instance $i (instantiate $m))
    (type $R (resource (rep i32)))
    (func $f (result (own $R)) (canon lift (core func $i "f")))`;
  it('a function over the resource before it was exported is not exportable', async () => {
    await invalid(`(component ${lifted} (export $R' "r" (type $R)) (export "f" (func $f)))`, 'func not valid to be used as export');
  });
  it('through the exported name it is, and types still match the resource', async () => {
    await check(`(component ${lifted} (export $R' "r" (type $R)) (export "f" (func $f) (func (result (own $R')))))`);
  });
  it('a bag of exports gives no resource a name', async () => {
    await invalid(`(component ${lifted} (instance (export "a" (type $R)) (export "[constructor]a" (func $f))))`,
      'resource used in function does not have a name in this context');
  });
});

describe('type mismatch wording', () => {
  it('a defined primitive against a record reads "expected primitive, found record"', async () => {
    await invalid(`(component
      (component $c (type $t u32) (import "x" (type (eq $t))))
      (type $x (record (field "f" u32)))
      (instance (instantiate $c (with "x" (type $x)))))`, 'expected primitive, found record');
  });
});

// The validator and the runtime share one flatten_functype (canon/flatten.ts).
// Two copies once disagreed; these pin the spec's answer (CanonicalABI.md
// "Flattening") where they did.
describe('one flattening for the validator and the runtime (CanonicalABI.md flatten_functype)', () => {
  const m = `
    (core module $M
      (func (export "none"))
      (func (export "r0") (result i32) unreachable)
      (func (export "p1") (param i32) unreachable)
      (func (export "cb") (param i32 i32 i32) (result i32) unreachable))
    (core instance $i (instantiate $M))`;
  it('async lift without a callback: the core function returns nothing', async () => {
    await check(`(component ${m} (func async (result u32) (canon lift (core func $i "none") async)))`);
    await invalid(`(component ${m} (func async (result u32) (canon lift (core func $i "r0") async)))`,
      'lowered result types `[]` do not match result types `[I32]`');
  });
  it('async lift with a callback: the core function returns one i32', async () => {
    await check(`(component ${m} (func async (result u32) (canon lift (core func $i "r0") async (callback (core func $i "cb")))))`);
    await invalid(`(component ${m} (func async (result u32) (canon lift (core func $i "none") async (callback (core func $i "cb")))))`,
      'lowered result types `[I32]` do not match result types `[]`');
  });
  it('flags: one i32 whatever the label count, and no flags without labels', async () => {
    await check(`(component ${m} (func (param "f" (flags "a")) (canon lift (core func $i "p1"))))`);
    const labels = Array.from({ length: 32 }, (_, k) => `"f${k}"`).join(' ');
    await check(`(component ${m} (func (param "f" (flags ${labels})) (canon lift (core func $i "p1"))))`);
    expect(flattenType({ kind: 'flags', names: ['a'] }, 'i32')).to.deep.equal(['i32']);
    await invalid(`(component (type (flags)))`, 'flags must have at least one entry');
  });
});
