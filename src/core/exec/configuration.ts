// A configuration of the interpreter (spec §4.2.13 "configurations"; named
// so, not "thread", because the Component Model's Thread, canon/thread.ts,
// owns that word): the whole state of a running wasm call tree in explicit
// data structures, so that
// execution can stop at any call into the host and resume later, and so
// that deep wasm recursion is bounded by our limits, not by the JS stack.
//
// Two stacks, each a set of parallel arrays indexed by its height:
//
// - values: 8-byte slots in one ArrayBuffer seen as Int32Array,
//   Float32Array, Float64Array and BigInt64Array. Slot s holds an i32 or the
//   bits of an f32 at i32[2s], an i64 at i64[s] (words i32[2s], i32[2s+1]),
//   an f64 at f64[s]. References live beside them in `refs[s]`. A frame's
//   locals are slots fp .. fp+nlocals-1, its operands sit above them.
// - frames: per active call, the caller's fp, function and position (the
//   body and index to continue at when the call returns), one `Frame`
//   object per depth, made once and reused (the loop holds the next free
//   one and moves along their links, see Frame).
//
// There is no label stack: in the prepared tree (node.ts) every body ends
// in a node naming where execution continues, and every branch names its
// destination, so the position alone says where a block ends.
//
// The current position (function, body, pc, fp) is kept in the
// loop's local variables while it runs and saved here when it stops.
//
// Suspension: a host function (any FuncInst that is not interpreted)
// returns the SUSPEND sentinel instead of results. the configuration then stops,
// `run()` returns 'suspended', and `resume(results)` later supplies the
// host call's results and runs on. The host finds its configuration with
// `currentConfiguration()` while it is being called.

import type { PNode } from './node.js';
import { F32, F64, I32, I64, V128, type ValType } from '../syntax/types.js';
import { VecStack } from './simd/lanes.js';
import { type Exn, WasmException } from '../runtime/tag.js';
import type { FuncInst } from '../runtime/func.js';
import { Trap, TrapMessage } from '../errors.js';
import type { Ref, Value } from '../runtime/values.js';
import { WasmFunc } from './module-inst.js';
import { execute } from './interpreter.js';
import { prepareCode } from './prepare.js';
import { stepHooks } from './debug-step.js';

/** Returned by a host function in place of results to suspend the calling configuration. */
export const SUSPEND: Value[] = Object.freeze([]) as unknown as Value[];

export type RunResult = 'done' | 'suspended';

/** What `execute` returns when a call needs bigger stacks (see Configuration.need). */
export const GROW = 'grow';

/** Limits: exceeding either traps with "call stack exhausted". */
export const MAX_FRAMES = 50_000;

/** Frames a trap's backtrace names before it only counts the rest (deep recursion would be 50 000). */
const MAX_BACKTRACE = 64;
export const MAX_VALUE_SLOTS = 1 << 22; // 32 MiB of value stack

const INITIAL_SLOTS = 1 << 12;
const INITIAL_FRAMES = 64;

export const EMPTY_BODY: PNode[] = [];

let current: Configuration | null = null;

/** the configuration whose host call is in progress (for host functions that suspend). */
export function currentConfiguration(): Configuration | null {
  return current;
}

export class Configuration {
  // values
  cap = 0;
  i32!: Int32Array;
  f32!: Float32Array;
  f64!: Float64Array;
  i64!: BigInt64Array;
  refs: Ref[] = [];
  /** v128 values, 16 bytes per slot (simd/lanes.ts); null until code with v128 values runs here. */
  vec: VecStack | null = null;
  sp = 0;

  // frames: frames[d], for d from 1 to depth - 1, is where the function at depth d continues when its call returns (frames[0] stands for the host, never written)
  frames: Frame[] = [];
  depth = 0;

  // the position, while not running
  func: WasmFunc | null = null;
  body: PNode[] = EMPTY_BODY;
  pc = 0;
  fp = 0;

  status: 'idle' | 'running' | 'suspended' | 'done' = 'idle';
  /** Result types of the entry function. */
  private entryResults: readonly ValType[] = [];
  /** Result types of the host call the configuration is suspended in. */
  private pending: readonly ValType[] = [];
  /** Results when the entry function itself is a host function. */
  private hostResults: Value[] | null = null;

  constructor() {
    this.reserve(INITIAL_SLOTS, INITIAL_FRAMES);
  }

  /** Makes the configuration ready for a new `start`, keeping its storage. */
  reset(): void {
    this.sp = 0;
    this.depth = 0;
    this.func = null;
    this.body = EMPTY_BODY;
    this.pc = this.fp = 0;
    this.status = 'idle';
    this.hostResults = null;
    if (this.pending.length !== 0) this.pending = [];
    this.pendingExn = null;
    this.hostCallee = null;
  }

  /**
   * Grows the stacks to hold at least `slots` values and `frames` frames, or traps when that would pass the limits. Called
   * between runs of the loop (which returns GROW for it), never during one:
   * the loop holds the views as constants.
   */
  reserve(slots: number, frames: number): void {
    if (slots > MAX_VALUE_SLOTS || frames > MAX_FRAMES) throw new Trap(TrapMessage.callStackExhausted);
    if (slots > this.cap) {
      let cap = Math.max(this.cap, INITIAL_SLOTS);
      while (cap < slots) cap *= 2;
      const buf = new ArrayBuffer(cap * 8);
      const i32 = new Int32Array(buf);
      if (this.i32) i32.set(this.i32);
      this.i32 = i32;
      this.f32 = new Float32Array(buf);
      this.f64 = new Float64Array(buf);
      this.i64 = new BigInt64Array(buf);
      for (let i = this.refs.length; i < cap; i++) this.refs.push(null);
      this.cap = cap;
      if (this.vec !== null) this.vec = new VecStack(cap, this.vec);
    }
    const fr = this.frames;
    if (frames > fr.length) {
      let cap = Math.max(fr.length, INITIAL_FRAMES);
      while (cap < frames) cap *= 2;
      for (let d = fr.length; d < cap; d++) {
        const f = new Frame(d, d === 0 ? null : fr[d - 1]!);
        if (d > 0) fr[d - 1]!.next = f;
        fr.push(f);
      }
    }
  }

  /** Gives the configuration its VecStack, for code with v128 values (Code.vec); between runs of the loop only. */
  ensureVec(): void {
    if (this.vec === null) this.vec = new VecStack(this.cap);
  }

  /** Prepares a call of `f` with `args`; `run()` then executes it. */
  start(f: FuncInst, args: Value[]): void {
    if (f instanceof WasmFunc) {
      this.enter(f, args);
      return;
    }
    if (this.status !== 'idle') throw new Error(`configuration is ${this.status}`);
    // A host function as the entry point: nothing to interpret.
    checkArity(f.type.params.length, args.length);
    this.entryResults = f.type.results;
    this.hostResults = f.call(args);
    this.status = 'done';
  }

  /**
   * The entry of an interpreted function: its arguments straight into the
   * first slots, its declared locals zeroed above them. Host calls of short
   * functions (a guest's realloc, once per string the canonical ABI
   * lowers) are mostly this and `results`, so it writes only what the loop
   * reads: the frame below the entry one, which stands for the host
   * caller, is never read (the loop returns 'done' at depth 0), and the
   * stacks grow only when the function needs more than they hold. `start`
   * for a function known to be interpreted.
   */
  enter(f: WasmFunc, args: Value[]): void {
    if (this.status !== 'idle') throw new Error(`configuration is ${this.status}`);
    const code = f.code;
    if (!code.prepared) prepareCode(code);
    const params = code.type.params;
    const n = params.length;
    checkArity(n, args.length);
    this.entryResults = code.type.results;
    if (code.frameSize >= this.cap) this.reserve(code.frameSize + 1, 2);
    if (code.vec && this.vec === null) this.ensureVec();
    const i32 = this.i32;
    for (let i = 0; i < n; i++) {
      const t = params[i]!;
      if (t === I32 || t === F32) i32[2 * i] = args[i] as number;
      else this.writeValue(i, t, args[i]!);
    }
    const end = n + code.nlocals;
    // Loops, not fill(): a call's few locals cost less than fill's call
    // into the engine (as the loop's own calls zero them).
    for (let k = 2 * n; k < 2 * end; k++) i32[k] = 0;
    if (code.refLocals) for (let k = n; k < end; k++) this.refs[k] = null;
    if (code.vecLocals) this.vec!.i32.fill(0, 4 * n, 4 * end);
    this.sp = end;
    this.depth = 1;
    this.fp = 0;
    this.func = f;
    this.body = code.body;
    this.pc = 0;
    this.status = 'running';
  }

  private needSlots = 0;
  private needFrames = 0;

  /** Called by the loop before it returns GROW: the sizes `reserve` must provide. */
  need(slots: number, frames: number): void {
    this.needSlots = slots;
    this.needFrames = frames;
  }

  /** Runs until the entry function returns or a host call suspends. Throws Trap on a trap. */
  run(): RunResult {
    if (this.status === 'done') return 'done';
    if (this.status !== 'running') throw new Error(`cannot run a configuration that is ${this.status}`);
    const r = this.loop();
    this.status = r === 'done' ? 'done' : 'suspended';
    return r;
  }

  /**
   * `enter`, `run` and `results` in one, for a call from the host that
   * must finish without suspending (invoke.ts). One method, so that a
   * short call (a guest's realloc) costs one frame here; on success the
   * configuration is left idle without `reset`, since `enter` writes the
   * whole position again (the caller resets it after a throw).
   */
  callToEnd(f: WasmFunc, args: Value[]): Value[] {
    this.enter(f, args);
    if (this.loop() === 'suspended') {
      this.status = 'suspended';
      throw new Error('a host function suspended a synchronous call (use a Configuration to call code that may suspend)');
    }
    this.status = 'done';
    const out = this.results();
    this.status = 'idle';
    this.hostCallee = null;
    return out;
  }

  /** The loop until the entry function returns or a host call suspends, the stacks grown as it asks; a trap names the frames it unwound. */
  private loop(): RunResult {
    const outer = current;
    current = this;
    try {
      let r = execute(this);
      while (r === GROW) {
        this.reserve(this.needSlots, this.needFrames);
        r = execute(this);
      }
      return r;
    } catch (e) {
      this.status = 'done';
      if (e instanceof Trap) {
        if (e.wasmBacktrace === undefined) e.wasmBacktrace = this.backtrace();
        stepHooks.trap?.(this, e);
      }
      throw e;
    } finally {
      current = outer;
    }
  }

  /** The frames from the current function out to the entry one, named for a trap's backtrace. */
  private backtrace(): string[] {
    const frames: string[] = [];
    const name = (f: WasmFunc): string => {
      const names = f.inst.names;
      const i = f.code.index;
      return `${names?.module ?? '<module>'}!${names?.funcs.get(i) ?? `func[${i}]`}`;
    };
    if (this.func !== null) frames.push(name(this.func));
    for (let d = this.depth - 1; d >= 1; d--) {
      const f = this.frames[d]!.func;
      if (!f) continue;
      if (frames.length === MAX_BACKTRACE) {
        frames.push(`… ${d} more`);
        break;
      }
      frames.push(name(f));
    }
    return frames;
  }

  /** Supplies the results of the host call the configuration is suspended in, and runs on. */
  resume(results: Value[]): RunResult {
    if (this.status !== 'suspended') throw new Error(`cannot resume a configuration that is ${this.status}`);
    const types = this.pending;
    if (results.length !== types.length) {
      throw new TypeError(`expected ${types.length} results, got ${results.length}`);
    }
    for (let i = 0; i < types.length; i++) this.writeValue(this.sp + i, types[i]!, results[i]!);
    this.sp += types.length;
    this.pending = [];
    this.status = 'running';
    return this.run();
  }

  /** The entry function's results, once `run()` returned 'done': the top values of the stack (execute leaves them there). */
  results(): Value[] {
    if (this.status !== 'done') throw new Error(`configuration is ${this.status}`);
    if (this.hostResults !== null) return this.hostResults;
    const types = this.entryResults;
    const base = this.sp - types.length;
    switch (types.length) {
      case 0: return [];
      // The common case, one i32 (a realloc's pointer), without the loop.
      case 1: return [types[0] === I32 ? this.i32[2 * base]! : this.readValue(base, types[0]!)];
    }
    const out: Value[] = [];
    for (let i = 0; i < types.length; i++) out.push(this.readValue(base + i, types[i]!));
    return out;
  }

  /**
   * The function of the host call in progress (or the last one): lets a
   * host function tell whether this configuration called it itself, and so may be
   * suspended, or something it called (another engine's code) did.
   */
  hostCallee: FuncInst | null = null;

  /** The exception a host call ended with (callHost returned -2), to be thrown on in this configuration. */
  pendingExn: Exn | null = null;

  /**
   * Calls a function that is not interpreted, with the top values of the
   * stack as arguments: returns the new stack height, -1 when the function
   * asked to suspend, or -2 when it ended with a wasm exception (in
   * `pendingExn`); the arguments are popped in every case.
   */
  callHost(f: FuncInst, sp: number): number {
    const params = f.type.params;
    const base = sp - params.length;
    const args: Value[] = new Array(params.length);
    for (let i = 0; i < params.length; i++) args[i] = this.readValue(base + i, params[i]!);
    this.sp = base;
    this.hostCallee = f;
    let results: Value[];
    try {
      results = f.call(args);
    } catch (e) {
      if (!(e instanceof WasmException)) throw e;
      this.pendingExn = e.exn;
      return -2;
    }
    if (results === SUSPEND) {
      this.pending = f.type.results;
      return -1;
    }
    const types = f.type.results;
    for (let i = 0; i < types.length; i++) this.writeValue(base + i, types[i]!, results[i]!);
    return base + types.length;
  }

  /** A slot's value in the lossless representation of values.ts. */
  readValue(s: number, t: ValType): Value {
    switch (t) {
      case I32: case F32: return this.i32[2 * s]!;
      case I64: case F64: return this.i64[s]!;
      case V128: return this.vec!.read(s);
      default: return this.refs[s]!; // every reference type
    }
  }

  writeValue(s: number, t: ValType, v: Value): void {
    switch (t) {
      case I32: case F32: this.i32[2 * s] = v as number; return;
      case I64: case F64: this.i64[s] = v as bigint; return;
      case V128: this.vec!.write(s, v); return;
      default: this.refs[s] = v as Ref; return; // every reference type
    }
  }
}

function checkArity(want: number, got: number): void {
  if (got !== want) throw new TypeError(`expected ${want} arguments, got ${got}`);
}

/**
 * The saved position of a caller: one object per depth, made by `reserve`
 * and reused by every call at that depth. A call stores its caller's
 * position into the loop's free frame and moves to `next` (null: the
 * stacks must grow), a return moves back to `prev` and reloads it: one
 * object's fields, where four parallel arrays (fp, pc, body, function)
 * each cost a call its own element checks and a return its own loads.
 */
export class Frame {
  fp = 0;
  pc = 0;
  func: WasmFunc | null = null;
  body: PNode[] = EMPTY_BODY;
  next: Frame | null = null;
  constructor(
    /** Its index in `frames`: the depth of a call made from the function whose caller it holds. */
    readonly d: number,
    readonly prev: Frame | null,
  ) {}
}
