// `cmr explain <component> [export]`: the canonical ABI plan of a
// component's functions (src/explain/), as text or JSON. Nothing runs: the
// component is decoded and validated, never instantiated.

import { Component, Engine } from '../api/index.js';
import { explainComponent } from '../explain/plan.js';
import { printPlans } from '../explain/print.js';
import { describeError, oneLine } from './run.js';

export interface ExplainOptions {
  json?: boolean;
}

export async function runExplain(file: string, only: string | undefined, opts: ExplainOptions): Promise<number> {
  // Every feature on: explaining runs nothing, so no engine limit applies.
  const engine = new Engine({ coreEngine: 'native', features: { simd: true, componentModelAsync: true } });
  let component: Component;
  try {
    component = await Component.fromFile(engine, file);
  } catch (e) {
    // As cmr run says it: the file, the stage and the offset, one line, status 1.
    process.stderr.write(`cmr: ${oneLine(describeError(file, e))}\n`);
    return 1;
  }
  const plans = explainComponent(component.ast, component.type, only ?? null);
  process.stdout.write(opts.json ? `${JSON.stringify(plans, null, 2)}\n` : printPlans(plans));
  return 0;
}
