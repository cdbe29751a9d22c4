/* bm-crop-encode.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>
#include <jpeglib.h>

#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "core/bm-png-write.h"
#include "bm-crop-encode.h"

/* ---- PNG ---- */

/* core's libpng encoder at OpenCV's settings: the bytes cv2.imwrite writes for a crop, and the
 * fastest of the usual levels. */
GBytes *
bm_crop_encode_png (BmImage  *image,
                    GError  **error)
{
  gsize length = 0;
  guint8 *png;

  g_return_val_if_fail (image != NULL && image->channels >= 1 && image->channels <= 4, NULL);

  png = bm_png_write_memory (image->data, image->width, image->height, image->channels, image->stride,
                             BM_PNG_LEVEL_OPENCV, &length, error);
  return png != NULL ? g_bytes_new_take (png, length) : NULL;
}

/* ---- JPEG ---- */

typedef struct
{
  struct jpeg_error_mgr manager;
  jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
} JpegError;

static void
jpeg_failed (j_common_ptr info)
{
  JpegError *error = (JpegError *) info->err;

  info->err->format_message (info, error->message);
  longjmp (error->jump, 1);
}

static void
jpeg_quiet (j_common_ptr info, int level)
{
}

GBytes *
bm_crop_encode_jpeg (BmImage  *image,
                     int       quality,
                     GError  **error)
{
  struct jpeg_compress_struct info;
  JpegError failure;
  unsigned char *volatile buffer = NULL;
  unsigned long size = 0;
  guint8 *volatile row = NULL;
  gboolean colour;

  g_return_val_if_fail (image != NULL && image->channels >= 1 && image->channels <= 4, NULL);

  colour = image->channels >= 3;
  memset (&info, 0, sizeof info);
  info.err = jpeg_std_error (&failure.manager);
  failure.manager.error_exit = jpeg_failed;
  failure.manager.emit_message = jpeg_quiet;
  if (setjmp (failure.jump))
    {
      jpeg_destroy_compress (&info);
      free (buffer);
      g_free (row);
      g_set_error (error, BM_ERROR, BM_ERROR_IO, _("Cannot encode JPEG: %s"), failure.message);
      return NULL;
    }
  jpeg_create_compress (&info);
  jpeg_mem_dest (&info, (unsigned char **) &buffer, &size);
  info.image_width = (JDIMENSION) image->width;
  info.image_height = (JDIMENSION) image->height;
  info.input_components = colour ? 3 : 1;
  info.in_color_space = colour ? JCS_RGB : JCS_GRAYSCALE;
  jpeg_set_defaults (&info);
  jpeg_set_quality (&info, CLAMP (quality, 1, 100), TRUE);
  jpeg_start_compress (&info, TRUE);
  row = g_malloc ((gsize) image->width * info.input_components);
  while (info.next_scanline < info.image_height)
    {
      const guint8 *source = image->data + (gsize) info.next_scanline * image->stride;
      JSAMPROW rows[1] = { row };

      /* alpha (and the second channel of gray + alpha) is dropped */
      for (int x = 0; x < image->width; x++)
        for (int c = 0; c < info.input_components; c++)
          row[x * info.input_components + c] = source[x * image->channels + c];
      jpeg_write_scanlines (&info, rows, 1);
    }
  jpeg_finish_compress (&info);
  jpeg_destroy_compress (&info);
  g_free (row);
  {
    GBytes *bytes = g_bytes_new (buffer, size);

    free (buffer);
    return bytes;
  }
}

gboolean
bm_crop_save_image (BmImage     *image,
                    const char  *path,
                    int          quality,
                    GError     **error)
{
  g_autofree char *extension = bm_path_get_extension (path);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local = NULL;
  gsize length;
  const char *data;

  if (strcmp (extension, "png") == 0)
    bytes = bm_crop_encode_png (image, &local);
  else if (strcmp (extension, "jpg") == 0 || strcmp (extension, "jpeg") == 0)
    bytes = bm_crop_encode_jpeg (image, quality, &local);
  else
    {
      g_set_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED,
                   _("%s: cannot save images of this type (use .png, .jpg or .jpeg)"), path);
      return FALSE;
    }
  if (bytes == NULL)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_IO, "%s: %s", path, local->message);
      return FALSE;
    }
  data = g_bytes_get_data (bytes, &length);
  return bm_file_write_atomic (path, data, length, error);
}
