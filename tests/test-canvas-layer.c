/* test-canvas-layer.c: the kept object layer of dense views (widgets/bm-canvas-layer.c) shows
 * exactly what a canvas drawing everything afresh shows — after hovering, selecting, dragging the
 * selected object, editing another, moving the view — and is redrawn only when it must be: not
 * for hover or a drag, on a worker thread for a view change, at once for an edit. Needs a display.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <gtk/gtk.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "widgets/bm-canvas-private.h"
#include "widgets/bm-tile-image.h"

#define SIZE      3000
#define N_OBJECTS 1500

typedef struct
{
  GtkWidget *window;
  BmCanvas  *canvas;
} View;

static BmTileImage *image;
static BmAnnotation *annotation;

static void
make_scene (void)
{
  g_autofree guint8 *pixels = g_malloc ((gsize) SIZE * SIZE);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  static const char *const labels[] = { "plane", "ship", "harbor", "small-vehicle", "bridge" };

  for (gsize y = 0; y < SIZE; y++)
    memset (pixels + y * SIZE, (int) (60 + y * 100 / SIZE), SIZE);
  image = bm_tile_image_new (pixels, SIZE, SIZE, 1, SIZE);
  annotation = bm_annotation_new ();
  bm_annotation_set_size (annotation, SIZE, SIZE, 1);
  for (guint i = 0; i < N_OBJECTS; i++)
    {
      double cx = g_rand_double_range (rand, 50, SIZE - 50), cy = g_rand_double_range (rand, 50, SIZE - 50);
      double w = g_rand_double_range (rand, 10, 90), h = g_rand_double_range (rand, 10, 90);
      gboolean last = i + 1 == N_OBJECTS;
      g_autoptr(BmObject) object = NULL;
      BmShape shape;

      /* a clearing in the middle, where one object stands alone (lonely_object) */
      if (last)
        cx = cy = SIZE / 2, w = h = 60;
      else if (fabs (cx - SIZE / 2) < 250 && fabs (cy - SIZE / 2) < 250)
        {
          i--;
          continue;
        }

      if (i % 2 && !last)
        bm_shape_init_rotated (&shape, cx, cy, w, h, g_rand_double_range (rand, -3, 3));
      else
        bm_shape_init_box (&shape, round (cx - w / 2), round (cy - h / 2), round (cx + w / 2), round (cy + h / 2));
      object = bm_object_new (labels[i % G_N_ELEMENTS (labels)], &shape);
      if (i % 7 == 0)
        bm_object_set_difficult (object, 1);
      if (i % 11 == 0)
        {
          bm_object_set_pre_annotation (object, TRUE);
          bm_object_set_score (object, 0.5);
        }
      bm_annotation_add_object (annotation, object);
    }
}

static void
settle (View *v)
{
  while (v->canvas->layer_pending != NULL || g_main_context_pending (NULL))
    g_main_context_iteration (NULL, TRUE);
}

static View
view_new (void)
{
  View v;

  v.window = gtk_window_new ();
  gtk_window_set_decorated (GTK_WINDOW (v.window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (v.window), 640, 480);
  v.canvas = BM_CANVAS (bm_canvas_new ());
  gtk_window_set_child (GTK_WINDOW (v.window), GTK_WIDGET (v.canvas));
  gtk_window_present (GTK_WINDOW (v.window));
  gtk_test_widget_wait_for_draw (v.window);
  bm_canvas_set_content (v.canvas, image, annotation);
  settle (&v);
  return v;
}

static void
view_free (View *v)
{
  settle (v);
  gtk_window_destroy (GTK_WINDOW (v->window));
}

/* One frame of the canvas, as GTK makes it (snapshot, then its nodes drawn), into pixels. */
static GBytes *
frame (View *v)
{
  int width = gtk_widget_get_width (GTK_WIDGET (v->canvas)), height = gtk_widget_get_height (GTK_WIDGET (v->canvas));
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderNode *node;
  GBytes *bytes;
  cairo_t *cr;

  gtk_widget_queue_draw (GTK_WIDGET (v->canvas));
  gtk_widget_snapshot_child (v->window, GTK_WIDGET (v->canvas), snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  cr = cairo_create (surface);
  gsk_render_node_draw (node, cr);
  cairo_destroy (cr);
  gsk_render_node_unref (node);
  cairo_surface_flush (surface);
  bytes = g_bytes_new (cairo_image_surface_get_data (surface),
                       (gsize) cairo_image_surface_get_stride (surface) * height);
  cairo_surface_destroy (surface);
  return bytes;
}

/* What a canvas that has never drawn shows in the same state. */
static GBytes *
fresh_frame (View *like)
{
  View v = view_new ();
  GBytes *bytes;

  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (v.canvas)), ==, gtk_widget_get_width (GTK_WIDGET (like->canvas)));
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (v.canvas)), ==, gtk_widget_get_height (GTK_WIDGET (like->canvas)));
  _bm_canvas_set_zoom_and_offset (v.canvas, like->canvas->zoom, like->canvas->offset_x, like->canvas->offset_y);
  bm_canvas_set_selected (v.canvas, bm_canvas_get_selected (like->canvas));
  _bm_canvas_set_hovered (v.canvas, bm_canvas_get_hovered (like->canvas));
  bm_canvas_set_show_labels (v.canvas, bm_canvas_get_show_labels (like->canvas));
  /* a canvas that has drawn nothing yet: its first layer is drawn at once */
  _bm_canvas_layers_clear (v.canvas);
  bytes = frame (&v);
  g_assert_null (v.canvas->layer_pending);
  view_free (&v);
  return bytes;
}

static void
assert_same_pixels (GBytes *a,
                    GBytes *b)
{
  gsize size_a, size_b, differ = 0;
  const guint8 *pa = g_bytes_get_data (a, &size_a), *pb = g_bytes_get_data (b, &size_b);

  g_assert_cmpuint (size_a, ==, size_b);
  for (gsize i = 0; i < size_a; i++)
    differ += pa[i] != pb[i];
  g_assert_cmpuint (differ, ==, 0);
}

static gsize
count_differing (GBytes *a,
                 GBytes *b)
{
  gsize size, differ = 0;
  const guint8 *pa = g_bytes_get_data (a, &size), *pb = g_bytes_get_data (b, NULL);

  for (gsize i = 0; i < size; i++)
    differ += pa[i] != pb[i];
  return differ;
}

static guint32
pixel_at (GBytes   *bytes,
          BmCanvas *canvas,
          double    x,
          double    y)
{
  int stride = cairo_format_stride_for_width (CAIRO_FORMAT_ARGB32, gtk_widget_get_width (GTK_WIDGET (canvas)));
  const guint8 *data = g_bytes_get_data (bytes, NULL);
  guint32 pixel;

  g_assert_cmpfloat (x, >=, 0);
  g_assert_cmpfloat (y, >=, 0);
  g_assert_cmpfloat (x, <, gtk_widget_get_width (GTK_WIDGET (canvas)));
  g_assert_cmpfloat (y, <, gtk_widget_get_height (GTK_WIDGET (canvas)));
  memcpy (&pixel, data + (gsize) floor (y) * stride + (gsize) floor (x) * 4, 4);
  return pixel;
}

/* The image alone, as a canvas showing no objects draws it (freed with the test's bytes). */
static GBytes *empty_frames;

static GBytes *
empty_frame (View *like)
{
  View v = view_new ();
  g_autoptr(BmAnnotation) none = bm_annotation_new ();

  bm_annotation_set_size (none, SIZE, SIZE, 1);
  bm_canvas_set_content (v.canvas, image, none);
  _bm_canvas_set_zoom_and_offset (v.canvas, like->canvas->zoom, like->canvas->offset_x, like->canvas->offset_y);
  g_clear_pointer (&empty_frames, g_bytes_unref);
  empty_frames = frame (&v);
  view_free (&v);
  return empty_frames;
}

static void
move_object (guint  index,
             double dx,
             double dy)
{
  BmObject *object = bm_annotation_get_object (annotation, index);
  BmShape shape = *bm_object_get_shape (object);

  for (int k = 0; k < 4; k++)
    shape.p[k].x += dx, shape.p[k].y += dy;
  bm_object_set_shape (object, &shape);
  bm_annotation_emit_changed (annotation);
}

/* An object no other comes within 80 image pixels of (before or after a drag of 35 px), so its
 * pixels are its own whatever the drawing order. */
static guint
lonely_object (void)
{
  for (guint i = 0; i < N_OBJECTS; i++)
    {
      BmRect r = bm_shape_bounds (bm_object_get_shape (bm_annotation_get_object (annotation, i)));
      gboolean alone = TRUE;

      for (guint j = 0; j < N_OBJECTS && alone; j++)
        {
          BmRect o = bm_shape_bounds (bm_object_get_shape (bm_annotation_get_object (annotation, j)));

          alone = j == i || o.x1 > r.x2 + 80 || o.x2 < r.x1 - 80 || o.y1 > r.y2 + 80 || o.y2 < r.y1 - 80;
        }
      if (alone)
        return i;
    }
  g_assert_not_reached ();
}

static void
test_layer_kept_and_exact (void)
{
  guint lonely = lonely_object ();
  View v = view_new ();
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) hovered = NULL;
  g_autoptr(GBytes) fresh = NULL;
  guint draws;

  /* The fitted view shows every object: a dense view with a layer. */
  before = frame (&v);
  g_assert_nonnull (v.canvas->layer);
  g_assert_null (v.canvas->layer_pending);
  draws = v.canvas->n_layer_draws;
  fresh = fresh_frame (&v);
  assert_same_pixels (before, fresh);
  g_clear_pointer (&fresh, g_bytes_unref);

  /* Hovering an object draws it over the kept layer: no layer is drawn, only its surroundings
   * change, and the picture is what a fresh canvas shows. */
  _bm_canvas_set_hovered (v.canvas, 10);
  hovered = frame (&v);
  settle (&v);
  g_assert_cmpuint (v.canvas->n_layer_draws, ==, draws);
  g_assert_cmpuint (count_differing (before, hovered), >, 0);
  fresh = fresh_frame (&v);
  assert_same_pixels (hovered, fresh);
  g_clear_pointer (&fresh, g_bytes_unref);

  /* Selecting another: the kept layer, with the object it left out drawn over it, stands in
   * until the worker has drawn the layer without the new selection. */
  _bm_canvas_set_hovered (v.canvas, -1);
  bm_canvas_set_selected (v.canvas, (int) lonely);
  g_bytes_unref (frame (&v));
  g_assert_nonnull (v.canvas->layer_pending);
  settle (&v);
  g_assert_cmpuint (v.canvas->n_layer_draws, ==, draws + 1);
  draws = v.canvas->n_layer_draws;
  {
    g_autoptr(GBytes) selected = frame (&v);

    fresh = fresh_frame (&v);
    assert_same_pixels (selected, fresh);
    g_clear_pointer (&fresh, g_bytes_unref);
  }

  /* Dragging the selected object: it is drawn over the layer, which stays. */
  for (int step = 0; step < 5; step++)
    {
      g_autoptr(GBytes) dragged = NULL;

      move_object (lonely, 7, -3);
      dragged = frame (&v);
      g_assert_null (v.canvas->layer_pending);
      g_assert_cmpuint (v.canvas->n_layer_draws, ==, draws);
      if (step == 4)
        {
          fresh = fresh_frame (&v);
          assert_same_pixels (dragged, fresh);
          g_clear_pointer (&fresh, g_bytes_unref);
        }
    }

  /* Selecting another while one is selected: the stand-in draws the formerly selected object,
   * which the kept layer left out, where it is now. */
  {
    g_autoptr(GBytes) standin = NULL;
    g_autoptr(GBytes) exact = NULL;
    const BmShape *shape = bm_object_get_shape (bm_annotation_get_object (annotation, lonely));
    double vx, vy;

    /* on its outline: the middle of its top edge */
    bm_canvas_image_to_view (v.canvas, (shape->p[0].x + shape->p[1].x) / 2, shape->p[0].y, &vx, &vy);
    bm_canvas_set_selected (v.canvas, 25);
    standin = frame (&v);
    g_assert_nonnull (v.canvas->layer_pending);
    settle (&v);
    exact = frame (&v);
    g_assert_cmphex (pixel_at (exact, v.canvas, vx, vy), !=, pixel_at (empty_frame (&v), v.canvas, vx, vy));
    g_assert_cmphex (pixel_at (standin, v.canvas, vx, vy), ==, pixel_at (exact, v.canvas, vx, vy));
    draws = v.canvas->n_layer_draws;
  }

  /* Editing another object: the kept layer would show it where it was, so a new one is
   * drawn at once, on this thread. */
  {
    g_autoptr(GBytes) edited = NULL;

    move_object (30, -40, 25);
    edited = frame (&v);
    g_assert_null (v.canvas->layer_pending);
    g_assert_cmpuint (v.canvas->n_layer_draws, ==, draws + 1);
    draws = v.canvas->n_layer_draws;
    fresh = fresh_frame (&v);
    assert_same_pixels (edited, fresh);
    g_clear_pointer (&fresh, g_bytes_unref);
  }

  /* Panning and zooming: the kept layer stands in, moved and scaled, while a worker draws the
   * exact one; then the picture is a fresh canvas's. */
  {
    g_autoptr(GBytes) standin = NULL;
    g_autoptr(GBytes) exact = NULL;

    _bm_canvas_set_zoom_and_offset (v.canvas, v.canvas->zoom * 1.25, v.canvas->offset_x - 40, v.canvas->offset_y - 30);
    standin = frame (&v);
    g_assert_nonnull (v.canvas->layer_pending);
    g_assert_cmpuint (v.canvas->n_layer_draws, ==, draws);
    settle (&v);
    g_assert_cmpuint (v.canvas->n_layer_draws, >, draws);
    exact = frame (&v);
    g_assert_null (v.canvas->layer_pending);
    fresh = fresh_frame (&v);
    assert_same_pixels (exact, fresh);
    /* the stand-in was not the exact picture (scaled strokes) but close to it */
    g_assert_cmpuint (count_differing (standin, exact), >, 0);
    g_clear_pointer (&fresh, g_bytes_unref);
  }

  /* The objects change while the worker draws: its layer is not kept. */
  {
    g_autoptr(GBytes) after = NULL;

    draws = v.canvas->n_layer_draws;
    _bm_canvas_set_zoom_and_offset (v.canvas, v.canvas->zoom, v.canvas->offset_x + 60, v.canvas->offset_y);
    g_bytes_unref (frame (&v));
    g_assert_nonnull (v.canvas->layer_pending);
    move_object (40, 15, 15);
    settle (&v);
    after = frame (&v);
    settle (&v);
    g_bytes_unref (after);
    after = frame (&v);
    fresh = fresh_frame (&v);
    assert_same_pixels (after, fresh);
    g_clear_pointer (&fresh, g_bytes_unref);
  }

  /* Hiding the labels: captions go, the layer is drawn again. */
  {
    g_autoptr(GBytes) with = NULL;
    g_autoptr(GBytes) without = NULL;

    /* 0.5: a couple of hundred objects in view, many large enough for a caption */
    bm_canvas_set_zoom (v.canvas, 0.5);
    settle (&v);
    with = frame (&v);
    settle (&v);
    g_bytes_unref (with);
    with = frame (&v);
    bm_canvas_set_show_labels (v.canvas, FALSE);
    without = frame (&v);
    settle (&v);
    g_bytes_unref (without);
    without = frame (&v);
    g_assert_nonnull (v.canvas->layer);
    g_assert_cmpuint (count_differing (with, without), >, 0);
    fresh = fresh_frame (&v);
    assert_same_pixels (without, fresh);
    g_clear_pointer (&fresh, g_bytes_unref);
    bm_canvas_set_show_labels (v.canvas, TRUE);
    g_bytes_unref (frame (&v));
    settle (&v);
    g_bytes_unref (without);
    without = frame (&v);
    assert_same_pixels (with, without);
  }

  view_free (&v);
}

/* A canvas destroyed while its worker draws finishes cleanly (the task keeps it alive). */
static void
test_layer_destroyed_while_drawing (void)
{
  View v = view_new ();

  g_bytes_unref (frame (&v));
  _bm_canvas_set_zoom_and_offset (v.canvas, v.canvas->zoom * 1.5, v.canvas->offset_x - 100, v.canvas->offset_y);
  g_bytes_unref (frame (&v));
  g_assert_nonnull (v.canvas->layer_pending);
  g_object_ref (v.canvas);
  gtk_window_destroy (GTK_WINDOW (v.window));
  while (v.canvas->layer_pending != NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (v.canvas->layer_pending);
  g_object_unref (v.canvas);
}

/* Zoomed in, the image is drawn where the objects are: image pixel (x, y) at offset + zoom × (x, y).
 * (GTK 4.8 scales the translation of a cairo node appended under a scaled snapshot: zoomed in
 * past 100 %, the image was drawn zoom × its offset away, off screen at 400 %.) */
static void
test_image_zoomed_in (void)
{
  View v = view_new ();
  g_autoptr(BmAnnotation) none = bm_annotation_new ();
  static const double zooms[] = { 1.25, 2.5, 4.0 };

  bm_annotation_set_size (none, SIZE, SIZE, 1);
  bm_canvas_set_content (v.canvas, image, none);
  for (guint z = 0; z < G_N_ELEMENTS (zooms); z++)
    {
      g_autoptr(GBytes) pixels = NULL;
      guint32 inside, outside;

      /* the image's corner in view, and far from it */
      _bm_canvas_set_zoom_and_offset (v.canvas, zooms[z], 30, 20);
      pixels = frame (&v);
      inside = pixel_at (pixels, v.canvas, 30 + 4.5 * zooms[z], 20 + 4.5 * zooms[z]);
      outside = pixel_at (pixels, v.canvas, 25, 15);
      g_assert_cmphex (inside, ==, 0xff3c3c3c);   /* row 4 of the image: 60 */
      g_assert_cmphex (outside, !=, inside);
      _bm_canvas_set_zoom_and_offset (v.canvas, zooms[z], -1000 * zooms[z], -2000 * zooms[z]);
      g_bytes_unref (pixels);
      pixels = frame (&v);
      /* image row 2000 + 100 at view y 100: 60 + 2100 × 100 / 3000 = 130 */
      g_assert_cmphex (pixel_at (pixels, v.canvas, 200, 100 * zooms[z] + zooms[z] / 2), ==, 0xff828282);
    }
  view_free (&v);
}

int
main (int argc, char **argv)
{
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display\n");
      return 77;
    }
  make_scene ();
  g_test_add_func ("/canvas-layer/kept-and-exact", test_layer_kept_and_exact);
  g_test_add_func ("/canvas-layer/destroyed-while-drawing", test_layer_destroyed_while_drawing);
  g_test_add_func ("/canvas-layer/image-zoomed-in", test_image_zoomed_in);
  status = g_test_run ();
  g_clear_pointer (&empty_frames, g_bytes_unref);
  g_clear_object (&annotation);
  g_clear_object (&image);
  return status;
}
