// The functions a `break` may name, known before the program runs: so that
// `break $nope` is refused at once instead of never stopping. A name is one
// the debugger matches on entry (frames.ts funcInfo): a function's name in
// its module's name section, or, for a function the name section leaves
// out, its first export name. A component has several core modules; their
// names are pooled.

import { importedFuncCount, type Module } from '../core/syntax/ast.js';

/** How many names a refusal shows before pointing at `info functions`. */
const SHOWN = 8;

export class FunctionNames {
  /** Every name, without `$`, sorted. */
  readonly names: readonly string[];
  /** The most functions one module has (a `break N` past it names none). */
  readonly maxCount: number;

  constructor(modules: Iterable<Module>) {
    const names = new Set<string>();
    let maxCount = 0;
    for (const m of modules) {
      const count = importedFuncCount(m) + m.funcs.length;
      maxCount = Math.max(maxCount, count);
      for (const n of m.names?.funcs.values() ?? []) names.add(n);
      const exported = new Set<number>();
      for (const e of m.exports) {
        if (e.kind !== 'func' || exported.has(e.index)) continue;
        exported.add(e.index);
        if (m.names?.funcs.get(e.index) === undefined) names.add(e.name);
      }
    }
    this.names = [...names].sort();
    this.maxCount = maxCount;
  }

  /** Throws, naming what exists, unless `name` (without `$`) names a function. */
  checkName(name: string): void {
    if (this.names.includes(name)) return;
    if (this.names.length === 0) throw new Error(`no function is named \`${name}\`: the program's functions have no names (no name section, no exports); \`break N\` takes a function index`);
    const near = this.names.filter((n) => n.includes(name) || name.includes(n));
    const shown = (near.length > 0 ? near : this.names).slice(0, SHOWN).map((n) => `$${n}`).join(', ');
    const more = this.names.length > SHOWN ? ` (${this.names.length} names: \`info functions [TEXT]\` lists them)` : '';
    throw new Error(`no function is named \`${name}\`; ${near.length > 0 ? 'similar' : 'named'}: ${shown}${more}`);
  }

  /** Throws unless some module has a function of index `index`. */
  checkIndex(index: number): void {
    if (index < this.maxCount) return;
    throw new Error(`no function ${index}: ${this.maxCount === 0 ? 'the program has no functions' : `function indices go from 0 to ${this.maxCount - 1}`}`);
  }

  /** The names containing `text` (all without it). */
  matching(text: string | undefined): string[] {
    return text === undefined ? [...this.names] : this.names.filter((n) => n.includes(text.replace(/^\$/, '')));
  }
}
