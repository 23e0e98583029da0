// Strings in linear memory (CanonicalABI.md "Loading" load_string*, and
// "Storing" store_string* with its transcoding cases).
//
// Three encodings: utf8; utf16 (little-endian, 2-aligned); latin1+utf16,
// which picks Latin-1 or UTF-16 per string, flagged by the high bit of the
// length (utf16_tag). A lifted string remembers its source encoding and
// length in code units: `store_string` uses that hint to size its first
// allocation, and the spec's sequence of realloc calls — which a guest's
// realloc can observe — depends on it. Inside the engine a lifted string is
// therefore a HintedString when it is about to be lowered into another
// component (LiftLowerContext.keepStringHints); everywhere else, and for
// strings from the host, it is a plain JS string, whose natural hint is
// UTF-16 with `length` code units.

import type { StringEncoding } from '../syntax/ast.js';
import type { Latin1Source, MemoryInst } from '../../core/runtime/memory.js';
import { chargeHostcallFuel, type LiftLowerContext } from './context.js';
import { isAligned, ptrSize, type PtrType } from './layout.js';
import { badReallocResult, CanonTrap, rangeOutOfBounds, trap } from './traps.js';

export const MAX_STRING_BYTE_LENGTH = 2 ** 28 - 1;

/** A lifted string with the spec's hint: its source encoding and length in (untagged) code units. */
export class HintedString {
  constructor(
    readonly value: string,
    readonly encoding: StringEncoding,
    readonly codeUnits: number,
    /** For latin1+utf16: whether the source used UTF-16 (the tag bit was set). */
    readonly utf16: boolean,
  ) {}

  toString(): string {
    return this.value;
  }
}

export function utf16Tag(ptrType: PtrType): number {
  return 2 ** (ptrSize(ptrType) * 8 - 1);
}

/** Splits a tagged length (number for i32 memories, number or bigint for i64). */
export function untag(ptrType: PtrType, tagged: number | bigint): { utf16: boolean; units: number } {
  if (typeof tagged === 'bigint') {
    const tag = 1n << BigInt(ptrSize(ptrType) * 8 - 1);
    return tagged >= tag ? { utf16: true, units: Number(tagged - tag) } : { utf16: false, units: Number(tagged) };
  }
  const tag = utf16Tag(ptrType);
  return tagged >= tag ? { utf16: true, units: tagged - tag } : { utf16: false, units: tagged };
}

/** Combines code units and the UTF-16 flag into the pointer-sized length core wasm sees. */
export function tagged(ptrType: PtrType, units: number, utf16: boolean): number | bigint {
  if (ptrType === 'i64') return BigInt(units) + (utf16 ? 1n << 63n : 0n);
  return units + (utf16 ? utf16Tag(ptrType) : 0);
}

// ---- decoding -------------------------------------------------------------------

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf16Decoder = new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

/**
 * Where UTF-8 validation fails, worded as Rust's Utf8Error (which the suites
 * expect): "invalid utf-8 sequence of N bytes from index I" for a bad
 * sequence, "incomplete utf-8 byte sequence from index I" for one cut off by
 * the end of the string.
 */
export function utf8Error(b: Uint8Array): string | null {
  let i = 0;
  const n = b.length;
  while (i < n) {
    const first = b[i]!;
    if (first < 0x80) { i++; continue; }
    const start = i;
    const bad = (len: number) => `invalid utf-8 sequence of ${len} bytes from index ${start}`;
    const incomplete = `incomplete utf-8 byte sequence from index ${start}`;
    const cont = (k: number): boolean | null => (start + k < n ? (b[start + k]! & 0xc0) === 0x80 : null);
    const second = start + 1 < n ? b[start + 1]! : -1;
    if (first >= 0xc2 && first <= 0xdf) {
      const c = cont(1);
      if (c === null) return incomplete;
      if (!c) return bad(1);
      i += 2;
    } else if (first >= 0xe0 && first <= 0xef) {
      if (second < 0) return incomplete;
      const okSecond =
        (first === 0xe0 && second >= 0xa0 && second <= 0xbf) ||
        (first >= 0xe1 && first <= 0xec && second >= 0x80 && second <= 0xbf) ||
        (first === 0xed && second >= 0x80 && second <= 0x9f) ||
        (first >= 0xee && second >= 0x80 && second <= 0xbf);
      if (!okSecond) return bad(1);
      const c = cont(2);
      if (c === null) return incomplete;
      if (!c) return bad(2);
      i += 3;
    } else if (first >= 0xf0 && first <= 0xf4) {
      if (second < 0) return incomplete;
      const okSecond =
        (first === 0xf0 && second >= 0x90 && second <= 0xbf) ||
        (first >= 0xf1 && first <= 0xf3 && second >= 0x80 && second <= 0xbf) ||
        (first === 0xf4 && second >= 0x80 && second <= 0x8f);
      if (!okSecond) return bad(1);
      const c2 = cont(2);
      if (c2 === null) return incomplete;
      if (!c2) return bad(2);
      const c3 = cont(3);
      if (c3 === null) return incomplete;
      if (!c3) return bad(3);
      i += 4;
    } else {
      return bad(1);
    }
  }
  return null;
}

/**
 * Node's Buffer, where the host has one: its documented
 * toString('latin1', start, end) makes the Latin-1 string of a range of
 * bytes (ISO-8859-1: each byte the code unit of its value) without a view
 * object of the range. Not TextDecoder('latin1'): by the Encoding Standard
 * that label is windows-1252, which maps 0x80-0x9f elsewhere (0x80 to
 * U+20AC).
 */
interface Latin1SourceClass { from(b: ArrayBufferLike, offset: number, length: number): Latin1Source }
const NodeBuffer = ((): Latin1SourceClass | undefined => {
  const B = (globalThis as unknown as { Buffer?: Latin1SourceClass }).Buffer;
  return typeof B?.from === 'function' ? B : undefined;
})();

/** The longest string decodeShortAscii decodes. */
const SHORT_STRING = 64;

/**
 * decodeShortAscii's char codes: `shortCodes[n]` holds a string of n
 * bytes, copied by the loop that checks them, for
 * String.fromCharCode.apply. Reused, so a string costs no view object of
 * its bytes (a TextDecoder needs one: a Uint8Array of ~100 bytes per
 * string, a list of 10 000 strings' worth of garbage), and as fast as a
 * Buffer's string of a range (Buffer's documented toString('latin1',
 * start, end) checks its arguments and looks up the encoding per call:
 * ~20% slower on the bench's list<string> lift; docs/performance.md,
 * session 12).
 */
const shortCodes: number[][] = Array.from({ length: SHORT_STRING + 1 }, (_, n) => Array.from({ length: n }, () => 0));

/**
 * The string of the ASCII bytes [begin, end) of memory `m`, or null when
 * one is not ASCII. ASCII bytes are their own code points, so they are
 * their own UTF-16 code units, and bytes that are all ASCII are valid
 * UTF-8. Only for short strings (the common case: names, keys, words): a
 * long one is checked faster by the decoder's own validation than by a
 * loop here.
 */
function decodeShortAscii(m: MemoryInst, begin: number, end: number): string | null {
  const n = end - begin;
  if (n > SHORT_STRING) return null;
  const u8 = m.u8;
  const codes = shortCodes[n]!;
  let or = 0;
  for (let i = 0; i < n; i++) {
    const b = u8[begin + i]!;
    or |= b;
    codes[i] = b;
  }
  if (or >= 0x80) return null;
  return String.fromCharCode.apply(null, codes);
}

/** The Buffer over memory `m`'s bytes (the host has Buffer). */
function latin1Source(m: MemoryInst): Latin1Source {
  const u8 = m.u8;
  return (m.latin1 ??= NodeBuffer!.from(u8.buffer, u8.byteOffset, u8.length));
}

function decodeUtf8(m: MemoryInst, begin: number, end: number): string {
  const ascii = decodeShortAscii(m, begin, end);
  if (ascii !== null) return ascii;
  const bytes = m.u8.subarray(begin, end);
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    trap(utf8Error(bytes) ?? 'invalid utf-8');
  }
}

function decodeUtf16(m: MemoryInst, begin: number, end: number): string {
  try {
    return utf16Decoder.decode(m.u8.subarray(begin, end));
  } catch {
    trap(CanonTrap.invalidUtf16);
  }
}

/** Latin-1: every byte is the code point of its value. */
function decodeLatin1(m: MemoryInst, begin: number, end: number): string {
  if (NodeBuffer !== undefined) return latin1Source(m).toString('latin1', begin, end);
  const bytes = m.u8.subarray(begin, end);
  let s = '';
  const CHUNK = 0x2000;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    s += String.fromCharCode(...bytes.subarray(i, Math.min(i + CHUNK, bytes.length)));
  }
  return s;
}

// ---- loading ----------------------------------------------------------------------

/** load_string: a string whose pointer and tagged length are stored at `ptr`. */
export function loadString(cx: LiftLowerContext, ptr: number): string | HintedString {
  const m = cx.memory;
  const size = ptrSize(cx.opts.ptrType);
  const begin = size === 4 ? m.view.getUint32(ptr, true) : Number(m.view.getBigUint64(ptr, true));
  const taggedUnits = size === 4 ? m.view.getUint32(ptr + 4, true) : m.view.getBigUint64(ptr + 8, true);
  return loadStringFromRange(cx, begin, taggedUnits);
}

/**
 * load_string_from_range: decodes the string at `ptr` with `taggedCodeUnits`
 * in the lifting side's encoding. Traps on a too-long string, a misaligned
 * pointer (even for the empty string), a range beyond memory, and invalid
 * UTF-8 or lone UTF-16 surrogates.
 */
export function loadStringFromRange(cx: LiftLowerContext, ptr: number, taggedCodeUnits: number | bigint): string | HintedString {
  const enc = cx.opts.stringEncoding;
  let alignment: number;
  let byteLength: number;
  let decoder: (m: MemoryInst, begin: number, end: number) => string;
  let units: number;
  let utf16 = false;
  switch (enc) {
    case 'utf8':
      units = Number(taggedCodeUnits);
      alignment = 1; byteLength = units; decoder = decodeUtf8;
      break;
    case 'utf16':
      units = Number(taggedCodeUnits);
      alignment = 2; byteLength = 2 * units; decoder = decodeUtf16;
      break;
    case 'latin1+utf16': {
      const u = untag(cx.opts.ptrType, taggedCodeUnits);
      units = u.units; utf16 = u.utf16;
      alignment = 2;
      if (utf16) { byteLength = 2 * units; decoder = decodeUtf16; } else { byteLength = units; decoder = decodeLatin1; }
      break;
    }
  }
  if (byteLength > MAX_STRING_BYTE_LENGTH) rangeOutOfBounds(cx.peer, 'string');
  if (!isAligned(ptr, alignment)) trap(CanonTrap.unalignedPointer);
  const m = cx.memory;
  if (ptr + byteLength > m.u8.length) rangeOutOfBounds(cx.peer, 'string');
  chargeHostcallFuel(cx, 'string', byteLength);
  const s = decoder(m, ptr, ptr + byteLength);
  if (cx.inst.tracing) {
    cx.inst.emit({
      kind: 'load', what: 'string', addr: ptr, length: units, byteLength,
      encoding: enc === 'latin1+utf16' ? (utf16 ? 'utf16 (latin1+utf16, tagged)' : 'latin1 (latin1+utf16)') : enc,
      text: `read ${byteLength} bytes of ${enc}${enc === 'latin1+utf16' ? (utf16 ? ' (UTF-16 form)' : ' (Latin-1 form)') : ''} at ${ptr}: ${JSON.stringify(s)}`,
    });
  }
  return cx.keepStringHints ? new HintedString(s, enc, units, utf16) : s;
}

// ---- storing ------------------------------------------------------------------------

/** store_string: stores the string and writes its pointer and tagged length at `ptr`. */
export function storeString(cx: LiftLowerContext, v: unknown, ptr: number): void {
  const [begin, units, utf16] = storeStringIntoRange(cx, v);
  const m = cx.memory;
  if (ptrSize(cx.opts.ptrType) === 4) {
    m.view.setUint32(ptr, begin, true);
    m.view.setUint32(ptr + 4, tagged('i32', units, utf16) as number, true);
  } else {
    m.view.setBigUint64(ptr, BigInt(begin), true);
    m.view.setBigUint64(ptr + 8, tagged('i64', units, utf16) as bigint, true);
  }
}

type SimpleEncoding = 'utf8' | 'utf16' | 'latin1';

/**
 * store_string_into_range: allocates with realloc and writes the string in
 * the lowering side's encoding; returns [pointer, code units, utf16 tag].
 * Dispatches on (source encoding, destination encoding) exactly as the spec
 * does, so each case makes the spec's realloc calls.
 */
export function storeStringIntoRange(cx: LiftLowerContext, v: unknown): [number, number, boolean] {
  let src: string;
  let srcEncoding: StringEncoding;
  let srcSimple: SimpleEncoding;
  let srcCodeUnits: number;
  if (v instanceof HintedString) {
    src = v.value;
    srcEncoding = v.encoding;
    srcCodeUnits = v.codeUnits;
    srcSimple = v.encoding === 'latin1+utf16' ? (v.utf16 ? 'utf16' : 'latin1') : v.encoding;
  } else if (typeof v === 'string') {
    // An ASCII string (most are) is well-formed and as long in UTF-8 as in
    // code units: one test answers both questions.
    const ascii = ASCII.test(v);
    if (!ascii) checkWellFormed(v);
    src = v;
    // A host string has no canonical-ABI source encoding: the host picks
    // one. Into a UTF-8 destination it is taken as UTF-8 (as wasmtime's
    // Rust strings are), so the guest sees one exact-size realloc; the
    // UTF-16 route's optimistic allocation and resize is more than
    // real-world allocators (wit-bindgen's import realloc of the WASI
    // adapter) accept for host strings.
    if (cx.opts.stringEncoding === 'utf8') {
      srcEncoding = 'utf8';
      srcSimple = 'utf8';
      srcCodeUnits = ascii ? v.length : utf8Length(v);
    } else {
      srcEncoding = 'utf16';
      srcSimple = 'utf16';
      srcCodeUnits = v.length;
    }
  } else {
    throw new TypeError(`expected a string, got ${typeof v}`);
  }
  let r: [number, number, boolean];
  switch (cx.opts.stringEncoding) {
    case 'utf8':
      switch (srcSimple) {
        case 'utf8': r = storeStringCopy(cx, src, srcCodeUnits, 1, 1, 'utf8'); break;
        case 'utf16': r = storeUtf16ToUtf8(cx, src, srcCodeUnits); break;
        case 'latin1': r = storeLatin1ToUtf8(cx, src, srcCodeUnits); break;
      }
      break;
    case 'utf16':
      switch (srcSimple) {
        case 'utf8': r = storeUtf8ToUtf16(cx, src, srcCodeUnits); break;
        case 'utf16': case 'latin1': r = storeStringCopy(cx, src, srcCodeUnits, 2, 2, 'utf16'); break;
      }
      break;
    case 'latin1+utf16':
      if (srcEncoding === 'latin1+utf16') {
        r = srcSimple === 'latin1'
          ? storeStringCopy(cx, src, srcCodeUnits, 1, 2, 'latin1')
          : storeProbablyUtf16ToLatin1OrUtf16(cx, src, srcCodeUnits);
      } else {
        r = storeStringToLatin1OrUtf16(cx, src, srcCodeUnits);
      }
      break;
  }
  if (cx.inst.tracing) {
    const [ptr, units, utf16] = r;
    const enc = cx.opts.stringEncoding;
    const byteLength = enc === 'utf8' || (enc === 'latin1+utf16' && !utf16) ? units : 2 * units;
    cx.inst.emit({
      kind: 'store', what: 'string', addr: ptr, length: units, byteLength, encoding: enc,
      text: `wrote ${JSON.stringify(src)} (from ${srcSimple}, ${srcCodeUnits} code units) as ${byteLength} bytes of ${enc}${enc === 'latin1+utf16' ? (utf16 ? ' (UTF-16 form, length tagged)' : ' (Latin-1 form)') : ''} at ${ptr}`,
    });
  }
  return r;
}

const ASCII = /^[\x00-\x7f]*$/;

/** The number of bytes of `s` in UTF-8 (s well-formed, not ASCII: the engine's regular expression reads an ASCII string faster than a loop of charCodeAt). */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) { n += 4; i++; } // a surrogate pair
    else n += 3;
  }
  return n;
}

/** String.prototype.isWellFormed (ES2024; Node 20 has it), where the host has it. */
const isWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;

/** Host strings must be valid Unicode: a lone surrogate has no encoding in UTF-8. */
function checkWellFormed(s: string): void {
  if (isWellFormed !== undefined && isWellFormed.call(s)) return;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (d >= 0xdc00 && d <= 0xdfff) { i++; continue; }
      throw new TypeError(`string value has a lone surrogate at index ${i}`);
    }
    if (c >= 0xdc00 && c <= 0xdfff) throw new TypeError(`string value has a lone surrogate at index ${i}`);
  }
}

function checkAligned(cx: LiftLowerContext, ptr: number, alignment: number): void {
  if (!isAligned(ptr, alignment)) badReallocResult(cx.peer, 'string', 'align');
}

function checkInBounds(cx: LiftLowerContext, ptr: number, byteLength: number): void {
  if (ptr + byteLength > cx.memory.u8.length) badReallocResult(cx.peer, 'string', 'bounds');
}

function writeUtf16(cx: LiftLowerContext, ptr: number, s: string, fromUnit = 0): number {
  const u8 = cx.memory.u8;
  for (let i = fromUnit; i < s.length; i++) {
    const c = s.charCodeAt(i);
    u8[ptr + 2 * i] = c & 0xff;
    u8[ptr + 2 * i + 1] = c >>> 8;
  }
  return 2 * s.length;
}

function encodeUtf8(s: string): Uint8Array {
  return utf8Encoder.encode(s);
}

/**
 * Writes `s`, whose UTF-8 form is `byteLength` bytes, at `ptr`: straight
 * into memory, without an intermediate array. A short ASCII string (as
 * many bytes as code units) is copied unit by unit: as fast as the
 * encoder's call, without the view and result objects it allocates.
 */
function writeUtf8(u8: Uint8Array, ptr: number, s: string, byteLength: number): void {
  if (byteLength === s.length && byteLength <= 32) {
    for (let i = 0; i < byteLength; i++) u8[ptr + i] = s.charCodeAt(i);
    return;
  }
  utf8Encoder.encodeInto(s, u8.subarray(ptr, ptr + byteLength));
}

/** The simple cases: the destination size is known up front; one allocation, one copy. */
export function storeStringCopy(
  cx: LiftLowerContext, src: string, srcCodeUnits: number,
  dstCodeUnitSize: 1 | 2, dstAlignment: 1 | 2, dstEncoding: SimpleEncoding,
): [number, number, boolean] {
  const dstByteLength = dstCodeUnitSize * srcCodeUnits;
  const ptr = cx.allocate(dstAlignment, dstByteLength);
  checkAligned(cx, ptr, dstAlignment);
  checkInBounds(cx, ptr, dstByteLength);
  const u8 = cx.memory.u8;
  switch (dstEncoding) {
    case 'utf8': writeUtf8(u8, ptr, src, dstByteLength); break;
    case 'utf16': writeUtf16(cx, ptr, src); break;
    case 'latin1': for (let i = 0; i < src.length; i++) u8[ptr + i] = src.charCodeAt(i); break;
  }
  return [ptr, srcCodeUnits, false];
}

export function storeUtf16ToUtf8(cx: LiftLowerContext, src: string, srcCodeUnits: number): [number, number, boolean] {
  return storeStringToUtf8(cx, src, srcCodeUnits, srcCodeUnits * 3);
}

export function storeLatin1ToUtf8(cx: LiftLowerContext, src: string, srcCodeUnits: number): [number, number, boolean] {
  return storeStringToUtf8(cx, src, srcCodeUnits, srcCodeUnits * 2);
}

/**
 * Into UTF-8: optimistically one byte per source code unit; at the first
 * non-ASCII code point, grow to the worst case, finish, then shrink.
 */
export function storeStringToUtf8(cx: LiftLowerContext, src: string, srcCodeUnits: number, worstCaseSize: number): [number, number, boolean] {
  let ptr = cx.allocate(1, srcCodeUnits);
  checkInBounds(cx, ptr, srcCodeUnits);
  let u8 = cx.memory.u8;
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (c < 0x80) {
      u8[ptr + i] = c;
      continue;
    }
    // Every earlier code point was ASCII, so `i` is both the code point
    // index and the UTF-8 byte offset.
    ptr = cx.reallocate(ptr, srcCodeUnits, 1, worstCaseSize);
    checkInBounds(cx, ptr, worstCaseSize);
    const encoded = encodeUtf8(src);
    u8 = cx.memory.u8;
    u8.set(encoded.subarray(i), ptr + i);
    if (worstCaseSize > encoded.length) {
      ptr = cx.reallocate(ptr, worstCaseSize, 1, encoded.length);
      checkInBounds(cx, ptr, encoded.length);
    }
    return [ptr, encoded.length, false];
  }
  return [ptr, srcCodeUnits, false];
}

/** UTF-8 into UTF-16: allocate the worst case (2 bytes per UTF-8 byte), shrink at the end. */
export function storeUtf8ToUtf16(cx: LiftLowerContext, src: string, srcCodeUnits: number): [number, number, boolean] {
  const worstCaseSize = 2 * srcCodeUnits;
  let ptr = cx.allocate(2, worstCaseSize);
  checkAligned(cx, ptr, 2);
  checkInBounds(cx, ptr, worstCaseSize);
  const len = writeUtf16(cx, ptr, src);
  if (len < worstCaseSize) {
    ptr = cx.reallocate(ptr, worstCaseSize, 2, len);
    checkAligned(cx, ptr, 2);
    checkInBounds(cx, ptr, len);
  }
  return [ptr, len / 2, false];
}

/**
 * Into latin1+utf16 from utf8 or utf16: speculate Latin-1; at the first code
 * point above U+00FF, grow to the UTF-16 worst case, inflate the Latin-1
 * bytes written so far in place (backwards), write the rest as UTF-16 and
 * shrink; otherwise shrink the Latin-1 allocation to size.
 */
export function storeStringToLatin1OrUtf16(cx: LiftLowerContext, src: string, srcCodeUnits: number): [number, number, boolean] {
  let ptr = cx.allocate(2, srcCodeUnits);
  checkAligned(cx, ptr, 2);
  checkInBounds(cx, ptr, srcCodeUnits);
  let dstByteLength = 0;
  let u8 = cx.memory.u8;
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (c < 0x100) {
      u8[ptr + dstByteLength] = c;
      dstByteLength += 1;
      continue;
    }
    const worstCaseSize = 2 * srcCodeUnits;
    ptr = cx.reallocate(ptr, srcCodeUnits, 2, worstCaseSize);
    checkAligned(cx, ptr, 2);
    checkInBounds(cx, ptr, worstCaseSize);
    u8 = cx.memory.u8;
    for (let j = dstByteLength - 1; j >= 0; j--) {
      u8[ptr + 2 * j] = u8[ptr + j]!;
      u8[ptr + 2 * j + 1] = 0;
    }
    // Latin-1 characters are single UTF-16 code units, so code unit
    // `dstByteLength` of `src` is where the UTF-16 tail begins.
    const len = writeUtf16(cx, ptr, src, dstByteLength);
    if (worstCaseSize > len) {
      ptr = cx.reallocate(ptr, worstCaseSize, 2, len);
      checkAligned(cx, ptr, 2);
      checkInBounds(cx, ptr, len);
    }
    return [ptr, len / 2, true];
  }
  if (dstByteLength < srcCodeUnits) {
    ptr = cx.reallocate(ptr, srcCodeUnits, 2, dstByteLength);
    checkAligned(cx, ptr, 2);
    checkInBounds(cx, ptr, dstByteLength);
  }
  return [ptr, dstByteLength, false];
}

/**
 * latin1+utf16 (UTF-16 form) into latin1+utf16: the producer chose UTF-16,
 * so it probably needs it — copy as UTF-16, and deflate to Latin-1 only if
 * every code point turned out to fit.
 */
export function storeProbablyUtf16ToLatin1OrUtf16(cx: LiftLowerContext, src: string, srcCodeUnits: number): [number, number, boolean] {
  const srcByteLength = 2 * srcCodeUnits;
  let ptr = cx.allocate(2, srcByteLength);
  checkAligned(cx, ptr, 2);
  checkInBounds(cx, ptr, srcByteLength);
  const len = writeUtf16(cx, ptr, src);
  let latin1 = true;
  for (let i = 0; i < src.length; i++) if (src.charCodeAt(i) >= 0x100) { latin1 = false; break; }
  if (!latin1) return [ptr, len / 2, true];
  const latin1Size = len / 2;
  const u8 = cx.memory.u8;
  for (let i = 0; i < latin1Size; i++) u8[ptr + i] = u8[ptr + 2 * i]!;
  ptr = cx.reallocate(ptr, srcByteLength, 1, latin1Size);
  checkInBounds(cx, ptr, latin1Size);
  return [ptr, latin1Size, false];
}
