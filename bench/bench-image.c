/* bench-image.c: header-only sizes against full decodes over the test data, the cost of orienting
 * and converting big images, and huge images as the window shows them.
 *
 *   bench-image [TESTDATA]
 *   bench-image --huge [--size 20000] [--images DIR] [--only NAME] [--skip-old] [TESTDATA]
 *
 * TESTDATA defaults to $BM_TESTDATA, then to the tree next to the sources. --huge writes a
 * SIZE × SIZE aerial-looking RGB picture as JPEG (quality 90), PNG, tiled TIFF with overviews and
 * TIFF in strips (into DIR, kept for the next run, or a temporary folder), then for each, in a
 * process of its own, times the first view and everything, with the peak memory: "floor" is the
 * decoding library alone for the first view (rows thrown away); "old" decodes whole (stb_image
 * for JPEG, as Boxmark did) and makes every tile in memory; "new" is what the window does now
 * (bm-image-stream.h). "old" needs about 3.5 GB (--skip-old leaves it out). --only NAME measures one
 * of the files. The reference, OpenCV's cv2.imread (whole, and its 1/8 REDUCED_COLOR_8 overview),
 * runs after them on the same file (bench_image_opencv.py), and a "ratio" line compares: time to
 * the first view, to every zoom level, and peak RSS.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jpeglib.h>
#include <png.h>
#include <tiffio.h>
#include <glib/gstdio.h>
#include "core/bm-file-util.h"
#include "core/bm-image.h"
#include "core/bm-image-decoder.h"
#include "core/bm-image-private.h"
#include "core/bm-image-pyramid.h"
#include "core/bm-image-stream.h"

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

/* ---- huge images: the window's path against decoding whole --------------------------------- */

/* An aerial-looking SIZE × SIZE RGB picture: a DOTA photo mirrored over and over, with a little
 * sensor noise so that no two tiles compress alike. Row by row, never whole. */
typedef struct
{
  BmImage *source;
  int size;
  guint32 seed;
} Aerial;

static void
aerial_row (Aerial *a, int y, guint8 *row)
{
  int sw = a->source->width, sh = a->source->height, sy = y % (2 * sh);
  const guint8 *src;

  sy = sy < sh ? sy : 2 * sh - 1 - sy;
  src = a->source->data + (gsize) sy * a->source->stride;
  for (int x = 0; x < a->size; x++)
    {
      int sx = x % (2 * sw);
      const guint8 *p;

      sx = sx < sw ? sx : 2 * sw - 1 - sx;
      p = src + (gsize) sx * 3;
      a->seed = a->seed * 1664525u + 1013904223u;
      for (int k = 0; k < 3; k++)
        row[3 * x + k] = (guint8) MIN (255, p[k] + ((a->seed >> (8 * k + 4)) & 3));
    }
}

static void
write_jpeg (const char *path, Aerial *a)
{
  struct jpeg_compress_struct c;
  struct jpeg_error_mgr err;
  FILE *file = fopen (path, "wb");
  g_autofree guint8 *row = g_malloc ((gsize) a->size * 3);

  c.err = jpeg_std_error (&err);
  jpeg_create_compress (&c);
  jpeg_stdio_dest (&c, file);
  c.image_width = (JDIMENSION) a->size;
  c.image_height = (JDIMENSION) a->size;
  c.input_components = 3;
  c.in_color_space = JCS_RGB;
  jpeg_set_defaults (&c);
  jpeg_set_quality (&c, 90, TRUE);
  jpeg_start_compress (&c, TRUE);
  for (int y = 0; y < a->size; y++)
    {
      JSAMPROW rows[1] = { row };

      aerial_row (a, y, row);
      jpeg_write_scanlines (&c, rows, 1);
    }
  jpeg_finish_compress (&c);
  jpeg_destroy_compress (&c);
  fclose (file);
}

static void
write_png (const char *path, Aerial *a)
{
  FILE *file = fopen (path, "wb");
  png_structp png = png_create_write_struct (PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
  png_infop info = png_create_info_struct (png);
  g_autofree guint8 *row = g_malloc ((gsize) a->size * 3);

  if (setjmp (png_jmpbuf (png)))
    g_error ("cannot write %s", path);
  png_init_io (png, file);
  png_set_IHDR (png, info, (png_uint_32) a->size, (png_uint_32) a->size, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info (png, info);
  for (int y = 0; y < a->size; y++)
    {
      aerial_row (a, y, row);
      png_write_row (png, row);
    }
  png_write_end (png, NULL);
  png_destroy_write_struct (&png, &info);
  fclose (file);
}

/* Tiled with deflate and overviews at 1/2 ... until 512 px (as gdaladdo makes them), or in LZW
 * strips without overviews (as xView's). */
static void
write_tiff (const char *path, Aerial *a, gboolean tiled)
{
  TIFF *tif = TIFFOpen (path, "w8");
  g_autofree guint8 *row = g_malloc ((gsize) a->size * 3);
  int size = a->size;

  for (int level = 0; size > 0; level++)
    {
      TIFFSetField (tif, TIFFTAG_IMAGEWIDTH, (guint32) size);
      TIFFSetField (tif, TIFFTAG_IMAGELENGTH, (guint32) size);
      TIFFSetField (tif, TIFFTAG_BITSPERSAMPLE, 8);
      TIFFSetField (tif, TIFFTAG_SAMPLESPERPIXEL, 3);
      TIFFSetField (tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB);
      TIFFSetField (tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
      if (level > 0)
        TIFFSetField (tif, TIFFTAG_SUBFILETYPE, FILETYPE_REDUCEDIMAGE);
      if (tiled)
        {
          g_autofree guint8 *tile = g_malloc0 (512 * 512 * 3);
          g_autofree guint8 *band = g_malloc ((gsize) size * 3 * 512);

          TIFFSetField (tif, TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE);
          TIFFSetField (tif, TIFFTAG_ZIPQUALITY, 1);
          TIFFSetField (tif, TIFFTAG_PREDICTOR, PREDICTOR_HORIZONTAL);
          TIFFSetField (tif, TIFFTAG_TILEWIDTH, 512);
          TIFFSetField (tif, TIFFTAG_TILELENGTH, 512);
          for (int ty = 0; ty < size; ty += 512)
            {
              /* An overview is the picture sampled every 2^level pixels: enough to look at. */
              for (int y = ty; y < MIN (ty + 512, size); y++)
                {
                  aerial_row (a, y << level, row);
                  for (int x = 0; x < size; x++)
                    memcpy (band + ((gsize) (y - ty) * size + x) * 3, row + ((gsize) x << level) * 3, 3);
                }
              for (int tx = 0; tx < size; tx += 512)
                {
                  memset (tile, 0, 512 * 512 * 3);
                  for (int y = 0; y < MIN (512, size - ty); y++)
                    memcpy (tile + (gsize) y * 512 * 3, band + ((gsize) y * size + tx) * 3,
                            (gsize) MIN (512, size - tx) * 3);
                  TIFFWriteTile (tif, tile, (guint32) tx, (guint32) ty, 0, 0);
                }
            }
        }
      else
        {
          TIFFSetField (tif, TIFFTAG_COMPRESSION, COMPRESSION_LZW);
          TIFFSetField (tif, TIFFTAG_ROWSPERSTRIP, 16);
          for (int y = 0; y < size; y++)
            {
              aerial_row (a, y, row);
              TIFFWriteScanline (tif, row, (guint32) y, 0);
            }
        }
      TIFFWriteDirectory (tif);
      if (!tiled || size <= 512)
        break;
      size = (size + 1) / 2;
    }
  TIFFClose (tif);
}

static long
status_mb (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) || (line = strstr (status, field)) == NULL)
    return -1;
  return g_ascii_strtoll (line + strlen (field), NULL, 10) / 1024;
}

static double
cpu_seconds (void)
{
  struct timespec t;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static gboolean
discard_rows_cb (const guint8 *rows, gsize stride, int y, int n_rows, gpointer user_data)
{
  return TRUE;
}

/* One measurement, in a process of its own so that its peak memory is its own. */
static void
measure (const char *mode, const char *path)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  double cpu0 = cpu_seconds ();

  if (strcmp (mode, "floor") == 0)
    {
      /* The decoding library alone, rows thrown away: what the first view cannot beat. */
      g_autoptr(BmImageDecoder) decoder = bm_image_decoder_open (path, &error);
      g_autoptr(BmImageStream) stream = NULL;
      guint shift;

      if (decoder == NULL)
        g_error ("%s", error->message);
      stream = bm_image_stream_new (path, NULL, &error);
      shift = bm_image_stream_get_overview_level (stream);
      if (!bm_image_decoder_read_rows (decoder, shift, 0, discard_rows_cb, NULL, NULL, &error))
        g_error ("%s", error->message);
      printf ("%-6s %-22s the decoder alone at 1/%d: %6.2f s (CPU %5.2f s)\n", mode, strrchr (path, '/') + 1,
              1 << shift, (g_get_monotonic_time () - start) / 1e6, cpu_seconds () - cpu0);
      printf ("= %.3f %.3f %.3f %ld\n", (g_get_monotonic_time () - start) / 1e6, cpu_seconds () - cpu0,
              (g_get_monotonic_time () - start) / 1e6, status_mb ("VmHWM:"));
    }
  else if (strcmp (mode, "old") == 0)
    {
      /* Boxmark before: decode whole (stb_image for JPEG), then every level's tiles in memory. */
      g_autoptr(BmImage) image = NULL;
      g_autoptr(BmImagePyramid) pyramid = NULL;
      g_autoptr(BmPyramidWriter) writer = NULL;

      if (g_str_has_suffix (path, ".jpg"))
        {
          g_autoptr(GMappedFile) mapped = g_mapped_file_new (path, FALSE, &error);

          image = bm_image_stb_decode ((guint8 *) g_mapped_file_get_contents (mapped),
                                       g_mapped_file_get_length (mapped), path, &error);
        }
      else
        image = bm_image_load (path, &error);
      if (image == NULL)
        g_error ("%s", error->message);
      pyramid = bm_image_pyramid_new (image->width, image->height, 0, NULL);
      writer = bm_pyramid_writer_new (pyramid, 0, bm_image_pyramid_get_n_levels (pyramid) - 1, 0);
      bm_pyramid_writer_push (writer, image->data, (gsize) image->stride, image->channels, image->height);
      printf ("%-6s %-22s first view %6.2f s (CPU %5.2f s), everything then, peak RSS %5ld MB\n", mode,
              strrchr (path, '/') + 1, (g_get_monotonic_time () - start) / 1e6, cpu_seconds () - cpu0,
              status_mb ("VmHWM:"));
      printf ("= %.3f %.3f %.3f %ld\n", (g_get_monotonic_time () - start) / 1e6, cpu_seconds () - cpu0,
              (g_get_monotonic_time () - start) / 1e6, status_mb ("VmHWM:"));
    }
  else
    {
      g_autoptr(BmImageStream) stream = bm_image_stream_new (path, NULL, &error);
      double overview, overview_cpu;
      BmImagePyramid *pyramid;

      if (stream == NULL)
        g_error ("%s", error->message);
      pyramid = bm_image_stream_get_pyramid (stream);
      bm_image_stream_set_active (stream, TRUE);
      bm_image_stream_start (stream);
      bm_image_stream_wait (stream, FALSE);
      overview = (g_get_monotonic_time () - start) / 1e6;
      overview_cpu = cpu_seconds () - cpu0;
      bm_image_stream_wait (stream, TRUE);
      if ((error = bm_image_stream_get_error (stream)) != NULL)
        g_error ("%s", error->message);
      printf ("%-6s %-22s first view %6.2f s (CPU %5.2f s, level %u), all levels %6.2f s (CPU %5.2f s), "
              "peak RSS %5ld MB (tiles %zu MB, %" G_GUINT64_FORMAT " MB to the temporary file)\n",
              mode, strrchr (path, '/') + 1, overview, overview_cpu, bm_image_stream_get_overview_level (stream),
              (g_get_monotonic_time () - start) / 1e6, cpu_seconds () - cpu0, status_mb ("VmHWM:"),
              bm_image_pyramid_get_peak_resident_bytes (pyramid) >> 20, bm_image_pyramid_get_spilled_bytes (pyramid) >> 20);
      printf ("= %.3f %.3f %.3f %ld\n", overview, overview_cpu, (g_get_monotonic_time () - start) / 1e6,
              status_mb ("VmHWM:"));
      /* A full-resolution tile in the middle, as a zoom there asks for it (TIFF reads it alone). */
      if (bm_image_stream_get_overview_level (stream) > 0)
        {
          BmPyramidTile tile;
          int n_columns, n_rows;

          bm_image_pyramid_get_level_size (pyramid, 0, NULL, NULL, &n_columns, &n_rows);
          start = g_get_monotonic_time ();
          while (!bm_image_pyramid_get_tile (pyramid, 0, n_columns / 2, n_rows / 2, &tile))
            {
              bm_image_stream_request_tile (stream, 0, n_columns / 2, n_rows / 2);
              g_usleep (1000);
            }
          bm_pyramid_tile_clear (&tile);
          printf ("%-6s %-22s a full-resolution tile in the middle after %.3f s\n", mode, strrchr (path, '/') + 1,
                  (g_get_monotonic_time () - start) / 1e6);
        }
    }
  fflush (stdout);
}

/* What one measurement process reports on its "= " line (cv2's script: "MODE wall cpu peak w h"). */
typedef struct
{
  gboolean ok;
  double first, first_cpu, all;
  long peak_mb;
  long baseline_mb;
} Figures;

/* Runs one measurement in a process of its own, echoing what it says, and keeps its figures. */
static void
run_measurement (const char **argv, Figures *figures)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL, &out, NULL, &status, &error))
    g_error ("%s", error->message);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      char mode[16];

      if (g_str_has_prefix (line, "= "))
        figures->ok = sscanf (line, "= %lf %lf %lf %ld", &figures->first, &figures->first_cpu, &figures->all,
                              &figures->peak_mb) == 4;
      else if (sscanf (line, "%15s %lf %lf %ld %*d %*d %ld", mode, &figures->first, &figures->first_cpu,
                       &figures->peak_mb, &figures->baseline_mb) == 5
               && (strcmp (mode, "full") == 0 || strcmp (mode, "reduced8") == 0))
        {
          figures->ok = TRUE;
          figures->all = figures->first;
          printf ("cv2    %-22s cv2.imread%s %6.2f s (CPU %5.2f s), peak RSS %5ld MB (%ld MB of it Python and "
                  "OpenCV before the call)\n", strrchr (argv[3], '/') + 1,
                  strcmp (mode, "full") == 0 ? "           " : " REDUCED_8", figures->first, figures->first_cpu,
                  figures->peak_mb, figures->baseline_mb);
        }
      else if (line[0] != '\0')
        printf ("%s\n", line);
    }
  if (!g_spawn_check_wait_status (status, &error))
    printf ("  (%s: %s)\n", argv[0], error->message);
  fflush (stdout);
}

/* Boxmark's stream against OpenCV: > 1 means Boxmark is faster or smaller. */
static void
print_ratios (const char *name, const Figures *ours, const Figures *full, const Figures *reduced)
{
  if (!ours->ok || !full->ok || !reduced->ok)
    {
      printf ("ratio  %-22s (a measurement failed)\n", name);
      return;
    }
  printf ("ratio  %-22s first view: cv2.imread / Boxmark %.1fx (wall), %.1fx (CPU); "
          "cv2 REDUCED_8 / Boxmark %.1fx; whole image at every zoom: cv2.imread / Boxmark %.2fx; "
          "peak RSS: cv2.imread / Boxmark %.2fx\n",
          name, full->first / ours->first, full->first_cpu / ours->first_cpu, reduced->first / ours->first,
          full->first / ours->all, (double) full->peak_mb / ours->peak_mb);
  fflush (stdout);
}

static void
bench_huge (const char *self_path, const char *root, int size, const char *images, const char *only,
            gboolean skip_old)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = images != NULL ? g_strdup (images) : g_dir_make_tmp ("bm-bench-image-XXXXXX", &error);
  g_autofree char *photo = g_build_filename (root, "dota", "dota_devkit_example", "images", "P0706.png", NULL);
  static const char *names[] = { "huge.jpg", "huge.png", "huge-tiled.tif", "huge-strips.tif" };
  static const char *modes[] = { "floor", "old", "new" };
  Aerial a = { NULL, size, 1 };

  if (dir == NULL)
    g_error ("%s", error->message);
  g_mkdir_with_parents (dir, 0755);
  a.source = bm_image_load (photo, &error);
  if (a.source == NULL)
    g_error ("%s", error->message);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_autoptr(GTimer) timer = g_timer_new ();
      GStatBuf st;

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        {
          a.seed = 1;
          if (i == 0)
            write_jpeg (path, &a);
          else if (i == 1)
            write_png (path, &a);
          else
            write_tiff (path, &a, i == 2);
          printf ("wrote %s (%d × %d) in %.1f s\n", path, size, size, g_timer_elapsed (timer, NULL));
        }
      g_stat (path, &st);
      printf ("%s: %.0f MB\n", names[i], st.st_size / 1e6);
    }
  bm_image_unref (a.source);
  fflush (stdout);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      Figures ours[G_N_ELEMENTS (modes)] = { 0 }, cv2_full = { 0 }, cv2_reduced = { 0 };

      if (only != NULL && strcmp (only, names[i]) != 0)
        continue;
      for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
        {
          const char *argv[] = { self_path, "--measure", modes[m], path, NULL };

          if (skip_old && strcmp (modes[m], "old") == 0)
            continue;
          run_measurement (argv, &ours[m]);
        }
      for (guint m = 0; m < 2; m++)
        {
          const char *argv[] = { "/usr/bin/python3", BM_BENCH_IMAGE_SCRIPT, m == 0 ? "full" : "reduced8", path, NULL };

          run_measurement (argv, m == 0 ? &cv2_full : &cv2_reduced);
        }
      print_ratios (names[i], &ours[2], &cv2_full, &cv2_reduced);
    }
  if (images == NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          g_autofree char *path = g_build_filename (dir, names[i], NULL);
          g_unlink (path);
        }
      g_rmdir (dir);
    }
}

int
main (int argc, char **argv)
{
  const char *root = NULL, *images = NULL, *only = NULL;
  gboolean huge = FALSE, skip_old = FALSE;
  int size = 20000;

  if (argc == 4 && strcmp (argv[1], "--measure") == 0)
    {
      measure (argv[2], argv[3]);
      return 0;
    }
  for (int i = 1; i < argc; i++)
    if (strcmp (argv[i], "--huge") == 0)
      huge = TRUE;
    else if (strcmp (argv[i], "--size") == 0 && i + 1 < argc)
      size = atoi (argv[++i]);
    else if (strcmp (argv[i], "--images") == 0 && i + 1 < argc)
      images = argv[++i];
    else if (strcmp (argv[i], "--skip-old") == 0)
      skip_old = TRUE;
    else if (strcmp (argv[i], "--only") == 0 && i + 1 < argc)
      only = argv[++i];
    else
      root = argv[i];
  if (root == NULL)
    root = g_getenv ("BM_TESTDATA");
  if (root == NULL)
    root = BM_DEFAULT_TESTDATA;

  if (huge)
    {
      bench_huge (argv[0], root, size, images, only, skip_old);
      return 0;
    }
  bench_testdata (root);
  bench_pixel_ops (4000);
  return 0;
}
