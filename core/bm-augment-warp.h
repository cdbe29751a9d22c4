/* bm-augment-warp.h: 2×3 affine matrices and the bilinear image warp used by augmentation.
 *
 * A matrix m maps a point (x, y) to (m[0]·x + m[1]·y + m[2], m[3]·x + m[4]·y + m[5]), the layout
 * of OpenCV's 2×3 matrices. The warp works in pixel-index space (pixel i has its centre at i),
 * as cv2.warpAffine does; bm_affine_edge_to_index converts a matrix written for edge
 * coordinates (pixel i spans [i, i+1], the space of boxes) into that space.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "bm-geometry.h"
#include "bm-image.h"

G_BEGIN_DECLS

typedef struct
{
  double m[6];
} BmAffine;

typedef enum
{
  BM_AUGMENT_BORDER_CONSTANT,   /* outside pixels take the border value */
  BM_AUGMENT_BORDER_REPLICATE,  /* outside pixels repeat the nearest edge pixel */
} BmAugmentBorder;

void     bm_affine_init_identity   (BmAffine *a);
void     bm_affine_init_translate  (BmAffine *a, double dx, double dy);
void     bm_affine_init_scale      (BmAffine *a, double sx, double sy);
/* OpenCV's getRotationMatrix2D: positive degrees turn counter-clockwise on screen (y down).
 * Multiples of 90° give exact 0 / ±1 entries. */
void     bm_affine_init_rotation   (BmAffine *a, double cx, double cy, double degrees_ccw, double scale);
/* result = first applied, then second (result(p) = second(first(p))). */
BmAffine bm_affine_then            (const BmAffine *first, const BmAffine *second);
gboolean bm_affine_invert          (const BmAffine *a, BmAffine *inverse);
BmPoint  bm_affine_apply           (const BmAffine *a, BmPoint p);
/* T(-0.5) · a · T(+0.5): the same geometric map expressed on pixel indices. */
BmAffine bm_affine_edge_to_index   (const BmAffine *a);

/* dst(x, y) = bilinear sample of src at M⁻¹(x, y), M mapping source pixel indices to destination
 * pixel indices (cv2.warpAffine with INTER_LINEAR: 5-bit sub-pixel positions, 15-bit weights, so
 * the result equals OpenCV's bit for bit). src and dst have the same channel count (1–4) and
 * must not overlap. @border_value has one entry per channel (NULL = zeros). */
void     bm_augment_warp_affine    (const BmImage   *src,
                                    BmImage         *dst,
                                    const BmAffine  *m,
                                    BmAugmentBorder  border,
                                    const guint8    *border_value);

G_END_DECLS
