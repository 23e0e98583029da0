// The abstract syntax of a component (Binary.md / Explainer.md), as the
// decoder produces it and the validator consumes it. It mirrors the binary
// format closely: every section item becomes one `Definition`, in order
// (Binary.md's `flatten`), and every reference is still an index. Meaning —
// what an index denotes, resources, subtyping — is the validator's business
// (see ./types.ts for the types it computes).

import type { DefType, GlobalType, RefType, ValType as CoreValType } from '../../core/syntax/types.js';
import type { Module } from '../../core/syntax/ast.js';

/** `core:sort` (Binary.md "Instance Definitions"). */
export type CoreSort = 'func' | 'table' | 'memory' | 'global' | 'tag' | 'type' | 'module' | 'instance';

/** `sort`: a core sort, or one of the component sorts. */
export type Sort =
  | { core: CoreSort }
  | 'func' | 'value' | 'type' | 'component' | 'instance';

export function sortName(s: Sort): string {
  return typeof s === 'string' ? s : `core ${s.core}`;
}

/** `primvaltype`. */
export type PrimValType =
  | 'bool' | 's8' | 'u8' | 's16' | 'u16' | 's32' | 'u32' | 's64' | 'u64'
  | 'f32' | 'f64' | 'char' | 'string' | 'error-context';

/** `valtype`: a primitive, or a type index that must denote a `defvaltype`. */
export type ValTypeRef = PrimValType | number;

export interface LabelValType { name: string; type: ValTypeRef }
export interface CaseDef { name: string; type: ValTypeRef | null }

/** `defvaltype`. */
export type DefValTypeDef =
  | { kind: 'prim'; type: PrimValType }
  | { kind: 'record'; fields: LabelValType[] }
  | { kind: 'variant'; cases: CaseDef[] }
  | { kind: 'list'; elem: ValTypeRef; length: number | null }
  | { kind: 'tuple'; types: ValTypeRef[] }
  | { kind: 'flags'; names: string[] }
  | { kind: 'enum'; names: string[] }
  | { kind: 'option'; type: ValTypeRef }
  | { kind: 'result'; ok: ValTypeRef | null; err: ValTypeRef | null }
  | { kind: 'own'; typeIdx: number }
  | { kind: 'borrow'; typeIdx: number }
  | { kind: 'stream'; elem: ValTypeRef | null }
  | { kind: 'future'; elem: ValTypeRef | null }
  | { kind: 'map'; key: ValTypeRef; value: ValTypeRef };

export interface FuncTypeDef {
  kind: 'func';
  async: boolean;
  params: LabelValType[];
  result: ValTypeRef | null;
}

export interface ResourceTypeDef {
  kind: 'resource';
  /** The core value type of the representation (only i32 is valid today). */
  rep: CoreValType;
  dtor: number | null;
}

export interface ComponentTypeDef { kind: 'component'; decls: Decl[] }
export interface InstanceTypeDef { kind: 'instance'; decls: Decl[] }

/** `deftype`. */
export type TypeDef = DefValTypeDef | FuncTypeDef | ComponentTypeDef | InstanceTypeDef | ResourceTypeDef;

/**
 * `componentdecl` / `instancedecl`: an instance type's declarators are the
 * component type's minus imports; the decoder rejects an import where only
 * instance declarators are allowed.
 */
export type Decl =
  | { kind: 'coreType'; type: CoreTypeDef; offset: number }
  | { kind: 'type'; type: TypeDef; offset: number }
  | { kind: 'alias'; alias: Alias; offset: number }
  | { kind: 'import'; name: ExternName; desc: ExternDesc; offset: number }
  | { kind: 'export'; name: ExternName; desc: ExternDesc; offset: number };

/** `typebound`. */
export type TypeBound = { kind: 'eq'; typeIdx: number } | { kind: 'subResource' };

/** `externtype`. */
export type ExternDesc =
  | { kind: 'module'; typeIdx: number }
  | { kind: 'func'; typeIdx: number }
  | { kind: 'value'; bound: { kind: 'eq'; valueIdx: number } | { kind: 'type'; type: ValTypeRef } }
  | { kind: 'type'; bound: TypeBound }
  | { kind: 'component'; typeIdx: number }
  | { kind: 'instance'; typeIdx: number };

/** `nameattributes`: the extern name plus its optional attributes. */
export interface ExternName {
  name: string;
  implements: string | null;
  versionSuffix: string | null;
  externalId: string | null;
  /**
   * The first attribute given more than once (`implements`, `versionsuffix`
   * or `external-id`); the first occurrence is the one kept. Validation
   * rejects it (Binary.md: each kind at most once).
   */
  duplicateAttribute?: string;
}

// ---- core types inside components --------------------------------------

export interface CoreFuncType { params: CoreValType[]; results: CoreValType[] }

/** Core memory type, with the flags a component-level check can mention. */
export interface CoreMemType { min: bigint; max: bigint | null; shared: boolean; memory64: boolean; pageSizeLog2: number | null }
export interface CoreTableType { elem: RefType; min: bigint; max: bigint | null; table64: boolean }

/** `core:externtype` as written in module types. */
export type CoreExternDesc =
  | { kind: 'func'; typeIdx: number }
  | { kind: 'table'; type: CoreTableType }
  | { kind: 'memory'; type: CoreMemType }
  | { kind: 'global'; type: GlobalType }
  | { kind: 'tag'; typeIdx: number };

/** `core:moduledecl`. A `type` declarator holds any `core:deftype`; validation rejects module types there. */
export type ModuleDecl =
  | { kind: 'import'; module: string; name: string; desc: CoreExternDesc; offset: number }
  | { kind: 'type'; type: CoreTypeDef; offset: number }
  | { kind: 'alias'; count: number; index: number; offset: number }
  | { kind: 'export'; name: string; desc: CoreExternDesc; offset: number };

/**
 * `core:deftype` (Binary.md "Type Definitions"): a plain function type
 * (`0x60`, the 2.0 form), a module type (`0x50`), or a WebAssembly 3.0
 * form: one sub type (`0x00 0x50` non-final, `0x4f` final, or a bare struct
 * or array type) or a `rec` group (`0x4e`), which defines one type index
 * per member. Sub types are the core decoder's `DefType`s, their type
 * indices relative to the core type index space they are defined in.
 */
export type CoreTypeDef =
  | { kind: 'func'; type: CoreFuncType }
  | { kind: 'module'; decls: ModuleDecl[] }
  | { kind: 'sub'; sub: DefType }
  | { kind: 'rec'; types: DefType[] };

// ---- definitions ---------------------------------------------------------

export type CoreInstanceExpr =
  | { kind: 'instantiate'; module: number; args: { name: string; instance: number }[] }
  | { kind: 'exports'; exports: { name: string; sort: CoreSort; index: number }[] };

export type InstanceExpr =
  | { kind: 'instantiate'; component: number; args: { name: string; sort: Sort; index: number }[] }
  | { kind: 'exports'; exports: { name: ExternName; sort: Sort; index: number }[] };

/** `alias`. */
export type Alias =
  | { kind: 'export'; sort: Sort; instance: number; name: string }
  | { kind: 'coreExport'; sort: CoreSort; instance: number; name: string }
  | { kind: 'outer'; sort: Sort; count: number; index: number };

export type StringEncoding = 'utf8' | 'utf16' | 'latin1+utf16';

/** `canonopt`. */
export type CanonOpt =
  | { kind: 'string-encoding'; encoding: StringEncoding }
  | { kind: 'memory'; index: number }
  | { kind: 'realloc'; index: number }
  | { kind: 'post-return'; index: number }
  | { kind: 'async' }
  | { kind: 'callback'; index: number }
  | { kind: 'core-type'; index: number }
  | { kind: 'gc' };

/** The names of the `canon` definitions, as Binary.md spells them. */
export type CanonKind =
  | 'lift' | 'lower'
  | 'resource.new' | 'resource.drop' | 'resource.rep'
  | 'backpressure.inc' | 'backpressure.dec'
  | 'task.return' | 'task.cancel' | 'context.get' | 'context.set'
  | 'subtask.cancel' | 'subtask.drop'
  | 'stream.new' | 'stream.read' | 'stream.write' | 'stream.cancel-read' | 'stream.cancel-write'
  | 'stream.drop-readable' | 'stream.drop-writable'
  | 'future.new' | 'future.read' | 'future.write' | 'future.cancel-read' | 'future.cancel-write'
  | 'future.drop-readable' | 'future.drop-writable'
  | 'error-context.new' | 'error-context.debug-message' | 'error-context.drop'
  | 'waitable-set.new' | 'waitable-set.wait' | 'waitable-set.poll' | 'waitable-set.drop' | 'waitable.join'
  | 'thread.index' | 'thread.new-indirect' | 'thread.resume-later' | 'thread.suspend' | 'thread.yield'
  | 'thread.suspend-then-resume' | 'thread.yield-then-resume'
  | 'thread.suspend-then-promote' | 'thread.yield-then-promote'
  | 'thread.spawn-ref' | 'thread.spawn-indirect' | 'thread.available-parallelism';

/**
 * One `canon` definition. Which immediates are present depends on `kind`
 * (Binary.md "Canonical Definitions"):
 * - lift: coreFunc, options, typeIdx;  lower: func, options
 * - resource.*, stream.*, future.*: typeIdx (plus options / async as listed)
 * - task.return: result, options;  context.get/set: valType, slot
 * - subtask.cancel, *.cancel-read/-write: async
 * - waitable-set.wait/poll: cancellable, memory;  thread.suspend/yield...: cancellable
 * - thread.new-indirect / spawn-indirect: funcTypeIdx, table;  spawn-ref: funcTypeIdx
 * - thread.spawn-*, available-parallelism: shared
 */
export interface Canon {
  kind: CanonKind;
  coreFunc?: number;
  func?: number;
  typeIdx?: number;
  options?: CanonOpt[];
  result?: ValTypeRef | null;
  valType?: CoreValType;
  slot?: number;
  async?: boolean;
  cancellable?: boolean;
  memory?: number;
  funcTypeIdx?: number;
  table?: number;
  shared?: boolean;
}

export interface Start { func: number; args: number[]; results: number }

export interface Import { name: ExternName; desc: ExternDesc }
export interface Export { name: ExternName; sort: Sort; index: number; desc: ExternDesc | null }

/** One item of a section, after `flatten` (Binary.md "Component Definitions"). */
export type Definition =
  /** An embedded core module: its bytes and the core decoder's reading of them. */
  | { kind: 'coreModule'; bytes: Uint8Array; module: Module; offset: number }
  | { kind: 'coreInstance'; instance: CoreInstanceExpr; offset: number }
  | { kind: 'coreType'; type: CoreTypeDef; offset: number }
  | { kind: 'component'; component: Component; offset: number }
  | { kind: 'instance'; instance: InstanceExpr; offset: number }
  | { kind: 'alias'; alias: Alias; offset: number }
  | { kind: 'type'; type: TypeDef; offset: number }
  | { kind: 'canon'; canon: Canon; offset: number }
  | { kind: 'start'; start: Start; offset: number }
  | { kind: 'import'; import: Import; offset: number }
  | { kind: 'export'; export: Export; offset: number }
  | { kind: 'value'; type: ValTypeRef; bytes: Uint8Array; offset: number };

export interface CustomSection { name: string; bytes: Uint8Array; offset: number }

/** The component `name` section (Binary.md "Name Section"), when well-formed. */
export interface ComponentNames {
  component: string | null;
  /** Per sort (as `sortName` prints it), index → name. */
  sorts: Map<string, Map<number, string>>;
}

export interface Component {
  definitions: Definition[];
  customs: CustomSection[];
  names: ComponentNames | null;
  /** Offset of the preamble in the outermost binary (nested components have a non-zero one). */
  offset: number;
}
