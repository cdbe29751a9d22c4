/* bm-image-jpeg.c: JPEG through libjpeg-turbo.
 *
 * OpenCV's imread decodes JPEG with the same library (Debian's libjpeg62-turbo) and its default
 * settings: the accurate integer IDCT (JDCT_ISLOW), fancy upsampling and block smoothing on.
 * We set those explicitly and convert CMYK as OpenCV does, so our pixels equal cv2.imread's
 * and the detector sees what OpenCV sees. DCT-domain scaling (1/2, 1/4, 1/8, what imread's
 * IMREAD_REDUCED_* flags use) gives the overview of a 20000 × 20000 JPEG without the cost of
 * the full inverse DCT, and jpeg_crop_scanline / jpeg_skip_scanlines decode regions.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <jpeglib.h>
#include <jerror.h>

#include "bm-error.h"
#include "bm-image-private.h"

/* Rows handed over at a time when streaming. */
#define BAND_ROWS 32
#define FILE_BUFFER_SIZE (256 * 1024)

typedef struct
{
  struct jpeg_decompress_struct cinfo;
  struct jpeg_error_mgr err;
  jmp_buf jump;
  gboolean created;
  gboolean truncated;         /* libjpeg met the end of the data before the end of the image */
  char message[JMSG_LENGTH_MAX];
  FILE *file;
  char *file_buffer;
  BmImage *image;             /* being filled */
  guint8 *cmyk_row;
  guint8 *band;
} Jpeg;

static void
on_error_exit (j_common_ptr cinfo)
{
  Jpeg *j = cinfo->client_data;

  cinfo->err->format_message (cinfo, j->message);
  longjmp (j->jump, 1);
}

/* Warnings are not printed; a premature end is remembered, since libjpeg fills the rest grey. */
static void
on_emit_message (j_common_ptr cinfo, int level)
{
  Jpeg *j = cinfo->client_data;

  if (level < 0)
    {
      cinfo->err->num_warnings++;
      if (cinfo->err->msg_code == JWRN_JPEG_EOF)
        j->truncated = TRUE;
    }
}

static void
jpeg_free (Jpeg *j)
{
  if (j->created)
    jpeg_destroy_decompress (&j->cinfo);
  if (j->file != NULL)
    fclose (j->file);
  g_free (j->file_buffer);
  g_clear_pointer (&j->image, bm_image_unref);
  g_free (j->cmyk_row);
  g_free (j->band);
  g_free (j);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Jpeg, jpeg_free)

static Jpeg *
jpeg_new (void)
{
  Jpeg *j = g_new0 (Jpeg, 1);

  j->cinfo.err = jpeg_std_error (&j->err);
  j->err.error_exit = on_error_exit;
  j->err.emit_message = on_emit_message;
  j->cinfo.client_data = j;
  return j;
}

/* Call right after setjmp succeeded. */
static void
jpeg_create (Jpeg *j)
{
  jpeg_create_decompress (&j->cinfo);
  j->created = TRUE;
}

static int
output_channels (const struct jpeg_decompress_struct *cinfo)
{
  return cinfo->num_components == 1 ? 1 : 3;
}

/* As OpenCV 4.6's JpegDecoder::readData: CMYK (and YCCK, which libjpeg turns into CMYK) comes
 * out as CMYK, gray as gray, everything else as RGB. */
static void
set_up_output (struct jpeg_decompress_struct *cinfo, int scale_denom)
{
  cinfo->scale_num = 1;
  cinfo->scale_denom = (unsigned int) scale_denom;
  cinfo->dct_method = JDCT_ISLOW;
  cinfo->do_fancy_upsampling = TRUE;
  cinfo->do_block_smoothing = TRUE;
  if (cinfo->num_components == 4)
    cinfo->out_color_space = JCS_CMYK;
  else if (cinfo->num_components == 1)
    cinfo->out_color_space = JCS_GRAYSCALE;
  else
    cinfo->out_color_space = JCS_RGB;
}

/* OpenCV's icvCvt_CMYK2BGR_8u_C4C3R, written out as RGB. */
static void
cmyk_to_rgb (const guint8 *cmyk, guint8 *rgb, int width)
{
  for (int x = 0; x < width; x++, cmyk += 4, rgb += 3)
    {
      int k = cmyk[3];

      rgb[0] = (guint8) (k - (((255 - cmyk[0]) * k) >> 8));
      rgb[1] = (guint8) (k - (((255 - cmyk[1]) * k) >> 8));
      rgb[2] = (guint8) (k - (((255 - cmyk[2]) * k) >> 8));
    }
}

/* Reads the next output row into @out (output_width pixels of output_channels). */
static void
read_row (Jpeg *j, guint8 *out)
{
  JSAMPROW row = j->cinfo.out_color_space == JCS_CMYK ? j->cmyk_row : out;

  while (jpeg_read_scanlines (&j->cinfo, &row, 1) != 1)
    ;   /* suspension cannot happen with the memory and stdio sources; a bad file jumps out */
  if (j->cinfo.out_color_space == JCS_CMYK)
    cmyk_to_rgb (j->cmyk_row, out, (int) j->cinfo.output_width);
}

static void
start (Jpeg *j, int scale_denom)
{
  jpeg_read_header (&j->cinfo, TRUE);
  set_up_output (&j->cinfo, scale_denom);
  jpeg_start_decompress (&j->cinfo);
  if (j->cinfo.out_color_space == JCS_CMYK)
    j->cmyk_row = g_malloc ((gsize) j->cinfo.output_width * 4);
}

static void
set_jpeg_error (Jpeg *j, const char *path, GError **error)
{
  g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("%s: cannot decode the JPEG image (%s)"),
               bm_image_display_path (path), j->message);
}

static gboolean
check_not_truncated (Jpeg *j, const char *path, GError **error)
{
  if (!j->truncated)
    return TRUE;
  g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("%s: the image is truncated (its end is missing)"),
               bm_image_display_path (path));
  return FALSE;
}

BmImage *
bm_image_jpeg_decode (const guint8 *data, gsize length, const char *path, int scale_denom, GError **error)
{
  g_autoptr(Jpeg) j = jpeg_new ();

  g_return_val_if_fail (scale_denom == 1 || scale_denom == 2 || scale_denom == 4 || scale_denom == 8, NULL);

  if (setjmp (j->jump))
    {
      set_jpeg_error (j, path, error);
      return NULL;
    }
  jpeg_create (j);
  jpeg_mem_src (&j->cinfo, data, (unsigned long) length);
  start (j, scale_denom);

  j->image = bm_image_try_new ((int) j->cinfo.output_width, (int) j->cinfo.output_height, output_channels (&j->cinfo));
  if (j->image == NULL)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s: not enough memory to decode the image"),
                   bm_image_display_path (path));
      return NULL;
    }
  for (int y = 0; y < j->image->height; y++)
    read_row (j, j->image->data + (gsize) y * j->image->stride);
  jpeg_abort_decompress (&j->cinfo);

  if (!check_not_truncated (j, path, error))
    return NULL;
  return g_steal_pointer (&j->image);
}

/* --- streaming and regions, from the file ---------------------------------------------------- */

/* Opens the file for one pass. FALSE with @error set when it cannot be read. */
static gboolean
open_file (Jpeg *j, const char *path, GError **error)
{
  j->file = bm_image_fopen_regular (path, error);
  if (j->file == NULL)
    return FALSE;
  j->file_buffer = g_malloc (FILE_BUFFER_SIZE);
  setvbuf (j->file, j->file_buffer, _IOFBF, FILE_BUFFER_SIZE);
  return TRUE;
}

static gboolean
jpeg_read_rows (BmImageDecoder  *self,
                guint            shift,
                int              first_row,
                BmImageRowsFunc  func,
                gpointer         user_data,
                GCancellable    *cancellable,
                GError         **error)
{
  g_autoptr(Jpeg) j = jpeg_new ();
  gsize stride;
  int height;

  if (!open_file (j, self->path, error))
    return FALSE;
  if (setjmp (j->jump))
    {
      set_jpeg_error (j, self->path, error);
      return FALSE;
    }
  jpeg_create (j);
  jpeg_stdio_src (&j->cinfo, j->file);
  start (j, 1 << shift);

  stride = (gsize) j->cinfo.output_width * (gsize) output_channels (&j->cinfo);
  height = (int) j->cinfo.output_height;
  j->band = g_malloc (stride * BAND_ROWS);
  if (first_row > 0)
    jpeg_skip_scanlines (&j->cinfo, (JDIMENSION) MIN (first_row, height));
  for (int y = first_row; y < height; y += BAND_ROWS)
    {
      int n = MIN (BAND_ROWS, height - y);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      for (int k = 0; k < n; k++)
        read_row (j, j->band + (gsize) k * stride);
      if (!check_not_truncated (j, self->path, error))
        return FALSE;
      if (!func (j->band, stride, y, n, user_data))
        break;
    }
  jpeg_abort_decompress (&j->cinfo);
  return TRUE;
}

/* Entropy decoding cannot jump: the rows above the region are still decoded (but not
 * transformed), so a region near the bottom costs most of a full pass. */
static BmImage *
jpeg_read_region (BmImageDecoder  *self,
                  guint            shift,
                  int              x,
                  int              y,
                  int              width,
                  int              height,
                  GError         **error)
{
  g_autoptr(Jpeg) j = jpeg_new ();
  JDIMENSION crop_x, crop_width;
  gsize channels, crop_stride;

  if (!open_file (j, self->path, error))
    return NULL;
  if (setjmp (j->jump))
    {
      set_jpeg_error (j, self->path, error);
      return NULL;
    }
  jpeg_create (j);
  jpeg_stdio_src (&j->cinfo, j->file);
  start (j, 1 << shift);
  if ((JDIMENSION) (x + width) > j->cinfo.output_width || (JDIMENSION) (y + height) > j->cinfo.output_height)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_INVALID, _("%s: the region is outside the image"), self->path);
      return NULL;
    }

  /* The upsampler treats the crop's edges as the image's, so one more column on each side keeps
   * the region's own columns exactly as a full decode gives them. libjpeg moves the start left to
   * an iMCU boundary. */
  crop_x = (JDIMENSION) MAX (x - 1, 0);
  crop_width = MIN ((JDIMENSION) (x + width + 1), j->cinfo.output_width) - crop_x;
  if (crop_x > 0 || crop_width < j->cinfo.output_width)
    jpeg_crop_scanline (&j->cinfo, &crop_x, &crop_width);
  if (y > 0)
    jpeg_skip_scanlines (&j->cinfo, (JDIMENSION) y);

  channels = (gsize) output_channels (&j->cinfo);
  crop_stride = (gsize) j->cinfo.output_width * channels;   /* output_width is the crop's now */
  j->band = g_malloc (crop_stride);
  g_free (j->cmyk_row);
  j->cmyk_row = j->cinfo.out_color_space == JCS_CMYK ? g_malloc ((gsize) j->cinfo.output_width * 4) : NULL;
  j->image = bm_image_new (width, height, (int) channels);
  for (int row = 0; row < height; row++)
    {
      read_row (j, j->band);
      memcpy (j->image->data + (gsize) row * j->image->stride, j->band + (gsize) (x - (int) crop_x) * channels,
              (gsize) width * channels);
    }
  jpeg_abort_decompress (&j->cinfo);
  if (!check_not_truncated (j, self->path, error))
    return NULL;
  return g_steal_pointer (&j->image);
}

static const BmImageDecoderClass jpeg_decoder_class = {
  .read_rows = jpeg_read_rows,
  .read_region = jpeg_read_region,
  .finalize = NULL,
  .cheap_regions = FALSE,
};

gboolean
bm_image_jpeg_decoder_init (BmImageDecoder *self, GError **error)
{
  self->klass = &jpeg_decoder_class;
  self->reductions = 0xF;   /* 1, 1/2, 1/4, 1/8 */
  return TRUE;
}
