// The interpreter's module instance (spec §4.2.5) and its functions.

import type { NameMap } from '../syntax/ast.js';
import type { FuncType } from '../syntax/types.js';
import { FuncInst } from '../runtime/func.js';
import type { GlobalInst } from '../runtime/global.js';
import type { ExternVal, ModuleInstance } from '../runtime/instance.js';
import type { MemoryInst } from '../runtime/memory.js';
import type { TableInst } from '../runtime/table.js';
import type { TagInst } from '../runtime/tag.js';
import type { Ref, Value } from '../runtime/values.js';
import type { Code, PreparedModule } from './prepare.js';
import { invokeWasm } from './invoke.js';
import type { SuspendableCall } from '../runtime/suspendable.js';
import { InterpCall } from './suspendable-call.js';

export class ModuleInst implements ModuleInstance {
  readonly types: FuncType[];
  /**
   * The function index space, imports first. A defined function's slot is
   * null until something refers to it (a call, ref.func, an export, a table
   * entry read, the start function): read it through `funcAt`, which makes
   * it then, once, so each function has one identity. A 12 MB module of
   * 12 669 functions makes the ~300 its first call reaches.
   */
  readonly funcs: (FuncInst | null)[] = [];
  readonly tables: TableInst[] = [];
  readonly mems: MemoryInst[] = [];
  readonly globals: GlobalInst[] = [];
  /** Tags: imported ones are the exporter's objects, defined ones fresh per instance. */
  readonly tags: TagInst[] = [];
  /** Element segments' references; a dropped segment is empty. */
  readonly elems: (readonly Ref[])[] = [];
  /** Data segments' bytes; a dropped segment is empty. */
  readonly datas: Uint8Array[] = [];
  readonly exports = new Map<string, ExternVal>();
  /**
   * Memory 0, which every memory instruction of WebAssembly 2.0 addresses
   * and the loop caches; other memories (multi-memory) are read from `mems`.
   */
  mem0: MemoryInst | null = null;

  constructor(
    types: FuncType[],
    /** The module's Codes, which its functions are made with. */
    private readonly prepared: PreparedModule,
    /** The module's name section, for naming frames in a trap's backtrace. */
    readonly names: NameMap | null = null,
  ) {
    this.types = types;
  }

  /** Function `x` of the index space, made on its first reference. */
  funcAt(x: number): FuncInst {
    return this.funcs[x] ?? this.makeFunc(x);
  }

  private makeFunc(x: number): FuncInst {
    const f = new WasmFunc(this, this.prepared.code(x - this.prepared.nimported));
    this.funcs[x] = f;
    return f;
  }
}

/** A function defined by an interpreted module. Calls between these stay inside one interpreter loop. */
export class WasmFunc extends FuncInst {
  constructor(readonly inst: ModuleInst, readonly code: Code) {
    super(code.type);
  }

  call(args: Value[]): Value[] {
    return invokeWasm(this, args);
  }

  /** The interpreter can always stop its own code at a host call (suspendable-call.ts). */
  override suspendable(): SuspendableCall {
    return new InterpCall(this);
  }
}
