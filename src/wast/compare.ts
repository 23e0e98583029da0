// One .wast file, run once per engine, outcomes paired directive by
// directive. A pair that differs while both engines ran is a mismatch: the
// differential heart of the harness.

import { readFileBytes } from '../api/read-serialized.js';
import { cannotBeText, hasWasmMagic, NotWebAssemblyError } from '../api/file-bytes.js';
import { readFailure } from '../api/read-failure.js';
import { readSExprs, WastSyntaxError } from './sexpr.js';
import { directiveSources, type SourceAt } from './directive-source.js';
import { parseScript, type Directive } from './script.js';
import { ScriptRun, type EngineAdapter } from './runner.js';
import type { Outcome } from './directive-walker.js';
import type { TraceHook } from '../component/canon/trace.js';
import { WASM_2_0, WASM_3_0_SUPPORTED, type CoreFeatures } from '../core/syntax/feature-set.js';
import { hostTrapKind } from '../core/native/traps.js';

import { ENGINE_NAMES, type EngineName } from './engine-names.js';
export { ENGINE_NAMES, type EngineName };

/**
 * How an engine runs a script: a core engine under cmr's runner (interp,
 * native), or a runner of its own (jco, which has its own component runtime).
 */
export type EngineEntry = EngineAdapter | { runScript(directives: Directive[], features: CoreFeatures, onOutcome: (o: Outcome) => void): Promise<Outcome[]> };

export interface Mismatch {
  line: number;
  kind: Directive['kind'];
  outcomes: Partial<Record<EngineName, string>>;
  /** The engines whose outcome is the suite's (passed the directive). */
  agreeWithSuite: EngineName[];
}

export interface FileResult {
  /** The path as reported (relative to the suites root when run from a suite). */
  file: string;
  outcomes: Partial<Record<EngineName, Outcome[]>>;
  mismatches: Mismatch[];
  /** What the expected-failures list matches: the path relative to the suites root (default: `file`). */
  key?: string;
  /** A file that cannot be read or parsed: one failure, with this message. */
  error?: string;
  /** The text of the directive on a line, for the reports. */
  sourceAt?: SourceAt;
}

/** Reads and parses a script; syntax errors carry the file and line. */
export async function loadScript(path: string): Promise<Directive[]> {
  return (await loadScriptWithSource(path)).directives;
}

/** A script's file, with its bytes when the caller has read them already (cmr debug: a FIFO is read once). */
export type ScriptFile = string | { path: string; bytes: Uint8Array };

/** Reads and parses a script, keeping its directives' text for the reports. */
export async function loadScriptWithSource(file: ScriptFile): Promise<{ directives: Directive[]; sourceAt: SourceAt }> {
  const path = typeof file === 'string' ? file : file.path;
  // Read as every command reads a file: bounded (2 GiB), and a file whose
  // first 64 KiB cannot begin a text (/dev/zero) is not read on.
  const bytes = typeof file === 'string' ? await readFileBytes(path) : file.bytes;
  // A .wasm handed to `cmr wast` by mistake: say what it is, not where its
  // bytes first stop being UTF-8 or s-expressions.
  if (hasWasmMagic(bytes)) {
    throw new WastSyntaxError('a WebAssembly binary, not a .wast script (cmr run, cmr inspect and cmr debug read binaries)', 1, 1);
  }
  if (cannotBeText(bytes)) throw new NotWebAssemblyError(path, true);
  const src = decodeScript(bytes);
  const exprs = readSExprs(src);
  return { directives: parseScript(src, exprs), sourceAt: directiveSources(src, exprs) };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A script's bytes as text. The text format is UTF-8 (spec §6.3.1): a byte
 * sequence that is not is a malformed script, reported at its line, never
 * silently turned into U+FFFD.
 */
export function decodeScript(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at; i++) if (bytes[i] === 0x0a) { line++; lineStart = i + 1; }
    throw new WastSyntaxError(`malformed UTF-8 encoding (byte 0x${bytes[at]?.toString(16).padStart(2, '0') ?? '??'} at offset ${at})`, line, at - lineStart + 1);
  }
}

/** The offset of the first byte that does not belong to a well-formed UTF-8 sequence. */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) { i++; continue; }
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    // The second byte's range is narrower after E0, ED, F0 and F4 (no overlongs, surrogates or > U+10FFFF).
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    const d = b[i + 1];
    if (d === undefined || d < lo || d > hi) return i;
    for (let k = 2; k <= n; k++) {
      const e = b[i + k];
      if (e === undefined || e < 0x80 || e > 0xbf) return i;
    }
    i += n + 1;
  }
  return b.length;
}

/**
 * The core features a script runs with: the core-2.0 suite is WebAssembly
 * 2.0 exactly (its rejections of later features are part of it); every
 * other script (core-3.0, component-model, cmr's own) gets all cmr implements.
 */
export function featuresForScript(path: string): CoreFeatures {
  return /(^|[\\/])core-2\.0[\\/]/.test(path) ? WASM_2_0 : WASM_3_0_SUPPORTED;
}

export async function runFile(
  file: ScriptFile,
  shownAs: string,
  engines: Partial<Record<EngineName, EngineEntry>>,
  onOutcome?: (engine: EngineName, o: Outcome) => void,
  /** Makes the canonical ABI trace hook for a run on one engine (cmr wast --trace). */
  traceFor?: (engine: EngineName) => TraceHook,
  /** Fuel for each action and instantiation (cmr wast --fuel; the interpreter only). */
  fuel?: number,
): Promise<FileResult> {
  const path = typeof file === 'string' ? file : file.path;
  let directives: Directive[];
  let sourceAt: SourceAt;
  try {
    ({ directives, sourceAt } = await loadScriptWithSource(file));
  } catch (e) {
    if (e instanceof WastSyntaxError) return { file: shownAs, outcomes: {}, mismatches: [], error: `${shownAs}:${e.message}` };
    // Bytes that are no script, and a file that cannot be read, in every command's words.
    const why = e instanceof NotWebAssemblyError ? e.message : readFailure(path, e);
    if (why !== null) return { file: shownAs, outcomes: {}, mismatches: [], error: why };
    throw e;
  }
  const outcomes: FileResult['outcomes'] = {};
  const features = featuresForScript(path);
  for (const [name, adapter] of Object.entries(engines) as [EngineName, EngineEntry][]) {
    if ('runScript' in adapter) {
      outcomes[name] = await adapter.runScript(directives, features, (o) => onOutcome?.(name, o));
      continue;
    }
    const trace = traceFor?.(name);
    outcomes[name] = await new ScriptRun(adapter, { features, ...(trace ? { trace } : {}), ...(fuel !== undefined ? { fuel } : {}) }).run(directives, (o) => onOutcome?.(name, o));
  }
  return { file: shownAs, outcomes, mismatches: pairOutcomes(directives, outcomes), sourceAt };
}

/**
 * Directives where at least two engines ran and their outcomes differ: one
 * mismatch per directive, listing every engine that ran it.
 */
export function pairOutcomes(directives: Directive[], outcomes: FileResult['outcomes']): Mismatch[] {
  const ran = ENGINE_NAMES.filter((e) => outcomes[e] !== undefined);
  if (ran.length < 2) return [];
  const out: Mismatch[] = [];
  for (let i = 0; i < directives.length; i++) {
    const here = ran.map((e) => [e, outcomes[e]![i]!] as const).filter(([, o]) => o.status !== 'skip');
    if (here.length < 2) continue;
    if (here.some(([e, x], k) => here.slice(k + 1).some(([f, y]) => differ(x, y, e === 'jco' || f === 'jco')))) {
      const first = here[0]![1];
      out.push({
        line: first.line, kind: first.kind,
        outcomes: Object.fromEntries(here.map(([e, o]) => [e, describe(o)])),
        agreeWithSuite: here.filter(([, o]) => o.status === 'pass').map(([e]) => e),
      });
    }
  }
  return out;
}

/**
 * Whether two engines' outcomes of one directive differ. jco words its
 * failures its own way (or V8's), so beside it two failures agree by verdict;
 * what passed is still compared by what it yielded.
 */
function differ(x: Outcome, y: Outcome, verdictOnlyForFailures: boolean): boolean {
  if (x.status !== y.status) return true;
  if (verdictOnlyForFailures && x.status === 'fail') return false;
  return comparable(x) !== comparable(y);
}

/**
 * What must agree between engines: what the spec determines, no more.
 * - Rejections of invalid or malformed modules are compared by verdict only:
 *   the host engine words its errors its own way, and its verdict is the
 *   independent check.
 * - A passing assert_return is compared by its verdict: the assertion already
 *   says which results the spec allows, and where it allows several (NaN
 *   sign and payload after arithmetic, spec §4.3.3) two conformant engines
 *   may differ.
 * - Everything else (traps, failures, plain actions) by what happened; a
 *   trap by its words up to the detail the host engine does not report
 *   (hostTrapKind: the interpreter's "uninitialized element 2" is V8's
 *   "uninitialized element").
 */
function comparable(o: Outcome): string {
  if (o.kind === 'assert_invalid' || o.kind === 'assert_malformed') return o.status;
  if (o.kind === 'assert_return' && o.status === 'pass') return o.status;
  // A passing trap or link assertion: jco words traps its own way, and the
  // assertion already says which trap the suite expects.
  if (o.kind !== 'module' && o.kind !== 'instance' && o.kind !== 'action' && o.kind !== 'register' && o.status === 'pass') return o.status;
  const got = o.got?.startsWith('trap: ') ? `trap: ${hostTrapKind(o.got.slice('trap: '.length))}` : o.got ?? '';
  return `${o.status} ${got}`;
}

function describe(o: Outcome): string {
  return `${o.status}${o.got ? `: ${o.got}` : ''}`;
}
