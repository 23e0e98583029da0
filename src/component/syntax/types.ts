// Component types as the validator computes them (Explainer.md "Type
// Definitions", CanonicalABI.md's definitions.py): indices are resolved, so a
// type is a tree of plain objects. Resource types are the one nominal part:
// a `ResourceType` object *is* its identity, compared with `===`, which is
// how "fresh" resources (imports, `sub resource` exports, every
// instantiation of a component type) stay distinct from each other.

import type { DefType, GlobalType, ValType as CoreValType } from '../../core/syntax/types.js';
import type { CoreFuncType, CoreMemType, CoreTableType, PrimValType } from './ast.js';

export type { PrimValType } from './ast.js';

export interface Field { name: string; type: ValType }
export interface Case { name: string; type: ValType | null }

export type DefinedType =
  | { kind: 'record'; fields: Field[] }
  | { kind: 'variant'; cases: Case[] }
  | { kind: 'list'; elem: ValType; length: number | null }
  | { kind: 'tuple'; types: ValType[] }
  | { kind: 'flags'; names: string[] }
  | { kind: 'enum'; names: string[] }
  | { kind: 'option'; type: ValType }
  | { kind: 'result'; ok: ValType | null; err: ValType | null }
  /**
   * A handle. `alias` says through which type index the resource was
   * named when the handle type was written: exporting (or re-importing) a
   * resource gives it a new index that denotes the same resource but is a
   * new *name* for it (Explainer.md "External visibility of types"), so
   * "is the resource named in this context?" looks at `alias`, while type
   * identity looks at `resource`. Absent means the resource itself.
   */
  | { kind: 'own'; resource: ResourceType; alias?: object }
  | { kind: 'borrow'; resource: ResourceType; alias?: object }
  | { kind: 'stream'; elem: ValType | null }
  | { kind: 'future'; elem: ValType | null }
  | { kind: 'map'; key: ValType; value: ValType };

/** A component value type: a primitive or a structural defined type. */
export type ValType = PrimValType | DefinedType;

let nextResourceId = 0;

/** A resource type; object identity is type identity. */
export class ResourceType {
  readonly kind = 'resource' as const;
  readonly id = nextResourceId++;
  constructor(
    /** The name it was first imported or exported under, for messages and printing. */
    public name: string | null,
    /** Core representation, known only for resources defined by a concrete component. */
    readonly rep: CoreValType | null = null,
    readonly dtor: number | null = null,
  ) {}
}

/**
 * A resource type's name for messages, traces and printing: the name it was
 * first imported or exported under (at the top level or inside an
 * instance), else `resource#id` for one never named. Every printer without
 * a component's TypeNames at hand calls this one.
 */
export function resourceName(rt: ResourceType): string {
  return rt.name ?? `resource#${rt.id}`;
}

export interface FuncType {
  kind: 'func';
  async: boolean;
  params: Field[];
  result: ValType | null;
}

export interface ComponentType {
  kind: 'component';
  imports: Map<string, ExternType>;
  exports: Map<string, ExternType>;
  /** Abstract resources bound by the imports: instantiation substitutes them. */
  importedResources: ResourceType[];
  /** Abstract resources introduced by the exports: each instantiation makes fresh ones. */
  definedResources: ResourceType[];
}

export interface InstanceType {
  kind: 'instance';
  exports: Map<string, ExternType>;
  /**
   * Resources a `sub resource` export of this *type* introduces; importing
   * an instance of the type makes fresh ones (two imports of one instance
   * type do not share resources). Empty for concrete instances.
   */
  definedResources: ResourceType[];
}

/** What a component type index denotes. */
export type Type = ValType | FuncType | ComponentType | InstanceType | ResourceType;

// ---- core types ----------------------------------------------------------

export type CoreExternType =
  | { kind: 'func'; type: CoreFuncType }
  | { kind: 'table'; type: CoreTableType }
  | { kind: 'memory'; type: CoreMemType }
  | { kind: 'global'; type: GlobalType }
  | { kind: 'tag'; type: CoreFuncType };

export interface ModuleType {
  kind: 'module';
  imports: { module: string; name: string; type: CoreExternType }[];
  exports: Map<string, CoreExternType>;
}

/** A core instance's type: its exports. */
export interface CoreInstanceType { exports: Map<string, CoreExternType> }

/**
 * What a core type index denotes: a function type, a module type, or
 * another WebAssembly 3.0 (GC) type (a struct or an array). A function,
 * struct or array type is the core's `DefType`, which carries its
 * canonical identity (component/valid/core-types.ts).
 */
export type CoreType = { kind: 'func'; type: DefType } | ModuleType | { kind: 'gc'; type: DefType };

/** The type of an import or export (`externtype` after resolution). */
export type ExternType =
  | { kind: 'module'; type: ModuleType }
  | { kind: 'func'; type: FuncType }
  | { kind: 'value'; type: ValType }
  /**
   * `alias`: for a resource exported or imported under a new name (an `eq`
   * bound), the token of that name (see the own/borrow `alias` above), so a
   * handle type written against the name is known to be named.
   */
  | { kind: 'type'; type: Type; alias?: object }
  | { kind: 'component'; type: ComponentType }
  | { kind: 'instance'; type: InstanceType };

// ---- helpers ---------------------------------------------------------------

export function isValType(t: Type): t is ValType {
  if (typeof t === 'string') return true;
  return !(t instanceof ResourceType) && t.kind !== 'func' && t.kind !== 'component' && t.kind !== 'instance';
}

/** Applies `fn` to every value type directly inside `t` (one level). */
export function childValTypes(t: DefinedType): ValType[] {
  switch (t.kind) {
    case 'record': return t.fields.map((f) => f.type);
    case 'variant': return t.cases.flatMap((c) => (c.type === null ? [] : [c.type]));
    case 'list': return [t.elem];
    case 'tuple': return t.types;
    case 'option': return [t.type];
    case 'result': return [t.ok, t.err].filter((x): x is ValType => x !== null);
    case 'stream': case 'future': return t.elem === null ? [] : [t.elem];
    case 'map': return [t.key, t.value];
    default: return [];
  }
}

/** True when a `borrow` occurs anywhere inside `t`. */
export function containsBorrow(t: ValType): boolean {
  if (typeof t === 'string') return false;
  if (t.kind === 'borrow') return true;
  // A stream or future element may not itself hold a borrow, but a borrow
  // *behind* one is still a borrow reachable from the value.
  return childValTypes(t).some(containsBorrow);
}
