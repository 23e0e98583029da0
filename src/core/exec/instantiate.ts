// Module instantiation (spec §4.5.4, WebAssembly 2.0 order): allocate the
// instance from the imports and the module's definitions, evaluate global
// initialisers and element items, then run active element segments
// (table.init + elem.drop) and active data segments (memory.init +
// data.drop) in order, drop declarative element segments, and call the
// start function. A trap in a segment leaves the writes of the segments
// before it in place, as the spec (and linking.wast) require.

import type { Expr, Module } from '../syntax/ast.js';
import { Op } from '../syntax/opcodes.js';
import { Trap, TrapMessage } from '../errors.js';
import { registerModuleTypes } from '../syntax/reftypes.js';
import { GlobalInst } from '../runtime/global.js';
import type { ExternVal } from '../runtime/instance.js';
import { MemoryInst } from '../runtime/memory.js';
import { TableInst } from '../runtime/table.js';
import { checkInstantiation } from '../runtime/limits.js';
import { TagInst } from '../runtime/tag.js';
import type { Ref } from '../runtime/values.js';
import { evalConst } from './const-expr.js';
import { addrFromValue } from '../syntax/addr-type.js';
import { invoke } from './invoke.js';
import { ModuleInst } from './module-inst.js';
import { DROPPED_DATA, initMemory } from './memory-ops.js';
import { prepareModule } from './prepare.js';
import { DROPPED_ELEM, initTable } from './table-ops.js';
import { trustedDataSegments } from '../binary/decode.js';

/** `debug`: run the module's code prepared for debugging (one node per instruction, step hooks: debug-step.ts); `onCreate` sees the instance before any of its code runs. */
export function instantiateModule(m: Module, imports: readonly ExternVal[], debug = false, onCreate?: (inst: ModuleInst) => void): ModuleInst {
  checkInstantiation(m); // the store's resource limits, before anything is allocated
  registerModuleTypes(m); // type identity across modules (call_indirect, linking)
  const inst = new ModuleInst(m.types, prepareModule(m, debug), m.names);
  onCreate?.(inst);

  if (imports.length !== m.imports.length) {
    throw new Error(`expected ${m.imports.length} imports, got ${imports.length}`);
  }
  for (const ext of imports) {
    switch (ext.kind) {
      case 'func': inst.funcs.push(ext.value); break;
      case 'table': inst.tables.push(ext.value); break;
      case 'memory': inst.mems.push(ext.value); break;
      case 'global': inst.globals.push(ext.value); break;
      case 'tag': inst.tags.push(ext.value); break;
    }
  }
  for (const tag of m.tags) inst.tags.push(new TagInst(m.types[tag.typeIdx]!));
  // Defined functions are made on their first reference (ModuleInst.funcAt).
  for (let i = 0; i < m.funcs.length; i++) inst.funcs.push(null);
  for (const mem of m.mems) inst.mems.push(MemoryInst.create(mem.type));
  inst.mem0 = inst.mems[0] ?? null;
  for (const g of m.globals) inst.globals.push(new GlobalInst(g.type, evalConst(g.init, inst)));
  // A table's initialiser (3.0) reads imported globals only; tables come after the globals all the same.
  for (const t of m.tables) inst.tables.push(TableInst.create(t.type, t.init === null ? null : evalConst(t.init, inst) as Ref));
  // A segment of function indices that instantiation drops (active or
  // declarative) is never evaluated: an active one's functions are stored
  // into its table by index below (made when first read), and making a
  // declarative one's would show nothing.
  for (const e of m.elems) inst.elems.push(e.mode.kind !== 'passive' && funcIndicesOnly(e.init) ? DROPPED_ELEM : e.init.map((item) => evalConst(item, inst) as Ref));
  // A trusted module's segments come from its section without a `Data` per
  // segment (10 000 in a 12 MB module); an active one is dropped at once,
  // as nothing can read it before the module's own instantiation writes it.
  const raw = trustedDataSegments(m);
  if (raw !== null) {
    for (let i = 0; i < raw.active.length; i++) {
      inst.datas.push(raw.active[i]! < 0 ? raw.bytes.subarray(raw.starts[i]!, raw.starts[i]! + raw.lengths[i]!) : DROPPED_DATA);
    }
  } else for (const d of m.datas) inst.datas.push(d.init);

  for (const ex of m.exports) {
    switch (ex.kind) {
      case 'func': inst.exports.set(ex.name, { kind: 'func', value: inst.funcAt(ex.index) }); break;
      case 'table': inst.exports.set(ex.name, { kind: 'table', value: inst.tables[ex.index]! }); break;
      case 'memory': inst.exports.set(ex.name, { kind: 'memory', value: inst.mems[ex.index]! }); break;
      case 'global': inst.exports.set(ex.name, { kind: 'global', value: inst.globals[ex.index]! }); break;
      case 'tag': inst.exports.set(ex.name, { kind: 'tag', value: inst.tags[ex.index]! }); break;
    }
  }

  m.elems.forEach((e, i) => {
    const mode = e.mode;
    if (mode.kind === 'active') {
      const tab = inst.tables[mode.table]!, offset = addrFromValue(evalConst(mode.offset, inst));
      const items = inst.elems[i]!;
      if (items === DROPPED_ELEM) initTableByIndex(inst, tab, e.init, offset);
      else initTable(tab, items, offset, 0, items.length);
    }
    if (mode.kind !== 'passive') inst.elems[i] = DROPPED_ELEM;
  });
  if (raw !== null) {
    for (let i = 0; i < raw.active.length; i++) {
      const memory = raw.active[i]!;
      if (memory >= 0) initMemory(inst.mems[memory]!, raw.bytes, addrFromValue(raw.offsets[i]!), raw.starts[i]!, raw.lengths[i]!);
    }
  } else {
    m.datas.forEach((d, i) => {
      const mode = d.mode;
      if (mode.kind === 'active') {
        const offset = addrFromValue(evalConst(mode.offset, inst));
        initMemory(inst.mems[mode.memory]!, inst.datas[i]!, offset, 0, inst.datas[i]!.length);
        inst.datas[i] = DROPPED_DATA;
      }
    });
  }

  if (m.start !== null) invoke(inst.funcAt(m.start), []);
  return inst;
}

/** Whether every item is a plain `ref.func x` (the binary's function-index form, or expressions of that form). */
function funcIndicesOnly(items: readonly Expr[]): boolean {
  return items.every((item) => item.length === 1 && item[0]!.op === Op.ref_func);
}

/**
 * table.init of an active segment of function indices at `d`, as
 * initTable's: nothing written when out of bounds; the functions stored by
 * index (TableInst.setFuncs), each made when its entry is first read.
 */
function initTableByIndex(inst: ModuleInst, tab: TableInst, items: readonly Expr[], d: number): void {
  if (d + items.length > tab.size()) throw new Trap(TrapMessage.outOfBoundsTable);
  const xs = new Int32Array(items.length);
  for (let k = 0; k < items.length; k++) xs[k] = items[k]![0]!.a;
  tab.setFuncs(d, inst, xs);
}
