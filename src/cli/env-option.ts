// `cmr run --env`: each KEY=VALUE sets a variable of the guest's
// environment, KEY alone passes the host's value (as `wasmtime run --env`).
// One parser for every engine, so a malformed one is refused the same way.

/** The variables the --env options give, in order; throws naming the option for an empty name. */
export function envOptionVars(options: readonly string[]): [string, string][] {
  const vars: [string, string][] = [];
  for (const kv of options) {
    const eq = kv.indexOf('=');
    const key = eq < 0 ? kv : kv.slice(0, eq);
    if (key === '') throw new Error(`--env ${kv === '' ? "''" : kv}: expected KEY=VALUE or KEY`);
    if (eq >= 0) vars.push([key, kv.slice(eq + 1)]);
    else if (process.env[key] !== undefined) vars.push([key, process.env[key]!]);
  }
  return vars;
}
