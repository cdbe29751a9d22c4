/* bm-prediction-panel.h: the review against predictions, beside the canvas — where the
 * predictions come from, the dataset's mAP and conflict counts, the score threshold, and the
 * conflicts of the image on screen.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "dataset/bm-pred-review.h"

G_BEGIN_DECLS

#define BM_TYPE_PREDICTION_PANEL (bm_prediction_panel_get_type ())
G_DECLARE_FINAL_TYPE (BmPredictionPanel, bm_prediction_panel, BM, PREDICTION_PANEL, GtkWidget)

GtkWidget    *bm_prediction_panel_new               (void);
/* The review shown (NULL: none); follows its ::changed. */
void          bm_prediction_panel_set_review        (BmPredictionPanel *self,
                                                     BmPredReview      *review);
BmPredReview *bm_prediction_panel_get_review        (BmPredictionPanel *self);
/* The review's image on screen, -1 for none. */
void          bm_prediction_panel_set_image         (BmPredictionPanel *self,
                                                     int                image);
int           bm_prediction_panel_get_image         (BmPredictionPanel *self);
/* The "score-threshold" property: the slider. */
double        bm_prediction_panel_get_score_threshold (BmPredictionPanel *self);
void          bm_prediction_panel_set_score_threshold (BmPredictionPanel *self,
                                                       double             threshold);
/* The conflict selected in the list (copied into @conflict); FALSE when none. */
gboolean      bm_prediction_panel_get_selected      (BmPredictionPanel *self,
                                                     BmConflict        *conflict);
/* Selects the next (@direction 1) or previous (-1) conflict of the image; FALSE when there is
 * none that way (the caller goes to another image). @from_end: start from the other end. */
gboolean      bm_prediction_panel_select_next       (BmPredictionPanel *self,
                                                     int                direction,
                                                     gboolean           from_start);
guint         bm_prediction_panel_get_n_conflicts   (BmPredictionPanel *self);

G_END_DECLS
