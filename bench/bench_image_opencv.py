#!/usr/bin/python3
"""OpenCV's side of bench-image --huge: how long cv2.imread takes to give a huge image, and the
process' peak memory.  Run with Debian's interpreter (/usr/bin/python3, python3-opencv), one
measurement per process so the peak is that measurement's own.  Usage:

    bench_image_opencv.py full|reduced8 IMAGE

full: cv2.imread(IMAGE) -- the whole picture in BGR, what a viewer built on OpenCV must wait for
before it can show anything.  reduced8: cv2.imread(IMAGE, cv2.IMREAD_REDUCED_COLOR_8) -- OpenCV's
own overview: JPEG scaled in the DCT domain by libjpeg, other formats decoded whole then resized.

Prints one line: "MODE seconds cpu_seconds peak_rss_mb width height baseline_mb", where the
peak includes the interpreter and OpenCV themselves (baseline_mb, measured before the call).
"""
import os
import resource
import sys
import time

# OpenCV refuses images over 2^30 pixels by default; 20000 x 20000 is below, larger test sizes
# are not.
os.environ.setdefault("OPENCV_IO_MAX_IMAGE_PIXELS", str(1 << 40))

import cv2  # noqa: E402


def main():
    mode, path = sys.argv[1], sys.argv[2]
    flags = cv2.IMREAD_COLOR if mode == "full" else cv2.IMREAD_REDUCED_COLOR_8
    baseline_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    c0 = time.process_time()
    t0 = time.perf_counter()
    image = cv2.imread(path, flags)
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    if image is None:
        print(f"{mode} cannot read {path}", file=sys.stderr)
        sys.exit(1)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{mode} {wall:.3f} {cpu:.3f} {peak_mb:.0f} {image.shape[1]} {image.shape[0]} {baseline_mb:.0f}")


if __name__ == "__main__":
    main()
