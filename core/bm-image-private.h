/* bm-image-private.h: internals of bm-image.c exposed for its tests and benchmarks only.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bm-image.h"

G_BEGIN_DECLS

/* Boxmark's own PNG decoder (non-interlaced, 8 or 16 bits per sample), used where stb_image
 * refuses a PNG whose raw data exceeds 1 GiB. Same output as stb_image: same channel count,
 * 16-bit samples reduced to their high byte, palettes expanded, tRNS turned into alpha. */
BmImage *bm_image_decode_png_large (const guint8 *data, gsize length, const char *path, GError **error);

G_END_DECLS
