// The tree-walking interpreter as a core engine.

import type { Module } from '../syntax/ast.js';
import type { CoreEngine, ExternVal, ModuleInstance } from '../runtime/instance.js';
import { instantiateModule } from './instantiate.js';

export class Interpreter implements CoreEngine {
  readonly name = 'interp' as const;

  async instantiate(module: Module, _bytes: Uint8Array, imports: ExternVal[]): Promise<ModuleInstance> {
    return instantiateModule(module, imports);
  }
}

export { instantiateModule } from './instantiate.js';
export { ModuleInst, WasmFunc } from './module-inst.js';
export { Configuration, SUSPEND, currentConfiguration, MAX_FRAMES, MAX_VALUE_SLOTS, type RunResult } from './configuration.js';
export { invoke } from './invoke.js';
