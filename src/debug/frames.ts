// Reading a stopped interpreter: the frames of a Configuration, their
// functions' names and source, and their values with types. Shared by the
// debugger's views (session.ts) and the core tracer (trace-core.ts).

import type { Configuration } from '../core/exec/configuration.js';
import type { WasmFunc } from '../core/exec/module-inst.js';
import { moduleOf } from '../core/exec/debug-engine.js';
import { siteOf, type Site } from '../core/exec/debug-step.js';
import type { PNode } from '../core/exec/node.js';
import { importedFuncCount, type Func, type Instr, type Module } from '../core/syntax/ast.js';
import type { ValType } from '../core/syntax/types.js';
import { operandTypes, type OperandTypes } from '../core/valid/operand-types.js';
import { formatValue } from '../wast/numbers.js';
import type { Value } from '../core/runtime/values.js';
import { heapOf, isConcrete, isNullable, isRef, refType, topOf, type TypeSpace } from '../core/syntax/reftypes.js';
import { printInstr } from './print-instr.js';
import type { SourceLines } from './source-lines.js';

/** A function's facts the views need: its module and AST, its name, its operand types. */
export interface FuncInfo {
  module: Module | null;
  ast: Func | null;
  index: number;
  /** Its name in the name section, and an export name, when it has them. */
  named: string | null;
  exported: string | null;
  /** How views print it: `$fib`, else `func[1] "greet"`, else `func[1]`. */
  name: string;
}

const infos = new WeakMap<WasmFunc, FuncInfo>();
const types = new WeakMap<Func, OperandTypes>();

export function funcInfo(f: WasmFunc): FuncInfo {
  let info = infos.get(f);
  if (info === undefined) {
    const module = moduleOf(f.inst) ?? null;
    const index = f.code.index;
    const nimported = module === null ? 0 : importedFuncCount(module);
    const ast = module?.funcs[index - nimported] ?? null;
    const n = f.inst.names?.funcs.get(index);
    // Without a name in the name section, an export name says which function it is.
    const exported = module?.exports.find((e) => e.kind === 'func' && e.index === index)?.name;
    info = {
      module, ast, index, named: n ?? null, exported: exported ?? null,
      name: n !== undefined ? `$${n}` : exported !== undefined ? `func[${index}] "${exported}"` : `func[${index}]`,
    };
    infos.set(f, info);
  }
  return info;
}

/** The operand-stack types at `site` of function `f`, bottom first (null when unknown). */
export function typesAt(f: WasmFunc, site: Site | undefined): readonly (ValType | 0)[] | null {
  const info = funcInfo(f);
  if (info.module === null || info.ast === null || site === undefined) return null;
  let t = types.get(info.ast);
  if (t === undefined) {
    try {
      t = operandTypes(info.module, info.ast);
    } catch {
      return null;
    }
    types.set(info.ast, t);
  }
  return t.get(site.list)?.[site.index] ?? null;
}

/** The site of the step node just before `t`'s saved position (the instruction about to run). */
export function currentSite(t: Configuration): { node: PNode | undefined; site: Site | undefined } {
  const node = t.body[t.pc - 1];
  return { node, site: node === undefined ? undefined : siteOf(node) };
}

/** The instruction at a site in text, `end` for the end of a body. */
export function siteText(f: WasmFunc, site: Site | undefined, fallback: Instr | null): string {
  const info = funcInfo(f);
  if (site !== undefined && site.index >= site.list.length) return site.list === info.ast?.body ? 'end (return)' : 'end';
  const instr = site !== undefined ? site.list[site.index]! : fallback;
  return instr === null ? '?' : printInstr(instr, { module: info.module, func: info.index });
}

/** ` file:line  text` for the instruction at a site, when the source is known. */
export function sourceOf(f: WasmFunc, site: Site | undefined, sources: SourceLines | null): { line: number; text: string } | null {
  if (sources === null || site === undefined || site.index >= site.list.length) return null;
  const info = funcInfo(f);
  if (info.module === null || info.ast === null) return null;
  const line = sources.lineOf(info.module, info.ast, site.list[site.index]!);
  return line === undefined ? null : { line, text: sources.text(line) };
}

/** The byte offset of the instruction at a site (module-relative), or null at an `end`. */
export function offsetOf(site: Site | undefined): number | null {
  if (site === undefined || site.index >= site.list.length) return null;
  return site.list[site.index]!.offset;
}

/** A slot's value as `i32 5`, `f64 1.5`, `ref.null func`; a slot of unknown type as its raw bits. */
export function formatSlot(t: Configuration, slot: number, type: ValType | 0): string {
  const raw = () => `? 0x${BigInt.asUintN(64, t.i64[slot]!).toString(16)}`;
  if (type === 0) return raw();
  try {
    const f = t.func;
    return formatTyped(t.readValue(slot, type), type, f === null ? undefined : funcInfo(f).module?.types);
  } catch {
    return raw();
  }
}

/**
 * A value of a type as `i32 5`, `f64 1.5`, `ref.null func`, `ref.struct`
 * (the script format, shortened). A reference to a defined type prints as
 * its hierarchy's (struct and array types are in any's, function types in
 * func's), which `types`, the module's, says.
 */
export function formatTyped(v: Value, type: ValType, types?: TypeSpace): string {
  const shown = isRef(type) && isConcrete(heapOf(type)) ? refType(topOf(heapOf(type), types), isNullable(type)) as ValType : type;
  // `(i32.const 5)` → `i32 5`
  return formatValue(v, shown).replace(/^\((\w+)\.const (.*)\)$/, '$1 $2').replace(/^\((.*)\)$/, '$1');
}

/** The name of local `i` of `f` (`$n`, else its index). */
export function localName(f: WasmFunc, i: number): string {
  const n = f.inst.names?.locals.get(f.code.index)?.get(i);
  return n !== undefined ? `$${n}` : String(i);
}

/** The number of locals (parameters included) of `f`'s frames. */
export function localCount(f: WasmFunc): number {
  return f.code.nparams + f.code.nlocals;
}
