/* test-overview-gui.c: the Dataset Overview window (Ctrl+Shift+O): its charts hold what
 * bm_dataset_stats_compute counts, counting leaves the main loop running, and its bars — and the
 * smallest N % of a class — filter the file list to the right images. Skips without a display.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <unistd.h>

#include "app/bm-window.h"
#include "core/bm-image.h"
#include "dataset/bm-dataset-stats-chart.h"
#include "formats/bm-label-io.h"
#include "tests/bm-test-util.h"
#include "tests/bm-test-window.h"
#include "widgets/bm-dataset-overview.h"
#include "widgets/bm-file-list.h"

#define N_IMAGES 2000

static char *tmp_root;
static char *folder;

/* N_IMAGES links to one tiny PNG: image i has i % 7 cars of side 10 + (i % 50) and, every third
 * image, a bus; every tenth has no label file. */
static void
make_folder (void)
{
  g_autofree char *png = g_build_filename (tmp_root, "source.png", NULL);
  g_autoptr(BmImage) image = bm_image_new (640, 480, 3);
  g_autoptr(GError) error = NULL;

  folder = g_build_filename (tmp_root, "cars", NULL);
  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  g_assert_true (bm_image_save (image, png, 90, &error));
  for (guint i = 0; i < N_IMAGES; i++)
    {
      g_autofree char *name = g_strdup_printf ("img%05u", i);
      g_autofree char *image_path = g_strdup_printf ("%s/%s.png", folder, name);
      g_autofree char *label_path = g_strdup_printf ("%s/%s.xml", folder, name);
      g_autoptr(GString) xml = g_string_new ("<annotation>\n\t<size>\n\t\t<width>640</width>\n\t\t<height>480</height>\n"
                                             "\t\t<depth>3</depth>\n\t</size>\n");

      g_assert_cmpint (link (png, image_path), ==, 0);
      if (i % 10 == 9)
        continue;
      for (guint k = 0; k < i % 7; k++)
        {
          guint side = 10 + (i % 50);

          g_string_append_printf (xml, "\t<object>\n\t\t<name>car</name>\n\t\t<bndbox>\n\t\t\t<xmin>%u</xmin>\n"
                                  "\t\t\t<ymin>%u</ymin>\n\t\t\t<xmax>%u</xmax>\n\t\t\t<ymax>%u</ymax>\n\t\t</bndbox>\n"
                                  "\t</object>\n", k * 70, 5, k * 70 + side, 5 + side);
        }
      if (i % 3 == 0)
        g_string_append (xml, "\t<object>\n\t\t<name>bus</name>\n\t\t<bndbox>\n\t\t\t<xmin>10</xmin>\n"
                              "\t\t\t<ymin>200</ymin>\n\t\t\t<xmax>300</xmax>\n\t\t\t<ymax>320</ymax>\n\t\t</bndbox>\n"
                              "\t</object>\n");
      g_string_append (xml, "</annotation>\n");
      g_assert_true (g_file_set_contents (label_path, xml->str, -1, &error));
    }
}

/* Opens the overview and lets it count; returns how often the main loop turned meanwhile. */
static guint
open_overview (BmWindow *window, BmDatasetOverview **overview)
{
  guint turns = 0;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.overview", NULL);
  *overview = BM_DATASET_OVERVIEW (bm_window_get_overview (window));
  g_assert_nonnull (*overview);
  /* the action returned before the labels were counted */
  g_assert_true (bm_dataset_overview_is_counting (*overview));
  g_assert_null (bm_dataset_overview_get_stats (*overview));
  while (bm_dataset_overview_is_counting (*overview))
    {
      g_main_context_iteration (NULL, TRUE);
      turns++;
    }
  bm_test_iterate ();
  return turns;
}

static guint
bar_index (const BmStatsChart *chart, const char *label)
{
  for (guint i = 0; i < chart->bars->len; i++)
    if (g_strcmp0 (g_array_index (chart->bars, BmStatsBar, i).label, label) == 0)
      return i;
  g_assert_not_reached ();
  return 0;
}

/* The images shown by the file list, as dataset indices. */
static GArray *
shown_indices (BmFileList *list)
{
  GArray *shown = g_array_new (FALSE, FALSE, sizeof (guint));
  int index = -1;

  while ((index = bm_file_list_find (list, index, 1, NULL, NULL)) >= 0)
    {
      guint u = (guint) index;

      g_array_append_val (shown, u);
    }
  return shown;
}

static void
test_counts_and_filters (void)
{
  BmWindow *window = bm_test_window_open (folder);
  BmFileList *list = bm_window_get_file_list (window);
  BmDatasetOverview *overview = NULL;
  g_autoptr(BmDatasetStats) direct = NULL;
  g_autoptr(GArray) shown = NULL;
  const BmStatsChart *classes, *width, *overview_chart;
  guint turns, expected_cars = 0, bus_images = 0;
  BmDatasetStats *stats;
  int car;

  turns = open_overview (window, &overview);
  g_test_message ("the main loop turned %u times while the overview counted", turns);
  g_assert_cmpuint (turns, >, 0);
  stats = bm_dataset_overview_get_stats (overview);
  g_assert_nonnull (stats);

  /* the numbers are the dataset layer's */
  direct = bm_dataset_stats_compute (bm_window_get_dataset (window), 1, NULL, NULL);
  g_assert_cmpmem (bm_dataset_stats_get_counts (stats), sizeof (BmStatsCounts), bm_dataset_stats_get_counts (direct),
                   sizeof (BmStatsCounts));
  for (guint i = 0; i < N_IMAGES; i++)
    if (i % 10 != 9)
      {
        expected_cars += i % 7;
        bus_images += i % 3 == 0;
      }
  car = bm_dataset_stats_find_class (stats, "car");
  g_assert_cmpint (car, >=, 0);
  classes = bm_dataset_overview_get_chart (overview, BM_STATS_CHART_CLASSES);
  g_assert_cmpuint (g_array_index (classes->bars, BmStatsBar, bar_index (classes, "car")).count, ==, expected_cars);
  overview_chart = bm_dataset_overview_get_chart (overview, BM_STATS_CHART_OVERVIEW);
  g_assert_cmpuint (g_array_index (overview_chart->bars, BmStatsBar, BM_STATS_OVERVIEW_UNLABELLED).count, ==, N_IMAGES / 10);

  /* a bar of the classes chart: the images with a bus */
  gtk_widget_activate_action (GTK_WIDGET (overview), "overview.show-bar", "(ii)", BM_STATS_CHART_CLASSES,
                              bar_index (classes, "bus"));
  bm_test_iterate ();
  g_assert_true (bm_file_list_has_item_set (list));
  g_assert_cmpuint (bm_file_list_get_n_shown (list), ==, bus_images);
  shown = shown_indices (list);
  for (guint i = 0; i < shown->len; i++)
    {
      /* the list's order is the dataset's: image i is item i here */
      guint item = g_array_index (shown, guint, i);

      g_assert_cmpuint (item % 3, ==, 0);
      g_assert_cmpuint (item % 10, !=, 9);
    }
  g_clear_pointer (&shown, g_array_unref);

  /* a width bin of the cars only: sides 16–32 are i % 50 in 6…21, images with at least one car */
  bm_dataset_overview_set_class (overview, car);
  bm_test_iterate ();
  width = bm_dataset_overview_get_chart (overview, BM_STATS_CHART_WIDTH);
  g_assert_cmpstr (width->class_name, ==, "car");
  g_assert_cmpuint (width->total, ==, expected_cars);
  gtk_widget_activate_action (GTK_WIDGET (overview), "overview.show-bar", "(ii)", BM_STATS_CHART_WIDTH,
                              bar_index (width, "16–32"));
  bm_test_iterate ();
  shown = shown_indices (list);
  {
    guint expected = 0;

    for (guint i = 0; i < N_IMAGES; i++)
      expected += i % 10 != 9 && i % 7 > 0 && 10 + i % 50 >= 16 && 10 + i % 50 < 32;
    g_assert_cmpuint (shown->len, ==, expected);
  }
  for (guint i = 0; i < shown->len; i++)
    {
      guint item = g_array_index (shown, guint, i), side = 10 + item % 50;

      g_assert_true (side >= 16 && side < 32 && item % 7 > 0);
    }
  g_clear_pointer (&shown, g_array_unref);

  /* the smallest 5 % of the cars: sides 10 and 11 hold 4.1 % of them, 12 makes it past 5 % */
  bm_dataset_overview_set_percent (overview, 5);
  gtk_widget_activate_action (GTK_WIDGET (overview), "overview.show-smallest", NULL);
  bm_test_iterate ();
  shown = shown_indices (list);
  {
    g_autoptr(GArray) cars = g_array_new (FALSE, FALSE, sizeof (guint));
    guint take, cut, expected = 0;

    /* every car's side, sorted: the 5 % cut (rounded up), and every image with a car that small */
    for (guint i = 0; i < N_IMAGES; i++)
      for (guint k = 0; i % 10 != 9 && k < i % 7; k++)
        {
          guint side = 10 + i % 50;

          g_array_append_val (cars, side);
        }
    {
      guint histogram[60] = { 0 }, seen = 0;

      for (guint i = 0; i < cars->len; i++)
        histogram[g_array_index (cars, guint, i)]++;
      take = (cars->len * 5 + 99) / 100;
      for (cut = 10; seen + histogram[cut] < take; cut++)
        seen += histogram[cut];
    }
    for (guint i = 0; i < N_IMAGES; i++)
      expected += i % 10 != 9 && i % 7 > 0 && 10 + i % 50 <= cut;
    g_assert_cmpuint (shown->len, ==, expected);
    for (guint i = 0; i < shown->len; i++)
      g_assert_cmpuint (10 + g_array_index (shown, guint, i) % 50, <=, cut);
  }
  g_clear_pointer (&shown, g_array_unref);

  /* every image again */
  gtk_widget_activate_action (GTK_WIDGET (overview), "overview.show-all", NULL);
  bm_test_iterate ();
  g_assert_false (bm_file_list_has_item_set (list));
  g_assert_cmpuint (bm_file_list_get_n_shown (list), ==, N_IMAGES);

  /* another folder: the chart's images are forgotten, the overview counts the new one */
  gtk_widget_activate_action (GTK_WIDGET (overview), "overview.show-bar", "(ii)", BM_STATS_CHART_CLASSES, 0);
  bm_test_iterate ();
  g_assert_true (bm_file_list_has_item_set (list));
  {
    g_autofree char *other = g_build_filename (g_getenv ("BM_TESTDATA"), "dota", "dota_devkit_yolo_demo", NULL);

    gtk_widget_activate_action (GTK_WIDGET (window), "win.open-recent", "s", other);
    bm_test_wait_until_idle (window);
    g_assert_false (bm_file_list_has_item_set (list));
    while (bm_dataset_overview_is_counting (overview))
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpuint (bm_dataset_stats_get_counts (bm_dataset_overview_get_stats (overview))->objects, ==, 587);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  tmp_root = bm_test_window_setup (&argc, &argv, "overview", "BM_TESTDATA", NULL);
  if (tmp_root == NULL)
    return 0;   /* TAP: the plan printed is the skip */
  make_folder ();

  g_test_add_func ("/overview/counts-and-filters", test_counts_and_filters);

  status = g_test_run ();
  if (status == 0 && g_getenv ("BM_KEEP_TMP") == NULL)
    bm_test_remove_tree (tmp_root);
  g_free (folder);
  g_free (tmp_root);
  return status;
}
