// Resource types as the embedder sees them (wasmtime's `ResourceType`): an
// object whose identity is the type's identity. Guest resources get fresh
// types per instantiation; a component's imported resources are abstract
// until instantiation binds them to what the host supplied; host resources
// are made with `ResourceType.host(key)`, one type per key.

import { ResourceType as ResourceTypeObject } from '../component/syntax/types.js';
import { resourceImpl } from '../component/canon/resources.js';

/** A resource type: compare two with `===`. */
export type ResourceType = ResourceTypeObject;

const hostTypes = new Map<unknown, ResourceTypeObject>();
const hostSet = new WeakSet<ResourceTypeObject>();

function keyName(key: unknown): string {
  if (typeof key === 'string') return key;
  if (typeof key === 'symbol') return key.description ?? 'host resource';
  if (typeof key === 'function' && key.name) return key.name;
  return 'host resource';
}

/**
 * Makes and recognises resource types.
 *
 * ```ts
 * class File {}
 * const file = ResourceType.host(File);      // the host resource type keyed by the class File
 * file === ResourceType.host(File);          // true: one type per key
 * x instanceof ResourceType;                 // true for any resource type
 * ```
 */
export const ResourceType = {
  /**
   * The host-defined resource type for `key` (a class, a symbol, a string,
   * any value): the same type for the same key, as wasmtime's
   * `ResourceType::host::<T>()` is the same for the same `T`. Give it to
   * `LinkerInstance.resource` to satisfy a component's resource import; its
   * values are `new ResourceValue(type, rep, true)`.
   */
  host(key: unknown): ResourceType {
    let t = hostTypes.get(key);
    if (t === undefined) {
      t = new ResourceTypeObject(keyName(key));
      hostTypes.set(key, t);
      hostSet.add(t);
    }
    return t;
  },

  /** True for a type made by `ResourceType.host`. */
  isHost(t: ResourceType): boolean {
    return hostSet.has(t);
  },

  /**
   * True for a type implemented by a guest: a resource defined by an
   * instantiated component (the instance holds its representation).
   */
  isGuest(t: ResourceType): boolean {
    return resourceImpl(t)?.impl != null;
  },

  /** Whether `x` is a resource type (also: `x instanceof ResourceType`). */
  is(x: unknown): x is ResourceType {
    return x instanceof ResourceTypeObject;
  },

  [Symbol.hasInstance](x: unknown): boolean {
    return x instanceof ResourceTypeObject;
  },
} as const;
