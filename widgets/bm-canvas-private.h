/* bm-canvas-private.h: what the files of BmCanvas share:
 *
 *   bm-canvas.c        the widget: view (zoom, offset), GtkScrollable, properties, public API
 *   bm-canvas-draw.c   objects, captions and the message, drawn over the image tiles
 *   bm-canvas-input.c  pointer, wheel, pan, Space, and the canvas.* actions
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

  /* The view-sized surface dense views draw their objects into, kept between frames
   * (bm-canvas-draw.c) so each frame does not allocate and fault in megabytes. */
  cairo_surface_t *objects_surface;

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
void   _bm_canvas_snapshot_message    (BmCanvas *self, GtkSnapshot *snapshot, double width, double height);

/* bm-canvas-input.c */
void   _bm_canvas_input_init          (BmCanvas *self);
void   _bm_canvas_class_actions_init  (GtkWidgetClass *widget_class);

G_END_DECLS
