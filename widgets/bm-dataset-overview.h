/* bm-dataset-overview.h: the dataset's statistics as charts, all of them one below the other (dataset/bm-dataset-stats-chart, the
 * very charts `boxmark-cli stats --plot` writes), counted in the background. Clicking a bar asks
 * for its images to be shown (::show-items); so does "the smallest N % of a class's objects".
 *
 * Actions (on the widget):
 *   overview.show-bar (ii)   the images behind bar j of chart i (BmStatsChartKind)
 *   overview.show-smallest   the images holding the smallest N % of the chosen class's objects
 *   overview.show-all        every image again (::show-items with NULL)
 *   overview.refresh         count again (labels saved since)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "core/bm-dataset.h"
#include "dataset/bm-dataset-stats-chart.h"

G_BEGIN_DECLS

#define BM_TYPE_DATASET_OVERVIEW (bm_dataset_overview_get_type ())
G_DECLARE_FINAL_TYPE (BmDatasetOverview, bm_dataset_overview, BM, DATASET_OVERVIEW, GtkWidget)

GtkWidget          *bm_dataset_overview_new          (void);
/* Counts @dataset (NULL: nothing) on a worker thread; a count under way is cancelled. */
void                bm_dataset_overview_set_dataset  (BmDatasetOverview *self,
                                                      BmDataset         *dataset);
/* The numbers shown, NULL while counting. */
BmDatasetStats     *bm_dataset_overview_get_stats    (BmDatasetOverview *self);
gboolean            bm_dataset_overview_is_counting  (BmDatasetOverview *self);
/* The class of the size and shape charts and of overview.show-smallest; -1 for all. */
void                bm_dataset_overview_set_class    (BmDatasetOverview *self,
                                                      int                klass);
/* The chart of @kind shown (the charts are stacked in the order of BmStatsChartKind), NULL while
 * counting. */
const BmStatsChart *bm_dataset_overview_get_chart    (BmDatasetOverview *self,
                                                      BmStatsChartKind   kind);
/* For overview.show-smallest, in per cent (0 < @percent ≤ 100). */
void                bm_dataset_overview_set_percent  (BmDatasetOverview *self,
                                                      double             percent);

G_END_DECLS
