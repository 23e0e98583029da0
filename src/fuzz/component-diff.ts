// One case of `cmr fuzz --components`: an echo component (gen-component.ts)
// and values of its type, run on each engine. The spec fixes the answer: a
// value lowered and lifted through the canonical ABI is the same value, so
// each engine must return every value unchanged and hand the host import
// exactly that value too (NaN-aware: componentValuesMatch). A trap, a
// refusal or any other value is a disagreement, with what each engine did.
// interp and native run through cmr's embedder API; jco runs the component
// transpiled by jco (its own canonical ABI), with the host import as a JS
// function that returns what it was given.

import type { ValType } from '../component/syntax/types.js';
import type { ComponentValue } from '../component/canon/values.js';
import type { AbiVariant } from '../component/canon/abi-variant.js';
import { Engine } from '../api/engine.js';
import { Component } from '../api/component.js';
import { Linker } from '../api/linker.js';
import { Store } from '../api/store.js';
import { watToBinary } from '../text/wat.js';
import { componentValuesMatch, formatComponentValue } from '../wast/component-values.js';
import { errorText, limitOf, timed, transpileWithJco } from '../wast/jco-engine.js';
import { fromJs, NotExpressible, toJs } from '../wast/jco-values.js';
import type { EngineName } from './engines.js';

export const API_INSTANCE = 'cmr:fuzz/api';
export const HOST_INSTANCE = 'cmr:fuzz/host';

export interface ComponentCase {
  wat: string;
  /** The type of echo's parameter and result. */
  type: ValType;
  values: ComponentValue[];
}

/** What one engine did with one value. */
export type EchoOutcome =
  | { kind: 'echo'; result: ComponentValue; hostGot: ComponentValue | null }
  | { kind: 'trap'; text: string }
  | { kind: 'skip'; text: string };

export interface ComponentDisagreement {
  /** Index into the case's values. */
  index: number;
  where: string;
  expected: string;
  outcomes: [EngineName, string][];
  /** The engines that did not give the value back. */
  wrong: EngineName[];
}

export interface ComponentVerdict {
  calls: number;
  skips: number;
  /** Why calls were skipped (one entry per skipped call). */
  skipReasons: string[];
  disagreement: ComponentDisagreement | null;
  rejected: string | null;
}

export interface ComponentRunOptions {
  engines: readonly EngineName[];
  /** A deliberate canonical ABI deviation for one engine's stores (tests of the fuzzer only). */
  plant?: { engine: EngineName; variant: AbiVariant };
}

/**
 * jco 0.15's bindings generator asserts that a string encoding is utf8 or
 * utf16 and panics on latin1+utf16 (function_bindgen.rs), so jco cannot
 * run those components at all.
 */
export const JCO_NO_LATIN1 = 'jco cannot run this: its bindings generator panics on string-encoding=latin1+utf16 (it asserts utf8 or utf16)';

type Runner = (v: ComponentValue) => Promise<EchoOutcome>;

function describe(o: EchoOutcome, t: ValType): string {
  switch (o.kind) {
    case 'echo': return `returned ${formatComponentValue(o.result, t)}; host import got ${o.hostGot === null ? 'nothing' : formatComponentValue(o.hostGot, t)}`;
    case 'trap': return `trap: ${o.text}`;
    case 'skip': return `skipped: ${o.text}`;
  }
}

/** The runner of one of cmr's engines: a fresh instance per call, so a trap does not poison the next. */
async function cmrRunner(bytes: Uint8Array, coreEngine: 'interp' | 'native', variant: AbiVariant | null): Promise<Runner> {
  const engine = new Engine({ coreEngine });
  const component = await Component.fromBinary(engine, bytes);
  return async (v) => {
    let hostGot: ComponentValue | null = null;
    const linker = new Linker(engine);
    linker.instance(HOST_INSTANCE).funcNew('echo', (args) => {
      hostGot = args[0]!;
      return args;
    });
    const store = new Store(engine);
    store.canon.abiVariant = variant;
    try {
      const inst = await linker.instantiate(store, component);
      const f = inst.getFunc(inst.getExportIndex(inst.getExportIndex(null, API_INSTANCE), 'echo')!);
      if (f === null) return { kind: 'trap', text: `no export ${API_INSTANCE}#echo` };
      const [result] = await f.call(store, [v]);
      return { kind: 'echo', result: result!, hostGot };
    } catch (e) {
      return { kind: 'trap', text: e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e) };
    }
  };
}

/** The runner of jco: the component transpiled once, instantiated per call. */
async function jcoRunner(bytes: Uint8Array, t: ValType, wat: string): Promise<Runner> {
  if (wat.includes('string-encoding=latin1+utf16')) return async () => ({ kind: 'skip', text: JCO_NO_LATIN1 });
  let instantiate: Awaited<ReturnType<typeof transpileWithJco>>;
  try {
    instantiate = await transpileWithJco(bytes);
  } catch (e) {
    const limit = limitOf(e);
    const text = limit ? limit.message : `jco refused the component: ${errorText(e)}`;
    return async () => (limit ? { kind: 'skip', text } : { kind: 'trap', text });
  }
  return async (v) => {
    let hostGot: ComponentValue | null = null;
    let arg: unknown;
    try {
      arg = toJs(v, t);
    } catch (e) {
      if (e instanceof NotExpressible) return { kind: 'skip', text: e.message };
      throw e;
    }
    try {
      const exports = await timed(instantiate({
        [HOST_INSTANCE]: { echo: (x: unknown) => { hostGot = fromJs(x, t); return x; } },
      }), 'instantiation');
      const api = exports[API_INSTANCE] as Record<string, unknown> | undefined;
      const echo = api?.['echo'];
      if (typeof echo !== 'function') return { kind: 'trap', text: `jco's bindings have no ${API_INSTANCE}#echo` };
      const raw = await timed(Promise.resolve().then(() => (echo as (x: unknown) => unknown)(arg)), '"echo"');
      return { kind: 'echo', result: fromJs(raw, t), hostGot };
    } catch (e) {
      if (e instanceof NotExpressible) return { kind: 'skip', text: e.message };
      const limit = limitOf(e);
      return limit ? { kind: 'skip', text: limit.message } : { kind: 'trap', text: errorText(e) };
    }
  };
}

/** Runs every value of the case on every engine; the first value some engine gets wrong is the disagreement. */
export async function runComponentCase(c: ComponentCase, opts: ComponentRunOptions): Promise<ComponentVerdict> {
  let bytes: Uint8Array;
  try {
    bytes = await watToBinary(c.wat);
  } catch (e) {
    return { calls: 0, skips: 0, skipReasons: [], disagreement: null, rejected: `text: ${(e as Error).message}` };
  }
  const runners: [EngineName, Runner][] = [];
  for (const name of opts.engines) {
    const variant = opts.plant?.engine === name ? opts.plant.variant : null;
    try {
      runners.push([name, name === 'jco' ? await jcoRunner(bytes, c.type, c.wat) : await cmrRunner(bytes, name, variant)]);
    } catch (e) {
      // cmr refusing a component the generator made valid by construction.
      return { calls: 0, skips: 0, skipReasons: [], disagreement: null, rejected: `${name}: ${(e as Error).message}` };
    }
  }
  let calls = 0;
  let skips = 0;
  const skipReasons: string[] = [];
  for (let i = 0; i < c.values.length; i++) {
    const v = c.values[i]!;
    const outcomes: [EngineName, EchoOutcome][] = [];
    for (const [name, run] of runners) outcomes.push([name, await run(v)]);
    calls++;
    const wrong = outcomes.filter(([, o]) => o.kind === 'skip' ? false
      : o.kind === 'trap' || !componentValuesMatch(v, o.result, c.type) || o.hostGot === null || !componentValuesMatch(v, o.hostGot, c.type));
    for (const [name, o] of outcomes) if (o.kind === 'skip') { skips++; skipReasons.push(`${name}: ${o.text}`); }
    if (wrong.length) {
      const text = formatComponentValue(v, c.type);
      return {
        calls, skips, skipReasons, rejected: null,
        disagreement: {
          index: i,
          where: `(invoke "echo" ${text})`,
          expected: `returned ${text}; host import got ${text}`,
          outcomes: outcomes.map(([n, o]) => [n, describe(o, c.type)]),
          wrong: wrong.map(([n]) => n),
        },
      };
    }
  }
  return { calls, skips, skipReasons, disagreement: null, rejected: null };
}
