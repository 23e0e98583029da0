// The types of a component's imports and exports as the embedder sees them
// (wasmtime's `types::ComponentItem`): the validator's types, with resource
// types told apart from other type exports.

import { ResourceType as ResourceTypeObject } from '../component/syntax/types.js';
import type {
  ComponentType, ExternType, FuncType, InstanceType, ModuleType, Type, ValType,
} from '../component/syntax/types.js';
import { funcToWit, TypeNames, valTypeToWit } from '../component/print-wit.js';
import type { ResourceType } from './resource-type.js';

export type { ComponentType, FuncType, InstanceType, ModuleType, Type, ValType } from '../component/syntax/types.js';

/** The type of one import or export of a component or an instance. */
export type ComponentItem =
  /** A component function. */
  | { kind: 'func'; type: FuncType }
  /** A core module. */
  | { kind: 'module'; type: ModuleType }
  /** A component (not yet instantiated). */
  | { kind: 'component'; type: ComponentType }
  /** A component instance: its exports' types are in `type.exports`. */
  | { kind: 'instance'; type: InstanceType }
  /** A resource type; identity is type identity (`===`). */
  | { kind: 'resource'; type: ResourceType }
  /** Any other type (a value type, a function type, ...). */
  | { kind: 'type'; type: Type }
  /** A component value. */
  | { kind: 'value'; type: ValType };

/** The ComponentItem of an extern type. */
export function componentItem(e: ExternType): ComponentItem {
  switch (e.kind) {
    case 'type': return e.type instanceof ResourceTypeObject ? { kind: 'resource', type: e.type } : { kind: 'type', type: e.type };
    case 'func': return { kind: 'func', type: e.type };
    case 'module': return { kind: 'module', type: e.type };
    case 'component': return { kind: 'component', type: e.type };
    case 'instance': return { kind: 'instance', type: e.type };
    case 'value': return { kind: 'value', type: e.type };
  }
}

/** The imports and exports of a component, in declaration order. */
export interface ComponentTypeInfo {
  /** Each import's name and type. */
  readonly imports: ReadonlyMap<string, ComponentItem>;
  /** Each export's name and type. */
  readonly exports: ReadonlyMap<string, ComponentItem>;
  /** The validator's component type these are read from. */
  readonly type: ComponentType;
}

/** The items of a map of extern types. */
export function componentItems(m: ReadonlyMap<string, ExternType>): Map<string, ComponentItem> {
  return new Map([...m].map(([n, e]) => [n, componentItem(e)]));
}

/**
 * An item's type in WIT-like words, one line (`func(a: u32) -> u32`,
 * `resource`, `instance { f, g }`). With `names` (TypeNames.of the
 * component's type) resources and named types are called as `cmr inspect`
 * calls them.
 */
export function describeItem(item: ComponentItem, names: TypeNames | null = null): string {
  switch (item.kind) {
    case 'func': return funcToWit(item.type, names);
    case 'resource': return 'resource';
    case 'module': return 'core module';
    case 'component': return 'component';
    case 'instance': return `instance { ${[...item.type.exports.keys()].join(', ')} }`;
    case 'value': return `value ${valTypeToWit(item.type, names)}`;
    case 'type': {
      const t = item.type;
      if (typeof t === 'string') return `type ${t}`;
      if (t instanceof ResourceTypeObject) return 'resource';
      if (t.kind === 'func') return `type ${funcToWit(t, names)}`;
      if (t.kind === 'instance' || t.kind === 'component') return `type ${t.kind}`;
      return `type ${valTypeToWit(t, names)}`;
    }
  }
}
