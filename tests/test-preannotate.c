/* test-preannotate.c: pre-annotation in the boxmark window under a display (Xvfb): I detects on
 * the current image with the same boxes boxmark-cli detect --write gives, never twice, one undo
 * takes the batch back; Ctrl+B writes each image's VOC file in the background, and Cancel stops
 * with every file complete.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <string.h>
#include <sys/wait.h>

#include "app/bm-window.h"
#include "tests/bm-test-window.h"
#include "core/bm-editor.h"
#include "formats/bm-voc.h"
#include "tests/bm-test-util.h"
#include "bm-test-util.h"

#define MIN_NEIGHBORS 4

static char *tmp_root;
static const char *const images[] = { "astronaut.png", "basketball1.png", "camera.png" };

static char *
make_folder (const char *name, guint n_images)
{
  char *folder = g_build_filename (tmp_root, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  for (guint i = 0; i < n_images; i++)
    {
      g_autofree char *from = g_build_filename (g_getenv ("BM_TESTDATA"), "detect", images[i], NULL);
      g_autofree char *to = g_build_filename (folder, images[i], NULL);
      g_autofree char *data = NULL;
      gsize length = 0;

      g_assert_true (g_file_get_contents (from, &data, &length, NULL));
      g_assert_true (g_file_set_contents (to, data, (gssize) length, NULL));
    }
  return folder;
}

static char *
label_path (const char *folder, const char *image)
{
  g_autofree char *stem = g_strndup (image, strlen (image) - strlen (".png"));
  g_autofree char *name = g_strconcat (stem, ".xml", NULL);

  return g_build_filename (folder, name, NULL);
}

/* boxmark-cli detect --write on @folder, as a user would run it. */
static void
run_cli_write (const char *folder)
{
  g_autofree char *cli = g_build_filename (g_getenv ("BM_BUILD_ROOT"), "app", "boxmark-cli", NULL);
  g_autofree char *neighbors = g_strdup_printf ("%d", MIN_NEIGHBORS);
  const char *argv[] = { cli, "detect", "--write", "--min-neighbors", neighbors, folder, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int wait_status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                               &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  if (WEXITSTATUS (wait_status) != 0)
    g_printerr ("%s", err);
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, 0);
}

static BmWindow *
new_window (const char *folder)
{
  BmWindow *window = bm_test_window_open (folder);

  g_assert_cmpint (bm_window_get_current_index (window), ==, 0);
  bm_preannotate_popover_set_min_neighbors (bm_window_get_preannotate_popover (window), MIN_NEIGHBORS);
  return window;
}

static void
close_window (BmWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  bm_test_iterate ();
}

static void
activate (BmWindow *window, const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), action, NULL));
  bm_test_wait_until_idle (window);
}

/* Same labels, boxes and scores, in the same order (VOC files do not keep the pre-annotation flag). */
static void
assert_same_objects (BmAnnotation *a, BmAnnotation *b)
{
  g_assert_cmpuint (bm_annotation_get_n_objects (a), ==, bm_annotation_get_n_objects (b));
  for (guint i = 0; i < bm_annotation_get_n_objects (a); i++)
    {
      BmObject *x = bm_annotation_get_object (a, i);
      BmObject *y = bm_annotation_get_object (b, i);

      g_assert_cmpstr (bm_object_get_label (x), ==, bm_object_get_label (y));
      g_assert_true (bm_shape_equal (bm_object_get_shape (x), bm_object_get_shape (y)));
      g_assert_cmpfloat (bm_object_get_score (x), ==, bm_object_get_score (y));
    }
}

static BmAnnotation *
load_voc (const char *path)
{
  g_autoptr(GError) error = NULL;
  BmAnnotation *annotation = bm_voc_load (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (annotation);
  g_assert_false (bm_annotation_is_read_only (annotation));
  return annotation;
}

static void
test_detect_like_cli (void)
{
  g_autofree char *folder = make_folder ("one", 1);
  g_autofree char *cli_folder = make_folder ("one-cli", 1);
  g_autofree char *path = label_path (folder, images[0]);
  g_autofree char *cli_path = label_path (cli_folder, images[0]);
  g_autoptr(BmAnnotation) expected = NULL;
  g_autoptr(BmAnnotation) saved = NULL;
  BmWindow *window;
  BmAnnotation *annotation;
  guint n;

  run_cli_write (cli_folder);
  expected = load_voc (cli_path);
  g_assert_cmpuint (bm_annotation_get_n_objects (expected), >, 0);

  window = new_window (folder);
  activate (window, "win.preannotate");
  annotation = bm_window_get_annotation (window);
  n = bm_annotation_get_n_objects (annotation);
  assert_same_objects (annotation, expected);
  for (guint i = 0; i < n; i++)
    g_assert_true (bm_object_get_pre_annotation (bm_annotation_get_object (annotation, i)));

  /* A second run finds the same boxes, all already there. */
  activate (window, "win.preannotate");
  g_assert_cmpuint (bm_annotation_get_n_objects (bm_window_get_annotation (window)), ==, n);

  activate (window, "win.save");
  saved = load_voc (path);
  assert_same_objects (saved, expected);

  /* One undo takes the whole run back. */
  activate (window, "win.undo");
  g_assert_cmpuint (bm_annotation_get_n_objects (bm_window_get_annotation (window)), ==, 0);
  activate (window, "win.redo");
  g_assert_cmpuint (bm_annotation_get_n_objects (bm_window_get_annotation (window)), ==, n);
  close_window (window);
}

static void
test_batch (void)
{
  if (!bm_test_have_data ("detect/basketball1.png"))
    return;
  g_autofree char *folder = make_folder ("batch", G_N_ELEMENTS (images));
  g_autofree char *cli_folder = make_folder ("batch-cli", G_N_ELEMENTS (images));
  BmWindow *window;
  BmShape shape;
  g_autoptr(BmObject) mine = NULL;
  guint written = 0;

  run_cli_write (cli_folder);
  window = new_window (folder);

  /* An edit only in memory is saved before the batch reads the file. */
  bm_shape_init_box (&shape, 5, 5, 25, 25);
  mine = bm_object_new ("mine", &shape);
  g_assert_cmpint (bm_editor_add_object (bm_edit_controller_get_editor (bm_window_get_edit_controller (window)),
                                         mine), ==, 0);
  bm_test_iterate ();
  g_assert_true (bm_window_get_dirty (window));

  activate (window, "win.preannotate-all");
  g_assert_false (bm_window_get_dirty (window));
  for (guint i = 0; i < G_N_ELEMENTS (images); i++)
    {
      g_autofree char *path = label_path (folder, images[i]);
      g_autofree char *cli_path = label_path (cli_folder, images[i]);
      g_autoptr(BmAnnotation) got = NULL;
      g_autoptr(BmAnnotation) expected = NULL;

      g_assert_cmpint (g_file_test (path, G_FILE_TEST_EXISTS), ==, g_file_test (cli_path, G_FILE_TEST_EXISTS) || i == 0);
      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        continue;
      written++;
      got = load_voc (path);
      if (i == 0)
        {
          g_assert_cmpuint (bm_annotation_get_n_objects (got), >=, 1);
          g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (got, 0)), ==, "mine");
          bm_annotation_remove_object (got, 0);
        }
      if (g_file_test (cli_path, G_FILE_TEST_EXISTS))
        {
          expected = load_voc (cli_path);
          assert_same_objects (got, expected);
        }
    }
  g_assert_cmpuint (written, >=, 2);
  /* The window shows what the batch wrote for the current image. */
  g_assert_cmpuint (bm_annotation_get_n_objects (bm_window_get_annotation (window)), >, 1);

  /* Again: nothing new to add. */
  {
    g_autofree char *path = label_path (folder, images[1]);
    g_autofree char *before = NULL;
    g_autofree char *after = NULL;

    g_file_get_contents (path, &before, NULL, NULL);
    activate (window, "win.preannotate-all");
    g_file_get_contents (path, &after, NULL, NULL);
    g_assert_cmpstr (before, ==, after);
  }
  close_window (window);
}

static void
test_cancel (void)
{
  if (!bm_test_have_data ("detect/basketball1.png"))
    return;
  g_autofree char *folder = make_folder ("cancel", G_N_ELEMENTS (images));
  BmWindow *window = new_window (folder);
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint written = 0;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.preannotate-all", NULL));
  g_assert_true (bm_window_is_busy (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.preannotate-cancel", NULL));
  bm_test_wait_until_idle (window);

  dir = g_dir_open (folder, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_autoptr(BmAnnotation) annotation = NULL;

      if (g_str_has_suffix (name, ".png"))
        continue;
      g_assert_true (g_str_has_suffix (name, ".xml"));   /* no temporary file left behind */
      annotation = load_voc (path);
      written++;
    }
  g_assert_cmpuint (written, <=, 1);
  /* The bar stays with the summary until closed. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.preannotate-cancel", NULL));
  close_window (window);
}

static void
test_shortcuts_listed (void)
{
  g_autoptr(GBytes) bytes = g_resources_lookup_data ("/io/github/boxmark/Boxmark/gtk/help-overlay.ui", 0, NULL);
  const char *text = g_bytes_get_data (bytes, NULL);

  g_assert_nonnull (strstr (text, "<property name=\"accelerator\">i<"));
  g_assert_nonnull (strstr (text, "<property name=\"accelerator\">&lt;Control&gt;b<"));
}

int
main (int argc, char *argv[])
{
  int status;

  tmp_root = bm_test_window_setup (&argc, &argv, "preannotate", "BM_TESTDATA", NULL);
  if (tmp_root == NULL)
    return 0;   /* TAP: the plan printed is the skip */

  g_test_add_func ("/preannotate/detect-like-cli", test_detect_like_cli);
  g_test_add_func ("/preannotate/batch", test_batch);
  g_test_add_func ("/preannotate/cancel", test_cancel);
  g_test_add_func ("/preannotate/shortcuts-listed", test_shortcuts_listed);

  status = g_test_run ();
  if (status == 0 && g_getenv ("BM_KEEP_TMP") == NULL)
    bm_test_remove_tree (tmp_root);
  return status;
}
