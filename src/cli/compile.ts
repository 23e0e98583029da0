// `cmr compile <component> [-o OUT]`: decodes and validates a component
// (.wasm binary or .wat text) once and writes its serialized form (see
// api/serialize.ts), which `cmr run`, `cmr inspect` and
// Component.deserializeFile load without decoding or validating again —
// like `wasmtime compile`. The form serves either core engine; the
// engine's features (SIMD on the interpreter) are checked when it is loaded.
// `--engine interp` (the default, as for `cmr run`) also stores the
// interpreter's prepared code of every function (prepared-store.ts), which
// makes the file larger and compiling slower, and the first calls faster.

import { writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Component, Engine } from '../api/index.js';
import { describeError, oneLine } from './run.js';

export interface CompileOptions {
  /** Where to write (default: the input's name with `.cwasm`). */
  output?: string;
  /** The engine the form is for: 'interp' (default) stores the interpreter's prepared code too. */
  engine?: 'interp' | 'native';
}

/** The output file when -o is not given: `dir/name.cwasm`. */
export function defaultOutput(file: string): string {
  return join(dirname(file), `${basename(file).replace(/\.(wasm|wat)$/, '')}.cwasm`);
}

/** Runs `cmr compile`; resolves to the exit status (0, or 1 for any error). */
export async function runCompile(file: string, opts: CompileOptions, err: (text: string) => void = (t) => { process.stderr.write(t); }): Promise<number> {
  // Every feature on: the serialized form is checked against the engine that loads it.
  const engine = new Engine({ coreEngine: opts.engine ?? 'interp', features: { simd: true, componentModelAsync: true } });
  const out = opts.output ?? defaultOutput(file);
  let component: Component;
  try {
    component = await Component.fromFile(engine, file);
  } catch (e) {
    err(`cmr compile: ${oneLine(describeError(file, e))}\n`);
    return 1;
  }
  try {
    await writeFile(out, component.serialize());
  } catch (e) {
    const x = e as NodeJS.ErrnoException;
    err(`cmr compile: ${out}: cannot write the file${x?.code ? ` (${x.code})` : ''}\n`);
    return 1;
  }
  return 0;
}
