// `--trace=core` for `cmr run` and `cmr wast`: the interpreter runs the
// code prepared for debugging (one node per instruction, a step hook before
// each: core/exec/debug-step.ts) and the tracer of src/debug/trace-core.ts
// writes a line per instruction on stderr. Only the interpreter can be
// traced: natively run wasm has no hook between instructions.

import { SteppingInterpreter } from '../core/exec/debug-engine.js';
import { CoreTracer } from '../debug/trace-core.js';

export interface CoreTraceOptions {
  traceCore?: boolean;
  traceLimit?: number;
}

/** The stepping engine and its installed tracer for --trace=core, or null without it. */
export function coreTrace(opts: CoreTraceOptions, engines: readonly string[]): { engine: SteppingInterpreter; tracer: CoreTracer } | null {
  if (!opts.traceCore) {
    if (opts.traceLimit !== undefined) throw new Error('--trace-limit goes with --trace=core');
    return null;
  }
  if (engines.length !== 1 || engines[0] !== 'interp') throw new Error('--trace=core needs --engine interp: natively run wasm cannot be traced instruction by instruction');
  const tracer = new CoreTracer((line) => process.stderr.write(`${line}\n`), opts.traceLimit ?? null);
  tracer.install();
  return { engine: new SteppingInterpreter(), tracer };
}
