// What preparation (prepare.ts) does for GC code: every GC instruction
// becomes one P.gc node (f = its opcode), run by gc/exec.ts, except the
// common forms the loop runs itself (node.ts: P.struct_new .. P.ref_cast,
// f still the opcode) and br_on_cast and br_on_cast_fail, which branch
// and so are P.br_on_cast nodes (targets[0] = the branch). The runtime types
// the nodes name are made here, so running them only reads them.

import type { Instr, Module } from '../../syntax/ast.js';
import { GcOp, isGcOp } from '../../syntax/opcodes-gc.js';
import { canonicalTypes, isConcrete, typeIndexOf } from '../../syntax/reftypes.js';
import { compOf } from '../../syntax/types.js';
import { P, PNode } from '../node.js';
import { O } from '../ops.js';
import { rttOf } from './rtt.js';

export { isGcOp };

/** Sets a cast's target on `node`: c = the abstract heap type, or 0 and e = the canonical id. */
function castTarget(m: Module, node: PNode, heap: number, nullable: boolean): void {
  if (isConcrete(heap)) {
    node.c = 0;
    const x = typeIndexOf(heap);
    node.e = canonicalTypes(m.types)[x]!;
    if (compOf(m.types[x]!) !== 'func') rttOf(m.types, x);
  } else {
    node.c = heap;
  }
  node.b = nullable ? 1 : 0;
}

/** The node of a GC instruction; `branch` makes br_on_cast's branch node. */
export function gcNode(m: Module, instr: Instr, branch: () => PNode): PNode {
  const op = instr.op;
  if (op === GcOp.br_on_cast || op === GcOp.br_on_cast_fail) {
    const node = new PNode(P.br_on_cast, instr);
    castTarget(m, node, instr.c, (instr.lane & 2) !== 0);
    node.d = op === GcOp.br_on_cast_fail ? 1 : 0;
    node.targets = [branch()];
    return node;
  }
  const node = new PNode(P.gc, instr);
  node.f = op;
  switch (op) {
    case GcOp.ref_test: case GcOp.ref_test_null:
      node.op = P.ref_test;
      castTarget(m, node, instr.a, op === GcOp.ref_test_null);
      return node;
    case GcOp.ref_cast: case GcOp.ref_cast_null:
      node.op = P.ref_cast;
      castTarget(m, node, instr.a, op === GcOp.ref_cast_null);
      return node;
    case GcOp.array_len:
      node.op = P.array_len;
      return node;
    case GcOp.ref_eq: case GcOp.any_convert_extern: case GcOp.extern_convert_any:
    case GcOp.ref_i31: case GcOp.i31_get_s: case GcOp.i31_get_u:
      return node;
  }
  // struct.* and array.*: the type's runtime type, made now.
  const rtt = rttOf(m.types, instr.a);
  node.e = rtt.id;
  node.a = instr.b;
  node.d = op === GcOp.struct_get_s || op === GcOp.array_get_s ? 1 : 0;
  if (op === GcOp.array_copy) node.b = rttOf(m.types, instr.b).id;
  // The common forms the loop runs itself (node.ts): fields that take one slot as they are.
  const k = rtt.kind === 'struct' ? instr.b : 0;
  const plain = rtt.packed[k] === 0 && rtt.words[k]! <= 1;
  switch (op) {
    case GcOp.struct_new:
      if (rtt.flat) { node.op = P.struct_new; node.a = rtt.isRef.length; }
      break;
    case GcOp.struct_get: case GcOp.struct_set:
      if (plain) {
        node.op = op === GcOp.struct_get ? P.struct_get : P.struct_set;
        node.b = rtt.isRef[k] ? 1 : 0;
        node.c = rtt.slot[k]!;
      }
      break;
    case GcOp.array_get: case GcOp.array_set:
      if (plain) {
        node.op = op === GcOp.array_get ? P.array_get : P.array_set;
        node.b = rtt.isRef[0] ? 1 : 0;
      }
      break;
  }
  return node;
}

/**
 * Appends GC node `node` to `out` as fuse.ts's emit does, fused with the
 * node before it where a pattern matches: a struct.get of a reference
 * local, the way a program walks a structure, is one node (struct_get_l),
 * a ref.as_non_null or ref.is_null after a reference field's get is
 * part of the get (the node's d), and so are the ref.nulls of a struct.new
 * that has no other operand (its d = 1). `emit` is fuse.ts's, for every other node. Safe for the reason fuse.ts gives: no branch lands between the two.
 */
export function emitGc(out: PNode[], node: PNode, emit: (out: PNode[], node: PNode) => void): void {
  const last = out[out.length - 1];
  if (node.op === P.struct_get && last !== undefined && last.op === P.local_get_ref) {
    node.op = P.struct_get_l;
    node.g = last.a;
    out[out.length - 1] = node;
    return;
  }
  // struct.new of ref.nulls only (a tree's leaf): the nulls are the node's (d = 1), not pushed.
  if (node.op === P.struct_new && node.a > 0 && node.a <= out.length && out.slice(out.length - node.a).every((n) => n.op === O.ref_null)) {
    node.d = 1;
    out.length -= node.a;
    out.push(node);
    return;
  }
  // A reference field read, then asserted non-null (ref.as_non_null: d = 1,
  // the get traps on null as the assertion would) or tested (ref.is_null:
  // d = 2, the get pushes whether it is null).
  if ((node.op === P.ref_as_non_null || node.op === O.ref_is_null) && last !== undefined &&
      (last.op === P.struct_get || last.op === P.struct_get_l) && last.b === 1 && last.d === 0) {
    last.d = node.op === P.ref_as_non_null ? 1 : 2;
    return;
  }
  emit(out, node);
}

/**
 * The node `op` (node.ts's P.if_null or P.brif_null) testing for null what
 * the node at the end of `out` tests, which it replaces (removed from
 * `out`), or null when that node is no such test: a ref.is_null, or a
 * reference field's get joined with one (emitGc's d = 2). The fused node
 * keeps no canonical type id (a get's slot c depends only on the module's
 * types), so prepared-store.ts stores it as it is.
 */
function nullTest(out: PNode[], op: P): PNode | null {
  const last = out[out.length - 1];
  if (last === undefined) return null;
  const get = (last.op === P.struct_get || last.op === P.struct_get_l) && last.d === 2;
  if (!get && last.op !== O.ref_is_null) return null;
  const f = new PNode(op, last.src);
  f.a = !get ? 0 : last.op === P.struct_get_l ? 1 : 2;
  f.c = get ? last.c : 0;
  f.g = last.op === P.struct_get_l ? last.g : 0;
  out.length--;
  return f;
}

/** An `if` on ref.is_null: the node to emit in place of `ifNode` (P.if_null), or null as nullTest. */
export function fuseIfNull(out: PNode[], ifNode: PNode): PNode | null {
  const f = nullTest(out, P.if_null);
  if (f !== null) { f.body = ifNode.body; f.else_ = ifNode.else_; }
  return f;
}

/**
 * The last step for null tests, once finishBody has made every body's
 * returns: an if_null whose then body starts with a constant's return
 * (P.return_k) returns it itself (P.if_null_ret, e = the constant), one node
 * fewer where the reference is null. That is the base case of a recursive
 * walk of a linked structure (a list's length, a tree's size or depth, a
 * lookup that misses: `if (x == null) return 0`), which compilers emit as
 * ref.is_null, if, a constant and return, or as the if arm holding the
 * function's result (finishBody makes both return_k). The then body stays as it is (stored, never entered).
 */
export function finishNullTests(body: PNode[]): void {
  for (const node of body) {
    if (node.op !== P.if_null) continue;
    const first = node.body![0]!;
    // f: the return_k's g, the function returns one number (finishBody).
    if (first.op === P.return_k) { node.op = P.if_null_ret; node.e = first.a; node.f = first.g; }
  }
}

/**
 * A br_if on ref.is_null whose branch moves nothing (`br` is an O.br_if
 * node): appends it to `out` as one node (P.brif_null) and says so.
 */
export function emitBrIfNull(out: PNode[], br: PNode): boolean {
  if (br.op !== O.br_if) return false;
  const f = nullTest(out, P.brif_null);
  if (f === null) return false;
  f.body = br.body; f.d = br.a;
  out.push(f);
  return true;
}

/**
 * A call of a function the module defines (`call`: prepare.ts's O.call
 * node) whose argument is a reference field's get from a local's struct
 * (P.struct_get_l, a walk's step): appends it to `out` as one node, P.call_sgl,
 * in place of the get, and says so. Like if_null, the node keeps no
 * canonical type id, so prepared-store.ts stores it as it is.
 */
export function emitCallOfField(out: PNode[], call: PNode): boolean {
  const last = out[out.length - 1];
  if (last === undefined || last.op !== P.struct_get_l) return false;
  const f = new PNode(P.call_sgl, last.src);
  f.b = last.b; f.c = last.c; f.d = last.d; f.g = last.g; f.f = call.a;
  out[out.length - 1] = f;
  return true;
}

/** Whether a prepared node's opcode is one of GC's (gcNode makes it; prepared-store.ts makes it again with gcNodeAgain). */
export function isGcNode(op: number): boolean {
  return op === P.gc || op === P.br_on_cast || (op >= P.struct_new && op <= P.struct_get_l) || op === P.struct_new_ret;
}

/**
 * A stored GC node made again (prepared-store.ts): canonical type ids are
 * the process's own, so gcNode makes it from its instruction; what emitGc
 * fused into it comes from the stored node.
 */
export function gcNodeAgain(m: Module, stored: PNode, branch: () => PNode): PNode {
  const node = gcNode(m, stored.src, branch);
  if (stored.op === P.struct_get_l) {
    node.op = P.struct_get_l;
    node.g = stored.g;
  }
  if (stored.op === P.struct_new_ret && node.op === P.struct_new) node.op = P.struct_new_ret;
  if (node.op === P.struct_get || node.op === P.struct_get_l || node.op === P.struct_new || node.op === P.struct_new_ret) node.d = stored.d;
  return node;
}
