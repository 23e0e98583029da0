// Reproducers: a disagreement, shrunk, as a .wat file whose header says
// what differed and the command that runs it again (`cmr fuzz --replay
// FILE`). The calls are header lines `;; call: (invoke …)`; the rest of
// the file is the module or component text. Replaying runs the same
// comparison as the run that found it, on the engines given.

import { writeFileSync } from 'node:fs';
import { readFileBytes } from '../api/read-serialized.js';
import { NotWebAssemblyError, wasmText } from '../api/file-bytes.js';
import { join } from 'node:path';
import { Engine } from '../api/engine.js';
import { Component } from '../api/component.js';
import type { FuncType } from '../component/syntax/types.js';
import { watToBinary } from '../text/wat.js';
import { parseComponentArgs } from '../wast/component-values.js';
import { readSExprs } from '../wast/sexpr.js';
import type { AbiVariant } from '../component/canon/abi-variant.js';
import { API_INSTANCE, runComponentCase } from './component-diff.js';
import { runCoreCase } from './differential.js';
import type { EngineName } from './engines.js';

export interface Reproducer {
  mode: 'core' | 'components';
  /** The seed whose case it was shrunk from. */
  seed: number;
  engines: readonly EngineName[];
  wat: string;
  /** `(invoke "name" args…)`, in order. */
  calls: string[];
  where: string;
  outcomes: [EngineName, string][];
  /** What the spec says (components: the value passed in), or null where the engines are only compared. */
  expected: string | null;
  note: string;
}

/** Writes the reproducer into `dir`; returns its path. */
export function saveReproducer(r: Reproducer, dir: string): string {
  const path = join(dir, `cmr-fuzz-${r.mode === 'core' ? '' : 'components-'}${r.seed}.wat`);
  const engines = r.engines.join(',');
  const header = [
    `;; cmr fuzz${r.mode === 'core' ? '' : ' --components'}: the engines disagree at ${r.where}`,
    ...(r.expected === null ? [] : [`;;   expected: ${r.expected}`]),
    ...r.outcomes.map(([n, o]) => `;;   ${n}: ${o}`),
    `;; Reproduce: cmr fuzz --replay ${path} --engines ${engines}`,
    `;; Found by: cmr fuzz${r.mode === 'core' ? '' : ' --components'} --seed ${r.seed} --count 1 --engines ${engines} (${r.note})`,
    ...r.calls.map((c) => `;; call: ${c}`),
  ];
  writeFileSync(path, `${header.join('\n')}\n${r.wat}`);
  return path;
}

export interface ReplayResult {
  calls: number;
  /** One line: what differed, or null when the engines agree now. */
  disagreement: string | null;
  rejected: string | null;
}

/** Runs a saved reproducer again on `engines`. */
export async function replay(path: string, engines: readonly EngineName[], plant?: { engine: EngineName; variant: AbiVariant }): Promise<ReplayResult> {
  // Read as every command reads a file (bounded: /dev/zero is refused at once).
  const text = wasmText(await readFileBytes(path));
  if (text === null) throw new NotWebAssemblyError(path, true);
  const calls = [...text.matchAll(/^;; call: (.*)$/gm)].map((m) => m[1]!);
  const wat = text.replace(/^;;.*$/gm, '').trim();
  const isComponent = /^\(component\b/.test(wat);
  if (!isComponent) {
    const parsed = calls.map((c) => {
      const e = readSExprs(c)[0];
      if (e?.kind !== 'list' || e.items[1]?.kind !== 'string') throw new Error(`${path}: a call must read (invoke "name" args…), not ${c}`);
      return { name: Buffer.from(e.items[1].bytes).toString('utf8'), args: e.items.slice(2).map((a) => c.slice(a.start, a.end)) };
    });
    const v = await runCoreCase({ wat, calls: parsed }, engines);
    return { calls: v.calls, rejected: v.rejected, disagreement: v.disagreement && `${v.disagreement.where}: ${v.disagreement.outcomes.map(([n, o]) => `${n} ${o}`).join(' / ')}` };
  }
  const component = await Component.fromBinary(new Engine(), await watToBinary(wat));
  const api = component.componentType().type.exports.get(API_INSTANCE);
  const echo = api?.kind === 'instance' ? api.type.exports.get('echo') : undefined;
  if (echo?.kind !== 'func') throw new Error(`${path}: the component exports no ${API_INSTANCE} instance with an echo function`);
  const ft: FuncType = echo.type;
  const values = calls.map((c) => {
    const e = readSExprs(c)[0];
    if (e?.kind !== 'list') throw new Error(`${path}: a call must read (invoke "echo" value), not ${c}`);
    return parseComponentArgs(e.items.slice(2), ft.params, e)[0]!;
  });
  const v = await runComponentCase({ wat, type: ft.params[0]!.type, values }, { engines, ...(plant ? { plant } : {}) });
  return { calls: v.calls, rejected: v.rejected, disagreement: v.disagreement && `${v.disagreement.where}: expected ${v.disagreement.expected}; ${v.disagreement.outcomes.map(([n, o]) => `${n} ${o}`).join(' / ')}` };
}
