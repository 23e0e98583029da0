// The ambient state of lifting and lowering (CanonicalABI.md "Component
// Instances", "Canonical ABI Options", "Lifting and Lowering Context",
// "Tasks"): options, component instances, the lifting and lowering context.
// Tasks, subtasks and threads have files of their own.

import type { FuncInst } from '../../core/runtime/func.js';
import { Trap } from '../../core/errors.js';
import type { MemoryInst } from '../../core/runtime/memory.js';
import type { Value } from '../../core/runtime/values.js';
import type { StringEncoding } from '../syntax/ast.js';
import type { PtrType } from './layout.js';
import type { Subtask } from './subtask.js';
import type { Task } from './task.js';
import type { Thread, Wait } from './thread.js';
import { Table } from './table.js';
import { CanonStore, type TraceEvent } from './trace.js';
import { CanonTrap, trap, trapOnThrow, type Peer } from './traps.js';
import type { ComponentValue } from './values.js';

// ---- options ------------------------------------------------------------------

/**
 * CanonicalOptions of definitions.py (which nests LiftOptions and
 * LiftLowerOptions inside it), with the memory's address type spelled out:
 * `ptrType` is 'i64' only for a memory64 `memory` option.
 */
export interface CanonicalOptions {
  stringEncoding: StringEncoding;
  memory: MemoryInst | null;
  ptrType: PtrType;
  realloc: FuncInst | null;
  postReturn: FuncInst | null;
  async: boolean;
  callback: FuncInst | null;
}

/** Options with the spec's defaults for whatever `o` leaves out. */
export function canonicalOptions(o: Partial<CanonicalOptions> = {}): CanonicalOptions {
  return {
    stringEncoding: o.stringEncoding ?? 'utf8',
    memory: o.memory ?? null,
    ptrType: o.ptrType ?? 'i32',
    realloc: o.realloc ?? null,
    postReturn: o.postReturn ?? null,
    async: o.async ?? false,
    callback: o.callback ?? null,
  };
}

// ---- component instances ---------------------------------------------------------

/** What a handle-table slot can hold; the async engine adds waitables etc. */
export type HandleElement = object;

/**
 * The canonical ABI's view of one component instance (definitions.py
 * `ComponentInstance`): its handle table and the flags that guard entering
 * (Component Invariant #2: no reentrance) and leaving (no calls out during
 * post-return or realloc).
 */
export class ComponentInstance {
  readonly handles = new Table<HandleElement>();
  mayEnter = true;
  mayLeave = true;
  /** The threads of this instance's tasks, by the index thread.* built-ins use. */
  readonly threads = new Table<Thread>();
  backpressure = 0;
  numWaitingToEnter = 0;
  /** The thread holding the instance exclusively (a sync-lifted or callback task's implicit thread while it runs core code). */
  exclusiveThread: Thread | null = null;

  constructor(
    readonly store: CanonStore = new CanonStore(),
    readonly parent: ComponentInstance | null = null,
    /** For traces and messages. */
    readonly name: string = 'component',
  ) {}

  mayEnterFrom(caller: ComponentInstance | null): boolean {
    for (const inst of this.enteringSet(caller)) if (!inst.mayEnter) return false;
    return true;
  }

  enterFrom(caller: ComponentInstance | null): void {
    for (const inst of this.enteringSet(caller)) inst.mayEnter = false;
  }

  leaveTo(caller: ComponentInstance | null): void {
    for (const inst of this.enteringSet(caller)) inst.mayEnter = true;
  }

  /**
   * Entering an instance also enters its ancestors, minus those the caller is
   * already inside (so a parent may be re-entered by its child: "donut
   * wrapping"). Made once per caller (null: the host) and kept, since
   * parents never change: every call enters and leaves by it.
   */
  enteringSet(caller: ComponentInstance | null): readonly ComponentInstance[] {
    if (caller === null) return this.enteringFromHost ??= this.selfAndAncestors();
    let s = this.enteringFrom.get(caller);
    if (s === undefined) {
      const inside = caller.selfAndAncestors();
      s = this.selfAndAncestors().filter((i) => !inside.includes(i));
      this.enteringFrom.set(caller, s);
    }
    return s;
  }

  private enteringFromHost: readonly ComponentInstance[] | null = null;
  private readonly enteringFrom = new WeakMap<ComponentInstance, readonly ComponentInstance[]>();

  selfAndAncestors(): ComponentInstance[] {
    const s: ComponentInstance[] = [];
    for (let i: ComponentInstance | null = this; i !== null; i = i.parent) s.push(i);
    return s;
  }

  emit(e: TraceEvent): void {
    this.store.trace?.(e);
  }

  get tracing(): boolean {
    return this.store.trace !== null;
  }
}

// ---- tasks and subtasks -------------------------------------------------------------

export type OnStart = () => ComponentValue[];
export type OnResolve = (result: ComponentValue[] | null) => void;
export type OnCancel = (caller: ComponentInstance | null) => Wait<void>;

export { Task, TaskState } from './task.js';
export { Subtask, SubtaskState } from './subtask.js';

// ---- the lifting and lowering context -------------------------------------------------

/**
 * LiftLowerContext of definitions.py, plus two things the spec leaves to
 * the implementation:
 * - `peer`: whether the values come from or go to the host or another
 *   component, which selects the trap wording (see traps.ts);
 * - `keepStringHints`: whether lifted strings keep their source encoding and
 *   length (strings.ts HintedString), which they must when they are about
 *   to be lowered into another component, so that `store_string` makes the
 *   same realloc calls as the spec.
 */
export class LiftLowerContext {
  /** Bytes this context may still lift for another component (CanonStore.guestCopyLimit), null for no limit; unused when the peer is the host. */
  guestCopyLeft: number | null;

  constructor(
    readonly opts: CanonicalOptions,
    readonly inst: ComponentInstance,
    readonly borrowScope: Task | Subtask | null = null,
    readonly peer: Peer = 'host',
    readonly keepStringHints = false,
  ) {
    this.guestCopyLeft = inst.store.guestCopyLimit;
  }

  get memory(): MemoryInst {
    const m = this.opts.memory;
    if (m === null) throw new Error('canonical ABI: this type needs the `memory` option (validation should have required it)');
    m.refresh();
    return m;
  }

  /**
   * Calls the `realloc` option (CanonicalABI.md "Lifting and Lowering
   * Context": reallocate). Runs with `may_leave` cleared, so realloc cannot
   * call imports. Returns the pointer as an unsigned number; the caller
   * checks its alignment and bounds.
   */
  reallocate(old: number, oldByteLength: number, alignment: number, newByteLength: number): number {
    const realloc = this.opts.realloc;
    if (realloc === null) throw new Error('canonical ABI: this type needs the `realloc` option (validation should have required it)');
    this.inst.mayLeave = false;
    const wide = this.opts.ptrType === 'i64';
    const args: Value[] = wide
      ? [old, oldByteLength, alignment, newByteLength].map((x) => BigInt.asIntN(64, BigInt(x)))
      : [old | 0, oldByteLength | 0, alignment | 0, newByteLength | 0];
    let r: Value | undefined;
    try {
      r = realloc.call(args)[0];
    } catch (e) {
      throw trapOnThrow(e);
    }
    this.inst.mayLeave = true;
    const ptr = wide ? Number(BigInt.asUintN(64, r as bigint)) : (r as number) >>> 0;
    if (this.inst.tracing) {
      this.inst.emit({
        kind: 'realloc',
        args: [old, oldByteLength, alignment, newByteLength],
        result: ptr,
        text: `realloc(old ${old}, old size ${oldByteLength}, align ${alignment}, new size ${newByteLength}) returned ${ptr}`,
      });
    }
    return ptr;
  }

  allocate(alignment: number, byteLength: number): number {
    return this.reallocate(0, 0, alignment, byteLength);
  }
}

/**
 * The trap that ends a host call whose strings and lists exceed the
 * store's hostcall fuel (CanonStore.hostcallFuel), or a copy between two
 * components that exceeds the store's guest copy limit
 * (CanonStore.guestCopyLimit, the engine's hostcall fuel).
 */
export class HostcallFuelExhausted extends Trap {
  override name = 'HostcallFuelExhausted';
}

/**
 * Spends `byteLength` bytes of a lift's allowance for a string or list
 * lifted out of a guest's memory. For the host (`cx.peer` is the host),
 * the store's hostcall fuel: as in wasmtime, only lifts are charged (what
 * the host lowers it already holds). For another component, the
 * context's own allowance (CanonStore.guestCopyLimit): wasmtime copies
 * memory to memory there, but cmr lifts to JS values in between, which
 * the allowance bounds. Traps with HostcallFuelExhausted when it runs out.
 */
export function chargeHostcallFuel(cx: LiftLowerContext, what: 'string' | 'list', byteLength: number): void {
  if (cx.peer !== 'host') {
    const left = cx.guestCopyLeft;
    if (left === null) return;
    cx.guestCopyLeft = left - byteLength;
    if (cx.guestCopyLeft < 0) {
      cx.guestCopyLeft = 0;
      throw new HostcallFuelExhausted(`guest copy limit exceeded: copying a ${what} of ${byteLength} bytes out of ${cx.inst.name} for another component exceeds the ${cx.inst.store.guestCopyLimit} bytes one copy between components may lift (the engine's hostcallFuel)`);
    }
    return;
  }
  const store = cx.inst.store;
  if (store.hostcallFuel === null) return;
  store.hostcallFuel -= byteLength;
  if (store.hostcallFuel < 0) {
    store.hostcallFuel = 0;
    throw new HostcallFuelExhausted(`hostcall fuel exhausted: copying a ${what} of ${byteLength} bytes between the host and ${cx.inst.name} exceeds the bytes left for this call`);
  }
}

/**
 * The fuel a lifted list of `length` elements of `elemSize` bytes costs:
 * its bytes, but at least one JS array slot (8 bytes) per element, since
 * the host holds every element as a value however small it is in the
 * guest (as wasmtime charges a `Val` per element), so the fuel bounds the
 * host's memory, not only the guest's bytes.
 */
export function listFuelCost(length: number, elemSize: number): number {
  return length * Math.max(elemSize, 8);
}

/** Traps when core code of `inst` may not call out (during post-return or realloc). */
export function checkMayLeave(inst: ComponentInstance): void {
  if (!inst.mayLeave) trap(CanonTrap.cannotLeave);
}
