import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coreCase, runSeed } from '../src/fuzz/campaign.js';
import { runCoreCase } from '../src/fuzz/differential.js';
import { generateModule, Rng } from '../src/fuzz/gen-module.js';
import { shrinkCore } from '../src/fuzz/shrink-core.js';
import { parseEngines } from '../src/fuzz/engines.js';
import { replay, saveReproducer } from '../src/fuzz/reproducer.js';
import { echoComponent, randomEchoCase, randomValue } from '../src/fuzz/gen-component.js';
import { runComponentCase } from '../src/fuzz/component-diff.js';
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cli', 'main.js');
function cmr(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cmr fuzz (command line)', function () {
  this.timeout(120_000);

  it('ends with one summary line, exit status 0 when all agree; no progress bar off a terminal', () => {
    const r = cmr('fuzz', '--seed', '7', '--count', '5');
    expect(r.stdout).to.match(/^seed 7: 5 modules, \d+ calls, 0 disagreements\n$/);
    expect(r.stderr).to.equal('');
    expect(r.status).to.equal(0);
    const c = cmr('fuzz', '--components', '--engines', 'interp,native', '--seed', '7', '--count', '3');
    expect(c.stdout).to.equal('seed 7: 3 components, 12 calls, 0 disagreements\n');
    expect(c.status).to.equal(0);
  });

  it('refuses jco for core modules and unknown engines, in one line', () => {
    const r = cmr('fuzz', '--engines', 'interp,jco', '--count', '1');
    expect(r.stderr).to.match(/jco runs components only/);
    expect(r.stderr).to.not.match(/\n\s+at /);
    expect(r.status).to.not.equal(0);
    expect(cmr('fuzz', '--components', '--engines', 'v8', '--count', '1').stderr).to.match(/unknown engine "v8"/);
  });

  it('refuses --time 0 without --count (no limit at all), instead of running forever', () => {
    const r = spawnSync(process.execPath, [cli, 'fuzz', '--time', '0'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.signal).to.equal(null);
    expect(r.stderr).to.match(/--time 0 sets no time limit: give --count too/);
    expect(r.status).to.not.equal(0);
    expect(cmr('fuzz', '--time', '0', '--count', '1', '--seed', '3').status).to.equal(0);
  });

  it('--replay of a file that is not there is one line naming it, without Node\'s errno text', () => {
    const r = cmr('fuzz', '--replay', '/no/such/reproducer.wat');
    expect(r.status).to.not.equal(0);
    expect(r.stderr).to.equal('cmr: cannot read /no/such/reproducer.wat: no such file\n');
  });
});

describe('cmr fuzz (differential, core modules)', function () {
  this.timeout(360_000); // a ceiling for a hang: bounded work, some seconds on an idle machine and ten to fifteen times as long under c8 on a loaded 2-core one (shrinking: 8 s idle)

  it('makes the same module from the same seed, and different ones from others', () => {
    expect(generateModule(new Rng(7)).wat).to.equal(generateModule(new Rng(7)).wat);
    expect(generateModule(new Rng(7)).wat).to.not.equal(generateModule(new Rng(8)).wat);
  });

  it('runs generated modules on both engines: valid, called, and in agreement', async () => {
    let calls = 0;
    for (let seed = 100; seed < 120; seed++) {
      const r = await runSeed('core', seed, { engines: ['interp', 'native'], shrinkMs: 0 });
      expect(r.rejected, `module ${seed} refused`).to.equal(null);
      expect(r.reproducer?.where ?? null, `module ${seed}`).to.equal(null);
      calls += r.calls;
    }
    expect(calls).to.be.greaterThan(20);
  });

  it('generates reference types and tables: call_indirect, table.get/set/grow/size/fill, ref.null/is_null/func, externref', () => {
    const wats = Array.from({ length: 60 }, (_, i) => generateModule(new Rng(i)).wat).join('\n');
    for (const form of ['(call_indirect $t', '(table.get $t', '(table.get $e', '(table.set', '(table.grow', '(table.size', '(table.fill', '(table.copy',
      '(ref.null func)', '(ref.null extern)', '(ref.is_null', '(ref.func $l', '(select (result externref)', '(param externref)', '(call $trace']) {
      expect(wats, form).to.contain(form);
    }
  });

  it('hides NaN bits from what is compared: reinterpretations, stores and copysign go through $denan', () => {
    const wats = Array.from({ length: 50 }, (_, i) => generateModule(new Rng(i)).wat).join('\n');
    expect(wats).to.match(/\(i32\.reinterpret_f32 \(call \$denan_f32 /);
    expect(wats).to.not.match(/reinterpret_f(32|64) \((?!call \$denan)/);
  });

  it('compares the host import\'s calls and the final tables, not only results', async () => {
    const wat = `(module (import "host" "trace" (func $trace (param i32) (result i32)))
      (table $e (export "e") 2 externref)
      (func (export "f0") (param i32 externref) (result i32) (table.set $e (i32.const 1) (local.get 1)) (call $trace (local.get 0))))`;
    const v = await runCoreCase({ wat, calls: [{ name: 'f0', args: ['(i32.const 5)', '(ref.extern 2)'] }] }, ['interp', 'native']);
    expect(v).to.deep.equal({ calls: 1, disagreement: null, rejected: null });
  });

  it('shrinks a case to what keeps it failing (here: a module that still has a call_indirect that traps)', async () => {
    const seed = [...Array(200).keys()].find((s) => coreCase(s).wat.includes('call_indirect'))!;
    const c = coreCase(seed);
    const still = async (x: typeof c) => {
      if (!x.wat.includes('call_indirect')) return false;
      const v = await runCoreCase(x, ['interp', 'native']);
      return v.rejected === null;
    };
    const { case: small, steps } = await shrinkCore(c, c.calls.length - 1, still, 8_000);
    expect(steps).to.be.greaterThan(0);
    expect(small.wat).to.contain('call_indirect');
    expect(small.wat.length).to.be.lessThan(c.wat.length / 2);
    expect(small.calls.length).to.be.lessThan(c.calls.length);
  });

  it('--engines: known names only, no repeats', () => {
    expect(parseEngines('interp,jco')).to.deep.equal(['interp', 'jco']);
    expect(() => parseEngines('interp,v8')).to.throw('unknown engine "v8"');
    expect(() => parseEngines('native,native')).to.throw('twice');
  });
});

describe('cmr fuzz --components (differential, component values)', function () {
  this.timeout(120_000);

  it('echoes random values of random types unchanged on interp and native', async () => {
    let calls = 0;
    for (let seed = 0; seed < 15; seed++) {
      const r = await runSeed('components', seed, { engines: ['interp', 'native'], shrinkMs: 0 });
      expect(r.rejected, `component ${seed} refused`).to.equal(null);
      expect(r.reproducer?.outcomes ?? null, `component ${seed}`).to.equal(null);
      calls += r.calls;
    }
    expect(calls).to.equal(60);
  });

  it('and on jco (strings in latin1+utf16 are skipped there, saying why)', async () => {
    for (let seed = 200; seed < 203; seed++) {
      const r = new Rng(seed);
      const { type } = randomEchoCase(r);
      const values = [randomValue(r, type), randomValue(r, type)];
      const v = await runComponentCase({ wat: echoComponent(type, 'utf16'), type, values }, { engines: ['jco'] });
      expect(v.disagreement, `component ${seed}: ${JSON.stringify(v.disagreement)}`).to.equal(null);
      expect(v.calls).to.equal(2);
    }
    const v = await runComponentCase({ wat: echoComponent('string', 'latin1+utf16'), type: 'string', values: ['é'] }, { engines: ['jco'] });
    expect(v.skips).to.equal(1);
  });

  it('makes every kind of type: records, variants, lists, strings, options, results, flags, tuples, enums, nested', () => {
    const r = new Rng(1);
    const text = Array.from({ length: 200 }, () => echoComponent(randomEchoCase(r).type, 'utf8')).join('\n');
    for (const k of ['(record', '(variant', '(list', 'string', '(option', '(result', '(flags', '(tuple', '(enum', 'char', 'f64', 's64']) expect(text, k).to.contain(k);
    expect(text).to.match(/\(list \(list|\(option \(list|\(list \(tuple/);
  });

  it('saves a reproducer that --replay runs again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmr-fuzz-'));
    try {
      const path = saveReproducer({
        mode: 'components', seed: 1, engines: ['interp'], wat: echoComponent({ kind: 'list', elem: 's8', length: null }, 'utf8'),
        calls: ['(invoke "echo" (list.const (s8.const -1) (s8.const 5)))'], where: 'x', outcomes: [], expected: null, note: 'test',
      }, dir);
      expect(readFileSync(path, 'utf8')).to.contain(`;; Reproduce: cmr fuzz --replay ${path} --engines interp`);
      expect(await replay(path, ['interp', 'native'])).to.deep.equal({ calls: 1, disagreement: null, rejected: null });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
