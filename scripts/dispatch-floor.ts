// A measuring aid for the bench, not part of cmr: the floor of a
// switch-dispatch design on the loop kernel. It runs the loop kernel's own
// prepared nodes (as prepare.ts and fuse.ts make them, on the same PNode
// objects and the same two-words-per-slot Int32Array frame as cmr's loop)
// in a switch of only the cases that kernel needs, with nothing else: no
// fuel or deadline checkpoint, no calls, no memory, no other cases for V8
// to compile. So cmr's time on that kernel against this one says how much
// cmr's loop pays above what dispatching the same nodes costs at all.

import { O } from '../src/core/exec/ops.js';
import { P, PNode } from '../src/core/exec/node.js';
import { B } from '../src/core/exec/i32-binary.js';
import { functionPreparer, type Code } from '../src/core/exec/prepare.js';
import { meter } from '../src/core/runtime/meter.js';
import { watToBinary } from '../src/text/wat.js';
import { decodeModule } from '../src/core/binary/decode.js';
import { validateModule } from '../src/core/valid/validate.js';
import { Interpreter } from '../src/core/exec/index.js';
import { WASM_3_0_SUPPORTED } from '../src/core/syntax/feature-set.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { isMainModule } from './script-main.js';

/** The node codes the floor runs: the loop kernel's (fuse.ts's forms of its one loop). */
const FLOOR_OPS: ReadonlySet<number> = new Set<number>([
  O.block, O.loop, P.jump, P.return_l,
  B.bin_lk_mul, B.bin_lk_shr_u, B.bin_sl_xor, B.bin_ss_set_add, B.step_brif_add,
]);

/**
 * The first node code of `code`'s tree (the bodies it runs) that the floor
 * has no case for, or null when it can run it all: the bench prints the
 * floor as absent, rather than failing, when preparation changes the loop
 * kernel's nodes.
 */
export function unsupportedNode(code: Code): number | null {
  const seen = new Set<PNode[]>();
  const walk = (body: PNode[]): number | null => {
    if (seen.has(body)) return null;
    seen.add(body);
    for (const n of body) {
      // The node after a return is never reached (a body's exit node ends it).
      if (!FLOOR_OPS.has(n.op)) return n.op;
      if (n.op === P.return_l) return null;
      if (n.body !== null) {
        const inner = walk(n.body);
        if (inner !== null) return inner;
      }
    }
    return null;
  };
  return walk(code.body);
}

/** The frame: slots 0.. are the parameters then the locals, the operand stack above (two words a slot, as configuration.ts's). */
export function floorFrame(code: Code): Int32Array {
  return new Int32Array((code.frameSize + 1) * 2);
}

/** Runs `code` (one i32 parameter, one i32 result) with argument `n`: the kernel's answer. */
export function runFloor(code: Code, frame: Int32Array, n: number): number {
  var i32 = frame;
  i32.fill(0);
  i32[0] = n;
  var fp = 0, sp = code.nparams + code.nlocals;
  var body = code.body, pc = 0;
  for (;;) {
    var instr = body[pc++]!;
    switch (instr.op) {
      case O.block: case O.loop:
        body = instr.body!; pc = 0;
        continue;
      case P.jump:
        body = instr.body!; pc = instr.a;
        continue;
      case B.bin_lk_mul: i32[sp++ << 1] = Math.imul(i32[(fp + instr.a) << 1]!, instr.b); continue;
      case B.bin_lk_shr_u: i32[sp++ << 1] = (i32[(fp + instr.a) << 1]! >>> instr.b) | 0; continue;
      case B.bin_sl_xor: { var j = (sp << 1) - 2; i32[j] = i32[j]! ^ i32[(fp + instr.b) << 1]!; continue; }
      case B.bin_ss_set_add: { sp -= 2; var k = sp << 1; i32[(fp + instr.d) << 1] = (i32[k]! + i32[k + 2]!) | 0; continue; }
      case B.step_brif_add: {
        // The loop's step and test: local a += b into local d, branch while
        // it compares with local g as the outcome bits c >> 8 say (e flips
        // the sign bit for an unsigned comparison), as cmr's case does.
        var r = (i32[(fp + instr.a) << 1]! + instr.b) | 0;
        i32[(fp + instr.d) << 1] = r;
        var x = r ^ instr.e, y = i32[(fp + instr.g) << 1]! ^ instr.e;
        if ((((instr.c >> 8) >> (x < y ? 0 : x === y ? 1 : 2)) & 1) !== 0) { body = instr.body!; pc = instr.f; }
        continue;
      }
      case P.return_l:
        return i32[(fp + instr.a) << 1]!;
      default:
        throw new Error(`dispatch floor: no case for node ${instr.op.toString(16)}`);
    }
  }
}

// ---------------------------------------------------------------------------
// Other encodings of the same nodes (session 10, issue 13; docs/performance.md,
// "Other encodings at the floor"). The same minimal switch, written once per
// case as a template and generated for each encoding, so that every
// encoding runs the same operations and only the way nodes, slots and fuel
// are held differs. Three independent axes:
//
// - nodes: `objects`, today's PNode objects in body arrays (`body[pc++]`,
//   fields by name); `flat`, one Int32Array per function, each node its
//   code then its operands inline, every body laid out in it, a branch
//   `pc = target` (an absolute position stored in the node);
// - slots: `shifted`, today's two words a slot indexed `(fp + a) << 1`;
//   `preshifted`, the same two words a slot, but fp, sp and the nodes' local
//   indices held doubled, so an access is `i32[fp + a]`; `dense`, one word a
//   slot, `i32[fp + a]`, the high words of i64 values in a second array of
//   the same size (a move copies both, as a move that does not know its
//   type must);
// - fuel: `none` (the bench's floor line), `object` (cmr's: `meter.ticks`
//   counted down at every checkpoint), `local` (counted in a local of the
//   loop, written back to the meter when the loop ends or refills).
//
// The kernels they run: loop (its one loop), sieve (both loops, its
// memory), fib (its calls and returns). Run as a script, it times one
// kernel in one encoding (see `main` below).

/** How the nodes, the value slots and the fuel count are held. */
export interface Encoding {
  nodes: 'objects' | 'flat';
  slots: 'shifted' | 'preshifted' | 'dense';
  fuel: 'none' | 'object' | 'local';
  /**
   * The codes the switch dispatches on: `dense`, the floor's own numbering
   * of its cases from 0, which V8 compiles into a jump table as it does
   * cmr's loop (hundreds of cases, dense); `node`, the nodes' own codes,
   * which for these few cases, spread from 0x02 to 0xfc00b, V8 compiles
   * into a tree of comparisons instead.
   */
  codes: 'dense' | 'node';
}

/** The named encodings of the write-up: (a) is cmr's, each of (b)-(e) changes one thing of it, the rest combine them. */
export const ENCODINGS: Readonly<Record<string, Encoding>> = {
  floor: { nodes: 'objects', slots: 'shifted', fuel: 'none', codes: 'dense' },
  'floor-node-codes': { nodes: 'objects', slots: 'shifted', fuel: 'none', codes: 'node' },
  'a-node-codes': { nodes: 'objects', slots: 'shifted', fuel: 'object', codes: 'node' },
  a: { nodes: 'objects', slots: 'shifted', fuel: 'object', codes: 'dense' },
  b: { nodes: 'flat', slots: 'shifted', fuel: 'object', codes: 'dense' },
  c: { nodes: 'objects', slots: 'preshifted', fuel: 'object', codes: 'dense' },
  d: { nodes: 'objects', slots: 'dense', fuel: 'object', codes: 'dense' },
  e: { nodes: 'objects', slots: 'shifted', fuel: 'local', codes: 'dense' },
  bc: { nodes: 'flat', slots: 'preshifted', fuel: 'object', codes: 'dense' },
  bd: { nodes: 'flat', slots: 'dense', fuel: 'object', codes: 'dense' },
  bde: { nodes: 'flat', slots: 'dense', fuel: 'local', codes: 'dense' },
  de: { nodes: 'objects', slots: 'dense', fuel: 'local', codes: 'dense' },
  bce: { nodes: 'flat', slots: 'preshifted', fuel: 'local', codes: 'dense' },
};

type Field = 'a' | 'b' | 'c' | 'd' | 'e' | 'f' | 'g';

/** Where a case continues: `body`[`at`] or `else_`[`at`] (an `if` without else: the next node); `tick`: a checkpoint when that is a loop's start. */
interface Target {
  body: 'body' | 'else_';
  at: Field | 0 | 1;
  orNext?: true;
  tick?: true;
}

/** What a case's template writes with: each encoding's form of a field, a slot, a move, a branch. */
interface Gen {
  /** Field x of the node. */
  f(x: Field): string;
  /** The word index of the local in field x. */
  L(x: Field): string;
  /** The word index of stack slot sp + k. */
  S(k: number): string;
  /** sp += k slots. */
  SP(k: number): string;
  /** The word index of the frame's base (where a function's result goes). */
  FP0(): string;
  /** One slot's step, as sp counts. */
  step(): string;
  /** Both words of slot `s` to slot `d` (word indices). */
  move(d: string, s: string): string;
  /** Continue at target i. */
  go(i: number): string;
  /** A checkpoint (fuel). */
  tick(): string;
}

interface CaseDef {
  ops: number[];
  /** The fields the case reads, in the flat form's order. */
  fields: Field[];
  /** Of those, the locals' indices (doubled in the preshifted form). */
  slots: Field[];
  targets: Target[];
  /** What the case assumes of a node beyond its code (the floor has no case for any other). */
  check?: (n: PNode) => boolean;
  src: (g: Gen) => string;
}

const BODY: Target = { body: 'body', at: 0 };
const ELSE: Target = { body: 'else_', at: 0, orNext: true };
/** A fused comparison (fuse.ts's testOf: outcome bits c, bias e); `y` is a constant already biased, or a local's value, biased here. */
const holdsOf = (g: Gen, c: string, x: string, y: string, yBiased = false): string => `holds(${c}, ${x} ^ ${g.f('e')}, ${yBiased ? y : `${y} ^ ${g.f('e')}`})`;

/** The cases: the nodes of the loop, sieve and fib kernels as fuse.ts makes them, each as cmr's loop runs it. */
const CASES: CaseDef[] = [
  { ops: [O.block, O.loop], fields: [], slots: [], targets: [BODY], src: (g) => `${g.go(0)} continue;` },
  { ops: [P.jump], fields: [], slots: [], targets: [{ body: 'body', at: 'a', tick: true }], src: (g) => `${g.go(0)} continue;` },
  { ops: [O.i32_const], fields: ['a'], slots: [], targets: [], src: (g) => `i32[${g.S(0)}] = ${g.f('a')}; ${g.SP(1)} continue;` },
  { ops: [O.local_get], fields: ['a'], slots: ['a'], targets: [], src: (g) => `${g.move(g.S(0), g.L('a'))} ${g.SP(1)} continue;` },
  { ops: [O.local_set], fields: ['a'], slots: ['a'], targets: [], src: (g) => `${g.SP(-1)} ${g.move(g.L('a'), g.S(0))} continue;` },
  { ops: [P.set_k], fields: ['b', 'd'], slots: ['d'], targets: [], src: (g) => `i32[${g.L('d')}] = ${g.f('b')}; continue;` },
  { ops: [O.select], fields: [], slots: [], targets: [], src: (g) => `${g.SP(-2)} if (i32[${g.S(1)}] === 0) { ${g.move(g.S(-1), g.S(0))} } continue;` },
  { ops: [O.i32_le_u], fields: [], slots: [], targets: [], src: (g) => `${g.SP(-1)} var x = i32[${g.S(-1)}], y = i32[${g.S(0)}]; i32[${g.S(-1)}] = (x >>> 0) <= (y >>> 0) ? 1 : 0; continue;` },
  {
    ops: [O.i32_div_u], fields: [], slots: [], targets: [],
    src: (g) => `${g.SP(-1)} var x = i32[${g.S(-1)}], y = i32[${g.S(0)}]; if (y === 0) throw new Error('integer divide by zero'); i32[${g.S(-1)}] = ((x >>> 0) / (y >>> 0)) | 0; continue;`,
  },
  {
    // Memory 0 only; run once per sieve call.
    ops: [O.memory_fill], fields: [], slots: [], targets: [],
    src: (g) => `${g.SP(-3)} var dst = i32[${g.S(0)}] >>> 0, n = i32[${g.S(2)}] >>> 0; if (dst + n > memLen) throw new Error('out of bounds memory access'); u8.fill(i32[${g.S(1)}] & 255, dst, dst + n); continue;`,
  },
  { ops: [B.bin_lk_mul], fields: ['a', 'b'], slots: ['a'], targets: [], src: (g) => `i32[${g.S(0)}] = Math.imul(i32[${g.L('a')}], ${g.f('b')}); ${g.SP(1)} continue;` },
  { ops: [B.bin_ll_mul], fields: ['a', 'b'], slots: ['a', 'b'], targets: [], src: (g) => `i32[${g.S(0)}] = Math.imul(i32[${g.L('a')}], i32[${g.L('b')}]); ${g.SP(1)} continue;` },
  { ops: [B.bin_lk_shr_u], fields: ['a', 'b'], slots: ['a'], targets: [], src: (g) => `i32[${g.S(0)}] = (i32[${g.L('a')}] >>> ${g.f('b')}) | 0; ${g.SP(1)} continue;` },
  { ops: [B.bin_sl_xor], fields: ['b'], slots: ['b'], targets: [], src: (g) => `var j = ${g.S(-1)}; i32[j] = i32[j] ^ i32[${g.L('b')}]; continue;` },
  { ops: [B.bin_ss_set_add], fields: ['d'], slots: ['d'], targets: [], src: (g) => `${g.SP(-2)} i32[${g.L('d')}] = (i32[${g.S(0)}] + i32[${g.S(1)}]) | 0; continue;` },
  { ops: [B.bin_lk_set_add], fields: ['a', 'b', 'd'], slots: ['a', 'd'], targets: [], src: (g) => `i32[${g.L('d')}] = (i32[${g.L('a')}] + ${g.f('b')}) | 0; continue;` },
  {
    // The loop's step and test (outcome bits c >> 8, bias e), as cmr's case.
    ops: [B.step_brif_add], fields: ['a', 'b', 'c', 'd', 'e', 'g'], slots: ['a', 'd', 'g'], targets: [{ body: 'body', at: 'f', tick: true }],
    src: (g) => `var r = (i32[${g.L('a')}] + ${g.f('b')}) | 0; i32[${g.L('d')}] = r; if (${holdsOf(g, `${g.f('c')} >> 8`, 'r', `i32[${g.L('g')}]`)}) { ${g.go(0)} } continue;`,
  },
  {
    // A loop's step and back-edge (a checkpoint), then the loop's first test.
    ops: [B.step_back_ll_add], fields: ['a', 'b', 'c', 'd', 'e', 'g'], slots: ['a', 'b', 'd', 'g'], targets: [{ body: 'body', at: 'f', tick: true }, { body: 'else_', at: 1 }],
    src: (g) => `var r = (i32[${g.L('a')}] + i32[${g.L('b')}]) | 0; i32[${g.L('d')}] = r; ${g.tick()} if (${holdsOf(g, `${g.f('c')} >> 8`, 'r', `i32[${g.L('g')}]`)}) { ${g.go(0)} } else { ${g.go(1)} } continue;`,
  },
  {
    ops: [B.step_back_lk_add], fields: ['a', 'b', 'c', 'd', 'e', 'g'], slots: ['a', 'd', 'g'], targets: [{ body: 'body', at: 'f', tick: true }, { body: 'else_', at: 1 }],
    src: (g) => `var r = (i32[${g.L('a')}] + ${g.f('b')}) | 0; i32[${g.L('d')}] = r; ${g.tick()} if (${holdsOf(g, `${g.f('c')} >> 8`, 'r', `i32[${g.L('g')}]`)}) { ${g.go(0)} } else { ${g.go(1)} } continue;`,
  },
  {
    ops: [P.brif_ll], fields: ['a', 'b', 'c', 'e'], slots: ['a', 'b'], targets: [{ body: 'body', at: 'd', tick: true }],
    src: (g) => `if (${holdsOf(g, g.f('c'), `i32[${g.L('a')}]`, `i32[${g.L('b')}]`)}) { ${g.go(0)} } continue;`,
  },
  {
    ops: [P.if_lk], fields: ['a', 'b', 'c', 'e'], slots: ['a'], targets: [BODY, ELSE],
    src: (g) => `if (${holdsOf(g, g.f('c'), `i32[${g.L('a')}]`, g.f('b'), true)}) { ${g.go(0)} } else { ${g.go(1)} } continue;`,
  },
  {
    // i32.load8_u from local a, tested for zero by `if` (memory 0).
    ops: [P.if_load_z, B.if_load_z_i32_load8_u], fields: ['a', 'b', 'd'], slots: ['a'], targets: [BODY, ELSE], check: (n) => n.op === B.if_load_z_i32_load8_u || n.c === O.i32_load8_u,
    src: (g) => `var ea = (i32[${g.L('a')}] >>> 0) + (${g.f('d')} >>> 0); if (ea + ${g.f('b')} > memLen) throw new Error('out of bounds memory access'); if (u8[ea] === 0) { ${g.go(0)} } else { ${g.go(1)} } continue;`,
  },
  {
    // i32.store8 of the constant e at local a (memory 0).
    ops: [P.store_lk, B.store_lk_i32_store8], fields: ['a', 'b', 'd', 'e'], slots: ['a'], targets: [], check: (n) => n.op === B.store_lk_i32_store8 || n.c === O.i32_store8,
    src: (g) => `var ea = (i32[${g.L('a')}] >>> 0) + (${g.f('d')} >>> 0); if (ea + ${g.f('b')} > memLen) throw new Error('out of bounds memory access'); u8[ea] = ${g.f('e')}; continue;`,
  },
  // Calls and returns (a function of one result: Code.numResult, checked).
  { ops: [B.call_lk_sub], fields: ['a', 'b', 'd'], slots: ['a'], targets: [], src: (g) => `i32[${g.S(0)}] = (i32[${g.L('a')}] - ${g.f('b')}) | 0; ${g.SP(1)} callee = codes[${g.f('d')}]; break;` },
  { ops: [B.bin_ss_ret_add], fields: [], slots: [], targets: [], src: (g) => `${g.SP(-1)} i32[${g.FP0()}] = (i32[${g.S(-1)}] + i32[${g.S(0)}]) | 0; sp = fp + ${g.step()}; break;` },
  { ops: [P.return_l], fields: ['a'], slots: ['a'], targets: [], src: (g) => `${g.move(g.FP0(), g.L('a'))} sp = fp + ${g.step()}; break;` },
  { ops: [P.return], fields: [], slots: [], targets: [], src: (g) => `${g.move(g.FP0(), g.S(-1))} sp = fp + ${g.step()}; break;` },
];

const CASE_OF = new Map<number, CaseDef>(CASES.flatMap((c) => c.ops.map((op) => [op, c] as const)));

/** Every body of a function: its root body, and those its nodes own. */
function bodiesOf(root: PNode[]): PNode[][] {
  const seen = new Set<PNode[]>([root]);
  const order: PNode[][] = [root];
  for (let i = 0; i < order.length; i++) {
    for (const n of order[i]!) {
      for (const b of [n.body, n.else_]) {
        if (b !== null && !seen.has(b)) { seen.add(b); order.push(b); }
      }
    }
  }
  return order;
}

/**
 * Why the encodings cannot run `code` (the first node without a case, or a
 * function without one numeric result), or null when they can.
 */
export function unsupportedByEncodings(code: Code): string | null {
  if (!code.numResult) return 'a function without one numeric result';
  for (const body of bodiesOf(code.body)) {
    for (const n of body) {
      const c = CASE_OF.get(n.op);
      if (c === undefined || (c.check !== undefined && !c.check(n))) return `node ${n.op.toString(16)}`;
    }
  }
  return null;
}

/** One function as an encoding holds it. */
interface FloorCode {
  body: PNode[] | Int32Array;
  nparams: number;
  nlocals: number;
  frameSize: number;
}

/** The code the switch dispatches node `n` on (Encoding.codes). */
function codeOf(enc: Encoding, n: PNode): number {
  return enc.codes === 'dense' ? CASES.indexOf(CASE_OF.get(n.op)!) : n.op;
}

/**
 * A copy of the function's bodies as the objects form holds them: each node
 * a PNode as prepare.ts makes it, its code as codeOf says, its local indices
 * doubled when `double` (the preshifted form).
 */
function copiedBodies(enc: Encoding, root: PNode[], double: boolean): PNode[] {
  const copies = new Map<PNode[], PNode[]>();
  for (const b of bodiesOf(root)) copies.set(b, []);
  for (const [b, copy] of copies) {
    for (const n of b) {
      const m = new PNode(codeOf(enc, n), n.src);
      m.a = n.a; m.b = n.b; m.c = n.c; m.d = n.d; m.e = n.e; m.f = n.f; m.g = n.g;
      if (double) for (const x of CASE_OF.get(n.op)!.slots) m[x] = 2 * n[x];
      m.body = n.body === null ? null : copies.get(n.body)!;
      m.else_ = n.else_ === null ? null : copies.get(n.else_)!;
      copy.push(m);
    }
  }
  return copies.get(root)!;
}

/**
 * The flat form: every body of the function laid out one after another in
 * one Int32Array, each node its code, its fields in its case's order
 * (locals doubled when `double`), then per target its absolute position
 * (and, for a branch that may go back to a loop's start, 1 when it does).
 */
export function flatten(enc: Encoding, root: PNode[], double: boolean): Int32Array {
  const words: number[] = [];
  const at = new Map<PNode[], number[]>();
  const fixups: { word: number; body: PNode[]; index: number }[] = [];
  for (const body of bodiesOf(root)) {
    const starts: number[] = [];
    at.set(body, starts);
    for (const n of body) {
      starts.push(words.length);
      const c = CASE_OF.get(n.op)!;
      words.push(codeOf(enc, n));
      for (const x of c.fields) words.push(double && c.slots.includes(x) ? 2 * n[x] : n[x]);
      const nexts: number[] = [];
      for (const t of c.targets) {
        const b = n[t.body];
        const index = typeof t.at === 'number' ? t.at : n[t.at];
        if (b === null) {
          if (t.orNext !== true) throw new Error(`dispatch floor: node ${n.op.toString(16)} has no ${t.body}`);
          nexts.push(words.length);
          words.push(0);
        } else {
          fixups.push({ word: words.length, body: b, index });
          words.push(0);
        }
        if (t.tick === true) words.push(index === 0 ? 1 : 0);
      }
      for (const w of nexts) words[w] = words.length; // an if without else goes on at the next node
    }
  }
  for (const x of fixups) words[x.word] = at.get(x.body)![x.index]!;
  return Int32Array.from(words);
}

/** The generated source of the loop for `enc` (`count`: it also counts the nodes it dispatches). */
export function encodingSource(enc: Encoding, count: boolean): string {
  const flat = enc.nodes === 'flat';
  const step = enc.slots === 'preshifted' ? 2 : 1;
  const W = (u: string): string => (enc.slots === 'shifted' ? `((${u}) << 1)` : `(${u})`);
  const tick = enc.fuel === 'none' ? '' : enc.fuel === 'object' ? 'if (--meter.ticks < 0) meter.refill();' : 'if (--ticks < 0) { meter.ticks = ticks; meter.refill(); ticks = meter.ticks; }';
  const cases: string[] = [];
  for (const c of CASES) {
    // The flat form's offsets: the fields after the code, then the targets (and their tick flags).
    const off = new Map<Field, number>(c.fields.map((x, i) => [x, i + 1]));
    const targetAt: number[] = [];
    let len = c.fields.length + 1;
    for (const t of c.targets) { targetAt.push(len); len += t.tick === true ? 2 : 1; }
    const field = (x: Field): string => (flat ? `body[at + ${off.get(x)!}]` : `instr.${x}`);
    const g: Gen = {
      f: field,
      L: (x) => W(`fp + ${field(x)}`),
      S: (k) => W(k === 0 ? 'sp' : `sp ${k < 0 ? '-' : '+'} ${Math.abs(k) * step}`),
      SP: (k) => `sp ${k < 0 ? '-' : '+'}= ${Math.abs(k) * step};`,
      FP0: () => W('fp'),
      step: () => String(step),
      move: (d, s) => (enc.slots === 'dense'
        ? `var md = ${d}, ms = ${s}; i32[md] = i32[ms]; hi[md] = hi[ms];`
        : `var md = ${d}, ms = ${s}; i32[md] = i32[ms]; i32[md + 1] = i32[ms + 1];`),
      go: (i) => {
        const t = c.targets[i]!;
        if (flat) return `pc = body[at + ${targetAt[i]!}];${t.tick === true && tick !== '' ? ` if (body[at + ${targetAt[i]! + 1}] !== 0) { ${tick} }` : ''}`;
        const index = typeof t.at === 'number' ? String(t.at) : `instr.${t.at}`;
        const to = `body = instr.${t.body}; pc = ${index};${t.tick === true && tick !== '' ? ` if (pc === 0) { ${tick} }` : ''}`;
        return t.orNext === true ? `if (instr.${t.body} !== null) { ${to} }` : to;
      },
      tick: () => tick,
    };
    const labels = (enc.codes === 'dense' ? [CASES.indexOf(c)] : c.ops).map((op) => `case ${op}:`).join(' ');
    cases.push(`      ${labels} {${flat ? ` pc = at + ${len};` : ''} ${c.src(g)} }`);
  }
  const zero = (from: string, to: string): string => `for (var k = ${W(from)}; k < ${W(to)}; k++) { i32[k] = 0;${enc.slots === 'dense' ? ' hi[k] = 0;' : ''} }`;
  const name = `floor_${enc.nodes}_${enc.slots}_${enc.fuel}_${enc.codes}`;
  return `
function holds(outcomes, x, y) { return ((outcomes >> (x < y ? 0 : x === y ? 1 : 2)) & 1) !== 0; }
return function ${name}(entry, codes, n, st) {
  var i32 = st.i32, hi = st.hi, u8 = st.u8, memLen = u8.length;
  var frFp = st.frFp, frPc = st.frPc, frBody = st.frBody, frCap = frFp.length, cap = i32.length;
  var fp = 0, sp = ${(step)} * (entry.nparams + entry.nlocals), depth = 0, callee = null, nodes = 0;
  ${zero('0', 'sp')}
  i32[${W('0')}] = n;
  ${enc.fuel === 'local' ? 'var ticks = meter.ticks;' : ''}
  var body = entry.body, pc = 0;
  for (;;) {
    ${flat ? 'var at = pc;' : 'var instr = body[pc++];'}${count ? ' nodes++;' : ''}
    switch (${flat ? 'body[at]' : 'instr.op'}) {
${cases.join('\n')}
      default: throw new Error('dispatch floor: no case for node ' + ${flat ? 'body[at]' : 'instr.op'});
    }
    if (callee !== null) {
      var cc = callee; callee = null;
      var nfp = sp - ${step} * cc.nparams;
      if (${W(`nfp + ${step} * cc.frameSize`)} > cap || depth + 1 >= frCap) throw new Error('dispatch floor: call stack exhausted');
      frFp[depth] = fp; frBody[depth] = body; frPc[depth] = pc; depth++;
      fp = nfp;
      var top = sp + ${step} * cc.nlocals;
      ${zero('sp', 'top')}
      sp = top; body = cc.body; pc = 0;
      ${tick}
      continue;
    }
    if (depth === 0) {${enc.fuel === 'local' ? ' meter.ticks = ticks;' : ''} st.nodes = nodes; return i32[${W('fp')}]; }
    depth--; fp = frFp[depth]; body = frBody[depth]; pc = frPc[depth];
  }
};`;
}

/** The state an encoding's loop runs on: its stacks and the kernel's memory. */
export interface FloorState {
  i32: Int32Array;
  hi: Int32Array;
  u8: Uint8Array;
  frFp: Int32Array;
  frPc: Int32Array;
  frBody: unknown[];
  /** Nodes the last call dispatched (a counting loop only, else 0). */
  nodes: number;
}

/** A kernel's functions in one encoding, as a call with one i32 argument. */
export interface EncodedKernel {
  run(n: number): number;
  state: FloorState;
}

/**
 * `codes` (a module's functions, by function index; the module imports
 * nothing) in encoding `enc`, called at `entry`. `memoryPages`: the
 * kernel's memory 0 (a WebAssembly.Memory, as cmr's), 0 for none.
 */
export function encodeKernel(enc: Encoding, codes: Code[], entry: number, memoryPages: number, count = false): EncodedKernel {
  for (const c of codes) {
    const why = unsupportedByEncodings(c);
    if (why !== null) throw new Error(`dispatch floor: no case for ${why}`);
  }
  const double = enc.slots === 'preshifted';
  const held: FloorCode[] = codes.map((c) => ({
    body: enc.nodes === 'flat' ? flatten(enc, c.body, double) : copiedBodies(enc, c.body, double),
    nparams: c.nparams, nlocals: c.nlocals, frameSize: c.frameSize,
  }));
  const slots = 1 << 16;
  const words = enc.slots === 'dense' ? slots : 2 * slots;
  const state: FloorState = {
    i32: new Int32Array(words), hi: new Int32Array(enc.slots === 'dense' ? words : 0),
    u8: memoryPages === 0 ? new Uint8Array(0) : new Uint8Array(new WebAssembly.Memory({ initial: memoryPages }).buffer),
    frFp: new Int32Array(4096), frPc: new Int32Array(4096), frBody: new Array<unknown>(4096).fill(null), nodes: 0,
  };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the loop generated for this encoding (see above)
  const loop = new Function('meter', encodingSource(enc, count))(meter) as (e: FloorCode, c: FloorCode[], n: number, st: FloorState) => number;
  const main = held[entry]!;
  return { run: (n) => loop(main, held, n, state), state };
}

/** A bench kernel (scripts/bench.ts) in encoding `enc`, with cmr's interpreter's answer for `n` to check it against. */
export async function encodedBenchKernel(name: string, enc: Encoding, n: number, count = false, wasmFile?: string): Promise<{ kernel: EncodedKernel; expect: number }> {
  // Imported here: bench.ts imports this module.
  const { kernels } = await import('./bench.js');
  const k = kernels.find((c) => c.name === name);
  if (k === undefined) throw new Error(`no kernel ${name} (${kernels.map((c) => c.name).join(', ')})`);
  // From a file when given: parsing the text loads wasm-tools, which under valgrind costs more than the calls measured.
  const bytes = wasmFile !== undefined ? new Uint8Array(readFileSync(wasmFile)) : await watToBinary(k.wat);
  const module = decodeModule(bytes, WASM_3_0_SUPPORTED);
  validateModule(module, WASM_3_0_SUPPORTED);
  const exp = module.exports.find((e) => e.name === k.export);
  if (exp?.kind !== 'func' || module.imports.length !== 0) throw new Error(`${name}: the floor needs a module with no imports and an exported function`);
  const prepare = functionPreparer(module);
  const codes = module.funcs.map((_, i) => prepare(i));
  const kernel = encodeKernel(enc, codes, exp.index, module.mems[0]?.type.limits.min ?? 0, count);
  const inst = await new Interpreter().instantiate(module, bytes, []);
  const f = inst.exports.get(k.export)!;
  if (f.kind !== 'func') throw new Error(`${name}: export ${k.export} is not a function`);
  return { kernel, expect: f.value.call([n])[0] as number };
}

const USAGE = `usage: node dist/scripts/dispatch-floor.js <kernel: loop | sieve | fib> [options]
  --encoding E      one of ${Object.keys(ENCODINGS).join(', ')} (default a), or the three axes:
  --nodes objects|flat  --slots shifted|preshifted|dense  --fuel none|object|local  --codes dense|node
  --calls N         calls to time (default 20), each printed in ms, after the answer is checked
  --arg N           the kernel's argument (default the bench's)
  --wasm FILE       the kernel's module from FILE (written by --write-wasm FILE) instead of its text
  --count           count the nodes dispatched (a loop with a counter: not for timing)
  --source          print the generated loop and stop`;

/** One kernel in one encoding, timed call by call (for cachegrind: N and N + 10 calls, the difference over 10 is a warm call). */
async function main(argv: string[]): Promise<void> {
  const opt = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i < 0 ? undefined : argv[i + 1];
  };
  const name = argv[0];
  if (name === undefined || name.startsWith('--')) throw new Error(USAGE);
  const named = ENCODINGS[opt('--encoding') ?? 'a'];
  if (named === undefined) throw new Error(`no encoding ${opt('--encoding')}\n${USAGE}`);
  const enc: Encoding = { ...named };
  const axis = <K extends keyof Encoding>(key: K, values: readonly Encoding[K][]): void => {
    const v = opt(`--${key}`);
    if (v === undefined) return;
    if (!(values as readonly string[]).includes(v)) throw new Error(`--${key}: one of ${values.join(', ')}\n${USAGE}`);
    enc[key] = v as Encoding[K];
  };
  axis('nodes', ['objects', 'flat']);
  axis('slots', ['shifted', 'preshifted', 'dense']);
  axis('fuel', ['none', 'object', 'local']);
  axis('codes', ['dense', 'node']);
  const count = argv.includes('--count');
  const write = opt('--write-wasm');
  if (write !== undefined) {
    const { kernels } = await import('./bench.js');
    const k = kernels.find((c) => c.name === name);
    if (k === undefined) throw new Error(`no kernel ${name}`);
    writeFileSync(write, await watToBinary(k.wat));
    return;
  }
  if (argv.includes('--source')) {
    process.stdout.write(`${encodingSource(enc, count)}\n`);
    return;
  }
  const { kernels } = await import('./bench.js');
  const n = Number(opt('--arg') ?? kernels.find((c) => c.name === name)?.args[0] ?? 0);
  const calls = Number(opt('--calls') ?? 20);
  const { kernel, expect } = await encodedBenchKernel(name, enc, n, count, opt('--wasm'));
  const times: string[] = [];
  for (let i = 0; i < calls; i++) {
    const t = performance.now();
    const r = kernel.run(n);
    times.push((performance.now() - t).toFixed(2));
    if (r !== expect) throw new Error(`${name} in ${JSON.stringify(enc)}: answered ${r}, cmr's interpreter ${expect}`);
  }
  process.stdout.write(`${name} ${enc.nodes}/${enc.slots}/${enc.fuel}/${enc.codes}: answer ${expect} (checked)${count ? `, ${kernel.state.nodes} nodes a call` : ''}\nms: ${times.join(' ')}\n`);
}

if (isMainModule(import.meta)) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`dispatch-floor: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
