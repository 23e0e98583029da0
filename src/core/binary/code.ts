// Binary decoding of instructions and expressions (spec §5.4).
//
// Blocks nest without bound in the binary format, so the decoder keeps the
// open blocks on an explicit stack rather than recursing: a body nested
// 100000 deep decodes like any other.
//
// Like the reference decoder, an expression is not confined to the size its
// section or function declares: it is read until its `end`, and the caller
// then checks that the declared size was met ("section size mismatch").
// That is what makes the suite's messages for a missing `end` come out right.

import { type Catch, Instr, offsetImm } from '../syntax/ast.js';
import { FC, FD, Op } from '../syntax/opcodes.js';
import { SimdImm, simdOps } from '../syntax/opcodes-simd.js';
import { FB, GcOp } from '../syntax/opcodes-gc.js';
import type { Reader } from './reader.js';
import { WASM_2_0, type CoreFeatures } from '../syntax/feature-set.js';
import { readBlockType, readHeapType, readRefType, readValType } from './types.js';
import { noteUses, type CodeUses } from '../syntax/features.js';

/** What decoding the code of a module learns on the way. */
export interface CodeFacts {
  /** Some instruction names a data segment (memory.init, data.drop): the data count section is then required. */
  usesDataIndex: boolean;
  /** What the decoder accepts (an input, not learnt): WebAssembly 2.0 when absent. */
  readonly features?: CoreFeatures;
  /** When present, what the code uses is noted here (syntax/features.ts's CodeFeatures, for the module's function code). */
  uses?: CodeUses;
}

function hex(b: number): string {
  return b.toString(16).padStart(2, '0');
}

function zeroByte(r: Reader): void {
  const at = r.pos;
  if (r.u8() !== 0) r.fail('zero byte expected', at);
}

/**
 * memarg: alignment exponent (below 32 in 2.0) and offset. Sets a = offset,
 * b = alignment, c = memory index. With multi-memory (3.0) the flags field
 * holds the exponent in bits 0-5 and, in bit 6, whether a memory index
 * follows; flags of 128 or more are malformed. With memory64 the offset is
 * a u64 (a double, see addr-type.ts; Instr.a keeps it as offsetImm says): whether it fits the memory's address
 * type is the validator's question, and an address beyond the memory a trap.
 */
function readMemarg(r: Reader, ins: Instr, features: CoreFeatures): void {
  const at = r.pos;
  const flags = r.u32();
  if (features.multiMemory) {
    if (flags >= 128) r.fail('malformed memop flags', at);
    if (flags & 64) {
      ins.b = flags & 63;
      ins.c = r.u32();
    } else {
      ins.b = flags;
      ins.c = 0;
    }
    ins.a = offsetImm(features.memory64 ? r.uN(64) : r.u32());
    return;
  }
  if (flags >= 32) r.fail('malformed memop flags', at);
  ins.b = flags;
  ins.a = offsetImm(features.memory64 ? r.uN(64) : r.u32());
  ins.c = 0;
}

/** A memory index: a u32 with multi-memory, else the zero byte of 2.0. */
function memIndex(r: Reader, features: CoreFeatures): number {
  if (features.multiMemory) return r.u32();
  zeroByte(r);
  return 0;
}

/**
 * Reads instructions up to and including the `end` that closes the
 * expression, and returns them (without that `end`).
 */
export function readExpr(r: Reader, facts: CodeFacts): Instr[] {
  const features = facts.features ?? WASM_2_0;
  const uses = facts.uses;
  const root: Instr[] = [];
  let list = root;
  // The instruction lists of the enclosing blocks, and the block instructions owning `list`.
  const outer: Instr[][] = [];
  const owners: Instr[] = [];

  for (;;) {
    const at = r.pos;
    const byte = r.u8();

    if (byte === 0x0b) { // end
      if (owners.length === 0) return root;
      owners.pop();
      list = outer.pop()!;
      continue;
    }
    if (byte === 0x05) { // else: only between the two arms of an `if`
      const owner = owners[owners.length - 1];
      if (owner === undefined || owner.op !== Op.if || owner.else_ !== null) r.fail('END opcode expected', at);
      owner.else_ = [];
      list = owner.else_;
      continue;
    }

    let ins: Instr;
    if (byte === 0xfc) {
      ins = readPrefixedFC(r, at, facts, features);
    } else if (byte === 0xfd) {
      ins = readPrefixedFD(r, at, features);
    } else if (byte === 0xfb && features.gc) {
      ins = readPrefixedFB(r, at, facts);
    } else {
      ins = new Instr(byte, at);
      switch (byte) {
        case Op.block:
        case Op.loop:
        case Op.if:
          ins.bt = readBlockType(r);
          ins.body = [];
          if (uses !== undefined) noteUses(uses, ins);
          list.push(ins);
          outer.push(list);
          owners.push(ins);
          list = ins.body;
          continue;

        case Op.unreachable: case Op.nop: case Op.return: case Op.drop: case Op.select:
        case Op.ref_is_null:
          break;
        case GcOp.ref_eq:
          if (!features.gc) r.fail(`illegal opcode ${hex(byte)}`, at);
          break;

        case Op.throw:
          if (!features.exceptions) r.fail(`illegal opcode ${hex(byte)}`, at);
          ins.a = r.u32();
          break;
        case Op.throw_ref:
          if (!features.exceptions) r.fail(`illegal opcode ${hex(byte)}`, at);
          break;
        case Op.try_table: {
          if (!features.exceptions) r.fail(`illegal opcode ${hex(byte)}`, at);
          ins.bt = readBlockType(r);
          ins.catches = r.vec(readCatch);
          ins.body = [];
          if (uses !== undefined) noteUses(uses, ins);
          list.push(ins);
          outer.push(list);
          owners.push(ins);
          list = ins.body;
          continue;
        }

        case Op.br: case Op.br_if: case Op.call:
        case Op.local_get: case Op.local_set: case Op.local_tee:
        case Op.global_get: case Op.global_set:
        case Op.table_get: case Op.table_set:
        case Op.ref_func:
          ins.a = r.u32();
          break;

        case Op.br_table: {
          const n = r.len();
          const labels = new Array<number>(n);
          for (let i = 0; i < n; i++) labels[i] = r.u32();
          ins.labels = labels;
          ins.a = r.u32();
          break;
        }

        case Op.call_indirect:
          ins.a = r.u32();
          ins.b = r.u32();
          break;

        // Tail calls and typed function references (3.0).
        case Op.return_call:
          if (!features.tailCalls) r.fail(`illegal opcode ${hex(byte)}`, at);
          ins.a = r.u32();
          break;
        case Op.return_call_indirect:
          if (!features.tailCalls) r.fail(`illegal opcode ${hex(byte)}`, at);
          ins.a = r.u32();
          ins.b = r.u32();
          break;
        case Op.call_ref: case Op.return_call_ref: case Op.br_on_null: case Op.br_on_non_null:
          if (!features.functionReferences || (byte === Op.return_call_ref && !features.tailCalls)) {
            r.fail(`illegal opcode ${hex(byte)}`, at);
          }
          ins.a = r.u32();
          break;
        case Op.ref_as_non_null:
          if (!features.functionReferences) r.fail(`illegal opcode ${hex(byte)}`, at);
          break;

        case Op.select_t: {
          // The validator rejects any count but one ("invalid result arity"); b keeps the count.
          const types = r.vec(readValType);
          ins.b = types.length;
          ins.a = types.length > 0 ? types[0]! : 0;
          break;
        }

        case Op.memory_size: case Op.memory_grow:
          ins.a = memIndex(r, features);
          break;

        case Op.i32_const:
          ins.a = r.s32();
          break;
        case Op.i64_const:
          ins.i64 = r.s64();
          break;
        case Op.f32_const:
          ins.a = r.fixed32();
          break;
        case Op.f64_const:
          ins.i64 = r.fixed64();
          break;

        case Op.ref_null:
          ins.a = features.functionReferences ? readHeapType(r) : readRefType(r);
          break;

        default:
          if (byte >= Op.i32_load && byte <= Op.i64_store32) {
            readMemarg(r, ins, features);
          } else if (!(byte >= Op.i32_eqz && byte <= Op.i64_extend32_s)) {
            r.fail(`illegal opcode ${hex(byte)}`, at);
          }
      }
    }
    if (uses !== undefined) noteUses(uses, ins);
    list.push(ins);
  }
}

/** A catch clause of try_table: 0 catch x l, 1 catch_ref x l, 2 catch_all l, 3 catch_all_ref l. */
function readCatch(r: Reader): Catch {
  const at = r.pos;
  const kind = r.u8();
  if (kind > 3) r.fail('malformed catch clause', at);
  const tag = kind < 2 ? r.u32() : 0;
  return { kind, tag, label: r.u32() };
}

function readPrefixedFC(r: Reader, at: number, facts: CodeFacts, features: CoreFeatures): Instr {
  const n = r.u32();
  const ins = new Instr(FC | n, at);
  switch (ins.op) {
    case Op.i32_trunc_sat_f32_s: case Op.i32_trunc_sat_f32_u:
    case Op.i32_trunc_sat_f64_s: case Op.i32_trunc_sat_f64_u:
    case Op.i64_trunc_sat_f32_s: case Op.i64_trunc_sat_f32_u:
    case Op.i64_trunc_sat_f64_s: case Op.i64_trunc_sat_f64_u:
      break;
    case Op.memory_init:
      ins.a = r.u32();
      ins.b = memIndex(r, features);
      facts.usesDataIndex = true;
      break;
    case Op.data_drop:
      ins.a = r.u32();
      facts.usesDataIndex = true;
      break;
    case Op.memory_copy: // destination, then source
      ins.a = memIndex(r, features);
      ins.b = memIndex(r, features);
      break;
    case Op.memory_fill:
      ins.a = memIndex(r, features);
      break;
    case Op.table_init: // elemidx, then tableidx
    case Op.table_copy: // destination, then source
      ins.a = r.u32();
      ins.b = r.u32();
      break;
    case Op.elem_drop:
    case Op.table_grow:
    case Op.table_size:
    case Op.table_fill:
      ins.a = r.u32();
      break;
    default:
      r.fail(`illegal opcode fc ${hex(n)}`, at);
  }
  return ins;
}

/**
 * A GC instruction (0xFB n). Immediates: a = type index (struct.*, array.*;
 * the destination's for array.copy), b = field index (struct.get/set), the
 * source type (array.copy), data or element segment (array.*_data/_elem),
 * or the length (array.new_fixed); ref.test/ref.cast: a = heap type;
 * br_on_cast(_fail): a = label, b = source heap type, c = target heap type,
 * lane = the flags (bit 0: source nullable, bit 1: target nullable).
 */
function readPrefixedFB(r: Reader, at: number, facts: CodeFacts): Instr {
  const n = r.u32();
  const ins = new Instr(FB | n, at);
  switch (ins.op) {
    case GcOp.struct_new: case GcOp.struct_new_default:
    case GcOp.array_new: case GcOp.array_new_default:
    case GcOp.array_get: case GcOp.array_get_s: case GcOp.array_get_u: case GcOp.array_set:
    case GcOp.array_fill:
      ins.a = r.u32();
      break;
    case GcOp.struct_get: case GcOp.struct_get_s: case GcOp.struct_get_u: case GcOp.struct_set:
    case GcOp.array_new_fixed: case GcOp.array_copy:
    case GcOp.array_new_elem: case GcOp.array_init_elem:
      ins.a = r.u32();
      ins.b = r.u32();
      break;
    case GcOp.array_new_data: case GcOp.array_init_data:
      ins.a = r.u32();
      ins.b = r.u32();
      // In function code (where `uses` is noted) a data index needs the data count section; a constant expression is invalid anyway.
      if (facts.uses !== undefined) facts.usesDataIndex = true;
      break;
    case GcOp.array_len: case GcOp.any_convert_extern: case GcOp.extern_convert_any:
    case GcOp.ref_i31: case GcOp.i31_get_s: case GcOp.i31_get_u:
      break;
    case GcOp.ref_test: case GcOp.ref_test_null: case GcOp.ref_cast: case GcOp.ref_cast_null:
      ins.a = readHeapType(r);
      break;
    case GcOp.br_on_cast: case GcOp.br_on_cast_fail: {
      const fat = r.pos;
      const flags = r.u8();
      if (flags > 3) r.fail('malformed br_on_cast flags', fat);
      ins.lane = flags;
      ins.a = r.u32();
      ins.b = readHeapType(r);
      ins.c = readHeapType(r);
      break;
    }
    default:
      r.fail(`illegal opcode fb ${hex(n)}`, at);
  }
  return ins;
}

function readPrefixedFD(r: Reader, at: number, features: CoreFeatures): Instr {
  const n = r.u32();
  const info = simdOps.get(n);
  if (info === undefined || (n >= 0x100 && !features.relaxedSimd)) r.fail(`illegal opcode fd ${hex(n)}`, at);
  const ins = new Instr(FD | n, at);
  switch (info.imm) {
    case SimdImm.none:
      break;
    case SimdImm.memarg:
      readMemarg(r, ins, features);
      break;
    case SimdImm.memargLane:
      readMemarg(r, ins, features);
      ins.lane = r.u8();
      break;
    case SimdImm.lane:
      ins.c = r.u8();
      break;
    case SimdImm.v128:
    case SimdImm.shuffle:
      ins.bytes = r.take(16).slice();
      break;
  }
  return ins;
}
