// Runs a script's directives on one core engine and records one outcome per
// directive. The runner is engine-blind: it decodes, validates and links with
// cmr's own code, then asks the engine to instantiate and call. Running the
// same script once per engine and pairing outcomes is compare.ts's job.

import { decodeModule } from '../core/binary/decode.js';
import { validateModule } from '../core/valid/validate.js';
import { resolveImports } from '../core/runtime/link.js';
import type { CoreEngine, ExternVal, ModuleInstance } from '../core/runtime/instance.js';
import type { Module } from '../core/syntax/ast.js';
import type { FuncType } from '../core/syntax/types.js';
import { DecodeError, LinkError, Trap, ValidationError } from '../core/runtime/errors.js';
import type { Value } from '../core/runtime/values.js';
import { watToBinary } from '../text/wat.js';
import { decodeComponent } from '../component/binary/decode.js';
import { validateComponent } from '../component/valid/validate.js';
import type { Action, Directive, ModuleDef } from './script.js';
import { makeSpectest } from './spectest.js';
import { argValue, expectedResult, formatResults, matchResult } from './consts.js';

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
 * definition across engines. `module` is null for components.
 */
interface Compiled {
  bytes: Uint8Array;
  module: Module | null;
}

type Prepared = { ok: true; compiled: Compiled } | { ok: false; stage: 'text' | 'decode' | 'validate'; message: string };

const prepared = new WeakMap<ModuleDef, Promise<Prepared>>();

/** Text to bytes to a validated AST, memoised so the second engine reuses the first's work. */
export function prepare(def: ModuleDef): Promise<Prepared> {
  let p = prepared.get(def);
  if (!p) {
    p = prepareUncached(def);
    prepared.set(def, p);
  }
  return p;
}

async function toBytes(def: ModuleDef): Promise<Uint8Array> {
  return def.source.form === 'binary' ? def.source.bytes : watToBinary(def.source.text);
}

async function prepareUncached(def: ModuleDef): Promise<Prepared> {
  let bytes: Uint8Array;
  try {
    bytes = await toBytes(def);
  } catch (e) {
    return { ok: false, stage: 'text', message: errorMessage(e) };
  }
  if (def.sort === 'component') return prepareComponent(bytes);
  let module: Module;
  try {
    module = decodeModule(bytes);
  } catch (e) {
    if (e instanceof DecodeError) return { ok: false, stage: 'decode', message: e.message };
    throw e;
  }
  try {
    validateModule(module);
  } catch (e) {
    if (e instanceof ValidationError) return { ok: false, stage: 'validate', message: e.message };
    throw e;
  }
  return { ok: true, compiled: { bytes, module } };
}

function prepareComponent(bytes: Uint8Array): Prepared {
  try {
    validateComponent(decodeComponent(bytes));
  } catch (e) {
    if (e instanceof DecodeError) return { ok: false, stage: 'decode', message: e.message };
    if (e instanceof ValidationError) return { ok: false, stage: 'validate', message: e.message };
    throw e;
  }
  return { ok: true, compiled: { bytes, module: null } };
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

/** The message of a trap that matches what was expected, among those it may stand for; null if none. */
function trapMatching(expected: string, e: Trap): string | null {
  for (const m of e.alternatives ?? [e.message]) if (messageMatches(expected, m)) return m;
  return null;
}

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

const COMPONENTS_NOT_RUN = 'running components is not implemented yet (instantiation and the canonical ABI are the next stage)';

/** A directive this engine cannot attempt, with the reason (a skip, never a silent pass). */
export class Skip extends Error {}

/** A directive that cannot even be attempted (an unknown instance, a module that fails to compile). */
export class DirectiveFailure extends Error {}

/** The state of one script run on one engine. */
export class ScriptRun {
  private readonly registry = new Map<string, Map<string, ExternVal> | Unavailable>();
  private readonly instances = new Map<string, ModuleInstance | Unavailable | Failed>();
  private readonly definitions = new Map<string, Compiled | Unavailable | Failed>();
  private current: ModuleInstance | Unavailable | Failed | null = null;

  constructor(private readonly adapter: EngineAdapter) {
    this.registry.set('spectest', makeSpectest());
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
        let inst: ModuleInstance;
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
        const expected = d.results.map(expectedResult);
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
        const matched = trapMatching(d.message, r.trap);
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
      case 'assert_exception':
        throw new Skip('exception handling (WebAssembly 3.0) is not supported yet');
      case 'unsupported':
        throw new Skip(d.why);
    }
  }

  private async expectRejection(kind: 'assert_invalid' | 'assert_malformed', def: ModuleDef, message: string): Promise<Omit<Outcome, 'line' | 'kind'>> {
    const expected = `${kind === 'assert_invalid' ? 'invalid' : 'malformed'} "${message}"`;
    const p = await prepare(def);
    // Malformed *text* is judged by rejection alone. The text format belongs
    // to the front end (wasm-tools), whose words differ from the suite's; and
    // it is more lenient than the 2.0 text grammar in places (memory64-sized
    // offsets), so its bytes may be refused by our decoder instead: either
    // refusal, before validation, is the verdict the suite asks for.
    if (kind === 'assert_malformed' && def.source.form !== 'binary' && !p.ok && p.stage !== 'validate') {
      return { status: 'pass', expected, got: `malformed ${p.stage === 'text' ? 'text' : 'binary of the text'}: ${p.message}` };
    }
    if (!p.ok && p.stage === 'text') return { status: 'fail', expected, got: `text front end rejected it: ${p.message}` };
    // The host engine judges core modules only; components are cmr's alone.
    if (this.adapter.rejects && def.sort === 'module') {
      const bytes = p.ok ? p.compiled.bytes : await toBytes(def);
      const why = await this.adapter.rejects(bytes);
      return why === null ? { status: 'fail', expected, got: 'accepted by the host engine' } : { status: 'pass', expected, got: 'rejected by the host engine' };
    }
    if (p.ok) return { status: 'fail', expected, got: 'valid' };
    const wantStage = kind === 'assert_invalid' ? 'validate' : 'decode';
    const got = `${p.stage === 'decode' ? 'malformed' : 'invalid'}: ${p.message}`;
    return { status: p.stage === wantStage && messageMatches(message, p.message, def.sort) ? 'pass' : 'fail', expected, got };
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
        const matched = trapMatching(message, e);
        return { status: matched === null ? 'fail' : 'pass', expected, got: `trap: ${matched ?? e.message}` };
      }
      if (e instanceof LinkError) return { status: 'fail', expected, got: `unlinkable: ${e.message}` };
      throw e;
    }
    return { status: 'fail', expected, got: 'instantiated' };
  }

  private async compileOrFail(def: ModuleDef): Promise<{ ok: true; compiled: Compiled } | { ok: false; got: string }> {
    const p = await prepare(def);
    if (!p.ok) return { ok: false, got: `${p.stage === 'text' ? 'malformed text' : p.stage === 'decode' ? 'malformed' : 'invalid'}: ${p.message}` };
    if (p.compiled.module === null) throw new Skip(COMPONENTS_NOT_RUN);
    const why = this.adapter.cannotRun?.(p.compiled.module, p.compiled.bytes);
    if (why) throw new Skip(why);
    return { ok: true, compiled: p.compiled };
  }

  private async compile(def: ModuleDef): Promise<Compiled> {
    const p = await this.compileOrFail(def);
    if (!p.ok) throw new DirectiveFailure(p.got);
    return p.compiled;
  }

  private async instantiate(c: Compiled): Promise<ModuleInstance> {
    if (c.module === null) throw new Skip(COMPONENTS_NOT_RUN);
    const module = c.module;
    const imports = resolveImports(module, (m, n) => {
      const exports = this.registry.get(m);
      if (exports instanceof Unavailable) throw new Skip(exports.reason);
      return exports?.get(n);
    });
    return this.adapter.engine.instantiate(module, c.bytes, imports);
  }

  /** Instantiates; a skip (an import from an instance this engine could not make) marks the name unavailable too. */
  private async instantiateOrSkip(c: Compiled, id: string | null): Promise<ModuleInstance> {
    try {
      return await this.instantiate(c);
    } catch (e) {
      if (e instanceof Skip) this.bind(id, new Unavailable(e.message), true);
      throw e;
    }
  }

  /** Names an instance (or its absence) and, when it is instantiated, makes it current. */
  private bind(id: string | null, inst: ModuleInstance | Unavailable | Failed, makeCurrent: boolean): void {
    if (id) this.instances.set(id, inst);
    if (id && !(inst instanceof Unavailable || inst instanceof Failed) ) {
      // nothing more: the definition was recorded when it compiled
    } else if (id && !this.definitions.has(id)) {
      this.definitions.set(id, inst as Unavailable | Failed);
    }
    if (makeCurrent) this.current = inst;
  }

  private lookup(id: string | null): ModuleInstance | Unavailable {
    const inst = id === null ? this.current : this.instances.get(id);
    if (!inst) throw new DirectiveFailure(id === null ? 'no module instantiated yet' : `unknown instance ${id}`);
    if (inst instanceof Failed) throw new DirectiveFailure(inst.message);
    return inst;
  }

  private instanceFor(id: string | null): ModuleInstance {
    const inst = this.lookup(id);
    if (inst instanceof Unavailable) throw new Skip(inst.reason);
    return inst;
  }

  /** Runs an action: results (with their types) or a trap. */
  private async perform(a: Action): Promise<{ trap: Trap | null; values: Value[]; types: FuncType['results']; text: string }> {
    const inst = this.instanceFor(a.instance);
    const ext = inst.exports.get(a.name);
    if (!ext) throw new DirectiveFailure(`unknown export "${a.name}"`);
    if (a.kind === 'get') {
      if (ext.kind !== 'global') throw new DirectiveFailure(`export "${a.name}" is not a global`);
      const v = ext.value.value;
      const types = [ext.value.type.type];
      return { trap: null, values: [v], types, text: formatResults([v], types) };
    }
    if (ext.kind !== 'func') throw new DirectiveFailure(`export "${a.name}" is not a function`);
    const type = ext.value.type;
    if (a.args.length !== type.params.length) throw new DirectiveFailure(`"${a.name}" takes ${type.params.length} arguments, ${a.args.length} given`);
    const args = a.args.map((e, i) => argValue(e, type.params[i]!));
    try {
      const values = ext.value.call(args);
      return { trap: null, values, types: type.results, text: formatResults(values, type.results) };
    } catch (e) {
      if (e instanceof Trap) return { trap: e, values: [], types: [], text: `trap: ${e.message}` };
      throw e;
    }
  }
}

