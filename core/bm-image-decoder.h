/* bm-image-decoder.h: images read a band of rows at a time, at reduced sizes where the format
 * decodes them directly (JPEG's DCT scaling, TIFF overviews), and as regions where the format
 * allows random access: what the window needs to show a 20000 × 20000 image without ever
 * holding it decoded.
 *
 * Everything is in the stored frame: the EXIF orientation is reported, not applied. A decoder is
 * used by one thread at a time; open one per thread.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "bm-image.h"

G_BEGIN_DECLS

typedef struct _BmImageDecoder BmImageDecoder;

/* Rows [@y, @y + @n_rows) of the image at the size being read, @stride bytes apart, 8-bit
 * samples with the decoder's channel count. Return FALSE to stop reading (not an error). */
typedef gboolean (*BmImageRowsFunc) (const guint8 *rows,
                                     gsize         stride,
                                     int           y,
                                     int           n_rows,
                                     gpointer      user_data);

/* Reads the header only. Errors name the file. */
BmImageDecoder *bm_image_decoder_open           (const char      *path,
                                                 GError         **error);
void            bm_image_decoder_free           (BmImageDecoder  *self);

const char     *bm_image_decoder_get_path       (BmImageDecoder  *self);
/* Size in the stored frame. */
int             bm_image_decoder_get_width      (BmImageDecoder  *self);
int             bm_image_decoder_get_height     (BmImageDecoder  *self);
/* 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA: the same as bm_image_load gives. */
int             bm_image_decoder_get_channels   (BmImageDecoder  *self);
/* EXIF orientation (1-8) to apply for display. */
int             bm_image_decoder_get_orientation (BmImageDecoder *self);
int             bm_image_decoder_get_source_bits (BmImageDecoder *self);

/* Bit s is set when the decoder reads the image reduced by 2^s directly, at ceil(size / 2^s):
 * JPEG has 0-3, a TIFF 0 and the levels of its overviews, every other format only 0. */
guint           bm_image_decoder_get_reductions (BmImageDecoder  *self);
/* The size of reduction @shift: ceil(size / 2^shift). */
void            bm_image_decoder_reduced_size   (BmImageDecoder  *self,
                                                 guint            shift,
                                                 int             *width,
                                                 int             *height);

/* Decodes the image reduced by 2^@shift (one of its reductions) from row @first_row to the
 * bottom, handing @func bands of rows as they come (JPEG skips the rows above without their
 * inverse DCT; PNG must still inflate them). Memory is a few bands, except for interlaced PNGs
 * and formats read through stb_image, which are decoded whole first. */
gboolean        bm_image_decoder_read_rows      (BmImageDecoder  *self,
                                                 guint            shift,
                                                 int              first_row,
                                                 BmImageRowsFunc  func,
                                                 gpointer         user_data,
                                                 GCancellable    *cancellable,
                                                 GError         **error);

/* Whether bm_image_decoder_read_region costs about the region (TIFF in tiles or strips) rather
 * than everything above it (JPEG). PNG has no regions at all. */
gboolean        bm_image_decoder_has_cheap_regions (BmImageDecoder *self);
gboolean        bm_image_decoder_has_regions    (BmImageDecoder  *self);
/* The rectangle [@x, @x + @width) × [@y, @y + @height) of reduction @shift, which it must lie in. */
BmImage        *bm_image_decoder_read_region    (BmImageDecoder  *self,
                                                 guint            shift,
                                                 int              x,
                                                 int              y,
                                                 int              width,
                                                 int              height,
                                                 GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmImageDecoder, bm_image_decoder_free)

G_END_DECLS
