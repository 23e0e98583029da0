// When the host engine implements a later standard than the script runs
// under. The core-2.0 suite asserts that some modules are invalid or
// malformed that WebAssembly 3.0 allows (two memories, a memory index where
// 2.0 has a reserved zero byte, global.get of a module-defined global in a
// constant expression). A host that implements 3.0 accepts them, rightly
// for its standard: its verdict then says nothing about the script's, so
// the native engine's outcome is a skip with this reason, never a failure.

import type { Instr, Module } from '../core/syntax/ast.js';
import { Op } from '../core/syntax/opcodes.js';
import { WASM_3_0_SUPPORTED, type CoreFeatures } from '../core/syntax/feature-set.js';

/** How each CoreFeatures field is named in a skip reason. */
const featureNames: Record<keyof CoreFeatures, string> = {
  multiMemory: 'multi-memory',
  exceptions: 'exception handling',
  threads: 'shared memories',
  memory64: 'memory64',
};

/** What a decode-and-validate with some feature set gave; only the verdict and the module matter here. */
export type Verdict = { ok: true } | { ok: false; stage: string; message: string; module?: Module };

/**
 * The WebAssembly 3.0 feature that allows a module the script's feature set
 * refuses, as a skip reason, or null when no later feature explains the
 * refusal. `check` decodes and validates the module with a feature set.
 * A feature explains it when switching on that feature alone makes cmr's
 * own decoder and validator accept the module; a 3.0 rule cmr does not
 * implement yet is matched on the module itself (`constExprReadsDefinedGlobal`).
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
  if (refused.stage === 'validate' && /^unknown global\b/.test(refused.message)
    && refused.module !== undefined && constExprReadsDefinedGlobal(refused.module)) {
    return laterReason('constant expressions that read module-defined globals', refused.message);
  }
  return null;
}

function laterReason(feature: string, message: string): string {
  return `the host engine implements WebAssembly 3.0 (${feature}), which allows this module; only the script's standard refuses it ("${message}")`;
}

/**
 * Whether a constant expression reads a module-defined immutable global in
 * a way WebAssembly 3.0 allows and 2.0 does not: a global's initialiser may
 * read the globals defined before it, a segment's offset or items any
 * global (3.0 §3.4.10, where 2.0 allowed imported globals only).
 */
export function constExprReadsDefinedGlobal(m: Module): boolean {
  const imported = m.imports.filter((i) => i.desc.kind === 'global').length;
  const total = imported + m.globals.length;
  const mutable = (x: number) => (x < imported ? null : m.globals[x - imported]!.type.mutable);
  const readsDefined = (expr: readonly Instr[], limit: number) =>
    expr.some((i) => i.op === Op.global_get && i.a >= imported && i.a < limit && mutable(i.a) === false);
  if (m.globals.some((g, k) => readsDefined(g.init, imported + k))) return true;
  for (const e of m.elems) {
    if (e.mode.kind === 'active' && readsDefined(e.mode.offset, total)) return true;
    if (e.init.some((item) => readsDefined(item, total))) return true;
  }
  return m.datas.some((d) => d.mode.kind === 'active' && readsDefined(d.mode.offset, total));
}
