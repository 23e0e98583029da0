// The native engine's suspendable call (runtime/suspendable.ts), on JS
// Promise Integration (jspi.ts): the function runs under
// WebAssembly.promising with asyncMode 1, so a foreign function it calls
// directly (a canonical built-in, a lowered import) may stop its frames by
// returning suspend()'s marker; resume() gives that call its results.
//
// V8 runs a promising call synchronously until it first suspends or ends,
// and resumes suspended frames only from its microtask queue. So:
// - the results come through a sink (trampolines.ts resultSink) called as
//   the function returns, not through the Promise, and a call that neither
//   suspends nor returns has thrown, which only the Promise tells;
// - after resume() the frames go on in a later microtask: the state is a
//   Promise that fulfils when they next suspend, return or throw.
// The frames that run now are `activeNativeCall()` (the sink's results and
// canSuspendHere go to it).

import type { RunState, SuspendableCall } from '../runtime/suspendable.js';
import type { Value } from '../runtime/values.js';
import type { NativeFunc } from './funcs.js';
import { fromWireList, toWire } from './funcs.js';
import { activeNativeCall, directCallPending, suspendNativeCall, swapActiveNativeCall, takeDirectCall, withAsyncMode } from './jspi.js';
import { resultSink, type WasmFunction } from './trampolines.js';
import { hostError } from './traps.js';

const sinks = new WeakMap<NativeFunc, (...wire: unknown[]) => Promise<unknown>>();

/** The promising function of `f`'s result sink, made once per function. */
function promisingSink(f: NativeFunc): (...wire: unknown[]) => Promise<unknown> {
  let p = sinks.get(f);
  if (p === undefined) {
    const ret: WasmFunction = (...wire: unknown[]) => {
      const call = activeNativeCall();
      if (!(call instanceof NativeCall)) throw new Error('native engine: a suspendable call returned outside its own frames');
      call.finish(wire);
    };
    p = WebAssembly.promising(resultSink(f.fn, f.type, ret));
    sinks.set(f, p);
  }
  return p;
}

export class NativeCall implements SuspendableCall {
  private state: 'idle' | 'running' | 'suspended' | 'done' | 'failed' = 'idle';
  private out: Value[] = [];
  private error: unknown = null;
  private resumeWith: ((results: Value[]) => void) | null = null;
  /** Fulfils the Promise the caller waits on while the frames run without it. */
  private changed: (() => void) | null = null;

  constructor(private readonly f: NativeFunc) {}

  start(args: Value[]): RunState {
    const run = promisingSink(this.f);
    const wire = toWire(this.f.type.params, args);
    this.state = 'running';
    const outer = swapActiveNativeCall(this);
    let p: Promise<unknown>;
    try {
      p = withAsyncMode(true, () => run(...wire));
    } finally {
      swapActiveNativeCall(outer);
    }
    p.then(() => {}, (e: unknown) => {
      if (activeNativeCall() === this) swapActiveNativeCall(null);
      this.state = 'failed';
      this.error = e;
      this.notify();
    });
    return this.now();
  }

  resume(results: Value[]): RunState {
    if (this.state !== 'suspended' || this.resumeWith === null) throw new Error(`native engine: resuming a call that is ${this.state}`);
    const k = this.resumeWith;
    this.resumeWith = null;
    this.state = 'running';
    k(results);
    return this.now();
  }

  poll(): RunState {
    if (this.state === 'failed') throw hostError(this.error);
    return this.now();
  }

  results(): Value[] {
    return this.out;
  }

  canSuspendHere(): boolean {
    return activeNativeCall() === this && directCallPending();
  }

  suspend(): Value[] {
    takeDirectCall();
    this.state = 'suspended';
    swapActiveNativeCall(null);
    const marker = suspendNativeCall(new Promise<Value[]>((resolve) => { this.resumeWith = resolve; }));
    this.notify();
    return marker;
  }

  /** The sink's results: the function returned. */
  finish(wire: unknown[]): void {
    this.out = fromWireList(this.f.type.results, wire);
    this.state = 'done';
    swapActiveNativeCall(null);
    this.notify();
  }

  release(): void {}

  runsWithoutCaller(): boolean {
    return activeNativeCall() === this;
  }

  private now(): RunState {
    if (this.state === 'done') return 'done';
    if (this.state === 'suspended') return 'suspended';
    if (this.state === 'failed') throw hostError(this.error);
    return new Promise<void>((resolve) => { this.changed = resolve; });
  }

  private notify(): void {
    const c = this.changed;
    this.changed = null;
    c?.();
  }
}
