// How the WASI interfaces are put into a Linker: one linker instance per
// interface, at the version the host implements, with every function
// finding its WasiCtx through the store of the instance that calls it.

import type { HostCallContext, LinkerInstance, Linker } from '../api/linker.js';
import type { ResourceType } from '../api/resource-type.js';
import type { Store } from '../api/store.js';
import type { WasiCtx } from './ctx.js';
import { dropResource } from './resources.js';

/**
 * The WASI version the host defines its interfaces at. The Linker matches
 * imports semver-compatibly (src/api/semver-names.ts), so this serves every
 * 0.2.x import.
 */
export const WASI_VERSION = '0.2.6';

/** Finds the WasiCtx of a call from the caller's store. */
export type CtxOf<T> = (store: Store<T>) => WasiCtx;

/** The definitions of one WASI interface. */
export class WasiInterface<T> {
  private readonly node: LinkerInstance<T>;

  constructor(linker: Linker<T>, private readonly ctxOf: CtxOf<T>, name: string) {
    this.node = linker.instance(`${name}@${WASI_VERSION}`);
  }

  /** Defines function `name`; `impl` gets the call's WasiCtx first, then the component values of the arguments. */
  func(name: string, impl: (ctx: WasiCtx, ...args: any[]) => unknown): this {
    const ctxOf = this.ctxOf;
    this.node.funcWrap(name, function (this: HostCallContext<T>, ...args: any[]) {
      return impl(ctxOf(this.store), ...args);
    });
    return this;
  }

  /** Defines resource `name` as the host type `type`; dropping an owned handle frees its state. */
  resource(name: string, type: ResourceType): this {
    this.node.resource(name, type, (rep) => dropResource(rep));
    return this;
  }
}
