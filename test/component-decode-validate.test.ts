import { expect } from 'chai';
import { decodeComponent } from '../src/component/binary/decode.js';
import { validateComponent } from '../src/component/valid/validate.js';
import { isKebab, parseExternName } from '../src/component/valid/names.js';
import { printWit } from '../src/component/print-wit.js';
import { DecodeError, ValidationError } from '../src/core/errors.js';

const preamble = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00];
const bytes = (...b: number[]) => Uint8Array.from([...preamble, ...b]);
const str = (s: string) => [s.length, ...Buffer.from(s)];

describe('component decoder', () => {
  it('accepts an empty component', () => {
    expect(decodeComponent(bytes()).definitions).to.deep.equal([]);
  });
  it('rejects bad preambles and section ids', () => {
    expect(() => decodeComponent(Uint8Array.from([0, 0x61, 0x73]))).to.throw(DecodeError);
    expect(() => decodeComponent(bytes(0x0d, 0x00))).to.throw(DecodeError, 'malformed section id');
  });
  it('decodes a type section', () => {
    const c = decodeComponent(bytes(0x07, 0x02, 0x01, 0x73));
    expect(c.definitions[0]).to.deep.include({ kind: 'type', type: { kind: 'prim', type: 'string' } });
  });
  it('reports truncation', () => {
    expect(() => decodeComponent(bytes(0x07, 0x05, 0x01))).to.throw(DecodeError, 'unexpected end-of-file');
  });
});

describe('component validator', () => {
  // (type (func (param "a" u32) (result string))) (import "f" (func (type 0)))
  const funcImport = bytes(
    0x07, 0x08, 0x01, 0x40, 0x01, ...str('a'), 0x79, 0x00, 0x73,
    0x0a, 0x06, 0x01, 0x00, ...str('f'), 0x01, 0x00,
  );
  it('types imports', () => {
    const t = validateComponent(decodeComponent(funcImport));
    expect([...t.imports.keys()]).to.deep.equal(['f']);
    expect(printWit(t)).to.contain('import f: func(a: u32) -> string;');
  });
  it('rejects names not in kebab case', () => {
    const b = bytes(
      0x07, 0x05, 0x01, 0x40, 0x00, 0x01, 0x00,
      0x0a, 0x08, 0x01, 0x00, ...str('a_b'), 0x01, 0x00,
    );
    expect(() => validateComponent(decodeComponent(b))).to.throw(ValidationError, 'is not a valid extern name');
  });
  it('rejects out-of-bounds type indices', () => {
    const b = bytes(0x0a, 0x06, 0x01, 0x00, ...str('f'), 0x01, 0x05);
    expect(() => validateComponent(decodeComponent(b))).to.throw(ValidationError, 'type index out of bounds');
  });
});

describe('extern names', () => {
  it('knows kebab case', () => {
    expect(isKebab('a-b-c')).to.equal(true);
    expect(isKebab('a-B')).to.equal(true);
    expect(isKebab('aB')).to.equal(false);
    expect(isKebab('0a')).to.equal(false);
  });
  it('parses annotated and interface names', () => {
    expect(parseExternName('[method]r.f', 0)).to.deep.equal({ kind: 'method', resource: 'r', name: 'f' });
    expect(parseExternName('wasi:http/types@1.0.0', 0)).to.include({ kind: 'interface', iface: 'types', version: '1.0.0' });
    expect(() => parseExternName('[method]r', 0)).to.throw('failed to find `.` character');
  });
});
