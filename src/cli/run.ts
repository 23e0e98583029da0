// `cmr run [options] <component.wasm|.wat> [args…]`
//
// Runs a component the way `wasmtime run` does. A component that exports
// `wasi:cli/run@0.2.x` is a command: it is given WASI (args, environment,
// the process's stdio, preopened folders) and run, and its exit status
// becomes cmr's. `--invoke 'name(args…)'` calls any other export instead,
// arguments and result in the .wast value syntax (`u32.const 1`,
// `str.const "hi"`, ...); without either, the exports are listed. WASI is
// provided to every component that imports it; other imports come from a
// JS module (--imports: its exports are host functions by import name)
// and/or stubs (--import-stubs). A trap prints `cmr: trap: …` and exits
// 134 (the status `wasmtime run` gives a trap on Unix); any other error is
// one line on stderr and exit status 1.

import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  Component, ComponentError, describeItem, Engine, Linker, LinkError, ResourceType, Store, Trap,
  type ComponentItem, type Instance,
} from '../api/index.js';
import type { ExternType, ValType } from '../component/syntax/types.js';
import type { ComponentValue } from '../component/canon/values.js';
import { ResourceType as ResourceTypeObject } from '../component/syntax/types.js';
import { formatComponentResults } from '../wast/component-values.js';
import { WastSyntaxError } from '../wast/sexpr.js';
import { DecodeError, ValidationError } from '../core/errors.js';
import { TextError } from '../text/wat.js';
import { addToLinkerSync, isRunExport, runCommand, WasiCtxBuilder, wasiExitOf } from '../wasi/index.js';
import { runOnJco } from './run-jco.js';
import { invokeArgs, parseInvoke } from './invoke-args.js';
import { envOptionVars } from './env-option.js';
import { TypeNames } from '../component/print-wit.js';
import { coreTrace } from './trace-core.js';
import { readFailure } from '../api/read-failure.js';
import { NotWebAssemblyError } from '../api/file-bytes.js';

/** The options of `cmr run`. */
export interface RunOptions {
  /** `name(args…)`: the export to call (`inst#name` inside an exported instance) and its arguments in .wast value syntax. */
  invoke?: string;
  /** The core engine (default interp), or jco (WASI commands transpiled by jco, run-jco.ts). */
  engine?: 'interp' | 'native' | 'jco';
  /** Explain every canonical ABI step on stderr. */
  trace?: boolean;
  /** Satisfy every import nothing else supplies with a stub returning zero values (trapping where there is none). */
  importStubs?: boolean;
  /** A JS module whose exports are host functions by import name (instances: objects of functions). */
  imports?: string;
  /** The guest's arguments after argv[0] (the words after the component on the command line). */
  args?: string[];
  /** argv[0] as the guest sees it (default: the component's file name). */
  argv0?: string;
  /** `KEY=VALUE` variables for the guest's environment (a bare `KEY` takes the host's value). */
  env?: string[];
  /** Give the guest the whole environment of cmr's process (wasmtime's `-S inherit-env`). */
  inheritEnv?: boolean;
  /** `HOST::GUEST` folders to preopen (`HOST` alone: under the same name). */
  dir?: string[];
  /** Fuel for the run (instantiation and the call): one unit per wasm call and loop iteration (interpreter only). */
  fuel?: number;
  /** --trace=core: print every core instruction executed (at most traceLimit). */
  traceCore?: boolean;
  traceLimit?: number;
}

/** The exit status `wasmtime run` gives a guest that traps (on Unix: SIGABRT's). */
export const TRAP_EXIT_STATUS = 134;

/**
 * Where `cmr run` writes, and what the guest's stdio is: the process's
 * unless a test says otherwise. A guest's output reaches `out`/`err` as
 * text; its stdin is `stdin` (none: immediate end of input).
 */
export interface RunIO {
  out(text: string): void;
  err(text: string): void;
  stdin?: Uint8Array;
}

const processIO: RunIO = {
  out: (t) => { process.stdout.write(t); },
  err: (t) => { process.stderr.write(t); },
};

/** Runs `cmr run`; resolves to the exit status (0 success, 1 any error). */
export async function runRun(file: string, opts: RunOptions = {}, io: RunIO = processIO): Promise<number> {
  try {
    return await run(file, opts, io);
  } catch (e) {
    io.err(`cmr: ${oneLine(describeError(file, e))}\n`);
    if (e instanceof Trap && e.wasmBacktrace !== undefined && e.wasmBacktrace.length > 0) {
      io.err(`wasm backtrace:\n${e.wasmBacktrace.map((f, i) => `  ${i}: ${f}`).join('\n')}\n`);
    }
    return e instanceof Trap ? TRAP_EXIT_STATUS : 1;
  }
}

export function describeError(file: string, e: unknown): string {
  if (e instanceof ComponentError) {
    // A file it cannot read, or bytes that are not WebAssembly: the message names the path.
    if (e.stage === 'read' || e instanceof NotWebAssemblyError) return e.message;
    if (e.message.startsWith('not a component')) return e.message.includes(file) ? e.message : `${file}: ${e.message}`;
    if (e.stage === 'text') return malformedText(file, e.line, e.col, e.message);
    return refused(file, e.stage === 'decode' ? 'malformed' : e.stage === 'validate' ? 'invalid' : e.stage === 'deserialize' ? 'refused serialized' : 'unsupported', 'component', e.offset, e.message);
  }
  // A core module's own errors (cmr debug decodes and validates a core
  // module itself, not through Component): the same words, naming the file.
  if (e instanceof TextError) return malformedText(file, e.line, e.col, e.message);
  if (e instanceof DecodeError) return refused(file, 'malformed', 'module', e.offset, e.message);
  if (e instanceof ValidationError) return refused(file, 'invalid', 'module', e.offset, e.message);
  if (e instanceof Trap) return `trap: ${e.message}`;
  if (e instanceof LinkError) return `cannot instantiate: ${e.message}`;
  if (e instanceof WastSyntaxError) return `--invoke: ${e.message.replace(/^\d+:\d+: /, '')}`;
  const unread = readFailure(file, e);
  if (unread !== null) return unread;
  return e instanceof Error ? e.message : String(e);
}

function malformedText(file: string, line: number, col: number, message: string): string {
  return `${file}${line > 0 ? `:${line}:${col}` : ''}: malformed text: ${message}`;
}

function refused(file: string, how: string, kind: 'component' | 'module', offset: number, message: string): string {
  return `${file}: ${how} ${kind}${offset >= 0 ? ` (at byte ${offset})` : ''}: ${message}`;
}

export function oneLine(s: string): string {
  return s.split('\n').map((l) => l.trim()).filter((l) => l !== '').join(': ');
}

async function run(file: string, opts: RunOptions, io: RunIO): Promise<number> {
  envOptionVars(opts.env ?? []); // a malformed --env is refused before anything runs, on every engine
  if (opts.engine === 'jco') return runOnJco(file, opts);
  const engineName = opts.engine ?? 'interp';
  if (engineName !== 'interp' && engineName !== 'native') throw new Error(`--engine must be interp or native, not ${String(engineName)}`);
  const traced = coreTrace(opts, [engineName]);
  const engine = new Engine({ coreEngine: traced?.engine ?? engineName, consumeFuel: opts.fuel !== undefined });
  const wasi = wasiContext(file, opts, io);
  const call = opts.invoke === undefined ? null : parseInvoke(opts.invoke); // before the file: a cut-short call names the file wrongly
  const component = await Component.fromFile(engine, file);
  const isCommand = [...component.type.exports.keys()].some(isRunExport);
  if (!isCommand && (opts.args ?? []).length > 0) {
    // Everything after the component is the guest's (as with `wasmtime
    // run`), so a cmr option written there ends up here.
    throw new Error(`arguments after the component (${opts.args!.join(' ')}) are the guest's, but it is not a WASI command (it exports no wasi:cli/run@0.2.x); cmr's own options, --invoke among them, go before the component`);
  }
  if (opts.invoke === undefined && !isCommand) {
    listExports(component, io);
    return 0;
  }
  const linker = new Linker(engine);
  if (opts.imports !== undefined) await defineJsImports(linker, component, opts.imports);
  if ([...component.type.imports.keys()].some((n) => n.startsWith('wasi:'))) addToLinkerSync(linker, wasi);
  if (opts.importStubs) linker.defineUnknownImportsAsStubs(component, 'zero');
  const store = new Store(engine, { trace: opts.trace ? (ev) => io.err(`trace: ${ev.text}\n`) : null });
  if (opts.fuel !== undefined) store.setFuel(opts.fuel);
  try {
    const instance = await linker.instantiate(store, component);
    if (call === null) return await runCommand(store, instance);
    const func = instance.getFunc(call.name);
    if (func === null) throw new Error(`the component exports no function \`${call.name}\`${exportList(instance)}`);
    const args = invokeArgs(call, func.type.params);
    const results = await func.call(store, args);
    io.out(`${invokeResults(instance, results, func.results)}\n`);
    return 0;
  } catch (e) {
    const code = exitCode(e);
    if (code !== null) return code;
    throw e;
  } finally {
    traced?.tracer.uninstall();
    wasi.close();
  }
}

/** The WASI context of a run: argv, environment, stdio and preopens from the command line. */
function wasiContext(file: string, opts: RunOptions, io: RunIO) {
  const b = new WasiCtxBuilder().args([opts.argv0 ?? basename(file), ...(opts.args ?? [])]);
  if (io === processIO) b.inheritStdio();
  else {
    const text = (write: (t: string) => void) => {
      const decoder = new TextDecoder();
      return (bytes: Uint8Array) => write(decoder.decode(bytes, { stream: true }));
    };
    b.stdin(io.stdin ?? null).stdout(text(io.out)).stderr(text(io.err));
  }
  if (opts.inheritEnv) b.inheritEnv();
  const vars = envOptionVars(opts.env ?? []);
  if (vars.length > 0) b.env(vars);
  for (const d of opts.dir ?? []) {
    const sep = d.indexOf('::');
    const host = sep < 0 ? d : d.slice(0, sep);
    const guest = sep < 0 ? d : d.slice(sep + 2);
    if (host === '' || guest === '') throw new Error(`--dir ${d}: expected HOST::GUEST or HOST`);
    try {
      b.preopenedDir(host, guest);
    } catch (e) {
      // The API names its method; on the command line the option is what the user wrote.
      throw new Error(`--dir ${d}: ${(e as Error).message.replace(/^preopenedDir: /, '')}`);
    }
  }
  return b.build();
}


/** The exit status a guest asked for with `wasi:cli/exit`, else null. */
function exitCode(e: unknown): number | null {
  return wasiExitOf(e)?.code ?? null;
}

/** --invoke's results, handles naming their resources as `cmr inspect` does (`own<counter>(rep 1)`). */
export function invokeResults(instance: Instance, results: ComponentValue[], types: ValType[]): string {
  const names = TypeNames.of(instance.instanceType());
  return formatComponentResults(results, types, (r) => names.resource(r));
}

function exportList(instance: Instance): string {
  const funcs = instance.exports().filter(([, t]) => t.kind === 'func' || t.kind === 'instance').map(([n]) => n);
  return funcs.length === 0 ? ' (it exports no functions)' : ` (exports: ${funcs.join(', ')})`;
}

function listExports(component: Component, io: RunIO): void {
  const { exports, type } = component.componentType();
  // Resources by the names `cmr inspect` gives them (their export names).
  const names = TypeNames.of(type);
  if (exports.size === 0) {
    io.out('(no exports)\n');
    return;
  }
  // Functions inside exported instances are listed by the path --invoke
  // takes: `iface#func`.
  const print = (items: ReadonlyMap<string, ComponentItem>, prefix: string) => {
    for (const [name, item] of items) {
      if (item.kind === 'instance') {
        if (item.type.exports.size === 0) io.out(`${prefix}${name}: instance (empty)\n`);
        print(new Map([...item.type.exports].map(([n, e]) => [n, toItem(e)])), `${prefix}${name}#`);
      } else {
        io.out(`${prefix}${name}: ${describeItem(item, names)}\n`);
      }
    }
  };
  print(exports, '');
}

function toItem(e: ExternType): ComponentItem {
  if (e.kind === 'type') return e.type instanceof ResourceTypeObject ? { kind: 'resource', type: e.type } : { kind: 'type', type: e.type };
  return e as ComponentItem;
}

/** `get-random` → `getRandom`: the JS spelling of a kebab-case name. */
function camel(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function member(obj: unknown, name: string): unknown {
  if (obj === null || (typeof obj !== 'object' && typeof obj !== 'function')) return undefined;
  const o = obj as Record<string, unknown>;
  return o[name] ?? o[camel(name)];
}

/**
 * Host functions from a JS module: an export named as a function import
 * (or its camelCase spelling, or a property of the default export) is that
 * function; an export named as an instance import is an object of its
 * functions. Imported resources the module does not supply become host
 * resource types of their own.
 */
async function defineJsImports(linker: Linker, component: Component, path: string): Promise<void> {
  let mod: Record<string, unknown>;
  try {
    mod = await import(pathToFileURL(resolve(path)).href) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`--imports ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const lookup = (name: string): unknown => member(mod, name) ?? member(mod['default'], name);
  for (const [name, e] of component.type.imports) {
    const v = lookup(name);
    if (e.kind === 'func') {
      if (typeof v === 'function') linker.root().funcWrap(name, v as (...a: unknown[]) => unknown);
      else if (v !== undefined) throw new Error(`--imports ${path}: export \`${name}\` is not a function`);
    } else if (e.kind === 'type' && e.type instanceof ResourceTypeObject) {
      linker.root().resource(name, ResourceType.host(v ?? `${path}#${name}`));
    } else if (e.kind === 'instance' && v !== undefined) {
      const node = linker.root().instance(name);
      for (const [n, x] of e.type.exports) {
        const f = member(v, n);
        if (x.kind === 'func' && typeof f === 'function') node.funcWrap(n, f as (...a: unknown[]) => unknown);
        else if (x.kind === 'type' && x.type instanceof ResourceTypeObject) node.resource(n, ResourceType.host(f ?? `${path}#${name}#${n}`));
      }
    }
  }
}
