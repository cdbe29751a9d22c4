#!/usr/bin/python3
"""OpenCV 4.6's side of bench-detector: times CascadeClassifier.detectMultiScale.

Run with Debian's interpreter (/usr/bin/python3, python3-opencv).  Usage:

    bench_detector_opencv.py RUNS SCALE MIN_NEIGHBORS MIN_SIZE CASCADE... -- IMAGE...

Prints one line per (image, cascade):
"image cascade ms_1_thread cpu_ms_1_thread ms_default_threads count", times being the median of
RUNS calls after one warm-up call (CPU time of the calling thread, which does all the work
when OpenCV runs with one thread).
"""
import statistics
import sys
import time

import cv2


def median_ms(cc, gray, scale, mn, min_size, runs):
    cc.detectMultiScale(gray, scale, mn, minSize=(min_size, min_size))
    times = []
    cpu = []
    found = None
    for _ in range(runs):
        c0 = time.thread_time()
        t0 = time.perf_counter()
        found = cc.detectMultiScale(gray, scale, mn, minSize=(min_size, min_size))
        times.append((time.perf_counter() - t0) * 1000.0)
        cpu.append((time.thread_time() - c0) * 1000.0)
    return statistics.median(times), statistics.median(cpu), len(found)


def main():
    args = sys.argv[1:]
    runs, scale, mn, min_size = int(args[0]), float(args[1]), int(args[2]), int(args[3])
    split = args.index("--")
    cascades, images = args[4:split], args[split + 1:]
    default_threads = cv2.getNumThreads()
    for image in images:
        gray = cv2.imread(image, cv2.IMREAD_GRAYSCALE)
        for path in cascades:
            cc = cv2.CascadeClassifier(path)
            cv2.setNumThreads(1)
            one, one_cpu, count = median_ms(cc, gray, scale, mn, min_size, runs)
            cv2.setNumThreads(default_threads)
            many, _, _ = median_ms(cc, gray, scale, mn, min_size, runs)
            print(image, path, "%.2f" % one, "%.2f" % one_cpu, "%.2f" % many, count, flush=True)


if __name__ == "__main__":
    main()
