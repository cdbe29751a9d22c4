/* bm-eval-numpy.h: the few NumPy 1.24 operations whose exact behaviour the reference
 * evaluators' figures depend on, reproduced operation by operation.
 *
 * - np.argsort (kind 'quicksort', the default): an introsort whose order of equal keys is
 *   neither file order nor stable. py-faster-rcnn's voc_eval and DOTA_devkit visit detections
 *   in np.argsort(-confidence) order, so tied scores change AP unless the order is the same.
 * - np.sum / np.mean of float64: pairwise summation in buffers of 8192 elements, which a plain
 *   loop does not reproduce in the last bits (VOC all-points AP, COCOeval.summarize).
 * - np.arange(0., 1.1, 0.1) and np.linspace: thresholds such as 0.30000000000000004 and
 *   0.8999999999999999, which decide whether a recall or an IoU reaches them.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* NumPy's float64 "less": NaN sorts after every number. */
static inline gboolean
bm_np_less (double a, double b)
{
  return a < b || (b != b && a == a);
}

/* np.argsort(@values) with kind='quicksort': fills @order (n entries) with the permutation. */
void   bm_np_argsort_quick  (const double *values, guint n, guint *order);
/* np.argsort(@values, kind='mergesort'): stable, equal keys keep their order. */
void   bm_np_argsort_stable (const double *values, guint n, guint *order);

/* np.sum of a contiguous float64 array of @n values (0.0 when empty). */
double bm_np_sum            (const double *values, gsize n);
/* np.mean: np.sum / n (NaN when empty, as NumPy). */
double bm_np_mean           (const double *values, gsize n);

/* The 11 thresholds of np.arange(0., 1.1, 0.1). */
void   bm_np_voc07_thresholds (double thresholds[11]);
/* np.linspace(@start, @stop, @num) with endpoint=True. */
void   bm_np_linspace       (double start, double stop, guint num, double *out);

G_END_DECLS
