/* bm-png-large.c: a PNG decoder for the images stb_image refuses because their raw data
 * exceeds 1 GiB (a 20000x20000 RGB aerial photo is 1.2 GB). It reuses stb_image's inflate
 * (stbi_zlib_decode_buffer, compiled in bm-image.c) and handles non-interlaced 8- and 16-bit
 * images of every colour type, giving exactly what stb_image gives for smaller ones.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <glib/gi18n.h>

#include "bm-error.h"
#include "bm-image-private.h"

/* Only the declarations: the implementation lives in bm-image.c. */
#include <stb_image.h>

static const guint8 png_signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

static const char *
display_path (const char *path)
{
  return path != NULL ? path : "(memory)";
}

static guint32
be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static gboolean
is_png (const guint8 *bytes, gsize length)
{
  return length >= sizeof png_signature && memcmp (bytes, png_signature, sizeof png_signature) == 0;
}

typedef struct
{
  guint32 width;
  guint32 height;
  int depth;
  int color_type;
  int file_channels;   /* samples per pixel in the file */
  int out_channels;    /* what stb_image would return */
  guint8 palette[256][4];
  guint palette_size;
  gboolean palette_alpha;
  gboolean has_key;    /* tRNS colour key on a gray or RGB image */
  guint16 key[3];
} LargePng;

static void
set_png_error (const char *path, const char *why, GError **error)
{
  g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("%s: cannot decode the PNG image (%s)"), display_path (path), why);
}

static gboolean
large_png_read_ihdr (LargePng *png, const guint8 *ihdr, const char *path, GError **error)
{
  static const int channels_of_type[7] = { 1, 0, 3, 1, 2, 0, 4 };

  png->width = be32 (ihdr);
  png->height = be32 (ihdr + 4);
  png->depth = ihdr[8];
  png->color_type = ihdr[9];
  if (png->width == 0 || png->height == 0 || png->width > G_MAXINT || png->height > G_MAXINT
      || png->color_type > 6 || channels_of_type[png->color_type] == 0 || ihdr[10] != 0 || ihdr[11] != 0)
    {
      set_png_error (path, _("bad IHDR"), error);
      return FALSE;
    }
  if (ihdr[12] != 0 || (png->depth != 8 && png->depth != 16))
    {
      g_set_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED,
                   _("%s: PNG images above 1 GB must be non-interlaced with 8 or 16 bits per sample"),
                   display_path (path));
      return FALSE;
    }
  png->file_channels = channels_of_type[png->color_type];
  return TRUE;
}

static void
large_png_read_trns (LargePng *png, const guint8 *chunk, guint32 length)
{
  if (png->color_type == 3)
    {
      for (guint i = 0; i < length && i < 256; i++)
        png->palette[i][3] = chunk[i];
      png->palette_alpha = TRUE;
    }
  else if ((png->color_type == 0 || png->color_type == 2) && length == (guint32) png->file_channels * 2)
    {
      png->has_key = TRUE;
      for (int k = 0; k < png->file_channels; k++)
        png->key[k] = (guint16) ((chunk[2 * k] << 8) | chunk[2 * k + 1]);
    }
}

/* Reads the header chunks and gathers the IDAT payloads into one zlib stream. */
static guint8 *
large_png_read_chunks (LargePng *png, const guint8 *data, gsize length, gsize *compressed_length,
                       const char *path, GError **error)
{
  gsize total = 0, pos, filled = 0;
  gboolean seen_ihdr = FALSE;
  guint8 *compressed;

  for (guint i = 0; i < 256; i++)
    png->palette[i][3] = 255;

  for (pos = sizeof png_signature; length - pos >= 12;)
    {
      guint32 chunk_length = be32 (data + pos);
      const guint8 *type = data + pos + 4, *body = data + pos + 8;

      if (chunk_length > length - pos - 12)
        break;
      if (memcmp (type, "IHDR", 4) == 0 && !seen_ihdr && chunk_length == 13)
        {
          if (!large_png_read_ihdr (png, body, path, error))
            return NULL;
          seen_ihdr = TRUE;
        }
      else if (memcmp (type, "PLTE", 4) == 0 && chunk_length % 3 == 0 && chunk_length <= 768)
        {
          png->palette_size = chunk_length / 3;
          for (guint i = 0; i < png->palette_size; i++)
            memcpy (png->palette[i], body + 3 * i, 3);
        }
      else if (memcmp (type, "tRNS", 4) == 0)
        large_png_read_trns (png, body, chunk_length);
      else if (memcmp (type, "IDAT", 4) == 0)
        total += chunk_length;
      else if (memcmp (type, "IEND", 4) == 0)
        break;
      pos += 12 + (gsize) chunk_length;
    }

  if (!seen_ihdr || total == 0 || total > G_MAXINT || (png->color_type == 3 && png->palette_size == 0))
    {
      set_png_error (path, seen_ihdr ? _("no image data") : _("no IHDR"), error);
      return NULL;
    }
  compressed = g_try_malloc (total);
  if (compressed == NULL)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s: not enough memory to decode the image"), display_path (path));
      return NULL;
    }
  for (pos = sizeof png_signature; length - pos >= 12 && filled < total;)
    {
      guint32 chunk_length = be32 (data + pos);

      if (memcmp (data + pos + 4, "IDAT", 4) == 0)
        {
          memcpy (compressed + filled, data + pos + 8, chunk_length);
          filled += chunk_length;
        }
      pos += 12 + (gsize) chunk_length;
    }
  *compressed_length = total;

  png->out_channels = png->color_type == 3 ? (png->palette_alpha ? 4 : 3)
                                           : png->file_channels + (png->has_key ? 1 : 0);
  return compressed;
}

static inline guint8
paeth (guint8 a, guint8 b, guint8 c)
{
  int p = a + b - c, pa = ABS (p - a), pb = ABS (p - b), pc = ABS (p - c);

  if (pa <= pb && pa <= pc)
    return a;
  return pb <= pc ? b : c;
}

/* Undoes the PNG filter of one row in place; @prev is the previous unfiltered row or NULL. */
static gboolean
unfilter_row (guint8 *row, const guint8 *prev, gsize n, int filter, gsize bpp)
{
  switch (filter)
    {
    case 0:
      return TRUE;
    case 1:
      for (gsize i = bpp; i < n; i++)
        row[i] = (guint8) (row[i] + row[i - bpp]);
      return TRUE;
    case 2:
      if (prev != NULL)
        for (gsize i = 0; i < n; i++)
          row[i] = (guint8) (row[i] + prev[i]);
      return TRUE;
    case 3:
      for (gsize i = 0; i < n; i++)
        {
          int left = i >= bpp ? row[i - bpp] : 0, up = prev != NULL ? prev[i] : 0;
          row[i] = (guint8) (row[i] + ((left + up) >> 1));
        }
      return TRUE;
    case 4:
      for (gsize i = 0; i < n; i++)
        {
          guint8 left = i >= bpp ? row[i - bpp] : 0, up = prev != NULL ? prev[i] : 0;
          guint8 up_left = i >= bpp && prev != NULL ? prev[i - bpp] : 0;
          row[i] = (guint8) (row[i] + paeth (left, up, up_left));
        }
      return TRUE;
    default:
      return FALSE;
    }
}

static void
large_png_convert_row (const LargePng *png, const guint8 *in, guint8 *out)
{
  int fc = png->file_channels, oc = png->out_channels;
  gboolean wide = png->depth == 16;

  for (guint32 x = 0; x < png->width; x++, out += oc)
    {
      if (png->color_type == 3)
        {
          memcpy (out, png->palette[in[x]], (gsize) oc);
          continue;
        }
      gboolean keyed = png->has_key;
      for (int k = 0; k < fc; k++)
        {
          const guint8 *sample = in + ((gsize) x * fc + k) * (wide ? 2 : 1);
          guint16 value = wide ? (guint16) ((sample[0] << 8) | sample[1]) : sample[0];

          out[k] = sample[0];
          keyed = keyed && value == (wide ? png->key[k] : (png->key[k] & 255));
        }
      if (png->has_key)
        out[fc] = keyed ? 0 : 255;
    }
}

BmImage *
bm_image_decode_png_large (const guint8 *data, gsize length, const char *path, GError **error)
{
  LargePng png = { 0 };
  g_autofree guint8 *compressed = NULL;
  g_autofree guint8 *raw = NULL;
  guint8 *out;
  gsize compressed_length = 0, row_bytes, raw_size, bpp;
  gboolean in_place;
  BmImage *image;

  g_return_val_if_fail (data != NULL, NULL);

  if (!is_png (data, length))
    {
      set_png_error (path, _("no PNG signature"), error);
      return NULL;
    }
  compressed = large_png_read_chunks (&png, data, length, &compressed_length, path, error);
  if (compressed == NULL)
    return NULL;

  bpp = (gsize) png.file_channels * (gsize) (png.depth / 8);
  row_bytes = (gsize) png.width * bpp;
  raw_size = (row_bytes + 1) * png.height;
  if (raw_size > G_MAXINT || (guint64) png.width * png.height * png.out_channels > BM_IMAGE_MAX_DECODED_BYTES)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_INVALID, _("%s: the image is too large to decode (%u × %u pixels)"),
                   display_path (path), png.width, png.height);
      return NULL;
    }
  raw = g_try_malloc (raw_size);
  if (raw == NULL)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s: not enough memory to decode the image"), display_path (path));
      return NULL;
    }
  if (stbi_zlib_decode_buffer ((char *) raw, (int) raw_size, (const char *) compressed, (int) compressed_length)
      != (int) raw_size)
    {
      set_png_error (path, _("image data damaged or cut short"), error);
      return NULL;
    }
  g_clear_pointer (&compressed, g_free);

  /* Plain 8-bit images are unfiltered in place and slid down over the filter bytes: a
   * 20000x20000 RGB photo then needs 1.2 GB, not 2.4. */
  in_place = png.depth == 8 && png.color_type != 3 && !png.has_key;
  out = in_place ? raw : g_try_malloc ((gsize) png.width * png.height * (gsize) png.out_channels);
  if (out == NULL)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s: not enough memory to decode the image"), display_path (path));
      return NULL;
    }

  for (guint32 y = 0; y < png.height; y++)
    {
      guint8 *row = raw + (gsize) y * (row_bytes + 1);
      const guint8 *prev = y == 0 ? NULL : in_place ? out + (gsize) (y - 1) * row_bytes : row - row_bytes;

      if (!unfilter_row (row + 1, prev, row_bytes, row[0], bpp))
        {
          if (!in_place)
            g_free (out);
          set_png_error (path, _("bad filter type"), error);
          return NULL;
        }
      if (in_place)
        memmove (out + (gsize) y * row_bytes, row + 1, row_bytes);
      else
        large_png_convert_row (&png, row + 1, out + (gsize) y * png.width * (gsize) png.out_channels);
    }

  if (in_place)
    {
      guint8 *shrunk = g_try_realloc (g_steal_pointer (&raw), row_bytes * png.height);

      out = shrunk != NULL ? shrunk : out;
    }
  image = bm_image_new_take_pixels ((int) png.width, (int) png.height, png.out_channels, out);
  image->source_bits = png.depth;
  return image;
}
