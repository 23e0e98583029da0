// Tracing the canonical ABI: a hook that receives one structured event per
// step — each parameter or result lifted or lowered (with its flat core
// values or its address in memory), each string or list placed in memory,
// each realloc call and its result, each handle-table change, each call
// entering or leaving a component instance. Every event carries `text`, a
// sentence for people learning how the canonical ABI works.

import type { Value } from '../../core/runtime/values.js';
import type { AbiVariant } from './abi-variant.js';

export type TraceEvent =
  | { kind: 'call'; phase: 'enter' | 'exit' | 'post-return'; func: string; text: string }
  | { kind: 'lower' | 'lift'; what: 'param' | 'result'; index: number; type: string; value: string; flat?: Value[]; addr?: number; text: string }
  | { kind: 'spill'; direction: 'lower' | 'lift'; what: 'params' | 'results'; addr: number; size: number; text: string }
  | { kind: 'store' | 'load'; what: 'string' | 'list'; addr: number; length: number; byteLength: number; encoding?: string; text: string }
  | { kind: 'realloc'; args: [number, number, number, number]; result: number; text: string }
  | { kind: 'handle'; op: 'new' | 'lend' | 'return-lend' | 'remove' | 'drop' | 'rep' | 'borrow-rep'; index: number; resource: string; rep: number; own: boolean; instance: string; text: string }
  | { kind: 'dtor'; resource: string; rep: number; text: string }
  /** The async ABI: a built-in called (and what it returned, or that it blocked), a task or thread starting, blocking, resuming, returning. */
  | { kind: 'async'; what: 'builtin' | 'task' | 'thread' | 'subtask' | 'stream' | 'future'; op: string; text: string };

export type TraceHook = (event: TraceEvent) => void;

/** The default bound on bytes lifted in one copy (hostcall fuel, a copy between components): 128 MiB, wasmtime's default hostcall fuel. */
export const DEFAULT_COPY_LIMIT = 128 * 1024 * 1024;

/** State shared by every component instance of one store (definitions.py `Store`). */
export class CanonStore {
  /** Set to receive trace events; null (the default) costs one check per step. */
  trace: TraceHook | null = null;
  /**
   * Hostcall fuel: how many more bytes of strings and lists may be copied
   * between the host and a guest in the current host call (lifted out of
   * or lowered into guest memory), or null for no limit. The embedder API
   * sets it per call (api/func.ts); chargeHostcallFuel spends it.
   */
  hostcallFuel: number | null = null;
  /**
   * The most bytes of strings and lists one copy between two components
   * (a call's arguments, or its results, or one stream transfer) may lift,
   * counted as hostcall fuel counts them (strings by their bytes, lists at
   * least 8 per element), or null for no limit. cmr moves such values
   * through JS values (it has no fused adapters copying memory to memory),
   * so a guest pointing every inner list of a list of lists at one buffer
   * would otherwise make it lift far more than any memory holds. Each copy
   * has the whole allowance (it is not spent across a host call, which a
   * long-running guest may never end). The embedder API sets it to the
   * engine's hostcall fuel.
   */
  guestCopyLimit: number | null = DEFAULT_COPY_LIMIT;
  /** A deliberate deviation from one lifting rule, for tests of the differential fuzzer only (abi-variant.ts); null in real use. */
  abiVariant: AbiVariant | null = null;
  /** Threads waiting for something (definitions.py Store.waiting); the event loop resumes the ready ones. */
  readonly waiting: WaitingThread[] = [];
  /** Promises of host imports that threads wait for (host-wait.ts): with no thread ready, the event loop awaits them. */
  readonly hostWaits = new Set<{ readonly done: Promise<void> }>();
  /**
   * The host's open stream and future ends (host-source.ts, host-sink.ts):
   * while any is open the host may still make progress possible, so calls
   * that wait are not a deadlock; a failure of the event loop is reported
   * to them.
   */
  readonly hostEnds = new Set<{ fail(e: unknown): void; readonly mayUnblock: boolean }>();
  /**
   * Wraps each synchronous stretch of the event loop run for the host's
   * stream and future ends (no call of the host's in progress): the API
   * sets it to the store's metering; plain by default.
   */
  backgroundStep: <R>(f: () => R) => R = (f) => f();
}

/** What CanonStore.waiting holds (thread.ts Thread; named structurally to keep this file first in the import order). */
export interface WaitingThread {
  ready(): boolean;
}
