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

/* Compression as cv2.imwrite(path, image) does it by default: zlib level 1, run-length
 * strategy, the Sub filter; the same bytes as OpenCV writes. */
#define BM_PNG_LEVEL_OPENCV 1

/* Writes @width × @height pixels of @channels 8-bit samples (1 gray, 2 gray + alpha, 3 RGB,
 * 4 RGBA), rows @stride bytes apart, as the new PNG file @path: it appears whole or not at all,
 * and an existing @path is never replaced (BM_ERROR_CONFLICT). @level is zlib's: 1 is
 * BM_PNG_LEVEL_OPENCV; 0 stores without compressing (some 20 times faster, files some 40 %
 * larger on photographs); 2 to 9 as cv2.imwrite with IMWRITE_PNG_COMPRESSION (adaptive
 * filters, run-length strategy). */
gboolean bm_png_write_file (const char      *path,
                            const guint8    *pixels,
                            int              width,
                            int              height,
                            int              channels,
                            gsize            stride,
                            int              level,
                            BmPngWriteFlags  flags,
                            GError         **error);

/* The same PNG in memory, at zlib @level as above (crop and synth encode in memory, then write
 * atomically; tests and benchmarks). Free with g_free. */
guint8  *bm_png_write_memory (const guint8 *pixels, int width, int height, int channels,
                              gsize stride, int level, gsize *length, GError **error);

G_END_DECLS
