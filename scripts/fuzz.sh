#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for SECONDS on seeds from testdata.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
testdata=$(cd .. && pwd)/shared/testdata
# Without ../shared the seeds come from the fixtures the repository ships (fewer of them).
[[ -d "$testdata" ]] || testdata=$PWD/tests/data
# a colour PNG seed (tests/data has the astronaut, not the camera)
camera=$testdata/detect/camera.png
[[ -f "$camera" ]] || camera=$testdata/detect/astronaut.png
if [[ ! -d build-fuzz ]]; then
  CC=clang meson setup build-fuzz -Dfuzzing=true -Dgui=disabled -Donnx=disabled -Db_sanitize=address,undefined \
    -Db_lundef=false -Dbuildtype=debugoptimized
fi
meson compile -C build-fuzz
shopt -s nullglob
targets=(build-fuzz/tests/fuzz/fuzz-*)
if (( ${#targets[@]} == 0 )); then
  echo "no fuzz targets built"; exit 1
fi
for target in "${targets[@]}"; do
  [[ -x "$target" && ! -d "$target" ]] || continue
  name=$(basename "$target")
  corpus=$(mktemp -d)
  case "$name" in
    fuzz-voc) find "$testdata/voc" "$testdata/bad" -name '*.xml' -exec cp {} "$corpus" \; ;;
    fuzz-dota) find "$testdata/dota" -path '*labelTxt*' -name '*.txt' -exec cp {} "$corpus" \; ; cp "$testdata/bad/dota_mixed.txt" "$corpus" ;;
    fuzz-yolo) find "$testdata/yolo" -path '*labels*' -name '*.txt' -exec cp {} "$corpus" \; ; cp "$testdata/bad/yolo_mixed.txt" "$corpus" ;;
    fuzz-yaml) find "$testdata" -name '*.yaml' -exec cp --backup=numbered {} "$corpus" \; ;;
    fuzz-image) cp "$testdata"/exif/orient_6.jpg "$camera" "$testdata"/detect/astronaut.gray.png "$corpus" ;;
    fuzz-jpeg) cp "$testdata"/exif/orient_6.jpg "$testdata"/exif/orient_1.jpg "$corpus" ;;
    fuzz-png) cp "$camera" "$testdata"/detect/astronaut.gray.png "$corpus" ;;
    # ImageMagick (installed for screenshots) writes the TIFF seeds: strips, tiles, planar, 16 bit.
    fuzz-tiff)
      convert "$camera" -resize 64x48 -compress lzw "$corpus/strips.tif"
      convert "$camera" -resize 64x48 -define tiff:tile-geometry=16x16 -compress zip "$corpus/tiles.tif"
      convert "$camera" -resize 40x30 -interlace plane -depth 16 "$corpus/planar16.tif"
      # a Deflate palette image goes through libtiff's RGBA reader; and the past finds
      convert "$camera" -resize 48x40 -colors 16 -type palette -compress zip -define tiff:rows-per-strip=8 "$corpus/palette.tif"
      cp tests/fuzz/known/*.tif "$corpus" ;;
    fuzz-cascade) cp /usr/share/opencv4/lbpcascades/lbpcascade_frontalface_improved.xml "$corpus" ;;
    # the first byte picks the format (0 voc, 1 task1, 2 task2, 3 yolo, 4 coco)
    fuzz-pred) n=0; for f in "$testdata"/eval/raccoon/predictions/voc/*.txt "$testdata"/eval/dota_yolo_demo/predictions/dota_task1/*.txt \
                 "$testdata"/eval/dota_yolo_demo/predictions/dota_task2/*.txt "$testdata"/eval/coco8/predictions/yolo/labels/*.txt \
                 "$testdata"/eval/cvat_zavtrak_ru/predictions/coco/results.json; do
                 [[ -f "$f" ]] || continue  # tests/data has no evaluation cases
                 case "$f" in *dota_task1*) b=1;; *dota_task2*) b=2;; */yolo/*) b=3;; *.json) b=4;; *) b=0;; esac
                 { printf "\\$(printf %o $b)"; head -c 4000 "$f"; } > "$corpus/seed$((n++))"; done ;;
    fuzz-coco) [[ ! -f "$testdata"/eval/cvat_zavtrak_ru/gt/instances.json ]] || cp "$testdata"/eval/cvat_zavtrak_ru/gt/instances.json "$corpus/" ;;
    fuzz-dota-merge) head -n 200 "$testdata"/eval/merge_P0706/predictions/tiles_task1/Task1_ship.txt > "$corpus/task1.txt"
                     head -n 200 "$testdata"/eval/merge_P0706/predictions/tiles_task2/Task2_ship.txt > "$corpus/task2.txt" ;;
    fuzz-onnx) [[ ! -d "$testdata"/models ]] || /usr/bin/python3 tests/fuzz/onnx_seeds.py "$corpus" "$testdata"/models/*.onnx ;;
    *) ;;
  esac
  echo "== $name for ${seconds}s"
  # Undefined behaviour is a finding too; crash inputs go to the temporary folder, not the tree.
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    "$target" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$corpus/" "$corpus" > "$corpus.log" 2>&1 || { tail -n 40 "$corpus.log"; exit 1; }
  tail -n 1 "$corpus.log"
  rm -f "$corpus.log"
  rm -rf "$corpus"
done
