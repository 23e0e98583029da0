// Instance and InstancePre: an instantiated component and its exports
// (wasmtime's `component::Instance`), looked up by name or by a
// ComponentExportIndex of the component it was made from.

import type { ComponentInstanceHandle, ComponentExtern, CoreModule, InstanceValue } from '../component/runtime/externs.js';
import { externTypeOf } from '../component/runtime/externs.js';
import { ResourceType as ResourceTypeObject, type InstanceType } from '../component/syntax/types.js';
import { Component, ComponentExportIndex, exportAtPath } from './component.js';
import { Func, type TypedFunc } from './func.js';
import type { ResourceType } from './resource-type.js';
import type { Signature } from './signature.js';
import type { Store } from './store.js';
import { componentItem, type ComponentItem } from './types.js';
import type { ComponentValue } from '../component/canon/values.js';

/**
 * A top-level export name, a path into exported instances joined by `#`
 * (`docs:hello/greeter#greet`), or an index of the instance's component.
 */
export type ExportRef = string | ComponentExportIndex;

/**
 * An instantiated component (wasmtime's `component::Instance`). Its exports
 * are found by top-level name, by `iface#name` inside an exported instance,
 * or by a ComponentExportIndex from its
 * component (`Component.getExportIndex`) or from the instance itself
 * (`getExportIndex`), which reaches into exported instances too. An index
 * of another component finds nothing.
 */
export class Instance {
  /** @internal */
  constructor(
    /** The store the instance belongs to. */
    readonly store: Store<unknown>,
    /** The component it is an instance of. */
    readonly component: Component,
    /** The runtime's instance: its exports as live items and its canonical ABI state. */
    readonly handle: ComponentInstanceHandle,
  ) {}

  private resolve(ref: ExportRef): { item: ComponentExtern; name: string } | null {
    if (typeof ref === 'string') {
      // A top-level name, else `iface#…#name` inside exported instances (as
      // `cmr run --invoke` takes it; export names never contain `#`).
      const item = this.handle.exports.get(ref) ?? this.handle.lookup(ref.split('#'));
      return item === undefined ? null : { item, name: ref };
    }
    if (ref.owner !== this.component) return null;
    const item = this.handle.lookup(ref.path);
    return item === undefined ? null : { item, name: ref.path.join('#') };
  }

  private parentExports(instance: ComponentExportIndex | null): Map<string, ComponentExtern> | null {
    if (instance === null) return this.handle.exports;
    const x = this.resolve(instance);
    return x?.item.kind === 'instance' ? (x.item.value as InstanceValue).exports : null;
  }

  /**
   * Export `name` at the root (`instance` null) or inside the exported
   * instance `instance` (or the path `iface#name` below it, as getFunc
   * takes it): its type as instantiated (this instance's resource types)
   * and its index, or null.
   */
  getExport(instance: ComponentExportIndex | null, name: string): [ComponentItem, ComponentExportIndex] | null {
    if (instance !== null && instance.owner !== this.component) return null;
    const x = this.parentExports(instance)?.get(name);
    if (x === undefined) return exportAtPath(this, instance, name);
    return [componentItem(externTypeOf(x)), new ComponentExportIndex(this.component, [...(instance?.path ?? []), name])];
  }

  /** The index of export `name` at the root or inside `instance`, or null. */
  getExportIndex(instance: ComponentExportIndex | null, name: string): ComponentExportIndex | null {
    return this.getExport(instance, name)?.[1] ?? null;
  }

  /** The exported function, or null when there is none (or the export is something else). */
  getFunc(ref: ExportRef): Func | null {
    const x = this.resolve(ref);
    return x?.item.kind === 'func' ? new Func(this.store, x.item.value, x.name) : null;
  }

  /**
   * The exported function, checked against `signature` (see signature.ts:
   * `'func(u32, u32) -> u32'` or `{ params: ['u32'], result: 'u32' }`).
   * Throws when there is no such function or its type differs.
   */
  getTypedFunc<P extends ComponentValue[] = ComponentValue[], R extends ComponentValue | void = ComponentValue | void>(ref: ExportRef, signature: Signature): TypedFunc<P, R> {
    const f = this.getFunc(ref);
    const what = typeof ref === 'string' ? ref : ref.toString();
    if (f === null) throw new TypeError(`the instance exports no function \`${what}\``);
    return f.typed<P, R>(signature);
  }

  /** The exported core module (decoded, with its bytes), or null. */
  getModule(ref: ExportRef): CoreModule | null {
    const x = this.resolve(ref);
    return x?.item.kind === 'module' ? x.item.value : null;
  }

  /**
   * The exported resource type, or null: this instance's own type for a
   * resource the component defines (fresh per instantiation), the type the
   * host supplied for one it imports and re-exports.
   */
  getResource(ref: ExportRef): ResourceType | null {
    const x = this.resolve(ref);
    return x?.item.kind === 'type' && x.item.value instanceof ResourceTypeObject ? x.item.value : null;
  }

  /**
   * The instance's type (wasmtime's `Instance::instance_type`): its exports
   * with their types as instantiated, so a resource the component defines
   * is this instance's own type (the one getResource returns).
   */
  instanceType(): InstanceType {
    return { kind: 'instance', exports: new Map([...this.handle.exports].map(([n, x]) => [n, externTypeOf(x)])), definedResources: [] };
  }

  /** Every top-level export with its type as instantiated, in order. */
  exports(): [string, ComponentItem][] {
    return [...this.handle.exports].map(([n, x]) => [n, componentItem(externTypeOf(x))]);
  }
}
