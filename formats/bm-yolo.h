/* bm-yolo.h: YOLO label files (Ultralytics detect, OBB and segmentation rows): reading, and the
 * rows written on export.
 *
 * Rows are split on any whitespace, as Ultralytics does:
 *   detect  `class cx cy w h`            → BM_SHAPE_BOX
 *   OBB     `class x1 y1 x2 y2 x3 y3 x4 y4` → BM_SHAPE_QUAD (corner order kept)
 *   polygon `class x1 y1 … xn yn` (n = 3 or n ≥ 5) → its enclosing BM_SHAPE_BOX with the
 *           attribute "yolo-shape" = "polygon" (what Ultralytics trains a detector on)
 * Values are normalised by the EXIF-oriented image size. Any of them may be followed by a
 * confidence, as Ultralytics' `save_conf` writes predictions (`class cx cy w h conf`): such a
 * row is a pre-annotation with that score, and a pre-annotation with a score is saved that way
 * (once accepted, without the column). Training would skip the image while one is left, which
 * `boxmark-cli validate --yolo-strict` reports; exports write plain rows.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "core/bm-annotation.h"
#include "bm-class-list.h"

G_BEGIN_DECLS

typedef enum
{
  BM_YOLO_DETECT,   /* cls cx cy w h */
  BM_YOLO_OBB,      /* cls x1 y1 … x4 y4 */
} BmYoloTask;

/* Ultralytics ignores all labels of an image when a box value leaves this range. */
#define BM_YOLO_MIN_VALUE (-0.01)
#define BM_YOLO_MAX_VALUE 1.01

/* Reads @path for an image of @width x @height (EXIF-oriented). @classes names the ids; without
 * it the label is the id as text. Bad rows become BmProblems (FILE:LINE), the good ones load and
 * the annotation is read-only. Each object's origin is its line number. */
BmAnnotation *bm_yolo_load      (const char *path, BmClassList *classes, int width, int height, GError **error);
BmAnnotation *bm_yolo_load_data (const char *data, gsize length, const char *path,
                                 BmClassList *classes, int width, int height, GError **error);

/* The class list of the YOLO dataset holding @label_path: data.yaml (or another *.yaml with
 * names), classes.txt, predefined_classes.txt or obj.names in the label folder or its parents up
 * to the dataset root (the folder holding labels/, or for Roboflow's ROOT/train/labels, ROOT),
 * never more than two folders above labels/; for a label folder outside any labels/ folder, that
 * folder only. NULL when there is none. Free with g_free. */
char         *bm_yolo_find_class_file (const char *label_path);

/* Loads @label_path for @image_path (may be NULL: then the size is unknown and loading fails),
 * with the class list found by bm_yolo_find_class_file() and the image size from its header.
 * The original lines are kept so bm_yolo_save() rewrites only edited rows. */
BmAnnotation *bm_yolo_load_for_image (const char *label_path, const char *image_path, GError **error);
/* The same for @label_path's contents @data. */
BmAnnotation *bm_yolo_load_data_for_image (const char *data, gsize length, const char *label_path,
                                           const char *image_path, GError **error);

/* Writes @annotation to @path: unchanged rows keep their bytes, an object whose label alone
 * changed keeps its number texts, an edited polygon keeps its points (moved and scaled with its
 * box; turning it into a rotated box or quad is refused), and other edited and new objects are
 * written as detect rows, or as 4-corner rows when the file holds OBB or polygon rows or a shape
 * is not an axis-aligned box. Values are written as they are, never clipped; an edited or new
 * object entirely outside the image fails the save (nothing is written).
 * Class ids: a file read without a class list keeps its ids (its labels are the ids; another
 * label is an error asking for a class list, and no class list is ever created). Otherwise a
 * label missing from a classes.txt is appended to it (existing ids never change); a label
 * missing from a data.yaml is an error. Refuses read-only annotations. */
gboolean      bm_yolo_save      (BmAnnotation *annotation, const char *path, GError **error);

typedef enum
{
  BM_YOLO_ROW_OK,
  BM_YOLO_ROW_CLIPPED,     /* a detect row (or an OBB row with clip) was cut to the image */
  BM_YOLO_ROW_OUTSIDE,     /* nothing of the object is inside the image: no row written */
  BM_YOLO_ROW_OUT_OF_RANGE,/* an OBB row whose enclosing box Ultralytics would reject (written) */
} BmYoloRowResult;

/* TRUE when @annotation was read from a YOLO file without a class list: its labels are the
 * class ids as text ("0", "3", …). */
gboolean      bm_yolo_labels_are_ids (BmAnnotation *annotation);

/* Appends one row (no line ending) for @object with class @class_id. Detect rows are always
 * clipped to the image; a rotated box or quad becomes its enclosing box (*enclosed set TRUE).
 * OBB rows keep their corners unless @clip. Numbers are "%.6f" whatever the locale. */
BmYoloRowResult bm_yolo_append_row (GString *out, BmObject *object, guint class_id,
                                    int width, int height, BmYoloTask task, gboolean clip,
                                    gboolean *enclosed);

/* The whole file for @annotation; every label must be in @classes (else BM_ERROR_NOT_FOUND
 * naming it). Objects entirely outside the image are left out and counted in @n_outside. */
char         *bm_yolo_to_data   (BmAnnotation *annotation, BmClassList *classes, int width, int height,
                                 BmYoloTask task, gboolean clip, guint *n_clipped, guint *n_outside,
                                 gsize *length, GError **error);

/* The class ids of @data's rows changed by @map: a row with id i < @n_map gets map[i], or is
 * dropped (with its line ending) when map[i] < 0; other ids, blank and header lines stay. Only
 * the id tokens change: every other byte is kept. A row whose first token is not a class id
 * fails with BM_ERROR_PARSE "FILE:LINE: problem" (nothing can be said about its class).
 * @n_changed: rows whose id changed or that were dropped. Free with g_free. */
char         *bm_yolo_remap_class_ids (const char *data, gsize length, const char *path,
                                       const int *map, guint n_map, guint *n_changed,
                                       gsize *out_length, GError **error);

/* "%.6f" with a dot whatever the locale, and never "-0.000000". */
void          bm_yolo_append_value (GString *out, double value);

G_END_DECLS
