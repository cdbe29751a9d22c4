#!/usr/bin/env bash
# Takes the README's screenshot: the real window under Xvfb on a copy of a test-data folder.
# Usage: scripts/screenshot.sh [FOLDER] [OUT.png]   (default: the bundled sample, docs/screenshot.png)
set -euo pipefail
cd "$(dirname "$0")/.."
folder=${1:-resources/sample}
out=${2:-docs/screenshot.png}
[[ -x build/app/boxmark ]] || { meson setup build >/dev/null; meson compile -C build; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$folder" "$work/data"       # the app may write a sidecar; never into the test data
export GSETTINGS_SCHEMA_DIR="$PWD/build/resources" GSETTINGS_BACKEND=memory GTK_A11Y=none \
       GSK_RENDERER=cairo GDK_DEBUG=default-settings
xvfb-run -a -s "-screen 0 1280x800x24" bash -c "
  build/app/boxmark '$work/data' &
  app=\$!
  sleep 6
  import -window root -crop 1200x800+0+0 '$work/shot.png'
  kill \$app"
convert "$work/shot.png" -resize 1000x "$out"
echo "wrote $out"
