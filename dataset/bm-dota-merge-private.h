/* bm-dota-merge-private.h: the arithmetic of DOTA_devkit's ResultMerge, shared by the merge,
 * its tests and its benchmark.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "bm-dota-merge.h"

G_BEGIN_DECLS

/* DOTA_devkit's polyiou.iou_poly on two quadrilaterals (x1 y1 … x4 y4): intersection over union
 * by triangle fans from the origin, operation for operation, so that the same doubles come out
 * (it is not symmetric in its arguments, nor exact: disjoint quadrilaterals give rounding
 * noise, a bow-tie its signed-area garbage, two zero-area ones NaN). */
double bm_dota_poly_iou (const double p[8], const double q[8]);

/* NumPy 1.24's np.argsort(values) (kind "quicksort": an introsort), with its order of equal
 * values, which is neither stable nor reversed-stable. @order receives the indices. */
void   bm_npy_argsort   (const double *values, gsize n, gsize *order);

/* One image's detections, @stride doubles each: the coordinates (8 for POLY, 4 for RECT) then
 * the score. Returns the indices kept, in the order ResultMerge keeps them (guint). */
GArray *bm_dota_nms     (const double *dets, gsize n, BmDotaMergeNms nms, double thresh,
                         guint64 *n_iou);

G_END_DECLS
