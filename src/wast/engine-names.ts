// The engines as the command line names them. A module of its own, with no
// imports, so that `cmr`'s option parsing reads it without loading the
// engines themselves (cli/main.ts loads a command's code only when it runs).

export type EngineName = 'interp' | 'native' | 'jco';

/** The engines in the order columns and pairs list them. */
export const ENGINE_NAMES: readonly EngineName[] = ['interp', 'native', 'jco'];

/**
 * The engines an --engine value names: a comma list of interp, native and
 * jco, `both` standing for interp,native. Throws on an unknown name.
 */
export function parseEngineList(spec: string): EngineName[] {
  const names = new Set<EngineName>();
  for (const raw of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (raw === 'both') { names.add('interp'); names.add('native'); continue; }
    if (!(ENGINE_NAMES as readonly string[]).includes(raw)) throw new Error(`unknown engine "${raw}" (engines: ${ENGINE_NAMES.join(', ')}, or both)`);
    names.add(raw as EngineName);
  }
  if (names.size === 0) throw new Error('no engine given');
  return ENGINE_NAMES.filter((e) => names.has(e));
}
