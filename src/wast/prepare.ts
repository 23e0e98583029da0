// A script's module or component definition turned into bytes, decoded and
// validated with cmr's own code, once per definition for every engine of a
// run (the interpreter, the native engine and jco all start from it).

import { decodeModule } from '../core/binary/decode.js';
import { earlyBodyCheck, validateModule } from '../core/valid/validate.js';
import { WASM_3_0_SUPPORTED, type CoreFeatures } from '../core/syntax/feature-set.js';
import type { Module } from '../core/syntax/ast.js';
import { DecodeError, ValidationError } from '../core/errors.js';
import { watToBinary } from '../text/wat.js';
import { decodeComponent } from '../component/binary/decode.js';
import { validateComponent } from '../component/valid/validate.js';
import type { Component } from '../component/syntax/ast.js';
import type { ComponentType } from '../component/syntax/types.js';
import type { ModuleDef } from './script.js';

/**
 * A module or component turned into bytes, decoded and validated: cached per
 * definition across engines. `module` is null for components, `component`
 * null for core modules.
 */
export interface Compiled {
  bytes: Uint8Array;
  module: Module | null;
  component: { ast: Component; type: ComponentType } | null;
}

/** A refusal at validation keeps the decoded module, for feature-gate.ts to look at. */
export type Prepared = { ok: true; compiled: Compiled } | { ok: false; stage: 'text' | 'decode' | 'validate'; message: string; module?: Module };

/** Per definition, per feature set (in practice one: the script's). */
const prepared = new WeakMap<ModuleDef, Map<CoreFeatures, Promise<Prepared>>>();

/**
 * Text to bytes to a validated AST, memoised so the second engine reuses the
 * first's work. `features`: what the core decoder and validator accept
 * (the core-2.0 suite runs with WASM_2_0, everything else with all cmr
 * implements; embedded core modules of components likewise).
 */
export function prepare(def: ModuleDef, features: CoreFeatures = WASM_3_0_SUPPORTED): Promise<Prepared> {
  let byFeatures = prepared.get(def);
  if (!byFeatures) {
    byFeatures = new Map();
    prepared.set(def, byFeatures);
  }
  let p = byFeatures.get(features);
  if (!p) {
    p = prepareUncached(def, features);
    byFeatures.set(features, p);
  }
  return p;
}

/** The definition's bytes: as written, or its text through the front end (throws the front end's error). */
export async function toBytes(def: ModuleDef): Promise<Uint8Array> {
  return def.source.form === 'binary' ? def.source.bytes : watToBinary(def.source.text);
}

async function prepareUncached(def: ModuleDef, features: CoreFeatures): Promise<Prepared> {
  let bytes: Uint8Array;
  try {
    bytes = await toBytes(def);
  } catch (e) {
    return { ok: false, stage: 'text', message: e instanceof Error ? e.message : String(e) };
  }
  if (def.sort === 'component') return prepareComponent(bytes, features);
  let module: Module;
  try {
    module = decodeModule(bytes, features, earlyBodyCheck()); // bodies validated as they are read
  } catch (e) {
    if (e instanceof DecodeError) return { ok: false, stage: 'decode', message: e.message };
    throw e;
  }
  try {
    validateModule(module, features);
  } catch (e) {
    if (e instanceof ValidationError) return { ok: false, stage: 'validate', message: e.message, module };
    throw e;
  }
  return { ok: true, compiled: { bytes, module, component: null } };
}

function prepareComponent(bytes: Uint8Array, features: CoreFeatures): Prepared {
  let ast: Component;
  let type: ComponentType;
  try {
    ast = decodeComponent(bytes, features);
    type = validateComponent(ast, features);
  } catch (e) {
    if (e instanceof DecodeError) return { ok: false, stage: 'decode', message: e.message };
    if (e instanceof ValidationError) return { ok: false, stage: 'validate', message: e.message };
    throw e;
  }
  return { ok: true, compiled: { bytes, module: null, component: { ast, type } } };
}
