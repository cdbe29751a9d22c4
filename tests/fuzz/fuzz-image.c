/* fuzz-image.c: libFuzzer target for image decoding, EXIF orientation and header reading.
 *
 * Besides "no crash, no hang, no leak": a decoded image has the size the header promised, in
 * the EXIF-oriented frame.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "core/bm-image.h"
#include "core/bm-image-private.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

/* Inputs that declare huge images would only measure the allocator. */
#define MAX_PIXELS (4096 * 4096)

static char *tmp_path;

static void
check (gboolean condition)
{
  if (!condition)
    abort ();
}

static void
check_header_agrees (const guint8 *data, size_t size, const BmImage *image)
{
  int width = 0, height = 0, channels = 0;

  if (tmp_path == NULL)
    {
      int fd = g_file_open_tmp ("bm-fuzz-image-XXXXXX", &tmp_path, NULL);
      check (fd >= 0);
      close (fd);
    }
  check (g_file_set_contents (tmp_path, (const char *) data, (gssize) size, NULL));
  if (bm_image_read_info (tmp_path, &width, &height, &channels, NULL))
    {
      check (width == image->width);
      check (height == image->height);
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr(BmImage) image = NULL;
  BmImageHeader header;
  int orientation;

  orientation = bm_image_read_exif_orientation (data, size);
  check (orientation >= 1 && orientation <= 8);

  if (size > G_MAXINT || !bm_image_parse_header (data, size, bm_image_sniff_format (data, size), &header)
      || (gint64) header.width * header.height > MAX_PIXELS)
    return 0;

  image = bm_image_load_from_memory (data, size, "fuzz", NULL);
  if (image == NULL)
    return 0;
  check (image->width > 0 && image->height > 0);
  check (image->channels >= 1 && image->channels <= 4);
  check ((gint64) image->width * image->height == (gint64) header.width * header.height);
  check_header_agrees (data, size, image);
  for (int c = 1; c <= 4; c++)
    if (c != 2)
      {
        g_autoptr(BmImage) converted = bm_image_convert (image, c);
        check (converted->channels == c && converted->width == image->width);
      }
  return 0;
}
