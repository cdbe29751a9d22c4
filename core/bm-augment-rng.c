/* bm-augment-rng.c: PCG32 (O'Neill's XSH-RR output on a 64-bit LCG), seeded through splitmix64.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include "bm-augment-rng.h"

static guint64
splitmix64 (guint64 *x)
{
  guint64 z = (*x += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

void
bm_augment_rng_init (BmAugmentRng *rng, guint64 seed)
{
  guint64 x = seed;

  g_return_if_fail (rng != NULL);
  rng->state = splitmix64 (&x);
  rng->inc = splitmix64 (&x) | 1;
  bm_augment_rng_next (rng);
}

guint32
bm_augment_rng_next (BmAugmentRng *rng)
{
  guint64 old = rng->state;
  guint32 xorshifted = (guint32) (((old >> 18) ^ old) >> 27);
  guint32 rot = (guint32) (old >> 59);

  rng->state = old * G_GUINT64_CONSTANT (6364136223846793005) + rng->inc;
  return (xorshifted >> rot) | (xorshifted << ((32 - rot) & 31));
}

double
bm_augment_rng_double (BmAugmentRng *rng)
{
  guint64 hi = bm_augment_rng_next (rng) >> 5;   /* 27 bits */
  guint64 lo = bm_augment_rng_next (rng) >> 6;   /* 26 bits */

  return (double) ((hi << 26) | lo) / 9007199254740992.0;
}

double
bm_augment_rng_uniform (BmAugmentRng *rng, double lo, double hi)
{
  return lo + (hi - lo) * bm_augment_rng_double (rng);
}

int
bm_augment_rng_int (BmAugmentRng *rng, int lo, int hi)
{
  guint64 span;

  if (hi <= lo)
    return lo;
  span = (guint64) ((gint64) hi - lo);
  return (int) (lo + (gint64) floor (bm_augment_rng_double (rng) * (double) span));
}

/* Box-Muller; uses one of the two values so that each call draws the same amount. */
double
bm_augment_rng_normal (BmAugmentRng *rng)
{
  double u1 = 1.0 - bm_augment_rng_double (rng);   /* (0, 1] */
  double u2 = bm_augment_rng_double (rng);

  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

/* Marsaglia and Tsang's method; shapes below 1 through the boost Gamma(a) = Gamma(a + 1)·U^(1/a). */
double
bm_augment_rng_gamma (BmAugmentRng *rng, double shape)
{
  double d, c;

  g_return_val_if_fail (shape > 0, 0);

  if (shape < 1)
    {
      double u = 1.0 - bm_augment_rng_double (rng);
      return bm_augment_rng_gamma (rng, shape + 1) * pow (u, 1.0 / shape);
    }
  d = shape - 1.0 / 3.0;
  c = 1.0 / sqrt (9.0 * d);
  for (;;)
    {
      double x = bm_augment_rng_normal (rng);
      double v = 1.0 + c * x, u;

      if (v <= 0)
        continue;
      v = v * v * v;
      u = 1.0 - bm_augment_rng_double (rng);
      if (log (u) < 0.5 * x * x + d - d * v + d * log (v))
        return d * v;
    }
}

double
bm_augment_rng_beta (BmAugmentRng *rng, double a, double b)
{
  double x = bm_augment_rng_gamma (rng, a);
  double y = bm_augment_rng_gamma (rng, b);

  return x + y > 0 ? x / (x + y) : 0.5;
}
