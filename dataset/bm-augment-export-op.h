/* bm-augment-export-op.h: one augmentation operation of `boxmark-cli augment --ops`, the ranges its
 * parameters are drawn from, and the parser of the --ops text. The augmentation panel spells its
 * settings as --ops text and parses them here too, so both draw the same parameters.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "core/bm-augment.h"
#include "core/bm-augment-rng.h"

G_BEGIN_DECLS

/* One operation with the ranges its parameters are drawn from. The engine draws symmetric
 * ranges (U(-d, d), U(1-s, 1+s), U(-g, g)); an asymmetric range A..B is drawn as the
 * symmetric one of half-width (B-A)/2, then shifted by its middle: exactly U(A, B). */
typedef struct
{
  BmAugmentOpKind kind;
  BmAugmentSettings settings;
  BmAugmentProfile profile;      /* the run's profile, with this operation's mixup α */
  gboolean shift_degrees;
  double degrees_mid;
  gboolean shift_scale;
  double scale_mid;
  gboolean own_ratio;            /* expand ratio range not starting at 1: drawn here */
  double ratio[2];
  gboolean shift_hsv[3];
  double hsv_mid[3];
  guint seen_keys;               /* the keys --ops gave, one bit each */
} BmAugmentExportOp;

/* @settings NULL: the profile's defaults. The operation always applies (probability 1) until
 * the caller says otherwise. */
void     bm_augment_export_op_init          (BmAugmentExportOp       *op,
                                             BmAugmentOpKind          kind,
                                             const BmAugmentProfile  *profile,
                                             const BmAugmentSettings *settings);
/* `boxmark-cli augment --ops`: operations separated by ';', each NAME[:KEY=VALUE[,…]] (see
 * `boxmark-cli augment --help`); a range A..B is drawn uniformly. The array holds
 * BmAugmentExportOp; NULL and BM_ERROR_PARSE for bad text. */
GArray  *bm_augment_export_parse_ops        (const char              *text,
                                             const BmAugmentProfile  *profile,
                                             GError                 **error);
/* Whether the --ops text gave @key ("alpha", "deg", …) for @op. */
gboolean bm_augment_export_op_has_key       (const BmAugmentExportOp *op,
                                             const char              *key);
/* Draws @op's parameters for @sample; FALSE when its coin says it is skipped this time. */
gboolean bm_augment_export_op_draw          (const BmAugmentExportOp *op,
                                             BmAugmentSample         *sample,
                                             guint                    n_others,
                                             BmAugmentRng            *rng,
                                             BmAugmentOp             *out);
/* Mixup wants one partner, mosaic three. */
guint    bm_augment_export_partners_needed  (const BmAugmentExportOp *ops,
                                             guint                    n_ops);
/* SplitMix64 of (seed, dataset index of the image, k): the seed of sample k of that image. */
guint64  bm_augment_export_sample_seed      (guint64                  seed,
                                             guint                    image_index,
                                             guint                    k);
/* The --ops text of @kinds (in that order) with the ranges of @settings: how the augmentation
 * panel hands its settings to the parser above, numbers written so that they read back exactly. */
char    *bm_augment_export_ops_to_string    (const BmAugmentOpKind   *kinds,
                                             guint                    n_kinds,
                                             const BmAugmentSettings *settings);

G_END_DECLS
