// The interpreter as a core engine whose modules run prepared for
// debugging (debug-step.ts): every instruction a node of its own, a step
// hook before each. Used by `cmr debug` and `--trace=core`; it keeps, for
// each instance it makes, the module it came from, so a debugger can name
// and print what it stops at.

import type { Module } from '../syntax/ast.js';
import type { CoreEngine, ExternVal, ModuleInstance } from '../runtime/instance.js';
import { instantiateModule } from './instantiate.js';
import type { ModuleInst } from './module-inst.js';

const modules = new WeakMap<ModuleInst, Module>();

/** The module an instance made by a SteppingInterpreter came from. */
export function moduleOf(inst: ModuleInst): Module | undefined {
  return modules.get(inst);
}

export class SteppingInterpreter implements CoreEngine {
  readonly name = 'interp' as const;

  /** Every instance made, in order (the debugger's views of globals, tables, memories). */
  readonly instances: ModuleInst[] = [];

  async instantiate(module: Module, _bytes: Uint8Array, imports: ExternVal[]): Promise<ModuleInstance> {
    return this.instantiateSync(module, imports);
  }

  instantiateSync(module: Module, imports: readonly ExternVal[]): ModuleInst {
    // Registered before instantiation runs a start function, which may stop at a breakpoint.
    const inst = instantiateModule(module, imports, true, (i) => {
      modules.set(i, module);
      this.instances.push(i);
    });
    return inst;
  }
}
