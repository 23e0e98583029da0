// `cmr debug <file.wasm|.wat|.wast> [--invoke 'f(args…)']`: runs a core
// module, a component or a script on the interpreter, prepared for
// debugging, under the debugger of src/debug/ (session.ts). Commands come
// from stdin: typed at a terminal, or a script when stdin is a pipe or a
// file (the tests drive it so). The end of the commands quits.
//
// - a core module (.wat `(module …)` or a core .wasm): instantiated (its
//   start function runs under the debugger), then `--invoke` calls an export
//   with core arguments, `fib(i32.const 10)`; imports from `spectest`;
// - a component (.wat `(component …)` or a component .wasm): instantiated
//   with WASI when it imports it, then `--invoke` calls an export with
//   component values, as `cmr run --invoke` does;
// - a .wast script: every directive runs, on the interpreter alone.

import { basename } from 'node:path';
import { isatty } from 'node:tty';
import { moduleOf, SteppingInterpreter } from '../core/exec/debug-engine.js';
import { decodeModule } from '../core/binary/decode.js';
import type { Module } from '../core/syntax/ast.js';
import { validateModule } from '../core/valid/validate.js';
import { WASM_3_0_SUPPORTED } from '../core/syntax/feature-set.js';
import { resolveImports } from '../core/runtime/link.js';
import { Component, Engine, Linker, Store, Trap } from '../api/index.js';
import { forEachCoreModule } from '../api/component.js';
import { hasWasmMagic, NotWebAssemblyError, wasmText } from '../api/file-bytes.js';
import { isSerialized } from '../api/serialize.js';
import { readFileBytes } from '../api/read-serialized.js';
import { TextError, watToBinary } from '../text/wat.js';
import { argValue, formatResults } from '../wast/consts.js';
import { makeSpectest } from '../wast/spectest.js';
import { readSExprs, headOf, WastSyntaxError, type SExpr } from '../wast/sexpr.js';
import { runFile } from '../wast/compare.js';
import { addToLinkerSync, WasiCtxBuilder } from '../wasi/index.js';
import { FdOutput } from '../wasi/streams.js';
import { DebugQuit, DebugSession } from '../debug/session.js';
import { FunctionNames } from '../debug/function-names.js';
import { FdLines, type LineSource } from '../debug/input.js';
import { SourceLines } from '../debug/source-lines.js';
import { CoreTracer } from '../debug/trace-core.js';
import { describeError, invokeResults, oneLine, TRAP_EXIT_STATUS } from './run.js';
import { invokeArgs, parseInvoke } from './invoke-args.js';

export interface DebugOptions {
  invoke?: string;
  /** Also print every instruction executed (--trace=core), at most `traceLimit` lines. */
  traceCore?: boolean;
  traceLimit?: number;
}

export interface DebugIO {
  /** The transcript: prompts, echoed commands, answers, the program's output. */
  out(text: string): void;
  /** Errors: a failed command's, and the one that ends the run. */
  err(text: string): void;
  input: LineSource;
}

/**
 * The process's stdio, written synchronously: the debugger blocks its
 * thread between commands, and under `--timeout` it runs in a Worker, whose
 * process.stdout passes text on only when its event loop turns, so a session
 * stopped at the time limit would lose its transcript.
 */
const processIO = (): DebugIO => ({
  out: writerTo(new FdOutput(1, 'stream')),
  err: writerTo(new FdOutput(2, 'stream')),
  // isatty, not process.stdin.isTTY: that would open stdin as a stream, which the synchronous reads must not compete with.
  input: new FdLines(0, isatty(0)),
});

function writerTo(sink: FdOutput): (text: string) => void {
  const encoder = new TextEncoder();
  // A closed pipe (`| head`) drops the text; the session goes on to the end of its commands.
  return (text) => { sink.write(encoder.encode(text)); };
}

/**
 * Runs `cmr debug`; resolves to the exit status: 0, 1 for an error (or, for
 * commands read from a script, when any of them failed), 134 for a trap.
 */
export async function runDebug(file: string, opts: DebugOptions = {}, io: DebugIO = processIO()): Promise<number> {
  const engine = new SteppingInterpreter();
  let session: DebugSession | null = null;
  try {
    // Read once, and every later step works from these bytes: a FIFO (or
    // /dev/stdin) cannot be read a second time.
    const bytesOrText = await readFileBytes(file);
    const text = textOf(file, bytesOrText);
    const sources = text !== null ? new SourceLines(basename(file), text) : null;
    const tracer = opts.traceCore ? new CoreTracer((l) => io.out(`${l}\n`), opts.traceLimit ?? null) : null;
    const kind = /\.wast$/i.test(file) ? 'script' : text !== null ? textKind(text) : binaryKind(file, bytesOrText);
    // A module or component is decoded and validated before the first
    // prompt, so that bad input is refused even by a session that never
    // starts the program (a script's modules are checked as it runs them),
    // and `break` knows the names of its functions.
    let run: () => Promise<void>;
    let functions: FunctionNames | null = null;
    let directivesFailed = 0;
    if (kind === 'core module') {
      const m = decodeModule(text !== null ? await watToBinary(text) : bytesOrText, WASM_3_0_SUPPORTED);
      validateModule(m, WASM_3_0_SUPPORTED);
      functions = new FunctionNames([m]);
      run = () => debugModule(engine, m, opts, io);
    } else if (kind === 'component') {
      const api = new Engine({ coreEngine: engine });
      const component = await Component.fromFileBytes(api, file, bytesOrText);
      const modules: Module[] = [];
      forEachCoreModule(component.ast, (m) => modules.push(m));
      functions = new FunctionNames(modules);
      run = () => debugComponent(api, component, file, opts, io, session!);
    } else {
      run = async () => { directivesFailed = await debugScript(engine, { path: file, bytes: bytesOrText }, io, session!); };
    }
    session = new DebugSession({ input: io.input, out: io.out, err: io.err, sources, tracer, functions });
    session.install();
    session.start(`cmr debug: ${basename(file)} (${kind}); \`help\` lists the commands, \`step\` or \`continue\` starts it`);
    await run();
    tracer?.flush();
    io.out('program finished\n');
    const status = commandsFailed(session, io);
    if (directivesFailed === 0) return status;
    // As `cmr wast`: a script whose directives failed ends with status 1.
    io.err(`cmr: ${directivesFailed} directive(s) of the script failed\n`);
    return 1;
  } catch (e) {
    if (e instanceof DebugQuit) {
      io.out('program stopped\n');
      return commandsFailed(session, io);
    }
    io.err(`cmr: ${oneLine(describeError(file, e))}\n`);
    return e instanceof Trap ? TRAP_EXIT_STATUS : 1;
  } finally {
    session?.uninstall();
  }
}

/** The status of a run that ended normally: 1 when commands read from a script failed (as gdb's batch mode), else 0. */
function commandsFailed(session: DebugSession | null, io: DebugIO): number {
  if (session === null || session.failures === 0 || io.input.interactive) return 0;
  io.err(`cmr: ${session.failures} debugger command(s) failed\n`);
  return 1;
}

/**
 * The file as text, or null for a binary: text by its name (.wat, .wast),
 * or, as Component.fromFile judges a file, any name but .wasm whose bytes
 * have no magic (neither binary nor serialized) and read as text.
 */
function textOf(file: string, bytes: Uint8Array): string | null {
  if (/\.(wat|wast)$/i.test(file)) return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  if (/\.wasm$/i.test(file) || hasWasmMagic(bytes) || isSerialized(bytes)) return null;
  const text = wasmText(bytes);
  if (text === null) throw new NotWebAssemblyError(file, true);
  return text;
}

function textKind(text: string): 'core module' | 'component' {
  let first: SExpr | undefined;
  try {
    first = readSExprs(text)[0];
  } catch (e) {
    // Text that does not read is the file's fault (a malformed text, named
    // with its line), not the --invoke argument's that describeError takes
    // a WastSyntaxError for.
    if (e instanceof WastSyntaxError) throw new TextError(e.message.replace(/^\d+:\d+: /, ''), e.line, e.col);
    throw e;
  }
  // The file's fault, named with it as malformed text (describeError).
  if (first === undefined) throw new TextError('the file holds no module or component', 0, 0);
  const head = headOf(first);
  if (head === 'component') return 'component';
  if (head === 'module') return 'core module';
  throw new TextError(`expected (module …) or (component …), found (${head} …)`, first.line, first.col);
}

function binaryKind(file: string, bytes: Uint8Array): 'core module' | 'component' {
  // A component serialized by `cmr compile` is debugged as the component it holds (as cmr run does).
  if (isSerialized(bytes)) return 'component';
  if (!hasWasmMagic(bytes)) throw new NotWebAssemblyError(file, false);
  return bytes[4] === 0x0d ? 'component' : 'core module';
}

/** Runs a decoded and validated core module (spectest linked); `--invoke` calls an export. */
async function debugModule(engine: SteppingInterpreter, m: Module, opts: DebugOptions, io: DebugIO): Promise<void> {
  const spectest = makeSpectest((line) => io.out(`${line}\n`));
  const imports = resolveImports(m, (mod, name) => (mod === 'spectest' ? spectest.get(name) : undefined));
  const inst = engine.instantiateSync(m, imports);
  if (opts.invoke === undefined) {
    const names = [...inst.exports].filter(([, e]) => e.kind === 'func').map(([n]) => n);
    io.out(`instantiated; exported functions: ${names.join(', ') || '(none)'} (--invoke calls one)\n`);
    return;
  }
  const call = parseInvoke(opts.invoke);
  const ext = inst.exports.get(call.name);
  if (ext === undefined || ext.kind !== 'func') throw new Error(`the module exports no function \`${call.name}\``);
  const f = ext.value;
  if (call.args.length !== f.type.params.length) throw new Error(`--invoke: ${call.name} takes ${f.type.params.length} argument(s), got ${call.args.length}`);
  const args = call.args.map((a, i) => argValue(a, f.type.params[i]!));
  const results = f.call(args);
  io.out(`result: ${formatResults(results, f.type.results)}\n`);
}

/** Instantiates a loaded component (WASI linked if it asks for it); `--invoke` calls an export. */
async function debugComponent(api: Engine, component: Component, file: string, opts: DebugOptions, io: DebugIO, session: DebugSession): Promise<void> {
  const linker = new Linker(api);
  const wasi = new WasiCtxBuilder().args([basename(file)]).stdout((b) => io.out(new TextDecoder().decode(b))).build();
  if ([...component.type.imports.keys()].some((n) => n.startsWith('wasi:'))) addToLinkerSync(linker, wasi);
  const store = new Store(api, { trace: session.onAbi });
  try {
    const instance = await linker.instantiate(store, component);
    if (opts.invoke === undefined) {
      io.out(`instantiated; --invoke calls an export: ${[...component.type.exports.keys()].join(', ')}\n`);
      return;
    }
    const call = parseInvoke(opts.invoke);
    const func = instance.getFunc(call.name);
    if (func === null) throw new Error(`the component exports no function \`${call.name}\``);
    const args = invokeArgs(call, func.type.params);
    const results = func.callSync(store, args);
    io.out(`result: ${invokeResults(instance, results, func.results)}\n`);
  } finally {
    wasi.close();
  }
}

/** Runs a .wast script's directives, printing each outcome; resolves to how many failed. */
async function debugScript(engine: SteppingInterpreter, file: { path: string; bytes: Uint8Array }, io: DebugIO, session: DebugSession): Promise<number> {
  let failed = 0;
  const result = await runFile(file, basename(file.path), { interp: { engine } }, (_e, o) => {
    if (session.quitted) return;
    if (o.status === 'fail') failed++;
    io.out(`line ${o.line}: ${o.kind} ${o.status}${o.status !== 'pass' && o.got !== undefined ? ` (got ${o.got}${o.expected !== undefined ? `, expected ${o.expected}` : ''})` : ''}${o.reason !== undefined ? ` (${o.reason})` : ''}\n`);
  }, () => session.onAbi);
  if (session.quitted) throw new DebugQuit();
  if (result.error !== undefined) throw new Error(result.error);
  session.reportUnmatched(new FunctionNames(engine.instances.map((i) => moduleOf(i)!)));
  return failed;
}
