// Source lines for instructions, when the program was given as text.
//
// The text front end (wasm-tools) gives bytes, not a map from offsets back
// to the text. So cmr reads the text itself (the .wast reader, which knows
// every token's line), finds each function of each module form (`(module
// …)`, a component's `(core module …)`), and lists its instructions in the
// order the binary has them: folded forms unfolded (operands first, then
// the operator; an `if`'s condition before the `if`), `end` and `else` left
// out, as the AST has no node for them. A function of the decoded module
// gets the lines of the text function whose instruction names are the same
// sequence (the order of definitions breaks ties); if none matches — text
// the reader cannot follow — its instructions have no line, and the
// debugger prints the instruction alone.

import type { Func, Instr, Module } from '../core/syntax/ast.js';
import { headOf, readSExprs, type SExpr, type SList } from '../wast/sexpr.js';
import { isInstructionName, opName } from './print-instr.js';

interface TextFunc {
  /** Defined-function position inside its module form. */
  ordinal: number;
  names: string[];
  lines: number[];
}

export class SourceLines {
  /** Text functions by their instruction names joined by spaces. */
  private readonly byKey = new Map<string, TextFunc[]>();
  private readonly memo = new WeakMap<Func, Map<Instr, number> | null>();
  readonly lines: string[];
  /** Offsets where each line starts. */
  private readonly lineStarts: number[] = [0];

  constructor(readonly file: string, private readonly src: string) {
    this.lines = src.split('\n');
    for (let i = 0; i < src.length; i++) if (src.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    try {
      const stack: Located[] = readSExprs(src).map((e) => ({ e, base: 0 }));
      while (stack.length > 0) {
        const { e, base } = stack.pop()!;
        if (e.kind !== 'list') continue;
        const items = this.children(e, base);
        if (isModuleForm(items.map((x) => x.e))) this.addModule(items);
        else stack.push(...items);
      }
    } catch {
      // Text the reader refuses (or nested past the JS stack): no lines, no more.
      this.byKey.clear();
    }
  }

  /** The line (1-based) of instruction `instr` of function `f` of module `m`, if known. */
  lineOf(m: Module, f: Func, instr: Instr): number | undefined {
    let map = this.memo.get(f);
    if (map === undefined) {
      try {
        map = this.match(m, f);
      } catch (err) {
        if (!(err instanceof RangeError)) throw err;
        map = null;
      }
      this.memo.set(f, map);
    }
    return map?.get(instr);
  }

  /** The text of line `n`, trimmed. */
  text(n: number): string {
    return (this.lines[n - 1] ?? '').trim();
  }

  /**
   * The items of a list. The .wast reader only skims the fields of a module
   * or component (it needs their spans, not their insides): such a field
   * is read again from its span, its offsets then relative to that span.
   */
  private children(e: SList, base: number): Located[] {
    if (e.items.length === 0 && e.end - e.start > 2) {
      const start = base + e.start;
      const again = readSExprs(this.src.slice(start, base + e.end))[0];
      if (again?.kind === 'list') return again.items.map((x) => ({ e: x, base: start }));
    }
    return e.items.map((x) => ({ e: x, base }));
  }

  private lineAt(offset: number): number {
    let lo = 0, hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  private match(m: Module, f: Func): Map<Instr, number> | null {
    const instrs: Instr[] = [];
    // Pre-order, as the text lists them: an instruction, then its bodies.
    const walk = (list: Instr[]) => {
      for (const i of list) {
        instrs.push(i);
        if (i.body !== null) walk(i.body);
        if (i.else_ !== null) walk(i.else_);
      }
    };
    walk(f.body);
    const candidates = this.byKey.get(instrs.map((i) => opName(i.op)).join(' '));
    if (candidates === undefined) return null;
    const ordinal = m.funcs.indexOf(f);
    const tf = candidates.find((c) => c.ordinal === ordinal) ?? candidates[0]!;
    return new Map(instrs.map((i, k) => [i, tf.lines[k]!]));
  }

  private addModule(fields: Located[]): void {
    let ordinal = 0;
    for (const { e, base } of fields) {
      if (e.kind !== 'list') continue;
      const items = this.children(e, base);
      const head = items[0]?.e;
      if (head?.kind !== 'atom' || head.text !== 'func') continue;
      if (items.some(({ e: x }) => headOf(x) === 'import')) continue;
      const tf: TextFunc = { ordinal: ordinal++, names: [], lines: [] };
      const body = items.slice(1).filter(({ e: x }) => !(x.kind === 'atom' && x.text.startsWith('$')) && !HEADER.has(headOf(x)));
      this.instructions(body, tf);
      const key = tf.names.join(' ');
      const list = this.byKey.get(key);
      if (list === undefined) this.byKey.set(key, [tf]);
      else list.push(tf);
    }
  }

  /** Appends the instructions of a body (flat and folded forms) to `out`, in binary order. */
  private instructions(items: readonly Located[], out: TextFunc): void {
    for (const { e, base } of items) {
      if (e.kind === 'atom') {
        // A keyword starts an instruction; `end`, `else`, labels and immediates do not.
        if (isInstructionName(e.text)) { out.names.push(e.text); out.lines.push(this.lineAt(base + e.start)); }
        continue;
      }
      // (result i32), (type 0) … after a flat instruction are not instructions.
      if (e.kind === 'list' && isInstructionName(headOf(e))) this.folded(e, base, out);
    }
  }

  /** A folded instruction: `(op imm* operand*)`, `(block …)`, `(if … (then …) (else …))`. */
  private folded(x: SList, base: number, out: TextFunc): void {
    const h = headOf(x);
    const rest = x.items.slice(1).map((e) => ({ e, base }));
    const push = () => { out.names.push(h); out.lines.push(this.lineAt(base + x.start)); };
    if (h === 'block' || h === 'loop' || h === 'try_table') {
      push();
      this.instructions(rest, out);
    } else if (h === 'if') {
      const isArm = (e: SExpr) => headOf(e) === 'then' || headOf(e) === 'else';
      this.instructions(rest.filter((r) => !isArm(r.e)), out); // the condition
      push();
      for (const arm of rest.filter((r) => isArm(r.e))) this.instructions((arm.e as SList).items.slice(1).map((e) => ({ e, base })), out);
    } else {
      this.instructions(rest.filter((r) => r.e.kind === 'list'), out); // operands first
      push();
    }
  }
}

/** A node of a read, and the offset its positions are relative to. */
interface Located {
  e: SExpr;
  base: number;
}

const HEADER = new Set(['export', 'import', 'type', 'param', 'result', 'local']);

/** Whether a list's items are a module's: `(module …)` (not binary or quote), `(core module …)`. */
function isModuleForm(items: readonly SExpr[]): boolean {
  const [h, second] = items;
  if (h?.kind !== 'atom') return false;
  if (h.text === 'module') return !items.some((x) => x.kind === 'atom' && (x.text === 'binary' || x.text === 'quote'));
  return h.text === 'core' && second?.kind === 'atom' && second.text === 'module';
}
