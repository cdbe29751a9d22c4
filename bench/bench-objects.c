/* bench-objects.c: editing an image with thousands of objects — each edit, its undo and redo, the
 * heap an undo step keeps, and hit testing — beside the way undo used to work, in one run.
 *
 * Usage: bench-objects [N] [--repeats R] [--only history|hits|draw]   (default 10000 objects,
 *        200 repeats, all parts)
 *
 * The scene is DOTA-like: N boxes, rotated boxes and quadrilaterals of 12–80 px on a 6000 × 6000
 * image, 16 classes, some difficult, some pre-annotations. "Snapshot" is the former BmHistory
 * rebuilt from the calls it made: each step kept a deep copy of every object
 * (bm_annotation_dup_objects), and undo took another copy for redo and replaced every object with
 * copies of the kept ones (bm_annotation_set_objects). The hit-test reference is a plain loop over
 * every object with the same geometry.
 *
 * Built with GTK, it also draws the canvas (BmCanvas over a 6000 × 6000 image, 1280 × 860) the
 * way a frame is made: the widget's snapshot, then its render nodes drawn by cairo into an image
 * surface; with and without the objects, fitted and zoomed in. That part needs a display
 * (xvfb-run -a) and is skipped without one.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/bm-editor.h"
#ifdef BM_BENCH_DRAW
#include "widgets/bm-canvas-private.h"
#endif

#define SIZE 6000.0

static const char *const classes[] = {
  "plane", "ship", "storage-tank", "baseball-diamond", "tennis-court", "basketball-court",
  "ground-track-field", "harbor", "bridge", "large-vehicle", "small-vehicle", "helicopter",
  "roundabout", "soccer-ball-field", "swimming-pool", "container-crane",
};

static BmObject *
random_object (GRand *rand, guint i)
{
  double cx = g_rand_double_range (rand, 60, SIZE - 60);
  double cy = g_rand_double_range (rand, 60, SIZE - 60);
  double w = g_rand_double_range (rand, 12, 80), h = g_rand_double_range (rand, 12, 80);
  BmObject *object;
  BmShape shape;

  switch (i % 3)
    {
    case 0:
      bm_shape_init_box (&shape, round (cx - w / 2), round (cy - h / 2), round (cx + w / 2), round (cy + h / 2));
      break;
    case 1:
      bm_shape_init_rotated (&shape, cx, cy, w, h, g_rand_double_range (rand, -G_PI, G_PI));
      break;
    default:
      {
        double a = g_rand_double_range (rand, 0, G_PI / 2);
        double xy[8];

        for (int k = 0; k < 4; k++)
          {
            double r = (k % 2 ? h : w) / 2 * g_rand_double_range (rand, 0.8, 1.2);

            xy[2 * k] = round (cx + r * cos (a + k * G_PI / 2));
            xy[2 * k + 1] = round (cy + r * sin (a + k * G_PI / 2));
          }
        bm_shape_init_quad (&shape, xy);
      }
    }
  object = bm_object_new (classes[g_rand_int_range (rand, 0, G_N_ELEMENTS (classes))], &shape);
  bm_object_set_origin (object, i + 1);
  if (g_rand_int_range (rand, 0, 10) == 0)
    bm_object_set_difficult (object, 1);
  if (g_rand_int_range (rand, 0, 20) == 0)
    {
      bm_object_set_pre_annotation (object, TRUE);
      bm_object_set_score (object, g_rand_int_range (rand, 3, 40));
    }
  return object;
}

static BmAnnotation *
new_scene (guint n, guint32 seed)
{
  BmAnnotation *annotation = bm_annotation_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  bm_annotation_set_size (annotation, (int) SIZE, (int) SIZE, 3);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BmObject) object = random_object (rand, i);

      bm_annotation_add_object (annotation, object);
    }
  return annotation;
}

static size_t
heap_in_use (void)
{
  struct mallinfo2 info = mallinfo2 ();

  return info.uordblks + info.hblkhd;
}

/* CPU time of this thread, in ms: on a shared machine, wall time also counts the waits for a
 * CPU, which can be most of it. Everything measured here runs on this thread. */
static double
now_ms (void)
{
  struct timespec t;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *times)
{
  g_array_sort (times, compare_double);
  return times->len ? g_array_index (times, double, times->len / 2) : NAN;
}

/* Edits -------------------------------------------------------------------------------------- */

typedef enum
{
  EDIT_MOVE,
  EDIT_RELABEL,
  EDIT_DIFFICULT,
  EDIT_ROTATE,
  EDIT_RESIZE,
  EDIT_DRAG,
  EDIT_ADD,
  EDIT_DUPLICATE,
  EDIT_DELETE,
  EDIT_MOVE_100,
  EDIT_DELETE_100,
  N_EDITS
} EditKind;

static const char *const edit_names[N_EDITS] = {
  "move 1 object (arrow key)", "relabel 1", "toggle difficult on 1", "rotate 1 (key c)", "resize 1 (corner)",
  "drag 1 (press, 10 motions, release)", "add 1 (draw)", "duplicate 1", "delete 1", "move 100 selected",
  "delete 100 selected",
};

static void
select_random (BmEditor *editor, GRand *rand, guint count)
{
  guint n = bm_annotation_get_n_objects (bm_editor_get_annotation (editor));

  bm_editor_select (editor, g_rand_int_range (rand, 0, (int) n));
  while (bm_editor_get_n_selected (editor) < count)
    {
      guint index = (guint) g_rand_int_range (rand, 0, (int) n);

      if (!bm_editor_is_selected (editor, index))
        bm_editor_toggle_selected (editor, index);
    }
}

static gboolean
do_edit (BmEditor *editor, EditKind kind, GRand *rand, guint step)
{
  BmAnnotation *annotation = bm_editor_get_annotation (editor);
  int primary;

  select_random (editor, rand, kind == EDIT_MOVE_100 || kind == EDIT_DELETE_100 ? 100 : 1);
  primary = bm_editor_get_primary (editor);
  switch (kind)
    {
    case EDIT_MOVE:
    case EDIT_MOVE_100:
      return bm_editor_move_selected (editor, step % 2 ? 1 : -1, 1);
    case EDIT_RELABEL:
      return bm_editor_set_label_selected (editor, classes[step % G_N_ELEMENTS (classes)]) ||
             bm_editor_set_label_selected (editor, "relabelled");
    case EDIT_DIFFICULT:
      return bm_editor_set_difficult_selected (editor,
                                               !bm_object_get_difficult (bm_annotation_get_object (annotation, (guint) primary)));
    case EDIT_ROTATE:
      return bm_editor_rotate_selected (editor, BM_EDITOR_ROTATE_CW_SMALL);
    case EDIT_RESIZE:
      {
        const BmShape *s = bm_object_get_shape (bm_annotation_get_object (annotation, (guint) primary));

        return bm_editor_resize (editor, (guint) primary, BM_HANDLE_CORNER, 2, s->p[2].x + 3, s->p[2].y + 2);
      }
    case EDIT_DRAG:
      {
        BmPoint c = bm_shape_centre (bm_object_get_shape (bm_annotation_get_object (annotation, (guint) primary)));
        BmHit hit = { primary, BM_HANDLE_BODY, 0 };

        if (!bm_editor_begin_drag (editor, &hit, c.x, c.y))
          return FALSE;
        for (int k = 1; k <= 10; k++)
          bm_editor_update_drag (editor, c.x + k, c.y + k / 2.0);
        bm_editor_end_drag (editor);
        return TRUE;
      }
    case EDIT_ADD:
      {
        g_autoptr(BmObject) object = random_object (rand, step);

        return bm_editor_add_object (editor, object) >= 0;
      }
    case EDIT_DUPLICATE:
      return bm_editor_duplicate_selected (editor, 10);
    case EDIT_DELETE:
    case EDIT_DELETE_100:
      return bm_editor_delete_selected (editor);
    case N_EDITS:
    default:
      g_assert_not_reached ();
    }
}

/* The former undo, made of the calls it made: a full copy per step, two more per undo. */
typedef struct
{
  BmAnnotation *annotation;
  GPtrArray *undo;     /* GPtrArray of BmObject copies */
  GPtrArray *redo;
} Snapshots;

static void
snapshots_record (Snapshots *s)
{
  g_ptr_array_add (s->undo, bm_annotation_dup_objects (s->annotation));
  g_ptr_array_set_size (s->redo, 0);
}

static void
snapshots_move (Snapshots *s, GPtrArray *from, GPtrArray *to)
{
  g_autoptr(GPtrArray) target = g_ptr_array_steal_index (from, from->len - 1);

  g_ptr_array_add (to, bm_annotation_dup_objects (s->annotation));
  bm_annotation_set_objects (s->annotation, target);
}

typedef struct
{
  double edit, undo, redo;
  double bytes;            /* heap kept per undo step */
} Figures;

static void
bench_history (guint n, guint repeats, EditKind kind, gboolean snapshots, Figures *out)
{
  g_autoptr(BmAnnotation) annotation = new_scene (n, 1);
  g_autoptr(BmEditor) editor = bm_editor_new (annotation);
  g_autoptr(GRand) rand = g_rand_new_with_seed (2 + kind);
  g_autoptr(GArray) edits = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) undos = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) redos = g_array_new (FALSE, FALSE, sizeof (double));
  Snapshots s = { annotation, g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref),
                  g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref) };
  size_t heap_before, heap_after;
  guint done = 0;

  /* Edits go on the undo list; then half of them are undone and redone one at a time. */
  heap_before = heap_in_use ();
  for (guint i = 0; i < repeats; i++)
    {
      double start = now_ms ();

      if (snapshots)
        snapshots_record (&s);
      if (!do_edit (editor, kind, rand, i))
        {
          if (snapshots)
            g_ptr_array_set_size (s.undo, s.undo->len - 1);
          continue;
        }
      g_array_append_val (edits, ((double) { now_ms () - start }));
      done++;
    }
  bm_editor_select (editor, -1);
  heap_after = heap_in_use ();
  out->bytes = done ? ((double) heap_after - (double) heap_before) / done : NAN;

  for (guint i = 0; i < done / 2; i++)
    {
      double start = now_ms ();

      if (snapshots)
        snapshots_move (&s, s.undo, s.redo);
      else
        g_assert_true (bm_editor_undo (editor));
      g_array_append_val (undos, ((double) { now_ms () - start }));
    }
  for (guint i = 0; i < done / 2; i++)
    {
      double start = now_ms ();

      if (snapshots)
        snapshots_move (&s, s.redo, s.undo);
      else
        g_assert_true (bm_editor_redo (editor));
      g_array_append_val (redos, ((double) { now_ms () - start }));
    }
  out->edit = median (edits);
  out->undo = median (undos);
  out->redo = median (redos);
  g_ptr_array_unref (s.undo);
  g_ptr_array_unref (s.redo);
}

/* Hit testing -------------------------------------------------------------------------------- */

static gboolean
reference_contains (const BmShape *s, BmPoint p, double tolerance)
{
  gboolean inside = FALSE;

  for (int i = 0, j = 3; i < 4; j = i++)
    {
      const BmPoint *a = &s->p[i], *b = &s->p[j];

      if ((a->y > p.y) != (b->y > p.y) && p.x < (b->x - a->x) * (p.y - a->y) / (b->y - a->y) + a->x)
        inside = !inside;
    }
  if (inside)
    return TRUE;
  for (int i = 0; i < 4; i++)
    {
      BmPoint a = s->p[i], b = s->p[(i + 1) % 4];
      double abx = b.x - a.x, aby = b.y - a.y, apx = p.x - a.x, apy = p.y - a.y;
      double length2 = abx * abx + aby * aby;
      double t = length2 > 0 ? CLAMP ((apx * abx + apy * aby) / length2, 0.0, 1.0) : 0.0;

      if (hypot (apx - t * abx, apy - t * aby) <= tolerance)
        return TRUE;
    }
  return FALSE;
}

/* The smallest object under @p (the later one on a tie), as bm_editor_object_at picks first. */
static int
reference_object_at (BmAnnotation *annotation, BmPoint p, double tolerance)
{
  guint n = bm_annotation_get_n_objects (annotation);
  double best_area = G_MAXDOUBLE;
  int best = -1;

  for (guint i = n; i > 0; i--)
    {
      const BmShape *s = bm_object_get_shape (bm_annotation_get_object (annotation, i - 1));
      double area;

      if (!reference_contains (s, p, tolerance))
        continue;
      area = bm_shape_area (s);
      if (area < best_area)
        best_area = area, best = (int) i - 1;
    }
  return best;
}

static void
bench_hits (guint n, guint repeats)
{
  g_autoptr(BmAnnotation) annotation = new_scene (n, 1);
  g_autoptr(BmEditor) editor = bm_editor_new (annotation);
  g_autoptr(GRand) rand = g_rand_new_with_seed (99);
  g_autoptr(GArray) ours = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) reference = g_array_new (FALSE, FALSE, sizeof (double));
  guint found = 0, differ = 0;
  const double tolerance = 3.0 / 0.15;   /* 3 screen px at a zoom that fits 6000 px in 900 */
  double start;

  /* A first query may build whatever the editor keeps; the figures are for the ones after. */
  bm_editor_object_at (editor, 1, 1, tolerance);
  for (guint i = 0; i < repeats * 5; i++)
    {
      BmPoint p = { g_rand_double_range (rand, 0, SIZE), g_rand_double_range (rand, 0, SIZE) };
      int expected, got;
      BmHit hit;

      start = now_ms ();
      expected = reference_object_at (annotation, p, tolerance);
      g_array_append_val (reference, ((double) { now_ms () - start }));
      bm_editor_select (editor, -1);
      start = now_ms ();
      got = bm_editor_object_at (editor, p.x, p.y, tolerance);
      g_array_append_val (ours, ((double) { now_ms () - start }));
      bm_editor_object_at (editor, -SIZE, -SIZE, tolerance);   /* nothing there: the next pick is fresh */
      start = now_ms ();
      bm_editor_hit_test (editor, p.x, p.y, tolerance, &hit);
      g_array_append_val (hits, ((double) { now_ms () - start }));
      found += expected >= 0;
      differ += expected != got;
    }
  printf ("hit tests (CPU ms), %u objects, %u random points (%u on an object), tolerance %.0f px:\n", n, repeats * 5, found,
          tolerance);
  printf ("  bm_editor_object_at   %8.4f ms median\n", median (ours));
  printf ("  bm_editor_hit_test    %8.4f ms median\n", median (hits));
  printf ("  brute-force reference %8.4f ms median   (answers differing: %u)\n", median (reference), differ);
}

/* Drawing ------------------------------------------------------------------------------------ */

#ifdef BM_BENCH_DRAW
/* One frame of @canvas: its snapshot (what GTK asks for when it redraws the widget, e.g. on
 * hover) and the render nodes drawn into @cr. */
static void
draw_frame (GtkWidget *window, GtkWidget *canvas, cairo_t *cr, double *snapshot_ms, double *render_ms)
{
  GtkSnapshot *snapshot;
  GskRenderNode *node;
  double start = now_ms ();

  gtk_widget_queue_draw (canvas);   /* else GTK hands back the node it kept */
  snapshot = gtk_snapshot_new ();
  gtk_widget_snapshot_child (window, canvas, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  *snapshot_ms = now_ms () - start;
  start = now_ms ();
  if (node != NULL)
    {
      gsk_render_node_draw (node, cr);
      cairo_surface_flush (cairo_get_target (cr));
      gsk_render_node_unref (node);
    }
  *render_ms = now_ms () - start;
}

static void
bench_draw (guint n, guint repeats)
{
  static const struct { const char *name; double zoom; gboolean captions; } views[] = {
    { "whole image (fit)", 0, TRUE }, { "100 %, centre", 1.0, TRUE }, { "100 %, no captions", 1.0, FALSE },
    { "400 %, centre", 4.0, TRUE },
  };
  g_autoptr(BmAnnotation) annotation = NULL;
  g_autoptr(BmAnnotation) empty = bm_annotation_new ();
  g_autoptr(BmTileImage) image = NULL;
  g_autofree guint8 *pixels = NULL;
  GtkWidget *window, *canvas;
  cairo_surface_t *surface;
  cairo_t *cr;
  int width, height;

  if (!gtk_init_check ())
    {
      printf ("canvas drawing: skipped (no display; run under xvfb-run -a)\n");
      return;
    }
  annotation = new_scene (n, 1);
  bm_annotation_set_size (empty, (int) SIZE, (int) SIZE, 1);
  pixels = g_malloc ((gsize) SIZE * (gsize) SIZE);
  for (gsize y = 0; y < (gsize) SIZE; y++)
    memset (pixels + y * (gsize) SIZE, (int) (64 + y * 128 / (gsize) SIZE), (gsize) SIZE);
  image = bm_tile_image_new (pixels, (int) SIZE, (int) SIZE, 1, (int) SIZE);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 860);
  canvas = bm_canvas_new ();
  gtk_window_set_child (GTK_WINDOW (window), canvas);
  gtk_window_present (GTK_WINDOW (window));
  while (gtk_widget_get_width (canvas) < 100 || !gtk_widget_get_mapped (canvas))
    g_main_context_iteration (NULL, TRUE);
  width = gtk_widget_get_width (canvas);
  height = gtk_widget_get_height (canvas);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);

  printf ("canvas drawing, %d × %d view, medians of %u frames (snapshot + cairo render, CPU ms of the main thread):\n",
          width, height, repeats / 4);
  printf ("  image only: the frame without objects. Objects (the frame minus the image):\n"
          "    same view   nothing but the pointer or hover changed (the layer is kept)\n"
          "    view moves  a pan of 1 px each frame (the kept layer moved, a worker draws the exact one)\n"
          "    edit        an object in view moved (the layer is drawn again on this thread; a worker's cost too)\n");
  printf ("  %-20s %7s %9s %11s %11s %11s\n", "view", "objects", "image", "same view", "view moves", "edit");
  for (guint v = 0; v < G_N_ELEMENTS (views); v++)
    {
      double image_ms = 0, kinds[3] = { 0 };
      guint visible = 0, victim = 0;

      for (int kind = -1; kind < 3; kind++)
        {
          g_autoptr(GArray) sums = g_array_new (FALSE, FALSE, sizeof (double));
          BmCanvas *c = BM_CANVAS (canvas);

          bm_canvas_set_content (c, image, kind < 0 ? empty : annotation);
          bm_canvas_set_show_labels (c, views[v].captions);
          /* Zooming in stops at 100 % on the way (pixels on pixels): go there first. */
          if (views[v].zoom > 0)
            bm_canvas_set_zoom (c, 1.0);
          if (views[v].zoom > 0)
            bm_canvas_set_zoom (c, views[v].zoom);
          if (kind == 2)
            {
              double x0, y0, x1, y1;

              bm_canvas_view_to_image (c, width * 0.4, height * 0.4, &x0, &y0);
              bm_canvas_view_to_image (c, width * 0.6, height * 0.6, &x1, &y1);
              for (victim = 0; victim + 1 < n; victim++)
                {
                  BmRect r = bm_shape_bounds (bm_object_get_shape (bm_annotation_get_object (annotation, victim)));

                  if (r.x1 >= x0 && r.x2 <= x1 && r.y1 >= y0 && r.y2 <= y1)
                    break;
                }
            }
          /* a first frame, and the worker it may start, before timing */
          draw_frame (window, canvas, cr, &(double) { 0 }, &(double) { 0 });
          while (c->layer_pending != NULL)
            g_main_context_iteration (NULL, TRUE);
          for (guint i = 0; i < MAX (repeats / 4, 3u); i++)
            {
              double snap, render;

              if (kind == 1)
                _bm_canvas_set_zoom_and_offset (c, c->zoom, c->offset_x + 1, c->offset_y);
              else if (kind == 2)
                {
                  /* an edit: an object in view moves by a pixel and back */
                  BmObject *object = bm_annotation_get_object (annotation, victim);
                  BmShape shape = *bm_object_get_shape (object);

                  for (int k = 0; k < 4; k++)
                    shape.p[k].x += i % 2 ? -1 : 1;
                  bm_object_set_shape (object, &shape);
                  bm_annotation_emit_changed (annotation);
                }
              draw_frame (window, canvas, cr, &snap, &render);
              g_array_append_val (sums, ((double) { snap + render }));
            }
          while (c->layer_pending != NULL)
            g_main_context_iteration (NULL, TRUE);
          if (kind < 0)
            image_ms = median (sums);
          else
            kinds[kind] = median (sums) - image_ms;
        }
      {
        double zoom = bm_canvas_get_zoom (BM_CANVAS (canvas)), x0, y0, x1, y1;

        bm_canvas_view_to_image (BM_CANVAS (canvas), 0, 0, &x0, &y0);
        bm_canvas_view_to_image (BM_CANVAS (canvas), width, height, &x1, &y1);
        for (guint i = 0; i < n; i++)
          {
            BmRect r = bm_shape_bounds (bm_object_get_shape (bm_annotation_get_object (annotation, i)));

            visible += r.x2 >= x0 && r.x1 <= x1 && r.y2 >= y0 && r.y1 <= y1;
          }
        printf ("  %-20s %7u %6.2f ms %8.2f ms %8.2f ms %8.2f ms   (zoom %.3f)\n", views[v].name, visible, image_ms,
                kinds[0], kinds[1], kinds[2], zoom);
      }
    }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  gtk_window_destroy (GTK_WINDOW (window));
}
#endif

int
main (int argc, char **argv)
{
  guint n = 10000, repeats = 200;
  const char *only = NULL;

  /* So the heap figures count the objects: GLib 2.74's slice allocator keeps pools of its own,
   * and reads G_SLICE before main runs. */
  if (g_strcmp0 (g_getenv ("G_SLICE"), "always-malloc") != 0)
    {
      g_setenv ("G_SLICE", "always-malloc", TRUE);
      execv ("/proc/self/exe", argv);
    }
  for (int i = 1; i < argc; i++)
    if (strcmp (argv[i], "--repeats") == 0 && i + 1 < argc)
      repeats = (guint) atoi (argv[++i]);
    else if (strcmp (argv[i], "--only") == 0 && i + 1 < argc)
      only = argv[++i];
    else
      n = (guint) atoi (argv[i]);
  if (n < 200 || repeats < 2)
    {
      fprintf (stderr, "usage: %s [N ≥ 200] [--repeats R ≥ 2] [--only history|hits|draw]\n", argv[0]);
      return 2;
    }

  if (only == NULL || strcmp (only, "history") == 0)
    {
      printf ("%u objects on a %.0f × %.0f image; medians of %u edits, %u undos and redos each (CPU ms)\n", n, SIZE, SIZE,
              repeats, repeats / 2);
      printf ("%-38s %26s   %26s   %s\n", "", "BmHistory now: edit undo redo", "snapshots: edit undo redo",
              "heap per step now / snapshots");
      for (EditKind kind = 0; kind < N_EDITS; kind++)
        {
          Figures now, before;

          bench_history (n, repeats, kind, FALSE, &now);
          bench_history (n, repeats, kind, TRUE, &before);
          printf ("%-38s %8.4f %8.4f %8.4f ms   %8.3f %8.3f %8.3f ms   %9.0f B / %9.0f B   undo %s%.0f×\n",
                  edit_names[kind], now.edit, now.undo, now.redo, before.edit, before.undo, before.redo, now.bytes,
                  before.bytes, now.undo < 0.0001 ? "> " : "", before.undo / MAX (now.undo, 0.0001));
        }
    }
  if (only == NULL || strcmp (only, "hits") == 0)
    bench_hits (n, repeats);
#ifdef BM_BENCH_DRAW
  if (only == NULL || strcmp (only, "draw") == 0)
    bench_draw (n, repeats);
#else
  printf ("canvas drawing: not built (no GTK)\n");
#endif
  return 0;
}
