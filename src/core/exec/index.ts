// The tree-walking interpreter as a core engine.

import type { Module } from '../syntax/ast.js';
import type { CoreEngine, ExternVal, ModuleInstance } from '../runtime/instance.js';
import { instantiateModule } from './instantiate.js';

export interface InterpreterOptions {
  /**
   * Before the process's first interpreted call, run a small built-in module
   * once so that V8 optimises the interpreter loop with type feedback for
   * its common cases (feedback-priming.ts). Default: true.
   */
  primeFeedback?: boolean;
}

export class Interpreter implements CoreEngine {
  readonly name = 'interp' as const;
  readonly primeFeedback: boolean;

  constructor(options: InterpreterOptions = {}) {
    this.primeFeedback = options.primeFeedback ?? true;
  }

  async instantiate(module: Module, _bytes: Uint8Array, imports: ExternVal[]): Promise<ModuleInstance> {
    // Set before instantiation runs a start function, which may be the first call.
    return instantiateModule(module, imports, false, (inst) => { inst.primeFeedback = this.primeFeedback; });
  }
}

export { instantiateModule } from './instantiate.js';
export { ModuleInst, WasmFunc } from './module-inst.js';
export { Configuration, SUSPEND, currentConfiguration, MAX_FRAMES, MAX_VALUE_SLOTS, type RunResult } from './configuration.js';
export { invoke } from './invoke.js';
