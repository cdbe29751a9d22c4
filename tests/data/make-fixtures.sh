#!/usr/bin/env bash
# Rebuilds tests/data from ../shared/testdata: the part of it that the test suite needs in a
# checkout without ../shared beside it, in the same layout (so a test's relative paths hold for
# both). Label files, lists and references are copied byte for byte. Images are
#   copy         copied as they are (a test looks at their pixels),
#   reduce       the same photo at the same size, channels and EXIF, blurred and recompressed
#                (a test needs the files, their sizes and some content, not the detail), or
#   placeholder  a drawn picture of the same size, format and channels, for images whose licence
#                does not let us ship them (see README.md) and whose pixels no test looks at.
# Needs ImageMagick (convert, identify). Usage: tests/data/make-fixtures.sh [SHARED_TESTDATA]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=${1:-$here/../../../shared/testdata}
src=$(cd "$src" && pwd)

# The image's size, e.g. 800x573!, for -resize.
size () { identify -format '%wx%h!' "$1[0]"; }

copy () {
  local rel
  for rel in "$@"; do
    mkdir -p "$here/$(dirname "$rel")"
    cp -a --no-preserve=mode "$src/$rel" "$here/$rel"
    chmod -R u+w "$here/$rel"
  done
}

# Every file below folder $1 except images, copied.
copy_text () {
  local f
  (cd "$src" && find "$1" -type f ! -iname '*.jpg' ! -iname '*.jpeg' ! -iname '*.png') |
    while read -r f; do copy "$f"; done
}

reduce () {
  local rel
  for rel in "$@"; do
    mkdir -p "$here/$(dirname "$rel")"
    # 1/8 of the detail, 4:2:0, quality 35: a JPEG's size is then mostly its block count.
    convert "$src/$rel" -resize 12.5% -resize "$(size "$src/$rel")" -sampling-factor 2x2 \
      -quality 35 "$here/$rel"
  done
}

placeholder () {
  local rel w h channels type colour
  for rel in "$@"; do
    mkdir -p "$here/$(dirname "$rel")"
    read -r w h channels < <(identify -format '%w %h %[channels]\n' "$src/$rel[0]")
    colour=(-type TrueColor)
    case "$rel" in
      *.png | *.PNG) case "$channels" in *a) type=PNG32: ;; *) type=PNG24: ;; esac ;;
      *) type= ;;
    esac
    if [[ "$channels" == gray* ]]; then
      colour=(-colorspace Gray -type Grayscale)
      type=${type:+PNG8:}
    fi
    # Flat colour and a few shapes: nothing of the original, almost nothing to store.
    convert -size "${w}x${h}" xc:'#5a7890' \
      -fill '#7a9a5a' -draw "ellipse $((w / 3)),$((h / 3)) $((w / 8 + 1)),$((h / 10 + 1)) 0,360" \
      -fill '#a04a3a' -draw "rectangle $((w / 2)),$((h / 2)) $((w * 3 / 4)),$((h * 5 / 6))" \
      -fill '#e0d8c0' -draw "polygon $((w / 10)),$((h - 1)) $((w / 4)),$((h * 2 / 3)) $((w * 2 / 5)),$((h - 1))" \
      "${colour[@]}" -strip -define png:exclude-chunks=date,time -quality 75 "$type$here/$rel"
  done
}

# Every image below folder $1, through function $2.
images () {
  local f
  (cd "$src" && find "$1" -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' \) | sort) |
    while read -r f; do "$2" "$f"; done
}

cd "$here"
# Start from nothing but this script and the README.
find . -mindepth 1 -maxdepth 1 ! -name make-fixtures.sh ! -name README.md -exec rm -rf {} +

copy bad
copy voc/dialects voc/edge_cases
copy_text voc/raccoon_labelimg
images voc/raccoon_labelimg reduce
for d in voc/cvat_zavtrak_ru voc/cvat_traffic_bd dota/dota_devkit_example dota/dota_devkit_yolo_demo \
         dota/mmrotate_tests dota/edge_cases dota/ultralytics_dota8 yolo/ultralytics_coco8; do
  copy_text "$d"
  images "$d" placeholder
done
copy yolo/roboflow_empire_state yolo/edge_cases
copy exif
# Public domain (NASA), and OpenCV's gray of it: the image and detector tests' PNG.
copy detect/astronaut.png detect/astronaut.gray.png
# DOTA_devkit's ResultMerge on P0706's tiles and ImgSplit at rate 0.5 (text only; no evaluation case).
copy eval/merge_P0706/predictions eval/merge_P0706/reference_merge eval/merge_P0706/imgsplit_rate0.5
