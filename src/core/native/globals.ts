// Globals in the host engine: a NativeGlobal is a GlobalInst whose value is
// a WebAssembly.Global's. Integer and reference values go through the JS
// API's `value`; float and v128 values through a trampoline (trampolines.ts)
// so no bit is lost.

import { GlobalInst } from '../runtime/global.js';
import type { Value } from '../runtime/values.js';
import { FUNCREF, type GlobalType } from '../syntax/types.js';
import { fromWire, pushWire } from './funcs.js';
import { globalAccessors, newWireGlobal, type WireAccessors } from './trampolines.js';
import { jsValueType, needsWire } from './wire.js';

export class NativeGlobal extends GlobalInst {
  /** Made on first access of a float or v128 global; most globals are never read from outside. */
  private accessors: WireAccessors | null = null;

  constructor(type: GlobalType, readonly global: WebAssembly.Global) {
    super(type, null);
  }

  private wire(): WireAccessors {
    return (this.accessors ??= globalAccessors(this.global, this.type.type, this.type.mutable));
  }

  override get value(): Value {
    const t = this.type.type;
    if (needsWire(t)) return fromWire(t, this.wire().get(), 0);
    return fromWire(t, [this.global.value], 0);
  }

  override set value(v: Value) {
    const t = this.type.type;
    const wire: unknown[] = [];
    pushWire(t, v, wire);
    if (needsWire(t)) this.wire().set(wire);
    else this.global.value = wire[0];
  }
}

/** The native globals that base globals moved to, and the GlobalInst each native global stands for. */
const movedTo = new WeakMap<GlobalInst, WebAssembly.Global>();
const globalInstOf = new WeakMap<WebAssembly.Global, GlobalInst>();

/** A new WebAssembly.Global of type `type` holding `v`. */
function newGlobal(type: GlobalType, v: Value): WebAssembly.Global {
  const t = type.type;
  const wire: unknown[] = [];
  pushWire(t, v, wire);
  if (needsWire(t)) return newWireGlobal(t, type.mutable, wire);
  const desc = { value: jsValueType(t), mutable: type.mutable };
  // The JS API treats an absent value as the default, and `undefined` as an externref that is not null.
  return t === FUNCREF && v === null ? new WebAssembly.Global(desc, null) : new WebAssembly.Global(desc, wire[0]);
}

/**
 * The WebAssembly.Global to import for `g`. A NativeGlobal is itself; an
 * immutable global of another engine is copied (nobody can tell); a mutable
 * one moves into a new WebAssembly.Global (GlobalInst.moveTo), so both
 * engines share every write from then on.
 */
export function nativeGlobalOf(g: GlobalInst): WebAssembly.Global {
  if (g instanceof NativeGlobal) return g.global;
  let global = movedTo.get(g);
  if (global === undefined) {
    global = newGlobal(g.type, g.value);
    if (g.type.mutable) g.moveTo(new NativeGlobal(g.type, global));
    movedTo.set(g, global);
    globalInstOf.set(global, g);
  }
  return global;
}

/** The GlobalInst for a global a native instance exports: the one it was made from if imported, else a new NativeGlobal. */
export function globalInstFor(global: WebAssembly.Global, type: GlobalType): GlobalInst {
  let g = globalInstOf.get(global);
  if (g === undefined) {
    g = new NativeGlobal(type, global);
    globalInstOf.set(global, g);
  }
  return g;
}
