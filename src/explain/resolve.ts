// Where a component's function comes from, read statically off its
// definitions: the `canon lift` behind an export (following aliases,
// exported instances and nested component instantiations, whose imports
// are bound to the instantiating component's items), the import behind a
// `canon lower`, and the core items its canonical options name. Nothing is
// instantiated and no code runs: `cmr explain` shows the plan, not a call.
//
// Index spaces follow Explainer.md: every definition of a sort (a `canon`,
// an alias, an import, an export, an inline instance, ...) appends one
// index to that sort's space, in definition order; `alias outer` reaches
// the enclosing component's spaces.

import type { Canon, Component, CoreSort, Definition, Sort } from '../component/syntax/ast.js';

type SpaceName = 'func' | 'instance' | 'component' | 'value' | 'type' | `core ${CoreSort}`;

function spaceOf(s: Sort): SpaceName {
  return typeof s === 'string' ? s : `core ${s.core}`;
}

/** One component's index spaces, as one instantiation of it sees them. */
export class Env {
  private readonly spaces = new Map<SpaceName, Definition[]>();

  constructor(
    readonly component: Component,
    /** The component it is nested in (for `alias outer`), null at the root. */
    readonly parent: Env | null,
    /** The items an `instantiate` binds to its imports, by import name; null at the root (imports are the host's). */
    readonly args: Map<string, Ref> | null,
    /** Where this instantiation sits, for messages: '' at the root. */
    readonly where: string,
  ) {
    for (const d of component.definitions) {
      const space = definedSpace(d);
      if (space === null) continue;
      let list = this.spaces.get(space);
      if (!list) this.spaces.set(space, (list = []));
      list.push(d);
    }
  }

  at(space: SpaceName, index: number): Definition {
    const d = this.spaces.get(space)?.[index];
    if (d === undefined) throw new Error(`${this.where || 'the component'} has no ${space} ${index}`);
    return d;
  }
}

/** The index space a definition adds to, if any. */
function definedSpace(d: Definition): SpaceName | null {
  switch (d.kind) {
    case 'coreModule': return 'core module';
    case 'coreInstance': return 'core instance';
    // Core types are not followed (a rec group would add several indices).
    case 'coreType': return null;
    case 'component': return 'component';
    case 'instance': return 'instance';
    case 'alias': return spaceOf(d.alias.kind === 'coreExport' ? { core: d.alias.sort } : d.alias.sort);
    case 'type': return 'type';
    // `canon lift` defines a component function; every other canon (lower
    // and the built-ins) a core function.
    case 'canon': return d.canon.kind === 'lift' ? 'func' : 'core func';
    case 'start': return null;
    case 'import': return importSpace(d.import.desc.kind);
    case 'export': return spaceOf(d.export.sort);
    case 'value': return 'value';
  }
}

function importSpace(kind: 'module' | 'func' | 'value' | 'type' | 'component' | 'instance'): SpaceName {
  return kind === 'module' ? 'core module' : kind;
}

/** An item of an index space of one instantiation. */
export interface Ref { env: Env; space: SpaceName; index: number }

/** What an item is once aliases, exports and bound imports are followed. */
export type Origin =
  | { kind: 'def'; env: Env; def: Definition }
  /** An import of the root component: the path of names, instance exports after the import's name. */
  | { kind: 'import'; path: string[] };

/** Follows `ref` to the definition (or root import) it stands for. */
export function resolve(ref: Ref): Origin {
  // Aliases and re-exports chain; a bound on the steps keeps a malformed
  // (cyclic) input from hanging, though validation rules cycles out.
  for (let steps = 0; steps < 10_000; steps++) {
    const { env, space, index } = ref;
    const d = env.at(space, index);
    switch (d.kind) {
      case 'export':
        ref = { env, space, index: d.export.index };
        continue;
      case 'alias': {
        const a = d.alias;
        if (a.kind === 'outer') {
          let up: Env = env;
          for (let k = 0; k < a.count; k++) {
            if (!up.parent) throw new Error(`alias outer ${a.count} reaches past the root component`);
            up = up.parent;
          }
          ref = { env: up, space, index: a.index };
          continue;
        }
        const instSpace: SpaceName = a.kind === 'coreExport' ? 'core instance' : 'instance';
        const inst = resolve({ env, space: instSpace, index: a.instance });
        const next = exportOf(inst, a.name, space);
        // An export of an instantiated core module is the module's own item: the alias is as far as it goes.
        if (next === null) return { kind: 'def', env, def: d };
        if ('path' in next) return { kind: 'import', path: next.path };
        ref = next;
        continue;
      }
      case 'import': {
        const name = d.import.name.name;
        if (env.args === null) return { kind: 'import', path: [name] };
        const bound = env.args.get(name);
        if (!bound) throw new Error(`${env.where} imports ${JSON.stringify(name)}, which its instantiation does not supply`);
        ref = bound;
        continue;
      }
      default:
        return { kind: 'def', env, def: d };
    }
  }
  throw new Error('aliases form a cycle');
}

/** The export `name` of a resolved instance (component or core), as a ref, or a path into a root import. */
function exportOf(inst: Origin, name: string, space: SpaceName): Ref | { path: string[] } | null {
  if (inst.kind === 'import') return { path: [...inst.path, name] };
  const { env, def } = inst;
  if (def.kind === 'instance' && def.instance.kind === 'exports') {
    const e = def.instance.exports.find((x) => x.name.name === name);
    if (!e) throw new Error(`instance has no export ${JSON.stringify(name)}`);
    return { env, space: spaceOf(e.sort), index: e.index };
  }
  if (def.kind === 'instance' && def.instance.kind === 'instantiate') {
    const nested = instantiated(env, def.instance.component, def.instance.args.map((x) => ({ name: x.name, ref: { env, space: spaceOf(x.sort), index: x.index } })));
    const e = nested.component.definitions.find((x): x is Extract<Definition, { kind: 'export' }> => x.kind === 'export' && x.export.name.name === name);
    if (!e) throw new Error(`${nested.where} has no export ${JSON.stringify(name)}`);
    return { env: nested, space: spaceOf(e.export.sort), index: e.export.index };
  }
  if (def.kind === 'coreInstance' && def.instance.kind === 'exports') {
    const e = def.instance.exports.find((x) => x.name === name);
    if (!e) throw new Error(`core instance has no export ${JSON.stringify(name)}`);
    return { env, space: `core ${e.sort}`, index: e.index };
  }
  if (def.kind === 'coreInstance') return null;
  throw new Error(`a ${def.kind} definition has no exports (looking for ${JSON.stringify(name)} in ${space})`);
}

/** A nested component instantiated in `env` with `args`. */
function instantiated(env: Env, componentIndex: number, args: { name: string; ref: Ref }[]): Env {
  const c = resolve({ env, space: 'component', index: componentIndex });
  if (c.kind !== 'def' || c.def.kind !== 'component') throw new Error('an imported component is instantiated: its functions are not visible');
  const where = `${env.where ? `${env.where} > ` : ''}component ${componentIndex}`;
  return new Env(c.def.component, c.env, new Map(args.map((a) => [a.name, a.ref])), where);
}

/** The `canon lift` behind a component function, or why there is none to show. */
export function liftOf(ref: Ref): { canon: Canon; env: Env } | { none: string } {
  const o = resolve(ref);
  if (o.kind === 'import') return { none: reexported(o.path) };
  if (o.def.kind === 'canon' && o.def.canon.kind === 'lift') return { canon: o.def.canon, env: o.env };
  return { none: `it is defined by a ${o.def.kind} definition, not by canon lift` };
}

/**
 * A core item (function or memory) named by a canonical option, in words:
 * which core instance exports it under which name, and of which module.
 */
export function describeCore(env: Env, space: 'core func' | 'core memory', index: number): string {
  const d = env.at(space, index);
  if (d.kind === 'canon') return `core ${space.slice(5)} ${index} = canon ${d.canon.kind}`;
  if (d.kind === 'alias' && d.alias.kind === 'coreExport') {
    const a = d.alias;
    const inst = resolve({ env, space: 'core instance', index: a.instance });
    let of = '';
    if (inst.kind === 'def' && inst.def.kind === 'coreInstance') {
      if (inst.def.instance.kind === 'instantiate') of = ` (an instance of core module ${inst.def.instance.module})`;
      else {
        // An inline instance re-exports some other item: say what that is.
        const e = inst.def.instance.exports.find((x) => x.name === a.name);
        if (e && (e.sort === 'func' || e.sort === 'memory')) return `"${a.name}" of core instance ${a.instance} = ${describeCore(inst.env, `core ${e.sort}`, e.index)}`;
      }
    }
    return `"${a.name}" exported by core instance ${a.instance}${of}`;
  }
  return `core ${space.slice(5)} ${index}`;
}

export function reexported(path: string[]): string {
  return `it re-exports the import ${path.join('#')}: the host's function, lifted by no canon of this component`;
}

/** The export `name` of the instance `inst` (a component instance), or the path into the root import it stands for. */
export function memberOf(inst: Ref, name: string): Ref | { path: string[] } {
  const next = exportOf(resolve(inst), name, 'func');
  if (next === null) throw new Error(`a core instance is not a component instance (looking for ${JSON.stringify(name)})`);
  return next;
}
