/* test-canvas-scroll.c: BmCanvas as a GtkScrollable inside a GtkScrolledWindow (needs a display).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <gtk/gtk.h>
#include <locale.h>
#include <math.h>

#include "widgets/bm-canvas.h"
#include "widgets/bm-tile-image.h"

#define IMAGE_WIDTH  400
#define IMAGE_HEIGHT 300

typedef struct
{
  GtkWidget     *window;
  GtkWidget     *canvas;
  GtkAdjustment *hadj;
  GtkAdjustment *vadj;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree guint8 *rgb = g_malloc0 (IMAGE_WIDTH * IMAGE_HEIGHT * 3);
  g_autoptr(BmTileImage) image = bm_tile_image_new (rgb, IMAGE_WIDTH, IMAGE_HEIGHT, 3, IMAGE_WIDTH * 3);
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  fixture->window = gtk_window_new ();
  fixture->canvas = bm_canvas_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), fixture->canvas);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 640, 480);
  gtk_window_set_child (GTK_WINDOW (fixture->window), scrolled);
  gtk_window_present (GTK_WINDOW (fixture->window));
  gtk_test_widget_wait_for_draw (fixture->window);
  bm_canvas_set_content (BM_CANVAS (fixture->canvas), image, NULL);

  fixture->hadj = gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (fixture->canvas));
  fixture->vadj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (fixture->canvas));
  g_assert_true (GTK_IS_ADJUSTMENT (fixture->hadj));
  g_assert_true (GTK_IS_ADJUSTMENT (fixture->vadj));
  /* The scrolled window gave the canvas its own adjustments. */
  g_assert_true (fixture->hadj == gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scrolled)));
  g_assert_true (fixture->vadj == gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled)));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
}

static void
assert_no_range (GtkAdjustment *adjustment)
{
  double page = gtk_adjustment_get_page_size (adjustment);

  g_assert_cmpfloat (page, >, 0);
  g_assert_cmpfloat (page, >=, gtk_adjustment_get_upper (adjustment) - 1e-6);
  g_assert_cmpfloat (page, >=, gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_lower (adjustment) - 1e-6);
}

static gboolean
can_scroll (BmCanvas   *canvas,
            const char *property)
{
  gboolean value = FALSE;

  g_object_get (canvas, property, &value, NULL);
  return value;
}

/* The view origin, in image pixels, must be the adjustments' values / zoom. */
static void
assert_origin_follows_adjustments (Fixture *fixture)
{
  double zoom = bm_canvas_get_zoom (BM_CANVAS (fixture->canvas));
  double ix, iy;

  bm_canvas_view_to_image (BM_CANVAS (fixture->canvas), 0, 0, &ix, &iy);
  g_assert_cmpfloat_with_epsilon (ix * zoom, gtk_adjustment_get_value (fixture->hadj), 1e-6);
  g_assert_cmpfloat_with_epsilon (iy * zoom, gtk_adjustment_get_value (fixture->vadj), 1e-6);
}

static void
test_fit_has_no_range (Fixture       *fixture,
                       gconstpointer  data)
{
  BmCanvas *canvas = BM_CANVAS (fixture->canvas);

  assert_no_range (fixture->hadj);
  assert_no_range (fixture->vadj);
  g_assert_false (can_scroll (canvas, "can-scroll-horizontally"));
  g_assert_false (can_scroll (canvas, "can-scroll-vertically"));
  g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_page_size (fixture->hadj), gtk_widget_get_width (fixture->canvas), 1e-6);
  g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_page_size (fixture->vadj), gtk_widget_get_height (fixture->canvas), 1e-6);
  assert_origin_follows_adjustments (fixture);

  /* Zoomed in and back to fit: the range goes away again. */
  bm_canvas_set_zoom (canvas, 8.0);
  g_assert_true (can_scroll (canvas, "can-scroll-horizontally"));
  bm_canvas_zoom_fit (canvas);
  assert_no_range (fixture->hadj);
  assert_no_range (fixture->vadj);
  g_assert_false (can_scroll (canvas, "can-scroll-horizontally"));
  g_assert_false (can_scroll (canvas, "can-scroll-vertically"));

  /* Zoomed out below fit at a corner: the image stays centred, still nothing to scroll. */
  bm_canvas_set_zoom (canvas, 1.0);
  bm_canvas_zoom_at (canvas, 0.5, 5, 5);
  g_assert_cmpfloat (bm_canvas_get_zoom (canvas), <, 1.0);
  assert_no_range (fixture->hadj);
  assert_no_range (fixture->vadj);
  {
    double x0, y0, x1, y1;

    bm_canvas_image_to_view (canvas, 0, 0, &x0, &y0);
    bm_canvas_image_to_view (canvas, IMAGE_WIDTH, IMAGE_HEIGHT, &x1, &y1);
    g_assert_cmpfloat (fabs (x0 - (gtk_widget_get_width (fixture->canvas) - x1)), <=, 1.0);
    g_assert_cmpfloat (fabs (y0 - (gtk_widget_get_height (fixture->canvas) - y1)), <=, 1.0);
  }
}

static void
test_zoomed_range (Fixture       *fixture,
                   gconstpointer  data)
{
  BmCanvas *canvas = BM_CANVAS (fixture->canvas);

  bm_canvas_set_zoom (canvas, 8.0);
  g_assert_cmpfloat_with_epsilon (bm_canvas_get_zoom (canvas), 8.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_lower (fixture->hadj), 0, 1e-6);
  g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_upper (fixture->hadj), IMAGE_WIDTH * 8.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_upper (fixture->vadj), IMAGE_HEIGHT * 8.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_page_size (fixture->hadj), gtk_widget_get_width (fixture->canvas), 1e-6);
  g_assert_true (can_scroll (canvas, "can-scroll-horizontally"));
  g_assert_true (can_scroll (canvas, "can-scroll-vertically"));
  assert_origin_follows_adjustments (fixture);
}

static void
test_adjustment_pans (Fixture       *fixture,
                      gconstpointer  data)
{
  BmCanvas *canvas = BM_CANVAS (fixture->canvas);
  double ix0, iy0, ix, iy;

  bm_canvas_set_zoom (canvas, 8.0);
  bm_canvas_view_to_image (canvas, 0, 0, &ix0, &iy0);

  gtk_adjustment_set_value (fixture->hadj, gtk_adjustment_get_value (fixture->hadj) + 80);
  bm_canvas_view_to_image (canvas, 0, 0, &ix, &iy);
  g_assert_cmpfloat_with_epsilon (ix, ix0 + 10, 1e-6);
  g_assert_cmpfloat_with_epsilon (iy, iy0, 1e-6);

  gtk_adjustment_set_value (fixture->vadj, gtk_adjustment_get_value (fixture->vadj) - 40);
  bm_canvas_view_to_image (canvas, 0, 0, &ix, &iy);
  g_assert_cmpfloat_with_epsilon (ix, ix0 + 10, 1e-6);
  g_assert_cmpfloat_with_epsilon (iy, iy0 - 5, 1e-6);

  /* To the very start: the image's top-left corner at the view's. */
  gtk_adjustment_set_value (fixture->hadj, 0);
  gtk_adjustment_set_value (fixture->vadj, 0);
  bm_canvas_image_to_view (canvas, 0, 0, &ix, &iy);
  g_assert_cmpfloat_with_epsilon (ix, 0, 1e-6);
  g_assert_cmpfloat_with_epsilon (iy, 0, 1e-6);
  g_assert_cmpfloat_with_epsilon (bm_canvas_get_zoom (canvas), 8.0, 1e-9);
}

static void
test_zoom_at_point (Fixture       *fixture,
                    gconstpointer  data)
{
  BmCanvas *canvas = BM_CANVAS (fixture->canvas);
  double ix, iy, vx, vy;

  bm_canvas_set_zoom (canvas, 8.0);
  bm_canvas_view_to_image (canvas, 123, 97, &ix, &iy);
  bm_canvas_zoom_at (canvas, 1.25, 123, 97);
  bm_canvas_image_to_view (canvas, ix, iy, &vx, &vy);
  g_assert_cmpfloat_with_epsilon (vx, 123, 1e-6);
  g_assert_cmpfloat_with_epsilon (vy, 97, 1e-6);
  g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_upper (fixture->hadj), IMAGE_WIDTH * 10.0, 1e-6);
  assert_origin_follows_adjustments (fixture);

  /* After a pan through the adjustment, zooming still keeps the point under the pointer. */
  gtk_adjustment_set_value (fixture->hadj, gtk_adjustment_get_value (fixture->hadj) + 100);
  bm_canvas_view_to_image (canvas, 300, 200, &ix, &iy);
  bm_canvas_zoom_at (canvas, 1 / 1.25, 300, 200);
  bm_canvas_image_to_view (canvas, ix, iy, &vx, &vy);
  g_assert_cmpfloat_with_epsilon (vx, 300, 1e-6);
  g_assert_cmpfloat_with_epsilon (vy, 200, 1e-6);
  assert_origin_follows_adjustments (fixture);
}

static void
test_show_object_scrolls (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree guint8 *rgb = g_malloc0 (IMAGE_WIDTH * IMAGE_HEIGHT * 3);
  g_autoptr(BmTileImage) image = bm_tile_image_new (rgb, IMAGE_WIDTH, IMAGE_HEIGHT, 3, IMAGE_WIDTH * 3);
  g_autoptr(BmAnnotation) annotation = bm_annotation_new ();
  g_autoptr(BmObject) object = NULL;
  BmCanvas *canvas = BM_CANVAS (fixture->canvas);
  BmShape shape;
  double vx, vy;

  bm_shape_init_box (&shape, 340, 250, 350, 260);
  object = bm_object_new ("bolt", &shape);
  bm_annotation_add_object (annotation, object);
  bm_canvas_set_content (canvas, image, annotation);
  bm_canvas_show_object (canvas, 0, TRUE);

  g_assert_cmpfloat (bm_canvas_get_zoom (canvas), >, 2.0);
  bm_canvas_image_to_view (canvas, 345, 255, &vx, &vy);
  g_assert_cmpfloat (fabs (vx - gtk_widget_get_width (fixture->canvas) / 2.0), <=, 1.0);
  g_assert_cmpfloat (fabs (vy - gtk_widget_get_height (fixture->canvas) / 2.0), <=, 1.0);
  g_assert_true (can_scroll (canvas, "can-scroll-horizontally"));
  assert_origin_follows_adjustments (fixture);
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

  g_test_add ("/canvas-scroll/fit-has-no-range", Fixture, NULL, fixture_set_up, test_fit_has_no_range, fixture_tear_down);
  g_test_add ("/canvas-scroll/zoomed-range", Fixture, NULL, fixture_set_up, test_zoomed_range, fixture_tear_down);
  g_test_add ("/canvas-scroll/adjustment-pans", Fixture, NULL, fixture_set_up, test_adjustment_pans, fixture_tear_down);
  g_test_add ("/canvas-scroll/zoom-at-point", Fixture, NULL, fixture_set_up, test_zoom_at_point, fixture_tear_down);
  g_test_add ("/canvas-scroll/show-object-scrolls", Fixture, NULL, fixture_set_up, test_show_object_scrolls, fixture_tear_down);

  return g_test_run ();
}
