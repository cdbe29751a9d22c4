/* test-export-window.c: "Export as Pascal VOC / DOTA / YOLO…" in the window (under Xvfb): the
 * files are byte for byte the ones `boxmark-cli convert` writes, an edit not yet saved is saved first, a non-empty folder is
 * refused, and the outcome is told in a dialog.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <string.h>
#include <sys/wait.h>

#include "app/bm-window.h"
#include "tests/bm-test-window.h"
#include "app/bm-window-export.h"
#include "core/bm-editor.h"
#include "tests/bm-test-util.h"

static char *tmp_root;

/* A copy of six of testdata's raccoon images with their labelImg files (raccoon-5 is not there). */
static char *
make_folder (const char *name)
{
  char *folder = g_build_filename (tmp_root, name, NULL);
  g_autofree char *source = g_build_filename (g_getenv ("BM_TESTDATA"), "voc", "raccoon_labelimg", NULL);

  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  for (guint i = 1; i <= 7; i++)
    {
      const char *kinds[][2] = { { "images", "jpg" }, { "annotations", "xml" } };

      if (i == 5)
        continue;
      for (guint k = 0; k < 2; k++)
        {
          g_autofree char *file = g_strdup_printf ("raccoon-%u.%s", i, kinds[k][1]);
          g_autofree char *from = g_build_filename (source, kinds[k][0], file, NULL);
          g_autofree char *to = g_build_filename (folder, file, NULL);
          g_autofree char *data = NULL;
          gsize length = 0;

          g_assert_true (g_file_get_contents (from, &data, &length, NULL));
          g_assert_true (g_file_set_contents (to, data, (gssize) length, NULL));
        }
    }
  return folder;
}

static void
export (BmWindow *window, const char *format, const char *out)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export", "(ss)", format, out));
  bm_test_wait_until_idle (window);
}

/* The secondary text of the outcome dialog; closes it. */
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
run_cli (const char *to, const char *out, const char *source)
{
  g_autofree char *cli = g_build_filename (g_getenv ("BM_BUILD_ROOT"), "app", "boxmark-cli", NULL);
  const char *argv[] = { cli, "convert", "--to", to, "--out", out, source, NULL };
  g_autoptr(GError) error = NULL;
  int wait_status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, 0);
}

static void
test_export_like_cli (void)
{
  g_autofree char *folder = make_folder ("like-cli");
  g_autofree char *ours = g_build_filename (tmp_root, "like-cli-window", NULL);
  g_autofree char *theirs = g_build_filename (tmp_root, "like-cli-cli", NULL);
  g_autofree char *obb = g_build_filename (tmp_root, "like-cli-window-obb", NULL);
  g_autofree char *obb_cli = g_build_filename (tmp_root, "like-cli-cli-obb", NULL);
  g_autofree char *headline = NULL;
  g_autofree char *details = NULL;
  BmWindow *window = bm_test_window_open (folder);

  export (window, "yolo", ours);
  details = take_dialog_text (window, &headline);
  g_assert_nonnull (strstr (headline, "Exported 6 images (6 objects) to "));
  g_assert_nonnull (strstr (details, "every label, sorted"));
  run_cli ("yolo", theirs, folder);
  /* images/{train,val}, labels/{train,val}, data.yaml, classes.txt, .boxmark-verified */
  g_assert_cmpuint (bm_test_assert_same_tree (ours, theirs), >=, 6 + 6 + 2);

  export (window, "yolo-obb", obb);
  g_clear_pointer (&details, g_free);
  g_clear_pointer (&headline, g_free);
  details = take_dialog_text (window, &headline);
  run_cli ("yolo-obb", obb_cli, folder);
  g_assert_cmpuint (bm_test_assert_same_tree (obb, obb_cli), >=, 6 + 6 + 2);
  gtk_window_destroy (GTK_WINDOW (window));
  bm_test_iterate ();
}

/* Export as Pascal VOC and as DOTA from the main menu: the same files as `boxmark-cli convert
 * --to voc|dota`, byte for byte (the folder's labelImg files are carried over as they are into
 * VOC; DOTA gets them written anew, with an edit saved first). */
static void
test_export_voc_dota_like_cli (void)
{
  g_autofree char *folder = make_folder ("voc-dota");
  const char *const formats[] = { "voc", "dota" };
  BmWindow *window = bm_test_window_open (folder);
  g_autoptr(BmObject) added = NULL;
  BmShape shape;

  /* an unsaved edit, in both exports: the window saves before it reads the label files */
  bm_shape_init_box (&shape, 12, 14, 52, 60);
  added = bm_object_new ("raccoon cub", &shape);
  bm_editor_add_object (bm_edit_controller_get_editor (bm_window_get_edit_controller (window)), added);
  bm_test_iterate ();
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *name = g_strdup_printf ("voc-dota-window-%s", formats[i]);
      g_autofree char *cli_name = g_strdup_printf ("voc-dota-cli-%s", formats[i]);
      g_autofree char *ours = g_build_filename (tmp_root, name, NULL);
      g_autofree char *theirs = g_build_filename (tmp_root, cli_name, NULL);
      g_autofree char *headline = NULL;
      g_autofree char *details = NULL;
      g_autofree char *label = g_build_filename (ours, i == 0 ? "Annotations" : "labelTxt",
                                                 i == 0 ? "raccoon-1.xml" : "raccoon-1.txt", NULL);
      g_autofree char *text = NULL;

      /* into the folder the CLI writes next, then moved: VOC files name their image's path */
      export (window, formats[i], theirs);
      g_assert_false (bm_window_get_dirty (window));
      details = take_dialog_text (window, &headline);
      g_assert_nonnull (strstr (headline, "Exported 6 images (7 objects) to "));
      g_assert_nonnull (strstr (details, "6 label files written"));
      g_assert_cmpint (g_rename (theirs, ours), ==, 0);
      run_cli (formats[i], theirs, folder);
      /* six images and six label files */
      g_assert_cmpuint (bm_test_assert_same_tree (ours, theirs), >=, 6 + 6);
      g_assert_true (g_file_get_contents (label, &text, NULL, NULL));
      g_assert_nonnull (strstr (text, i == 0 ? "<name>raccoon cub</name>" : " raccoon-cub "));
    }
  /* the main menu has the four exports, each with its format */
  {
    g_autoptr(GBytes) bytes = g_resources_lookup_data ("/io/github/boxmark/Boxmark/ui/bm-window.ui", 0, NULL);
    const char *text = g_bytes_get_data (bytes, NULL);
    const char *const targets[] = { "('voc', '')", "('dota', '')", "('yolo', '')", "('yolo-obb', '')" };

    for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
      {
        /* the item's action comes right before its target */
        const char *target = strstr (text, targets[i]);
        const char *action = g_strrstr_len (text, target - text, "<attribute name=\"action\">");

        g_assert_nonnull (target);
        g_assert_nonnull (action);
        g_assert_true (g_str_has_prefix (action, "<attribute name=\"action\">win.export</attribute>"));
      }
  }
  gtk_window_destroy (GTK_WINDOW (window));
  bm_test_iterate ();
}

/* An object drawn but not saved yet is in the export: the window saves first. */
static void
test_unsaved_edit_is_exported (void)
{
  g_autofree char *folder = make_folder ("unsaved");
  g_autofree char *out = g_build_filename (tmp_root, "unsaved-out", NULL);
  g_autofree char *headline = NULL;
  g_autofree char *details = NULL;
  BmWindow *window = bm_test_window_open (folder);
  BmAnnotation *annotation = bm_window_get_annotation (window);
  g_autoptr(BmObject) added = NULL;
  BmShape shape;

  g_assert_nonnull (annotation);
  bm_shape_init_box (&shape, 10, 10, 40, 40);
  added = bm_object_new ("squirrel", &shape);
  bm_editor_add_object (bm_edit_controller_get_editor (bm_window_get_edit_controller (window)), added);
  bm_test_iterate ();
  g_assert_true (bm_window_get_dirty (window));

  export (window, "yolo", out);
  g_assert_false (bm_window_get_dirty (window));
  details = take_dialog_text (window, &headline);
  g_assert_nonnull (strstr (headline, "Exported 6 images (7 objects)"));
  {
    g_autofree char *classes = g_build_filename (out, "classes.txt", NULL);
    g_autofree char *text = NULL;

    g_assert_true (g_file_get_contents (classes, &text, NULL, NULL));
    g_assert_cmpstr (text, ==, "raccoon\nsquirrel\n");
  }
  gtk_window_destroy (GTK_WINDOW (window));
  bm_test_iterate ();
}

/* A folder with something in it is refused before anything is written. */
static void
test_non_empty_folder_refused (void)
{
  g_autofree char *folder = make_folder ("refused");
  g_autofree char *out = g_build_filename (tmp_root, "refused-out", NULL);
  g_autofree char *mine = g_build_filename (out, "mine.txt", NULL);
  g_autofree char *headline = NULL;
  g_autofree char *details = NULL;
  g_autofree char *kept = NULL;
  BmWindow *window = bm_test_window_open (folder);
  g_autoptr(GDir) dir = NULL;
  guint n = 0;

  g_assert_cmpint (g_mkdir_with_parents (out, 0755), ==, 0);
  g_assert_true (g_file_set_contents (mine, "keep me\n", -1, NULL));
  export (window, "yolo", out);
  details = take_dialog_text (window, &headline);
  g_assert_cmpstr (headline, ==, "The export did not start");
  g_assert_nonnull (strstr (details, "is not empty"));
  dir = g_dir_open (out, 0, NULL);
  while (g_dir_read_name (dir) != NULL)
    n++;
  g_assert_cmpuint (n, ==, 1);
  g_assert_true (g_file_get_contents (mine, &kept, NULL, NULL));
  g_assert_cmpstr (kept, ==, "keep me\n");

  /* Nor into the folder being exported: its next opening would list the export. */
  {
    g_autofree char *inside = g_build_filename (folder, "export", NULL);

    g_clear_pointer (&headline, g_free);
    g_clear_pointer (&details, g_free);
    export (window, "yolo", inside);
    details = take_dialog_text (window, &headline);
    g_assert_cmpstr (headline, ==, "The export did not start");
    g_assert_nonnull (strstr (details, "lies inside the folder being exported"));
    g_assert_false (g_file_test (inside, G_FILE_TEST_EXISTS));
  }
  gtk_window_destroy (GTK_WINDOW (window));
  bm_test_iterate ();
}

/* The first label file of an image, written after the folder was opened, is exported too (the
 * folder scan said the image had none). */
static void
test_label_written_after_opening (void)
{
  g_autofree char *folder = make_folder ("late-label");
  g_autofree char *xml = g_build_filename (folder, "raccoon-1.xml", NULL);
  g_autofree char *out = g_build_filename (tmp_root, "late-label-out", NULL);
  g_autofree char *label = g_build_filename (out, "labels", "train", "raccoon-1.txt", NULL);
  g_autofree char *label_val = g_build_filename (out, "labels", "val", "raccoon-1.txt", NULL);
  g_autofree char *headline = NULL;
  g_autofree char *details = NULL;
  g_autoptr(BmObject) added = NULL;
  BmWindow *window;
  BmShape shape;

  g_assert_cmpint (g_unlink (xml), ==, 0);
  window = bm_test_window_open (folder);
  g_assert_cmpint (bm_window_get_current_index (window), ==, 0);
  g_assert_false (bm_dataset_get_item (bm_window_get_dataset (window), 0)->has_label);
  bm_shape_init_box (&shape, 10, 10, 40, 40);
  added = bm_object_new ("raccoon", &shape);
  bm_editor_add_object (bm_edit_controller_get_editor (bm_window_get_edit_controller (window)), added);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL));
  bm_test_iterate ();
  g_assert_true (g_file_test (xml, G_FILE_TEST_EXISTS));

  export (window, "yolo", out);
  details = take_dialog_text (window, &headline);
  g_assert_nonnull (strstr (headline, "Exported 6 images (6 objects)"));
  g_assert_true (g_file_test (label, G_FILE_TEST_EXISTS) || g_file_test (label_val, G_FILE_TEST_EXISTS));
  gtk_window_destroy (GTK_WINDOW (window));
  bm_test_iterate ();
}

/* The export has a key, and the objects panel left F10 to the main menu. */
static void
test_shortcuts_listed (void)
{
  g_autoptr(GBytes) bytes = g_resources_lookup_data ("/io/github/boxmark/Boxmark/gtk/help-overlay.ui", 0, NULL);
  const char *text = g_bytes_get_data (bytes, NULL);

  g_assert_nonnull (strstr (text, "<property name=\"accelerator\">&lt;Control&gt;&lt;Shift&gt;e<"));
  g_assert_nonnull (strstr (text, "<property name=\"accelerator\">&lt;Shift&gt;F9<"));
  g_assert_nonnull (strstr (text, "Main menu"));
}

int
main (int argc, char *argv[])
{
  int status;

  tmp_root = bm_test_window_setup (&argc, &argv, "export", "BM_TESTDATA", "BM_BUILD_ROOT", NULL);
  if (tmp_root == NULL)
    return 0;   /* TAP: the plan printed is the skip */

  g_test_add_func ("/export-window/like-cli", test_export_like_cli);
  g_test_add_func ("/export-window/voc-dota-like-cli", test_export_voc_dota_like_cli);
  g_test_add_func ("/export-window/unsaved-edit-is-exported", test_unsaved_edit_is_exported);
  g_test_add_func ("/export-window/non-empty-folder-refused", test_non_empty_folder_refused);
  g_test_add_func ("/export-window/label-written-after-opening", test_label_written_after_opening);
  g_test_add_func ("/export-window/shortcuts-listed", test_shortcuts_listed);

  status = g_test_run ();
  bm_test_remove_tree (tmp_root);
  return status;
}
