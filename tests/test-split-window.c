/* test-split-window.c: "Export a Split of the Folder…" in the window (under Xvfb): the tiles are
 * ImgSplit's (the reference label tiles, byte for byte), progress is shown, the outcome told in a
 * dialog, a non-empty or inner folder refused, Cancel stops it with complete files only.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <string.h>

#include "app/bm-window.h"
#include "app/bm-window-export.h"
#include "app/bm-window-split.h"
#include "core/bm-image.h"
#include "tests/bm-test-util.h"
#include "tests/bm-test-window.h"

static char *tmp_root;

static void
copy_file (const char *from, const char *to)
{
  g_autofree char *data = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (from, &data, &length, NULL));
  g_assert_true (g_file_set_contents (to, data, (gssize) length, NULL));
}

/* A DOTA folder with DOTA_devkit's example P0706 (image and labels). */
static char *
make_folder (const char *name)
{
  char *folder = g_build_filename (tmp_root, name, NULL);
  g_autofree char *images = g_build_filename (folder, "images", NULL);
  g_autofree char *labels = g_build_filename (folder, "labelTxt", NULL);
  g_autofree char *png = g_build_filename (g_getenv ("BM_TESTDATA"), "dota", "dota_devkit_example", "images", "P0706.png", NULL);
  g_autofree char *txt = g_build_filename (g_getenv ("BM_TESTDATA"), "dota", "dota_devkit_example", "labelTxt", "P0706.txt", NULL);
  g_autofree char *png_to = g_build_filename (images, "P0706.png", NULL);
  g_autofree char *txt_to = g_build_filename (labels, "P0706.txt", NULL);

  g_assert_cmpint (g_mkdir_with_parents (images, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (labels, 0755), ==, 0);
  copy_file (png, png_to);
  copy_file (txt, txt_to);
  return folder;
}

static void
split (BmWindow *window, const char *out, const char *rates)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-split", "(siis)", out, 1024, 100, rates));
}

static void
wait_for_split (BmWindow *window)
{
  while (bm_window_is_splitting (window))
    g_main_context_iteration (NULL, TRUE);
  bm_test_wait_until_idle (window);
}

/* The outcome dialog's texts; closes it. */
static char *
take_dialog_text (BmWindow *window, char **headline)
{
  GtkWindow *dialog = bm_window_get_export_dialog (window);
  g_autofree char *secondary = NULL;

  g_assert_nonnull (dialog);
  g_object_get (dialog, "text", headline, "secondary-text", &secondary, NULL);
  gtk_window_destroy (dialog);
  bm_test_iterate ();
  g_assert_null (bm_window_get_export_dialog (window));
  return g_steal_pointer (&secondary);
}

static void
test_split_like_imgsplit (void)
{
  g_autofree char *folder = make_folder ("like-imgsplit");
  g_autofree char *out = g_build_filename (tmp_root, "like-imgsplit-out", NULL);
  g_autofree char *labels = g_build_filename (out, "labelTxt", NULL);
  g_autofree char *reference = g_build_filename (g_getenv ("BM_TESTDATA"), "dota", "dota_devkit_example",
                                                 "reference_outputs", "ImgSplit_subsize1024_gap100_thresh0.7_rate1",
                                                 "labelTxt", NULL);
  g_autofree char *headline = NULL, *details = NULL;
  BmWindow *window = bm_test_window_open (folder);
  GtkProgressBar *progress;

  split (window, out, "1");
  g_assert_true (bm_window_is_splitting (window));
  g_assert_true (bm_window_is_busy (window));
  progress = bm_window_get_split_progress (window);
  g_assert_nonnull (progress);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (gtk_widget_get_ancestor (GTK_WIDGET (progress),
                                                                                      GTK_TYPE_REVEALER))));
  /* a second export while it runs is refused (a bell, no dialog) */
  split (window, out, "1");
  g_assert_null (bm_window_get_export_dialog (window));
  wait_for_split (window);

  g_assert_cmpfloat (gtk_progress_bar_get_fraction (progress), ==, 1.0);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (gtk_widget_get_ancestor (GTK_WIDGET (progress),
                                                                                       GTK_TYPE_REVEALER))));
  g_assert_nonnull (strstr (gtk_progress_bar_get_text (progress), "4 of 4 tiles"));
  details = take_dialog_text (window, &headline);
  g_assert_nonnull (strstr (headline, "Split 1 image into 4 tiles in "));
  g_assert_nonnull (strstr (details, "cut by a tile edge"));
  g_assert_cmpuint (bm_test_assert_same_tree (labels, reference), ==, 4);
  gtk_window_destroy (GTK_WINDOW (window));
  bm_test_iterate ();
}

static void
test_rates (void)
{
  g_autofree char *folder = make_folder ("rates");
  g_autofree char *out = g_build_filename (tmp_root, "rates-out", NULL);
  g_autofree char *half = g_build_filename (out, "labelTxt", "P0706__0.5__0___0.txt", NULL);
  g_autofree char *reference = g_build_filename (g_getenv ("BM_TESTDATA"), "eval", "merge_P0706", "imgsplit_rate0.5",
                                                 "labelTxt", "P0706__0.5__0___0.txt", NULL);
  g_autofree char *a = NULL, *b = NULL, *headline = NULL, *details = NULL;
  BmWindow *window = bm_test_window_open (folder);
  g_autoptr(GPtrArray) files = NULL;

  split (window, out, "1,0.5");
  wait_for_split (window);
  details = take_dialog_text (window, &headline);
  g_assert_nonnull (strstr (headline, "Split 2 images into 5 tiles"));
  files = bm_test_list_files (out);
  g_assert_cmpuint (files->len, ==, 10);
  g_assert_true (g_file_get_contents (half, &a, NULL, NULL));
  g_assert_true (g_file_get_contents (reference, &b, NULL, NULL));
  g_assert_cmpstr (a, ==, b);
  gtk_window_destroy (GTK_WINDOW (window));
  bm_test_iterate ();
}

static void
test_refused (void)
{
  g_autofree char *folder = make_folder ("refused");
  g_autofree char *out = g_build_filename (tmp_root, "refused-out", NULL);
  g_autofree char *mine = g_build_filename (out, "mine.txt", NULL);
  g_autofree char *inside = g_build_filename (folder, "tiles", NULL);
  g_autofree char *headline = NULL, *details = NULL;
  BmWindow *window = bm_test_window_open (folder);
  g_autoptr(GPtrArray) files = NULL;

  g_assert_cmpint (g_mkdir_with_parents (out, 0755), ==, 0);
  g_assert_true (g_file_set_contents (mine, "keep me\n", -1, NULL));
  split (window, out, "1");
  g_assert_false (bm_window_is_splitting (window));
  details = take_dialog_text (window, &headline);
  g_assert_cmpstr (headline, ==, "The split did not start");
  g_assert_nonnull (strstr (details, "is not empty"));
  files = bm_test_list_files (out);
  g_assert_cmpuint (files->len, ==, 1);

  g_clear_pointer (&headline, g_free);
  g_clear_pointer (&details, g_free);
  split (window, inside, "1");
  details = take_dialog_text (window, &headline);
  g_assert_nonnull (strstr (details, "lies inside the folder being split"));
  g_assert_false (g_file_test (inside, G_FILE_TEST_EXISTS));

  g_clear_pointer (&headline, g_free);
  g_clear_pointer (&details, g_free);
  split (window, inside, "1,-2");
  details = take_dialog_text (window, &headline);
  g_assert_nonnull (strstr (details, "each scale a positive number"));
  gtk_window_destroy (GTK_WINDOW (window));
  bm_test_iterate ();
}

/* Cancel right away: stopped, said so, and every file there is complete. */
static void
test_cancel (void)
{
  g_autofree char *folder = make_folder ("cancel");
  g_autofree char *out = g_build_filename (tmp_root, "cancel-out", NULL);
  g_autofree char *headline = NULL, *details = NULL;
  BmWindow *window = bm_test_window_open (folder);
  g_autoptr(GPtrArray) files = NULL;

  split (window, out, "1,0.5,1.5");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-split-cancel", NULL));
  wait_for_split (window);
  details = take_dialog_text (window, &headline);
  g_assert_cmpstr (headline, ==, "The split was stopped");
  files = bm_test_list_files (out);
  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *path = g_build_filename (out, files->pdata[i], NULL);
      g_autofree char *name = g_path_get_basename (path);

      /* no temporary file left behind */
      g_assert_false (g_str_has_prefix (name, "."));
      if (g_str_has_suffix (path, ".png"))
        {
          g_autoptr(BmImage) image = bm_image_load (path, NULL);
          g_assert_nonnull (image);
        }
    }
  g_assert_cmpuint (files->len, <, 2 * 9);
  gtk_window_destroy (GTK_WINDOW (window));
  bm_test_iterate ();
}

/* The menu item runs the action with the folder dialog's defaults. */
static void
test_menu_item (void)
{
  g_autoptr(GBytes) bytes = g_resources_lookup_data ("/io/github/boxmark/Boxmark/ui/bm-window.ui", 0, NULL);
  const char *text = g_bytes_get_data (bytes, NULL);

  g_assert_nonnull (strstr (text, "Export a S_plit of the Folder…"));
  g_assert_nonnull (strstr (text, "<attribute name=\"action\">win.export-split</attribute>"));
}

int
main (int argc, char *argv[])
{
  int status;

  tmp_root = bm_test_window_setup (&argc, &argv, "split", "BM_TESTDATA", NULL);
  if (tmp_root == NULL)
    return 0;   /* TAP: the plan printed is the skip */

  g_test_add_func ("/split-window/like-imgsplit", test_split_like_imgsplit);
  g_test_add_func ("/split-window/rates", test_rates);
  g_test_add_func ("/split-window/refused", test_refused);
  g_test_add_func ("/split-window/cancel", test_cancel);
  g_test_add_func ("/split-window/menu-item", test_menu_item);

  status = g_test_run ();
  bm_test_remove_tree (tmp_root);
  return status;
}
