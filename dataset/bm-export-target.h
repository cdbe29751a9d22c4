/* bm-export-target.h: the dataset formats Boxmark writes — by `boxmark-cli convert` and
 * `augment` (--to), the window's exports and the augmentation panel — and their folders.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  BM_EXPORT_TARGET_VOC,        /* Annotations/STEM.xml + JPEGImages/ */
  BM_EXPORT_TARGET_DOTA,       /* labelTxt/STEM.txt + images/ */
  BM_EXPORT_TARGET_YOLO,       /* Ultralytics: labels/ + images/ + data.yaml */
  BM_EXPORT_TARGET_YOLO_OBB,   /* the same with 4-corner OBB rows */
  BM_EXPORT_N_TARGETS
} BmExportTarget;

/* "voc", "dota", "yolo" or "yolo-obb", in any case. */
gboolean    bm_export_target_from_string  (const char     *name,
                                           BmExportTarget *target);
const char *bm_export_target_to_string    (BmExportTarget  target);
gboolean    bm_export_target_is_yolo      (BmExportTarget  target);
/* "JPEGImages" for VOC, else "images". */
const char *bm_export_target_image_folder (BmExportTarget  target);
/* "Annotations", "labelTxt" or "labels". */
const char *bm_export_target_label_folder (BmExportTarget  target);
/* "xml" for VOC, else "txt". */
const char *bm_export_target_label_extension (BmExportTarget target);

G_END_DECLS
