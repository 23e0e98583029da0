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
import type { ComponentType, FuncType, ValType } from '../component/syntax/types.js';
import type { ComponentValue } from '../component/canon/values.js';
import { WASM_3_0_SUPPORTED, type CoreFeatures } from '../core/syntax/feature-set.js';
import type { Action, Directive, ModuleDef } from './script.js';
import { prepare, unknownDirective, type Outcome } from './runner.js';
import { watToBinary } from '../text/wat.js';
import { componentValuesMatch, formatComponentResults, formatComponentValue, parseComponentArgs, parseComponentValue } from './component-values.js';
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

export class Skip extends Error {}
class Fail extends Error {}

type Result = Omit<Outcome, 'line' | 'kind'>;

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
    timer = setTimeout(() => reject(new Fail(`${what}: no answer from jco within ${JCO_TIMEOUT_MS / 1000} s`)), JCO_TIMEOUT_MS);
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

/** One script run on jco. Same contract as ScriptRun.run: one outcome per directive. */
export class JcoScriptRun {
  private readonly transpiled = new WeakMap<ModuleDef, Promise<Transpiled | { error: string } | { skip: string }>>();
  private readonly definitions = new Map<string, Transpiled | Skip | Fail>();
  private readonly instances = new Map<string, JcoInstance | Skip | Fail>();
  /** What `register` named: the exports objects component imports resolve to. */
  private readonly registry = new Map<string, JsExports | Skip>();
  private current: JcoInstance | Skip | Fail | null = null;

  constructor(private readonly features: CoreFeatures = WASM_3_0_SUPPORTED) {}

  async run(directives: Directive[], onOutcome?: (o: Outcome) => void): Promise<Outcome[]> {
    const out: Outcome[] = [];
    for (const d of directives) {
      const base = { line: d.line, kind: d.kind };
      let o: Outcome;
      try {
        o = { ...base, ...(await this.execute(d)) };
      } catch (e) {
        if (e instanceof Skip) o = { ...base, status: 'skip', reason: e.message };
        else if (e instanceof Fail) o = { ...base, status: 'fail', got: e.message };
        else o = { ...base, status: 'fail', got: `internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}` };
      }
      out.push(o);
      onOutcome?.(o);
    }
    return out;
  }

  private async execute(d: Directive): Promise<Result> {
    switch (d.kind) {
      case 'module': {
        if (d.def.sort === 'module') {
          this.bind(d.def.id, new Skip(JCO_CORE_SKIP), !d.def.definitionOnly);
          throw new Skip(JCO_CORE_SKIP);
        }
        let t: Transpiled;
        try {
          t = await this.transpile(d.def);
        } catch (e) {
          if (e instanceof Skip || e instanceof Fail) {
            if (d.def.id) this.definitions.set(d.def.id, e);
            this.bind(d.def.id, e, !d.def.definitionOnly);
          }
          throw e;
        }
        if (d.def.id) this.definitions.set(d.def.id, t);
        if (d.def.definitionOnly) return { status: 'pass', got: 'defined' };
        try {
          this.bind(d.def.id, await this.instantiate(t), true);
        } catch (e) {
          const limit = e instanceof Skip ? e : limitOf(e);
          this.bind(d.def.id, limit ?? new Fail(`the component at line ${d.line} did not instantiate on jco (${errorText(e)})`), true);
          if (limit) throw limit;
          return { status: 'fail', got: `jco: ${errorText(e)}` };
        }
        return { status: 'pass', got: 'instantiated' };
      }
      case 'instance': {
        const t = this.definitions.get(d.of);
        if (d.sort === 'module') {
          this.bind(d.id, new Skip(JCO_CORE_SKIP), true);
          throw new Skip(JCO_CORE_SKIP);
        }
        if (!t) return { status: 'fail', got: `unknown component definition ${d.of}` };
        if (t instanceof Skip || t instanceof Fail) {
          this.bind(d.id, t, true);
          throw t;
        }
        try {
          this.bind(d.id, await this.instantiate(t), true);
        } catch (e) {
          const limit = e instanceof Skip ? e : limitOf(e);
          this.bind(d.id, limit ?? new Fail(`the instance at line ${d.line} did not instantiate on jco (${errorText(e)})`), true);
          if (limit) throw limit;
          return { status: 'fail', got: `jco: ${errorText(e)}` };
        }
        return { status: 'pass', got: 'instantiated' };
      }
      case 'register': {
        const inst = this.lookup(d.instance);
        if (inst instanceof Skip) {
          this.registry.set(d.as, inst);
          throw inst;
        }
        this.registry.set(d.as, inst.exports);
        return { status: 'pass' };
      }
      case 'action': {
        const r = await this.perform(d.action);
        return r.trap === null ? { status: 'pass', got: r.text } : { status: 'fail', got: r.text };
      }
      case 'assert_return': {
        const r = await this.perform(d.action);
        if (r.trap !== null) return { status: 'fail', got: r.text };
        if (d.results.length !== r.types.length) {
          return { status: 'fail', expected: `${d.results.length} result${d.results.length === 1 ? '' : 's'}`, got: r.text };
        }
        let expected: ComponentValue[];
        try {
          expected = d.results.map((e, i) => parseComponentValue(e, r.types[i]!));
        } catch (e) {
          if (e instanceof WastSyntaxError) return { status: 'fail', expected: `(unreadable: ${e.message})`, got: r.text };
          throw e;
        }
        const expectedText = expected.length === 0 ? '(no results)' : expected.map((v, i) => formatComponentValue(v, r.types[i]!)).join(' ');
        const ok = expected.every((v, i) => componentValuesMatch(v, r.values[i]!, r.types[i]!));
        return { status: ok ? 'pass' : 'fail', expected: expectedText, got: r.text };
      }
      case 'assert_trap':
      case 'assert_exhaustion': {
        const expected = `trap "${d.message}"`;
        if (d.kind === 'assert_trap' && d.module) return this.expectInstantiationFailure(d.module, expected, 'trap');
        const r = await this.perform(d.action!);
        return r.trap === null ? { status: 'fail', expected, got: r.text } : { status: 'pass', expected, got: `trap (jco: ${r.trap})` };
      }
      case 'assert_uninstantiable':
        return this.expectInstantiationFailure(d.module, `trap "${d.message}"`, 'trap');
      case 'assert_unlinkable':
        return this.expectInstantiationFailure(d.module, `unlinkable "${d.message}"`, 'unlinkable');
      case 'assert_invalid':
      case 'assert_malformed': {
        if (d.module.sort === 'module') throw new Skip(JCO_CORE_SKIP);
        const expected = `${d.kind === 'assert_invalid' ? 'invalid' : 'malformed'} "${d.message}"`;
        const p = await prepare(d.module, this.features);
        // Text the front end refuses never reaches jco: malformed text is the
        // front end's verdict, as on the other engines.
        if (!p.ok && p.stage === 'text') {
          return d.kind === 'assert_malformed'
            ? { status: 'pass', expected, got: `malformed text: ${p.message}` }
            : { status: 'fail', expected, got: `text front end rejected it: ${p.message}` };
        }
        // The bytes themselves: cmr's verdict on them plays no part here.
        const bytes = p.ok ? p.compiled.bytes : d.module.source.form === 'binary' ? d.module.source.bytes : await watToBinary(d.module.source.text);
        try {
          await transpileWithJco(bytes);
        } catch (e) {
          return { status: 'pass', expected, got: `rejected by jco (${errorText(e)})` };
        }
        return { status: 'fail', expected, got: 'accepted by jco' };
      }
      case 'assert_exception':
        throw new Skip(JCO_CORE_SKIP);
      case 'unsupported':
        throw new Skip(d.why);
      case 'unknown':
        return unknownDirective(d);
    }
  }

  private async expectInstantiationFailure(def: ModuleDef, expected: string, what: 'trap' | 'unlinkable'): Promise<Result> {
    if (def.sort === 'module') throw new Skip(JCO_CORE_SKIP);
    const t = await this.transpile(def);
    try {
      this.current = await this.instantiate(t);
    } catch (e) {
      if (e instanceof Skip) throw e;
      const limit = limitOf(e);
      if (limit) throw limit;
      return { status: 'pass', expected, got: `${what} (jco: ${errorText(e)})` };
    }
    return { status: 'fail', expected, got: 'instantiated' };
  }

  /** jco's transpilation of a component, memoised per definition; a refusal is a failure of the directive. */
  private async transpile(def: ModuleDef): Promise<Transpiled> {
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
    if ('error' in r) throw new Fail(r.error);
    if ('skip' in r) throw new Skip(r.skip);
    return r;
  }

  /** Instantiates with the registered instances as imports (by import name). */
  private async instantiate(t: Transpiled): Promise<JcoInstance> {
    const imports: Record<string, unknown> = {};
    for (const [name, ext] of t.type?.imports ?? []) {
      const reg = this.registry.get(name);
      if (reg instanceof Skip) throw reg;
      if (reg === undefined) continue; // jco says what is missing when it links
      if (ext.kind !== 'instance') throw new Skip(`a ${ext.kind} import ("${name}") from a registered instance is not wired to jco`);
      imports[name] = reg;
    }
    const exports = await timed(t.instantiate(imports), 'instantiation');
    return { exports, type: t.type };
  }

  private bind(id: string | null, inst: JcoInstance | Skip | Fail, makeCurrent: boolean): void {
    if (id) this.instances.set(id, inst);
    if (makeCurrent) this.current = inst;
  }

  private lookup(id: string | null): JcoInstance | Skip {
    const inst = id === null ? this.current : this.instances.get(id);
    if (!inst) throw new Fail(id === null ? 'no component instantiated yet' : `unknown instance ${id}`);
    if (inst instanceof Fail) throw inst;
    return inst;
  }

  /** Calls a component export through jco's bindings: results with their types, or a trap's text. */
  private async perform(a: Action): Promise<{ trap: string | null; values: ComponentValue[]; types: ValType[]; text: string }> {
    const inst = this.lookup(a.instance);
    if (inst instanceof Skip) throw inst;
    if (a.kind === 'get') throw new Fail(`get "${a.name}": components export no globals`);
    const ext = inst.type?.exports.get(a.name);
    if (inst.type === null) throw new Skip("cmr's validator refused this component, so its types (needed to convert values) are unknown");
    if (!ext) throw new Fail(`unknown export "${a.name}"`);
    if (ext.kind !== 'func') throw new Fail(`export "${a.name}" is not a function`);
    const ft: FuncType = ext.type;
    const f = inst.exports[camel(a.name)];
    if (typeof f !== 'function') throw new Fail(`jco's bindings have no function ${camel(a.name)} for export "${a.name}"`);
    let args: unknown[];
    try {
      const values = parseComponentArgs(a.args, ft.params, { line: a.line, col: 0 });
      args = values.map((v, i) => toJs(v, ft.params[i]!.type));
    } catch (e) {
      if (e instanceof WastSyntaxError) throw new Fail(`arguments of "${a.name}": ${e.message}`);
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
      if (e instanceof Fail) throw e;
      // A whole result that is an err comes back thrown.
      if (isComponentError(e) && wholeResult !== null) {
        raw = wholeResult.err === null ? { tag: 'err' } : { tag: 'err', val: e.payload };
      } else {
        const limit = limitOf(e);
        if (limit) throw limit;
        return { trap: errorText(e), values: [], types: [], text: `trap: ${errorText(e)}` };
      }
    }
    try {
      const values = types.map((t) => fromJs(raw, t));
      return { trap: null, values, types, text: formatComponentResults(values, types) };
    } catch (e) {
      if (e instanceof NotExpressible) throw new Skip(e.message);
      if (e instanceof TypeError) throw new Fail(e.message);
      throw e;
    }
  }
}
