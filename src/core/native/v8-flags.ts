// V8 flags cmr turns on for the native engine. Node 20's V8 (11.3) has
// some WebAssembly 3.0 proposals behind `--experimental-wasm-*` flags; cmr
// sets a flag, through node:v8, only when the feature's probe fails without
// it (a newer V8 has the feature on by default, and Deno's node:v8 may not
// take flags at all). V8 reads these flags at each compile, so setting one
// before the module that needs it is compiled is enough.
//
// On, each only because the suites pass with it: relaxed SIMD (finished
// in V8 11.3, on by default from V8 11.4) and extended constant expressions
// (as standardised). Off: V8 11.3's --experimental-wasm-typed-funcref,
// which reads an older draft's encoding (0x6b/0x6c for (ref ht)/(ref null
// ht), where 3.0 has 0x64/0x63), so 3.0 modules would be refused.

import { setFlagsFromString } from 'node:v8';

/** The flag that turns on each feature cmr may switch on in the host. */
export const V8_FLAGS: Readonly<Record<string, string>> = {
  'relaxed-simd': '--experimental-wasm-relaxed-simd',
  'extended-const': '--experimental-wasm-extended-const',
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
