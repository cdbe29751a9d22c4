/* bm-canvas.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-canvas.h"

#include <math.h>

#include "bm-class-colour.h"
#include "bm-object-painter.h"

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

  /* View: image point (x, y) is drawn at (offset_x + x * zoom, offset_y + y * zoom). */
  double zoom;
  double offset_x;
  double offset_y;
  guint  fit : 1;            /* keep fitting when the widget is resized */
  guint  show_labels : 1;

  int selected;
  int hovered;

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

G_DEFINE_FINAL_TYPE_WITH_CODE (BmCanvas, bm_canvas, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE, NULL))

enum {
  PROP_0,
  PROP_IMAGE,
  PROP_ANNOTATION,
  PROP_MESSAGE,
  PROP_SHOW_LABELS,
  PROP_SELECTED,
  PROP_HOVERED,
  PROP_ZOOM,
  PROP_SPACE_ACTION_NAME,
  PROP_CAN_SCROLL_HORIZONTALLY,
  PROP_CAN_SCROLL_VERTICALLY,
  N_PROPS,
  /* GtkScrollable's, overridden */
  PROP_HADJUSTMENT = N_PROPS,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY
};

static GParamSpec *properties[N_PROPS];

enum {
  POINTER_MOVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static double
image_width (BmCanvas *self)
{
  if (self->image != NULL)
    return bm_tile_image_get_width (self->image);
  if (self->annotation != NULL)
    return bm_annotation_get_width (self->annotation);
  return 0;
}

static double
image_height (BmCanvas *self)
{
  if (self->image != NULL)
    return bm_tile_image_get_height (self->image);
  if (self->annotation != NULL)
    return bm_annotation_get_height (self->annotation);
  return 0;
}

static guint
n_objects (BmCanvas *self)
{
  return self->annotation ? bm_annotation_get_n_objects (self->annotation) : 0;
}

static double
fit_zoom (BmCanvas *self)
{
  double w = gtk_widget_get_width (GTK_WIDGET (self)) - 2 * FIT_MARGIN;
  double h = gtk_widget_get_height (GTK_WIDGET (self)) - 2 * FIT_MARGIN;
  double iw = image_width (self), ih = image_height (self);

  if (iw <= 0 || ih <= 0 || w <= 0 || h <= 0)
    return 1.0;
  return MIN (w / iw, h / ih);
}

static double
min_zoom (BmCanvas *self)
{
  return MIN (fit_zoom (self) / 4.0, 1.0);
}

static void
configure_adjustment (GtkAdjustment *adjustment,
                      double         offset,
                      double         content,
                      double         view)
{
  double value = -offset;

  if (adjustment == NULL)
    return;
  gtk_adjustment_configure (adjustment, value, MIN (0, value), MAX (content, value + view),
                            MAX (view / 10, 1), MAX (view * 0.9, 1), MAX (view, 0));
}

static gboolean
adjustment_has_range (GtkAdjustment *adjustment)
{
  return adjustment != NULL &&
         gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_lower (adjustment) >
         gtk_adjustment_get_page_size (adjustment) + 0.5;
}

static void
sync_adjustments (BmCanvas *self)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  gboolean has_image = self->image != NULL;
  gboolean can_h, can_v;

  if (self->syncing_adjustments)
    return;
  self->syncing_adjustments = TRUE;
  configure_adjustment (self->hadjustment, has_image ? self->offset_x : 0,
                        has_image ? image_width (self) * self->zoom : 0, width);
  configure_adjustment (self->vadjustment, has_image ? self->offset_y : 0,
                        has_image ? image_height (self) * self->zoom : 0, height);
  self->syncing_adjustments = FALSE;

  can_h = adjustment_has_range (self->hadjustment);
  can_v = adjustment_has_range (self->vadjustment);
  if (can_h != self->can_scroll_h)
    {
      self->can_scroll_h = can_h;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_SCROLL_HORIZONTALLY]);
    }
  if (can_v != self->can_scroll_v)
    {
      self->can_scroll_v = can_v;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_SCROLL_VERTICALLY]);
    }
}

static void
set_zoom_and_offset (BmCanvas *self,
                     double    zoom,
                     double    offset_x,
                     double    offset_y)
{
  gboolean zoom_changed = zoom != self->zoom;

  self->zoom = zoom;
  self->offset_x = offset_x;
  self->offset_y = offset_y;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  sync_adjustments (self);
  if (zoom_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

static void
apply_fit (BmCanvas *self)
{
  double zoom = fit_zoom (self);

  set_zoom_and_offset (self, zoom,
                       round ((gtk_widget_get_width (GTK_WIDGET (self)) - image_width (self) * zoom) / 2),
                       round ((gtk_widget_get_height (GTK_WIDGET (self)) - image_height (self) * zoom) / 2));
}

static void
set_hovered (BmCanvas *self,
             int       hovered)
{
  if (hovered == self->hovered)
    return;
  self->hovered = hovered;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOVERED]);
}

/* Drawing ------------------------------------------------------------------------------------ */

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

static void
draw_object (BmCanvas *self,
             cairo_t  *cr,
             guint     index)
{
  BmObject *object = bm_annotation_get_object (self->annotation, index);
  const BmShape *shape = bm_object_get_shape (object);
  gboolean highlighted = (int) index == self->selected || (int) index == self->hovered;
  GdkRGBA colour;

  bm_class_colour_for_label (bm_object_get_label (object), &colour);

  bm_object_painter_shape_path (cr, shape, self->offset_x, self->offset_y, self->zoom);
  cairo_set_source_rgba (cr, colour.red, colour.green, colour.blue, highlighted ? 0.12 : 0.05);
  cairo_fill_preserve (cr);
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
               cairo_t  *cr)
{
  for (guint i = 0; i < n_objects (self); i++)
    {
      BmObject *object = bm_annotation_get_object (self->annotation, i);
      GdkRGBA colour;

      gboolean highlighted = (int) i == self->selected || (int) i == self->hovered;
      BmRect r = bm_shape_bounds (bm_object_get_shape (object));

      if (!highlighted && !self->show_labels)
        continue;
      /* Captions on tiny boxes would hide the image; zoom in (or hover) to read them. */
      if (!highlighted && ((r.x2 - r.x1) * self->zoom < MIN_CAPTION_BOX_WIDTH ||
                           (r.y2 - r.y1) * self->zoom < MIN_CAPTION_BOX_HEIGHT))
        continue;
      bm_class_colour_for_label (bm_object_get_label (object), &colour);
      draw_caption (self, cr, object, &colour);
    }
}

static void
snapshot_objects (BmCanvas    *self,
                  GtkSnapshot *snapshot,
                  double       width,
                  double       height)
{
  cairo_t *cr;
  guint n = n_objects (self);

  if (n == 0)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_MITER);
  for (guint i = 0; i < n; i++)
    if ((int) i != self->selected && (int) i != self->hovered)
      draw_object (self, cr, i);
  if (self->hovered >= 0 && self->hovered < (int) n && self->hovered != self->selected)
    draw_object (self, cr, self->hovered);
  if (self->selected >= 0 && self->selected < (int) n)
    draw_object (self, cr, self->selected);
  draw_captions (self, cr);
  cairo_destroy (cr);
}

static void
snapshot_message (BmCanvas    *self,
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

static void
bm_canvas_snapshot (GtkWidget   *widget,
                    GtkSnapshot *snapshot)
{
  BmCanvas *self = BM_CANVAS (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (self->image != NULL)
    {
      bm_tile_image_snapshot (self->image, snapshot, self->zoom, self->offset_x, self->offset_y, width, height,
                              gtk_widget_get_scale_factor (widget));
      snapshot_objects (self, snapshot, width, height);
      if (self->overlay_func != NULL)
        {
          cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

          self->overlay_func (self, cr, self->overlay_data);
          cairo_destroy (cr);
        }
    }
  if (self->message != NULL)
    snapshot_message (self, snapshot, width, height);
  gtk_snapshot_pop (snapshot);
}

static void
bm_canvas_size_allocate (GtkWidget *widget,
                         int        width,
                         int        height,
                         int        baseline)
{
  BmCanvas *self = BM_CANVAS (widget);

  if (self->fit)
    apply_fit (self);
  else
    sync_adjustments (self);
  /* Popovers parented here (the label popover) follow the canvas. */
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER (child))
      gtk_popover_present (GTK_POPOVER (child));
}

static void
bm_canvas_measure (GtkWidget      *widget,
                   GtkOrientation  orientation,
                   int             for_size,
                   int            *minimum,
                   int            *natural,
                   int            *minimum_baseline,
                   int            *natural_baseline)
{
  /* Viewport-sized, never image-sized: GTK 4.8 would rasterise a huge widget. */
  *minimum = 64;
  *natural = 400;
}

/* Geometry ----------------------------------------------------------------------------------- */

static gboolean
point_in_shape (const BmShape *shape,
                double         x,
                double         y)
{
  gboolean inside = FALSE;

  for (int i = 0, j = 3; i < 4; j = i++)
    {
      const BmPoint *a = &shape->p[i], *b = &shape->p[j];

      if ((a->y > y) != (b->y > y) && x < (b->x - a->x) * (y - a->y) / (b->y - a->y) + a->x)
        inside = !inside;
    }
  return inside;
}

/* Input -------------------------------------------------------------------------------------- */

static void
motion_cb (BmCanvas                 *self,
           double                    x,
           double                    y,
           GtkEventControllerMotion *controller)
{
  double ix, iy;

  self->pointer_x = x;
  self->pointer_y = y;
  if (!self->panning)
    set_hovered (self, bm_canvas_object_at (self, x, y));

  bm_canvas_view_to_image (self, x, y, &ix, &iy);
  g_signal_emit (self, signals[POINTER_MOVED], 0,
                 self->image != NULL && ix >= 0 && iy >= 0 && ix < image_width (self) && iy < image_height (self),
                 ix, iy);
}

static void
leave_cb (BmCanvas                 *self,
          GtkEventControllerMotion *controller)
{
  set_hovered (self, -1);
  g_signal_emit (self, signals[POINTER_MOVED], 0, FALSE, 0.0, 0.0);
}

static gboolean
scroll_cb (BmCanvas                 *self,
           double                    dx,
           double                    dy,
           GtkEventControllerScroll *controller)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if (self->image == NULL)
    return FALSE;

  if (state & GDK_CONTROL_MASK)
    {
      bm_canvas_zoom_at (self, pow (ZOOM_STEP, -dy), self->pointer_x, self->pointer_y);
      return TRUE;
    }

  if (state & GDK_SHIFT_MASK)
    {
      dx = dy;
      dy = 0;
    }
  self->fit = FALSE;
  set_zoom_and_offset (self, self->zoom, self->offset_x - dx * SCROLL_STEP, self->offset_y - dy * SCROLL_STEP);
  return TRUE;
}

static void
drag_begin_cb (BmCanvas       *self,
               double          x,
               double          y,
               GtkGestureDrag *gesture)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));

  gtk_widget_grab_focus (GTK_WIDGET (self));
  self->panning = button == GDK_BUTTON_MIDDLE || (button == GDK_BUTTON_PRIMARY && self->space_held);
  self->pan_start_x = self->offset_x;
  self->pan_start_y = self->offset_y;
  if (self->panning)
    {
      self->space_used = self->space_held;
      gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grabbing");
    }
}

static void
drag_update_cb (BmCanvas       *self,
                double          dx,
                double          dy,
                GtkGestureDrag *gesture)
{
  if (!self->panning)
    return;
  self->fit = FALSE;
  set_zoom_and_offset (self, self->zoom, self->pan_start_x + dx, self->pan_start_y + dy);
}

static void
drag_end_cb (BmCanvas       *self,
             double          dx,
             double          dy,
             GtkGestureDrag *gesture)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));
  double x, y;

  if (self->panning)
    {
      self->panning = FALSE;
      gtk_widget_set_cursor (GTK_WIDGET (self), NULL);
      return;
    }

  if (button == GDK_BUTTON_PRIMARY && hypot (dx, dy) < CLICK_SLOP &&
      gtk_gesture_drag_get_start_point (gesture, &x, &y))
    bm_canvas_set_selected (self, bm_canvas_object_at (self, x + dx, y + dy));
}

static gboolean
key_pressed_cb (BmCanvas              *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  if (keyval != GDK_KEY_space || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK)))
    return FALSE;
  if (!self->space_held)
    {
      self->space_held = TRUE;
      self->space_used = FALSE;
    }
  return TRUE;
}

static void
key_released_cb (BmCanvas              *self,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 GtkEventControllerKey *controller)
{
  if (keyval != GDK_KEY_space || !self->space_held)
    return;
  self->space_held = FALSE;
  /* A tap of Space (not Space + drag) is the key of the configured action. */
  if (!self->space_used && self->space_action_name != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), self->space_action_name, NULL);
}

/* Actions ------------------------------------------------------------------------------------ */

static void
zoom_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  BmCanvas *self = BM_CANVAS (widget);

  bm_canvas_zoom_at (self, ZOOM_STEP, gtk_widget_get_width (widget) / 2.0, gtk_widget_get_height (widget) / 2.0);
}

static void
zoom_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  BmCanvas *self = BM_CANVAS (widget);

  bm_canvas_zoom_at (self, 1.0 / ZOOM_STEP, gtk_widget_get_width (widget) / 2.0, gtk_widget_get_height (widget) / 2.0);
}

static void
zoom_fit_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  bm_canvas_zoom_fit (BM_CANVAS (widget));
}

static void
zoom_one_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  bm_canvas_set_zoom (BM_CANVAS (widget), 1.0);
}

static void
cycle_object (BmCanvas *self,
              int       step)
{
  int n = n_objects (self);

  if (n == 0)
    return;
  bm_canvas_show_object (self, ((self->selected < 0 && step < 0 ? 0 : self->selected) + step + n) % n, TRUE);
}

static void
next_object_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  cycle_object (BM_CANVAS (widget), 1);
}

static void
previous_object_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  cycle_object (BM_CANVAS (widget), -1);
}

/* GtkScrollable ------------------------------------------------------------------------------ */

static void
adjustment_value_changed_cb (BmCanvas      *self,
                             GtkAdjustment *adjustment)
{
  double value = gtk_adjustment_get_value (adjustment);

  if (self->syncing_adjustments || self->image == NULL)
    return;
  self->fit = FALSE;
  /* The range stays as it is while a scrollbar moves; the next pan or zoom recomputes it. */
  self->syncing_adjustments = TRUE;
  if (adjustment == self->hadjustment)
    set_zoom_and_offset (self, self->zoom, -value, self->offset_y);
  else
    set_zoom_and_offset (self, self->zoom, self->offset_x, -value);
  self->syncing_adjustments = FALSE;
  if (!self->panning)
    set_hovered (self, bm_canvas_object_at (self, self->pointer_x, self->pointer_y));
}

static void
set_adjustment (BmCanvas       *self,
                GtkAdjustment **slot,
                GtkAdjustment  *adjustment,
                GParamSpec     *pspec)
{
  if (adjustment != NULL && adjustment == *slot)
    return;
  if (*slot != NULL)
    {
      g_signal_handlers_disconnect_by_func (*slot, adjustment_value_changed_cb, self);
      g_clear_object (slot);
    }
  if (adjustment == NULL)
    adjustment = gtk_adjustment_new (0, 0, 0, 0, 0, 0);
  *slot = g_object_ref_sink (adjustment);
  g_signal_connect_swapped (adjustment, "value-changed", G_CALLBACK (adjustment_value_changed_cb), self);
  sync_adjustments (self);
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

/* GObject ------------------------------------------------------------------------------------ */

static void
annotation_changed_cb (BmCanvas     *self,
                       BmAnnotation *annotation)
{
  if (self->selected >= (int) n_objects (self))
    bm_canvas_set_selected (self, -1);
  if (self->hovered >= (int) n_objects (self))
    set_hovered (self, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
bm_canvas_dispose (GObject *object)
{
  BmCanvas *self = BM_CANVAS (object);

  g_clear_signal_handler (&self->annotation_changed_id, self->annotation);
  g_clear_object (&self->annotation);
  g_clear_object (&self->image);
  bm_canvas_set_overlay_func (self, NULL, NULL, NULL);
  if (self->hadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->hadjustment, adjustment_value_changed_cb, self);
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->vadjustment, adjustment_value_changed_cb, self);
  g_clear_object (&self->hadjustment);
  g_clear_object (&self->vadjustment);

  G_OBJECT_CLASS (bm_canvas_parent_class)->dispose (object);
}

static void
bm_canvas_finalize (GObject *object)
{
  BmCanvas *self = BM_CANVAS (object);

  g_free (self->message);
  g_free (self->space_action_name);

  G_OBJECT_CLASS (bm_canvas_parent_class)->finalize (object);
}

static void
bm_canvas_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  BmCanvas *self = BM_CANVAS (object);

  switch (prop_id)
    {
    case PROP_IMAGE:
      g_value_set_object (value, self->image);
      break;
    case PROP_ANNOTATION:
      g_value_set_object (value, self->annotation);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    case PROP_SHOW_LABELS:
      g_value_set_boolean (value, self->show_labels);
      break;
    case PROP_SELECTED:
      g_value_set_int (value, self->selected);
      break;
    case PROP_HOVERED:
      g_value_set_int (value, self->hovered);
      break;
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    case PROP_SPACE_ACTION_NAME:
      g_value_set_string (value, self->space_action_name);
      break;
    case PROP_CAN_SCROLL_HORIZONTALLY:
      g_value_set_boolean (value, self->can_scroll_h);
      break;
    case PROP_CAN_SCROLL_VERTICALLY:
      g_value_set_boolean (value, self->can_scroll_v);
      break;
    case PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadjustment);
      break;
    case PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadjustment);
      break;
    case PROP_HSCROLL_POLICY:
      g_value_set_enum (value, self->hscroll_policy);
      break;
    case PROP_VSCROLL_POLICY:
      g_value_set_enum (value, self->vscroll_policy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bm_canvas_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  BmCanvas *self = BM_CANVAS (object);

  switch (prop_id)
    {
    case PROP_MESSAGE:
      bm_canvas_set_message (self, g_value_get_string (value));
      break;
    case PROP_SHOW_LABELS:
      bm_canvas_set_show_labels (self, g_value_get_boolean (value));
      break;
    case PROP_SELECTED:
      bm_canvas_set_selected (self, g_value_get_int (value));
      break;
    case PROP_SPACE_ACTION_NAME:
      g_free (self->space_action_name);
      self->space_action_name = g_value_dup_string (value);
      break;
    case PROP_HADJUSTMENT:
      set_adjustment (self, &self->hadjustment, g_value_get_object (value), pspec);
      break;
    case PROP_VADJUSTMENT:
      set_adjustment (self, &self->vadjustment, g_value_get_object (value), pspec);
      break;
    case PROP_HSCROLL_POLICY:
      if (self->hscroll_policy != (guint) g_value_get_enum (value))
        {
          self->hscroll_policy = g_value_get_enum (value);
          gtk_widget_queue_resize (GTK_WIDGET (self));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_VSCROLL_POLICY:
      if (self->vscroll_policy != (guint) g_value_get_enum (value))
        {
          self->vscroll_policy = g_value_get_enum (value);
          gtk_widget_queue_resize (GTK_WIDGET (self));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bm_canvas_class_init (BmCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bm_canvas_dispose;
  object_class->finalize = bm_canvas_finalize;
  object_class->get_property = bm_canvas_get_property;
  object_class->set_property = bm_canvas_set_property;

  widget_class->snapshot = bm_canvas_snapshot;
  widget_class->size_allocate = bm_canvas_size_allocate;
  widget_class->measure = bm_canvas_measure;

  properties[PROP_IMAGE] =
    g_param_spec_object ("image", NULL, NULL, BM_TYPE_TILE_IMAGE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ANNOTATION] =
    g_param_spec_object ("annotation", NULL, NULL, BM_TYPE_ANNOTATION,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_LABELS] =
    g_param_spec_boolean ("show-labels", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED] =
    g_param_spec_int ("selected", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HOVERED] =
    g_param_spec_int ("hovered", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, 0.0, ZOOM_MAX, 1.0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SPACE_ACTION_NAME] =
    g_param_spec_string ("space-action-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /* Whether the zoomed image (or the panned view) reaches past the view: shows the scrollbars. */
  properties[PROP_CAN_SCROLL_HORIZONTALLY] =
    g_param_spec_boolean ("can-scroll-horizontally", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_SCROLL_VERTICALLY] =
    g_param_spec_boolean ("can-scroll-vertically", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  /* The pointer moved to image point (x, y); @inside is FALSE off the image. */
  signals[POINTER_MOVED] =
    g_signal_new ("pointer-moved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_BOOLEAN, G_TYPE_DOUBLE, G_TYPE_DOUBLE);

  gtk_widget_class_set_css_name (widget_class, "bmcanvas");

  gtk_widget_class_install_action (widget_class, "canvas.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "canvas.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_install_action (widget_class, "canvas.zoom-fit", NULL, zoom_fit_action);
  gtk_widget_class_install_action (widget_class, "canvas.zoom-one", NULL, zoom_one_action);
  gtk_widget_class_install_action (widget_class, "canvas.next-object", NULL, next_object_action);
  gtk_widget_class_install_action (widget_class, "canvas.previous-object", NULL, previous_object_action);
  gtk_widget_class_install_property_action (widget_class, "canvas.show-labels", "show-labels");
}

static void
bm_canvas_init (BmCanvas *self)
{
  GtkEventController *controller;
  GtkGesture *drag;

  self->zoom = 1.0;
  self->fit = TRUE;
  self->show_labels = TRUE;
  self->selected = -1;
  self->hovered = -1;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect_swapped (controller, "enter", G_CALLBACK (motion_cb), self);
  g_signal_connect_swapped (controller, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect_swapped (controller, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect_swapped (controller, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), 0);
  g_signal_connect_swapped (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect_swapped (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect_swapped (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  controller = gtk_event_controller_key_new ();
  g_signal_connect_swapped (controller, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  g_signal_connect_swapped (controller, "key-released", G_CALLBACK (key_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

/* Public API --------------------------------------------------------------------------------- */

GtkWidget *
bm_canvas_new (void)
{
  return g_object_new (BM_TYPE_CANVAS, NULL);
}

void
bm_canvas_set_content (BmCanvas     *self,
                       BmTileImage  *image,
                       BmAnnotation *annotation)
{
  g_return_if_fail (BM_IS_CANVAS (self));
  g_return_if_fail (image == NULL || BM_IS_TILE_IMAGE (image));
  g_return_if_fail (annotation == NULL || BM_IS_ANNOTATION (annotation));

  if (self->annotation != annotation)
    {
      g_clear_signal_handler (&self->annotation_changed_id, self->annotation);
      g_set_object (&self->annotation, annotation);
      if (annotation != NULL)
        self->annotation_changed_id =
          g_signal_connect_swapped (annotation, "changed", G_CALLBACK (annotation_changed_cb), self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANNOTATION]);
    }
  if (g_set_object (&self->image, image))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMAGE]);

  self->hovered = -1;
  bm_canvas_set_selected (self, -1);
  bm_canvas_zoom_fit (self);
  if (self->pointer_x > 0 || self->pointer_y > 0)
    set_hovered (self, bm_canvas_object_at (self, self->pointer_x, self->pointer_y));
}

BmTileImage *
bm_canvas_get_image (BmCanvas *self)
{
  g_return_val_if_fail (BM_IS_CANVAS (self), NULL);
  return self->image;
}

BmAnnotation *
bm_canvas_get_annotation (BmCanvas *self)
{
  g_return_val_if_fail (BM_IS_CANVAS (self), NULL);
  return self->annotation;
}

void
bm_canvas_set_message (BmCanvas   *self,
                       const char *message)
{
  g_return_if_fail (BM_IS_CANVAS (self));

  if (g_strcmp0 (message, self->message) == 0)
    return;
  g_free (self->message);
  self->message = g_strdup (message);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

const char *
bm_canvas_get_message (BmCanvas *self)
{
  g_return_val_if_fail (BM_IS_CANVAS (self), NULL);
  return self->message;
}

gboolean
bm_canvas_get_show_labels (BmCanvas *self)
{
  g_return_val_if_fail (BM_IS_CANVAS (self), FALSE);
  return self->show_labels;
}

void
bm_canvas_set_show_labels (BmCanvas *self,
                           gboolean  show_labels)
{
  g_return_if_fail (BM_IS_CANVAS (self));

  show_labels = !!show_labels;
  if (show_labels == self->show_labels)
    return;
  self->show_labels = show_labels;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_LABELS]);
}

int
bm_canvas_get_selected (BmCanvas *self)
{
  g_return_val_if_fail (BM_IS_CANVAS (self), -1);
  return self->selected;
}

void
bm_canvas_set_selected (BmCanvas *self,
                        int       index)
{
  g_return_if_fail (BM_IS_CANVAS (self));

  if (index < -1 || index >= (int) n_objects (self))
    index = -1;
  if (index == self->selected)
    return;
  self->selected = index;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

int
bm_canvas_get_hovered (BmCanvas *self)
{
  g_return_val_if_fail (BM_IS_CANVAS (self), -1);
  return self->hovered;
}

double
bm_canvas_get_zoom (BmCanvas *self)
{
  g_return_val_if_fail (BM_IS_CANVAS (self), 1.0);
  return self->zoom;
}

void
bm_canvas_zoom_fit (BmCanvas *self)
{
  g_return_if_fail (BM_IS_CANVAS (self));

  self->fit = TRUE;
  apply_fit (self);
}

void
bm_canvas_zoom_at (BmCanvas *self,
                   double    factor,
                   double    x,
                   double    y)
{
  double zoom, offset_x, offset_y;

  g_return_if_fail (BM_IS_CANVAS (self));

  zoom = CLAMP (self->zoom * factor, min_zoom (self), ZOOM_MAX);
  /* Snap to 100% when passing through it, so pixels land on pixels. */
  if ((self->zoom < 1.0 && zoom > 1.0) || (self->zoom > 1.0 && zoom < 1.0))
    zoom = 1.0;
  factor = zoom / self->zoom;
  self->fit = FALSE;
  offset_x = x - (x - self->offset_x) * factor;
  offset_y = y - (y - self->offset_y) * factor;
  /* An image smaller than the view stays in its middle, with nothing to scroll. */
  if (image_width (self) * zoom <= gtk_widget_get_width (GTK_WIDGET (self)))
    offset_x = round ((gtk_widget_get_width (GTK_WIDGET (self)) - image_width (self) * zoom) / 2);
  if (image_height (self) * zoom <= gtk_widget_get_height (GTK_WIDGET (self)))
    offset_y = round ((gtk_widget_get_height (GTK_WIDGET (self)) - image_height (self) * zoom) / 2);
  set_zoom_and_offset (self, zoom, offset_x, offset_y);
  if (zoom == 1.0)
    set_zoom_and_offset (self, zoom, round (self->offset_x), round (self->offset_y));
}

void
bm_canvas_set_zoom (BmCanvas *self,
                    double    zoom)
{
  g_return_if_fail (BM_IS_CANVAS (self));
  g_return_if_fail (zoom > 0);

  bm_canvas_zoom_at (self, zoom / self->zoom,
                     gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
                     gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

void
bm_canvas_show_object (BmCanvas *self,
                       int       index,
                       gboolean  zoom_in)
{
  double width, height, zoom, cx, cy;
  BmRect bounds;

  g_return_if_fail (BM_IS_CANVAS (self));

  if (index < 0 || index >= (int) n_objects (self))
    return;

  bm_canvas_set_selected (self, index);
  bounds = bm_shape_bounds (bm_object_get_shape (bm_annotation_get_object (self->annotation, index)));
  width = gtk_widget_get_width (GTK_WIDGET (self));
  height = gtk_widget_get_height (GTK_WIDGET (self));
  if (width <= 0 || height <= 0)
    return;

  /* The object takes about half of the view; never more zoom than 8× for tiny objects. */
  zoom = MIN (width * 0.5 / MAX (bounds.x2 - bounds.x1, 1), height * 0.5 / MAX (bounds.y2 - bounds.y1, 1));
  if (zoom_in)
    zoom = CLAMP (zoom, fit_zoom (self), MAX (8.0, fit_zoom (self)));
  else
    zoom = MIN (self->zoom, zoom * 1.6);
  zoom = CLAMP (zoom, min_zoom (self), ZOOM_MAX);

  cx = (bounds.x1 + bounds.x2) / 2;
  cy = (bounds.y1 + bounds.y2) / 2;
  self->fit = FALSE;
  set_zoom_and_offset (self, zoom, round (width / 2 - cx * zoom), round (height / 2 - cy * zoom));
}

void
bm_canvas_image_to_view (BmCanvas *self,
                         double    x,
                         double    y,
                         double   *view_x,
                         double   *view_y)
{
  g_return_if_fail (BM_IS_CANVAS (self));

  if (view_x)
    *view_x = self->offset_x + x * self->zoom;
  if (view_y)
    *view_y = self->offset_y + y * self->zoom;
}

void
bm_canvas_view_to_image (BmCanvas *self,
                         double    view_x,
                         double    view_y,
                         double   *x,
                         double   *y)
{
  g_return_if_fail (BM_IS_CANVAS (self));

  if (x)
    *x = (view_x - self->offset_x) / self->zoom;
  if (y)
    *y = (view_y - self->offset_y) / self->zoom;
}

int
bm_canvas_object_at (BmCanvas *self,
                     double    view_x,
                     double    view_y)
{
  double x, y, best_area = G_MAXDOUBLE;
  int best = -1;

  g_return_val_if_fail (BM_IS_CANVAS (self), -1);

  bm_canvas_view_to_image (self, view_x, view_y, &x, &y);
  for (guint i = 0; i < n_objects (self); i++)
    {
      const BmShape *shape = bm_object_get_shape (bm_annotation_get_object (self->annotation, i));
      double area;

      if (!point_in_shape (shape, x, y))
        continue;
      area = fabs (bm_shape_area (shape));
      if (area < best_area)
        {
          best_area = area;
          best = i;
        }
    }
  return best;
}

void
bm_canvas_set_overlay_func (BmCanvas            *self,
                            BmCanvasOverlayFunc  func,
                            gpointer             user_data,
                            GDestroyNotify       destroy)
{
  g_return_if_fail (BM_IS_CANVAS (self));

  if (self->overlay_destroy != NULL)
    self->overlay_destroy (self->overlay_data);
  self->overlay_func = func;
  self->overlay_data = user_data;
  self->overlay_destroy = destroy;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
