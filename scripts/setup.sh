#!/usr/bin/env bash
# Installs what Boxmark needs on Debian 12, only what is missing.
# Usage: scripts/setup.sh [--tests] [--deb]   (--tests adds what the test suite needs, --deb what
# scripts/build-deb.sh needs to build and check the Debian packages)
set -euo pipefail

packages=(meson ninja-build gcc pkg-config gettext libglib2.0-dev libglib2.0-dev-bin
          libgtk-4-dev libxml2-dev libstb-dev opencv-data desktop-file-utils
          libjson-glib-dev libcairo2-dev libpango1.0-dev libpng-dev libjpeg62-turbo-dev libtiff-dev)
# libxml2-utils: xmllint, which glib-compile-resources needs to strip blanks from the .ui files;
# gtk-update-icon-cache: gnome.post_install after `meson install`; help2man: the manual pages;
# libyaml-dev: data.yaml and the other YAML files.
packages+=(libxml2-utils gtk-update-icon-cache help2man libyaml-dev)
# YOLO models in ONNX: OpenCV's DNN module behind one C++ file (meson option onnx).
packages+=(g++ libopencv-dnn-dev libopencv-imgproc-dev)
# libgeos-dev: split's tile cuts, as shapely makes them (libpng-dev: its PNG tiles, above).
packages+=(libgeos-dev)
want_tests=0 want_deb=0
for arg in "$@"; do
  case "$arg" in
    --tests) want_tests=1 ;;
    --deb) want_deb=1 ;;
    *) echo "usage: $0 [--tests] [--deb]" >&2; exit 2 ;;
  esac
done

if (( want_tests )); then
  # xvfb/xauth: GUI tests; imagemagick: screenshots; clang + libclang-rt: fuzzing and sanitizers;
  # python3-opencv: the detector and warp cross-checks against OpenCV 4.6; appstream: metainfo check.
  # xdotool: GUI tests that type and drag with real input events.
  # libjson-glib-dev: the CLI tests read stats --json, the model tests Ultralytics' reference detections.
  packages+=(xvfb xauth imagemagick xdotool clang libclang-rt-14-dev python3-opencv appstream libjson-glib-dev)
  # python3-shapely: DOTA_devkit's ImgSplit (../shared/reference-impl) run beside split.
  packages+=(python3-shapely)
  # fonts-noto-cjk: the Chinese UI (test-i18n-gui, docs/screenshot-zh_CN.png) drawn with real glyphs.
  packages+=(fonts-noto-cjk)
  # libglib2.0-bin: gsettings, with which test-uninstalled checks no schema is installed.
  packages+=(libglib2.0-bin)
fi
if (( want_deb )); then
  # dpkg-buildpackage, the debhelper sequencer, and lintian to check the packages.
  packages+=(dpkg-dev debhelper fakeroot lintian)
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
