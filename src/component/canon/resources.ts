// Resource handles (CanonicalABI.md "Resource State", lift_own/lift_borrow
// in "Loading", lower_own/lower_borrow in "Storing", and the
// `canon resource.new/drop/rep` built-ins).
//
// Every component instance has one handle table (ComponentInstance.handles)
// shared by all its resource types; each slot remembers its resource type,
// and every use checks it. `own` handles move between tables (lift_own
// removes, lower_own adds); `borrow` handles are lent for the duration of a
// call: lifting one counts a lend on the source handle until the call
// returns (Subtask.add_lender), lowering one creates a borrow handle that
// the callee must drop before it returns (Task.num_borrows) — unless the
// callee implements the resource, in which case it receives the bare rep.

import { HostFunc, type FuncInst } from '../../core/runtime/func.js';
import { I32 } from '../../core/syntax/types.js';
import { resourceName, type ResourceType } from '../syntax/types.js';
import { checkMayLeave, Subtask, Task, type ComponentInstance, type LiftLowerContext } from './context.js';
import { CanonTrap, trap, wrongHandleType } from './traps.js';
import { ErrorContext, ResourceValue } from './values.js';

/** A resource handle in a handle table (definitions.py ResourceHandle). */
export class ResourceHandle {
  numLends = 0;
  constructor(
    readonly rt: ResourceType,
    readonly rep: number,
    readonly own: boolean,
    /** For a borrow handle: the task whose call lent it. */
    readonly borrowScope: Task | null = null,
  ) {}
}

// ---- the runtime side of resource types ----------------------------------------------

/** A destructor supplied by the host for a host-defined resource. */
export type HostDtor = (rep: number) => void;

/**
 * What definitions.py's ResourceType holds beyond identity: the instance
 * that implements it (null for the host) and its destructor (a core
 * function of the implementing instance, a host callback, or none).
 */
export interface ResourceImpl {
  impl: ComponentInstance | null;
  dtor: FuncInst | HostDtor | null;
}

const impls = new WeakMap<ResourceType, ResourceImpl>();

/**
 * Records who implements `rt` at run time. Instantiation calls it for every
 * resource type a component defines (fresh per instantiation); the host for
 * the resources it defines (impl null).
 */
export function defineResource(rt: ResourceType, impl: ComponentInstance | null, dtor: FuncInst | HostDtor | null = null): void {
  impls.set(rt, { impl, dtor });
}

export function resourceImpl(rt: ResourceType): ResourceImpl | undefined {
  return impls.get(rt);
}

function isGuestDefined(rt: ResourceType): boolean {
  const i = impls.get(rt);
  return i ? i.impl !== null : rt.rep !== null;
}

// ---- handle lookups ---------------------------------------------------------------

function checkResourceHandle(e: object, i: number, rt: ResourceType): ResourceHandle {
  if (!(e instanceof ResourceHandle)) trap(`handle index ${i >>> 0} is not a resource handle`);
  if (e.rt !== rt) wrongHandleType(i, isGuestDefined(rt), isGuestDefined(e.rt));
  return e;
}

function traceHandle(inst: ComponentInstance, op: 'new' | 'lend' | 'return-lend' | 'remove' | 'drop' | 'rep' | 'borrow-rep', index: number, h: { rt: ResourceType; rep: number; own: boolean }, text: string): void {
  inst.emit({ kind: 'handle', op, index, resource: resourceName(h.rt), rep: h.rep, own: h.own, instance: inst.name, text });
}

// ---- lifting and lowering handles ----------------------------------------------------

/** lift_own: moves the handle out of the table; the value carries its rep. */
export function liftOwn(cx: LiftLowerContext, i: number, rt: ResourceType): ResourceValue {
  const h = checkResourceHandle(cx.inst.handles.remove(i), i, rt);
  if (h.numLends !== 0) trap(CanonTrap.ownWhileBorrowed);
  if (!h.own) trap(`handle index ${i >>> 0} is a borrow, not an owned resource`);
  if (cx.inst.tracing) traceHandle(cx.inst, 'remove', i >>> 0, h, `${cx.inst.name}: own handle ${i >>> 0} (${resourceName(rt)}, rep ${h.rep}) leaves the table: ownership moves out`);
  return new ResourceValue(rt, h.rep, true);
}

/** lift_borrow: reads the handle's rep and lends the handle until the call returns. */
export function liftBorrow(cx: LiftLowerContext, i: number, rt: ResourceType): ResourceValue {
  const h = checkResourceHandle(cx.inst.handles.get(i), i, rt);
  const scope = cx.borrowScope;
  if (!(scope instanceof Subtask)) throw new Error('lift_borrow outside of a lowered call');
  scope.addLender(h);
  if (cx.inst.tracing) traceHandle(cx.inst, 'lend', i >>> 0, h, `${cx.inst.name}: handle ${i >>> 0} (${resourceName(rt)}, rep ${h.rep}) lent for the call (lends: ${h.numLends})`);
  return new ResourceValue(rt, h.rep, false);
}

function checkResourceValue(v: unknown, rt: ResourceType): ResourceValue {
  if (!(v instanceof ResourceValue)) throw new TypeError(`expected a ResourceValue of ${resourceName(rt)}, got ${String(v)}`);
  if (v.type !== rt) throw new TypeError(`expected a handle of ${resourceName(rt)}, got one of ${resourceName(v.type)}`);
  return v;
}

/** lower_own: a new owning handle in the lowering instance's table. */
export function lowerOwn(cx: LiftLowerContext, v: unknown, rt: ResourceType): number {
  const rv = checkResourceValue(v, rt);
  if (!rv.own) throw new TypeError(`expected an owned handle of ${resourceName(rt)}, got a borrow`);
  if (rv.consumed) throw new TypeError(`the owned handle of ${resourceName(rt)} (rep ${rv.rep}) was already transferred`);
  rv.consumed = true;
  const h = new ResourceHandle(rt, rv.rep, true);
  const i = cx.inst.handles.add(h);
  if (cx.inst.tracing) traceHandle(cx.inst, 'new', i, h, `${cx.inst.name}: new own handle ${i} for ${resourceName(rt)} rep ${rv.rep}`);
  return i;
}

/**
 * lower_borrow: a borrow handle scoped to the current task — or, when the
 * lowering instance implements the resource, the rep itself (all it could
 * do with a handle is call resource.rep).
 */
export function lowerBorrow(cx: LiftLowerContext, v: unknown, rt: ResourceType): number {
  const rv = checkResourceValue(v, rt);
  // An owned value the host gave away or dropped no longer stands for the
  // resource: its rep may already be freed, or reused by another.
  if (rv.consumed) throw new TypeError(`the owned handle of ${resourceName(rt)} (rep ${rv.rep}) was already transferred or dropped`);
  if (resourceImpl(rt)?.impl === cx.inst) {
    if (cx.inst.tracing) traceHandle(cx.inst, 'borrow-rep', rv.rep, { rt, rep: rv.rep, own: false }, `${cx.inst.name}: borrow of its own ${resourceName(rt)} arrives as rep ${rv.rep}`);
    return rv.rep;
  }
  const scope = cx.borrowScope;
  if (!(scope instanceof Task)) throw new Error('lower_borrow outside of a lifted call');
  const h = new ResourceHandle(rt, rv.rep, false, scope);
  scope.numBorrows += 1;
  const i = cx.inst.handles.add(h);
  if (cx.inst.tracing) traceHandle(cx.inst, 'new', i, h, `${cx.inst.name}: new borrow handle ${i} for ${resourceName(rt)} rep ${rv.rep} (must be dropped before the call returns)`);
  return i;
}

// ---- error contexts (kept here: they live in the same handle table) ------------------

export function liftErrorContext(cx: LiftLowerContext, i: number): ErrorContext {
  const e = cx.inst.handles.get(i);
  if (!(e instanceof ErrorContext)) trap(`handle index ${i >>> 0} is not an error-context`);
  return e;
}

export function lowerErrorContext(cx: LiftLowerContext, v: unknown): number {
  if (!(v instanceof ErrorContext)) throw new TypeError('expected an ErrorContext');
  return cx.inst.handles.add(v);
}

// ---- canon resource.new / resource.drop / resource.rep ----------------------------------

/** canon_resource_new: a new owning handle for `rep` in `inst`'s table. */
export function canonResourceNew(rt: ResourceType, inst: ComponentInstance, rep: number): number {
  checkMayLeave(inst);
  const h = new ResourceHandle(rt, rep >>> 0, true);
  const i = inst.handles.add(h);
  if (inst.tracing) traceHandle(inst, 'new', i, h, `${inst.name}: resource.new ${resourceName(rt)} rep ${h.rep} -> own handle ${i}`);
  return i;
}

/**
 * canon_resource_drop: removes the handle; dropping an `own` handle runs the
 * destructor, dropping a borrow returns it to its task's count.
 */
export function canonResourceDrop(rt: ResourceType, inst: ComponentInstance, i: number): void {
  checkMayLeave(inst);
  const h = checkResourceHandle(inst.handles.remove(i), i, rt);
  if (h.numLends !== 0) trap(CanonTrap.ownWhileBorrowed);
  if (inst.tracing) traceHandle(inst, 'drop', i >>> 0, h, `${inst.name}: resource.drop ${h.own ? 'own' : 'borrow'} handle ${i >>> 0} (${resourceName(rt)}, rep ${h.rep})`);
  if (h.own) {
    callDestructor(rt, h.rep, inst);
  } else {
    h.borrowScope!.numBorrows -= 1;
  }
}

/**
 * Runs `rt`'s destructor on behalf of `caller` (null: the host). The spec
 * does this as a canon_lower of a canon_lift of the destructor with type
 * (func (param u32)); for that type the pair reduces to the reentrance
 * check on the implementing instance around a plain core call.
 */
export function callDestructor(rt: ResourceType, rep: number, caller: ComponentInstance | null): void {
  const ri = impls.get(rt);
  if (!ri || ri.dtor === null) return;
  caller?.emit({ kind: 'dtor', resource: resourceName(rt), rep, text: `destructor of ${resourceName(rt)} runs on rep ${rep}` });
  if (typeof ri.dtor === 'function') {
    ri.dtor(rep);
    return;
  }
  const impl = ri.impl;
  if (impl !== null) {
    if (!impl.mayEnterFrom(caller)) trap(CanonTrap.cannotEnter);
    impl.enterFrom(caller);
  }
  ri.dtor.call([rep | 0]);
  impl?.leaveTo(caller);
}

/** canon_resource_rep: the rep behind a handle of a resource `inst` implements. */
export function canonResourceRep(rt: ResourceType, inst: ComponentInstance, i: number): number {
  const h = checkResourceHandle(inst.handles.get(i), i, rt);
  if (inst.tracing) traceHandle(inst, 'rep', i >>> 0, h, `${inst.name}: resource.rep of handle ${i >>> 0} is ${h.rep}`);
  return h.rep;
}

/** Drops an owned resource the host holds (the host's resource.drop). */
export function dropResourceValue(v: ResourceValue): void {
  if (!v.own) throw new TypeError('only an owned handle can be dropped');
  if (v.consumed) throw new TypeError('the owned handle was already transferred or dropped');
  v.consumed = true;
  callDestructor(v.type, v.rep, null);
}

// The built-ins as core functions, ready to be imported by core modules.

export function resourceNewFunc(rt: ResourceType, inst: ComponentInstance): HostFunc {
  return new HostFunc({ params: [I32], results: [I32] }, ([rep]) => [canonResourceNew(rt, inst, rep as number) | 0], 'resource.new');
}

export function resourceDropFunc(rt: ResourceType, inst: ComponentInstance): HostFunc {
  return new HostFunc({ params: [I32], results: [] }, ([i]) => { canonResourceDrop(rt, inst, i as number); return []; }, 'resource.drop');
}

export function resourceRepFunc(rt: ResourceType, inst: ComponentInstance): HostFunc {
  return new HostFunc({ params: [I32], results: [I32] }, ([i]) => [canonResourceRep(rt, inst, i as number) | 0], 'resource.rep');
}
