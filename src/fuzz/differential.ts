// Differential fuzzing of cmr's two core engines: random valid modules
// (gen-module.ts), every export called with random arguments on the
// interpreter and natively, then results, traps, final memory and globals
// compared. NaN-aware: where the spec lets results differ (a NaN's sign and
// payload, §4.3.3), any NaN matches any NaN. Module i of a run with seed S
// is made from seed S+i, so `--seed S+i --count 1` reproduces it alone.

import { decodeModule } from '../core/binary/decode.js';
import { validateModule } from '../core/valid/validate.js';
import { WASM_3_0_SUPPORTED } from '../core/syntax/feature-set.js';
import { DecodeError, Trap, ValidationError } from '../core/errors.js';
import type { CoreEngine, ModuleInstance } from '../core/runtime/instance.js';
import { Interpreter } from '../core/exec/index.js';
import { NativeEngine } from '../core/native/index.js';
import { watToBinary } from '../text/wat.js';
import { argValue, formatResults } from '../wast/consts.js';
import { readSExprs } from '../wast/sexpr.js';
import { generateModule, randomConst, Rng, type NumType } from './gen-module.js';

export interface Disagreement {
  seed: number;
  wat: string;
  /** The call (or final state) where the engines differ, and what each gave. */
  where: string;
  interp: string;
  native: string;
}

export interface ModuleResult {
  calls: number;
  disagreement: Disagreement | null;
  /** A generated module cmr's own front end, decoder or validator refused: a generator bug, or cmr's. */
  rejected: string | null;
}

/** Results as text with every NaN written alike (what the spec leaves open is not compared). */
function nanAware(text: string): string {
  return text.replace(/-?nan(:0x[0-9a-f]+)?/g, 'nan');
}

/** What one call did, in comparable form; traps carry every message they may stand for. */
type CallOutcome = { kind: 'values'; text: string } | { kind: 'trap'; messages: readonly string[] } | { kind: 'error'; text: string };

function describe(o: CallOutcome): string {
  return o.kind === 'values' ? o.text : o.kind === 'trap' ? `trap: ${o.messages.join(' | ')}` : `error: ${o.text}`;
}

function same(a: CallOutcome, b: CallOutcome): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'trap' && b.kind === 'trap') return a.messages.some((m) => b.messages.includes(m));
  return describe(a) === describe(b);
}

function callOn(inst: ModuleInstance, name: string, argTexts: string[]): CallOutcome {
  const ext = inst.exports.get(name);
  if (!ext || ext.kind !== 'func') return { kind: 'error', text: `no function ${name}` };
  const f = ext.value;
  const args = argTexts.map((a, i) => argValue(readSExprs(a)[0]!, f.type.params[i]!));
  try {
    return { kind: 'values', text: nanAware(formatResults(f.call(args), f.type.results)) };
  } catch (e) {
    if (e instanceof Trap) return { kind: 'trap', messages: e.alternatives ?? [e.message] };
    return { kind: 'error', text: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}

/** The state a run leaves: memory bytes (as a hash-like digest) and the globals. */
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
  }
  return parts.join('; ');
}

/** Generates module `seed`, runs it on both engines, compares. */
export async function fuzzOne(seed: number): Promise<ModuleResult> {
  const r = new Rng(seed);
  const { wat, funcs } = generateModule(r);
  let bytes: Uint8Array;
  try {
    bytes = await watToBinary(wat);
  } catch (e) {
    return { calls: 0, disagreement: null, rejected: `text: ${(e as Error).message}` };
  }
  let module;
  try {
    module = decodeModule(bytes, WASM_3_0_SUPPORTED);
    validateModule(module, WASM_3_0_SUPPORTED);
  } catch (e) {
    if (e instanceof DecodeError || e instanceof ValidationError) return { calls: 0, disagreement: null, rejected: e.message };
    throw e;
  }
  const engines: [string, CoreEngine][] = [['interp', new Interpreter()], ['native', new NativeEngine()]];
  const insts: ModuleInstance[] = [];
  for (const [, engine] of engines) insts.push(await engine.instantiate(module, bytes, []));
  const [a, b] = insts as [ModuleInstance, ModuleInstance];
  let calls = 0;
  const differ = (where: string, x: string, y: string): ModuleResult => ({ calls, rejected: null, disagreement: { seed, wat, where, interp: x, native: y } });
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < funcs.length; i++) {
      const f = funcs[i]!;
      const args = f.params.map((t: NumType) => `(${t}.const ${randomConst(r, t)})`);
      const x = callOn(a, `f${i}`, args);
      const y = callOn(b, `f${i}`, args);
      calls++;
      if (!same(x, y)) return differ(`(invoke "f${i}"${args.map((s) => ` ${s}`).join('')})`, describe(x), describe(y));
    }
  }
  const sa = finalState(a);
  const sb = finalState(b);
  if (sa !== sb) return differ('final memory and globals', sa, sb);
  return { calls, disagreement: null, rejected: null };
}
