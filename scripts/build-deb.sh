#!/usr/bin/env bash
# Builds the Debian packages boxmark (the window) and boxmark-cli (no GTK) from this work tree and
# checks them with lintian. The build runs in a temporary copy of the tree, so nothing is left in
# it; the packages land in OUTDIR (default build-deb/, which git ignores).
# Usage: scripts/build-deb.sh [OUTDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$(realpath -m "${1:-build-deb}")

scripts/setup.sh --deb
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The files git knows about, as they are in the work tree (committed or not).
mkdir "$work/boxmark"
git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$work/boxmark"
# Anything missing from the Build-Depends stops the build here, with its name.
(cd "$work/boxmark" && dpkg-checkbuilddeps)
(cd "$work/boxmark" && dpkg-buildpackage -b -us -uc)

mv "$work"/*.deb "$work"/*.buildinfo "$work"/*.changes "$out"/
changes=$(ls -t "$out"/boxmark_*.changes | head -1)
echo "== built into $out"
ls -l "$out"/*.deb

echo "== lintian (errors fail the build; warnings are listed)"
lintian --info --display-info --tag-display-limit 0 "$changes" | tee "$out/lintian.txt" || true
if grep -q '^E: ' "$out/lintian.txt"; then
  echo "lintian reported errors" >&2
  exit 1
fi

echo "== boxmark-cli depends on no GTK library"
cli_deb=$(ls -t "$out"/boxmark-cli_*.deb | head -1)
depends=$(dpkg-deb -f "$cli_deb" Depends)
echo "Depends: $depends"
if grep -Eq 'libgtk|libgdk|libadwaita' <<<"$depends"; then
  echo "boxmark-cli depends on GTK" >&2
  exit 1
fi
cd "$root"
