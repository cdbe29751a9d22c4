/* bm-dota-merge-private.h: the arithmetic of DOTA_devkit's ResultMerge, shared by the merge,
 * its tests and its benchmark.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "bm-dota-merge.h"

G_BEGIN_DECLS

/* Polygon NMS measures overlap with bm_eval_poly_iou (bm-eval-polyiou.h): DOTA_devkit's polyiou,
 * operation for operation, shared with the Task1 evaluation. */

/* NumPy 1.24's np.argsort(values) (kind "quicksort": an introsort), with its order of equal
 * values, which is neither stable nor reversed-stable. @order receives the indices. */
void   bm_npy_argsort   (const double *values, gsize n, gsize *order);

/* One image's detections, @stride doubles each: the coordinates (8 for POLY, 4 for RECT) then
 * the score. Returns the indices kept, in the order ResultMerge keeps them (guint). */
GArray *bm_dota_nms     (const double *dets, gsize n, BmDotaMergeNms nms, double thresh,
                         guint64 *n_iou);

G_END_DECLS
