// Runs a script's directives on one core engine and records one outcome per
// directive. The runner is engine-blind: it decodes, validates and links with
// cmr's own code, then asks the engine to instantiate and call; each
// directive's verdict is directive-walker.ts's, shared with jco. Running the
// same script once per engine and pairing outcomes is compare.ts's job.

import type { CoreFeatures } from '../core/syntax/feature-set.js';
import { WASM_3_0_SUPPORTED } from '../core/syntax/feature-set.js';
import { resolveImports } from '../core/runtime/link.js';
import type { CoreEngine, ExternVal, ModuleInstance } from '../core/runtime/instance.js';
import type { Module } from '../core/syntax/ast.js';
import { LinkError, Trap } from '../core/errors.js';
import { WasmException } from '../core/runtime/tag.js';
import { meter, type Budget } from '../core/runtime/meter.js';
import type { Component } from '../component/syntax/ast.js';
import type { ComponentValue, TraceHook } from '../component/canon/index.js';
import { NotImplemented } from '../component/runtime/index.js';
import { NotCallableFromJs } from '../core/native/index.js';
import { Component as ApiComponent, Engine, Instance as ComponentInstance, Linker, Store } from '../api/index.js';
import type { Action, ModuleDef } from './script.js';
import { featureOutside } from './feature-gate.js';
import { makeSpectest } from './spectest.js';
import { argValue, formatResults } from './consts.js';
import { formatComponentResults, parseComponentArgs } from './component-values.js';
import { WastSyntaxError } from './sexpr.js';
import { prepare, toBytes, type Compiled, type Prepared } from './prepare.js';
import {
  DirectiveFailure, DirectiveWalker, InstantiationFault, Skip, Unavailable, malformedConstantIsFailure, messageMatches,
  type ActionResult, type Verdict,
} from './directive-walker.js';

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

/** Why the engine cannot run some core module of component `c` (nested ones included), or null. */
function componentCannotRun(c: Component, cannotRun: (m: Module, bytes: Uint8Array) => string | null): string | null {
  for (const d of c.definitions) {
    const why = d.kind === 'coreModule' ? cannotRun(d.module, d.bytes) : d.kind === 'component' ? componentCannotRun(d.component, cannotRun) : null;
    if (why) return why;
  }
  return null;
}

/** A core module's instance or a component's (made through the embedder API). */
type Instance = ModuleInstance | ComponentInstance;

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

/**
 * One script run on the interpreter or the native engine: cmr decodes,
 * validates and links; the engine instantiates and calls. The verdicts are
 * the DirectiveWalker's.
 */
export class ScriptRun extends DirectiveWalker<Compiled, Instance> {
  private readonly registry = new Map<string, Map<string, ExternVal> | Unavailable>();
  /** The embedder API's engine for components: core modules run on the adapter's engine. */
  private readonly componentEngine: Engine;
  /** One store for the script: every component instance shares its trace hook. */
  private readonly store: Store;
  /**
   * Component instances registered by name (`register`): what top-level
   * component imports resolve to. Registering a name again replaces it.
   */
  private readonly linker: Linker<undefined>;
  /**
   * Component instances whose state is unknown because a call into them
   * needed something cmr does not implement: what uses them later is
   * skipped for the same reason, since it may depend on that call's effects.
   */
  private readonly incomplete = new WeakMap<ComponentInstance, string>();

  /** Fuel for each action and instantiation, or null. */
  private readonly fuel: number | null;
  private readonly serializeRoundTrip: boolean;

  constructor(private readonly adapter: EngineAdapter, options: ScriptRunOptions = {}) {
    super(options.features ?? WASM_3_0_SUPPORTED);
    this.serializeRoundTrip = options.serializeRoundTrip ?? false;
    this.registry.set('spectest', makeSpectest());
    // Every feature is on: what an engine cannot run is a skip decided
    // before instantiation (cannotRun), or NotImplemented when it is reached.
    this.fuel = options.fuel ?? null;
    this.componentEngine = new Engine({ coreEngine: adapter.engine, consumeFuel: this.fuel !== null, features: { simd: true, componentModelAsync: true } });
    this.store = new Store(this.componentEngine, { trace: options.trace ?? null });
    this.linker = new Linker<undefined>(this.componentEngine).allowShadowing(true);
  }

  /** Gives the script's component store a fresh allowance of fuel (one per action or instantiation). */
  private refuel(): void {
    if (this.fuel !== null) this.store.setFuel(this.fuel);
  }

  /** The budget for core wasm run directly (core modules). */
  private budget(): Budget {
    return { fuel: this.fuel, epoch: null, deadline: null };
  }

  protected async compile(def: ModuleDef): Promise<Compiled> {
    const p = await prepare(def, this.features);
    if (!p.ok) throw new DirectiveFailure(`${p.stage === 'text' ? 'malformed text' : p.stage === 'decode' ? 'malformed' : 'invalid'}: ${p.message}`);
    const cannotRun = this.adapter.cannotRun?.bind(this.adapter);
    const why = cannotRun === undefined ? null
      : p.compiled.module !== null ? cannotRun(p.compiled.module, p.compiled.bytes)
      : componentCannotRun(p.compiled.component!.ast, cannotRun);
    if (why) throw new Skip(why);
    return p.compiled;
  }

  protected async instantiate(c: Compiled): Promise<Instance> {
    try {
      return await this.instantiateOn(c);
    } catch (e) {
      if (e instanceof NotImplemented) throw new Skip(e.message);
      if (e instanceof Trap) throw new InstantiationFault({ kind: 'trap', trap: e });
      if (e instanceof LinkError) throw new InstantiationFault({ kind: 'unlinkable', message: e.message });
      throw e;
    }
  }

  private async instantiateOn(c: Compiled): Promise<Instance> {
    if (c.component !== null) {
      let component = ApiComponent.fromParts(this.componentEngine, { bytes: c.bytes, ast: c.component.ast, type: c.component.type });
      this.refuel();
      if (this.serializeRoundTrip) component = ApiComponent.deserialize(this.componentEngine, component.serialize());
      return await this.linker.instantiate(this.store, component);
    }
    const module = c.module!;
    const imports = resolveImports(module, (m, n) => {
      const exports = this.registry.get(m);
      if (exports instanceof Unavailable) throw new Skip(exports.reason);
      return exports?.get(n);
    });
    return meter.withBudgetAsync(this.budget(), () => this.adapter.engine.instantiate(module, c.bytes, imports));
  }

  protected register(name: string, inst: Instance | Unavailable): void {
    if (inst instanceof ComponentInstance) this.linker.root().instance(name, inst);
    else this.registry.set(name, inst instanceof Unavailable ? inst : inst.exports);
  }

  protected async judgeRejection(kind: 'assert_invalid' | 'assert_malformed', def: ModuleDef, message: string, p: Prepared): Promise<Verdict> {
    const expected = `${kind === 'assert_invalid' ? 'invalid' : 'malformed'} "${message}"`;
    // The text format is more lenient in wasm-tools than the 2.0 text
    // grammar in places (memory64-sized offsets), so the bytes of malformed
    // text may be refused by our decoder instead: either refusal, before
    // validation, is the verdict the suite asks for.
    if (kind === 'assert_malformed' && def.source.form !== 'binary' && !p.ok && p.stage === 'decode') {
      return { status: 'pass', expected, got: `malformed binary of the text: ${p.message}` };
    }
    // cmr's own verdict (the interpreter's): its stage and words must be the suite's.
    const cmrVerdict = (by: string): Verdict => {
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

  /** Runs an action: results (with their types) or a fault. */
  protected async perform(inst: Instance, a: Action): Promise<ActionResult> {
    if (inst instanceof ComponentInstance) return this.performComponent(inst, a);
    const ext = inst.exports.get(a.name);
    if (!ext) throw new DirectiveFailure(`unknown export "${a.name}"`);
    if (a.kind === 'get') {
      if (ext.kind !== 'global') throw new DirectiveFailure(`export "${a.name}" is not a global`);
      const v = ext.value.value;
      const types = [ext.value.type.type];
      return { sort: 'module', fault: null, values: [v], types, text: formatResults([v], types) };
    }
    if (ext.kind !== 'func') throw new DirectiveFailure(`export "${a.name}" is not a function`);
    const type = ext.value.type;
    if (a.args.length !== type.params.length) throw new DirectiveFailure(`"${a.name}" takes ${type.params.length} arguments, ${a.args.length} given`);
    const args = a.args.map((e, i) => malformedConstantIsFailure(() => argValue(e, type.params[i]!), `the arguments of "${a.name}"`));
    try {
      const values = meter.withBudget(this.budget(), () => ext.value.call(args));
      return { sort: 'module', fault: null, values, types: type.results, text: formatResults(values, type.results) };
    } catch (e) {
      if (e instanceof Trap) return { sort: 'module', fault: { kind: 'trap', trap: e }, values: [], types: [], text: `trap: ${e.message}` };
      // An uncaught wasm exception reaches the host as a WasmException.
      if (e instanceof WasmException) return { sort: 'module', fault: { kind: 'exception' }, values: [], types: [], text: 'uncaught exception' };
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
      return { sort: 'component', fault: null, values, types, text: formatComponentResults(values, types) };
    } catch (e) {
      if (e instanceof Trap) return { sort: 'component', fault: { kind: 'trap', trap: e }, values: [], types: [], text: `trap: ${e.message}` };
      if (e instanceof NotImplemented) {
        this.incomplete.set(inst, e.message);
        throw new Skip(e.message);
      }
      throw e;
    }
  }
}
