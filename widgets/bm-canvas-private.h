/* bm-canvas-private.h: what the files of BmCanvas share:
 *
 *   bm-canvas.c        the widget: view (zoom, offset), GtkScrollable, properties, public API
 *   bm-canvas-draw.c   objects, captions and the message, drawn over the image tiles
 *   bm-canvas-input.c  pointer, wheel, pan, Space, and the canvas.* actions
 *   bm-canvas-layer.c  the object layer of dense views: kept between frames, redrawn off the
 *                      main thread while the view moves
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bm-canvas.h"
#include "bm-visibility.h"

G_BEGIN_DECLS

#define ZOOM_STEP     1.25
#define ZOOM_MAX      64.0
#define SCROLL_STEP   48.0
#define FIT_MARGIN    8.0
#define CLICK_SLOP    4.0
#define MIN_CAPTION_BOX_WIDTH  40.0
#define MIN_CAPTION_BOX_HEIGHT 16.0

typedef struct _BmCanvasLayer BmCanvasLayer;

/* Level of detail of an object in a dense view (bm-canvas-draw.c). */
typedef enum
{
  BM_CANVAS_DETAIL_FULL,
  BM_CANVAS_DETAIL_SMALL,
  BM_CANVAS_DETAIL_TINY,
} BmCanvasDetail;

/* Where the image is drawn: image point (x, y) at (offset_x + x * zoom, offset_y + y * zoom). */
typedef struct
{
  double zoom;
  double offset_x;
  double offset_y;
} BmCanvasView;

/* What is drawn of one object, copied from it on the main thread: a worker thread draws items,
 * never objects, which the main thread edits in place. Items are compared with memcmp() to tell
 * whether a kept layer still shows the objects as they are, so they are zero-filled first
 * (padding included) and hold everything drawing depends on. */
typedef struct
{
  BmShape     shape;
  GdkRGBA     colour;
  double      score;
  const char *label;        /* identity only: compared, never read off the main thread */
  guint       label_hash;
  guint       index;
  guint8      detail;       /* BmCanvasDetail */
  guint8      difficult;
  guint8      pre_annotation;
  guint8      has_score;
  guint8      in_view;      /* the shape meets the view (else only its caption may) */
  guint8      caption;      /* captioned when not highlighted */
} BmCanvasItem;

struct _BmCanvas
{
  GtkWidget parent_instance;

  /* Owned references */
  BmTileImage  *image;
  BmAnnotation *annotation;
  gulong        annotation_changed_id;
  char         *message;
  char         *space_action_name;
  BmVisibility *visibility;         /* which objects are shown; NULL: all */
  gulong        visibility_changed_id;

  /* View: image point (x, y) is drawn at (offset_x + x * zoom, offset_y + y * zoom). */
  double zoom;
  double offset_x;
  double offset_y;
  guint  fit : 1;            /* keep fitting when the widget is resized */
  guint  show_labels : 1;

  int selected;
  int hovered;

  /* Dense views (bm-canvas-layer.c): the object layer last drawn, and the one being drawn on a
   * worker thread (NULL when none is). */
  BmCanvasLayer *layer;
  BmCanvasLayer *layer_pending;
  BmCanvasLayer *layer_old;         /* the one before, which the last frame may still paint */
  cairo_surface_t *layer_spare;     /* pixels the next layer can be drawn into */
  guint          n_layer_draws;     /* layers drawn since the canvas was made, for tests */

  /* Pointer and panning */
  double pointer_x;
  double pointer_y;
  guint  panning : 1;
  guint  space_held : 1;
  guint  space_used : 1;     /* Space served to pan, so releasing it is not a tap */
  double pan_start_x;
  double pan_start_y;

  BmCanvasOverlayFunc overlay_func;
  gpointer            overlay_data;
  GDestroyNotify      overlay_destroy;
  BmCanvasOverlayFunc layer_func;
  gpointer            layer_data;
  GDestroyNotify      layer_destroy;

  /* GtkScrollable: value = -offset, in view units; the range covers the zoomed image and the
   * part of the view beside it, so panning past an edge stays possible. */
  GtkAdjustment *hadjustment;
  GtkAdjustment *vadjustment;
  guint          hscroll_policy : 1;
  guint          vscroll_policy : 1;
  guint          syncing_adjustments : 1;   /* we are writing the adjustments: ignore their signals */
  guint          can_scroll_h : 1;
  guint          can_scroll_v : 1;
};

/* bm-canvas.c */
double _bm_canvas_image_width         (BmCanvas *self);
double _bm_canvas_image_height        (BmCanvas *self);
guint  _bm_canvas_n_objects           (BmCanvas *self);
/* Whether object @index is shown (not hidden by the visibility). */
gboolean _bm_canvas_is_shown          (BmCanvas *self, guint index);
void   _bm_canvas_set_zoom_and_offset (BmCanvas *self, double zoom, double offset_x, double offset_y);
void   _bm_canvas_set_hovered         (BmCanvas *self, int hovered);
void   _bm_canvas_emit_pointer_moved  (BmCanvas *self, gboolean inside, double x, double y);

/* bm-canvas-draw.c */
void   _bm_canvas_snapshot_objects    (BmCanvas *self, GtkSnapshot *snapshot, double width, double height);
/* The items a layer of @view shows: shown objects near the view but @excluded, in order.
 * Sets *@n_in_view to how many meet the view itself. */
GArray *_bm_canvas_build_items        (BmCanvas *self, const BmCanvasView *view, double width, double height,
                                       int excluded, guint *n_in_view);
/* Thread-safe: draws @item (not highlighted) with cairo only. */
void   _bm_canvas_draw_item           (cairo_t *cr, const BmCanvasItem *item, const BmCanvasView *view,
                                       gboolean highlighted, gboolean selected);
/* Main thread: the caption of object @index, if it is still the object @item was made from. */
void   _bm_canvas_draw_item_caption   (BmCanvas *self, cairo_t *cr, const BmCanvasItem *item,
                                       const BmCanvasView *view);

/* bm-canvas-layer.c */
/* Appends the object layer for @items (taken) at the current view: the kept one if it shows
 * them, else the kept one moved and scaled to the view while the exact one is drawn on a worker
 * thread, else one drawn now. */
void   _bm_canvas_layer_snapshot      (BmCanvas *self, GtkSnapshot *snapshot, GArray *items,
                                       double width, double height);
void   _bm_canvas_layer_free          (BmCanvasLayer *layer);
/* Drops the kept layers (the canvas is going, or a test wants a canvas that has drawn none). */
void   _bm_canvas_layers_clear        (BmCanvas *self);
void   _bm_canvas_snapshot_message    (BmCanvas *self, GtkSnapshot *snapshot, double width, double height);

/* bm-canvas-input.c */
void   _bm_canvas_input_init          (BmCanvas *self);
void   _bm_canvas_class_actions_init  (GtkWidgetClass *widget_class);

G_END_DECLS
