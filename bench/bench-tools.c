/* bench-tools.c: `boxmark-cli stats`, `crop` and `synth` side by side with the one-off Python
 * scripts they replace (bench_tools_reference.py: xml.etree, OpenCV for pixels).
 *
 * Usage: bench-tools [--stats N] [--crop COPIES] [--synth N] [--skip-python]
 *   --stats N      N generated VOC files (3 objects each), default 100000
 *   --crop COPIES  the raccoon set (160 images, 173 objects) COPIES times, default 5
 *   --synth N      N images of 3–8 raccoon crops each on raccoon backgrounds, default 300
 * Works in /dev/shm (or $BM_BENCH_DIR). Prints wall and CPU times, throughput and ratios.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <glib/gstdio.h>

#include "core/bm-dataset.h"
#include "core/bm-image.h"
#include "dataset/bm-dataset-stats-chart.h"

static const char *const labels[] = { "car", "person", "dog", "bicycle", "traffic light" };

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static char *
make_tmp_dir (void)
{
  const char *base = g_getenv ("BM_BENCH_DIR");
  g_autofree char *template = NULL;

  if (base == NULL && access ("/dev/shm", W_OK) == 0)
    base = "/dev/shm";
  if (base == NULL)
    return g_dir_make_tmp ("bm-bench-tools-XXXXXX", NULL);
  template = g_build_filename (base, "bm-bench-tools-XXXXXX", NULL);
  return g_strdup (g_mkdtemp (template));
}

typedef struct
{
  double wall;
  double cpu;
  long rss_kb;
} Timing;

static double
children_cpu (void)
{
  struct rusage usage;

  getrusage (RUSAGE_CHILDREN, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static Timing
run (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  double cpu = children_cpu ();
  gint64 start = g_get_monotonic_time ();
  struct rusage usage;
  Timing t;
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error))
    g_error ("%s", error->message);
  if (!g_spawn_check_wait_status (status, &error) && !g_error_matches (error, G_SPAWN_EXIT_ERROR, 1))
    g_error ("%s failed: %s\n%s", argv[0], error->message, err);
  t.wall = (g_get_monotonic_time () - start) / 1e6;
  t.cpu = children_cpu () - cpu;
  getrusage (RUSAGE_CHILDREN, &usage);
  t.rss_kb = usage.ru_maxrss;
  return t;
}

static void
keep_best (Timing *best, Timing t)
{
  best->wall = MIN (best->wall, t.wall);
  best->cpu = MIN (best->cpu, t.cpu);
}

/* ---- stats ---- */

static char *
voc_xml (guint i)
{
  GString *xml = g_string_new (NULL);

  g_string_append_printf (xml, "<annotation>\n\t<filename>img%06u.jpg</filename>\n"
                          "\t<size>\n\t\t<width>640</width>\n\t\t<height>480</height>\n\t\t<depth>3</depth>\n\t</size>\n", i);
  for (guint k = 0; k < 3; k++)
    {
      int w = 4 + (int) ((i * 37 + k * 101) % 300), h = 4 + (int) ((i * 53 + k * 29) % 200);
      int x = (int) ((i * 7 + k * 13) % (640 - w)), y = (int) ((i * 11 + k * 5) % (480 - h));

      g_string_append_printf (xml, "\t<object>\n\t\t<name>%s</name>\n\t\t<difficult>0</difficult>\n"
                              "\t\t<bndbox>\n\t\t\t<xmin>%d</xmin>\n\t\t\t<ymin>%d</ymin>\n\t\t\t<xmax>%d</xmax>\n"
                              "\t\t\t<ymax>%d</ymax>\n\t\t</bndbox>\n\t</object>\n",
                              labels[(i + k) % G_N_ELEMENTS (labels)], x, y, x + w, y + h);
    }
  g_string_append (xml, "</annotation>\n");
  return g_string_free (xml, FALSE);
}

static void
generate_voc (const char *src, guint n)
{
  g_autofree char *images = g_build_filename (src, "JPEGImages", NULL);
  g_autofree char *annotations = g_build_filename (src, "Annotations", NULL);
  g_autofree char *first = g_build_filename (images, "img000000.jpg", NULL);
  g_autoptr(BmImage) image = bm_image_new (64, 48, 3);
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (images, 0755);
  g_mkdir_with_parents (annotations, 0755);
  if (!bm_image_save (image, first, 90, &error))
    g_error ("%s", error->message);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *jpg = g_strdup_printf ("%s/img%06u.jpg", images, i);
      g_autofree char *xml_path = g_strdup_printf ("%s/img%06u.xml", annotations, i);
      g_autofree char *xml = voc_xml (i);

      if (i > 0 && link (first, jpg) != 0)
        g_error ("cannot link %s", jpg);
      if (!g_file_set_contents (xml_path, xml, -1, &error))
        g_error ("%s", error->message);
    }
}

static void
bench_stats (const char *cli, const char *script, const char *tmp, guint n, gboolean python)
{
  g_autofree char *src = g_build_filename (tmp, "stats-voc", NULL);
  g_autofree char *annotations = g_build_filename (src, "Annotations", NULL);
  g_autofree char *plot = g_build_filename (tmp, "stats-plot", NULL);
  const char *json_argv[] = { cli, "stats", "--json", src, NULL };
  const char *plot_argv[] = { cli, "stats", "--plot", plot, "--per-class", src, NULL };
  const char *python_argv[] = { "/usr/bin/python3", script, "stats", annotations, NULL };
  Timing json = { G_MAXDOUBLE, G_MAXDOUBLE, 0 }, with_plot = { G_MAXDOUBLE, G_MAXDOUBLE, 0 };
  double in_process = G_MAXDOUBLE, charts_main = G_MAXDOUBLE;
  long rss = 0;

  printf ("stats: generating %u VOC files (3 objects each) in %s …\n", n, src);
  fflush (stdout);
  generate_voc (src, n);
  for (int r = 0; r < 3; r++)
    {
      Timing t = run (json_argv);

      keep_best (&json, t);
      rss = t.rss_kb;
      keep_best (&with_plot, run (plot_argv));
    }
  for (int r = 0; r < 3; r++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(BmDataset) dataset = bm_dataset_open (src, TRUE, NULL);
      g_autoptr(BmDatasetStats) stats = bm_dataset_stats_compute (dataset, 0, NULL, NULL);
      g_autoptr(GPtrArray) charts = NULL;
      gint64 charted;

      g_assert (bm_dataset_stats_get_counts (stats)->objects == 3 * n);
      in_process = MIN (in_process, (g_get_monotonic_time () - start) / 1e6);
      /* what the window's overview does on its main thread once the count is in */
      charted = g_get_monotonic_time ();
      charts = bm_dataset_stats_charts (stats, FALSE);
      charts_main = MIN (charts_main, (g_get_monotonic_time () - charted) / 1e6);
    }
  printf ("  boxmark-cli stats --json          %.3f s wall, %.3f s CPU (best of 3), peak RSS %.0f MB\n",
          json.wall, json.cpu, rss / 1024.0);
  printf ("  boxmark-cli stats --plot (27 charts) %.3f s wall, %.3f s CPU\n", with_plot.wall, with_plot.cpu);
  printf ("  bm_dataset_stats_compute (window)  %.3f s wall, %.1f k label files/s\n", in_process, n / in_process / 1000);
  printf ("  the 7 charts from the counts        %.1f ms (the overview's main-thread part)\n", charts_main * 1000);
  if (python)
    {
      Timing py = run (python_argv);

      printf ("  Python xml.etree script            %.3f s wall, %.3f s CPU\n", py.wall, py.cpu);
      printf ("  ratio Python / boxmark-cli         %.1fx (wall), %.1fx (CPU)\n", py.wall / json.wall, py.cpu / json.cpu);
    }
  remove_tree (src);
  remove_tree (plot);
}

/* ---- crop ---- */

static void
copy_file (const char *from, const char *to)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (from, &contents, &length, NULL) || !g_file_set_contents (to, contents, (gssize) length, NULL))
    g_error ("cannot copy %s", from);
}

/* The raccoon set @copies times over (images linked, labels copied), raccoon's own layout. */
static void
generate_raccoons (const char *testdata, const char *dst, guint copies)
{
  g_autofree char *images = g_build_filename (testdata, "voc", "raccoon_labelimg", "images", NULL);
  g_autofree char *annotations = g_build_filename (testdata, "voc", "raccoon_labelimg", "annotations", NULL);
  g_autofree char *dst_images = g_build_filename (dst, "images", NULL);
  g_autofree char *dst_annotations = g_build_filename (dst, "annotations", NULL);
  g_autoptr(GDir) dir = g_dir_open (annotations, 0, NULL);
  const char *name;

  g_mkdir_with_parents (dst_images, 0755);
  g_mkdir_with_parents (dst_annotations, 0755);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *stem = g_strndup (name, strlen (name) - 4);

      for (guint c = 0; c < copies; c++)
        {
          g_autofree char *xml_from = g_build_filename (annotations, name, NULL);
          g_autofree char *jpg_name = g_strdup_printf ("%s.jpg", stem);
          g_autofree char *jpg_from = g_build_filename (images, jpg_name, NULL);
          g_autofree char *xml_to = g_strdup_printf ("%s/c%u_%s.xml", dst_annotations, c, stem);
          g_autofree char *jpg_to = g_strdup_printf ("%s/c%u_%s.jpg", dst_images, c, stem);

          copy_file (xml_from, xml_to);
          if (link (jpg_from, jpg_to) != 0)
            copy_file (jpg_from, jpg_to);
        }
    }
}

static guint
count_crops (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        n += count_crops (path);
      else
        n += bm_path_is_image (name);
    }
  return n;
}

static void
bench_crop (const char *cli, const char *script, const char *testdata, const char *tmp, guint copies, gboolean python)
{
  g_autofree char *src = g_build_filename (tmp, "crop-src", NULL);
  g_autofree char *out = g_build_filename (tmp, "crop-out", NULL);
  g_autofree char *out_py = g_build_filename (tmp, "crop-out-python", NULL);
  const char *argv[] = { cli, "crop", "--pad", "10", "--out", out, src, NULL };
  const char *one_thread[] = { cli, "crop", "--pad", "10", "--threads", "1", "--out", out, src, NULL };
  const char *python_argv[] = { "/usr/bin/python3", script, "crop", src, out_py, "10", NULL };
  Timing best = { G_MAXDOUBLE, G_MAXDOUBLE, 0 }, single = { G_MAXDOUBLE, G_MAXDOUBLE, 0 };
  guint n;

  generate_raccoons (testdata, src, copies);
  for (int r = 0; r < 3; r++)
    {
      remove_tree (out);
      keep_best (&best, run (argv));
      remove_tree (out);
      keep_best (&single, run (one_thread));
    }
  n = count_crops (out);
  printf ("crop: %u images, %u objects (raccoon × %u), JPEG, --pad 10\n", 160 * copies, n, copies);
  printf ("  boxmark-cli crop                   %.3f s wall, %.3f s CPU, %.0f crops/s (best of 3)\n", best.wall, best.cpu,
          n / best.wall);
  printf ("  boxmark-cli crop --threads 1       %.3f s wall, %.0f crops/s\n", single.wall, n / single.wall);
  if (python)
    {
      Timing py = run (python_argv);

      printf ("  Python + OpenCV script             %.3f s wall, %.3f s CPU, %.0f crops/s (%u written)\n", py.wall, py.cpu,
              count_crops (out_py) / py.wall, count_crops (out_py));
      printf ("  ratio Python / boxmark-cli         %.1fx (wall), %.1fx on one thread\n", py.wall / best.wall,
              py.wall / single.wall);
    }
  remove_tree (src);
  remove_tree (out);
  remove_tree (out_py);
}

/* ---- synth ---- */

static void
bench_synth (const char *cli, const char *script, const char *testdata, const char *tmp, guint n, gboolean python)
{
  g_autofree char *raccoon = g_build_filename (testdata, "voc", "raccoon_labelimg", NULL);
  g_autofree char *raccoon_images = g_build_filename (raccoon, "images", NULL);
  g_autofree char *objects = g_build_filename (tmp, "synth-objects", NULL);
  g_autofree char *out = g_build_filename (tmp, "synth-out", NULL);
  g_autofree char *out_py = g_build_filename (tmp, "synth-out-python", NULL);
  g_autofree char *n_text = g_strdup_printf ("%u", n);
  const char *crop_argv[] = { cli, "crop", "--out", objects, raccoon, NULL };
  const char *argv[] = { cli, "synth", "--objects", objects, "--backgrounds", raccoon_images, "-n", n_text,
                         "--per-image", "3..8", "--rotate", "30", "--scale", "0.2..0.4", "--seed", "1", "--to", "voc",
                         "--out", out, NULL };
  const char *feather_argv[] = { cli, "synth", "--objects", objects, "--backgrounds", raccoon_images, "-n", n_text,
                                 "--per-image", "3..8", "--rotate", "30", "--scale", "0.2..0.4", "--blend", "feather",
                                 "--seed", "1", "--to", "voc", "--force", "--out", out, NULL };
  const char *python_argv[] = { "/usr/bin/python3", script, "synth", objects, raccoon_images, out_py, n_text, "3", "8",
                                "30", "0.2", "0.4", "1", NULL };
  Timing best = { G_MAXDOUBLE, G_MAXDOUBLE, 0 }, feather = { G_MAXDOUBLE, G_MAXDOUBLE, 0 };

  run (crop_argv);
  for (int r = 0; r < 3; r++)
    {
      remove_tree (out);
      keep_best (&best, run (argv));
      keep_best (&feather, run (feather_argv));
    }
  printf ("synth: %u images of 3–8 raccoon crops (scale 0.2–0.4, ±30°) on raccoon backgrounds, VOC, JPEG\n", n);
  printf ("  boxmark-cli synth                  %.3f s wall, %.3f s CPU, %.0f images/s (best of 3)\n", best.wall,
          best.cpu, n / best.wall);
  printf ("  boxmark-cli synth --blend feather  %.3f s wall, %.0f images/s\n", feather.wall, n / feather.wall);
  if (python)
    {
      Timing py = run (python_argv);

      printf ("  Python + OpenCV script             %.3f s wall, %.3f s CPU, %.0f images/s\n", py.wall, py.cpu, n / py.wall);
      printf ("  ratio Python / boxmark-cli         %.1fx (wall), %.1fx (CPU)\n", py.wall / best.wall, py.cpu / best.cpu);
    }
  remove_tree (objects);
  remove_tree (out);
  remove_tree (out_py);
}

int
main (int argc, char **argv)
{
  guint stats_n = 100000, crop_copies = 5, synth_n = 300;
  gboolean python = TRUE;
  const char *testdata = g_getenv ("BM_TESTDATA") != NULL ? g_getenv ("BM_TESTDATA") : BM_DEFAULT_TESTDATA;
  g_autofree char *tmp = make_tmp_dir ();

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--stats") == 0 && i + 1 < argc)
        stats_n = (guint) atoi (argv[++i]);
      else if (strcmp (argv[i], "--crop") == 0 && i + 1 < argc)
        crop_copies = (guint) atoi (argv[++i]);
      else if (strcmp (argv[i], "--synth") == 0 && i + 1 < argc)
        synth_n = (guint) atoi (argv[++i]);
      else if (strcmp (argv[i], "--skip-python") == 0)
        python = FALSE;
      else
        {
          fprintf (stderr, "usage: bench-tools [--stats N] [--crop COPIES] [--synth N] [--skip-python]\n");
          return 2;
        }
    }
  setvbuf (stdout, NULL, _IOLBF, 0);
  printf ("bench-tools in %s, %u cores\n", tmp, g_get_num_processors ());
  if (stats_n > 0)
    bench_stats (BM_BENCH_CLI, BM_BENCH_TOOLS_SCRIPT, tmp, stats_n, python);
  if (crop_copies > 0)
    bench_crop (BM_BENCH_CLI, BM_BENCH_TOOLS_SCRIPT, testdata, tmp, crop_copies, python);
  if (synth_n > 0)
    bench_synth (BM_BENCH_CLI, BM_BENCH_TOOLS_SCRIPT, testdata, tmp, synth_n, python);
  remove_tree (tmp);
  return 0;
}
