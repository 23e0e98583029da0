// Prints a component's type in WIT-like text (WIT.md), for `cmr inspect`,
// and as JSON. Types print by the name they were imported or exported
// under where one is known; anonymous ones print structurally.
//
// Resource types are nominal: two imports of abstract resources are two
// different types even when they share a name (in two interfaces, say).
// The printer therefore gives every distinct resource its own display
// name — the name it was first imported or exported under, made unique
// with a `#n` suffix when another resource already took that name — and
// the JSON form numbers them, so identity is never lost in the output.

import { valTypeName, type ValType as CoreValType } from '../core/syntax/types.js';
import type { CoreFuncType, CoreMemType, CoreTableType } from './syntax/ast.js';
import {
  ResourceType, childValTypes, resourceName,
  type ComponentType, type CoreExternType, type DefinedType, type ExternType, type FuncType, type InstanceType, type ModuleType,
  type Type, type ValType,
} from './syntax/types.js';

// ---- naming --------------------------------------------------------------------

/** Display names for resources and named defined types, assigned in a first walk. */
export class TypeNames {
  private readonly resources = new Map<ResourceType, { name: string; index: number }>();
  private readonly defined = new Map<object, string>();
  private readonly taken = new Set<string>();

  /** The names for everything `t` mentions (call before printing `t`). */
  static of(t: ComponentType | ModuleType | InstanceType): TypeNames {
    const n = new TypeNames();
    if (t.kind !== 'module') n.walkExterns(t.kind === 'component' ? [...t.imports, ...t.exports] : [...t.exports]);
    return n;
  }

  /** Every resource named, in first-seen order (their JSON ids are the indices). */
  get resourceList(): { resource: ResourceType; name: string; index: number }[] {
    return [...this.resources].map(([resource, v]) => ({ resource, ...v }));
  }

  resource(r: ResourceType): string {
    return this.resourceEntry(r, null).name;
  }

  resourceIndex(r: ResourceType): number {
    return this.resourceEntry(r, null).index;
  }

  definedName(t: object): string | null {
    return this.defined.get(t) ?? null;
  }

  /**
   * The entry of `r`, made on first sight: named `preferred` (its export
   * name), or failing that, when the name is taken, `qualified` (the name
   * with the path of instances it sits in), then with a `#n` suffix.
   */
  private resourceEntry(r: ResourceType, preferred: string | null, qualified: string | null = null): { name: string; index: number } {
    let e = this.resources.get(r);
    if (e === undefined) {
      let base = preferred ?? r.name ?? 'resource';
      if (this.taken.has(base) && qualified !== null) base = qualified;
      let name = base;
      for (let k = 2; this.taken.has(name); k++) name = `${base}#${k}`;
      this.taken.add(name);
      e = { name, index: this.resources.size };
      this.resources.set(r, e);
    }
    return e;
  }

  /**
   * Walks externs in declaration order, depth first. Within one list the
   * type names come first, so a resource is called by its own name and not
   * by whatever mentions it first.
   */
  private walkExterns(items: Iterable<[string, ExternType]>, path = ''): void {
    const list = [...items];
    this.nameTypes(list, path);
    for (const [name, e] of list) this.walkExtern(e, path ? `${path}.${name}` : name);
  }

  /** Names the types of type externs, depth first in declaration order, instances included. */
  private nameTypes(list: [string, ExternType][], path: string): void {
    for (const [name, e] of list) {
      const here = path ? `${path}.${name}` : name;
      if (e.kind === 'instance') this.nameTypes([...e.type.exports], here);
      if (e.kind !== 'type') continue;
      if (e.type instanceof ResourceType) this.resourceEntry(e.type, name, path ? here : null);
      else if (typeof e.type === 'object' && !this.defined.has(e.type)) this.defined.set(e.type, name);
    }
  }

  private walkExtern(e: ExternType, path: string): void {
    switch (e.kind) {
      case 'func': return this.walkFunc(e.type);
      case 'value': return this.walkVal(e.type);
      case 'type': return this.walkType(e.type);
      case 'instance': return this.walkExterns(e.type.exports, path);
      case 'component': return this.walkExterns([...e.type.imports, ...e.type.exports], path);
      case 'module': return;
    }
  }

  private walkType(t: Type): void {
    if (t instanceof ResourceType) { this.resourceEntry(t, null); return; }
    if (typeof t === 'string') return;
    switch (t.kind) {
      case 'func': return this.walkFunc(t);
      case 'instance': return this.walkExterns(t.exports);
      case 'component': return this.walkExterns([...t.imports, ...t.exports]);
      default: return this.walkVal(t);
    }
  }

  private walkFunc(f: FuncType): void {
    for (const p of f.params) this.walkVal(p.type);
    if (f.result !== null) this.walkVal(f.result);
  }

  private walkVal(v: ValType): void {
    if (typeof v === 'string') return;
    if (v.kind === 'own' || v.kind === 'borrow') this.resourceEntry(v.resource, null);
    for (const c of childValTypes(v)) this.walkVal(c);
  }
}

// ---- value and function types -----------------------------------------------------

/** A value type in WIT syntax; named records, variants, ... print by name when `names` knows them. */
export function valTypeToWit(t: ValType, names: TypeNames | null = null, top = true): string {
  if (typeof t === 'string') return t;
  const named = names?.definedName(t);
  if (named && !top) return named;
  const v = (x: ValType) => valTypeToWit(x, names, false);
  const res = (r: ResourceType) => (names ? names.resource(r) : resourceName(r));
  switch (t.kind) {
    case 'list': return t.length === null ? `list<${v(t.elem)}>` : `list<${v(t.elem)}, ${t.length}>`;
    case 'tuple': return `tuple<${t.types.map(v).join(', ')}>`;
    case 'option': return `option<${v(t.type)}>`;
    case 'result': {
      if (t.ok === null && t.err === null) return 'result';
      if (t.err === null) return `result<${v(t.ok!)}>`;
      return `result<${t.ok === null ? '_' : v(t.ok)}, ${v(t.err)}>`;
    }
    case 'own': return res(t.resource);
    case 'borrow': return `borrow<${res(t.resource)}>`;
    case 'stream': case 'future': return t.elem === null ? t.kind : `${t.kind}<${v(t.elem)}>`;
    case 'map': return `map<${v(t.key)}, ${v(t.value)}>`;
    case 'record': return `record { ${t.fields.map((f) => `${f.name}: ${v(f.type)}`).join(', ')} }`;
    case 'variant': return `variant { ${t.cases.map((c) => (c.type === null ? c.name : `${c.name}(${v(c.type)})`)).join(', ')} }`;
    case 'enum': return `enum { ${t.names.join(', ')} }`;
    case 'flags': return `flags { ${t.names.join(', ')} }`;
  }
}

export function funcToWit(f: FuncType, names: TypeNames | null = null): string {
  const params = f.params.map((p) => `${p.name}: ${valTypeToWit(p.type, names, false)}`).join(', ');
  return `${f.async ? 'async ' : ''}func(${params})${f.result === null ? '' : ` -> ${valTypeToWit(f.result, names, false)}`}`;
}

// ---- core types ---------------------------------------------------------------------

function coreTypes(ts: readonly CoreValType[]): string {
  return ts.map((t) => valTypeName(t)).join(', ');
}

export function coreFuncToText(f: CoreFuncType): string {
  const results = f.results.length === 0 ? '' : f.results.length === 1 ? ` -> ${coreTypes(f.results)}` : ` -> (${coreTypes(f.results)})`;
  return `func(${coreTypes(f.params)})${results}`;
}

function limits(min: bigint, max: bigint | null): string {
  return max === null ? `${min}` : `${min} ${max}`;
}

function memToText(m: CoreMemType): string {
  return `memory ${m.memory64 ? 'i64 ' : ''}${limits(m.min, m.max)}${m.shared ? ' shared' : ''}${m.pageSizeLog2 !== null ? ` (pagesize ${2 ** m.pageSizeLog2})` : ''}`;
}

function tableToText(t: CoreTableType): string {
  return `table ${t.table64 ? 'i64 ' : ''}${limits(t.min, t.max)} ${valTypeName(t.elem)}`;
}

export function coreExternToText(e: CoreExternType): string {
  switch (e.kind) {
    case 'func': return coreFuncToText(e.type);
    case 'table': return tableToText(e.type);
    case 'memory': return memToText(e.type);
    case 'global': return `global ${e.type.mutable ? `mut ${valTypeName(e.type.type)}` : valTypeName(e.type.type)}`;
    case 'tag': return `tag(${coreTypes(e.type.params)})`;
  }
}

function moduleBody(t: ModuleType): string[] {
  return [
    ...t.imports.map((i) => `import ${JSON.stringify(i.module)} ${JSON.stringify(i.name)}: ${coreExternToText(i.type)};`),
    ...[...t.exports].map(([n, e]) => `export ${JSON.stringify(n)}: ${coreExternToText(e)};`),
  ];
}

/** A core module's type: its imports and exports with their core types. */
export function printModuleType(t: ModuleType): string {
  return block('module', moduleBody(t)) + '\n';
}

// ---- component types ---------------------------------------------------------------------

function indent(lines: string[]): string[] {
  return lines.map((l) => (l ? `  ${l}` : l));
}

function block(head: string, body: string[]): string {
  return body.length === 0 ? `${head} {}` : [`${head} {`, ...indent(body.join('\n').split('\n')), '}'].join('\n');
}

class Printer {
  constructor(readonly names: TypeNames) {}

  /** A type import or export (`dir` null inside an interface). */
  typeItem(name: string, t: Type): string {
    if (t instanceof ResourceType) {
      const shown = this.names.resource(t);
      return `resource ${shown};${shown !== name ? ` /* as ${name} */` : ''}`;
    }
    if (typeof t === 'string') return `type ${name} = ${t};`;
    switch (t.kind) {
      case 'func': return `type ${name} = ${funcToWit(t, this.names)};`;
      case 'instance': return block(`type ${name} = interface`, this.instanceBody(t));
      case 'component': return block(`type ${name} = component`, this.componentBody(t));
      case 'record': return `record ${name} { ${t.fields.map((f) => `${f.name}: ${valTypeToWit(f.type, this.names, false)}`).join(', ')} }`;
      case 'variant': return `variant ${name} { ${t.cases.map((c) => (c.type === null ? c.name : `${c.name}(${valTypeToWit(c.type, this.names, false)})`)).join(', ')} }`;
      case 'enum': return `enum ${name} { ${t.names.join(', ')} }`;
      case 'flags': return `flags ${name} { ${t.names.join(', ')} }`;
      default: return `type ${name} = ${valTypeToWit(t as DefinedType, this.names)};`;
    }
  }

  item(name: string, e: ExternType): string {
    switch (e.kind) {
      case 'func': return `${name}: ${funcToWit(e.type, this.names)};`;
      case 'type': return this.typeItem(name, e.type);
      case 'value': return `${name}: value ${valTypeToWit(e.type, this.names, false)};`;
      case 'module': return block(`${name}: core module`, moduleBody(e.type));
      case 'component': return block(`${name}: component`, this.componentBody(e.type));
      case 'instance': return block(`${name}: interface`, this.instanceBody(e.type));
    }
  }

  instanceBody(t: InstanceType): string[] {
    return [...t.exports].map(([n, e]) => this.item(n, e));
  }

  componentBody(t: ComponentType): string[] {
    return [
      ...[...t.imports].map(([n, e]) => `import ${this.item(n, e)}`),
      ...[...t.exports].map(([n, e]) => `export ${this.item(n, e)}`),
    ];
  }
}

/** A component type as a WIT-like `world`. */
export function printWit(t: ComponentType, worldName = 'root'): string {
  return block(`world ${worldName}`, new Printer(TypeNames.of(t)).componentBody(t)) + '\n';
}

// ---- JSON -------------------------------------------------------------------------------

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

class JsonWriter {
  constructor(readonly names: TypeNames) {}

  val(t: ValType): Json {
    if (typeof t === 'string') return t;
    const name = this.names.definedName(t);
    const v = (x: ValType | null) => (x === null ? null : this.val(x));
    const base: { [k: string]: Json } = { kind: t.kind };
    if (name !== null) base.name = name;
    switch (t.kind) {
      case 'record': base.fields = t.fields.map((f) => ({ name: f.name, type: v(f.type) })); break;
      case 'variant': base.cases = t.cases.map((c) => ({ name: c.name, type: v(c.type) })); break;
      case 'list': base.element = v(t.elem); if (t.length !== null) base.length = t.length; break;
      case 'tuple': base.types = t.types.map(v); break;
      case 'flags': case 'enum': base.names = [...t.names]; break;
      case 'option': base.type = v(t.type); break;
      case 'result': base.ok = v(t.ok); base.err = v(t.err); break;
      case 'own': case 'borrow': base.resource = this.names.resourceIndex(t.resource); break;
      case 'stream': case 'future': base.element = v(t.elem); break;
      case 'map': base.key = v(t.key); base.value = v(t.value); break;
    }
    return base;
  }

  func(f: FuncType): Json {
    return { kind: 'func', async: f.async, params: f.params.map((p) => ({ name: p.name, type: this.val(p.type) })), result: f.result === null ? null : this.val(f.result) };
  }

  type(t: Type): Json {
    if (t instanceof ResourceType) return { kind: 'resource', resource: this.names.resourceIndex(t) };
    if (typeof t === 'string') return t;
    switch (t.kind) {
      case 'func': return this.func(t);
      case 'instance': return { kind: 'instance', exports: this.externs(t.exports) };
      case 'component': return this.component(t);
      default: return this.val(t);
    }
  }

  extern(e: ExternType): Json {
    switch (e.kind) {
      case 'func': return this.func(e.type);
      case 'value': return { kind: 'value', type: this.val(e.type) };
      case 'type': return { kind: 'type', type: this.type(e.type) };
      case 'instance': return { kind: 'instance', exports: this.externs(e.type.exports) };
      case 'component': return this.component(e.type);
      case 'module': return moduleJson(e.type);
    }
  }

  externs(m: Map<string, ExternType>): Json {
    return [...m].map(([name, e]) => ({ name, ...(this.extern(e) as { [k: string]: Json }) }));
  }

  component(t: ComponentType): Json {
    return { kind: 'component', imports: this.externs(t.imports), exports: this.externs(t.exports) };
  }
}

function coreExternJson(e: CoreExternType): Json {
  switch (e.kind) {
    case 'func': case 'tag':
      return { kind: e.kind, params: e.type.params.map((x) => valTypeName(x)), results: e.type.results.map((x) => valTypeName(x)) };
    case 'global': return { kind: 'global', type: valTypeName(e.type.type), mutable: e.type.mutable };
    case 'memory': {
      const m = e.type;
      return { kind: 'memory', min: Number(m.min), max: m.max === null ? null : Number(m.max), shared: m.shared, memory64: m.memory64 };
    }
    case 'table': {
      const t = e.type;
      return { kind: 'table', element: valTypeName(t.elem), min: Number(t.min), max: t.max === null ? null : Number(t.max), table64: t.table64 };
    }
  }
}

/** A core module's type as JSON. */
export function moduleJson(t: ModuleType): Json {
  return {
    kind: 'module',
    imports: t.imports.map((i) => ({ module: i.module, name: i.name, type: coreExternJson(i.type) })),
    exports: [...t.exports].map(([name, e]) => ({ name, type: coreExternJson(e) })),
  };
}

/**
 * A component type as JSON: imports and exports in order, value types as
 * trees, and resources by number into `resources`, where each distinct
 * resource type appears once with its display name and whether the
 * component imports it (abstract, bound by an import) or defines it (fresh
 * for each instantiation).
 */
export function componentJson(t: ComponentType): Json {
  const names = TypeNames.of(t);
  const w = new JsonWriter(names);
  const body = w.component(t) as { [k: string]: Json };
  const imported = new Set(t.importedResources);
  const defined = new Set(t.definedResources);
  body.resources = names.resourceList.map((r) => ({
    id: r.index,
    name: r.name,
    origin: imported.has(r.resource) ? 'imported' : defined.has(r.resource) ? 'defined' : 'nested',
  }));
  return body;
}
