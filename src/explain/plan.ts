// The canonical ABI plan of a component's functions (`cmr explain`): for
// each exported function the `canon lift` behind it, for each `canon lower`
// the import it lowers, with the flattened core signature
// (flatten_functype), whether parameters or results go through memory, the
// layout of every parameter and result type, and the canonical options in
// force. Plain data: the text view (print.ts) and --json show the same.

import type { Canon, CanonOpt, Definition } from '../component/syntax/ast.js';
import type { ComponentType, ExternType, FuncType } from '../component/syntax/types.js';
import { funcToWit, TypeNames } from '../component/print-wit.js';
import {
  flattenFunctype, flattenTypes, MAX_FLAT_ASYNC_PARAMS, MAX_FLAT_PARAMS, MAX_FLAT_RESULTS, paramTypes, resultTypes,
  type FlatType,
} from '../component/canon/flatten.js';
import type { PtrType } from '../component/canon/layout.js';
import { describeCore, Env, liftOf, memberOf, reexported, resolve, type Ref } from './resolve.js';
import { typeLayout, type TypeLayout } from './layout-view.js';

/**
 * Addresses are 32-bit: cmr's validator types every canon with
 * ptrType i32 (memory64 canonical options are not implemented).
 */
const PTR: PtrType = 'i32';

export interface Options {
  stringEncoding: 'utf8' | 'utf16' | 'latin1+utf16';
  memory: string | null;
  realloc: string | null;
  postReturn: string | null;
  async: boolean;
  callback: string | null;
}

export interface FunctionPlan {
  /** The export's path (`iface#func`, as cmr run --invoke takes it) or the import's. */
  name: string;
  direction: 'export' | 'import';
  /** 'lift' for an export, 'lower' for an import; null when no canon of this component makes it. */
  canon: 'lift' | 'lower' | null;
  /** Why there is no plan (a re-exported import, say). */
  none?: string;
  /** The function type in WIT syntax. */
  signature: string;
  params: { name: string; layout: TypeLayout }[];
  result: TypeLayout | null;
  flat?: {
    /** flatten_type of the parameters and of the result, before the limits. */
    params: readonly FlatType[];
    results: readonly FlatType[];
    /** The core signature flatten_functype gives. */
    core: { params: readonly FlatType[]; results: readonly FlatType[] };
    paramsInMemory: boolean;
    resultsInMemory: boolean;
    /** When the parameters go through memory: the tuple they are stored as. */
    paramTuple?: { size: number; align: number };
  };
  options?: Options;
  /** The core function: the callee of a lift, or what a lower defines. */
  coreFunc?: string;
}

/** The plans of every exported function, then of every lowered import; `only`: just the export (else the lowered import) named so. */
export function explainComponent(ast: import('../component/syntax/ast.js').Component, type: ComponentType, only: string | null): FunctionPlan[] {
  const root = new Env(ast, null, null, '');
  const names = TypeNames.of(type);
  const plans: FunctionPlan[] = [];
  for (const [path, ft] of funcsOf(type.exports)) {
    const name = path.join('#');
    if (only !== null && name !== only) continue;
    plans.push(exportPlan(root, path, ft, names));
  }
  if (only !== null && plans.length > 0) return plans;
  const lowered = lowers(root).map(({ canon, env }) => lowerPlan(env, canon, type, names));
  if (only === null) return [...plans, ...lowered];
  // Not an export: the lowers of an import of that name (one per canon lower).
  const imports = lowered.filter((p) => p.name === only);
  if (imports.length > 0) return imports;
  const all = funcsOf(type.exports).map(([p]) => p.join('#'));
  throw new Error(`the component exports no function \`${only}\` and lowers no import of that name${all.length ? ` (exports: ${all.join(', ')})` : ' (it exports no functions)'}`);
}

/** Every function among `items`, inside instances too, with its path. */
function funcsOf(items: ReadonlyMap<string, ExternType>, prefix: string[] = []): [string[], FuncType][] {
  const out: [string[], FuncType][] = [];
  for (const [n, e] of items) {
    if (e.kind === 'func') out.push([[...prefix, n], e.type]);
    else if (e.kind === 'instance') out.push(...funcsOf(e.type.exports, [...prefix, n]));
  }
  return out;
}

function exportPlan(root: Env, path: string[], ft: FuncType, names: TypeNames): FunctionPlan {
  const plan = basePlan(path.join('#'), 'export', ft, names);
  const ref = exportRef(root, path);
  const lift = isRef(ref) ? liftOf(ref) : { none: reexported(ref.path) };
  if ('none' in lift) return { ...plan, canon: null, none: lift.none };
  return { ...plan, ...abiPlan(lift.env, lift.canon, ft, 'lift') };
}

function lowerPlan(env: Env, canon: Canon, type: ComponentType, names: TypeNames): FunctionPlan {
  const o = resolve({ env, space: 'func', index: canon.func! });
  const path = o.kind === 'import' ? o.path : null;
  const ft = path ? importedFunc(type, path) : null;
  const name = path ? path.join('#') : `func ${canon.func} of ${env.where || 'the component'}`;
  if (ft === null) {
    return { name, direction: 'import', canon: 'lower', none: 'it lowers a function this component defines itself (a lifted export of a nested component), not a host import', signature: '', params: [], result: null };
  }
  return { ...basePlan(name, 'import', ft, names), ...abiPlan(env, canon, ft, 'lower') };
}

function basePlan(name: string, direction: 'export' | 'import', ft: FuncType, names: TypeNames): FunctionPlan {
  return {
    name, direction, canon: direction === 'export' ? 'lift' : 'lower',
    signature: funcToWit(ft, names),
    params: ft.params.map((p) => ({ name: p.name, layout: typeLayout(p.type, PTR, names) })),
    result: ft.result === null ? null : typeLayout(ft.result, PTR, names),
  };
}

function abiPlan(env: Env, canon: Canon, ft: FuncType, context: 'lift' | 'lower'): Pick<FunctionPlan, 'flat' | 'options' | 'coreFunc'> {
  const options = optionsOf(env, canon.options ?? []);
  const core = flattenFunctype({ ptrType: PTR, async: options.async, callback: options.callback ?? undefined }, ft, context);
  const params = flattenTypes(paramTypes(ft), PTR);
  const results = flattenTypes(resultTypes(ft), PTR);
  // The limits flatten_functype applies (see its code in flatten.ts).
  const paramLimit = options.async && context === 'lower' ? MAX_FLAT_ASYNC_PARAMS : MAX_FLAT_PARAMS;
  const resultsInMemory = options.async ? context === 'lower' && results.length > 0 : results.length > MAX_FLAT_RESULTS;
  const paramsInMemory = params.length > paramLimit;
  // Spilled parameters are stored as one tuple of them (canon_lift/canon_lower's lower_values/lift_values).
  const tuple = paramsInMemory ? typeLayout({ kind: 'tuple', types: [...paramTypes(ft)] }, PTR, null) : null;
  return {
    flat: { params, results, core, paramsInMemory, resultsInMemory, ...(tuple ? { paramTuple: { size: tuple.size, align: tuple.align } } : {}) },
    options,
    coreFunc: context === 'lift' ? describeCore(env, 'core func', canon.coreFunc!) : `it makes a core function of ${env.where || 'the component'}`,
  };
}

function optionsOf(env: Env, opts: CanonOpt[]): Options {
  const o: Options = { stringEncoding: 'utf8', memory: null, realloc: null, postReturn: null, async: false, callback: null };
  for (const x of opts) {
    switch (x.kind) {
      case 'string-encoding': o.stringEncoding = x.encoding; break;
      case 'memory': o.memory = describeCore(env, 'core memory', x.index); break;
      case 'realloc': o.realloc = describeCore(env, 'core func', x.index); break;
      case 'post-return': o.postReturn = describeCore(env, 'core func', x.index); break;
      case 'async': o.async = true; break;
      case 'callback': o.callback = describeCore(env, 'core func', x.index); break;
      default: break;
    }
  }
  return o;
}

/** The ref of an export path: a top-level export, then exports of the instances it names (or the path into a root import it re-exports). */
function exportRef(root: Env, path: string[]): Ref | { path: string[] } {
  const top = root.component.definitions.filter((d): d is Extract<Definition, { kind: 'export' }> => d.kind === 'export');
  const e = top.find((d) => d.export.name.name === path[0]);
  if (!e) throw new Error(`no export ${JSON.stringify(path[0])}`);
  let ref: Ref | { path: string[] } = { env: root, space: e.export.sort === 'func' ? 'func' : 'instance', index: e.export.index };
  for (const part of path.slice(1)) {
    ref = isRef(ref) ? memberOf(ref, part) : { path: [...ref.path, part] };
  }
  return ref;
}

function isRef(x: Ref | { path: string[] }): x is Ref {
  return 'env' in x;
}

/** Every `canon lower` of the root component (nested components' lowers are not listed). */
function lowers(root: Env): { canon: Canon; env: Env }[] {
  const out: { canon: Canon; env: Env }[] = [];
  for (const d of root.component.definitions) {
    if (d.kind === 'canon' && d.canon.kind === 'lower') out.push({ canon: d.canon, env: root });
  }
  return out;
}

/** The type of the imported function at `path` (an import name, then instance export names). */
function importedFunc(type: ComponentType, path: string[]): FuncType | null {
  let e: ExternType | undefined = type.imports.get(path[0]!);
  for (const part of path.slice(1)) e = e?.kind === 'instance' ? e.type.exports.get(part) : undefined;
  return e?.kind === 'func' ? e.type : null;
}
