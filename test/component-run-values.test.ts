// The component value syntax of .wast scripts (src/wast/component-values.ts):
// reading every constant form the suites use against a type, printing it
// back in the same syntax, and matching.

import { expect } from 'chai';
import { readSExprs, WastSyntaxError } from '../src/wast/sexpr.js';
import {
  componentValuesMatch, formatComponentResults, formatComponentValue, parseComponentArgs, parseComponentValue,
} from '../src/wast/component-values.js';
import type { ValType } from '../src/component/syntax/types.js';

const read = (text: string) => readSExprs(text)[0]!;
const parse = (text: string, t: ValType) => parseComponentValue(read(text), t);

const color: ValType = { kind: 'enum', names: ['red', 'green', 'blue'] };
const perms: ValType = { kind: 'flags', names: ['a', 'b', 'c'] };
const num: ValType = { kind: 'variant', cases: [{ name: 'n', type: 'u32' }, { name: 's', type: 'string' }, { name: 'none', type: null }] };
const profile: ValType = { kind: 'record', fields: [{ name: 'name', type: 'string' }, { name: 'scores', type: { kind: 'list', elem: 'u32', length: null } }] };
const pair: ValType = { kind: 'tuple', types: ['string', 'u32', 'bool'] };
const maybe: ValType = { kind: 'option', type: pair };
const res: ValType = { kind: 'result', ok: 'string', err: 'u32' };
const unit: ValType = { kind: 'result', ok: null, err: null };

/** Text in canonical form: parse, format, and parse again must give the same text and an equal value. */
const canonical: [string, ValType][] = [
  ['(bool.const true)', 'bool'],
  ['(bool.const false)', 'bool'],
  ['(s8.const -128)', 's8'],
  ['(u8.const 255)', 'u8'],
  ['(s16.const -1)', 's16'],
  ['(u16.const 65535)', 'u16'],
  ['(s32.const -2147483648)', 's32'],
  ['(u32.const 4294967295)', 'u32'],
  ['(s64.const -9223372036854775808)', 's64'],
  ['(u64.const 18446744073709551615)', 'u64'],
  ['(f32.const 5)', 'f32'],
  ['(f32.const -0)', 'f32'],
  ['(f32.const nan)', 'f32'],
  ['(f64.const inf)', 'f64'],
  ['(f64.const -inf)', 'f64'],
  ['(f64.const 0.5)', 'f64'],
  ['(char.const "⛳")', 'char'],
  ['(char.const "🍰")', 'char'],
  ['(str.const "")', 'string'],
  ['(str.const "a \\"quoted\\" \\\\ line\\n")', 'string'],
  ['(list.const)', { kind: 'list', elem: 'string', length: null }],
  ['(list.const (str.const "foo") (str.const "bar"))', { kind: 'list', elem: 'string', length: null }],
  ['(list.const (u8.const 1) (u8.const 2))', { kind: 'list', elem: 'u8', length: 2 }],
  ['(tuple.const (str.const "x=") (u32.const 42) (bool.const true))', pair],
  ['(record.const (field "name" (str.const "p:")) (field "scores" (list.const (u32.const 10) (u32.const 20))))', profile],
  ['(variant.const "n" (u32.const 99))', num],
  ['(variant.const "s" (str.const "hi"))', num],
  ['(variant.const "none")', num],
  ['(enum.const "green")', color],
  ['(flags.const)', perms],
  ['(flags.const "a" "c")', perms],
  ['(option.none)', maybe],
  ['(option.some (tuple.const (str.const "n=") (u32.const 7) (bool.const false)))', maybe],
  ['(result.ok (str.const "yo"))', res],
  ['(result.err (u32.const 404))', res],
  ['(result.ok)', unit],
  ['(result.err)', unit],
  ['(map.const ((str.const "k") (u32.const 1)))', { kind: 'map', key: 'string', value: 'u32' }],
];

describe('component value syntax', () => {
  for (const [text, t] of canonical) {
    it(`round-trips ${text}`, () => {
      const v = parse(text, t);
      const printed = formatComponentValue(v, t);
      expect(printed).to.equal(text);
      expect(componentValuesMatch(v, parse(printed, t), t)).to.equal(true);
    });
  }

  it('reads the other spellings the suites use', () => {
    expect(parse('(u32.const 0xffffffff)', 'u32')).to.equal(4294967295);
    expect(parse('(u16.const 0xffff)', 'u16')).to.equal(65535);
    expect(parse('(s8.const 0xff)', 's8')).to.equal(-1);
    expect(parse('(u32.const 1_000)', 'u32')).to.equal(1000);
    expect(parse('(u64.const 0)', 'u64')).to.equal(0n);
    expect(parse('(f32.const 0x1p-1)', 'f32')).to.equal(0.5);
    expect(Number.isNaN(parse('(f64.const nan:0x4)', 'f64'))).to.equal(true);
    expect(Number.isNaN(parse('(f32.const nan:canonical)', 'f32'))).to.equal(true);
    expect(Number.isNaN(parse('(f32.const nan:arithmetic)', 'f32'))).to.equal(true);
    // Record fields written without parentheses around the value, in any order.
    const v = parse('(record.const (field "scores" list.const (u32.const 1)) (field "name" str.const "v="))', profile);
    expect(formatComponentValue(v, profile)).to.equal('(record.const (field "name" (str.const "v=")) (field "scores" (list.const (u32.const 1))))');
    expect(Object.keys(v as object)).to.deep.equal(['name', 'scores']);
  });

  it('matches exactly, NaN matching NaN and -0 not matching 0', () => {
    expect(componentValuesMatch(parse('(f32.const nan)', 'f32'), NaN, 'f32')).to.equal(true);
    expect(componentValuesMatch(parse('(f64.const -0)', 'f64'), 0, 'f64')).to.equal(false);
    expect(componentValuesMatch(parse('(flags.const "a")', perms), parse('(flags.const "a" "b")', perms), perms)).to.equal(false);
    expect(componentValuesMatch(parse('(variant.const "n" (u32.const 1))', num), parse('(variant.const "n" (u32.const 2))', num), num)).to.equal(false);
  });

  it('refuses values that do not fit the type, with the position', () => {
    const bad: [string, ValType][] = [
      ['(u32.const 1)', 's32'],
      ['(u8.const 256)', 'u8'],
      ['(u8.const -1)', 'u8'],
      ['(s8.const 128)', 's8'],
      ['(bool.const 1)', 'bool'],
      ['(char.const "ab")', 'char'],
      ['(enum.const "purple")', color],
      ['(flags.const "z")', perms],
      ['(variant.const "n")', num],
      ['(variant.const "none" (u32.const 1))', num],
      ['(tuple.const (str.const "x"))', pair],
      ['(record.const (field "name" (str.const "x")))', profile],
      ['(list.const (u8.const 1))', { kind: 'list', elem: 'u8', length: 2 }],
      ['(option.some)', maybe],
      ['(result.ok (u32.const 1))', res],
    ];
    for (const [text, t] of bad) {
      expect(() => parse(text, t), text).to.throw(WastSyntaxError, /^1:\d+: /);
    }
  });

  it('gives an example of the expected type for a value that is no value form at all', () => {
    expect(() => parse('"x"', 'string')).to.throw(WastSyntaxError, /^1:1: expected a value of type string such as \(str\.const ""\)$/);
    expect(() => parse('()', 'u32')).to.throw(WastSyntaxError, /^1:1: expected a value of type u32 such as \(u32\.const 0\)$/);
    expect(() => parse('(tuple.const "x" (u32.const 1) (bool.const true))', pair)).to.throw(WastSyntaxError, /expected a value of type string such as \(str\.const ""\)$/);
  });

  it('reads argument lists and prints results', () => {
    const params = [{ name: 'a', type: 'u32' as ValType }, { name: 'b', type: 'string' as ValType }];
    const args = parseComponentArgs(readSExprs('(u32.const 1) (str.const "x")'), params, { line: 1, col: 1 });
    expect(args).to.deep.equal([1, 'x']);
    expect(() => parseComponentArgs([], params, { line: 3, col: 1 })).to.throw(WastSyntaxError, 'takes 2 arguments, 0 given');
    expect(formatComponentResults([], [])).to.equal('(no results)');
    expect(formatComponentResults([7], ['u32'])).to.equal('(u32.const 7)');
  });
});
