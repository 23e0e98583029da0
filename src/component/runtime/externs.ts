// What a component instance holds and hands out at run time: the items of
// its index spaces (Explainer.md "Index Spaces") as live values. A component
// function is the canonical ABI's ComponentFunc; a core module stays the
// decoded module plus its bytes (each engine compiles the bytes its own
// way); a component is a *closure*: its definitions together with the scope
// it was defined in, which its outer aliases read when it is instantiated
// (Explainer.md "Alias Definitions": outer aliases see the enclosing
// component's index spaces as they were when the inner component was
// defined — per enclosing instantiation).

import type { Module } from '../../core/syntax/ast.js';
import type { Component } from '../syntax/ast.js';
import type { ComponentType, ExternType, InstanceType, Type, ValType } from '../syntax/types.js';
import type { ComponentFunc, ComponentInstance, ComponentValue } from '../canon/index.js';
import { moduleType } from '../valid/core-module.js';
import { Validator } from '../valid/validate.js';
import { WASM_3_0_SUPPORTED } from '../../core/syntax/feature-set.js';
import type { Scope } from '../valid/scope.js';

/** A core module as an item of a component: decoded and validated, with its bytes for the native engine. */
export interface CoreModule {
  readonly module: Module;
  readonly bytes: Uint8Array;
}

/** A component instance as an item: its exports by name. */
export interface InstanceValue {
  readonly exports: Map<string, ComponentExtern>;
}

/**
 * A component definition closed over the scope it was defined in. `scope`
 * is the type mirror of the enclosing instantiation (see instantiate.ts),
 * null for a top-level component.
 */
export class ComponentDefinition {
  private cachedType: ComponentType | null;

  constructor(
    readonly component: Component,
    /** The enclosing instantiation's frame; opaque here (instantiate.ts owns it). */
    readonly enclosing: unknown | null,
    private readonly enclosingScope: Scope | null,
    type: ComponentType | null = null,
  ) {
    this.cachedType = type;
  }

  /**
   * The component's type with the enclosing instantiation's types in place
   * (its outer aliases resolved against them). Computed on demand: only a
   * check of a component-typed import needs it, and validation already
   * passed once for the static type.
   */
  get type(): ComponentType {
    // The component was validated when decoded (with whatever core features
    // its maker allowed); re-typing it must not refuse what was accepted.
    this.cachedType ??= new Validator(WASM_3_0_SUPPORTED).component(this.component, this.enclosingScope);
    return this.cachedType;
  }
}

/** An import or export of a component instance: an item of one of the component sorts. */
export type ComponentExtern =
  | { kind: 'func'; value: ComponentFunc }
  | { kind: 'instance'; value: InstanceValue }
  | { kind: 'component'; value: ComponentDefinition }
  | { kind: 'module'; value: CoreModule }
  | { kind: 'type'; value: Type }
  | { kind: 'value'; value: ComponentValue; type: ValType };

/** The instance of a component: its exports and the canonical ABI's per-instance state. */
export class ComponentInstanceHandle implements InstanceValue {
  constructor(
    readonly exports: Map<string, ComponentExtern>,
    /** Handle table and reentrance flags (canon's ComponentInstance). */
    readonly instance: ComponentInstance,
  ) {}

  /**
   * The export at `path`: one name for a top-level export, more to reach
   * into exported instances (`["i", "f"]` is export "f" of instance "i").
   */
  lookup(path: readonly string[]): ComponentExtern | undefined {
    let inst: InstanceValue = this;
    let x: ComponentExtern | undefined;
    for (let i = 0; i < path.length; i++) {
      x = inst.exports.get(path[i]!);
      if (x === undefined) return undefined;
      if (i < path.length - 1) {
        if (x.kind !== 'instance') return undefined;
        inst = x.value;
      }
    }
    return x;
  }

  /** The exported function at `path`, or undefined. */
  func(...path: string[]): ComponentFunc | undefined {
    const x = this.lookup(path);
    return x?.kind === 'func' ? x.value : undefined;
  }
}

/** The type an item has as an import argument (what `instantiate` checks against the import's type). */
export function externTypeOf(x: ComponentExtern): ExternType {
  switch (x.kind) {
    case 'func': return { kind: 'func', type: x.value.type };
    case 'instance': return { kind: 'instance', type: instanceTypeOf(x.value) };
    case 'component': return { kind: 'component', type: x.value.type };
    case 'module': return { kind: 'module', type: moduleType(x.value.module) };
    case 'type': return { kind: 'type', type: x.value };
    case 'value': return { kind: 'value', type: x.type };
  }
}

export function instanceTypeOf(i: InstanceValue): InstanceType {
  const exports = new Map<string, ExternType>();
  for (const [name, x] of i.exports) exports.set(name, externTypeOf(x));
  // A concrete instance's resources are the ones it holds: nothing to freshen.
  return { kind: 'instance', exports, definedResources: [] };
}
