// The two core engines as the harness drives them.

import { Interpreter } from '../core/exec/index.js';
import { NativeEngine, unsupportedFeature } from '../core/native/index.js';
import type { EngineEntry, EngineName } from './compare.js';
import { ENGINE_NAMES } from './compare.js';
import { JcoScriptRun } from './jco-engine.js';
import type { EngineAdapter } from './runner.js';

export function interpAdapter(): EngineAdapter {
  return {
    engine: new Interpreter(),
    cannotRun: () => null,
  };
}

export function nativeAdapter(): EngineAdapter {
  return {
    engine: new NativeEngine(),
    cannotRun: (m, bytes) => unsupportedFeature(m, bytes),
    // The host's own verdict on modules that must be rejected: an
    // independent check of cmr's decoder and validator.
    rejects: async (bytes) => {
      try {
        await WebAssembly.compile(bytes);
        return null;
      } catch (e) {
        return e instanceof Error ? e.message : String(e);
      }
    },
  };
}

/** jco: transpiles each component and runs it with its own canonical ABI (jco-engine.ts). */
export function jcoEntry(): EngineEntry {
  return { runScript: (directives, features, onOutcome) => new JcoScriptRun(features).run(directives, onOutcome) };
}

/**
 * The engines an --engine value names: a comma list of interp, native and
 * jco, `both` standing for interp,native. Throws on an unknown name.
 */
export function parseEngineList(spec: string): EngineName[] {
  const names = new Set<EngineName>();
  for (const raw of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (raw === 'both') { names.add('interp'); names.add('native'); continue; }
    if (!(ENGINE_NAMES as readonly string[]).includes(raw)) throw new Error(`unknown engine "${raw}" (engines: ${ENGINE_NAMES.join(', ')}, or both)`);
    names.add(raw as EngineName);
  }
  if (names.size === 0) throw new Error('no engine given');
  return ENGINE_NAMES.filter((e) => names.has(e));
}

export function adaptersFor(which: 'interp' | 'native' | 'both' | EngineName[]): Partial<Record<EngineName, EngineEntry>> {
  const list = typeof which === 'string' ? parseEngineList(which) : which;
  const out: Partial<Record<EngineName, EngineEntry>> = {};
  if (list.includes('interp')) out.interp = interpAdapter();
  if (list.includes('native')) out.native = nativeAdapter();
  if (list.includes('jco')) out.jco = jcoEntry();
  return out;
}
