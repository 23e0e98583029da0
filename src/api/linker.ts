// Linker: names the host supplies to components' imports (wasmtime's
// `component::Linker` and `LinkerInstance`): host functions, host resource
// types, whole instances, core modules, components — at the root or inside
// named instances — and instantiation against them.
//
// Instantiation walks the component's imports in order. Each one the linker
// defines is built for this store: a host function becomes a component
// function of the import's type (checked against what the host declared),
// a resource becomes the host's resource type, an instance import becomes
// an instance of the items its type asks for. Resource types imported
// earlier are substituted into later imports' types as they are bound, so a
// host function taking `own<r>` gets the host's `r`. Then the runtime
// checks every import against its type (LinkError in wasmtime's words) and
// runs the instantiation.

import { decodeModule } from '../core/binary/decode.js';
import { LinkError, Trap } from '../core/errors.js';
import { earlyBodyCheck, validateModule } from '../core/valid/validate.js';
import { suspendHostCall, type ComponentFunc } from '../component/canon/canon.js';
import { defineResource, resourceImpl } from '../component/canon/resources.js';
import { trap } from '../component/canon/traps.js';
import type { ComponentValue } from '../component/canon/values.js';
import type { Wait } from '../component/canon/thread.js';
import { ComponentDefinition, externTypeOf, type ComponentExtern, type CoreModule } from '../component/runtime/externs.js';
import { checkImports, instantiateComponent } from '../component/runtime/instantiate.js';
import { ResourceType as ResourceTypeObject, type ExternType, type FuncType, type InstanceType } from '../component/syntax/types.js';
import { bindResources, substituteExtern, type ResourceMap } from '../component/valid/subtype.js';
import { Component, describeValue, EMBEDDED_CORE_FEATURES } from './component.js';
import type { Engine } from './engine.js';
import { hostBindings, isThenable } from './func.js';
import { Instance } from './instance.js';
import type { ResourceType } from './resource-type.js';
import { formatSignature, parseSignature, signatureMismatch, type Signature } from './signature.js';
import { findCompatible } from './semver-names.js';
import { Store } from './store.js';
import { noZeroValue, zeroValue } from './values.js';

/**
 * What a host function receives besides its arguments (`this` of a
 * `funcWrap` function, the second argument of a `funcNew` one). `T` is the
 * type of the store's data, the Linker's `T`.
 */
export interface HostCallContext<T = unknown> {
  /** The store of the instance that called it. */
  readonly store: Store<T>;
  /** The import's type (resources as bound in this instantiation). */
  readonly type: FuncType;
  /** The import's name (`instance#func` for a function of an imported instance). */
  readonly name: string;
  /**
   * Aborted when the guest cancels this call (`subtask.cancel` of an
   * async-lowered import) while its Promise is pending. A Promise that then
   * rejects ends the call as cancelled (the subtask's
   * CANCELLED_BEFORE_RETURNED); one that fulfils still returns its value.
   */
  readonly signal: AbortSignal;
}

/** A HostCallContext per call: its AbortController is made only when asked for. */
class HostCall<T> implements HostCallContext<T> {
  private controller: AbortController | null = null;

  constructor(readonly store: Store<T>, readonly type: FuncType, readonly name: string) {}

  get signal(): AbortSignal {
    this.controller ??= new AbortController();
    return this.controller.signal;
  }

  get aborted(): boolean {
    return this.controller?.signal.aborted ?? false;
  }

  abort(): void {
    this.controller ??= new AbortController();
    this.controller.abort(new DOMException(`the guest cancelled the call of \`${this.name}\``, 'AbortError'));
  }
}

/** What a cancelled host call's Promise stands for once it has rejected. */
const CANCELLED = Symbol('cancelled');

/**
 * A host function for `funcWrap`: component values in, the result (or
 * nothing) out; may return a Promise. Its parameters may have any types
 * (`never[]` admits every function): the arguments are the import's, checked
 * against its type when linked, and the result is checked when returned.
 */
export type WrappedHostFunc<T = unknown> = (this: HostCallContext<T>, ...args: never[]) => unknown;

/** A host function for `funcNew`: the argument list in, the result list (empty or one value) out; may return a Promise. */
export type DynamicHostFunc<T = unknown> = (args: ComponentValue[], context: HostCallContext<T>) => ComponentValue[] | Promise<ComponentValue[]>;

/**
 * A destructor of a host resource: runs when the last owned handle of `rep`
 * is dropped, with the store of the instance that dropped it.
 */
export type HostResourceDtor<T = unknown> = (rep: number, store: Store<T>) => void;

type Definition<T> =
  | { kind: 'func'; mode: 'wrap'; fn: WrappedHostFunc<T>; signature: FuncType | null }
  | { kind: 'func'; mode: 'new'; fn: DynamicHostFunc<T> }
  | { kind: 'func'; mode: 'stub'; stub: 'trap' | 'zero' }
  | { kind: 'resource'; type: ResourceType; dtor: HostResourceDtor<T> | null }
  | { kind: 'instance'; node: LinkerInstance<T> }
  | { kind: 'whole-instance'; instance: Instance }
  | { kind: 'module'; module: CoreModule }
  | { kind: 'component'; component: Component };

const KIND_WORD: Record<Definition<unknown>['kind'], string> = {
  func: 'func', resource: 'resource', instance: 'instance', 'whole-instance': 'instance', module: 'module', component: 'component',
};

/**
 * The definitions at one level of a Linker: the root, or a named instance
 * inside it (wasmtime's `LinkerInstance`). Every method defines one name and
 * returns the builder, except `instance(name)`, which returns the nested
 * builder for instance `name`. `T` is the Linker's: the type of the store
 * data its host functions and destructors see.
 */
export class LinkerInstance<T = unknown> {
  /** @internal */
  readonly defs = new Map<string, Definition<T>>();

  /** @internal */
  constructor(
    private readonly linker: Linker<T>,
    /** The instance names from the root to this level (empty at the root). */
    readonly path: readonly string[],
  ) {}

  private define(name: string, d: Definition<T>): this {
    const old = this.defs.get(name);
    if (old !== undefined && !this.linker.shadowing) {
      throw new LinkError(`\`${[...this.path, name].join('#')}\` is already defined in the linker (as a ${KIND_WORD[old.kind]}); call linker.allowShadowing(true) to redefine names`);
    }
    this.defs.set(name, d);
    return this;
  }

  /**
   * Defines host function `name`, called with the component values of its
   * arguments (canon's representation) and `this` bound to a
   * HostCallContext; it returns the result (nothing for a function without
   * one). At instantiation it is checked against the import's type: against
   * `signature` when given (`'func(u32, u32) -> u32'`, see signature.ts),
   * else only its declared parameter count (`fn.length`, when it is not
   * more than the import's).
   *
   * Synchronous and Promise-returning functions are both accepted. A
   * Promise is awaited:
   * - when the host calls the function itself through `Func.call` (a
   *   component that re-exports the import);
   * - when core wasm calls it through `canon lower`, the core module runs on
   *   the interpreter (`coreEngine: 'interp'`, the default) and the call
   *   into the component was made with `Func.call`: the interpreted code is
   *   suspended at the call, and resumes with the awaited result, lowered
   *   into its memory exactly as a synchronous result would be (a rejection
   *   is thrown as a synchronous throw would be).
   *
   * Elsewhere a Promise is an error naming the function: core wasm on the
   * native engine (V8 frames cannot be suspended without JS Promise
   * Integration), any call made with `Func.callSync`, and synchronous calls
   * nested inside an async one (core wasm calling another component's
   * export, a host function calling `callSync`).
   */
  funcWrap(name: string, fn: WrappedHostFunc<T>, signature?: Signature): this {
    if (typeof fn !== 'function') throw new TypeError(`funcWrap(${JSON.stringify(name)}): expected a function`);
    return this.define(name, { kind: 'func', mode: 'wrap', fn, signature: signature === undefined ? null : parseSignature(signature) });
  }

  /**
   * Defines host function `name` of whatever type the import has
   * (wasmtime's `func_new`): it receives the argument list and the context
   * (with the import's type) and returns the result list — empty, or one
   * value. It may return a Promise of that list, awaited where funcWrap's
   * Promises are (on the interpreter, through `Func.call`) and an error
   * elsewhere, as for funcWrap.
   */
  funcNew(name: string, fn: DynamicHostFunc<T>): this {
    if (typeof fn !== 'function') throw new TypeError(`funcNew(${JSON.stringify(name)}): expected a function`);
    return this.define(name, { kind: 'func', mode: 'new', fn });
  }

  /**
   * Defines resource type `name` as the host type `type`
   * (`ResourceType.host(key)`): a component importing `name` gets `type`
   * for it. `dtor` runs when an owned handle of it is dropped by a guest.
   */
  resource(name: string, type: ResourceType, dtor: HostResourceDtor<T> | null = null): this {
    if (!(type instanceof ResourceTypeObject)) throw new TypeError(`resource(${JSON.stringify(name)}): expected a ResourceType`);
    return this.define(name, { kind: 'resource', type, dtor });
  }

  /**
   * `instance(name)`: the builder for the imported instance `name`, made on
   * first use. `instance(name, inst)`: defines `name` as a whole instance of
   * another component (of the same store), so components can be linked to
   * each other.
   */
  instance(name: string): LinkerInstance<T>;
  instance(name: string, inst: Instance): this;
  instance(name: string, inst?: Instance): LinkerInstance<T> | this {
    if (inst !== undefined) {
      if (!(inst instanceof Instance)) throw new TypeError(`instance(${JSON.stringify(name)}, …): expected an Instance`);
      return this.define(name, { kind: 'whole-instance', instance: inst });
    }
    const old = this.defs.get(name);
    if (old?.kind === 'instance') return old.node;
    const node = new LinkerInstance<T>(this.linker, [...this.path, name]);
    this.define(name, { kind: 'instance', node });
    return node;
  }

  /** Defines core module `name`: its bytes (decoded and validated here) or an already decoded module. */
  module(name: string, module: Uint8Array | CoreModule): this {
    if (module instanceof Uint8Array) {
      // A copy: bodies are decoded again from these bytes on first use
      // (lazy-func.ts), so the caller's later changes must not reach them.
      const bytes = new Uint8Array(module);
      const m = decodeModule(bytes, EMBEDDED_CORE_FEATURES, earlyBodyCheck());
      validateModule(m, EMBEDDED_CORE_FEATURES);
      return this.define(name, { kind: 'module', module: { module: m, bytes } });
    }
    return this.define(name, { kind: 'module', module });
  }

  /** Defines component `name` (for components that import a component and instantiate it). */
  component(name: string, component: Component): this {
    return this.define(name, { kind: 'component', component });
  }

  /** @internal A deep copy of this level's definitions, for InstancePre. */
  snapshot(linker: Linker<T>): LinkerInstance<T> {
    const copy = new LinkerInstance<T>(linker, this.path);
    for (const [n, d] of this.defs) copy.defs.set(n, d.kind === 'instance' ? { kind: 'instance', node: d.node.snapshot(linker) } : d);
    return copy;
  }
}

/**
 * Supplies components' imports and instantiates them (wasmtime's
 * `component::Linker<T>`). `T` is the type of the data of the stores it
 * instantiates in (`Store<T>`): host functions see `this.store.data` and
 * resource destructors their store typed so. The default, `unknown`,
 * instantiates in any store.
 *
 * ```ts
 * const linker = new Linker<{ log: string[] }>(engine);
 * linker.root().funcWrap('log', function (s: string) { this.store.data.log.push(s); });
 * linker.instance('wasi:random/random').funcWrap('get-random-u64', () => 4n);
 * const instance = await linker.instantiate(new Store(engine, { data: { log: [] } }), component);
 * ```
 */
export class Linker<T = unknown> {
  private rootInstance: LinkerInstance<T>;
  /** @internal */
  shadowing = false;

  constructor(
    /** The engine of the components this linker instantiates. */
    readonly engine: Engine,
  ) {
    this.rootInstance = new LinkerInstance<T>(this, []);
  }

  /** The definitions at the root: a component's top-level imports. */
  root(): LinkerInstance<T> {
    return this.rootInstance;
  }

  /** The builder of the imported instance `name` (the same as `root().instance(name)`). */
  instance(name: string): LinkerInstance<T> {
    return this.rootInstance.instance(name);
  }

  /** Whether defining a name again replaces it (default: false, an error). */
  allowShadowing(allow: boolean): this {
    this.shadowing = allow;
    return this;
  }

  /**
   * Defines every function `component` imports that the linker lacks as a
   * stub: 'trap' stubs trap with a message naming the import when called;
   * 'zero' stubs return the zero value of the result type (see zeroValue;
   * they trap for a result that has none, such as a handle). Resource
   * imports the linker lacks become host resource types of their own.
   */
  defineUnknownImportsAsStubs(component: Component, stub: 'trap' | 'zero' = 'trap'): this {
    const fill = (node: LinkerInstance<T>, exports: ReadonlyMap<string, ExternType>) => {
      const atRoot = node === this.rootInstance;
      for (const [name, e] of exports) {
        // At the root, a semver-compatible definition serves the import (as in instantiation): fill that one.
        const d = atRoot ? findCompatible(node.defs, name) : node.defs.get(name);
        if (e.kind === 'func' && d === undefined) node.defs.set(name, { kind: 'func', mode: 'stub', stub });
        else if (e.kind === 'type' && e.type instanceof ResourceTypeObject && d === undefined) {
          node.defs.set(name, { kind: 'resource', type: new ResourceTypeObject(name), dtor: null });
        } else if (e.kind === 'instance' && (d === undefined || d.kind === 'instance')) fill(d?.kind === 'instance' ? d.node : node.instance(name), e.type.exports);
      }
    };
    fill(this.rootInstance, component.type.imports);
    return this;
  }

  /**
   * Instantiates `component` in `store` with this linker's definitions.
   * Throws LinkError naming an import that is missing or has the wrong type
   * (before anything runs), a Trap for a trap in a core start function,
   * NotImplemented for something cmr cannot run yet.
   */
  async instantiate(store: Store<T>, component: Component): Promise<Instance> {
    checkArgument('Linker.instantiate', 'a Store', store, Store);
    return this.instantiatePre(component, false).instantiate(store);
  }

  /**
   * Checks now that every import of `component` is defined with the right
   * type (LinkError otherwise) and returns an InstancePre, which
   * instantiates it in any store with the definitions as they are now.
   */
  instantiatePre(component: Component, check = true): InstancePre<T> {
    checkArgument('Linker.instantiatePre', 'a Component', component, Component);
    if (component.engine !== this.engine) throw new Error('the component was made for a different engine than the linker');
    const pre = new InstancePre<T>(component, this.rootInstance.snapshot(this));
    if (check) pre.check();
    return pre;
  }
}

/**
 * A component with its imports resolved, ready to instantiate (wasmtime's
 * `InstancePre`): the linker's definitions as they were when it was made.
 */
export class InstancePre<T = unknown> {
  /** @internal */
  constructor(
    /** The component to instantiate. */
    readonly component: Component,
    private readonly root: LinkerInstance<T>,
  ) {}

  /**
   * The type of the instances this makes (wasmtime's
   * `InstancePre::instance_type`): the component's exports as an instance
   * type. Resources the component defines are its abstract ones here; each
   * instantiation makes fresh ones (see Instance.instanceType).
   */
  instanceType(): InstanceType {
    return { kind: 'instance', exports: new Map(this.component.type.exports), definedResources: [...this.component.type.definedResources] };
  }

  /** @internal Builds the imports with a scratch store and checks them. */
  check(): void {
    // A dry run calls no host function and runs no destructor, so the
    // scratch store's data is never read: any data stands for a T.
    const store = new Store<T>(this.component.engine);
    checkImports(this.component.type, new Builder(store, this.component, true).imports(this.root));
  }

  /** Instantiates the component in `store` (see Linker.instantiate). */
  async instantiate(store: Store<T>): Promise<Instance> {
    checkArgument('InstancePre.instantiate', 'a Store', store, Store);
    if (store.engine !== this.component.engine) throw new Error('the store belongs to a different engine than the component');
    const imports = new Builder(store, this.component, false).imports(this.root);
    // Start functions run wasm: with the store's fuel and deadline.
    const handle = await store.meteredAsync(() => instantiateComponent(this.component.ast, this.component.type, imports, store.engine.coreEngine, { store: store.canon }));
    return new Instance(store, this.component, handle);
  }
}

/**
 * An embedder's argument of the wrong kind (null, a plain object, a value
 * from another copy of cmr) is a TypeError naming the method, not a JS
 * error from deep inside it.
 */
function checkArgument(method: string, what: string, value: unknown, cls: Function): void { // Function: Component's constructor is private
  if (!(value instanceof cls)) throw new TypeError(`${method}: expected ${what}, got ${describeValue(value)}`);
}

/** Builds one instantiation's import arguments from a linker's definitions. */
class Builder<T> {
  private readonly map: ResourceMap = new Map();
  private readonly abstract: Set<ResourceTypeObject>;

  constructor(private readonly store: Store<T>, private readonly component: Component, private readonly dryRun: boolean) {
    this.abstract = new Set(component.type.importedResources);
  }

  imports(root: LinkerInstance<T>): Map<string, ComponentExtern> {
    const out = new Map<string, ComponentExtern>();
    for (const [name, expected] of this.component.type.imports) {
      // `wasi:io/streams@0.2.11` may be served by a definition of 0.2.6.
      const d = findCompatible(root.defs, name);
      // A missing import is left to the runtime's check, which names it.
      const want = substituteExtern(expected, this.map);
      const x = d === undefined ? this.implicit(want, [name]) : this.item(d, want, [name]);
      if (x === null) continue;
      out.set(name, x);
      this.bind(expected, x);
    }
    return out;
  }

  private bind(expected: ExternType, x: ComponentExtern): void {
    const actual = externTypeOf(x);
    bindResources(expected, actual, this.abstract, this.map);
    bindResources(expected, actual, this.abstract, this.map, true);
  }

  /**
   * What a name the linker does not define stands for without help: a type
   * that is not a resource is itself, and so is a resource the import binds
   * with `eq` to one already known (an earlier import bound it: WASI's
   * `pollable` re-exported by wasi:clocks, a world's `use`d
   * `output-stream`). Only a fresh abstract resource (`sub resource`) needs
   * a definition.
   */
  private implicit(expected: ExternType, _path: string[]): ComponentExtern | null {
    if (expected.kind !== 'type') return null;
    if (!(expected.type instanceof ResourceTypeObject) || !this.abstract.has(expected.type)) return { kind: 'type', value: expected.type };
    return null;
  }

  private fail(path: string[], detail: string): never {
    const top = path[0]!;
    const kind = this.component.type.imports.get(top)?.kind ?? 'item';
    const head = `component imports ${kind} \`${top}\`, but a matching implementation was not found in the linker`;
    throw new LinkError(`${head}\n${path.length > 1 ? `\`${path.slice(1).join('#')}\` of instance \`${top}\`` : `\`${top}\``}: ${detail}`);
  }

  private item(d: Definition<T>, expected: ExternType, path: string[]): ComponentExtern {
    const wantKind = expected.kind === 'type' && expected.type instanceof ResourceTypeObject ? 'resource' : expected.kind;
    if (d.kind === 'whole-instance') {
      // Type-checked by the runtime against the import, in wasmtime's words.
      if (d.instance.store !== this.store) this.fail(path, 'the linker defines it as an instance of another store');
      return { kind: 'instance', value: d.instance.handle };
    }
    if (KIND_WORD[d.kind] !== wantKind) this.fail(path, `expected a ${wantKind}, the linker defines a ${KIND_WORD[d.kind]}`);
    switch (d.kind) {
      case 'func': return { kind: 'func', value: this.hostFunc(d, (expected as { type: FuncType }).type, path) };
      case 'resource': {
        if (!this.dryRun && (resourceImpl(d.type) === undefined || resourceImpl(d.type)!.impl === null)) {
          const store = this.store;
          const dtor = d.dtor;
          defineResource(d.type, null, dtor === null ? null : (rep) => dtor(rep, store));
        }
        return { kind: 'type', value: d.type };
      }
      case 'instance': return { kind: 'instance', value: { exports: this.instanceExports(d.node, (expected as { type: InstanceType }).type, path) } };
      case 'module': return { kind: 'module', value: d.module };
      case 'component': return { kind: 'component', value: new ComponentDefinition(d.component.ast, null, null, d.component.type) };
    }
  }

  private instanceExports(node: LinkerInstance<T>, t: InstanceType, path: string[]): Map<string, ComponentExtern> {
    const out = new Map<string, ComponentExtern>();
    for (const [name, e] of t.exports) {
      const p = [...path, name];
      const d = node.defs.get(name);
      const expected = substituteExtern(e, this.map);
      let x: ComponentExtern | null;
      if (d === undefined) {
        x = this.implicit(expected, p);
        if (x === null) {
          const what = expected.kind === 'type' ? 'resource' : expected.kind;
          this.fail(p, `the linker's instance \`${path.join('#')}\` defines no ${what} \`${name}\``);
        }
      } else {
        x = this.item(d, expected, p);
      }
      out.set(name, x);
      this.bind(e, x);
    }
    return out;
  }

  private hostFunc(d: Extract<Definition<T>, { kind: 'func' }>, type: FuncType, path: string[]): ComponentFunc {
    const name = path.join('#');
    if (d.mode === 'wrap') {
      if (d.signature !== null) {
        const why = signatureMismatch(d.signature, type);
        if (why !== null) this.fail(path, `the host function is declared ${formatSignature(d.signature)}, the import has type ${formatSignature(type)}: ${why}`);
      } else if (d.fn.length > type.params.length) {
        this.fail(path, `the host function takes ${d.fn.length} parameters, the import ${type.params.length} (type ${formatSignature(type)})`);
      }
    }
    const store = this.store;
    const results = (r: unknown): ComponentValue[] => {
      if (d.mode === 'new') {
        if (!Array.isArray(r) || r.length !== (type.result === null ? 0 : 1)) {
          throw new TypeError(`host function \`${name}\` must return a list of ${type.result === null ? 'no values' : 'one value'}, got ${String(r)}`);
        }
        return r as ComponentValue[];
      }
      // A function without a result returns nothing: a value is a mistake
      // of the host (a result meant for another type, or a function bound
      // to the wrong import), refused as a missing result is.
      if (type.result === null) {
        if (r !== undefined) throw new TypeError(`host function \`${name}\` returned a value (${typeof r === 'object' && r !== null ? describeValue(r) : `${typeof r} ${String(r).slice(0, 40)}`}), but its type ${formatSignature(type)} has no result (return nothing)`);
        return [];
      }
      if (r === undefined) throw new TypeError(`host function \`${name}\` returned nothing, but its type ${formatSignature(type)} has a result`);
      return [r as ComponentValue];
    };
    const run = (args: ComponentValue[], context: HostCallContext<T> = new HostCall(store, type, name)): unknown => {
      switch (d.mode) {
        case 'wrap': return (d.fn as (this: HostCallContext<T>, ...a: ComponentValue[]) => unknown).apply(context, args);
        case 'new': return d.fn(args, context);
        case 'stub': {
          if (d.stub === 'trap' || type.result === null) {
            if (d.stub === 'trap') trap(`import \`${name}\` is a stub and was called (it has no implementation)`);
            return undefined;
          }
          const z = zeroValue(type.result);
          if (z === null) trap(`import \`${name}\` is a stub returning zero values, but ${noZeroValue(type.result)}`);
          return z;
        }
      }
    };
    const func: ComponentFunc = {
      type,
      name,
      acceptsStringHints: false,
      *invoke(onStart, onResolve) {
        const call = new HostCall(store, type, name);
        let waiting: boolean;
        try {
          waiting = invokeHost(onStart, onResolve, call);
        } catch (e) {
          throw hostFailure(name, e);
        }
        // The guest may cancel a call that waits: the host function's signal aborts.
        return waiting ? () => abortHostCall(call) : null;
      },
    };
    /** Runs the host function; true when its result is a Promise the call waits for. */
    const invokeHost = (onStart: () => ComponentValue[], onResolve: (r: ComponentValue[] | null) => void, call: HostCall<T>): boolean => store.withHostcallFuel(() => {
      const r = run(onStart(), call);
      if (isThenable(r)) {
        // Interpreted core code in an async call (Func.call) waits for
        // it; lowering its result later spends what is left of this
        // call's hostcall fuel.
        const fuel = store.hostcallFuelScope(store.canon.hostcallFuel);
        const failing = Promise.resolve(r).catch((e: unknown) => {
          if (call.aborted) return CANCELLED;
          throw hostFailure(name, e);
        });
        failing.catch(() => {}); // handled by whoever waits for it, or by nobody (below)
        const resume = (value: unknown): void => {
          try {
            if (value === CANCELLED) onResolve(null);
            else fuel(() => resolveNamingTheFunction(name, type, () => onResolve(results(value))));
          } catch (e) {
            throw hostFailure(name, e);
          }
        };
        if (suspendHostCall(failing, resume)) return true;
        // Nobody will wait for it: keep its rejection from going unhandled.
        Promise.resolve(r).catch(() => {});
        throw new Error(`host function \`${name}\` returned a Promise, but it was called from core wasm that cannot wait for it: only core code that can be suspended (the interpreter, or the native engine where the host has JS Promise Integration) in a call made with Func.call can wait; Func.callSync needs the result synchronously`);
      }
      resolveNamingTheFunction(name, type, () => onResolve(results(r)));
      return false;
    });
    hostBindings.set(func, { run: async (args) => results(await run(args)) });
    return func;
  }
}

/**
 * What a host function's failure (a thrown error, a rejected Promise, a
 * result of the wrong type) becomes for the guest that called it: a trap,
 * since it unwinds the guest's frames, so the instance is left as a trap
 * leaves it (not re-enterable), as in wasmtime. The host's own error is the
 * trap's `cause`, where the embedder finds it again (an exit request, say).
 * A trap (a stub's, a nested guest's) passes through unchanged.
 */
function hostFailure(name: string, e: unknown): unknown {
  if (e instanceof Trap) return e;
  const text = e instanceof Error ? e.message : String(e);
  // Errors of cmr's own about the host function already name it.
  const message = text.startsWith(`host function \`${name}\``) ? text : `host function \`${name}\` failed: ${text}`;
  return new Trap(message, { cause: e });
}

/**
 * Lowers a host function's result (`resolve`); a value of the wrong type is
 * a TypeError naming the function and its type, since the value's own
 * message ("expected a u32 …") does not say where it came from.
 */
function resolveNamingTheFunction(name: string, type: FuncType, resolve: () => void): void {
  try {
    resolve();
  } catch (e) {
    if (e instanceof TypeError && !e.message.startsWith(`host function \``)) {
      throw new TypeError(`host function \`${name}\` returned a value that does not match its type ${formatSignature(type)}: ${e.message}`, { cause: e });
    }
    throw e;
  }
}

/**
 * The cancellation of a host call that waits: its signal aborts. A
 * top-level generator, not one made per call (component/canon/canon.ts,
 * above syncLiftThread, says why).
 */
function* abortHostCall(call: { abort(): void }): Wait<void> {
  call.abort();
}
