// `cmr run <component.wasm|.wat> [--invoke 'name(args…)'] [--engine interp|native]
//          [--trace] [--import-stubs] [--imports host.js]`
//
// Instantiates a component through the embedder API and calls one export,
// arguments and result in the .wast value syntax (`(u32.const 1)`,
// `(str.const "hi")`, ...); without --invoke, lists the exports and their
// types. Imports come from a JS module (--imports: its exports are host
// functions by import name) and/or stubs (--import-stubs). Any error is one
// line on stderr and exit status 1.

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  Component, ComponentError, describeItem, Engine, Linker, LinkError, ResourceType, Store, Trap,
  type ComponentExportIndex, type ComponentItem, type Instance,
} from '../api/index.js';
import type { ExternType } from '../component/syntax/types.js';
import { ResourceType as ResourceTypeObject } from '../component/syntax/types.js';
import { formatComponentResults, parseComponentArgs } from '../wast/component-values.js';
import { readSExprs, WastSyntaxError } from '../wast/sexpr.js';

/** The options of `cmr run`. */
export interface RunOptions {
  /** `name(args…)`: the export to call (`inst#name` inside an exported instance) and its arguments in .wast value syntax. */
  invoke?: string;
  /** The core engine (default interp). */
  engine?: 'interp' | 'native';
  /** Explain every canonical ABI step on stderr. */
  trace?: boolean;
  /** Satisfy every import nothing else supplies with a stub returning zero values (trapping where there is none). */
  importStubs?: boolean;
  /** A JS module whose exports are host functions by import name (instances: objects of functions). */
  imports?: string;
  /** Fuel for the run (instantiation and the call): one unit per wasm call and loop iteration (interpreter only). */
  fuel?: number;
}

/** Where `cmr run` writes (stdout and stderr unless a test says otherwise). */
export interface RunIO {
  out(text: string): void;
  err(text: string): void;
}

const processIO: RunIO = {
  out: (t) => { process.stdout.write(t); },
  err: (t) => { process.stderr.write(t); },
};

/** Runs `cmr run`; resolves to the exit status (0 success, 1 any error). */
export async function runRun(file: string, opts: RunOptions = {}, io: RunIO = processIO): Promise<number> {
  try {
    await run(file, opts, io);
    return 0;
  } catch (e) {
    io.err(`cmr: ${oneLine(describeError(file, e))}\n`);
    return 1;
  }
}

function describeError(file: string, e: unknown): string {
  if (e instanceof ComponentError) {
    if (e.stage === 'read') return e.message;
    if (e.message.startsWith('not a component')) return e.message.includes(file) ? e.message : `${file}: ${e.message}`;
    if (e.line > 0) return `${file}:${e.line}:${e.col}: ${e.message}`;
    return `${file}: ${e.stage === 'decode' ? 'malformed' : e.stage === 'validate' ? 'invalid' : 'unsupported'} component${e.offset >= 0 ? ` (at byte ${e.offset})` : ''}: ${e.message}`;
  }
  if (e instanceof Trap) return `trap: ${e.message}`;
  if (e instanceof LinkError) return `cannot instantiate: ${e.message}`;
  if (e instanceof WastSyntaxError) return `--invoke: ${e.message.replace(/^\d+:\d+: /, '')}`;
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'ENOENT') return `no such file: ${err.path ?? file}`;
  return e instanceof Error ? e.message : String(e);
}

function oneLine(s: string): string {
  return s.split('\n').map((l) => l.trim()).filter((l) => l !== '').join(': ');
}

async function run(file: string, opts: RunOptions, io: RunIO): Promise<void> {
  const engineName = opts.engine ?? 'interp';
  if (engineName !== 'interp' && engineName !== 'native') throw new Error(`--engine must be interp or native, not ${String(engineName)}`);
  const engine = new Engine({ coreEngine: engineName, consumeFuel: opts.fuel !== undefined });
  const component = await Component.fromFile(engine, file);
  if (opts.invoke === undefined) {
    listExports(component, io);
    return;
  }
  const call = parseInvoke(opts.invoke);
  const linker = new Linker(engine);
  if (opts.imports !== undefined) await defineJsImports(linker, component, opts.imports);
  if (opts.importStubs) linker.defineUnknownImportsAsStubs(component, 'zero');
  const store = new Store(engine, { trace: opts.trace ? (ev) => io.err(`trace: ${ev.text}\n`) : null });
  if (opts.fuel !== undefined) store.setFuel(opts.fuel);
  const instance = await linker.instantiate(store, component);
  const func = instance.getFunc(exportIndex(instance, call.name));
  if (func === null) throw new Error(`the component exports no function \`${call.name}\`${exportList(instance)}`);
  const args = parseComponentArgs(call.args, func.type.params, { line: 1, col: 1 });
  const results = await func.call(store, args);
  io.out(`${formatComponentResults(results, func.results)}\n`);
}

/** `name(args…)` read: the name, and the arguments as s-expressions. */
function parseInvoke(text: string): { name: string; args: ReturnType<typeof readSExprs> } {
  const open = text.indexOf('(');
  if (open < 0) return { name: text.trim(), args: [] };
  const close = text.lastIndexOf(')');
  if (close < open || text.slice(close + 1).trim() !== '') throw new Error(`--invoke: expected name(args…), got ${JSON.stringify(text)}`);
  const name = text.slice(0, open).trim();
  if (name === '') throw new Error(`--invoke: no function name in ${JSON.stringify(text)}`);
  return { name, args: readSExprs(parenthesizeArgs(text.slice(open + 1, close))) };
}

/**
 * Accepts both spellings of the arguments: s-expressions as in a .wast file,
 * `(u32.const 1) (str.const "a")`, and the shorter comma-separated
 * `u32.const 1, str.const "a"`, whose pieces are wrapped in parentheses.
 */
function parenthesizeArgs(inner: string): string {
  if (inner.trim() === '' || inner.trim().startsWith('(')) return inner;
  const pieces: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      pieces.push(inner.slice(start, i));
      start = i + 1;
    }
  }
  pieces.push(inner.slice(start));
  return pieces.map((p) => `(${p.trim()})`).join(' ');
}

/** The index of a top-level export, or of `inst#…#name` inside exported instances. */
function exportIndex(instance: Instance, name: string): ComponentExportIndex | string {
  if (instance.getExport(null, name) !== null) return name;
  let idx: ComponentExportIndex | null = null;
  for (const part of name.split('#')) {
    idx = instance.getExportIndex(idx, part);
    if (idx === null) return name;
  }
  return idx ?? name;
}

function exportList(instance: Instance): string {
  const funcs = instance.exports().filter(([, t]) => t.kind === 'func' || t.kind === 'instance').map(([n]) => n);
  return funcs.length === 0 ? ' (it exports no functions)' : ` (exports: ${funcs.join(', ')})`;
}

function listExports(component: Component, io: RunIO): void {
  const exports = component.componentType().exports;
  if (exports.size === 0) {
    io.out('(no exports)\n');
    return;
  }
  const print = (items: ReadonlyMap<string, ComponentItem>, indent: string) => {
    for (const [name, item] of items) {
      if (item.kind === 'instance') {
        io.out(`${indent}${name}: instance\n`);
        print(new Map([...item.type.exports].map(([n, e]) => [n, toItem(e)])), `${indent}  `);
      } else {
        io.out(`${indent}${name}: ${describeItem(item)}\n`);
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
