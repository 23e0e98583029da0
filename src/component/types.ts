// Introspection, like wasmtime's `Component::component_type`: the imports
// and exports of a component with their types, as validation computed them.
//
// Identity follows wasmtime: resource types are compared by object identity
// (`===`), so two imports of abstract resources (`(sub resource)`) are two
// different types even with one name, two imports of one instance type
// that exports a `(sub resource)` get two different resources, and a
// resource a component defines is one type wherever its exports mention it.
// Every other type is structural.

import { decodeModule } from '../core/binary/decode.js';
import { DecodeError } from '../core/errors.js';
import { WASM_2_0, type CoreFeatures } from '../core/syntax/feature-set.js';
import { earlyBodyCheck, validateModule } from '../core/valid/validate.js';
import { decodeComponent } from './binary/decode.js';
import type { Component } from './syntax/ast.js';
import type { ComponentType, ExternType, ModuleType } from './syntax/types.js';
import { moduleType } from './valid/core-module.js';
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

// ---- binaries of either kind --------------------------------------------------------

/** What a binary is, read off its preamble: a component, a core module, or neither. */
export function binaryKind(bytes: Uint8Array): 'component' | 'module' | null {
  if (bytes.length < 8 || bytes[0] !== 0x00 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) return null;
  const layer = bytes[6]! | (bytes[7]! << 8);
  return layer === 1 ? 'component' : layer === 0 ? 'module' : null;
}

export type BinaryType = { kind: 'component'; type: ComponentType } | { kind: 'module'; type: ModuleType };

/**
 * The type of a component or core module binary: decodes and validates it,
 * throwing DecodeError or ValidationError (each with a byte offset) when it
 * is malformed or invalid under the core `features` (those a component's
 * core modules are held to, for `cmr inspect` to judge as `cmr run` does).
 */
export function typeOfBinary(bytes: Uint8Array, features: CoreFeatures = WASM_2_0): BinaryType {
  if (binaryKind(bytes) === 'module') {
    let m;
    try {
      m = decodeModule(bytes, features, earlyBodyCheck());
    } catch (e) {
      if (e instanceof DecodeError) throw e;
      throw new DecodeError(`malformed module: ${(e as Error)?.message ?? e}`, -1);
    }
    validateModule(m, features);
    return { kind: 'module', type: moduleType(m) };
  }
  return { kind: 'component', type: validateComponent(decodeComponent(bytes, features), features) };
}
