// The engines `cmr fuzz` compares, as `--engines` names them.

import { ENGINE_NAMES, type EngineName } from '../wast/engine-names.js';
export type { EngineName };

/** `--engines a,b,…`: known names, no repeats, at least one. */
export function parseEngines(list: string): EngineName[] {
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new Error('--engines needs at least one of interp, native, jco');
  for (const n of names) if (!(ENGINE_NAMES as readonly string[]).includes(n)) throw new Error(`--engines: unknown engine "${n}" (known: ${ENGINE_NAMES.join(', ')})`);
  if (new Set(names).size !== names.length) throw new Error(`--engines: ${list} names an engine twice`);
  return names as EngineName[];
}
