/* bench-detector.c: our cascade detector against OpenCV 4.6 on the same gray images, in one run.
 *
 *   bench-detector [--runs N] [--scale F] [--min-neighbors N] [--min-size PX]
 *                  [--cascade FILE]... [--no-opencv] [IMAGE.gray.png...]
 *
 * Defaults: the five test images, the three reference cascades, scale 1.1, min neighbours 5,
 * min size 30, median of 5 runs after a warm-up. OpenCV is timed by bench_detector_opencv.py
 * through Debian's /usr/bin/python3 with 1 thread and with its default thread count.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <glib.h>

#include "core/bm-cascade.h"
#include "core/bm-detector.h"
#include "core/bm-image.h"

#define PYTHON "/usr/bin/python3"

static int runs = 5;
static double scale = 1.1;
static int min_neighbors = 5;
static int min_size = 30;
static char **cascade_files;
static gboolean no_opencv;

static const char *default_cascades[] = {
  "haarcascades/haarcascade_frontalface_default.xml",
  "haarcascades/haarcascade_frontalface_alt2.xml",
  "lbpcascades/lbpcascade_frontalface_improved.xml",
};

static const char *default_images[] = {
  "astronaut.gray.png", "basketball1.gray.png", "camera.gray.png", "messi5.gray.png", "two_people.gray.png",
};

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
thread_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* Median wall time; with one thread, the median CPU time of this thread in *cpu_ms (robust
 * against other processes sharing the CPUs). */
static double
median_ms (const BmCascade *cascade, const BmImage *image, int threads, guint *count, double *cpu_ms)
{
  g_autofree double *times = g_new (double, runs);
  g_autofree double *cpu = g_new (double, runs);
  BmDetectorParams params;

  bm_detector_params_init (&params);
  params.scale_factor = scale;
  params.min_neighbors = min_neighbors;
  params.min_width = params.min_height = min_size;
  params.n_threads = threads;
  g_array_unref (bm_detector_detect (cascade, image, &params));
  for (int i = 0; i < runs; i++)
    {
      double cpu_start = thread_cpu_ms ();
      gint64 start = g_get_monotonic_time ();
      GArray *found = bm_detector_detect (cascade, image, &params);

      times[i] = (g_get_monotonic_time () - start) / 1000.0;
      cpu[i] = thread_cpu_ms () - cpu_start;
      *count = found->len;
      g_array_unref (found);
    }
  qsort (times, runs, sizeof (double), compare_double);
  qsort (cpu, runs, sizeof (double), compare_double);
  if (cpu_ms != NULL)
    *cpu_ms = cpu[runs / 2];
  return times[runs / 2];
}

/* "image cascade ms1 cpu1 msN count" lines from the OpenCV script, keyed by "image cascade". */
static GHashTable *
run_opencv (GPtrArray *images, GPtrArray *cascades)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  int status = 0;

  g_ptr_array_add (argv, g_strdup (PYTHON));
  g_ptr_array_add (argv, g_strdup (BM_BENCH_OPENCV_SCRIPT));
  g_ptr_array_add (argv, g_strdup_printf ("%d", runs));
  g_ptr_array_add (argv, g_strdup (g_ascii_dtostr (buf, sizeof buf, scale)));
  g_ptr_array_add (argv, g_strdup_printf ("%d", min_neighbors));
  g_ptr_array_add (argv, g_strdup_printf ("%d", min_size));
  for (guint i = 0; i < cascades->len; i++)
    g_ptr_array_add (argv, g_strdup (g_ptr_array_index (cascades, i)));
  g_ptr_array_add (argv, g_strdup ("--"));
  for (guint i = 0; i < images->len; i++)
    g_ptr_array_add (argv, g_strdup (g_ptr_array_index (images, i)));
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    {
      g_printerr ("OpenCV not timed: %s\n", error->message);
      return table;
    }
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], " ", -1);
      if (g_strv_length (f) == 6)
        g_hash_table_insert (table, g_strdup_printf ("%s %s", f[0], f[1]),
                             g_strdup_printf ("%s %s %s %s", f[2], f[3], f[4], f[5]));
    }
  return table;
}

int
main (int argc, char **argv)
{
  GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Timed runs per case (median)", "N" },
    { "scale", 0, 0, G_OPTION_ARG_DOUBLE, &scale, "Scale factor", "F" },
    { "min-neighbors", 0, 0, G_OPTION_ARG_INT, &min_neighbors, "Min neighbours", "N" },
    { "min-size", 0, 0, G_OPTION_ARG_INT, &min_size, "Min window size", "PX" },
    { "cascade", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &cascade_files, "Cascade XML (repeatable)", "FILE" },
    { "no-opencv", 0, 0, G_OPTION_ARG_NONE, &no_opencv, "Only time our detector", NULL },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("[IMAGE.gray.png…]");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) images = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) cascades = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) opencv = NULL;
  const char *testdata = g_getenv ("BM_TESTDATA") ? g_getenv ("BM_TESTDATA") : BM_DEFAULT_TESTDATA;
  double sum_ratio1 = 0, sum_ratio_n = 0, worst1 = G_MAXDOUBLE, worst_n = G_MAXDOUBLE;
  int n_ratios = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || runs < 1)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "--runs must be at least 1");
      return 2;
    }
  for (int i = 1; i < argc; i++)
    g_ptr_array_add (images, g_strdup (argv[i]));
  if (images->len == 0)
    for (guint i = 0; i < G_N_ELEMENTS (default_images); i++)
      g_ptr_array_add (images, g_build_filename (testdata, "detect", default_images[i], NULL));
  for (guint i = 0; cascade_files != NULL && cascade_files[i] != NULL; i++)
    g_ptr_array_add (cascades, g_strdup (cascade_files[i]));
  if (cascades->len == 0)
    for (guint i = 0; i < G_N_ELEMENTS (default_cascades); i++)
      g_ptr_array_add (cascades, g_build_filename ("/usr/share/opencv4", default_cascades[i], NULL));

  opencv = no_opencv ? g_hash_table_new (g_str_hash, g_str_equal) : run_opencv (images, cascades);

  printf ("scale %.3g, min neighbours %d, min size %d, median of %d runs; CPUs %u\n",
          scale, min_neighbors, min_size, runs, g_get_num_processors ());
  printf ("times in ms; 1T = one thread (wall / CPU time of the thread), NT = default threads (wall);\n"
          "x = OpenCV time / our time\n");
  printf ("%-20s %-36s %15s %15s %8s %8s %7s %7s %7s %s\n", "image", "cascade", "ours 1T", "ocv 1T",
          "ours NT", "ocv NT", "x1T cpu", "x1T", "xNT", "found");
  for (guint i = 0; i < images->len; i++)
    {
      const char *image_path = g_ptr_array_index (images, i);
      g_autoptr(BmImage) image = bm_image_load (image_path, &error);
      g_autofree char *image_name = g_path_get_basename (image_path);

      if (image == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      for (guint c = 0; c < cascades->len; c++)
        {
          const char *cascade_path = g_ptr_array_index (cascades, c);
          g_autoptr(BmCascade) cascade = bm_cascade_load (cascade_path, &error);
          g_autofree char *cascade_name = g_path_get_basename (cascade_path);
          g_autofree char *key = g_strdup_printf ("%s %s", image_path, cascade_path);
          const char *theirs = g_hash_table_lookup (opencv, key);
          double ocv1 = 0, ocv1_cpu = 0, ocv_n = 0, ours1_cpu = 0;
          guint ocv_count = 0, count1 = 0, count_n = 0;
          double ours1, ours_n;

          if (cascade == NULL)
            {
              g_printerr ("%s\n", error->message);
              return 1;
            }
          ours1 = median_ms (cascade, image, 1, &count1, &ours1_cpu);
          ours_n = median_ms (cascade, image, 0, &count_n, NULL);
          if (theirs != NULL && sscanf (theirs, "%lf %lf %lf %u", &ocv1, &ocv1_cpu, &ocv_n, &ocv_count) == 4)
            {
              printf ("%-20s %-36s %7.1f/%7.1f %7.1f/%7.1f %8.1f %8.1f %6.2fx %6.2fx %6.2fx %u%s\n",
                      image_name, cascade_name, ours1, ours1_cpu, ocv1, ocv1_cpu, ours_n, ocv_n,
                      ocv1_cpu / ours1_cpu, ocv1 / ours1, ocv_n / ours_n, count1,
                      count1 == ocv_count && count_n == ocv_count ? "" : " (OpenCV found a different number!)");
              sum_ratio1 += ocv1_cpu / ours1_cpu;
              sum_ratio_n += ocv_n / ours_n;
              worst1 = MIN (worst1, ocv1_cpu / ours1_cpu);
              worst_n = MIN (worst_n, ocv_n / ours_n);
              n_ratios++;
            }
          else
            printf ("%-20s %-36s %7.1f/%7.1f %15s %8.1f %8s %7s %7s %7s %u\n", image_name, cascade_name,
                    ours1, ours1_cpu, "-", ours_n, "-", "-", "-", "-", count1);
        }
    }
  if (n_ratios > 0)
    printf ("speed-up over OpenCV: 1 thread (CPU time) mean %.2fx, worst %.2fx; default threads (wall) mean %.2fx, worst %.2fx\n",
            sum_ratio1 / n_ratios, worst1, sum_ratio_n / n_ratios, worst_n);
  g_strfreev (cascade_files);
  return 0;
}
