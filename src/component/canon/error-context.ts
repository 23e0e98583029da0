// Error contexts (CanonicalABI.md "canon error-context.new", "debug-message",
// "drop"; definitions.py ErrorContext): an immutable debug message a
// component can hand around as a handle. The spec lets the host drop or
// transform the message; cmr keeps it as given.

import type { Value } from '../../core/runtime/values.js';
import { checkMayLeave, LiftLowerContext, type CanonicalOptions, type ComponentInstance } from './context.js';
import { loadStringFromRange, storeString } from './strings.js';
import { trap } from './traps.js';
import { ErrorContext } from './values.js';


export function errorContextNew(inst: ComponentInstance, opts: CanonicalOptions, ptr: number, taggedCodeUnits: number): Value[] {
  checkMayLeave(inst);
  const cx = new LiftLowerContext(opts, inst);
  const loaded = loadStringFromRange(cx, ptr >>> 0, taggedCodeUnits >>> 0);
  const s = typeof loaded === 'string' ? loaded : loaded.value;
  return [inst.handles.add(new ErrorContext(s))];
}

function getErrorContext(inst: ComponentInstance, i: number, remove: boolean): ErrorContext {
  const e = remove ? inst.handles.remove(i) : inst.handles.get(i);
  if (!(e instanceof ErrorContext)) trap(`handle index ${i >>> 0} is not an error-context`);
  return e;
}

export function errorContextDebugMessage(inst: ComponentInstance, opts: CanonicalOptions, i: number, ptr: number): Value[] {
  checkMayLeave(inst);
  const e = getErrorContext(inst, i, false);
  storeString(new LiftLowerContext(opts, inst), e.debugMessage, ptr >>> 0);
  return [];
}

export function errorContextDrop(inst: ComponentInstance, i: number): Value[] {
  checkMayLeave(inst);
  getErrorContext(inst, i, true);
  return [];
}
