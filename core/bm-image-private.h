/* bm-image-private.h: internals shared by bm-image.c and bm-png-large.c, and exposed to their
 * tests and benchmarks. Not for the rest of the application.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bm-image.h"

G_BEGIN_DECLS

/* Decoded size above which an image is refused as a probable decompression bomb. */
#define BM_IMAGE_MAX_DECODED_BYTES ((guint64) 1 << 31)

/* An image owning @pixels (allocated with GLib, width·channels bytes per row). */
BmImage *bm_image_new_take_pixels (int width, int height, int channels, guint8 *pixels);

/* Boxmark's own PNG decoder (non-interlaced, 8 or 16 bits per sample), used where stb_image
 * refuses a PNG whose raw data exceeds 1 GiB. Same output as stb_image: same channel count,
 * 16-bit samples reduced to their high byte, palettes expanded, tRNS turned into alpha. */
BmImage *bm_image_decode_png_large (const guint8 *data, gsize length, const char *path, GError **error);

G_END_DECLS
