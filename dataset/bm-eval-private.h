/* bm-eval-private.h: the evaluation's input once predictions are tied to the ground truth, and
 * the evaluators that read it. Not for other modules.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bm-eval.h"

G_BEGIN_DECLS

typedef struct
{
  guint pred;          /* index in the prediction set */
  guint image;         /* ground-truth image; n_gt_images + k for the k-th image-set id without one */
  guint klass;         /* evaluated class */
  double score;
  double box[4];       /* x1 y1 x2 y2 */
  double quad[8];
  double coco[4];      /* x y w h */
  gint64 det_id;       /* COCO: position in the results + 1 */
} BmEvalDet;

typedef struct
{
  BmEvalGt *gt;
  const BmEvalGtImage *images;
  guint n_gt_images;
  const BmEvalGtObject *objects;
  /* the image set, duplicates kept (voc_eval counts a repeated image's objects twice in npos) */
  GArray *set;             /* guint image indices as in BmEvalDet.image */
  gboolean *in_set;        /* per ground-truth image */
  gint64 *coco_ids;        /* per ground-truth image: its COCO id (a dataset with an image set:
                            * its place in the set, so COCO takes the images in that order) */
  guint n_extra_images;    /* image-set ids without ground truth */
  /* the classes evaluated */
  GPtrArray *names;        /* char * */
  GArray *category_ids;    /* gint64 */
  int *class_of_gt;        /* ground-truth class → evaluated class, or -1 */
  BmEvalDet *dets;         /* in prediction order (bm_eval_alloc_large) */
  guint n_dets;
  GArray **class_dets;     /* per evaluated class: indices into dets, in prediction order */
} BmEvalInput;

static inline gboolean
bm_eval_input_has_objects (const BmEvalInput *input, guint image)
{
  return image < input->n_gt_images;
}

/* Ties @preds to @gt: images, classes (@all_classes: every class of both, else the evaluated
 * ones), pixel coordinates. Problems and notes go to @result. */
BmEvalInput  *bm_eval_bind        (BmEvalGt *gt, BmPredSet *preds, const BmEvalOptions *options,
                                   gboolean all_classes, BmEvalResult *result, GError **error);
void          bm_eval_input_free  (BmEvalInput *input);
BmEvalResult *bm_eval_result_new  (const BmEvalOptions *options);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmEvalInput, bm_eval_input_free)

BmEvalClass *bm_eval_class_new   (const char *name, gint64 category_id);
void         bm_eval_class_free  (BmEvalClass *klass);

/* IoU as a reviewer sees it (conflicts, confusion matrix): boxes without +1, the polygon IoU
 * when either is a quadrilateral or rotated box. */
double       bm_eval_overlap     (const BmEvalGtObject *object, const BmEvalDet *det, gboolean det_is_quad);

/* voc07, voc, dota-task1, dota-task2: one class. */
void         bm_eval_voc_class   (const BmEvalInput *input, BmEvalMetric metric, gboolean all_points,
                                  double threshold, guint klass, BmEvalClass *out);
/* coco: every class, the stats and the per-detection matches. */
void         bm_eval_coco        (const BmEvalInput *input, double iou, BmEvalResult *result);

G_END_DECLS
