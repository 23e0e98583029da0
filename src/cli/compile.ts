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
import { progressBar } from './progress.js';

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

/** Runs `cmr compile`; resolves to the exit status (0, or 1 for any error). Progress goes to `stream` when it is a terminal. */
export async function runCompile(file: string, opts: CompileOptions, err: (text: string) => void = (t) => { process.stderr.write(t); }, stream: NodeJS.WriteStream = process.stderr): Promise<number> {
  // Every feature on: the serialized form is checked against the engine that loads it.
  const engine = new Engine({ coreEngine: opts.engine ?? 'interp', features: { simd: true, componentModelAsync: true } });
  const out = opts.output ?? defaultOutput(file);
  // On a terminal, a bar: decoding and validating first (one step), then
  // each function prepared (most of the time for a large component).
  const bar = progressBar('{bar} {value}/{total} {what}', stream);
  bar?.start(1, 0, { what: `decoding and validating ${basename(file)}` });
  let component: Component;
  let bytes: Uint8Array;
  try {
    component = await Component.fromFile(engine, file);
    bytes = component.serialize(bar === null ? undefined : (done, total) => {
      if (done === 1) bar.setTotal(total);
      bar.update(done, { what: 'functions prepared' });
    });
  } catch (e) {
    bar?.stop();
    err(`cmr compile: ${oneLine(describeError(file, e))}\n`);
    return 1;
  }
  bar?.stop();
  try {
    await writeFile(out, bytes);
  } catch (e) {
    const x = e as NodeJS.ErrnoException;
    err(`cmr compile: ${out}: cannot write the file${x?.code ? ` (${x.code})` : ''}\n`);
    return 1;
  }
  return 0;
}
