// One .wast file, run once per engine, outcomes paired directive by
// directive. A pair that differs while both engines ran is a mismatch: the
// differential heart of the harness.

import { readFile } from 'node:fs/promises';
import { readSExprs, WastSyntaxError } from './sexpr.js';
import { parseScript, type Directive } from './script.js';
import { ScriptRun, type EngineAdapter, type Outcome } from './runner.js';
import type { TraceHook } from '../component/canon/trace.js';
import { WASM_2_0, WASM_3_0_SUPPORTED, type CoreFeatures } from '../core/syntax/feature-set.js';

export type EngineName = 'interp' | 'native';

export interface Mismatch {
  line: number;
  kind: Directive['kind'];
  outcomes: Partial<Record<EngineName, string>>;
}

export interface FileResult {
  /** The path as reported (relative to the suites root when run from a suite). */
  file: string;
  outcomes: Partial<Record<EngineName, Outcome[]>>;
  mismatches: Mismatch[];
  /** A file that cannot be read or parsed: one failure, with this message. */
  error?: string;
}

/** Reads and parses a script; syntax errors carry the file and line. */
export async function loadScript(path: string): Promise<Directive[]> {
  const src = await readFile(path, 'utf8');
  return parseScript(src, readSExprs(src));
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
  path: string,
  shownAs: string,
  engines: Partial<Record<EngineName, EngineAdapter>>,
  onOutcome?: (engine: EngineName, o: Outcome) => void,
  /** Makes the canonical ABI trace hook for a run on one engine (cmr wast --trace). */
  traceFor?: (engine: EngineName) => TraceHook,
): Promise<FileResult> {
  let directives: Directive[];
  try {
    directives = await loadScript(path);
  } catch (e) {
    if (e instanceof WastSyntaxError) return { file: shownAs, outcomes: {}, mismatches: [], error: `${shownAs}:${e.message}` };
    const code = (e as NodeJS.ErrnoException).code;
    if (code) return { file: shownAs, outcomes: {}, mismatches: [], error: `${shownAs}: ${(e as Error).message}` };
    throw e;
  }
  const outcomes: FileResult['outcomes'] = {};
  const features = featuresForScript(path);
  for (const [name, adapter] of Object.entries(engines) as [EngineName, EngineAdapter][]) {
    const trace = traceFor?.(name);
    outcomes[name] = await new ScriptRun(adapter, trace ? { trace, features } : { features }).run(directives, (o) => onOutcome?.(name, o));
  }
  return { file: shownAs, outcomes, mismatches: pairOutcomes(directives, outcomes) };
}

/** Directives where both engines ran and their outcomes differ. */
export function pairOutcomes(directives: Directive[], outcomes: FileResult['outcomes']): Mismatch[] {
  const a = outcomes.interp;
  const b = outcomes.native;
  if (!a || !b) return [];
  const out: Mismatch[] = [];
  for (let i = 0; i < directives.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.status === 'skip' || y.status === 'skip') continue;
    if (x.status !== y.status || comparable(x) !== comparable(y)) {
      out.push({ line: x.line, kind: x.kind, outcomes: { interp: describe(x), native: describe(y) } });
    }
  }
  return out;
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
 * - Everything else (traps, failures, plain actions) by what happened.
 */
function comparable(o: Outcome): string {
  if (o.kind === 'assert_invalid' || o.kind === 'assert_malformed') return o.status;
  if (o.kind === 'assert_return' && o.status === 'pass') return o.status;
  return `${o.status} ${o.got ?? ''}`;
}

function describe(o: Outcome): string {
  return `${o.status}${o.got ? `: ${o.got}` : ''}`;
}
