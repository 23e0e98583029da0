#!/usr/bin/env bash
# Fetches the official suites at the revisions pinned in spec-tests/suites.json
# into a folder (default: ../shared/suites beside the project), for users who
# have a network. The harness then finds them there, or at $CMR_SUITES.
#   scripts/fetch-suites.sh [target-folder]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
target="${1:-$here/../shared/suites}"
mkdir -p "$target"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
node -e '
  const s = require(process.argv[1]).suites;
  for (const x of s) console.log([x.name, x.repository, x.path, x.revision].join(" "));
' "$here/spec-tests/suites.json" | while read -r name repo path rev; do
  echo "fetching $name ($repo@$rev, $path)"
  dir="$work/$name"
  git init -q "$dir"
  git -C "$dir" remote add origin "$repo"
  git -C "$dir" fetch -q --depth 1 origin "$rev"
  git -C "$dir" checkout -q FETCH_HEAD
  rm -rf "${target:?}/$name"
  cp -r "$dir/$path" "$target/$name"
done
echo "suites are in $target"
