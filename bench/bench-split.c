/* bench-split.c: `boxmark-cli split` side by side with DOTA_devkit's ImgSplit on the same images.
 *
 * Usage: bench-split [REFIMPL] [ROUNDS]
 *   REFIMPL: a folder made by ../shared/reference-impl/build.sh (default $BM_REFIMPL, then
 *   /work/refimpl); only its dota/ImgSplit.py is used. Works in $BM_BENCH_DIR or /dev/shm.
 *
 * Two datasets: DOTA_devkit's example P0706 (1111 × 1182, 538 objects, 4 tiles), and four
 * 3333 × 3546 images made of 3 × 3 copies of it with their labels (4,842 objects and 16 tiles
 * each), as dense DOTA scenes are. For each, ImgSplit's splitdata() is timed inside Python
 * (without interpreter start-up and imports: in its favour), boxmark-cli split as a whole
 * process; best of ROUNDS (default 3) alternating runs, and the ratio.
 *
 * Wall and CPU times are printed: the machine is shared, and CPU times are what a busy machine
 * does not distort. Both write byte-identical PNGs with the same encoder (libpng, zlib level 1):
 * the CPU OpenCV spends in imread/imwrite, spread over every core, is the floor of any split that
 * writes the same files; the ratio it allows is printed, with Boxmark's own decoder and encoder
 * CPU for the same images and tiles.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <glib/gstdio.h>

#include "core/bm-image.h"
#include "core/bm-parallel.h"
#include "core/bm-png-write.h"

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      g_autoptr(GPtrArray) children = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      /* names first: tmpfs may skip entries when a folder changes while it is read */
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        g_ptr_array_add (children, g_build_filename (path, name, NULL));
      for (guint i = 0; i < children->len; i++)
        remove_tree (children->pdata[i]);
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static void
must (gboolean ok, GError *error)
{
  if (!ok)
    {
      g_printerr ("bench-split: %s\n", error != NULL ? error->message : "failed");
      exit (1);
    }
}

/* SRC/images/P0706.png and SRC/labelTxt/P0706.txt, or a mosaic of n × n copies of them. */
static void
make_dataset (const char *dir, const char *testdata, int n, guint copies)
{
  g_autofree char *png = g_build_filename (testdata, "dota", "dota_devkit_example", "images", "P0706.png", NULL);
  g_autofree char *txt = g_build_filename (testdata, "dota", "dota_devkit_example", "labelTxt", "P0706.txt", NULL);
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  g_autofree char *labels = g_build_filename (dir, "labelTxt", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BmImage) tile = bm_image_load (png, &error);
  g_autoptr(BmImage) mosaic = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GString *out = g_string_new ("imagesource:GoogleEarth\ngsd:0.255589285596\n");

  must (tile != NULL, error);
  must (g_file_get_contents (txt, &text, NULL, &error), error);
  g_mkdir_with_parents (images, 0755);
  g_mkdir_with_parents (labels, 0755);
  mosaic = bm_image_new (tile->width * n, tile->height * n, 3);
  for (int j = 0; j < n; j++)
    for (int i = 0; i < n; i++)
      for (int y = 0; y < tile->height; y++)
        memcpy (mosaic->data + (gsize) (j * tile->height + y) * mosaic->stride + (gsize) i * tile->width * 3,
                tile->data + (gsize) y * tile->stride, (gsize) tile->width * 3);
  lines = g_strsplit (text, "\n", -1);
  for (int j = 0; j < n; j++)
    for (int i = 0; i < n; i++)
      for (guint k = 0; lines[k] != NULL; k++)
        {
          g_auto(GStrv) t = g_strsplit (lines[k], " ", -1);

          if (g_strv_length (t) < 9)
            continue;
          for (int c = 0; c < 8; c++)
            g_string_append_printf (out, "%d ", atoi (t[c]) + (c % 2 == 0 ? i * tile->width : j * tile->height));
          g_string_append_printf (out, "%s %s\n", t[8], t[9] != NULL ? t[9] : "0");
        }
  for (guint c = 0; c < copies; c++)
    {
      g_autofree char *name = n == 1 ? g_strdup ("P0706") : g_strdup_printf ("mosaic%u", c + 1);
      g_autofree char *image_path = g_strdup_printf ("%s/%s.png", images, name);
      g_autofree char *label_path = g_strdup_printf ("%s/%s.txt", labels, name);

      must (bm_png_write_file (image_path, mosaic->data, mosaic->width, mosaic->height, 3, mosaic->stride,
                               BM_PNG_LEVEL_OPENCV, BM_PNG_WRITE_DEFAULT, &error), error);
      must (g_file_set_contents (label_path, out->str, (gssize) out->len, &error), error);
    }
  g_string_free (out, TRUE);
}

static double
children_cpu (void)
{
  struct rusage usage;

  getrusage (RUSAGE_CHILDREN, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec * 1e-6 + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec * 1e-6;
}

/* Wall seconds of the run (or the first number it prints), and its CPU seconds in @cpu (the
 * process's, or the second number it prints). */
static double
run_seconds (const char *const *argv, gboolean stdout_is_seconds, double *cpu)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  gint64 start = g_get_monotonic_time ();
  double cpu_start = children_cpu ();
  int status;

  must (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error), error);
  if (!g_spawn_check_wait_status (status, NULL) && WEXITSTATUS (status) != 1)
    {
      g_printerr ("bench-split: %s failed:\n%s%s", argv[0], out, err);
      exit (1);
    }
  if (stdout_is_seconds)
    {
      char *end = NULL;
      double wall = g_ascii_strtod (out, &end);

      *cpu = g_ascii_strtod (end, NULL);
      return wall;
    }
  *cpu = children_cpu () - cpu_start;
  return (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
}

typedef struct
{
  GPtrArray *images;     /* BmImage */
  GArray *tiles;         /* int: image, left, up */
} Codec;

static void
encode_tile (guint index, gpointer user_data)
{
  Codec *codec = user_data;
  const int *t = &g_array_index (codec->tiles, int, index * 3);
  BmImage *image = codec->images->pdata[t[0]];
  int w = MIN (1024, image->width - t[1]), h = MIN (1024, image->height - t[2]);
  gsize length;
  g_autofree guint8 *png = bm_png_write_memory (image->data + (gsize) t[2] * image->stride + (gsize) t[1] * 3,
                                                w, h, 3, image->stride, BM_PNG_LEVEL_OPENCV, &length, NULL);
}

static double
process_cpu (void)
{
  struct timespec t;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &t);
  return (double) t.tv_sec + (double) t.tv_nsec * 1e-9;
}

/* CPU seconds of Boxmark's decoder and encoder alone: every image decoded, every tile encoded. */
static double
codec_seconds (const char *src, double *decode, double *encode)
{
  g_autofree char *images_dir = g_build_filename (src, "images", NULL);
  g_autoptr(GDir) dir = g_dir_open (images_dir, 0, NULL);
  Codec codec = { g_ptr_array_new_with_free_func ((GDestroyNotify) bm_image_unref),
                  g_array_new (FALSE, FALSE, sizeof (int)) };
  const char *name;
  double start = process_cpu ();

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (images_dir, name, NULL);
      g_ptr_array_add (codec.images, bm_image_load (path, NULL));
    }
  *decode = process_cpu () - start;
  for (guint i = 0; i < codec.images->len; i++)
    {
      BmImage *image = codec.images->pdata[i];

      for (int left = 0; left < image->width;)
        {
          if (left + 1024 >= image->width)
            left = MAX (image->width - 1024, 0);
          for (int up = 0; up < image->height;)
            {
              int t[3] = { (int) i, left, up };

              if (up + 1024 >= image->height)
                up = t[2] = MAX (image->height - 1024, 0);
              g_array_append_vals (codec.tiles, t, 3);
              if (up + 1024 >= image->height)
                break;
              up += 924;
            }
          if (left + 1024 >= image->width)
            break;
          left += 924;
        }
    }
  start = process_cpu ();
  bm_parallel_for (codec.tiles->len / 3, 0, encode_tile, &codec);
  *encode = process_cpu () - start;
  g_ptr_array_unref (codec.images);
  g_array_unref (codec.tiles);
  return *decode + *encode;
}

static void
bench (const char *title, const char *src, const char *work, const char *refimpl, const char *rate,
       guint rounds)
{
  g_autofree char *dota = g_build_filename (refimpl, "dota", NULL);
  g_autofree char *out = g_build_filename (work, "out", NULL);
  double best_ref = G_MAXDOUBLE, best_ours = G_MAXDOUBLE, best_io = G_MAXDOUBLE, best_fast = G_MAXDOUBLE;
  double cpu_ref = G_MAXDOUBLE, cpu_ours = G_MAXDOUBLE, cpu_io = G_MAXDOUBLE, cpu_fast = G_MAXDOUBLE;
  double decode = 0, encode = 0, floor_seconds = G_MAXDOUBLE;

  for (guint r = 0; r < rounds; r++)
    {
      const char *ref_argv[] = { "/usr/bin/python3", BM_BENCH_SPLIT_SCRIPT, dota, src, out, rate, NULL };
      const char *io_argv[] = { "/usr/bin/python3", BM_BENCH_SPLIT_SCRIPT, dota, src, out, rate, "io", NULL };
      const char *our_argv[] = { BM_BENCH_CLI, "split", "--rate", rate, "--out", out, src, NULL };
      const char *fast_argv[] = { BM_BENCH_CLI, "split", "--png-level", "0", "--rate", rate, "--out", out, src, NULL };
      double d, e, t, c;

      /* (MIN evaluates its arguments twice: each run goes to a variable first) */
      remove_tree (out);
      t = run_seconds (ref_argv, TRUE, &c);
      best_ref = MIN (best_ref, t);
      cpu_ref = MIN (cpu_ref, c);
      remove_tree (out);
      t = run_seconds (our_argv, FALSE, &c);
      best_ours = MIN (best_ours, t);
      cpu_ours = MIN (cpu_ours, c);
      remove_tree (out);
      t = run_seconds (io_argv, TRUE, &c);
      best_io = MIN (best_io, t);
      cpu_io = MIN (cpu_io, c);
      remove_tree (out);
      t = run_seconds (fast_argv, FALSE, &c);
      best_fast = MIN (best_fast, t);
      cpu_fast = MIN (cpu_fast, c);
      remove_tree (out);
      t = codec_seconds (src, &d, &e);
      if (t < floor_seconds)
        floor_seconds = t, decode = d, encode = e;
    }
  printf ("%s, rate %s:                        wall          CPU\n", title, rate);
  printf ("  ImgSplit.splitdata               %8.3f s   %8.3f s\n", best_ref, cpu_ref);
  printf ("  boxmark-cli split                %8.3f s   %8.3f s   %.1fx faster (CPU: %.1fx less)\n",
          best_ours, cpu_ours, best_ref / best_ours, cpu_ref / cpu_ours);
  printf ("  boxmark-cli split --png-level 0  %8.3f s   %8.3f s   %.1fx faster (CPU: %.1fx less; PNGs not compressed)\n",
          best_fast, cpu_fast, best_ref / best_fast, cpu_ref / cpu_fast);
  printf ("  ImgSplit's cv2 imread+imwrite alone %8.3f s %8.3f s (%.0f %% of ImgSplit's CPU)\n", best_io, cpu_io,
          100 * cpu_io / cpu_ref);
  printf ("  Boxmark's decoder + encoder alone            %8.3f s   (%.3f decoding + %.3f encoding)\n",
          floor_seconds, decode, encode);
  /* ImgSplit runs on one core; any split writing the same PNGs needs at least the CPU of its
   * imread + imwrite, spread over every core. */
  printf ("  floor for the same PNG files: ImgSplit's imread+imwrite CPU / %u cores = %.3f s -> at most %.1fx on an idle machine\n",
          bm_parallel_default_threads (), cpu_io / bm_parallel_default_threads (),
          cpu_ref / (cpu_io / bm_parallel_default_threads ()));
}

int
main (int argc, char **argv)
{
  const char *refimpl = argc > 1 ? argv[1] : g_getenv ("BM_REFIMPL");
  guint rounds = argc > 2 ? (guint) atoi (argv[2]) : 3;
  const char *base = g_getenv ("BM_BENCH_DIR") != NULL ? g_getenv ("BM_BENCH_DIR") : "/dev/shm";
  g_autofree char *script_dir = NULL;
  g_autofree char *work = NULL, *one = NULL, *mosaic = NULL, *module = NULL;
  g_autoptr(GError) error = NULL;

  if (refimpl == NULL)
    refimpl = "/work/refimpl";
  module = g_build_filename (refimpl, "dota", "ImgSplit.py", NULL);
  if (!g_file_test (module, G_FILE_TEST_EXISTS))
    {
      g_printerr ("bench-split: %s not found; build it with ../shared/reference-impl/build.sh DEST\n", module);
      return 1;
    }
  work = g_build_filename (base, "bm-bench-split-XXXXXX", NULL);
  must (g_mkdtemp (work) != NULL, NULL);
  one = g_build_filename (work, "p0706", NULL);
  mosaic = g_build_filename (work, "mosaic", NULL);
  make_dataset (one, BM_DEFAULT_TESTDATA, 1, 1);
  make_dataset (mosaic, BM_DEFAULT_TESTDATA, 3, 4);

  printf ("%u threads\n", bm_parallel_default_threads ());
  bench ("P0706 (1 image, 538 objects, 4 tiles)", one, work, refimpl, "1", rounds);
  bench ("4 mosaics of 3 x 3 P0706 (3333 x 3546, 4,842 objects, 16 tiles each)", mosaic, work, refimpl, "1", rounds);
  bench ("4 mosaics of 3 x 3 P0706 (3333 x 3546, 4,842 objects, 16 tiles each)", mosaic, work, refimpl, "0.5", rounds);
  remove_tree (work);
  return 0;
}
