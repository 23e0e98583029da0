// Differential fuzzing of cmr's two core engines: a module (gen-module.ts)
// and a list of calls of its exports, run on the interpreter and natively;
// each call's results or trap and the calls it made to the host import
// (`host.trace`) are compared, then the final memory, globals and tables.
// NaN-aware: where the spec lets results differ (a NaN's sign and payload,
// §4.3.3), any NaN matches any NaN. A case is plain data (text and calls),
// so a shrunk one is run exactly as a generated one.

import { decodeModule } from '../core/binary/decode.js';
import { validateModule } from '../core/valid/validate.js';
import { WASM_3_0_SUPPORTED } from '../core/syntax/feature-set.js';
import { DecodeError, Trap, ValidationError } from '../core/errors.js';
import type { CoreEngine, ExternVal, ModuleInstance } from '../core/runtime/instance.js';
import { HostFunc } from '../core/runtime/func.js';
import { I32 } from '../core/syntax/types.js';
import { Interpreter } from '../core/exec/index.js';
import { hostTrapKind, NativeEngine } from '../core/native/index.js';
import { watToBinary } from '../text/wat.js';
import { argValue, formatResults } from '../wast/consts.js';
import { readSExprs } from '../wast/sexpr.js';
import type { EngineName } from './engines.js';

/** A call of an export, its arguments in the script syntax: `(i32.const 1)`, `(ref.extern 2)`. */
export interface CoreCall {
  name: string;
  args: string[];
}

export interface CoreCase {
  wat: string;
  calls: CoreCall[];
}

export interface CoreDisagreement {
  /** The call (or `final state`) where the engines differ. */
  where: string;
  /** Index of that call in the case's calls (calls.length for the final state). */
  index: number;
  outcomes: [EngineName, string][];
}

export interface CoreVerdict {
  calls: number;
  disagreement: CoreDisagreement | null;
  /** A module cmr's own front end, decoder or validator refused: a generator bug, or cmr's. */
  rejected: string | null;
}

export function callText(c: CoreCall): string {
  return `(invoke "${c.name}"${c.args.map((a) => ` ${a}`).join('')})`;
}

/** Results as text with every NaN written alike (what the spec leaves open is not compared). */
function nanAware(text: string): string {
  return text.replace(/-?nan(:0x[0-9a-f]+)?/g, 'nan');
}

/** What one call did, in comparable form; traps carry every message they may stand for. */
type CallOutcome = { kind: 'values'; text: string } | { kind: 'trap'; messages: readonly string[]; trace: string } | { kind: 'error'; text: string };

function describe(o: CallOutcome): string {
  return o.kind === 'values' ? o.text : o.kind === 'trap' ? `trap: ${o.messages.join(' | ')}${o.trace}` : `error: ${o.text}`;
}

function same(a: CallOutcome, b: CallOutcome): boolean {
  // Traps match up to the detail the host engine does not report (the interpreter's "uninitialized element 0" is V8's "uninitialized element").
  if (a.kind === 'trap' && b.kind === 'trap') return a.trace === b.trace && a.messages.some((m) => b.messages.some((n) => hostTrapKind(m) === hostTrapKind(n)));
  return a.kind === b.kind && describe(a) === describe(b);
}

/** The module's one import: `host.trace`, which records its argument and answers with a function of it. */
function traceImport(log: number[]): ExternVal {
  return { kind: 'func', value: new HostFunc({ params: [I32], results: [I32] }, ([x]) => {
    log.push(x as number);
    return [(Math.imul(x as number, 3) + 1) | 0];
  }, 'trace') };
}

function callOn(inst: ModuleInstance, log: number[], c: CoreCall): CallOutcome {
  const ext = inst.exports.get(c.name);
  if (!ext || ext.kind !== 'func') return { kind: 'error', text: `no function ${c.name}` };
  const f = ext.value;
  const before = log.length;
  const trace = () => (log.length > before ? `; host.trace got ${log.slice(before).join(' ')}` : '');
  try {
    if (c.args.length !== f.type.params.length) return { kind: 'error', text: `${c.name} takes ${f.type.params.length} arguments` };
    const args = c.args.map((a, i) => argValue(readSExprs(a)[0]!, f.type.params[i]!));
    const results = f.call(args);
    return { kind: 'values', text: nanAware(formatResults(results, f.type.results)) + trace() };
  } catch (e) {
    if (e instanceof Trap) return { kind: 'trap', messages: e.alternatives ?? [e.message], trace: trace() };
    return { kind: 'error', text: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}

/** The state a run leaves: memory bytes (as a digest), globals, table sizes and which slots are null (externref: which reference). */
function finalState(inst: ModuleInstance): string {
  const parts: string[] = [];
  for (const [name, ext] of inst.exports) {
    if (ext.kind === 'memory') {
      const u8 = ext.value.u8;
      let h = 0x811c9dc5;
      for (let i = 0; i < u8.length; i++) h = Math.imul(h ^ u8[i]!, 0x01000193) >>> 0;
      parts.push(`${name}: ${u8.length} bytes, FNV-1a ${h.toString(16)}`);
    }
    if (ext.kind === 'global') parts.push(`${name}: ${nanAware(formatResults([ext.value.value], [ext.value.type.type]))}`);
    if (ext.kind === 'table') {
      const t = ext.value;
      const slots: string[] = [];
      for (let i = 0; i < t.size(); i++) slots.push(t.get(i) === null ? 'null' : formatResults([t.get(i)], [t.type.elem]));
      parts.push(`${name}: [${slots.join(' ')}]`);
    }
  }
  return parts.join('; ');
}

/** Text to a decoded, validated module; a string when cmr refuses it. */
async function compile(wat: string): Promise<{ module: ReturnType<typeof decodeModule>; bytes: Uint8Array } | string> {
  let bytes: Uint8Array;
  try {
    bytes = await watToBinary(wat);
  } catch (e) {
    return `text: ${(e as Error).message}`;
  }
  try {
    const module = decodeModule(bytes, WASM_3_0_SUPPORTED);
    validateModule(module, WASM_3_0_SUPPORTED);
    return { module, bytes };
  } catch (e) {
    if (e instanceof DecodeError || e instanceof ValidationError) return e.message;
    throw e;
  }
}

function coreEngine(name: EngineName): CoreEngine {
  if (name === 'interp') return new Interpreter();
  if (name === 'native') return new NativeEngine();
  throw new Error('jco runs components only: core modules are compared on interp and native (use --components for jco)');
}

/** Runs the case on each engine (at least two), call by call; the first difference is the disagreement. */
export async function runCoreCase(c: CoreCase, engines: readonly EngineName[]): Promise<CoreVerdict> {
  const compiled = await compile(c.wat);
  if (typeof compiled === 'string') return { calls: 0, disagreement: null, rejected: compiled };
  const runs: { name: EngineName; inst: ModuleInstance; log: number[] }[] = [];
  for (const name of engines) {
    const log: number[] = [];
    const inst = await coreEngine(name).instantiate(compiled.module, compiled.bytes, compiled.module.imports.length ? [traceImport(log)] : []);
    runs.push({ name, inst, log });
  }
  let calls = 0;
  const differ = (where: string, index: number, outcomes: string[]): CoreVerdict => ({
    calls, rejected: null, disagreement: { where, index, outcomes: runs.map((r, i) => [r.name, outcomes[i]!]) },
  });
  for (let i = 0; i < c.calls.length; i++) {
    const call = c.calls[i]!;
    const outcomes = runs.map((r) => callOn(r.inst, r.log, call));
    calls++;
    // A call the harness cannot make on any engine (a shrunk module without that export): the case is not runnable.
    if (outcomes.every((o) => o.kind === 'error' && describe(o) === describe(outcomes[0]!))) {
      return { calls, disagreement: null, rejected: `${callText(call)}: ${describe(outcomes[0]!)}` };
    }
    if (outcomes.some((o) => o.kind === 'error' || !same(o, outcomes[0]!))) return differ(callText(call), i, outcomes.map(describe));
  }
  const states = runs.map((r) => finalState(r.inst));
  if (states.some((s) => s !== states[0])) return differ('final memory, globals and tables', c.calls.length, states);
  return { calls, disagreement: null, rejected: null };
}
