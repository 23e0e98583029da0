// Engine: the configuration every component, linker and store of one
// embedding shares (wasmtime's `Engine` + `Config`): which core engine runs
// the core modules, which features are enabled, the trace hook and the
// hostcall fuel.

import { Interpreter } from '../core/exec/index.js';
import { NativeEngine } from '../core/native/index.js';
import type { CoreEngine } from '../core/runtime/instance.js';
import { describeValue } from './component.js';
import { DEFAULT_COPY_LIMIT, type TraceHook } from '../component/canon/trace.js';
import { Worker } from 'node:worker_threads';
import { Epoch } from '../core/runtime/meter.js';

/** Optional features a component may use; a component using a disabled one is refused (ComponentError, stage 'feature'). */
export interface EngineFeatures {
  /** Core modules that use SIMD (v128), relaxed SIMD included. Default: true. */
  simd?: boolean;
  /**
   * The async canonical ABI (async lifts and lowers, tasks, streams,
   * futures, waitables, threads, error contexts). cmr validates and
   * instantiates such components, but calling into their async parts
   * throws NotImplemented. Default: true.
   */
  componentModelAsync?: boolean;
}

/** How an Engine is configured. Every field is optional. */
export interface EngineConfig {
  /**
   * The core engine: 'interp' (cmr's tree-walking interpreter, the
   * default), 'native' (the host's WebAssembly engine, V8), or a CoreEngine
   * object of your own.
   */
  coreEngine?: 'interp' | 'native' | CoreEngine;
  /** Features to enable or disable. */
  features?: EngineFeatures;
  /**
   * Receives one event per canonical ABI step (lift, lower, realloc,
   * handle-table change, call) in every store of this engine that does not
   * set its own hook. Each event has a `text` in words.
   */
  trace?: TraceHook | null;
  /**
   * Hostcall fuel (wasmtime's `Store::set_hostcall_fuel`): the most bytes
   * of strings and lists a guest may make the host copy out of its memory
   * in one host call — the arguments of one call of a host function, or
   * the results of one `Func.call`. A guest can point every element of a
   * list of lists at the same bytes, so its memory's size does not bound
   * what lifting costs the host; this does. Exceeding it traps with
   * HostcallFuelExhausted. Values the host lowers into a guest are not
   * counted (the host already holds them). It also bounds each copy
   * between two components (one call's arguments, or its results), which
   * cmr lifts to JS values on the way (CanonStore.guestCopyLimit): each
   * such copy has the whole allowance. The default is
   * DEFAULT_HOSTCALL_FUEL (128 MiB, as wasmtime's); null is no limit.
   */
  hostcallFuel?: number | null;
  /**
   * Fuel (wasmtime's `consume_fuel`): wasm spends one unit per function
   * call and per loop iteration, and traps with "all fuel consumed by
   * WebAssembly" when its store has none left (Store.setFuel). A store
   * starts with none. Interpreter only: the native engine cannot count it.
   */
  consumeFuel?: boolean;
  /**
   * Epoch interruption (wasmtime's `epoch_interruption`): wasm traps with
   * "timed out" at its next checkpoint (a call, a loop iteration) once the
   * engine's epoch reaches its store's deadline (Store.setEpochDeadline;
   * Engine.incrementEpoch, or startEpochTicker). Interpreter only: wasm
   * running natively on this thread cannot be interrupted — run it in a
   * Worker and terminate that (as `cmr --timeout` does).
   */
  epochInterruption?: boolean;
}

/** The default hostcall fuel: 128 MiB, wasmtime's default. */
export const DEFAULT_HOSTCALL_FUEL = DEFAULT_COPY_LIMIT;

/** Features with every default filled in. */
export interface ResolvedFeatures {
  simd: boolean;
  componentModelAsync: boolean;
}

/**
 * The shared configuration of an embedding (wasmtime's `Engine`).
 *
 * ```ts
 * const engine = new Engine({ coreEngine: 'native', hostcallFuel: 1 << 20 });
 * ```
 */
export class Engine {
  /** The core engine that runs every core module of components made with this engine. */
  readonly coreEngine: CoreEngine;
  /** The enabled features. */
  readonly features: Readonly<ResolvedFeatures>;
  /** The default trace hook of stores of this engine (null: none). */
  readonly trace: TraceHook | null;
  /** Bytes of hostcall fuel per host call (null: unlimited). */
  readonly hostcallFuel: number | null;
  /** Whether wasm spends fuel (see EngineConfig.consumeFuel). */
  readonly consumeFuel: boolean;
  /** Whether stores' epoch deadlines are checked (see EngineConfig.epochInterruption). */
  readonly epochInterruption: boolean;
  /** The engine's epoch: shared memory, so a Worker may advance it while wasm runs here. */
  readonly epoch = new Epoch();

  constructor(config: EngineConfig = {}) {
    const ce = config.coreEngine ?? 'interp';
    if (typeof ce !== 'string' && typeof (ce as Partial<CoreEngine> | null)?.instantiate !== 'function') {
      throw new RangeError(`coreEngine must be 'interp', 'native' or a CoreEngine object, got ${describeValue(ce)}`);
    }
    if (typeof ce === 'string' && ce !== 'interp' && ce !== 'native') throw new RangeError(`coreEngine must be 'interp', 'native' or a CoreEngine object, got ${JSON.stringify(ce)}`);
    this.coreEngine = ce === 'interp' ? new Interpreter() : ce === 'native' ? new NativeEngine() : ce;
    this.features = Object.freeze({
      simd: config.features?.simd ?? true,
      componentModelAsync: config.features?.componentModelAsync ?? true,
    });
    this.trace = config.trace ?? null;
    const fuel = config.hostcallFuel === undefined ? DEFAULT_HOSTCALL_FUEL : config.hostcallFuel;
    if (fuel !== null && !(Number.isInteger(fuel) && fuel >= 0)) throw new RangeError(`hostcallFuel must be a non-negative integer or null, got ${fuel}`);
    this.hostcallFuel = fuel;
    this.consumeFuel = config.consumeFuel ?? false;
    this.epochInterruption = config.epochInterruption ?? false;
    if ((this.consumeFuel || this.epochInterruption) && this.coreEngine.name === 'native') {
      throw new RangeError(`${this.consumeFuel ? 'consumeFuel' : 'epochInterruption'} needs the interpreter (coreEngine 'interp'): wasm running natively cannot be metered; run it in a Worker to bound its time`);
    }
  }

  /** Advances the epoch by one (wasmtime's `Engine::increment_epoch`). */
  incrementEpoch(): void {
    this.epoch.increment();
  }

  /**
   * Advances the epoch every \`intervalMs\` milliseconds from a Worker, so
   * that it advances even while wasm keeps this thread busy. Returns the
   * function that stops it.
   */
  startEpochTicker(intervalMs: number): () => void {
    return startTicker(this.epoch, intervalMs);
  }

  /** 'interp' or 'native': which kind of core engine this is. */
  get coreEngineName(): 'interp' | 'native' {
    return this.coreEngine.name;
  }
}

/** A Worker that advances `epoch` every `intervalMs` ms; returns its stop function. */
function startTicker(epoch: Epoch, intervalMs: number): () => void {
  if (!(intervalMs > 0)) throw new RangeError(`the epoch interval must be a positive number of milliseconds, got ${intervalMs}`);
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads');
     const c = workerData.counter;
     setInterval(() => Atomics.add(c, 0, 1), workerData.ms);`,
    { eval: true, workerData: { counter: epoch.counter, ms: intervalMs } },
  );
  worker.unref();
  return () => { void worker.terminate(); };
}
