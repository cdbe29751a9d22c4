#!/usr/bin/env bash
# Set up, build and start Boxmark (on a first run it opens a bundled sample).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
[[ -d build ]] || meson setup build
meson compile -C build
if [[ -x build/app/boxmark ]]; then
  # Run from the build folder: the GSettings schema is compiled there, not installed.
  GSETTINGS_SCHEMA_DIR="$PWD/build/resources${GSETTINGS_SCHEMA_DIR:+:$GSETTINGS_SCHEMA_DIR}" \
    exec build/app/boxmark "$@"
else
  # Without GTK the command-line tool still works: summarise the sample data.
  exec build/app/boxmark-cli stats "${1:-tests/data/voc/raccoon_labelimg}"
fi
