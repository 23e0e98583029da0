// Tags and exceptions (exception handling, WebAssembly 3.0).
//
// A tag instance is an identity: each module's defined tag is a fresh
// TagInst per instantiation, an imported tag is the very object exported.
// `catch` matches by identity, never by type. An exception (`Exn`) is what
// `throw` makes and an exnref refers to: its tag and its payload values in
// the lossless representation of values.ts. When an exception leaves the
// outermost wasm frame of a call from the host, the host sees it as a
// WasmException.

import type { FuncType } from '../syntax/types.js';
import type { Value } from './values.js';

export class TagInst {
  constructor(readonly type: FuncType) {}
}

/** An exception: an exnref's referent. */
export class Exn {
  constructor(readonly tag: TagInst, readonly payload: readonly Value[]) {}
}

/** An uncaught wasm exception, as the host sees it. */
export class WasmException extends Error {
  override name = 'WasmException';
  constructor(readonly exn: Exn) {
    super('uncaught exception');
  }
}
