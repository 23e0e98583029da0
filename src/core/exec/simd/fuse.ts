// Superinstructions of vector code, as fuse.ts makes them for scalar code
// (see its comment for why merging nodes at the end of a body is safe):
// preparation emits every vector node through `emitVector`. Loads check
// bounds before any effect and the nodes a fused group moves a local read
// past neither branch nor call nor write that local, so a trap leaves the
// state the unfused instructions leave.
//
// - local.get b; v128.load: vload_l (the address from local b);
// - vload_l; OP (a lane-wise fast form): OP_ld, the loaded vector the
//   right operand;
// - local.get d (v128); vload_l; OP: OP_lld, pushed;
// - local.get b; E; v128.store, where E is a run of nodes that together
//   push one value, each of known stack effect (node-effects.ts) and none
//   writing local b: E; vstore_l (local b read at the store: E does not
//   change it);
// - a lane-wise form (OP, OP_ld, OP_lld); vstore_l: vlane_st, one node
//   that computes and stores (the load's bounds checked before the store's,
//   as in the unfused order);
// - OP1_lld; OP2_ld; vstore_l, where OP2 loads from the address the store
//   writes (local and offset) and both have one lane shape: vlane2_st
//   (`y = a * x + y`: two loads, two operations and a store in one node).

import { O } from '../ops.js';
import { P, PNode } from '../node.js';
import { emit, valueStart, writes } from '../fuse.js';

/** Whether `op` is a lane-wise fast form, both operands on the stack. */
function isLanewise(op: number): boolean {
  return op >= P.f32x4_add && op <= P.i32x4_mul;
}

/** Whether `op` is a fused lane-wise form that loads its right operand (OP_ld). */
function isLanewiseLd(op: number): boolean {
  return op >= P.f32x4_add_ld && op <= P.i32x4_mul_ld;
}

/** Whether `op` is a fused lane-wise form that pushes its result (OP_lld). */
function isLanewiseLld(op: number): boolean {
  return op >= P.f32x4_add_lld && op <= P.i32x4_mul_lld;
}

/** The lane shape of the lane-wise operation `i` places after its form's first (f32x4, f64x2, i32x4: three each, node.ts). */
function shapeOf(i: number): number {
  return Math.floor(i / 3);
}

/**
 * The index of the plain local.get that pushed the operand below the
 * value the nodes at the end of `out` leave, when those nodes (any number)
 * compute that one value from nothing below them and do not write its
 * local (fuse.ts's valueStart); else -1.
 */
function addressGet(out: PNode[]): number {
  const s = valueStart(out, Infinity), get = out[s - 1];
  return s > 0 && get!.op === O.local_get && !writes(out, s, get!.a) ? s - 1 : -1;
}

/** Appends the vector node `node` to `out`, fused with the nodes before it where a pattern matches. */
export function emitVector(out: PNode[], node: PNode): void {
  const n = out.length;
  const last: PNode | undefined = out[n - 1], prev: PNode | undefined = out[n - 2];
  const op = node.op;
  if (op === P.vload && last !== undefined && last.op === O.local_get) {
    const f = new PNode(P.vload_l, last.src);
    f.a = node.a; f.b = last.a; f.f = node.f;
    out[n - 1] = f;
    return;
  }
  if (isLanewise(op) && last !== undefined && last.op === P.vload_l) {
    // node.ts lists the nine operations in the same order in each form.
    const withLocal = prev !== undefined && prev.op === P.vget;
    const f = new PNode(op - P.f32x4_add + (withLocal ? P.f32x4_add_lld : P.f32x4_add_ld), withLocal ? prev.src : last.src);
    f.a = last.a; f.b = last.b; f.f = node.f;
    if (withLocal) f.d = prev.a;
    out.length -= withLocal ? 2 : 1;
    out.push(f);
    return;
  }
  if (op === P.vstore) {
    const k = addressGet(out);
    if (k >= 0) {
      const b = out[k]!.a;
      out.splice(k, 1);
      const last = out[out.length - 1]!, first: PNode | undefined = out[out.length - 2];
      if (isLanewiseLd(last.op) && last.b === b && last.a === node.a && first !== undefined && isLanewiseLld(first.op) &&
          shapeOf(first.op - P.f32x4_add_lld) === shapeOf(last.op - P.f32x4_add_ld)) {
        // OP1_lld; OP2_ld loading from where the result is stored: one node, as y = a * x + y.
        const f = new PNode(P.vlane2_st, first.src);
        f.a = first.a; f.b = first.b; f.d = first.d; f.c = first.op;
        f.f = last.op - P.f32x4_add_ld + P.f32x4_add;
        f.e = node.a; f.g = b;
        out.length -= 2;
        out.push(f);
        return;
      }
      if (isLanewise(last.op) || isLanewiseLd(last.op) || isLanewiseLld(last.op)) {
        // The vector stored is the operation's result: one node computes and stores.
        const f = new PNode(P.vlane_st, last.src);
        f.a = last.a; f.b = last.b; f.d = last.d; f.f = last.f; f.c = last.op;
        f.e = node.a; f.g = b;
        out[out.length - 1] = f;
        return;
      }
      const f = new PNode(P.vstore_l, node.src);
      f.a = node.a; f.b = b; f.f = node.f;
      out.push(f);
      return;
    }
  }
  emit(out, node);
}
