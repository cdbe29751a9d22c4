/* bench-dataset.c: how long opening a folder of N images takes, and how much memory it needs.
 *
 * Usage: bench-dataset [N]   (default 100000), or bench-dataset --open DIR (an existing folder). Creates N empty image files and N/2 label files
 * in a temporary folder, opens it as a dataset, prints the time and the peak RSS growth.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include "core/bm-dataset.h"

static long
rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmRSS:");
  return line ? strtol (line + 6, NULL, 10) : 0;
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 100000;
  g_autofree char *dir = g_dir_make_tmp ("bm-bench-dataset-XXXXXX", NULL);
  g_autoptr(BmDataset) dataset = NULL;
  long before, after;

  gint64 start, end;

  /* bench-dataset --open DIR: time opening an existing folder (under perf, say) */
  if (argc > 2 && strcmp (argv[1], "--open") == 0)
    {
      before = rss_kib ();
      start = g_get_monotonic_time ();
      dataset = bm_dataset_open (argv[2], FALSE, NULL);
      end = g_get_monotonic_time ();
      after = rss_kib ();
      printf ("bench-dataset: %s: %u items in %.1f ms, RSS +%.1f MiB\n", argv[2],
              dataset ? bm_dataset_get_n_items (dataset) : 0, (end - start) / 1000.0,
              (after - before) / 1024.0);
      g_rmdir (dir);
      return 0;
    }
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *image = g_strdup_printf ("%s/img%u.jpg", dir, i);
      g_file_set_contents (image, "", 0, NULL);
      if (i % 2 == 0)
        {
          g_autofree char *label = g_strdup_printf ("%s/img%u.xml", dir, i);
          g_file_set_contents (label, "", 0, NULL);
        }
    }

  /* The first open right after creating the files measures the file system catching up;
   * report the second, as a user reopening a folder sees it, and the first for reference. */
  before = rss_kib ();
  start = g_get_monotonic_time ();
  dataset = bm_dataset_open (dir, FALSE, NULL);
  end = g_get_monotonic_time ();
  after = rss_kib ();
  printf ("bench-dataset: first open %.1f ms, RSS +%.1f MiB\n", (end - start) / 1000.0,
          (after - before) / 1024.0);
  g_clear_object (&dataset);

  start = g_get_monotonic_time ();
  dataset = bm_dataset_open (dir, FALSE, NULL);
  end = g_get_monotonic_time ();

  printf ("bench-dataset: %u images (+%u labels): reopened in %.1f ms, %u items\n",
          n, (n + 1) / 2, (end - start) / 1000.0, bm_dataset_get_n_items (dataset));
  g_clear_object (&dataset);
  remove_tree (dir);
  return 0;
}
