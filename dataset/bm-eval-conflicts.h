/* bm-eval-conflicts.h: where predictions and labels disagree, image by image — what a reviewer
 * looks at (`boxmark-cli eval --errors`, and the window's review against predictions).
 *
 * Only predictions scoring at least the score threshold take part. In each image they are taken
 * by score; each matches the best free label of its class with IoU ≥ iou. Then:
 *   possibly missing  a prediction that matches nothing: maybe an object nobody labelled
 *   duplicate         a prediction on a label another prediction matched already
 *   wrong class       a prediction overlapping a label of another class with IoU ≥ iou
 *   loose box         a prediction of the label's class overlapping it with IoU in [loose, iou)
 *   unmatched label   a label no prediction matched or explains: missed, or a label too many
 * Difficult labels never make a conflict. IoU: boxes without +1; quadrilaterals and rotated
 * boxes with the polygon IoU. All thresholds are options (FiftyOne hard-codes them).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "bm-eval-gt.h"
#include "bm-pred-set.h"

G_BEGIN_DECLS

typedef enum
{
  BM_CONFLICT_POSSIBLY_MISSING,
  BM_CONFLICT_UNMATCHED_LABEL,
  BM_CONFLICT_WRONG_CLASS,
  BM_CONFLICT_LOOSE_BOX,
  BM_CONFLICT_DUPLICATE,
  BM_CONFLICT_N_KINDS,
} BmConflictKind;

/* "possibly-missing", "unmatched-label", "wrong-class", "loose-box", "duplicate". */
const char *bm_conflict_kind_to_string   (BmConflictKind kind);
gboolean    bm_conflict_kind_from_string (const char *name, BmConflictKind *kind);

typedef struct
{
  double score_threshold;   /* 0.5 */
  double iou;               /* 0.5 */
  double loose_iou;         /* 0.1 */
} BmEvalConflictOptions;

void bm_eval_conflict_options_init (BmEvalConflictOptions *options);

typedef struct
{
  BmConflictKind kind;
  guint image;          /* ground-truth image */
  int pred;             /* prediction (index in the set), or -1 for an unmatched label */
  int object;           /* ground-truth object (index in the ground truth), or -1 */
  double score;         /* the prediction's */
  double iou;           /* between the two; the best IoU with any label for possibly missing */
  const char *pred_class;  /* the prediction's class name, or NULL */
  double box[4];        /* the prediction's enclosing box in pixels */
} BmConflict;

typedef struct _BmEvalConflicts BmEvalConflicts;

/* Finds the conflicts of every image of @gt. Predictions on images the ground truth does not
 * have, or with classes it cannot name, are left out (bm_eval_run reports them). */
BmEvalConflicts   *bm_eval_conflicts_find       (BmEvalGt                    *gt,
                                                 BmPredSet                   *preds,
                                                 const BmEvalConflictOptions *options);
void               bm_eval_conflicts_free       (BmEvalConflicts             *conflicts);

guint              bm_eval_conflicts_get_n      (BmEvalConflicts             *conflicts);
guint              bm_eval_conflicts_get_n_images (BmEvalConflicts           *conflicts);
guint              bm_eval_conflicts_count_kind (BmEvalConflicts             *conflicts,
                                                 BmConflictKind               kind);
/* The conflicts of ground-truth image @image, in the order found. */
const BmConflict  *bm_eval_conflicts_for_image  (BmEvalConflicts             *conflicts,
                                                 guint                        image,
                                                 guint                       *n);
/* How many conflicts of @kind image @image has. */
guint              bm_eval_conflicts_image_count (BmEvalConflicts            *conflicts,
                                                  guint                       image,
                                                  BmConflictKind              kind);

/* Per image, each conflict: JSON when @path ends in .json, else text. Written atomically. */
gboolean           bm_eval_conflicts_write      (BmEvalConflicts             *conflicts,
                                                 const char                  *path,
                                                 GError                     **error);
char              *bm_eval_conflicts_to_text    (BmEvalConflicts             *conflicts);
char              *bm_eval_conflicts_to_json    (BmEvalConflicts             *conflicts);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmEvalConflicts, bm_eval_conflicts_free)

G_END_DECLS
