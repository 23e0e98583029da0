// The canonical ABI engine. See canon.ts for canonLift /
// canonLower, context.ts for per-instance state, resources.ts for handles,
// values.ts for how component values look in JavaScript.

export * from './values.js';
export * from './traps.js';
export * from './layout.js';
export * from './flatten.js';
export * from './scalars.js';
export * from './strings.js';
export * from './table.js';
export * from './trace.js';
export * from './context.js';
export * from './resources.js';
export * from './load-store.js';
export * from './lift-lower.js';
export * from './canon.js';
export * from './async-hooks.js';
export * from './thread.js';
export * from './task.js';
export * from './subtask.js';
export * from './waitable.js';
export * from './waitable-set.js';
export * from './copy-end.js';
export * from './stream.js';
export * from './future.js';
export * from './buffer.js';
export * from './copy.js';
export * from './error-context.js';
export * from './event-loop.js';
export * from './builtins.js';
export * from './async-lift.js';
export * from './async-lower.js';
