/* bm-image-decoder.c: the format-independent half of bm-image-decoder.h; each format's half is
 * in its own file (bm-image-jpeg.c, bm-image-png.c, bm-image-tiff.c). Formats read through
 * stb_image are decoded whole and then handed out in bands.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "bm-error.h"
#include "bm-image-decoder.h"
#include "bm-image-private.h"

#define BAND_ROWS 64

gboolean
bm_image_decoder_emit_rows (BmImage *image, int first_row, BmImageRowsFunc func, gpointer user_data,
                            GCancellable *cancellable, GError **error)
{
  for (int y = first_row; y < image->height; y += BAND_ROWS)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!func (image->data + (gsize) y * image->stride, (gsize) image->stride, y,
                 MIN (BAND_ROWS, image->height - y), user_data))
        break;
    }
  return TRUE;
}

/* Formats read through stb_image: they have no orientation, so bm_image_load gives the stored
 * frame. */
static gboolean
whole_read_rows (BmImageDecoder  *self,
                 guint            shift,
                 int              first_row,
                 BmImageRowsFunc  func,
                 gpointer         user_data,
                 GCancellable    *cancellable,
                 GError         **error)
{
  g_autoptr(BmImage) image = bm_image_load (self->path, error);

  if (image == NULL)
    return FALSE;
  return bm_image_decoder_emit_rows (image, first_row, func, user_data, cancellable, error);
}

static const BmImageDecoderClass whole_decoder_class = {
  .read_rows = whole_read_rows,
  .read_region = NULL,
  .finalize = NULL,
  .cheap_regions = FALSE,
};

BmImageDecoder *
bm_image_decoder_open (const char *path, GError **error)
{
  g_autoptr(BmImageDecoder) self = NULL;
  BmImageFormat format;
  gboolean ok;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_new0 (BmImageDecoder, 1);
  self->path = g_strdup (path);
  self->klass = &whole_decoder_class;
  self->reductions = 1;
  if (!bm_image_read_header (path, &format, &self->header, error)
      || !bm_image_check_decoded_size (&self->header, path, error))
    return NULL;

  switch (format)
    {
    case BM_IMAGE_FORMAT_JPEG:
      ok = bm_image_jpeg_decoder_init (self, error);
      break;
    case BM_IMAGE_FORMAT_PNG:
      ok = bm_image_png_decoder_init (self, error);
      break;
    case BM_IMAGE_FORMAT_TIFF:
      ok = bm_image_tiff_decoder_init (self, error);
      break;
    case BM_IMAGE_FORMAT_OTHER:
    default:
      ok = TRUE;
      break;
    }
  return ok ? g_steal_pointer (&self) : NULL;
}

void
bm_image_decoder_free (BmImageDecoder *self)
{
  if (self == NULL)
    return;
  if (self->klass != NULL && self->klass->finalize != NULL)
    self->klass->finalize (self);
  g_free (self->path);
  g_free (self);
}

const char *
bm_image_decoder_get_path (BmImageDecoder *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->path;
}

int
bm_image_decoder_get_width (BmImageDecoder *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->header.width;
}

int
bm_image_decoder_get_height (BmImageDecoder *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->header.height;
}

int
bm_image_decoder_get_channels (BmImageDecoder *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->header.channels;
}

int
bm_image_decoder_get_orientation (BmImageDecoder *self)
{
  g_return_val_if_fail (self != NULL, 1);
  return self->header.orientation;
}

int
bm_image_decoder_get_source_bits (BmImageDecoder *self)
{
  g_return_val_if_fail (self != NULL, 8);
  return self->header.bits;
}

guint
bm_image_decoder_get_reductions (BmImageDecoder *self)
{
  g_return_val_if_fail (self != NULL, 1);
  return self->reductions;
}

void
bm_image_decoder_reduced_size (BmImageDecoder *self, guint shift, int *width, int *height)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (shift < 31);

  if (width != NULL)
    *width = (int) (((gint64) self->header.width + (1 << shift) - 1) >> shift);
  if (height != NULL)
    *height = (int) (((gint64) self->header.height + (1 << shift) - 1) >> shift);
}

gboolean
bm_image_decoder_read_rows (BmImageDecoder  *self,
                            guint            shift,
                            int              first_row,
                            BmImageRowsFunc  func,
                            gpointer         user_data,
                            GCancellable    *cancellable,
                            GError         **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (shift < 32 && (self->reductions & (1u << shift)), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  g_return_val_if_fail (first_row >= 0, FALSE);

  return self->klass->read_rows (self, shift, first_row, func, user_data, cancellable, error);
}

gboolean
bm_image_decoder_has_regions (BmImageDecoder *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->klass->read_region != NULL;
}

gboolean
bm_image_decoder_has_cheap_regions (BmImageDecoder *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->klass->read_region != NULL && self->klass->cheap_regions;
}

BmImage *
bm_image_decoder_read_region (BmImageDecoder  *self,
                              guint            shift,
                              int              x,
                              int              y,
                              int              width,
                              int              height,
                              GError         **error)
{
  int w, h;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (self->klass->read_region != NULL, NULL);
  g_return_val_if_fail (shift < 32 && (self->reductions & (1u << shift)), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  bm_image_decoder_reduced_size (self, shift, &w, &h);
  if (x < 0 || y < 0 || width <= 0 || height <= 0 || x > w - width || y > h - height)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_INVALID, _("%s: the region is outside the image"), self->path);
      return NULL;
    }
  return self->klass->read_region (self, shift, x, y, width, height, error);
}
