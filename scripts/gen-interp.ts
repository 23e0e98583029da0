// The interpreter's i32 binary operations, each written once: the table
// below holds the meaning of every i32 binary instruction as a JS
// expression over its operands x and y, and this script writes every place
// the interpreter runs one from it, so V8 sees each as inline code (a call
// through a shared function stops V8 inlining into the loop's `execute`,
// which cost 7-52% when tried):
//
// - the loop's plain cases (operands on the stack), in interpreter.ts
//   between the `generated: i32-binary` markers, and those of the rare
//   operations (the rotations) in rare-instructions.ts between the
//   `generated: i32-binary-rare` markers, out of the loop;
// - the fused nodes' cases for the common operations, one opcode per
//   operation and operand form (P.bin_ll, …: fuse.ts), between the
//   `generated: i32-fused` markers;
// - src/core/exec/i32-binary.ts, whole: those opcodes (`B`), the map from
//   a fused form and operation to its opcode, `bin32` (the fused nodes of
//   the other operations), and each comparison's encoding for the fused
//   tests (outcome bits and order), computed here by evaluating its
//   expression.
//
//   npm run gen                  (rewrites the files)
//   node dist/scripts/gen-interp.js --check   (exit status 1 when they differ)
//
// test/interp-generated.test.ts holds the checked-in files to this script.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../src/wast/suites.js';

interface Binary {
  /** The member of ops.ts's `O`. */
  name: string;
  /** The result as a JS expression over x and y (int32 operands; an int32 result, or 0/1). N: numerics.ts. */
  expr: string;
  /** It may trap (division, remainder): never fused with its operands. */
  traps?: boolean;
  /** Common enough to get its own opcode in each fused form (fewer dispatches than bin32's switch). */
  hot?: boolean;
  /** x OP y = y OP x: fusion may read its operands in either order. */
  commutes?: boolean;
  /**
   * Seldom run by real programs (as rare-instructions.ts's header counts
   * them, over the bench's kernels, the componentize-js hello and
   * wasmtime's WASI programs): its
   * plain case is rare-instructions.ts's, out of the loop.
   */
  rare?: boolean;
}

/** Every i32 binary instruction, in opcode order (spec §4.3.2). */
export const I32_BINARY: readonly Binary[] = [
  { name: 'i32_eq', expr: 'x === y ? 1 : 0', commutes: true },
  { name: 'i32_ne', expr: 'x !== y ? 1 : 0', commutes: true },
  { name: 'i32_lt_s', expr: 'x < y ? 1 : 0' },
  { name: 'i32_lt_u', expr: '(x >>> 0) < (y >>> 0) ? 1 : 0' },
  { name: 'i32_gt_s', expr: 'x > y ? 1 : 0' },
  { name: 'i32_gt_u', expr: '(x >>> 0) > (y >>> 0) ? 1 : 0' },
  { name: 'i32_le_s', expr: 'x <= y ? 1 : 0' },
  { name: 'i32_le_u', expr: '(x >>> 0) <= (y >>> 0) ? 1 : 0' },
  { name: 'i32_ge_s', expr: 'x >= y ? 1 : 0' },
  { name: 'i32_ge_u', expr: '(x >>> 0) >= (y >>> 0) ? 1 : 0' },
  { name: 'i32_add', expr: '(x + y) | 0', hot: true, commutes: true },
  { name: 'i32_sub', expr: '(x - y) | 0', hot: true },
  { name: 'i32_mul', expr: 'Math.imul(x, y)', hot: true, commutes: true },
  { name: 'i32_div_s', expr: 'N.divS32(x, y)', traps: true },
  { name: 'i32_div_u', expr: 'N.divU32(x, y)', traps: true },
  { name: 'i32_rem_s', expr: 'N.remS32(x, y)', traps: true },
  { name: 'i32_rem_u', expr: 'N.remU32(x, y)', traps: true },
  { name: 'i32_and', expr: 'x & y', hot: true, commutes: true },
  { name: 'i32_or', expr: 'x | y', hot: true, commutes: true },
  { name: 'i32_xor', expr: 'x ^ y', hot: true, commutes: true },
  { name: 'i32_shl', expr: 'x << y', hot: true },
  { name: 'i32_shr_s', expr: 'x >> y', hot: true },
  { name: 'i32_shr_u', expr: '(x >>> y) | 0', hot: true },
  { name: 'i32_rotl', expr: 'N.rotl32(x, y)', rare: true },
  { name: 'i32_rotr', expr: 'N.rotr32(x, y)', rare: true },
];

/**
 * The fused forms that get an opcode per hot operation: where x and y come
 * from (a local: fp + field, the stack, or the constant in b) and where the
 * result goes. Each is a statement template: X and Y stand for the
 * operands, R for the expression over them. `ops`: the hot operations that
 * get an opcode in this form, when not all of them: a loop's step is an
 * add in every program counted for `rare` (a count down adds -1); a step
 * by another operation runs through the form's P node and bin32, which
 * keeps the loop smaller.
 */
const FORMS: readonly { name: string; what: string; code: string; ops?: readonly string[] }[] = [
  { name: 'bin_ll', what: 'local a OP local b, pushed', code: 'var x = i32[(fp + instr.a) << 1]!, y = i32[(fp + instr.b) << 1]!; i32[sp++ << 1] = R;' },
  { name: 'bin_lk', what: 'local a OP constant b, pushed', code: 'var x = i32[(fp + instr.a) << 1]!, y = instr.b; i32[sp++ << 1] = R;' },
  { name: 'bin_sk', what: 'stack top OP constant b, in place', code: 'var j = (sp << 1) - 2, x = i32[j]!, y = instr.b; i32[j] = R;' },
  { name: 'bin_sl', what: 'stack top OP local b, in place', code: 'var j = (sp << 1) - 2, x = i32[j]!, y = i32[(fp + instr.b) << 1]!; i32[j] = R;' },
  { name: 'bin_ll_set', what: 'local a OP local b, to local d', code: 'var x = i32[(fp + instr.a) << 1]!, y = i32[(fp + instr.b) << 1]!; i32[(fp + instr.d) << 1] = R;' },
  { name: 'bin_lk_set', what: 'local a OP constant b, to local d', code: 'var x = i32[(fp + instr.a) << 1]!, y = instr.b; i32[(fp + instr.d) << 1] = R;' },
  { name: 'bin_ss_set', what: 'the two values on top of the stack, to local d', code: 'sp -= 2; var j = sp << 1, x = i32[j]!, y = i32[j + 2]!; i32[(fp + instr.d) << 1] = R;' },
  // Loop steps (the comparison, c >> 8, through holds): local d = local a OP y, then the loop's test of local d.
  { name: 'step_brif', what: 'local d = local a OP constant b, then branch when local d compares with local g', code: 'var x = i32[(fp + instr.a) << 1]!, y = instr.b, r = R; i32[(fp + instr.d) << 1] = r; if (holds(instr.c >> 8, r ^ instr.e, i32[(fp + instr.g) << 1]! ^ instr.e)) { body = instr.body!; pc = instr.f; if (pc === 0 && --meter.ticks < 0) meter.refill(); }', ops: ['add'] },
  { name: 'step_back_ll', what: 'local d = local a OP local b, then the back-edge and the loop\'s first test', code: 'var x = i32[(fp + instr.a) << 1]!, y = i32[(fp + instr.b) << 1]!, r = R; i32[(fp + instr.d) << 1] = r; if (--meter.ticks < 0) meter.refill(); if (holds(instr.c >> 8, r ^ instr.e, i32[(fp + instr.g) << 1]! ^ instr.e)) { body = instr.body!; pc = instr.f; if (pc === 0 && --meter.ticks < 0) meter.refill(); } else { body = instr.else_!; pc = 1; }', ops: ['add'] },
  { name: 'step_back_lk', what: 'local d = local a OP constant b, then the back-edge and the loop\'s first test', code: 'var x = i32[(fp + instr.a) << 1]!, y = instr.b, r = R; i32[(fp + instr.d) << 1] = r; if (--meter.ticks < 0) meter.refill(); if (holds(instr.c >> 8, r ^ instr.e, i32[(fp + instr.g) << 1]! ^ instr.e)) { body = instr.body!; pc = instr.f; if (pc === 0 && --meter.ticks < 0) meter.refill(); } else { body = instr.else_!; pc = 1; }', ops: ['add'] },
  // A function's one number goes straight to its frame base, where the return leaves it (g = 1: Code.numResult, finishBody).
  { name: 'bin_ss_ret', what: 'the two values on top of the stack, returned', code: 'var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!, r = R; if (instr.g !== 0) { i32[fp << 1] = r; sp = fp + 1; } else i32[j - 2] = r; break;' },
  // A call's argument (a recursion's n - 1, n - 2), then the call, which the loop makes after its switch (callee set).
  { name: 'call_lk', what: 'local a OP constant b, pushed, then a call of function d (defined in the module)', code: 'var x = i32[(fp + instr.a) << 1]!, y = instr.b; i32[sp++ << 1] = R; callee = (inst.funcs[instr.d] ?? inst.funcAt(instr.d)) as WasmFunc; break;', ops: ['add', 'sub'] },
];

/** The first opcode of the specialised fused nodes: after node.ts's P codes (which end below 0x110). */
const FIRST_CODE = 0x110;

const fusible = I32_BINARY.filter((b) => b.traps !== true);
const hot = I32_BINARY.filter((b) => b.hot === true);
const short = (b: Binary): string => b.name.slice(4);
/** Whether fused form `f` has an opcode of its own for hot operation `b`. */
const specialises = (f: (typeof FORMS)[number], b: Binary): boolean => f.ops === undefined || f.ops.includes(short(b));

/** Evaluates a row's expression (the generator's own use: a comparison's encoding). */
function evaluate(b: Binary, x: number, y: number): number {
  const N = { rotl32: () => 0, rotr32: () => 0 };
  return (new Function('x', 'y', 'N', `return ${b.expr};`) as (x: number, y: number, n: unknown) => number)(x, y, N);
}

/**
 * A comparison's encoding for fuse.ts's tests: which outcomes hold (bit 0:
 * x < y, bit 1: x = y, bit 2: x > y) and whether it orders the operands as
 * unsigned (a bias then turns it into signed order).
 */
function comparison(b: Binary): { outcomes: number; unsigned: boolean } {
  const outcomes = evaluate(b, 1, 2) | (evaluate(b, 2, 2) << 1) | (evaluate(b, 2, 1) << 2);
  // -1 is below 0 as a signed number, above it as an unsigned one.
  const unsigned = evaluate(b, -1, 0) !== (outcomes & 1);
  return { outcomes, unsigned };
}

const comparisons = I32_BINARY.filter((b) => / \? 1 : 0$/.test(b.expr));

const MARK = '(scripts/gen-interp.ts: edit its table, then npm run gen)';

/** The plain cases (operands on the stack) of the common operations (interpreter.ts, `continue`) or the rare ones (rare-instructions.ts, `return sp`). */
function plainCases(rare: boolean, indent: string): string[] {
  return I32_BINARY.filter((b) => (b.rare === true) === rare)
    .map((b) => `${indent}case O.${b.name}: { var j = --sp << 1, x = i32[j - 2]!, y = i32[j]!; i32[j - 2] = ${b.expr}; ${rare ? 'return sp;' : 'continue;'} }`);
}

/** interpreter.ts's cases of the specialised fused nodes. */
function fusedCases(indent: string): string[] {
  const out: string[] = [];
  for (const f of FORMS) {
    out.push(`${indent}// ${f.name}: ${f.what}`);
    // A form that returns or calls ends in `break` (to the loop's return or call path); the others go on.
    const next = f.code.endsWith('break;') ? '' : ' continue;';
    for (const b of hot) if (specialises(f, b)) out.push(`${indent}case B.${f.name}_${short(b)}: { ${f.code.replace('R', b.expr)}${next} }`);
  }
  return out;
}

/** src/core/exec/i32-binary.ts. */
function tableModule(): string {
  const lines = [
    `// Generated ${MARK}: do not edit.`,
    '//',
    '// The i32 binary operations for the interpreter\'s fused nodes (fuse.ts):',
    '// the opcodes of the specialised ones, bin32 for the rest, and the',
    '// comparisons\' encoding for the fused tests.',
    '',
    "import { O } from './ops.js';",
    "import * as N from './numerics.js';",
    '',
    '/** Fused nodes with one operation each (fields as their form\'s in node.ts\'s P): FORM_OP. */',
    'export const enum B {',
  ];
  // Each form's codes start at FIRST_CODE + its index * hot.length, a code
  // per hot operation in order, whether or not the form specialises it: so
  // a form's `ops` moves no other code.
  FORMS.forEach((f, i) => hot.forEach((b, k) => {
    if (specialises(f, b)) lines.push(`  ${f.name}_${short(b)} = 0x${(FIRST_CODE + i * hot.length + k).toString(16)},`);
  }));
  lines.push('}', '');
  lines.push(
    '/** The opcode of fused form `form` (a P code) with operation `op` (its c; a step\'s operation is c & 0xff), or `form` when it has none. */',
    'export function specialised(form: number, op: number): number {',
    '  switch (form) {',
  );
  FORMS.forEach((f, i) => {
    const first = `0x${(i * hot.length + FIRST_CODE).toString(16)}`;
    if (f.ops === undefined) lines.push(`    case 0x${formCode(f.name).toString(16)}: return ${first} + hotIndex(op & 0xff); // P.${f.name}`);
    else {
      const which = hot.flatMap((b, k) => (specialises(f, b) ? [`op === O.${b.name}`] : []));
      lines.push(`    case 0x${formCode(f.name).toString(16)}: op &= 0xff; return ${which.join(' || ')} ? ${first} + hotIndex(op) : NaN; // P.${f.name}: ${f.ops.join(', ')}`);
    }
  });
  lines.push('    default: return form;', '  }', '}', '');
  lines.push(
    'function hotIndex(op: number): number {',
    '  switch (op) {',
    ...hot.map((b, i) => `    case O.${b.name}: return ${i};`),
    '    default: return NaN;',
    '  }',
    '}', '',
  );
  lines.push(
    '/** An i32 binary operation that cannot trap (`op`: its wasm opcode), for the fused nodes without an opcode of their own. */',
    'export function bin32(op: number, x: number, y: number): number {',
    '  switch (op) {',
    ...fusible.map((b) => `    case O.${b.name}: return ${b.expr};`),
    '    default: throw new Error(`bin32: not a fusible i32 operation: 0x${op.toString(16)}`);',
    '  }',
    '}', '',
    '/** Whether i32 operation `op` gives the same result with its operands swapped. */',
    'export function commutes(op: number): boolean {',
    '  switch (op) {',
    `    ${I32_BINARY.filter((b) => b.commutes === true).map((b) => `case O.${b.name}:`).join(' ')}`,
    '      return true;',
    '    default:',
    '      return false;',
    '  }',
    '}', '',
    '/** Whether `op` is an i32 binary operation that cannot trap, which a fused node may carry. */',
    'export function fusibleBinary(op: number): boolean {',
    '  switch (op) {',
    `    ${fusible.map((b) => `case O.${b.name}:`).join(' ')}`,
    '      return true;',
    '    default:',
    '      return false;',
    '  }',
    '}', '',
  );
  lines.push(
    '/**',
    ' * Per i32 comparison, from i32.eq (op - O.i32_eq): which outcomes make it',
    ' * hold (bit 0: x < y, bit 1: x = y, bit 2: x > y), and whether it orders',
    ' * unsigned (fuse.ts\'s testOf biases the operands then).',
    ' */',
    `export const COMPARE_OUTCOMES: readonly number[] = [${comparisons.map((b) => `0b${comparison(b).outcomes.toString(2).padStart(3, '0')}`).join(', ')}];`,
    `export const COMPARE_UNSIGNED: readonly boolean[] = [${comparisons.map((b) => String(comparison(b).unsigned)).join(', ')}];`,
    '',
  );
  return lines.join('\n');
}

/** node.ts's P code of a fused form, read from node.ts (the one place it is written). */
function formCode(name: string): number {
  const text = readFileSync(join(projectRoot(), 'src', 'core', 'exec', 'node.ts'), 'utf8');
  const m = new RegExp(`^\\s*${name} = (0x[0-9a-f]+),$`, 'm').exec(text);
  if (m === null) throw new Error(`node.ts has no P.${name}`);
  return Number(m[1]);
}

/** Replaces the text between `// generated: NAME` and `// end generated: NAME` lines by `lines`. */
function replaceRegion(text: string, name: string, make: (indent: string) => string[]): string {
  const begin = new RegExp(`^( *)// generated: ${name} .*\\n`, 'm').exec(text);
  const end = new RegExp(`^ *// end generated: ${name}\\n`, 'm').exec(text);
  if (begin === null || end === null) throw new Error(`no region ${name}`);
  const start = begin.index + begin[0].length;
  return text.slice(0, start) + make(begin[1]!).map((l) => `${l}\n`).join('') + text.slice(end.index);
}

/** Every generated file, as it should be: path (from the project root) to text. */
export function generatedFiles(): Map<string, string> {
  const root = projectRoot();
  const interp = join('src', 'core', 'exec', 'interpreter.ts');
  let text = readFileSync(join(root, interp), 'utf8');
  text = replaceRegion(text, 'i32-binary', (indent) => plainCases(false, indent));
  text = replaceRegion(text, 'i32-fused', fusedCases);
  const rare = join('src', 'core', 'exec', 'rare-instructions.ts');
  const rareText = replaceRegion(readFileSync(join(root, rare), 'utf8'), 'i32-binary-rare', (indent) => plainCases(true, indent));
  return new Map([
    [interp, text],
    [rare, rareText],
    [join('src', 'core', 'exec', 'i32-binary.ts'), tableModule()],
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [path, text] of generatedFiles()) {
    const file = join(projectRoot(), path);
    let old = '';
    try { old = readFileSync(file, 'utf8'); } catch { /* a new file */ }
    if (old === text) continue;
    stale++;
    if (check) process.stderr.write(`${path} differs from what scripts/gen-interp.ts makes\n`);
    else writeFileSync(file, text);
  }
  if (check && stale > 0) process.exitCode = 1;
}
