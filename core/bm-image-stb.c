/* bm-image-stb.c
 *
 * The only file that compiles stb_image and stb_image_write: images in the formats other than
 * JPEG, PNG and TIFF (BMP, GIF, TGA, PSD, PNM, HDR), and saving. Pixel buffers are allocated
 * with GLib (stb is told to use g_try_malloc), so every image is freed with g_free.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "bm-error.h"
#include "bm-file-util.h"
#include "bm-image-private.h"

#define STBI_MALLOC(size)        g_try_malloc (size)
#define STBI_REALLOC(ptr, size)  g_try_realloc (ptr, size)
#define STBI_FREE(ptr)           g_free (ptr)
#define STBIW_MALLOC(size)       g_try_malloc (size)
#define STBIW_REALLOC(ptr, size) g_try_realloc (ptr, size)
#define STBIW_FREE(ptr)          g_free (ptr)
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_WRITE_IMPLEMENTATION

/* The C headers stb includes come first, so that the "static" macro below cannot reach them. */
#include <assert.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* stb is third-party code compiled with our warning flags; keep its noise out of the build. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wattributes"
#if defined(__clang__)
#pragma clang diagnostic ignored "-Wunknown-warning-option"
#endif
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wmissing-prototypes"
#pragma GCC diagnostic ignored "-Wnull-dereference"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wunused-but-set-variable"
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#pragma GCC diagnostic ignored "-Wtype-limits"
#pragma GCC diagnostic ignored "-Wundef"
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wcast-function-type"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
/* stb shifts signed integers on purpose (stbiw__jpg_writeBits does on every JPEG save), which
 * UBSan reports and CI's halt_on_error turns into a failure. We sanitize our own code, not stb's:
 * its internal (static) functions are built without UBSan; AddressSanitizer still covers them. */
#if defined(__clang__)
#pragma clang attribute push (__attribute__ ((no_sanitize ("undefined"))), apply_to = function)
#else
#define static static __attribute__ ((no_sanitize ("undefined")))
#endif
#include <stb_image.h>
#include <stb_image_write.h>
#if defined(__clang__)
#pragma clang attribute pop
#else
#undef static
#endif
#pragma GCC diagnostic pop

static void
set_decode_error (const char *path, GError **error)
{
  const char *reason = stbi_failure_reason ();

  if (reason != NULL && strcmp (reason, "outofmem") == 0)
    g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s: not enough memory to decode the image"),
                 bm_image_display_path (path));
  else
    g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("%s: cannot decode the image (%s)"),
                 bm_image_display_path (path), reason != NULL ? reason : _("unknown error"));
}

BmImage *
bm_image_stb_decode (const guint8 *data, gsize length, const char *path, GError **error)
{
  BmImage *image;
  guint8 *pixels;
  int width, height, channels;

  g_return_val_if_fail (length <= G_MAXINT, NULL);

  pixels = stbi_load_from_memory (data, (int) length, &width, &height, &channels, 0);
  if (pixels == NULL)
    {
      set_decode_error (path, error);
      return NULL;
    }
  image = bm_image_new_take_pixels (width, height, channels, pixels);
  image->source_bits = stbi_is_16_bit_from_memory (data, (int) length) ? 16 : 8;
  return image;
}

gboolean
bm_image_stb_parse_header (const guint8 *data, gsize length, BmImageHeader *header)
{
  header->orientation = 1;
  header->bits = 8;
  return length <= G_MAXINT
         && stbi_info_from_memory (data, (int) length, &header->width, &header->height, &header->channels) == 1;
}

gboolean
bm_image_stb_read_info (const char *path, BmImageHeader *header, GError **error)
{
  FILE *file = bm_image_fopen_regular (path, error);
  gboolean ok;

  if (file == NULL)
    return FALSE;
  header->orientation = 1;
  header->bits = 8;
  ok = stbi_info_from_file (file, &header->width, &header->height, &header->channels);
  fclose (file);
  if (!ok)
    g_set_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED, _("%s: not an image in a format Boxmark reads"), path);
  return ok;
}

/* --- saving -------------------------------------------------------------------------------- */

static void
append_to_byte_array (void *context, void *data, int size)
{
  g_byte_array_append (context, data, (guint) size);
}

gboolean
bm_image_save (BmImage *image, const char *path, int quality, GError **error)
{
  g_autoptr(GByteArray) encoded = NULL;
  g_autofree char *extension = NULL;
  g_autofree guint8 *packed = NULL;
  const guint8 *pixels;
  int ok;

  g_return_val_if_fail (image != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if ((guint64) image->stride * (guint64) image->height > G_MAXINT)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED, _("%s: the image is too large to save"), path);
      return FALSE;
    }

  extension = bm_path_get_extension (path);
  encoded = g_byte_array_new ();
  if (g_strcmp0 (extension, "png") == 0)
    ok = stbi_write_png_to_func (append_to_byte_array, encoded, image->width, image->height,
                                 image->channels, image->data, image->stride);
  else if (g_strcmp0 (extension, "jpg") == 0 || g_strcmp0 (extension, "jpeg") == 0)
    {
      pixels = image->data;
      if (image->stride != image->width * image->channels)
        {
          gsize row = (gsize) image->width * (gsize) image->channels;

          packed = g_malloc (row * (gsize) image->height);
          for (int y = 0; y < image->height; y++)
            memcpy (packed + (gsize) y * row, image->data + (gsize) y * image->stride, row);
          pixels = packed;
        }
      ok = stbi_write_jpg_to_func (append_to_byte_array, encoded, image->width, image->height,
                                   image->channels, pixels, CLAMP (quality, 1, 100));
    }
  else
    {
      g_set_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED,
                   _("%s: cannot save images of this type (use .png, .jpg or .jpeg)"), path);
      return FALSE;
    }

  if (!ok)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s: cannot encode the image"), path);
      return FALSE;
    }
  return bm_file_write_atomic (path, (const char *) encoded->data, encoded->len, error);
}
