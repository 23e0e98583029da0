// When the host engine implements a later standard than the script runs
// under. The core-2.0 suite asserts that some modules are invalid or
// malformed that WebAssembly 3.0 allows (two memories, a memory index where
// 2.0 has a reserved zero byte, global.get of a module-defined global in a
// constant expression). A host that implements 3.0 accepts them, rightly
// for its standard: its verdict then says nothing about the script's, so
// the native engine's outcome is a skip with this reason, never a failure.

import type { Module } from '../core/syntax/ast.js';
import { WASM_3_0_SUPPORTED, type CoreFeatures } from '../core/syntax/feature-set.js';

/** How each CoreFeatures field is named in a skip reason. */
const featureNames: Record<keyof CoreFeatures, string> = {
  multiMemory: 'multi-memory',
  exceptions: 'exception handling',
  threads: 'shared memories',
  relaxedSimd: 'relaxed SIMD',
  functionReferences: 'typed function references',
  tailCalls: 'tail calls',
  extendedConst: 'extended constant expressions',
};

/** What a decode-and-validate with some feature set gave; only the verdict and the module matter here. */
export type Verdict = { ok: true } | { ok: false; stage: string; message: string; module?: Module };

/**
 * The WebAssembly 3.0 feature that allows a module the script's feature set
 * refuses, as a skip reason, or null when no later feature explains the
 * refusal. `check` decodes and validates the module with a feature set.
 * A feature explains it when switching on that feature alone makes cmr's
 * own decoder and validator accept the module.
 */
export async function allowedByLaterStandard(
  script: CoreFeatures,
  check: (features: CoreFeatures) => Promise<Verdict>,
): Promise<string | null> {
  const refused = await check(script);
  if (refused.ok) return null;
  for (const field of Object.keys(featureNames) as (keyof CoreFeatures)[]) {
    if (script[field] || !WASM_3_0_SUPPORTED[field]) continue;
    if ((await check({ ...script, [field]: true })).ok) return laterReason(featureNames[field], refused.message);
  }
  return null;
}

function laterReason(feature: string, message: string): string {
  return `the host engine implements WebAssembly 3.0 (${feature}), which allows this module; only the script's standard refuses it ("${message}")`;
}
