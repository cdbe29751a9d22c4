/* test-edit-gui.c: labelling on a real BmCanvas under a display (Xvfb) through BmEditController:
 * draw each kind of shape, label it, move, resize, rotate, undo, redo, save; the files on disk
 * are checked (VOC and DOTA), including that untouched neighbours kept their bytes.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "core/bm-image.h"
#include "formats/bm-label-io.h"
#include "widgets/bm-canvas.h"
#include "widgets/bm-edit-controller.h"
#include "tests/bm-test-util.h"

typedef struct
{
  char *dir;
  BmDatasetItem item;
  GtkWidget *window;
  BmCanvas *canvas;
  BmEditController *controller;
  BmClassCatalog *catalog;
  BmAnnotation *annotation;
  char *before;
} Session;

static void
iterate (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

static char *
copy_file (const char *from,
           const char *dir,
           const char *name)
{
  g_autofree char *data = NULL;
  gsize length = 0;
  char *to = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_get_contents (from, &data, &length, NULL));
  g_assert_true (g_file_set_contents (to, data, (gssize) length, NULL));
  return to;
}

static char *
read_text (const char *path)
{
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static void
session_open (Session    *s,
              const char *sub,
              const char *label_name,
              const char *image_sub,
              const char *image_name,
              BmFormat    format)
{
  const char *testdata = g_getenv ("BM_TESTDATA");
  g_autofree char *label_src = g_build_filename (testdata, sub, label_name, NULL);
  g_autofree char *image_src = g_build_filename (testdata, image_sub, image_name, NULL);
  g_autoptr(BmImage) pixels = NULL;
  g_autoptr(BmTileImage) image = NULL;
  g_autoptr(GError) error = NULL;

  s->dir = g_dir_make_tmp ("bm-edit-gui-XXXXXX", &error);
  g_assert_no_error (error);
  s->item.label_path = copy_file (label_src, s->dir, label_name);
  s->item.image_path = copy_file (image_src, s->dir, image_name);
  s->item.format = format;
  s->item.has_label = TRUE;
  s->before = read_text (s->item.label_path);

  s->annotation = bm_label_load (&s->item, &error);
  g_assert_no_error (error);
  pixels = bm_image_load (s->item.image_path, &error);
  g_assert_no_error (error);
  image = bm_tile_image_new (pixels->data, pixels->width, pixels->height, pixels->channels, pixels->stride);

  s->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (s->window), 900, 700);
  s->canvas = BM_CANVAS (bm_canvas_new ());
  gtk_window_set_child (GTK_WINDOW (s->window), GTK_WIDGET (s->canvas));
  s->controller = bm_edit_controller_new (s->canvas);
  s->catalog = bm_class_catalog_new ();
  g_assert_true (bm_class_catalog_load_folder (s->catalog, s->dir, NULL));
  bm_edit_controller_set_catalog (s->controller, s->catalog);
  gtk_window_present (GTK_WINDOW (s->window));
  bm_canvas_set_content (s->canvas, image, s->annotation);
  bm_edit_controller_set_annotation (s->controller, s->annotation);
  gtk_test_widget_wait_for_draw (s->window);
  iterate ();
}


static void
session_close (Session *s)
{
  /* The popover is a child of the canvas: the controller lets go of it first. */
  g_clear_object (&s->controller);
  gtk_window_destroy (GTK_WINDOW (s->window));
  iterate ();
  g_clear_object (&s->annotation);
  g_clear_object (&s->catalog);
  g_free (s->item.label_path);
  g_free (s->item.image_path);
  g_free (s->before);
  bm_test_remove_tree (s->dir);
  g_free (s->dir);
}

static guint
n_objects (Session *s)
{
  return bm_annotation_get_n_objects (s->annotation);
}

static const BmShape *
shape_of (Session *s,
          guint    index)
{
  return bm_object_get_shape (bm_annotation_get_object (s->annotation, index));
}

static void
drag (Session *s,
      double   x1,
      double   y1,
      double   x2,
      double   y2,
      GdkModifierType state)
{
  bm_edit_controller_press (s->controller, x1, y1, state);
  for (int i = 1; i <= 4; i++)
    bm_edit_controller_motion (s->controller, x1 + (x2 - x1) * i / 4, y1 + (y2 - y1) * i / 4, state);
  bm_edit_controller_release (s->controller, x2, y2, state);
  iterate ();
}

static void
click (Session *s,
       double   x,
       double   y)
{
  bm_edit_controller_press (s->controller, x, y, 0);
  bm_edit_controller_release (s->controller, x, y, 0);
  iterate ();
}

static void
choose_label (Session    *s,
              const char *text)
{
  BmLabelPopover *popover = bm_edit_controller_get_label_popover (s->controller);

  while (!gtk_widget_get_mapped (GTK_WIDGET (popover)))
    g_main_context_iteration (NULL, TRUE);
  bm_label_popover_set_text (popover, text);
  g_assert_true (bm_label_popover_choose (popover, FALSE));
  iterate ();
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

static void
test_voc_session (void)
{
  Session s = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(BmAnnotation) reread = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *text = NULL;
  BmEditor *editor;
  double angle, w, h;
  guint box, rotated, quad;

  session_open (&s, "voc/raccoon_labelimg/annotations", "raccoon-119.xml", "voc/raccoon_labelimg/images",
                "raccoon-119.jpg", BM_FORMAT_VOC);
  editor = bm_edit_controller_get_editor (s.controller);
  g_assert_cmpuint (n_objects (&s), ==, 3);
  g_assert_cmpstr (bm_class_catalog_get_for_digit (s.catalog, 1), ==, "raccoon");
  g_assert_false (bm_edit_controller_get_dirty (s.controller));

  /* W: a box by drag; the label popover opens; typing a new label and Enter labels it. */
  g_assert_true (bm_edit_controller_start_drawing (s.controller, BM_DRAW_BOX));
  drag (&s, 300, 420, 380, 500, 0);
  g_assert_true (bm_edit_controller_has_pending (s.controller));
  g_assert_cmpuint (n_objects (&s), ==, 3);
  choose_label (&s, "dog");
  g_assert_false (bm_edit_controller_has_pending (s.controller));
  box = n_objects (&s) - 1;
  g_assert_cmpuint (box, ==, 3);
  g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (s.annotation, box)), ==, "dog");
  assert_rect (bm_shape_bounds (shape_of (&s, box)), 300, 420, 380, 500);
  g_assert_cmpint (bm_canvas_get_selected (s.canvas), ==, (int) box);
  g_assert_cmpint (bm_class_catalog_find (s.catalog, "dog"), ==, 1);
  g_assert_true (bm_edit_controller_get_dirty (s.controller));

  /* W with Shift: a square. Escape while the popover is open drops it. */
  g_assert_true (bm_edit_controller_start_drawing (s.controller, BM_DRAW_BOX));
  drag (&s, 20, 400, 60, 480, GDK_SHIFT_MASK);
  g_assert_true (bm_edit_controller_has_pending (s.controller));
  g_assert_true (bm_edit_controller_escape (s.controller));
  g_assert_cmpuint (n_objects (&s), ==, 4);

  /* E: an upright rotated box, labelled with digit key 2 (the second class). */
  g_assert_true (bm_edit_controller_start_drawing (s.controller, BM_DRAW_ROTATED));
  drag (&s, 40, 380, 120, 420, 0);
  g_assert_true (bm_edit_controller_label_digit (s.controller, 2));
  rotated = n_objects (&s) - 1;
  g_assert_cmpint (shape_of (&s, rotated)->kind, ==, BM_SHAPE_ROTATED);
  g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (s.annotation, rotated)), ==, "dog");
  /* z (1° counter-clockwise), then v v (1° clockwise twice). */
  g_assert_true (bm_edit_controller_rotate (s.controller, BM_EDITOR_ROTATE_CCW_LARGE));
  g_assert_true (bm_edit_controller_rotate (s.controller, BM_EDITOR_ROTATE_CW_LARGE));
  g_assert_true (bm_edit_controller_rotate (s.controller, BM_EDITOR_ROTATE_CW_LARGE));
  bm_shape_get_rotated (shape_of (&s, rotated), NULL, NULL, &w, &h, &angle);
  g_assert_cmpfloat_with_epsilon (angle, G_PI / 180, 1e-9);
  g_assert_cmpfloat_with_epsilon (w, 80, 1e-9);
  g_assert_cmpfloat_with_epsilon (h, 40, 1e-9);
  /* Then with its handle: 30° clockwise about the centre. */
  {
    BmPoint handle;
    BmPoint c = bm_shape_centre (shape_of (&s, rotated));
    double t = BM_EDIT_CONTROLLER_TOLERANCE / bm_canvas_get_zoom (s.canvas);
    double start = atan2 (0, 0);

    g_assert_true (bm_editor_get_rotate_handle (editor, rotated, t, &handle, NULL));
    start = atan2 (handle.y - c.y, handle.x - c.x);
    drag (&s, handle.x, handle.y, c.x + 30 * cos (start + G_PI / 6), c.y + 30 * sin (start + G_PI / 6), 0);
    bm_shape_get_rotated (shape_of (&s, rotated), NULL, NULL, &w, NULL, &angle);
    g_assert_cmpfloat_with_epsilon (angle, G_PI / 180 + G_PI / 6, 1e-9);
    g_assert_cmpfloat_with_epsilon (w, 80, 1e-9);
  }

  /* Q: four clicks, anticlockwise on screen; stored clockwise from the first click. */
  g_assert_true (bm_edit_controller_start_drawing (s.controller, BM_DRAW_QUAD));
  click (&s, 150, 20);
  click (&s, 140, 60);
  click (&s, 200, 70);
  g_assert_false (bm_edit_controller_has_pending (s.controller));
  click (&s, 210, 25);
  choose_label (&s, "  plane ");
  quad = n_objects (&s) - 1;
  g_assert_cmpint (shape_of (&s, quad)->kind, ==, BM_SHAPE_QUAD);
  g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (s.annotation, quad)), ==, "plane");
  g_assert_cmpfloat (shape_of (&s, quad)->p[0].x, ==, 150);
  g_assert_cmpfloat (shape_of (&s, quad)->p[1].x, ==, 210);
  g_assert_cmpfloat (shape_of (&s, quad)->p[3].x, ==, 140);

  /* Select the box by clicking it, move it by dragging, resize it by a corner, nudge it. */
  click (&s, 340, 460);
  g_assert_cmpint (bm_canvas_get_selected (s.canvas), ==, (int) box);
  drag (&s, 340, 460, 360, 470, 0);
  assert_rect (bm_shape_bounds (shape_of (&s, box)), 320, 430, 400, 510);
  drag (&s, 400, 510, 390, 530, 0);
  assert_rect (bm_shape_bounds (shape_of (&s, box)), 320, 430, 390, 530);
  g_assert_true (bm_edit_controller_nudge (s.controller, 10, 0));
  g_assert_true (bm_edit_controller_nudge (s.controller, 0, -1));
  assert_rect (bm_shape_bounds (shape_of (&s, box)), 330, 429, 400, 529);
  /* Dragged off the image: stops at its edge (400 × 533). */
  drag (&s, 350, 450, 600, 450, 0);
  assert_rect (bm_shape_bounds (shape_of (&s, box)), 330, 429, 400, 529);

  /* Undo the nudges and the resize; redo one. */
  g_assert_true (bm_edit_controller_undo (s.controller));
  g_assert_true (bm_edit_controller_undo (s.controller));
  assert_rect (bm_shape_bounds (shape_of (&s, box)), 320, 430, 390, 530);
  g_assert_true (bm_edit_controller_undo (s.controller));
  assert_rect (bm_shape_bounds (shape_of (&s, box)), 320, 430, 400, 510);
  g_assert_true (bm_edit_controller_redo (s.controller));
  assert_rect (bm_shape_bounds (shape_of (&s, box)), 320, 430, 390, 530);

  /* Relabel with the popover (Ctrl+E), duplicate, delete the duplicate. */
  bm_editor_select (editor, (int) box);
  g_assert_true (bm_edit_controller_edit_label (s.controller));
  choose_label (&s, "PLA");
  g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (s.annotation, box)), ==, "plane");
  g_assert_true (bm_edit_controller_duplicate (s.controller));
  g_assert_cmpuint (n_objects (&s), ==, 7);
  g_assert_true (bm_edit_controller_delete (s.controller));
  g_assert_cmpuint (n_objects (&s), ==, 6);

  /* Save; the file has the new objects and the old ones kept their bytes. */
  g_assert_true (bm_label_save (s.annotation, &error));
  g_assert_no_error (error);
  bm_edit_controller_mark_saved (s.controller);
  g_assert_false (bm_edit_controller_get_dirty (s.controller));
  text = read_text (s.item.label_path);
  before = voc_objects (s.before);
  after = voc_objects (text);
  g_assert_cmpuint (after->len, ==, 6);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (after->pdata[i], ==, before->pdata[i]);
  g_assert_nonnull (strstr (after->pdata[3], "<name>plane</name>"));
  g_assert_nonnull (strstr (after->pdata[3], "<xmin>320</xmin>"));
  g_assert_nonnull (strstr (after->pdata[4], "<robndbox>"));
  g_assert_nonnull (strstr (after->pdata[5], "<polygon>"));

  reread = bm_label_load (&s.item, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bm_annotation_get_n_objects (reread), ==, 6);
  bm_shape_get_rotated (bm_object_get_shape (bm_annotation_get_object (reread, 4)), NULL, NULL, &w, &h, &angle);
  g_assert_cmpfloat_with_epsilon (angle, G_PI / 180 + G_PI / 6, 1e-5);
  g_assert_cmpfloat_with_epsilon (w, 80, 1e-3);
  g_assert_cmpfloat_with_epsilon (h, 40, 1e-3);
  g_assert_cmpfloat (bm_object_get_shape (bm_annotation_get_object (reread, 5))->p[1].x, ==, 210);

  session_close (&s);
}

static void
test_dota_session (void)
{
  Session s = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(BmAnnotation) reread = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) before = NULL;
  g_auto(GStrv) after = NULL;
  guint quad;

  session_open (&s, "dota/mmrotate_tests/labelTxt", "P0004__1__0___0.txt", "dota/mmrotate_tests/images",
                "P0004__1__0___0.png", BM_FORMAT_DOTA);
  g_assert_cmpuint (n_objects (&s), ==, 4);

  /* Q, clockwise already: kept as clicked. Labelled with the first class (digit 1). */
  g_assert_true (bm_edit_controller_start_drawing (s.controller, BM_DRAW_QUAD));
  click (&s, 50, 50);
  click (&s, 150, 60);
  click (&s, 140, 160);
  click (&s, 40, 150);
  g_assert_true (bm_edit_controller_label_digit (s.controller, 1));
  quad = n_objects (&s) - 1;
  g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (s.annotation, quad)), ==, "plane");

  /* Move one vertex with its handle, then the whole quad; rotate it 1° (it stays a quad). */
  drag (&s, 140, 160, 150, 170, 0);
  g_assert_cmpfloat (shape_of (&s, quad)->p[2].x, ==, 150);
  g_assert_cmpfloat (shape_of (&s, quad)->p[2].y, ==, 170);
  drag (&s, 90, 100, 100, 100, 0);
  g_assert_cmpfloat (shape_of (&s, quad)->p[0].x, ==, 60);
  g_assert_true (bm_edit_controller_rotate (s.controller, BM_EDITOR_ROTATE_CW_LARGE));
  g_assert_cmpint (shape_of (&s, quad)->kind, ==, BM_SHAPE_QUAD);
  g_assert_true (bm_edit_controller_undo (s.controller));
  g_assert_cmpfloat (shape_of (&s, quad)->p[0].x, ==, 60);
  g_assert_cmpfloat (shape_of (&s, quad)->p[0].y, ==, 50);

  g_assert_true (bm_label_save (s.annotation, &error));
  g_assert_no_error (error);
  text = read_text (s.item.label_path);
  before = g_strsplit (s.before, "\n", -1);
  after = g_strsplit (text, "\n", -1);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpstr (after[i], ==, before[i]);
  g_assert_true (g_str_has_prefix (after[4], "60 50 160 60 160 170 50 150 plane"));

  reread = bm_label_load (&s.item, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bm_annotation_get_n_objects (reread), ==, 5);
  session_close (&s);
}

/* A window with the labelling actions installed the way BmWindow installs them, plus an Escape
 * binding of its own that must still work when there is nothing to cancel. */
#define TEST_TYPE_WINDOW (test_window_get_type ())
G_DECLARE_FINAL_TYPE (TestWindow, test_window, TEST, WINDOW, GtkWindow)

struct _TestWindow
{
  GtkWindow parent_instance;
  guint n_previous;
};

G_DEFINE_FINAL_TYPE (TestWindow, test_window, GTK_TYPE_WINDOW)

static void
previous_action (GtkWidget  *widget,
                 const char *name,
                 GVariant   *param)
{
  TEST_WINDOW (widget)->n_previous++;
}

static void
test_window_class_init (TestWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  bm_edit_controller_install_actions (widget_class);
  gtk_widget_class_install_action (widget_class, "win.previous", NULL, previous_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.previous", NULL);
}

static void
test_window_init (TestWindow *self)
{
}

static gboolean xdotool_done;

static void
xdotool_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_subprocess_wait_check_finish (G_SUBPROCESS (source), result, &error));
  g_assert_no_error (error);
  xdotool_done = TRUE;
}

/* Runs xdotool while the main loop keeps handling the events it makes. */
static void
xdotool (const char *arguments)
{
  g_autofree char *command = g_strdup_printf ("xdotool %s", arguments);
  g_auto(GStrv) argv = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_shell_parse_argv (command, NULL, &argv, NULL));
  process = g_subprocess_newv ((const char * const *) argv, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  xdotool_done = FALSE;
  g_subprocess_wait_check_async (process, NULL, xdotool_done_cb, NULL);
  while (!xdotool_done)
    g_main_context_iteration (NULL, TRUE);
  /* Let the X events arrive and be handled. */
  for (int i = 0; i < 20; i++)
    {
      g_usleep (5000);
      iterate ();
    }
}

/* Screen position of image point (@x, @y): the window sits at (0, 0) under a bare Xvfb. */
static void
screen_point (Session *s,
              double   x,
              double   y,
              int     *sx,
              int     *sy)
{
  graphene_point_t in, out;
  double vx, vy;

  bm_canvas_image_to_view (s->canvas, x, y, &vx, &vy);
  in = GRAPHENE_POINT_INIT (vx, vy);
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (s->canvas), s->window, &in, &out));
  *sx = (int) round (out.x);
  *sy = (int) round (out.y);
}

static void
mouse_drag (Session *s,
            double   x1,
            double   y1,
            double   x2,
            double   y2)
{
  int ax, ay, bx, by;
  g_autofree char *args = NULL;

  screen_point (s, x1, y1, &ax, &ay);
  screen_point (s, x2, y2, &bx, &by);
  args = g_strdup_printf ("mousemove %d %d mousedown 1 mousemove %d %d mousemove %d %d mouseup 1",
                          ax, ay, (ax + bx) / 2, (ay + by) / 2, bx, by);
  xdotool (args);
}

static void
test_real_input (void)
{
  Session s = { 0 };
  g_autofree char *xdotool_path = g_find_program_in_path ("xdotool");
  g_autoptr(GError) error = NULL;
  const char *shot = g_getenv ("BM_SCREENSHOT");
  TestWindow *window;
  BmRect r;
  int n;

  if (xdotool_path == NULL)
    {
      g_test_skip ("xdotool is not installed");
      return;
    }
  session_open (&s, "voc/raccoon_labelimg/annotations", "raccoon-119.xml", "voc/raccoon_labelimg/images",
                "raccoon-119.jpg", BM_FORMAT_VOC);
  /* Swap the plain window for one with the actions. */
  g_clear_object (&s.controller);
  gtk_window_set_child (GTK_WINDOW (s.window), NULL);
  gtk_window_destroy (GTK_WINDOW (s.window));
  s.window = g_object_new (TEST_TYPE_WINDOW, "default-width", 900, "default-height", 700, NULL);
  window = TEST_WINDOW (s.window);
  {
    g_autoptr(BmImage) pixels = bm_image_load (s.item.image_path, &error);
    g_autoptr(BmTileImage) image = NULL;

    g_assert_no_error (error);
    image = bm_tile_image_new (pixels->data, pixels->width, pixels->height, pixels->channels, pixels->stride);
    s.canvas = BM_CANVAS (bm_canvas_new ());
    gtk_window_set_child (GTK_WINDOW (s.window), GTK_WIDGET (s.canvas));
    s.controller = bm_edit_controller_new (s.canvas);
    bm_edit_controller_set_catalog (s.controller, s.catalog);
    bm_edit_controller_set_action_widget (s.controller, s.window);
    gtk_window_present (GTK_WINDOW (s.window));
    bm_canvas_set_content (s.canvas, image, s.annotation);
    bm_edit_controller_set_annotation (s.controller, s.annotation);
  }
  gtk_test_widget_wait_for_draw (s.window);
  gtk_widget_grab_focus (GTK_WIDGET (s.canvas));
  xdotool ("mousemove 5 5");

  /* Nothing selected or drawn: Escape is the window's own key; nudging is off. */
  g_assert_false (gtk_widget_activate_action (s.window, "win.nudge", "(dd)", 1.0, 0.0) &&
                  bm_edit_controller_get_dirty (s.controller));
  xdotool ("key Escape");
  g_assert_cmpuint (window->n_previous, ==, 1);
  /* While drawing, Escape cancels the drawing instead. */
  xdotool ("key w");
  g_assert_cmpint (bm_shape_drawer_get_mode (bm_edit_controller_get_drawer (s.controller)), ==, BM_DRAW_BOX);
  xdotool ("key Escape");
  g_assert_cmpint (bm_shape_drawer_get_mode (bm_edit_controller_get_drawer (s.controller)), ==, BM_DRAW_NONE);
  g_assert_cmpuint (window->n_previous, ==, 1);

  /* w, then a real drag: a box, its label popover, Enter takes the first class. */
  xdotool ("key w");
  g_assert_cmpint (bm_shape_drawer_get_mode (bm_edit_controller_get_drawer (s.controller)), ==, BM_DRAW_BOX);
  mouse_drag (&s, 60, 420, 160, 500);
  g_assert_true (bm_edit_controller_has_pending (s.controller));
  if (shot != NULL)
    {
      g_autofree char *args = g_strdup_printf ("import -window root %s", shot);

      g_assert_true (g_spawn_command_line_sync (args, NULL, NULL, NULL, NULL));
    }
  xdotool ("key Return");
  g_assert_false (bm_edit_controller_has_pending (s.controller));
  n = (int) n_objects (&s);
  g_assert_cmpint (n, ==, 4);
  g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (s.annotation, 3)), ==, "raccoon");
  r = bm_shape_bounds (shape_of (&s, 3));
  /* Screen pixels are whole: within one image pixel per screen pixel of zoom. */
  g_assert_cmpfloat (fabs (r.x1 - 60), <=, 1.0 / bm_canvas_get_zoom (s.canvas) + 1e-9);
  g_assert_cmpfloat (fabs (r.y2 - 500), <=, 1.0 / bm_canvas_get_zoom (s.canvas) + 1e-9);

  /* Arrows nudge the selected box; Shift+arrow by 10. */
  xdotool ("key Right");
  xdotool ("key shift+Down");
  g_assert_cmpuint (window->n_previous, ==, 1);
  g_assert_cmpfloat_with_epsilon (bm_shape_bounds (shape_of (&s, 3)).x1, r.x1 + 1, 1e-9);
  g_assert_cmpfloat_with_epsilon (bm_shape_bounds (shape_of (&s, 3)).y1, r.y1 + 10, 1e-9);

  /* z rotates; Ctrl+Z undoes it; Ctrl+Shift+Z redoes it. */
  xdotool ("key z");
  g_assert_cmpint (shape_of (&s, 3)->kind, ==, BM_SHAPE_ROTATED);
  xdotool ("key ctrl+z");
  g_assert_cmpint (shape_of (&s, 3)->kind, ==, BM_SHAPE_BOX);
  xdotool ("key ctrl+shift+z");
  g_assert_cmpint (shape_of (&s, 3)->kind, ==, BM_SHAPE_ROTATED);

  /* A real drag moves it; Delete removes it; Escape is the window's again. */
  {
    BmPoint c = bm_shape_centre (shape_of (&s, 3));

    mouse_drag (&s, c.x, c.y, c.x + 40, c.y - 30);
    /* a pointer pixel, and half an image pixel: a move lands on whole pixels */
    g_assert_cmpfloat (fabs (bm_shape_centre (shape_of (&s, 3)).x - (c.x + 40)), <=, 1.0 / bm_canvas_get_zoom (s.canvas) + 0.5 + 1e-9);
  }
  xdotool ("key Delete");
  g_assert_cmpuint (n_objects (&s), ==, 3);
  xdotool ("key Escape");
  g_assert_cmpuint (window->n_previous, ==, 2);

  bm_edit_controller_set_action_widget (s.controller, NULL);
  session_close (&s);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gtk_disable_setlocale ();
  setlocale (LC_ALL, "C.UTF-8");

  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display\n");
      return 77;
    }
  if (g_getenv ("BM_TESTDATA") == NULL)
    {
      g_print ("1..0 # SKIP BM_TESTDATA not set\n");
      return 77;
    }

  g_test_add_func ("/edit-gui/voc-session", test_voc_session);
  g_test_add_func ("/edit-gui/dota-session", test_dota_session);
  g_test_add_func ("/edit-gui/real-input", test_real_input);

  return g_test_run ();
}
