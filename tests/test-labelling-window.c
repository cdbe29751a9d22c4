/* test-labelling-window.c: labelling as a labelImg user expects it (issue 12), through the real
 * window under a display (Xvfb): an image opened alone opens inside its dataset; pre-annotations
 * stay marked until accepted; drawn coordinates are whole pixels; the label popover offers every
 * class; a second click keeps the selection; colours stay; review jumps wrap; the file list
 * counts edits; boxes hide; classes are renamed, merged and deleted across the dataset.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

#include "app/bm-window.h"
#include "core/bm-editor.h"
#include "formats/bm-label-io.h"
#include "widgets/bm-class-colour.h"
#include "widgets/bm-file-item.h"
#include "tests/bm-test-util.h"
#include "tests/bm-test-window.h"
#include "bm-test-util.h"

static char *tmp_root;

/* A writable copy of the test dataset @relative, in a folder of its own. */
static char *
copy_dataset (const char *name, const char *relative)
{
  g_autofree char *source = g_build_filename (g_getenv ("BM_TESTDATA"), relative, NULL);
  char *copy = g_build_filename (tmp_root, name, NULL);

  bm_test_copy_dataset (source, copy);
  return copy;
}

static char *
read_file (const char *path)
{
  char *data = NULL;

  g_assert_true (g_file_get_contents (path, &data, NULL, NULL));
  return data;
}

static void
close_window (BmWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  bm_test_iterate ();
}

static void
activate (BmWindow   *window,
          const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), action, NULL));
  bm_test_wait_until_idle (window);
}

/* bm_window_open_path, as the command line, the open dialog and a drop call it. */
static BmWindow *
open_path (const char *path)
{
  BmWindow *window = bm_test_window_new (1100, 760);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-recent", "s", path));
  bm_test_wait_until_idle (window);
  g_assert_nonnull (bm_window_get_dataset (window));
  return window;
}

static const BmDatasetItem *
current_item (BmWindow *window)
{
  int index = bm_window_get_current_index (window);

  g_assert_cmpint (index, >=, 0);
  return bm_dataset_get_item (bm_window_get_dataset (window), (guint) index);
}

static BmEditor *
editor_of (BmWindow *window)
{
  BmEditor *editor = bm_edit_controller_get_editor (bm_window_get_edit_controller (window));

  g_assert_nonnull (editor);
  return editor;
}

static BmEditController *
edit_of (BmWindow *window)
{
  return bm_window_get_edit_controller (window);
}

static guint
n_objects (BmWindow *window)
{
  return bm_annotation_get_n_objects (bm_window_get_annotation (window));
}

static BmObject *
object_of (BmWindow *window,
           guint     index)
{
  return bm_annotation_get_object (bm_window_get_annotation (window), index);
}

/* Pointer input as the canvas gestures deliver it, in image coordinates. */
static void
drag (BmWindow *window,
      double    x1,
      double    y1,
      double    x2,
      double    y2)
{
  bm_edit_controller_press (edit_of (window), x1, y1, 0);
  for (int i = 1; i <= 5; i++)
    bm_edit_controller_motion (edit_of (window), x1 + (x2 - x1) * i / 5, y1 + (y2 - y1) * i / 5, 0);
  bm_edit_controller_release (edit_of (window), x2, y2, 0);
  bm_test_iterate ();
}

static void
click_with (BmWindow        *window,
            double           x,
            double           y,
            GdkModifierType  state)
{
  bm_edit_controller_press (edit_of (window), x, y, state);
  bm_edit_controller_release (edit_of (window), x, y, state);
  bm_test_iterate ();
}

static BmLabelPopover *
popover_of (BmWindow *window)
{
  return bm_edit_controller_get_label_popover (edit_of (window));
}

static void
wait_for_popover (BmWindow *window)
{
  while (!gtk_widget_get_mapped (GTK_WIDGET (popover_of (window))))
    g_main_context_iteration (NULL, TRUE);
}

/* Types @text in the label popover and presses Enter. */
static void
type_label (BmWindow   *window,
            const char *text)
{
  wait_for_popover (window);
  bm_label_popover_set_text (popover_of (window), text);
  g_assert_true (bm_label_popover_choose (popover_of (window), FALSE));
  bm_test_iterate ();
}

static void
go_to (BmWindow *window,
       guint     index)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.go-to", "u", index));
  bm_test_wait_until_idle (window);
  g_assert_cmpint (bm_window_get_current_index (window), ==, index);
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autofree char *data = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (from, &data, &length, NULL));
  g_assert_true (g_file_set_contents (to, data, (gssize) length, NULL));
}

/* A folder @name with @n copies of detect/@image (img1.jpg …, its extension kept). */
static char *
folder_of_copies (const char *name,
                  const char *image,
                  guint       n)
{
  g_autofree char *source = g_build_filename (g_getenv ("BM_TESTDATA"), "detect", image, NULL);
  char *folder = g_build_filename (tmp_root, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  for (guint i = 1; i <= n; i++)
    {
      g_autofree char *file = g_strdup_printf ("img%u%s", i, strrchr (image, '.'));
      g_autofree char *path = g_build_filename (folder, file, NULL);

      copy_file (source, path);
    }
  return folder;
}

static guint
count_in (const char *text,
          const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (text, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* 1. An image opened alone ------------------------------------------------------------------ */

/* `boxmark DATASET/images/raccoon-12.jpg`: the VOC dataset is opened, the image selected with its
 * two objects; an edit is saved into annotations/, never as images/raccoon-12.xml. The same for
 * a DOTA image with its 536 objects. */
static void
test_image_opens_inside_its_dataset (void)
{
  g_autofree char *voc = copy_dataset ("alone-voc", "voc/raccoon_labelimg");
  g_autofree char *image = g_build_filename (voc, "images", "raccoon-12.jpg", NULL);
  g_autofree char *label = g_build_filename (voc, "annotations", "raccoon-12.xml", NULL);
  g_autofree char *stray = g_build_filename (voc, "images", "raccoon-12.xml", NULL);
  g_autofree char *dota = copy_dataset ("alone-dota", "dota/dota_devkit_example");
  g_autofree char *dota_image = g_build_filename (dota, "images", "P0706.png", NULL);
  g_autofree char *dota_stray = g_build_filename (dota, "images", "P0706.txt", NULL);
  g_autofree char *before = read_file (label);
  g_autofree char *after = NULL;
  g_autoptr(BmObject) object = NULL;
  BmWindow *window = open_path (image);
  BmShape shape;

  g_assert_cmpstr (bm_dataset_get_root (bm_window_get_dataset (window)), ==, voc);
  g_assert_cmpuint (bm_dataset_get_n_items (bm_window_get_dataset (window)), ==, 160);
  g_assert_cmpstr (current_item (window)->image_path, ==, image);
  g_assert_cmpstr (current_item (window)->label_path, ==, label);
  g_assert_cmpuint (bm_annotation_get_n_objects (bm_window_get_annotation (window)), ==, 2);

  bm_shape_init_box (&shape, 10, 10, 50, 40);
  object = bm_object_new ("raccoon", &shape);
  g_assert_cmpint (bm_editor_add_object (editor_of (window), object), ==, 2);
  activate (window, "win.save");
  g_assert_false (bm_window_get_dirty (window));
  g_assert_false (g_file_test (stray, G_FILE_TEST_EXISTS));
  after = read_file (label);
  g_assert_cmpstr (after, !=, before);
  g_assert_nonnull (strstr (after, "<xmax>50</xmax>"));
  close_window (window);

  window = open_path (dota_image);
  g_assert_cmpstr (bm_dataset_get_root (bm_window_get_dataset (window)), ==, dota);
  g_assert_cmpstr (current_item (window)->image_path, ==, dota_image);
  g_assert_cmpuint (bm_annotation_get_n_objects (bm_window_get_annotation (window)), ==, 536);
  g_assert_false (g_file_test (dota_stray, G_FILE_TEST_EXISTS));
  close_window (window);
}

/* 2. Pre-annotations ------------------------------------------------------------------------- */

static guint
count_pre (BmWindow *window)
{
  guint n = 0;

  for (guint i = 0; i < n_objects (window); i++)
    n += bm_object_get_pre_annotation (object_of (window, i));
  return n;
}

/* I on a DOTA image: the boxes stay pre-annotations with their scores across save and reload;
 * pre:yes lists the image, U finds it (going on from the first, and saying so); Enter accepts
 * one, Ctrl+Enter all, nudging one accepts it; the saved lines lose the score token. */
static void
test_pre_annotations_stay_marked (void)
{
  if (!bm_test_have_data ("detect/two_people.jpg"))
    return;
  g_autofree char *root = g_build_filename (tmp_root, "pre", NULL);
  g_autofree char *images = g_build_filename (root, "images", NULL);
  g_autofree char *labels = g_build_filename (root, "labelTxt", NULL);
  g_autofree char *source = g_build_filename (g_getenv ("BM_TESTDATA"), "detect", "two_people.jpg", NULL);
  g_autofree char *label = g_build_filename (labels, "a.txt", NULL);
  g_autofree char *saved = NULL, *accepted = NULL;
  g_autoptr(GArray) scores = g_array_new (FALSE, FALSE, sizeof (double));
  BmFileList *list;
  BmWindow *window;
  guint n, pre;

  g_assert_cmpint (g_mkdir_with_parents (images, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (labels, 0755), ==, 0);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *path = g_build_filename (images, i == 0 ? "a.jpg" : "b.jpg", NULL);
      copy_file (source, path);
    }
  window = open_path (root);
  list = bm_window_get_file_list (window);
  go_to (window, 0);
  activate (window, "win.preannotate");
  n = n_objects (window);
  g_assert_cmpuint (n, >=, 1);
  g_assert_cmpuint (count_pre (window), ==, n);
  for (guint i = 0; i < n; i++)
    {
      double score = bm_object_get_score (object_of (window, i));

      g_assert_true (bm_object_has_score (object_of (window, i)));
      g_array_append_val (scores, score);
    }
  activate (window, "win.save");
  saved = read_file (label);
  /* "x1 y1 … y4 face 0 SCORE": eleven tokens a line */
  {
    g_auto(GStrv) lines = g_strsplit (saved, "\n", -1);

    for (guint i = 0; i < n; i++)
      {
        g_auto(GStrv) tokens = g_strsplit (lines[i], " ", -1);

        g_assert_cmpuint (g_strv_length (tokens), ==, 11);
      }
  }

  /* read again from the file: still pre-annotations, the same scores */
  activate (window, "win.reload");
  g_assert_cmpuint (n_objects (window), ==, n);
  g_assert_cmpuint (count_pre (window), ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpfloat (bm_object_get_score (object_of (window, i)), ==, g_array_index (scores, double, i));

  /* the reviewer's filter and jump */
  bm_file_list_model_start_scan (bm_file_list_get_model (list));
  while (!bm_file_list_model_is_scanned (bm_file_list_get_model (list)))
    g_main_context_iteration (NULL, TRUE);
  bm_file_list_model_flush (bm_file_list_get_model (list));
  bm_file_list_set_filter_text (list, "pre:yes");
  bm_test_iterate ();
  g_assert_cmpuint (bm_file_list_get_n_shown (list), ==, 1);
  bm_file_list_set_filter_text (list, "");
  go_to (window, 1);
  activate (window, "win.next-pre-annotated");
  g_assert_cmpint (bm_window_get_current_index (window), ==, 0);
  g_assert_nonnull (strstr (bm_window_get_status_text (window), "went on from the first"));

  /* Enter accepts the selected one, Ctrl+Enter the rest; Ctrl+Z brings them back */
  bm_editor_select (editor_of (window), 0);
  activate (window, "win.accept");
  g_assert_false (bm_object_get_pre_annotation (object_of (window, 0)));
  g_assert_cmpfloat (bm_object_get_score (object_of (window, 0)), ==, g_array_index (scores, double, 0));
  pre = count_pre (window);
  g_assert_cmpuint (pre, ==, n - 1);
  activate (window, "win.accept-all");
  g_assert_cmpuint (count_pre (window), ==, 0);
  activate (window, "win.undo");
  g_assert_cmpuint (count_pre (window), ==, pre);
  if (n > 1)
    {
      /* editing a box accepts it */
      bm_editor_select (editor_of (window), 1);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.nudge", "(dd)", 1.0, 0.0));
      bm_test_iterate ();
      g_assert_false (bm_object_get_pre_annotation (object_of (window, 1)));
    }
  activate (window, "win.accept-all");
  activate (window, "win.save");
  accepted = read_file (label);
  g_assert_cmpuint (count_in (accepted, "\n"), ==, n);
  {
    g_auto(GStrv) lines = g_strsplit (accepted, "\n", -1);
    g_auto(GStrv) tokens = g_strsplit (lines[0], " ", -1);

    g_assert_cmpuint (g_strv_length (tokens), ==, 10);
  }
  close_window (window);
}

/* The threshold of the detector popover hides the weak pre-annotations (they cannot be picked
 * either), and deletes them in one undoable step. */
static void
test_weak_pre_annotations (void)
{
  if (!bm_test_have_data ("detect/two_people.jpg"))
    return;
  g_autofree char *folder = folder_of_copies ("weak", "two_people.jpg", 1);
  BmWindow *window = open_path (folder);
  BmVisibility *visibility = bm_window_get_visibility (window);
  g_autoptr(GPtrArray) faces = g_ptr_array_new_with_free_func (g_object_unref);
  const double scores[] = { 4, 20, 60, 104 };

  for (guint i = 0; i < G_N_ELEMENTS (scores); i++)
    {
      BmShape shape;
      BmObject *face;

      bm_shape_init_box (&shape, 20 + 100 * i, 20, 90 + 100 * i, 90);
      face = bm_object_new ("face", &shape);
      bm_object_set_score (face, scores[i]);
      bm_object_set_pre_annotation (face, TRUE);
      g_ptr_array_add (faces, face);
    }
  g_assert_cmpuint (bm_editor_add_objects (editor_of (window), faces), ==, 4);

  g_object_set (bm_window_get_preannotate_popover (window), "min-score", 21.0, NULL);
  g_assert_cmpfloat (bm_visibility_get_min_score (visibility), ==, 21);
  g_assert_false (bm_visibility_shows (visibility, object_of (window, 0)));
  g_assert_true (bm_visibility_shows (visibility, object_of (window, 2)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.select-all", NULL));
  g_assert_cmpuint (bm_editor_get_n_selected (editor_of (window)), ==, 2);
  {
    double vx, vy;

    bm_canvas_image_to_view (bm_window_get_canvas (window), 55, 55, &vx, &vy);
    g_assert_cmpint (bm_canvas_object_at (bm_window_get_canvas (window), vx, vy), ==, -1);
    bm_canvas_image_to_view (bm_window_get_canvas (window), 255, 55, &vx, &vy);
    g_assert_cmpint (bm_canvas_object_at (bm_window_get_canvas (window), vx, vy), ==, 2);
  }

  activate (window, "win.delete-weak");
  g_assert_cmpuint (n_objects (window), ==, 2);
  activate (window, "win.undo");
  g_assert_cmpuint (n_objects (window), ==, 4);
  close_window (window);
}

/* 3. Whole pixels ------------------------------------------------------------------------------ */

/* A box drawn at fractional pointer positions saves whole numbers (int(xmin.text) works); with
 * the sub-pixel setting, two decimals; a box read from the file keeps its text. */
static void
test_whole_pixels (void)
{
  g_autofree char *voc = copy_dataset ("pixels", "voc/raccoon_labelimg");
  g_autofree char *label = g_build_filename (voc, "annotations", "raccoon-1.xml", NULL);
  g_autofree char *before = read_file (label);
  g_autofree char *saved = NULL, *subpixel = NULL;
  BmWindow *window = open_path (voc);
  GAction *setting;

  go_to (window, 0);
  g_assert_cmpstr (current_item (window)->label_path, ==, label);
  activate (window, "win.draw-box");
  drag (window, 10.6026687191031, 20.3, 120.45, 99.51);
  type_label (window, "raccoon");
  activate (window, "win.save");
  saved = read_file (label);
  g_assert_nonnull (strstr (saved, "<xmin>11</xmin>"));
  g_assert_nonnull (strstr (saved, "<ymin>20</ymin>"));
  g_assert_nonnull (strstr (saved, "<xmax>120</xmax>"));
  g_assert_nonnull (strstr (saved, "<ymax>100</ymax>"));
  /* the box that was there keeps its text */
  {
    g_autofree char *head = g_strndup (before, strstr (before, "</annotation>") - before);

    g_assert_true (g_str_has_prefix (saved, head));
  }

  setting = g_action_map_lookup_action (G_ACTION_MAP (window), "subpixel");
  g_assert_nonnull (setting);
  g_action_change_state (setting, g_variant_new_boolean (TRUE));
  bm_test_iterate ();
  g_assert_cmpfloat (bm_editor_get_precision (editor_of (window)), ==, 0.01);
  activate (window, "win.draw-box");
  drag (window, 30.123456, 40.987654, 90.5, 70.25);
  type_label (window, "raccoon");
  activate (window, "win.save");
  subpixel = read_file (label);
  g_assert_nonnull (strstr (subpixel, "<xmin>30.12</xmin>"));
  g_assert_nonnull (strstr (subpixel, "<ymin>40.99</ymin>"));
  g_assert_nonnull (strstr (subpixel, "<xmax>90.5</xmax>"));
  g_action_change_state (setting, g_variant_new_boolean (FALSE));
  close_window (window);
}

/* 4. The label popover ------------------------------------------------------------------------ */

/* After labelling "building", the next shape's popover lists every class with building
 * highlighted; typing filters; "use the last label without asking" labels without it. */
static void
test_popover_lists_every_class (void)
{
  g_autofree char *folder = folder_of_copies ("popover", "astronaut.png", 1);
  g_autofree char *classes = g_build_filename (folder, "classes.txt", NULL);
  BmWindow *window;
  BmLabelPopover *popover;
  GAction *mode;

  g_assert_true (g_file_set_contents (classes, "person\nbuilding\nroad\nrock\n", -1, NULL));
  window = open_path (folder);
  popover = popover_of (window);
  activate (window, "win.draw-box");
  drag (window, 10, 10, 60, 60);
  type_label (window, "building");

  activate (window, "win.draw-box");
  drag (window, 100, 100, 160, 160);
  wait_for_popover (window);
  g_assert_cmpstr (bm_label_popover_get_text (popover), ==, "");
  g_assert_cmpuint (bm_label_popover_get_n_matches (popover), ==, 4);
  g_assert_cmpstr (bm_label_popover_get_selected (popover), ==, "building");
  bm_label_popover_set_text (popover, "ro");
  g_assert_cmpuint (bm_label_popover_get_n_matches (popover), ==, 2);   /* road, rock */
  bm_label_popover_set_text (popover, "");
  /* any class can be picked: the list shows them all, person first (catalog order) */
  g_assert_cmpstr (bm_label_popover_get_selected (popover), ==, "person");
  bm_label_popover_move_selection (popover, 2);
  g_assert_cmpstr (bm_label_popover_get_selected (popover), ==, "road");
  g_assert_true (bm_label_popover_choose (popover, FALSE));
  bm_test_iterate ();
  g_assert_cmpstr (bm_object_get_label (object_of (window, n_objects (window) - 1)), ==, "road");

  /* X-AnyLabeling's auto-label mode: no popover, the last label */
  mode = g_action_map_lookup_action (G_ACTION_MAP (window), "use-last-label");
  g_action_change_state (mode, g_variant_new_boolean (TRUE));
  bm_test_iterate ();
  activate (window, "win.draw-box");
  drag (window, 200, 200, 260, 260);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (popover)));
  g_assert_cmpuint (n_objects (window), ==, 3);
  g_assert_cmpstr (bm_object_get_label (object_of (window, 2)), ==, "road");
  g_action_change_state (mode, g_variant_new_boolean (FALSE));
  close_window (window);
}

/* 5. Selection --------------------------------------------------------------------------------- */

/* Overlapping boxes (as CVAT exports them): a second click on the selected one keeps it, so the
 * next nudge moves what is selected; Alt+click and Tab pick the one beneath. */
static void
test_second_click_keeps_selection (void)
{
  g_autofree char *folder = folder_of_copies ("stacked", "astronaut.png", 1);
  BmWindow *window = open_path (folder);
  g_autoptr(BmObject) big = NULL, small = NULL;
  BmShape shape;

  bm_shape_init_box (&shape, 50, 50, 300, 300);
  big = bm_object_new ("person", &shape);
  bm_shape_init_box (&shape, 100, 100, 200, 200);
  small = bm_object_new ("face", &shape);
  bm_editor_add_object (editor_of (window), big);
  bm_editor_add_object (editor_of (window), small);
  bm_editor_select (editor_of (window), -1);

  click_with (window, 150, 150, 0);
  g_assert_cmpint (bm_editor_get_primary (editor_of (window)), ==, 1);
  click_with (window, 150, 150, 0);
  g_assert_cmpint (bm_editor_get_primary (editor_of (window)), ==, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.nudge", "(dd)", 1.0, 0.0));
  bm_test_iterate ();
  g_assert_cmpfloat (bm_shape_bounds (bm_object_get_shape (small)).x1, ==, 101);
  g_assert_cmpfloat (bm_shape_bounds (bm_object_get_shape (big)).x1, ==, 50);

  click_with (window, 150, 150, GDK_ALT_MASK);
  g_assert_cmpint (bm_editor_get_primary (editor_of (window)), ==, 0);
  g_assert_true (bm_edit_controller_cycle_stacked (edit_of (window), 1));   /* Tab */
  g_assert_cmpint (bm_editor_get_primary (editor_of (window)), ==, 1);
  close_window (window);
}

/* 6. Colours ----------------------------------------------------------------------------------- */

/* face keeps its colour when Ctrl+B saves and the folder scan then meets it in the files. */
static void
test_colour_stays (void)
{
  if (!bm_test_have_data ("detect/two_people.jpg"))
    return;
  g_autofree char *folder = folder_of_copies ("colours", "two_people.jpg", 3);
  BmWindow *window = open_path (folder);
  BmFileListModel *model = bm_file_list_get_model (bm_window_get_file_list (window));
  GdkRGBA after_i, after_batch;

  go_to (window, 0);
  activate (window, "win.preannotate");
  g_assert_cmpuint (n_objects (window), >=, 1);
  bm_class_colour_for_label ("face", &after_i);
  activate (window, "win.preannotate-all");
  while (!bm_file_list_model_is_scanned (model))
    g_main_context_iteration (NULL, TRUE);
  bm_file_list_model_flush (model);
  bm_test_iterate ();
  g_assert_cmpint (bm_class_catalog_find (bm_edit_controller_get_catalog (edit_of (window)), "face"), >=, 0);
  bm_class_colour_for_label ("face", &after_batch);
  g_assert_true (gdk_rgba_equal (&after_i, &after_batch));
  close_window (window);
}

/* 8 and 9. Review wrap, file-list count, verified sidecar, icon ------------------------------- */

static int
shown_count (BmWindow *window,
             guint     index)
{
  BmFileListModel *model = bm_file_list_get_model (bm_window_get_file_list (window));
  g_autoptr(BmFileItem) item = g_list_model_get_item (G_LIST_MODEL (model), index);

  return bm_file_item_get_n_objects (item);
}

/* Ctrl+Shift+D from the last unverified image finds the one before (wrapping, and saying so);
 * the file list's count follows edits before they are saved; un-verifying the only verified
 * DOTA file leaves no empty .boxmark-verified. */
static void
test_review_wrap_count_and_sidecar (void)
{
  g_autofree char *dota = copy_dataset ("review", "dota/dota_devkit_yolo_demo");
  g_autofree char *sidecar = g_build_filename (dota, "labelTxt", ".boxmark-verified", NULL);
  BmWindow *window = open_path (dota);
  BmDataset *dataset = bm_window_get_dataset (window);
  guint n = bm_dataset_get_n_items (dataset);
  g_autoptr(BmObject) extra = NULL;
  double xy[8] = { 10, 10, 40, 10, 40, 40, 10, 40 };
  BmShape shape;
  int before;

  g_assert_cmpuint (n, ==, 4);
  /* everything verified but the first; from the last, the next unverified is the first */
  for (guint i = 1; i < n; i++)
    {
      go_to (window, i);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-verified", NULL));
      bm_test_wait_until_idle (window);
    }
  g_assert_true (g_file_test (sidecar, G_FILE_TEST_IS_REGULAR));
  activate (window, "win.next-unverified");
  g_assert_cmpint (bm_window_get_current_index (window), ==, 0);
  g_assert_nonnull (strstr (bm_window_get_status_text (window), "went on from the first"));

  /* the count in the list follows an edit at once */
  before = shown_count (window, 0);
  bm_shape_init_quad (&shape, xy);
  extra = bm_object_new ("plane", &shape);
  bm_editor_add_object (editor_of (window), extra);
  bm_test_iterate ();
  g_assert_cmpint (shown_count (window, 0), ==, before + 1);
  activate (window, "win.undo");
  g_assert_cmpint (shown_count (window, 0), ==, before);

  /* un-verify every file again: the sidecar goes */
  for (guint i = 1; i < n; i++)
    {
      go_to (window, i);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-verified", NULL));
      bm_test_wait_until_idle (window);
    }
  g_assert_false (g_file_test (sidecar, G_FILE_TEST_EXISTS));
  close_window (window);
}

/* The detector button is not a magnifier (that reads as Search); its icon ships with Boxmark. */
static void
test_detector_icon (void)
{
  g_autoptr(GBytes) ui = g_resources_lookup_data ("/io/github/boxmark/Boxmark/ui/bm-window.ui", 0, NULL);
  g_autoptr(GBytes) icon = g_resources_lookup_data ("/io/github/boxmark/Boxmark/icons/scalable/actions/bm-detect-symbolic.svg", 0, NULL);
  g_autoptr(GBytes) css = g_resources_lookup_data ("/io/github/boxmark/Boxmark/style.css", 0, NULL);
  g_autofree char *text = g_strndup (g_bytes_get_data (ui, NULL), g_bytes_get_size (ui));
  g_autofree char *style = g_strndup (g_bytes_get_data (css, NULL), g_bytes_get_size (css));

  g_assert_nonnull (icon);
  g_assert_null (strstr (text, "edit-find-symbolic"));
  g_assert_nonnull (strstr (text, "<property name=\"icon-name\">bm-detect-symbolic</property>"));
  /* the batch progress text at full contrast */
  g_assert_nonnull (strstr (style, "progressbar.batch-progress > text"));
  g_assert_nonnull (strstr (text, "<class name=\"batch-progress\"/>"));
}

/* 7. The augmentation preview ---------------------------------------------------------------- */

static GtkWindow *
find_transient (BmWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* not ours */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (gtk_window_get_transient_for (window) == GTK_WINDOW (parent) && !GTK_IS_DIALOG (window))
        return window;
    }
  return NULL;
}

/* Ctrl+G opens the preview; Esc closes it, and so does Ctrl+W (real keys, to the window under
 * the pointer: under a bare X server both windows lie at (0, 0), the preview on top). */
static void
test_augment_preview_closes (void)
{
  g_autofree char *root = copy_dataset ("augment-close", "voc/raccoon_labelimg");
  BmWindow *window = bm_test_window_open (root);
  GtkWindow *preview;
  static const char *const keys[] = { "key Escape", "key ctrl+w" };

  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    {
      activate (window, "win.augment-preview");
      preview = find_transient (window);
      g_assert_nonnull (preview);
      g_assert_true (gtk_widget_get_visible (GTK_WIDGET (preview)));
      /* mapped and drawn on top before the keys are typed: under a slow build (ASan) the keys
       * otherwise reached the main window, the preview not being on screen yet */
      gtk_window_present (preview);
      gtk_test_widget_wait_for_draw (GTK_WIDGET (preview));
      bm_test_wait_until_idle (window);
      if (!bm_test_xdotool ("mousemove 300 300") || !bm_test_xdotool (keys[k]))
        {
          g_test_skip ("xdotool is not installed");
          break;
        }
      bm_test_wait_until_idle (window);
      g_assert_false (gtk_widget_get_visible (GTK_WIDGET (preview)));
    }
  close_window (window);
}

/* Hide / show ------------------------------------------------------------------------------------ */

static GtkToggleButton *
find_class_eye (GtkWidget  *widget,
                const char *label)
{
  if (GTK_IS_TOGGLE_BUTTON (widget) && g_strcmp0 (g_object_get_data (G_OBJECT (widget), "label"), label) == 0)
    return GTK_TOGGLE_BUTTON (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkToggleButton *found = find_class_eye (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Ctrl+H hides every box (not drawn, not picked), again shows them; the eye of a class in the
 * classes panel hides that class only. */
static void
test_hide_boxes (void)
{
  g_autofree char *cvat = copy_dataset ("hide", "voc/cvat_zavtrak_ru");
  BmWindow *window = open_path (cvat);
  BmCanvas *canvas = bm_window_get_canvas (window);
  BmVisibility *visibility = bm_window_get_visibility (window);
  GtkToggleButton *eye;
  guint n = n_objects (window), plates = 0;
  const char *plate = "Тарелка";

  g_assert_cmpuint (n, >=, 2);
  for (guint i = 0; i < n; i++)
    plates += g_str_equal (bm_object_get_label (object_of (window, i)), plate);
  g_assert_cmpuint (plates, >=, 1);

  activate (window, "win.show-objects");   /* Ctrl+H */
  g_assert_false (bm_visibility_get_show_objects (visibility));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.select-all", NULL));
  g_assert_cmpuint (bm_editor_get_n_selected (editor_of (window)), ==, 0);
  activate (window, "win.show-objects");
  g_assert_true (bm_visibility_get_show_objects (visibility));

  eye = find_class_eye (GTK_WIDGET (bm_window_get_object_panel (window)), plate);
  g_assert_nonnull (eye);
  gtk_toggle_button_set_active (eye, FALSE);
  bm_test_iterate ();
  g_assert_false (bm_visibility_get_class_shown (visibility, plate));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.select-all", NULL));
  g_assert_cmpuint (bm_editor_get_n_selected (editor_of (window)), ==, n - plates);
  gtk_toggle_button_set_active (eye, TRUE);
  bm_test_iterate ();
  g_assert_true (bm_visibility_get_class_shown (visibility, plate));
  g_assert_nonnull (canvas);
  close_window (window);
}

/* The class manager ------------------------------------------------------------------------------ */

static GtkWidget *
find_dialog (const char *title)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* not ours */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_DIALOG (window) && g_strcmp0 (gtk_window_get_title (window), title) == 0)
        return GTK_WIDGET (window);
    }
  return NULL;
}

/* Rename (from the dialog of the classes panel), merge and delete a class in the whole folder:
 * the same files boxmark-cli relabel writes; the image on screen shows the new names. */
static void
test_class_manager (void)
{
  g_autofree char *cvat = copy_dataset ("classes", "voc/cvat_zavtrak_ru");
  g_autofree char *labelmap = g_build_filename (cvat, "labelmap.txt", NULL);
  g_autofree char *map = NULL;
  BmWindow *window = open_path (cvat);
  GtkWidget *dialog;
  GtkEditable *entry;
  guint n = n_objects (window);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.manage-class", "s", "Тарелка"));
  bm_test_iterate ();
  dialog = find_dialog ("Class “Тарелка”");
  g_assert_nonnull (dialog);
  entry = g_object_get_data (G_OBJECT (dialog), "entry");
  gtk_editable_set_text (entry, "Plate");
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  bm_test_wait_until_idle (window);
  g_assert_nonnull (strstr (bm_window_get_relabel_message (window), "renamed to “Plate”"));
  map = read_file (labelmap);
  g_assert_nonnull (strstr (map, "\nPlate:0,0,128::\n"));
  g_assert_cmpuint (n_objects (window), ==, n);
  {
    gboolean found = FALSE;

    for (guint i = 0; i < n; i++)
      found |= g_str_equal (bm_object_get_label (object_of (window, i)), "Plate");
    g_assert_true (found);
  }

  /* merge: onto an existing class */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.rename-class", "(ss)", "Поднос", "Plate"));
  bm_test_wait_until_idle (window);
  g_assert_nonnull (strstr (bm_window_get_relabel_message (window), "merged into “Plate”"));
  /* delete */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.delete-class", "s", "Plate"));
  bm_test_wait_until_idle (window);
  g_assert_nonnull (strstr (bm_window_get_relabel_message (window), "deleted"));
  for (guint i = 0; i < n_objects (window); i++)
    g_assert_cmpstr (bm_object_get_label (object_of (window, i)), !=, "Plate");
  close_window (window);
}

int
main (int argc, char *argv[])
{
  int status;

  tmp_root = bm_test_window_setup (&argc, &argv, "labelling", "BM_TESTDATA", "BM_OPENCV_DATA", NULL);
  if (tmp_root == NULL)
    return 0;   /* TAP: the plan printed is the skip */

  g_test_add_func ("/labelling/image-opens-inside-its-dataset", test_image_opens_inside_its_dataset);
  g_test_add_func ("/labelling/pre-annotations-stay-marked", test_pre_annotations_stay_marked);
  g_test_add_func ("/labelling/weak-pre-annotations", test_weak_pre_annotations);
  g_test_add_func ("/labelling/whole-pixels", test_whole_pixels);
  g_test_add_func ("/labelling/popover-lists-every-class", test_popover_lists_every_class);
  g_test_add_func ("/labelling/second-click-keeps-selection", test_second_click_keeps_selection);
  g_test_add_func ("/labelling/colour-stays", test_colour_stays);
  g_test_add_func ("/labelling/augment-preview-closes", test_augment_preview_closes);
  g_test_add_func ("/labelling/review-wrap-count-sidecar", test_review_wrap_count_and_sidecar);
  g_test_add_func ("/labelling/detector-icon", test_detector_icon);
  g_test_add_func ("/labelling/hide-boxes", test_hide_boxes);
  g_test_add_func ("/labelling/class-manager", test_class_manager);

  status = g_test_run ();
  if (status == 0 && g_getenv ("BM_KEEP_TMP") == NULL)
    bm_test_remove_tree (tmp_root);
  return status;
}
