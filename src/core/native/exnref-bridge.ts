// Calls of native functions whose type has exnref (or nullexnref)
// parameters or results. The JS API passes no exnref value (V8 throws a
// TypeError at the boundary), but inside wasm an exnref can be held in a
// global, and it crosses to JS the way an exception does: throw_ref of it
// reaches JS as the WebAssembly.Exception it is, and a WebAssembly.Exception
// thrown by JS is an exnref to catch_all_ref. A bridge module per function
// type stands between JS and the function:
//
// - `f` has the function's type with each exnref position as an i32 (0,
//   unused): it takes exnref arguments from globals set just before the
//   call, and leaves exnref results in globals, read just after it;
// - `put<k>(isNull)` sets argument k's global: null, or the exception the
//   `t.throw` import throws, caught by catch_all_ref;
// - `get<k>()` gives result k: 1 when it is null, else throws it.
//
// Nothing is made up on the way: the values are the function's own. Types
// the encoder cannot write (concrete or non-nullable references) are not
// bridged, and such a call stays refused (NotCallableFromJs).

import { EXNREF, I32, funcTypeToString, type FuncType, type ValType } from '../syntax/types.js';
import { HT } from '../syntax/reftypes.js';
import type { Exn } from '../runtime/tag.js';
import { encodeModule, ByteWriter, type FuncDef, type GlobalDef } from './encode.js';
import { exnFromException, throwIntoHost } from './tags.js';
import type { WasmFunction } from './trampolines.js';
import { isExnRef } from './funcs.js';

const NULLEXNREF = HT.noexn;

const Code = {
  unreachable: 0x00, block: 0x02, if_: 0x04, end: 0x0b, return_: 0x0f, call: 0x10, tryTable: 0x1f, throwRef: 0x0a,
  localGet: 0x20, localSet: 0x21, globalGet: 0x23, globalSet: 0x24, i32Const: 0x41,
  refNull: 0xd0, refIsNull: 0xd1, void: 0x40, catchAllRef: 0x03,
} as const;

/** Whether the bridge can carry a function of this type: its exn positions nullable abstract ones, every type one byte. */
export function bridgeable(type: FuncType): boolean {
  return [...type.params, ...type.results].every((t) => t < 0x100 && (!isExnRef(t) || t === EXNREF || t === NULLEXNREF));
}

/** The bridge's own type: each exnref position an i32. */
export function bridgedType(type: FuncType): FuncType {
  const own = (t: ValType): ValType => (isExnRef(t) ? I32 : t);
  return { params: type.params.map(own), results: type.results.map(own) };
}

function u32(op: number, n: number): number[] {
  return [op, ...new ByteWriter().u32(n).bytes];
}

/** The bridge module of `type` (see the top of this file). */
function bridgeModule(type: FuncType): WebAssembly.Module {
  const globals: GlobalDef[] = [];
  const globalOf = (t: ValType): number => globals.push({ type: t, mutable: true, init: [Code.refNull, t] }) - 1;
  const paramGlobal = type.params.map((t) => (isExnRef(t) ? globalOf(t) : -1));
  const resultGlobal = type.results.map((t) => (isExnRef(t) ? globalOf(t) : -1));
  const own = bridgedType(type);

  // f: arguments (exnref ones from their globals), the call, results (exnref ones into their globals).
  const body: number[] = [];
  type.params.forEach((_, i) => body.push(...(paramGlobal[i]! >= 0 ? u32(Code.globalGet, paramGlobal[i]!) : u32(Code.localGet, i))));
  body.push(Code.call, 0);
  const first = own.params.length;
  for (let j = type.results.length - 1; j >= 0; j--) body.push(...u32(Code.localSet, first + j));
  type.results.forEach((_, j) => {
    body.push(...u32(Code.localGet, first + j));
    if (resultGlobal[j]! >= 0) body.push(...u32(Code.globalSet, resultGlobal[j]!), Code.i32Const, 0);
  });
  const funcs: FuncDef[] = [{ typeIdx: 2, locals: [...type.results], body }];
  const exports: { name: string; kind: 'func'; index: number }[] = [{ name: 'f', kind: 'func', index: 2 }];

  paramGlobal.forEach((g, i) => {
    if (g < 0) return;
    const set = u32(Code.globalSet, g);
    // A nullexnref argument can only be null; catch_all_ref's exnref would not fit its global.
    const caught = type.params[i] === NULLEXNREF ? [] : [
      Code.block, EXNREF, Code.tryTable, Code.void, 1, Code.catchAllRef, 0, Code.call, 1, Code.end, Code.unreachable, Code.end, ...set,
    ];
    exports.push({ name: `put${i}`, kind: 'func', index: 2 + funcs.length });
    funcs.push({ typeIdx: 3, locals: [], body: [...u32(Code.localGet, 0), Code.if_, Code.void, Code.refNull, type.params[i]!, ...set, Code.return_, Code.end, ...caught] });
  });
  resultGlobal.forEach((g, j) => {
    if (g < 0) return;
    const get = u32(Code.globalGet, g);
    exports.push({ name: `get${j}`, kind: 'func', index: 2 + funcs.length });
    funcs.push({ typeIdx: 4, locals: [], body: [...get, Code.refIsNull, Code.if_, Code.void, Code.i32Const, 1, Code.return_, Code.end, ...get, Code.throwRef] });
  });

  return new WebAssembly.Module(encodeModule({
    types: [type, { params: [], results: [] }, own, { params: [I32], results: [] }, { params: [], results: [I32] }],
    funcImports: [{ module: 't', name: 'f', typeIdx: 0 }, { module: 't', name: 'throw', typeIdx: 1 }],
    funcs,
    globals,
    exports,
  }));
}

const modules = new Map<string, WebAssembly.Module>();

/** A native function of an exnref-crossing type, callable from JS through its bridge. */
export class ExnrefBridge {
  /** What JS calls: `type` with each exnref position an i32. */
  readonly call: WasmFunction;
  private readonly exports: Record<string, unknown>;
  /** The exception `put` is passing in, thrown by the `t.throw` import. */
  private pending: Exn | null = null;

  constructor(fn: WasmFunction, readonly type: FuncType) {
    const key = funcTypeToString(type);
    let module = modules.get(key);
    if (module === undefined) {
      module = bridgeModule(type);
      modules.set(key, module);
    }
    const instance = new WebAssembly.Instance(module, { t: { f: fn, throw: () => throwIntoHost(this.pending!) } });
    this.exports = instance.exports;
    this.call = instance.exports['f'] as WasmFunction;
  }

  /** Sets the exnref arguments of the next call (the others are passed to `call`). */
  putArgs(args: readonly unknown[]): void {
    this.type.params.forEach((t, i) => {
      if (!isExnRef(t)) return;
      this.pending = args[i] as Exn | null;
      try {
        (this.exports[`put${i}`] as WasmFunction)(this.pending === null ? 1 : 0);
      } finally {
        this.pending = null;
      }
    });
  }

  /** The call's results, its exnref ones read from the bridge (`results`: the call's, exnref positions 0). */
  takeResults(results: unknown[]): unknown[] {
    return results.map((v, j) => {
      if (!isExnRef(this.type.results[j]!)) return v;
      try {
        (this.exports[`get${j}`] as WasmFunction)();
        return null;
      } catch (e) {
        if (e instanceof WebAssembly.Exception) return exnFromException(e);
        throw e;
      }
    });
  }
}
