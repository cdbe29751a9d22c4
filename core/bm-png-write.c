/* bm-png-write.c
 *
 * libpng reports errors by longjmp; everything a jump may skip is kept in a struct that
 * outlives the setjmp frame, so nothing leaks and no local is read after being clobbered.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <setjmp.h>
#include <string.h>
#include <png.h>
#include <zlib.h>
#include <glib/gi18n.h>

#include "bm-error.h"
#include "bm-file-create.h"
#include "bm-png-write.h"

typedef struct
{
  BmNewFile *file;        /* writing to a file, or */
  GByteArray *memory;     /* to memory */
  GError *write_error;
  char message[256];      /* libpng's error text */
} Sink;

static void
sink_write (png_structp png, png_bytep data, png_size_t length)
{
  Sink *sink = png_get_io_ptr (png);

  if (sink->memory != NULL)
    g_byte_array_append (sink->memory, data, (guint) length);
  else if (sink->write_error == NULL && !bm_new_file_write (sink->file, data, length, &sink->write_error))
    png_error (png, _("write failed"));
}

static void
sink_flush (png_structp png)
{
}

static void
on_png_error (png_structp png, png_const_charp message)
{
  Sink *sink = png_get_error_ptr (png);

  g_strlcpy (sink->message, message, sizeof sink->message);
  png_longjmp (png, 1);
}

static void
on_png_warning (png_structp png, png_const_charp message)
{
}

static gboolean
encode (Sink *sink, const guint8 *pixels, int width, int height, int channels, gsize stride, int level)
{
  static const int color_types[] = { PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA,
                                     PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_RGB_ALPHA };
  png_structp png = png_create_write_struct (PNG_LIBPNG_VER_STRING, sink, on_png_error, on_png_warning);
  png_infop info = png != NULL ? png_create_info_struct (png) : NULL;

  if (png == NULL || info == NULL)
    {
      g_strlcpy (sink->message, _("out of memory"), sizeof sink->message);
      png_destroy_write_struct (&png, NULL);
      return FALSE;
    }
  if (setjmp (png_jmpbuf (png)))
    {
      png_destroy_write_struct (&png, &info);
      return FALSE;
    }
  png_set_write_fn (png, sink, sink_write, sink_flush);
  png_set_IHDR (png, info, (png_uint_32) width, (png_uint_32) height, 8, color_types[channels - 1],
                PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (level == BM_PNG_LEVEL_OPENCV)
    {
      /* OpenCV's defaults for cv2.imwrite(".png"): speed first. */
      png_set_filter (png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
      png_set_compression_level (png, Z_BEST_SPEED);
    }
  else
    {
      /* Filtering is wasted work when nothing is compressed. */
      if (level == 0)
        png_set_filter (png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
      png_set_compression_level (png, level);
    }
  png_set_compression_strategy (png, Z_RLE);
  png_write_info (png, info);
  for (int y = 0; y < height; y++)
    png_write_row (png, pixels + (gsize) y * stride);
  png_write_end (png, info);
  png_destroy_write_struct (&png, &info);
  return TRUE;
}

static gboolean
check_args (int width, int height, int channels, int level, GError **error)
{
  if (width <= 0 || height <= 0 || width > PNG_USER_WIDTH_MAX || height > PNG_USER_HEIGHT_MAX
      || channels < 1 || channels > 4 || level < 0 || level > 9)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED,
                   _("cannot write a PNG of %d × %d pixels with %d channels at level %d"), width, height,
                   channels, level);
      return FALSE;
    }
  return TRUE;
}

gboolean
bm_png_write_file (const char *path, const guint8 *pixels, int width, int height, int channels,
                   gsize stride, int level, BmPngWriteFlags flags, GError **error)
{
  Sink sink = { NULL, NULL, NULL, "" };

  g_return_val_if_fail (path != NULL && pixels != NULL, FALSE);

  if (!check_args (width, height, channels, level, error))
    return FALSE;
  sink.file = bm_new_file_open (path, error);
  if (sink.file == NULL)
    return FALSE;
  if (!encode (&sink, pixels, width, height, channels, stride, level))
    {
      bm_new_file_abort (sink.file);
      if (sink.write_error != NULL)
        g_propagate_error (error, sink.write_error);
      else
        g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s: cannot encode the PNG: %s"), path, sink.message);
      return FALSE;
    }
  return bm_new_file_commit (sink.file, (flags & BM_PNG_WRITE_SYNC) != 0, error);
}

guint8 *
bm_png_write_memory (const guint8 *pixels, int width, int height, int channels, gsize stride,
                     int level, gsize *length, GError **error)
{
  Sink sink = { NULL, NULL, NULL, "" };

  g_return_val_if_fail (pixels != NULL, NULL);

  if (!check_args (width, height, channels, level, error))
    return NULL;
  sink.memory = g_byte_array_new ();
  if (!encode (&sink, pixels, width, height, channels, stride, level))
    {
      g_byte_array_unref (sink.memory);
      g_set_error (error, BM_ERROR, BM_ERROR_IO, _("cannot encode the PNG: %s"), sink.message);
      return NULL;
    }
  if (length != NULL)
    *length = sink.memory->len;
  return g_byte_array_free (sink.memory, FALSE);
}
