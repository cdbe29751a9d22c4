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

/* bm_label_save(), and when the save could not keep the file's owner (only root can give a file
 * to another user), @notice (may be NULL) says so; free with g_free. The save is refused with
 * BM_ERROR_CONFLICT when the file no longer holds the bytes it was read from (compared by
 * content, with the label folder's lock held through the rename, see bm_file_write_full). */
gboolean      bm_label_save_full (BmAnnotation *annotation, char **notice, GError **error);

/* Changes @annotation; returns how many changes were made (0: nothing to save) or -1 with
 * @error set. */
typedef int (*BmLabelUpdateFunc) (BmAnnotation *annotation, gpointer user_data, GError **error);

/* Loads @item's labels, lets @update change them and saves them, with the label folder's lock
 * held throughout, so concurrent Boxmark writers (two `detect --write` runs, the window) take
 * turns and each one's changes reach the file. Refuses a label file with problems
 * (BM_ERROR_READ_ONLY). Returns @update's count, or -1 with @error. @notice as for
 * bm_label_save_full(). */
int           bm_label_update (const BmDatasetItem *item, BmLabelUpdateFunc update,
                               gpointer user_data, char **notice, GError **error);

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
