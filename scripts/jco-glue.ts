// The bench's jco peer, shared by its child scripts (load-jco.ts,
// real-code.ts): a component file through jco-transpile as `jco transpile`
// runs it, its glue written to a temporary folder and imported (with
// preview2-shim as WASI).

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { jcoTranspile } from '../src/cli/run-jco.js';

/** The imported glue of `file`'s component, and `remove`, which deletes the folder it was written to. */
export async function importJcoGlue(file: string): Promise<{ glue: Record<string, unknown>; remove: () => void }> {
  const out = await jcoTranspile(new Uint8Array(readFileSync(file)));
  const dir = mkdtempSync(join(tmpdir(), 'cmr-bench-jco-'));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    for (const [name, data] of out.files) writeFileSync(join(dir, name), data);
    return { glue: (await import(pathToFileURL(join(dir, 'component.js')).href)) as Record<string, unknown>, remove };
  } catch (e) {
    remove();
    throw e;
  }
}
