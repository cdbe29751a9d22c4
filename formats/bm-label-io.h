/* bm-label-io.h: load and save an image's labels in whatever format its dataset uses.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "core/bm-annotation.h"
#include "core/bm-dataset.h"

G_BEGIN_DECLS

/* Loads the labels of @item: its label file when it has one, otherwise an empty annotation
 * that will be saved to item->label_path in item->format. Sets image path and, when the label
 * file lacks it, the image size from the image header. DOTA and YOLO verification comes from
 * the folder's sidecar (see bm_label_save). Thread-safe: the GUI loads in worker threads. */
BmAnnotation *bm_label_load (const BmDatasetItem *item, GError **error);

typedef enum
{
  BM_LABEL_LOAD_DEFAULT   = 0,
  /* The annotation will only be read (exported, counted, checked), never saved: VOC files
   * skip what lossless saving needs (see BM_VOC_LOAD_NO_BACKING). */
  BM_LABEL_LOAD_FOR_READING = 1 << 0,
} BmLabelLoadFlags;

BmAnnotation *bm_label_load_full (const BmDatasetItem *item, BmLabelLoadFlags flags, GError **error);

/* Saves @annotation to its label path in its format, atomically and losslessly. VOC keeps
 * verified in the file; DOTA and YOLO keep it in a sidecar ".boxmark-verified" in the label
 * folder (one label file name per line) so their files stay standard. Refuses read-only
 * annotations. */
gboolean      bm_label_save (BmAnnotation *annotation, GError **error);

/* Whether the sidecar of @label_path lists it as verified. */
gboolean      bm_label_sidecar_is_verified (const char *label_path);

/* Lists (TRUE) or unlists @label_path in its folder's sidecar. */
gboolean      bm_label_sidecar_set_verified (const char *label_path, gboolean verified, GError **error);

/* Writes the sidecar of @label_dir listing exactly @verified_names (char *: label file names in
 * that folder), replacing one that is there; with no names and no sidecar, writes nothing. For
 * exporters writing a new folder. */
gboolean      bm_label_write_sidecar (const char *label_dir, GPtrArray *verified_names, GError **error);

/* bm_label_write_sidecar for each folder of @verified_paths (char *: label file paths). */
gboolean      bm_label_write_sidecars (GPtrArray *verified_paths, GError **error);

G_END_DECLS
