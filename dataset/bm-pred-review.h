/* bm-pred-review.h: a dataset's labels compared with a model's predictions, for the window's
 * review (GTK-free, so that it is tested without a display).
 *
 * Loading reads the dataset's labels (images never labelled count as images without objects:
 * that is where objects are missing), the predictions, their conflicts (bm-eval-conflicts.h)
 * and the mAP; it runs in a worker thread, and so does a new score threshold's recomputation of
 * the conflicts. The result is then only read from the main thread, except that a prediction
 * accepted as a label or dismissed no longer counts as a conflict.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "core/bm-object.h"
#include "bm-eval-conflicts.h"
#include "bm-eval.h"

G_BEGIN_DECLS

typedef struct
{
  guint pred;           /* index in the prediction set */
  const char *klass;    /* its class (interned) */
  double score;
  gboolean is_quad;     /* a quadrilateral; otherwise quad holds the box's corners */
  double quad[8];       /* pixels */
  int conflict;         /* BmConflictKind at the current thresholds, -1 when none */
  int object;           /* the label that conflict is about (index in the image), -1 */
  double iou;
  gboolean resolved;    /* accepted as a label or dismissed */
} BmReviewPred;

#define BM_TYPE_PRED_REVIEW (bm_pred_review_get_type ())
G_DECLARE_FINAL_TYPE (BmPredReview, bm_pred_review, BM, PRED_REVIEW, GObject)

/* Reads everything; blocking (run it in a thread: see bm_pred_review_load_async). @format
 * BM_PRED_FORMAT_AUTO finds it from the files. */
BmPredReview       *bm_pred_review_load          (const char          *dataset_root,
                                                  const char          *predictions,
                                                  BmPredFormat         format,
                                                  GCancellable        *cancellable,
                                                  GError             **error);
void                bm_pred_review_load_async    (const char          *dataset_root,
                                                  const char          *predictions,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
BmPredReview       *bm_pred_review_load_finish   (GAsyncResult        *result,
                                                  GError             **error);

const char         *bm_pred_review_get_predictions_path (BmPredReview *self);
BmPredSet          *bm_pred_review_get_preds     (BmPredReview        *self);
BmEvalGt           *bm_pred_review_get_gt        (BmPredReview        *self);
/* Problems of the predictions and of the labels, and notes (BmProblem *). */
GPtrArray          *bm_pred_review_get_problems  (BmPredReview        *self);

/* The metric of the mAP shown: DOTA Task1 for DOTA folders, VOC07 otherwise; and COCO's AP. */
BmEvalMetric        bm_pred_review_get_metric    (BmPredReview        *self);
double              bm_pred_review_get_map       (BmPredReview        *self);
double              bm_pred_review_get_coco_ap   (BmPredReview        *self);
BmEvalResult       *bm_pred_review_get_result    (BmPredReview        *self);

/* The review's image for the dataset image at @image_path, -1 when it has none. */
int                 bm_pred_review_find_image    (BmPredReview        *self,
                                                  const char          *image_path);
guint               bm_pred_review_get_n_images  (BmPredReview        *self);
const char         *bm_pred_review_get_image_path (BmPredReview       *self,
                                                  guint                image);
/* The predictions on @image, highest score first (all of them: draw those above the threshold). */
const BmReviewPred *bm_pred_review_get_image_preds (BmPredReview      *self,
                                                    guint              image,
                                                    guint             *n);
/* The conflicts of @image that are not resolved, in the order bm_eval_conflicts_find gives. */
GArray             *bm_pred_review_dup_conflicts (BmPredReview        *self,
                                                  guint                image);
/* Unresolved conflicts of @kind on @image; "fp" (BM_CONFLICT_N_KINDS) counts the predictions
 * in conflict: possibly missing, wrong class, loose box and duplicate. */
guint               bm_pred_review_count         (BmPredReview        *self,
                                                  guint                image,
                                                  BmConflictKind       kind);
guint               bm_pred_review_count_all     (BmPredReview        *self,
                                                  BmConflictKind       kind);
/* The next image after @image (@direction 1) or before it (-1) with an unresolved conflict,
 * wrapping around; -1 when there is none. */
int                 bm_pred_review_next_image    (BmPredReview        *self,
                                                  int                  image,
                                                  int                  direction);

const BmEvalConflictOptions *bm_pred_review_get_options (BmPredReview *self);
/* The conflicts at new thresholds, computed in a thread; the review changes (::changed) when
 * they are ready. */
void                bm_pred_review_set_options_async (BmPredReview                *self,
                                                      const BmEvalConflictOptions *options,
                                                      GCancellable                *cancellable,
                                                      GAsyncReadyCallback          callback,
                                                      gpointer                     user_data);
gboolean            bm_pred_review_set_options_finish (BmPredReview               *self,
                                                       GAsyncResult               *result,
                                                       GError                    **error);
/* The same, blocking (tests). */
void                bm_pred_review_set_options   (BmPredReview                *self,
                                                  const BmEvalConflictOptions *options);

/* The label prediction @pred becomes when accepted: its class and shape, no score. */
BmObject           *bm_pred_review_make_object   (BmPredReview        *self,
                                                  guint                pred);
/* Marks @pred accepted or dismissed: it is no longer a conflict (::changed). */
void                bm_pred_review_resolve       (BmPredReview        *self,
                                                  guint                pred);
gboolean            bm_pred_review_is_resolved   (BmPredReview        *self,
                                                  guint                pred);

G_END_DECLS
