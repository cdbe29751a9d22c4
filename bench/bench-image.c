/* bench-image.c: header-only sizes against full decodes over the test data, and the cost of
 * orienting, converting and saving big images.
 *
 *   bench-image [TESTDATA] [--large] [--large-png]
 *
 * TESTDATA defaults to $BM_TESTDATA, then to the tree next to the sources. --large also writes a
 * 20000x20000 RGB JPEG into a temporary folder and times reading it (about 3 GB of memory);
 * --large-png does the same with a 1.2 GB uncompressed PNG, beyond stb_image's own PNG limit.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>
#include "core/bm-file-util.h"
#include "core/bm-image.h"
#include "core/bm-image-pyramid.h"

#define INFO_REPEATS 20

static void
collect_images (const char *dir, GPtrArray *out)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          collect_images (path, out);
          g_free (path);
        }
      else if (bm_path_is_image (path))
        g_ptr_array_add (out, path);
      else
        g_free (path);
    }
}

static long
peak_rss_mb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmHWM:");
  return line != NULL ? g_ascii_strtoll (line + 6, NULL, 10) / 1024 : -1;
}

/* Resets VmHWM (Linux >= 4.0), so that the next peak is the load's own. */
static void
reset_peak_rss (void)
{
  g_file_set_contents ("/proc/self/clear_refs", "5", 1, NULL);
}

static void
bench_testdata (const char *root)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  double info_seconds = 0, decode_seconds = 0;
  guint64 bytes = 0, pixels = 0;
  g_autoptr(GTimer) timer = g_timer_new ();

  collect_images (root, paths);
  if (paths->len == 0)
    {
      g_printerr ("no images under %s\n", root);
      return;
    }

  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = paths->pdata[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(BmImage) image = NULL;
      GStatBuf st;
      int w, h, c;

      if (g_stat (path, &st) == 0)
        bytes += (guint64) st.st_size;

      g_timer_start (timer);
      for (int k = 0; k < INFO_REPEATS; k++)
        if (!bm_image_read_info (path, &w, &h, &c, &error))
          g_error ("%s", error->message);
      info_seconds += g_timer_elapsed (timer, NULL) / INFO_REPEATS;

      g_timer_start (timer);
      image = bm_image_load (path, &error);
      decode_seconds += g_timer_elapsed (timer, NULL);
      if (image == NULL)
        g_error ("%s", error->message);
      pixels += (guint64) image->width * image->height;
    }

  printf ("testdata: %u images, %.1f MB of files, %.1f Mpixel\n", paths->len, bytes / 1e6, pixels / 1e6);
  printf ("  bm_image_read_info: %8.2f ms total, %7.1f us per image\n",
          info_seconds * 1e3, info_seconds * 1e6 / paths->len);
  printf ("  bm_image_load:      %8.2f ms total, %7.1f us per image, %.1f Mpixel/s\n",
          decode_seconds * 1e3, decode_seconds * 1e6 / paths->len, pixels / 1e6 / decode_seconds);
  printf ("  header-only is %.0fx faster than decoding\n", decode_seconds / info_seconds);
}

static BmImage *
gradient_image (int width, int height)
{
  BmImage *image = bm_image_new (width, height, 3);

  for (int y = 0; y < height; y++)
    {
      guint8 *row = image->data + (gsize) y * image->stride;

      for (int x = 0; x < width; x++)
        {
          row[3 * x] = (guint8) (x ^ y);
          row[3 * x + 1] = (guint8) (x / 7 + y / 3);
          row[3 * x + 2] = (guint8) ((x * y) >> 6);
        }
    }
  return image;
}

static void
bench_pyramid (BmImage *image)
{
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autoptr(BmImagePyramid) pyramid = bm_image_pyramid_new (image->width, image->height, 0, NULL);
  g_autoptr(BmPyramidWriter) writer = bm_pyramid_writer_new (pyramid, 0, bm_image_pyramid_get_n_levels (pyramid) - 1, 0);
  double seconds;

  g_timer_start (timer);
  bm_pyramid_writer_push (writer, image->data, (gsize) image->stride, image->channels, image->height);
  seconds = g_timer_elapsed (timer, NULL);
  printf ("  tile pyramid: %u levels of %d px tiles in %.1f ms (%.0f Mpixel/s of level 0)\n",
          bm_image_pyramid_get_n_levels (pyramid), BM_TILE_SIZE, seconds * 1e3,
          (double) image->width * image->height / 1e6 / seconds);
}

static void
bench_pixel_ops (int size)
{
  g_autoptr(BmImage) image = gradient_image (size, size);
  g_autoptr(GTimer) timer = g_timer_new ();
  double mpix = (double) size * size / 1e6;

  printf ("pixel operations on %dx%d RGB (%.0f MB):\n", size, size, mpix * 3);
  for (int o = 2; o <= 8; o++)
    {
      BmImage *turned;

      g_timer_start (timer);
      turned = bm_image_apply_orientation (image, o);
      printf ("  orientation %d:  %7.1f ms (%.0f Mpixel/s)\n", o, g_timer_elapsed (timer, NULL) * 1e3,
              mpix / g_timer_elapsed (timer, NULL));
      bm_image_unref (turned);
    }
  {
    BmImage *gray;

    g_timer_start (timer);
    gray = bm_image_convert (image, 1);
    printf ("  RGB -> gray:    %7.1f ms (%.0f Mpixel/s)\n", g_timer_elapsed (timer, NULL) * 1e3,
            mpix / g_timer_elapsed (timer, NULL));
    bm_image_unref (gray);
  }
  bench_pyramid (image);
}

static void
bench_large (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autofree char *dir = g_dir_make_tmp ("bm-bench-image-XXXXXX", &error);
  g_autofree char *path = NULL;
  const int size = 20000;
  int w, h, c;

  if (dir == NULL)
    g_error ("%s", error->message);
  path = g_build_filename (dir, "aerial.jpg", NULL);
  {
    g_autoptr(BmImage) image = gradient_image (size, size);

    g_timer_start (timer);
    if (!bm_image_save (image, path, 90, &error))
      g_error ("%s", error->message);
    printf ("large: wrote %dx%d JPEG in %.1f s\n", size, size, g_timer_elapsed (timer, NULL));
  }

  g_timer_start (timer);
  if (!bm_image_read_info (path, &w, &h, &c, &error))
    g_error ("%s", error->message);
  printf ("  read_info: %dx%dx%d in %.3f ms\n", w, h, c, g_timer_elapsed (timer, NULL) * 1e3);
  {
    g_autoptr(BmImage) image = NULL;

    reset_peak_rss ();
    g_timer_start (timer);
    image = bm_image_load (path, &error);
    if (image == NULL)
      g_error ("%s", error->message);
    printf ("  load: %dx%dx%d in %.1f s, peak RSS %ld MB\n", image->width, image->height, image->channels,
            g_timer_elapsed (timer, NULL), peak_rss_mb ());
    bench_pyramid (image);
  }
  g_unlink (path);
  g_rmdir (dir);
}

/* ---- a PNG above stb_image's 1 GiB limit, written with stored deflate blocks ---------------- */

static guint32 crc_table[256];

static void
init_crc_table (void)
{
  for (guint32 n = 0; n < 256; n++)
    {
      guint32 c = n;

      for (int k = 0; k < 8; k++)
        c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      crc_table[n] = c;
    }
}

static guint32
crc_update (guint32 crc, const guint8 *data, gsize n)
{
  for (gsize i = 0; i < n; i++)
    crc = crc_table[(crc ^ data[i]) & 255] ^ (crc >> 8);
  return crc;
}

static void
put_be32 (guint8 *p, guint32 v)
{
  p[0] = v >> 24, p[1] = (v >> 16) & 255, p[2] = (v >> 8) & 255, p[3] = v & 255;
}

static void
write_chunk (FILE *f, const char *type, const guint8 *data, gsize n)
{
  guint8 head[8], tail[4];
  guint32 crc;

  put_be32 (head, (guint32) n);
  memcpy (head + 4, type, 4);
  crc = crc_update (0xFFFFFFFFu, (const guint8 *) type, 4);
  crc = crc_update (crc, data, n) ^ 0xFFFFFFFFu;
  put_be32 (tail, crc);
  fwrite (head, 1, 8, f);
  fwrite (data, 1, n, f);
  fwrite (tail, 1, 4, f);
}

/* The zlib stream is cut into IDAT chunks of up to 1 MB as it is produced. */
typedef struct
{
  FILE *file;
  GByteArray *pending;
  guint32 adler_a, adler_b;
} IdatWriter;

static void
idat_append (IdatWriter *w, const guint8 *data, gsize n)
{
  g_byte_array_append (w->pending, data, (guint) n);
  if (w->pending->len >= (1u << 20))
    {
      write_chunk (w->file, "IDAT", w->pending->data, w->pending->len);
      g_byte_array_set_size (w->pending, 0);
    }
}

static void
write_stored_png (const char *path, int width, int height)
{
  FILE *f = fopen (path, "wb");
  IdatWriter w = { f, g_byte_array_new (), 1, 0 };
  gsize row_bytes = (gsize) width * 3 + 1, total = row_bytes * (gsize) height, done = 0;
  g_autofree guint8 *row = g_malloc (row_bytes);
  guint8 ihdr[13] = { 0 }, trailer[4];
  gsize block_left = 0;

  init_crc_table ();
  fwrite ("\x89PNG\r\n\x1a\n", 1, 8, f);
  put_be32 (ihdr, (guint32) width);
  put_be32 (ihdr + 4, (guint32) height);
  ihdr[8] = 8, ihdr[9] = 2;
  write_chunk (f, "IHDR", ihdr, 13);
  idat_append (&w, (const guint8 *) "\x78\x01", 2);

  for (int y = 0; y < height; y++)
    {
      row[0] = 0;
      for (int x = 0; x < width; x++)
        {
          row[1 + 3 * x] = (guint8) (x ^ y);
          row[2 + 3 * x] = (guint8) (x / 7 + y / 3);
          row[3 + 3 * x] = (guint8) ((x * y) >> 6);
        }
      for (gsize i = 0; i < row_bytes;)
        {
          gsize n;

          if (block_left == 0)
            {
              gsize len = MIN (total - done, 65535);
              guint8 header[5] = { done + len == total, len & 255, len >> 8, ~len & 255, (~len >> 8) & 255 };

              idat_append (&w, header, 5);
              block_left = len;
            }
          n = MIN (block_left, row_bytes - i);
          idat_append (&w, row + i, n);
          for (gsize k = 0; k < n; k++)
            {
              w.adler_a = (w.adler_a + row[i + k]) % 65521;
              w.adler_b = (w.adler_b + w.adler_a) % 65521;
            }
          i += n, done += n, block_left -= n;
        }
    }
  put_be32 (trailer, (w.adler_b << 16) | w.adler_a);
  idat_append (&w, trailer, 4);
  write_chunk (f, "IDAT", w.pending->data, w.pending->len);
  write_chunk (f, "IEND", NULL, 0);
  g_byte_array_free (w.pending, TRUE);
  fclose (f);
}

static void
bench_large_png (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autofree char *dir = g_dir_make_tmp ("bm-bench-image-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(BmImage) image = NULL;
  const int size = 20000;
  int w, h, c;

  if (dir == NULL)
    g_error ("%s", error->message);
  path = g_build_filename (dir, "aerial.png", NULL);
  g_timer_start (timer);
  write_stored_png (path, size, size);
  printf ("large PNG: wrote %dx%d RGB (uncompressed, 1.2 GB) in %.1f s\n", size, size, g_timer_elapsed (timer, NULL));

  g_timer_start (timer);
  if (!bm_image_read_info (path, &w, &h, &c, &error))
    g_error ("%s", error->message);
  printf ("  read_info: %dx%dx%d in %.3f ms\n", w, h, c, g_timer_elapsed (timer, NULL) * 1e3);

  reset_peak_rss ();
  g_timer_start (timer);
  image = bm_image_load (path, &error);
  if (image == NULL)
    g_error ("%s", error->message);
  printf ("  load: %dx%dx%d in %.1f s, peak RSS %ld MB\n", image->width, image->height, image->channels,
          g_timer_elapsed (timer, NULL), peak_rss_mb ());
  for (int y = 0; y < size; y += 997)
    for (int x = 0; x < size; x += 991)
      {
        const guint8 *p = image->data + (gsize) y * image->stride + (gsize) x * 3;

        if (p[0] != (guint8) (x ^ y) || p[1] != (guint8) (x / 7 + y / 3) || p[2] != (guint8) ((x * y) >> 6))
          g_error ("large PNG: wrong pixel at %d,%d", x, y);
      }
  printf ("  sampled pixels are right\n");
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  const char *root = NULL;
  gboolean large = FALSE, large_png = FALSE;

  for (int i = 1; i < argc; i++)
    if (strcmp (argv[i], "--large") == 0)
      large = TRUE;
    else if (strcmp (argv[i], "--large-png") == 0)
      large_png = TRUE;
    else
      root = argv[i];
  if (root == NULL)
    root = g_getenv ("BM_TESTDATA");
  if (root == NULL)
    root = BM_DEFAULT_TESTDATA;

  bench_testdata (root);
  bench_pixel_ops (4000);
  if (large)
    bench_large ();
  if (large_png)
    bench_large_png ();
  return 0;
}
