// Component instantiation: the walk over a component's definitions
// (instantiate.ts) and the items it hands out (externs.ts).

export * from './externs.js';
export * from './instantiate.js';
