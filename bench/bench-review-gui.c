/* bench-review-gui.c: "Compare with Predictions" on a big folder in the real window (needs a
 * display), measuring that it never freezes the window.
 *
 *   xvfb-run -a -s "-screen 0 1280x1024x24" env GSETTINGS_BACKEND=memory GTK_A11Y=none \
 *     GSETTINGS_SCHEMA_DIR=build/resources build/bench/bench-review-gui 100000
 *
 * Makes N hard links to one small PNG, each with a VOC file of two objects, and a VOC results
 * file of three detections per image (in $BM_BENCH_DIR, default /dev/shm). Opens the folder,
 * then compares with the predictions, and reports the time until the review is shown, the
 * longest the main loop went without running a 1 ms timer (the worst freeze), and the same for
 * moving the score threshold and for stepping to the next conflict.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <locale.h>
#include <stdio.h>
#include <unistd.h>

#include "app/bm-window.h"
#include "core/bm-image.h"
#include "dataset/bm-pred-review.h"
#include "widgets/bm-file-list.h"
#include "widgets/bm-file-list-model.h"
#include "widgets/bm-prediction-panel.h"

static gint64 last_tick;
static gint64 worst_gap;

static gint64 worst_at;

static gboolean
tick_cb (gpointer data)
{
  gint64 now = g_get_monotonic_time ();

  if (now - last_tick > worst_gap)
    worst_at = now;
  worst_gap = MAX (worst_gap, now - last_tick);
  last_tick = now;
  return G_SOURCE_CONTINUE;
}

static void
start_watch (void)
{
  last_tick = g_get_monotonic_time ();
  worst_gap = 0;
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

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

static void
make_data (const char *root, guint n, char **folder, char **predictions)
{
  g_autofree char *png = g_build_filename (root, "one.png", NULL);
  g_autoptr(GString) results = g_string_new (NULL);
  guint8 pixels[64 * 48 * 3];
  BmImage image = { 64, 48, 3, 64 * 3, pixels, 8, 1, 1 };

  *folder = g_build_filename (root, "images", NULL);
  *predictions = g_build_filename (root, "comp4_det_test_thing.txt", NULL);
  g_mkdir_with_parents (*folder, 0755);
  memset (pixels, 90, sizeof pixels);
  g_assert_true (bm_image_save (&image, png, 0, NULL));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s/img%06u.png", *folder, i);
      g_autofree char *xml = g_strdup_printf ("%s/img%06u.xml", *folder, i);
      g_autofree char *text = g_strdup_printf (
        "<annotation><filename>img%06u.png</filename><size><width>64</width><height>48</height><depth>3</depth></size>"
        "<object><name>thing</name><difficult>0</difficult><bndbox><xmin>4</xmin><ymin>4</ymin><xmax>30</xmax><ymax>30</ymax></bndbox></object>"
        "<object><name>thing</name><difficult>0</difficult><bndbox><xmin>34</xmin><ymin>10</ymin><xmax>60</xmax><ymax>44</ymax></bndbox></object>"
        "</annotation>\n", i);

      g_assert_cmpint (link (png, name), ==, 0);
      g_assert_true (g_file_set_contents (xml, text, -1, NULL));
      /* one found, one loose, one where nothing is labelled every 7th image */
      g_string_append_printf (results, "img%06u %.4f 4 4 30 30\n", i, 0.5 + (i % 50) / 100.0);
      g_string_append_printf (results, "img%06u %.4f 34 10 50 30\n", i, 0.3 + (i % 60) / 100.0);
      if (i % 7 == 0)
        g_string_append_printf (results, "img%06u %.4f 5 35 20 46\n", i, 0.6 + (i % 30) / 100.0);
    }
  g_assert_true (g_file_set_contents (*predictions, results->str, (gssize) results->len, NULL));
}

int
main (int argc, char **argv)
{
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 100000;
  const char *base = g_getenv ("BM_BENCH_DIR") ? g_getenv ("BM_BENCH_DIR") : "/dev/shm";
  g_autofree char *root = g_build_filename (base, "bm-bench-review-XXXXXX", NULL);
  g_autofree char *folder = NULL;
  g_autofree char *predictions = NULL;
  BmWindow *window;
  BmPredReview *review;
  gint64 start;
  guint timer;

  setlocale (LC_ALL, "");
  gtk_init ();
  g_assert_nonnull (g_mkdtemp (root));
  printf ("Making %u images with labels and %u detections in %s …\n", n, n * 2 + (n + 6) / 7, root);
  make_data (root, n, &folder, &predictions);

  window = bm_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  bm_window_open_path (window, folder);
  while (bm_window_is_busy (window) || bm_window_get_annotation (window) == NULL)
    g_main_context_iteration (NULL, TRUE);
  /* the file list's own background scan first, so that its work is not counted here */
  if (g_getenv ("BM_BENCH_WAIT_SCAN") != NULL)
    while (!bm_file_list_model_is_scanned (bm_file_list_get_model (bm_window_get_file_list (window))))
      g_main_context_iteration (NULL, TRUE);

  timer = g_timeout_add (1, tick_cb, NULL);
  start = g_get_monotonic_time ();
  start_watch ();
  bm_window_compare_predictions (window, predictions);
  while ((review = bm_window_get_review (window)) == NULL)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  printf ("Comparing %u images with their predictions: %.2f s until shown; longest freeze of the window %.1f ms (ending %.2f s before it was shown)\n",
          n, seconds_since (start), worst_gap / 1000.0, (g_get_monotonic_time () - worst_at) / 1e6);
  printf ("  mAP %.4f, %u possibly missing, %u loose boxes, %u unmatched labels\n", bm_pred_review_get_map (review),
          bm_pred_review_count_all (review, BM_CONFLICT_POSSIBLY_MISSING),
          bm_pred_review_count_all (review, BM_CONFLICT_LOOSE_BOX),
          bm_pred_review_count_all (review, BM_CONFLICT_UNMATCHED_LABEL));

  start = g_get_monotonic_time ();
  start_watch ();
  bm_prediction_panel_set_score_threshold (bm_window_get_prediction_panel (window), 0.2);
  while (bm_pred_review_get_options (review)->score_threshold != 0.2)
    g_main_context_iteration (NULL, TRUE);
  printf ("Score threshold 0.5 → 0.2 over the folder: %.2f s; longest freeze %.1f ms\n",
          seconds_since (start), worst_gap / 1000.0);

  start = g_get_monotonic_time ();
  start_watch ();
  for (int i = 0; i < 20; i++)
    {
      gtk_widget_activate_action (GTK_WIDGET (window), "win.next-conflict", NULL);
      while (bm_window_is_busy (window))
        g_main_context_iteration (NULL, TRUE);
    }
  printf ("20 × next conflict (J): %.2f s; longest freeze %.1f ms\n", seconds_since (start), worst_gap / 1000.0);

  g_source_remove (timer);
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  remove_tree (root);
  return 0;
}
