// The trap messages of the canonical ABI, spelled once.
//
// definitions.py only says `trap()`; the official .wast suites check the
// words wasmtime prints, and wasmtime words a few checks differently
// depending on who is on the other side of the value transfer:
//
//  - 'component': a component-to-component call. wasmtime compiles such a
//    call into a fused adapter ("FACT"), whose traps carry the fixed trap
//    codes of wasmtime-environ's trap_encoding.rs ("unaligned pointer",
//    "string content out-of-bounds", "list content out-of-bounds", ...).
//  - 'host': the host calls a lifted export, or core code calls a lowered
//    host function. wasmtime's host-side lifting (typed.rs / values.rs)
//    words range and realloc failures differently ("string pointer/length
//    out of bounds of memory", "realloc return: beyond end of memory", ...).
//
// `Peer` names that other side; a LiftLowerContext carries it.

import { Trap } from '../../core/errors.js';
import { WasmException } from '../../core/runtime/tag.js';

export type Peer = 'host' | 'component';

/** What a realloc call or a pointer-sized range was for. */
export type RangeKind = 'string' | 'list' | 'tuple';

export const CanonTrap = {
  cannotEnter: 'cannot enter component instance',
  cannotLeave: 'cannot leave component instance',
  cannotBlockSync: 'cannot block a synchronous task before returning',
  unalignedPointer: 'unaligned pointer',
  invalidChar: 'invalid `char` bit pattern',
  invalidDiscriminant: 'invalid variant discriminant',
  invalidUtf16: 'invalid utf-16: lone surrogate found',
  borrowsRemain: 'borrow handles still remain at the end of the call',
  ownWhileBorrowed: 'cannot remove owned resource while borrowed',
  tableFull: 'handle table is full',
  stringTooLong: 'string length limit exceeded',
  listTooLong: 'list length limit exceeded',
  uncaughtException: 'uncaught exception: a core exception cannot leave component code',
} as const;

/**
 * What a core exception becomes when it leaves component code — a lifted
 * export, realloc or post-return (definitions.py: call_and_trap_on_throw):
 * a trap, which no caller can catch. From the interpreter the exception is
 * a WasmException; from the host engine, a WebAssembly.Exception. Anything
 * else is returned unchanged.
 */
export function trapOnThrow(e: unknown): unknown {
  const native = (globalThis as { WebAssembly?: { Exception?: abstract new (...a: never[]) => unknown } }).WebAssembly?.Exception;
  if (e instanceof WasmException || (native !== undefined && e instanceof native)) {
    return new Trap(CanonTrap.uncaughtException, { cause: e });
  }
  return e;
}

export function trap(message: string): never {
  throw new Trap(message);
}

/** A pointer/length pair read from core wasm that does not fit in memory (load_*_from_range). */
export function rangeOutOfBounds(peer: Peer, kind: RangeKind): never {
  if (peer === 'component') {
    trap(kind === 'string' ? 'string content out-of-bounds' : 'list content out-of-bounds');
  }
  switch (kind) {
    case 'string': trap('string pointer/length out of bounds of memory');
    case 'list': trap('list pointer/length out of bounds of memory');
    case 'tuple': trap('pointer out of bounds of memory');
  }
}

/** A pointer returned by `realloc` that is misaligned or out of bounds (store_*_into_range). */
export function badReallocResult(peer: Peer, kind: RangeKind, problem: 'align' | 'bounds'): never {
  if (peer === 'host') {
    trap(problem === 'align' ? 'realloc return: result not aligned' : 'realloc return: beyond end of memory');
  }
  if (problem === 'align') trap(CanonTrap.unalignedPointer);
  trap(kind === 'string' ? 'string content out-of-bounds' : 'list content out-of-bounds');
}

export function unknownHandle(index: number): never {
  trap(`unknown handle index ${index >>> 0}`);
}

export function wrongHandleType(index: number, expectedGuest: boolean, foundGuest: boolean): never {
  const who = (guest: boolean) => (guest ? 'guest-defined' : 'host-defined');
  trap(`handle index ${index >>> 0} used with the wrong type, expected ${who(expectedGuest)} resource but found a different ${who(foundGuest)} resource`);
}
