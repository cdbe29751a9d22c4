/* bm-class-colour.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-class-colour.h"

#include <math.h>

static void
hsv_to_rgb (double h, double s, double v, GdkRGBA *rgba)
{
  double i = floor (h * 6.0);
  double f = h * 6.0 - i;
  double p = v * (1.0 - s);
  double q = v * (1.0 - f * s);
  double t = v * (1.0 - (1.0 - f) * s);

  switch (((int) i) % 6)
    {
    case 0: rgba->red = v; rgba->green = t; rgba->blue = p; break;
    case 1: rgba->red = q; rgba->green = v; rgba->blue = p; break;
    case 2: rgba->red = p; rgba->green = v; rgba->blue = t; break;
    case 3: rgba->red = p; rgba->green = q; rgba->blue = v; break;
    case 4: rgba->red = t; rgba->green = p; rgba->blue = v; break;
    default: rgba->red = v; rgba->green = p; rgba->blue = q; break;
    }
  rgba->alpha = 1.0;
}

void
bm_class_colour_for_label (const char *label, GdkRGBA *colour)
{
  guint32 hash = 2166136261u;   /* FNV-1a: g_str_hash is not promised to stay the same */
  double hue;

  g_return_if_fail (colour != NULL);

  for (const char *p = label ? label : ""; *p; p++)
    hash = (hash ^ (guint8) *p) * 16777619u;

  /* MurmurHash3's finaliser spreads similar names over the whole colour wheel. */
  hash ^= hash >> 16;
  hash *= 0x85ebca6bu;
  hash ^= hash >> 13;
  hash *= 0xc2b2ae35u;
  hash ^= hash >> 16;
  hue = hash / 4294967296.0;
  hsv_to_rgb (hue, 0.8, 1.0, colour);
}
