/* bm-prediction-painter.h: predictions under review drawn over the labels, in their own style —
 * hollow, dashed, with class and score — coloured by their conflict with the labels.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "dataset/bm-pred-review.h"
#include "bm-canvas.h"

G_BEGIN_DECLS

/* The colour of a conflict kind (BM_CONFLICT_N_KINDS: a prediction that matches a label). */
void bm_prediction_painter_get_colour (int kind, GdkRGBA *colour);

/* Draws the predictions of @image scoring at least @score_threshold, not resolved, on @canvas
 * (view coordinates); @selected (a prediction index, -1) thicker; labels in conflict
 * (@highlight_labels: unmatched ones) get a halo. */
void bm_prediction_painter_draw       (BmCanvas     *canvas,
                                       cairo_t      *cr,
                                       BmPredReview *review,
                                       int           image,
                                       double        score_threshold,
                                       int           selected);

G_END_DECLS
