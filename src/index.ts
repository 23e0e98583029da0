// cmr's public API. Later work adds the component embedder API (Engine,
// Store, Component, Linker, Instance, ...) here.
export * from './core/syntax/types.js';
export * from './core/runtime/errors.js';
export type { Value, Ref } from './core/runtime/values.js';
