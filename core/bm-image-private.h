/* bm-image-private.h: what the image files of core/ share (bm-image.c, the header reader, and
 * one decoder per file: bm-image-jpeg.c, -png.c, -tiff.c, and -stb.c for every other format),
 * also exposed to their tests and benchmarks. Not for the rest of the application.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdio.h>

#include "bm-image.h"

G_BEGIN_DECLS

/* Decoded size above which a whole-image load is refused as a probable decompression bomb. */
#define BM_IMAGE_MAX_DECODED_BYTES ((guint64) 1 << 31)

typedef enum
{
  BM_IMAGE_FORMAT_OTHER,   /* whatever stb_image reads: BMP, GIF, TGA, PSD, PNM, HDR, ... */
  BM_IMAGE_FORMAT_JPEG,
  BM_IMAGE_FORMAT_PNG,
  BM_IMAGE_FORMAT_TIFF,
} BmImageFormat;

/* What a header says, in the stored frame (before the EXIF orientation). */
typedef struct
{
  int width;
  int height;
  int channels;      /* as Boxmark decodes them (1-4) */
  int orientation;   /* EXIF orientation, 1 when absent */
  int bits;          /* bits per sample in the file */
} BmImageHeader;

/* The path for messages; "(memory)" for NULL. */
const char   *bm_image_display_path   (const char *path);

/* An image owning @pixels (allocated with GLib, width·channels bytes per row). */
BmImage      *bm_image_new_take_pixels (int width, int height, int channels, guint8 *pixels);
/* NULL when memory is short: big images must fail with an error, not abort. */
BmImage      *bm_image_try_new        (int width, int height, int channels);

/* --- bm-image-header.c: headers without decoding -------------------------------------------- */

BmImageFormat bm_image_sniff_format   (const guint8 *head, gsize length);
/* The header of a file, and its format (@format may be NULL). */
gboolean      bm_image_read_header    (const char *path, BmImageFormat *format, BmImageHeader *header, GError **error);
/* A header from memory. */
gboolean      bm_image_parse_header   (const guint8 *data, gsize length, BmImageFormat format, BmImageHeader *header);
/* Whether the file ends where its format says it ends (EOI after the scan, IEND chunk). */
gboolean      bm_image_jpeg_is_complete (const guint8 *data, gsize length);
gboolean      bm_image_png_is_complete  (const guint8 *data, gsize length);
/* Whole-image loads refuse more than BM_IMAGE_MAX_DECODED_BYTES, saying so. */
gboolean      bm_image_check_decoded_size (const BmImageHeader *header, const char *path, GError **error);
void          bm_image_set_open_error (const char *path, int saved_errno, GError **error);
/* Opens @path for reading when it is a regular file (bm_file_open_regular: a FIFO would block,
 * /dev/zero never end), a folder said as such. Returns the descriptor or -1 with @error set. */
int           bm_image_open_regular   (const char *path, GError **error);
/* bm_image_open_regular as a stdio stream; NULL with @error set. */
FILE         *bm_image_fopen_regular  (const char *path, GError **error);

/* --- bm-image-orient.c ----------------------------------------------------------------------- */

/* Orients an image the loader owns; flips happen in place. NULL (and @image freed) when memory
 * is short for a turned copy. */
BmImage      *bm_image_orient_owned   (BmImage *image, int orientation);

/* --- one decoder per file; each returns the stored frame (no orientation applied) ------------ */

/* libjpeg-turbo, set up as OpenCV 4.6's imread sets it up. @scale_denom 1, 2, 4 or 8 decodes
 * at that fraction of the size in the DCT domain (what imread's IMREAD_REDUCED_* flags do). */
BmImage      *bm_image_jpeg_decode    (const guint8 *data, gsize length, const char *path, int scale_denom,
                                       GError **error);
/* libpng, giving what stb_image gives: same channel count, 16-bit samples reduced to their high
 * byte, palettes expanded, tRNS turned into alpha, low bit depths scaled to 0-255. */
BmImage      *bm_image_png_decode     (const guint8 *data, gsize length, const char *path, GError **error);
/* libtiff: 8- and 16-bit gray, gray + alpha, RGB, RGBA in strips or tiles, and through
 * libtiff's RGBA interface palettes, bilevel, CMYK, YCbCr and old JPEG. The first image. */
BmImage      *bm_image_tiff_decode    (const guint8 *data, gsize length, const char *path, GError **error);
gboolean      bm_image_tiff_read_info (const char *path, BmImageHeader *header, GError **error);
gboolean      bm_image_tiff_parse_header (const guint8 *data, gsize length, BmImageHeader *header);
/* stb_image for every other format. */
BmImage      *bm_image_stb_decode     (const guint8 *data, gsize length, const char *path, GError **error);
gboolean      bm_image_stb_read_info  (const char *path, BmImageHeader *header, GError **error);
gboolean      bm_image_stb_parse_header (const guint8 *data, gsize length, BmImageHeader *header);

/* --- bm-image-decoder.c: the decoders of bm-image-decoder.h, one class per format ---------- */

#include "bm-image-decoder.h"

typedef struct
{
  gboolean (*read_rows)   (BmImageDecoder *self, guint shift, int first_row, BmImageRowsFunc func,
                           gpointer user_data, GCancellable *cancellable, GError **error);
  /* NULL when the format has no regions. */
  BmImage *(*read_region) (BmImageDecoder *self, guint shift, int x, int y, int width, int height, GError **error);
  void     (*finalize)    (BmImageDecoder *self);
  gboolean cheap_regions;
} BmImageDecoderClass;

struct _BmImageDecoder
{
  const BmImageDecoderClass *klass;
  char *path;
  BmImageHeader header;   /* stored frame */
  guint reductions;
  gpointer priv;          /* the format's own state */
};

/* Set klass, reductions and priv of a decoder whose path and header are filled in. */
gboolean      bm_image_jpeg_decoder_init (BmImageDecoder *self, GError **error);
gboolean      bm_image_png_decoder_init  (BmImageDecoder *self, GError **error);
gboolean      bm_image_tiff_decoder_init (BmImageDecoder *self, GError **error);
/* Hands @image to @func in bands, for decoders that decode whole. */
gboolean      bm_image_decoder_emit_rows (BmImage *image, int first_row, BmImageRowsFunc func, gpointer user_data,
                                          GCancellable *cancellable, GError **error);

G_END_DECLS
