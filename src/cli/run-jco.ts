// `cmr run --engine jco`: a WASI command run by jco instead of cmr, for
// differential runs of real components (same command line, same guest
// arguments, environment and preopens). jco transpiles the component to
// core wasm and JS glue whose WASI imports are @bytecodealliance/
// preview2-shim's Node implementation; the files go to a temporary folder
// (the glue loads its core modules relative to itself) and the glue is
// imported from there. The guest's exit goes through preview2-shim, which
// ends the process with the guest's status.
//
// Transpiling is most of jco's time (loading its bindings generator, a
// large component, then generating), so the output is kept in a bounded
// cache (jco-cache.ts: where, how large, how it is pruned): the same
// component runs again without transpiling (the real-world run starts many).

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { readFileBytes } from '../api/read-serialized.js';
import { hasWasmMagic, NotWebAssemblyError } from '../api/file-bytes.js';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { watToBinary } from '../text/wat.js';
import { Trap } from '../core/errors.js';
import type { RunOptions } from './run.js';
import { cacheLookup, cacheStore, jcoCacheConfig } from './jco-cache.js';
import { envOptionVars } from './env-option.js';

/** The WASI 0.2 packages preview2-shim implements, by the shim module that implements them. */
const SHIMMED = ['cli', 'clocks', 'filesystem', 'http', 'io', 'random', 'sockets'] as const;

/** The file URL of preview2-shim's Node module `name` (cli, io, …). */
function shimUrl(name: string): string {
  const entry = createRequire(import.meta.url).resolve('@bytecodealliance/preview2-shim');
  return pathToFileURL(join(dirname(entry), `${name}.js`)).href;
}

interface Bindgen {
  $init: Promise<void>;
  generate(component: Uint8Array, opts: Record<string, unknown>): { files: [string, Uint8Array][]; exports: [string, unknown][] };
}

/** The guest's environment: as `cmr run` builds it (--inherit-env, then each --env KEY=VALUE or KEY). */
function guestEnv(opts: RunOptions): Record<string, string> {
  const env: Record<string, string> = {};
  if (opts.inheritEnv) for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  for (const [k, v] of envOptionVars(opts.env ?? [])) env[k] = v;
  return env;
}

/** What jco's transpiler makes of a component: the files of its glue (component.js, core modules) and its exports. */
export type JcoOutput = ReturnType<Bindgen['generate']>;

/** jco's transpile options: as `jco transpile` by default, WASI imports mapped to preview2-shim. */
function transpileOptions(): Record<string, unknown> {
  const map: [string, string][] = SHIMMED.map((p) => [`wasi:${p}/*`, `${shimUrl(p)}#*`]);
  return {
    name: 'component', map, noComponentErrorWrapping: false, validLiftingOptimization: false,
    noTypescript: true, base64Cutoff: 5000,
  };
}

function jcoTranspileEntry(): string {
  return createRequire(import.meta.url).resolve('@bytecodealliance/jco-transpile');
}

/** Transpiles a component with jco (as `jco transpile` does), its WASI imports mapped to preview2-shim. */
export async function jcoTranspile(bytes: Uint8Array): Promise<JcoOutput> {
  const gen = (await import(pathToFileURL(join(dirname(jcoTranspileEntry()), '..', 'vendor', 'js-component-bindgen-component.js')).href)) as Bindgen;
  await gen.$init;
  try {
    return gen.generate(bytes, transpileOptions());
  } catch (e) {
    throw new Error(`jco refused the component: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Runs a WASI command on jco; resolves to the exit status if the guest returns without calling exit. */
export async function runOnJco(file: string, opts: RunOptions): Promise<number> {
  if (opts.invoke !== undefined) throw new Error('--engine jco runs WASI commands only (no --invoke yet)');
  if (opts.trace) throw new Error('--trace explains cmr\'s canonical ABI; jco has its own (JCO_DEBUG=1)');
  if (opts.imports !== undefined || opts.importStubs) throw new Error('--engine jco provides WASI only (no --imports or --import-stubs)');
  const raw = await readFileBytes(file);
  const isText = /\.wat$/i.test(file);
  // Bytes that are no WebAssembly are refused in every command's words, not handed to jco.
  if (!isText && !hasWasmMagic(raw)) throw new NotWebAssemblyError(file, false);
  const bytes = isText ? await watToBinary(new TextDecoder('utf-8', { ignoreBOM: true }).decode(raw)) : raw;

  const { dir, exports } = await transpiled(bytes);
  const runExport = exports.find((n) => /^wasi:cli\/run@0\.2\./.test(n));
  if (runExport === undefined) throw new Error('--engine jco runs WASI commands only, and this component exports no wasi:cli/run@0.2.x');

  // The guest's view: argv, environment, and only the preopens asked for
  // (preview2-shim preopens the host's root by default; wasmtime none).
  const cli = (await import(shimUrl('cli'))) as { _setArgs(a: string[]): void; _setEnv(e: Record<string, string>): void };
  const fs = (await import(shimUrl('filesystem'))) as { _clearPreopens(): void; _addPreopen(guest: string, host: string): void };
  cli._setArgs([opts.argv0 ?? basename(file), ...(opts.args ?? [])]);
  cli._setEnv(guestEnv(opts));
  fs._clearPreopens();
  for (const d of opts.dir ?? []) {
    const [host, guest] = d.includes('::') ? d.split('::') as [string, string] : [d, d];
    fs._addPreopen(guest, resolve(host));
  }

  {
    const glue = (await import(pathToFileURL(join(dir, 'component.js')).href)) as Record<string, unknown>;
    const iface = glue[runExport] as { run?: () => unknown } | undefined;
    if (typeof iface?.run !== 'function') throw new Error(`jco's glue exports no ${runExport}#run`);
    try {
      await iface.run();
      return 0;
    } catch (e) {
      // run's result is an err: the command failed (exit status 1, as wasmtime).
      if (e instanceof Error && e.constructor.name === 'ComponentError') return 1;
      // A trap in the guest: reported and given the status as on cmr's engines.
      if (e instanceof WebAssembly.RuntimeError) throw new Trap(e.message.replace(/^wasm trap: /, ''));
      throw e;
    }
  }
}

/** jco's output for `bytes`: the folder holding the glue and core modules, and the export names; from the cache (jco-cache.ts) when it is there. */
async function transpiled(bytes: Uint8Array): Promise<{ dir: string; exports: string[] }> {
  const entry = jcoTranspileEntry();
  const version = (JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string }).version;
  const key = createHash('sha256').update(version).update(JSON.stringify(transpileOptions())).update(bytes).digest('hex');
  const { root, limits } = jcoCacheConfig();
  const hit = cacheLookup(root, key);
  if (hit !== null) return { dir: hit, exports: JSON.parse(readFileSync(join(hit, 'exports.json'), 'utf8')) as string[] };

  const out = await jcoTranspile(bytes);
  const exports = out.exports.map(([n]) => n);
  const dir = cacheStore(root, key, limits, (part) => {
    for (const [name, data] of out.files) writeFileSync(join(part, name), data);
    writeFileSync(join(part, 'exports.json'), JSON.stringify(exports));
  });
  return { dir, exports };
}
