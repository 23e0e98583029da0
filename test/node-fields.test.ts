// PNode's numeric fields (node.ts) must stay small integers (Smis) in V8's
// sense, not just integral numbers: one store of a heap number into a
// field turns that field's representation to double for every node, and
// every read of it in the interpreter's loop then unboxes a heap number
// (rich's sum ran 1.4x the machine instructions so, performance.md, session
// 11). Only V8 can tell a Smi from a heap number holding the same integer,
// so a child process with --allow-natives-syntax prepares and runs code whose
// constants have the words that V8's Number(bigint) returns boxed (2^31 - 1
// and -2^31: f64.const -0's high word, i64.const's extremes) and looks.

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';

const dist = new URL('../src/', import.meta.url).href;

const child = `
const { watToBinary } = await import('${dist}text/wat.js');
const { decodeModule } = await import('${dist}core/binary/decode.js');
const { validateModule } = await import('${dist}core/valid/validate.js');
const { WASM_3_0_SUPPORTED } = await import('${dist}core/syntax/feature-set.js');
const { Interpreter } = await import('${dist}core/exec/index.js');
const { prepareCode, prepareModule } = await import('${dist}core/exec/prepare.js');
const { PNode } = await import('${dist}core/exec/node.js');
const { Instr } = await import('${dist}core/syntax/ast.js');
const wat = \`(module
  (func (export "i64") (result i64)
    (i64.add (i64.const 0x7fffffff_7fffffff) (i64.add (i64.const -0x80000000_00000000) (i64.const 0x80000000))))
  (func (export "f64") (result f64)
    (f64.add (f64.const -0) (f64.reinterpret_i64 (i64.const 0x3ff00000_7fffffff)))))\`;
const bytes = new Uint8Array(await watToBinary(wat));
const m = decodeModule(bytes, WASM_3_0_SUPPORTED);
validateModule(m, WASM_3_0_SUPPORTED);
const inst = await new Interpreter().instantiate(m, bytes, []);
const out = [String(inst.exports.get('i64').value.call([])[0]), String(inst.exports.get('f64').value.call([])[0])];
const boxed = [];
const fields = ['op', 'a', 'b', 'c', 'd', 'e', 'f', 'g'];
for (const code of prepareModule(m).codes) {
  prepareCode(code);
  for (const n of code.body) for (const k of fields) if (!%IsSmi(n[k])) boxed.push(n.op.toString(16) + '.' + k + '=' + n[k]);
}
// A fresh node reads its fields back as the map now stores them: boxed once any field went double.
const fresh = new PNode(0, new Instr(0));
for (const k of fields) if (!%IsSmi(fresh[k])) boxed.push('fresh.' + k);
console.log(JSON.stringify({ out, boxed }));
`;

describe('PNode fields (node.ts)', function () {
  this.timeout(60_000);

  it('stay Smis after preparing and running constants whose words V8 boxes', () => {
    const r = spawnSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', child], { encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    const { out, boxed } = JSON.parse(r.stdout.trim().split('\n').pop()!) as { out: string[]; boxed: string[] };
    const want = BigInt.asIntN(64, 0x7fffffff_7fffffffn + BigInt.asIntN(64, -0x80000000_00000000n + 0x80000000n));
    expect(out[0]).to.equal(String(want));
    // -0 + x is x; an f64 result comes back as its bits.
    expect(out[1]).to.equal(String(0x3ff00000_7fffffffn));
    expect(boxed).to.deep.equal([]);
  });
});
