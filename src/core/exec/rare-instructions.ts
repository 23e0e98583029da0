// The instructions real programs seldom run, out of the interpreter loop:
// the loop's `default` case (interpreter.ts) calls `execRare`, which runs
// one of them on the configuration's value stack and returns the new stack
// height. None of them moves the position, touches the frames or changes
// memory 0's size, so the loop's own state stays valid across the call.
//
// Why they live here: V8 optimises the loop (`execute`) as one function, and
// a first call runs unoptimised until that compile is done, so every case
// the loop holds makes every first call slower (issue 13). These cases were
// chosen by counting the node codes the loop dispatches on the bench's
// kernels, the componentize-js hello's greet call and wasmtime's WASI test
// programs (../shared/real-world): each is at most 0.5% of the dispatches
// of any one of those runs (i64.rotl in a WASI program's hashing; the
// others below 0.3%, most never run at all), and costs the call here when
// it does run. i32 division and remainder (1% of the sieve kernel's) and
// f32.convert_i32 (1% of the simd kernel's) stay in the loop. The i32 rotations' cases are generated from
// scripts/gen-interp.ts's table, as the loop's other i32 cases are.
//
// Each instruction is written once: here, or in the loop, never both
// (test/interp-opcodes.test.ts holds the two switches to that).

import { O } from './ops.js';
import { P, type PNode } from './node.js';
import type { Configuration } from './configuration.js';
import type { ModuleInst } from './module-inst.js';
import * as N from './numerics.js';
import * as M from './memory-ops.js';
import * as T from './table-ops.js';

/**
 * Runs `instr`, one of the loop's rare instructions, with the stack `sp`
 * high; returns the new height. The views are the configuration's own, the
 * loop's constants (they change only when the loop is left to grow them).
 */
export function execRare(t: Configuration, instr: PNode, sp: number, inst: ModuleInst): number {
  // `var`s, as in the loop: one register per name.
  var i32 = t.i32, f32 = t.f32, f64 = t.f64, i64 = t.i64;
  switch (instr.op) {
    // -------------------------------------------------- tables, memory size
    case O.table_get: return T.tableGet(t, inst, instr.src, sp);
    case O.table_set: return T.tableSet(t, inst, instr.src, sp);
    case O.memory_size: return M.memorySize(t, inst, instr.src, sp);
    case O.ref_func:
      t.refs[sp] = inst.funcs[instr.a] ?? inst.funcAt(instr.a);
      return sp + 1;

    // --------------------------------------------------------------- i32
    case O.i32_clz: { var j = (sp << 1) - 2; i32[j] = Math.clz32(i32[j]!); return sp; }
    case O.i32_ctz: { var j = (sp << 1) - 2; i32[j] = N.ctz32(i32[j]!); return sp; }
    case O.i32_popcnt: { var j = (sp << 1) - 2; i32[j] = N.popcnt32(i32[j]!); return sp; }
    // generated: i32-binary-rare (scripts/gen-interp.ts: edit its table, then npm run gen)
    case O.i32_rotl: { var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!; i32[j - 2] = N.rotl32(x, y); return sp; }
    case O.i32_rotr: { var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!; i32[j - 2] = N.rotr32(x, y); return sp; }
    // end generated: i32-binary-rare

    // --------------------------------------------------------------- i64
    // Words: low at i32[2s], high at i32[2s+1]; i32 results go to the low word.
    case O.i64_clz: { var j = (sp << 1) - 2; i32[j] = N.clz64(i32[j]!, i32[j + 1]!); i32[j + 1] = 0; return sp; }
    case O.i64_ctz: { var j = (sp << 1) - 2; i32[j] = N.ctz64(i32[j]!, i32[j + 1]!); i32[j + 1] = 0; return sp; }
    case O.i64_popcnt: {
      var j = (sp << 1) - 2;
      i32[j] = N.popcnt32(i32[j]!) + N.popcnt32(i32[j + 1]!); i32[j + 1] = 0;
      return sp;
    }
    case O.i64_mul: sp--; i64[sp - 1] = i64[sp - 1]! * i64[sp]!; return sp;
    case O.i64_div_s: sp--; i64[sp - 1] = N.divS64(i64[sp - 1]!, i64[sp]!); return sp;
    case O.i64_div_u: sp--; i64[sp - 1] = N.divU64(i64[sp - 1]!, i64[sp]!); return sp;
    case O.i64_rem_s: sp--; i64[sp - 1] = N.remS64(i64[sp - 1]!, i64[sp]!); return sp;
    case O.i64_rem_u: sp--; i64[sp - 1] = N.remU64(i64[sp - 1]!, i64[sp]!); return sp;
    case O.i64_rotl: { var j = --sp << 1; N.rotl64(i32, j - 2, i32[j]!); return sp; }
    case O.i64_rotr: { var j = --sp << 1; N.rotr64(i32, j - 2, i32[j]!); return sp; }

    // ---------------------------------------------------------- f32, f64
    // Rounding, square root, min, max and copysign (the loop keeps the
    // comparisons, arithmetic, abs and neg). A Float32Array store rounds to
    // single precision once, exact for sqrt computed in double; copysign
    // touches only the sign bit, so a NaN's payload survives.
    case O.f32_ceil: { var j = (sp << 1) - 2; f32[j] = N.canon(Math.ceil(f32[j]!)); return sp; }
    case O.f32_floor: { var j = (sp << 1) - 2; f32[j] = N.canon(Math.floor(f32[j]!)); return sp; }
    case O.f32_trunc: { var j = (sp << 1) - 2; f32[j] = N.canon(Math.trunc(f32[j]!)); return sp; }
    case O.f32_nearest: { var j = (sp << 1) - 2; f32[j] = N.canon(N.nearest(f32[j]!)); return sp; }
    case O.f32_sqrt: { var j = (sp << 1) - 2; f32[j] = N.canon(Math.sqrt(f32[j]!)); return sp; }
    case O.f32_min: { var j = --sp << 1; f32[j - 2] = N.fmin(f32[j - 2]!, f32[j]!); return sp; }
    case O.f32_max: { var j = --sp << 1; f32[j - 2] = N.fmax(f32[j - 2]!, f32[j]!); return sp; }
    case O.f32_copysign: {
      var j = --sp << 1;
      i32[j - 2] = (i32[j - 2]! & 0x7fffffff) | (i32[j]! & -0x80000000);
      return sp;
    }
    case O.f64_ceil: f64[sp - 1] = N.canon(Math.ceil(f64[sp - 1]!)); return sp;
    case O.f64_floor: f64[sp - 1] = N.canon(Math.floor(f64[sp - 1]!)); return sp;
    case O.f64_trunc: f64[sp - 1] = N.canon(Math.trunc(f64[sp - 1]!)); return sp;
    case O.f64_nearest: f64[sp - 1] = N.canon(N.nearest(f64[sp - 1]!)); return sp;
    case O.f64_sqrt: f64[sp - 1] = N.canon(Math.sqrt(f64[sp - 1]!)); return sp;
    case O.f64_min: sp--; f64[sp - 1] = N.fmin(f64[sp - 1]!, f64[sp]!); return sp;
    case O.f64_max: sp--; f64[sp - 1] = N.fmax(f64[sp - 1]!, f64[sp]!); return sp;
    case O.f64_copysign: {
      var j = --sp << 1;
      i32[j - 1] = (i32[j - 1]! & 0x7fffffff) | (i32[j + 1]! & -0x80000000);
      return sp;
    }

    // --------------------------------------------------------- conversions
    // The loop keeps wrap, i64.extend_i32, f32/f64.convert_i32, the
    // reinterpretations and i32.extend8/16_s.
    case O.i32_trunc_f32_s: { var j = (sp << 1) - 2; i32[j] = N.truncS32(f32[j]!); return sp; }
    case O.i32_trunc_f32_u: { var j = (sp << 1) - 2; i32[j] = N.truncU32(f32[j]!); return sp; }
    case O.i32_trunc_f64_s: { var s = sp - 1; i32[2 * s] = N.truncS32(f64[s]!); return sp; }
    case O.i32_trunc_f64_u: { var s = sp - 1; i32[2 * s] = N.truncU32(f64[s]!); return sp; }
    case O.i64_trunc_f32_s: { var s = sp - 1; i64[s] = N.truncS64(f32[2 * s]!); return sp; }
    case O.i64_trunc_f32_u: { var s = sp - 1; i64[s] = N.truncU64(f32[2 * s]!); return sp; }
    case O.i64_trunc_f64_s: { var s = sp - 1; i64[s] = N.truncS64(f64[s]!); return sp; }
    case O.i64_trunc_f64_u: { var s = sp - 1; i64[s] = N.truncU64(f64[s]!); return sp; }
    case O.f32_convert_i64_s: { var s = sp - 1; f32[2 * s] = N.f32FromI64(i64[s]!); return sp; }
    case O.f32_convert_i64_u: { var s = sp - 1; f32[2 * s] = N.f32FromU64(i64[s]!); return sp; }
    case O.f32_demote_f64: { var s = sp - 1; f32[2 * s] = N.canon(f64[s]!); return sp; }
    case O.f64_convert_i64_s: { var s = sp - 1; f64[s] = Number(i64[s]!); return sp; }
    case O.f64_convert_i64_u: { var s = sp - 1; f64[s] = N.f64FromU64(i64[s]!); return sp; }
    case O.f64_promote_f32: { var s = sp - 1; f64[s] = N.canon(f32[2 * s]!); return sp; }
    case O.i64_extend8_s: { var j = (sp << 1) - 2; var v = (i32[j]! << 24) >> 24; i32[j] = v; i32[j + 1] = v >> 31; return sp; }
    case O.i64_extend16_s: { var j = (sp << 1) - 2; var v = (i32[j]! << 16) >> 16; i32[j] = v; i32[j + 1] = v >> 31; return sp; }
    case O.i64_extend32_s: { var j = (sp << 1) - 2; i32[j + 1] = i32[j]! >> 31; return sp; }

    default:
      // Prefixed (0xFC) opcodes are far from the others: a switch of their
      // own keeps this one dense enough for a jump table (Ignition's too).
      switch (instr.op) {
        case O.table_size: return T.tableSize(t, inst, instr.src, sp);
        case O.table_grow: return T.tableGrow(t, inst, instr.src, sp);
        case O.table_fill: return T.tableFill(t, inst, instr.src, sp);
        case O.table_copy: return T.tableCopy(t, inst, instr.src, sp);
        case O.table_init: return T.tableInit(t, inst, instr.src, sp);
        case O.elem_drop: T.elemDrop(inst, instr.src); return sp;
        case O.memory_fill: return M.memoryFill(t, inst, instr.src, sp);
        case O.memory_copy: return M.memoryCopy(t, inst, instr.src, sp);
        case O.memory_init: return M.memoryInit(t, inst, instr.src, sp);
        case O.data_drop: M.dataDrop(inst, instr.src); return sp;
        case P.mem_access: return M.memoryAccess(t, inst, instr.src, sp);
        case O.i32_trunc_sat_f32_s: { var j = (sp << 1) - 2; i32[j] = N.truncSatS32(f32[j]!); return sp; }
        case O.i32_trunc_sat_f32_u: { var j = (sp << 1) - 2; i32[j] = N.truncSatU32(f32[j]!); return sp; }
        case O.i32_trunc_sat_f64_s: { var s = sp - 1; i32[2 * s] = N.truncSatS32(f64[s]!); return sp; }
        case O.i32_trunc_sat_f64_u: { var s = sp - 1; i32[2 * s] = N.truncSatU32(f64[s]!); return sp; }
        case O.i64_trunc_sat_f32_s: { var s = sp - 1; i64[s] = N.truncSatS64(f32[2 * s]!); return sp; }
        case O.i64_trunc_sat_f32_u: { var s = sp - 1; i64[s] = N.truncSatU64(f32[2 * s]!); return sp; }
        case O.i64_trunc_sat_f64_s: { var s = sp - 1; i64[s] = N.truncSatS64(f64[s]!); return sp; }
        case O.i64_trunc_sat_f64_u: { var s = sp - 1; i64[s] = N.truncSatU64(f64[s]!); return sp; }
      }
      // Every opcode preparation makes has a case, here or in the loop.
      throw new Error(`the interpreter does not support opcode 0x${instr.op.toString(16)}`);
  }
}
