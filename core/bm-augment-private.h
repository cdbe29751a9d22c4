/* bm-augment-private.h: what bm-augment.c, bm-augment-ops.c and bm-augment-mix.c share beyond the
 * public API.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bm-augment.h"

G_BEGIN_DECLS

/* bm_augment_apply, allowed to overwrite sample->image when @in_place: only for an image that
 * an earlier operation of the same run created and nobody else can see yet. */
gboolean bm_augment_apply_full (BmAugmentSample        *sample,
                                const BmAugmentOp      *op,
                                BmAugmentSample *const *others,
                                guint                   n_others,
                                gboolean                in_place,
                                GError                **error);

/* bm-augment-ops.c: the operations' helpers, shared with bm-augment-mix.c. */
static inline guint8 *
_bm_augment_pixel_at (BmImage *image, int x, int y)
{
  return image->data + (gsize) y * image->stride + (gsize) x * image->channels;
}
/* Moves (and judges by @rule) every item by @m onto a @width × @height canvas. */
void     _bm_augment_move_items      (BmAugmentSample *sample, const BmAffine *m, BmAugmentBoxMethod method,
                                      BmAugmentSurvival rule, double scale, int width, int height);
BmImage *_bm_augment_canvas_new_gray (const BmImage *like, int width, int height, guint8 value);
void     _bm_augment_paste           (BmImage *dst, const BmImage *src, int x, int y);
void     _bm_augment_replace_image   (BmAugmentSample *sample, BmImage *image);
gboolean _bm_augment_fail            (GError **error, const char *message);
gboolean _bm_augment_canvas_size_ok  (double width, double height);
gboolean _bm_augment_apply_scale     (BmAugmentSample *sample, const BmAugmentOp *op, GError **error);
gboolean _bm_augment_apply_crop      (BmAugmentSample *sample, const BmAugmentOp *op, GError **error);

/* bm-augment-mix.c */
gboolean _bm_augment_apply_mixup     (BmAugmentSample *sample, const BmAugmentOp *op, BmAugmentSample *const *others,
                                      guint n_others, gboolean in_place, GError **error);
gboolean _bm_augment_apply_mosaic    (BmAugmentSample *sample, const BmAugmentOp *op, BmAugmentSample *const *others,
                                      guint n_others, GError **error);

G_END_DECLS
