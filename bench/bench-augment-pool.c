/* bench-augment-pool.c: the mixup/mosaic partner pool of `boxmark-cli augment` and the
 * augmentation panel on a folder of many tiny VOC images.
 *
 *   build/bench/bench-augment-pool [N_IMAGES [STEPS]]
 *   xvfb-run -a -s "-screen 0 1280x1024x24" env GTK_A11Y=none GSK_RENDERER=cairo \
 *     GSETTINGS_BACKEND=memory build/bench/bench-augment-pool 20000 20
 *
 * Writes N_IMAGES (default 20000) 64 × 48 PNGs (hard links of one file) with a VOC file each
 * into a temporary folder, then prints
 *   pool:  time and RSS growth of one bm_augment_export_pool_new over the folder (three
 *          builds: the first reads a cold dentry cache less than the others);
 *   panel: with a display, the augmentation panel with mixup ticked stepping through STEPS
 *          images (default 20) as D does: time from set_source to "preview-ready", RSS, and the
 *          number of pools the panel built.
 * Nothing is asserted.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/bm-dataset.h"
#include "core/bm-image.h"
#include "dataset/bm-augment-export.h"
#include "formats/bm-label-io.h"
#include "widgets/bm-augment-panel.h"

static const char voc_template[] =
  "<annotation>\n\t<folder>many</folder>\n\t<filename>%s</filename>\n\t<size>\n\t\t<width>64</width>\n"
  "\t\t<height>48</height>\n\t\t<depth>3</depth>\n\t</size>\n\t<object>\n\t\t<name>thing</name>\n"
  "\t\t<bndbox>\n\t\t\t<xmin>4</xmin>\n\t\t\t<ymin>4</ymin>\n\t\t\t<xmax>40</xmax>\n\t\t\t<ymax>30</ymax>\n"
  "\t\t</bndbox>\n\t</object>\n</annotation>\n";

static long
status_kb (const char *field)
{
  g_autofree char *status = NULL;
  const char *p;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) || (p = strstr (status, field)) == NULL)
    return -1;
  return atol (p + strlen (field) + 1);
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static gboolean
make_folder (const char *folder, guint n, GError **error)
{
  g_autofree char *png = g_build_filename (folder, "source.png", NULL);
  g_autoptr(BmImage) image = bm_image_new (64, 48, 3);

  memset (image->data, 90, (gsize) image->stride * 48);
  if (g_mkdir_with_parents (folder, 0755) != 0)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      char name[32];
      g_autofree char *path = NULL;
      g_autofree char *xml = NULL;
      g_autofree char *text = NULL;

      /* a fresh source every 50,000 links: ext4 allows 65,000 per file */
      if (i % 50000 == 0 && ((g_unlink (png) != 0 && i > 0) || !bm_image_save (image, png, 90, error)))
        return FALSE;
      g_snprintf (name, sizeof name, "img%06u.png", i);
      path = g_build_filename (folder, name, NULL);
      if (link (png, path) != 0)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "link %s failed", path);
          return FALSE;
        }
      g_snprintf (name, sizeof name, "img%06u.xml", i);
      xml = g_build_filename (folder, name, NULL);
      text = g_strdup_printf (voc_template, name);
      if (!g_file_set_contents (xml, text, -1, error))
        return FALSE;
    }
  return g_unlink (png) == 0;
}

static void
bench_pool (BmDataset *dataset)
{
  for (guint round = 0; round < 3; round++)
    {
      long before = status_kb ("VmRSS:");
      gint64 start = g_get_monotonic_time ();
      BmAugmentExportPool *pool = bm_augment_export_pool_new (dataset, -1, NULL, NULL, NULL);
      double seconds = seconds_since (start);
      long after = status_kb ("VmRSS:");

      g_print ("pool build %u: %.3f s, RSS +%ld kB (%ld MB), %u usable of %u\n", round + 1, seconds,
               after - before, after / 1024, bm_augment_export_pool_get_usable (pool)->len,
               bm_augment_export_pool_get_n_items (pool));
      bm_augment_export_pool_unref (pool);
    }
}

static void
ready_cb (BmAugmentPanel *panel, gboolean *ready)
{
  *ready = TRUE;
}

static void
bench_panel (BmDataset *dataset, guint steps)
{
  GtkWidget *window = gtk_window_new ();
  BmAugmentPanel *panel = BM_AUGMENT_PANEL (bm_augment_panel_new ());
  gboolean ready = FALSE;
  double total = 0, longest = 0;

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (panel));
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (panel, "preview-ready", G_CALLBACK (ready_cb), &ready);
  bm_augment_panel_set_op_enabled (panel, BM_AUGMENT_OP_MIXUP, TRUE);
  g_print ("panel with mixup, RSS before the first image: %ld MB\n", status_kb ("VmRSS:") / 1024);
  for (guint i = 0; i < steps && i < bm_dataset_get_n_items (dataset); i++)
    {
      g_autoptr(BmAnnotation) annotation = bm_label_load (bm_dataset_get_item (dataset, i), NULL);
      gint64 start = g_get_monotonic_time ();
      double seconds;

      ready = FALSE;
      bm_augment_panel_load_source (panel, annotation, dataset, i);
      while (!ready || bm_augment_panel_get_busy (panel))
        g_main_context_iteration (NULL, TRUE);
      seconds = seconds_since (start);
      total += seconds;
      longest = MAX (longest, seconds);
      if (i < 3 || i + 1 == steps)
        g_print ("  image %u → preview: %.3f s, RSS %ld MB, pools built %u\n", i, seconds,
                 status_kb ("VmRSS:") / 1024, bm_augment_panel_get_n_pool_builds (panel));
    }
  g_print ("panel: %u images stepped, mean %.3f s, longest %.3f s, RSS %ld MB (peak %ld MB), pools built %u\n", steps,
           total / steps, longest, status_kb ("VmRSS:") / 1024, status_kb ("VmHWM:") / 1024,
           bm_augment_panel_get_n_pool_builds (panel));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 20000;
  guint steps = argc > 2 ? (guint) atoi (argv[2]) : 20;
  g_autofree char *root = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BmDataset) dataset = NULL;
  g_autofree char *command = NULL;
  gint64 start;

  setlocale (LC_ALL, "");
  root = g_dir_make_tmp ("bench-augment-pool-XXXXXX", &error);
  folder = root ? g_build_filename (root, "many", NULL) : NULL;
  if (root == NULL || !make_folder (folder, n, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  start = g_get_monotonic_time ();
  dataset = bm_dataset_open (folder, FALSE, &error);
  if (dataset == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_print ("%u tiny VOC images; folder opened in %.3f s, RSS %ld MB\n", bm_dataset_get_n_items (dataset),
           seconds_since (start), status_kb ("VmRSS:") / 1024);
  bench_pool (dataset);
  if (gtk_init_check ())
    bench_panel (dataset, MAX (steps, 1));
  else
    g_print ("panel: no display, skipped\n");
  g_clear_object (&dataset);
  command = g_strdup_printf ("rm -rf '%s'", root);
  if (system (command) != 0)
    g_printerr ("could not remove %s\n", root);
  return 0;
}
