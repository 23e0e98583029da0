// The validation state of one scope — a component, a component type or an
// instance type (Explainer.md: each has its own index spaces, and outer
// aliases reach the enclosing ones).

import type { GlobalType } from '../../core/syntax/types.js';
import type { CoreFuncType, CoreMemType, CoreTableType } from '../syntax/ast.js';
import type {
  ComponentType, CoreInstanceType, CoreType, ExternType, FuncType, InstanceType, ModuleType, ResourceType, Type, ValType,
} from '../syntax/types.js';

export type ScopeKind = 'component' | 'componentType' | 'instanceType';

/** Names of a component's or type's imports (or exports) and the resources they name. */
export class ExternNames {
  /** Canonicalised name (strong uniqueness) → the name first seen. */
  readonly keys = new Map<string, string>();
  readonly items = new Map<string, ExternType>();
  /**
   * Resource names (alias tokens, see `Scope.typeAliases`) named by a
   * top-level `type` extern, for `[constructor]`/`[method]` checks.
   */
  readonly resourceNames = new Map<object, string>();
  readonly allResourceNames = new Set<string>();
  /** Types (defined types, and resources by alias token) that have a name in this direction. */
  readonly named = new Set<object>();
}

export class Scope {
  // core index spaces
  readonly coreFuncs: CoreFuncType[] = [];
  readonly coreTables: CoreTableType[] = [];
  readonly coreMems: CoreMemType[] = [];
  readonly coreGlobals: GlobalType[] = [];
  readonly coreTags: CoreFuncType[] = [];
  readonly coreTypes: CoreType[] = [];
  readonly coreModules: ModuleType[] = [];
  readonly coreInstances: CoreInstanceType[] = [];
  // component index spaces
  readonly funcs: FuncType[] = [];
  readonly values: ValType[] = [];
  readonly types: Type[] = [];
  readonly components: ComponentType[] = [];
  readonly instances: InstanceType[] = [];

  readonly imports = new ExternNames();
  readonly exports = new ExternNames();
  /** Resources bound by imports (abstract inside this scope). */
  readonly importedResources: ResourceType[] = [];
  /** Resources introduced by exports (in types) or defined here (in components). */
  readonly definedResources: ResourceType[] = [];
  /** Resources this component defines with `(type (resource ...))`: resource.new/rep need one. */
  readonly localResources = new Set<ResourceType>();
  /** Every resource this scope introduced, to tell outer-alias targets that carry resources. */
  readonly ownResources = new Set<ResourceType>();

  /**
   * For a type index holding a resource, the token of that *name* of the
   * resource when it is not the resource itself: an import or export of an
   * existing resource type makes a new one (see `DefinedType` own/borrow).
   */
  readonly typeAliases = new Map<number, object>();

  constructor(readonly kind: ScopeKind, readonly parent: Scope | null) {}

  /** The alias token of the resource at type index `i`. */
  resourceAlias(i: number, r: ResourceType): object {
    return this.typeAliases.get(i) ?? r;
  }

  get isType(): boolean {
    return this.kind !== 'component';
  }
}
