/* test-window-keys.c: the window's keys typed for real (xdotool), where the routing matters —
 * Ctrl+Shift+D / Ctrl+Shift+A reach the review searches although GtkWindow binds Ctrl+Shift+D
 * to the inspector, and Escape cancels a drawing before it clears the selection, whichever
 * binding was installed first. Skips without a display or xdotool.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "app/bm-window.h"
#include "core/bm-image.h"
#include "tests/bm-test-util.h"
#include "tests/bm-test-window.h"

#define N_IMAGES 5

static char *tmp_root;

static const char voc_template[] =
  "<annotation%s>\n\t<filename>img%u.png</filename>\n\t<size>\n\t\t<width>64</width>\n"
  "\t\t<height>48</height>\n\t\t<depth>3</depth>\n\t</size>\n\t<object>\n\t\t<name>thing</name>\n"
  "\t\t<bndbox>\n\t\t\t<xmin>10</xmin>\n\t\t\t<ymin>10</ymin>\n\t\t\t<xmax>40</xmax>\n\t\t\t<ymax>30</ymax>\n"
  "\t\t</bndbox>\n\t</object>\n</annotation>\n";

/* img0 … img4, one box each; img2 and img4 not verified. */
static char *
make_folder (void)
{
  char *folder = g_build_filename (tmp_root, "keys", NULL);
  g_autoptr(BmImage) image = bm_image_new (64, 48, 3);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  for (int i = 0; i < 64 * 48 * 3; i++)
    image->data[i] = (guint8) (i * 7);
  for (guint i = 0; i < N_IMAGES; i++)
    {
      g_autofree char *name = g_strdup_printf ("img%u.png", i);
      g_autofree char *png = g_build_filename (folder, name, NULL);
      g_autofree char *xml_name = g_strdup_printf ("img%u.xml", i);
      g_autofree char *xml = g_build_filename (folder, xml_name, NULL);
      g_autofree char *voc = g_strdup_printf (voc_template, (i == 2 || i == 4) ? "" : " verified=\"yes\"", i);

      g_assert_true (bm_image_save (image, png, 90, &error));
      g_assert_true (g_file_set_contents (xml, voc, -1, &error));
    }
  return folder;
}

/* The window lies at (0, 0) under a bare X server: the pointer over it gives it the keys. */
static gboolean
point_at (BmWindow *window)
{
  gtk_widget_grab_focus (GTK_WIDGET (bm_window_get_canvas (window)));
  return bm_test_xdotool ("mousemove 300 300");
}

static void
key (BmWindow *window, const char *keys)
{
  g_autofree char *arguments = g_strdup_printf ("key %s", keys);

  g_assert_true (bm_test_xdotool (arguments));
  bm_test_wait_until_idle (window);
}

static void
test_review_keys (void)
{
  g_autofree char *folder = make_folder ();
  BmWindow *window = bm_test_window_open (folder);

  if (!point_at (window))
    {
      gtk_window_destroy (GTK_WINDOW (window));
      return;
    }
  g_assert_cmpint (bm_window_get_current_index (window), ==, 0);
  key (window, "ctrl+shift+d");
  g_assert_cmpint (bm_window_get_current_index (window), ==, 2);
  key (window, "ctrl+shift+d");
  g_assert_cmpint (bm_window_get_current_index (window), ==, 4);
  key (window, "ctrl+shift+a");
  g_assert_cmpint (bm_window_get_current_index (window), ==, 2);
  /* The plain letters still step one image. */
  key (window, "d");
  g_assert_cmpint (bm_window_get_current_index (window), ==, 3);

  /* Also from the filter entry, whose text field binds Ctrl+Shift+A itself. */
  bm_file_list_focus_filter (bm_window_get_file_list (window));
  bm_test_iterate ();
  key (window, "ctrl+shift+a");
  g_assert_cmpint (bm_window_get_current_index (window), ==, 2);
  bm_file_list_focus_filter (bm_window_get_file_list (window));
  bm_test_iterate ();
  key (window, "ctrl+shift+d");
  g_assert_cmpint (bm_window_get_current_index (window), ==, 4);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_escape (void)
{
  g_autofree char *folder = make_folder ();
  BmWindow *window = bm_test_window_open (folder);
  BmEditController *edit = bm_window_get_edit_controller (window);
  BmCanvas *canvas = bm_window_get_canvas (window);

  if (!point_at (window))
    {
      gtk_window_destroy (GTK_WINDOW (window));
      return;
    }
  bm_canvas_set_selected (canvas, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.draw-box", NULL));
  g_assert_true (bm_edit_controller_get_busy (edit));

  /* First Escape: the drawing goes, the selection stays. */
  key (window, "Escape");
  g_assert_false (bm_edit_controller_get_busy (edit));
  g_assert_cmpint (bm_shape_drawer_get_mode (bm_edit_controller_get_drawer (edit)), ==, BM_DRAW_NONE);
  g_assert_cmpint (bm_canvas_get_selected (canvas), ==, 0);

  /* Second Escape: nothing drawn, so the selection goes. */
  key (window, "Escape");
  g_assert_cmpint (bm_canvas_get_selected (canvas), ==, -1);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Space verifies from the canvas and from anywhere but a text field, where it is typed. */
static void
test_space (void)
{
  g_autofree char *folder = make_folder ();
  BmWindow *window = bm_test_window_open (folder);
  GtkWidget *entry;

  if (!point_at (window))
    {
      gtk_window_destroy (GTK_WINDOW (window));
      return;
    }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.go-to", "u", 2));
  bm_test_wait_until_idle (window);
  gtk_widget_grab_focus (GTK_WIDGET (bm_window_get_canvas (window)));
  g_assert_false (bm_annotation_get_verified (bm_window_get_annotation (window)));
  key (window, "space");
  g_assert_true (bm_annotation_get_verified (bm_window_get_annotation (window)));
  g_assert_false (bm_window_get_dirty (window));

  /* In the filter entry, Space is typed. */
  bm_file_list_focus_filter (bm_window_get_file_list (window));
  bm_test_iterate ();
  entry = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (entry);
  key (window, "space");
  g_assert_true (bm_annotation_get_verified (bm_window_get_annotation (window)));
  g_assert_cmpstr (bm_file_list_get_filter_text (bm_window_get_file_list (window)), ==, " ");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  int status;

  tmp_root = bm_test_window_setup (&argc, &argv, "window-keys", "BM_TESTDATA", NULL);
  if (tmp_root == NULL)
    return 0;

  g_test_add_func ("/window-keys/review-searches", test_review_keys);
  g_test_add_func ("/window-keys/escape", test_escape);
  g_test_add_func ("/window-keys/space", test_space);
  status = g_test_run ();
  bm_test_remove_tree (tmp_root);
  g_free (tmp_root);
  return status;
}
