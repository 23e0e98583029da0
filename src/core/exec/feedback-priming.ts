// Type feedback for the interpreter loop before V8 first optimises it.
//
// Why: V8 optimises `execute` (interpreter.ts) from the type feedback its
// unoptimised runs collected. A case of the switch that has never run has
// none, so TurboFan compiles it as a deoptimisation ("Insufficient type
// feedback"); the first time a program runs such a case the optimised code
// is thrown away, the loop runs unoptimised (about 50x slower) until the
// next compile is ready (hundreds of ms on V8's background thread), and so
// on for every case met for the first time. The componentize-js hello's
// first `greet` call (120 000 nodes run before V8 has optimised the loop)
// had `execute` optimised 17 times, each time thrown away by a new case
// (i32.ne, i64.le_u, i32.extend8_s, fused forms, ...).
//
// What: once per process, on the first interpreted call (so its cost is
// inside the first call, where the bench and load-time.js time it), this
// module instantiates a small built-in core module and runs its `run`
// export once. Its code runs each of the loop's cases that real programs
// run commonly, chosen by counting the nodes dispatched by the bench's
// kernels, the componentize-js hello's greet call and wasmtime's WASI
// programs (../shared/real-world), each in the forms fusion gives it
// (fuse.ts), with the objects real programs give the loop: PNodes from the
// normal preparation, a Configuration's typed-array stacks and frames, a
// memory (a WebAssembly.Memory, as every MemoryInst), a table, globals and
// a host function. Nothing traps, nothing takes a rare path (no stack
// growth, no memory.grow, no exception), so the feedback stays what real
// programs produce: the spec suites used as a warm-up made the hello's
// first call slower, their odd shapes and traps making the feedback
// polymorphic.
//
// It changes nothing a program can observe: its own instance, memory,
// configuration and resource-limit scope, the fuel and epoch meter saved
// and restored around it (meter.withBudget), no host function of the
// user's, and it is not run under the debugger or `--trace=core` (the
// stepping engine's instances never ask for it). An Engine turns it off
// with `primeInterpreter: false` (api/engine.ts). How it was measured: see
// the README's Benchmark section (compiles of `execute` under
// `--trace-opt`, the load row, the kernels' first calls).

import { Op, accessWidth } from '../syntax/opcodes.js';
import { F64, I32, I64, type FuncType, type ValType } from '../syntax/types.js';
import { ByteWriter, ExternByte, SectionId, moduleBytes, section } from '../native/encode.js';
import { decodeModule } from '../binary/decode.js';
import { WASM_3_0_SUPPORTED } from '../syntax/feature-set.js';
import { HostFunc } from '../runtime/func.js';
import { meter } from '../runtime/meter.js';
import { LimitScope, StoreLimits, withLimits } from '../runtime/limits.js';
import type { Value } from '../runtime/values.js';
import { instantiateModule } from './instantiate.js';
import { WasmFunc } from './module-inst.js';
import { Configuration } from './configuration.js';

/** Whether the priming has yet to run in this process (read by Configuration before its first run). */
export let primingPending = true;

/**
 * Runs the priming module once, if it has not run in this process. Called
 * by the first interpreted call of an instance that asks for it.
 */
export function primeFeedback(): void {
  if (!primingPending) return;
  primingPending = false;
  const bytes = primingModuleBytes();
  // Not validated as a whole: built in, and preparation runs the validator over each body it prepares.
  const m = decodeModule(bytes, WASM_3_0_SUPPORTED);
  // Its own limits scope (the running store's counts and limiter untouched)
  // and the meter's budget saved and restored (fuel and epochs untouched).
  const scope = new LimitScope(new StoreLimits({ instances: Infinity, tables: Infinity, memories: Infinity }));
  const noBudget = { fuel: null, epoch: null, deadline: null };
  lastResults = withLimits(scope, () => meter.withBudget(noBudget, () => {
    const host = new HostFunc(HOST_TYPE, HOST_CALL);
    const inst = instantiateModule(m, [{ kind: 'func', value: host }]);
    const run = inst.exports.get('run')?.value, spin = inst.exports.get('spin')?.value;
    if (!(run instanceof WasmFunc) || !(spin instanceof WasmFunc)) throw new Error('feedback priming: no run or spin export');
    // A configuration of its own, not one of invoke.ts's pool: its stacks are dropped with it.
    const t = new Configuration();
    // V8 gives `execute` a feedback vector (where feedback is kept) only
    // once it has run for a while (--lazy-feedback-allocation: a budget of
    // 8x its bytecode's size), and what runs before records nothing; so a
    // loop spins first, and the runs then record everything they do.
    t.callToEnd(spin, [SPIN]);
    return PRIMING_ARGS.map((n) => t.callToEnd(run, [n])[0]!);
  }));
}

let lastResults: Value[] = [];

/** For tests: what the priming's run returned for each of PRIMING_ARGS, and the module. */
export function primingRunForTest(): { results: Value[]; bytes: Uint8Array } {
  return { results: lastResults, bytes: primingModuleBytes() };
}

/** For tests: makes the next interpreted call prime again. */
export function rearmPrimingForTest(): void {
  primingPending = true;
}

// ---------------------------------------------------------------- the module

const HOST_TYPE: FuncType = { params: [I32], results: [I32] };
/** The host import: returns its argument plus one (no effect outside). */
const HOST_CALL = (args: Value[]): Value[] => [((args[0] as number) + 1) | 0];

/**
 * run's arguments: $a below 5, then above it, so that each test runs both
 * ways. test/feedback-priming.test.ts holds the results to V8's own run of
 * the module.
 */
export const PRIMING_ARGS: readonly number[] = [3, 9];
/** Iterations of the loop before the runs (see primeFeedback). */
export const SPIN = 1000;

/**
 * A line-oriented assembler for the few instructions the module uses: one
 * instruction per line, its text-format name and immediates (block types
 * as a value type name or nothing; a load's or store's offset, its
 * alignment natural).
 */
function asm(text: string): number[] {
  const w = new ByteWriter();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/;;.*$/, '').trim();
    if (line === '') continue;
    const [name, ...imm] = line.split(/\s+/) as [string, ...string[]];
    if (name === 'else') { w.byte(0x05); continue; }
    if (name === 'end') { w.byte(0x0b); continue; }
    const op = (Op as Record<string, number>)[name.replace('.', '_')];
    if (op === undefined) throw new Error(`feedback priming: unknown instruction ${name}`);
    w.byte(op);
    if (op === Op.block || op === Op.loop || op === Op.if) w.byte(imm.length === 0 ? 0x40 : VALTYPE[imm[0]!]!);
    else if (op === Op.br_table) w.u32(imm.length - 1).raw(imm.flatMap((x) => new ByteWriter().u32(Number(x)).bytes));
    else if (op === Op.i32_const) s32(w, Number(imm[0]));
    else if (op === Op.i64_const) w.s64(BigInt(imm[0]!));
    else if (op === Op.f64_const) w.raw(new Uint8Array(new Float64Array([Number(imm[0])]).buffer));
    else if (op === Op.call_indirect) w.u32(Number(imm[0])).u32(0);
    else if (op >= Op.i32_load && op <= Op.i64_store32) w.u32(Math.log2(accessWidth(op))).u32(Number(imm[0] ?? 0));
    else if (op === Op.memory_size || op === Op.memory_grow) w.byte(0);
    else for (const x of imm) w.u32(Number(x));
  }
  return w.bytes;
}

/** Signed LEB128 of a 32-bit integer, without ByteWriter's BigInt (this runs cold, once). */
function s32(w: ByteWriter, n: number): void {
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) { w.byte(b); return; }
    w.byte(b | 0x80);
  }
}

const VALTYPE: Record<string, ValType> = { i32: I32, i64: I64, f64: F64 };

interface FuncDef { type: number; locals: ValType[]; body: string }

function primingModuleBytes(): Uint8Array {
  const types: [ValType[], ValType[]][] = [[[I32], [I32]], [[I32, I32], [I32]], [[], []]];
  const w = (f: (b: ByteWriter) => void): ByteWriter => { const b = new ByteWriter(); f(b); return b; };
  const sections: number[][] = [];
  sections.push(section(SectionId.type, w((b) => b.vec(types, (tb, [p, r]) => {
    tb.byte(0x60).vec(p, (x, v) => x.byte(v)).vec(r, (x, v) => x.byte(v));
  }))));
  // (import "host" "inc" (func (param i32) (result i32)))
  sections.push(section(SectionId.import, w((b) => b.u32(1).name('host').name('inc').byte(ExternByte.func).u32(0))));
  sections.push(section(SectionId.func, w((b) => b.vec(FUNCS, (fb, f) => fb.u32(f.type)))));
  // A table of two functions for call_indirect.
  sections.push(section(SectionId.table, w((b) => b.u32(1).byte(0x70).byte(0x00).u32(2))));
  sections.push(section(SectionId.memory, w((b) => b.u32(1).byte(0x00).u32(1))));
  sections.push(section(SectionId.global, w((b) => {
    b.u32(2);
    b.byte(I32, 1).byte(Op.i32_const).s32(1024).byte(0x0b);
    b.byte(I64, 1).byte(Op.i64_const).s64(0n).byte(0x0b);
  })));
  sections.push(section(SectionId.export, w((b) => b.u32(2).name('run').byte(ExternByte.func).u32(1).name('spin').byte(ExternByte.func).u32(5))));
  // (elem (i32.const 0) $leaf $pair): functions 2 and 3.
  sections.push(section(SectionId.elem, w((b) => b.u32(1).byte(0x00).byte(Op.i32_const).s32(0).byte(0x0b).u32(2).u32(2).u32(3))));
  sections.push(section(SectionId.code, w((b) => b.vec(FUNCS, (cb, f) => {
    const body = new ByteWriter().vec(f.locals, (lb, t) => lb.u32(1).byte(t)).raw(asm(f.body)).byte(0x0b);
    cb.u32(body.bytes.length).raw(body.bytes);
  }))));
  return moduleBytes(sections);
}

// The i32 operations in the forms fusion gives them (fuse.ts, node.ts's P
// and i32-binary.ts's B), those the counted programs run: local $a (1),
// local $b (2), constants, values loaded from $q (6), results stored at
// $p (5) or into $c (3).
const I32_FORMS: Record<string, (op: string) => string> = {
  ll: (op) => `local.get 5\nlocal.get 1\nlocal.get 2\ni32.${op}\ni32.store 32`,
  lk: (op) => `local.get 5\nlocal.get 1\ni32.const 3\ni32.${op}\ni32.store 36`,
  sk: (op) => `local.get 5\nlocal.get 6\ni32.load\ni32.const 3\ni32.${op}\ni32.store 40`,
  sl: (op) => `local.get 5\nlocal.get 6\ni32.load 4\nlocal.get 2\ni32.${op}\ni32.store 44`,
  ss: (op) => `local.get 5\nlocal.get 6\ni32.load\nlocal.get 6\ni32.load 4\ni32.${op}\ni32.store 48`,
  ll_set: (op) => `local.get 1\nlocal.get 2\ni32.${op}\nlocal.set 3`,
  lk_set: (op) => `local.get 1\ni32.const 3\ni32.${op}\nlocal.set 3`,
  ll_tee: (op) => `local.get 5\nlocal.get 1\nlocal.get 2\ni32.${op}\nlocal.tee 3\ni32.store 52`,
  lk_tee: (op) => `local.get 5\nlocal.get 1\ni32.const 3\ni32.${op}\nlocal.tee 3\ni32.store 56`,
  ss_set: (op) => `local.get 6\ni32.load\nlocal.get 6\ni32.load 4\ni32.${op}\nlocal.set 3`,
};

const ARITH = ['add', 'sub', 'mul', 'and', 'or', 'xor', 'shl', 'shr_s', 'shr_u'];
/** Which operations run in which form. */
const I32_USES: Record<string, string[]> = {
  ll: ['add', 'sub', 'mul', 'and', 'or', 'xor', 'shl', 'eq', 'ne', 'lt_u', 'gt_u', 'le_u', 'ge_u'],
  lk: [...ARITH, 'eq', 'ne', 'lt_s', 'lt_u', 'gt_u', 'le_u', 'ge_u', 'rotl'],
  sk: [...ARITH, 'eq', 'ne', 'lt_s', 'lt_u', 'gt_u', 'le_u', 'ge_u', 'rotl'],
  sl: ['add', 'sub', 'mul', 'and', 'or', 'xor', 'shl', 'shr_u', 'eq', 'ne', 'lt_s', 'lt_u', 'gt_u', 'ge_u', 'rotl'],
  ss: ['add', 'sub', 'and', 'or', 'xor', 'shl', 'shr_s', 'shr_u', 'eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_u', 'ge_s', 'ge_u', 'div_u', 'div_s', 'rem_u'],
  ll_set: ['add', 'sub', 'mul', 'and', 'lt_u'],
  lk_set: [...ARITH, 'eq', 'ne', 'lt_u'],
  ll_tee: ['add', 'sub', 'or', 'shr_u', 'le_u'],
  lk_tee: ['add', 'sub', 'mul', 'and', 'or', 'shl', 'shr_u', 'eq', 'ne', 'lt_s', 'lt_u', 'gt_u'],
  ss_set: ['add', 'sub', 'and', 'or', 'shl', 'lt_u', 'le_u'],
};

function i32Forms(): string {
  return Object.entries(I32_USES).flatMap(([form, ops]) => ops.map((op) => I32_FORMS[form]!(op))).join('\n');
}

/** A test in each fused form, as br_if (taken when $a (3 or 9) is below 5, or the like) and as if/else. */
const TESTS = [
  'local.get 1\nlocal.get 2\ni32.lt_s', // ll
  'local.get 1\ni32.const 5\ni32.gt_u', // lk
  'local.get 6\ni32.load\ni32.const 5\ni32.ne', // sk
  'local.get 6\ni32.load\nlocal.get 2\ni32.ge_u', // sl
  'local.get 6\ni32.load\nlocal.get 6\ni32.load 8\ni32.lt_u', // ss
  'local.get 1\ni32.const 3\ni32.sub\ni32.eqz', // z
  'local.get 4', // l
  'local.get 6\ni32.load 8', // no fused form: plain br_if, if
];

/** Plain loads and stores (address: $a + 500, an operation fusion leaves on the stack). */
const PLAIN_ACCESS = ['i32.load', 'i32.load8_u', 'i32.load8_s', 'i32.load16_u', 'i64.load', 'i64.load32_u', 'i64.load16_u', 'i64.load8_s', 'i64.load8_u']
  .map((load) => `local.get 1\ni32.const 500\ni32.add\n${load}\n${load.startsWith('i64') ? 'i32.wrap_i64\n' : ''}local.set 3`)
  .concat(['i32.store', 'i32.store8', 'i32.store16'].map((store) => `local.get 1\ni32.const 500\ni32.add\nlocal.get 2\ni32.const 1\ni32.add\n${store}`))
  .concat(['i64.store', 'i64.store32'].map((store) => `local.get 1\ni32.const 500\ni32.add\nlocal.get 10\ni64.const 1\ni64.add\n${store}`))
  .join('\n');

/** Each f64 comparison of $f with 2.5, summed into $c. */
const F64_COMPARE = ['eq', 'ne', 'lt', 'gt', 'le', 'ge']
  .map((op, k) => `local.get 11\nf64.const 2.5\nf64.${op}\n${k === 0 ? '' : 'i32.add\n'}`).join('') + 'local.set 3';

/**
 * Loops (5 iterations of $i (7) or $j (8)) whose back-edge is each form of
 * branch: a branch back to a loop's start counts a checkpoint (meter.ts),
 * code a forward branch never runs.
 */
function backEdges(): string {
  const up = 'i32.const 0\nlocal.set 7\nloop\nlocal.get 7\ni32.const 1\ni32.add\nlocal.set 7\nlocal.get 5\nlocal.get 7\ni32.store 168';
  const tests = [
    'local.get 7\nlocal.get 2\ni32.lt_u', // ll
    'local.get 7\ni32.const 5\ni32.lt_u', // lk
    'local.get 7\ni32.const 0\ni32.or\ni32.const 5\ni32.lt_u', // sk
    'local.get 7\ni32.const 0\ni32.or\nlocal.get 2\ni32.lt_u', // sl
    'local.get 7\ni32.const 0\ni32.or\nlocal.get 2\ni32.const 0\ni32.or\ni32.lt_u', // ss
    'local.get 7\ni32.const 5\ni32.ge_u\ni32.eqz', // z
  ];
  const out = tests.map((t) => `${up}\n${t}\nbr_if 0\nend`);
  // local.get; br_if (a count down), and a plain br back, whose loop starts with no test.
  out.push('i32.const 5\nlocal.set 8\nloop\nlocal.get 8\ni32.const 1\ni32.sub\nlocal.set 8\nlocal.get 5\nlocal.get 8\ni32.store 168\nlocal.get 8\nbr_if 0\nend');
  out.push(`block\n${up}\nlocal.get 7\ni32.const 5\ni32.ge_u\nbr_if 1\nbr 0\nend\nend`);
  return out.join('\n');
}

function tests(): string {
  const out: string[] = [];
  for (const t of TESTS) {
    out.push(`block\n${t}\nbr_if 0\nlocal.get 5\nlocal.get 1\ni32.store 60\nend`);
    out.push(`${t}\nif\nlocal.get 5\nlocal.get 2\ni32.store 64\nelse\nlocal.get 5\ni32.const 7\ni32.store 64\nend`);
  }
  // An i32 loaded from a local address tested for zero (if_load_z).
  out.push('local.get 6\ni32.load 8\ni32.eqz\nif\nlocal.get 5\nlocal.get 1\ni32.store 68\nend');
  return out.join('\n');
}

const RUN = `
;; $a = n, $b = 5, $p = 256 (results), $q = 512 (operands), $d = n - 3 (0 or 6)
local.get 0
local.set 1
i32.const 5
local.set 2
i32.const 256
local.set 5
i32.const 512
local.set 6
local.get 0
i32.const 3
i32.sub
local.set 4
local.get 6
local.get 1
i32.store
local.get 6
i32.const -1640531527
i32.store 4
local.get 6
local.get 4
i32.store 8
local.get 6
i32.const 128
i32.store 12
local.get 6
i32.const 64
i32.store 16
${i32Forms()}
${tests()}
;; moves, constants, loads and stores of each width, address forms
local.get 1
local.set 8
local.get 5
i32.const 7
i32.store 72
local.get 5
i32.const 7
i32.store8 70
local.get 5
i32.const 7
i32.store16 70
local.get 6
i32.load 12
local.get 9
i64.store 8
local.get 6
i32.load 12
local.get 1
i32.store8 16
local.get 6
i32.load 12
local.get 1
i32.store16 16
local.get 5
local.get 1
i32.store8 73
local.get 5
local.get 1
i32.store16 74
local.get 6
i32.load 12
local.get 1
i32.store 76
local.get 5
local.get 6
i32.load8_u 4
i32.store8 80
local.get 5
local.get 6
i32.load16_u 4
i32.store16 82
local.get 5
local.get 6
i32.load8_s 4
i32.extend8_s
i32.extend16_s
i32.store 84
local.get 5
local.get 6
i32.load16_s 4
i32.eqz
i32.store 88
local.get 6
i32.load 12
local.get 6
i32.load 16
i32.add
i32.load
local.set 3
local.get 5
local.get 6
i32.load 12
i32.add
i32.load
local.set 3
local.get 5
local.get 4
i32.add
i32.load
local.set 3
local.get 6
i32.load 12
i32.const 2
i32.shl
i32.load
local.set 3
local.get 5
local.get 6
i32.load 12
i32.const 2
i32.shl
i32.add
i32.load
local.tee 3
local.get 1
local.get 2
select
local.set 3
;; loads and stores whose address is no fused form
${PLAIN_ACCESS}
;; i64 loads from base + index addresses
local.get 6
i32.load 12
local.get 6
i32.load 16
i32.add
i64.load
local.get 5
local.get 6
i32.load 12
i32.add
i64.load
i64.add
local.get 5
local.get 6
i32.load 12
i32.const 2
i32.shl
i32.add
i64.load
i64.add
local.set 10
;; globals (a stack pointer's moves)
global.get 0
i32.const 16
i32.sub
global.set 0
global.get 0
i32.const 16
i32.add
global.set 0
;; i64
local.get 5
i64.const 81985529216486895
i64.store 96
local.get 5
i64.load 96
local.set 9
local.get 9
local.get 1
i64.extend_i32_u
i64.or
local.set 10
local.get 5
local.get 9
local.get 10
i64.ne
local.get 9
local.get 10
i64.lt_u
i32.add
local.get 9
local.get 10
i64.eq
i32.add
local.get 9
i64.eqz
i32.add
local.get 9
local.get 10
i64.ge_u
i32.add
local.get 9
local.get 10
i64.le_u
i32.add
local.get 9
local.get 10
i64.gt_u
i32.add
local.get 9
local.get 10
i64.gt_s
i32.add
local.get 9
local.get 10
i64.le_s
i32.add
local.get 9
local.get 10
i64.lt_s
i32.add
i32.store 104
local.get 9
local.get 10
i64.and
i64.const 7
i64.shr_u
local.get 10
i64.const 3
i64.shl
i64.xor
local.get 9
i64.add
local.get 10
i64.sub
local.set 10
local.get 5
local.get 10
i64.store 112
local.get 5
local.get 10
i64.store32 120
local.get 5
i64.load32_u 96
local.get 5
i64.load16_u 96
i64.add
local.get 5
i64.load8_s 97
i64.add
local.get 5
i64.load8_u 98
i64.add
i32.wrap_i64
local.set 3
;; f64
local.get 1
f64.convert_i32_s
f64.const 1.5
f64.mul
local.get 2
f64.convert_i32_u
f64.div
f64.const 0.25
f64.add
local.set 11
local.get 5
local.get 11
f64.store 128
local.get 5
f64.const 2.5
f64.store 136
${F64_COMPARE}
local.get 11
i64.reinterpret_f64
f64.reinterpret_i64
local.set 11
;; a counted loop: its step and test (step_brif)
i32.const 0
local.set 7
loop
local.get 7
i32.const 1
i32.add
local.tee 7
local.get 2
i32.lt_u
br_if 0
end
;; loops whose back-edge is each form of test
${backEdges()}
;; branches that move values, a table of branches
local.get 5
block i32
local.get 1
local.get 2
local.get 4
br_if 0
drop
end
i32.store 144
local.get 5
block i32
local.get 1
local.get 2
br 0
end
i32.store 148
block
block
block
local.get 4
br_table 0 1 2
end
local.get 5
local.get 1
i32.store 152
end
local.get 5
local.get 2
i32.store 156
end
;; calls: interpreted, indirect, host; returns of a local and of operations
local.get 5
local.get 1
call 2
local.get 1
i32.const 1
call_indirect 0
i32.add
local.get 1
call 0
i32.add
local.get 1
local.get 4
call 4
i32.add
i32.store 160
;; the result: a checksum of the words at $p
i32.const 0
local.set 3
i32.const 0
local.set 7
loop
local.get 3
i32.const 31
i32.mul
local.get 5
local.get 7
i32.add
i32.load
i32.add
local.set 3
local.get 7
i32.const 4
i32.add
local.tee 7
i32.const 164
i32.lt_u
br_if 0
end
local.get 3
`;

// The functions (index 0 is the host import).
const FUNCS: FuncDef[] = [
  // 1: run (n) -> checksum
  { type: 0, locals: [I32, I32, I32, I32, I32, I32, I32, I32, I64, I64, F64], body: RUN },
  // 2: a local returned
  { type: 0, locals: [], body: 'local.get 0' },
  // 3: an operation on two loaded values returned
  { type: 0, locals: [], body: 'local.get 0\ni32.load\nlocal.get 0\ni32.load 4\ni32.and' },
  // 4: an operation on two loaded values returned
  { type: 1, locals: [], body: 'local.get 0\ni32.load\nlocal.get 1\ni32.load\ni32.sub' },
  // 5: spin (n): n iterations of a loop
  { type: 0, locals: [], body: 'loop\nlocal.get 0\ni32.const 1\ni32.sub\nlocal.tee 0\nbr_if 0\nend\nlocal.get 0' },
];
