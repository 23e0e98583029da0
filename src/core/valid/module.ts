// Validation of a whole module (spec §3.4 "Modules"), in the order of the
// reference interpreter, so that a module with several faults reports the
// one the suite expects.

import type { Module } from '../syntax/ast.js';
import type { FuncType, Limits, MemType, TableType } from '../syntax/types.js';
import { funcTypeToString } from '../syntax/types.js';
import { isDefaultable, matchesValType } from '../syntax/reftypes.js';
import { addrTypeOf, memoryPagesBound, tableSizeBound } from '../syntax/addr-type.js';
import {
  type Context, checkValType, fail, fieldContext, funcAt, globalAt, memAt, moduleContext, tableAt, tagAt,
} from './context.js';
import { checkConstExpr } from './const-expr.js';
import { checkDefTypes } from './def-types.js';
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

/** A memory type: its limits (bounded by its address type), and a shared memory's maximum (threads). */
function checkMemType(t: MemType): void {
  const bound = memoryPagesBound(addrTypeOf(t));
  checkLimits(t.limits, bound.max, bound.message);
  if (t.shared && t.limits.max === null) fail('shared memory must have maximum');
}

/** A table type's limits, bounded by its address type. */
function checkTableType(t: TableType): void {
  const bound = tableSizeBound(addrTypeOf(t));
  checkLimits(t.limits, bound.max, bound.message);
}

/** A tag's type has no results (exception handling). */
function checkTagType(t: FuncType): void {
  if (t.results.length !== 0) fail('non-empty tag result type');
}

/**
 * Validates a module, accepting what `features` switches on beyond
 * WebAssembly 2.0 (by default nothing: 2.0 exactly).
 */
export function validateModule(m: Module, features: CoreFeatures = WASM_2_0): void {
  // Builds C' and resolves the types of all functions ("unknown type").
  const fields = fieldContext(m);
  const c = moduleContext(m, fields);
  // Constant expressions see the imported globals (2.0), or (3.0, extended
  // constants) the globals defined before them too: a global's initialiser
  // those before it, segments all of them.
  const consts = features.extendedConst ? c : fields;
  const globalsBefore = (k: number): Context => features.extendedConst
    ? { ...fields, globals: c.globals.slice(0, fields.globals.length + k) }
    : fields;

  checkDefTypes(c, m.types);
  for (const im of m.imports) {
    if (im.desc.kind === 'table') {
      checkValType(c, im.desc.type.elem);
      checkTableType(im.desc.type);
    }
    if (im.desc.kind === 'memory') checkMemType(im.desc.type);
    if (im.desc.kind === 'global') checkValType(c, im.desc.type.type);
  }
  for (const t of c.tags) checkTagType(t);
  m.globals.forEach((g, k) => {
    checkValType(c, g.type.type);
    checkConstExpr(globalsBefore(k), g.init, g.type.type, features);
  });
  for (const t of m.tables) {
    checkValType(c, t.type.elem);
    checkTableType(t.type);
    // The table section precedes the globals': an initialiser sees the imported globals only.
    if (t.init !== null) checkConstExpr(fields, t.init, t.type.elem, features);
    else if (!isDefaultable(t.type.elem)) fail('type mismatch: a table of non-nullable references needs an initialiser');
  }
  for (const mem of m.mems) checkMemType(mem.type);

  for (const e of m.elems) {
    checkValType(c, e.type);
    for (const item of e.init) checkConstExpr(consts, item, e.type, features);
    if (e.mode.kind === 'active') {
      const table = tableAt(fields, e.mode.table);
      if (!matchesValType(e.type, table.elem, c.types)) fail('type mismatch: element segment does not match its table');
      checkConstExpr(consts, e.mode.offset, addrTypeOf(table), features);
    }
  }
  for (const d of m.datas) {
    if (d.mode.kind === 'active') {
      checkConstExpr(consts, d.mode.offset, addrTypeOf(memAt(fields, d.mode.memory)), features);
    }
  }

  const early = earlyBodyVerdict(m, features); // the bodies checked as they were decoded (early.ts)
  if (early === undefined) {
    const fv = new FunctionValidator(c, features);
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
