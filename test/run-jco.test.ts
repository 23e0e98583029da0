// `cmr run --engine jco`: WASI commands of the real-world corpus run by jco
// with preview2-shim as the host. The guests check their own environment
// (p2_cli_env asserts the exact variables it was given), so exit status 0
// means the options reached the guest; a guest panic is a trap, 134.

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SPAWN_LIMIT_MS, spawnsCeiling } from './support/spawn-limit.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
const corpus = join(process.env.CMR_REAL_WORLD ?? join(root, '..', 'shared', 'real-world'), 'wasmtime-p2');

function cmr(...args: string[]) {
  return cmrWith({}, ...args);
}

function cmrWith(env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: SPAWN_LIMIT_MS, env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cmr run --engine jco', function () {
  this.timeout(spawnsCeiling(4)); // a ceiling for a hang, not a duration (spawn-limit.ts): a test here spawns cmr up to four times
  before(function () {
    if (!existsSync(corpus)) this.skip();
  });

  it('gives the guest the environment asked for, and its exit status; keeps the transpiled output in $CMR_JCO_CACHE', () => {
    const cache = mkdtempSync(join(tmpdir(), 'cmr-run-jco-'));
    try {
      const r = cmrWith({ CMR_JCO_CACHE: cache }, 'run', '--engine', 'jco', '--env', 'frabjous=day', '--env', 'callooh=callay', join(corpus, 'p2_cli_env.component.wasm'));
      expect(r.stderr).to.equal('');
      expect(r.status).to.equal(0);
      const entries = readdirSync(cache);
      expect(entries).to.have.length(1);
      expect(readdirSync(join(cache, entries[0]!))).to.include.members(['component.js', 'exports.json']);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('reports a guest panic as a trap, status 134', () => {
    const r = cmr('run', '--engine', 'jco', join(corpus, 'p2_cli_exit_panic.component.wasm'));
    expect(r.status).to.equal(134);
    expect(r.stderr).to.match(/^cmr: trap: /m);
  });

  it('says it runs WASI commands only', () => {
    const r = cmr('run', '--engine', 'jco', '--invoke', 'f()', join(corpus, 'p2_cli_env.component.wasm'));
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(/^cmr: --engine jco runs WASI commands only/);
  });
});
