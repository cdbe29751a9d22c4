/* bm-pred-set.h: a model's detections (with scores) for a dataset, read from the files
 * detectors and benchmarks write:
 *
 *   voc         VOC results files comp4_det_test_<class>.txt: `image score xmin ymin xmax ymax`
 *   dota-task1  DOTA Task1_<class>.txt: `image score x1 y1 x2 y2 x3 y3 x4 y4`
 *   dota-task2  DOTA Task2_<class>.txt: `image score xmin ymin xmax ymax`
 *   coco        COCO results JSON: [{"image_id", "category_id", "bbox": [x, y, w, h], "score"}]
 *   yolo        Ultralytics txt with a trailing confidence: `cls cx cy w h conf` (detect) or
 *               `cls x1 y1 … x4 y4 conf` (OBB), normalised, one file per image
 *   labels      any label folder Boxmark reads (VOC XML with <score>, …) whose objects carry a score
 *
 * Detections keep the geometry their file gives (a COCO [x, y, w, h] is not turned into corners
 * here, YOLO values stay normalised): the evaluators convert them the way each reference does,
 * once the ground truth says what the image ids, class ids and image sizes are.
 *
 * Bad lines never stop the reading: each is a BmProblem (FILE:LINE: problem) and is left out.
 * Input that Boxmark accepts but a reference evaluator would stop on (double spaces, blank lines)
 * gives a note saying what the reference would do.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "core/bm-problem.h"
#include "formats/bm-class-list.h"

G_BEGIN_DECLS

typedef enum
{
  BM_PRED_FORMAT_AUTO,
  BM_PRED_FORMAT_VOC,
  BM_PRED_FORMAT_DOTA_TASK1,
  BM_PRED_FORMAT_DOTA_TASK2,
  BM_PRED_FORMAT_COCO,
  BM_PRED_FORMAT_YOLO,
  BM_PRED_FORMAT_LABELS,
} BmPredFormat;

/* "voc", "dota-task1", "dota-task2", "coco", "yolo", "labels" (and "auto"). */
const char *bm_pred_format_to_string   (BmPredFormat format);
gboolean    bm_pred_format_from_string (const char *name, BmPredFormat *format);

typedef enum
{
  BM_PRED_XYXY,        /* xy[0..3] = xmin ymin xmax ymax, pixels */
  BM_PRED_XYWH,        /* xy[0..3] = COCO x y w h, pixels */
  BM_PRED_QUAD,        /* xy[0..7] = 4 corners in file order, pixels */
  BM_PRED_YOLO_BOX,    /* xy[0..3] = cx cy w h, normalised by the image size */
  BM_PRED_YOLO_QUAD,   /* xy[0..7] = 4 corners, normalised */
} BmPredGeometry;

typedef struct
{
  guint image;          /* index of its image key */
  guint klass;          /* index of its class key */
  double score;
  BmPredGeometry geometry;
  double xy[8];
  guint file;           /* index of the file it was read from */
  guint line;           /* 1-based line in that file */
  guint index;          /* 0-based position in that file (line order, or JSON array order) */
} BmPred;

typedef struct _BmPredSet BmPredSet;

/* Reads @path (a file or a folder) as @format (BM_PRED_FORMAT_AUTO: found from the files).
 * NULL with @error only when nothing can be read at all (no such path, format not found);
 * otherwise the set, with what was wrong in its problems. */
BmPredSet     *bm_pred_set_read            (const char *path, BmPredFormat format, GError **error);
/* Reads one results file's bytes (for the fuzzer and tests): @format must be voc, dota-task1,
 * dota-task2, coco or yolo; @class_name names the class of a VOC/DOTA file; @path is used in
 * messages. */
BmPredSet     *bm_pred_set_read_data       (const char *data, gsize length, const char *path,
                                            BmPredFormat format, const char *class_name,
                                            GError **error);

BmPredSet     *bm_pred_set_ref             (BmPredSet *self);
void           bm_pred_set_unref           (BmPredSet *self);

BmPredFormat   bm_pred_set_get_format      (BmPredSet *self);
const char    *bm_pred_set_get_path        (BmPredSet *self);
/* In reading order: files sorted by name, lines in file order. */
const BmPred  *bm_pred_set_get_preds       (BmPredSet *self, guint *n_preds);
guint          bm_pred_set_get_n_images    (BmPredSet *self);
/* Image ids: file stems, the first token of a results line, or (COCO) the image_id as text. */
const char    *bm_pred_set_get_image       (BmPredSet *self, guint index);
guint          bm_pred_set_get_n_classes   (BmPredSet *self);
/* Class names, or (COCO) the category_id as text, or (YOLO) the class number as text. A VOC or
 * DOTA results file without detections still names its class here. */
const char    *bm_pred_set_get_class       (BmPredSet *self, guint index);
/* TRUE when image and class keys are COCO ids, as text. */
gboolean       bm_pred_set_has_coco_ids    (BmPredSet *self);
/* YOLO: the names found beside the predictions (data.yaml or classes.txt), or NULL. */
BmClassList   *bm_pred_set_get_yolo_names  (BmPredSet *self);
const char    *bm_pred_set_get_file        (BmPredSet *self, guint index);

/* BmProblem *: lines left out. */
GPtrArray     *bm_pred_set_get_problems    (BmPredSet *self);
/* BmProblem *: read, but a reference evaluator would have stopped there (the message says how). */
GPtrArray     *bm_pred_set_get_notes       (BmPredSet *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmPredSet, bm_pred_set_unref)

G_END_DECLS
