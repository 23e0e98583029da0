// A core module's type as a component sees it: its imports and exports with
// their core extern types, read off the core decoder's AST. Also the
// validation of the module itself, by the core validator.

import type { Module } from '../../core/syntax/ast.js';
import type { MemType, TableType } from '../../core/syntax/types.js';
import { is64 } from '../../core/syntax/addr-type.js';
import { recordTypeSpace, registerModuleTypes } from '../../core/syntax/reftypes.js';
import type { CoreMemType, CoreTableType } from '../syntax/ast.js';
import type { CoreExternType, ModuleType } from '../syntax/types.js';

function memType(t: MemType): CoreMemType {
  const l = t.limits;
  return { min: BigInt(l.min), max: l.max === null ? null : BigInt(l.max), shared: t.shared === true, memory64: is64(t), pageSizeLog2: null };
}

export function moduleType(m: Module): ModuleType {
  // Function types compare by canonical id; table types by their module's types.
  registerModuleTypes(m);
  const tableType = (t: TableType): CoreTableType => {
    const tt: CoreTableType = { elem: t.elem, min: BigInt(t.limits.min), max: t.limits.max === null ? null : BigInt(t.limits.max), table64: is64(t) };
    recordTypeSpace(tt, m.types);
    return tt;
  };
  const funcs: CoreExternType[] = [];
  const tables: CoreExternType[] = [];
  const mems: CoreExternType[] = [];
  const globals: CoreExternType[] = [];
  const tags: CoreExternType[] = [];
  const imports: ModuleType['imports'] = [];
  const funcType = (i: number) => m.types[i] ?? { params: [], results: [] };
  for (const imp of m.imports) {
    let t: CoreExternType;
    switch (imp.desc.kind) {
      case 'func': t = { kind: 'func', type: funcType(imp.desc.typeIdx) }; funcs.push(t); break;
      case 'table': t = { kind: 'table', type: tableType(imp.desc.type) }; tables.push(t); break;
      case 'memory': t = { kind: 'memory', type: memType(imp.desc.type) }; mems.push(t); break;
      case 'global': t = { kind: 'global', type: imp.desc.type }; globals.push(t); break;
      case 'tag': t = { kind: 'tag', type: funcType(imp.desc.typeIdx) }; tags.push(t); break;
    }
    imports.push({ module: imp.module, name: imp.name, type: t });
  }
  // Defined functions are typed only where exported (a 12 MB module has
  // 12 669 of them and exports 11): `funcs` holds the imported ones.
  const nimported = funcs.length;
  for (const t of m.tables) tables.push({ kind: 'table', type: tableType(t.type) });
  for (const mem of m.mems) mems.push({ kind: 'memory', type: memType(mem.type) });
  for (const g of m.globals) globals.push({ kind: 'global', type: g.type });
  for (const tg of m.tags) tags.push({ kind: 'tag', type: funcType(tg.typeIdx) });
  const exports = new Map<string, CoreExternType>();
  for (const e of m.exports) {
    if (e.kind === 'func' && e.index >= nimported) {
      const f = m.funcs[e.index - nimported];
      if (f !== undefined) exports.set(e.name, { kind: 'func', type: funcType(f.typeIdx) });
      continue;
    }
    const space = e.kind === 'func' ? funcs : e.kind === 'table' ? tables : e.kind === 'memory' ? mems : e.kind === 'tag' ? tags : globals;
    const t = space[e.index];
    if (t !== undefined) exports.set(e.name, t);
  }
  return { kind: 'module', imports, exports };
}
