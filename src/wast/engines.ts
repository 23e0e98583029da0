// The two core engines as the harness drives them.

import { Interpreter } from '../core/exec/index.js';
import { NativeEngine, unsupportedFeature } from '../core/native/index.js';
import { moduleFeatures } from '../core/syntax/features.js';
import type { EngineName } from './compare.js';
import type { EngineAdapter } from './runner.js';

export function interpAdapter(): EngineAdapter {
  return {
    engine: new Interpreter(),
    cannotRun: (m) => (moduleFeatures(m).has('simd') ? 'SIMD execution is not implemented in the interpreter yet' : null),
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

export function adaptersFor(which: 'interp' | 'native' | 'both'): Partial<Record<EngineName, EngineAdapter>> {
  const out: Partial<Record<EngineName, EngineAdapter>> = {};
  if (which !== 'native') out.interp = interpAdapter();
  if (which !== 'interp') out.native = nativeAdapter();
  return out;
}
