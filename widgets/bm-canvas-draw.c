/* bm-canvas-draw.c: what the canvas draws over the image tiles — objects in their class colours,
 * the first vertex of quads and rotated boxes, captions, and the message when there is no image.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>

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

typedef struct
{
  double x1, y1, x2, y2;   /* in image coordinates */
} ViewArea;

static ViewArea
view_area (const BmCanvasView *view,
           double              width,
           double              height,
           double              margin_left,
           double              margin_y,
           double              margin_right)
{
  return (ViewArea) {
    (-margin_left - view->offset_x) / view->zoom, (-margin_y - view->offset_y) / view->zoom,
    (width + margin_right - view->offset_x) / view->zoom, (height + margin_y - view->offset_y) / view->zoom,
  };
}

static gboolean
bounds_meet (const BmRect *r, const ViewArea *area)
{
  return r->x2 >= area->x1 && r->x1 <= area->x2 && r->y2 >= area->y1 && r->y1 <= area->y2;
}

static void
draw_first_vertex (cairo_t            *cr,
                   const BmShape      *shape,
                   const BmCanvasView *view)
{
  double x0 = view->offset_x + shape->p[0].x * view->zoom;
  double y0 = view->offset_y + shape->p[0].y * view->zoom;
  double x1 = view->offset_x + shape->p[1].x * view->zoom;
  double y1 = view->offset_y + shape->p[1].y * view->zoom;
  double len = hypot (x1 - x0, y1 - y0);
  double side = MIN (len, hypot (shape->p[2].x - shape->p[1].x, shape->p[2].y - shape->p[1].y) * view->zoom);
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
draw_caption (BmCanvas           *self,
              cairo_t            *cr,
              BmObject           *object,
              const GdkRGBA      *colour,
              const BmCanvasView *view)
{
  const BmShape *shape = bm_object_get_shape (object);
  g_autofree char *caption = object_caption (object);
  BmRect bounds = bm_shape_bounds (shape);
  double x, y;

  if (shape->kind == BM_SHAPE_BOX)
    {
      x = view->offset_x + bounds.x1 * view->zoom;
      y = view->offset_y + bounds.y1 * view->zoom;
    }
  else
    {
      x = view->offset_x + shape->p[0].x * view->zoom;
      y = view->offset_y + shape->p[0].y * view->zoom;
    }
  bm_object_painter_draw_caption (cr, GTK_WIDGET (self), caption, colour, x, y, 0);
}

/* Captions on tiny boxes would hide the image; zoom in (or hover) to read them. */
static gboolean
caption_fits (const BmRect *r,
              double        zoom)
{
  return (r->x2 - r->x1) * zoom >= MIN_CAPTION_BOX_WIDTH && (r->y2 - r->y1) * zoom >= MIN_CAPTION_BOX_HEIGHT;
}

static BmCanvasDetail
object_detail (double        zoom,
               const BmRect *bounds)
{
  double side = MAX (bounds->x2 - bounds->x1, bounds->y2 - bounds->y1) * zoom;

  if (side < TINY_OBJECT)
    return BM_CANVAS_DETAIL_TINY;
  return side < SMALL_OBJECT ? BM_CANVAS_DETAIL_SMALL : BM_CANVAS_DETAIL_FULL;
}

static void
draw_object_tiny (cairo_t            *cr,
                  const BmRect       *bounds,
                  const GdkRGBA      *colour,
                  const BmCanvasView *view)
{
  double x1 = round (view->offset_x + bounds->x1 * view->zoom);
  double y1 = round (view->offset_y + bounds->y1 * view->zoom);
  double x2 = MAX (x1 + 1, round (view->offset_x + bounds->x2 * view->zoom));
  double y2 = MAX (y1 + 1, round (view->offset_y + bounds->y2 * view->zoom));

  cairo_rectangle (cr, x1 - 1, y1 - 1, x2 - x1 + 2, y2 - y1 + 2);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.45 * colour->alpha);
  cairo_fill (cr);
  cairo_rectangle (cr, x1, y1, x2 - x1, y2 - y1);
  gdk_cairo_set_source_rgba (cr, colour);
  cairo_fill (cr);
}

static void
item_init (BmCanvasItem *item,
           BmObject     *object,
           guint         index)
{
  memset (item, 0, sizeof *item);
  item->shape = *bm_object_get_shape (object);
  bm_class_colour_for_label (bm_object_get_label (object), &item->colour);
  item->label = bm_object_get_label (object);
  item->label_hash = g_str_hash (item->label);
  item->index = index;
  item->difficult = bm_object_get_difficult (object) != 0;
  item->pre_annotation = bm_object_get_pre_annotation (object) != 0;
  item->has_score = bm_object_has_score (object) != 0;
  if (item->has_score)
    item->score = bm_object_get_score (object);
  item->detail = BM_CANVAS_DETAIL_FULL;
  item->in_view = TRUE;
}

void
_bm_canvas_draw_item (cairo_t            *cr,
                      const BmCanvasItem *item,
                      const BmCanvasView *view,
                      gboolean            highlighted,
                      gboolean            selected)
{
  const BmShape *shape = &item->shape;
  const GdkRGBA *colour = &item->colour;

  if (item->detail == BM_CANVAS_DETAIL_TINY)
    {
      BmRect bounds = bm_shape_bounds (shape);

      draw_object_tiny (cr, &bounds, colour, view);
      if (item->pre_annotation)
        bm_object_painter_draw_pre_annotation_marker (cr, colour, view->offset_x + bounds.x2 * view->zoom,
                                                      view->offset_y + bounds.y1 * view->zoom);
      return;
    }

  bm_object_painter_shape_path (cr, shape, view->offset_x, view->offset_y, view->zoom);
  if (item->detail == BM_CANVAS_DETAIL_SMALL)
    cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  else
    {
      cairo_set_source_rgba (cr, colour->red, colour->green, colour->blue, highlighted ? 0.12 : 0.05);
      cairo_fill_preserve (cr);
    }
  bm_object_painter_stroke_styled (cr, colour, highlighted ? 5.0 : 4.0, selected ? 3.0 : 2.0,
                                   bm_object_painter_outline_style (item->difficult, item->pre_annotation));
  if (item->pre_annotation)
    {
      BmRect bounds = bm_shape_bounds (shape);

      bm_object_painter_draw_pre_annotation_marker (cr, colour, view->offset_x + bounds.x2 * view->zoom,
                                                    view->offset_y + bounds.y1 * view->zoom);
    }

  if (shape->kind != BM_SHAPE_BOX)
    draw_first_vertex (cr, shape, view);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_DEFAULT);

  if (selected)
    for (int i = 0; i < 4; i++)
      {
        double x = view->offset_x + shape->p[i].x * view->zoom;
        double y = view->offset_y + shape->p[i].y * view->zoom;

        cairo_rectangle (cr, round (x) - 3, round (y) - 3, 6, 6);
        cairo_set_source_rgb (cr, 1, 1, 1);
        cairo_fill_preserve (cr);
        gdk_cairo_set_source_rgba (cr, colour);
        cairo_set_line_width (cr, 1.0);
        cairo_stroke (cr);
      }
}

void
_bm_canvas_draw_item_caption (BmCanvas           *self,
                              cairo_t            *cr,
                              const BmCanvasItem *item,
                              const BmCanvasView *view)
{
  BmObject *object;

  if (self->annotation == NULL || item->index >= _bm_canvas_n_objects (self))
    return;
  object = bm_annotation_get_object (self->annotation, item->index);
  /* The label is compared by address: a layer drawn for objects that have changed since is
   * thrown away by the next frame anyway, and must not show a caption of another object. */
  if (bm_object_get_label (object) == item->label)
    draw_caption (self, cr, object, &item->colour, view);
}

/* One object highlighted (hovered or selected) in full, drawn on the main thread. */
static void
draw_object (BmCanvas           *self,
             cairo_t            *cr,
             guint               index,
             BmCanvasDetail      detail,
             const BmCanvasView *view)
{
  BmCanvasItem item;

  item_init (&item, bm_annotation_get_object (self->annotation, index), index);
  item.detail = detail;
  _bm_canvas_draw_item (cr, &item, view, (int) index == self->selected || (int) index == self->hovered,
                        (int) index == self->selected);
}

static void
draw_object_caption (BmCanvas           *self,
                     cairo_t            *cr,
                     int                 index,
                     const BmCanvasView *view)
{
  BmObject *object = bm_annotation_get_object (self->annotation, index);
  GdkRGBA colour;

  bm_class_colour_for_label (bm_object_get_label (object), &colour);
  draw_caption (self, cr, object, &colour, view);
}

/* The hovered and the selected object in full, over the others. */
static void
draw_highlighted (BmCanvas           *self,
                  cairo_t            *cr,
                  const BmCanvasView *view,
                  gboolean            hovered,
                  gboolean            selected)
{
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_MITER);
  if (hovered)
    draw_object (self, cr, self->hovered, BM_CANVAS_DETAIL_FULL, view);
  if (selected)
    draw_object (self, cr, self->selected, BM_CANVAS_DETAIL_FULL, view);
}

/* A highlighted object always has its caption, over every other. */
static void
draw_highlighted_captions (BmCanvas           *self,
                           cairo_t            *cr,
                           const BmCanvasView *view,
                           gboolean            hovered,
                           gboolean            selected)
{
  if (hovered)
    draw_object_caption (self, cr, self->hovered, view);
  if (selected)
    draw_object_caption (self, cr, self->selected, view);
}

GArray *
_bm_canvas_build_items (BmCanvas           *self,
                        const BmCanvasView *view,
                        double              width,
                        double              height,
                        int                 excluded,
                        guint              *n_in_view)
{
  guint n = _bm_canvas_n_objects (self);
  ViewArea area = view_area (view, width, height, CULL_MARGIN, CULL_MARGIN, CULL_MARGIN);
  /* With captions shown, objects whose caption may reach into the view count too. */
  ViewArea caption_area = self->show_labels
    ? view_area (view, width, height, CAPTION_CULL_MARGIN_X, CAPTION_CULL_MARGIN_Y, CULL_MARGIN) : area;
  GArray *items = g_array_sized_new (FALSE, FALSE, sizeof (BmCanvasItem), MIN (n, 1024));
  guint in_view = 0;
  gboolean dense;

  for (guint i = 0; i < n; i++)
    if ((int) i != excluded && _bm_canvas_is_shown (self, i))
      {
        BmObject *object = bm_annotation_get_object (self->annotation, i);
        BmRect r = bm_shape_bounds (bm_object_get_shape (object));
        gboolean meets = bounds_meet (&r, &area);
        BmCanvasItem *item;

        if (!meets && !(self->show_labels && bounds_meet (&r, &caption_area) && caption_fits (&r, view->zoom)))
          continue;
        g_array_set_size (items, items->len + 1);
        item = &g_array_index (items, BmCanvasItem, items->len - 1);
        item_init (item, object, i);
        item->in_view = meets;
        item->caption = self->show_labels && caption_fits (&r, view->zoom);
        in_view += meets;
      }

  /* The level of detail depends on how many objects the view shows. */
  dense = in_view > DENSE_VIEW;
  for (guint k = 0; dense && k < items->len; k++)
    {
      BmCanvasItem *item = &g_array_index (items, BmCanvasItem, k);
      BmRect r = bm_shape_bounds (&item->shape);

      item->detail = object_detail (view->zoom, &r);
    }
  *n_in_view = in_view;
  return items;
}

void
_bm_canvas_snapshot_objects (BmCanvas    *self,
                             GtkSnapshot *snapshot,
                             double       width,
                             double       height)
{
  BmCanvasView view = { self->zoom, self->offset_x, self->offset_y };
  guint n = _bm_canvas_n_objects (self);
  gboolean hovered, selected;
  BmRect hovered_bounds = { 0 };
  GArray *items;
  guint in_view;
  cairo_t *cr;

  if (n == 0)
    return;

  /* First which objects meet the view (~1 ms for 10,000), so the level of detail can depend
   * on how many there are, and a kept layer can be checked against them. */
  items = _bm_canvas_build_items (self, &view, width, height, self->selected, &in_view);
  hovered = self->hovered >= 0 && self->hovered < (int) n && self->hovered != self->selected
            && _bm_canvas_is_shown (self, (guint) self->hovered);
  if (hovered)
    hovered_bounds = bm_shape_bounds (bm_object_get_shape (bm_annotation_get_object (self->annotation,
                                                                                      self->hovered)));
  selected = self->selected >= 0 && self->selected < (int) n && _bm_canvas_is_shown (self, (guint) self->selected);

  if (in_view > MANY_IN_VIEW)
    {
      /* Many objects: one layer, kept between frames (hover, pointer, dragging the selected
       * object do not change it) and redrawn off the main thread while the view moves. The
       * hovered object is in it as it is when not hovered, and drawn again over it. */
      _bm_canvas_layer_snapshot (self, snapshot, items, width, height);
      cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
      draw_highlighted (self, cr, &view, hovered, selected);
      /* The layer has the hovered object's caption when it is large enough for one. */
      draw_highlighted_captions (self, cr, &view,
                                 hovered && !(self->show_labels && caption_fits (&hovered_bounds, view.zoom)),
                                 selected);
      cairo_destroy (cr);
      return;
    }

  /* A few objects (every ordinary image) are drawn into the node straight. */
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_MITER);
  for (guint k = 0; k < items->len; k++)
    {
      const BmCanvasItem *item = &g_array_index (items, BmCanvasItem, k);

      if (item->in_view && (int) item->index != self->hovered)
        _bm_canvas_draw_item (cr, item, &view, FALSE, FALSE);
    }
  draw_highlighted (self, cr, &view, hovered, selected);
  /* Captions over every object: of the objects large enough, then of the highlighted ones. */
  for (guint k = 0; k < items->len; k++)
    {
      const BmCanvasItem *item = &g_array_index (items, BmCanvasItem, k);

      if (item->caption && (int) item->index != self->hovered)
        _bm_canvas_draw_item_caption (self, cr, item, &view);
    }
  draw_highlighted_captions (self, cr, &view, hovered, selected);
  cairo_destroy (cr);
  g_array_unref (items);
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
