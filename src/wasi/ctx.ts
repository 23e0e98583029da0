// The configuration of one WASI 0.2 guest (wasmtime-wasi's `WasiCtx` and
// `WasiCtxBuilder`): arguments, environment, stdio, preopened folders,
// clocks and random sources. Everything a guest can reach goes through one
// WasiCtx, so two guests in one process never share state by accident
// (preview2-shim keeps all of this in module-global variables).

import { realpathSync, statSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { random as shimRandom, insecure as shimInsecure } from '@bytecodealliance/preview2-shim/random';
import { ResourceValue } from '../api/values.js';
import { defaultMonotonicClock, defaultWallClock, type MonotonicClock, type WallClock } from './clocks.js';
import { wasiTypes, pushResource, dropOwnedBy } from './resources.js';
import { BytesInput, FdInput, EmptyInput, FdOutput, SinkOutput, PipeOutput, type InputSource, type OutputSink } from './streams.js';

export type { MonotonicClock, WallClock, Datetime } from './clocks.js';

/** Where a guest's stdin comes from: fixed bytes (then end of input), the process's stdin, or nothing (immediate end of input). */
export type StdinConfig = Uint8Array | 'inherit' | null;

/** Where a guest's stdout or stderr goes: the process's, a JS function receiving each write, or nowhere. */
export type OutputConfig = 'inherit' | ((bytes: Uint8Array) => void) | null;

/** A random source: `len` fresh bytes per call. */
export type RandomSource = (len: number) => Uint8Array;

/** A folder of the host given to the guest under a path of its own. */
export interface Preopen {
  /** The host folder (resolved to its real path when the context is built). */
  readonly host: string;
  /** The name the guest sees it under (`/`, `.`, `data`). */
  readonly guest: string;
  /** True: the guest may read but not create, change or remove anything in it. */
  readonly readOnly: boolean;
}

/**
 * `wasi:cli/exit.exit` (or `exit-with-code`) was called: the guest's run is
 * over with exit status `code`. Thrown by the host function; on its way out
 * through the guest's frames it becomes a Trap whose `cause` it is (as in
 * wasmtime, where exit is a trap too: the instance cannot be entered
 * again). `wasiExitOf(error)` finds it; `runCommand` turns it into the exit
 * status.
 */
export class WasiExit extends Error {
  override name = 'WasiExit';
  constructor(
    /** The exit status: 0 for `exit(ok)`, 1 for `exit(err)`, the code of `exit-with-code`. */
    readonly code: number,
  ) {
    super(`the guest exited with status ${code}`);
  }
}

/** Bytes written to a host-made output stream (see WasiCtx.newOutputPipe). */
export interface OutputPipe {
  /** The stream, an `own<output-stream>` to pass to the guest. */
  readonly stream: ResourceValue;
  /** Every byte written so far. */
  contents(): Uint8Array;
}

/**
 * What a guest can reach through WASI. Made by WasiCtxBuilder; give it to
 * `addToLinkerSync`. Its fields are read by the host functions on each call.
 */
export class WasiCtx {
  /** @internal The reps of resources made for this context and not yet dropped. */
  readonly owned = new Set<number>();
  /** @internal stdin's shared reader: every `get-stdin` handle reads from it. */
  readonly stdinSource: InputSource;
  /** @internal */
  readonly stdoutSink: OutputSink;
  /** @internal */
  readonly stderrSink: OutputSink;

  /** @internal */
  constructor(
    /** argv as the guest sees it (`get-arguments`), argv[0] included. */
    readonly args: readonly string[],
    /** The environment (`get-environment`), in order. */
    readonly env: readonly (readonly [string, string])[],
    /** The configured stdin. */
    readonly stdin: StdinConfig,
    /** The configured stdout. */
    readonly stdout: OutputConfig,
    /** The configured stderr. */
    readonly stderr: OutputConfig,
    /** The preopened folders, in order. */
    readonly preopens: readonly Preopen[],
    /** `initial-cwd`, or null. */
    readonly initialCwd: string | null,
    readonly wallClock: WallClock,
    readonly monotonicClock: MonotonicClock,
    readonly secureRandom: RandomSource,
    readonly insecureRandom: RandomSource,
    /** `insecure-seed`'s value: the same for the whole life of the context, as the WIT asks. */
    readonly insecureSeed: readonly [bigint, bigint],
  ) {
    this.stdinSource = stdin === null ? new EmptyInput() : stdin === 'inherit' ? new FdInput(0, null, true) : new BytesInput(stdin);
    this.stdoutSink = outputSink(stdout, 1);
    this.stderrSink = outputSink(stderr, 2);
  }

  /**
   * A host-made output stream that keeps what the guest writes into it
   * (wasmtime's `MemoryOutputPipe`): pass `stream` to an export taking an
   * `own<output-stream>`, then read `contents()`. With a `capacity`, writes
   * beyond it fail (`check-write` permits only what is left; then the
   * stream reports `closed`).
   */
  newOutputPipe(capacity: number | null = null): OutputPipe {
    const pipe = new PipeOutput(capacity);
    const rep = pushResource(this, { kind: 'output-stream', stream: pipe });
    return { stream: new ResourceValue(wasiTypes.outputStream, rep, true), contents: () => pipe.contents() };
  }

  /**
   * Releases what the guest left open (files, streams): handles it still
   * holds stop working. Call it when the run is over.
   */
  close(): void {
    dropOwnedBy(this);
  }
}

function outputSink(config: OutputConfig, fd: number): OutputSink {
  if (config === null) return new SinkOutput(() => {});
  if (config === 'inherit') return new FdOutput(fd, 'stream');
  return new SinkOutput(config);
}

/** Two u64s from `source`, for insecure-seed. */
function seedFrom(source: RandomSource): [bigint, bigint] {
  const b = source(16);
  const view = new DataView(b.buffer, b.byteOffset, 16);
  return [view.getBigUint64(0, true), view.getBigUint64(8, true)];
}

const secureFromShim: RandomSource = (len) => shimRandom.getRandomBytes(BigInt(len));
const insecureFromShim: RandomSource = (len) => shimInsecure.getInsecureRandomBytes(BigInt(len));

/**
 * Builds a WasiCtx (wasmtime-wasi's `WasiCtxBuilder`). By default the guest
 * gets no arguments, an empty environment, empty stdin, stdout and stderr
 * thrown away, no folders, the host's clocks and the host's random bytes:
 * nothing of the process unless asked for.
 *
 * ```ts
 * const ctx = new WasiCtxBuilder().args(['prog', 'a']).env({ K: 'V' })
 *   .stdout((b) => chunks.push(b)).preopenedDir('/tmp/x', '/', { readOnly: true }).build();
 * ```
 */
export class WasiCtxBuilder {
  private argv: string[] = [];
  private envs: [string, string][] = [];
  private stdinConfig: StdinConfig = null;
  private stdoutConfig: OutputConfig = null;
  private stderrConfig: OutputConfig = null;
  private dirs: Preopen[] = [];
  private cwd: string | null = null;
  private wall: WallClock = defaultWallClock;
  private monotonic: MonotonicClock | null = null;
  private secure: RandomSource = secureFromShim;
  private insecure: RandomSource = insecureFromShim;
  private seed: [bigint, bigint] | null = null;

  /** Appends arguments (argv[0], the program's name, first). */
  args(args: readonly string[]): this {
    for (const a of args) this.arg(a);
    return this;
  }

  /** Appends one argument. */
  arg(arg: string): this {
    if (typeof arg !== 'string') throw new TypeError(`WasiCtxBuilder.arg: expected a string, got ${typeof arg}`);
    this.argv.push(arg);
    return this;
  }

  /** Sets environment variables (an object or [key, value] pairs); a key set again keeps its first place and takes the new value. */
  env(vars: Readonly<Record<string, string>> | readonly (readonly [string, string])[]): this {
    const pairs = Array.isArray(vars) ? vars : Object.entries(vars);
    for (const [k, v] of pairs as [string, string][]) {
      if (typeof k !== 'string' || typeof v !== 'string') throw new TypeError('WasiCtxBuilder.env: keys and values must be strings');
      const i = this.envs.findIndex(([key]) => key === k);
      if (i >= 0) this.envs[i] = [k, v];
      else this.envs.push([k, v]);
    }
    return this;
  }

  /** Adds the process's environment. */
  inheritEnv(): this {
    return this.env(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
  }

  /** The guest's stdin: bytes, the process's ('inherit'), or none (null, the default). */
  stdin(config: StdinConfig): this {
    if (!(config === null || config === 'inherit' || config instanceof Uint8Array)) throw new TypeError("WasiCtxBuilder.stdin: expected a Uint8Array, 'inherit' or null");
    this.stdinConfig = config;
    return this;
  }

  /** The guest's stdout: the process's ('inherit'), a function receiving each write, or nowhere (null, the default). */
  stdout(config: OutputConfig): this {
    this.stdoutConfig = checkOutput(config, 'stdout');
    return this;
  }

  /** The guest's stderr (as stdout). */
  stderr(config: OutputConfig): this {
    this.stderrConfig = checkOutput(config, 'stderr');
    return this;
  }

  /** stdin, stdout and stderr are the process's. */
  inheritStdio(): this {
    return this.stdin('inherit').stdout('inherit').stderr('inherit');
  }

  /**
   * Gives the guest host folder `hostPath` as `guestPath`. With
   * `readOnly`, every change through it fails (`not-permitted` for opening
   * to write or create, creating, renaming, removing; `bad-descriptor` for
   * writing through a descriptor opened to read).
   */
  preopenedDir(hostPath: string, guestPath: string, options: { readOnly?: boolean } = {}): this {
    let real: string;
    try {
      real = realpathSync(resolvePath(hostPath));
    } catch {
      throw new Error(`preopenedDir: host folder ${JSON.stringify(hostPath)} does not exist`);
    }
    if (!statSync(real).isDirectory()) throw new Error(`preopenedDir: ${JSON.stringify(hostPath)} is not a folder`);
    this.dirs.push({ host: real, guest: guestPath, readOnly: options.readOnly === true });
    return this;
  }

  /** `initial-cwd`'s answer (default: none). */
  initialCwd(path: string | null): this {
    this.cwd = path;
    return this;
  }

  /** The wall clock (default: the host's). */
  wallClock(clock: WallClock): this {
    this.wall = clock;
    return this;
  }

  /** The monotonic clock (default: the host's, counting from when the context is built). */
  monotonicClock(clock: MonotonicClock): this {
    this.monotonic = clock;
    return this;
  }

  /** The source of `wasi:random/random` (default: the host's cryptographic random bytes, through preview2-shim). */
  secureRandom(source: RandomSource): this {
    this.secure = source;
    return this;
  }

  /** The source of `wasi:random/insecure` (default: as secureRandom's). */
  insecureRandom(source: RandomSource): this {
    this.insecure = source;
    return this;
  }

  /** `insecure-seed`'s value (default: drawn from the insecure source when the context is built). */
  insecureSeed(seed: readonly [bigint, bigint]): this {
    this.seed = [seed[0], seed[1]];
    return this;
  }

  /** The context. The builder can be used again afterwards. */
  build(): WasiCtx {
    return new WasiCtx(
      [...this.argv], this.envs.map(([k, v]) => [k, v] as const), this.stdinConfig, this.stdoutConfig, this.stderrConfig,
      [...this.dirs], this.cwd, this.wall, this.monotonic ?? defaultMonotonicClock(), this.secure, this.insecure,
      this.seed ?? seedFrom(this.insecure),
    );
  }
}

function checkOutput(config: OutputConfig, what: string): OutputConfig {
  if (!(config === null || config === 'inherit' || typeof config === 'function')) throw new TypeError(`WasiCtxBuilder.${what}: expected 'inherit', a function or null`);
  return config;
}

