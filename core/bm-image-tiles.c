/* bm-image-tiles.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>

#include "bm-image-tiles.h"

struct _BmImagePyramid
{
  gint ref_count;
  GPtrArray *levels;   /* of BmImage, level 0 first */
};

G_DEFINE_BOXED_TYPE (BmImagePyramid, bm_image_pyramid, bm_image_pyramid_ref, bm_image_pyramid_unref)

/* A missing odd column or row repeats the last one, so (2a + 2b + 2) >> 2 is the rounded mean
 * of the two pixels that exist, and the 1x1 corner is copied. */
static void
downscale_row (const guint8 *top, const guint8 *bottom, guint8 *out, int width, int channels)
{
  const int pairs = width / 2;
  const int c = channels;

  switch (c)
    {
    case 1:
      for (int x = 0; x < pairs; x++)
        out[x] = (guint8) ((top[2 * x] + top[2 * x + 1] + bottom[2 * x] + bottom[2 * x + 1] + 2) >> 2);
      break;
    case 3:
      for (int x = 0; x < pairs; x++)
        {
          const guint8 *a = top + 6 * x, *b = bottom + 6 * x;
          guint8 *o = out + 3 * x;

          o[0] = (guint8) ((a[0] + a[3] + b[0] + b[3] + 2) >> 2);
          o[1] = (guint8) ((a[1] + a[4] + b[1] + b[4] + 2) >> 2);
          o[2] = (guint8) ((a[2] + a[5] + b[2] + b[5] + 2) >> 2);
        }
      break;
    default:
      for (int x = 0; x < pairs; x++)
        for (int k = 0; k < c; k++)
          {
            int i = 2 * x * c + k;
            out[x * c + k] = (guint8) ((top[i] + top[i + c] + bottom[i] + bottom[i + c] + 2) >> 2);
          }
      break;
    }

  if (width % 2 == 1)
    {
      const guint8 *a = top + (gsize) (width - 1) * c, *b = bottom + (gsize) (width - 1) * c;

      for (int k = 0; k < c; k++)
        out[pairs * c + k] = (guint8) ((2 * a[k] + 2 * b[k] + 2) >> 2);
    }
}

BmImage *
bm_image_downscale_half (BmImage *image)
{
  BmImage *half;

  g_return_val_if_fail (image != NULL, NULL);

  half = bm_image_new ((image->width + 1) / 2, (image->height + 1) / 2, image->channels);
  half->source_bits = image->source_bits;
  half->orientation = image->orientation;
  for (int y = 0; y < half->height; y++)
    {
      int y0 = 2 * y, y1 = MIN (2 * y + 1, image->height - 1);

      downscale_row (image->data + (gsize) y0 * image->stride, image->data + (gsize) y1 * image->stride,
                     half->data + (gsize) y * half->stride, image->width, image->channels);
    }
  return half;
}

BmImagePyramid *
bm_image_pyramid_new (BmImage *image, int min_size)
{
  BmImagePyramid *pyramid;
  BmImage *level;

  g_return_val_if_fail (image != NULL, NULL);
  g_return_val_if_fail (min_size >= 1, NULL);

  pyramid = g_new0 (BmImagePyramid, 1);
  pyramid->ref_count = 1;
  pyramid->levels = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_image_unref);
  level = bm_image_ref (image);
  g_ptr_array_add (pyramid->levels, level);
  while (level->width > min_size || level->height > min_size)
    {
      level = bm_image_downscale_half (level);
      g_ptr_array_add (pyramid->levels, level);
    }
  return pyramid;
}

BmImagePyramid *
bm_image_pyramid_ref (BmImagePyramid *pyramid)
{
  g_return_val_if_fail (pyramid != NULL, NULL);

  g_atomic_int_inc (&pyramid->ref_count);
  return pyramid;
}

void
bm_image_pyramid_unref (BmImagePyramid *pyramid)
{
  g_return_if_fail (pyramid != NULL);

  if (g_atomic_int_dec_and_test (&pyramid->ref_count))
    {
      g_ptr_array_unref (pyramid->levels);
      g_free (pyramid);
    }
}

guint
bm_image_pyramid_get_n_levels (BmImagePyramid *pyramid)
{
  g_return_val_if_fail (pyramid != NULL, 0);

  return pyramid->levels->len;
}

BmImage *
bm_image_pyramid_get_level (BmImagePyramid *pyramid, guint level)
{
  g_return_val_if_fail (pyramid != NULL, NULL);
  g_return_val_if_fail (level < pyramid->levels->len, NULL);

  return g_ptr_array_index (pyramid->levels, level);
}

double
bm_image_pyramid_get_level_scale (BmImagePyramid *pyramid, guint level)
{
  g_return_val_if_fail (pyramid != NULL, 1.0);
  g_return_val_if_fail (level < pyramid->levels->len, 1.0);

  return ldexp (1.0, -(int) level);
}

guint
bm_image_pyramid_level_for_zoom (BmImagePyramid *pyramid, double zoom)
{
  double levels;

  g_return_val_if_fail (pyramid != NULL, 0);

  if (!(zoom > 0) || zoom >= 1.0)
    return 0;
  levels = floor (log2 (1.0 / zoom) + 1e-9);
  return (guint) MIN (levels, (double) (pyramid->levels->len - 1));
}

void
bm_tile_grid_size (int width, int height, int tile_size, int *n_columns, int *n_rows)
{
  g_return_if_fail (tile_size > 0);

  if (n_columns != NULL)
    *n_columns = width > 0 ? (width + tile_size - 1) / tile_size : 0;
  if (n_rows != NULL)
    *n_rows = height > 0 ? (height + tile_size - 1) / tile_size : 0;
}

BmTileRect
bm_tile_grid_rect (int width, int height, int tile_size, int column, int row)
{
  BmTileRect rect = { column * tile_size, row * tile_size, 0, 0 };

  g_return_val_if_fail (tile_size > 0, rect);
  g_return_val_if_fail (column >= 0 && row >= 0, rect);

  rect.width = CLAMP (width - rect.x, 0, tile_size);
  rect.height = CLAMP (height - rect.y, 0, tile_size);
  return rect;
}

gboolean
bm_tile_grid_visible (int width, int height, int tile_size,
                      double x1, double y1, double x2, double y2,
                      int *first_column, int *first_row, int *last_column, int *last_row)
{
  int n_columns, n_rows, c0, r0, c1, r1;

  g_return_val_if_fail (tile_size > 0, FALSE);

  bm_tile_grid_size (width, height, tile_size, &n_columns, &n_rows);
  x1 = MAX (x1, 0.0), y1 = MAX (y1, 0.0);
  x2 = MIN (x2, (double) width), y2 = MIN (y2, (double) height);
  if (!(x1 < x2 && y1 < y2))
    return FALSE;

  c0 = (int) floor (x1 / tile_size);
  r0 = (int) floor (y1 / tile_size);
  /* [x1, x2) is half-open: a right edge on a tile boundary does not touch the next tile. */
  c1 = MIN ((int) ceil (x2 / tile_size) - 1, n_columns - 1);
  r1 = MIN ((int) ceil (y2 / tile_size) - 1, n_rows - 1);
  if (first_column != NULL)
    *first_column = c0;
  if (first_row != NULL)
    *first_row = r0;
  if (last_column != NULL)
    *last_column = c1;
  if (last_row != NULL)
    *last_row = r1;
  return TRUE;
}

GBytes *
bm_image_tile_bytes (BmImage *image, const BmTileRect *rect, int *channels, gsize *stride)
{
  int in_c, out_c;
  gsize out_stride;
  guint8 *pixels;

  g_return_val_if_fail (image != NULL, NULL);
  g_return_val_if_fail (rect != NULL, NULL);
  g_return_val_if_fail (rect->x >= 0 && rect->y >= 0 && rect->width > 0 && rect->height > 0, NULL);
  g_return_val_if_fail (rect->x + rect->width <= image->width && rect->y + rect->height <= image->height, NULL);

  in_c = image->channels;
  out_c = in_c == 2 || in_c == 4 ? 4 : 3;
  out_stride = (gsize) rect->width * (gsize) out_c;
  pixels = g_malloc (out_stride * (gsize) rect->height);

  for (int y = 0; y < rect->height; y++)
    {
      const guint8 *in = image->data + (gsize) (rect->y + y) * image->stride + (gsize) rect->x * in_c;
      guint8 *out = pixels + (gsize) y * out_stride;

      if (in_c == out_c)
        {
          memcpy (out, in, out_stride);
          continue;
        }
      for (int x = 0; x < rect->width; x++, in += in_c, out += out_c)
        {
          out[0] = out[1] = out[2] = in[0];
          if (out_c == 4)
            out[3] = in[1];
        }
    }

  if (channels != NULL)
    *channels = out_c;
  if (stride != NULL)
    *stride = out_stride;
  return g_bytes_new_take (pixels, out_stride * (gsize) rect->height);
}
