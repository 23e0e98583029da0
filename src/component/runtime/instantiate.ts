// Component instantiation (Explainer.md "Instance Definitions", "Alias
// Definitions", "Canonical Definitions"; the shape of wasmtime's walk over a
// component's initializers): the definitions run in order, each adding an
// item to one index space — core modules are instantiated on a core engine,
// `canon lift`/`canon lower` and the resource built-ins go through the
// canonical ABI engine (../canon), nested components are instantiated with
// their arguments, and the exports are read off the index spaces at the end.
//
// Types at run time. A component's types can mention resources, and each
// instantiation makes fresh resource types while imported ones stand for
// what the importer supplied. Rather than keep the validator's static types
// and a substitution, the walk evaluates every type definition again in a
// *type mirror*: a validator Scope whose index spaces hold this
// instantiation's types. A `(type (resource ...))` there is a new
// ResourceType; an imported or aliased type is the runtime type supplied;
// everything else is evaluated by the validator's own code from those, so a
// `canon lift` gets the FuncType with this instantiation's resources in it.
// The mirror also holds the core types of core items, which the validator's
// typing of `canon` needs (the core signature of a built-in).

import { LinkError, ValidationError } from '../../core/errors.js';
import { is64 } from '../../core/syntax/addr-type.js';
import { HostFunc, type FuncInst } from '../../core/runtime/func.js';
import type { TagInst } from '../../core/runtime/tag.js';
import type { GlobalInst } from '../../core/runtime/global.js';
import type { CoreEngine, ExternVal, ModuleInstance } from '../../core/runtime/instance.js';
import { resolveImports } from '../../core/runtime/link.js';
import type { MemoryInst } from '../../core/runtime/memory.js';
import type { TableInst } from '../../core/runtime/table.js';
import type { Module } from '../../core/syntax/ast.js';
import type {
  Alias, Canon, CanonOpt, Component, CoreInstanceExpr, CoreSort, CoreTypeDef, Definition, InstanceExpr, Sort, StringEncoding, TypeDef,
} from '../syntax/ast.js';
import { sortName } from '../syntax/ast.js';
import { ResourceType, type ComponentType, type CoreType, type ExternType, type FuncType, type Type, type ValType } from '../syntax/types.js';
import {
  canonicalOptions, canonLift, canonLower, CanonStore, ComponentInstance, defineResource,
  makeBuiltin, NotImplemented, resourceDropFunc, resourceNewFunc, resourceRepFunc, type CanonicalOptions, type ComponentFunc, type ComponentValue, type TraceHook,
} from '../canon/index.js';
import { validateCanon } from '../valid/canon.js';
import { moduleType } from '../valid/core-module.js';
import { Scope } from '../valid/scope.js';
import { instantiate as instantiateType, Validator } from '../valid/validate.js';
import {
  ComponentDefinition, ComponentInstanceHandle, externTypeOf, type ComponentExtern, type CoreModule, type InstanceValue,
} from './externs.js';

/**
 * Something a component needs that cmr cannot run yet (component values,
 * core stack switching on an engine without it). The harness reports it as
 * a skip with this message, never as a pass or a plain failure.
 */
export { NotImplemented };

export interface InstantiateOptions {
  /**
   * The canonical ABI store shared by every component instance made in this
   * instantiation (nested ones included): its `trace` hook sees every lift,
   * lower, realloc and handle-table change. A new store when absent.
   */
  store?: CanonStore;
  /** Sets `store.trace` (a convenience for the CLI's --trace). */
  trace?: TraceHook;
  /** The instance's name in traces and messages. */
  name?: string;
  /** The enclosing component instance, when this one is nested in a host-made one. */
  parent?: ComponentInstance | null;
  /**
   * Picks the engine for one core module (mixing engines within a
   * component); the `engine` argument otherwise.
   */
  engineFor?: (module: Module, bytes: Uint8Array) => CoreEngine;
}

/**
 * Instantiates the validated component `component`, whose type (from
 * validateComponent) is `type`, with `imports` by name. Checks every import
 * against its type before anything runs (LinkError). Core modules run on
 * `engine`. Traps in core start functions propagate as Trap.
 */
export async function instantiateComponent(
  component: Component,
  type: ComponentType,
  imports: Map<string, ComponentExtern>,
  engine: CoreEngine,
  options: InstantiateOptions = {},
): Promise<ComponentInstanceHandle> {
  checkImports(type, imports);
  const store = options.store ?? new CanonStore();
  if (options.trace !== undefined) store.trace = options.trace;
  const name = options.name ?? component.names?.component ?? 'component';
  const inst = new ComponentInstance(store, options.parent ?? null, name);
  const def = new ComponentDefinition(component, null, null, type);
  const exports = await new Instantiation(engine, options.engineFor ?? null).run(def, imports, inst);
  return new ComponentInstanceHandle(exports, inst);
}

/**
 * Checks `imports` against the component type's imports, as instantiating
 * the type would (Explainer.md "Instance Definitions": each argument must be
 * a subtype of its import, with imported resources bound to what is
 * supplied). Throws LinkError in the validator's words.
 */
export function checkImports(type: ComponentType, imports: Map<string, ComponentExtern>): void {
  const args = new Map<string, ExternType>();
  for (const name of type.imports.keys()) {
    const x = imports.get(name);
    if (x !== undefined) args.set(name, externTypeOf(x));
  }
  try {
    instantiateType(type, args, 0);
  } catch (e) {
    if (e instanceof ValidationError) throw linkError(type, e.message);
    throw e;
  }
}

/**
 * The validator's words for a failed instantiation, in wasmtime's Linker's
 * shape: "component imports <kind> `<name>`, but a matching implementation
 * was not found in the linker", then the cause on the lines after.
 */
function linkError(type: ComponentType, message: string): LinkError {
  const missing = /^missing import named `([^`]*)`/.exec(message);
  const mismatch = /^type mismatch for import `([^`]*)`\n?/.exec(message);
  const name = missing?.[1] ?? mismatch?.[1];
  const kind = name === undefined ? undefined : type.imports.get(name)?.kind;
  if (name === undefined || kind === undefined) return new LinkError(message);
  const head = `component imports ${kind} \`${name}\`, but a matching implementation was not found in the linker`;
  if (missing) return new LinkError(head);
  const cause = message.slice(mismatch![0].length);
  return new LinkError(`${head}\n${kind} \`${name}\` has the wrong type${cause ? `\n${cause}` : ''}`);
}

// ---- the walk ----------------------------------------------------------------------

/** The index spaces of one component being instantiated, plus its type mirror. */
class Frame {
  readonly coreModules: CoreModule[] = [];
  readonly coreInstances: Map<string, ExternVal>[] = [];
  readonly coreFuncs: FuncInst[] = [];
  readonly coreTables: TableInst[] = [];
  readonly coreMems: MemoryInst[] = [];
  readonly coreGlobals: GlobalInst[] = [];
  /** Core tags: the tag objects themselves (identities), never copies. */
  readonly coreTags: TagInst[] = [];
  readonly funcs: ComponentFunc[] = [];
  readonly values: { value: ComponentValue; type: ValType }[] = [];
  readonly components: ComponentDefinition[] = [];
  readonly instances: InstanceValue[] = [];
  /** The type mirror: `types` and `coreTypes` hold this instantiation's types, the core spaces their core types. */
  readonly mirror: Scope;
  readonly exports = new Map<string, ComponentExtern>();

  constructor(
    readonly component: Component,
    /** The frame the component was defined in (outer aliases reach it). */
    readonly enclosing: Frame | null,
    readonly inst: ComponentInstance,
  ) {
    this.mirror = new Scope('component', enclosing?.mirror ?? null);
  }

  /** A name from the component's name section, for traces. */
  nameOf(sort: string, index: number): string | null {
    return this.component.names?.sorts.get(sort)?.get(index) ?? null;
  }

  private exportedFuncNames: Map<number, string> | null = null;

  /**
   * A function's name for traces: the name section's, else the first name
   * the component exports it by (an `export`, or an instance of inline
   * exports, as an interface's functions are), else null. Toolchains
   * rarely name lifted functions, but always export them.
   */
  funcName(index: number): string | null {
    const named = this.nameOf('func', index);
    if (named !== null) return named;
    if (this.exportedFuncNames === null) {
      const m = new Map<number, string>();
      for (const d of this.component.definitions) {
        if (d.kind === 'export' && d.export.sort === 'func' && !m.has(d.export.index)) m.set(d.export.index, d.export.name.name);
        if (d.kind === 'instance' && d.instance.kind === 'exports') {
          for (const e of d.instance.exports) if (e.sort === 'func' && !m.has(e.index)) m.set(e.index, e.name.name);
        }
      }
      this.exportedFuncNames = m;
    }
    return this.exportedFuncNames.get(index) ?? null;
  }

  pushCoreFunc(f: FuncInst): void {
    this.coreFuncs.push(f);
    this.mirror.coreFuncs.push(f.type);
  }

  pushCore(x: ExternVal): void {
    switch (x.kind) {
      case 'func': this.pushCoreFunc(x.value); break;
      case 'table': {
        const t = x.value.type;
        this.coreTables.push(x.value);
        this.mirror.coreTables.push({ elem: t.elem, min: BigInt(x.value.size()), max: t.limits.max === null ? null : BigInt(t.limits.max), table64: is64(t) });
        break;
      }
      case 'memory': {
        const l = x.value.type.limits;
        this.coreMems.push(x.value);
        this.mirror.coreMems.push({ min: BigInt(x.value.size()), max: l.max === null ? null : BigInt(l.max), shared: x.value.type.shared === true, memory64: is64(x.value.type), pageSizeLog2: null });
        break;
      }
      case 'global':
        this.coreGlobals.push(x.value);
        this.mirror.coreGlobals.push(x.value.type);
        break;
      case 'tag':
        this.coreTags.push(x.value);
        this.mirror.coreTags.push(x.value.type);
        break;
    }
  }

  pushType(t: Type): void {
    this.mirror.types.push(t);
  }

  pushModule(m: CoreModule): void {
    this.coreModules.push(m);
    this.mirror.coreModules.push(moduleType(m.module));
  }

  /**
   * The mirror gets the component's type lazily: it is needed only when a
   * nested component reaches it by outer alias *and* its own type is asked
   * for, and computing it means validating the component again.
   */
  pushComponent(c: ComponentDefinition): void {
    this.components.push(c);
    this.mirror.components.push(new Proxy({} as ComponentType, {
      get: (_, p) => Reflect.get(c.type, p),
      has: (_, p) => Reflect.has(c.type, p),
    }));
  }

  /** Adds a component-sort item to its index space (imports, aliases and exports all do). */
  push(x: ComponentExtern): void {
    switch (x.kind) {
      case 'func': this.funcs.push(x.value); this.mirror.funcs.push(x.value.type); break;
      case 'instance': this.instances.push(x.value); break;
      case 'component': this.pushComponent(x.value); break;
      case 'module': this.pushModule(x.value); break;
      case 'type': this.pushType(x.value); break;
      case 'value': this.values.push({ value: x.value, type: x.type }); break;
    }
  }

  /** The item `index` of `sort`, as an import argument or export. */
  item(sort: Sort, index: number): ComponentExtern {
    const at = <T>(space: T[]): T => {
      const x = space[index];
      if (x === undefined) throw new Error(`instantiation: ${sortName(sort)} index ${index} out of bounds (the validator should have refused it)`);
      return x;
    };
    if (typeof sort !== 'string') {
      if (sort.core !== 'module') throw new Error(`instantiation: core ${sort.core} is not a component item`);
      return { kind: 'module', value: at(this.coreModules) };
    }
    switch (sort) {
      case 'func': return { kind: 'func', value: at(this.funcs) };
      case 'instance': return { kind: 'instance', value: at(this.instances) };
      case 'component': return { kind: 'component', value: at(this.components) };
      case 'type': return { kind: 'type', value: at(this.mirror.types) };
      case 'value': { const v = at(this.values); return { kind: 'value', value: v.value, type: v.type }; }
    }
  }

  coreItem(sort: CoreSort, index: number): ExternVal {
    const at = <T>(space: T[]): T => {
      const x = space[index];
      if (x === undefined) throw new Error(`instantiation: core ${sort} index ${index} out of bounds`);
      return x;
    };
    switch (sort) {
      case 'func': return { kind: 'func', value: at(this.coreFuncs) };
      case 'table': return { kind: 'table', value: at(this.coreTables) };
      case 'memory': return { kind: 'memory', value: at(this.coreMems) };
      case 'global': return { kind: 'global', value: at(this.coreGlobals) };
      case 'tag': return { kind: 'tag', value: at(this.coreTags) };
      default: throw new Error(`instantiation: core ${sort} is not a core instance export`);
    }
  }

  outer(count: number): Frame {
    let f: Frame | null = this;
    for (let i = 0; i < count && f !== null; i++) f = f.enclosing;
    if (f === null) throw new Error(`instantiation: outer alias count ${count} leaves the outermost component`);
    return f;
  }
}

/**
 * A resource gets the first name it is exported under, at the top level or
 * inside an instance of exports, for traces, the debugger and messages
 * (resourceName).
 */
function nameResource(x: ComponentExtern, name: string): void {
  if (x.kind === 'type' && x.value instanceof ResourceType && x.value.name === null) x.value.name = name;
}

class Instantiation {
  private readonly validator = new Validator();

  constructor(private readonly engine: CoreEngine, private readonly engineFor: InstantiateOptions['engineFor'] | null) {}

  /** Walks `def`'s definitions with `args` for its imports; returns its exports. */
  async run(def: ComponentDefinition, args: Map<string, ComponentExtern>, inst: ComponentInstance): Promise<Map<string, ComponentExtern>> {
    const f = new Frame(def.component, def.enclosing as Frame | null, inst);
    for (const d of def.component.definitions) await this.definition(f, d, args);
    return f.exports;
  }

  private async definition(f: Frame, d: Definition, args: Map<string, ComponentExtern>): Promise<void> {
    switch (d.kind) {
      case 'coreModule': f.pushModule({ module: d.module, bytes: d.bytes }); return;
      case 'coreInstance': return this.coreInstance(f, d.instance);
      case 'coreType': f.mirror.coreTypes.push(...this.coreTypes(f, d.type, d.offset)); return;
      case 'component': f.pushComponent(new ComponentDefinition(d.component, f, f.mirror)); return;
      case 'instance': return this.instance(f, d.instance);
      case 'alias': return this.alias(f, d.alias);
      case 'type': return this.typeDefinition(f, d.type, d.offset);
      case 'canon': return this.canon(f, d.canon, d.offset);
      case 'start': case 'value':
        throw new NotImplemented('component values and start functions are not supported (nor enabled in the validator)');
      case 'import': {
        const x = args.get(d.import.name.name);
        if (x === undefined) throw new LinkError(`missing import named \`${d.import.name.name}\``);
        if (x.kind !== d.import.desc.kind) throw new LinkError(`import \`${d.import.name.name}\`: expected a ${d.import.desc.kind}, found a ${x.kind}`);
        f.push(x);
        return;
      }
      case 'export': {
        const x = f.item(d.export.sort, d.export.index);
        nameResource(x, d.export.name.name);
        f.push(x);
        f.exports.set(d.export.name.name, x);
        return;
      }
    }
  }

  // ---- core definitions ---------------------------------------------------------------

  private async coreInstance(f: Frame, e: CoreInstanceExpr): Promise<void> {
    if (e.kind === 'exports') {
      const exports = new Map<string, ExternVal>();
      for (const x of e.exports) exports.set(x.name, f.coreItem(x.sort, x.index));
      f.coreInstances.push(exports);
      return;
    }
    const m = f.coreModules[e.module]!;
    const byName = new Map<string, Map<string, ExternVal>>();
    for (const a of e.args) byName.set(a.name, f.coreInstances[a.instance]!);
    // The validator checked the arguments against the module's imports;
    // linking checks them again at run time, in core linking's words.
    const imports = resolveImports(m.module, (mod, name) => byName.get(mod)?.get(name));
    const engine = this.engineFor?.(m.module, m.bytes) ?? this.engine;
    const inst: ModuleInstance = await engine.instantiate(m.module, m.bytes, imports);
    f.coreInstances.push(inst.exports);
  }

  private coreTypes(f: Frame, t: CoreTypeDef, o: number): CoreType[] {
    // Core types never mention resources: the validator's reading of them
    // is the run-time one (one type, or one per member of a rec group).
    return this.validator.coreTypeList(f.mirror, f.mirror.coreTypes, t, o);
  }

  // ---- component instances -------------------------------------------------------------

  private async instance(f: Frame, e: InstanceExpr): Promise<void> {
    if (e.kind === 'exports') {
      const exports = new Map<string, ComponentExtern>();
      for (const x of e.exports) {
        const item = f.item(x.sort, x.index);
        nameResource(item, x.name.name);
        exports.set(x.name.name, item);
      }
      f.instances.push({ exports });
      return;
    }
    const def = f.components[e.component]!;
    const args = new Map<string, ComponentExtern>();
    for (const a of e.args) args.set(a.name, f.item(a.sort, a.index));
    const index = f.instances.length;
    const name = `${f.inst.name}/${f.nameOf('instance', index) ?? def.component.names?.component ?? `instance${index}`}`;
    // A nested instance's canonical state has the enclosing one as parent:
    // entering the child enters the parent too (CanonicalABI.md
    // "Component Instances", reentrance).
    const child = new ComponentInstance(f.inst.store, f.inst, name);
    const exports = await this.run(def, args, child);
    f.instances.push(new ComponentInstanceHandle(exports, child));
  }

  // ---- aliases -------------------------------------------------------------------------------

  private alias(f: Frame, a: Alias): void {
    switch (a.kind) {
      case 'coreExport': {
        const x = f.coreInstances[a.instance]!.get(a.name);
        if (x === undefined) {
          throw new Error(`instantiation: core instance ${a.instance} has no export "${a.name}"`);
        }
        f.pushCore(x);
        return;
      }
      case 'export': {
        const x = f.instances[a.instance]!.exports.get(a.name);
        if (x === undefined) throw new Error(`instantiation: instance ${a.instance} has no export "${a.name}"`);
        f.push(x);
        return;
      }
      case 'outer': {
        const target = f.outer(a.count);
        if (typeof a.sort !== 'string') {
          if (a.sort.core === 'type') f.mirror.coreTypes.push(target.mirror.coreTypes[a.index]!);
          else f.pushModule(target.coreModules[a.index]!);
          return;
        }
        if (a.sort === 'type') f.pushType(target.mirror.types[a.index]!);
        else if (a.sort === 'component') f.pushComponent(target.components[a.index]!);
        else throw new Error(`instantiation: outer alias of a ${a.sort}`);
        return;
      }
    }
  }

  // ---- types ---------------------------------------------------------------------------------

  private typeDefinition(f: Frame, t: TypeDef, o: number): void {
    if (t.kind === 'resource') {
      // Every instantiation defines its own resource type (Explainer.md
      // "Resource types": generative), implemented by this instance.
      const rt = new ResourceType(null, t.rep, t.dtor);
      defineResource(rt, f.inst, t.dtor === null ? null : f.coreFuncs[t.dtor]!);
      f.mirror.localResources.add(rt);
      f.mirror.definedResources.push(rt);
      f.pushType(rt);
      return;
    }
    f.pushType(this.validator.typeDef(f.mirror, t, o));
  }

  // ---- canonical definitions -------------------------------------------------------------------

  private canon(f: Frame, c: Canon, o: number): void {
    switch (c.kind) {
      case 'lift': {
        const core = f.coreFuncs[c.coreFunc!]!;
        const ft = f.mirror.types[c.typeIdx!] as FuncType;
        const opts = this.options(f, c.options ?? []);
        const name = f.funcName(f.funcs.length) ?? `func${f.funcs.length}`;
        const func = canonLift(core, ft, opts, f.inst, name);
        f.funcs.push(func);
        f.mirror.funcs.push(ft);
        return;
      }
      case 'lower': {
        const callee = f.funcs[c.func!]!;
        const opts = this.options(f, c.options ?? []);
        f.pushCoreFunc(canonLower(callee, callee.type, opts, f.inst, callee.name));
        return;
      }
      case 'resource.new': f.pushCoreFunc(resourceNewFunc(this.resource(f, c.typeIdx!), f.inst)); return;
      case 'resource.drop': f.pushCoreFunc(resourceDropFunc(this.resource(f, c.typeIdx!), f.inst)); return;
      case 'resource.rep': f.pushCoreFunc(resourceRepFunc(this.resource(f, c.typeIdx!), f.inst)); return;
      default:
        f.pushCoreFunc(this.asyncBuiltin(f, c, o));
    }
  }

  private resource(f: Frame, i: number): ResourceType {
    const t = f.mirror.types[i];
    if (!(t instanceof ResourceType)) throw new Error(`instantiation: type ${i} is not a resource`);
    return t;
  }

  /** A built-in of the async canonical ABI (canon/builtins.ts), with its immediates resolved. */
  private asyncBuiltin(f: Frame, c: Canon, o: number): HostFunc {
    // The validator's typing of `canon` gives the built-in's core signature.
    validateCanon(f.mirror, c, o);
    const type = f.mirror.coreFuncs.pop()!;
    const t = c.typeIdx === undefined ? undefined : f.mirror.types[c.typeIdx];
    const payload = t !== undefined && typeof t !== 'string' && (t.kind === 'stream' || t.kind === 'future') ? (t as { elem: ValType | null }).elem : null;
    const result = c.result === undefined || c.result === null ? null
      : typeof c.result === 'string' ? c.result as ValType : f.mirror.types[c.result] as ValType;
    const ct = c.funcTypeIdx === undefined ? undefined : f.mirror.coreTypes[c.funcTypeIdx];
    return makeBuiltin({
      kind: c.kind,
      inst: f.inst,
      type,
      opts: this.options(f, c.options ?? []),
      payload,
      result,
      cancellable: c.cancellable ?? false,
      async: c.async ?? false,
      memory: c.memory === undefined ? null : f.coreMems[c.memory]!,
      table: c.table === undefined ? null : f.coreTables[c.table]!,
      funcType: ct !== undefined && ct.kind === 'func' ? ct.type : null,
      slot: c.slot ?? 0,
    });
  }

  private options(f: Frame, opts: CanonOpt[]): CanonicalOptions {
    let stringEncoding: StringEncoding = 'utf8';
    let memory: MemoryInst | null = null;
    let realloc: FuncInst | null = null;
    let postReturn: FuncInst | null = null;
    let callback: FuncInst | null = null;
    let isAsync = false;
    for (const opt of opts) {
      switch (opt.kind) {
        case 'string-encoding': stringEncoding = opt.encoding; break;
        case 'memory': memory = f.coreMems[opt.index]!; break;
        case 'realloc': realloc = f.coreFuncs[opt.index]!; break;
        case 'post-return': postReturn = f.coreFuncs[opt.index]!; break;
        case 'callback': callback = f.coreFuncs[opt.index]!; break;
        case 'async': isAsync = true; break;
        case 'core-type': case 'gc': throw new NotImplemented('the `gc` canonical options are not supported');
      }
    }
    // cmr's core engines have 32-bit memories only, so pointers are i32.
    return canonicalOptions({ stringEncoding, memory, ptrType: 'i32', realloc, postReturn, async: isAsync, callback });
  }
}
