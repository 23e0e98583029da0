// Runs a script's directives on one core engine and records one outcome per
// directive. The runner is engine-blind: it decodes, validates and links with
// cmr's own code, then asks the engine to instantiate and call. Running the
// same script once per engine and pairing outcomes is compare.ts's job.

import { decodeModule } from '../core/binary/decode.js';
import { earlyBodyCheck, validateModule } from '../core/valid/validate.js';
import { WASM_3_0_SUPPORTED, type CoreFeatures } from '../core/syntax/feature-set.js';
import { resolveImports } from '../core/runtime/link.js';
import type { CoreEngine, ExternVal, ModuleInstance } from '../core/runtime/instance.js';
import type { Module } from '../core/syntax/ast.js';
import type { ValType as CoreValType } from '../core/syntax/types.js';
import { DecodeError, LinkError, Trap, ValidationError } from '../core/errors.js';
import { WasmException } from '../core/runtime/tag.js';
import { meter, type Budget } from '../core/runtime/meter.js';
import type { Value } from '../core/runtime/values.js';
import { watToBinary } from '../text/wat.js';
import { decodeComponent } from '../component/binary/decode.js';
import { validateComponent } from '../component/valid/validate.js';
import type { Component } from '../component/syntax/ast.js';
import type { ComponentType, ValType as ComponentValType } from '../component/syntax/types.js';
import type { ComponentValue, TraceHook } from '../component/canon/index.js';
import { NotImplemented } from '../component/runtime/index.js';
import { HostTrap, hostTrapKind, NotCallableFromJs } from '../core/native/index.js';
import { Component as ApiComponent, Engine, Instance as ComponentInstance, Linker, Store } from '../api/index.js';
import type { Action, Directive, ModuleDef } from './script.js';
import { featureOutside } from './feature-gate.js';
import { makeSpectest } from './spectest.js';
import { argValue, expectedResult, formatResults, matchResult } from './consts.js';
import { componentValuesMatch, formatComponentResults, formatComponentValue, parseComponentArgs, parseComponentValue } from './component-values.js';
import { WastSyntaxError, type SExpr } from './sexpr.js';

export type Status = 'pass' | 'fail' | 'skip';

export interface Outcome {
  line: number;
  kind: Directive['kind'];
  status: Status;
  /** What the assertion expected, in words (for failures). */
  expected?: string;
  /** What happened, in words: results, a trap message, an error. Compared across engines. */
  got?: string;
  /** Why a skip was a skip. */
  reason?: string;
}

/** What an engine may add to the runner: a reason to skip a module it cannot run. */
export interface EngineAdapter {
  engine: CoreEngine;
  /** Null when the engine can run the module, else why not (a skip, not a failure). */
  cannotRun?(module: Module, bytes: Uint8Array): string | null;
  /**
   * How the engine judges a module that must be rejected (assert_invalid,
   * assert_malformed): by default with cmr's decoder and validator; the
   * native engine asks the host instead, which makes it an independent check.
   */
  rejects?(bytes: Uint8Array): Promise<string | null>;
}

/**
 * A module or component turned into bytes, decoded and validated: cached per
 * definition across engines. `module` is null for components, `component`
 * null for core modules.
 */
interface Compiled {
  bytes: Uint8Array;
  module: Module | null;
  component: { ast: Component; type: ComponentType } | null;
}

/** A refusal at validation keeps the decoded module, for feature-gate.ts to look at. */
type Prepared = { ok: true; compiled: Compiled } | { ok: false; stage: 'text' | 'decode' | 'validate'; message: string; module?: Module };

/** Per definition, per feature set (in practice one: the script's). */
const prepared = new WeakMap<ModuleDef, Map<CoreFeatures, Promise<Prepared>>>();

/**
 * Text to bytes to a validated AST, memoised so the second engine reuses the
 * first's work. `features`: what the core decoder and validator accept
 * (the core-2.0 suite runs with WASM_2_0, everything else with all cmr
 * implements; embedded core modules of components likewise).
 */
export function prepare(def: ModuleDef, features: CoreFeatures = WASM_3_0_SUPPORTED): Promise<Prepared> {
  let byFeatures = prepared.get(def);
  if (!byFeatures) {
    byFeatures = new Map();
    prepared.set(def, byFeatures);
  }
  let p = byFeatures.get(features);
  if (!p) {
    p = prepareUncached(def, features);
    byFeatures.set(features, p);
  }
  return p;
}

async function toBytes(def: ModuleDef): Promise<Uint8Array> {
  return def.source.form === 'binary' ? def.source.bytes : watToBinary(def.source.text);
}

async function prepareUncached(def: ModuleDef, features: CoreFeatures): Promise<Prepared> {
  let bytes: Uint8Array;
  try {
    bytes = await toBytes(def);
  } catch (e) {
    return { ok: false, stage: 'text', message: errorMessage(e) };
  }
  if (def.sort === 'component') return prepareComponent(bytes, features);
  let module: Module;
  try {
    module = decodeModule(bytes, features, earlyBodyCheck()); // bodies validated as they are read
  } catch (e) {
    if (e instanceof DecodeError) return { ok: false, stage: 'decode', message: e.message };
    throw e;
  }
  try {
    validateModule(module, features);
  } catch (e) {
    if (e instanceof ValidationError) return { ok: false, stage: 'validate', message: e.message, module };
    throw e;
  }
  return { ok: true, compiled: { bytes, module, component: null } };
}

function prepareComponent(bytes: Uint8Array, features: CoreFeatures): Prepared {
  let ast: Component;
  let type: ComponentType;
  try {
    ast = decodeComponent(bytes, features);
    type = validateComponent(ast, features);
  } catch (e) {
    if (e instanceof DecodeError) return { ok: false, stage: 'decode', message: e.message };
    if (e instanceof ValidationError) return { ok: false, stage: 'validate', message: e.message };
    throw e;
  }
  return { ok: true, compiled: { bytes, module: null, component: { ast, type } } };
}

/** Why the engine cannot run some core module of component `c` (nested ones included), or null. */
function componentCannotRun(c: Component, cannotRun: (m: Module, bytes: Uint8Array) => string | null): string | null {
  for (const d of c.definitions) {
    const why = d.kind === 'coreModule' ? cannotRun(d.module, d.bytes) : d.kind === 'component' ? componentCannotRun(d.component, cannotRun) : null;
    if (why) return why;
  }
  return null;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The expected message is a prefix of ours, as the spec interpreter checks
 * core modules. Component messages are nested ("type mismatch for import
 * `g`" then the cause on the next line) and the component suite expects
 * either part, so there, as in wasmtime's harness, ours must contain it.
 */
export function messageMatches(expected: string, got: string, sort: 'module' | 'component' = 'module'): boolean {
  return sort === 'component' ? got.includes(expected) : got.startsWith(expected);
}

/**
 * Whether trap `e` is the one expected: the text to report for it (the
 * expected message as far as it was checked — engines may add details
 * after it, such as an element index, and the reported text must not
 * differ between engines that both passed), or null if it does not match.
 */
function trapMatching(expected: string, e: Trap, sort: 'module' | 'component' = 'module'): string | null {
  // wasmtime prints a trap raised by wasm code (its fused adapters included)
  // as "wasm trap: <message>", and some component scripts expect that whole
  // text; the message is what cmr and the suite share.
  if (sort === 'component') expected = expected.replace(/^wasm trap: /, '');
  // The host engine's traps carry less detail than the suite's words (no
  // element index): they are held to the words up to that detail.
  if (e instanceof HostTrap) expected = hostTrapKind(expected);
  for (const m of e.alternatives ?? [e.message]) {
    if (messageMatches(expected, m, sort)) return expected;
    const words = sort === 'component' ? WASMTIME_TRAP_WORDS[m] : undefined;
    if (words !== undefined && messageMatches(expected, words, sort)) return expected;
  }
  return null;
}

/** Core trap messages that wasmtime, whose words the component suites expect, puts differently. */
const WASMTIME_TRAP_WORDS: Record<string, string> = {
  unreachable: 'wasm `unreachable` instruction executed',
};

/** An instance that was not made because the engine cannot run its module: what uses it is skipped too. */
class Unavailable {
  constructor(readonly reason: string) {}
}

/** An instance that was not made because its module failed: what uses it fails too, naming the cause. */
class Failed {
  constructor(readonly line: number, readonly why: string) {}

  get message(): string {
    return `the module at line ${this.line} did not instantiate (${this.why})`;
  }
}

/** A directive this engine cannot attempt, with the reason (a skip, never a silent pass). */
/** The verdict on a form that is no directive (a misspelled one fails, naming itself, on every engine). */
export function unknownDirective(d: Extract<Directive, { kind: 'unknown' }>): { status: 'fail'; expected: string; got: string } {
  return { status: 'fail', expected: 'a directive', got: d.head === '(?)' ? 'a form without a keyword is not a directive' : `unknown directive "${d.head}"` };
}

export class Skip extends Error {}

/** A directive that cannot even be attempted (an unknown instance, a module that fails to compile). */
export class DirectiveFailure extends Error {}

/** Runs `read` (a constant's reader); a malformed constant fails the directive, naming where it is. */
function malformedConstantIsFailure<T>(read: () => T, what: string): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof WastSyntaxError) throw new DirectiveFailure(`malformed constant in ${what} at ${e.message}`);
    throw e;
  }
}

/** A core module's instance or a component's (made through the embedder API). */
type Instance = ModuleInstance | ComponentInstance;

/** What running an action yielded: core values or component values, with their types, or a trap. */
type ActionResult =
  | { sort: 'module'; trap: Trap | null; values: Value[]; types: CoreValType[]; text: string }
  | { sort: 'component'; trap: Trap | null; values: ComponentValue[]; types: ComponentValType[]; text: string };

export interface ScriptRunOptions {
  /** Receives the canonical ABI's trace events of every component call (cmr wast --trace). */
  trace?: TraceHook;
  /**
   * The core features modules (and components' embedded core modules) are
   * decoded and validated with; compare.ts picks them from the script's path
   * (featuresForScript). Default: everything cmr implements.
   */
  features?: CoreFeatures;
  /** Fuel for each action and each instantiation (interpreter only): running out traps. */
  fuel?: number;
  /**
   * Pass every component through its serialized form (serialize, then
   * deserialize) before instantiating it: the round-trip tests compare such
   * a run with a plain one directive by directive.
   */
  serializeRoundTrip?: boolean;
}

/** The state of one script run on one engine. */
export class ScriptRun {
  private readonly registry = new Map<string, Map<string, ExternVal> | Unavailable>();
  private readonly instances = new Map<string, Instance | Unavailable | Failed>();
  private readonly definitions = new Map<string, Compiled | Unavailable | Failed>();
  private current: Instance | Unavailable | Failed | null = null;
  /** The embedder API's engine for components: core modules run on the adapter's engine. */
  private readonly componentEngine: Engine;
  /** One store for the script: every component instance shares its trace hook. */
  private readonly store: Store;
  /**
   * Component instances registered by name (`register`): what top-level
   * component imports resolve to. Registering a name again replaces it.
   */
  private readonly linker: Linker;
  /**
   * Component instances whose state is unknown because a call into them
   * needed something cmr does not implement: what uses them later is
   * skipped for the same reason, since it may depend on that call's effects.
   */
  private readonly incomplete = new WeakMap<ComponentInstance, string>();

  private readonly features: CoreFeatures;
  /** Fuel for each action and instantiation, or null. */
  private readonly fuel: number | null;

  /** Gives the script's component store a fresh allowance of fuel (one per action or instantiation). */
  private refuel(): void {
    if (this.fuel !== null) this.store.setFuel(this.fuel);
  }

  /** The budget for core wasm run directly (core modules). */
  private budget(): Budget {
    return { fuel: this.fuel, epoch: null, deadline: null };
  }
  private readonly serializeRoundTrip: boolean;

  constructor(private readonly adapter: EngineAdapter, options: ScriptRunOptions = {}) {
    this.features = options.features ?? WASM_3_0_SUPPORTED;
    this.serializeRoundTrip = options.serializeRoundTrip ?? false;
    this.registry.set('spectest', makeSpectest());
    // Every feature is on: what an engine cannot run is a skip decided
    // before instantiation (cannotRun), or NotImplemented when it is reached.
    this.fuel = options.fuel ?? null;
    this.componentEngine = new Engine({ coreEngine: adapter.engine, consumeFuel: this.fuel !== null, features: { simd: true, componentModelAsync: true } });
    this.store = new Store(this.componentEngine, { trace: options.trace ?? null });
    this.linker = new Linker(this.componentEngine).allowShadowing(true);
  }

  async run(directives: Directive[], onOutcome?: (o: Outcome) => void): Promise<Outcome[]> {
    const out: Outcome[] = [];
    for (const d of directives) {
      const o = await this.runDirective(d);
      out.push(o);
      onOutcome?.(o);
    }
    return out;
  }

  private async runDirective(d: Directive): Promise<Outcome> {
    const base = { line: d.line, kind: d.kind };
    try {
      const r = await this.execute(d);
      return { ...base, ...r };
    } catch (e) {
      if (e instanceof Skip) return { ...base, status: 'skip', reason: e.message };
      if (e instanceof DirectiveFailure) return { ...base, status: 'fail', got: e.message };
      // Anything else is a bug in cmr, reported as a failure of this directive.
      return { ...base, status: 'fail', got: `internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}` };
    }
  }

  private async execute(d: Directive): Promise<Omit<Outcome, 'line' | 'kind'>> {
    switch (d.kind) {
      case 'module': {
        let compiled: Compiled;
        try {
          compiled = await this.compile(d.def);
        } catch (e) {
          // What uses a module this engine cannot run is skipped for the same reason;
          // what uses a module that failed fails, saying so.
          if (e instanceof Skip) this.bind(d.def.id, new Unavailable(e.message), !d.def.definitionOnly);
          if (e instanceof DirectiveFailure) this.bind(d.def.id, new Failed(d.line, e.message), !d.def.definitionOnly);
          throw e;
        }
        if (d.def.id) this.definitions.set(d.def.id, compiled);
        if (d.def.definitionOnly) return { status: 'pass', got: 'defined' };
        let inst: Instance;
        try {
          inst = await this.instantiateOrSkip(compiled, d.def.id);
        } catch (e) {
          if (e instanceof LinkError || e instanceof Trap) {
            this.bind(d.def.id, new Failed(d.line, e.message), true);
            return { status: 'fail', got: `${e instanceof Trap ? 'trap' : 'unlinkable'}: ${e.message}` };
          }
          throw e;
        }
        this.bind(d.def.id, inst, true);
        return { status: 'pass', got: 'instantiated' };
      }
      case 'instance': {
        const compiled = this.definitions.get(d.of);
        if (!compiled) return { status: 'fail', got: `unknown ${d.sort} definition ${d.of}` };
        if (compiled instanceof Failed) {
          this.bind(d.id, compiled, true);
          throw new DirectiveFailure(compiled.message);
        }
        if (compiled instanceof Unavailable) {
          this.bind(d.id, compiled, true);
          throw new Skip(compiled.reason);
        }
        const inst = await this.instantiateOrSkip(compiled, d.id);
        this.bind(d.id, inst, true);
        return { status: 'pass', got: 'instantiated' };
      }
      case 'register': {
        const inst = this.lookup(d.instance);
        if (inst instanceof ComponentInstance) {
          this.linker.root().instance(d.as, inst);
          return { status: 'pass' };
        }
        this.registry.set(d.as, inst instanceof Unavailable ? inst : inst.exports);
        if (inst instanceof Unavailable) throw new Skip(inst.reason);
        return { status: 'pass' };
      }
      case 'action': {
        const r = await this.perform(d.action);
        return r.trap === null ? { status: 'pass', got: r.text } : { status: 'fail', got: r.text };
      }
      case 'assert_return': {
        const r = await this.perform(d.action);
        if (r.sort === 'component') return this.componentReturn(d.results, r);
        const expected = d.results.map((e) => malformedConstantIsFailure(() => expectedResult(e), 'the expected results'));
        const expectedText = expected.map((e) => e.text).join(' ');
        if (r.trap !== null) return { status: 'fail', expected: expectedText, got: r.text };
        const ok = r.values.length === expected.length && expected.every((e, i) => matchResult(e, r.values[i]!, r.types[i]!));
        return { status: ok ? 'pass' : 'fail', expected: expectedText, got: r.text };
      }
      case 'assert_trap':
      case 'assert_exhaustion': {
        if (d.kind === 'assert_trap' && d.module) return this.expectInstantiationTrap(d.module, d.message);
        const r = await this.perform(d.action!);
        const expected = `trap "${d.message}"`;
        if (r.trap === null) return { status: 'fail', expected, got: r.text };
        const matched = trapMatching(d.message, r.trap, r.sort);
        return matched === null ? { status: 'fail', expected, got: r.text } : { status: 'pass', expected, got: `trap: ${matched}` };
      }
      case 'assert_uninstantiable':
        return this.expectInstantiationTrap(d.module, d.message);
      case 'assert_unlinkable': {
        const p = await this.compileOrFail(d.module);
        if (!p.ok) return { status: 'fail', expected: `unlinkable "${d.message}"`, got: p.got };
        try {
          await this.instantiate(p.compiled);
        } catch (e) {
          if (e instanceof LinkError) {
            return { status: messageMatches(d.message, e.message, d.module.sort) ? 'pass' : 'fail', expected: `unlinkable "${d.message}"`, got: `unlinkable: ${e.message}` };
          }
          if (e instanceof Trap) return { status: 'fail', expected: `unlinkable "${d.message}"`, got: `trap: ${e.message}` };
          throw e;
        }
        return { status: 'fail', expected: `unlinkable "${d.message}"`, got: 'instantiated' };
      }
      case 'assert_invalid':
      case 'assert_malformed':
        return this.expectRejection(d.kind, d.module, d.message);
      case 'assert_exception': {
        // An uncaught wasm exception reaches the host as a WasmException.
        const expected = 'exception';
        try {
          const r = await this.perform(d.action);
          return { status: 'fail', expected, got: r.text };
        } catch (e) {
          if (e instanceof WasmException) return { status: 'pass', expected, got: 'uncaught exception' };
          throw e;
        }
      }
      case 'unsupported':
        throw new Skip(d.why);
      case 'unknown':
        return unknownDirective(d);
    }
  }

  private async expectRejection(kind: 'assert_invalid' | 'assert_malformed', def: ModuleDef, message: string): Promise<Omit<Outcome, 'line' | 'kind'>> {
    const expected = `${kind === 'assert_invalid' ? 'invalid' : 'malformed'} "${message}"`;
    const p = await prepare(def, this.features);
    // Malformed *text* is judged by rejection alone. The text format belongs
    // to the front end (wasm-tools), whose words differ from the suite's; and
    // it is more lenient than the 2.0 text grammar in places (memory64-sized
    // offsets), so its bytes may be refused by our decoder instead: either
    // refusal, before validation, is the verdict the suite asks for.
    if (kind === 'assert_malformed' && def.source.form !== 'binary' && !p.ok && p.stage !== 'validate') {
      return { status: 'pass', expected, got: `malformed ${p.stage === 'text' ? 'text' : 'binary of the text'}: ${p.message}` };
    }
    if (!p.ok && p.stage === 'text') return { status: 'fail', expected, got: `text front end rejected it: ${p.message}` };
    // cmr's own verdict (the interpreter's): its stage and words must be the suite's.
    const cmrVerdict = (by: string): Omit<Outcome, 'line' | 'kind'> => {
      if (p.ok) return { status: 'fail', expected, got: 'valid' };
      const wantStage = kind === 'assert_invalid' ? 'validate' : 'decode';
      const got = `${by}${p.stage === 'decode' ? 'malformed' : 'invalid'}: ${p.message}`;
      return { status: p.stage === wantStage && messageMatches(message, p.message, def.sort) ? 'pass' : 'fail', expected, got };
    };
    // The host engine judges core modules only; components are cmr's alone.
    if (this.adapter.rejects && def.sort === 'module') {
      // The feature gate (feature-gate.ts): a module that uses a feature
      // outside the script's standard never reaches the host engine, which
      // may implement a later standard; it is refused as the interpreter
      // refuses it, by the same decoder and validator.
      const outside = await featureOutside(this.features, (features) => prepare(def, features));
      if (outside !== null) return cmrVerdict(`refused by the feature gate (${outside}): `);
      const bytes = p.ok ? p.compiled.bytes : await toBytes(def);
      const why = await this.adapter.rejects(bytes);
      if (why !== null) return { status: 'pass', expected, got: 'rejected by the host engine' };
      return { status: 'fail', expected, got: 'accepted by the host engine' };
    }
    return cmrVerdict('');
  }

  private async expectInstantiationTrap(def: ModuleDef, message: string): Promise<Omit<Outcome, 'line' | 'kind'>> {
    const expected = `trap "${message}"`;
    const p = await this.compileOrFail(def);
    if (!p.ok) return { status: 'fail', expected, got: p.got };
    try {
      const inst = await this.instantiate(p.compiled);
      // A module that traps in instantiation is not current, but a module
      // that does not trap becomes current, as in the spec interpreter.
      this.current = inst;
    } catch (e) {
      if (e instanceof Trap) {
        const matched = trapMatching(message, e, def.sort);
        return { status: matched === null ? 'fail' : 'pass', expected, got: `trap: ${matched ?? e.message}` };
      }
      if (e instanceof LinkError) return { status: 'fail', expected, got: `unlinkable: ${e.message}` };
      throw e;
    }
    return { status: 'fail', expected, got: 'instantiated' };
  }

  private async compileOrFail(def: ModuleDef): Promise<{ ok: true; compiled: Compiled } | { ok: false; got: string }> {
    const p = await prepare(def, this.features);
    if (!p.ok) return { ok: false, got: `${p.stage === 'text' ? 'malformed text' : p.stage === 'decode' ? 'malformed' : 'invalid'}: ${p.message}` };
    const cannotRun = this.adapter.cannotRun?.bind(this.adapter);
    const why = cannotRun === undefined ? null
      : p.compiled.module !== null ? cannotRun(p.compiled.module, p.compiled.bytes)
      : componentCannotRun(p.compiled.component!.ast, cannotRun);
    if (why) throw new Skip(why);
    return { ok: true, compiled: p.compiled };
  }

  private async compile(def: ModuleDef): Promise<Compiled> {
    const p = await this.compileOrFail(def);
    if (!p.ok) throw new DirectiveFailure(p.got);
    return p.compiled;
  }

  private async instantiate(c: Compiled): Promise<Instance> {
    if (c.component !== null) {
      try {
        let component = ApiComponent.fromParts(this.componentEngine, { bytes: c.bytes, ast: c.component.ast, type: c.component.type });
        this.refuel();
        if (this.serializeRoundTrip) component = ApiComponent.deserialize(this.componentEngine, component.serialize());
        return await this.linker.instantiate(this.store, component);
      } catch (e) {
        if (e instanceof NotImplemented) throw new Skip(e.message);
        throw e;
      }
    }
    const module = c.module!;
    const imports = resolveImports(module, (m, n) => {
      const exports = this.registry.get(m);
      if (exports instanceof Unavailable) throw new Skip(exports.reason);
      return exports?.get(n);
    });
    return meter.withBudgetAsync(this.budget(), () => this.adapter.engine.instantiate(module, c.bytes, imports));
  }

  /** Instantiates; a skip (an import from an instance this engine could not make) marks the name unavailable too. */
  private async instantiateOrSkip(c: Compiled, id: string | null): Promise<Instance> {
    try {
      return await this.instantiate(c);
    } catch (e) {
      if (e instanceof Skip) this.bind(id, new Unavailable(e.message), true);
      throw e;
    }
  }

  /** Names an instance (or its absence) and, when it is instantiated, makes it current. */
  private bind(id: string | null, inst: Instance | Unavailable | Failed, makeCurrent: boolean): void {
    if (id) {
      this.instances.set(id, inst);
      // A definition that compiled was recorded then; one that could not be
      // made is recorded as such, so `(module instance $i $id)` says why.
      if ((inst instanceof Unavailable || inst instanceof Failed) && !this.definitions.has(id)) this.definitions.set(id, inst);
    }
    if (makeCurrent) this.current = inst;
  }

  private lookup(id: string | null): Instance | Unavailable {
    const inst = id === null ? this.current : this.instances.get(id);
    if (!inst) throw new DirectiveFailure(id === null ? 'no module instantiated yet' : `unknown instance ${id}`);
    if (inst instanceof Failed) throw new DirectiveFailure(inst.message);
    return inst;
  }

  private instanceFor(id: string | null): Instance {
    const inst = this.lookup(id);
    if (inst instanceof Unavailable) throw new Skip(inst.reason);
    return inst;
  }

  /** Runs an action: results (with their types) or a trap. */
  private async perform(a: Action): Promise<ActionResult> {
    const inst = this.instanceFor(a.instance);
    if (inst instanceof ComponentInstance) return this.performComponent(inst, a);
    const ext = inst.exports.get(a.name);
    if (!ext) throw new DirectiveFailure(`unknown export "${a.name}"`);
    if (a.kind === 'get') {
      if (ext.kind !== 'global') throw new DirectiveFailure(`export "${a.name}" is not a global`);
      const v = ext.value.value;
      const types = [ext.value.type.type];
      return { sort: 'module', trap: null, values: [v], types, text: formatResults([v], types) };
    }
    if (ext.kind !== 'func') throw new DirectiveFailure(`export "${a.name}" is not a function`);
    const type = ext.value.type;
    if (a.args.length !== type.params.length) throw new DirectiveFailure(`"${a.name}" takes ${type.params.length} arguments, ${a.args.length} given`);
    const args = a.args.map((e, i) => malformedConstantIsFailure(() => argValue(e, type.params[i]!), `the arguments of "${a.name}"`));
    try {
      const values = meter.withBudget(this.budget(), () => ext.value.call(args));
      return { sort: 'module', trap: null, values, types: type.results, text: formatResults(values, type.results) };
    } catch (e) {
      if (e instanceof Trap) return { sort: 'module', trap: e, values: [], types: [], text: `trap: ${e.message}` };
      if (e instanceof NotCallableFromJs) throw new Skip(e.message); // refused before it ran: nothing to mark
      throw e;
    }
  }

  /** Invokes a component instance's exported function, the host being the caller. */
  private async performComponent(inst: ComponentInstance, a: Action): Promise<ActionResult> {
    if (a.kind === 'get') throw new DirectiveFailure(`get "${a.name}": components export no globals`);
    const ext = inst.getExport(null, a.name);
    if (!ext) throw new DirectiveFailure(`unknown export "${a.name}"`);
    const f = inst.getFunc(ext[1]);
    if (f === null) throw new DirectiveFailure(`export "${a.name}" is not a function (it is a ${ext[0].kind === 'resource' ? 'type' : ext[0].kind})`);
    const types = f.results;
    const why = this.incomplete.get(inst);
    if (why !== undefined) throw new Skip(`an earlier call into this instance could not run: ${why}`);
    let args: ComponentValue[];
    try {
      args = parseComponentArgs(a.args, f.type.params, { line: a.line, col: 0 });
    } catch (e) {
      if (e instanceof WastSyntaxError) throw new DirectiveFailure(`arguments of "${a.name}": ${e.message}`);
      throw e;
    }
    try {
      this.refuel();
      const values = await f.call(this.store, args);
      return { sort: 'component', trap: null, values, types, text: formatComponentResults(values, types) };
    } catch (e) {
      if (e instanceof Trap) return { sort: 'component', trap: e, values: [], types: [], text: `trap: ${e.message}` };
      if (e instanceof NotImplemented) {
        this.incomplete.set(inst, e.message);
        throw new Skip(e.message);
      }
      throw e;
    }
  }

  /** assert_return on a component function: the expected values read against its result types. */
  private componentReturn(results: SExpr[], r: Extract<ActionResult, { sort: 'component' }>): Omit<Outcome, 'line' | 'kind'> {
    if (r.trap !== null) return { status: 'fail', got: r.text };
    if (results.length !== r.types.length) {
      return { status: 'fail', expected: `${results.length} result${results.length === 1 ? '' : 's'}`, got: r.text };
    }
    let expected: ComponentValue[];
    try {
      expected = results.map((e, i) => parseComponentValue(e, r.types[i]!));
    } catch (e) {
      if (e instanceof WastSyntaxError) return { status: 'fail', expected: `(unreadable: ${e.message})`, got: r.text };
      throw e;
    }
    const expectedText = expected.length === 0 ? '(no results)' : expected.map((v, i) => formatComponentValue(v, r.types[i]!)).join(' ');
    const ok = expected.every((v, i) => componentValuesMatch(v, r.values[i]!, r.types[i]!));
    return { status: ok ? 'pass' : 'fail', expected: expectedText, got: r.text };
  }
}

