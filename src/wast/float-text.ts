// Floating-point literals of the text format (spec §6.3.2 "Floating-Point"),
// read and written exactly.
//
// A literal denotes an exact rational number (decimal digits times a power of
// ten, or hex digits times a power of two). We keep it as a BigInt fraction
// and round it once, to nearest with ties to even, straight into the target
// format. Going through a JS number first would round twice (to f64, then to
// f32), which gives the wrong f32 for literals near an f32 midpoint — the
// suites test exactly those.

/**
 * Why a literal was rejected. Each maps to the message the reference
 * interpreter gives, which assert_malformed compares against.
 */
export type LiteralProblem = 'malformed' | 'out of range' | 'unknown shape' | 'lane count';

const SUITE_MESSAGE: Record<LiteralProblem, string> = {
  'malformed': 'unknown operator', // the lexer does not see a number, so the token is read as a keyword
  'out of range': 'constant out of range',
  'unknown shape': 'unexpected token',
  'lane count': 'wrong number of lane literals',
};

/** A numeric literal that the text format rejects (assert_malformed). */
export class LiteralError extends Error {
  override name = 'LiteralError';
  constructor(readonly problem: LiteralProblem, readonly text: string, detail?: string) {
    super(`${problem === 'out of range' ? 'constant out of range' : `malformed literal (${problem})`}: "${text}"${detail ? ` (${detail})` : ''}`);
  }

  /** The message the reference interpreter gives for this problem. */
  get suiteMessage(): string {
    return SUITE_MESSAGE[this.problem];
  }
}

/** An IEEE 754 binary interchange format: f32 or f64. */
export interface FloatFormat {
  /** Significand precision p, counting the implicit leading bit. */
  readonly precision: number;
  /** Width of the biased exponent field. */
  readonly expBits: number;
}

export const BINARY32: FloatFormat = { precision: 24, expBits: 8 };
export const BINARY64: FloatFormat = { precision: 53, expBits: 11 };

const fracBits = (f: FloatFormat) => BigInt(f.precision - 1);
const totalBits = (f: FloatFormat) => BigInt(f.precision + f.expBits);
const signBit = (f: FloatFormat) => 1n << (totalBits(f) - 1n);
const maxBiasedExp = (f: FloatFormat) => (1n << BigInt(f.expBits)) - 1n;
const bias = (f: FloatFormat) => (1 << (f.expBits - 1)) - 1;
/** Exponent of the smallest normal number. */
const emin = (f: FloatFormat) => 1 - bias(f);
const infinityBits = (f: FloatFormat) => maxBiasedExp(f) << fracBits(f);
/** The quiet bit: the most significant bit of the significand field. */
export const quietBit = (f: FloatFormat) => 1n << (fracBits(f) - 1n);
const fracMask = (f: FloatFormat) => (1n << fracBits(f)) - 1n;

// ---------------------------------------------------------------------------
// Lexical structure. `_` may only separate two digits (spec: num ::= digit |
// num '_'? digit), so it can never lead, trail, double, or touch '.', 'e', 'x'.

const NUM = String.raw`\d(?:_?\d)*`;
const HEXNUM = String.raw`[0-9a-fA-F](?:_?[0-9a-fA-F])*`;
const DEC_FLOAT = new RegExp(`^([+-]?)(${NUM})(?:\\.(${NUM})?)?(?:[eE]([+-]?${NUM}))?$`);
const HEX_FLOAT = new RegExp(`^([+-]?)0x(${HEXNUM})(?:\\.(${HEXNUM})?)?(?:[pP]([+-]?${NUM}))?$`);
const NAN_OR_INF = new RegExp(`^([+-]?)(?:(inf)|nan(?::0x(${HEXNUM}))?)$`);

const digitsOf = (s: string | undefined) => (s ?? '').replace(/_/g, '');

/** An exact positive rational `num / den`, or zero. */
export interface Rational {
  num: bigint;
  den: bigint;
}

/**
 * Parses a float literal into the bit pattern of `fmt` (as an unsigned
 * bigint). Throws LiteralError for bad syntax, for a NaN payload outside
 * 1 … 2^(p−1)−1, and for a finite literal that rounds to infinity.
 */
export function parseFloatBits(text: string, fmt: FloatFormat): bigint {
  const special = NAN_OR_INF.exec(text);
  if (special) return withSign(special[1] === '-', specialBits(text, fmt, special[2], special[3]), fmt);

  const hex = HEX_FLOAT.exec(text);
  const dec = hex ? null : DEC_FLOAT.exec(text);
  const m = hex ?? dec;
  if (!m) throw new LiteralError('malformed', text);

  const intDigits = digitsOf(m[2]);
  const fracDigits = digitsOf(m[3]);
  const significand = BigInt((hex ? '0x' : '') + (intDigits + fracDigits));
  const exponent = BigInt(digitsOf(m[4]) || '0');
  const value = hex
    ? binaryRational(significand, exponent - 4n * BigInt(fracDigits.length))
    : decimalRational(significand, exponent - BigInt(fracDigits.length));
  const magnitude = value === 'overflow' ? null : roundToFormat(value, fmt);
  if (magnitude === null) throw new LiteralError('out of range', text);
  return withSign(m[1] === '-', magnitude, fmt);
}

function withSign(negative: boolean, magnitude: bigint, fmt: FloatFormat): bigint {
  return negative ? magnitude | signBit(fmt) : magnitude;
}

/** `inf`, `nan` (the canonical NaN) or `nan:0x…` with an explicit payload. */
function specialBits(text: string, fmt: FloatFormat, inf: string | undefined, payloadHex: string | undefined): bigint {
  if (inf) return infinityBits(fmt);
  if (payloadHex === undefined) return infinityBits(fmt) | quietBit(fmt);
  const payload = BigInt('0x' + digitsOf(payloadHex));
  // A zero payload would denote infinity, and a wider one would spill into the exponent.
  if (payload === 0n || payload > fracMask(fmt)) throw new LiteralError('out of range', text, 'NaN payload');
  return infinityBits(fmt) | payload;
}

// Literals whose magnitude is far outside every supported format are decided
// without building huge powers (an exponent like e999999999 must stay cheap).
// f64 spans about 4.9e-324 … 1.8e308 (2^-1074 … 2^1024).
const DEC_TOO_BIG = 310n; // value ≥ 10^309: overflows f64 and f32
const DEC_TOO_SMALL = -330n; // value < 10^-330: below half the least f64 subnormal
const BIN_TOO_BIG = 1100n;
const BIN_TOO_SMALL = -1200n;

/** `significand × 10^exp`, or 'overflow' when it is certainly beyond every format. */
function decimalRational(significand: bigint, exp: bigint): Rational | 'overflow' {
  if (significand === 0n) return { num: 0n, den: 1n };
  const magnitude = BigInt(significand.toString().length) + exp; // value < 10^magnitude
  if (magnitude - 1n >= DEC_TOO_BIG) return 'overflow';
  if (magnitude <= DEC_TOO_SMALL) return { num: 0n, den: 1n };
  return exp >= 0n ? { num: significand * 10n ** exp, den: 1n } : { num: significand, den: 10n ** -exp };
}

/** `significand × 2^exp`, or 'overflow' when it is certainly beyond every format. */
function binaryRational(significand: bigint, exp: bigint): Rational | 'overflow' {
  if (significand === 0n) return { num: 0n, den: 1n };
  const magnitude = BigInt(bitLength(significand)) + exp; // value < 2^magnitude
  if (magnitude - 1n >= BIN_TOO_BIG) return 'overflow';
  if (magnitude <= BIN_TOO_SMALL) return { num: 0n, den: 1n };
  return exp >= 0n ? { num: significand << exp, den: 1n } : { num: significand, den: 1n << -exp };
}

export function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * Rounds a non-negative rational to nearest, ties to even (IEEE 754 §4.3.1),
 * and encodes it as the magnitude bits of `fmt`. Returns null when it rounds
 * to infinity, which the text format rejects.
 */
export function roundToFormat({ num, den }: Rational, fmt: FloatFormat): bigint | null {
  if (num === 0n) return 0n;
  const p = fmt.precision;
  // q is the exponent of the last significand bit (the quantum): chosen so
  // that num/den / 2^q has p integer bits, or fewer for subnormals.
  const q = Math.max(floorLog2(num, den), emin(fmt)) - (p - 1);
  const [n, d] = q >= 0 ? [num, den << BigInt(q)] : [num << BigInt(-q), den];
  let m = n / d;
  const twiceRemainder = 2n * (n - m * d);
  if (twiceRemainder > d || (twiceRemainder === d && (m & 1n) === 1n)) m += 1n;
  return encode(m, q, fmt);
}

/** floor(log2(num/den)) for positive num, den. */
function floorLog2(num: bigint, den: bigint): number {
  // num/den lies in (2^(e−1), 2^(e+1)) for e = the difference of bit lengths.
  const e = bitLength(num) - bitLength(den);
  const below = e >= 0 ? num < den << BigInt(e) : num << BigInt(-e) < den;
  return below ? e - 1 : e;
}

/** Bits of the magnitude m × 2^q, with m < 2^p (or exactly 2^p after rounding up). */
function encode(m: bigint, q: number, fmt: FloatFormat): bigint | null {
  const hidden = 1n << fracBits(fmt);
  if (m === hidden << 1n) {
    // Rounding carried into a new binade; m is even, so halving is exact.
    m >>= 1n;
    q += 1;
  }
  if (m < hidden) return m; // subnormal or zero: biased exponent 0
  const biased = BigInt(q + fmt.precision - 1 + bias(fmt));
  if (biased >= maxBiasedExp(fmt)) return null;
  return (biased << fracBits(fmt)) | (m - hidden);
}

// ---------------------------------------------------------------------------
// Printing.

/** NaN and infinity spelled in the text format; null for a finite pattern. */
export function formatSpecial(bits: bigint, fmt: FloatFormat): string | null {
  const sign = bits & signBit(fmt) ? '-' : '';
  if (((bits >> fracBits(fmt)) & maxBiasedExp(fmt)) !== maxBiasedExp(fmt)) return null;
  const payload = bits & fracMask(fmt);
  if (payload === 0n) return `${sign}inf`;
  if (payload === quietBit(fmt)) return `${sign}nan`;
  return `${sign}nan:0x${payload.toString(16)}`;
}

const f32View = new Float32Array(1);
const u32View = new Uint32Array(f32View.buffer);
const f64View = new Float64Array(1);
const u64View = new BigUint64Array(f64View.buffer);

/**
 * Shortest decimal text that reads back as the same f64. ECMAScript's
 * Number::toString already yields the shortest round-tripping digits
 * (ECMA-262 §6.1.6.1.20), and its spellings (`1e+21`, `5e-324`) are valid
 * text-format floats.
 */
export function formatF64Bits(bits: bigint): string {
  const special = formatSpecial(bits, BINARY64);
  if (special !== null) return special;
  u64View[0] = bits;
  const x = f64View[0]!;
  return Object.is(x, -0) ? '-0' : String(x);
}

/**
 * Shortest decimal text that reads back as the same f32. JS has no f32
 * printer: toString would print the f64 digits of the widened value (e.g.
 * 0.10000000149011612 for 0.1f). We try 1, 2, … 9 significant digits.
 */
export function formatF32Bits(bits: bigint): string {
  const special = formatSpecial(bits, BINARY32);
  if (special !== null) return special;
  u32View[0] = Number(bits);
  const x = f32View[0]!;
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  for (let digits = 1; digits <= 9; digits++) {
    const found = roundTrippingDecimal(x, digits, bits);
    if (found !== null) return found;
  }
  throw new Error(`no 9-digit decimal reads back as f32 bits 0x${bits.toString(16)}`); // 9 digits always suffice
}

/**
 * A decimal with `digits` significant digits that parses back to `bits`, or null.
 * toExponential gives the nearest such decimal D; if any `digits`-digit decimal
 * lies in the rounding interval of x, D does, or else its neighbour on the
 * other side of x (the interval is lopsided at powers of two), so D±1 are
 * the only other candidates.
 */
function roundTrippingDecimal(x: number, digits: number, bits: bigint): string | null {
  const [mantissa, exp] = x.toExponential(digits - 1).split('e') as [string, string];
  const negative = mantissa.startsWith('-');
  const d = BigInt(mantissa.replace(/[-.]/g, ''));
  const scale = Number(exp) - (digits - 1);
  for (const candidate of [d, d + 1n, d - 1n]) {
    if (candidate <= 0n) continue;
    const text = `${negative ? '-' : ''}${candidate}e${scale}`;
    if (readsBackAs(text, bits)) {
      // At most 9 digits: the nearest f64 prints back with exactly these digits,
      // so toString gives the conventional spelling of this decimal.
      return String(Number(text));
    }
  }
  return null;
}

function readsBackAs(text: string, bits: bigint): boolean {
  try {
    return parseFloatBits(text, BINARY32) === bits;
  } catch {
    return false; // a candidate above the largest f32 rounds to infinity
  }
}
