#!/usr/bin/python3
"""OpenCV 4.6's side of bench-onnx: times cv2.dnn's forward pass of a YOLO model.

Run with Debian's interpreter (/usr/bin/python3, python3-opencv):

    bench_onnx_opencv.py MODEL.onnx INPUT.npy RUNS THREADS
    bench_onnx_opencv.py MODEL.onnx INPUT.npy serve THREADS

The network gets the same two changes Boxmark makes (the [1, N] stride blob of a Scale layer
expanded to [1, 4, N]; layer fusion off), INPUT.npy is the letterboxed tensor, and the model runs
once to warm up. Prints "wall_ms cpu_ms": the medians of RUNS forward passes (setInput +
forward), wall-clock and CPU time of the calling thread (which does all the work with one
thread), and then the number of Scale layers patched. With "serve", prints "ready" and then
runs one forward pass for each line read, answering "wall_ms cpu_ms" for it, so that a caller
can alternate its own passes with these on a busy machine.
"""
import statistics
import sys
import time

import cv2
import numpy as np


def patch(net, n_anchors):
    patched = 0
    for name in net.getLayerNames():
        layer = net.getLayer(name)
        if layer.type == "Scale" and len(layer.blobs) == 1 and layer.blobs[0].shape == (1, n_anchors):
            w = layer.blobs[0]
            layer.blobs = [np.ascontiguousarray(np.broadcast_to(w[:, None, :], (1, 4, n_anchors)))]
            patched += 1
    return patched


def main():
    model, input_path, runs, threads = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    cv2.setNumThreads(threads)
    x = np.load(input_path)
    size = x.shape[-1]
    net = cv2.dnn.readNetFromONNX(model)
    patched = patch(net, sum((size // s) ** 2 for s in (8, 16, 32)))
    net.enableFusion(False)
    net.setInput(x)
    net.forward()
    if runs == "serve":
        print("ready", flush=True)
        for _ in sys.stdin:
            c0 = time.thread_time()
            t0 = time.perf_counter()
            net.setInput(x)
            net.forward()
            print("%.3f %.3f" % ((time.perf_counter() - t0) * 1000.0, (time.thread_time() - c0) * 1000.0), flush=True)
        return
    wall, cpu = [], []
    for _ in range(int(runs)):
        c0 = time.thread_time()
        t0 = time.perf_counter()
        net.setInput(x)
        net.forward()
        wall.append((time.perf_counter() - t0) * 1000.0)
        cpu.append((time.thread_time() - c0) * 1000.0)
    print("%.3f %.3f %d" % (statistics.median(wall), statistics.median(cpu), patched))


main()
