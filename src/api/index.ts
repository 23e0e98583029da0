// The embedder API: Engine, Store, Component, Linker, Instance,
// InstancePre, Func/TypedFunc, ResourceType — the shape of wasmtime's
// component API in TypeScript idiom. See docs/architecture.md.

export { Engine, DEFAULT_HOSTCALL_FUEL, type EngineConfig, type EngineFeatures, type ResolvedFeatures } from './engine.js';
export { Store, ResourceTable, type StoreOptions } from './store.js';
export { StoreLimits, type ResourceLimiter, type StoreLimitsConfig } from '../core/runtime/limits.js';
export { FUEL_EXHAUSTED, TIMED_OUT } from '../core/runtime/meter.js';
export { Component, ComponentExportIndex, type ResourcesRequired } from './component.js';
export {
  Linker, LinkerInstance, InstancePre, type HostCallContext, type WrappedHostFunc, type DynamicHostFunc, type HostResourceDtor,
} from './linker.js';
export { Instance, type ExportRef } from './instance.js';
export { Func, TypedFunc } from './func.js';
export { ResourceType } from './resource-type.js';
export { closeHostEnd, cancelOnAbort } from './streams.js';
export {
  componentItem, describeItem, type ComponentItem, type ComponentTypeInfo,
  type FuncType as ComponentFuncType, type ValType as ComponentValType, type InstanceType, type ModuleType, type ComponentType,
} from './types.js';
export { parseSignature, parseTypeSpec, SignatureError, type Signature, type TypeSpec } from './signature.js';
export { ComponentError, LinkError, Trap, HostcallFuelExhausted, NotImplemented, type ComponentErrorStage } from './errors.js';
export * from './values.js';
export type { CoreModule } from '../component/runtime/externs.js';
export type { TraceEvent, TraceHook } from '../component/canon/trace.js';
