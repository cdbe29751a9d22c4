/* bm-image-png.c: PNG through libpng.
 *
 * Pixels equal stb_image's (which Boxmark used before, and which the tests compare against):
 * the same channel count, 16-bit samples reduced to their high byte, palettes expanded, a tRNS
 * chunk turned into alpha, 1-, 2- and 4-bit gray scaled to 0-255, no gamma applied. Like
 * stb_image, CRCs and the zlib checksum are not checked (a flipped bit shows as a flipped pixel
 * rather than no image, and the checks cost ~7 % of the decode). Rows stream from the file a
 * band at a time, so a 20000 × 20000 PNG never needs its 1.2 GB decoded at once; interlaced
 * PNGs cannot stream (the last pass fills every other row) and are decoded whole.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <png.h>

#include "bm-error.h"
#include "bm-image-private.h"

#define BAND_ROWS 32
#define FILE_BUFFER_SIZE (256 * 1024)

typedef struct
{
  png_structp png;
  png_infop info;
  char message[256];
  /* from memory */
  const guint8 *data;
  gsize length;
  gsize pos;
  /* from a file */
  FILE *file;
  char *file_buffer;
  /* what it decodes into */
  BmImage *image;
  guint8 *band;
  int width, height, channels, passes, bits;
} Png;

static void
png_free_all (Png *p)
{
  if (p->png != NULL)
    png_destroy_read_struct (&p->png, p->info != NULL ? &p->info : NULL, NULL);
  if (p->file != NULL)
    fclose (p->file);
  g_free (p->file_buffer);
  g_clear_pointer (&p->image, bm_image_unref);
  g_free (p->band);
  g_free (p);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Png, png_free_all)

static void
on_error (png_structp png, png_const_charp message)
{
  Png *p = png_get_error_ptr (png);

  g_strlcpy (p->message, message, sizeof p->message);
  png_longjmp (png, 1);
}

static void
on_warning (png_structp png, png_const_charp message)
{
}

static void
read_memory (png_structp png, png_bytep out, png_size_t n)
{
  Png *p = png_get_io_ptr (png);

  if (p->pos > p->length || n > p->length - p->pos)
    png_error (png, _("unexpected end of the data"));
  memcpy (out, p->data + p->pos, n);
  p->pos += n;
}

static Png *
png_new (void)
{
  Png *p = g_new0 (Png, 1);

  p->png = png_create_read_struct (PNG_LIBPNG_VER_STRING, p, on_error, on_warning);
  if (p->png != NULL)
    p->info = png_create_info_struct (p->png);
  return p;
}

/* Call inside the setjmp: reads the header and sets the transforms that give stb_image's output. */
static void
set_up (Png *p)
{
  png_set_crc_action (p->png, PNG_CRC_QUIET_USE, PNG_CRC_QUIET_USE);
#ifdef PNG_IGNORE_ADLER32
  png_set_option (p->png, PNG_IGNORE_ADLER32, PNG_OPTION_ON);
#endif
  png_set_benign_errors (p->png, 1);
  png_read_info (p->png, p->info);

  p->bits = png_get_bit_depth (p->png, p->info);
  png_set_expand (p->png);            /* palette → RGB, low-depth gray → 8 bit, tRNS → alpha */
  if (p->bits == 16)
    png_set_strip_16 (p->png);        /* the high byte, as stb_image */
  p->passes = png_set_interlace_handling (p->png);
  png_read_update_info (p->png, p->info);

  p->width = (int) png_get_image_width (p->png, p->info);
  p->height = (int) png_get_image_height (p->png, p->info);
  p->channels = png_get_channels (p->png, p->info);
  if (p->width <= 0 || p->height <= 0 || p->channels < 1 || p->channels > 4
      || png_get_rowbytes (p->png, p->info) != (gsize) p->width * (gsize) p->channels)
    png_error (p->png, "unexpected pixel layout");
}

static void
set_png_error (Png *p, const char *path, GError **error)
{
  g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("%s: cannot decode the PNG image (%s)"),
               bm_image_display_path (path), p->message[0] ? p->message : _("unknown error"));
}

static gboolean
check_created (Png *p, const char *path, GError **error)
{
  if (p->png != NULL && p->info != NULL)
    return TRUE;
  g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s: not enough memory to decode the image"),
               bm_image_display_path (path));
  return FALSE;
}

/* Inside the setjmp: every pass over every row (one pass unless interlaced). */
static void
decode_whole (Png *p)
{
  for (int pass = 0; pass < p->passes; pass++)
    for (int y = 0; y < p->height; y++)
      png_read_row (p->png, p->image->data + (gsize) y * p->image->stride, NULL);
}

static gboolean
allocate_image (Png *p, const char *path, GError **error)
{
  p->image = bm_image_try_new (p->width, p->height, p->channels);
  if (p->image == NULL)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s: not enough memory to decode the image"),
                   bm_image_display_path (path));
      return FALSE;
    }
  /* Interlaced passes fill rows in several goes; start from zeros like stb_image. */
  if (p->passes > 1)
    memset (p->image->data, 0, (gsize) p->image->stride * (gsize) p->height);
  p->image->source_bits = p->bits == 16 ? 16 : 8;
  return TRUE;
}

BmImage *
bm_image_png_decode (const guint8 *data, gsize length, const char *path, GError **error)
{
  g_autoptr(Png) p = png_new ();

  if (!check_created (p, path, error))
    return NULL;
  p->data = data;
  p->length = length;
  if (setjmp (png_jmpbuf (p->png)))
    {
      set_png_error (p, path, error);
      return NULL;
    }
  png_set_read_fn (p->png, p, read_memory);
  set_up (p);
  if (!allocate_image (p, path, error))
    return NULL;
  decode_whole (p);
  return g_steal_pointer (&p->image);
}

/* --- streaming from the file ------------------------------------------------------------------ */

static gboolean
decoder_read_rows (BmImageDecoder  *self,
                   guint            shift,
                   int              first_row,
                   BmImageRowsFunc  func,
                   gpointer         user_data,
                   GCancellable    *cancellable,
                   GError         **error)
{
  g_autoptr(Png) p = png_new ();
  gsize stride;

  g_return_val_if_fail (shift == 0, FALSE);

  if (!check_created (p, self->path, error))
    return FALSE;
  p->file = bm_image_fopen_regular (self->path, error);
  if (p->file == NULL)
    return FALSE;
  p->file_buffer = g_malloc (FILE_BUFFER_SIZE);
  setvbuf (p->file, p->file_buffer, _IOFBF, FILE_BUFFER_SIZE);

  if (setjmp (png_jmpbuf (p->png)))
    {
      set_png_error (p, self->path, error);
      return FALSE;
    }
  png_init_io (p->png, p->file);
  set_up (p);
  /* the rows are copied as the header said them to be: a file the header reads otherwise than
   * libpng (a malformed chunk) is refused rather than read past its rows */
  if (p->width != self->header.width || p->height != self->header.height || p->channels != self->header.channels)
    png_error (p->png, "the image data do not match the header");

  if (p->passes > 1)
    {
      if (!allocate_image (p, self->path, error))
        return FALSE;
      decode_whole (p);
      return bm_image_decoder_emit_rows (p->image, first_row, func, user_data, cancellable, error);
    }

  stride = (gsize) p->width * (gsize) p->channels;
  p->band = g_malloc (stride * BAND_ROWS);
  /* Inflating cannot jump: the rows above are decoded and dropped. */
  for (int y = 0; y < MIN (first_row, p->height); y++)
    png_read_row (p->png, p->band, NULL);
  for (int y = first_row; y < p->height; y += BAND_ROWS)
    {
      int n = MIN (BAND_ROWS, p->height - y);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      for (int k = 0; k < n; k++)
        png_read_row (p->png, p->band + (gsize) k * stride, NULL);
      if (!func (p->band, stride, y, n, user_data))
        break;
    }
  return TRUE;
}

static const BmImageDecoderClass png_decoder_class = {
  .read_rows = decoder_read_rows,
  .read_region = NULL,
  .finalize = NULL,
  .cheap_regions = FALSE,
};

gboolean
bm_image_png_decoder_init (BmImageDecoder *self, GError **error)
{
  self->klass = &png_decoder_class;
  self->reductions = 1;
  return TRUE;
}
