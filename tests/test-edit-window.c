/* test-edit-window.c: labelling in the boxmark window under a display (Xvfb), driven through
 * its actions and synthesised pointer input: draw each kind of shape, label it, move, resize,
 * rotate, undo, redo, save, auto-save when moving on, copy/paste, copy-previous; the files on
 * disk are checked (VOC and DOTA), including that untouched objects kept their bytes.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

#include "app/bm-window.h"
#include "tests/bm-test-window.h"
#include "formats/bm-label-io.h"
#include "formats/bm-voc.h"
#include "tests/bm-test-util.h"

static char *tmp_root;

static void
copy_into (const char *from,
           const char *folder)
{
  g_autofree char *name = g_path_get_basename (from);
  g_autofree char *to = g_build_filename (folder, name, NULL);
  g_autofree char *data = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (from, &data, &length, NULL));
  g_assert_true (g_file_set_contents (to, data, (gssize) length, NULL));
}

static char *
testdata_path (const char *sub)
{
  return g_build_filename (g_getenv ("BM_TESTDATA"), sub, NULL);
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

static const BmShape *
shape_of (BmWindow *window,
          guint     index)
{
  return bm_object_get_shape (object_of (window, index));
}

/* Pointer input as the canvas gestures deliver it, in image coordinates. */
static void
drag (BmWindow *window,
      double    x1,
      double    y1,
      double    x2,
      double    y2)
{
  BmEditController *edit = edit_of (window);

  bm_edit_controller_press (edit, x1, y1, 0);
  for (int i = 1; i <= 5; i++)
    bm_edit_controller_motion (edit, x1 + (x2 - x1) * i / 5, y1 + (y2 - y1) * i / 5, 0);
  bm_edit_controller_release (edit, x2, y2, 0);
  bm_test_iterate ();
}

static void
click (BmWindow *window,
       double    x,
       double    y)
{
  bm_edit_controller_press (edit_of (window), x, y, 0);
  bm_edit_controller_release (edit_of (window), x, y, 0);
  bm_test_iterate ();
}

/* Types @text in the label popover and presses Enter. */
static void
type_label (BmWindow   *window,
            const char *text)
{
  BmLabelPopover *popover = bm_edit_controller_get_label_popover (edit_of (window));

  while (!gtk_widget_get_mapped (GTK_WIDGET (popover)))
    g_main_context_iteration (NULL, TRUE);
  bm_label_popover_set_text (popover, text);
  g_assert_true (bm_label_popover_choose (popover, FALSE));
  bm_test_iterate ();
}

static void
assert_rect (BmRect r,
             double x1,
             double y1,
             double x2,
             double y2)
{
  g_assert_cmpfloat_with_epsilon (r.x1, x1, 1e-6);
  g_assert_cmpfloat_with_epsilon (r.y1, y1, 1e-6);
  g_assert_cmpfloat_with_epsilon (r.x2, x2, 1e-6);
  g_assert_cmpfloat_with_epsilon (r.y2, y2, 1e-6);
}

static GPtrArray *
voc_objects (const char *text)
{
  GPtrArray *objects = g_ptr_array_new_with_free_func (g_free);
  const char *p = text;

  while ((p = strstr (p, "<object>")) != NULL)
    {
      const char *end = strstr (p, "</object>");

      g_assert_nonnull (end);
      g_ptr_array_add (objects, g_strndup (p, (gsize) (end - p)));
      p = end;
    }
  return objects;
}

static char *
make_voc_folder (void)
{
  g_autofree char *annotations = testdata_path ("voc/raccoon_labelimg/annotations");
  g_autofree char *images = testdata_path ("voc/raccoon_labelimg/images");
  char *folder = g_build_filename (tmp_root, "voc", NULL);
  static const char *const names[] = { "raccoon-119", "raccoon-12" };

  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *xml = g_strdup_printf ("%s/%s.xml", annotations, names[i]);
      g_autofree char *jpg = g_strdup_printf ("%s/%s.jpg", images, names[i]);

      copy_into (xml, folder);
      copy_into (jpg, folder);
    }
  {
    g_autofree char *classes = g_build_filename (folder, "predefined_classes.txt", NULL);

    g_assert_true (g_file_set_contents (classes, "raccoon\nsquirrel\n", -1, NULL));
  }
  return folder;
}

static void
test_voc_labelling (void)
{
  g_autofree char *folder = make_voc_folder ();
  g_autofree char *xml_path = g_build_filename (folder, "raccoon-119.xml", NULL);
  g_autofree char *other_path = g_build_filename (folder, "raccoon-12.xml", NULL);
  g_autofree char *classes_path = g_build_filename (folder, "predefined_classes.txt", NULL);
  g_autofree char *before = read_file (xml_path);
  g_autofree char *other_before = read_file (other_path);
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) objects_before = NULL;
  g_autoptr(GPtrArray) objects_after = NULL;
  g_autoptr(BmAnnotation) reread = NULL;
  BmWindow *window = bm_test_window_open (folder);
  GtkWidget *widget = GTK_WIDGET (window);
  double angle, w, h;
  guint box, rotated, quad;

  go_to_image (window, "raccoon-119.jpg");
  g_assert_cmpuint (n_objects (window), ==, 3);
  g_assert_false (bm_window_get_dirty (window));

  /* W: a box by drag; the popover opens with the first class; Enter takes the typed class. */
  activate (window, "win.draw-box");
  drag (window, 300, 420, 380, 500);
  g_assert_true (bm_edit_controller_has_pending (edit_of (window)));
  type_label (window, "squ");
  box = n_objects (window) - 1;
  g_assert_cmpuint (box, ==, 3);
  g_assert_cmpstr (bm_object_get_label (object_of (window, box)), ==, "squirrel");
  assert_rect (bm_shape_bounds (shape_of (window, box)), 300, 420, 380, 500);
  g_assert_true (bm_window_get_dirty (window));
  g_assert_true (gtk_widget_is_sensitive (widget));

  /* E: a rotated box, labelled with a new class, which is appended to predefined_classes.txt. */
  activate (window, "win.draw-rotated");
  drag (window, 40, 380, 120, 420);
  type_label (window, "bird");
  rotated = n_objects (window) - 1;
  g_assert_cmpint (shape_of (window, rotated)->kind, ==, BM_SHAPE_ROTATED);
  g_assert_cmpstr (bm_object_get_label (object_of (window, rotated)), ==, "bird");
  text = read_file (classes_path);
  g_assert_cmpstr (text, ==, "raccoon\nsquirrel\nbird\n");
  g_clear_pointer (&text, g_free);
  /* z z v: 1° counter-clockwise in the end. */
  g_assert_true (gtk_widget_activate_action (widget, "win.rotate", "d", BM_EDITOR_ROTATE_CCW_LARGE));
  g_assert_true (gtk_widget_activate_action (widget, "win.rotate", "d", BM_EDITOR_ROTATE_CCW_LARGE));
  g_assert_true (gtk_widget_activate_action (widget, "win.rotate", "d", BM_EDITOR_ROTATE_CW_LARGE));
  bm_shape_get_rotated (shape_of (window, rotated), NULL, NULL, &w, &h, &angle);
  g_assert_cmpfloat_with_epsilon (angle, G_PI - G_PI / 180, 1e-9);
  g_assert_cmpfloat_with_epsilon (w, 80, 1e-9);
  g_assert_cmpfloat_with_epsilon (h, 40, 1e-9);

  /* With BM_SCREENSHOT=PATH: the screen in the middle of drawing a quadrilateral, the rotated
   * box selected with its handles. */
  if (g_getenv ("BM_SCREENSHOT") != NULL)
    {
      g_autofree char *command = g_strdup_printf ("import -window root %s", g_getenv ("BM_SCREENSHOT"));
      BmShapeDrawer *drawer = bm_edit_controller_get_drawer (edit_of (window));

      bm_editor_select (bm_edit_controller_get_editor (edit_of (window)), (int) rotated);
      activate (window, "win.draw-quad");
      click (window, 230, 130);
      click (window, 330, 150);
      bm_shape_drawer_hover (drawer, 320, 230);
      gtk_widget_queue_draw (GTK_WIDGET (bm_window_get_canvas (window)));
      gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
      bm_test_iterate ();
      g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
      activate (window, "win.cancel-edit");
      g_assert_cmpint (bm_shape_drawer_get_mode (drawer), ==, BM_DRAW_NONE);
      /* And PATH.selected.png: the rotated box with its handles. */
      g_free (command);
      command = g_strdup_printf ("import -window root %s.selected.png", g_getenv ("BM_SCREENSHOT"));
      bm_canvas_set_zoom (bm_window_get_canvas (window), 2.0);
      bm_canvas_show_object (bm_window_get_canvas (window), (int) rotated, FALSE);
      gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
      bm_test_iterate ();
      g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
    }

  /* Q: four clicks, labelled with the digit key 2. */
  activate (window, "win.draw-quad");
  click (window, 150, 20);
  click (window, 210, 25);
  click (window, 200, 70);
  click (window, 140, 60);
  g_assert_true (gtk_widget_activate_action (widget, "win.label-class", "u", 2));
  quad = n_objects (window) - 1;
  g_assert_cmpint (shape_of (window, quad)->kind, ==, BM_SHAPE_QUAD);
  g_assert_cmpstr (bm_object_get_label (object_of (window, quad)), ==, "squirrel");

  /* Select the box, move it, resize it; undo the resize, redo it. */
  click (window, 340, 460);
  g_assert_cmpint (bm_canvas_get_selected (bm_window_get_canvas (window)), ==, (int) box);
  drag (window, 340, 460, 350, 470);
  assert_rect (bm_shape_bounds (shape_of (window, box)), 310, 430, 390, 510);
  drag (window, 390, 510, 395, 520);
  assert_rect (bm_shape_bounds (shape_of (window, box)), 310, 430, 395, 520);
  activate (window, "win.undo");
  assert_rect (bm_shape_bounds (shape_of (window, box)), 310, 430, 390, 510);
  activate (window, "win.redo");
  assert_rect (bm_shape_bounds (shape_of (window, box)), 310, 430, 395, 520);

  /* Ctrl+S. */
  activate (window, "win.save");
  g_assert_false (bm_window_get_dirty (window));
  text = read_file (xml_path);
  objects_before = voc_objects (before);
  objects_after = voc_objects (text);
  g_assert_cmpuint (objects_after->len, ==, 6);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (objects_after->pdata[i], ==, objects_before->pdata[i]);
  g_assert_nonnull (strstr (objects_after->pdata[3], "<name>squirrel</name>"));
  g_assert_nonnull (strstr (objects_after->pdata[3], "<xmin>310</xmin>"));
  g_assert_nonnull (strstr (objects_after->pdata[3], "<ymax>520</ymax>"));
  g_assert_nonnull (strstr (objects_after->pdata[4], "<robndbox>"));
  g_assert_nonnull (strstr (objects_after->pdata[5], "<polygon>"));
  g_clear_pointer (&text, g_free);

  /* Undo back to the saved state and further: dirty again; redo to the saved state: clean. */
  activate (window, "win.undo");
  g_assert_true (bm_window_get_dirty (window));
  activate (window, "win.redo");
  g_assert_false (bm_window_get_dirty (window));

  /* A nudge, then moving to the next image saves on the way (auto-save). Copy the box first. */
  bm_editor_select (bm_edit_controller_get_editor (edit_of (window)), (int) box);
  g_assert_true (gtk_widget_activate_action (widget, "win.nudge", "(dd)", 0.0, -10.0));
  activate (window, "win.copy");
  g_assert_true (bm_window_get_dirty (window));
  go_to_image (window, "raccoon-12.jpg");
  reread = bm_voc_load (xml_path, NULL);
  g_assert_nonnull (reread);
  assert_rect (bm_shape_bounds (bm_object_get_shape (bm_annotation_get_object (reread, 3))), 310, 420, 395, 510);
  g_clear_object (&reread);

  /* The neighbour image: untouched until pasted on. Paste, copy-previous, then undo both. */
  g_assert_cmpuint (n_objects (window), ==, 2);
  activate (window, "win.paste");
  g_assert_cmpuint (n_objects (window), ==, 3);
  g_assert_cmpstr (bm_object_get_label (object_of (window, 2)), ==, "squirrel");
  g_assert_cmpuint (bm_object_get_origin (object_of (window, 2)), ==, 0);
  /* The image is 259 × 194: the pasted box was moved inside it. */
  assert_rect (bm_shape_bounds (shape_of (window, 2)), 174, 104, 259, 194);
  activate (window, "win.copy-previous");
  /* All six objects of raccoon-119 (the pasted box moved, so it is no duplicate). */
  g_assert_cmpuint (n_objects (window), ==, 9);
  activate (window, "win.undo");
  activate (window, "win.undo");
  g_assert_cmpuint (n_objects (window), ==, 2);
  g_assert_false (bm_window_get_dirty (window));
  go_to_image (window, "raccoon-119.jpg");
  text = read_file (other_path);
  g_assert_cmpstr (text, ==, other_before);
  g_clear_pointer (&text, g_free);

  /* Delete and Ctrl+D on the image just saved; closing the window saves too. */
  g_assert_cmpuint (n_objects (window), ==, 6);
  bm_editor_select (bm_edit_controller_get_editor (edit_of (window)), 0);
  activate (window, "win.duplicate");
  g_assert_cmpuint (n_objects (window), ==, 7);
  activate (window, "win.delete-object");
  bm_editor_select (bm_edit_controller_get_editor (edit_of (window)), 5);
  activate (window, "win.delete-object");
  g_assert_cmpuint (n_objects (window), ==, 5);
  gtk_window_close (GTK_WINDOW (window));
  bm_test_iterate ();
  reread = bm_voc_load (xml_path, NULL);
  g_assert_cmpuint (bm_annotation_get_n_objects (reread), ==, 5);
  text = read_file (xml_path);
  objects_after = (g_ptr_array_unref (objects_after), voc_objects (text));
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (objects_after->pdata[i], ==, objects_before->pdata[i]);
  g_assert_null (strstr (text, "<polygon>"));
}

static void
test_dota_labelling (void)
{
  g_autofree char *source = testdata_path ("dota/mmrotate_tests");
  g_autofree char *folder = g_build_filename (tmp_root, "dota", NULL);
  g_autofree char *images = g_build_filename (folder, "images", NULL);
  g_autofree char *labels = g_build_filename (folder, "labelTxt", NULL);
  g_autofree char *txt_path = g_build_filename (labels, "P0004__1__0___0.txt", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_auto(GStrv) lines_before = NULL;
  g_auto(GStrv) lines_after = NULL;
  BmWindow *window;
  guint quad;

  g_assert_cmpint (g_mkdir_with_parents (images, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (labels, 0755), ==, 0);
  {
    g_autofree char *png = g_build_filename (source, "images", "P0004__1__0___0.png", NULL);
    g_autofree char *txt = g_build_filename (source, "labelTxt", "P0004__1__0___0.txt", NULL);

    copy_into (png, images);
    copy_into (txt, labels);
  }
  before = read_file (txt_path);
  window = bm_test_window_open (folder);
  go_to_image (window, "P0004__1__0___0.png");
  g_assert_cmpuint (n_objects (window), ==, 4);

  /* Q, clicked anticlockwise: saved clockwise from the first click. */
  activate (window, "win.draw-quad");
  click (window, 100, 100);
  click (window, 60, 180);
  click (window, 200, 190);
  click (window, 210, 110);
  type_label (window, "small-vehicle");
  quad = n_objects (window) - 1;
  /* Move a vertex with its handle, rotate 0.1° both ways (undo), and save. */
  drag (window, 200, 190, 205, 200);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.rotate", "d", BM_EDITOR_ROTATE_CW_SMALL));
  activate (window, "win.undo");
  g_assert_cmpfloat (shape_of (window, quad)->p[2].x, ==, 205);
  activate (window, "win.save");

  after = read_file (txt_path);
  lines_before = g_strsplit (before, "\n", -1);
  lines_after = g_strsplit (after, "\n", -1);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpstr (lines_after[i], ==, lines_before[i]);
  g_assert_cmpstr (lines_after[4], ==, "100 100 210 110 205 200 60 180 small-vehicle 0");
  close_window (window);
}

static void
test_read_only_not_edited (void)
{
  g_autofree char *folder = g_build_filename (tmp_root, "bad", NULL);
  g_autofree char *image = testdata_path ("voc/raccoon_labelimg/images/raccoon-12.jpg");
  g_autofree char *bad = testdata_path ("bad/bad_values.xml");
  g_autofree char *xml_path = g_build_filename (folder, "raccoon-12.xml", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  BmWindow *window;

  /* A label file with bad values: it opens read-only. */
  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  copy_into (image, folder);
  before = read_file (bad);
  g_assert_true (g_file_set_contents (xml_path, before, -1, NULL));
  window = bm_test_window_open (folder);
  go_to_image (window, "raccoon-12.jpg");
  g_assert_true (bm_annotation_is_read_only (bm_window_get_annotation (window)));

  /* The actions are disabled: nothing starts. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.draw-box", NULL);
  g_assert_cmpint (bm_shape_drawer_get_mode (bm_edit_controller_get_drawer (edit_of (window))), ==, BM_DRAW_NONE);
  g_assert_false (bm_edit_controller_start_drawing (edit_of (window), BM_DRAW_BOX));
  if (n_objects (window) > 0)
    {
      bm_editor_select (bm_edit_controller_get_editor (edit_of (window)), 0);
      g_assert_false (bm_edit_controller_nudge (edit_of (window), 5, 5));
      g_assert_false (bm_edit_controller_delete (edit_of (window)));
      g_assert_false (bm_edit_controller_rotate (edit_of (window), 0.1));
      gtk_widget_activate_action (GTK_WIDGET (window), "win.label-class", "u", 1);
      gtk_widget_activate_action (GTK_WIDGET (window), "win.delete-object", NULL);
    }
  g_assert_false (bm_window_get_dirty (window));
  gtk_window_close (GTK_WINDOW (window));
  bm_test_iterate ();
  after = read_file (xml_path);
  g_assert_cmpstr (after, ==, before);
}

static GtkDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* not ours */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (GTK_IS_MESSAGE_DIALOG (item) && gtk_widget_get_visible (GTK_WIDGET (item)))
        return GTK_DIALOG (item);
    }
  return NULL;
}

/* Auto-save off: moving on or closing with unsaved edits asks; Discard, Save and Cancel do
 * what they say. */
static void
test_ask_without_auto_save (void)
{
  g_autofree char *folder = make_voc_folder ();
  g_autofree char *xml_path = g_build_filename (folder, "raccoon-119.xml", NULL);
  g_autofree char *before = read_file (xml_path);
  g_autofree char *text = NULL;
  g_autoptr(BmAnnotation) reread = NULL;
  BmWindow *window = bm_test_window_open (folder);
  GtkDialog *dialog;

  g_object_set (window, "auto-save", FALSE, NULL);
  go_to_image (window, "raccoon-119.jpg");
  bm_editor_select (bm_edit_controller_get_editor (edit_of (window)), 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.nudge", "(dd)", 5.0, 0.0));
  g_assert_true (bm_window_get_dirty (window));

  /* Discard: the file stays as it was, and the next image shows. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.previous", NULL));
  bm_test_iterate ();
  g_assert_nonnull ((dialog = find_dialog ()));
  g_assert_true (g_str_has_suffix (bm_annotation_get_image_path (bm_window_get_annotation (window)), "raccoon-119.jpg"));
  gtk_dialog_response (dialog, GTK_RESPONSE_REJECT);
  bm_test_wait_until_idle (window);
  g_assert_true (g_str_has_suffix (bm_annotation_get_image_path (bm_window_get_annotation (window)), "raccoon-12.jpg"));
  text = read_file (xml_path);
  g_assert_cmpstr (text, ==, before);
  g_clear_pointer (&text, g_free);

  /* Save: written, then moved on. */
  go_to_image (window, "raccoon-119.jpg");
  bm_editor_select (bm_edit_controller_get_editor (edit_of (window)), 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.nudge", "(dd)", 5.0, 0.0));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.previous", NULL));
  bm_test_iterate ();
  g_assert_nonnull ((dialog = find_dialog ()));
  gtk_dialog_response (dialog, GTK_RESPONSE_ACCEPT);
  bm_test_wait_until_idle (window);
  g_assert_true (g_str_has_suffix (bm_annotation_get_image_path (bm_window_get_annotation (window)), "raccoon-12.jpg"));
  reread = bm_voc_load (xml_path, NULL);
  g_assert_cmpfloat (bm_shape_bounds (bm_object_get_shape (bm_annotation_get_object (reread, 1))).x1, ==, 216);

  /* Cancel on close: the window stays, with its edit. */
  bm_editor_select_all (bm_edit_controller_get_editor (edit_of (window)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.delete-object", NULL));
  g_assert_true (bm_window_get_dirty (window));
  gtk_window_close (GTK_WINDOW (window));
  bm_test_iterate ();
  g_assert_nonnull ((dialog = find_dialog ()));
  gtk_dialog_response (dialog, GTK_RESPONSE_CANCEL);
  bm_test_iterate ();
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (bm_window_get_dirty (window));
  /* Discard on close: closed, the file untouched. */
  {
    g_autofree char *path = g_build_filename (folder, "raccoon-12.xml", NULL);

    text = read_file (path);
  }
  gtk_window_close (GTK_WINDOW (window));
  bm_test_iterate ();
  g_assert_nonnull ((dialog = find_dialog ()));
  gtk_dialog_response (dialog, GTK_RESPONSE_REJECT);
  bm_test_iterate ();
  {
    g_autofree char *path = g_build_filename (folder, "raccoon-12.xml", NULL);
    g_autofree char *now = read_file (path);

    g_assert_cmpstr (now, ==, text);
  }
}

/* Every labelling key is listed in the shortcuts window, which loads without a warning. */
static void
test_shortcuts_listed (void)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/io/github/boxmark/Boxmark/gtk/help-overlay.ui");
  GtkWidget *overlay = GTK_WIDGET (gtk_builder_get_object (builder, "help_overlay"));
  g_autoptr(GBytes) bytes = g_resources_lookup_data ("/io/github/boxmark/Boxmark/gtk/help-overlay.ui", 0, NULL);
  const char *text = g_bytes_get_data (bytes, NULL);
  static const char *const accelerators[] = {
    ">w<", ">e<", ">q<", ">1...9<", ">z x<", ">c v<", ">Delete<", "&lt;Control&gt;d<",
    "&lt;Control&gt;c<", "&lt;Control&gt;v<", "&lt;Control&gt;&lt;Shift&gt;v<", "&lt;Control&gt;z<",
    "&lt;Control&gt;&lt;Shift&gt;z &lt;Control&gt;y<", "&lt;Control&gt;s<", "&lt;Control&gt;e F2<", ">Left Right Up Down<",
  };

  g_assert_nonnull (overlay);
  gtk_window_present (GTK_WINDOW (overlay));
  gtk_test_widget_wait_for_draw (overlay);
  for (guint i = 0; i < G_N_ELEMENTS (accelerators); i++)
    g_assert_nonnull (strstr (text, accelerators[i]));
  gtk_window_destroy (GTK_WINDOW (overlay));
  bm_test_iterate ();
}

int
main (int   argc,
      char *argv[])
{
  int status;

  tmp_root = bm_test_window_setup (&argc, &argv, "edit-window", "BM_TESTDATA", NULL);
  if (tmp_root == NULL)
    return 77;

  g_test_add_func ("/edit-window/voc-labelling", test_voc_labelling);
  g_test_add_func ("/edit-window/dota-labelling", test_dota_labelling);
  g_test_add_func ("/edit-window/read-only-not-edited", test_read_only_not_edited);
  g_test_add_func ("/edit-window/shortcuts-listed", test_shortcuts_listed);
  g_test_add_func ("/edit-window/ask-without-auto-save", test_ask_without_auto_save);

  status = g_test_run ();
  if (status == 0 && g_getenv ("BM_KEEP_TMP") == NULL)
    bm_test_remove_tree (tmp_root);
  return status;
}
