/* bm-canvas.c: the widget — view (zoom, offset), GtkScrollable, properties, public API. Drawing
 * and input are in bm-canvas-draw.c and bm-canvas-input.c.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-canvas-private.h"

#include <math.h>
#include <glib/gi18n.h>


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

double
_bm_canvas_image_width (BmCanvas *self)
{
  if (self->image != NULL)
    return bm_tile_image_get_width (self->image);
  if (self->annotation != NULL)
    return bm_annotation_get_width (self->annotation);
  return 0;
}

double
_bm_canvas_image_height (BmCanvas *self)
{
  if (self->image != NULL)
    return bm_tile_image_get_height (self->image);
  if (self->annotation != NULL)
    return bm_annotation_get_height (self->annotation);
  return 0;
}

guint
_bm_canvas_n_objects (BmCanvas *self)
{
  return self->annotation ? bm_annotation_get_n_objects (self->annotation) : 0;
}

static double
fit_zoom (BmCanvas *self)
{
  double w = gtk_widget_get_width (GTK_WIDGET (self)) - 2 * FIT_MARGIN;
  double h = gtk_widget_get_height (GTK_WIDGET (self)) - 2 * FIT_MARGIN;
  double iw = _bm_canvas_image_width (self), ih = _bm_canvas_image_height (self);

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
                        has_image ? _bm_canvas_image_width (self) * self->zoom : 0, width);
  configure_adjustment (self->vadjustment, has_image ? self->offset_y : 0,
                        has_image ? _bm_canvas_image_height (self) * self->zoom : 0, height);
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

void
_bm_canvas_set_zoom_and_offset (BmCanvas *self,
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

  _bm_canvas_set_zoom_and_offset (self, zoom,
                       round ((gtk_widget_get_width (GTK_WIDGET (self)) - _bm_canvas_image_width (self) * zoom) / 2),
                       round ((gtk_widget_get_height (GTK_WIDGET (self)) - _bm_canvas_image_height (self) * zoom) / 2));
}

void
_bm_canvas_set_hovered (BmCanvas *self,
                        int       hovered)
{
  if (hovered == self->hovered)
    return;
  self->hovered = hovered;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOVERED]);
}


void
_bm_canvas_emit_pointer_moved (BmCanvas *self,
                               gboolean  inside,
                               double    x,
                               double    y)
{
  g_signal_emit (self, signals[POINTER_MOVED], 0, inside, x, y);
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
                              gtk_widget_get_scale_factor (widget), bm_tile_image_widget_uses_cairo (widget));
      _bm_canvas_snapshot_objects (self, snapshot, width, height);
      if (self->layer_func != NULL)
        {
          cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

          self->layer_func (self, cr, self->layer_data);
          cairo_destroy (cr);
        }
      if (self->overlay_func != NULL)
        {
          cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

          self->overlay_func (self, cr, self->overlay_data);
          cairo_destroy (cr);
        }
    }
  if (self->message != NULL)
    _bm_canvas_snapshot_message (self, snapshot, width, height);
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
    _bm_canvas_set_zoom_and_offset (self, self->zoom, -value, self->offset_y);
  else
    _bm_canvas_set_zoom_and_offset (self, self->zoom, self->offset_x, -value);
  self->syncing_adjustments = FALSE;
  if (!self->panning)
    _bm_canvas_set_hovered (self, bm_canvas_object_at (self, self->pointer_x, self->pointer_y));
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
  if (self->selected >= (int) _bm_canvas_n_objects (self))
    bm_canvas_set_selected (self, -1);
  if (self->hovered >= (int) _bm_canvas_n_objects (self))
    _bm_canvas_set_hovered (self, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
bm_canvas_dispose (GObject *object)
{
  BmCanvas *self = BM_CANVAS (object);

  g_clear_signal_handler (&self->annotation_changed_id, self->annotation);
  g_clear_object (&self->annotation);
  g_clear_object (&self->image);
  bm_canvas_set_visibility (self, NULL);
  bm_canvas_set_overlay_func (self, NULL, NULL, NULL);
  bm_canvas_set_layer_func (self, NULL, NULL, NULL);
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
  _bm_canvas_layers_clear (self);

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

  _bm_canvas_class_actions_init (widget_class);
}

static void
bm_canvas_init (BmCanvas *self)
{
  self->zoom = 1.0;
  self->fit = TRUE;
  self->show_labels = TRUE;
  self->selected = -1;
  self->hovered = -1;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  _bm_canvas_input_init (self);
}

/* Public API --------------------------------------------------------------------------------- */

GtkWidget *
bm_canvas_new (void)
{
  return g_object_new (BM_TYPE_CANVAS, NULL);
}

static void
image_changed_cb (BmCanvas *self)
{
  g_autoptr(GError) error = bm_tile_image_get_error (self->image);

  if (error != NULL && self->message == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Cannot show all of this image: %s"), error->message);

      bm_canvas_set_message (self, message);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
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
  if (self->image != image)
    {
      if (self->image != NULL)
        g_signal_handlers_disconnect_by_func (self->image, image_changed_cb, self);
      /* A huge image fills in as it decodes. */
      if (image != NULL)
        g_signal_connect_object (image, "changed", G_CALLBACK (image_changed_cb), self, G_CONNECT_SWAPPED);
    }
  if (g_set_object (&self->image, image))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMAGE]);

  self->hovered = -1;
  bm_canvas_set_selected (self, -1);
  bm_canvas_zoom_fit (self);
  if (self->pointer_x > 0 || self->pointer_y > 0)
    _bm_canvas_set_hovered (self, bm_canvas_object_at (self, self->pointer_x, self->pointer_y));
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

  if (index < -1 || index >= (int) _bm_canvas_n_objects (self))
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
  if (_bm_canvas_image_width (self) * zoom <= gtk_widget_get_width (GTK_WIDGET (self)))
    offset_x = round ((gtk_widget_get_width (GTK_WIDGET (self)) - _bm_canvas_image_width (self) * zoom) / 2);
  if (_bm_canvas_image_height (self) * zoom <= gtk_widget_get_height (GTK_WIDGET (self)))
    offset_y = round ((gtk_widget_get_height (GTK_WIDGET (self)) - _bm_canvas_image_height (self) * zoom) / 2);
  _bm_canvas_set_zoom_and_offset (self, zoom, offset_x, offset_y);
  if (zoom == 1.0)
    _bm_canvas_set_zoom_and_offset (self, zoom, round (self->offset_x), round (self->offset_y));
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

  if (index < 0 || index >= (int) _bm_canvas_n_objects (self))
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
  _bm_canvas_set_zoom_and_offset (self, zoom, round (width / 2 - cx * zoom), round (height / 2 - cy * zoom));
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
  for (guint i = 0; i < _bm_canvas_n_objects (self); i++)
    {
      const BmShape *shape = bm_object_get_shape (bm_annotation_get_object (self->annotation, i));
      double area;

      if (!_bm_canvas_is_shown (self, i) || !point_in_shape (shape, x, y))
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

gboolean
_bm_canvas_is_shown (BmCanvas *self,
                     guint     index)
{
  return self->visibility == NULL
         || bm_visibility_shows (self->visibility, bm_annotation_get_object (self->annotation, index));
}

static void
visibility_changed_cb (BmCanvas     *self,
                       BmVisibility *visibility)
{
  if (self->hovered >= 0 && !_bm_canvas_is_shown (self, (guint) self->hovered))
    _bm_canvas_set_hovered (self, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
bm_canvas_set_visibility (BmCanvas     *self,
                          BmVisibility *visibility)
{
  g_return_if_fail (BM_IS_CANVAS (self));
  g_return_if_fail (visibility == NULL || BM_IS_VISIBILITY (visibility));

  if (self->visibility == visibility)
    return;
  if (self->visibility != NULL)
    g_clear_signal_handler (&self->visibility_changed_id, self->visibility);
  g_set_object (&self->visibility, visibility);
  if (visibility != NULL)
    self->visibility_changed_id = g_signal_connect_swapped (visibility, "changed", G_CALLBACK (visibility_changed_cb), self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
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

void
bm_canvas_set_layer_func (BmCanvas            *self,
                          BmCanvasOverlayFunc  func,
                          gpointer             user_data,
                          GDestroyNotify       destroy)
{
  g_return_if_fail (BM_IS_CANVAS (self));

  if (self->layer_destroy != NULL)
    self->layer_destroy (self->layer_data);
  self->layer_func = func;
  self->layer_data = user_data;
  self->layer_destroy = destroy;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
