// V8 flags cmr turns on for the native engine. Node 20's V8 (11.3) has
// some WebAssembly 3.0 proposals behind `--experimental-wasm-*` flags; cmr
// sets a flag, through node:v8, only when the feature's probe fails without
// it (a newer V8 has the feature on by default, and Deno's node:v8 may not
// take flags at all). V8 reads these flags at each compile, so setting one
// before the module that needs it is compiled is enough.
//
// On: relaxed SIMD (finished in V8 11.3, on by default from V8 11.4).

import { setFlagsFromString } from 'node:v8';

/** The flag that turns on each feature cmr may switch on in the host. */
export const V8_FLAGS: Readonly<Record<string, string>> = {
  'relaxed-simd': '--experimental-wasm-relaxed-simd',
};

/** Sets the flag for `feature`, if cmr has one; then `check` says whether the host now has it. */
export function enableV8Feature(feature: string, check: () => boolean): boolean {
  const flag = V8_FLAGS[feature];
  if (flag === undefined) return false;
  try {
    setFlagsFromString(flag);
  } catch {
    return false; // a host whose node:v8 takes no flags
  }
  return check();
}
