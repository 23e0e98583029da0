// The loop's node codes are three const enums (ops.ts's O, node.ts's P and
// the generated i32-binary.ts's B), which exist only in the source: a code
// given twice would make two of the loop's cases share a label, which
// TypeScript accepts and V8 resolves silently to the first. This reads the
// three enums' source and holds every code to one meaning, and every code to
// one case: in the loop's switch (interpreter.ts) or in the switch of the
// rare instructions the loop's default calls (rare-instructions.ts), never
// both (the loop's case would win silently, the other never run).

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../src/wast/suites.js';

/** The members of `export const enum NAME { ... }` in `file`, with their values. */
function enumMembers(file: string, name: string): Map<string, number> {
  const text = readFileSync(join(projectRoot(), file), 'utf8');
  const start = text.indexOf(`export const enum ${name} {`);
  expect(start, `${file} declares const enum ${name}`).to.be.at.least(0);
  const body = text.slice(start, text.indexOf('\n}', start));
  const members = new Map<string, number>();
  for (const m of body.matchAll(/^\s*([A-Za-z_$][\w$]*)\s*=\s*(0x[0-9a-fA-F]+|\d+)\s*,/gm)) {
    members.set(m[1]!, Number(m[2]));
  }
  return members;
}

describe('interpreter: node codes', () => {
  it('every code of O, P and B names one node', () => {
    const enums = (['O', 'P', 'B'] as const).map((name) => [name, enumMembers(`src/core/exec/${{ O: 'ops', P: 'node', B: 'i32-binary' }[name]}.ts`, name)] as const);
    const prepared = enums[1]![1];
    const seen = new Map<number, string>();
    let count = 0;
    for (const [name, members] of enums) {
      expect(members.size, `${name} has members`).to.be.greaterThan(10);
      for (const [member, code] of members) {
        // A wasm opcode that preparation always replaces by a P form of the
        // same name never reaches the loop: P may reuse its code.
        if (name === 'O' && prepared.has(member)) continue;
        const other = seen.get(code);
        expect(other, `${name}.${member} = 0x${code.toString(16)} is also ${other}`).to.equal(undefined);
        seen.set(code, `${name}.${member}`);
        count++;
      }
    }
    expect(seen.size).to.equal(count);
  });

  it('every code has one case: in the loop or in rare-instructions.ts, never both', () => {
    const labels = (file: string): string[] =>
      [...readFileSync(join(projectRoot(), 'src/core/exec', file), 'utf8').matchAll(/\bcase ([OPB])\.(\w+):/g)].map((m) => `${m[1]}.${m[2]}`);
    // The loop's lane-wise vector case has a switch of its own inside, which names its codes again.
    const loop = new Set(labels('interpreter.ts'));
    const rare = labels('rare-instructions.ts');
    expect(rare.length, 'rare-instructions.ts has cases').to.be.greaterThan(10);
    expect(new Set(rare).size, 'rare-instructions.ts names each code once').to.equal(rare.length);
    expect(rare.filter((c) => loop.has(c)), 'codes with a case in both').to.deep.equal([]);
    // Every code reaches a case, but the wasm ones preparation always
    // replaces: br (by jump, br_move or return) and those P reuses the name of.
    const prepared = enumMembers('src/core/exec/node.ts', 'P');
    const cased = new Set([...loop, ...rare]);
    const missing: string[] = [];
    for (const [name, file] of [['O', 'ops'], ['P', 'node'], ['B', 'i32-binary']] as const) {
      for (const member of enumMembers(`src/core/exec/${file}.ts`, name).keys()) {
        if (name === 'O' && (member === 'br' || prepared.has(member))) continue;
        if (!cased.has(`${name}.${member}`)) missing.push(`${name}.${member}`);
      }
    }
    expect(missing, 'codes without a case').to.deep.equal([]);
  });
});
