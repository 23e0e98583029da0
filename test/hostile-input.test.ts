// Input made to hurt (using cmr as its users will, on things it did not
// write): sizes and shapes far from what toolchains emit must end in a
// verdict in bounded time and memory, and every command must judge them
// alike.

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { decodeModule } from '../src/core/binary/decode.js';
import { WASM_3_0_SUPPORTED } from '../src/core/syntax/feature-set.js';
import { canonicalTypes } from '../src/core/syntax/reftypes.js';
import { Component, Engine } from '../src/api/index.js';
import { leb, section } from './support/binary.js';
import { SPAWN_LIMIT_MS, spawnsCeiling } from './support/spawn-limit.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');

/** A core module whose type section is one rec group of `n` function types, the last with `lastParams` i32 parameters. */
function recGroupModule(n: number, lastParams = 0): Uint8Array {
  const types: number[] = [];
  for (let i = 0; i < n; i++) {
    const params = i === n - 1 ? lastParams : 0;
    types.push(0x60, ...leb(params), ...new Array<number>(params).fill(0x7f), 0x00);
  }
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...section(1, [1, 0x4e, ...leb(n), ...types])]);
}

/** A component holding `module` as its only core module. */
function componentOf(module: Uint8Array): Uint8Array {
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, ...section(1, [...module])]);
}

describe('hostile input', function () {
  this.timeout(spawnsCeiling(4)); // a ceiling for a hang, not a duration (spawn-limit.ts): a test here spawns cmr up to four times

  // V8 hashes a string longer than 16 383 characters by its length alone, so
  // the group's members, each keyed by the whole group's text, shared one
  // bucket: 4 000 types took five minutes, 20 000 would take hours.
  it('text that makes wasm-tools panic is one error, and the texts after it still parse (a fresh instance)', () => {
    // A named type reference inside a core module type of a component type
    // (wast 259 panics: "unresolved index in emission"). After a panic the
    // parser's component instance is poisoned; run in a child process, whose
    // stderr takes the panic's message.
    const wat = join(root, 'dist', 'src', 'text', 'wat.js');
    const script = `
      const { watToBinary } = await import(${JSON.stringify(pathToFileURL(wat).href)});
      const crash = '(component (core type (module (type $t (func)) (export "g" (global (ref null $t))))))';
      for (const text of [crash, '(component)', crash, '(module (func))']) {
        try { console.log('ok', (await watToBinary(text)).length); } catch (e) { console.log(e.name, e.message); }
      }`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    const crashed = 'TextError the text parser (wasm-tools) crashed on this text (wasm trap: wasm `unreachable` instruction executed)';
    expect(r.stdout.trim().split('\n')).to.deep.equal([crashed, 'ok 8', crashed, 'ok 24']);
  });

  it('gives a rec group of 20 000 types its canonical ids in linear time, equal groups equal ids', () => {
    const a = decodeModule(recGroupModule(20_000), WASM_3_0_SUPPORTED);
    const b = decodeModule(recGroupModule(20_000), WASM_3_0_SUPPORTED);
    const c = decodeModule(recGroupModule(20_000, 1), WASM_3_0_SUPPORTED);
    const [ia, ib, ic] = [a, b, c].map((m) => canonicalTypes(m.types));
    expect(Array.from(ia!)).to.deep.equal(Array.from(ib!));
    expect(new Set(ia).size).to.equal(20_000);
    // One member differs, so the whole group is another: no id is shared.
    const inA = new Set(ia);
    expect(Array.from(ic!).filter((id) => inA.has(id))).to.deep.equal([]);
  });

  it('loads a component whose core module has a rec group of 100 000 types', async () => {
    const c = await Component.fromBinary(new Engine(), componentOf(recGroupModule(100_000)));
    expect(c.componentType().exports.size).to.equal(0);
  });

  it('says in one line that standard output cannot be written (a full device), status 1', function () {
    if (!existsSync('/dev/full')) this.skip(); // /dev/full (always full) is Linux's: elsewhere there is no full device to write to
    const full = openSync('/dev/full', 'w');
    try {
      for (const args of [['inspect', join(root, 'examples', 'greet.wat')], ['run', '--invoke', 'greet(str.const "you")', join(root, 'examples', 'greet.wat')]]) {
        const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: SPAWN_LIMIT_MS, stdio: ['ignore', full, 'pipe'] });
        expect(r.stderr).to.equal('cmr: cannot write to standard output: no space left on device (ENOSPC)\n');
        expect(r.status).to.equal(1);
      }
    } finally {
      closeSync(full);
    }
  });

  it('cmr inspect refuses a file over 2 GiB (sparse) in one line', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cmr-hostile-')), 'big.wasm');
    closeSync(openSync(file, 'w'));
    truncateSync(file, 2 ** 31 + 1);
    try {
      const r = spawnSync(process.execPath, [cli, 'inspect', file], { encoding: 'utf8', timeout: SPAWN_LIMIT_MS });
      expect(r.stderr).to.equal(`cmr inspect: cannot read ${file}: it is larger than 2 GiB\n`);
      expect(r.status).to.equal(1);
    } finally {
      rmSync(file);
    }
  });

  it('cmr inspect holds a component\'s core modules to the features cmr run does (GC rec groups)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cmr-hostile-')), 'rec.wasm');
    writeFileSync(file, componentOf(recGroupModule(3)));
    const r = spawnSync(process.execPath, [cli, 'inspect', file], { encoding: 'utf8', timeout: SPAWN_LIMIT_MS });
    expect(r.stderr).to.equal('');
    expect(r.status).to.equal(0);
    expect(r.stdout).to.equal('world root {}\n');
  });
});
