// The text front end: WebAssembly text (core modules and components) to
// bytes. cmr does not parse .wat itself; wasm-tools (shipped as WebAssembly
// in @bytecodealliance/jco-transpile) is the text format's reference
// implementation for components and the newest core proposals, so one
// front end serves every suite.

import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

// Loaded on first use, not at import: wasm-tools is 2.4 MB of WebAssembly,
// which V8 would otherwise compile at the start of every process that
// imports cmr, text or no text (a loaded binary or serialized component).
let wasmTools: Promise<WasmTools> | null = null;
let instances = 0;

interface WasmTools { parse(text: string): Promise<Uint8Array> | Uint8Array }

/**
 * wasm-tools, instantiated on first use. A panic inside it (a Rust bug, a
 * trap of its WebAssembly) leaves its component instance poisoned: every
 * later call traps with "cannot enter component instance". So after a
 * panic the next parse makes a fresh instance: the package's vendored
 * module imported again under another URL, which is a module of its own,
 * compiled and instantiated anew (only ever after a crash).
 */
function loadWasmTools(): Promise<WasmTools> {
  const n = instances++;
  if (n === 0) return import('@bytecodealliance/jco-transpile/wasm-tools');
  const entry = pathToFileURL(createRequire(import.meta.url).resolve('@bytecodealliance/jco-transpile/wasm-tools'));
  const again = new URL(`../vendor/wasm-tools.js?instance=${n}`, entry).href;
  return import(again).then(async (m: { $init: Promise<void>; tools: WasmTools }) => {
    await m.$init;
    return m.tools;
  });
}

/** Text that wasm-tools could not turn into bytes (assert_malformed on text). */
export class TextError extends Error {
  override name = 'TextError';
  constructor(message: string, readonly line: number, readonly col: number) {
    super(message);
  }
}

/**
 * Turns module or component text into bytes. Throws TextError with the
 * front end's own words and the 1-based line:col inside `text`.
 */
export async function watToBinary(text: string): Promise<Uint8Array> {
  const tools = await (wasmTools ??= loadWasmTools());
  try {
    return await tools.parse(escapeStringLiterals(text));
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) {
      // wasm-tools panicked (its message went to stderr): a bug of the parser, not of the text.
      wasmTools = null;
      throw new TextError(`the text parser (wasm-tools) crashed on this text (${e.message})`, 0, 0);
    }
    throw toTextError(e);
  }
}

/**
 * Rewrites every non-ASCII character inside string literals as a \u{…}
 * escape, which means the same bytes. wasm-tools refuses some characters
 * written out literally ("confusing" bidirectional controls such as U+202E,
 * a guard against source that reads differently than it parses), but the
 * text format allows them, and names.wast exports names made of them.
 */
export function escapeStringLiterals(text: string): string {
  if (!/[^\x00-\x7f]/.test(text)) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ';' && text[i + 1] === ';') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      out += text.slice(i, stop);
      i = stop;
    } else if (c === '(' && text[i + 1] === ';') {
      let depth = 0;
      const start = i;
      do {
        if (text.startsWith('(;', i)) { depth++; i += 2; }
        else if (text.startsWith(';)', i)) { depth--; i += 2; }
        else i++;
      } while (depth > 0 && i < text.length);
      out += text.slice(start, i);
    } else if (c === '"') {
      out += c;
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\') { out += text.slice(i, i + 2); i += 2; continue; }
        const cp = text.codePointAt(i)!;
        if (cp > 0x7f) {
          out += `\\u{${cp.toString(16)}}`;
          i += cp > 0xffff ? 2 : 1;
        } else {
          out += text[i];
          i++;
        }
      }
      if (i < text.length) { out += '"'; i++; }
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function toTextError(e: unknown): TextError {
  // wasm-tools reports a Rust debug rendering of its error, e.g.
  //   Error { kind: Wast(Error { inner: ErrorInner { text: Some(Text { line: 0, col: 14, ...
  //   kind: Custom("unknown operator or unexpected token") } }) }
  // We keep the human part and the position; anything else falls back to the raw text.
  const raw = e instanceof Error ? e.message || String(e) : String(e);
  const custom = /Custom\("((?:[^"\\]|\\.)*)"\)/.exec(raw)?.[1];
  const lastKind = raw.lastIndexOf('kind: ');
  const msg = custom ?? (lastKind >= 0 ? raw.slice(lastKind + 6).replace(/ \} \}\) \}$/, '') : raw);
  const line = Number(/line: (\d+)/.exec(raw)?.[1] ?? -1) + 1;
  const col = Number(/col: (\d+)/.exec(raw)?.[1] ?? -1) + 1;
  return new TextError(msg.replace(/\\"/g, '"').replace(/\\n/g, '\n'), line, col);
}
