// A measuring aid for the bench, not part of cmr: the floor of a
// switch-dispatch design on the loop kernel. It runs the loop kernel's own
// prepared nodes (as prepare.ts and fuse.ts make them, on the same PNode
// objects and the same two-words-per-slot Int32Array frame as cmr's loop)
// in a switch of only the cases that kernel needs, with nothing else: no
// fuel or deadline checkpoint, no calls, no memory, no other cases for V8
// to compile. So cmr's time on that kernel against this one says how much
// cmr's loop pays above what dispatching the same nodes costs at all.

import { O } from '../src/core/exec/ops.js';
import { P, type PNode } from '../src/core/exec/node.js';
import { B } from '../src/core/exec/i32-binary.js';
import type { Code } from '../src/core/exec/prepare.js';

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
