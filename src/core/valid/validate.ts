// Entry points of core module validation (spec §3). A module that does not
// validate raises ValidationError with the suite's message.

export { validateModule } from './module.js';
export { earlyBodyCheck } from './early.js';
export { validateConstExpr } from './const-expr.js';
export { moduleExternTypes, type ModuleExternTypes } from './extern-types.js';
export { ValidationError } from '../errors.js';
