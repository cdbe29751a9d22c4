/* bm-image.c: the BmImage type, loading by format (one decoder per file: bm-image-jpeg.c,
 * bm-image-png.c, bm-image-tiff.c, bm-image-stb.c) and channel conversion.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <string.h>
#include <glib/gi18n.h>

#include "bm-error.h"
#include "bm-image.h"
#include "bm-image-private.h"

G_DEFINE_BOXED_TYPE (BmImage, bm_image, bm_image_ref, bm_image_unref)

/* --- allocation ------------------------------------------------------------------------ */

static BmImage *
image_wrap (int width, int height, int channels, guint8 *data)
{
  BmImage *image = g_new0 (BmImage, 1);

  image->width = width;
  image->height = height;
  image->channels = channels;
  image->stride = width * channels;
  image->data = data;
  image->source_bits = 8;
  image->orientation = 1;
  image->ref_count = 1;
  return image;
}

BmImage *
bm_image_try_new (int width, int height, int channels)
{
  guint8 *data = g_try_malloc ((gsize) width * (gsize) height * (gsize) channels);

  return data != NULL ? image_wrap (width, height, channels, data) : NULL;
}

BmImage *
bm_image_new_take_pixels (int width, int height, int channels, guint8 *pixels)
{
  g_return_val_if_fail (width > 0 && height > 0 && pixels != NULL, NULL);
  g_return_val_if_fail (channels >= 1 && channels <= 4, NULL);

  return image_wrap (width, height, channels, pixels);
}

BmImage *
bm_image_new (int width, int height, int channels)
{
  g_return_val_if_fail (width > 0 && height > 0, NULL);
  g_return_val_if_fail (channels >= 1 && channels <= 4, NULL);

  return image_wrap (width, height, channels,
                     g_malloc0 ((gsize) width * (gsize) height * (gsize) channels));
}

BmImage *
bm_image_ref (BmImage *image)
{
  g_return_val_if_fail (image != NULL, NULL);

  g_atomic_int_inc (&image->ref_count);
  return image;
}

void
bm_image_unref (BmImage *image)
{
  g_return_if_fail (image != NULL);

  if (g_atomic_int_dec_and_test (&image->ref_count))
    {
      g_free (image->data);
      g_free (image);
    }
}

/* --- loading ------------------------------------------------------------------------------- */

static BmImage *
decode (const guint8 *data, gsize length, BmImageFormat format, const char *path, GError **error)
{
  switch (format)
    {
    case BM_IMAGE_FORMAT_JPEG:
      return bm_image_jpeg_decode (data, length, path, 1, error);
    case BM_IMAGE_FORMAT_PNG:
      return bm_image_png_decode (data, length, path, error);
    case BM_IMAGE_FORMAT_TIFF:
      return bm_image_tiff_decode (data, length, path, error);
    case BM_IMAGE_FORMAT_OTHER:
    default:
      return bm_image_stb_decode (data, length, path, error);
    }
}

BmImage *
bm_image_load_from_memory (const guint8 *data, gsize length, const char *path, GError **error)
{
  BmImageHeader header = { 0 };
  BmImageFormat format;
  BmImage *image;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length == 0)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("%s: the file is empty"), bm_image_display_path (path));
      return NULL;
    }
  if (length > G_MAXINT)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED, _("%s: image files above 2 GB are not supported"),
                   bm_image_display_path (path));
      return NULL;
    }
  format = bm_image_sniff_format (data, length);
  if (!bm_image_parse_header (data, length, format, &header))
    {
      if (format != BM_IMAGE_FORMAT_OTHER)
        g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("%s: the image header is damaged or cut short"),
                     bm_image_display_path (path));
      else
        g_set_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED, _("%s: not an image in a format Boxmark reads"),
                     bm_image_display_path (path));
      return NULL;
    }
  if (!bm_image_check_decoded_size (&header, path, error))
    return NULL;
  if ((format == BM_IMAGE_FORMAT_JPEG && !bm_image_jpeg_is_complete (data, length))
      || (format == BM_IMAGE_FORMAT_PNG && !bm_image_png_is_complete (data, length)))
    {
      g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("%s: the image is truncated (its end is missing)"),
                   bm_image_display_path (path));
      return NULL;
    }

  image = decode (data, length, format, path, error);
  if (image == NULL)
    return NULL;
  image = bm_image_orient_owned (image, header.orientation);
  if (image == NULL)
    g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s: not enough memory to rotate the image"),
                 bm_image_display_path (path));
  return image;
}

BmImage *
bm_image_load (const char *path, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Only a regular file: a FIFO would block, /dev/zero never end. Its own errno is said
   * (permission denied is not an I/O error). */
  fd = bm_image_open_regular (path, error);
  if (fd < 0)
    return NULL;
  mapped = g_mapped_file_new_from_fd (fd, FALSE, &local_error);
  close (fd);
  if (mapped == NULL)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s: cannot read: %s"), path, local_error->message);
      return NULL;
    }
  return bm_image_load_from_memory ((const guint8 *) g_mapped_file_get_contents (mapped),
                                    g_mapped_file_get_length (mapped), path, error);
}

/* --- channel conversion -------------------------------------------------------------------- */

/* OpenCV's cvtColor(BGR2GRAY) for 8 bit: Y = (3735·B + 19235·G + 9798·R + 2^14) >> 15. */
static inline guint8
gray_from_rgb (const guint8 *rgb)
{
  return (guint8) ((9798u * rgb[0] + 19235u * rgb[1] + 3735u * rgb[2] + 16384u) >> 15);
}

static void
convert_row (const guint8 *in, int in_channels, guint8 *out, int out_channels, int width)
{
  gboolean in_gray = in_channels <= 2;
  gboolean in_alpha = in_channels == 2 || in_channels == 4;

  for (int x = 0; x < width; x++, in += in_channels, out += out_channels)
    {
      guint8 alpha = in_alpha ? in[in_channels - 1] : 255;

      switch (out_channels)
        {
        case 1:
          out[0] = in_gray ? in[0] : gray_from_rgb (in);
          break;
        case 2:
          out[0] = in_gray ? in[0] : gray_from_rgb (in);
          out[1] = alpha;
          break;
        default:
          if (in_gray)
            out[0] = out[1] = out[2] = in[0];
          else
            out[0] = in[0], out[1] = in[1], out[2] = in[2];
          if (out_channels == 4)
            out[3] = alpha;
          break;
        }
    }
}

BmImage *
bm_image_convert (BmImage *image, int channels)
{
  BmImage *converted;

  g_return_val_if_fail (image != NULL, NULL);
  g_return_val_if_fail (channels >= 1 && channels <= 4, NULL);

  if (image->channels == channels)
    return bm_image_ref (image);

  converted = bm_image_new (image->width, image->height, channels);
  converted->source_bits = image->source_bits;
  converted->orientation = image->orientation;
  for (int y = 0; y < image->height; y++)
    convert_row (image->data + (gsize) y * image->stride, image->channels,
                 converted->data + (gsize) y * converted->stride, channels, image->width);
  return converted;
}

