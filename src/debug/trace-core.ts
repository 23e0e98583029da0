// `--trace=core`: one line per executed wasm instruction, with what it
// left on top of the value stack and which locals it changed:
//
//   core: $fib @0x2a local.get $n  -> i32 5
//   core: $fib @0x31 local.set $r  -> (empty)  $r = i32 3
//
// The step hook fires before each instruction (debug-step.ts), so an
// instruction's line is written at the next hook, when its effect is
// visible: the stack top then, and the locals that differ from a copy
// taken before it. A call's line is written when the callee starts (its
// effect is the callee's frame); a return's when the caller resumes (the
// stack top is then the result).

import type { Configuration } from '../core/exec/configuration.js';
import { stepHooks } from '../core/exec/debug-step.js';
import type { WasmFunc } from '../core/exec/module-inst.js';
import type { PNode } from '../core/exec/node.js';
import { siteOf } from '../core/exec/debug-step.js';
import { currentSite, formatSlot, funcInfo, localCount, localName, offsetOf, siteText, typesAt } from './frames.js';

interface Pending {
  t: Configuration;
  depth: number;
  f: WasmFunc;
  text: string;
  /** The frame's locals before the instruction, two words each. */
  locals: Int32Array;
}

export class CoreTracer {
  private pending: Pending | null = null;
  private lines = 0;
  private stopped = false;

  constructor(private readonly write: (line: string) => void, private readonly limit: number | null = null) {}

  /** Routes the interpreter's step hook here (the debugger, when on, calls `step` itself). */
  install(): void {
    stepHooks.step = (t, node) => this.step(t, node);
  }

  uninstall(): void {
    this.flush();
    if (stepHooks.step !== null) stepHooks.step = null;
  }

  step(t: Configuration, node: PNode): void {
    if (this.stopped) return;
    this.flush(t);
    if (this.stopped) return;
    const f = t.func!;
    const site = siteOf(node);
    const off = offsetOf(site);
    const text = `${funcInfo(f).name}${off !== null ? ` @0x${off.toString(16)}` : ''} ${siteText(f, site, node.src)}`;
    const n = localCount(f);
    this.pending = { t, depth: t.depth, f, text, locals: t.i32.slice(2 * t.fp, 2 * (t.fp + n)) };
  }

  /** Writes the pending instruction's line, with its effect as seen from `now` (the next step), if any. */
  flush(now: Configuration | null = null): void {
    const p = this.pending;
    if (p === null) return;
    this.pending = null;
    let effect = '';
    if (now === p.t && now.depth <= p.depth && now.func !== null) {
      effect = `  -> ${this.top(now)}`;
      if (now.depth === p.depth) effect += this.changedLocals(now, p);
    } else if (now === p.t && now.depth > p.depth && now.func !== null) {
      effect = `  -> enters ${funcInfo(now.func).name}`;
    }
    this.emit(`core: ${'  '.repeat(Math.max(0, p.depth - 1))}${p.text}${effect}`);
  }

  private emit(line: string): void {
    if (this.limit !== null && this.lines >= this.limit) {
      this.stopped = true;
      this.write(`core: trace limit ${this.limit} reached; the program runs on untraced`);
      return;
    }
    this.lines++;
    this.write(line);
  }

  private top(t: Configuration): string {
    const f = t.func!;
    const base = t.fp + localCount(f);
    if (t.sp <= base) return '(empty)';
    const types = typesAt(f, currentSite(t).site);
    const n = t.sp - base;
    const type = types !== null && types.length === n ? types[n - 1]! : 0;
    return formatSlot(t, t.sp - 1, type);
  }

  private changedLocals(t: Configuration, p: Pending): string {
    const f = t.func!;
    const out: string[] = [];
    const types = f.code.localTypes;
    for (let i = 0; i < types.length; i++) {
      const s = 2 * (t.fp + i);
      if (t.i32[s] !== p.locals[2 * i] || t.i32[s + 1] !== p.locals[2 * i + 1]) {
        const name = localName(f, i);
        out.push(`${name.startsWith('$') ? name : `local ${name}`} = ${formatSlot(t, t.fp + i, types[i]!)}`);
      }
    }
    return out.length === 0 ? '' : `  ${out.join(', ')}`;
  }
}
