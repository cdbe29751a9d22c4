/* fuzz-image-decoder.c: libFuzzer target for the streaming decoders (bm-image-decoder.h) and the
 * tile pyramid they fill (bm-image-stream.h). Built three times, as fuzz-jpeg, fuzz-png and
 * fuzz-tiff (BM_FUZZ_FORMAT), each keeping only inputs of its format.
 *
 * Besides "no crash, no hang, no leak": rows come in order and cover the image; a region equals
 * the same rectangle of the rows; the rows at full size equal the whole-image decode.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "core/bm-image.h"
#include "core/bm-image-decoder.h"
#include "core/bm-image-private.h"
#include "core/bm-image-stream.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

/* Inputs that declare huge images would only measure the allocator. */
#define MAX_PIXELS (2048 * 2048)

static char *tmp_dir;
static char *tmp_path;

static void
check (gboolean condition)
{
  if (!condition)
    abort ();
}

typedef struct
{
  BmImage *image;
  int next_y;
} Gather;

static gboolean
gather_cb (const guint8 *rows, gsize stride, int y, int n_rows, gpointer user_data)
{
  Gather *g = user_data;

  check (y == g->next_y && n_rows > 0 && y + n_rows <= g->image->height);
  check (stride >= (gsize) g->image->width * g->image->channels);
  for (int r = 0; r < n_rows; r++)
    memcpy (g->image->data + (gsize) (y + r) * g->image->stride, rows + (gsize) r * stride,
            (gsize) g->image->width * g->image->channels);
  g->next_y = y + n_rows;
  return TRUE;
}

/* Checks a region against the rows read whole, when both exist. */
static void
check_region (BmImageDecoder *decoder, guint shift, const BmImage *rows, const guint8 *data, size_t size)
{
  int x, y, w, h;
  g_autoptr(BmImage) region = NULL;

  if (size < 8)
    return;
  x = data[size - 1] % rows->width;
  y = data[size - 2] % rows->height;
  w = 1 + data[size - 3] % (rows->width - x);
  h = 1 + data[size - 4] % (rows->height - y);
  region = bm_image_decoder_read_region (decoder, shift, x, y, w, h, NULL);
  /* A TIFF whose rows all read has no region that fails (libtiff decodes the same strips or
   * tiles); the other formats' regions may still refuse what their rows tolerated. */
  check (region != NULL || BM_FUZZ_FORMAT != BM_IMAGE_FORMAT_TIFF);
  if (region == NULL)
    return;
  check (region->width == w && region->height == h && region->channels == rows->channels);
  for (int r = 0; r < h; r++)
    check (memcmp (region->data + (gsize) r * region->stride,
                   rows->data + (gsize) (y + r) * rows->stride + (gsize) x * rows->channels,
                   (gsize) w * rows->channels) == 0);
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr(BmImageDecoder) decoder = NULL;
  BmImageHeader header;
  BmImageFormat format = bm_image_sniff_format (data, size);

  if (format != BM_FUZZ_FORMAT || !bm_image_parse_header (data, size, format, &header)
      || (gint64) header.width * header.height > MAX_PIXELS)
    return 0;

  if (tmp_path == NULL)
    {
      tmp_dir = g_dir_make_tmp ("bm-fuzz-decoder-XXXXXX", NULL);
      check (tmp_dir != NULL);
      tmp_path = g_build_filename (tmp_dir, "input", NULL);
    }
  check (g_file_set_contents (tmp_path, (const char *) data, (gssize) size, NULL));
  decoder = bm_image_decoder_open (tmp_path, NULL);
  if (decoder == NULL)
    return 0;
  check (bm_image_decoder_get_width (decoder) > 0 && bm_image_decoder_get_height (decoder) > 0);
  check (bm_image_decoder_get_channels (decoder) >= 1 && bm_image_decoder_get_channels (decoder) <= 4);

  for (guint shift = 0; shift < 8; shift++)
    {
      Gather g = { NULL, 0 };
      int w, h;
      gboolean ok;

      if (!(bm_image_decoder_get_reductions (decoder) & (1u << shift)))
        continue;
      bm_image_decoder_reduced_size (decoder, shift, &w, &h);
      g.image = bm_image_new (w, h, bm_image_decoder_get_channels (decoder));
      ok = bm_image_decoder_read_rows (decoder, shift, 0, gather_cb, &g, NULL, NULL);
      if (ok)
        {
          check (g.next_y == h);
          if (bm_image_decoder_has_regions (decoder))
            check_region (decoder, shift, g.image, data, size);
          /* The whole-image decode of the stored frame gives the same pixels. */
          if (shift == 0 && header.orientation == 1)
            {
              g_autoptr(BmImage) whole = bm_image_load_from_memory (data, size, "fuzz", NULL);

              check (whole != NULL || BM_FUZZ_FORMAT != BM_IMAGE_FORMAT_TIFF);
              if (whole != NULL)
                {
                  check (whole->width == w && whole->height == h && whole->channels == g.image->channels);
                  check (memcmp (whole->data, g.image->data, (gsize) whole->stride * h) == 0);
                }
            }
        }
      bm_image_unref (g.image);
    }

  /* The stream's threads on it, with every level made by a pass or on request. */
  {
    g_autoptr(BmImageStream) stream = bm_image_stream_new_with_limit (tmp_path, tmp_dir, 0, NULL);

    if (stream != NULL)
      {
        BmImagePyramid *pyramid = bm_image_stream_get_pyramid (stream);
        int nc, nr;

        bm_image_stream_set_active (stream, TRUE);
        bm_image_stream_start (stream);
        bm_image_stream_wait (stream, TRUE);
        bm_image_pyramid_get_level_size (pyramid, 0, NULL, NULL, &nc, &nr);
        bm_image_stream_request_tile (stream, 0, nc - 1, nr - 1);
      }
  }
  return 0;
}
