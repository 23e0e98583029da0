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
import { Component, ComponentError, Engine } from '../api/index.js';
import { readFailure } from '../api/read-failure.js';

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

function oneLine(s: string): string {
  return s.split('\n').map((l) => l.trim()).filter((l) => l !== '').join(': ');
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
    let msg: string;
    if (e instanceof ComponentError && e.stage === 'read') {
      msg = e.message; // names the path and why it cannot be read
    } else if (e instanceof ComponentError) {
      const what = e.stage === 'text' ? 'malformed text' : e.stage === 'decode' ? 'malformed component' : e.stage === 'validate' ? 'invalid component'
        : e.stage === 'deserialize' ? 'refused serialized component' : 'unsupported component';
      const where = e.line > 0 ? `:${e.line}:${e.col}` : '';
      msg = `${file}${where}: ${what}${e.offset >= 0 ? ` (at byte ${e.offset})` : ''}: ${e.message}`;
    } else {
      msg = readFailure(file, e) ?? `${file}: ${e instanceof Error ? e.message : String(e)}`;
    }
    err(`cmr compile: ${oneLine(msg)}\n`);
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
