// Validation of a whole module (spec §3.4 "Modules"), in the order of the
// reference interpreter, so that a module with several faults reports the
// one the suite expects.

import type { Module } from '../syntax/ast.js';
import type { FuncType, Limits, MemType } from '../syntax/types.js';
import { I32, MAX_PAGES, funcTypeToString } from '../syntax/types.js';
import { type Context, fail, fieldContext, funcAt, globalAt, memAt, moduleContext, tableAt, tagAt } from './context.js';
import { checkConstExpr } from './const-expr.js';
import { FunctionValidator } from './instructions.js';
import { earlyBodyVerdict } from './early.js';
import { WASM_2_0, type CoreFeatures } from '../syntax/feature-set.js';

function checkLimits(l: Limits, range: number, tooLarge: string): void {
  if (l.min > range) fail(tooLarge);
  if (l.max !== null) {
    if (l.max > range) fail(tooLarge);
    if (l.min > l.max) fail('size minimum must not be greater than maximum');
  }
}

/** A memory type: its limits, and a shared memory's maximum (threads). */
function checkMemType(t: MemType): void {
  checkLimits(t.limits, MAX_PAGES, MEMORY_TOO_LARGE);
  if (t.shared && t.limits.max === null) fail('shared memory must have maximum');
}

/** A tag's type has no results (exception handling). */
function checkTagType(t: FuncType): void {
  if (t.results.length !== 0) fail('non-empty tag result type');
}

const MEMORY_TOO_LARGE = 'memory size must be at most 65536 pages (4GiB)';
const TABLE_TOO_LARGE = 'table size must be at most 2^32-1';

/**
 * Validates a module, accepting what `features` switches on beyond
 * WebAssembly 2.0 (by default nothing: 2.0 exactly).
 */
export function validateModule(m: Module, features: CoreFeatures = WASM_2_0): void {
  // Builds C' and resolves the types of all functions ("unknown type").
  const fields = fieldContext(m);
  const c = moduleContext(m, fields);

  for (const im of m.imports) {
    if (im.desc.kind === 'table') checkLimits(im.desc.type.limits, 0xffffffff, TABLE_TOO_LARGE);
    if (im.desc.kind === 'memory') checkMemType(im.desc.type);
  }
  for (const t of c.tags) checkTagType(t);
  for (const g of m.globals) checkConstExpr(fields, g.init, g.type.type);
  for (const t of m.tables) checkLimits(t.type.limits, 0xffffffff, TABLE_TOO_LARGE);
  for (const mem of m.mems) checkMemType(mem.type);

  for (const e of m.elems) {
    for (const item of e.init) checkConstExpr(fields, item, e.type);
    if (e.mode.kind === 'active') {
      const table = tableAt(fields, e.mode.table);
      if (table.elem !== e.type) fail('type mismatch: element segment does not match its table');
      checkConstExpr(fields, e.mode.offset, I32);
    }
  }
  for (const d of m.datas) {
    if (d.mode.kind === 'active') {
      memAt(fields, d.mode.memory);
      checkConstExpr(fields, d.mode.offset, I32);
    }
  }

  const early = earlyBodyVerdict(m); // the bodies checked as they were decoded (early.ts)
  if (early === undefined) {
    const fv = new FunctionValidator(c);
    for (const f of m.funcs) fv.validate(f);
  } else if (early.error !== null) {
    throw early.error;
  }

  if (m.start !== null) {
    const t = funcAt(c, m.start);
    if (t.params.length !== 0 || t.results.length !== 0) {
      fail(`start function must have type [] -> [], not ${funcTypeToString(t)}`);
    }
  }

  checkExports(m, c);

  if (!features.multiMemory && c.mems.length > 1) fail('multiple memories');
}

function checkExports(m: Module, c: Context): void {
  const names = new Set<string>();
  for (const ex of m.exports) {
    switch (ex.kind) {
      case 'func': funcAt(c, ex.index); break;
      case 'table': tableAt(c, ex.index); break;
      case 'memory': memAt(c, ex.index); break;
      case 'global': globalAt(c, ex.index); break;
      case 'tag': tagAt(c, ex.index); break;
    }
    if (names.has(ex.name)) fail(`duplicate export name "${ex.name}"`);
    names.add(ex.name);
  }
}
