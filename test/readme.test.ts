// The README's examples are files in examples/, run as written: the API
// example (examples/api.ts, which must be the README's block to the letter)
// compiled with TypeScript, its `from 'cmr'` pointed at this build, run with
// node; the `cmr run` lines on examples/greet.wat. A README edit that breaks
// an example, or lets it drift from its file, breaks this test.
// test/package.test.ts runs the same example against the packed package.

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { apiExample, example, root } from './support/examples.js';
import { spawnsCeiling } from './support/spawn-limit.js';

const readme = () => readFileSync(join(root, 'README.md'), 'utf8');

/** Runs an example's JavaScript with node: nothing on stderr, stdout what its comments say. */
function runsAsItSays({ js, expected }: { js: string; expected: string }): void {
  const file = join(mkdtempSync(join(tmpdir(), 'cmr-readme-')), 'example.mjs');
  writeFileSync(file, js);
  const r = spawnSync(process.execPath, [file], { encoding: 'utf8' });
  expect(r.stderr).to.equal('');
  expect(r.stdout.trim()).to.equal(expected);
}

describe('README', function () {
  this.timeout(spawnsCeiling(4)); // a ceiling for a hang, not a duration (spawn-limit.ts): a test here spawns cmr up to four times

  it('its API example is examples/api.ts, word for word', () => {
    const block = /## API[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme())?.[1];
    expect(block, 'a ```ts block in the API section').to.be.a('string');
    expect(block).to.equal(readFileSync(join(root, 'examples', 'api.ts'), 'utf8'));
  });

  it('its async example is examples/async.ts, word for word, and runs printing what its comments say', () => {
    const block = /\nAsync \(the async canonical ABI's embedding[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme())?.[1];
    expect(block, 'a ```ts block in the async part of the API section').to.be.a('string');
    expect(block).to.equal(readFileSync(join(root, 'examples', 'async.ts'), 'utf8'));
    runsAsItSays(example('async.ts', pathToFileURL(join(root, 'dist', 'src', 'index.js')).href));
  });

  it('its streams example is examples/streams.ts, word for word, and runs printing what its comment says', () => {
    const block = /\nStreaming from the host into a guest and back[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme())?.[1];
    expect(block, 'a ```ts block after "Streaming from the host into a guest and back"').to.be.a('string');
    expect(block).to.equal(readFileSync(join(root, 'examples', 'streams.ts'), 'utf8'));
    runsAsItSays(example('streams.ts', pathToFileURL(join(root, 'dist', 'src', 'index.js')).href));
  });

  it('its WASI API example is examples/wasi.ts, word for word, and runs printing what its comments say', () => {
    const block = /\n## WASI host[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme())?.[1];
    expect(block, 'a ```ts block in the WASI host section').to.be.a('string');
    expect(block).to.equal(readFileSync(join(root, 'examples', 'wasi.ts'), 'utf8'));
    runsAsItSays(example('wasi.ts', pathToFileURL(join(root, 'dist', 'src', 'index.js')).href));
  });

  it('examples/api.ts runs and prints what its comment says', () => {
    runsAsItSays(apiExample(pathToFileURL(join(root, 'dist', 'src', 'index.js')).href));
  });

  it('its `cmr run --invoke … examples/greet.wat` lines print what they say', () => {
    const lines = [...readme().matchAll(/^ {4}cmr run --invoke '([^']+)' examples\/greet\.wat\s+# (prints (\S.*)|the same.*)$/gm)];
    expect(lines.length, 'the README shows --invoke on greet.wat').to.be.greaterThanOrEqual(2);
    let printed = '';
    for (const [, call, , prints] of lines) {
      const r = spawnSync(process.execPath, [join(root, 'dist', 'src', 'cli', 'main.js'), 'run', '--invoke', call!, join(root, 'examples', 'greet.wat')], { encoding: 'utf8' });
      expect(r.stderr, call).to.equal('');
      expect(r.status, call).to.equal(0);
      if (prints !== undefined) printed = prints;
      expect(r.stdout.trim(), call).to.equal(printed);
    }
    expect(printed).to.equal('(str.const "hello, you")');
  });
});
