// Random component value types and values of them (fast-check), shared by
// the canonical ABI tests: every value type, nested, with the sizes that
// stress layouts (300-case enums need a 16-bit discriminant; flags past 32
// and 64 labels), and strings with ASCII, Latin-1, BMP and astral code points.

import fc from 'fast-check';
import type { DefinedType, ValType } from '../../src/component/syntax/types.js';
import type { ComponentValue } from '../../src/component/canon/index.js';

const PRIMS = ['bool', 's8', 'u8', 's16', 'u16', 's32', 'u32', 's64', 'u64', 'f32', 'f64', 'char', 'string'] as const;

export const labels = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => (i % 3 === 0 ? `${prefix}-${i}` : `${prefix}${i}`));

export const arbType: fc.Arbitrary<ValType> = fc.letrec<{ t: ValType }>((tie) => ({
  t: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...PRIMS),
    fc.array(tie('t'), { minLength: 1, maxLength: 4 }).map((ts): DefinedType => ({ kind: 'record', fields: ts.map((type, i) => ({ name: i === 0 ? 'first-name' : `f${i}`, type })) })),
    fc.array(tie('t'), { minLength: 1, maxLength: 3 }).map((types): DefinedType => ({ kind: 'tuple', types })),
    tie('t').map((elem): DefinedType => ({ kind: 'list', elem, length: null })),
    fc.tuple(tie('t'), fc.integer({ min: 1, max: 3 })).map(([elem, length]): DefinedType => ({ kind: 'list', elem, length })),
    fc.array(fc.option(tie('t'), { nil: null }), { minLength: 1, maxLength: 4 }).map((ts): DefinedType => ({ kind: 'variant', cases: ts.map((type, i) => ({ name: `c${i}`, type })) })),
    tie('t').map((type): DefinedType => ({ kind: 'option', type })),
    fc.tuple(fc.option(tie('t'), { nil: null }), fc.option(tie('t'), { nil: null })).map(([ok, err]): DefinedType => ({ kind: 'result', ok, err })),
    fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constant(300)).map((n): DefinedType => ({ kind: 'enum', names: labels(n, 'e') })),
    fc.oneof(fc.integer({ min: 1, max: 33 }), fc.constantFrom(64, 65, 70)).map((n): DefinedType => ({ kind: 'flags', names: labels(n, 'g') })),
    fc.tuple(tie('t'), tie('t')).map(([key, value]): DefinedType => ({ kind: 'map', key, value })),
  ),
})).t;

export const arbCodePoint = fc.oneof(
  fc.integer({ min: 0x20, max: 0x7e }),
  fc.integer({ min: 0, max: 0xff }),
  fc.integer({ min: 0x100, max: 0xd7ff }),
  fc.integer({ min: 0xe000, max: 0xffff }),
  fc.integer({ min: 0x10000, max: 0x10ffff }),
);
export const arbString = (maxLength = 12) => fc.array(arbCodePoint, { maxLength }).map((cps) => String.fromCodePoint(...cps));
export const arbLatin1String = fc.array(fc.integer({ min: 0, max: 0xff }), { maxLength: 12 }).map((cps) => String.fromCodePoint(...cps));
export const arbAsciiString = fc.array(fc.integer({ min: 0, max: 0x7f }), { maxLength: 12 }).map((cps) => String.fromCodePoint(...cps));
export const arbAnyString = fc.oneof(arbAsciiString, arbLatin1String, arbString());

export function arbValue(t: ValType): fc.Arbitrary<ComponentValue> {
  if (typeof t === 'string') {
    switch (t) {
      case 'bool': return fc.boolean();
      case 's8': return fc.integer({ min: -0x80, max: 0x7f });
      case 'u8': return fc.integer({ min: 0, max: 0xff });
      case 's16': return fc.integer({ min: -0x8000, max: 0x7fff });
      case 'u16': return fc.integer({ min: 0, max: 0xffff });
      case 's32': return fc.integer({ min: -0x80000000, max: 0x7fffffff });
      case 'u32': return fc.integer({ min: 0, max: 0xffffffff });
      case 's64': return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
      case 'u64': return fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
      case 'f32': return fc.float();
      case 'f64': return fc.double();
      case 'char': return arbCodePoint.filter((c) => c < 0xd800 || c > 0xdfff).map((c) => String.fromCodePoint(c));
      case 'string': return arbAnyString;
      default: throw new Error(t);
    }
  }
  switch (t.kind) {
    case 'record': return fc.tuple(...t.fields.map((f) => arbValue(f.type))).map((vs) => Object.fromEntries(t.fields.map((f, i) => [f.name, vs[i]!])));
    case 'tuple': return fc.tuple(...t.types.map(arbValue));
    case 'list': return t.length === null ? fc.array(arbValue(t.elem), { maxLength: 4 }) : fc.array(arbValue(t.elem), { minLength: t.length, maxLength: t.length });
    case 'variant': return fc.oneof(...t.cases.map((c) => (c.type === null ? fc.constant({ tag: c.name }) : arbValue(c.type).map((val) => ({ tag: c.name, val })))));
    case 'option': return fc.oneof(fc.constant({ tag: 'none' }), arbValue(t.type).map((val) => ({ tag: 'some', val })));
    case 'result': return fc.oneof(
      t.ok === null ? fc.constant({ tag: 'ok' }) : arbValue(t.ok).map((val) => ({ tag: 'ok', val })),
      t.err === null ? fc.constant({ tag: 'err' }) : arbValue(t.err).map((val) => ({ tag: 'err', val })),
    );
    case 'enum': return fc.constantFrom(...t.names);
    case 'flags': return fc.array(fc.boolean(), { minLength: t.names.length, maxLength: t.names.length }).map((bs) => Object.fromEntries(t.names.map((n, i) => [n, bs[i]!])));
    case 'map': return fc.array(fc.tuple(arbValue(t.key), arbValue(t.value)), { maxLength: 3 });
    default: throw new Error(t.kind);
  }
}

export const arbTypedValue = arbType.chain((t) => arbValue(t).map((v) => ({ t, v })));
