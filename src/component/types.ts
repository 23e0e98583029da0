// Introspection, like wasmtime's `Component::component_type`: the imports
// and exports of a component with their types, as validation computed them.

import { decodeComponent } from './binary/decode.js';
import type { Component } from './syntax/ast.js';
import type { ComponentType, ExternType } from './syntax/types.js';
import { validateComponent } from './valid/validate.js';

export interface ComponentSignature {
  imports: [string, ExternType][];
  exports: [string, ExternType][];
}

/** The type of a decoded component (validating it on the way). */
export function componentType(c: Component): ComponentType {
  return validateComponent(c);
}

/** Imports and exports of a component binary, in declaration order. */
export function componentSignature(bytes: Uint8Array): ComponentSignature {
  const t = componentType(decodeComponent(bytes));
  return { imports: [...t.imports], exports: [...t.exports] };
}
