/* bm-augment-preview.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-augment-preview.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "bm-class-colour.h"
#include "bm-object-painter.h"

#define PANE_MARGIN   8.0
#define PANE_GAP      8.0
#define ZOOM_STEP     1.25
#define ZOOM_MIN      0.25
#define ZOOM_MAX      64.0
#define MIN_CAPTION_WIDTH 40.0

typedef struct
{
  BmAugmentSample *sample;
  BmTileImage *display;
  double display_scale;           /* display px per image px */
} Shown;

struct _BmAugmentPreview
{
  GtkWidget parent_instance;

  /* Owned references */
  Shown sample;
  Shown original;
  char *message;

  BmAugmentPreviewMode mode;
  double zoom;                    /* × the fitted zoom */
  double pan_x, pan_y;            /* view px, shared by both panes */
  double drag_pan_x, drag_pan_y;
};

G_DEFINE_FINAL_TYPE (BmAugmentPreview, bm_augment_preview, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MODE,
  PROP_ZOOM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GType
bm_augment_preview_mode_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { BM_AUGMENT_PREVIEW_SAMPLE, "BM_AUGMENT_PREVIEW_SAMPLE", "sample" },
        { BM_AUGMENT_PREVIEW_SIDE_BY_SIDE, "BM_AUGMENT_PREVIEW_SIDE_BY_SIDE", "side-by-side" },
        { BM_AUGMENT_PREVIEW_ORIGINAL, "BM_AUGMENT_PREVIEW_ORIGINAL", "original" },
        { 0, NULL, NULL }
      };
      GType type = g_enum_register_static (g_intern_static_string ("BmAugmentPreviewMode"), values);

      g_once_init_leave (&type_id, type);
    }
  return type_id;
}

/* Display images ------------------------------------------------------------------------------ */

/* Each output pixel averages 2 × 2 samples spread over its factor × factor block: close to a box
 * filter for a preview, at a cost that does not grow with the factor. */
static guint8 *
downscale (const BmImage *image, int factor, int *out_width, int *out_height)
{
  int w = image->width / factor, h = image->height / factor;
  int c = image->channels;
  int a = factor / 4, b = factor - 1 - factor / 4;   /* sample offsets inside the block */
  guint8 *out = g_malloc ((gsize) w * h * c);

  for (int y = 0; y < h; y++)
    {
      const guint8 *r0 = image->data + (gsize) (y * factor + a) * image->stride;
      const guint8 *r1 = image->data + (gsize) (y * factor + b) * image->stride;
      guint8 *o = out + (gsize) y * w * c;

      for (int x = 0; x < w; x++)
        {
          gsize x0 = (gsize) (x * factor + a) * c, x1 = (gsize) (x * factor + b) * c;

          for (int k = 0; k < c; k++)
            o[x * c + k] = (guint8) ((r0[x0 + k] + r0[x1 + k] + r1[x0 + k] + r1[x1 + k] + 2) >> 2);
        }
    }
  *out_width = w;
  *out_height = h;
  return out;
}

BmTileImage *
bm_augment_preview_make_display (const BmImage *image,
                                 int            max_side,
                                 double        *scale)
{
  int longest, factor, w, h;
  g_autofree guint8 *small = NULL;
  BmTileImage *display;

  g_return_val_if_fail (image != NULL, NULL);

  if (scale != NULL)
    *scale = 1.0;
  if (image->width <= 0 || image->height <= 0 || image->data == NULL)
    return NULL;

  max_side = max_side > 0 ? MIN (max_side, BM_AUGMENT_PREVIEW_MAX_DISPLAY) : BM_AUGMENT_PREVIEW_MAX_DISPLAY;
  longest = MAX (image->width, image->height);
  /* the smallest whole factor that fits, but never below max_side: no detail the view can show is lost */
  factor = longest > BM_AUGMENT_PREVIEW_MAX_DISPLAY
           ? (longest + BM_AUGMENT_PREVIEW_MAX_DISPLAY - 1) / BM_AUGMENT_PREVIEW_MAX_DISPLAY
           : 1;
  factor = MAX (factor, longest / max_side);
  factor = MIN (factor, MIN (image->width, image->height));
  if (factor <= 1)
    return bm_tile_image_new (image->data, image->width, image->height, image->channels, image->stride);

  small = downscale (image, factor, &w, &h);
  display = bm_tile_image_new (small, w, h, image->channels, w * image->channels);
  if (scale != NULL)
    *scale = (double) w / image->width;
  return display;
}

/* Layout --------------------------------------------------------------------------------------- */

typedef struct
{
  const Shown *shown;
  gboolean original;
  double x, y, width, height;     /* the pane, in widget coordinates */
  double zoom;                    /* view px per image px */
  double offset_x, offset_y;      /* image (0, 0) in widget coordinates */
} Pane;

static void
pane_fit (BmAugmentPreview *self, Pane *pane)
{
  const BmImage *image = pane->shown->sample ? pane->shown->sample->image : NULL;
  double iw = image ? image->width : 0, ih = image ? image->height : 0;
  double w = pane->width - 2 * PANE_MARGIN, h = pane->height - 2 * PANE_MARGIN;
  double fit = (iw > 0 && ih > 0 && w > 0 && h > 0) ? MIN (w / iw, h / ih) : 1.0;

  pane->zoom = fit * self->zoom;
  pane->offset_x = round (pane->x + (pane->width - iw * pane->zoom) / 2 + self->pan_x);
  pane->offset_y = round (pane->y + (pane->height - ih * pane->zoom) / 2 + self->pan_y);
}

/* Fills @panes; returns how many are shown. */
static guint
layout_panes (BmAugmentPreview *self, Pane panes[2])
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  guint n = 0;

  switch (self->mode)
    {
    case BM_AUGMENT_PREVIEW_SIDE_BY_SIDE:
      {
        double half = floor ((width - PANE_GAP) / 2);

        panes[n++] = (Pane) { &self->original, TRUE, 0, 0, half, height };
        panes[n++] = (Pane) { &self->sample, FALSE, width - half, 0, half, height };
      }
      break;
    case BM_AUGMENT_PREVIEW_ORIGINAL:
      panes[n++] = (Pane) { &self->original, TRUE, 0, 0, width, height };
      break;
    case BM_AUGMENT_PREVIEW_SAMPLE:
    default:
      panes[n++] = (Pane) { &self->sample, FALSE, 0, 0, width, height };
      break;
    }
  for (guint i = 0; i < n; i++)
    pane_fit (self, &panes[i]);
  return n;
}

/* Drawing -------------------------------------------------------------------------------------- */

static char *
item_caption (const BmAugmentItem *item)
{
  const char *label = bm_object_get_label (item->object);

  if (item->dropped)
    return g_strdup_printf (_("%s (dropped)"), label);
  if (item->weight != 1.0)
    return g_strdup_printf ("%s %.2f", label, item->weight);
  return g_strdup (label);
}

static void
draw_caption (BmAugmentPreview    *self,
              cairo_t             *cr,
              const Pane          *pane,
              const BmAugmentItem *item,
              const GdkRGBA       *colour)
{
  BmRect r = bm_shape_bounds (bm_object_get_shape (item->object));
  g_autofree char *caption = NULL;

  if ((r.x2 - r.x1) * pane->zoom < MIN_CAPTION_WIDTH)
    return;
  caption = item_caption (item);
  bm_object_painter_draw_caption (cr, GTK_WIDGET (self), caption, colour,
                                  pane->offset_x + r.x1 * pane->zoom,
                                  pane->offset_y + r.y1 * pane->zoom, pane->y);
}

static void
item_colour (const BmAugmentItem *item, GdkRGBA *colour)
{
  if (item->dropped)
    *colour = (GdkRGBA) { 0.62, 0.62, 0.62, 0.9 };
  else
    {
      bm_class_colour_for_label (bm_object_get_label (item->object), colour);
      /* a mixup weight is the training weight of the box: show it as opacity */
      colour->alpha = CLAMP (item->weight, 0.35, 1.0);
    }
}

static void
draw_item (cairo_t *cr, const Pane *pane, const BmAugmentItem *item)
{
  GdkRGBA colour;

  item_colour (item, &colour);
  bm_object_painter_shape_path (cr, bm_object_get_shape (item->object),
                                pane->offset_x, pane->offset_y, pane->zoom);
  bm_object_painter_stroke_outline (cr, &colour, 4.0, 2.0, item->dropped);
}

static void
draw_pane_title (BmAugmentPreview *self, cairo_t *cr, const Pane *pane)
{
  g_autoptr(PangoLayout) layout =
    gtk_widget_create_pango_layout (GTK_WIDGET (self), pane->original ? _("Original") : _("Augmented"));
  int tw, th;

  pango_layout_get_pixel_size (layout, &tw, &th);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.6);
  cairo_rectangle (cr, pane->x + 4, pane->y + 4, tw + 8, th + 4);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_move_to (cr, pane->x + 8, pane->y + 6);
  pango_cairo_show_layout (cr, layout);
}

static void
snapshot_pane (BmAugmentPreview *self,
               GtkSnapshot      *snapshot,
               const Pane       *pane,
               gboolean          titled)
{
  const BmAugmentSample *sample = pane->shown->sample;
  cairo_t *cr;

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (pane->x, pane->y, pane->width, pane->height));
  if (sample != NULL && pane->shown->display != NULL)
    {
      double s = pane->shown->display_scale;

      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (pane->x, pane->y));
      bm_tile_image_snapshot (pane->shown->display, snapshot, pane->zoom / s,
                              pane->offset_x - pane->x, pane->offset_y - pane->y,
                              pane->width, pane->height, gtk_widget_get_scale_factor (GTK_WIDGET (self)),
                              bm_tile_image_widget_uses_cairo (GTK_WIDGET (self)));
      gtk_snapshot_restore (snapshot);
    }

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (pane->x, pane->y, pane->width, pane->height));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_MITER);
  if (sample != NULL)
    {
      guint n = bm_augment_sample_get_n_items (sample);

      /* dropped ones first, so survivors stay on top */
      for (int pass = 0; pass < 2; pass++)
        for (guint i = 0; i < n; i++)
          {
            const BmAugmentItem *item = bm_augment_sample_get_item (sample, i);

            if (item->dropped == (pass == 0))
              draw_item (cr, pane, item);
          }
      for (guint i = 0; i < n; i++)
        {
          const BmAugmentItem *item = bm_augment_sample_get_item (sample, i);
          GdkRGBA colour;

          item_colour (item, &colour);
          draw_caption (self, cr, pane, item, &colour);
        }
    }
  if (titled)
    draw_pane_title (self, cr, pane);
  cairo_destroy (cr);
  gtk_snapshot_pop (snapshot);
}

static void
snapshot_message (BmAugmentPreview *self,
                  GtkSnapshot      *snapshot,
                  double            width,
                  double            height)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), self->message);
  int tw, th;
  cairo_t *cr;

  pango_layout_set_width (layout, (int) MAX (1, width - 48) * PANGO_SCALE);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_get_pixel_size (layout, &tw, &th);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_source_rgba (cr, 0, 0, 0, 0.6);
  cairo_rectangle (cr, 16, round ((height - th) / 2) - 8, width - 32, th + 16);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_move_to (cr, 24, round ((height - th) / 2));
  pango_cairo_show_layout (cr, layout);
  cairo_destroy (cr);
}

static void
bm_augment_preview_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  BmAugmentPreview *self = BM_AUGMENT_PREVIEW (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  Pane panes[2];
  guint n = layout_panes (self, panes);

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  for (guint i = 0; i < n; i++)
    snapshot_pane (self, snapshot, &panes[i], n > 1);
  if (self->message != NULL)
    snapshot_message (self, snapshot, width, height);
  gtk_snapshot_pop (snapshot);
}

static void
bm_augment_preview_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  /* Viewport-sized, never image-sized: GTK 4.8 would rasterise a huge widget. */
  *minimum = 120;
  *natural = 480;
}

/* Input ---------------------------------------------------------------------------------------- */

static void
zoom_at (BmAugmentPreview *self, double zoom, double x, double y)
{
  Pane panes[2];
  guint n;
  double ratio, centre_x, centre_y;

  zoom = CLAMP (zoom, ZOOM_MIN, ZOOM_MAX);
  if (zoom == self->zoom)
    return;
  n = layout_panes (self, panes);
  /* the pane under the pointer keeps the image point under it in place */
  for (guint i = 0; i + 1 < n; i++)
    if (x >= panes[i].x + panes[i].width)
      panes[0] = panes[i + 1];
  ratio = zoom / self->zoom;
  centre_x = panes[0].x + panes[0].width / 2;
  centre_y = panes[0].y + panes[0].height / 2;
  /* offset = centre - size / 2 + pan, and the point under (x, y) must stay there */
  self->pan_x = x - centre_x - (x - centre_x - self->pan_x) * ratio;
  self->pan_y = y - centre_y - (y - centre_y - self->pan_y) * ratio;
  self->zoom = zoom;
  if (zoom == 1.0)
    self->pan_x = self->pan_y = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

static gboolean
scroll_cb (BmAugmentPreview         *self,
           double                    dx,
           double                    dy,
           GtkEventControllerScroll *controller)
{
  double x = gtk_widget_get_width (GTK_WIDGET (self)) / 2, y = gtk_widget_get_height (GTK_WIDGET (self)) / 2;
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (controller));

  if (event != NULL)
    gdk_event_get_position (event, &x, &y);
  if (dy == 0)
    return FALSE;
  zoom_at (self, self->zoom * (dy < 0 ? ZOOM_STEP : 1 / ZOOM_STEP), x, y);
  return TRUE;
}

static void
drag_begin_cb (BmAugmentPreview *self,
               double            x,
               double            y,
               GtkGestureDrag   *gesture)
{
  self->drag_pan_x = self->pan_x;
  self->drag_pan_y = self->pan_y;
}

static void
drag_update_cb (BmAugmentPreview *self,
                double            dx,
                double            dy,
                GtkGestureDrag   *gesture)
{
  if (self->zoom <= 1.0)
    return;
  self->pan_x = self->drag_pan_x + dx;
  self->pan_y = self->drag_pan_y + dy;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
click_cb (BmAugmentPreview *self,
          int               n_press,
          double            x,
          double            y,
          GtkGestureClick  *gesture)
{
  if (n_press == 2)
    bm_augment_preview_set_zoom (self, 1.0);
}

/* GObject -------------------------------------------------------------------------------------- */

static void
shown_clear (Shown *shown)
{
  g_clear_pointer (&shown->sample, bm_augment_sample_free);
  g_clear_object (&shown->display);
  shown->display_scale = 1.0;
}

static void
bm_augment_preview_dispose (GObject *object)
{
  BmAugmentPreview *self = BM_AUGMENT_PREVIEW (object);

  shown_clear (&self->sample);
  shown_clear (&self->original);
  g_clear_pointer (&self->message, g_free);

  G_OBJECT_CLASS (bm_augment_preview_parent_class)->dispose (object);
}

static void
bm_augment_preview_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  BmAugmentPreview *self = BM_AUGMENT_PREVIEW (object);

  switch (prop_id)
    {
    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bm_augment_preview_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  BmAugmentPreview *self = BM_AUGMENT_PREVIEW (object);

  switch (prop_id)
    {
    case PROP_MODE:
      bm_augment_preview_set_mode (self, g_value_get_enum (value));
      break;
    case PROP_ZOOM:
      bm_augment_preview_set_zoom (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bm_augment_preview_class_init (BmAugmentPreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bm_augment_preview_dispose;
  object_class->get_property = bm_augment_preview_get_property;
  object_class->set_property = bm_augment_preview_set_property;
  widget_class->snapshot = bm_augment_preview_snapshot;
  widget_class->measure = bm_augment_preview_measure;

  properties[PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL, BM_TYPE_AUGMENT_PREVIEW_MODE, BM_AUGMENT_PREVIEW_SAMPLE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, ZOOM_MIN, ZOOM_MAX, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "bmaugmentpreview");
}

static void
bm_augment_preview_init (BmAugmentPreview *self)
{
  GtkEventController *scroll;
  GtkGesture *drag, *click;

  self->zoom = 1.0;
  self->sample.display_scale = 1.0;
  self->original.display_scale = 1.0;
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect_swapped (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  drag = gtk_gesture_drag_new ();
  g_signal_connect_swapped (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect_swapped (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  click = gtk_gesture_click_new ();
  g_signal_connect_swapped (click, "pressed", G_CALLBACK (click_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}

GtkWidget *
bm_augment_preview_new (void)
{
  return g_object_new (BM_TYPE_AUGMENT_PREVIEW, NULL);
}

static void
shown_take (Shown *shown, BmAugmentSample *sample, BmTileImage *display, double display_scale)
{
  if (sample != NULL && display == NULL)
    display = bm_augment_preview_make_display (sample->image, 0, &display_scale);
  else if (display != NULL)
    g_object_ref (display);
  shown_clear (shown);
  shown->sample = sample;
  shown->display = display;
  shown->display_scale = display != NULL && display_scale > 0 ? display_scale : 1.0;
}

void
bm_augment_preview_take_sample (BmAugmentPreview *self,
                                BmAugmentSample  *sample,
                                BmTileImage      *display,
                                double            display_scale)
{
  g_return_if_fail (BM_IS_AUGMENT_PREVIEW (self));

  shown_take (&self->sample, sample, display, display_scale);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const BmAugmentSample *
bm_augment_preview_get_sample (BmAugmentPreview *self)
{
  g_return_val_if_fail (BM_IS_AUGMENT_PREVIEW (self), NULL);
  return self->sample.sample;
}

void
bm_augment_preview_take_original (BmAugmentPreview *self,
                                  BmAugmentSample  *original,
                                  BmTileImage      *display,
                                  double            display_scale)
{
  g_return_if_fail (BM_IS_AUGMENT_PREVIEW (self));

  shown_take (&self->original, original, display, display_scale);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const BmAugmentSample *
bm_augment_preview_get_original (BmAugmentPreview *self)
{
  g_return_val_if_fail (BM_IS_AUGMENT_PREVIEW (self), NULL);
  return self->original.sample;
}

BmAugmentPreviewMode
bm_augment_preview_get_mode (BmAugmentPreview *self)
{
  g_return_val_if_fail (BM_IS_AUGMENT_PREVIEW (self), BM_AUGMENT_PREVIEW_SAMPLE);
  return self->mode;
}

void
bm_augment_preview_set_mode (BmAugmentPreview     *self,
                             BmAugmentPreviewMode  mode)
{
  g_return_if_fail (BM_IS_AUGMENT_PREVIEW (self));
  g_return_if_fail (mode <= BM_AUGMENT_PREVIEW_ORIGINAL);

  if (mode == self->mode)
    return;
  self->mode = mode;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
}

void
bm_augment_preview_set_message (BmAugmentPreview *self,
                                const char       *message)
{
  g_return_if_fail (BM_IS_AUGMENT_PREVIEW (self));

  if (g_strcmp0 (message, self->message) == 0)
    return;
  g_free (self->message);
  self->message = g_strdup (message);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

double
bm_augment_preview_get_zoom (BmAugmentPreview *self)
{
  g_return_val_if_fail (BM_IS_AUGMENT_PREVIEW (self), 1.0);
  return self->zoom;
}

void
bm_augment_preview_set_zoom (BmAugmentPreview *self,
                             double            zoom)
{
  g_return_if_fail (BM_IS_AUGMENT_PREVIEW (self));

  zoom_at (self, zoom, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
           gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

gboolean
bm_augment_preview_image_to_view (BmAugmentPreview *self,
                                  gboolean          original,
                                  double            x,
                                  double            y,
                                  double           *view_x,
                                  double           *view_y)
{
  Pane panes[2];
  guint n;

  g_return_val_if_fail (BM_IS_AUGMENT_PREVIEW (self), FALSE);

  n = layout_panes (self, panes);
  for (guint i = 0; i < n; i++)
    if (panes[i].original == !!original && panes[i].shown->sample != NULL)
      {
        *view_x = panes[i].offset_x + x * panes[i].zoom;
        *view_y = panes[i].offset_y + y * panes[i].zoom;
        return TRUE;
      }
  return FALSE;
}

void
bm_augment_preview_set_display (BmAugmentPreview *self,
                                gboolean          original,
                                BmTileImage      *display,
                                double            display_scale)
{
  Shown *shown;

  g_return_if_fail (BM_IS_AUGMENT_PREVIEW (self));
  g_return_if_fail (BM_IS_TILE_IMAGE (display));

  shown = original ? &self->original : &self->sample;
  if (shown->sample == NULL)
    return;
  g_set_object (&shown->display, display);
  shown->display_scale = display_scale > 0 ? display_scale : 1.0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

double
bm_augment_preview_get_display_scale (BmAugmentPreview *self,
                                      gboolean          original)
{
  g_return_val_if_fail (BM_IS_AUGMENT_PREVIEW (self), 1.0);
  return original ? self->original.display_scale : self->sample.display_scale;
}

int
bm_augment_preview_get_display_budget (BmAugmentPreview *self)
{
  int width, height;

  g_return_val_if_fail (BM_IS_AUGMENT_PREVIEW (self), 0);

  width = gtk_widget_get_width (GTK_WIDGET (self));
  height = gtk_widget_get_height (GTK_WIDGET (self));
  /* before the first allocation: a typical window */
  if (width <= 1 || height <= 1)
    width = height = 1024;
  return MAX (MAX (width, height), 512) * gtk_widget_get_scale_factor (GTK_WIDGET (self));
}
