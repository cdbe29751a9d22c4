/* bm-augment-private.h: what bm-augment.c and bm-augment-ops.c share beyond the public API.
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

G_END_DECLS
