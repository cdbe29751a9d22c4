/* bm-augment-rng.h: a small seeded random generator (PCG32) so that a seed gives the same
 * augmentation on every machine, independent of GLib's generator.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint64 state;
  guint64 inc;
} BmAugmentRng;

void    bm_augment_rng_init    (BmAugmentRng *rng, guint64 seed);
guint32 bm_augment_rng_next    (BmAugmentRng *rng);
/* [0, 1) with 53 random bits. */
double  bm_augment_rng_double  (BmAugmentRng *rng);
/* U(lo, hi). */
double  bm_augment_rng_uniform (BmAugmentRng *rng, double lo, double hi);
/* An integer in [lo, hi) (numpy's randint); lo when hi <= lo. */
int     bm_augment_rng_int     (BmAugmentRng *rng, int lo, int hi);
double  bm_augment_rng_normal  (BmAugmentRng *rng);
double  bm_augment_rng_gamma   (BmAugmentRng *rng, double shape);
double  bm_augment_rng_beta    (BmAugmentRng *rng, double a, double b);

G_END_DECLS
