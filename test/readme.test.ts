// The README's example is run as written: taken from README.md, compiled
// with TypeScript, its `from 'cmr'` pointed at this build, run with node.
// A README edit that breaks the example breaks this test.

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('README', function () {
  this.timeout(60_000);

  it('its API example runs and prints what its comment says', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const block = /## API[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block, 'a ```ts block in the API section').to.be.a('string');
    const expected = /console\.log\(result\); \/\/ (\S+)/.exec(block!)?.[1];
    expect(expected, 'the example says what it prints').to.be.a('string');
    const entry = pathToFileURL(join(root, 'dist', 'src', 'index.js')).href;
    const js = ts.transpileModule(block!.replace(/from 'cmr'/g, `from '${entry}'`), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    const file = join(mkdtempSync(join(tmpdir(), 'cmr-readme-')), 'example.mjs');
    writeFileSync(file, js);
    const r = spawnSync(process.execPath, [file], { encoding: 'utf8' });
    expect(r.stderr).to.equal('');
    expect(r.stdout.trim()).to.equal(expected);
  });
});
