// `--trace=WHAT` on the command line. `--trace` alone (the canonical ABI)
// is a flag, so commander cannot also give it a value without taking the
// next word (the component's path) as one; `--trace=core` is therefore
// rewritten before commander reads the line: `core` becomes the flag
// --trace-core, `abi` the plain --trace (both may be given, comma-separated).
// For `cmr run`, only cmr's own options are rewritten: the words after the
// component are the guest's.

/** Options of `cmr run` that take a value (the word after them is not the component). */
const RUN_VALUE_OPTIONS = new Set(['--invoke', '--engine', '--env', '--dir', '--argv0', '--imports', '--fuel', '--trace-limit']);

export function takeTraceCore(argv: readonly string[]): string[] {
  const out: string[] = [];
  const command = argv.find((a) => !a.startsWith('-'));
  let own = true;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!own) { out.push(a); continue; }
    if (command === 'run' && a !== 'run' && argv.indexOf('run') < i) {
      if (!a.startsWith('-')) { own = false; out.push(a); continue; }
      if (RUN_VALUE_OPTIONS.has(a)) { out.push(a); if (i + 1 < argv.length) out.push(argv[++i]!); continue; }
    }
    const m = /^--trace=(.*)$/.exec(a);
    if (m === null) { out.push(a); continue; }
    for (const what of m[1]!.split(',')) {
      if (what === 'core') out.push('--trace-core');
      else if (what === 'abi') out.push('--trace');
      else throw new Error(`--trace=${what}: expected core or abi`);
    }
  }
  return out;
}
