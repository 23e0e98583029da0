// The bounded cache of `cmr run --engine jco` (src/cli/jco-cache.ts).

import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheLookup, cacheStore, jcoCacheConfig, pruneCache } from '../src/cli/jco-cache.js';

describe('the jco transpile cache', () => {
  let root: string;
  beforeEach(() => { root = mkdtempSync(join(tmpdir(), 'cmr-jco-cache-test-')); });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** An entry of `bytes` bytes, last used `ageS` seconds ago. */
  const entry = (key: string, bytes: number, ageS: number): void => {
    cacheStore(root, key, { entries: 1000, bytes: 2 ** 40 }, (dir) => {
      writeFileSync(join(dir, 'component.js'), Buffer.alloc(bytes));
      writeFileSync(join(dir, 'exports.json'), '[]');
    });
    const t = new Date(Date.now() - ageS * 1000);
    utimesSync(join(root, key), t, t);
  };

  it('lives in $CMR_JCO_CACHE or the temporary folder, with limits from the environment', () => {
    expect(jcoCacheConfig({ CMR_JCO_CACHE: '/x/y' }).root).to.equal('/x/y');
    expect(jcoCacheConfig({}).root.startsWith(join(tmpdir(), 'cmr-jco-cache-'))).to.equal(true);
    expect(jcoCacheConfig({}).limits).to.deep.equal({ entries: 64, bytes: 256 * 2 ** 20 });
    expect(jcoCacheConfig({ CMR_JCO_CACHE_ENTRIES: '3', CMR_JCO_CACHE_MB: '1' }).limits).to.deep.equal({ entries: 3, bytes: 2 ** 20 });
    expect(() => jcoCacheConfig({ CMR_JCO_CACHE_ENTRIES: '0' })).to.throw(/CMR_JCO_CACHE_ENTRIES must be a positive integer/);
  });

  it('finds only complete entries', () => {
    entry('a', 10, 0);
    expect(cacheLookup(root, 'a')).to.equal(join(root, 'a'));
    mkdirSync(join(root, 'b'));
    expect(cacheLookup(root, 'b')).to.equal(null);
  });

  it('keeps the most recently used entries within the count and the size, and the new one', () => {
    entry('old', 100, 300);
    entry('mid', 100, 200);
    entry('new', 100, 100);
    expect(cacheLookup(root, 'old')).to.not.equal(null); // a use: now the most recent
    cacheStore(root, 'fresh', { entries: 3, bytes: 10_000 }, (dir) => writeFileSync(join(dir, 'exports.json'), '[]'));
    expect(readdirSync(root).sort()).to.deep.equal(['fresh', 'new', 'old']);
    pruneCache(root, { entries: 10, bytes: 150 }, 'fresh');
    expect(readdirSync(root).sort()).to.deep.equal(['fresh', 'old']);
    // The entry just made stays even when it alone is over the size.
    pruneCache(root, { entries: 10, bytes: 1 }, 'old');
    expect(readdirSync(root)).to.deep.equal(['old']);
  });

  it('removes writes abandoned over an hour ago, not those in progress', () => {
    mkdirSync(join(root, 'k.1.part'));
    mkdirSync(join(root, 'k.2.part'));
    const t = new Date(Date.now() - 2 * 3600_000);
    utimesSync(join(root, 'k.1.part'), t, t);
    pruneCache(root, { entries: 1, bytes: 1 });
    expect(existsSync(join(root, 'k.1.part'))).to.equal(false);
    expect(existsSync(join(root, 'k.2.part'))).to.equal(true);
  });
});
