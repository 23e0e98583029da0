// The external types of a module's imports and exports (spec §4.5.3
// "Import and export types"), as linking and the component validator need
// them. The module is expected to be valid; an index out of range is
// reported as validation would report it.

import type { Module } from '../syntax/ast.js';
import type { ExternType } from '../syntax/types.js';
import { fieldContext, funcAt, globalAt, memAt, moduleContext, tableAt, tagAt, funcTypeAt } from './context.js';

export interface ModuleExternTypes {
  imports: { module: string; name: string; type: ExternType }[];
  exports: { name: string; type: ExternType }[];
}

export function moduleExternTypes(m: Module): ModuleExternTypes {
  const c = moduleContext(m, fieldContext(m));
  const imports = m.imports.map(im => {
    let type: ExternType;
    switch (im.desc.kind) {
      case 'func': type = { kind: 'func', type: funcTypeAt(c, im.desc.typeIdx) }; break;
      case 'table': type = { kind: 'table', type: im.desc.type }; break;
      case 'memory': type = { kind: 'memory', type: im.desc.type }; break;
      case 'global': type = { kind: 'global', type: im.desc.type }; break;
      case 'tag': type = { kind: 'tag', type: { type: funcTypeAt(c, im.desc.typeIdx) } }; break;
    }
    return { module: im.module, name: im.name, type };
  });
  const exports = m.exports.map(ex => {
    let type: ExternType;
    switch (ex.kind) {
      case 'func': type = { kind: 'func', type: funcAt(c, ex.index) }; break;
      case 'table': type = { kind: 'table', type: tableAt(c, ex.index) }; break;
      case 'memory': type = { kind: 'memory', type: memAt(c, ex.index) }; break;
      case 'global': type = { kind: 'global', type: globalAt(c, ex.index) }; break;
      case 'tag': type = { kind: 'tag', type: { type: tagAt(c, ex.index) } }; break;
    }
    return { name: ex.name, type };
  });
  return { imports, exports };
}
