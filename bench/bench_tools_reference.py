#!/usr/bin/python3
"""The one-off scripts ML engineers write instead of boxmark-cli stats, crop and synth, for
bench-tools to time side by side: plain Python with xml.etree, and OpenCV for pixels.

  bench_tools_reference.py stats ANNOTATIONS_DIR
  bench_tools_reference.py crop SRC OUT PAD
  bench_tools_reference.py synth OBJECTS BACKGROUNDS OUT N PER_MIN PER_MAX ROTATE SCALE_MIN SCALE_MAX SEED

Written for this bench (not taken from any project). SPDX-License-Identifier: GPL-3.0-or-later
"""
import math
import os
import random
import sys
import xml.etree.ElementTree as ET

import cv2
import numpy as np


def boxes(xml_path):
    root = ET.parse(xml_path).getroot()
    for obj in root.iter("object"):
        box = obj.find("bndbox")
        yield (obj.findtext("name").strip(), float(box.findtext("xmin")), float(box.findtext("ymin")),
               float(box.findtext("xmax")), float(box.findtext("ymax")))


def stats(annotations):
    per_class, per_image, widths, heights, areas, aspects = {}, {}, {}, {}, {}, {}
    n_objects = 0
    for name in sorted(os.listdir(annotations)):
        if not name.endswith(".xml"):
            continue
        n = 0
        for label, x1, y1, x2, y2 in boxes(os.path.join(annotations, name)):
            w, h = x2 - x1, y2 - y1
            per_class[label] = per_class.get(label, 0) + 1
            for table, value in ((widths, w), (heights, h), (areas, math.sqrt(w * h))):
                b = int(math.floor(math.log2(value))) if value > 0 else -1
                table[b] = table.get(b, 0) + 1
            b = round(2 * math.log2(w / h)) if w > 0 and h > 0 else 0
            aspects[b] = aspects.get(b, 0) + 1
            n += 1
        per_image[n] = per_image.get(n, 0) + 1
        n_objects += n
    print(n_objects, " ".join("%s=%d" % kv for kv in sorted(per_class.items())))


def crop(src, out, pad):
    images = os.path.join(src, "images")
    annotations = os.path.join(src, "annotations")
    n = 0
    for name in sorted(os.listdir(annotations)):
        stem = name[:-4]
        image = cv2.imread(os.path.join(images, stem + ".jpg"))
        height, width = image.shape[:2]
        for k, (label, x1, y1, x2, y2) in enumerate(boxes(os.path.join(annotations, name))):
            folder = os.path.join(out, label)
            os.makedirs(folder, exist_ok=True)
            left, top = max(int(math.floor(x1 - pad)), 0), max(int(math.floor(y1 - pad)), 0)
            right, bottom = min(int(math.ceil(x2 + pad)), width), min(int(math.ceil(y2 + pad)), height)
            cv2.imwrite(os.path.join(folder, "%s_%d.jpg" % (stem, k)), image[top:bottom, left:right],
                        [cv2.IMWRITE_JPEG_QUALITY, 95])
            n += 1
    print(n)


def overlaps(a, b):
    return not (a[2] + 1 <= b[0] or b[2] + 1 <= a[0] or a[3] + 1 <= b[1] or b[3] + 1 <= a[1])


def synth(objects, backgrounds, out, n, per_min, per_max, rotate, scale_min, scale_max, seed):
    rng = random.Random(seed)
    classes = sorted(os.listdir(objects))
    classes = [c for c in classes if os.path.isdir(os.path.join(objects, c))]
    crops = {c: sorted(os.listdir(os.path.join(objects, c))) for c in classes}
    classes = [c for c in classes if crops[c]]
    bgs = sorted(os.listdir(backgrounds))
    os.makedirs(os.path.join(out, "JPEGImages"), exist_ok=True)
    os.makedirs(os.path.join(out, "Annotations"), exist_ok=True)
    for i in range(n):
        canvas = cv2.imread(os.path.join(backgrounds, rng.choice(bgs)))
        height, width = canvas.shape[:2]
        placed, xml = [], []
        for _ in range(rng.randint(per_min, per_max)):
            label = rng.choice(classes)
            piece = cv2.imread(os.path.join(objects, label, rng.choice(crops[label])), cv2.IMREAD_UNCHANGED)
            scale = rng.uniform(scale_min, scale_max)
            piece = cv2.resize(piece, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
            h, w = piece.shape[:2]
            angle = rng.uniform(-rotate, rotate)
            m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
            c, s = abs(m[0, 0]), abs(m[0, 1])
            nw, nh = int(h * s + w * c + 1), int(h * c + w * s + 1)
            m[0, 2] += nw / 2 - w / 2
            m[1, 2] += nh / 2 - h / 2
            turned = cv2.warpAffine(piece, m, (nw, nh))
            mask = cv2.warpAffine(np.full((h, w), 255, np.uint8), m, (nw, nh))
            if nw > width or nh > height:
                continue
            for _ in range(100):
                x, y = rng.randint(0, width - nw), rng.randint(0, height - nh)
                box = (x, y, x + nw, y + nh)
                if not any(overlaps(box, p) for p in placed):
                    break
            else:
                continue
            placed.append(box)
            region = canvas[y:y + nh, x:x + nw]
            alpha = (mask.astype(np.float32) / 255.0)[:, :, None]
            region[:] = (turned[:, :, :3] * alpha + region * (1 - alpha)).astype(np.uint8)
            xml.append("<object><name>%s</name><bndbox><xmin>%d</xmin><ymin>%d</ymin><xmax>%d</xmax>"
                       "<ymax>%d</ymax></bndbox></object>" % (label, box[0], box[1], box[2], box[3]))
        name = "synth_%06d" % i
        cv2.imwrite(os.path.join(out, "JPEGImages", name + ".jpg"), canvas, [cv2.IMWRITE_JPEG_QUALITY, 95])
        with open(os.path.join(out, "Annotations", name + ".xml"), "w") as f:
            f.write("<annotation><filename>%s.jpg</filename><size><width>%d</width><height>%d</height>"
                    "<depth>3</depth></size>%s</annotation>\n" % (name, width, height, "".join(xml)))
    print(n)


if __name__ == "__main__":
    cv2.setNumThreads(1)
    command = sys.argv[1]
    if command == "stats":
        stats(sys.argv[2])
    elif command == "crop":
        crop(sys.argv[2], sys.argv[3], float(sys.argv[4]))
    else:
        synth(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]),
              float(sys.argv[8]), float(sys.argv[9]), float(sys.argv[10]), int(sys.argv[11]))
