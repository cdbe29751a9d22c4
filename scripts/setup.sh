#!/usr/bin/env bash
# Installs what Boxmark needs on Debian 12, only what is missing.
# Usage: scripts/setup.sh [--tests]   (--tests adds what the test suite needs)
set -euo pipefail

packages=(meson ninja-build gcc pkg-config gettext libglib2.0-dev libglib2.0-dev-bin
          libgtk-4-dev libxml2-dev libstb-dev opencv-data desktop-file-utils
          libcairo2-dev libpango1.0-dev libpng-dev libjpeg62-turbo-dev)
# YOLO models in ONNX: OpenCV's DNN module behind one C++ file (meson option onnx).
packages+=(g++ libopencv-dnn-dev libopencv-imgproc-dev)
# libgeos-dev: split's tile cuts, as shapely makes them (libpng-dev: its PNG tiles, above).
packages+=(libgeos-dev)
if [[ "${1:-}" == "--tests" ]]; then
  # xvfb/xauth: GUI tests; imagemagick: screenshots; clang + libclang-rt: fuzzing and sanitizers;
  # python3-opencv: the detector and warp cross-checks against OpenCV 4.6; appstream: metainfo check.
  # xdotool: GUI tests that type and drag with real input events.
  # libjson-glib-dev: the CLI tests read stats --json, the model tests Ultralytics' reference detections.
  packages+=(xvfb xauth imagemagick xdotool clang libclang-rt-14-dev python3-opencv appstream libjson-glib-dev)
  # python3-shapely: DOTA_devkit's ImgSplit (../shared/reference-impl) run beside split.
  packages+=(python3-shapely)
  # fonts-noto-cjk: the Chinese UI (test-i18n-gui, docs/screenshot-zh_CN.png) drawn with real glyphs.
  packages+=(fonts-noto-cjk)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if (( ${#missing[@]} )); then
  echo "Installing: ${missing[*]}"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
