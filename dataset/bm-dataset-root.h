/* bm-dataset-root.h: the dataset an image belongs to, when only the image is named (an image
 * given on the command line, chosen in the open dialog or dropped on the window).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "core/bm-dataset.h"

G_BEGIN_DECLS

/* Opens the dataset that lists @image_path: the nearest of the image's folder and its ancestors
 * (up to three above it) whose layout — VOC (Annotations/), DOTA (labelTxt/), YOLO (labels/,
 * Ultralytics or Roboflow) — pairs the image with its label file, else the image's own folder
 * (flat: labels beside the image). @recursive as for bm_dataset_open (a dataset that lists the
 * image only when its subfolders are read is opened recursively). *@index is the image's item.
 * So its labels are found where they are, and a new label file goes into the dataset's own label
 * folder, never beside the image. */
BmDataset *bm_dataset_open_for_image (const char *image_path, gboolean recursive, int *index,
                                      GError **error);

G_END_DECLS
