// Semver-compatible import names, as wasmtime's linker matches them
// (wasmtime-environ's `NameMap`): an import `wasi:io/streams@0.2.11` is
// served by a definition `wasi:io/streams@0.2.6` when no exact one exists,
// because the two versions are semver-compatible. Versions are compatible
// when they agree on the first non-zero component (`1.x.y`, `0.2.x`);
// `0.0.x` versions and pre-releases match only exactly.

/** The name with its version cut to its compatibility class (`a:b/c@0.2`), or null when only exact matches count. */
export function compatibilityKey(name: string): string | null {
  const at = name.lastIndexOf('@');
  if (at < 0) return null;
  const v = parseVersion(name.slice(at + 1));
  if (v === null || v.pre) return null;
  if (v.major !== 0n) return `${name.slice(0, at)}@${v.major}`;
  if (v.minor !== 0n) return `${name.slice(0, at)}@0.${v.minor}`;
  return null;
}

interface Version { major: bigint; minor: bigint; patch: bigint; pre: boolean }

/** major.minor.patch[-pre][+build] as semver spells it; null for anything else. */
function parseVersion(s: string): Version | null {
  const m = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.exec(s);
  if (m === null) return null;
  return { major: BigInt(m[1]!), minor: BigInt(m[2]!), patch: BigInt(m[3]!), pre: m[4] !== undefined };
}

/**
 * The definition for import `name`: the exact name's if there is one, else
 * that of the highest semver-compatible version defined (as wasmtime picks
 * the latest compatible definition), else undefined.
 */
export function findCompatible<T>(defs: ReadonlyMap<string, T>, name: string): T | undefined {
  const exact = defs.get(name);
  if (exact !== undefined) return exact;
  const key = compatibilityKey(name);
  if (key === null) return undefined;
  let best: { rank: bigint; def: T } | null = null;
  for (const [n, def] of defs) {
    if (compatibilityKey(n) !== key) continue;
    const v = parseVersion(n.slice(n.lastIndexOf('@') + 1))!;
    // Same class: major (and minor, for 0.x) agree; the rest orders them.
    const rank = v.major === 0n ? v.patch : (v.minor << 64n) | v.patch;
    if (best === null || rank > best.rank) best = { rank, def };
  }
  return best?.def;
}
