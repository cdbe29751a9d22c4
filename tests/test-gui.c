/* test-gui.c: the boxmark window under a display (Xvfb), driven through its actions.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <math.h>
#include <unistd.h>

#include "app/bm-application.h"
#include "app/bm-window.h"
#include "tests/bm-test-window.h"
#include "core/bm-file-util.h"
#include "formats/bm-voc.h"
#include "widgets/bm-class-colour.h"
#include "widgets/bm-file-list-model.h"
#include "widgets/bm-tile-image.h"
#include "tests/bm-test-util.h"

static char *tmp_root;

static const char *
testdata (void)
{
  const char *dir = g_getenv ("BM_TESTDATA");

  g_assert_nonnull (dir);
  return dir;
}

static void
copy_tree (const char *from,
           const char *to)
{
  g_autoptr(GDir) dir = g_dir_open (from, 0, NULL);
  const char *entry;

  g_assert_nonnull (dir);
  g_assert_cmpint (g_mkdir_with_parents (to, 0755), ==, 0);
  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *src = g_build_filename (from, entry, NULL);
      g_autofree char *dst = g_build_filename (to, entry, NULL);
      g_autofree char *data = NULL;
      gsize length;

      if (g_file_test (src, G_FILE_TEST_IS_DIR))
        {
          copy_tree (src, dst);
          continue;
        }
      g_assert_true (g_file_get_contents (src, &data, &length, NULL));
      g_assert_true (g_file_set_contents (dst, data, length, NULL));
    }
}

/* A fresh copy of testdata/@sub in a temporary folder. */
static char *
copy_fixture (const char *sub,
              const char *name)
{
  g_autofree char *from = g_build_filename (testdata (), sub, NULL);
  char *to = g_build_filename (tmp_root, name, NULL);

  copy_tree (from, to);
  return to;
}

static char *
read_file (const char *path)
{
  char *data = NULL;

  g_assert_true (g_file_get_contents (path, &data, NULL, NULL));
  return data;
}

static void
open_folder (BmWindow   *window,
             const char *path)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-recent", "s", path));
  bm_test_wait_until_idle (window);
  g_assert_nonnull (bm_window_get_dataset (window));
}

static void
activate (BmWindow   *window,
          const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), action, NULL));
  bm_test_wait_until_idle (window);
}

static const char *
current_image (BmWindow *window)
{
  int index = bm_window_get_current_index (window);

  g_assert_cmpint (index, >=, 0);
  return bm_dataset_get_item (bm_window_get_dataset (window), index)->image_path;
}

static void
go_to_image (BmWindow   *window,
             const char *basename)
{
  BmDataset *dataset = bm_window_get_dataset (window);

  for (guint i = 0; i < bm_dataset_get_n_items (dataset); i++)
    {
      const char *path = bm_dataset_get_item (dataset, i)->image_path;

      if (path != NULL && g_str_has_suffix (path, basename))
        {
          g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.go-to", "u", i));
          bm_test_wait_until_idle (window);
          g_assert_cmpint (bm_window_get_current_index (window), ==, i);
          return;
        }
    }
  g_assert_not_reached ();
}

static void
test_open_and_navigate (void)
{
  g_autofree char *folder = copy_fixture ("exif", "navigate");
  BmWindow *window = bm_test_window_new (1100, 760);
  BmCanvas *canvas = bm_window_get_canvas (window);

  open_folder (window, folder);
  g_assert_cmpuint (bm_dataset_get_n_items (bm_window_get_dataset (window)), ==, 8);
  g_assert_cmpint (bm_window_get_current_index (window), ==, 0);
  g_assert_true (g_str_has_suffix (current_image (window), "orient_1.jpg"));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "orient_1.jpg");
  g_assert_cmpuint (bm_annotation_get_n_objects (bm_window_get_annotation (window)), ==, 4);
  g_assert_nonnull (bm_canvas_get_image (canvas));
  g_assert_null (bm_window_get_banner_text (window));

  activate (window, "win.next");
  g_assert_cmpint (bm_window_get_current_index (window), ==, 1);
  g_assert_true (g_str_has_suffix (current_image (window), "orient_2.jpg"));
  activate (window, "win.next");
  activate (window, "win.previous");
  g_assert_cmpint (bm_window_get_current_index (window), ==, 1);

  go_to_image (window, "orient_8.jpg");
  activate (window, "win.next");   /* the last image: stays */
  g_assert_cmpint (bm_window_get_current_index (window), ==, 7);

  /* Every orientation shows the upright 1126 × 661 frame. */
  g_assert_cmpint (bm_tile_image_get_width (bm_canvas_get_image (canvas)), ==, 1126);
  g_assert_cmpint (bm_tile_image_get_height (bm_canvas_get_image (canvas)), ==, 661);

  /* Zoom through the actions. */
  activate (window, "win.zoom-one");
  g_assert_cmpfloat_with_epsilon (bm_canvas_get_zoom (canvas), 1.0, 1e-9);
  activate (window, "win.zoom-in");
  g_assert_cmpfloat (bm_canvas_get_zoom (canvas), >, 1.0);
  activate (window, "win.zoom-fit");
  g_assert_cmpfloat (bm_canvas_get_zoom (canvas), <, 1.0);

  /* Cycling through objects selects and zooms to each. */
  activate (window, "win.next-object");
  g_assert_cmpint (bm_canvas_get_selected (canvas), ==, 0);
  activate (window, "win.next-object");
  g_assert_cmpint (bm_canvas_get_selected (canvas), ==, 1);
  g_assert_cmpint (bm_object_panel_get_selected (bm_window_get_object_panel (window)), ==, 1);
  g_assert_cmpuint (bm_object_panel_get_n_classes (bm_window_get_object_panel (window)), ==, 2);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
link_many (const char *folder,
           const char *source_name,
           guint       n)
{
  g_autofree char *source = g_build_filename (folder, source_name, NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s/zz%05u.jpg", folder, i);

      g_assert_cmpint (link (source, name), ==, 0);
    }
}

/* A big folder: its first image is on screen (read-only) while the names are still sorted, and
 * once the list is there the same decoded image is the first row, with its labels editable. */
static void
test_first_image_while_listing (void)
{
  g_autofree char *folder = copy_fixture ("exif", "first-while-listing");
  BmWindow *window = bm_test_window_new (1100, 760);
  BmCanvas *canvas = bm_window_get_canvas (window);
  BmTileImage *shown;
  gboolean early;
  GdkRGBA face_early, face_late;

  link_many (folder, "orient_8.jpg", 60000);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-recent", "s", folder));
  while (bm_canvas_get_image (canvas) == NULL)
    g_main_context_iteration (NULL, TRUE);
  shown = bm_canvas_get_image (canvas);
  early = bm_window_get_dataset (window) == NULL;
  g_assert_cmpint (bm_tile_image_get_width (shown), ==, 1126);
  g_assert_cmpuint (bm_annotation_get_n_objects (bm_canvas_get_annotation (canvas)), ==, 4);
  if (early)
    {
      g_assert_true (bm_annotation_is_read_only (bm_canvas_get_annotation (canvas)));
      /* the file list is still empty: the status bar says why */
      g_assert_nonnull (strstr (bm_window_get_status_text (window), "Reading the folder"));
    }
  bm_class_colour_for_label ("face", &face_early);
  g_test_message ("the first image was shown %s the list was ready", early ? "before" : "once");

  bm_test_wait_until_idle (window);
  g_assert_cmpuint (bm_dataset_get_n_items (bm_window_get_dataset (window)), ==, 60008);
  g_assert_cmpint (bm_window_get_current_index (window), ==, 0);
  g_assert_true (g_str_has_suffix (current_image (window), "orient_1.jpg"));
  g_assert_false (bm_annotation_is_read_only (bm_window_get_annotation (window)));
  g_assert_cmpuint (bm_annotation_get_n_objects (bm_window_get_annotation (window)), ==, 4);
  if (early)
    g_assert_true (bm_canvas_get_image (canvas) == shown);   /* not decoded twice */
  g_assert_null (strstr (bm_window_get_status_text (window), "Reading the folder"));
  bm_class_colour_for_label ("face", &face_late);
  g_assert_true (gdk_rgba_equal (&face_early, &face_late));   /* a class keeps its colour */
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Opening a big folder while another is open: an edit made to the open one while the new one
 * is read is saved, not dropped, and the new folder's first image shows before its list. */
static void
test_switch_folder_keeps_edits (void)
{
  g_autofree char *a = copy_fixture ("exif", "switch-a");
  g_autofree char *b = copy_fixture ("exif", "switch-b");
  g_autofree char *xml = g_build_filename (a, "orient_1.xml", NULL);
  g_autoptr(BmAnnotation) reread = NULL;
  BmWindow *window = bm_test_window_new (1100, 760);
  BmCanvas *canvas = bm_window_get_canvas (window);
  BmEditor *editor;
  gboolean early = FALSE;

  link_many (b, "orient_8.jpg", 60000);
  open_folder (window, a);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-recent", "s", b));
  editor = bm_edit_controller_get_editor (bm_window_get_edit_controller (window));
  bm_editor_select (editor, 0);
  g_assert_true (bm_editor_delete_selected (editor));
  g_assert_true (bm_window_get_dirty (window));

  while (bm_window_is_busy (window))
    {
      g_main_context_iteration (NULL, TRUE);
      if (bm_window_get_dataset (window) == NULL && bm_canvas_get_image (canvas) != NULL)
        early = TRUE;
    }
  bm_test_wait_until_idle (window);
  g_test_message ("the new folder's first image was shown %s its list was ready", early ? "before" : "once");
  reread = bm_voc_load (xml, NULL);
  g_assert_cmpuint (bm_annotation_get_n_objects (reread), ==, 3);
  g_assert_cmpuint (bm_dataset_get_n_items (bm_window_get_dataset (window)), ==, 60008);
  g_assert_true (g_str_has_prefix (current_image (window), b));
  g_assert_cmpuint (bm_annotation_get_n_objects (bm_window_get_annotation (window)), ==, 4);
  g_assert_false (bm_window_get_dirty (window));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_open_image_and_recent (void)
{
  g_autofree char *folder = copy_fixture ("exif", "image-arg");
  g_autofree char *image = g_build_filename (folder, "orient_5.jpg", NULL);
  g_autoptr(GSettings) settings = g_settings_new ("io.github.boxmark.Boxmark");
  g_auto(GStrv) recent = NULL;
  g_autofree char *canonical = g_canonicalize_filename (folder, NULL);
  BmWindow *window = bm_test_window_new (1100, 760);

  /* `boxmark IMAGE` opens the image's folder at that image. */
  bm_window_open_path (window, image);
  bm_test_wait_until_idle (window);
  g_assert_true (g_str_has_suffix (current_image (window), "orient_5.jpg"));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "orient_5.jpg");

  recent = g_settings_get_strv (settings, "recent-folders");
  g_assert_nonnull (recent[0]);
  g_assert_cmpstr (recent[0], ==, canonical);

  /* Panels hide and show through their actions (F9, Shift+F9). */
  activate (window, "win.show-file-list");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (bm_window_get_file_list (window))));
  activate (window, "win.show-file-list");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (bm_window_get_file_list (window))));
  activate (window, "win.show-side-panel");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (bm_window_get_object_panel (window))));
  activate (window, "win.show-side-panel");

  /* A folder that does not exist: an error banner, nothing else changes. */
  bm_window_open_path (window, "/nonexistent/boxmark/folder");
  bm_test_wait_until_idle (window);
  g_assert_nonnull (bm_window_get_banner_text (window));
  g_assert_true (g_str_has_suffix (current_image (window), "orient_5.jpg"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_verify_saves (void)
{
  g_autofree char *folder = copy_fixture ("exif", "verify");
  g_autofree char *xml_path = g_build_filename (folder, "orient_3.xml", NULL);
  g_autofree char *before = read_file (xml_path);
  g_autofree char *after = NULL;
  g_autofree char *again = NULL;
  g_autoptr(BmAnnotation) reread = NULL;
  BmWindow *window = bm_test_window_new (1100, 760);

  open_folder (window, folder);
  go_to_image (window, "orient_3.jpg");
  g_assert_false (bm_annotation_get_verified (bm_window_get_annotation (window)));
  g_assert_null (strstr (before, "verified=\"yes\""));

  activate (window, "win.toggle-verified");
  g_assert_true (bm_annotation_get_verified (bm_window_get_annotation (window)));
  g_assert_false (bm_window_get_dirty (window));
  after = read_file (xml_path);
  g_assert_nonnull (strstr (after, "verified=\"yes\""));
  reread = bm_voc_load (xml_path, NULL);
  g_assert_nonnull (reread);
  g_assert_true (bm_annotation_get_verified (reread));
  g_assert_cmpuint (bm_annotation_get_n_objects (reread), ==, 4);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "orient_3.jpg");

  /* The next unverified image skips nothing but this one; coming back shows it verified. */
  go_to_image (window, "orient_2.jpg");
  activate (window, "win.next-unverified");
  g_assert_true (g_str_has_suffix (current_image (window), "orient_4.jpg"));
  activate (window, "win.previous");
  g_assert_true (bm_annotation_get_verified (bm_window_get_annotation (window)));

  /* The filter sees it too. */
  bm_file_list_set_filter_text (bm_window_get_file_list (window), "verified:yes");
  while (!bm_file_list_model_is_scanned (bm_file_list_get_model (bm_window_get_file_list (window))))
    g_main_context_iteration (NULL, TRUE);
  bm_file_list_set_filter_text (bm_window_get_file_list (window), "verified:yes");
  g_assert_cmpuint (bm_file_list_get_n_shown (bm_window_get_file_list (window)), ==, 1);
  bm_file_list_set_filter_text (bm_window_get_file_list (window), "orient_5");
  g_assert_cmpuint (bm_file_list_get_n_shown (bm_window_get_file_list (window)), ==, 1);
  bm_file_list_set_filter_text (bm_window_get_file_list (window), "label:face empty:no");
  g_assert_cmpuint (bm_file_list_get_n_shown (bm_window_get_file_list (window)), ==, 8);
  bm_file_list_set_filter_text (bm_window_get_file_list (window), "label:car");
  g_assert_cmpuint (bm_file_list_get_n_shown (bm_window_get_file_list (window)), ==, 0);
  bm_file_list_set_filter_text (bm_window_get_file_list (window), "");
  g_assert_cmpuint (bm_file_list_get_n_shown (bm_window_get_file_list (window)), ==, 8);

  /* Toggling back removes the mark and keeps every object. */
  activate (window, "win.toggle-verified");
  again = read_file (xml_path);
  g_assert_null (strstr (again, "verified=\"yes\""));
  g_clear_object (&reread);
  reread = bm_voc_load (xml_path, NULL);
  g_assert_false (bm_annotation_get_verified (reread));
  g_assert_cmpuint (bm_annotation_get_n_objects (reread), ==, 4);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_verify_dota_keeps_file (void)
{
  g_autofree char *folder = copy_fixture ("dota/mmrotate_tests", "dota");
  g_autofree char *txt = g_build_filename (folder, "labelTxt", "P0004__1__0___0.txt", NULL);
  g_autofree char *before = read_file (txt);
  g_autofree char *after = NULL;
  BmWindow *window = bm_test_window_new (1100, 760);
  BmAnnotation *annotation;

  open_folder (window, folder);
  go_to_image (window, "P0004__1__0___0.png");
  annotation = bm_window_get_annotation (window);
  g_assert_cmpint (bm_annotation_get_format (annotation), ==, BM_FORMAT_DOTA);
  g_assert_cmpuint (bm_annotation_get_n_objects (annotation), >, 0);
  g_assert_cmpint (bm_object_get_shape (bm_annotation_get_object (annotation, 0))->kind, ==, BM_SHAPE_QUAD);

  /* Verified goes to the folder's sidecar; the DOTA file keeps its bytes. */
  activate (window, "win.toggle-verified");
  g_assert_false (bm_window_get_dirty (window));
  g_assert_true (bm_annotation_get_verified (bm_window_get_annotation (window)));
  after = read_file (txt);
  g_assert_cmpstr (after, ==, before);
  activate (window, "win.reload");
  g_assert_true (bm_annotation_get_verified (bm_window_get_annotation (window)));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_bad_label_read_only (void)
{
  g_autofree char *folder = copy_fixture ("bad", "bad");
  g_autofree char *image = g_build_filename (testdata (), "voc", "dialects", "astronaut.jpg", NULL);
  const char *names[] = { "bad_values", "truncated_file", "empty_name" };
  BmWindow *window = bm_test_window_new (1100, 760);
  g_autofree char *jpeg = NULL;
  gsize jpeg_length;

  /* Give three broken label files an image each. */
  g_assert_true (g_file_get_contents (image, &jpeg, &jpeg_length, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *name = g_strconcat (names[i], ".jpg", NULL);
      g_autofree char *path = g_build_filename (folder, name, NULL);

      g_assert_true (g_file_set_contents (path, jpeg, jpeg_length, NULL));
    }

  open_folder (window, folder);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *jpg = g_strconcat (names[i], ".jpg", NULL);
      g_autofree char *xml = g_strconcat (names[i], ".xml", NULL);
      g_autofree char *xml_path = g_build_filename (folder, xml, NULL);
      g_autofree char *src_path = g_build_filename (testdata (), "bad", xml, NULL);
      g_autofree char *original = read_file (src_path);
      g_autofree char *on_disk = NULL;
      const char *banner;

      go_to_image (window, jpg);
      banner = bm_window_get_banner_text (window);
      g_test_message ("%s: %s", xml, banner);
      g_assert_nonnull (banner);
      g_assert_nonnull (strstr (banner, xml));
      g_assert_nonnull (strstr (banner, "read-only"));
      g_assert_nonnull (bm_canvas_get_image (bm_window_get_canvas (window)));

      /* Space is refused and nothing is written. */
      gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-verified", NULL);
      g_object_set (window, "verified", TRUE, NULL);
      bm_test_wait_until_idle (window);
      activate (window, "win.next");
      on_disk = read_file (xml_path);
      g_assert_cmpstr (on_disk, ==, original);
    }

  /* bad_values.xml has problems on known lines: the banner quotes FILE:LINE. */
  go_to_image (window, "bad_values.jpg");
  g_assert_nonnull (strstr (bm_window_get_banner_text (window), "bad_values.xml:"));

  /* Next image with a problem goes from one broken file to the next. */
  activate (window, "win.next-problem");
  g_assert_nonnull (bm_window_get_banner_text (window));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_failed_save_keeps_change (void)
{
  g_autofree char *folder = copy_fixture ("exif", "failsave");
  g_autofree char *xml_path = g_build_filename (folder, "orient_1.xml", NULL);
  g_autofree char *before = read_file (xml_path);
  g_autofree char *after = NULL;
  BmWindow *window = bm_test_window_new (1100, 760);

  open_folder (window, folder);
  bm_file_util_set_fail_writes (TRUE);
  activate (window, "win.toggle-verified");
  g_assert_true (bm_window_get_dirty (window));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "• orient_1.jpg");
  g_assert_nonnull (strstr (bm_window_get_banner_text (window), "could not be saved"));
  g_assert_true (bm_annotation_get_verified (bm_window_get_annotation (window)));

  /* Leaving the image tries again, fails, and stays. */
  activate (window, "win.next");
  g_assert_cmpint (bm_window_get_current_index (window), ==, 0);
  after = read_file (xml_path);
  g_assert_cmpstr (after, ==, before);

  /* Once the disk works again, Ctrl+S writes it. */
  bm_file_util_set_fail_writes (FALSE);
  activate (window, "win.save");
  g_assert_false (bm_window_get_dirty (window));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "orient_1.jpg");
  g_assert_null (bm_window_get_banner_text (window));
  g_clear_pointer (&after, g_free);
  after = read_file (xml_path);
  g_assert_nonnull (strstr (after, "verified=\"yes\""));
  activate (window, "win.next");
  g_assert_cmpint (bm_window_get_current_index (window), ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Renders @widget's content; B, G, R, A bytes (cairo's ARGB32 on little endian). */
static GdkTexture *
render_widget (GtkWidget *widget)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);

  /* The widget's own drawing, what bm_canvas puts on screen above its CSS background. */
  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

static void
pixel_at (const guint8 *pixels,
          int           stride,
          int           x,
          int           y,
          double        rgb[3])
{
  const guint8 *p = pixels + (gsize) y * stride + (gsize) x * 4;

  rgb[0] = p[2] / 255.0;
  rgb[1] = p[1] / 255.0;
  rgb[2] = p[0] / 255.0;
}

static double
colour_distance (const double rgb[3],
                 const GdkRGBA *colour)
{
  return fabs (rgb[0] - colour->red) + fabs (rgb[1] - colour->green) + fabs (rgb[2] - colour->blue);
}

static void
test_render_exif (void)
{
  g_autofree char *folder = copy_fixture ("exif", "render");
  g_autofree char *png = g_build_filename (tmp_root, "render-orient_6.png", NULL);
  BmWindow *window = bm_test_window_new (1100, 760);
  BmCanvas *canvas = bm_window_get_canvas (window);
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guint8 *pixels = NULL;
  BmAnnotation *annotation;
  GdkRGBA face;
  int width, height, stride;

  g_object_set (window, "show-file-list", FALSE, "show-side-panel", FALSE, NULL);
  open_folder (window, folder);
  /* No class file: the two labels met are the class order and get the palette's first two
   * colours. */
  while (!bm_file_list_model_is_scanned (bm_file_list_get_model (bm_window_get_file_list (window))))
    g_main_context_iteration (NULL, TRUE);
  go_to_image (window, "orient_6.jpg");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  bm_canvas_set_show_labels (canvas, FALSE);

  texture = render_widget (GTK_WIDGET (canvas));
  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  stride = width * 4;
  pixels = g_malloc ((gsize) stride * height);
  gdk_texture_download (texture, pixels, stride);
  g_assert_true (gdk_texture_save_to_png (texture, png));
  g_test_message ("canvas rendered to %s (%d × %d, zoom %.3f)", png, width, height, bm_canvas_get_zoom (canvas));

  /* Each face box: its left and right edges carry the class colour at mid-height, and the
   * image 10 screen pixels outside does not. */
  annotation = bm_window_get_annotation (window);
  bm_class_colour_for_label ("face", &face);
  {
    GdkRGBA first, person, second;

    bm_class_colour_get_palette (0, &first);
    bm_class_colour_for_label ("person", &person);
    bm_class_colour_get_palette (1, &second);
    g_assert_true ((gdk_rgba_equal (&face, &first) && gdk_rgba_equal (&person, &second)) ||
                   (gdk_rgba_equal (&face, &second) && gdk_rgba_equal (&person, &first)));
  }
  for (guint i = 0; i < bm_annotation_get_n_objects (annotation); i++)
    {
      BmObject *object = bm_annotation_get_object (annotation, i);
      BmRect r = bm_shape_bounds (bm_object_get_shape (object));
      double x1, y1, x2, y2, rgb[3];
      int ym;

      if (g_strcmp0 (bm_object_get_label (object), "face") != 0)
        continue;
      bm_canvas_image_to_view (canvas, r.x1, r.y1, &x1, &y1);
      bm_canvas_image_to_view (canvas, r.x2, r.y2, &x2, &y2);
      ym = (int) ((y1 + y2) / 2);
      g_assert_cmpfloat (x1, >, 12);
      g_assert_cmpfloat (x2, <, width - 12);

      pixel_at (pixels, stride, (int) floor (x1), ym, rgb);
      g_assert_cmpfloat (colour_distance (rgb, &face), <, 0.35);
      pixel_at (pixels, stride, (int) floor (x2), ym, rgb);
      g_assert_cmpfloat (colour_distance (rgb, &face), <, 0.35);
      pixel_at (pixels, stride, (int) floor (x1) - 10, ym, rgb);
      g_assert_cmpfloat (colour_distance (rgb, &face), >, 0.35);
      pixel_at (pixels, stride, (int) floor ((x1 + x2) / 2), (int) floor (y1), rgb);
      g_assert_cmpfloat (colour_distance (rgb, &face), <, 0.35);
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_sample (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = bm_application_install_sample (&error);
  g_autofree char *xml = NULL;
  BmWindow *window;

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (folder, tmp_root));
  xml = g_build_filename (folder, "astronaut.xml", NULL);
  g_assert_true (g_file_test (xml, G_FILE_TEST_IS_REGULAR));

  window = bm_test_window_new (1100, 760);
  open_folder (window, folder);
  g_assert_cmpuint (bm_annotation_get_n_objects (bm_window_get_annotation (window)), ==, 3);
  g_assert_cmpint (bm_tile_image_get_width (bm_canvas_get_image (bm_window_get_canvas (window))), ==, 512);

  /* Clicking a class in the panel filters the file list by it, quoted for spaces. */
  bm_file_list_set_filter_text (bm_window_get_file_list (window), "label:\"no such class\"");
  while (!bm_file_list_model_is_scanned (bm_file_list_get_model (bm_window_get_file_list (window))))
    g_main_context_iteration (NULL, TRUE);
  bm_file_list_set_filter_text (bm_window_get_file_list (window), "label:\"no such class\"");
  g_assert_cmpuint (bm_file_list_get_n_shown (bm_window_get_file_list (window)), ==, 0);
  bm_file_list_set_filter_text (bm_window_get_file_list (window), "label:'helmet' verified:no");
  g_assert_cmpuint (bm_file_list_get_n_shown (bm_window_get_file_list (window)), ==, 1);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_canvas_zoom_and_hit (void)
{
  g_autofree guint8 *rgb = g_malloc0 (400 * 300 * 3);
  g_autoptr(BmTileImage) image = bm_tile_image_new (rgb, 400, 300, 3, 400 * 3);
  g_autoptr(BmAnnotation) annotation = bm_annotation_new ();
  g_autoptr(BmObject) big = NULL;
  g_autoptr(BmObject) small = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *canvas = bm_canvas_new ();
  double ix, iy, vx, vy;
  BmShape shape;

  bm_shape_init_box (&shape, 50, 50, 350, 250);
  big = bm_object_new ("car", &shape);
  bm_shape_init_rotated (&shape, 200, 150, 60, 30, G_PI / 6);
  small = bm_object_new ("wheel", &shape);
  bm_annotation_add_object (annotation, big);
  bm_annotation_add_object (annotation, small);

  gtk_window_set_default_size (GTK_WINDOW (window), 640, 480);
  gtk_window_set_child (GTK_WINDOW (window), canvas);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (window);
  bm_canvas_set_content (BM_CANVAS (canvas), image, annotation);

  /* Fit: the whole image shows, centred. */
  bm_canvas_image_to_view (BM_CANVAS (canvas), 0, 0, &vx, &vy);
  g_assert_cmpfloat (vx, >=, 0);
  bm_canvas_image_to_view (BM_CANVAS (canvas), 400, 300, &vx, &vy);
  g_assert_cmpfloat (vx, <=, gtk_widget_get_width (canvas));
  g_assert_cmpfloat (vy, <=, gtk_widget_get_height (canvas));

  /* Zooming at a point keeps the image point under it in place. */
  bm_canvas_view_to_image (BM_CANVAS (canvas), 123, 97, &ix, &iy);
  bm_canvas_zoom_at (BM_CANVAS (canvas), 1.7, 123, 97);
  bm_canvas_image_to_view (BM_CANVAS (canvas), ix, iy, &vx, &vy);
  g_assert_cmpfloat_with_epsilon (vx, 123, 1e-6);
  g_assert_cmpfloat_with_epsilon (vy, 97, 1e-6);

  /* The smaller object wins where both are under the pointer; outside both, none. */
  bm_canvas_image_to_view (BM_CANVAS (canvas), 200, 150, &vx, &vy);
  g_assert_cmpint (bm_canvas_object_at (BM_CANVAS (canvas), vx, vy), ==, 1);
  bm_canvas_image_to_view (BM_CANVAS (canvas), 60, 60, &vx, &vy);
  g_assert_cmpint (bm_canvas_object_at (BM_CANVAS (canvas), vx, vy), ==, 0);
  bm_canvas_image_to_view (BM_CANVAS (canvas), 20, 20, &vx, &vy);
  g_assert_cmpint (bm_canvas_object_at (BM_CANVAS (canvas), vx, vy), ==, -1);

  /* Showing an object centres it. */
  bm_canvas_show_object (BM_CANVAS (canvas), 1, TRUE);
  g_assert_cmpint (bm_canvas_get_selected (BM_CANVAS (canvas)), ==, 1);
  bm_canvas_image_to_view (BM_CANVAS (canvas), 200, 150, &vx, &vy);
  g_assert_cmpfloat (fabs (vx - gtk_widget_get_width (canvas) / 2.0), <=, 1.0);
  g_assert_cmpfloat (fabs (vy - gtk_widget_get_height (canvas) / 2.0), <=, 1.0);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Renders @image at @zoom into a @width × @height texture and returns its B, G, R, A bytes. */
static guint8 *
render_tiles (BmTileImage *image,
              double       zoom,
              int          width,
              int          height)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GskRenderer) renderer = gsk_cairo_renderer_new ();
  g_autoptr(GdkTexture) texture = NULL;
  guint8 *pixels = g_malloc ((gsize) width * height * 4);

  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0, 0, 0, 1 }, &GRAPHENE_RECT_INIT (0, 0, width, height));
  bm_tile_image_snapshot (image, snapshot, zoom, 0, 0, width, height, 1, FALSE);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_true (gsk_renderer_realize (renderer, NULL, NULL));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_texture_download (texture, pixels, width * 4);
  gsk_renderer_unrealize (renderer);
  return pixels;
}

static void
test_tile_pixels (void)
{
  int width = 5000, height = 64;
  g_autofree guint8 *gray = g_malloc ((gsize) width * height);
  g_autofree guint8 *gray_alpha = g_malloc ((gsize) 64 * 64 * 2);
  g_autoptr(BmTileImage) halves = NULL;
  g_autoptr(BmTileImage) translucent = NULL;
  g_autofree guint8 *pixels = NULL;

  /* Left half black, right half white: the downscaled levels keep that. */
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      gray[(gsize) y * width + x] = x < width / 2 ? 0 : 255;
  halves = bm_tile_image_new (gray, width, height, 1, width);
  pixels = render_tiles (halves, 0.2, 1000, 12);
  g_assert_cmpuint (pixels[(6 * 1000 + 100) * 4 + 1], <, 10);
  g_assert_cmpuint (pixels[(6 * 1000 + 900) * 4 + 1], >, 245);
  g_clear_pointer (&pixels, g_free);

  /* Zoomed in: sharp squares, nearest neighbour (a 1-pixel step stays a step). */
  {
    const guint8 stripes[4] = { 0, 255, 0, 255 };
    g_autoptr(BmTileImage) tiny = bm_tile_image_new (stripes, 4, 1, 1, 4);

    pixels = render_tiles (tiny, 8.0, 32, 8);
    g_assert_cmpuint (pixels[(4 * 32 + 7) * 4 + 1], ==, 0);
    g_assert_cmpuint (pixels[(4 * 32 + 8) * 4 + 1], ==, 255);
    g_assert_cmpuint (pixels[(4 * 32 + 15) * 4 + 1], ==, 255);
    g_assert_cmpuint (pixels[(4 * 32 + 16) * 4 + 1], ==, 0);
    g_clear_pointer (&pixels, g_free);
  }

  /* Gray + alpha: white at half opacity over black is mid-gray. */
  for (int i = 0; i < 64 * 64; i++)
    {
      gray_alpha[2 * i] = 255;
      gray_alpha[2 * i + 1] = 128;
    }
  translucent = bm_tile_image_new (gray_alpha, 64, 64, 2, 64 * 2);
  pixels = render_tiles (translucent, 1.0, 64, 64);
  g_assert_cmpuint (pixels[(32 * 64 + 32) * 4 + 0], >=, 126);
  g_assert_cmpuint (pixels[(32 * 64 + 32) * 4 + 0], <=, 130);
  g_assert_cmpuint (pixels[(32 * 64 + 32) * 4 + 3], ==, 255);
}

static void
test_tiles (void)
{
  /* A 20000-pixel-wide strip: never one texture, and smaller levels for zooming out. */
  int width = 20000, height = 24;
  g_autofree guint8 *gray = g_malloc0 ((gsize) width * height);
  g_autoptr(BmTileImage) image = NULL;

  for (int i = 0; i < width * height; i++)
    gray[i] = (guint8) (i % 251);
  image = bm_tile_image_new (gray, width, height, 1, width);
  g_assert_nonnull (image);
  g_assert_cmpint (bm_tile_image_get_width (image), ==, width);
  g_assert_cmpint (bm_tile_image_get_max_tile_size (image), <=, BM_TILE_SIZE);
  g_assert_cmpuint (bm_tile_image_get_n_levels (image), >=, 6);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  tmp_root = bm_test_window_setup (&argc, &argv, "gui", NULL);
  if (tmp_root == NULL)
    return 77;

  g_test_add_func ("/gui/tiles", test_tiles);
  g_test_add_func ("/gui/tile-pixels", test_tile_pixels);
  g_test_add_func ("/gui/canvas-zoom-and-hit", test_canvas_zoom_and_hit);
  g_test_add_func ("/gui/open-and-navigate", test_open_and_navigate);
  g_test_add_func ("/gui/first-image-while-listing", test_first_image_while_listing);
  g_test_add_func ("/gui/switch-folder-keeps-edits", test_switch_folder_keeps_edits);
  g_test_add_func ("/gui/open-image-and-recent", test_open_image_and_recent);
  g_test_add_func ("/gui/verify-saves", test_verify_saves);
  g_test_add_func ("/gui/verify-dota-keeps-file", test_verify_dota_keeps_file);
  g_test_add_func ("/gui/bad-label-read-only", test_bad_label_read_only);
  g_test_add_func ("/gui/failed-save-keeps-change", test_failed_save_keeps_change);
  g_test_add_func ("/gui/render-exif", test_render_exif);
  g_test_add_func ("/gui/sample", test_sample);

  status = g_test_run ();
  if (status == 0 && g_getenv ("BM_KEEP_TMP") == NULL)
    bm_test_remove_tree (tmp_root);
  return status;
}
