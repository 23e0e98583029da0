// The interpreter's `const enum O` (src/core/exec/ops.ts) repeats the
// opcodes of syntax/opcodes.ts as literals, so that V8 compiles its switch
// into a jump table. A const enum leaves nothing at run time, so this test
// reads its source and holds every member to `Op`.

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Op } from '../src/core/syntax/opcodes.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('interpreter opcodes (core/exec/ops.ts)', () => {
  it('every member of O has the value of the Op of the same name', () => {
    const text = readFileSync(join(root, 'src', 'core', 'exec', 'ops.ts'), 'utf8');
    const body = /export const enum O \{([\s\S]*?)\n\}/.exec(text)?.[1];
    expect(body, 'the enum O in ops.ts').to.be.a('string');
    const members = [...body!.matchAll(/^\s*(\w+) = (0x[0-9a-f]+),$/gm)].map((m) => [m[1]!, Number(m[2])] as const);
    expect(members.length, 'members read').to.equal(body!.split('\n').filter((l) => l.includes('=')).length);
    expect(members.length).to.be.greaterThan(150);
    const ops = Op as Record<string, number>;
    for (const [name, value] of members) expect(ops[name], `O.${name}`).to.equal(value);
  });
});
