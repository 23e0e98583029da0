// The interpreter's prepared code in the serialized form
// (core/exec/prepared-store.ts): stored by PNode's fields, rebuilt on a
// function's first call node for node as preparation makes it, for every
// kind of node (fused forms, SIMD, GC, exceptions, tail calls, br_table,
// multi-value, 64-bit and multiple memories, table and bulk memory
// instructions); a malformed stored section is refused cleanly.

import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { Component, ComponentError, Engine, Linker, Store } from '../src/index.js';
import { seal, unseal } from '../src/api/serialize.js';
import { Instr, importedFuncCount, type Module } from '../src/core/syntax/ast.js';
import { P, PNode } from '../src/core/exec/node.js';
import { tryScopes, type TryScope } from '../src/core/exec/exceptions.js';
import { functionPreparer, prepareModule } from '../src/core/exec/prepare.js';
import { instantiateModule, invoke } from '../src/core/exec/index.js';
import { stepHooks } from '../src/core/exec/debug-step.js';
import type { FuncInst } from '../src/core/runtime/func.js';
import {
  attachStoredCode, builtBody, encodeModuleCode, INSTR_LEFT_OUT, INSTR_STORED, NODE_FIELDS, rebuildStored, StoredCodeError,
} from '../src/core/exec/prepared-store.js';

/** One core module using every kind of prepared node, each export (param i32) (result i32). */
const CORE = `
  (type $pt (struct (field (mut i32)) (field i64)))
  (type $arr (array (mut i32)))
  (type $bx (struct (field i32)))
  (tag $e (param i32 i32))
  (memory $m0 1)
  (memory $m64 i64 1)
  (table $t 4 funcref)
  (elem (table $t) (i32.const 0) func $twice $dec)
  (func $twice (param i32) (result i32) (i32.add (local.get 0) (local.get 0)))
  (func $dec (param i32) (result i32) (i32.sub (local.get 0) (i32.const 1)))
  (func (export "fused") (param $n i32) (result i32) (local $i i32) (local $s i32)
    (block $out
      (loop $l
        (br_if $out (i32.ge_s (local.get $i) (local.get $n)))
        (i32.store (i32.shl (local.get $i) (i32.const 2)) (local.get $i))
        (local.set $s (i32.add (local.get $s) (i32.load (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (if (result i32) (i32.lt_u (local.get $s) (i32.const 100000)) (then (local.get $s)) (else (i32.const -1))))
  (func (export "simd") (param $x i32) (result i32) (local $v v128)
    (local.set $v (i32x4.splat (local.get $x)))
    (v128.store (i32.const 64) (i32x4.add (local.get $v) (v128.const i32x4 1 2 3 4)))
    (local.set $v (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (v128.load (i32.const 64)) (local.get $v)))
    (i32.add (i32x4.extract_lane 0 (local.get $v)) (i32x4.extract_lane 3 (v128.load offset=0 (i32.const 64)))))
  (func $box (param i32) (result (ref $bx)) (struct.new $bx (i32.add (local.get 0) (i32.const 1))))
  (func (export "gc") (param $x i32) (result i32) (local $p (ref null $pt)) (local $a (ref $arr))
    (local.set $x (struct.get $bx 0 (call $box (local.get $x))))
    (local.set $p (struct.new $pt (local.get $x) (i64.const 0x1_0000_0007)))
    (if (ref.is_null (local.get $p)) (then (return (i32.const -2))))
    (if (ref.is_null (local.get $p)) (then (unreachable)))
    (struct.set $pt 0 (local.get $p) (i32.add (struct.get $pt 0 (local.get $p)) (i32.wrap_i64 (struct.get $pt 1 (local.get $p)))))
    (local.set $a (array.new $arr (local.get $x) (i32.const 3)))
    (block $no (result (ref null any))
      (br_on_cast_fail $no (ref null any) (ref $pt) (local.get $p))
      (drop)
      (return (i32.add (struct.get $pt 0 (local.get $p)) (array.len (local.get $a)))))
    (drop) (i32.const -1))
  (func $thrower (param i32) (throw $e (local.get 0) (i32.const 7)))
  (func (export "exceptions") (param $x i32) (result i32)
    (block $h (result i32 i32)
      (try_table (catch $e $h)
        (call $thrower (local.get $x)))
      (return (i32.const -1)))
    (i32.mul))
  (func $loop (param $n i32) (param $acc i32) (result i32)
    (if (i32.eqz (local.get $n)) (then (return (local.get $acc))))
    (return_call $loop (i32.sub (local.get $n) (i32.const 1)) (i32.add (local.get $acc) (local.get $n))))
  (func (export "tail") (param i32) (result i32) (return_call $loop (local.get 0) (i32.const 0)))
  (func (export "table") (param $x i32) (result i32)
    (block $d (block $c (block $b (block $a
      (br_table $a $b $c $d (i32.and (local.get $x) (i32.const 3))))
      (return (i32.const 10)))
      (return (call_indirect (param i32) (result i32) (local.get $x) (i32.const 0))))
      (return (call_indirect (param i32) (result i32) (local.get $x) (i32.const 1))))
    (i32.add (table.size $t) (ref.is_null (table.get $t (i32.const 3)))))
  (func $pair (param i32) (result i32 i32) (local.get 0) (i32.mul (local.get 0) (i32.const 3)))
  (func (export "multi") (param $x i32) (result i32)
    (call $pair (local.get $x))
    (block (param i32 i32) (result i32) (i32.sub))
    (i32.const 1) (i32.add))
  (func (export "mem64") (param $x i32) (result i32)
    (i64.store $m64 offset=8 (i64.const 16) (i64.extend_i32_s (local.get $x)))
    (memory.fill $m0 (i32.const 200) (local.get $x) (i32.const 4))
    (memory.copy $m64 $m0 (i64.const 100) (i32.const 200) (i32.const 4))
    (i32.add (i32.wrap_i64 (i64.load $m64 offset=8 (i64.const 16)))
      (i32.add (i32.load $m64 (i64.const 100)) (i32.wrap_i64 (memory.size $m64)))))
`;
const EXPORTS = ['fused', 'simd', 'gc', 'exceptions', 'tail', 'table', 'multi', 'mem64'];
const COMPONENT = `(component
  (core module $m ${CORE})
  (core instance $i (instantiate $m))
  ${EXPORTS.map((e) => `(func (export "${e}") (param "x" s32) (result s32) (canon lift (core func $i "${e}")))`).join('\n  ')})`;

async function results(engine: Engine, c: Component): Promise<unknown[]> {
  const store = new Store(engine);
  const inst = await new Linker(engine).instantiate(store, c);
  const out: unknown[] = [];
  for (const e of EXPORTS) {
    for (const x of [0, 5, 6, 7]) {
      try {
        out.push(`${e}(${x}) = ${JSON.stringify(await inst.getFunc(e)!.call(store, [x]))}`);
      } catch (err) {
        out.push(`${e}(${x}) traps: ${(err as Error).message}`);
      }
    }
  }
  return out;
}

function coreModules(c: Component): Module[] {
  return c.ast.definitions.flatMap((d) => (d.kind === 'coreModule' ? [d.module] : []));
}

/**
 * The first difference between a prepared tree and a rebuilt one (null:
 * none): every node's fields, sources equal in their stored fields, bodies
 * matched one to one (a branch's body is the same body on both sides; an
 * unbuilt one built), and the try scopes of each body.
 */
function treeDifference(a: PNode[], b: PNode[]): string | null {
  const bodies = new Map<PNode[], PNode[]>();
  const scopes = new Map<TryScope, TryScope>();
  const work: [PNode[], PNode[], string][] = [[a, b, 'body']];
  const sameBody = (x: PNode[] | null, y: PNode[] | null, where: string): string | null => {
    if (x === null || y === null) return x === y ? null : `${where}: null on one side`;
    const seen = bodies.get(x);
    if (seen !== undefined) return seen === y ? null : `${where}: another body`;
    bodies.set(x, y);
    work.push([x, y, where]);
    return null;
  };
  const node = (x: PNode, y: PNode, where: string): string | null => {
    for (const k of ['op', 'a', 'b', 'c', 'd', 'e', 'f', 'g'] as const) {
      if (x[k] !== y[k]) return `${where}.${k}: ${String(x[k])} vs ${String(y[k])}`;
    }
    for (const k of INSTR_STORED) {
      const u = (x.src as unknown as Record<string, unknown>)[k], v = (y.src as unknown as Record<string, unknown>)[k];
      if (u instanceof Uint8Array && v instanceof Uint8Array ? u.join() !== v.join() : u !== v) return `${where}.src.${k}: ${String(u)} vs ${String(v)}`;
    }
    const d = sameBody(x.body, y.body, `${where}.body`) ?? sameBody(x.else_, y.else_, `${where}.else_`);
    if (d !== null) return d;
    if ((x.targets === null) !== (y.targets === null) || x.targets?.length !== y.targets?.length) return `${where}.targets differ`;
    for (let i = 0; i < (x.targets?.length ?? 0); i++) {
      const t = node(x.targets![i]!, y.targets![i]!, `${where}.targets[${i}]`);
      if (t !== null) return t;
    }
    return null;
  };
  const scope = (x: TryScope | null, y: TryScope | null, where: string): string | null => {
    if (x === null || y === null) return x === y ? null : `${where}: a try scope on one side only`;
    const seen = scopes.get(x);
    if (seen !== undefined) return seen === y ? null : `${where}: another try scope`;
    scopes.set(x, y);
    if (x.base !== y.base || x.handlers.length !== y.handlers.length) return `${where}: try scopes differ`;
    for (let i = 0; i < x.handlers.length; i++) {
      const h = x.handlers[i]!, k = y.handlers[i]!;
      if (h.kind !== k.kind || h.tag !== k.tag || h.types.join() !== k.types.join()) return `${where}: handler ${i} differs`;
      const d = sameBody(h.body, k.body, `${where}.handler${i}`);
      if (d !== null) return d;
    }
    return scope(x.outer, y.outer, `${where}.outer`);
  };
  bodies.set(a, b);
  while (work.length > 0) {
    const [x, y0, where] = work.pop()!;
    const y = builtBody(y0);
    if (x.length !== y.length) return `${where}: ${x.length} nodes vs ${y.length}`;
    const d = scope(tryScopes.get(x) ?? null, tryScopes.get(y) ?? null, `${where} scope`);
    if (d !== null) return d;
    for (let i = 0; i < x.length; i++) {
      const e = node(x[i]!, y[i]!, `${where}[${i}]`);
      if (e !== null) return e;
    }
  }
  return null;
}

/** Every function of `m` (which holds stored code) rebuilt, against the same function prepared afresh. */
function everyFunctionRebuiltAsPrepared(m: Module): number {
  const first = importedFuncCount(m);
  const prepare = functionPreparer(m);
  for (let i = 0; i < m.funcs.length; i++) {
    const fresh = prepare(i);
    const rebuilt = rebuildStored(m, first + i);
    expect(rebuilt, `function ${first + i}`).to.not.equal(null);
    expect(treeDifference(fresh.body, rebuilt!.body), `function ${first + i}`).to.equal(null);
    expect([...fresh.localTypes.slice(fresh.nparams)], `function ${first + i} locals`).to.deep.equal(rebuilt!.locals);
    expect(fresh.frameSize, `function ${first + i} frame`).to.equal(fresh.localTypes.length + rebuilt!.maxHeight + 1);
  }
  return m.funcs.length;
}

describe('prepared code in the serialized form', function () {
  this.timeout(120_000);

  it('stores every field of PNode, and knows every field of Instr (a new field fails here and in the encoder)', () => {
    expect(Object.keys(new PNode(0, new Instr(0)))).to.deep.equal(NODE_FIELDS);
    expect(NODE_FIELDS).to.deep.equal(['op', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'body', 'else_', 'targets', 'src']);
    expect(Object.keys(new Instr(0)).sort()).to.deep.equal([...INSTR_STORED, ...INSTR_LEFT_OUT].sort());
  });

  it('round trip: every kind of node runs the same from the stored code, and is rebuilt as prepared', async () => {
    const engine = new Engine({ coreEngine: 'interp' });
    const c = await Component.fromText(engine, COMPONENT);
    const want = await results(engine, c);
    expect(want.filter((r) => String(r).includes('traps'))).to.deep.equal([]);
    const bytes = c.serialize();
    expect(unseal(bytes).settings.preparedCode).to.equal(true);
    expect(unseal(bytes).prepared.length).to.be.greaterThan(0);
    const d = Component.deserialize(engine, bytes);
    expect(await results(engine, d)).to.deep.equal(want);
    // Every function was rebuilt, none prepared from its body: the bodies were never decoded.
    const [m] = coreModules(d);
    expect(prepareModule(m!).codes.filter((code) => code.prepared).length).to.be.greaterThan(8);
    expect(m!.funcs.map((f) => (f as unknown as { kept: unknown }).kept).every((k) => k === null || k === undefined)).to.equal(true);
    expect(everyFunctionRebuiltAsPrepared(m!)).to.equal(m!.funcs.length);
    // The forms the test means to cover are there: P.simd, P.gc, P.br_on_cast,
    // GC's own cases (struct_set, array_len, struct_get_l: a local's field; if_null; if_null_ret; struct_new_ret),
    // P.mem_access, try_table, br_table, return_call, a fused comparison-and-branch
    // or back-edge, a fused operation with an opcode of its own (finishBody).
    const ops = new Set<number>();
    const walk = (b: PNode[], seen: Set<PNode[]>): void => {
      if (seen.has(b)) return;
      seen.add(b);
      for (const n of [...builtBody(b), ...b.flatMap((x) => x.targets ?? [])]) {
        ops.add(n.op);
        for (const x of [n.body, n.else_]) if (x !== null) walk(x, seen);
      }
    };
    for (let i = 0; i < m!.funcs.length; i++) walk(rebuildStored(m!, importedFuncCount(m!) + i)!.body, new Set());
    for (const op of [0x100, 0x19, 0x18, 0xc7, 0xca, 0xcd, 0x1ee, 0x1f7, 0x1f0, 0xff, 0x1f, 0x0e, 0x12]) expect(ops, `op 0x${op.toString(16)}`).to.include(op);
    expect([...ops].some((op) => op >= 0xe3 && op <= 0xf0 || op === 0xf7 || op === 0x102), 'a fused test').to.equal(true);
    expect([...ops].some((op) => op >= 0x110), 'a specialised fused operation').to.equal(true);
    // Serializing the loaded component again copies its stored code: the same bytes.
    expect(Buffer.from(d.serialize()).equals(Buffer.from(bytes))).to.equal(true);
  });

  it('the native engine\'s form holds no prepared code; both forms load on both engines', async () => {
    const native = new Engine({ coreEngine: 'native' });
    const interp = new Engine({ coreEngine: 'interp' });
    const nbytes = (await Component.fromText(native, COMPONENT)).serialize();
    expect(unseal(nbytes).settings.preparedCode).to.equal(false);
    expect(unseal(nbytes).prepared.length).to.equal(0);
    const want = await results(interp, await Component.fromText(interp, COMPONENT));
    expect(await results(interp, Component.deserialize(interp, nbytes))).to.deep.equal(want);
    // (The native engine of Node 20 has no GC or exnref: a component of plain code.)
    const plain = `(component (core module $m (func (export "twice") (param i32) (result i32) (i32.add (local.get 0) (local.get 0))))
      (core instance $i (instantiate $m)) (func (export "twice") (param "x" s32) (result s32) (canon lift (core func $i "twice"))))`;
    const d = Component.deserialize(native, (await Component.fromText(interp, plain)).serialize());
    const store = new Store(native);
    const inst = await new Linker(native).instantiate(store, d);
    expect(await inst.getFunc('twice')!.call(store, [5])).to.deep.equal([10]);
  });

  it('the debugger prepares its own code (step nodes), never the stored one', async () => {
    const engine = new Engine({ coreEngine: 'interp' });
    const d = Component.deserialize(engine, (await Component.fromText(engine, COMPONENT)).serialize());
    const [m] = coreModules(d);
    const code = prepareModule(m!, true).codes[0]!;
    code.prepare();
    expect(code.body.some((n) => n.op === 0x101)).to.equal(true); // P.step
  });

  const REAL = '../shared/real-world/wasmtime-p2/p2_cli_exit_default.component.wasm';
  (existsSync(REAL) ? it : it.skip)('a real module (a Rust WASI command\'s): every function rebuilt equals it freshly prepared', async () => {
    const engine = new Engine({ coreEngine: 'interp' });
    const c = Component.deserialize(engine, (await Component.fromBinary(engine, readFileSync(REAL))).serialize());
    const largest = coreModules(c).sort((x, y) => y.funcs.length - x.funcs.length)[0]!;
    expect(everyFunctionRebuiltAsPrepared(largest)).to.be.greaterThan(100);
  });

  describe('a changed record is refused on its function\'s first call, before it is read', () => {
    it('by its digest: the call fails with its own message, the other functions run', async () => {
      const engine = new Engine({ coreEngine: 'interp' });
      const good = (await Component.fromText(engine, COMPONENT)).serialize();
      const want = await results(engine, Component.deserialize(engine, good));
      const { records } = unseal(good);
      // The last record's last byte: the last function's last node (loading
      // checks the records' framing, not their bytes, which it does not hash).
      const bad = good.slice();
      bad[records.byteOffset - good.byteOffset + records.length - 1]! ^= 0x01;
      const d = Component.deserialize(engine, bad);
      const [m] = coreModules(d);
      const last = importedFuncCount(m!) + m!.funcs.length - 1;
      expect(() => rebuildStored(m!, last)).to.throw(StoredCodeError, new RegExp(`^corrupted: the stored prepared code of function ${last} does not match its checksum \\(sha256\\)$`));
      expect(rebuildStored(m!, last - 1)).to.not.equal(null);
      // Through the API: every export that does not reach the changed function gives what it gave.
      const got = await results(engine, d);
      const changed = got.map((r, i) => (r === want[i] ? null : String(r))).filter((r) => r !== null);
      expect(changed.length).to.be.greaterThan(0);
      for (const r of changed) expect(r).to.match(/corrupted: the stored prepared code of function \d+ does not match its checksum/);
    });
  });

  describe('a malformed prepared section (past the checksum: a writer\'s bug) is refused cleanly', () => {
    /** The component's form with its prepared heads replaced by `f`'s, resealed (so the checksum passes). */
    async function forged(f: (prepared: Uint8Array) => Uint8Array): Promise<Uint8Array> {
      const engine = new Engine({ coreEngine: 'interp' });
      const { settings, graph, prepared, records, binary } = unseal((await Component.fromText(engine, COMPONENT)).serialize());
      return seal(settings, graph, binary, f(prepared.slice()), records);
    }

    it('at loading: the module\'s framing (function count, table, length)', async () => {
      const engine = new Engine({ coreEngine: 'interp' });
      for (const f of [(p: Uint8Array) => p.subarray(0, p.length - 1), (p: Uint8Array) => { p[0]! += 1; return p; }, () => new Uint8Array(0)]) {
        const bytes = await forged(f);
        expect(() => Component.deserialize(engine, bytes)).to.throw(ComponentError, /^corrupted: the stored prepared code/);
      }
    });

    it('at a function\'s first call: a record that does not parse is an error, not a crash or a wrong tree', () => {
      const m = { funcs: [{}], imports: [] } as unknown as Module;
      const good = encodeModuleCode(1, () => ({ body: [new PNode(0xd5, new Instr(0x0f))], localTypes: [], nparams: 0, frameSize: 1 }));
      attachStoredCode(m, good);
      expect(rebuildStored(m, 0)!.body.map((n) => n.op)).to.deep.equal([0xd5]);
      // The record's last byte is the node's kind: name one it does not have,
      // with a digest that matches (the head ends with the one record's).
      const records = good.records.slice();
      records[records.length - 1] = 9;
      const head = good.head.slice();
      head.set(createHash('sha256').update(records).digest(), head.length - 32);
      attachStoredCode(m, { head, records });
      expect(() => rebuildStored(m, 0)).to.throw(StoredCodeError, /^corrupted: the stored prepared code of function 0 names a node kind it does not have/);
    });

    it('a node kind with unknown fields, a source instruction out of place: refused where first used, not at loading', () => {
      const m = { funcs: [{}], imports: [] } as unknown as Module;
      // Two nodes of two kinds and two sources. The head: F = 1, K = 2, two
      // kinds (op, mask, source: words from byte 2), Q = 2 (byte 26), the
      // sources' places (three words from byte 27), the sources, the table.
      const good = encodeModuleCode(1, () => ({
        body: [new PNode(0x01, new Instr(0x01)), new PNode(0xd5, new Instr(0x0f))], localTypes: [], nparams: 0, frameSize: 1,
      }));
      expect([good.head[0], good.head[1], good.head[26]]).to.deep.equal([1, 2, 2]);
      attachStoredCode(m, good);
      expect(rebuildStored(m, 0)!.body.map((n) => n.op)).to.deep.equal([0x01, 0xd5]);
      const word = (b: Uint8Array, at: number, v: number): Uint8Array => {
        new DataView(b.buffer, b.byteOffset).setUint32(at, v, true);
        return b;
      };
      for (const mask of [1 << 11, 0x80000000]) {
        // The second kind's field mask (byte 2 + 12 + 4).
        attachStoredCode(m, { head: word(good.head.slice(), 18, mask), records: good.records });
        expect(() => rebuildStored(m, 0)).to.throw(StoredCodeError, /^corrupted: the stored prepared code of function 0 has a node kind with unknown fields/);
      }
      // Where the first source ends (the second word of the places), past the sources' end.
      const end = new DataView(good.head.buffer, good.head.byteOffset).getUint32(27 + 8, true);
      attachStoredCode(m, { head: word(good.head.slice(), 27 + 4, end + 1), records: good.records });
      expect(() => rebuildStored(m, 0)).to.throw(StoredCodeError, /^corrupted: the stored prepared code of function 0 has source instruction 0 out of place/);
      // The sources' end is the function table's start: a wrong one is refused at loading.
      expect(() => attachStoredCode(m, { head: word(good.head.slice(), 27 + 8, end + 1), records: good.records })).to.throw(StoredCodeError, /malformed function table/);
    });
  });

  describe('a function\'s nested bodies are built on their first entry', () => {
    // f(x): x > 10: the sum 0..x-1 (a block and a loop in the then arm);
    // x < 0: 1 / (x + 1), which traps at -1; else 2x.
    const F = `(core module $m
      (func (export "f") (param $x i32) (result i32) (local $i i32) (local $s i32)
        (if (result i32) (i32.gt_s (local.get $x) (i32.const 10))
          (then
            (block $out
              (loop $l
                (br_if $out (i32.ge_s (local.get $i) (local.get $x)))
                (local.set $s (i32.add (local.get $s) (local.get $i)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $l)))
            (local.get $s))
          (else
            (if (result i32) (i32.lt_s (local.get $x) (i32.const 0))
              (then (i32.div_s (i32.const 1) (i32.add (local.get $x) (i32.const 1))))
              (else (i32.mul (local.get $x) (i32.const 2))))))))`;
    const LAZY = `(component ${F} (core instance $i (instantiate $m))
      (func (export "f") (param "x" s32) (result s32) (canon lift (core func $i "f"))))`;

    /** The unbuilt bodies that `root`'s built nodes lead to (an unbuilt body hides the bodies in it). */
    function unbuilt(root: PNode[]): number {
      const seen = new Set<PNode[]>();
      let count = 0;
      const walk = (b: PNode[]): void => {
        if (seen.has(b)) return;
        seen.add(b);
        if (b.length === 1 && b[0]!.op === P.unbuilt) { count++; return; }
        for (const n of [...b, ...b.flatMap((x) => x.targets ?? [])]) for (const x of [n.body, n.else_]) if (x !== null) walk(x);
      };
      walk(root);
      return count;
    }

    it('a body never entered is never built; one entered later runs right, and a trap inside it is the trap', async () => {
      const engine = new Engine({ coreEngine: 'interp' });
      const d = Component.deserialize(engine, (await Component.fromText(engine, LAZY)).serialize());
      // The core module's own instance: a trap leaves it usable (a component instance's would not be).
      const [m] = coreModules(d);
      const f = instantiateModule(m!, []).exports.get('f')!.value as FuncInst;
      const call = (x: number): string => {
        try { return String(invoke(f, [x])); } catch (e) { return (e as Error).message; }
      };
      const code = prepareModule(m!).codes[0]!;
      expect(call(3)).to.equal('6');
      // The root and the else arms it ran are built; the outer then arm
      // (with its block and loop) and the inner one are not.
      expect(code.body[0]!.op).to.not.equal(P.unbuilt);
      expect(unbuilt(code.body)).to.equal(2);
      expect(call(-1)).to.match(/integer divide by zero/);
      expect(unbuilt(code.body)).to.equal(1);
      expect(call(-1)).to.match(/integer divide by zero/);
      expect(call(-5)).to.equal('0');
      expect(call(20)).to.equal('190');
      expect(call(20)).to.equal('190');
      expect(unbuilt(code.body)).to.equal(0);
      // Built on entry, the tree is the one preparation makes.
      expect(treeDifference(functionPreparer(m!)(0).body, code.body)).to.equal(null);
    });

    it('a body that does not parse is refused on its first entry, and again on the next (never half built)', () => {
      // Function 0: (if (local.get 0) (then nop)), its then body written
      // with a node kind it does not have; the else is never entered.
      const m = { funcs: [{}], imports: [] } as unknown as Module;
      const src = new Instr(0x0f);
      const then: PNode[] = [new PNode(0x01, src), new PNode(P.jump, src)];
      const root: PNode[] = [new PNode(0x04, src), new PNode(P.return, src)];
      root[0]!.body = then;
      then[1]!.body = root; then[1]!.a = 1;
      const good = encodeModuleCode(1, () => ({ body: root, localTypes: [], nparams: 0, frameSize: 2 }));
      // The record ends with the then body's nodes: nop's kind, jump's kind, its a and body id. Name a kind it does not have.
      const records = good.records.slice();
      records[records.length - 4] = 9;
      const head = good.head.slice();
      head.set(createHash('sha256').update(records).digest(), head.length - 32);
      attachStoredCode(m, { head, records });
      const body = rebuildStored(m, 0)!.body;
      expect(body.map((n) => n.op)).to.deep.equal([0x04, P.return]);
      for (let k = 0; k < 2; k++) {
        expect(() => builtBody(body[0]!.body!)).to.throw(StoredCodeError, /^corrupted: the stored prepared code of function 0 names a node kind it does not have/);
        expect(body[0]!.body!.map((n) => n.op)).to.deep.equal([P.unbuilt]);
      }
      attachStoredCode(m, good);
      const again = rebuildStored(m, 0)!.body;
      expect(builtBody(again[0]!.body!).map((n) => n.op)).to.deep.equal([0x01, P.jump]);
      expect(again[0]!.body![1]!.body).to.equal(again);
    });

    it('the debugger steps a stored-code module as the original (its own preparation), to a trap inside an arm', async () => {
      const engine = new Engine({ coreEngine: 'interp' });
      const c = await Component.fromText(engine, LAZY);
      const d = Component.deserialize(engine, c.serialize());
      const stepped = (m: Module): string[] => {
        const inst = instantiateModule(m, [], true);
        const out: string[] = [];
        stepHooks.step = (_t, node) => { out.push(`${node.src.op}@${node.src.offset}`); };
        stepHooks.trap = (_t, e) => { out.push(`trap ${e.message}`); };
        try {
          for (const x of [3, 20, -1]) {
            try { out.push(`= ${String(invoke(inst.exports.get('f')!.value as FuncInst, [x]))}`); } catch (e) { out.push((e as Error).message); }
          }
        } finally {
          stepHooks.step = null;
          stepHooks.trap = null;
        }
        return out;
      };
      const want = stepped(coreModules(c)[0]!);
      expect(want.filter((l) => !/^\d+@/.test(l))).to.deep.equal(['= 6', '= 190', 'trap integer divide by zero', 'integer divide by zero']);
      expect(stepped(coreModules(d)[0]!)).to.deep.equal(want);
    });
  });
});
