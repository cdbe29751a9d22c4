/* bm-yolo-check.h: Ultralytics' label rules, checked strictly before training.
 *
 * Ultralytics (data/utils.py verify_image_label) ignores *every* label of an image when one row
 * is wrong. This checker reports each such row as FILE:LINE: problem:
 *   - a row that is not numbers, a detect row without exactly 5 columns, a polygon/OBB row with
 *     an odd number of coordinates;
 *   - a 5-column row in a file that also has longer rows (Ultralytics then reads it as a
 *     2-point polygon);
 *   - a box value (for OBB and polygon rows: of their enclosing box as cx cy w h) outside
 *     [-0.01, 1.01];
 *   - a class id that is not a whole number, negative, or ≥ nc;
 *   - a duplicate row (Ultralytics drops it with a warning);
 *   - a line holding only blanks between rows (Ultralytics cannot read the file).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @nc < 0: the class count is unknown and ids are not checked against it. Returns a new
 * array of BmProblem (empty when the file is clean). */
GPtrArray *bm_yolo_check_data    (const char *data, gsize length, const char *path, int nc);
/* NULL and @error when the file cannot be read. */
GPtrArray *bm_yolo_check_file    (const char *path, int nc, GError **error);

/* Checks every label file of the YOLO dataset at @root: *.txt below folders named "labels"
 * (Ultralytics images/… + labels/… and Roboflow train/labels layouts), or the *.txt beside the
 * images when there are none. The class count comes from @class_file (data.yaml or
 * classes.txt), or from data.yaml / classes.txt found at @root. Problems are appended to
 * @problems; @n_files (may be NULL) gets the number of label files checked. FALSE and @error
 * only when the dataset cannot be read at all. */
gboolean   bm_yolo_check_dataset (const char *root, const char *class_file, GPtrArray *problems,
                                  guint *n_files, GError **error);

G_END_DECLS
