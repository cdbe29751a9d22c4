#!/usr/bin/python3
# bench_warp_opencv.py: times cv2.warpAffine (INTER_LINEAR, one thread) on raw pixels for
# bench-warp. Usage: bench_warp_opencv.py RAW WIDTH HEIGHT CHANNELS M0 .. M5 BORDER REPEATS OUT
# RAW holds the 8-bit pixels, rows packed, no header.
# Prints "opencv_ms <best milliseconds of thread CPU time>" and writes the warped image to OUT (raw bytes).
# Needs Debian's /usr/bin/python3 with python3-opencv.
# SPDX-License-Identifier: GPL-3.0-or-later
import sys
import time

import cv2
import numpy as np


def main():
    path = sys.argv[1]
    w, h, cn = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    m = np.array([float(v) for v in sys.argv[5:11]], dtype=np.float64).reshape(2, 3)
    border = int(sys.argv[11])
    repeats = int(sys.argv[12])
    out = sys.argv[13]
    cv2.setNumThreads(1)
    img = np.fromfile(path, dtype=np.uint8).reshape(h, w, cn)
    value = (border,) * 4
    best = float("inf")
    res = None
    for _ in range(repeats):
        t0 = time.thread_time()
        res = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR,
                             borderMode=cv2.BORDER_CONSTANT, borderValue=value)
        best = min(best, time.thread_time() - t0)
    with open(out, "wb") as f:
        f.write(np.ascontiguousarray(res).tobytes())
    print("opencv_ms %.3f" % (best * 1000.0))
    print("opencv_threads %d" % cv2.getNumThreads())


main()
