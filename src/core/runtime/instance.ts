// What every engine's instantiation yields, and what linking consumes.

import type { FuncInst } from './func.js';
import type { GlobalInst } from './global.js';
import type { MemoryInst } from './memory.js';
import type { TableInst } from './table.js';
import type { TagInst } from './tag.js';
import type { Module } from '../syntax/ast.js';

export type ExternVal =
  | { kind: 'func'; value: FuncInst }
  | { kind: 'table'; value: TableInst }
  | { kind: 'memory'; value: MemoryInst }
  | { kind: 'global'; value: GlobalInst }
  | { kind: 'tag'; value: TagInst };

/** A module instance as seen from outside: its exports, by name, in order. */
export interface ModuleInstance {
  readonly exports: Map<string, ExternVal>;
}

/**
 * A core engine: the interpreter or the host's native engine. Both take the
 * decoded and validated module (and its bytes, which the native engine
 * compiles), and imports already resolved in the module's import order.
 * Instantiation raises LinkError for imports that do not match and Trap for
 * a trap in segment initialisation or the start function.
 */
export interface CoreEngine {
  readonly name: 'interp' | 'native';
  instantiate(module: Module, bytes: Uint8Array, imports: ExternVal[]): Promise<ModuleInstance>;
  /**
   * Told that `module` will likely be instantiated (a component was just
   * loaded): the engine may start the work instantiation would wait for.
   */
  ready?(module: Module, bytes: Uint8Array): void;
}
