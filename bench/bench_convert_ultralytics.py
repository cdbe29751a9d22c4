#!/usr/bin/python3
"""bench_convert_ultralytics.py SRC OUT: Pascal VOC (SRC/Annotations + SRC/JPEGImages) to YOLO
detect labels, written the plain way Ultralytics' VOC download script does it: xml.etree parses
every file, class ids come from a names list, one open() per label file. Images are hard-linked
into OUT/images/train so that both converters do the same file-system work. Written for
Boxmark's bench-convert, as the speed baseline."""
import os
import sys
import xml.etree.ElementTree as ET


def box_to_yolo(width, height, xmin, ymin, xmax, ymax):
    return ((xmin + xmax) / 2 / width, (ymin + ymax) / 2 / height,
            (xmax - xmin) / width, (ymax - ymin) / height)


def main():
    src, out = sys.argv[1], sys.argv[2]
    ann_dir = os.path.join(src, "Annotations")
    img_dir = os.path.join(src, "JPEGImages")
    images_out = os.path.join(out, "images", "train")
    labels_out = os.path.join(out, "labels", "train")
    os.makedirs(images_out)
    os.makedirs(labels_out)

    files = sorted(f for f in os.listdir(ann_dir) if f.endswith(".xml"))
    names = []
    for name in files:  # first pass: the class list (sorted labels), as our converter does
        for obj in ET.parse(os.path.join(ann_dir, name)).getroot().iter("object"):
            label = obj.find("name").text
            if label not in names:
                names.append(label)
    names.sort()

    for name in files:
        root = ET.parse(os.path.join(ann_dir, name)).getroot()
        size = root.find("size")
        width, height = int(size.find("width").text), int(size.find("height").text)
        stem = os.path.splitext(name)[0]
        with open(os.path.join(labels_out, stem + ".txt"), "w") as f:
            for obj in root.iter("object"):
                box = obj.find("bndbox")
                coords = [float(box.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax")]
                cx, cy, w, h = box_to_yolo(width, height, *coords)
                f.write("%d %.6f %.6f %.6f %.6f\n" % (names.index(obj.find("name").text), cx, cy, w, h))
        image = root.find("filename").text
        os.link(os.path.join(img_dir, image), os.path.join(images_out, image))

    with open(os.path.join(out, "data.yaml"), "w") as f:
        f.write("path: %s\ntrain: images/train\nval: images/train\nnames:\n" % os.path.abspath(out))
        for i, n in enumerate(names):
            f.write("  %d: %s\n" % (i, n))


if __name__ == "__main__":
    main()
