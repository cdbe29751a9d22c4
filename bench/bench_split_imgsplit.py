"""DOTA_devkit's ImgSplit on a dataset, timed without Python's start-up and imports, for
bench-split; prints wall and CPU seconds. Usage: bench_split_imgsplit.py REFERENCE_DOTA_DIR SRC OUT RATE [io]
With "io" it times only what ImgSplit spends in OpenCV: cv2.imread of each image and
cv2.imwrite of each of its tiles (the part no reimplementation using libpng avoids)."""
import os
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[1])
import cv2  # noqa: E402
import ImgSplit  # noqa: E402

src, out, rate_text = sys.argv[2], sys.argv[3], sys.argv[4]
rate = float(rate_text) if '.' in rate_text else int(rate_text)
cv2.setNumThreads(1)

if len(sys.argv) > 5 and sys.argv[5] == 'io':
    os.makedirs(out, exist_ok=True)
    start, cpu = time.perf_counter(), time.process_time()
    n = 0
    for name in sorted(os.listdir(os.path.join(src, 'images'))):
        img = cv2.imread(os.path.join(src, 'images', name))
        if rate != 1:
            img = cv2.resize(img, None, fx=rate, fy=rate, interpolation=cv2.INTER_CUBIC)
        h, w = img.shape[:2]
        left = 0
        while left < w:
            if left + 1024 >= w:
                left = max(w - 1024, 0)
            up = 0
            while up < h:
                if up + 1024 >= h:
                    up = max(h - 1024, 0)
                cv2.imwrite(os.path.join(out, '%d.png' % n), img[up:up + 1024, left:left + 1024].copy())
                n += 1
                if up + 1024 >= h:
                    break
                up += 924
            if left + 1024 >= w:
                break
            left += 924
    print('%.6f %.6f' % (time.perf_counter() - start, time.process_time() - cpu))
else:
    start, cpu = time.perf_counter(), time.process_time()
    ImgSplit.splitbase(src, out, gap=100, subsize=1024, thresh=0.7, choosebestpoint=True,
                       ext='.png').splitdata(rate)
    print('%.6f %.6f' % (time.perf_counter() - start, time.process_time() - cpu))
