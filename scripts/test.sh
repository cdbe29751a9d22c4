#!/usr/bin/env bash
# Set up, build and run every test (GUI tests under Xvfb). Warnings are errors.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests
build=${BUILD_DIR:-build-test}
[[ -d "$build" ]] || meson setup "$build" -Dwerror=true
meson compile -C "$build"
GTK_A11Y=none GSETTINGS_BACKEND=memory GSK_RENDERER=cairo GDK_DEBUG=default-settings \
  xvfb-run -a -s "-screen 0 1280x1024x24" \
  meson test -C "$build" --print-errorlogs "$@"
