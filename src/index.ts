// cmr's public API: the core building blocks, and the component embedder
// API (Engine, Store, Component, Linker, Instance, InstancePre, Func,
// TypedFunc, ResourceType; src/api/).
export * from './core/syntax/types.js';
export * from './core/errors.js';
export type { Value, Ref } from './core/runtime/values.js';
export {
  Engine, DEFAULT_HOSTCALL_FUEL, Store, ResourceTable, Component, ComponentExportIndex, Linker, LinkerInstance, InstancePre, Instance, Func, TypedFunc,
  ResourceType, closeHostEnd, cancelOnAbort, componentItem, describeItem, parseSignature, parseTypeSpec, SignatureError,
  ComponentError, HostcallFuelExhausted, NotImplemented, StoreLimits, FUEL_EXHAUSTED, TIMED_OUT,
  ResourceValue, ErrorContext, variant, some, none, ok, err, formatValue, valuesEqual, dropResourceValue, zeroValue, noZeroValue,
} from './api/index.js';
export type {
  EngineConfig, EngineFeatures, ResolvedFeatures, StoreOptions, ResourcesRequired, HostCallContext, WrappedHostFunc, DynamicHostFunc,
  HostResourceDtor, ExportRef, ComponentItem, ComponentTypeInfo, ComponentFuncType, ComponentValType, InstanceType, ModuleType, ComponentType,
  Signature, TypeSpec, ComponentErrorStage, ResourceLimiter, StoreLimitsConfig, ComponentValue, RecordValue, VariantValue, FlagsValue, CoreModule, TraceEvent, TraceHook,
} from './api/index.js';
export {
  WasiCtx, WasiCtxBuilder, WasiExit, addToLinkerSync, runCommand, findRunExport, wasiExitOf, wasiTypes, WASI_VERSION,
  type OutputPipe, type Preopen, type StdinConfig, type OutputConfig, type RandomSource, type Datetime, type WallClock, type MonotonicClock,
} from './wasi/index.js';
