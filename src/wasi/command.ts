// Running a WASI command (a component exporting wasi:cli/run@0.2.x) the
// way `wasmtime run` does: call `run`, and turn how it ends into an exit
// status.

import type { Instance } from '../api/instance.js';
import type { Store } from '../api/store.js';
import { compatibilityKey } from '../api/semver-names.js';
import { WasiExit } from './ctx.js';

/** Whether an export named `name` makes a component a WASI command: `wasi:cli/run`, unversioned or of any 0.2.x. */
export function isRunExport(name: string): boolean {
  return name === 'wasi:cli/run' || compatibilityKey(name) === 'wasi:cli/run@0.2';
}

/** The name of the instance's `wasi:cli/run@0.2.x` export, or null when it exports none. */
export function findRunExport(instance: Instance): string | null {
  const names = (instance.component.exports() ?? []).map(([n]) => n);
  return names.find(isRunExport) ?? null;
}

/**
 * Calls `run` of the instance's `wasi:cli/run@0.2.x` export and resolves
 * to the exit status: 0 when it returns ok, 1 when it returns err, the
 * status given to `wasi:cli/exit` when the guest exits. A trap rejects
 * (Trap), as does a component that is not a command (Error).
 */
export async function runCommand(store: Store<unknown>, instance: Instance): Promise<number> {
  const name = findRunExport(instance);
  if (name === null) throw new Error('the component is not a WASI command: it exports no wasi:cli/run@0.2.x instance');
  const index = instance.getExportIndex(instance.getExportIndex(null, name), 'run');
  const run = index === null ? null : instance.getFunc(index);
  if (run === null) throw new Error(`the component's \`${name}\` export has no function \`run\``);
  try {
    const [result] = await run.call(store, []);
    return (result as { tag: string }).tag === 'ok' ? 0 : 1;
  } catch (e) {
    const exit = wasiExitOf(e);
    if (exit !== null) return exit.code;
    throw e;
  }
}

/**
 * The WasiExit behind an error: the error itself, or the cause of the trap
 * it became on its way out through the guest's frames (a host function's
 * failure unwinds the guest as a trap, as in wasmtime, where exit is a
 * trap too). Null when the guest did not exit.
 */
export function wasiExitOf(e: unknown): WasiExit | null {
  for (let x: unknown = e, depth = 0; x instanceof Error && depth < 8; x = x.cause, depth++) {
    if (x instanceof WasiExit) return x;
  }
  return null;
}
