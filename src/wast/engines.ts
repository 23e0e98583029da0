// The two core engines as the harness drives them.

import { Interpreter } from '../core/exec/index.js';
import { NativeEngine, unsupportedFeature } from '../core/native/index.js';
import type { EngineEntry, EngineName } from './compare.js';
import { parseEngineList } from './engine-names.js';
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

export function adaptersFor(which: 'interp' | 'native' | 'both' | EngineName[]): Partial<Record<EngineName, EngineEntry>> {
  const list = typeof which === 'string' ? parseEngineList(which) : which;
  const out: Partial<Record<EngineName, EngineEntry>> = {};
  if (list.includes('interp')) out.interp = interpAdapter();
  if (list.includes('native')) out.native = nativeAdapter();
  if (list.includes('jco')) out.jco = jcoEntry();
  return out;
}
