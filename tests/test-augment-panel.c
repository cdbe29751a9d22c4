/* test-augment-panel.c: the augmentation preview panel under a display (Xvfb): the preview's
 * boxes are the engine's, stale results are dropped, Shuffle draws new values, partners come
 * from the folder, the drawing uses the class colours, Export writes the preview's sample and
 * exactly the files `boxmark-cli augment` writes for the same image, operations and seed.
 * Exits 77 without a display. With BM_AUGUI_HOLD=SECONDS the first test keeps its window open
 * that long (for `import -window root` screenshots).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "app/bm-window.h"
#include "core/bm-dataset.h"
#include "core/bm-error.h"
#include "formats/bm-label-io.h"
#include "formats/bm-voc.h"
#include "widgets/bm-augment-panel.h"
#include "widgets/bm-canvas.h"
#include "widgets/bm-class-colour.h"
#include "tests/bm-test-util.h"
#include "tests/bm-test-window.h"

typedef struct
{
  GtkWidget *window;
  BmAugmentPanel *panel;
  BmImage *image;
  BmAnnotation *annotation;
  BmDataset *dataset;
  int index;
  char *dir;
} Fixture;

static char *
testdata (const char *relative)
{
  const char *root = g_getenv ("BM_TESTDATA");

  return g_build_filename (root ? root : "../shared/testdata", relative, NULL);
}

static void
iterate (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

static void
wait_ready (Fixture *f)
{
  while (bm_augment_panel_get_busy (f->panel))
    g_main_context_iteration (NULL, TRUE);
  iterate ();
}

static void
hold_if_asked (void)
{
  const char *hold = g_getenv ("BM_AUGUI_HOLD");
  gint64 until;

  if (hold == NULL)
    return;
  until = g_get_monotonic_time () + (gint64) (g_ascii_strtod (hold, NULL) * G_USEC_PER_SEC);
  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
}

/* astronaut.jpg with X-AnyLabeling's face and helmet, plus a small box in the top-left corner
 * that a rotation about the centre carries out of the image. */
static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autofree char *image_path = testdata ("voc/dialects/astronaut.jpg");
  g_autofree char *label_path = testdata ("voc/dialects/xanylabeling.xml");
  g_autofree char *folder = testdata ("voc/dialects");
  g_autoptr(GError) error = NULL;
  g_autoptr(BmObject) corner = NULL;
  BmShape shape;

  f->image = bm_image_load (image_path, &error);
  g_assert_no_error (error);
  f->annotation = bm_voc_load (label_path, &error);
  g_assert_no_error (error);
  bm_annotation_set_image_path (f->annotation, image_path);
  bm_shape_init_box (&shape, 4, 4, 40, 40);
  corner = bm_object_new ("corner", &shape);
  bm_annotation_add_object (f->annotation, corner);
  f->dataset = bm_dataset_open (folder, FALSE, &error);
  g_assert_no_error (error);
  f->index = bm_dataset_find_image (f->dataset, image_path);
  g_assert_cmpint (f->index, >=, 0);

  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1100, 760);
  f->panel = BM_AUGMENT_PANEL (bm_augment_panel_new ());
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->panel));
  gtk_window_present (GTK_WINDOW (f->window));
  gtk_test_widget_wait_for_draw (f->window);

  bm_augment_panel_set_source (f->panel, f->image, f->annotation, f->dataset, (guint) f->index);
  wait_ready (f);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  iterate ();
  g_clear_pointer (&f->image, bm_image_unref);
  g_clear_object (&f->annotation);
  g_clear_object (&f->dataset);
  if (f->dir != NULL)
    {
      g_autofree char *command = g_strdup_printf ("rm -rf '%s'", f->dir);
      g_assert_cmpint (system (command), ==, 0);
      g_free (f->dir);
    }
}

static void
set_param (Fixture *f, const char *name, double value)
{
  GtkAdjustment *adjustment = bm_augment_panel_get_adjustment (f->panel, name);

  g_assert_nonnull (adjustment);
  gtk_adjustment_set_value (adjustment, value);
}

static const BmAugmentSample *
shown_sample (Fixture *f)
{
  const BmAugmentSample *sample = bm_augment_preview_get_sample (bm_augment_panel_get_preview (f->panel));

  g_assert_nonnull (sample);
  return sample;
}

static void
only_ops (Fixture *f, const BmAugmentOpKind *kinds, guint n)
{
  for (guint k = 0; k < BM_AUGMENT_N_OPS; k++)
    {
      gboolean on = FALSE;

      for (guint i = 0; i < n; i++)
        on = on || kinds[i] == k;
      bm_augment_panel_set_op_enabled (f->panel, k, on);
    }
}

/* Applies what the preview says it applied, one op at a time with the engine's public call, to
 * a fresh sample, and compares every object and its dropped flag. */
static void
assert_sample_is_engines (Fixture *f, const BmAugmentSample *sample, BmAugmentSample *const *others, guint n_others)
{
  g_autoptr(BmAugmentSample) expected = bm_augment_sample_new (f->image, f->annotation, sample->profile);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < sample->applied->len; i++)
    {
      g_assert_true (bm_augment_apply (expected, &g_array_index (sample->applied, BmAugmentOp, i), others, n_others, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (expected->image->width, ==, sample->image->width);
  g_assert_cmpint (expected->image->height, ==, sample->image->height);
  g_assert_cmpmem (expected->image->data, (gsize) expected->image->stride * expected->image->height,
                   sample->image->data, (gsize) sample->image->stride * sample->image->height);
  g_assert_cmpuint (bm_augment_sample_get_n_items (expected), ==, bm_augment_sample_get_n_items (sample));
  for (guint i = 0; i < bm_augment_sample_get_n_items (sample); i++)
    {
      const BmAugmentItem *a = bm_augment_sample_get_item (expected, i);
      const BmAugmentItem *b = bm_augment_sample_get_item (sample, i);
      const BmShape *sa = bm_object_get_shape (a->object), *sb = bm_object_get_shape (b->object);

      g_assert_cmpstr (bm_object_get_label (a->object), ==, bm_object_get_label (b->object));
      g_assert_cmpint (sa->kind, ==, sb->kind);
      for (int p = 0; p < 4; p++)
        {
          g_assert_cmpfloat_with_epsilon (sa->p[p].x, sb->p[p].x, 1e-9);
          g_assert_cmpfloat_with_epsilon (sa->p[p].y, sb->p[p].y, 1e-9);
        }
      g_assert_cmpint (a->dropped, ==, b->dropped);
      g_assert_cmpfloat (a->weight, ==, b->weight);
    }
}

static void
count_cb (guint *counter)
{
  (*counter)++;
}

static const BmAugmentOp *
applied_op (const BmAugmentSample *sample, BmAugmentOpKind kind)
{
  for (guint i = 0; i < sample->applied->len; i++)
    if (g_array_index (sample->applied, BmAugmentOp, i).kind == kind)
      return &g_array_index (sample->applied, BmAugmentOp, i);
  g_error ("the sample has no %s operation", bm_augment_op_kind_to_string (kind));
}

static guint
count_dropped (const BmAugmentSample *sample)
{
  guint n = 0;

  for (guint i = 0; i < bm_augment_sample_get_n_items (sample); i++)
    n += bm_augment_sample_get_item (sample, i)->dropped ? 1 : 0;
  return n;
}

static void
test_rotation_is_engines (Fixture *f, gconstpointer data)
{
  static const BmAugmentOpKind rotate_only[] = { BM_AUGMENT_OP_ROTATE };
  const BmAugmentSample *sample;
  const BmAugmentOp *op;
  double degrees;

  only_ops (f, rotate_only, 1);
  bm_augment_panel_set_seed (f->panel, 7);
  set_param (f, "rotate.degrees", 90);
  wait_ready (f);
  /* a seed whose angle carries the corner box out of the image */
  for (guint64 seed = 7; ; seed++)
    {
      bm_augment_panel_set_seed (f->panel, seed);
      wait_ready (f);
      op = applied_op (shown_sample (f), BM_AUGMENT_OP_ROTATE);
      g_assert_nonnull (op);
      if (fabs (op->rotate.degrees) > 25 && fabs (op->rotate.degrees) < 65)
        break;
    }
  sample = shown_sample (f);
  g_assert_cmpuint (sample->applied->len, ==, 1);
  g_assert_true (sample->profile == bm_augment_profile_get (BM_AUGMENT_FRAMEWORK_ULTRALYTICS));
  assert_sample_is_engines (f, sample, NULL, 0);
  g_assert_cmpuint (count_dropped (sample), >=, 1);
  g_assert_true (bm_augment_sample_get_item (sample, 2)->dropped);     /* the corner box */
  g_assert_false (bm_augment_sample_get_item (sample, 0)->dropped);    /* the face */
  degrees = op->rotate.degrees;

  /* the same seed with half the range: the same draw, half the angle */
  set_param (f, "rotate.degrees", 45);
  wait_ready (f);
  sample = shown_sample (f);
  op = applied_op (sample, BM_AUGMENT_OP_ROTATE);
  g_assert_cmpfloat_with_epsilon (op->rotate.degrees, degrees / 2, 1e-9);
  assert_sample_is_engines (f, sample, NULL, 0);
  g_assert_nonnull (strstr (bm_augment_panel_get_description (f->panel), "rotate degrees="));
}

/* Ticking an operation draws only that one: the others keep the values on screen, so the
 * picture does not jump (issue 12). Shuffle, a new seed, still draws everything anew. */
static void
test_ticking_keeps_others (Fixture *f, gconstpointer data)
{
  static const BmAugmentOpKind ops[] = { BM_AUGMENT_OP_ROTATE, BM_AUGMENT_OP_HSV, BM_AUGMENT_OP_CUTOUT };
  BmAugmentOp rotate, hsv, cutout;
  const BmAugmentSample *sample;

  only_ops (f, ops, G_N_ELEMENTS (ops));
  bm_augment_panel_set_seed (f->panel, 31);
  wait_ready (f);
  sample = shown_sample (f);
  rotate = *applied_op (sample, BM_AUGMENT_OP_ROTATE);
  hsv = *applied_op (sample, BM_AUGMENT_OP_HSV);
  cutout = *applied_op (sample, BM_AUGMENT_OP_CUTOUT);

  /* Scale applies between rotate and the colours: without kept values the draws after it move */
  bm_augment_panel_set_op_enabled (f->panel, BM_AUGMENT_OP_SCALE, TRUE);
  wait_ready (f);
  sample = shown_sample (f);
  g_assert_nonnull (applied_op (sample, BM_AUGMENT_OP_SCALE));
  g_assert_cmpmem (applied_op (sample, BM_AUGMENT_OP_ROTATE), sizeof rotate, &rotate, sizeof rotate);
  g_assert_cmpmem (applied_op (sample, BM_AUGMENT_OP_HSV), sizeof hsv, &hsv, sizeof hsv);
  assert_sample_is_engines (f, sample, NULL, 0);

  /* and off again: still the same values */
  bm_augment_panel_set_op_enabled (f->panel, BM_AUGMENT_OP_SCALE, FALSE);
  wait_ready (f);
  sample = shown_sample (f);
  g_assert_cmpuint (sample->applied->len, ==, 3);
  g_assert_cmpmem (applied_op (sample, BM_AUGMENT_OP_ROTATE), sizeof rotate, &rotate, sizeof rotate);
  g_assert_cmpmem (applied_op (sample, BM_AUGMENT_OP_HSV), sizeof hsv, &hsv, sizeof hsv);
  g_assert_cmpmem (applied_op (sample, BM_AUGMENT_OP_CUTOUT), sizeof cutout, &cutout, sizeof cutout);

  /* a range moved: that operation only */
  set_param (f, "hsv.v", 0.2);
  wait_ready (f);
  sample = shown_sample (f);
  g_assert_cmpmem (applied_op (sample, BM_AUGMENT_OP_ROTATE), sizeof rotate, &rotate, sizeof rotate);
  g_assert_cmpmem (applied_op (sample, BM_AUGMENT_OP_CUTOUT), sizeof cutout, &cutout, sizeof cutout);
  g_assert_cmpfloat (applied_op (sample, BM_AUGMENT_OP_HSV)->hsv.value, !=, hsv.hsv.value);

  /* Shuffle draws all anew */
  gtk_widget_activate_action (GTK_WIDGET (f->panel), "augment.shuffle", NULL);
  wait_ready (f);
  sample = shown_sample (f);
  g_assert_cmpfloat (applied_op (sample, BM_AUGMENT_OP_ROTATE)->rotate.degrees, !=, rotate.rotate.degrees);
  g_assert_cmpfloat (applied_op (sample, BM_AUGMENT_OP_HSV)->hsv.hue, !=, hsv.hsv.hue);
}

/* A slider dragged through many values: only the last one is shown. */
static void
test_stale_results_dropped (Fixture *f, gconstpointer data)
{
  static const BmAugmentOpKind ops[] = { BM_AUGMENT_OP_ROTATE, BM_AUGMENT_OP_EXPAND };
  guint n_ready = 0;
  const BmAugmentSample *sample;
  const BmAugmentOp *rotate, *expand;
  double degrees_at_90;
  gulong id;

  only_ops (f, ops, 2);
  set_param (f, "rotate.degrees", 90);
  set_param (f, "expand.ratio", 2.5);
  wait_ready (f);
  degrees_at_90 = applied_op (shown_sample (f), BM_AUGMENT_OP_ROTATE)->rotate.degrees;

  id = g_signal_connect_swapped (f->panel, "preview-ready", G_CALLBACK (count_cb), &n_ready);
  for (int value = 89; value >= 10; value--)
    {
      set_param (f, "rotate.degrees", value);
      g_main_context_iteration (NULL, FALSE);
    }
  g_assert_true (bm_augment_panel_get_busy (f->panel));
  wait_ready (f);
  g_signal_handler_disconnect (f->panel, id);
  /* fewer previews than slider positions, and the last one for the last position */
  g_assert_cmpuint (n_ready, >=, 1);
  g_assert_cmpuint (n_ready, <, 80);
  sample = shown_sample (f);
  rotate = applied_op (sample, BM_AUGMENT_OP_ROTATE);
  expand = applied_op (sample, BM_AUGMENT_OP_EXPAND);
  g_assert_nonnull (rotate);
  g_assert_nonnull (expand);
  g_assert_cmpfloat_with_epsilon (rotate->rotate.degrees, degrees_at_90 * 10 / 90, 1e-9);
  g_assert_cmpfloat (expand->expand.ratio, >=, 1.0);
  g_assert_cmpfloat (expand->expand.ratio, <=, 2.5);
  g_assert_cmpint (sample->image->width, ==, (int) (f->image->width * expand->expand.ratio));
  assert_sample_is_engines (f, sample, NULL, 0);
}

static void
test_shuffle (Fixture *f, gconstpointer data)
{
  guint64 seed = bm_augment_panel_get_seed (f->panel);
  g_autofree char *before = g_strdup (bm_augment_panel_get_description (f->panel));

  g_assert_nonnull (strstr (before, "rotate degrees="));
  gtk_widget_activate_action (GTK_WIDGET (f->panel), "augment.shuffle", NULL);
  wait_ready (f);
  g_assert_cmpuint (bm_augment_panel_get_seed (f->panel), !=, seed);
  g_assert_cmpstr (bm_augment_panel_get_description (f->panel), !=, before);
  g_assert_nonnull (strstr (bm_augment_panel_get_description (f->panel), "rotate degrees="));

  /* other profiles: the recorded profile follows the drop-down, and boxes are still the engine's */
  for (int fw = 0; fw < BM_AUGMENT_N_FRAMEWORKS; fw++)
    {
      const BmAugmentProfile *profile = bm_augment_profile_get ((BmAugmentFramework) fw);

      bm_augment_panel_set_framework (f->panel, (BmAugmentFramework) fw);
      wait_ready (f);
      g_assert_true (shown_sample (f)->profile == profile);
      g_assert_true (g_str_has_prefix (bm_augment_panel_get_description (f->panel), "profile "));
      g_assert_nonnull (strstr (bm_augment_panel_get_description (f->panel), profile->id));
      assert_sample_is_engines (f, shown_sample (f), NULL, 0);
    }
}

/* An edit on the image's labels shows in the next preview, in the sample and the original. */
static void
test_follows_edits (Fixture *f, gconstpointer data)
{
  BmObject *face = bm_annotation_get_object (f->annotation, 0);
  BmAugmentPreview *preview = bm_augment_panel_get_preview (f->panel);
  BmShape shape;

  bm_shape_init_box (&shape, 100, 100, 200, 220);
  bm_object_set_shape (face, &shape);
  bm_annotation_emit_changed (f->annotation);
  g_assert_true (bm_augment_panel_get_busy (f->panel));
  wait_ready (f);
  assert_sample_is_engines (f, shown_sample (f), NULL, 0);
  g_assert_true (bm_shape_equal (bm_object_get_shape (bm_augment_sample_get_item (bm_augment_preview_get_original (preview), 0)->object),
                                 &shape));
}

/* For a window with only tiles on screen: the panel decodes the image itself. */
static void
test_load_source (Fixture *f, gconstpointer data)
{
  g_autofree char *folder = testdata ("voc/raccoon_labelimg");
  g_autoptr(GError) error = NULL;
  g_autoptr(BmDataset) dataset = bm_dataset_open (folder, FALSE, &error);
  g_autoptr(BmAnnotation) first = NULL;
  g_autoptr(BmAnnotation) second = NULL;
  g_autoptr(BmImage) image = NULL;

  g_assert_no_error (error);
  first = bm_label_load (bm_dataset_get_item (dataset, 5), &error);
  g_assert_no_error (error);
  second = bm_label_load (bm_dataset_get_item (dataset, 6), &error);
  g_assert_no_error (error);
  /* two requests in a row: only the second is shown */
  bm_augment_panel_load_source (f->panel, first, dataset, 5);
  bm_augment_panel_load_source (f->panel, second, dataset, 6);
  g_assert_true (bm_augment_panel_get_busy (f->panel));
  wait_ready (f);
  image = bm_image_load (bm_dataset_get_item (dataset, 6)->image_path, &error);
  g_assert_no_error (error);
  g_clear_pointer (&f->image, bm_image_unref);
  f->image = bm_image_ref (image);
  g_set_object (&f->annotation, second);
  assert_sample_is_engines (f, shown_sample (f), NULL, 0);
  g_assert_cmpint (bm_augment_preview_get_original (bm_augment_panel_get_preview (f->panel))->image->width, ==, image->width);
}

static cairo_surface_t *
render_widget (GtkWidget *widget)
{
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderNode *node;
  cairo_surface_t *surface;
  cairo_t *cr;

  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  gsk_render_node_draw (node, cr);
  cairo_destroy (cr);
  gsk_render_node_unref (node);
  cairo_surface_flush (surface);
  return surface;
}

static guint32
pixel_at (cairo_surface_t *surface, int x, int y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);

  return *(const guint32 *) (data + (gsize) y * cairo_image_surface_get_stride (surface) + (gsize) x * 4);
}

static void
assert_colour (guint32 pixel, const GdkRGBA *colour)
{
  int r = (pixel >> 16) & 0xff, g = (pixel >> 8) & 0xff, b = pixel & 0xff, a = pixel >> 24;

  g_assert_cmpint (a, ==, 255);
  g_assert_cmpint (ABS (r - (int) lround (colour->red * 255)), <=, 2);
  g_assert_cmpint (ABS (g - (int) lround (colour->green * 255)), <=, 2);
  g_assert_cmpint (ABS (b - (int) lround (colour->blue * 255)), <=, 2);
}

static void
test_render_colours (Fixture *f, gconstpointer data)
{
  static const BmAugmentOpKind ops[] = { BM_AUGMENT_OP_ROTATE };
  BmAugmentPreview *preview = bm_augment_panel_get_preview (f->panel);
  cairo_surface_t *surface;
  const BmAugmentSample *sample;
  const BmAugmentItem *face;
  g_autofree char *png = NULL;
  BmRect r;
  GdkRGBA colour;
  double vx, vy, ox, oy;

  only_ops (f, ops, 1);
  set_param (f, "rotate.degrees", 10);
  wait_ready (f);
  f->dir = g_dir_make_tmp ("bm-augment-panel-XXXXXX", NULL);
  png = g_build_filename (f->dir, "preview.png", NULL);

  sample = shown_sample (f);
  face = bm_augment_sample_get_item (sample, 0);
  g_assert_cmpstr (bm_object_get_label (face->object), ==, "face");
  g_assert_false (face->dropped);
  r = bm_shape_bounds (bm_object_get_shape (face->object));
  /* the class order the window would pass: face is the third class, so the third colour (a
   * fresh session: a label already drawn keeps the colour it was drawn in) */
  bm_class_colour_set_order (NULL, 0);
  bm_class_colour_set_order ((const char *const[]) { "person", "dog", "face" }, 3);
  bm_class_colour_for_label ("face", &colour);
  {
    GdkRGBA third;

    bm_class_colour_get_palette (2, &third);
    g_assert_true (gdk_rgba_equal (&colour, &third));
  }

  surface = render_widget (GTK_WIDGET (preview));
  g_assert_cmpint (cairo_surface_write_to_png (surface, png), ==, CAIRO_STATUS_SUCCESS);
  /* the middle of the bottom and left edges (captions sit on the top edge) */
  g_assert_true (bm_augment_preview_image_to_view (preview, FALSE, (r.x1 + r.x2) / 2, r.y2, &vx, &vy));
  assert_colour (pixel_at (surface, (int) floor (vx), (int) floor (vy)), &colour);
  g_assert_true (bm_augment_preview_image_to_view (preview, FALSE, r.x1, (r.y1 + r.y2) / 2, &vx, &vy));
  assert_colour (pixel_at (surface, (int) floor (vx), (int) floor (vy)), &colour);
  g_assert_false (bm_augment_preview_image_to_view (preview, TRUE, 0, 0, &ox, &oy));
  cairo_surface_destroy (surface);

  /* side by side: the original on the left with the original face box */
  bm_augment_preview_set_mode (preview, BM_AUGMENT_PREVIEW_SIDE_BY_SIDE);
  g_assert_true (bm_augment_preview_image_to_view (preview, TRUE, 232, 153, &ox, &oy));
  g_assert_true (bm_augment_preview_image_to_view (preview, FALSE, 0, 0, &vx, &vy));
  g_assert_cmpfloat (ox, <, gtk_widget_get_width (GTK_WIDGET (preview)) / 2.0);
  g_assert_cmpfloat (vx, >=, gtk_widget_get_width (GTK_WIDGET (preview)) / 2.0);
  surface = render_widget (GTK_WIDGET (preview));
  assert_colour (pixel_at (surface, (int) floor (ox), (int) floor (oy)), &colour);
  cairo_surface_destroy (surface);
  bm_augment_preview_set_mode (preview, BM_AUGMENT_PREVIEW_SAMPLE);
  bm_class_colour_set_order (NULL, 0);
}

/* A sample larger than any one texture: drawn from a downscaled copy, then sharper on zoom. */
static void
test_large_image (Fixture *f, gconstpointer data)
{
  static const BmAugmentOpKind ops[] = { BM_AUGMENT_OP_ROTATE };
  BmAugmentPreview *preview = bm_augment_panel_get_preview (f->panel);
  g_autoptr(BmImage) image = bm_image_new (9000, 3000, 3);
  g_autoptr(BmAnnotation) annotation = bm_annotation_new ();
  g_autoptr(BmObject) object = NULL;
  cairo_surface_t *surface;
  double fitted_scale;
  BmShape shape;

  for (int y = 0; y < image->height; y++)
    memset (image->data + (gsize) y * image->stride, (y / 100) % 2 ? 200 : 60, (gsize) image->width * 3);
  bm_shape_init_box (&shape, 3000, 1000, 6000, 2000);
  object = bm_object_new ("face", &shape);
  bm_annotation_add_object (annotation, object);
  g_clear_pointer (&f->image, bm_image_unref);
  f->image = bm_image_ref (image);
  g_set_object (&f->annotation, annotation);

  only_ops (f, ops, 1);
  set_param (f, "rotate.degrees", 5);
  bm_augment_panel_set_source (f->panel, image, annotation, NULL, 0);
  wait_ready (f);
  g_assert_cmpint (shown_sample (f)->image->width, ==, 9000);
  assert_sample_is_engines (f, shown_sample (f), NULL, 0);
  fitted_scale = bm_augment_preview_get_display_scale (preview, FALSE);
  g_assert_cmpfloat (fitted_scale, <, 0.5);
  g_assert_cmpfloat (fitted_scale * 9000, >=, gtk_widget_get_width (GTK_WIDGET (preview)));

  bm_augment_preview_set_zoom (preview, 8);
  while (bm_augment_preview_get_display_scale (preview, FALSE) == fitted_scale)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpfloat (bm_augment_preview_get_display_scale (preview, FALSE), ==, 0.5);
  surface = render_widget (GTK_WIDGET (preview));
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
}

/* Mixup with another image of the raccoon folder, chosen by the seed and then by hand. */
static void
test_mixup_partner (Fixture *f, gconstpointer data)
{
  static const BmAugmentOpKind ops[] = { BM_AUGMENT_OP_MIXUP };
  g_autofree char *folder = testdata ("voc/raccoon_labelimg");
  g_autoptr(GError) error = NULL;
  g_autoptr(BmDataset) dataset = bm_dataset_open (folder, FALSE, &error);
  g_autoptr(BmAnnotation) annotation = NULL;
  g_autoptr(BmImage) image = NULL;
  g_autoptr(BmAnnotation) partner_labels = NULL;
  g_autoptr(BmImage) partner_image = NULL;
  g_autoptr(BmAugmentSample) partner = NULL;
  const BmAugmentSample *sample;
  const BmAugmentOp *op;
  guint own;

  g_assert_no_error (error);
  g_assert_cmpuint (bm_dataset_get_n_items (dataset), >, 3);
  annotation = bm_label_load (bm_dataset_get_item (dataset, 0), &error);
  g_assert_no_error (error);
  image = bm_image_load (bm_dataset_get_item (dataset, 0)->image_path, &error);
  g_assert_no_error (error);
  g_clear_pointer (&f->image, bm_image_unref);
  g_set_object (&f->annotation, annotation);
  f->image = bm_image_ref (image);
  own = bm_annotation_get_n_objects (annotation);

  bm_augment_panel_set_framework (f->panel, BM_AUGMENT_FRAMEWORK_PADDLE);
  only_ops (f, ops, 1);
  bm_augment_panel_set_source (f->panel, image, annotation, dataset, 0);
  wait_ready (f);
  sample = shown_sample (f);
  op = applied_op (sample, BM_AUGMENT_OP_MIXUP);
  g_assert_nonnull (op);
  g_assert_cmpuint (bm_augment_sample_get_n_items (sample), >, own);
  /* Paddle: weights λ for the image's boxes, 1 - λ for the partner's */
  g_assert_cmpfloat_with_epsilon (bm_augment_sample_get_item (sample, 0)->weight, op->mixup.lambda, 1e-12);
  g_assert_cmpfloat_with_epsilon (bm_augment_sample_get_item (sample, own)->weight, 1 - op->mixup.lambda, 1e-12);

  /* a partner chosen by hand: the result is the engine's with that image */
  bm_augment_panel_set_partner (f->panel, 3);
  wait_ready (f);
  partner_labels = bm_label_load (bm_dataset_get_item (dataset, 3), &error);
  g_assert_no_error (error);
  partner_image = bm_image_load (bm_dataset_get_item (dataset, 3)->image_path, &error);
  g_assert_no_error (error);
  partner = bm_augment_sample_new (partner_image, partner_labels, bm_augment_profile_get (BM_AUGMENT_FRAMEWORK_PADDLE));
  sample = shown_sample (f);
  g_assert_cmpuint (bm_augment_sample_get_n_items (sample), ==, own + bm_annotation_get_n_objects (partner_labels));
  assert_sample_is_engines (f, sample, &partner, 1);
}

static void
export_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GError **error = user_data;
  guint n = bm_augment_panel_export_finish (BM_AUGMENT_PANEL (object), result, error);

  g_object_set_data (object, "exported", GUINT_TO_POINTER (n + 1));
}

static guint
panel_export_and_wait (BmAugmentPanel *panel, const char *dir, BmExportTarget format, guint n, GError **error)
{
  g_object_set_data (G_OBJECT (panel), "exported", NULL);
  bm_augment_panel_export_async (panel, dir, format, n, NULL, export_done_cb, error);
  while (g_object_get_data (G_OBJECT (panel), "exported") == NULL)
    g_main_context_iteration (NULL, TRUE);
  return GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (panel), "exported")) - 1;
}

static guint
export_and_wait (Fixture *f, const char *dir, BmExportTarget format, guint n, GError **error)
{
  return panel_export_and_wait (f->panel, dir, format, n, error);
}

static GtkWidget *
find_file_chooser (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return GTK_WIDGET (window);
    }
  return NULL;
}

/* The Export… button: a folder chooser, then the samples in that folder. */
static void
test_export_button (Fixture *f, gconstpointer data)
{
  g_autoptr(GFile) folder = NULL;
  g_autofree char *label = NULL;
  GtkWidget *chooser;

  f->dir = g_dir_make_tmp ("bm-augment-panel-XXXXXX", NULL);
  folder = g_file_new_for_path (f->dir);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->panel), "augment.export", NULL));
  while ((chooser = find_file_chooser ()) == NULL)
    g_main_context_iteration (NULL, TRUE);
  /* the chooser loads folders asynchronously: answer once it reports ours */
  g_assert_true (gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL));
  for (;;)
    {
      g_autoptr(GFile) chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (chosen != NULL && g_file_equal (chosen, folder))
        break;
      g_main_context_iteration (NULL, TRUE);
    }
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  label = g_build_filename (f->dir, "Annotations", "astronaut_aug7.xml", NULL);
  while (!g_file_test (label, G_FILE_TEST_EXISTS) || find_file_chooser () != NULL)
    g_main_context_iteration (NULL, TRUE);
  /* the default count is 8 */
  for (guint k = 0; k < 8; k++)
    {
      g_autofree char *name = g_strdup_printf ("astronaut_aug%u.augment.txt", k);
      g_autofree char *path = g_build_filename (f->dir, "augment", name, NULL);

      while (!g_file_test (path, G_FILE_TEST_EXISTS))
        g_main_context_iteration (NULL, TRUE);
    }
}

static void
test_export (Fixture *f, gconstpointer data)
{
  static const BmAugmentOpKind ops[] = { BM_AUGMENT_OP_ROTATE, BM_AUGMENT_OP_EXPAND };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *label0 = NULL;
  g_autofree char *sidecar0 = NULL;
  g_autofree char *sidecar_text = NULL;
  g_autofree char *yolo_out = NULL;
  g_autoptr(BmAnnotation) written = NULL;
  const BmAugmentSample *sample;
  guint kept = 0;

  only_ops (f, ops, 2);
  set_param (f, "rotate.degrees", 40);
  wait_ready (f);
  sample = shown_sample (f);
  f->dir = g_dir_make_tmp ("bm-augment-panel-XXXXXX", NULL);
  out = g_build_filename (f->dir, "voc", NULL);

  g_assert_cmpuint (export_and_wait (f, out, BM_EXPORT_TARGET_VOC, 3, &error), ==, 3);
  g_assert_no_error (error);
  for (guint k = 0; k < 3; k++)
    {
      g_autofree char *name = g_strdup_printf ("astronaut_aug%u.jpg", k);
      g_autofree char *path = g_build_filename (out, "JPEGImages", name, NULL);

      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    }
  /* sample 0 is the preview: same objects, same description */
  label0 = g_build_filename (out, "Annotations", "astronaut_aug0.xml", NULL);
  written = bm_voc_load (label0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < bm_augment_sample_get_n_items (sample); i++)
    kept += bm_augment_sample_get_item (sample, i)->dropped ? 0 : 1;
  g_assert_cmpuint (bm_annotation_get_n_objects (written), ==, kept);
  g_assert_cmpint (bm_annotation_get_width (written), ==, sample->image->width);
  sidecar0 = g_build_filename (out, "augment", "astronaut_aug0.augment.txt", NULL);
  g_assert_true (g_file_get_contents (sidecar0, &sidecar_text, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (sidecar_text, bm_augment_panel_get_description (f->panel)));

  /* never replaces: a second export into the same folder writes nothing */
  g_assert_cmpuint (export_and_wait (f, out, BM_EXPORT_TARGET_VOC, 3, &error), ==, 0);
  g_assert_error (error, BM_ERROR, BM_ERROR_IO);
  g_clear_error (&error);

  /* YOLO: classes from the labels, sorted */
  yolo_out = g_build_filename (f->dir, "yolo", NULL);
  g_assert_cmpuint (export_and_wait (f, yolo_out, BM_EXPORT_TARGET_YOLO, 2, &error), ==, 2);
  g_assert_no_error (error);
  {
    g_autofree char *classes = g_build_filename (yolo_out, "classes.txt", NULL);
    g_autofree char *text = NULL;

    g_assert_true (g_file_get_contents (classes, &text, NULL, &error));
    g_assert_cmpstr (text, ==, "corner\nface\nhelmet\n");
  }
}

/* ---- parity with boxmark-cli augment ---- */

/* Relative paths of every file below @root, sorted. */

/* Runs `boxmark-cli augment ARGS… --out OUT IMAGE` and asserts it succeeded. */
static void
run_cli_augment (const char *out, const char *image, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *cli = g_build_filename (g_getenv ("BM_BUILD_ROOT"), "app", "boxmark-cli", NULL);
  g_autofree char *stdout_text = NULL, *stderr_text = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  int status;
  va_list args;

  g_ptr_array_add (argv, cli);
  g_ptr_array_add (argv, (gpointer) "augment");
  va_start (args, image);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, (gpointer) "--out");
  g_ptr_array_add (argv, (gpointer) out);
  g_ptr_array_add (argv, (gpointer) image);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &stdout_text, &stderr_text, &status, &error));
  g_assert_no_error (error);
  g_test_message ("stdout: %s", stdout_text);
  g_test_message ("stderr: %s", stderr_text);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);
}

/* The files under @panel_dir and @cli_dir: the same names, byte for byte the same. */
static void
assert_same_tree (const char *panel_dir, const char *cli_dir, guint n_expected)
{
  g_autoptr(GPtrArray) panel_files = bm_test_list_files (panel_dir);
  g_autoptr(GPtrArray) cli_files = bm_test_list_files (cli_dir);

  g_assert_cmpuint (panel_files->len, ==, n_expected);
  g_assert_cmpuint (panel_files->len, ==, cli_files->len);
  for (guint i = 0; i < panel_files->len; i++)
    {
      g_autofree char *a = g_build_filename (panel_dir, panel_files->pdata[i], NULL);
      g_autofree char *b = g_build_filename (cli_dir, cli_files->pdata[i], NULL);
      g_autofree char *data_a = NULL, *data_b = NULL;
      gsize length_a = 0, length_b = 0;

      g_test_message ("comparing %s", (char *) panel_files->pdata[i]);
      g_assert_cmpstr (panel_files->pdata[i], ==, cli_files->pdata[i]);
      g_assert_true (g_file_get_contents (a, &data_a, &length_a, NULL));
      g_assert_true (g_file_get_contents (b, &data_b, &length_b, NULL));
      if (length_a != length_b || memcmp (data_a, data_b, length_a) != 0)
        g_test_message ("panel:\n%.*s\ncli:\n%.*s", (int) MIN (length_a, 4000), data_a, (int) MIN (length_b, 4000), data_b);
      g_assert_cmpmem (data_a, length_a, data_b, length_b);
    }
}

static gboolean
find_label_prefixed (GtkWidget *widget, const char *prefix)
{
  if (GTK_IS_LABEL (widget) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (widget)), prefix))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (find_label_prefixed (child, prefix))
      return TRUE;
  return FALSE;
}

/* Export… with @dir chosen in the folder chooser; returns when the status says it is done. */
static void
export_with_button (Fixture *f, const char *dir)
{
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  GtkWidget *chooser;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->panel), "augment.export", NULL));
  while ((chooser = find_file_chooser ()) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL));
  for (;;)
    {
      g_autoptr(GFile) chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (chosen != NULL && g_file_equal (chosen, folder))
        break;
      g_main_context_iteration (NULL, TRUE);
    }
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  while (!find_label_prefixed (GTK_WIDGET (f->panel), "Wrote ") && !find_label_prefixed (GTK_WIDGET (f->panel), "Export failed"))
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (find_label_prefixed (GTK_WIDGET (f->panel), "Wrote "));
}

/* A raccoon image in its folder (images/ + annotations/), opened recursively as the window and
 * `boxmark-cli augment IMAGE` open it. */
static void
use_raccoon (Fixture *f, const char *name)
{
  g_autofree char *relative = g_build_filename ("voc", "raccoon_labelimg", "images", name, NULL);
  g_autofree char *path = testdata (relative);
  g_autofree char *canonical = g_canonicalize_filename (path, NULL);
  g_autofree char *folder = testdata ("voc/raccoon_labelimg");
  g_autofree char *canonical_folder = g_canonicalize_filename (folder, NULL);
  g_autoptr(GError) error = NULL;

  g_clear_object (&f->dataset);
  f->dataset = bm_dataset_open (canonical_folder, TRUE, &error);
  g_assert_no_error (error);
  f->index = bm_dataset_find_image (f->dataset, canonical);
  g_assert_cmpint (f->index, >=, 0);
  g_assert_true (bm_dataset_get_item (f->dataset, (guint) f->index)->has_label);
  g_clear_object (&f->annotation);
  f->annotation = bm_label_load (bm_dataset_get_item (f->dataset, (guint) f->index), &error);
  g_assert_no_error (error);
  g_clear_pointer (&f->image, bm_image_unref);
  f->image = bm_image_load (canonical, &error);
  g_assert_no_error (error);
  bm_augment_panel_set_source (f->panel, f->image, f->annotation, f->dataset, (guint) f->index);
  wait_ready (f);
}

/* Export from the panel, then boxmark-cli augment on the same image, operations, profile and
 * seed into the same folder name (VOC and data.yaml hold absolute paths): every file the same,
 * byte for byte, and the preview is sample 0. */
static void
test_export_matches_cli (Fixture *f, gconstpointer data)
{
  static const BmAugmentOpKind voc_ops[] = { BM_AUGMENT_OP_MOSAIC, BM_AUGMENT_OP_ROTATE, BM_AUGMENT_OP_EXPAND,
                                             BM_AUGMENT_OP_MIXUP, BM_AUGMENT_OP_HSV, BM_AUGMENT_OP_HFLIP };
  static const BmAugmentOpKind other_ops[] = { BM_AUGMENT_OP_ROTATE, BM_AUGMENT_OP_SCALE, BM_AUGMENT_OP_MIXUP,
                                               BM_AUGMENT_OP_CUTOUT, BM_AUGMENT_OP_BRIGHTNESS };
  static const struct
  {
    BmExportTarget format;
    const char *to;
    BmAugmentFramework framework;
    const char *profile;
  } runs[] = {
    { BM_EXPORT_TARGET_YOLO, "yolo", BM_AUGMENT_FRAMEWORK_PADDLE, "paddle" },
    { BM_EXPORT_TARGET_DOTA, "dota", BM_AUGMENT_FRAMEWORK_MMDETECTION, "mmdetection" },
    { BM_EXPORT_TARGET_YOLO_OBB, "yolo-obb", BM_AUGMENT_FRAMEWORK_ALBUMENTATIONS, "albumentations" },
  };
  g_autofree char *image = testdata ("voc/raccoon_labelimg/images/raccoon-2.jpg");
  g_autofree char *out = NULL, *panel_out = NULL, *sidecar = NULL, *sidecar_text = NULL, *ops = NULL;
  g_autoptr(GError) error = NULL;

  if (g_getenv ("BM_BUILD_ROOT") == NULL)
    {
      g_test_skip ("BM_BUILD_ROOT is not set: no boxmark-cli to compare with");
      return;
    }
  f->dir = g_dir_make_tmp ("bm-augment-parity-XXXXXX", NULL);
  use_raccoon (f, "raccoon-2.jpg");

  /* VOC through the Export… button: the default count (8), Ultralytics, mosaic and mixup */
  only_ops (f, voc_ops, G_N_ELEMENTS (voc_ops));
  set_param (f, "rotate.degrees", 25);
  set_param (f, "expand.ratio", 2);
  bm_augment_panel_set_seed (f->panel, 4242);
  wait_ready (f);
  ops = bm_augment_panel_dup_cli_ops (f->panel);
  g_assert_cmpstr (ops, ==, "mosaic:size=640;rotate:deg=-25..25;expand:ratio=1..2;mixup:size=640;"
                            "hsv:h=-0.015..0.015,s=-0.7..0.7,v=-0.4..0.4;hflip");
  out = g_build_filename (f->dir, "voc", NULL);
  panel_out = g_build_filename (f->dir, "voc.panel", NULL);
  g_assert_cmpint (g_mkdir (out, 0755), ==, 0);
  export_with_button (f, out);
  g_assert_cmpint (g_rename (out, panel_out), ==, 0);
  run_cli_augment (out, image, "--seed", "4242", "-n", "8", "--to", "voc", "--ops", ops, NULL);
  assert_same_tree (panel_out, out, 8 * 3);
  /* the preview is the CLI's sample 0, and its partners come from the folder */
  sidecar = g_build_filename (out, "augment", "raccoon-2_aug0.augment.txt", NULL);
  g_assert_true (g_file_get_contents (sidecar, &sidecar_text, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (sidecar_text, bm_augment_panel_get_description (f->panel)));
  g_assert_nonnull (strstr (sidecar_text, "# other 3: "));
  g_assert_nonnull (strstr (sidecar_text, "\nmosaic "));

  /* the other layouts and profiles, through the panel's export call */
  only_ops (f, other_ops, G_N_ELEMENTS (other_ops));
  set_param (f, "rotate.degrees", 40);
  set_param (f, "rotate.scale", 0.15);
  set_param (f, "scale.range", 0.5);
  /* 1 - 0.07 is not the double nearest 0.93: the CLI must read the panel's number */
  set_param (f, "brightness.factor", 0.07);
  g_clear_pointer (&ops, g_free);
  ops = bm_augment_panel_dup_cli_ops (f->panel);
  g_assert_nonnull (strstr (ops, "brightness:factor=0.9299999999999999..1.07"));
  for (guint r = 0; r < G_N_ELEMENTS (runs); r++)
    {
      g_autofree char *run_out = g_build_filename (f->dir, runs[r].to, NULL);
      g_autofree char *run_panel = g_strconcat (run_out, ".panel", NULL);
      gboolean yolo = runs[r].format != BM_EXPORT_TARGET_DOTA;

      bm_augment_panel_set_framework (f->panel, runs[r].framework);
      bm_augment_panel_set_seed (f->panel, 17 + r);
      wait_ready (f);
      g_assert_cmpuint (export_and_wait (f, run_out, runs[r].format, 3, &error), ==, 3);
      g_assert_no_error (error);
      g_assert_cmpint (g_rename (run_out, run_panel), ==, 0);
      {
        g_autofree char *seed = g_strdup_printf ("%u", 17 + r);

        run_cli_augment (run_out, image, "--seed", seed, "-n", "3", "--to", runs[r].to, "--profile", runs[r].profile,
                         "--ops", ops, NULL);
      }
      assert_same_tree (run_panel, run_out, 3 * 3 + (yolo ? 2 : 0));
    }
}

/* Only with BM_AUGUI_HOLD: a window worth a screenshot (rotation, expand and mixup, side by side). */
static void
test_screenshot (Fixture *f, gconstpointer data)
{
  static const BmAugmentOpKind ops[] = { BM_AUGMENT_OP_ROTATE, BM_AUGMENT_OP_EXPAND, BM_AUGMENT_OP_MIXUP };
  g_autofree char *folder = testdata ("voc/raccoon_labelimg");
  g_autoptr(BmDataset) dataset = bm_dataset_open (folder, FALSE, NULL);
  g_autoptr(BmAnnotation) annotation = bm_label_load (bm_dataset_get_item (dataset, 1), NULL);
  g_autoptr(BmImage) image = bm_image_load (bm_dataset_get_item (dataset, 1)->image_path, NULL);
  const char *mode = g_getenv ("BM_AUGUI_MODE");

  if (mode != NULL && g_str_equal (mode, "dropped"))
    {
      /* astronaut with the corner box carried out of the image */
      test_rotation_is_engines (f, NULL);
      bm_augment_preview_set_mode (bm_augment_panel_get_preview (f->panel), BM_AUGMENT_PREVIEW_SIDE_BY_SIDE);
      wait_ready (f);
      hold_if_asked ();
      return;
    }
  only_ops (f, ops, 3);
  set_param (f, "expand.ratio", 1.6);
  bm_augment_panel_set_framework (f->panel, BM_AUGMENT_FRAMEWORK_PADDLE);
  bm_augment_panel_set_source (f->panel, image, annotation, dataset, 1);
  bm_augment_preview_set_mode (bm_augment_panel_get_preview (f->panel),
                               mode && g_str_equal (mode, "sample") ? BM_AUGMENT_PREVIEW_SAMPLE : BM_AUGMENT_PREVIEW_SIDE_BY_SIDE);
  bm_augment_panel_set_seed (f->panel, 12);
  wait_ready (f);
  hold_if_asked ();
}

static BmAugmentPanel *
find_augment_panel (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);
      GtkWidget *child = gtk_window_get_child (window);

      if (BM_IS_AUGMENT_PANEL (child) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return BM_AUGMENT_PANEL (child);
    }
  return NULL;
}

static void
wait_window (BmWindow *window)
{
  while (bm_window_is_busy (window))
    g_main_context_iteration (NULL, TRUE);
  iterate ();
}

static void
wait_panel (BmAugmentPanel *panel)
{
  while (bm_augment_panel_get_busy (panel))
    g_main_context_iteration (NULL, TRUE);
  iterate ();
}

/* Ctrl+G in the window: the preview shows the window's current image and follows it. */
static void
test_window_integration (void)
{
  g_autofree char *image = testdata ("voc/raccoon_labelimg/images/raccoon-2.jpg");
  BmWindow *window = bm_window_new (NULL);
  BmAugmentPanel *panel;
  const BmAugmentSample *original;
  int first;

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  bm_window_open_path (window, image);
  wait_window (window);
  first = bm_window_get_current_index (window);
  g_assert_cmpint (first, >=, 0);
  g_assert_null (find_augment_panel ());

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.augment-preview", NULL));
  panel = find_augment_panel ();
  g_assert_nonnull (panel);
  wait_panel (panel);
  original = bm_augment_preview_get_original (bm_augment_panel_get_preview (panel));
  g_assert_nonnull (original);
  g_assert_cmpuint (bm_augment_sample_get_n_items (original), ==,
                    bm_annotation_get_n_objects (bm_window_get_annotation (window)));
  g_assert_cmpint (original->image->width, ==, bm_annotation_get_width (bm_window_get_annotation (window)));

  /* the next image */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.next", NULL);
  wait_window (window);
  g_assert_cmpint (bm_window_get_current_index (window), !=, first);
  wait_panel (panel);
  original = bm_augment_preview_get_original (bm_augment_panel_get_preview (panel));
  g_assert_cmpint (original->image->width, ==, bm_annotation_get_width (bm_window_get_annotation (window)));
  g_assert_cmpint (original->image->height, ==, bm_annotation_get_height (bm_window_get_annotation (window)));

  /* Ctrl+G again hides it */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.augment-preview", NULL);
  g_assert_null (find_augment_panel ());
  gtk_window_destroy (GTK_WINDOW (window));
  iterate ();
}

static const char tiny_voc[] =
  "<annotation>\n\t<filename>%s</filename>\n\t<size>\n\t\t<width>64</width>\n\t\t<height>48</height>\n"
  "\t\t<depth>3</depth>\n\t</size>\n\t<object>\n\t\t<name>thing</name>\n\t\t<bndbox>\n\t\t\t<xmin>4</xmin>\n"
  "\t\t\t<ymin>6</ymin>\n\t\t\t<xmax>40</xmax>\n\t\t\t<ymax>30</ymax>\n\t\t</bndbox>\n\t</object>\n</annotation>\n";

/* a.png and b.png with VOC files, c.png without: three 64 × 48 images of different greys. */
static char *
make_small_folder (const char *dir)
{
  char *folder = g_build_filename (dir, "set", NULL);

  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(BmImage) image = bm_image_new (64, 48, 3);
      g_autofree char *name = g_strdup_printf ("%c.png", 'a' + i);
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_autoptr(GError) error = NULL;

      memset (image->data, 60 + 70 * (int) i, (gsize) image->stride * (gsize) image->height);
      g_assert_true (bm_image_save (image, path, 90, &error));
      g_assert_no_error (error);
      if (i < 2)
        {
          g_autofree char *xml_name = g_strdup_printf ("%c.xml", 'a' + i);
          g_autofree char *xml = g_build_filename (folder, xml_name, NULL);
          g_autofree char *text = g_strdup_printf (tiny_voc, name);

          g_assert_true (g_file_set_contents (xml, text, -1, &error));
          g_assert_no_error (error);
        }
    }
  return folder;
}

static void
go_to_index (BmWindow *window, BmAugmentPanel *panel, const char *action, int expected)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), action, NULL));
  wait_window (window);
  g_assert_cmpint (bm_window_get_current_index (window), ==, expected);
  wait_panel (panel);
}

/* The partner pool is built once for the folder, not per image, and a label file the window
 * saves after the folder was opened (the dataset item still says unlabelled) joins it: a
 * partner candidate for the other images, and the source's labels when that image is exported;
 * the export still matches `boxmark-cli augment`, which reads the folder afresh. */
static void
test_saved_label_joins_pool (void)
{
  g_autofree char *dir = NULL, *folder = NULL, *a_png = NULL, *c_xml = NULL, *c_canonical = NULL;
  g_autofree char *c_out = NULL, *c_sidecar = NULL, *c_text = NULL, *out = NULL, *panel_out = NULL, *ops = NULL;
  g_autofree char *command = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BmObject) object = NULL;
  BmWindow *window;
  BmAugmentPanel *panel;
  BmDataset *dataset;
  BmShape shape;
  gboolean c_is_partner = FALSE;

  if (g_getenv ("BM_BUILD_ROOT") == NULL)
    {
      g_test_skip ("BM_BUILD_ROOT is not set: no boxmark-cli to compare with");
      return;
    }
  dir = g_dir_make_tmp ("bm-augment-pool-XXXXXX", NULL);
  folder = make_small_folder (dir);
  a_png = g_build_filename (folder, "a.png", NULL);
  c_xml = g_build_filename (folder, "c.xml", NULL);

  window = bm_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  bm_window_open_path (window, folder);
  wait_window (window);
  g_assert_cmpint (bm_window_get_current_index (window), ==, 0);
  dataset = bm_window_get_dataset (window);
  g_assert_cmpuint (bm_dataset_get_n_items (dataset), ==, 3);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.augment-preview", NULL));
  panel = find_augment_panel ();
  g_assert_nonnull (panel);
  wait_panel (panel);
  g_assert_cmpuint (bm_augment_panel_get_n_pool_builds (panel), ==, 0);   /* no partner wanted yet */
  bm_augment_panel_set_op_enabled (panel, BM_AUGMENT_OP_MIXUP, TRUE);
  wait_panel (panel);
  g_assert_cmpuint (bm_augment_panel_get_n_pool_builds (panel), ==, 1);

  /* D, D: other images, the same pool */
  go_to_index (window, panel, "win.next", 1);
  go_to_index (window, panel, "win.next", 2);
  g_assert_cmpuint (bm_augment_panel_get_n_pool_builds (panel), ==, 1);
  g_assert_nonnull (bm_augment_preview_get_sample (bm_augment_panel_get_preview (panel)));

  /* c gets its first label file, written by the window */
  while (bm_canvas_get_image (bm_window_get_canvas (window)) == NULL)   /* saving needs it on screen */
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (g_file_test (c_xml, G_FILE_TEST_EXISTS));
  bm_shape_init_box (&shape, 10, 10, 50, 40);
  object = bm_object_new ("late", &shape);
  bm_annotation_add_object (bm_window_get_annotation (window), object);
  /* V: marking it verified saves it at once */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-verified", NULL));
  wait_window (window);
  wait_panel (panel);
  g_assert_true (g_file_test (c_xml, G_FILE_TEST_IS_REGULAR));
  g_assert_false (bm_dataset_get_item (dataset, 2)->has_label);

  /* exported from c, its new label file is the source's */
  c_out = g_build_filename (dir, "c-out", NULL);
  g_assert_cmpuint (panel_export_and_wait (panel, c_out, BM_EXPORT_TARGET_VOC, 1, &error), ==, 1);
  g_assert_no_error (error);
  c_sidecar = g_build_filename (c_out, "augment", "c_aug0.augment.txt", NULL);
  g_assert_true (g_file_get_contents (c_sidecar, &c_text, NULL, &error));
  g_assert_no_error (error);
  c_canonical = g_canonicalize_filename (c_xml, NULL);
  g_assert_nonnull (strstr (c_text, "# source labels: "));
  g_assert_nonnull (strstr (c_text, c_canonical));

  /* back on a: c is now a partner candidate, drawn as the CLI draws it from the folder */
  go_to_index (window, panel, "win.first", 0);
  g_assert_cmpuint (bm_augment_panel_get_n_pool_builds (panel), ==, 1);
  bm_augment_panel_set_seed (panel, 99);
  wait_panel (panel);
  ops = bm_augment_panel_dup_cli_ops (panel);
  out = g_build_filename (dir, "a-out", NULL);
  panel_out = g_build_filename (dir, "a-out.panel", NULL);
  /* the same folder name for both (VOC files hold absolute paths) */
  g_assert_cmpuint (panel_export_and_wait (panel, out, BM_EXPORT_TARGET_VOC, 8, &error), ==, 8);
  g_assert_no_error (error);
  g_assert_cmpint (g_rename (out, panel_out), ==, 0);
  run_cli_augment (out, a_png, "--seed", "99", "-n", "8", "--to", "voc", "--ops", ops, NULL);
  assert_same_tree (panel_out, out, 8 * 3);
  for (guint k = 0; k < 8; k++)
    {
      g_autofree char *name = g_strdup_printf ("a_aug%u.augment.txt", k);
      g_autofree char *path = g_build_filename (panel_out, "augment", name, NULL);
      g_autofree char *text = NULL;

      g_assert_true (g_file_get_contents (path, &text, NULL, &error));
      g_assert_no_error (error);
      c_is_partner = c_is_partner || strstr (text, c_canonical) != NULL;
    }
  g_assert_true (c_is_partner);
  g_assert_cmpuint (bm_augment_panel_get_n_pool_builds (panel), ==, 1);

  /* A batch run (pre-annotation to the end) rewrote label files: the pool is read again. */
  bm_augment_panel_labels_rewritten (panel);
  wait_panel (panel);
  g_assert_cmpuint (bm_augment_panel_get_n_pool_builds (panel), ==, 2);

  gtk_window_destroy (GTK_WINDOW (window));
  iterate ();
  command = g_strdup_printf ("rm -rf '%s'", dir);
  g_assert_cmpint (system (command), ==, 0);
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
      return 0;   /* TAP: the plan above is the skip */
    }

  g_test_add ("/augment-panel/rotation-is-engines", Fixture, NULL, fixture_set_up, test_rotation_is_engines, fixture_tear_down);
  g_test_add ("/augment-panel/stale-results-dropped", Fixture, NULL, fixture_set_up, test_stale_results_dropped, fixture_tear_down);
  g_test_add ("/augment-panel/shuffle", Fixture, NULL, fixture_set_up, test_shuffle, fixture_tear_down);
  g_test_add ("/augment-panel/follows-edits", Fixture, NULL, fixture_set_up, test_follows_edits, fixture_tear_down);
  g_test_add ("/augment-panel/load-source", Fixture, NULL, fixture_set_up, test_load_source, fixture_tear_down);
  g_test_add ("/augment-panel/render-colours", Fixture, NULL, fixture_set_up, test_render_colours, fixture_tear_down);
  g_test_add ("/augment-panel/large-image", Fixture, NULL, fixture_set_up, test_large_image, fixture_tear_down);
  g_test_add ("/augment-panel/mixup-partner", Fixture, NULL, fixture_set_up, test_mixup_partner, fixture_tear_down);
  g_test_add ("/augment-panel/export-button", Fixture, NULL, fixture_set_up, test_export_button, fixture_tear_down);
  g_test_add ("/augment-panel/export", Fixture, NULL, fixture_set_up, test_export, fixture_tear_down);
  g_test_add ("/augment-panel/export-matches-cli", Fixture, NULL, fixture_set_up, test_export_matches_cli, fixture_tear_down);

  g_test_add ("/augment-panel/ticking-keeps-others", Fixture, NULL, fixture_set_up, test_ticking_keeps_others, fixture_tear_down);

  g_test_add_func ("/augment-panel/window-integration", test_window_integration);
  g_test_add_func ("/augment-panel/saved-label-joins-pool", test_saved_label_joins_pool);
  if (g_getenv ("BM_AUGUI_HOLD") != NULL)
    g_test_add ("/augment-panel/screenshot", Fixture, NULL, fixture_set_up, test_screenshot, fixture_tear_down);

  return g_test_run ();
}
