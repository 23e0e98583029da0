// The package as a user gets it: `npm pack` (the tarball `files` in
// package.json makes: the build of src/, README, LICENSE, no tests), then
// `npm install` of that tarball into an empty folder, then the README's API
// example (examples/api.ts, importing 'cmr') and the installed `cmr` command
// run there. Offline: the package's dependencies come from this checkout's
// node_modules (file: links), so the test needs no network.

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiExample, root } from './support/examples.js';

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  expect(r.status, `${cmd} ${args.join(' ')}: ${r.stderr}`).to.equal(0);
  return r.stdout;
}

describe('the npm package', function () {
  this.timeout(600_000); // a ceiling for a hang: npm pack, npm install and node runs, 8 s idle and many times that on a loaded 2-core machine

  it('packs the build, README and LICENSE; installs into a clean folder; runs the README example and `cmr` there', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const packDir = mkdtempSync(join(tmpdir(), 'cmr-pack-'));
    // The build is already there (npm test builds first): scripts are not run again.
    const [packed] = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packDir], root));
    const files: string[] = packed.files.map((f: { path: string }) => f.path);
    expect(files).to.include.members(['package.json', 'README.md', 'LICENSE', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/cli/main.js']);
    expect(files.filter((f) => !f.startsWith('dist/src/') && !['package.json', 'README.md', 'LICENSE'].includes(f)), 'files outside dist/src').to.deep.equal([]);
    expect(files.filter((f) => f.endsWith('.map')), 'source maps without their sources').to.deep.equal([]);

    const app = mkdtempSync(join(tmpdir(), 'cmr-app-'));
    const deps: Record<string, string> = { cmr: `file:${join(packDir, packed.filename)}` };
    for (const name of Object.keys(pkg.dependencies)) deps[name] = `file:${join(root, 'node_modules', name)}`;
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module', dependencies: deps }));
    run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], app);

    const { js, expected } = apiExample();
    writeFileSync(join(app, 'example.mjs'), js);
    expect(run(process.execPath, ['example.mjs'], app).trim()).to.equal(expected);

    const cmr = join(app, 'node_modules', '.bin', 'cmr');
    expect(run(cmr, ['run', '--invoke', 'greet(str.const "you")', join(root, 'examples', 'greet.wat')], app).trim()).to.equal('(str.const "hello, you")');
  });
});
