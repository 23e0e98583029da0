// Component validation (Explainer.md, Binary.md's validation notes): walks
// the definitions in order, building each index space as it goes, computing
// the type of every item and checking each use against it. The result is
// the component's type (imports and exports), which introspection reuses.
// Messages follow wasm-tools' wasmparser, which the suite's assert_invalid
// expects; an enclosing context goes on a line before the cause.

import { checkTypeSize } from './type-size.js';
import { DecodeError, ValidationError } from '../../core/errors.js';
import { I32, I64, compOf, type DefType } from '../../core/syntax/types.js';
import { heapOf, isConcrete, isRef, recordTypeSpace, typeIndexOf } from '../../core/syntax/reftypes.js';
import { validateModule } from '../../core/valid/validate.js';
import { compMatches } from '../../core/valid/def-types.js';
import { WASM_2_0, type CoreFeatures } from '../../core/syntax/feature-set.js';
import type {
  Alias, Component, CoreExternDesc, CoreFuncType, CoreInstanceExpr, CoreTypeDef, Decl, DefValTypeDef, ExternDesc, ExternName,
  InstanceExpr, ModuleDecl, Sort, TypeDef, ValTypeRef, Export,
} from '../syntax/ast.js';
import { sortName } from '../syntax/ast.js';
import {
  ResourceType, containsBorrow, childValTypes, isValType,
  type ComponentType, type CoreExternType, type CoreInstanceType, type CoreType, type DefinedType, type ExternType,
  type FuncType, type InstanceType, type ModuleType, type Type, type ValType,
} from '../syntax/types.js';
import { elemSize } from '../canon/layout.js';
import { validateCanon } from './canon.js';
import { moduleType } from './core-module.js';
import { coreTypeSpace, defineCoreGroup, moduleTypeSpace } from './core-types.js';
import { checkExternNames, checkLabel } from './externs.js';
import { Scope } from './scope.js';
import { substituteNamed } from './substitute-named.js';
import { typesIn } from './types-in.js';
import {
  bindResources, checkCoreExtern, type ResourceMap, checkExtern, fail, freshen, substituteExtern, withContext,
} from './subtype.js';

/** Validates `c`, throwing ValidationError; returns its type. */
/**
 * Validates a component and returns its type. `coreFeatures` are the core
 * features its embedded core modules may use (WebAssembly 2.0 by default).
 */
export function validateComponent(c: Component, coreFeatures: CoreFeatures = WASM_2_0): ComponentType {
  try {
    return new Validator(coreFeatures).component(c, null);
  } catch (e) {
    if (e instanceof ValidationError || e instanceof DecodeError) throw e;
    throw new ValidationError(`internal validator error: ${(e as Error)?.message ?? e}`);
  }
}

const MAX_TYPE_SIZE = 1 << 28;

export class Validator {
  /** `coreFeatures`: what embedded core modules may use beyond WebAssembly 2.0. */
  constructor(readonly coreFeatures: CoreFeatures = WASM_2_0) {}

  component(c: Component, parent: Scope | null): ComponentType {
    const s = new Scope('component', parent);
    for (const d of c.definitions) {
      const o = d.offset;
      switch (d.kind) {
        case 'coreModule': {
          try {
            validateModule(d.module, this.coreFeatures);
          } catch (e) {
            if (e instanceof ValidationError) throw new ValidationError(e.message, e.offset >= 0 ? e.offset + d.offset : d.offset);
            throw e;
          }
          const mt = moduleType(d.module);
          checkUniqueImports(mt, d.offset);
          s.coreModules.push(mt);
          break;
        }
        case 'coreInstance': this.coreInstance(s, d.instance, o); break;
        case 'coreType': this.defineCoreType(s, d.type, o); break;
        case 'component': s.components.push(this.component(d.component, s)); break;
        case 'instance': this.instance(s, d.instance, o); break;
        case 'alias': this.alias(s, d.alias, o); break;
        case 'type': s.types.push(sized(this.typeDef(s, d.type, o), o)); break;
        case 'canon': validateCanon(s, d.canon, o); break;
        case 'start': fail('support for component model `value`s is not enabled', o); break;
        case 'value': fail('support for component model `value`s is not enabled', o); break;
        case 'import': this.importDecl(s, d.import.name, d.import.desc, o); break;
        case 'export': this.exportDef(s, d.export, o); break;
      }
    }
    return this.scopeType(s);
  }

  /** The component type a finished scope denotes. */
  private scopeType(s: Scope): ComponentType {
    // Every resource reachable from the exports that the imports do not
    // bind is created by the component: fresh for each instantiation.
    const imported = new Set(s.importedResources);
    const defined: ResourceType[] = [...s.definedResources];
    const seen = new Set(defined);
    for (const e of s.exports.items.values()) {
      for (const r of resourcesIn(e)) if (!imported.has(r) && !seen.has(r)) { seen.add(r); defined.push(r); }
    }
    return { kind: 'component', imports: s.imports.items, exports: s.exports.items, importedResources: [...s.importedResources], definedResources: defined };
  }

  // ---- core definitions ------------------------------------------------------

  private coreInstance(s: Scope, e: CoreInstanceExpr, o: number): void {
    if (e.kind === 'instantiate') {
      const mt = s.coreModules[e.module];
      if (mt === undefined) fail(`unknown module ${e.module}: module index out of bounds`, o);
      const args = new Map<string, CoreInstanceType>();
      for (const a of e.args) {
        if (args.has(a.name)) fail(`duplicate module instantiation argument named \`${a.name}\``, o);
        const inst = s.coreInstances[a.instance];
        if (inst === undefined) fail(`unknown core instance ${a.instance}: instance index out of bounds`, o);
        args.set(a.name, inst);
      }
      for (const imp of mt.imports) {
        const inst = args.get(imp.module);
        if (inst === undefined) fail(`missing module instantiation argument named \`${imp.module}\``, o);
        const t = inst.exports.get(imp.name);
        if (t === undefined) fail(`module instantiation argument \`${imp.module}\` does not export an item named \`${imp.name}\``, o);
        withContext(`type mismatch for export \`${imp.name}\` of module instantiation argument \`${imp.module}\``, () => checkCoreExtern(t, imp.type, o));
      }
      s.coreInstances.push({ exports: mt.exports });
      return;
    }
    const exports = new Map<string, CoreExternType>();
    for (const x of e.exports) {
      if (exports.has(x.name)) fail(`export name \`${x.name}\` already defined`, o);
      exports.set(x.name, this.coreItem(s, x.sort, x.index, o));
    }
    s.coreInstances.push({ exports });
  }

  private coreItem(s: Scope, sort: string, i: number, o: number): CoreExternType {
    const get = <T>(space: T[], what: string, name = sort): T => {
      const t = space[i];
      if (t === undefined) fail(`unknown ${what} ${i}: ${name} index out of bounds`, o);
      return t;
    };
    switch (sort) {
      case 'func': return { kind: 'func', type: get(s.coreFuncs, 'function', 'function') };
      case 'table': return { kind: 'table', type: get(s.coreTables, 'table') };
      case 'memory': return { kind: 'memory', type: get(s.coreMems, 'memory') };
      case 'global': return { kind: 'global', type: get(s.coreGlobals, 'global') };
      case 'tag': return { kind: 'tag', type: get(s.coreTags, 'tag') };
      default: fail(`invalid core export sort \`${sort}\``, o);
    }
  }

  /**
   * Defines the core type(s) of a `core:deftype` in `s`: one type, or one
   * per member of a `rec` group.
   */
  defineCoreType(s: Scope, t: CoreTypeDef, o: number): void {
    for (const ct of this.coreTypeList(s, s.coreTypes, t, o)) s.coreTypes.push(ct);
  }

  /** The core types `t` defines, next in the core type index space `space` (of `s`, or of a module type). */
  coreTypeList(s: Scope, space: readonly CoreType[], t: CoreTypeDef, o: number): CoreType[] {
    switch (t.kind) {
      case 'func': return defineCoreGroup(space, [{ params: t.type.params, results: t.type.results }]);
      case 'sub': return gcTypes(space, [t.sub], o);
      case 'rec': return gcTypes(space, t.types, o);
      case 'module': return [this.moduleType(s, t.decls, o)];
    }
  }

  private moduleType(s: Scope, decls: ModuleDecl[], o: number): ModuleType {
    // A module type has its own, initially empty, core type index space.
    const types: CoreType[] = [];
    const mt: ModuleType = { kind: 'module', imports: [], exports: new Map() };
    const funcAt = (idx: number, at: number): CoreFuncType => {
      const ft = types[idx];
      if (ft === undefined) fail(`unknown type ${idx}: type index out of bounds`, at);
      if (ft.kind !== 'func') fail(`type index ${idx} is not a function type`, at);
      return ft.type;
    };
    // A global's or table's reference type may name one of the module
    // type's types; matching compares it by canonical identity, through
    // the type space recorded on (a copy of) its type, as core linking does.
    const withSpace = <T extends object>(t: T, v: number, at: number): T => {
      checkHeapIndex(v, types, types.length, at);
      if (!isRef(v) || !isConcrete(heapOf(v))) return t;
      const copy = { ...t };
      recordTypeSpace(copy, moduleTypeSpace(types));
      return copy;
    };
    const extern = (d: CoreExternDesc, at: number): CoreExternType => {
      if (d.kind === 'memory' && !d.type.memory64 && (d.type.min > 65536n || (d.type.max !== null && d.type.max > 65536n))) fail('memory size must be at most 65536 pages (4GiB)', at);
      switch (d.kind) {
        case 'func': return { kind: 'func', type: funcAt(d.typeIdx, at) };
        case 'tag': {
          const ft = funcAt(d.typeIdx, at);
          if (ft.results.length !== 0) fail('invalid exception type: non-empty tag result type', at);
          return { kind: 'tag', type: ft };
        }
        case 'table': return { kind: 'table', type: withSpace(d.type, d.type.elem, at) };
        case 'memory': return { kind: 'memory', type: d.type };
        case 'global': return { kind: 'global', type: withSpace(d.type, d.type.type, at) };
      }
    };
    for (const d of decls) {
      switch (d.kind) {
        case 'type':
          // Module types have no module types inside them (Binary.md): a
          // bare 0x50 that does not go on as a sub type reads as one, but
          // is not valid in this position.
          if (d.type.kind === 'module') fail('invalid leading byte (0x50) for core type: a module type cannot declare a module type', d.offset);
          for (const ct of this.coreTypeList(s, types, d.type, d.offset)) types.push(ct);
          break;
        case 'alias': {
          // count 0 is the module type itself; 1 the scope defining it, and so on.
          if (d.count === 0) {
            const ft = types[d.index];
            if (ft === undefined) fail(`unknown type ${d.index}: type index out of bounds`, d.offset);
            types.push(ft);
            break;
          }
          const target = outerScope(s, d.count - 1, d.offset);
          const ct = target.coreTypes[d.index];
          if (ct === undefined) fail(`unknown core type ${d.index}: type index out of bounds`, d.offset);
          if (ct.kind === 'module') fail('module types cannot be aliased into a module type', d.offset);
          types.push(ct);
          break;
        }
        case 'import': {
          mt.imports.push({ module: d.module, name: d.name, type: extern(d.desc, d.offset) });
          break;
        }
        case 'export': {
          if (mt.exports.has(d.name)) fail(`export name \`${d.name}\` already defined`, d.offset);
          mt.exports.set(d.name, extern(d.desc, d.offset));
          break;
        }
      }
    }
    checkUniqueImports(mt, o);
    return mt;
  }

  // ---- component instances --------------------------------------------------

  private instance(s: Scope, e: InstanceExpr, o: number): void {
    if (e.kind === 'instantiate') {
      const ct = s.components[e.component];
      if (ct === undefined) fail(`unknown component ${e.component}: component index out of bounds`, o);
      const args = new Map<string, ExternType>();
      const argKeys = new Map<string, string>();
      for (const a of e.args) {
        const key = a.name.toLowerCase();
        const prev = argKeys.get(key);
        if (prev !== undefined) fail(`instantiation argument \`${a.name}\` conflicts with previous argument \`${prev}\``, o);
        argKeys.set(key, a.name);
        args.set(a.name, this.itemType(s, a.sort, a.index, o));
      }
      s.instances.push(instantiate(ct, args, o));
      return;
    }
    const exports = new Map<string, ExternType>();
    const keys = new Map<string, string>();
    for (const x of e.exports) {
      const t = this.itemType(s, x.sort, x.index, o);
      checkExternNames(s, x.name, t, 'export', keys, o, false);
      exports.set(x.name.name, t);
    }
    s.instances.push({ kind: 'instance', exports, definedResources: [] });
  }

  /** The extern type of the item `index` of `sort` (what an export or argument supplies). */
  itemType(s: Scope, sort: Sort, index: number, o: number): ExternType {
    if (typeof sort !== 'string') {
      if (sort.core !== 'module') fail(`core ${sort.core} not valid here`, o);
      const m = s.coreModules[index];
      if (m === undefined) fail(`unknown module ${index}: module index out of bounds`, o);
      return { kind: 'module', type: m };
    }
    switch (sort) {
      case 'func': {
        const f = s.funcs[index];
        if (f === undefined) fail(`unknown function ${index}: function index out of bounds`, o);
        return { kind: 'func', type: f };
      }
      case 'value': {
        const v = s.values[index];
        if (v === undefined) fail(`unknown value ${index}: value index out of bounds`, o);
        return { kind: 'value', type: v };
      }
      case 'type': return { kind: 'type', type: typeAt(s, index, o) };
      case 'component': {
        const c = s.components[index];
        if (c === undefined) fail(`unknown component ${index}: component index out of bounds`, o);
        return { kind: 'component', type: c };
      }
      case 'instance': {
        const i = s.instances[index];
        if (i === undefined) fail(`unknown instance ${index}: instance index out of bounds`, o);
        return { kind: 'instance', type: i };
      }
    }
  }

  // ---- aliases ---------------------------------------------------------------

  private alias(s: Scope, a: Alias, o: number): void {
    switch (a.kind) {
      case 'export': {
        const inst = s.instances[a.instance];
        if (inst === undefined) fail(`unknown instance ${a.instance}: instance index out of bounds`, o);
        if (s.isType && a.sort !== 'type' && a.sort !== 'instance') fail('aliases in a component or instance type may only refer to types or instances', o);
        const t = inst.exports.get(a.name);
        if (t === undefined) fail(`instance ${a.instance} has no export named \`${a.name}\``, o);
        const want = typeof a.sort === 'string' ? a.sort : 'module';
        if (t.kind !== want) fail(`export \`${a.name}\` for instance ${a.instance} is not a ${want}`, o);
        pushItem(s, t);
        // The alias reaches the resource through the export's own name.
        if (t.kind === 'type' && t.alias !== undefined) s.typeAliases.set(s.types.length - 1, t.alias);
        return;
      }
      case 'coreExport': {
        if (s.isType) fail('aliases in a component or instance type may only refer to types or instances', o);
        const inst = s.coreInstances[a.instance];
        if (inst === undefined) fail(`unknown core instance ${a.instance}: instance index out of bounds`, o);
        const t = inst.exports.get(a.name);
        if (t === undefined) fail(`core instance ${a.instance} has no export named \`${a.name}\``, o);
        if (t.kind !== a.sort) fail(`export \`${a.name}\` for core instance ${a.instance} is not a ${a.sort === 'func' ? 'function' : a.sort}`, o);
        switch (t.kind) {
          case 'func': s.coreFuncs.push(t.type); break;
          case 'table': s.coreTables.push(t.type); break;
          case 'memory': s.coreMems.push(t.type); break;
          case 'global': s.coreGlobals.push(t.type); break;
          case 'tag': s.coreTags.push(t.type); break;
        }
        return;
      }
      case 'outer': {
        if (s.isType && a.sort !== 'type' && !(typeof a.sort !== 'string' && a.sort.core === 'type')) {
          fail('aliases in a component or instance type may only refer to types or instances', o);
        }
        const target = outerScope(s, a.count, o);
        if (typeof a.sort !== 'string') {
          if (a.sort.core === 'type') {
            const t = target.coreTypes[a.index];
            if (t === undefined) fail(`unknown core type ${a.index}: type index out of bounds`, o);
            s.coreTypes.push(t);
          } else {
            const m = target.coreModules[a.index];
            if (m === undefined) fail(`unknown module ${a.index}: module index out of bounds`, o);
            s.coreModules.push(m);
          }
          return;
        }
        if (a.sort === 'type') {
          const t = typeAt(target, a.index, o);
          // Crossing a component boundary with a type that carries resources
          // would let an inner component name an outer resource.
          if (a.count > 0 && crossesComponent(s, a.count) && carriesResources(t)) {
            fail('cannot alias outer type which transitively refers to resources not defined in the current component', o);
          }
          s.types.push(t);
          return;
        }
        if (a.sort === 'component') {
          const c = target.components[a.index];
          if (c === undefined) fail(`unknown component ${a.index}: component index out of bounds`, o);
          s.components.push(c);
          return;
        }
        fail(`invalid outer alias sort \`${sortName(a.sort)}\``, o);
      }
    }
  }

  // ---- types -----------------------------------------------------------------

  typeDef(s: Scope, t: TypeDef, o: number): Type {
    switch (t.kind) {
      case 'func': return this.funcType(s, t.params, t.result, t.async, o);
      case 'resource': {
        if (s.isType) fail('resources can only be defined within a concrete component', o);
        if (t.rep !== I32 && t.rep !== I64) fail('resources can only be represented by `i32` or `i64`', o);
        if (t.rep === I64) fail('resources with `i64` require the `cm64` feature to be enabled', o);
        if (t.dtor !== null) {
          const f = s.coreFuncs[t.dtor];
          if (f === undefined) fail(`unknown core function ${t.dtor}: function index out of bounds`, o);
          if (f.params.length !== 1 || f.params[0] !== t.rep || f.results.length !== 0) fail(`core function ${t.dtor} has wrong signature for a destructor`, o);
        }
        const r = new ResourceType(null, t.rep, t.dtor);
        s.localResources.add(r);
        s.ownResources.add(r);
        s.definedResources.push(r);
        return r;
      }
      case 'component': return this.componentType(s, t.decls, o);
      case 'instance': return this.instanceType(s, t.decls, o);
      default: {
        const d = this.defValType(s, t, o);
        if (typeof d !== 'string' && elemSize(d, 'i64') >= MAX_TYPE_SIZE) fail(`effective type size exceeds maximum byte size of ${MAX_TYPE_SIZE}`, o);
        return d;
      }
    }
  }

  valType(s: Scope, r: ValTypeRef, o: number): ValType {
    if (typeof r === 'string') return r;
    const t = typeAt(s, r, o);
    if (!isValType(t)) fail(`type index ${r} is not a defined type`, o);
    return t;
  }

  private resourceAt(s: Scope, i: number, o: number): ResourceType {
    const t = typeAt(s, i, o);
    if (!(t instanceof ResourceType)) fail(`type index ${i} is not a resource type`, o);
    return t;
  }

  defValType(s: Scope, t: DefValTypeDef, o: number): ValType {
    const v = (r: ValTypeRef) => this.valType(s, r, o);
    const vo = (r: ValTypeRef | null) => (r === null ? null : v(r));
    switch (t.kind) {
      case 'prim': return t.type;
      case 'record': {
        if (t.fields.length === 0) fail('record type must have at least one field', o);
        const seen = new Map<string, string>();
        return { kind: 'record', fields: t.fields.map((f) => { checkLabel(f.name, 'record field', seen, o, 'field'); return { name: f.name, type: v(f.type) }; }) };
      }
      case 'variant': {
        if (t.cases.length === 0) fail('variant type must have at least one case', o);
        const seen = new Map<string, string>();
        return { kind: 'variant', cases: t.cases.map((c) => { checkLabel(c.name, 'variant case', seen, o, 'case'); return { name: c.name, type: vo(c.type) }; }) };
      }
      case 'list': {
        if (t.length === 0) fail('Fixed size lists must have more than zero elements', o);
        return { kind: 'list', elem: v(t.elem), length: t.length };
      }
      case 'tuple':
        if (t.types.length === 0) fail('tuple type must have at least one type', o);
        return { kind: 'tuple', types: t.types.map(v) };
      case 'flags': {
        if (t.names.length === 0) fail('flags must have at least one entry', o);
        if (t.names.length > 32) fail('cannot have more than 32 flags', o);
        const seen = new Map<string, string>();
        for (const n of t.names) checkLabel(n, 'flag', seen, o, 'flag');
        return { kind: 'flags', names: t.names };
      }
      case 'enum': {
        if (t.names.length === 0) fail('enum type must have at least one variant', o);
        const seen = new Map<string, string>();
        for (const n of t.names) checkLabel(n, 'enum tag', seen, o, 'tag');
        return { kind: 'enum', names: t.names };
      }
      case 'option': return { kind: 'option', type: v(t.type) };
      case 'result': return { kind: 'result', ok: vo(t.ok), err: vo(t.err) };
      case 'own': case 'borrow': {
        const resource = this.resourceAt(s, t.typeIdx, o);
        const alias = s.resourceAlias(t.typeIdx, resource);
        return alias === resource ? { kind: t.kind, resource } : { kind: t.kind, resource, alias };
      }
      case 'stream': case 'future': {
        const elem = vo(t.elem);
        if (t.kind === 'stream' && elem === 'char') fail('`stream<char>` is not valid at this time, use `stream<u8>` or `stream<string>` instead', o);
        if (elem !== null && containsBorrow(elem)) fail(`${t.kind} payload cannot contain a \`borrow\` type`, o);
        return { kind: t.kind, elem };
      }
      case 'map': return { kind: 'map', key: v(t.key), value: v(t.value) };
    }
  }

  funcType(s: Scope, params: { name: string; type: ValTypeRef }[], result: ValTypeRef | null, isAsync: boolean, o: number): FuncType {
    const seen = new Map<string, string>();
    const ps = params.map((p) => {
      checkLabel(p.name, 'function parameter', seen, o, 'parameter');
      return { name: p.name, type: this.valType(s, p.type, o) };
    });
    const r = result === null ? null : this.valType(s, result, o);
    if (r !== null && containsBorrow(r)) fail('function result cannot contain a `borrow` type', o);
    return { kind: 'func', async: isAsync, params: ps, result: r };
  }

  private componentType(parent: Scope, decls: Decl[], _o: number): ComponentType {
    const s = new Scope('componentType', parent);
    this.decls(s, decls);
    return this.scopeType(s);
  }

  private instanceType(parent: Scope, decls: Decl[], _o: number): InstanceType {
    const s = new Scope('instanceType', parent);
    this.decls(s, decls);
    return { kind: 'instance', exports: s.exports.items, definedResources: [...s.definedResources] };
  }

  private decls(s: Scope, decls: Decl[]): void {
    for (const d of decls) {
      switch (d.kind) {
        case 'coreType': this.defineCoreType(s, d.type, d.offset); break;
        case 'type': s.types.push(sized(this.typeDef(s, d.type, d.offset), d.offset)); break;
        case 'alias': this.alias(s, d.alias, d.offset); break;
        case 'import': this.importDecl(s, d.name, d.desc, d.offset); break;
        case 'export': this.exportDecl(s, d.name, d.desc, d.offset); break;
      }
    }
  }

  // ---- imports and exports ----------------------------------------------------

  /** The extern type an `externtype` denotes; `sub resource` makes a fresh resource. */
  private externType(s: Scope, name: string, d: ExternDesc, o: number): ExternType {
    switch (d.kind) {
      case 'module': {
        const t = s.coreTypes[d.typeIdx];
        if (t === undefined) fail(`unknown core type ${d.typeIdx}: type index out of bounds`, o);
        if (t.kind !== 'module') fail(`core type index ${d.typeIdx} is not a module type`, o);
        return { kind: 'module', type: t };
      }
      case 'func': {
        const t = typeAt(s, d.typeIdx, o);
        if (typeof t === 'string' || t.kind !== 'func') fail(`type index ${d.typeIdx} is not a function type`, o);
        return { kind: 'func', type: t };
      }
      case 'value': {
        if (d.bound.kind === 'eq') {
          const v = s.values[d.bound.valueIdx];
          if (v === undefined) fail(`unknown value ${d.bound.valueIdx}: value index out of bounds`, o);
          return { kind: 'value', type: v };
        }
        return { kind: 'value', type: this.valType(s, d.bound.type, o) };
      }
      case 'type': {
        if (d.bound.kind === 'subResource') return { kind: 'type', type: new ResourceType(name) };
        return { kind: 'type', type: typeAt(s, d.bound.typeIdx, o) };
      }
      case 'component': {
        const t = typeAt(s, d.typeIdx, o);
        if (typeof t === 'string' || t.kind !== 'component') fail(`type index ${d.typeIdx} is not a component type`, o);
        return { kind: 'component', type: t };
      }
      case 'instance': {
        const t = typeAt(s, d.typeIdx, o);
        if (typeof t === 'string' || t.kind !== 'instance') fail(`type index ${d.typeIdx} is not an instance type`, o);
        return { kind: 'instance', type: t };
      }
    }
  }

  private importDecl(s: Scope, name: ExternName, d: ExternDesc, o: number): void {
    this.externDecl(s, name, d, o, 'import');
  }

  private exportDecl(s: Scope, name: ExternName, d: ExternDesc, o: number): void {
    this.externDecl(s, name, d, o, 'export');
  }

  /**
   * An import or export declaration. A `sub resource` bound, and the
   * resources an instance type introduces, are fresh per declaration: an
   * import's become the scope's imported resources, an export's its defined
   * ones (two imports of one instance type do not share resources).
   */
  private externDecl(s: Scope, name: ExternName, d: ExternDesc, o: number, dir: 'import' | 'export'): void {
    const resources = dir === 'import' ? s.importedResources : s.definedResources;
    let t = this.externType(s, name.name, d, o);
    const subResource = d.kind === 'type' && d.bound.kind === 'subResource';
    if (t.kind === 'type' && t.type instanceof ResourceType && subResource) {
      resources.push(t.type);
      s.ownResources.add(t.type);
    }
    if (t.kind === 'instance' && t.type.definedResources.length > 0) {
      const m = freshen(t.type.definedResources);
      for (const r of m.values() as Iterable<ResourceType>) { resources.push(r); s.ownResources.add(r); }
      t = substituteNamed(t, m);
      (t.type as InstanceType).definedResources = [];
    }
    this.addExtern(s, name, t, dir, o, subResource);
  }


  private exportDef(s: Scope, e: Export, o: number): void {
    let t = this.itemType(s, e.sort, e.index, o);
    if (e.desc !== null) {
      const ascribed = this.externType(s, e.name.name, e.desc, o);
      withContext("ascribed type of export is not compatible with item's type", () => checkExtern(t, ascribed, o));
      // A `sub resource` ascription stands for the exported resource itself.
      if (!(ascribed.kind === 'type' && ascribed.type instanceof ResourceType && t.kind === 'type')) t = ascribed;
    }
    this.addExtern(s, e.name, t, 'export', o, false);
  }

  /**
   * Checks an import's or export's name and type, then adds it to its index
   * space. `created` is true when the extern itself introduces a fresh
   * resource (`sub resource`).
   */
  private addExtern(s: Scope, name: ExternName, t: ExternType, dir: 'import' | 'export', o: number, created: boolean): void {
    const names = dir === 'import' ? s.imports : s.exports;
    // A type export introduces a new type index; for defined types a new
    // identity, so that "is this type named?" can tell the two apart. For
    // an existing resource the new index is a new name of the same
    // resource: it gets its own alias token.
    if (t.kind === 'type' && typeof t.type !== 'string' && !(t.type instanceof ResourceType) && isValType(t.type)) {
      t = { kind: 'type', type: { ...t.type } as DefinedType };
    }
    pushItem(s, t);
    let token: object | null = null;
    if (t.kind === 'type' && t.type instanceof ResourceType) {
      if (t.type.name === null) t.type.name = name.name;
      token = created ? t.type : { aliasOf: t.type };
      if (!created) {
        s.typeAliases.set(s.types.length - 1, token);
        t = { kind: 'type', type: t.type, alias: token };
      }
    }
    if (!registerNamed(s, t, dir, name.name, true, token)) fail(`${t.kind} not valid to be used as ${dir}`, o);
    // What a component imports is supplied from outside, so it cannot
    // mention a resource the component itself defines.
    if (dir === 'import' && s.localResources.size > 0) {
      for (const r of resourcesIn(t)) if (s.localResources.has(r)) fail('local resource type found in imports', o);
    }
    checkExternNames(s, name, t, dir, names.keys, o, true);
    names.items.set(name.name, t);
  }
}

// ---- helpers -------------------------------------------------------------------

/**
 * Core modules in a component may not import one name twice: a component
 * supplies imports by two-level name, so duplicates could not be told apart.
 */
function checkUniqueImports(mt: ModuleType, o: number): void {
  const seen = new Set<string>();
  for (const i of mt.imports) {
    const key = `${i.module}:${i.name}`;
    if (seen.has(key)) fail(`duplicate import name \`${key}\``, o);
    seen.add(key);
  }
}

/** A defined type, refused when its effective size exceeds the budget (type-size.ts). */
function sized<T extends Type>(t: T, offset: number): T {
  checkTypeSize(t, offset);
  return t;
}

/**
 * WebAssembly 3.0 sub types, defined at the end of the core type index
 * space `space` (all members of a rec group at once). Checked: supertype
 * indices point before the type (at most one, not final, of the same
 * kind, whose composite type the sub type's matches), and type indices in
 * value types point into the space as it is after the group. Each type
 * gets its canonical identity (core-types.ts).
 */
function gcTypes(space: readonly CoreType[], subs: readonly DefType[], o: number): CoreType[] {
  const base = space.length;
  const subAt = (i: number): DefType | null => {
    if (i < base) {
      const t = space[i]!;
      return t.kind === 'module' ? null : t.type;
    }
    return subs[i - base] ?? null;
  };
  const checkVal = (v: number): void => checkHeapIndex(v, space, base + subs.length, o);
  subs.forEach((sub, k) => {
    const self = base + k;
    const supers = sub.supers ?? [];
    if (supers.length > 1) fail('multiple supertypes not supported', o);
    for (const x of supers) {
      if (x >= self) fail(`unknown type ${x}: type index out of bounds`, o);
      const sup = subAt(x);
      if (sup === null) fail(`type index ${x} is not a GC type`, o);
      if (sup.final !== false) fail('sub type cannot have a final super type', o);
      if (compOf(sup) !== compOf(sub)) fail('sub type must match super type', o);
    }
    sub.params.forEach(checkVal);
    sub.results.forEach(checkVal);
    sub.fields?.forEach((f) => checkVal(f.type));
  });
  const out = defineCoreGroup(space, subs);
  // The core's composite type matching, over canonical ids (a supertype may be an alias of another space's type).
  if (subs.some((sub) => (sub.supers?.length ?? 0) > 0)) {
    const types = coreTypeSpace(space, out);
    subs.forEach((sub, k) => {
      for (const x of sub.supers ?? []) if (!compMatches(types[base + k]!, types[x]!, types)) fail('sub type must match super type', o);
    });
  }
  return out;
}

/**
 * A core value (or packed storage) type's concrete heap type, if any, must
 * name a type below `end` of the core type index space `space` (indices
 * from `space.length` up are the rec group being defined), and never a
 * module type, which shares that space in a component.
 */
function checkHeapIndex(v: number, space: readonly CoreType[], end: number, o: number): void {
  if (!isRef(v) || !isConcrete(heapOf(v))) return;
  const x = typeIndexOf(heapOf(v));
  if (x >= end) fail(`unknown type ${x}: type index out of bounds`, o);
  if (x < space.length && space[x]!.kind === 'module') fail(`type index ${x} is a module type, not a heap type`, o);
}

export function typeAt(s: Scope, i: number, o: number): Type {
  const t = s.types[i];
  if (t === undefined) fail(`unknown type ${i}: type index out of bounds`, o);
  return t;
}

function outerScope(s: Scope, count: number, o: number): Scope {
  let t: Scope | null = s;
  for (let i = 0; i < count && t !== null; i++) t = t.parent;
  if (t === null) fail(`invalid outer alias count of ${count}`, o);
  return t;
}

/** Whether walking `count` scopes out of `s` leaves a concrete component. */
function crossesComponent(s: Scope, count: number): boolean {
  let t: Scope | null = s;
  for (let i = 0; i < count && t !== null; i++) {
    if (t.kind === 'component') return true;
    t = t.parent;
  }
  return false;
}

function carriesResources(t: Type): boolean {
  return resourcesIn({ kind: 'type', type: t }).size > 0;
}

/** Every resource mentioned in an extern type. */
export function resourcesIn(e: ExternType): Set<ResourceType> {
  const { defined, resources } = typesIn(e);
  const out = new Set<ResourceType>(resources);
  for (const v of defined) if (v.kind === 'own' || v.kind === 'borrow') out.add(v.resource);
  return out;
}

function pushItem(s: Scope, t: ExternType): void {
  switch (t.kind) {
    case 'module': s.coreModules.push(t.type); break;
    case 'func': s.funcs.push(t.type); break;
    case 'value': s.values.push(t.type); break;
    case 'type': s.types.push(t.type); break;
    case 'component': s.components.push(t.type); break;
    case 'instance': s.instances.push(t.type); break;
  }
}

/**
 * wasmparser's "all types named" rule: a record, variant, enum, flags or
 * resource used by an import (export) must itself have been imported
 * (exported) first, so bindings can name it. Registers the types the
 * extern names as it goes. Instance types are exempt (their names are
 * checked when the instance type is used).
 */
function registerNamed(s: Scope, t: ExternType, dir: 'import' | 'export', name: string | null, top: boolean, token: object | null = null): boolean {
  const names = dir === 'import' ? s.imports : s.exports;
  if (t.kind === 'type' && t.type instanceof ResourceType && top && name !== null) {
    names.resourceNames.set(token ?? t.type, name);
    names.allResourceNames.add(name);
  }
  if (s.kind === 'instanceType') return true;
  const set = names.named;
  const named = (v: ValType | null): boolean => {
    if (v === null || typeof v === 'string') return true;
    switch (v.kind) {
      case 'record': case 'variant': case 'enum': case 'flags': return set.has(v);
      case 'own': case 'borrow': return set.has(v.alias ?? v.resource);
      default: return childValTypes(v).every(named);
    }
  };
  const func = (f: FuncType) => f.params.every((p) => named(p.type)) && named(f.result);
  const instanceNamed = (i: InstanceType): boolean => [...i.exports.values()].every((x) => {
    switch (x.kind) {
      case 'func': return func(x.type);
      case 'value': return inDefined(x.type);
      case 'instance': return instanceNamed(x.type);
      case 'type': {
        const y = x.type;
        if (typeof y === 'string' || y instanceof ResourceType) return true;
        if (y.kind === 'func') return func(y);
        if (y.kind === 'instance') return instanceNamed(y);
        if (y.kind === 'component') return true;
        return inDefined(y);
      }
      default: return true;
    }
  });
  const inDefined = (v: ValType): boolean => (typeof v === 'string' ? true : (v.kind === 'own' || v.kind === 'borrow') ? set.has(v.alias ?? v.resource) : childValTypes(v).every(named));
  switch (t.kind) {
    case 'type': {
      const ty = t.type;
      let ok = true;
      if (ty instanceof ResourceType) ok = true;
      else if (typeof ty === 'string') ok = true;
      else if (ty.kind === 'func') ok = func(ty);
      else if (ty.kind === 'instance') ok = instanceNamed(ty);
      else if (ty.kind === 'component') ok = true;
      else ok = inDefined(ty);
      if (!ok) return false;
      if (typeof ty !== 'string') {
        // Import-named types are valid for export too.
        const key = ty instanceof ResourceType ? token ?? ty : ty;
        if (dir === 'import') { s.imports.named.add(key); s.exports.named.add(key); } else s.exports.named.add(key);
      }
      return true;
    }
    case 'instance': return [...t.type.exports.values()].every((x) => {
      // A resource the instance type exports under an `eq` name is named
      // by that name's token: the handle types inside the instance type
      // refer to it by that name, not by the resource it aliases.
      return registerNamed(s, x, dir, null, false, x.kind === 'type' ? x.alias ?? null : null);
    });
    case 'func': return func(t.type);
    case 'value': return named(t.type);
    default: return true;
  }
}

/** Instantiating a component type with `args`: its exports, resources substituted and freshened. */
export function instantiate(ct: ComponentType, args: Map<string, ExternType>, o: number): InstanceType {
  const map: ResourceMap = new Map();
  const abstract = new Set(ct.importedResources);
  for (const [name, expected] of ct.imports) {
    const actual = args.get(name);
    if (actual === undefined) fail(`missing import named \`${name}\``, o);
    bindResources(expected, actual, abstract, map);
    withContext(`type mismatch for import \`${name}\``, () => checkExtern(actual, substituteExtern(expected, map), o));
    // Once checked, an `eq`-bound type import stands for the type supplied.
    bindResources(expected, actual, abstract, map, true);
  }
  freshen(ct.definedResources, map);
  const exports = new Map<string, ExternType>();
  for (const [name, t] of ct.exports) exports.set(name, substituteNamed(t, map));
  return { kind: 'instance', exports, definedResources: [] };
}
