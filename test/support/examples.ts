// The files of examples/ as the tests run them (test/readme.test.ts against
// the build, test/package.test.ts against the packed package).

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The API example as JavaScript, its `from 'cmr'` replaced by `cmrFrom` when given, and what its comment says it prints. */
export function apiExample(cmrFrom?: string): { js: string; expected: string } {
  return example('api.ts', cmrFrom);
}

/**
 * An example of examples/ as JavaScript (its `from 'cmr'` replaced by
 * `cmrFrom` when given) and what it prints: the comments after its
 * `console.log(…);` lines, one line each.
 */
export function example(file: string, cmrFrom?: string): { js: string; expected: string } {
  const source = readFileSync(join(root, 'examples', file), 'utf8');
  const expected = [...source.matchAll(/console\.log\(.*\); \/\/ (\S.*)$/gm)].map((m) => m[1]!).join('\n');
  expect(expected, 'the example says what it prints').to.not.equal('');
  const js = ts.transpileModule(cmrFrom === undefined ? source : source.replace(/from 'cmr'/g, `from '${cmrFrom}'`), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  return { js, expected };
}
