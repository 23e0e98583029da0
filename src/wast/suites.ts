// Where the official suites are and which files they hold. They are never
// copied into the project: $CMR_SUITES names their root, else the
// shared/suites folder beside the project's checkout.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's root: the folder with package.json, from dist/src/wast or src/wast. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the cmr project root (no package.json above the code)');
    dir = up;
  }
  return dir;
}

export function suitesRoot(): string {
  const env = process.env.CMR_SUITES;
  return env ? resolve(env) : resolve(projectRoot(), '..', 'shared', 'suites');
}

/**
 * The suites cmr knows, in the order the conformance table shows them: the
 * official ones, then `cmr`, the project's own .wast tests for rules the
 * official suites miss (spec-tests/cmr/, part of the project).
 */
export const SUITES = ['core-2.0', 'core-3.0', 'component-model', 'cmr'] as const;

/** The folder of suite `name`. */
export function suiteDir(name: string): string {
  return name === 'cmr' ? ownSuiteDir() : join(suitesRoot(), name);
}

function ownSuiteDir(): string {
  return join(projectRoot(), 'spec-tests', 'cmr');
}

/** Every .wast file under `path` (a file or a folder), sorted, depth first. */
export function wastFiles(path: string): string[] {
  // Anything but a folder is read as a script: a file, or a pipe such as /dev/stdin.
  if (!statSync(path).isDirectory()) return [path];
  const out: string[] = [];
  for (const name of readdirSync(path).sort()) {
    const p = join(path, name);
    if (statSync(p).isDirectory()) out.push(...wastFiles(p));
    else if (name.endsWith('.wast')) out.push(p);
  }
  return out;
}

/** How a file is named in reports: relative to the suites root when inside it, with '/' separators. */
export function displayName(file: string, root: string): string {
  const own = relative(ownSuiteDir(), resolve(file));
  if (!own.startsWith('..') && !own.startsWith(sep) && own !== '') return ['cmr', ...own.split(sep)].join('/');
  const rel = relative(root, resolve(file));
  const inside = !rel.startsWith('..') && !rel.startsWith(sep) && rel !== '';
  return (inside ? rel : file).split(sep).join('/');
}

/** A file's path relative to the suites root, with '/' separators (what the expected-failures list names). */
export function rootRelative(file: string, root: string): string {
  return relative(root, resolve(file)).split(sep).join('/');
}
