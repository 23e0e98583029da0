// The native engine's feature gate. The core-2.0 suite asserts that some
// modules are invalid or malformed that WebAssembly 3.0 allows (two
// memories, a memory index where 2.0 has a reserved zero byte, global.get of
// a module-defined global in a constant expression). A host that implements
// 3.0 (V8 15) accepts them, rightly for its standard, so its verdict says
// nothing about the script's. An engine configured for the script's
// standard refuses them: before the native engine hands a module to V8 for
// a verdict, the gate asks whether it uses a feature outside the script's
// feature set, and if so the module is refused with the verdict of cmr's
// decoder and validator under that set, the interpreter's own verdict, in
// the suite's words. One rule for both engines: what the feature set
// switches off is written once, in the decoder and the validator.

import type { Module } from '../core/syntax/ast.js';
import { WASM_3_0_SUPPORTED, type CoreFeatures } from '../core/syntax/feature-set.js';

/** How each CoreFeatures field is named. */
const featureNames: Record<keyof CoreFeatures, string> = {
  multiMemory: 'multi-memory',
  exceptions: 'exception handling',
  threads: 'shared memories',
  relaxedSimd: 'relaxed SIMD',
  functionReferences: 'typed function references',
  tailCalls: 'tail calls',
  extendedConst: 'extended constant expressions',
  memory64: 'memory64',
  gc: 'garbage collection',
};

/** What a decode-and-validate with some feature set gave; only the verdict and the module matter here. */
export type Verdict = { ok: true } | { ok: false; stage: string; message: string; module?: Module };

/**
 * The later (WebAssembly 3.0) feature outside the script's feature set that
 * a module uses, by name, or null when it uses none. `check` decodes and
 * validates the module with a feature set. The module uses a feature when
 * the script's set refuses it and switching on that feature alone makes
 * cmr's own decoder and validator accept it.
 */
export async function featureOutside(
  script: CoreFeatures,
  check: (features: CoreFeatures) => Promise<Verdict>,
): Promise<string | null> {
  const refused = await check(script);
  if (refused.ok) return null;
  for (const field of Object.keys(featureNames) as (keyof CoreFeatures)[]) {
    if (script[field] || !WASM_3_0_SUPPORTED[field]) continue;
    if ((await check({ ...script, [field]: true })).ok) return featureNames[field];
  }
  return null;
}
