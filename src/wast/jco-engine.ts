// jco as a third engine of the .wast harness: an independent canonical ABI.
// Each component of a script is transpiled by jco (@bytecodealliance/
// jco-transpile) into core wasm plus an ES module of JS glue, which is
// imported from memory and instantiated in this process; actions call its
// exports with values converted by type (jco-values.ts). cmr's decoder and
// validator only supply the types that say how to convert; what is checked
// is what jco's own code does.
//
// Verdicts, not words: jco reports traps, rejections and link errors in its
// own words (or V8's), so for assert_trap, assert_invalid, assert_malformed,
// assert_unlinkable and assert_uninstantiable it is judged by whether it
// refused, and the pairing in compare.ts compares passes by verdict.
// Core modules are not jco's business: every core directive is a skip.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ComponentType, FuncType } from '../component/syntax/types.js';
import { WASM_3_0_SUPPORTED, type CoreFeatures } from '../core/syntax/feature-set.js';
import type { Action, ModuleDef } from './script.js';
import { prepare, toBytes, type Prepared } from './prepare.js';
import { DirectiveFailure, DirectiveWalker, InstantiationFault, Skip, Unavailable, type ActionResult, type Verdict } from './directive-walker.js';
import { formatComponentResults, parseComponentArgs } from './component-values.js';
import { WastSyntaxError } from './sexpr.js';
import { NotExpressible, camel, fromJs, toJs } from './jco-values.js';

/** Why core directives are skipped on jco. */
export const JCO_CORE_SKIP = 'jco runs components only (core modules are for the interp and native engines)';

/** How long one jco call or instantiation may take before it counts as hung. */
const JCO_TIMEOUT_MS = 10_000;

type JsExports = Record<string, unknown>;

/** A component transpiled by jco: its instantiate function and cmr's type of it (null if cmr rejects it). */
interface Transpiled {
  instantiate: (imports: Record<string, unknown>) => Promise<JsExports>;
  type: ComponentType | null;
}

interface JcoInstance {
  exports: JsExports;
  type: ComponentType | null;
}

/** An error in one line: its first line, and the innermost cause jco's Rust errors list after "Caused by:". */
export function errorText(e: unknown): string {
  if (!(e instanceof Error)) return `thrown ${String(e)}`;
  const lines = e.message.split('\n').map((l) => l.trim()).filter(Boolean);
  const cause = lines.length > 1 && lines.some((l) => l === 'Caused by:') ? `: ${lines[lines.length - 1]}` : '';
  return `${e.constructor.name}: ${lines[0] ?? ''}${cause}`;
}

/**
 * jco's own statements that it lacks something (a proposal it does not
 * enable, a construct its bindings do not cover) and the Node features its
 * glue needs but this Node lacks (JSPI): skips, with jco's words as the
 * reason. Any other refusal of a component the suite says is valid, and
 * any crash of the transpiler, is jco disagreeing with the suite: a failure.
 */
const JCO_LIMITS: RegExp[] = [
  /requires the component model \w+ feature/,
  /proposal not enabled/,
  /unsupported section/,
  /not (yet )?(supported|implemented)/i,
  /unsupported/i,
  // Its bindings generator handles only functions and instances as exports.
  /component export `[^`]*` was not a function or instance/,
  /instance type export `[^`]*` is not a type or func/,
  // JSPI (WebAssembly.Suspending / promising), which jco's async glue uses.
  /WebAssembly\.(Suspending|promising)/,
];

/** The skip for an error that states one of jco's limits, else null. */
export function limitOf(e: unknown): Skip | null {
  const text = errorText(e);
  if (!JCO_LIMITS.some((r) => r.test(text))) return null;
  // Offsets and export names dropped, so one limit is one skip reason.
  const reason = text.replace(/ \(at offset 0x[0-9a-f]+\)/, '').replace(/export `[^`]*`/g, 'export `…`');
  return new Skip(`jco cannot run this: ${reason}`);
}

/** An err result of a whole function, thrown by jco's bindings. */
function isComponentError(e: unknown): e is { payload: unknown } {
  return e instanceof Error && e.constructor.name === 'ComponentError' && 'payload' in e;
}

/** Awaits `p`, failing (not hanging) after JCO_TIMEOUT_MS. */
export async function timed<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DirectiveFailure(`${what}: no answer from jco within ${JCO_TIMEOUT_MS / 1000} s`)), JCO_TIMEOUT_MS);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** jco's transpiler (js-component-bindgen, itself a component run by V8), as its vendor module exports it. */
interface Bindgen {
  $init: Promise<void>;
  generate(component: Uint8Array, opts: Record<string, unknown>): { files: [string, Uint8Array][] };
}

let bindgen: Promise<Bindgen> | null = null;
let bindgenLoads = 0;

/**
 * The bindgen component, loaded afresh after it trapped: a trap (a Rust
 * panic in jco on some input) poisons its instance, which then refuses every
 * later call ("cannot enter component instance"), so one bad component
 * would fail the rest of the run. transpileBytes keeps one instance for the
 * process; generate() is the same call on an instance of our own.
 */
function loadBindgen(): Promise<Bindgen> {
  if (!bindgen) {
    const entry = createRequire(import.meta.url).resolve('@bytecodealliance/jco-transpile');
    const url = pathToFileURL(join(dirname(entry), '..', 'vendor', 'js-component-bindgen-component.js'));
    url.search = `?load=${bindgenLoads++}`;
    bindgen = (async () => {
      const m = (await import(url.href)) as Bindgen;
      await m.$init;
      return m;
    })();
  }
  return bindgen;
}

/** Transpiles component bytes with jco and loads the generated module; throws jco's error if it refuses. */
export async function transpileWithJco(bytes: Uint8Array): Promise<Transpiled['instantiate']> {
  const gen = await loadBindgen();
  let files: Record<string, Uint8Array>;
  try {
    // The options transpileBytes passes for { instantiation: 'async', noComponentErrorWrapping: false }.
    files = Object.fromEntries(gen.generate(bytes, {
      name: 'component', map: [], instantiation: { tag: 'async' }, noComponentErrorWrapping: false,
      validLiftingOptimization: false, noTypescript: true, base64Cutoff: 5000,
    }).files);
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) {
      bindgen = null;
      throw new Error(`jco's transpiler crashed (${e.message})`);
    }
    throw e;
  }
  const js = files['component.js'];
  if (!js) throw new Error(`jco produced no component.js (files: ${Object.keys(files).join(', ')})`);
  // The glue imports nothing for a component with no WASI imports, so it
  // loads from memory as a data: URL; its core modules come from `files`.
  const mod = (await import(`data:text/javascript;base64,${Buffer.from(js).toString('base64')}`)) as {
    instantiate: (getCoreModule: (path: string) => Promise<WebAssembly.Module>, imports: Record<string, unknown>) => Promise<JsExports>;
  };
  const getCoreModule = async (path: string) => {
    const b = files[path];
    if (!b) throw new Error(`jco's glue asked for ${path}, which it did not produce`);
    return WebAssembly.compile(b);
  };
  return (imports) => mod.instantiate(getCoreModule, imports);
}

/**
 * One script run on jco: the DirectiveWalker's verdicts, with jco
 * transpiling, instantiating and calling components; every core directive
 * is a skip.
 */
export class JcoScriptRun extends DirectiveWalker<Transpiled, JcoInstance> {
  private readonly transpiled = new WeakMap<ModuleDef, Promise<Transpiled | { error: string } | { skip: string }>>();
  /** What `register` named: the exports objects component imports resolve to. */
  private readonly registry = new Map<string, JsExports | Skip>();

  constructor(features: CoreFeatures = WASM_3_0_SUPPORTED) {
    super(features, JCO_CORE_SKIP);
  }

  /** jco's transpilation of a component, memoised per definition; a refusal is a failure of the directive. */
  protected async compile(def: ModuleDef): Promise<Transpiled> {
    if (def.sort === 'module') throw new Skip(JCO_CORE_SKIP);
    let p = this.transpiled.get(def);
    if (!p) {
      p = (async () => {
        const prep = await prepare(def, this.features);
        if (!prep.ok && prep.stage === 'text') return { error: `malformed text: ${prep.message}` };
        if (!prep.ok) return { error: `cmr's ${prep.stage === 'decode' ? 'decoder' : 'validator'} refused the bytes jco would get: ${prep.message}` };
        try {
          const instantiate = await transpileWithJco(prep.compiled.bytes);
          return { instantiate, type: prep.compiled.component?.type ?? null };
        } catch (e) {
          const limit = limitOf(e);
          return limit ? { skip: limit.message } : { error: `jco refused to transpile it: ${errorText(e)}` };
        }
      })();
      this.transpiled.set(def, p);
    }
    const r = await p;
    if ('error' in r) throw new DirectiveFailure(r.error);
    if ('skip' in r) throw new Skip(r.skip);
    return r;
  }

  /** Instantiates with the registered instances as imports (by import name). */
  protected async instantiate(t: Transpiled): Promise<JcoInstance> {
    const imports: Record<string, unknown> = {};
    for (const [name, ext] of t.type?.imports ?? []) {
      const reg = this.registry.get(name);
      if (reg instanceof Skip) throw reg;
      if (reg === undefined) continue; // jco says what is missing when it links
      if (ext.kind !== 'instance') throw new Skip(`a ${ext.kind} import ("${name}") from a registered instance is not wired to jco`);
      imports[name] = reg;
    }
    try {
      const exports = await timed(t.instantiate(imports), 'instantiation');
      return { exports, type: t.type };
    } catch (e) {
      const limit = limitOf(e);
      if (limit) throw limit;
      // jco's words are its own: judged by verdict (directive-walker.ts).
      throw new InstantiationFault({ kind: 'verdict', engine: 'jco', message: errorText(e) });
    }
  }

  protected register(name: string, inst: JcoInstance | Unavailable): void {
    this.registry.set(name, inst instanceof Unavailable ? new Skip(inst.reason) : inst.exports);
  }

  /** Whether jco refuses the bytes: cmr's verdict on them plays no part here. */
  protected async judgeRejection(kind: 'assert_invalid' | 'assert_malformed', def: ModuleDef, message: string, p: Prepared): Promise<Verdict> {
    const expected = `${kind === 'assert_invalid' ? 'invalid' : 'malformed'} "${message}"`;
    const bytes = p.ok ? p.compiled.bytes : await toBytes(def);
    try {
      await transpileWithJco(bytes);
    } catch (e) {
      return { status: 'pass', expected, got: `rejected by jco (${errorText(e)})` };
    }
    return { status: 'fail', expected, got: 'accepted by jco' };
  }

  /** Calls a component export through jco's bindings: results with their types, or a trap's text. */
  protected async perform(inst: JcoInstance, a: Action): Promise<ActionResult> {
    if (a.kind === 'get') throw new DirectiveFailure(`get "${a.name}": components export no globals`);
    const ext = inst.type?.exports.get(a.name);
    if (inst.type === null) throw new Skip("cmr's validator refused this component, so its types (needed to convert values) are unknown");
    if (!ext) throw new DirectiveFailure(`unknown export "${a.name}"`);
    if (ext.kind !== 'func') throw new DirectiveFailure(`export "${a.name}" is not a function`);
    const ft: FuncType = ext.type;
    const f = inst.exports[camel(a.name)];
    if (typeof f !== 'function') throw new DirectiveFailure(`jco's bindings have no function ${camel(a.name)} for export "${a.name}"`);
    let args: unknown[];
    try {
      const values = parseComponentArgs(a.args, ft.params, { line: a.line, col: 0 });
      args = values.map((v, i) => toJs(v, ft.params[i]!.type));
    } catch (e) {
      if (e instanceof WastSyntaxError) throw new DirectiveFailure(`arguments of "${a.name}": ${e.message}`);
      if (e instanceof NotExpressible) throw new Skip(e.message);
      throw e;
    }
    const types = ft.result === null ? [] : [ft.result];
    const wholeResult = ft.result !== null && typeof ft.result !== 'string' && ft.result.kind === 'result' ? ft.result : null;
    let raw: unknown;
    try {
      raw = await timed(Promise.resolve().then(() => (f as (...xs: unknown[]) => unknown)(...args)), `"${a.name}"`);
      // A whole result that is ok comes back as its payload alone.
      if (wholeResult !== null) raw = wholeResult.ok === null ? { tag: 'ok' } : { tag: 'ok', val: raw };
    } catch (e) {
      if (e instanceof DirectiveFailure) throw e;
      // A whole result that is an err comes back thrown.
      if (isComponentError(e) && wholeResult !== null) {
        raw = wholeResult.err === null ? { tag: 'err' } : { tag: 'err', val: e.payload };
      } else {
        const limit = limitOf(e);
        if (limit) throw limit;
        const message = errorText(e);
        return { sort: 'component', fault: { kind: 'verdict', engine: 'jco', message }, values: [], types: [], text: `trap: ${message}` };
      }
    }
    try {
      const values = types.map((t) => fromJs(raw, t));
      return { sort: 'component', fault: null, values, types, text: formatComponentResults(values, types) };
    } catch (e) {
      if (e instanceof NotExpressible) throw new Skip(e.message);
      if (e instanceof TypeError) throw new DirectiveFailure(e.message);
      throw e;
    }
  }
}
