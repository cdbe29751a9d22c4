/* bm-eval-plot.h: precision–recall curves and a confusion matrix, drawn with cairo (text with
 * pango, so class names in any script are drawn with the fonts the system has), as PNG and SVG.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "bm-eval.h"

G_BEGIN_DECLS

/* Counts of predicted class × true class, as Ultralytics' ConfusionMatrix counts them: the
 * predictions scoring at least the threshold are paired with labels of any class by IoU (≥ @iou,
 * highest first, each once); a label left alone counts as missed (predicted "background"), a
 * prediction left alone as a false alarm (true "background"). Difficult labels count as any. */
typedef struct
{
  GPtrArray *names;   /* char *: the ground truth's classes, then classes only predicted */
  guint n;            /* names->len; the matrix is (n + 1) × (n + 1), index n = background */
  guint *counts;      /* counts[predicted * (n + 1) + true] */
} BmEvalConfusion;

BmEvalConfusion *bm_eval_confusion_compute (BmEvalGt *gt, BmPredSet *preds, double score_threshold, double iou);
void             bm_eval_confusion_free    (BmEvalConfusion *confusion);

/* Writes into @dir (made when missing): pr-curves.png/.svg (every class), pr-NN-CLASS.png/.svg
 * (one per class) and confusion-matrix.png/.svg. Files are replaced atomically. @written gets
 * each path (may be NULL). */
gboolean         bm_eval_plot_write        (BmEvalResult *result,
                                            BmEvalGt     *gt,
                                            BmPredSet    *preds,
                                            double        score_threshold,
                                            const char   *dir,
                                            GPtrArray    *written,
                                            GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmEvalConfusion, bm_eval_confusion_free)

G_END_DECLS
