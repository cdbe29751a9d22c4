/* bm-eval-gt.h: the ground truth an evaluation compares predictions with, read from any dataset
 * Boxmark reads (VOC, DOTA, YOLO, label folders without images) or from a COCO instances JSON.
 *
 * Objects keep their file order per image (the reference evaluators index ground truth that
 * way) and every form an evaluator takes them in: the corners as written (DOTA Task1, and Task2
 * takes points 1 and 3), the enclosing box (VOC), COCO's [x, y, w, h], area, crowd flag and id.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "core/bm-geometry.h"
#include "core/bm-problem.h"

G_BEGIN_DECLS

typedef struct
{
  guint klass;          /* index of its class */
  int difficult;        /* 0; 1 difficult (COCO: crowd); 2 DOTA's cut object */
  gboolean iscrowd;     /* COCO crowd: "iscrowd" of a COCO file, else difficult != 0 */
  BmShapeKind shape;
  double quad[8];       /* corners in file order; a box: (x1 y1) (x2 y1) (x2 y2) (x1 y2) */
  double box[4];        /* enclosing box: xmin ymin xmax ymax */
  double coco[4];       /* COCO bbox: x y w h as the file gives it, else x1 y1 (x2-x1) (y2-y1) */
  double area;          /* COCO area: the file's, else w * h */
  gint64 id;            /* COCO annotation id, else 1, 2, … in reading order */
  guint line;           /* where it was read (0: not known) */
} BmEvalGtObject;

typedef struct
{
  char *id;             /* the label file's stem (COCO: the file_name's stem) */
  char *image_path;     /* NULL when not known */
  char *label_path;     /* NULL for an image without a label file */
  gint64 coco_id;       /* COCO image id, else 1, 2, … in dataset order */
  int width, height;    /* 0 when not known */
  guint first;          /* its objects: first … first + n_objects - 1 */
  guint n_objects;
} BmEvalGtImage;

typedef struct _BmEvalGt BmEvalGt;

/* @path: a COCO instances .json, or a dataset folder (or a folder of label files). NULL with
 * @error when nothing can be read; problems of single files are in bm_eval_gt_get_problems. */
BmEvalGt             *bm_eval_gt_load           (const char *path, GError **error);

typedef enum
{
  BM_EVAL_GT_DEFAULT       = 0,
  /* images never labelled are images without objects (reviewing predictions: those are where
   * objects are missing) instead of no ground truth at all */
  BM_EVAL_GT_WITH_UNLABELLED = 1 << 0,
} BmEvalGtFlags;

BmEvalGt             *bm_eval_gt_load_full      (const char *path, BmEvalGtFlags flags, GError **error);
BmEvalGt             *bm_eval_gt_ref            (BmEvalGt *self);
void                  bm_eval_gt_unref          (BmEvalGt *self);

const char           *bm_eval_gt_get_path       (BmEvalGt *self);
/* TRUE when read from a COCO instances file. */
gboolean              bm_eval_gt_is_coco        (BmEvalGt *self);
/* The dataset's label format as text ("voc", "dota", "yolo", "coco"). */
const char           *bm_eval_gt_get_format     (BmEvalGt *self);

const BmEvalGtImage  *bm_eval_gt_get_images     (BmEvalGt *self, guint *n_images);
const BmEvalGtObject *bm_eval_gt_get_objects    (BmEvalGt *self, guint *n_objects);
int                   bm_eval_gt_find_image     (BmEvalGt *self, const char *id);
int                   bm_eval_gt_find_coco_image (BmEvalGt *self, gint64 coco_id);

/* Classes: a COCO file's categories in file order; a dataset's class file, then the labels met. */
guint                 bm_eval_gt_get_n_classes  (BmEvalGt *self);
const char           *bm_eval_gt_get_class      (BmEvalGt *self, guint index);
/* COCO category id (a dataset: position + 1). */
gint64                bm_eval_gt_get_category_id (BmEvalGt *self, guint index);
int                   bm_eval_gt_find_class     (BmEvalGt *self, const char *name);
int                   bm_eval_gt_find_category  (BmEvalGt *self, gint64 id);
/* The class list of a dataset whose class file names YOLO ids (data.yaml, classes.txt), or NULL. */
const char           *bm_eval_gt_get_class_file (BmEvalGt *self);

/* BmProblem *: what could not be read. */
GPtrArray            *bm_eval_gt_get_problems   (BmEvalGt *self);
/* BmProblem *: read, but a reference evaluator would not have (float VOC coordinates, …). */
GPtrArray            *bm_eval_gt_get_notes      (BmEvalGt *self);
/* A VOC file of the ground truth with a coordinate that is not a whole number (py-faster-rcnn
 * reads them with int() and stops), or NULL. */
const char           *bm_eval_gt_get_fractional_voc_file (BmEvalGt *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmEvalGt, bm_eval_gt_unref)

G_END_DECLS
