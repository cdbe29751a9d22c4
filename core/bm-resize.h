/* bm-resize.h: OpenCV's bicubic resize, for images scaled the way a Python tool scales them.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bm-image.h"

G_BEGIN_DECLS

/* The size cv2.resize(src, None, fx=@fx, fy=@fy) gives: each side times its factor, rounded
 * half to even. FALSE when a side would be 0 or too large. */
gboolean bm_resize_cubic_size (int width, int height, double fx, double fy,
                               int *out_width, int *out_height);

/* cv2.resize(src, None, fx=@fx, fy=@fy, interpolation=cv2.INTER_CUBIC) on an 8-bit image of
 * any channel count, as OpenCV 4.6 computes it on x86-64 (the horizontal pass in 11-bit fixed
 * point, the vertical one in single precision where OpenCV's SSE2 code runs and in fixed point
 * at the row ends, where its scalar code runs), so that the pixels are OpenCV's. RGB(A) images
 * give what OpenCV gives for the same pixels read as BGR(A) by cv2.imread: which samples of
 * the last pixel of a row take the fixed-point path depends on that order. Rows are shared
 * among @n_threads threads (0: every core). A size that does not change gives a copy, as in
 * OpenCV. NULL when bm_resize_cubic_size fails. */
BmImage *bm_resize_cubic      (BmImage *src, double fx, double fy, guint n_threads);

G_END_DECLS
