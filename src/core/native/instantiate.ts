// Instantiation on the host engine: imports in, exports out.
//
// cmr's extern values become what the JS API expects (wasm functions,
// WebAssembly.Table/Memory/Global objects), and the instance's exports
// become cmr's runtime classes again, keeping identity: an extern that
// crosses into the host engine and back is the very object it was.

import type { Module } from '../syntax/ast.js';
import { registerModuleTypes } from '../syntax/reftypes.js';
import type { ExternVal, ModuleInstance } from '../runtime/instance.js';
import { MemoryInst } from '../runtime/memory.js';
import { activeLimiter, checkInstantiation } from '../runtime/limits.js';
import type { FuncType, MemType } from '../syntax/types.js';
import { funcInstOf, knownFuncType, registerFunc, wasmFunctionOf } from './funcs.js';
import { globalInstFor, nativeGlobalOf } from './globals.js';
import { compileFor } from './compile.js';
import { nativeTableOf, tableInstFor } from './tables.js';
import type { WasmFunction } from './trampolines.js';
import { hostError, recordInstance } from './traps.js';
import { nativeTagOf, tagInstFor } from './tags.js';
import { hostHasJspi, withAsyncMode } from './jspi.js';

/** The MemoryInst each WebAssembly.Memory stands for, so a memory keeps its identity across engines. */
const memoryInstOf = new WeakMap<WebAssembly.Memory, MemoryInst>();

/** The JS import object for `imports` (cmr's extern values, in `m`'s import order). */
export function importObject(m: Module, imports: readonly ExternVal[]): WebAssembly.Imports {
  // Null-prototype objects, so that any name (even "__proto__") is an own property.
  const object: WebAssembly.Imports = Object.create(null);
  m.imports.forEach((imp, i) => {
    const v = imports[i]!;
    const ns = (object[imp.module] ??= Object.create(null) as Record<string, unknown>);
    switch (v.kind) {
      case 'func': ns[imp.name] = wasmFunctionOf(v.value); break;
      case 'table': ns[imp.name] = nativeTableOf(v.value); break;
      case 'global': ns[imp.name] = nativeGlobalOf(v.value); break;
      case 'memory':
        if (!memoryInstOf.has(v.value.memory)) memoryInstOf.set(v.value.memory, v.value);
        ns[imp.name] = v.value.memory;
        break;
      case 'tag': ns[imp.name] = nativeTagOf(v.value); break;
    }
  });
  return object;
}

/** The types of `m`'s function, table, memory and global index spaces, imports first. */
function indexSpaces(m: Module) {
  const funcs: FuncType[] = [];
  const tables = [];
  const mems: MemType[] = [];
  const globals = [];
  const tags: FuncType[] = [];
  for (const imp of m.imports) {
    const d = imp.desc;
    if (d.kind === 'func') funcs.push(m.types[d.typeIdx]!);
    else if (d.kind === 'table') tables.push(d.type);
    else if (d.kind === 'memory') mems.push(d.type);
    else if (d.kind === 'global') globals.push(d.type);
    else if (d.kind === 'tag') tags.push(m.types[d.typeIdx]!);
  }
  for (const f of m.funcs) funcs.push(m.types[f.typeIdx]!);
  for (const t of m.tables) tables.push(t.type);
  for (const mem of m.mems) mems.push(mem.type);
  for (const g of m.globals) globals.push(g.type);
  for (const t of m.tags) tags.push(m.types[t.typeIdx]!);
  return { funcs, tables, mems, globals, tags };
}

/** The instance's tables by index, from its own exports and the revealed ones. */
function tablesByIndex(m: Module, raw: Record<string, unknown>, revealed: ReadonlyMap<string, number>): WebAssembly.Table[] {
  const tables: WebAssembly.Table[] = [];
  for (const e of m.exports) if (e.kind === 'table') tables[e.index] = raw[e.name] as WebAssembly.Table;
  for (const [name, index] of revealed) tables[index] = raw[name] as WebAssembly.Table;
  return tables;
}

export async function instantiateNative(m: Module, bytes: Uint8Array, imports: readonly ExternVal[]): Promise<ModuleInstance> {
  checkInstantiation(m); // the store's resource limits, before V8 allocates anything
  registerModuleTypes(m); // type identity across modules (linking)
  const object = importObject(m, imports);
  // The module compiled at load, unless the store's limiter caps a memory
  // or table (V8 grows them without asking it: grow-caps.ts).
  const revealed = compileFor(m, bytes, activeLimiter());
  let instance: WebAssembly.Instance;
  try {
    const compiled = await revealed.module;
    // The start function is an entry into native code that may not suspend
    // (jspi.ts): on a host with JSPI it runs now, with asyncMode 0, not in a later task.
    instance = hostHasJspi()
      ? withAsyncMode(false, () => new WebAssembly.Instance(compiled, object))
      : (await WebAssembly.instantiate(compiled, object)) as unknown as WebAssembly.Instance;
  } catch (e) {
    throw hostError(e);
  }
  const spaces = indexSpaces(m);
  const raw = instance.exports;
  recordInstance(instance, {
    bytes,
    shift: revealed.shift,
    types: m.types,
    tables: tablesByIndex(m, raw, revealed.tables),
    typeOfFunction: (fn) => knownFuncType(fn as WasmFunction),
  });

  // Imported functions re-exported come back as the same wasm function; tie
  // it to the FuncInst it came from (a no-op for trampolines, already tied).
  m.imports.forEach((imp, i) => {
    const v = imports[i]!;
    if (v.kind === 'func') registerFunc(wasmFunctionOf(v.value), v.value);
  });
  for (const [name, index] of revealed.funcs) funcInstOf(raw[name] as WasmFunction, spaces.funcs[index]!);
  // Every tag is known, so that an exception of it leaving the host engine can be told by its tag.
  for (const [name, index] of revealed.tags) tagInstFor(raw[name] as WebAssembly.Tag, spaces.tags[index]!);

  const exports = new Map<string, ExternVal>();
  for (const e of m.exports) {
    const value = raw[e.name];
    switch (e.kind) {
      case 'func':
        exports.set(e.name, { kind: 'func', value: funcInstOf(value as WasmFunction, spaces.funcs[e.index]!) });
        break;
      case 'table':
        exports.set(e.name, { kind: 'table', value: tableInstFor(value as WebAssembly.Table, spaces.tables[e.index]!) });
        break;
      case 'global':
        exports.set(e.name, { kind: 'global', value: globalInstFor(value as WebAssembly.Global, spaces.globals[e.index]!) });
        break;
      case 'memory': {
        const memory = value as WebAssembly.Memory;
        let mem = memoryInstOf.get(memory);
        if (mem === undefined) {
          mem = new MemoryInst(spaces.mems[e.index]!, memory);
          memoryInstOf.set(memory, mem);
        }
        exports.set(e.name, { kind: 'memory', value: mem });
        break;
      }
      case 'tag':
        exports.set(e.name, { kind: 'tag', value: tagInstFor(value as WebAssembly.Tag, spaces.tags[e.index]!) });
        break;
    }
  }
  return { exports };
}
