// The verdict of each .wast directive, written once for every engine. A
// DirectiveWalker keeps a script run's state (definitions, instances, the
// current one, which names could not be made and why) and decides each
// directive's outcome; an engine supplies what differs between engines:
// how a definition is compiled, instantiated, registered and called, and how
// a module that must be rejected is judged (runner.ts: the interpreter and
// the native engine; jco-engine.ts: jco).
//
// Engines that report in the suite's words (cmr's) are held to them; an
// engine that reports in its own words (jco) gives a Fault of kind
// 'verdict', which is judged by whether it refused, not by what it said.

import type { Trap } from '../core/errors.js';
import { HostTrap, hostTrapKind } from '../core/native/index.js';
import type { Value } from '../core/runtime/values.js';
import type { ValType as CoreValType } from '../core/syntax/types.js';
import type { ComponentValue } from '../component/canon/values.js';
import type { ValType as ComponentValType } from '../component/syntax/types.js';
import type { Action, Directive, ModuleDef } from './script.js';
import { prepare, type Prepared } from './prepare.js';
import { expectedResult, matchResult } from './consts.js';
import { componentValuesMatch, formatComponentValue, parseComponentValue } from './component-values.js';
import type { CoreFeatures } from '../core/syntax/feature-set.js';
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

/** An outcome without its place (the walker adds line and kind). */
export type Verdict = Omit<Outcome, 'line' | 'kind'>;

/** A directive this engine cannot attempt, with the reason (a skip, never a silent pass). */
export class Skip extends Error {}

/** A directive that cannot even be attempted (an unknown instance, a module that fails to compile). */
export class DirectiveFailure extends Error {}

/**
 * What an instantiation or a call ended in instead of a result: a trap, a
 * link error, an uncaught wasm exception (each in the suite's words), or,
 * from an engine judged by verdict only, its own error text.
 */
export type Fault =
  | { kind: 'trap'; trap: Trap }
  | { kind: 'unlinkable'; message: string }
  | { kind: 'exception' }
  | { kind: 'verdict'; engine: string; message: string };

/** An instantiation that failed (thrown by an engine's `instantiate`): what uses the instance fails too. */
export class InstantiationFault extends Error {
  constructor(readonly fault: Fault) {
    super(faultText(fault));
  }
}

/** What running an action yielded: core values or component values, with their types, or a fault. */
export type ActionResult =
  | { sort: 'module'; fault: Fault | null; values: Value[]; types: CoreValType[]; text: string }
  | { sort: 'component'; fault: Fault | null; values: ComponentValue[]; types: ComponentValType[]; text: string };

/** A fault in the words a failed directive reports it with. */
export function faultText(f: Fault): string {
  switch (f.kind) {
    case 'trap': return `trap: ${f.trap.message}`;
    case 'unlinkable': return `unlinkable: ${f.message}`;
    case 'exception': return 'uncaught exception';
    case 'verdict': return `${f.engine}: ${f.message}`;
  }
}

/** A fault's own message, without its kind. */
function faultMessage(f: Fault): string {
  switch (f.kind) {
    case 'trap': return f.trap.message;
    case 'exception': return 'uncaught exception';
    default: return f.message;
  }
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

/** Core trap messages that wasmtime, whose words the component suites expect, puts differently. */
const WASMTIME_TRAP_WORDS: Record<string, string> = {
  unreachable: 'wasm `unreachable` instruction executed',
};

/**
 * Whether trap `e` is the one expected: the text to report for it (the
 * expected message as far as it was checked — engines may add details
 * after it, such as an element index, and the reported text must not
 * differ between engines that both passed), or null if it does not match.
 */
function trapMatching(expected: string, e: Trap, sort: 'module' | 'component'): string | null {
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

/** The verdict on a fault where a trap or a link error (`want`, with `message`) was expected. */
function faultVerdict(want: 'trap' | 'unlinkable', message: string, sort: 'module' | 'component', f: Fault): Verdict {
  const expected = `${want} "${message}"`;
  if (f.kind === 'verdict') return { status: 'pass', expected, got: `${want} (${f.engine}: ${f.message})` };
  if (f.kind === 'trap' && want === 'trap') {
    const matched = trapMatching(message, f.trap, sort);
    return { status: matched === null ? 'fail' : 'pass', expected, got: `trap: ${matched ?? f.trap.message}` };
  }
  if (f.kind === 'unlinkable' && want === 'unlinkable') {
    return { status: messageMatches(message, f.message, sort) ? 'pass' : 'fail', expected, got: faultText(f) };
  }
  return { status: 'fail', expected, got: faultText(f) };
}

/** The verdict on a form that is no directive (a misspelled one fails, naming itself, on every engine). */
export function unknownDirective(d: Extract<Directive, { kind: 'unknown' }>): { status: 'fail'; expected: string; got: string } {
  return { status: 'fail', expected: 'a directive', got: d.head === '(?)' ? 'a form without a keyword is not a directive' : `unknown directive "${d.head}"` };
}

/** Runs `read` (a constant's reader); a malformed constant fails the directive, naming where it is. */
export function malformedConstantIsFailure<T>(read: () => T, what: string): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof WastSyntaxError) throw new DirectiveFailure(`malformed constant in ${what} at ${e.message}`);
    throw e;
  }
}

/** An instance that was not made because the engine cannot run its module: what uses it is skipped too. */
export class Unavailable {
  constructor(readonly reason: string) {}
}

/** An instance that was not made because its module failed: what uses it fails too, naming the cause. */
class Failed {
  constructor(readonly line: number, readonly why: string) {}

  get message(): string {
    return `the module at line ${this.line} did not instantiate (${this.why})`;
  }
}

/**
 * One script run on one engine: `D` is the engine's compiled definition,
 * `I` its instance. Subclasses supply the engine's side; every directive's
 * rule is here.
 */
export abstract class DirectiveWalker<D, I> {
  private readonly instances = new Map<string, I | Unavailable | Failed>();
  private readonly definitions = new Map<string, D | Unavailable | Failed>();
  private current: I | Unavailable | Failed | null = null;

  constructor(
    /** The core features modules (and components' core modules) are decoded and validated with. */
    protected readonly features: CoreFeatures,
    /** Why this engine skips every core-module directive (it runs components only), or null. */
    private readonly coreSkip: string | null = null,
  ) {}

  /** The definition compiled for this engine; throws Skip (it cannot run it) or DirectiveFailure (it fails). */
  protected abstract compile(def: ModuleDef): Promise<D>;
  /** An instance of `c`; throws Skip (cannot), InstantiationFault (a trap or link error, or the engine's refusal). */
  protected abstract instantiate(c: D): Promise<I>;
  /** Names an instance (or one this engine could not make) for the imports of later modules. */
  protected abstract register(name: string, inst: I | Unavailable): void;
  /** Runs an action on an instance: results with their types, or a fault; throws Skip or DirectiveFailure. */
  protected abstract perform(inst: I, a: Action): Promise<ActionResult>;
  /**
   * The verdict on a module that must be rejected, once the text front end
   * has accepted its text (`p`: cmr's own preparation of it).
   */
  protected abstract judgeRejection(kind: 'assert_invalid' | 'assert_malformed', def: ModuleDef, message: string, p: Prepared): Promise<Verdict>;

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
      return { ...base, ...(await this.execute(d)) };
    } catch (e) {
      if (e instanceof Skip) return { ...base, status: 'skip', reason: e.message };
      if (e instanceof DirectiveFailure) return { ...base, status: 'fail', got: e.message };
      // Anything else is a bug in cmr, reported as a failure of this directive.
      return { ...base, status: 'fail', got: `internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}` };
    }
  }

  private async execute(d: Directive): Promise<Verdict> {
    switch (d.kind) {
      case 'module': {
        let compiled: D;
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
        return this.instantiateAs(compiled, d.def.id, d.line);
      }
      case 'instance': {
        const compiled = this.definitions.get(d.of);
        if (compiled === undefined) {
          if (d.sort === 'module' && this.coreSkip !== null) throw new Skip(this.coreSkip);
          return { status: 'fail', got: `unknown ${d.sort} definition ${d.of}` };
        }
        if (compiled instanceof Failed) {
          this.bind(d.id, compiled, true);
          throw new DirectiveFailure(compiled.message);
        }
        if (compiled instanceof Unavailable) {
          this.bind(d.id, compiled, true);
          throw new Skip(compiled.reason);
        }
        return this.instantiateAs(compiled, d.id, d.line);
      }
      case 'register': {
        const inst = this.lookup(d.instance);
        this.register(d.as, inst);
        if (inst instanceof Unavailable) throw new Skip(inst.reason);
        return { status: 'pass' };
      }
      case 'action': {
        const r = await this.performOn(d.action);
        return { status: r.fault === null ? 'pass' : 'fail', got: r.text };
      }
      case 'assert_return': {
        const r = await this.performOn(d.action);
        return r.sort === 'component' ? componentReturn(d.results, r) : coreReturn(d.results, r);
      }
      case 'assert_trap':
      case 'assert_exhaustion': {
        if (d.kind === 'assert_trap' && d.module) return this.expectInstantiationFault(d.module, 'trap', d.message);
        const r = await this.performOn(d.action!);
        if (r.fault === null) return { status: 'fail', expected: `trap "${d.message}"`, got: r.text };
        const v = faultVerdict('trap', d.message, r.sort, r.fault);
        return v.status === 'pass' ? v : { ...v, got: r.text };
      }
      case 'assert_uninstantiable':
        return this.expectInstantiationFault(d.module, 'trap', d.message);
      case 'assert_unlinkable':
        return this.expectInstantiationFault(d.module, 'unlinkable', d.message);
      case 'assert_invalid':
      case 'assert_malformed':
        return this.expectRejection(d.kind, d.module, d.message);
      case 'assert_exception': {
        // Exceptions are core wasm's: an engine of components only skips them.
        if (this.coreSkip !== null) throw new Skip(this.coreSkip);
        const r = await this.performOn(d.action);
        return r.fault?.kind === 'exception'
          ? { status: 'pass', expected: 'exception', got: 'uncaught exception' }
          : { status: 'fail', expected: 'exception', got: r.text };
      }
      case 'unsupported':
        throw new Skip(d.why);
      case 'unknown':
        return unknownDirective(d);
    }
  }

  /** Instantiates a module or instance directive's definition and names the instance (or why it is missing). */
  private async instantiateAs(compiled: D, id: string | null, line: number): Promise<Verdict> {
    let inst: I;
    try {
      inst = await this.instantiate(compiled);
    } catch (e) {
      if (e instanceof Skip) this.bind(id, new Unavailable(e.message), true);
      if (e instanceof InstantiationFault) {
        this.bind(id, new Failed(line, faultMessage(e.fault)), true);
        return { status: 'fail', got: e.message };
      }
      throw e;
    }
    this.bind(id, inst, true);
    return { status: 'pass', got: 'instantiated' };
  }

  /** assert_trap of a module, assert_uninstantiable, assert_unlinkable: instantiating must fail so. */
  private async expectInstantiationFault(def: ModuleDef, want: 'trap' | 'unlinkable', message: string): Promise<Verdict> {
    let compiled: D;
    try {
      compiled = await this.compile(def);
    } catch (e) {
      if (e instanceof DirectiveFailure) return { status: 'fail', expected: `${want} "${message}"`, got: e.message };
      throw e;
    }
    try {
      // A module that traps in instantiation is not current, but a module
      // that does not trap becomes current, as in the spec interpreter.
      this.current = await this.instantiate(compiled);
    } catch (e) {
      if (e instanceof InstantiationFault) return faultVerdict(want, message, def.sort, e.fault);
      throw e;
    }
    return { status: 'fail', expected: `${want} "${message}"`, got: 'instantiated' };
  }

  private async expectRejection(kind: 'assert_invalid' | 'assert_malformed', def: ModuleDef, message: string): Promise<Verdict> {
    if (def.sort === 'module' && this.coreSkip !== null) throw new Skip(this.coreSkip);
    const p = await prepare(def, this.features);
    // Text the front end (wasm-tools) refuses never reaches an engine:
    // malformed text is the front end's verdict; its words differ from the
    // suite's, so it is judged by refusal alone.
    if (!p.ok && p.stage === 'text') {
      const expected = `${kind === 'assert_invalid' ? 'invalid' : 'malformed'} "${message}"`;
      return kind === 'assert_malformed'
        ? { status: 'pass', expected, got: `malformed text: ${p.message}` }
        : { status: 'fail', expected, got: `text front end rejected it: ${p.message}` };
    }
    return this.judgeRejection(kind, def, message, p);
  }

  /** Names an instance (or its absence) and, when it is instantiated, makes it current. */
  private bind(id: string | null, inst: I | Unavailable | Failed, makeCurrent: boolean): void {
    if (id) {
      this.instances.set(id, inst);
      // A definition that compiled was recorded then; one that could not be
      // made is recorded as such, so `(module instance $i $id)` says why.
      if ((inst instanceof Unavailable || inst instanceof Failed) && !this.definitions.has(id)) this.definitions.set(id, inst);
    }
    if (makeCurrent) this.current = inst;
  }

  private lookup(id: string | null): I | Unavailable {
    const inst = id === null ? this.current : this.instances.get(id);
    if (!inst) throw new DirectiveFailure(id === null ? 'no module instantiated yet' : `unknown instance ${id}`);
    if (inst instanceof Failed) throw new DirectiveFailure(inst.message);
    return inst;
  }

  private async performOn(a: Action): Promise<ActionResult> {
    const inst = this.lookup(a.instance);
    if (inst instanceof Unavailable) throw new Skip(inst.reason);
    return this.perform(inst, a);
  }
}

/** assert_return on a core function: the expected constants (NaN patterns included) against its results. */
function coreReturn(results: SExpr[], r: Extract<ActionResult, { sort: 'module' }>): Verdict {
  const expected = results.map((e) => malformedConstantIsFailure(() => expectedResult(e), 'the expected results'));
  const expectedText = expected.map((e) => e.text).join(' ');
  if (r.fault !== null) return { status: 'fail', expected: expectedText, got: r.text };
  const ok = r.values.length === expected.length && expected.every((e, i) => matchResult(e, r.values[i]!, r.types[i]!));
  return { status: ok ? 'pass' : 'fail', expected: expectedText, got: r.text };
}

/** assert_return on a component function: the expected values read against its result types. */
function componentReturn(results: SExpr[], r: Extract<ActionResult, { sort: 'component' }>): Verdict {
  if (r.fault !== null) return { status: 'fail', got: r.text };
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
