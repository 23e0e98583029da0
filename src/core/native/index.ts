// The native core engine: the same module bytes, run by the host's own
// WebAssembly engine (V8), behind the extern interface the interpreter's
// instances have, so the two link to each other and the harness compares
// them assertion by assertion.

import type { Module } from '../syntax/ast.js';
import type { CoreEngine, ExternVal, ModuleInstance } from '../runtime/instance.js';
import { featureFromCompileError, missingFeature, UnsupportedFeature } from './features.js';
import { instantiateNative } from './instantiate.js';
import { compileModule } from './compile.js';
import './gc-probe.js'; // tells the harness's GC result patterns what the host's GC objects are

export { hostFeatures, UnsupportedFeature, type HostFeature } from './features.js';
export { NativeFunc, NotCallableFromJs } from './funcs.js';
export { NativeGlobal } from './globals.js';
export { NativeTable } from './tables.js';
export { HostTrap, hostTrapKind } from './traps.js';
export { hostHasJspi, suspendNativeCall, takeNativeSuspension, NATIVE_SUSPEND } from './jspi.js';

/**
 * Why the host engine cannot run `m`, as a skip reason ("host engine lacks
 * simd"), or null when it can. With the bytes, a module the host rejects
 * for want of a proposal it names is caught too.
 */
export function unsupportedFeature(m: Module, bytes?: Uint8Array): string | null {
  const feature = missingFeature(m) ?? (bytes === undefined ? null : featureTheHostRejects(bytes));
  if (feature !== null) return new UnsupportedFeature(feature).message.replace(/^skip: /, '');
  return null;
}

function featureTheHostRejects(bytes: Uint8Array): string | null {
  if (WebAssembly.validate(bytes)) return null;
  try {
    new WebAssembly.Module(bytes);
    return null;
  } catch (e) {
    return e instanceof Error ? featureFromCompileError(e.message) : null;
  }
}

export class NativeEngine implements CoreEngine {
  readonly name = 'native';

  async instantiate(module: Module, bytes: Uint8Array, imports: ExternVal[]): Promise<ModuleInstance> {
    const feature = missingFeature(module);
    if (feature !== null) throw new UnsupportedFeature(feature);
    return instantiateNative(module, bytes, imports);
  }

  /** Starts compiling `module` on V8's background threads (compile.ts), unless this host cannot run it. */
  ready(module: Module, bytes: Uint8Array): void {
    if (missingFeature(module) === null) compileModule(module, bytes);
  }
}
