// Tests for the text side of numbers: literal parsing (exact rounding),
// printing (shortest round trip), expected-result patterns and matching.
//
// Oracles: literal/bit pairs from the official suites; for f64 decimals,
// Number(text), which ECMAScript requires to be correctly rounded; for
// everything else, a verifier on exact rationals that checks the parsed
// result is the nearest representable value (ties to even).

import { expect } from 'chai';
import { HT, refType } from '../src/core/syntax/reftypes.js';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HostFunc } from '../src/core/runtime/func.js';
import { f64Bits } from '../src/core/runtime/values.js';
import { EXTERNREF, F32, F64, FUNCREF, I32, I64, V128 } from '../src/core/syntax/types.js';
import {
  ExternRef,
  LiteralError,
  either,
  formatExpected,
  formatF32,
  formatF64,
  formatValue,
  isArithmeticNanF32,
  isArithmeticNanF64,
  isCanonicalNanF32,
  isCanonicalNanF64,
  matchValue,
  parseConst,
  parseExpected,
  parseF32,
  parseF64,
  parseInt32,
  parseInt64,
  parseV128,
  type Expected,
} from '../src/wast/numbers.js';
import { suitesRoot } from '../src/wast/suites.js';
import { fuzzBudget, fuzzTimeout } from './support/fuzz.js';

// The suites are part of the test bed (CI has them beside the checkout);
// a missing suite fails these tests rather than skipping them.
const CORE = join(suitesRoot(), 'core-2.0');

function literalError(f: () => unknown): LiteralError {
  try {
    f();
  } catch (e) {
    if (e instanceof LiteralError) return e;
    throw e;
  }
  throw new Error('expected a LiteralError');
}

const hex32 = (bits: number) => '0x' + (bits >>> 0).toString(16).padStart(8, '0');

// ---------------------------------------------------------------------------
// Exact-rational oracle.

interface Q {
  n: bigint; // numerator, may be negative
  d: bigint; // denominator, positive
}

const q = (n: bigint, d = 1n): Q => ({ n, d });
const sub = (a: Q, b: Q): Q => q(a.n * b.d - b.n * a.d, a.d * b.d);
const abs = (a: Q): Q => q(a.n < 0n ? -a.n : a.n, a.d);
const cmp = (a: Q, b: Q): number => {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
};
const pow2 = (e: number): Q => (e >= 0 ? q(1n << BigInt(e)) : q(1n, 1n << BigInt(-e)));

interface Fmt {
  p: number;
  expBits: number;
}
const B32: Fmt = { p: 24, expBits: 8 };
const B64: Fmt = { p: 53, expBits: 11 };

/** Exact value of a non-negative finite magnitude pattern (the all-ones exponent reads as 2^(emax+1)). */
function valueOfMagnitude(bits: bigint, f: Fmt): Q {
  const fracBits = BigInt(f.p - 1);
  const biased = Number(bits >> fracBits);
  const frac = bits & ((1n << fracBits) - 1n);
  const bias = (1 << (f.expBits - 1)) - 1;
  const m = biased === 0 ? frac : frac | (1n << fracBits);
  const e = (biased === 0 ? 1 : biased) - bias - (f.p - 1);
  const scale = pow2(e);
  return q(m * scale.n, scale.d);
}

/** The exact rational of a decimal or hex literal without sign (the oracle's own, simple reader). */
function exactOf(text: string): Q {
  const t = text.replace(/_/g, '');
  const hex = /^0x([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?\d+))?$/i.exec(t);
  if (hex) {
    const frac = hex[2] ?? '';
    const e = Number(hex[3] ?? 0) - 4 * frac.length;
    const s = pow2(e);
    return q(BigInt('0x' + hex[1] + frac) * s.n, s.d);
  }
  const dec = /^(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(t)!;
  const frac = dec[2] ?? '';
  const e = Number(dec[3] ?? 0) - frac.length;
  const m = BigInt(dec[1]! + frac);
  return e >= 0 ? q(m * 10n ** BigInt(e)) : q(m, 10n ** BigInt(-e));
}

/**
 * Whether `bits` (unsigned, with sign) is the correctly rounded value of the
 * literal `text` (sign included): no neighbour is nearer, and on a tie the
 * significand is even.
 */
function isCorrectlyRounded(text: string, bits: bigint, f: Fmt): boolean {
  const signBit = 1n << BigInt(f.p + f.expBits - 1);
  const negative = text.startsWith('-');
  if (((bits & signBit) !== 0n) !== negative) return false;
  const x = exactOf(text.replace(/^[+-]/, ''));
  const mag = bits & (signBit - 1n);
  const infinity = ((1n << BigInt(f.expBits)) - 1n) << BigInt(f.p - 1);
  if (mag >= infinity) return false;
  const here = cmpDistance(x, mag, f);
  const below = mag > 0n ? here(mag - 1n) : 1;
  const above = here(mag + 1n);
  if (below < 0 || above < 0) return false;
  return (below > 0 && above > 0) || (mag & 1n) === 0n;
}

/** Compares |x − value(other)| with |x − value(mag)|: −1 when the other is nearer. */
function cmpDistance(x: Q, mag: bigint, f: Fmt): (other: bigint) => number {
  const dHere = abs(sub(x, valueOfMagnitude(mag, f)));
  return (other) => cmp(abs(sub(x, valueOfMagnitude(other, f))), dHere);
}

/** Whether a literal overflows: it is at least the midpoint between the largest finite value and 2^(emax+1). */
function overflows(text: string, f: Fmt): boolean {
  const x = exactOf(text.replace(/^[+-]/, ''));
  const maxFinite = (((1n << BigInt(f.expBits)) - 1n) << BigInt(f.p - 1)) - 1n;
  const a = valueOfMagnitude(maxFinite, f);
  const b = valueOfMagnitude(maxFinite + 1n, f);
  const midpoint = q(a.n * b.d + b.n * a.d, 2n * a.d * b.d);
  return cmp(x, midpoint) >= 0;
}

const u32 = (bits: number) => BigInt(bits >>> 0);
const u64 = (bits: bigint) => BigInt.asUintN(64, bits);

// ---------------------------------------------------------------------------

describe('numbers: integer literals', function () {
  this.timeout(fuzzTimeout(2_000));
  it('reads decimal and hex, signs and separators', () => {
    expect(parseInt32('0')).to.equal(0);
    expect(parseInt32('+42')).to.equal(42);
    expect(parseInt32('-42')).to.equal(-42);
    expect(parseInt32('1_000_000')).to.equal(1000000);
    expect(parseInt32('0x0bAdD00D')).to.equal(0x0badd00d);
    expect(parseInt32('0xf_f')).to.equal(255);
    expect(parseInt64('0x0CABBA6E0ba66a6e')).to.equal(0x0cabba6e0ba66a6en);
    expect(parseInt64('-0x8000_0000_0000_0000')).to.equal(-(2n ** 63n));
  });

  it('wraps unsigned spellings and accepts exactly −2^(N−1) … 2^N−1', () => {
    expect(parseInt32('0xffffffff')).to.equal(-1);
    expect(parseInt32('4294967295')).to.equal(-1);
    expect(parseInt32('2147483648')).to.equal(-2147483648);
    expect(parseInt32('-2147483648')).to.equal(-2147483648);
    expect(parseInt64('18446744073709551615')).to.equal(-1n);
    expect(parseInt64('-9223372036854775808')).to.equal(-(2n ** 63n));
    for (const t of ['0x100000000', '-0x80000001', '4294967296', '-2147483649']) {
      expect(literalError(() => parseInt32(t)).suiteMessage, t).to.equal('constant out of range');
    }
    for (const t of ['0x10000000000000000', '-0x8000000000000001', '18446744073709551616', '-9223372036854775809']) {
      expect(literalError(() => parseInt64(t)).suiteMessage, t).to.equal('constant out of range');
    }
  });

  it('rejects bad syntax as malformed', () => {
    for (const t of ['', '-', '0x', '1x', '0xg', '_100', '+_100', '-_100', '99_', '1__000', '_0x100', '0_x100', '0x_100', '0x00_', '0xff__ffff', '1.0', '1e1', 'nan', '0X1', ' 1']) {
      expect(literalError(() => parseInt32(t)).suiteMessage, JSON.stringify(t)).to.equal('unknown operator');
    }
  });

  it('property: every i32 and i64 reads back from its decimal and hex spellings', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (v) => {
        expect(parseInt32(String(v))).to.equal(v);
        expect(parseInt32('0x' + (v >>> 0).toString(16))).to.equal(v);
      }),
    );
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (v) => {
        expect(parseInt64(String(v))).to.equal(v);
        expect(parseInt64('0x' + BigInt.asUintN(64, v).toString(16))).to.equal(v);
      }),
    );
  });
});

describe('numbers: float literals', function () {
  this.timeout(fuzzTimeout(2_000));
  it('reads the special values', () => {
    expect(hex32(parseF32('nan'))).to.equal('0x7fc00000');
    expect(hex32(parseF32('+nan'))).to.equal('0x7fc00000');
    expect(hex32(parseF32('-nan'))).to.equal('0xffc00000');
    expect(hex32(parseF32('nan:0x200000'))).to.equal('0x7fa00000');
    expect(hex32(parseF32('-nan:0x7f_ffff'))).to.equal('0xffffffff');
    expect(hex32(parseF32('inf'))).to.equal('0x7f800000');
    expect(hex32(parseF32('-inf'))).to.equal('0xff800000');
    expect(hex32(parseF32('-0'))).to.equal('0x80000000');
    expect(u64(parseF64('nan:0x1'))).to.equal(0x7ff0000000000001n);
    expect(u64(parseF64('-nan'))).to.equal(0xfff8000000000000n);
    expect(u64(parseF64('-0x0.0p0'))).to.equal(0x8000000000000000n);
  });

  it('rejects NaN payloads that are zero or too wide, and non-hex payloads', () => {
    expect(literalError(() => parseF32('nan:0x0')).suiteMessage).to.equal('constant out of range');
    expect(literalError(() => parseF32('nan:0x80_0000')).suiteMessage).to.equal('constant out of range');
    expect(literalError(() => parseF64('nan:0x10_0000_0000_0000')).suiteMessage).to.equal('constant out of range');
    expect(literalError(() => parseF32('nan:1')).suiteMessage).to.equal('unknown operator');
    expect(literalError(() => parseF32('nan:canonical')).suiteMessage).to.equal('unknown operator');
    expect(literalError(() => parseF32('infinity')).suiteMessage).to.equal('unknown operator');
  });

  it('rounds at the f32 midpoint the way a double-rounding reader would not', () => {
    // 1 + 2^-24 + 2^-60 is above the f32 midpoint 1 + 2^-24, but rounds to
    // exactly that midpoint in f64, and then to 1.0 (even) in f32.
    const text = '0x1.00000100000000001p0';
    expect(hex32(parseF32(text))).to.equal('0x3f800001');
    expect(Math.fround(Number(exactDecimal(text)))).to.equal(1);
  });

  it('overflows to an error, underflows to zero', () => {
    expect(hex32(parseF32('0x1.fffffefffffffffffffp127'))).to.equal('0x7f7fffff');
    expect(literalError(() => parseF32('0x1.ffffffp127')).problem).to.equal('out of range');
    expect(literalError(() => parseF32('1e39')).problem).to.equal('out of range');
    expect(literalError(() => parseF64('-1e309')).problem).to.equal('out of range');
    expect(literalError(() => parseF64('1e99999999999999999999')).problem).to.equal('out of range');
    expect(hex32(parseF32('1e-46'))).to.equal('0x00000000');
    expect(hex32(parseF32('-1e-99999999999999999999'))).to.equal('0x80000000');
    expect(hex32(parseF32('0e99999999999999999999'))).to.equal('0x00000000');
    expect(hex32(parseF32('0x1p-150'))).to.equal('0x00000000'); // tie with 0: to even
    expect(hex32(parseF32('0x1.000001p-150'))).to.equal('0x00000001');
  });

  it('property: f64 decimals agree with Number(text)', () => {
    fc.assert(fc.property(decimalLiteral(), (text) => checkF64Decimal(text)), fuzzBudget(2000));
  });

  it('property: f32 decimals are correctly rounded (exact verifier)', () => {
    fc.assert(fc.property(decimalLiteral(), (text) => checkCorrectlyRounded(text, B32)), fuzzBudget(2000));
  });

  it('property: hex floats are correctly rounded in f32 and f64 (exact verifier)', () => {
    fc.assert(
      fc.property(hexLiteral(), (text) => {
        checkCorrectlyRounded(text, B32);
        checkCorrectlyRounded(text, B64);
      }),
      fuzzBudget(2000),
    );
  });

  it('property: f32 decimals near f32 midpoints are correctly rounded', () => {
    // The hard cases: the exact midpoint between two f32s, nudged by a tiny amount.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 0x7f7ffffe }),
        fc.constantFrom(-1n, 0n, 1n),
        (bits, nudge) => {
          const text = midpointLiteral(BigInt(bits), nudge);
          checkCorrectlyRounded(text, B32);
        },
      ),
      fuzzBudget(1000),
    );
  });
});

/** An exact decimal expansion of a hex literal (for the double-rounding demonstration). */
function exactDecimal(text: string): string {
  const x = exactOf(text);
  // x.d is a power of two: multiply by 5^k to get a power of ten.
  const k = x.d.toString(2).length - 1;
  const digits = (x.n * 5n ** BigInt(k)).toString().padStart(k + 1, '0');
  return `${digits.slice(0, digits.length - k)}.${digits.slice(digits.length - k)}`;
}

/** A decimal literal for the midpoint of f32 pattern `bits` and the next, plus nudge × 10^-(many). */
function midpointLiteral(bits: bigint, nudge: bigint): string {
  const a = valueOfMagnitude(bits, B32);
  const b = valueOfMagnitude(bits + 1n, B32);
  const mid = q(a.n * b.d + b.n * a.d, 2n * a.d * b.d); // denominator is a power of two
  const k = mid.d.toString(2).length - 1;
  const extra = 5; // digits beyond the exact expansion, to place the nudge
  const scaled = mid.n * 5n ** BigInt(k) * 10n ** BigInt(extra) + nudge;
  return `${scaled}e-${k + extra}`;
}

function decimalLiteral(): fc.Arbitrary<string> {
  const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
  return fc
    .record({
      sign: fc.constantFrom('', '+', '-'),
      int: digits(1, 25),
      frac: fc.option(digits(0, 25)),
      exp: fc.option(fc.integer({ min: -360, max: 330 })),
      separators: fc.boolean(),
    })
    .map(({ sign, int, frac, exp, separators }) => {
      const sep = (s: string) => (separators ? s.replace(/(\d)(?=\d)/g, (d, _x, i: number) => (i % 3 === 1 ? d + '_' : d)) : s);
      return `${sign}${sep(int)}${frac === null ? '' : '.' + sep(frac)}${exp === null ? '' : 'e' + exp}`;
    });
}

function hexLiteral(): fc.Arbitrary<string> {
  const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: min, maxLength: max });
  return fc
    .record({
      sign: fc.constantFrom('', '+', '-'),
      int: digits(1, 20),
      frac: fc.option(digits(0, 20)),
      exp: fc.option(fc.integer({ min: -1200, max: 1100 })),
    })
    .map(({ sign, int, frac, exp }) => `${sign}0x${int}${frac === null ? '' : '.' + frac}${exp === null ? '' : 'p' + exp}`);
}

function checkF64Decimal(text: string): void {
  const expected = Number(text.replace(/_/g, ''));
  if (!Number.isFinite(expected)) {
    expect(literalError(() => parseF64(text)).problem, text).to.equal('out of range');
    return;
  }
  expect(parseF64(text), text).to.equal(f64Bits(expected));
}

function checkCorrectlyRounded(text: string, f: Fmt): void {
  if (overflows(text, f)) {
    const parse = f === B32 ? parseF32 : parseF64;
    expect(literalError(() => parse(text)).problem, text).to.equal('out of range');
    return;
  }
  const bits = f === B32 ? u32(parseF32(text)) : u64(parseF64(text));
  expect(isCorrectlyRounded(text, bits, f), `${text} → 0x${bits.toString(16)}`).to.equal(true);
}

// ---------------------------------------------------------------------------

describe('numbers: printing floats', function () {
  this.timeout(fuzzTimeout(2_000));
  it('prints specials, zeros and shortest f32 digits', () => {
    expect(formatF32(parseF32('0.1'))).to.equal('0.1');
    expect(formatF32(parseF32('-0'))).to.equal('-0');
    expect(formatF32(parseF32('0x1p-149'))).to.equal('1e-45');
    expect(formatF32(parseF32('0x1.fffffep127'))).to.equal('3.4028235e+38');
    expect(formatF32(parseF32('1.000000119'))).to.equal('1.0000001');
    expect(formatF32(parseF32('-inf'))).to.equal('-inf');
    expect(formatF32(parseF32('nan'))).to.equal('nan');
    expect(formatF32(parseF32('-nan:0x200000'))).to.equal('-nan:0x200000');
    expect(formatF64(parseF64('0.1'))).to.equal('0.1');
    expect(formatF64(parseF64('-0'))).to.equal('-0');
    expect(formatF64(parseF64('nan:0x4000000000000'))).to.equal('nan:0x4000000000000');
    expect(formatF64(parseF64('inf'))).to.equal('inf');
    expect(formatF64(parseF64('0x1p-1074'))).to.equal('5e-324');
  });

  it('property: f32 bit patterns round-trip through text', () => {
    fc.assert(fc.property(f32Bits(), (bits) => {
      expect(parseF32(formatF32(bits))).to.equal(bits);
    }), fuzzBudget(5000));
  });

  it('property: f64 bit patterns round-trip through text', () => {
    fc.assert(fc.property(f64BitPatterns(), (bits) => {
      expect(parseF64(formatF64(bits))).to.equal(bits);
    }), fuzzBudget(5000));
  });

  it('property: f32 text is shortest (no decimal with fewer digits reads back the same)', () => {
    fc.assert(
      fc.property(f32Bits(), (bits) => {
        const text = formatF32(bits);
        if (!/\d/.test(text) || /nan|inf/.test(text) || /^-?0$/.test(text)) return;
        const digits = significantDigits(text);
        for (let k = 1; k < digits; k++) {
          for (const candidate of bracketingDecimals(text.replace(/^-/, ''), k)) {
            const signed = (text.startsWith('-') ? '-' : '') + candidate;
            let back: number | null = null;
            try {
              back = parseF32(signed);
            } catch {
              back = null;
            }
            expect(back, `${candidate} is shorter than ${text}`).to.not.equal(bits);
          }
        }
      }),
      fuzzBudget(2000),
    );
  });
});

/** Random f32 patterns, weighted towards subnormals, NaNs, infinities and zeros. */
function f32Bits(): fc.Arbitrary<number> {
  const field = (exp: fc.Arbitrary<number>) =>
    fc.tuple(fc.boolean(), exp, fc.integer({ min: 0, max: 0x7fffff })).map(([s, e, m]) => ((s ? 0x80000000 : 0) | (e << 23) | m) | 0);
  return fc.oneof(
    fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    field(fc.constantFrom(0, 255, 1, 254)),
    field(fc.integer({ min: 0, max: 255 })),
  );
}

function f64BitPatterns(): fc.Arbitrary<bigint> {
  const field = (exp: fc.Arbitrary<number>) =>
    fc.tuple(fc.boolean(), exp, fc.bigInt({ min: 0n, max: (1n << 52n) - 1n })).map(([s, e, m]) =>
      BigInt.asIntN(64, (s ? 1n << 63n : 0n) | (BigInt(e) << 52n) | m),
    );
  return fc.oneof(
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
    field(fc.constantFrom(0, 2047, 1, 2046)),
    field(fc.integer({ min: 0, max: 2047 })),
  );
}

function significantDigits(text: string): number {
  const mantissa = text.replace(/^-/, '').split('e')[0]!.replace('.', '');
  return mantissa.replace(/^0+/, '').replace(/0+$/, '').length || 1;
}

/** The k-digit decimals just below and just above the (positive) decimal `text`, computed exactly. */
function bracketingDecimals(text: string, k: number): string[] {
  const x = exactOf(text);
  // s such that x / 10^s lies in [10^(k−1), 10^k)
  let s = Math.floor(Math.log10(Number(text))) - (k - 1);
  const scaled = (e: number) => (e >= 0 ? q(x.n, x.d * 10n ** BigInt(e)) : q(x.n * 10n ** BigInt(-e), x.d));
  while (cmp(scaled(s), q(10n ** BigInt(k))) >= 0) s++;
  while (cmp(scaled(s), q(10n ** BigInt(k - 1))) < 0) s--;
  const y = scaled(s);
  const floor = y.n / y.d;
  return [`${floor}e${s}`, `${floor + 1n}e${s}`];
}

// ---------------------------------------------------------------------------

describe('numbers: v128 and expected results', function () {
  this.timeout(fuzzTimeout(2_000));
  it('packs lanes little-endian and checks lane ranges', () => {
    expect([...parseV128('i16x8', ['0x0102', '-1', '0', '0', '0', '0', '0', '65535'])].slice(0, 4)).to.deep.equal([2, 1, 255, 255]);
    expect([...parseV128('i8x16', Array(16).fill('-128'))]).to.deep.equal(Array(16).fill(128));
    expect([...parseV128('i64x2', ['-1', '0'])]).to.deep.equal([...Array(8).fill(255), ...Array(8).fill(0)]);
    expect([...parseV128('f32x4', ['1', '0', '0', '-0'])]).to.deep.equal([0, 0, 0x80, 0x3f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80]);
    expect(literalError(() => parseV128('i8x16', Array(16).fill('256'))).problem).to.equal('out of range');
    expect(literalError(() => parseV128('i8x16', Array(16).fill('-129'))).problem).to.equal('out of range');
    expect(literalError(() => parseV128('i32x4', ['0', '0', '0'])).suiteMessage).to.equal('wrong number of lane literals');
    expect(literalError(() => parseV128('i128x1', ['0'])).suiteMessage).to.equal('unexpected token');
  });

  it('recognises canonical and arithmetic NaNs of either sign', () => {
    expect(isCanonicalNanF32(0x7fc00000)).to.equal(true);
    expect(isCanonicalNanF32(0xffc00000 | 0)).to.equal(true);
    expect(isCanonicalNanF32(0x7fc00001)).to.equal(false);
    expect(isArithmeticNanF32(0x7fc00001)).to.equal(true);
    expect(isArithmeticNanF32(0x7fa00000)).to.equal(false);
    expect(isArithmeticNanF32(0x7f800000)).to.equal(false);
    expect(isCanonicalNanF64(-0x8000000000000n)).to.equal(true); // 0xfff8000000000000
    expect(isArithmeticNanF64(0x7ffc000000000000n)).to.equal(true);
    expect(isArithmeticNanF64(0x7ff4000000000000n)).to.equal(false);
  });

  it('matches numbers by bits and NaNs by pattern', () => {
    expect(matchValue(parseExpected('i32.const', ['0xffffffff']), -1)).to.equal(true);
    expect(matchValue(parseExpected('i64.const', ['-1']), -1n)).to.equal(true);
    expect(matchValue(parseExpected('i64.const', ['-1']), -1)).to.equal(false);
    expect(matchValue(parseExpected('i32.const', ['0x3f800000']), parseF32('1'), F32)).to.equal(false);
    expect(matchValue(parseExpected('f32.const', ['1']), parseF32('1'), F32)).to.equal(true);
    expect(matchValue(parseExpected('i32.const', ['7']), 7, I32)).to.equal(true);
    expect(matchValue(parseExpected('f32.const', ['-0']), parseF32('0'))).to.equal(false);
    expect(matchValue(parseExpected('f32.const', ['nan:canonical']), parseF32('-nan'))).to.equal(true);
    expect(matchValue(parseExpected('f32.const', ['nan:canonical']), parseF32('nan:0x600000'))).to.equal(false);
    expect(matchValue(parseExpected('f32.const', ['nan:arithmetic']), parseF32('nan:0x600000'))).to.equal(true);
    expect(matchValue(parseExpected('f64.const', ['nan:arithmetic']), parseF64('-nan:0x8000000000001'))).to.equal(true);
    expect(matchValue(parseExpected('f64.const', ['nan:arithmetic']), parseF64('nan:0x1'))).to.equal(false);
    expect(matchValue(parseExpected('f64.const', ['nan']), parseF64('nan'))).to.equal(true);
    expect(matchValue(parseExpected('f64.const', ['nan']), parseF64('-nan'))).to.equal(false);
  });

  it('matches v128 lanes, with NaN patterns in float lanes', () => {
    const e = parseExpected('v128.const', ['f64x2', 'nan:canonical', '-0x1p-1074']);
    expect(matchValue(e, parseV128('f64x2', ['-nan', '-0x1p-1074']))).to.equal(true);
    expect(matchValue(e, parseV128('f64x2', ['nan:0x1', '-0x1p-1074']))).to.equal(false);
    expect(matchValue(e, parseV128('f64x2', ['nan', '0x1p-1074']))).to.equal(false);
    const ints = parseExpected('v128.const', ['i8x16', ...Array(16).fill('-1')]);
    expect(matchValue(ints, parseV128('i32x4', ['-1', '-1', '-1', '-1']))).to.equal(true);
    expect(matchValue(ints, -1)).to.equal(false);
    expect(literalError(() => parseExpected('v128.const', ['i32x4', 'nan:canonical', '0', '0', '0'])).problem).to.equal('malformed');
  });

  it('matches references', () => {
    const func = new HostFunc({ params: [], results: [] }, () => []);
    expect(matchValue(parseExpected('ref.null', ['func']), null, FUNCREF)).to.equal(true);
    expect(matchValue(parseExpected('ref.null', ['func']), null, EXTERNREF)).to.equal(false);
    expect(matchValue(parseExpected('ref.null', ['extern']), null)).to.equal(true);
    expect(matchValue(parseExpected('ref.null', []), null, FUNCREF)).to.equal(true);
    expect(matchValue(parseExpected('ref.null', ['extern']), ExternRef.of(0))).to.equal(false);
    expect(matchValue(parseExpected('ref.func', []), func)).to.equal(true);
    expect(matchValue(parseExpected('ref.func', []), null)).to.equal(false);
    const ext = parseConst('ref.extern', ['7']);
    expect(ext.type).to.equal(refType(HT.extern, false)); // (ref extern): never null, fits externref parameters by subtyping
    expect(ext.value).to.equal(ExternRef.of(7));
    expect(matchValue(parseExpected('ref.extern', ['7']), ext.value)).to.equal(true);
    expect(matchValue(parseExpected('ref.extern', ['8']), ext.value)).to.equal(false);
    expect(matchValue(parseExpected('ref.host', ['7']), ext.value)).to.equal(false);
    expect(matchValue(parseExpected('ref.extern', []), ext.value)).to.equal(true);
    expect(matchValue(parseExpected('ref.extern', []), null)).to.equal(false);
  });

  it('matches either option', () => {
    const e = either([parseExpected('i32.const', ['1']), parseExpected('i32.const', ['2'])]);
    expect(matchValue(e, 2)).to.equal(true);
    expect(matchValue(e, 3)).to.equal(false);
    expect(formatExpected(e)).to.equal('(either (i32.const 1) (i32.const 2))');
  });

  it('prints values and expectations in script syntax', () => {
    expect(formatValue(-1, I32)).to.equal('(i32.const -1)');
    expect(formatValue(2n ** 63n, I64)).to.equal('(i64.const -9223372036854775808)');
    expect(formatValue(parseF32('0.1'), F32)).to.equal('(f32.const 0.1)');
    expect(formatValue(parseF64('-nan:0x1'), F64)).to.equal('(f64.const -nan:0x1)');
    expect(formatValue(parseV128('i32x4', ['1', '2', '3', '-1']), V128)).to.equal('(v128.const i32x4 0x00000001 0x00000002 0x00000003 0xffffffff)');
    expect(formatValue(parseV128('f32x4', ['1.5', 'nan', '-0', 'inf']), V128, 'f32x4')).to.equal('(v128.const f32x4 1.5 nan -0 inf)');
    expect(formatValue(null, FUNCREF)).to.equal('(ref.null func)');
    expect(formatValue(null, EXTERNREF)).to.equal('(ref.null extern)');
    expect(formatValue(ExternRef.of(3), EXTERNREF)).to.equal('(ref.extern 3)');
    expect(formatValue({}, EXTERNREF)).to.equal('(ref.extern <Object>)');
    expect(formatExpected(parseExpected('f32.const', ['nan:arithmetic']))).to.equal('(f32.const nan:arithmetic)');
    expect(formatExpected(parseExpected('v128.const', ['f32x4', 'nan:canonical', '1', '2', '3']))).to.equal('(v128.const f32x4 nan:canonical 1 2 3)');
    expect(formatExpected(parseExpected('ref.null', ['func']))).to.equal('(ref.null func)');
  });
});

// ---------------------------------------------------------------------------
// The official suites as oracle.

describe('numbers: official suite pairs', () => {
  const read = (name: string) => readFileSync(join(CORE, name), 'utf8');

  it('float_literals.wast: every literal gives the bits the suite expects', () => {
    const text = read('float_literals.wast');
    const funcs = new Map<string, { type: 'f32' | 'f64'; literal: string; reinterpret: boolean }>();
    const fn = /\(func \(export "([^"]+)"\) \(result \w+\) (?:\(i\d\d\.reinterpret_f\d\d )?\((f32|f64)\.const ([^)\s]+)\)/g;
    for (const m of text.matchAll(fn)) funcs.set(m[1]!, { type: m[2] as 'f32' | 'f64', literal: m[3]!, reinterpret: m[0].includes('reinterpret') });
    const ret = /\(assert_return \(invoke "([^"]+)"\) \((i32|i64|f32|f64)\.const ([^)\s]+)\)\)/g;
    let checked = 0;
    for (const m of text.matchAll(ret)) {
      const f = funcs.get(m[1]!);
      if (!f) continue;
      const actual = f.type === 'f32' ? parseF32(f.literal) : parseF64(f.literal);
      const expected = parseConst(`${m[2]}.const`, [m[3]!]).value;
      expect(actual, `${m[1]}: ${f.literal}`).to.equal(expected);
      checked++;
    }
    expect(checked).to.be.greaterThan(90);
  });

  for (const file of ['const.wast', 'simd/simd_const.wast']) {
    it(`${file}: each constant module gives its assert_return value`, () => {
      const lines = read(file).split('\n');
      let checked = 0;
      for (let i = 0; i + 1 < lines.length; i++) {
        const def = /^\(module \(func \(export "f"\) \(result \w+\) \((\w+\.const) ([^()]+)\)\)\)$/.exec(lines[i]!);
        const ret = /^\(assert_return \(invoke "f"\) \((\w+\.const) ([^()]+)\)\)$/.exec(lines[i + 1]!);
        if (!def || !ret) continue;
        const actual = parseConst(def[1]!, def[2]!.trim().split(/\s+/)).value;
        const expected = parseExpected(ret[1]!, ret[2]!.trim().split(/\s+/));
        expect(matchValue(expected, actual), `${lines[i]}\n${lines[i + 1]}`).to.equal(true);
        checked++;
      }
      expect(checked).to.be.greaterThan(50);
    });

    it(`${file}: malformed constants fail with the suite's message`, () => {
      const text = read(file);
      const re = /\(assert_malformed\s+\(module quote "\(func \((\w+\.const)([^")]*)\) drop\)"\)\s+"([^"]+)"/g;
      let checked = 0;
      for (const m of text.matchAll(re)) {
        const args = m[2]!.trim().split(/\s+/).filter((s) => s !== '');
        if (args.length === 0) continue; // "unexpected token": no literal at all, the reader's to report
        const err = literalError(() => parseConst(m[1]!, args));
        expect(err.suiteMessage, m[0]).to.equal(m[3]);
        checked++;
      }
      expect(checked).to.be.greaterThan(15);
    });

    it(`${file}: well-formed constants in drop-only modules parse`, () => {
      const re = /^\(module \(func \((\w+\.const) ([^()]+)\) drop\)\)$/gm;
      let checked = 0;
      for (const m of read(file).matchAll(re)) {
        expect(() => parseConst(m[1]!, m[2]!.trim().split(/\s+/)), m[0]).to.not.throw();
        checked++;
      }
      expect(checked).to.be.greaterThan(20);
    });
  }

  it('every constant in core-2.0 assertions parses, and every float prints back to itself', function () {
    this.timeout(60000);
    const files = ['f32.wast', 'f64.wast', 'float_exprs.wast', 'float_misc.wast', 'conversions.wast', 'i64.wast', 'simd/simd_f32x4_arith.wast', 'simd/simd_f64x2_arith.wast'];
    const re = /\((i32|i64|f32|f64)\.const ([^()\s]+)\)|\(v128\.const ([^()]+)\)/g;
    let checked = 0;
    for (const file of files) {
      for (const line of read(file).split('\n')) {
        if (!/^\s*\(assert_return/.test(line)) continue;
        for (const m of line.matchAll(re)) {
          const e: Expected = m[1] ? parseExpected(`${m[1]}.const`, [m[2]!]) : parseExpected('v128.const', m[3]!.trim().split(/\s+/));
          if (e.kind === 'f32' && 'bits' in e) expect(parseF32(formatF32(e.bits)), m[0]).to.equal(e.bits);
          if (e.kind === 'f64' && 'bits' in e) expect(parseF64(formatF64(e.bits)), m[0]).to.equal(e.bits);
          checked++;
        }
      }
    }
    expect(checked).to.be.greaterThan(10000);
  });
});
