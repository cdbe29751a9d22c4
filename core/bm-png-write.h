/* bm-png-write.h: PNG files written with libpng, fast, as new files (see bm-file-create.h).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  BM_PNG_WRITE_DEFAULT = 0,
  /* fsync before the file gets its name (a batch may rather sync once at the end) */
  BM_PNG_WRITE_SYNC    = 1 << 0,
} BmPngWriteFlags;

/* Writes @width × @height pixels of @channels 8-bit samples (1 gray, 2 gray + alpha, 3 RGB,
 * 4 RGBA), rows @stride bytes apart, as the new PNG file @path: it appears whole or not at all,
 * and an existing @path is never replaced (BM_ERROR_CONFLICT). Compressed as OpenCV's
 * cv2.imwrite does by default (zlib level 1, run-length strategy, the Sub filter), which is
 * fast and within a few percent of the best size on photographs. */
gboolean bm_png_write_file (const char      *path,
                            const guint8    *pixels,
                            int              width,
                            int              height,
                            int              channels,
                            gsize            stride,
                            BmPngWriteFlags  flags,
                            GError         **error);

/* The same PNG in memory (for tests). Free with g_free. */
guint8  *bm_png_write_memory (const guint8 *pixels, int width, int height, int channels,
                              gsize stride, gsize *length, GError **error);

G_END_DECLS
