// What the bench's scripts share: whether a module is the script being run,
// and the median of a list of figures.

import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Whether the module at `meta` is the script run (not imported, as the
 * bench imports its helpers and its tests import the kernels): Deno says
 * so itself; on node, the script path is compared with the module's.
 */
export function isMainModule(meta: ImportMeta): boolean {
  const main = (meta as { main?: boolean }).main;
  if (main !== undefined) return main;
  const script = process.argv[1];
  return script !== undefined && realpathSync(script) === realpathSync(fileURLToPath(meta.url));
}

/** The median of `xs` (the mean of the middle two of an even number). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}
