// Superinstructions: preparation emits a body's nodes one at a time
// through `emit`, which merges the new node with the ones before it when
// together they form a common sequence (see P in node.ts). Each merge
// replaces nodes at the end of the body by one node at the first one's
// index. That is safe because no branch lands inside a merged group: a
// branch continues at the start of a body, just after a loop, if or
// try_table node, which are never part of a group, or where a plain block
// (spliced into the body around it, prepare.ts) ended, where preparation
// puts a fence no pattern matches until the body is done.
//
// The sequences are those of compiler output and of the benchmark kernels:
// operands from locals and constants (local.get / i32.const feeding an i32
// operation), results into locals (local.set / local.tee), a test feeding
// br_if or if, loads and stores whose address and value come from
// locals, a load's value into a local, a store whose address a local.get
// pushed before the value's nodes (the read moved into the store), an i32
// field changed by a constant in place (`p->f += k`), a br_table's index
// less a constant, and local.gets before a block (fuseGets). Only operations that cannot trap are
// fused with their operands, and fused loads and stores check bounds before
// any effect (a local they write included), so a trap happens at the same
// point, with the same message and the same memory state, as in the
// unfused code.

import { accessWidth } from '../syntax/opcodes.js';
import { O } from './ops.js';
import { P, PNode } from './node.js';
import { COMPARE_OUTCOMES, COMPARE_UNSIGNED, commutes, fusibleBinary, specialised } from './i32-binary.js';
import { localWritten, nodeCount, operandCount, popsOf, pushesOf } from './node-effects.js';

// Plain booleans, not type predicates: a predicate's false branch would narrow the node to undefined.
const isGet = (n: PNode | undefined): boolean => n !== undefined && n.op === O.local_get;
const isI32Const = (n: PNode | undefined): boolean => n !== undefined && n.op === O.i32_const;
/** Nodes that push one value, pop none and write no local (so a local read before them may be read after them). */
const PUSH_ONE = operandCount(0, 1);
const pushesOnly = (n: PNode | undefined): boolean => n !== undefined && nodeCount(n) === PUSH_ONE && localWritten(n) < 0;
const isLoad = (op: number): boolean => op >= O.i32_load && op <= O.i64_load32_u;
const isStore = (op: number): boolean => op >= O.i32_store && op <= O.i64_store32;

/** Replaces the last `k` nodes of `out` by `node`. */
function replaceTail(out: PNode[], k: number, node: PNode): void {
  out.length -= k;
  out.push(node);
}

function fused(op: number, first: PNode): PNode {
  return new PNode(op, first.src);
}

/** Appends `node` to `out`, fused with the nodes before it where a pattern matches. */
export function emit(out: PNode[], node: PNode): void {
  const n = out.length;
  const last: PNode | undefined = out[n - 1], prev: PNode | undefined = out[n - 2];
  const op = node.op;
  if (fusibleBinary(op)) {
    if (isGet(last) && isGet(prev)) return replaceTail(out, 2, bin(P.bin_ll, prev, prev.a, last.a, op));
    if (isI32Const(last) && isGet(prev)) return replaceTail(out, 2, bin(P.bin_lk, prev, prev.a, last.a, op));
    if (isI32Const(last)) return replaceTail(out, 1, bin(P.bin_sk, last, 0, last.a, op));
    if (isGet(last)) {
      // local.get a; local.get f; i32.mul; local.get g; i32.add: an element index.
      if (op === O.i32_add && prev !== undefined && prev.op === P.bin_ll && prev.c === O.i32_mul) {
        const f = fused(P.mul_add, prev);
        f.a = prev.a; f.f = prev.b; f.g = last.a;
        return replaceTail(out, 2, f);
      }
      return replaceTail(out, 1, bin(P.bin_sl, last, 0, last.a, op));
    }
    // local.get a; X; OP, where X pushes one value and writes no local, and
    // OP commutes: X; (X's value OP local a), one node fewer.
    if (commutes(op) && isGet(prev) && pushesOnly(last)) {
      const f = bin(P.bin_sl, prev, 0, prev.a, op);
      out.length -= 2;
      out.push(last!, f);
      return;
    }
  } else if (op === O.local_set || op === O.local_tee) {
    const set = op === O.local_set;
    // A load from a local address into a local (`x = p->f`): one node, which writes the local after its bounds check.
    if (last !== undefined && last.op === P.load_l) {
      const f = fused(set ? P.load_l_set : P.load_l_tee, last);
      f.a = last.a; f.b = last.b; f.c = last.c; f.d = last.d; f.e = node.a;
      return replaceTail(out, 1, f);
    }
    // A load from an address on the stack into a local (`x = *e`, `x = p->f` with p computed): likewise.
    if (last !== undefined && isLoad(last.op)) {
      const f = fused(set ? P.load_s_set : P.load_s_tee, last);
      f.b = last.b; f.c = last.op; f.d = last.a; f.e = node.a;
      return replaceTail(out, 1, f);
    }
    if (last !== undefined && (last.op === P.bin_ll || last.op === P.bin_lk)) {
      const f = bin(last.op === P.bin_ll ? (set ? P.bin_ll_set : P.bin_ll_tee) : (set ? P.bin_lk_set : P.bin_lk_tee),
        last, last.a, last.b, last.c);
      f.d = node.a;
      return replaceTail(out, 1, f);
    }
    if (set && last !== undefined && fusibleBinary(last.op)) {
      const f = bin(P.bin_ss_set, last, 0, 0, last.op);
      f.d = node.a;
      return replaceTail(out, 1, f);
    }
    // local.get a; X; Y; f64.mul; f64.add; local.set d, where X and Y
    // each push one value and write no local: X; Y; one node doing the rest.
    const get = out[n - 4];
    if (set && last !== undefined && last.op === P.f64_madd && isGet(get) && pushesOnly(prev) && pushesOnly(out[n - 3])) {
      if (prev!.op === P.load_lbase_idx && prev!.c === O.f64_load) {
        // The second factor's load joins too (a dot product's step: acc += x[i] * y[base + (k * n + j) << 3]).
        const f = fused(P.f64_madd_lbase_idx, prev!);
        f.a = prev!.a; f.f = prev!.f; f.g = prev!.g; f.e = prev!.e; f.d = prev!.d;
        f.b = get!.a; f.c = node.a;
        out.splice(n - 4, 1);
        return replaceTail(out, 2, f);
      }
      const f = fused(P.f64_madd_lset, last);
      f.a = get!.a; f.d = node.a;
      out.splice(n - 4, 1);
      return replaceTail(out, 1, f);
    }
    if (set && last !== undefined && last.op === P.f64_madd) {
      const f = fused(P.f64_madd_set, last);
      f.d = node.a;
      return replaceTail(out, 1, f);
    }
    if (set && isGet(last)) {
      const f = fused(P.mov, last);
      f.a = last.a; f.d = node.a;
      return replaceTail(out, 1, f);
    }
    if (set && last !== undefined && (last.op === O.i32_const || last.op === O.f32_const)) {
      const f = fused(P.set_k, last);
      f.b = last.a; f.d = node.a;
      return replaceTail(out, 1, f);
    }
  } else if (op === O.br_if) {
    // Only a br_if that moves no values (it continues at node.body[node.a]).
    const t = testOf(last, P.brif_ll, P.brif_lk, P.brif_sk, P.brif_sl, P.brif_ss, P.brif_z, P.brif_l);
    if (t !== null) {
      t.body = node.body; t.d = node.a;
      // local.tee d (local a OP k) feeding the comparison with local g: one step node.
      if (t.op === P.brif_sl && prev !== undefined && prev.op === P.bin_lk_tee) {
        const f = bin(P.step_brif, prev, prev.a, prev.b, prev.c | (t.c << 8));
        f.d = prev.d; f.e = t.e; f.g = t.b; f.f = t.d; f.body = t.body;
        return replaceTail(out, 2, f);
      }
      // local.set d (local a OP k), then a comparison of local d with local g: the same step node.
      if (t.op === P.brif_ll && prev !== undefined && prev.op === P.bin_lk_set && t.a === prev.d) {
        const f = bin(P.step_brif, prev, prev.a, prev.b, prev.c | (t.c << 8));
        f.d = prev.d; f.e = t.e; f.g = t.b; f.f = t.d; f.body = t.body;
        return replaceTail(out, 2, f);
      }
      // local.tee d (local a OP k), then a bound (local g OP2 k2) it is compared with: one step node.
      const bound = prev, step = out[n - 3];
      if (t.op === P.brif_ss && bound !== undefined && bound.op === P.bin_lk && step !== undefined && step.op === P.bin_lk_tee) {
        const f = bin(P.step_brif_k, step, step.a, step.b, step.c | (t.c << 8) | (t.e !== 0 ? 0x800 : 0) | (bound.c << 12));
        f.d = step.d; f.e = bound.b; f.g = bound.a; f.f = t.d; f.body = t.body;
        return replaceTail(out, 3, f);
      }
      return replaceTail(out, 1, t);
    }
  } else if (op === P.jump && node.a === 0) {
    // A branch back to a loop's start: when the loop begins with a test of
    // locals, run that test here and go on after it (loop inversion).
    const head = node.body![0];
    // When the body ends by stepping the local that test reads first (local.set d
    // (local a OP local b or constant)), the step joins the back-edge too.
    if (head !== undefined && head !== node && head.op === P.brif_ll && last !== undefined &&
        (last.op === P.bin_ll_set || last.op === P.bin_lk_set) && last.d === head.a) {
      const f = bin(last.op === P.bin_ll_set ? P.step_back_ll : P.step_back_lk, last, last.a, last.b, last.c | (head.c << 8));
      f.d = last.d; f.e = head.e; f.g = head.b; f.f = head.d; f.body = head.body; f.else_ = node.body;
      return replaceTail(out, 1, f);
    }
    if (head !== undefined && head !== node && (head.op === P.brif_ll || head.op === P.brif_lk)) {
      const f = bin(head.op === P.brif_ll ? P.back_ll : P.back_lk, head, head.a, head.b, head.c);
      f.e = head.e; f.d = head.d; f.body = head.body; f.else_ = node.body;
      out.push(f);
      return;
    }
  } else if (isLoad(op)) {
    if (isGet(last)) {
      const f = fused(P.load_l, last);
      f.a = last.a; f.b = accessWidth(op); f.c = op; f.d = node.a;
      return replaceTail(out, 1, f);
    }
    // local.get a; i32.const k; i32.shl; load: an element of a table at a constant address (the offset), any access.
    if (last !== undefined && last.op === P.bin_lk && last.c === O.i32_shl) {
      const f = fused(P.load_l_shl, last);
      f.a = last.a; f.e = last.b & 31; f.b = accessWidth(op); f.c = op; f.d = node.a;
      return replaceTail(out, 1, f);
    }
    if (op <= O.f64_load && last !== undefined) {
      // Full-width loads from base + index.
      let f: PNode | null = null;
      const isShl = (s: PNode | undefined): boolean => s !== undefined && s.op === P.bin_sk && s.c === O.i32_shl;
      // Row-major elements: (x * y + z) << k, alone or added to a base on the stack.
      const idx = last.op === P.bin_sk ? prev : out[n - 3];
      if (idx !== undefined && idx.op === P.mul_add && (last.op === O.i32_add ? isShl(prev) : isShl(last))) {
        const shl = last.op === P.bin_sk ? last : prev!;
        // A base from a local (local.get just before the index) joins too.
        const base = last.op === O.i32_add && isGet(out[n - 4]) ? out[n - 4]! : null;
        f = fused(last.op === P.bin_sk ? P.load_idx : base !== null ? P.load_lbase_idx : P.load_base_idx, base ?? idx);
        f.a = idx.a; f.f = idx.f; f.g = idx.g; f.e = (shl.b & 31) | (base !== null ? base.a << 5 : 0);
        f.b = accessWidth(op); f.c = op; f.d = node.a;
        return replaceTail(out, last.op === P.bin_sk ? 2 : base !== null ? 4 : 3, f);
      }
      if (last.op === O.i32_add && isShl(prev)) {
        f = fused(P.load_add_shl, prev); f.e = prev.b;
        f.b = accessWidth(op); f.c = op; f.d = node.a;
        return replaceTail(out, 2, f);
      }
      if (isShl(last)) { f = fused(P.load_shl, last); f.e = last.b; }
      else if (last.op === O.i32_add) f = fused(P.load_ss_add, last);
      else if (last.op === P.bin_ll && last.c === O.i32_add) { f = fused(P.load_ll_add, last); f.a = last.a; f.e = last.b; }
      else if (last.op === P.bin_sl && last.c === O.i32_add) { f = fused(P.load_sl_add, last); f.e = last.b; }
      if (f !== null) {
        f.b = accessWidth(op); f.c = op; f.d = node.a;
        return replaceTail(out, 1, f);
      }
    }
  } else if (op === O.br_table && last !== undefined && last.op === P.bin_sk && (last.c === O.i32_sub || last.c === O.i32_add)) {
    // A switch's index less its lowest case (clang's lowering): the table subtracts it (node.b), wrapping as i32.sub.
    node.b = last.c === O.i32_sub ? last.b : -last.b | 0;
    return replaceTail(out, 1, node);
  } else if (op === O.i32_eqz && isGet(last)) {
    // local.get a; i32.eqz: local a == 0, a test the if and br_if forms take (if_lk, brif_lk).
    return replaceTail(out, 1, bin(P.bin_lk, last, last.a, 0, O.i32_eq));
  } else if (op === O.f64_add && last !== undefined && last.op === O.f64_mul) {
    return replaceTail(out, 1, fused(P.f64_madd, last));
  } else if (isStore(op)) {
    let f: PNode | null = null;
    if (isGet(last) && isGet(prev)) {
      f = fused(P.store_ll, prev); f.a = prev.a; f.e = last.a;
    } else if (isI32Const(last) && isGet(prev)) {
      // Only i32 stores take an i32.const value.
      f = fused(P.store_lk, prev); f.a = prev.a; f.e = last.a;
    } else if (last !== undefined && last.op === O.i64_const && isGet(prev)) {
      // And only i64 stores an i64.const (its words a, b).
      f = fused(P.store_lk, prev); f.a = prev.a; f.e = last.a; f.f = last.b;
    } else if (isGet(last)) {
      f = fused(P.store_sl, last); f.e = last.a;
    } else {
      // local.get a; X; store, X computing the value without writing local a:
      // X; a store that reads local a itself (a read moved past nodes that do not write it).
      const s = valueStart(out, 4), get = out[s - 1];
      if (s > 0 && isGet(get) && !writes(out, s, get!.a)) {
        // The value read from the same address and changed by a constant: one node for the field's update.
        const u = updateOf(out, s, get!.a, node);
        if (u !== null) {
          out.length = s - 1;
          out.push(u);
          return;
        }
        f = fused(P.store_ls, node); f.a = get!.a;
        f.b = accessWidth(op); f.c = op; f.d = node.a;
        out.splice(s - 1, 1);
        out.push(f);
        return;
      }
    }
    if (f !== null) {
      f.b = accessWidth(op); f.c = op; f.d = node.a;
      return replaceTail(out, f.op === P.store_sl ? 1 : 2, f);
    }
  }
  out.push(node);
}

/**
 * P.update_lk for `store`, an i32.store at local `a` + its offset whose
 * value out[s..] computes, when those nodes are an i32.load from the same
 * address (load_l, or load_l_tee: the old value to a local), a constant
 * operation on it (bin_sk) and, after a load_l, maybe a local.tee (the new
 * value to a local); else null. One bounds check serves both accesses:
 * the same address and width, so the store cannot trap when the load did
 * not, and a trap comes at the load, before any effect, as unfused.
 */
function updateOf(out: PNode[], s: number, a: number, store: PNode): PNode | null {
  const k = out.length - s;
  const load = out[s]!, op = out[s + 1];
  if (store.op !== O.i32_store || (k !== 2 && k !== 3) || op === undefined || op.op !== P.bin_sk) return null;
  if ((load.op !== P.load_l && load.op !== P.load_l_tee) || load.c !== O.i32_load || load.a !== a || load.d !== store.a) return null;
  const tee = k === 3 ? out[s + 2]! : null;
  if (tee !== null && (tee.op !== O.local_tee || load.op !== P.load_l)) return null;
  const f = fused(P.update_lk, load);
  f.a = a; f.d = load.d;
  // x - k = x + (-k), wrapping: the add's own case serves both.
  if (op.c === O.i32_sub) { f.c = O.i32_add; f.b = -op.b | 0; } else { f.c = op.c; f.b = op.b; }
  f.f = load.op === P.load_l_tee ? 1 : tee !== null ? 2 : 0;
  f.e = load.op === P.load_l_tee ? load.e : tee !== null ? tee.a : 0;
  return f;
}

/**
 * Local.gets at the end of `out` merged into get2/get3 nodes, three to a
 * node from the last: prepare.ts calls it where a block or loop starts, when
 * few nodes inside it could take them as operands of a fused form (a block's
 * instructions reach no value below its parameters, and compilers seldom
 * give a block any): the pushes of values used after the block, or dropped
 * by a branch out of it.
 */
export function fuseGets(out: PNode[]): void {
  let i = out.length;
  while (i > 0 && isGet(out[i - 1])) i--;
  // One get after a get2 merged at the block before (`local.get; local.get; block; local.get; block`): a get3.
  const pair = out[i - 1];
  if (i === out.length - 1 && pair !== undefined && pair.op === P.get2) {
    pair.op = P.get3; pair.c = out[i]!.a;
    out.length--;
    return;
  }
  const merged: PNode[] = [];
  for (let k = i; k < out.length;) {
    const n = out.length - k;
    // Three at a time, but 4 as 2 + 2 (so no single get is left unless it was alone).
    const take = n === 1 ? 1 : n === 2 || n === 4 ? 2 : 3;
    if (take === 1) { merged.push(out[k]!); k++; continue; }
    const f = fused(take === 2 ? P.get2 : P.get3, out[k]!);
    f.a = out[k]!.a; f.b = out[k + 1]!.a; if (take === 3) f.c = out[k + 2]!.a;
    merged.push(f);
    k += take;
  }
  out.length = i;
  out.push(...merged);
}

/**
 * Where the nodes at the end of `out` that compute one value from nothing
 * below them begin (at most `max` nodes, each one node-effects.ts counts),
 * or -1: the nodes a read of a local pushed before them may be moved past,
 * when none of them writes that local (`writes`).
 */
export function valueStart(out: PNode[], max: number): number {
  // The values the nodes after out[k] take from below them.
  let need = 1;
  for (let k = out.length - 1; k >= 0 && k >= out.length - max; k--) {
    const c = nodeCount(out[k]!);
    // A node pushing more than is needed leaves values under the one computed.
    if (c < 0 || pushesOf(c) > need) return -1;
    need += popsOf(c) - pushesOf(c);
    if (need === 0) return k;
  }
  return -1;
}

/** Whether a node of out[from..] (each one valueStart looked back over) writes local `a`. */
export function writes(out: PNode[], from: number, a: number): boolean {
  for (let k = from; k < out.length; k++) if (localWritten(out[k]!) === a) return true;
  return false;
}

/**
 * Appends `call`, a call of a function the module defines (prepare.ts
 * knows, so the loop needs not ask whether it is a host function), joined
 * to the node before it when that node computes local OP constant (P.call_lk:
 * a recursion's `n - 1`). The fused node does what the two did, in order,
 * so it needs not know how many arguments the call takes.
 */
export function emitDirectCall(out: PNode[], call: PNode): void {
  const last = out[out.length - 1];
  if (last !== undefined && last.op === P.bin_lk) {
    const f = bin(P.call_lk, last, last.a, last.b, last.c);
    f.d = call.a;
    return replaceTail(out, 1, f);
  }
  out.push(call);
}

/**
 * Fuses the test before an `if` into it: returns the node to emit in place
 * of `ifNode` (having removed the test from `out`), or `ifNode` itself.
 */
export function fuseIf(out: PNode[], ifNode: PNode): PNode {
  const t = testOf(out[out.length - 1], P.if_ll, P.if_lk, P.if_sk, P.if_sl, P.if_ss, P.if_z, P.if_l);
  if (t === null) return ifNode;
  out.length--;
  t.body = ifNode.body; t.else_ = ifNode.else_;
  // An i32 loaded from a local address and tested for zero: one node.
  const load = out[out.length - 1];
  if (t.op === P.if_z && load !== undefined && load.op === P.load_l && (load.c === O.i32_load || (load.c >= O.i32_load8_s && load.c <= O.i32_load16_u))) {
    const f = fused(P.if_load_z, load);
    f.a = load.a; f.b = load.b; f.c = load.c; f.d = load.d; f.body = t.body; f.else_ = t.else_;
    out.length--;
    return f;
  }
  return t;
}

/**
 * A node testing what `last` computes, in one of the given forms, or null
 * when `last` is no fusible test. A comparison is stored so the loop needs
 * no switch for it: c = which outcomes hold (bit 0: x < y, bit 1: x = y,
 * bit 2: x > y), e = a bias xor-ed into both operands that turns unsigned
 * order into signed order; a constant operand is stored biased.
 */
function testOf(last: PNode | undefined, ll: P, lk: P, sk: P, sl: P, ss: P, z: P, l: P): PNode | null {
  if (last === undefined) return null;
  switch (last.op) {
    case O.i32_eqz: return fused(z, last);
    case O.local_get: return bin(l, last, last.a, 0, 0);
  }
  let form: P, op: number;
  switch (last.op) {
    case P.bin_ll: form = ll; op = last.c; break;
    case P.bin_lk: form = lk; op = last.c; break;
    case P.bin_sk: form = sk; op = last.c; break;
    case P.bin_sl: form = sl; op = last.c; break;
    default: form = ss; op = last.op;
  }
  if (op < O.i32_eq || op > O.i32_ge_u) return null;
  const bias = COMPARE_UNSIGNED[op - O.i32_eq]! ? -0x80000000 : 0;
  const t = bin(form, last, last.a, last.b, COMPARE_OUTCOMES[op - O.i32_eq]!);
  t.e = bias;
  if (form === lk || form === sk) t.b = last.b ^ bias;
  return t;
}

/**
 * Makes branch node `n` continue at `body`[pc], in the field its form
 * keeps the position in (see P): prepare.ts learns where a branch to a
 * spliced block continues only at the block's end, after the branch and
 * the forms fused from it were made. Every form that branches forward is
 * here; one that is not fails preparation rather than run to a wrong place.
 */
export function continueAt(n: PNode, body: PNode[], pc: number): void {
  switch (n.op) {
    case P.jump: case P.br_move: case O.br_if: case P.br_if_move:
      n.a = pc; break;
    case P.brif_ll: case P.brif_lk: case P.brif_sk: case P.brif_sl: case P.brif_ss: case P.brif_z: case P.brif_l:
    case P.back_ll: case P.back_lk: case P.brif_null:
      n.d = pc; break;
    case P.step_brif: case P.step_brif_k: case P.step_back_ll: case P.step_back_lk:
      n.f = pc; break;
    default:
      throw new Error(`internal: preparation does not know where node ${n.op} keeps its branch's continuation`);
  }
  n.body = body;
}

function bin(op: number, first: PNode, a: number, b: number, c: number): PNode {
  const f = fused(op, first);
  f.a = a; f.b = b; f.c = c;
  return f;
}

/**
 * The last step of fusion, once every body of the function is complete
 * (fusion matches the generic forms, and a jump's target may be made after
 * the jump): each fused i32 operation that has an opcode of its own
 * (i32-binary.ts's B: the common operations in the common forms) gets it,
 * a jump to a return (the end of an if or block that ends the
 * function) returns itself, and a local.get, a 32-bit constant, an i32
 * operation of two stack values or a struct.new before a return returns.
 * `numResult`: the function returns one number (Code.numResult), which
 * those returning nodes then write to the frame base themselves (g = 1),
 * where the return leaves it, so that the return moves nothing and the
 * loop needs not read the function's Code to know.
 */
export function finishBody(body: PNode[], numResult: boolean): void {
  for (let i = 0; i < body.length; i++) {
    const node = body[i]!;
    const op = specialised(node.op, node.c);
    if (!Number.isNaN(op)) node.op = op;
    if (node.op === P.jump && node.body![node.a]!.op === P.return) node.op = P.return;
    // A local's value returned: the local.get returns, in place, so that no
    // index moves (nothing branches to the return, which follows a local.get).
    // So do a 32-bit constant and an i32 operation on two values of the stack whose result is returned.
    if (node.op === P.return && i > 0) {
      const prev = body[i - 1]!;
      if (prev.op === O.local_get) { prev.op = P.return_l; prev.g = numResult ? 1 : 0; }
      else if (prev.op === O.i32_const || prev.op === O.f32_const) { prev.op = P.return_k; prev.g = numResult ? 1 : 0; }
      else if (prev.op === P.struct_new) prev.op = P.struct_new_ret; // its struct made where the return leaves it
      else if (fusibleBinary(prev.op)) {
        prev.c = prev.op;
        const op = specialised(P.bin_ss_ret, prev.c);
        prev.op = Number.isNaN(op) ? P.bin_ss_ret : op;
        prev.g = numResult ? 1 : 0;
      }
    }
  }
}
