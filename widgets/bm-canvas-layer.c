/* bm-canvas-layer.c: the object layer of a dense view (more than a hundred objects in view).
 *
 * Drawing 10,000 objects costs 40–90 ms of cairo rasterising, several frames. Most frames do
 * not change what the objects look like: the pointer moves, an object is hovered or selected,
 * the selected object is dragged (it is drawn over the layer, not in it). So the layer is drawn
 * once into an image surface and kept as a texture, which GTK's GL renderer uploads once and
 * draws on the GPU. A frame checks that the layer still shows the objects as they are (their
 * items, compared as bytes, ~1 ms for 10,000) and only draws what is highlighted over it.
 *
 * When the view moves (zoom, pan, a resize), the kept layer is moved and scaled to it for the
 * frames it takes a worker thread to draw the exact one, as map viewers do; the worker draws
 * items (copies of the objects made on the main thread), never the objects, which the main
 * thread edits in place. Captions need the widget's Pango context, so they are added on the main
 * thread when the worker is done. When the objects have changed (an edit, undo, a filter), the
 * kept layer would show them wrong, so the new one is drawn at once, as before.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>

#include "bm-canvas-private.h"

struct _BmCanvasLayer
{
  BmCanvasView view;
  int          width;          /* view size, logical pixels */
  int          height;
  int          scale;          /* device pixels per logical one */
  gboolean     show_labels;
  int          excluded;       /* the object drawn over the layer (selected) when it was made */
  GArray      *items;          /* BmCanvasItem */

  cairo_surface_t *surface;    /* the pixels, shared with texture; not drawn into once it exists */
  GdkTexture      *texture;
};

void
_bm_canvas_layer_free (BmCanvasLayer *layer)
{
  if (layer == NULL)
    return;
  g_clear_pointer (&layer->items, g_array_unref);
  g_clear_object (&layer->texture);
  g_clear_pointer (&layer->surface, cairo_surface_destroy);
  g_free (layer);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmCanvasLayer, _bm_canvas_layer_free)

static gboolean
items_equal (GArray *a,
             GArray *b)
{
  return a->len == b->len && memcmp (a->data, b->data, (gsize) a->len * sizeof (BmCanvasItem)) == 0;
}

static gboolean
same_view (const BmCanvasView *a,
           const BmCanvasView *b)
{
  return a->zoom == b->zoom && a->offset_x == b->offset_x && a->offset_y == b->offset_y;
}

/* Thread-safe: the shapes of @layer's items into its surface (a spare one, cleared, or a new one). */
static void
layer_draw_shapes (BmCanvasLayer *layer)
{
  cairo_t *cr;

  if (layer->surface == NULL)
    layer->surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, layer->width * layer->scale,
                                                 layer->height * layer->scale);
  cairo_surface_set_device_scale (layer->surface, layer->scale, layer->scale);
  cr = cairo_create (layer->surface);
  cairo_set_operator (cr, CAIRO_OPERATOR_CLEAR);
  cairo_paint (cr);
  cairo_set_operator (cr, CAIRO_OPERATOR_OVER);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_MITER);
  for (guint k = 0; k < layer->items->len; k++)
    {
      const BmCanvasItem *item = &g_array_index (layer->items, BmCanvasItem, k);

      if (item->in_view)
        _bm_canvas_draw_item (cr, item, &layer->view, FALSE, FALSE);
    }
  cairo_destroy (cr);
}

static void
release_surface (gpointer data)
{
  cairo_surface_destroy (data);
}

/* Main thread: the captions, then the texture that shares the surface's pixels. */
static void
layer_finish (BmCanvas      *self,
              BmCanvasLayer *layer)
{
  cairo_t *cr = cairo_create (layer->surface);
  GBytes *bytes;

  for (guint k = 0; k < layer->items->len; k++)
    {
      const BmCanvasItem *item = &g_array_index (layer->items, BmCanvasItem, k);

      if (item->caption)
        _bm_canvas_draw_item_caption (self, cr, item, &layer->view);
    }
  cairo_destroy (cr);
  cairo_surface_flush (layer->surface);

  /* cairo's ARGB32 is GDK_MEMORY_DEFAULT (premultiplied, native-endian 32-bit words). */
  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (layer->surface),
                                      (gsize) cairo_image_surface_get_stride (layer->surface)
                                        * cairo_image_surface_get_height (layer->surface),
                                      release_surface, cairo_surface_reference (layer->surface));
  layer->texture = gdk_memory_texture_new (cairo_image_surface_get_width (layer->surface),
                                           cairo_image_surface_get_height (layer->surface),
                                           GDK_MEMORY_DEFAULT, bytes,
                                           cairo_image_surface_get_stride (layer->surface));
  g_bytes_unref (bytes);
  self->n_layer_draws++;
}

/* Makes @layer the kept one. The one it replaces may still be painted by the frame GTK keeps
 * (a cairo node holds a copy-on-write snapshot of its surface, so freeing it would copy 4 MB):
 * it is kept one more turn, and then its surface is kept as the spare the next layer draws
 * into, which also spares faulting in 4 MB of new memory. */
static void
layer_replace (BmCanvas      *self,
               BmCanvasLayer *layer)
{
  if (self->layer_old != NULL)
    {
      BmCanvasLayer *old = self->layer_old;

      g_clear_object (&old->texture);
      /* Only a surface no one else holds (GL renderers may keep a texture's pixels). */
      if (old->surface != NULL && cairo_surface_get_reference_count (old->surface) == 1)
        {
          g_clear_pointer (&self->layer_spare, cairo_surface_destroy);
          self->layer_spare = g_steal_pointer (&old->surface);
        }
      _bm_canvas_layer_free (old);
    }
  self->layer_old = self->layer;
  self->layer = layer;
}

/* The spare surface, if it fits @layer. */
static void
layer_take_spare (BmCanvas      *self,
                  BmCanvasLayer *layer)
{
  if (self->layer_spare != NULL
      && cairo_image_surface_get_width (self->layer_spare) == layer->width * layer->scale
      && cairo_image_surface_get_height (self->layer_spare) == layer->height * layer->scale)
    layer->surface = g_steal_pointer (&self->layer_spare);
}

static void
layer_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  layer_draw_shapes (task_data);
  g_task_return_boolean (task, TRUE);
}

/* Whether the items @layer was made of are still what the objects look like from its view,
 * apart from the object it left out (which may have moved: it is drawn over the layer). */
static gboolean
layer_still_true (BmCanvas      *self,
                  BmCanvasLayer *layer)
{
  g_autoptr(GArray) items = NULL;
  guint in_view;

  if (layer->show_labels != self->show_labels)
    return FALSE;
  items = _bm_canvas_build_items (self, &layer->view, layer->width, layer->height, layer->excluded, &in_view);
  return items_equal (items, layer->items);
}

static void
layer_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  BmCanvas *self = BM_CANVAS (source);
  BmCanvasLayer *layer = user_data;

  g_assert (self->layer_pending == layer);
  self->layer_pending = NULL;
  /* Kept if it still shows the objects as they are (then it is at least a closer stand-in
   * for the view the canvas has moved on to); the next frame starts another if needed. */
  if (self->annotation != NULL && layer_still_true (self, layer))
    {
      layer_finish (self, layer);
      layer_replace (self, layer);
    }
  else
    _bm_canvas_layer_free (layer);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
append_layer (BmCanvas            *self,
              GtkSnapshot         *snapshot,
              const BmCanvasLayer *layer,
              const BmCanvasView  *view,
              double               width,
              double               height)
{
  /* Where the layer's view rectangle lands in the current view. */
  double s = view->zoom / layer->view.zoom;
  double x = view->offset_x - layer->view.offset_x * s, y = view->offset_y - layer->view.offset_y * s;

  if (bm_tile_image_widget_uses_cairo (GTK_WIDGET (self)))
    {
      /* GTK's cairo renderer copies a texture into a new surface on every frame (page faults
       * on 4 MB, half of a frame's cost); painting the surface itself costs one composite. */
      cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

      cairo_translate (cr, x, y);
      cairo_scale (cr, s, s);
      cairo_set_source_surface (cr, layer->surface, 0, 0);
      cairo_paint (cr);
      cairo_destroy (cr);
      return;
    }
  /* The GL renderer uploads a texture once and draws it on the GPU. */
  gtk_snapshot_append_texture (snapshot, layer->texture,
                               &GRAPHENE_RECT_INIT (x, y, layer->width * s, layer->height * s));
}

void
_bm_canvas_layer_snapshot (BmCanvas    *self,
                           GtkSnapshot *snapshot,
                           GArray      *items,
                           double       width,
                           double       height)
{
  g_autoptr(BmCanvasLayer) layer = g_new0 (BmCanvasLayer, 1);
  BmCanvasLayer *kept = self->layer;
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));

  layer->view = (BmCanvasView) { self->zoom, self->offset_x, self->offset_y };
  layer->width = (int) ceil (width);
  layer->height = (int) ceil (height);
  layer->scale = scale;
  layer->show_labels = self->show_labels;
  layer->excluded = self->selected;
  layer->items = items;

  if (kept != NULL && same_view (&kept->view, &layer->view) && kept->width == layer->width
      && kept->height == layer->height && kept->scale == scale && kept->show_labels == layer->show_labels
      && kept->excluded == layer->excluded && items_equal (kept->items, items))
    {
      append_layer (self, snapshot, kept, &layer->view, width, height);
      return;
    }

  if (kept != NULL && kept->scale == scale && layer_still_true (self, kept))
    {
      /* The objects are as the kept layer shows them: only the view (or the selection) has
       * changed. It stands in, moved and scaled, until the worker is done. */
      append_layer (self, snapshot, kept, &layer->view, width, height);
      if (kept->excluded >= 0 && kept->excluded != self->selected
          && kept->excluded < (int) _bm_canvas_n_objects (self) && _bm_canvas_is_shown (self, (guint) kept->excluded))
        {
          /* Left out of the kept layer as selected then: drawn as the others are. */
          g_autoptr(GArray) one = NULL;
          cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
          guint in_view;

          one = _bm_canvas_build_items (self, &layer->view, width, height, -1, &in_view);
          for (guint k = 0; k < one->len; k++)
            {
              const BmCanvasItem *item = &g_array_index (one, BmCanvasItem, k);

              if ((int) item->index == kept->excluded)
                {
                  cairo_set_line_join (cr, CAIRO_LINE_JOIN_MITER);
                  if (item->in_view)
                    _bm_canvas_draw_item (cr, item, &layer->view, FALSE, FALSE);
                  if (item->caption)
                    _bm_canvas_draw_item_caption (self, cr, item, &layer->view);
                }
            }
          cairo_destroy (cr);
        }
      if (self->layer_pending == NULL)
        {
          g_autoptr(GTask) task = g_task_new (self, NULL, layer_done_cb, layer);

          self->layer_pending = layer;
          layer_take_spare (self, layer);
          g_task_set_task_data (task, g_steal_pointer (&layer), NULL);
          g_task_set_name (task, "[boxmark] canvas layer");
          g_task_run_in_thread (task, layer_thread);
        }
      return;
    }

  /* No layer, or one that shows objects that have changed: drawn now. */
  layer_take_spare (self, layer);
  layer_draw_shapes (layer);
  layer_finish (self, layer);
  append_layer (self, snapshot, layer, &layer->view, width, height);
  layer_replace (self, g_steal_pointer (&layer));
}

void
_bm_canvas_layers_clear (BmCanvas *self)
{
  g_clear_pointer (&self->layer, _bm_canvas_layer_free);
  g_clear_pointer (&self->layer_old, _bm_canvas_layer_free);
  g_clear_pointer (&self->layer_spare, cairo_surface_destroy);
}
