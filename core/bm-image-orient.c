/* bm-image-orient.c: turning decoded images upright from their EXIF orientation.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stddef.h>
#include <string.h>

#include "bm-image-private.h"

/* Where destination pixel (x, y) comes from: source byte offset = origin + x·step_x + y·step_y,
 * the transforms of PIL's ImageOps.exif_transpose. */
typedef struct
{
  ptrdiff_t origin;
  ptrdiff_t step_x;
  ptrdiff_t step_y;
  gboolean swaps_axes;
} OrientationMap;

static OrientationMap
orientation_map (const BmImage *src, int orientation)
{
  ptrdiff_t c = src->channels;
  ptrdiff_t row = src->stride;
  ptrdiff_t last_col = (ptrdiff_t) (src->width - 1) * c;
  ptrdiff_t last_row = (ptrdiff_t) (src->height - 1) * row;

  switch (orientation)
    {
    case 2: return (OrientationMap) { last_col, -c, row, FALSE };              /* mirror */
    case 3: return (OrientationMap) { last_row + last_col, -c, -row, FALSE };  /* rotate 180 */
    case 4: return (OrientationMap) { last_row, c, -row, FALSE };              /* flip */
    case 5: return (OrientationMap) { 0, row, c, TRUE };                       /* transpose */
    case 6: return (OrientationMap) { last_row, -row, c, TRUE };               /* rotate 90 cw */
    case 7: return (OrientationMap) { last_row + last_col, -row, -c, TRUE };   /* transverse */
    case 8: return (OrientationMap) { last_col, row, -c, TRUE };               /* rotate 90 ccw */
    default: return (OrientationMap) { 0, c, row, FALSE };
    }
}

#define ORIENT_BLOCK 64

/* Blocked so that the transposing orientations stay within cache on both sides. */
static void
remap_pixels (const BmImage *src, BmImage *dst, OrientationMap map)
{
  const int c = src->channels;

  for (int by = 0; by < dst->height; by += ORIENT_BLOCK)
    for (int bx = 0; bx < dst->width; bx += ORIENT_BLOCK)
      {
        int y_end = MIN (by + ORIENT_BLOCK, dst->height);
        int x_end = MIN (bx + ORIENT_BLOCK, dst->width);

        for (int y = by; y < y_end; y++)
          {
            guint8 *out = dst->data + (gsize) y * dst->stride + (gsize) bx * c;
            const guint8 *in = src->data + map.origin + (ptrdiff_t) y * map.step_y + (ptrdiff_t) bx * map.step_x;

            switch (c)
              {
              case 1:
                for (int x = bx; x < x_end; x++, out += 1, in += map.step_x)
                  out[0] = in[0];
                break;
              case 3:
                for (int x = bx; x < x_end; x++, out += 3, in += map.step_x)
                  out[0] = in[0], out[1] = in[1], out[2] = in[2];
                break;
              case 4:
                for (int x = bx; x < x_end; x++, out += 4, in += map.step_x)
                  memcpy (out, in, 4);
                break;
              default:
                for (int x = bx; x < x_end; x++, out += c, in += map.step_x)
                  memcpy (out, in, (gsize) c);
                break;
              }
          }
      }
}

static BmImage *
try_apply_orientation (const BmImage *image, int orientation)
{
  OrientationMap map = orientation_map (image, orientation);
  BmImage *turned = map.swaps_axes ? bm_image_try_new (image->height, image->width, image->channels)
                                   : bm_image_try_new (image->width, image->height, image->channels);

  if (turned == NULL)
    return NULL;
  remap_pixels (image, turned, map);
  turned->source_bits = image->source_bits;
  turned->orientation = orientation;
  return turned;
}

BmImage *
bm_image_apply_orientation (BmImage *image, int orientation)
{
  BmImage *turned;

  g_return_val_if_fail (image != NULL, NULL);
  g_return_val_if_fail (orientation >= 1 && orientation <= 8, NULL);

  turned = try_apply_orientation (image, orientation);
  if (turned == NULL)
    g_error ("%s: out of memory for a %dx%d image", G_STRFUNC, image->width, image->height);
  return turned;
}

static void
swap_bytes (guint8 *a, guint8 *b, gsize n)
{
  guint8 tmp[64];

  while (n > 0)
    {
      gsize chunk = MIN (n, sizeof tmp);

      memcpy (tmp, a, chunk);
      memcpy (a, b, chunk);
      memcpy (b, tmp, chunk);
      a += chunk, b += chunk, n -= chunk;
    }
}

static void
mirror_rows_in_place (BmImage *image)
{
  gsize c = (gsize) image->channels;

  for (int y = 0; y < image->height; y++)
    {
      guint8 *row = image->data + (gsize) y * image->stride;

      for (gsize l = 0, r = (gsize) (image->width - 1); l < r; l++, r--)
        swap_bytes (row + l * c, row + r * c, c);
    }
}

static void
flip_rows_in_place (BmImage *image)
{
  gsize row_bytes = (gsize) image->width * (gsize) image->channels;

  for (int top = 0, bottom = image->height - 1; top < bottom; top++, bottom--)
    swap_bytes (image->data + (gsize) top * image->stride, image->data + (gsize) bottom * image->stride, row_bytes);
}

/* The loader owns a fresh image: the flips need no second buffer, which matters at 1 GB. */
BmImage *
bm_image_orient_owned (BmImage *image, int orientation)
{
  BmImage *turned;

  switch (orientation)
    {
    case 1:
      return image;
    case 2:
      mirror_rows_in_place (image);
      break;
    case 3:
      mirror_rows_in_place (image);
      flip_rows_in_place (image);
      break;
    case 4:
      flip_rows_in_place (image);
      break;
    default:
      turned = try_apply_orientation (image, orientation);
      bm_image_unref (image);
      return turned;
    }
  image->orientation = orientation;
  return image;
}

