/* bm-canvas-draw.c: what the canvas draws over the image tiles — objects in their class colours,
 * the first vertex of quads and rotated boxes, captions, and the message when there is no image.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include "bm-canvas-private.h"
#include "bm-class-colour.h"
#include "bm-object-painter.h"


/* Culling: only objects whose bounds come near the view are drawn, so a zoomed-in view of an
 * image with thousands of objects costs what it shows. The margins (view pixels) cover what is
 * drawn outside an object's bounds: outline halo, vertex dot, arrowhead, pre-annotation star,
 * handles (16); and captions, which sit above the object (or inside it) and run to the right
 * of its left edge (64 up and down, 1024 to the left: a longer caption is cut short). */
#define CULL_MARGIN             16.0
#define CAPTION_CULL_MARGIN_X 1024.0
#define CAPTION_CULL_MARGIN_Y   64.0

/* Level of detail. cairo's antialiased rasteriser costs ~7 µs per fill or stroke whatever the
 * size, ~30 µs an object (fill, halo, outline, vertex dot), so a fitted view of 10,000 objects
 * took ~300 ms; drawing a class as one path is no faster (bench/bench-objects, BENCHMARKS.md).
 * When a view shows more than DENSE_VIEW objects, objects small on screen are drawn simpler:
 * under TINY_OBJECT view px across as a pixel-aligned rectangle with a dark rim (their shape is
 * not legible under a 4 px halo anyway; pixel-aligned rectangles take pixman's fast path), and
 * under SMALL_OBJECT px without antialiasing or the faint fill. A view with fewer objects —
 * every ordinary image — and the hovered and selected objects are drawn in full, as before. */
#define DENSE_VIEW   400
#define MANY_IN_VIEW 100
#define TINY_OBJECT    8.0
#define SMALL_OBJECT  24.0

typedef enum
{
  DETAIL_FULL,
  DETAIL_SMALL,
  DETAIL_TINY,
} Detail;

typedef struct
{
  double x1, y1, x2, y2;   /* in image coordinates */
} ViewArea;

static ViewArea
view_area (BmCanvas *self,
           double    width,
           double    height,
           double    margin_left,
           double    margin_y,
           double    margin_right)
{
  return (ViewArea) {
    (-margin_left - self->offset_x) / self->zoom, (-margin_y - self->offset_y) / self->zoom,
    (width + margin_right - self->offset_x) / self->zoom, (height + margin_y - self->offset_y) / self->zoom,
  };
}

static gboolean
bounds_meet (const BmRect *r, const ViewArea *area)
{
  return r->x2 >= area->x1 && r->x1 <= area->x2 && r->y2 >= area->y1 && r->y1 <= area->y2;
}

static void
draw_first_vertex (BmCanvas      *self,
                   cairo_t       *cr,
                   const BmShape *shape)
{
  double x0 = self->offset_x + shape->p[0].x * self->zoom;
  double y0 = self->offset_y + shape->p[0].y * self->zoom;
  double x1 = self->offset_x + shape->p[1].x * self->zoom;
  double y1 = self->offset_y + shape->p[1].y * self->zoom;
  double len = hypot (x1 - x0, y1 - y0);
  double side = MIN (len, hypot (shape->p[2].x - shape->p[1].x, shape->p[2].y - shape->p[1].y) * self->zoom);
  double ux, uy, mx, my, a = 7.0;

  /* Small enough not to cover small objects. */
  cairo_arc (cr, x0, y0, CLAMP (side / 5.0, 1.5, 4.0), 0, 2 * G_PI);
  cairo_fill (cr);

  if (len < 3 * a)
    return;
  /* An arrowhead in the middle of the first edge shows the point order. */
  ux = (x1 - x0) / len;
  uy = (y1 - y0) / len;
  mx = (x0 + x1) / 2 + ux * a / 2;
  my = (y0 + y1) / 2 + uy * a / 2;
  cairo_move_to (cr, mx, my);
  cairo_line_to (cr, mx - ux * a - uy * a * 0.6, my - uy * a + ux * a * 0.6);
  cairo_line_to (cr, mx - ux * a + uy * a * 0.6, my - uy * a - ux * a * 0.6);
  cairo_close_path (cr);
  cairo_fill (cr);
}

static char *
object_caption (BmObject *object)
{
  if (bm_object_has_score (object))
    {
      g_autofree char *score = bm_object_painter_format_score (bm_object_get_score (object));

      return g_strdup_printf ("%s %s", bm_object_get_label (object), score);
    }
  return g_strdup (bm_object_get_label (object));
}

static void
draw_caption (BmCanvas      *self,
              cairo_t       *cr,
              BmObject      *object,
              const GdkRGBA *colour)
{
  const BmShape *shape = bm_object_get_shape (object);
  g_autofree char *caption = object_caption (object);
  BmRect bounds = bm_shape_bounds (shape);
  double x, y;

  if (shape->kind == BM_SHAPE_BOX)
    {
      x = self->offset_x + bounds.x1 * self->zoom;
      y = self->offset_y + bounds.y1 * self->zoom;
    }
  else
    {
      x = self->offset_x + shape->p[0].x * self->zoom;
      y = self->offset_y + shape->p[0].y * self->zoom;
    }
  bm_object_painter_draw_caption (cr, GTK_WIDGET (self), caption, colour, x, y, 0);
}

static Detail
object_detail (BmCanvas     *self,
               const BmRect *bounds)
{
  double side = MAX (bounds->x2 - bounds->x1, bounds->y2 - bounds->y1) * self->zoom;

  if (side < TINY_OBJECT)
    return DETAIL_TINY;
  return side < SMALL_OBJECT ? DETAIL_SMALL : DETAIL_FULL;
}

static void
draw_object_tiny (BmCanvas      *self,
                  cairo_t       *cr,
                  const BmRect  *bounds,
                  const GdkRGBA *colour)
{
  double x1 = round (self->offset_x + bounds->x1 * self->zoom);
  double y1 = round (self->offset_y + bounds->y1 * self->zoom);
  double x2 = MAX (x1 + 1, round (self->offset_x + bounds->x2 * self->zoom));
  double y2 = MAX (y1 + 1, round (self->offset_y + bounds->y2 * self->zoom));

  cairo_rectangle (cr, x1 - 1, y1 - 1, x2 - x1 + 2, y2 - y1 + 2);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.45 * colour->alpha);
  cairo_fill (cr);
  cairo_rectangle (cr, x1, y1, x2 - x1, y2 - y1);
  gdk_cairo_set_source_rgba (cr, colour);
  cairo_fill (cr);
}

static void
draw_object (BmCanvas *self,
             cairo_t  *cr,
             guint     index,
             Detail    detail)
{
  BmObject *object = bm_annotation_get_object (self->annotation, index);
  const BmShape *shape = bm_object_get_shape (object);
  gboolean highlighted = (int) index == self->selected || (int) index == self->hovered;
  GdkRGBA colour;

  bm_class_colour_for_label (bm_object_get_label (object), &colour);

  if (detail == DETAIL_TINY)
    {
      BmRect bounds = bm_shape_bounds (shape);

      draw_object_tiny (self, cr, &bounds, &colour);
      if (bm_object_get_pre_annotation (object))
        bm_object_painter_draw_pre_annotation_marker (cr, &colour, self->offset_x + bounds.x2 * self->zoom,
                                                      self->offset_y + bounds.y1 * self->zoom);
      return;
    }

  bm_object_painter_shape_path (cr, shape, self->offset_x, self->offset_y, self->zoom);
  if (detail == DETAIL_SMALL)
    cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  else
    {
      cairo_set_source_rgba (cr, colour.red, colour.green, colour.blue, highlighted ? 0.12 : 0.05);
      cairo_fill_preserve (cr);
    }
  bm_object_painter_stroke_styled (cr, &colour, highlighted ? 5.0 : 4.0,
                                   (int) index == self->selected ? 3.0 : 2.0,
                                   bm_object_painter_outline_style (bm_object_get_difficult (object) != 0,
                                                                    bm_object_get_pre_annotation (object)));
  if (bm_object_get_pre_annotation (object))
    {
      BmRect bounds = bm_shape_bounds (shape);

      bm_object_painter_draw_pre_annotation_marker (cr, &colour, self->offset_x + bounds.x2 * self->zoom,
                                                    self->offset_y + bounds.y1 * self->zoom);
    }

  if (shape->kind != BM_SHAPE_BOX)
    draw_first_vertex (self, cr, shape);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_DEFAULT);

  if ((int) index == self->selected)
    for (int i = 0; i < 4; i++)
      {
        double x = self->offset_x + shape->p[i].x * self->zoom;
        double y = self->offset_y + shape->p[i].y * self->zoom;

        cairo_rectangle (cr, round (x) - 3, round (y) - 3, 6, 6);
        cairo_set_source_rgb (cr, 1, 1, 1);
        cairo_fill_preserve (cr);
        gdk_cairo_set_source_rgba (cr, &colour);
        cairo_set_line_width (cr, 1.0);
        cairo_stroke (cr);
      }
}

static void
draw_captions (BmCanvas *self,
               cairo_t  *cr,
               double    width,
               double    height)
{
  ViewArea area = view_area (self, width, height, CAPTION_CULL_MARGIN_X, CAPTION_CULL_MARGIN_Y, CULL_MARGIN);

  for (guint i = 0; i < _bm_canvas_n_objects (self); i++)
    {
      BmObject *object = bm_annotation_get_object (self->annotation, i);
      GdkRGBA colour;

      gboolean highlighted = (int) i == self->selected || (int) i == self->hovered;
      BmRect r;

      if (!_bm_canvas_is_shown (self, i) || (!highlighted && !self->show_labels))
        continue;
      r = bm_shape_bounds (bm_object_get_shape (object));
      if (!bounds_meet (&r, &area))
        continue;
      /* Captions on tiny boxes would hide the image; zoom in (or hover) to read them. */
      if (!highlighted && ((r.x2 - r.x1) * self->zoom < MIN_CAPTION_BOX_WIDTH ||
                           (r.y2 - r.y1) * self->zoom < MIN_CAPTION_BOX_HEIGHT))
        continue;
      bm_class_colour_for_label (bm_object_get_label (object), &colour);
      draw_caption (self, cr, object, &colour);
    }
}

void
_bm_canvas_snapshot_objects (BmCanvas    *self,
                             GtkSnapshot *snapshot,
                             double       width,
                             double       height)
{
  cairo_t *cr;
  guint n = _bm_canvas_n_objects (self);
  g_autoptr(GArray) in_view = NULL;
  cairo_surface_t *surface = NULL;
  cairo_t *node_cr;
  ViewArea area;
  gboolean dense;

  if (n == 0)
    return;

  /* First which objects meet the view (~0.05 ms for 10,000), so the level of detail can
   * depend on how many there are. */
  area = view_area (self, width, height, CULL_MARGIN, CULL_MARGIN, CULL_MARGIN);
  in_view = g_array_sized_new (FALSE, FALSE, sizeof (guint), MIN (n, 1024));
  for (guint i = 0; i < n; i++)
    if ((int) i != self->selected && (int) i != self->hovered && _bm_canvas_is_shown (self, i))
      {
        BmRect r = bm_shape_bounds (bm_object_get_shape (bm_annotation_get_object (self->annotation, i)));

        if (bounds_meet (&r, &area))
          g_array_append_val (in_view, i);
      }
  dense = in_view->len > DENSE_VIEW;

  /* With many objects, drawn into an image surface first and that painted into the cairo node:
   * the node records every fill and stroke and replays them at render time, which cost as
   * much as the drawing itself with thousands of objects. A few objects are drawn into the
   * node straight, which saves clearing and compositing a view-sized surface. */
  node_cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (in_view->len > MANY_IN_VIEW)
    {
      double scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
      int pixel_width = (int) ceil (width * scale), pixel_height = (int) ceil (height * scale);

      surface = self->objects_surface;
      if (surface == NULL || cairo_image_surface_get_width (surface) != pixel_width
          || cairo_image_surface_get_height (surface) != pixel_height)
        {
          g_clear_pointer (&self->objects_surface, cairo_surface_destroy);
          surface = self->objects_surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, pixel_width, pixel_height);
        }
      cairo_surface_set_device_scale (surface, scale, scale);
      cr = cairo_create (surface);
      cairo_set_operator (cr, CAIRO_OPERATOR_CLEAR);
      cairo_paint (cr);
      cairo_set_operator (cr, CAIRO_OPERATOR_OVER);
    }
  else
    cr = cairo_reference (node_cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_MITER);
  for (guint k = 0; k < in_view->len; k++)
    {
      guint i = g_array_index (in_view, guint, k);
      Detail detail = DETAIL_FULL;

      if (dense)
        {
          BmRect r = bm_shape_bounds (bm_object_get_shape (bm_annotation_get_object (self->annotation, i)));

          detail = object_detail (self, &r);
        }
      draw_object (self, cr, i, detail);
    }
  if (self->hovered >= 0 && self->hovered < (int) n && self->hovered != self->selected
      && _bm_canvas_is_shown (self, (guint) self->hovered))
    draw_object (self, cr, self->hovered, DETAIL_FULL);
  if (self->selected >= 0 && self->selected < (int) n && _bm_canvas_is_shown (self, (guint) self->selected))
    draw_object (self, cr, self->selected, DETAIL_FULL);
  draw_captions (self, cr, width, height);
  cairo_destroy (cr);

  if (surface != NULL)
    {
      /* The node keeps a copy-on-write snapshot of the surface: drawing the next frame into
       * it copies the pixels once for the node still held. */
      cairo_set_source_surface (node_cr, surface, 0, 0);
      cairo_paint (node_cr);
    }
  cairo_destroy (node_cr);
}

void
_bm_canvas_snapshot_message (BmCanvas    *self,
                             GtkSnapshot *snapshot,
                             double       width,
                             double       height)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), self->message);
  int tw, th;
  cairo_t *cr;

  pango_layout_set_width (layout, (int) MAX (1, width - 48) * PANGO_SCALE);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_get_pixel_size (layout, &tw, &th);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_source_rgba (cr, 1, 1, 1, 0.75);
  cairo_move_to (cr, 24, round ((height - th) / 2));
  pango_cairo_show_layout (cr, layout);
  cairo_destroy (cr);
}
