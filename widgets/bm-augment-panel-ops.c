/* bm-augment-panel-ops.c: the panel's operation list — a check button per operation, in the
 * order the preview applies them, with the sliders of its ranges — and what they read as.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>
#include <string.h>

#include "bm-augment-panel-private.h"

/* Operations in the order the preview applies them (Ultralytics' order: mosaic, affine, mixup,
 * colour, flips), each with a title. */
static const struct
{
  BmAugmentOpKind kind;
  const char *title;
  const char *tooltip;
} pipeline[] = {
  { BM_AUGMENT_OP_MOSAIC, N_("Mosaic"), N_("2×2 mosaic with three other images of the folder (Ultralytics)") },
  { BM_AUGMENT_OP_ROTATE, N_("Rotate"), N_("Angle drawn from ±range, counter-clockwise positive; canvas and box rule from the framework") },
  { BM_AUGMENT_OP_SCALE, N_("Scale"), N_("Resize by a factor drawn from 1 ± range") },
  { BM_AUGMENT_OP_CROP, N_("Random crop"), N_("Crop window of at least the minimum scale; the framework decides which boxes survive") },
  { BM_AUGMENT_OP_EXPAND, N_("Expand (zoom out)"), N_("Canvas up to ratio × the image, filled with the framework’s colour") },
  { BM_AUGMENT_OP_MIXUP, N_("Mixup"), N_("Blend with another image of the folder; λ from the framework’s Beta(α, α)") },
  { BM_AUGMENT_OP_CUTOUT, N_("Cutout"), N_("Erase random holes; the framework decides what happens to covered boxes") },
  { BM_AUGMENT_OP_HSV, N_("HSV jitter"), N_("Ultralytics RandomHSV gains; boxes never move") },
  { BM_AUGMENT_OP_BRIGHTNESS, N_("Brightness"), N_("Factor drawn from 1 ± range; boxes never move") },
  { BM_AUGMENT_OP_CONTRAST, N_("Contrast"), N_("Factor drawn from 1 ± range; boxes never move") },
  { BM_AUGMENT_OP_HFLIP, N_("Flip horizontally"), NULL },
  { BM_AUGMENT_OP_VFLIP, N_("Flip vertically"), NULL },
  { BM_AUGMENT_OP_LETTERBOX, N_("Letterbox"), N_("Resize and pad to the network’s square input (Ultralytics LetterBox)") },
};

typedef enum
{
  PARAM_ROTATE_DEGREES,
  PARAM_ROTATE_SCALE,
  PARAM_SCALE_RANGE,
  PARAM_CROP_MIN_SCALE,
  PARAM_EXPAND_RATIO,
  PARAM_CUTOUT_HOLES,
  PARAM_CUTOUT_SIZE,
  PARAM_HSV_H,
  PARAM_HSV_S,
  PARAM_HSV_V,
  PARAM_BRIGHTNESS,
  PARAM_CONTRAST,
  PARAM_SIZE,
  N_PARAMS
} ParamId;

G_STATIC_ASSERT (N_PARAMS == BM_AUGMENT_PANEL_N_PARAMS);

/* The mosaic and letterbox rows share one "size" adjustment: the engine has one output size. */
static const struct
{
  const char *id;
  BmAugmentOpKind kind;
  BmAugmentOpKind also;           /* a second operation showing the same adjustment, or N_OPS */
  const char *label;
  double lower, upper, step, value;
  int digits;
  gboolean spin;
} params[N_PARAMS] = {
  [PARAM_ROTATE_DEGREES] = { "rotate.degrees", BM_AUGMENT_OP_ROTATE, BM_AUGMENT_N_OPS, N_("Angle ± (°)"), 0, 180, 1, 30, 0, FALSE },
  [PARAM_ROTATE_SCALE] = { "rotate.scale", BM_AUGMENT_OP_ROTATE, BM_AUGMENT_N_OPS, N_("Scale ±"), 0, 0.9, 0.05, 0, 2, FALSE },
  [PARAM_SCALE_RANGE] = { "scale.range", BM_AUGMENT_OP_SCALE, BM_AUGMENT_N_OPS, N_("Factor ±"), 0, 0.9, 0.05, 0.5, 2, FALSE },
  [PARAM_CROP_MIN_SCALE] = { "crop.min-scale", BM_AUGMENT_OP_CROP, BM_AUGMENT_N_OPS, N_("Minimum scale"), 0.1, 1, 0.05, 0.3, 2, FALSE },
  [PARAM_EXPAND_RATIO] = { "expand.ratio", BM_AUGMENT_OP_EXPAND, BM_AUGMENT_N_OPS, N_("Ratio up to"), 1, 4, 0.1, 2, 1, FALSE },
  [PARAM_CUTOUT_HOLES] = { "cutout.holes", BM_AUGMENT_OP_CUTOUT, BM_AUGMENT_N_OPS, N_("Holes up to"), 1, BM_AUGMENT_MAX_HOLES, 1, 2, 0, TRUE },
  [PARAM_CUTOUT_SIZE] = { "cutout.size", BM_AUGMENT_OP_CUTOUT, BM_AUGMENT_N_OPS, N_("Hole side up to"), 0.05, 0.5, 0.01, 0.2, 2, FALSE },
  [PARAM_HSV_H] = { "hsv.h", BM_AUGMENT_OP_HSV, BM_AUGMENT_N_OPS, N_("Hue gain"), 0, 0.5, 0.005, 0.015, 3, FALSE },
  [PARAM_HSV_S] = { "hsv.s", BM_AUGMENT_OP_HSV, BM_AUGMENT_N_OPS, N_("Saturation gain"), 0, 1, 0.05, 0.7, 2, FALSE },
  [PARAM_HSV_V] = { "hsv.v", BM_AUGMENT_OP_HSV, BM_AUGMENT_N_OPS, N_("Value gain"), 0, 1, 0.05, 0.4, 2, FALSE },
  [PARAM_BRIGHTNESS] = { "brightness.factor", BM_AUGMENT_OP_BRIGHTNESS, BM_AUGMENT_N_OPS, N_("Factor ±"), 0, 0.9, 0.05, 0.5, 2, FALSE },
  [PARAM_CONTRAST] = { "contrast.factor", BM_AUGMENT_OP_CONTRAST, BM_AUGMENT_N_OPS, N_("Factor ±"), 0, 0.9, 0.05, 0.5, 2, FALSE },
  [PARAM_SIZE] = { "mosaic.size", BM_AUGMENT_OP_MOSAIC, BM_AUGMENT_OP_LETTERBOX, N_("Output size (px)"), 32, 2048, 32, 640, 0, TRUE },
};

static double
param (BmAugmentPanel *self, ParamId id)
{
  return gtk_adjustment_get_value (self->adjustments[id]);
}

void
bm_augment_panel_get_settings (BmAugmentPanel    *self,
                               BmAugmentSettings *settings,
                               GArray            *kinds)
{
  g_return_if_fail (BM_IS_AUGMENT_PANEL (self));
  g_return_if_fail (settings != NULL);

  bm_augment_settings_init (settings, _bm_augment_panel_get_profile (self));
  /* a preview shows the operation: it always applies */
  for (guint i = 0; i < BM_AUGMENT_N_OPS; i++)
    settings->probability[i] = 1.0;
  settings->degrees = param (self, PARAM_ROTATE_DEGREES);
  settings->rotate_scale = param (self, PARAM_ROTATE_SCALE);
  settings->scale_range[0] = 1.0 - param (self, PARAM_SCALE_RANGE);
  settings->scale_range[1] = 1.0 + param (self, PARAM_SCALE_RANGE);
  settings->crop_min_scale = param (self, PARAM_CROP_MIN_SCALE);
  settings->expand_ratio = param (self, PARAM_EXPAND_RATIO);
  settings->cutout_holes = (int) param (self, PARAM_CUTOUT_HOLES);
  settings->cutout_size[0] = param (self, PARAM_CUTOUT_SIZE) / 2;
  settings->cutout_size[1] = param (self, PARAM_CUTOUT_SIZE);
  settings->hsv_gain[0] = param (self, PARAM_HSV_H);
  settings->hsv_gain[1] = param (self, PARAM_HSV_S);
  settings->hsv_gain[2] = param (self, PARAM_HSV_V);
  settings->brightness[0] = 1.0 - param (self, PARAM_BRIGHTNESS);
  settings->brightness[1] = 1.0 + param (self, PARAM_BRIGHTNESS);
  settings->contrast[0] = 1.0 - param (self, PARAM_CONTRAST);
  settings->contrast[1] = 1.0 + param (self, PARAM_CONTRAST);
  settings->mosaic_size = (int) param (self, PARAM_SIZE);

  if (kinds != NULL)
    {
      g_array_set_size (kinds, 0);
      for (guint i = 0; i < G_N_ELEMENTS (pipeline); i++)
        if (gtk_check_button_get_active (self->op_checks[pipeline[i].kind]))
          g_array_append_val (kinds, pipeline[i].kind);
    }
}

char *
bm_augment_panel_dup_cli_ops (BmAugmentPanel *self)
{
  g_autoptr(GArray) kinds = NULL;
  BmAugmentSettings settings;

  g_return_val_if_fail (BM_IS_AUGMENT_PANEL (self), NULL);

  kinds = g_array_new (FALSE, FALSE, sizeof (BmAugmentOpKind));
  bm_augment_panel_get_settings (self, &settings, kinds);
  return bm_augment_export_ops_to_string ((const BmAugmentOpKind *) kinds->data, kinds->len, &settings);
}

/* Ticking an operation draws it anew; the others keep what they drew, so the picture does not
 * jump (issue 12). */
static void
op_toggled_cb (GtkCheckButton *check,
               BmAugmentPanel *self)
{
  for (guint k = 0; k < BM_AUGMENT_N_OPS; k++)
    if (self->op_checks[k] == check)
      {
        if (self->op_params[k] != NULL)
          gtk_widget_set_visible (self->op_params[k], gtk_check_button_get_active (check));
        bm_augment_export_draws_forget (&self->draws, (BmAugmentOpKind) k);
      }
  _bm_augment_panel_schedule_update (self);
}

/* A range changed: only its operation is drawn anew (with the same draw from the seed). */
static void
value_changed_cb (GtkAdjustment  *adjustment,
                  BmAugmentPanel *self)
{
  for (guint p = 0; p < N_PARAMS; p++)
    if (self->adjustments[p] == adjustment)
      {
        bm_augment_export_draws_forget (&self->draws, params[p].kind);
        if (params[p].also < BM_AUGMENT_N_OPS)
          bm_augment_export_draws_forget (&self->draws, params[p].also);
      }
  _bm_augment_panel_schedule_update (self);
}

static GtkWidget *
param_row (BmAugmentPanel *self, ParamId id)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (_(params[id].label));
  GtkWidget *control;

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_size_request (label, 110, -1);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (row), label);
  if (params[id].spin)
    {
      control = gtk_spin_button_new (self->adjustments[id], params[id].step, (guint) params[id].digits);
      gtk_widget_set_halign (control, GTK_ALIGN_START);
    }
  else
    {
      control = gtk_scale_new (GTK_ORIENTATION_HORIZONTAL, self->adjustments[id]);
      gtk_scale_set_digits (GTK_SCALE (control), params[id].digits);
      gtk_scale_set_draw_value (GTK_SCALE (control), TRUE);
      gtk_scale_set_value_pos (GTK_SCALE (control), GTK_POS_RIGHT);
    }
  gtk_widget_set_hexpand (control, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (control), GTK_ACCESSIBLE_PROPERTY_LABEL, _(params[id].label), -1);
  g_object_set_data (G_OBJECT (control), "parameter", (gpointer) params[id].id);
  gtk_box_append (GTK_BOX (row), control);
  return row;
}

void
_bm_augment_panel_build_operations (BmAugmentPanel *self)
{
  for (guint p = 0; p < N_PARAMS; p++)
    {
      self->adjustments[p] = g_object_ref_sink (gtk_adjustment_new (params[p].value, params[p].lower, params[p].upper,
                                                                    params[p].step, params[p].step * 10, 0));
      g_signal_connect (self->adjustments[p], "value-changed", G_CALLBACK (value_changed_cb), self);
    }
  for (guint i = 0; i < G_N_ELEMENTS (pipeline); i++)
    {
      BmAugmentOpKind kind = pipeline[i].kind;
      GtkWidget *check = gtk_check_button_new_with_label (_(pipeline[i].title));
      GtkWidget *box = NULL;

      if (pipeline[i].tooltip != NULL)
        gtk_widget_set_tooltip_text (check, _(pipeline[i].tooltip));
      gtk_box_append (self->ops_box, check);
      for (guint p = 0; p < N_PARAMS; p++)
        if (params[p].kind == kind || params[p].also == kind)
          {
            if (box == NULL)
              {
                box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
                gtk_widget_set_margin_start (box, 28);
                gtk_widget_set_visible (box, FALSE);
                gtk_box_append (self->ops_box, box);
              }
            gtk_box_append (GTK_BOX (box), param_row (self, (ParamId) p));
          }
      self->op_checks[kind] = GTK_CHECK_BUTTON (check);
      self->op_params[kind] = box;
      g_signal_connect (check, "toggled", G_CALLBACK (op_toggled_cb), self);
    }
}

void
_bm_augment_panel_dispose_operations (BmAugmentPanel *self)
{
  for (guint p = 0; p < N_PARAMS; p++)
    if (self->adjustments[p] != NULL)
      {
        g_signal_handlers_disconnect_by_data (self->adjustments[p], self);
        g_clear_object (&self->adjustments[p]);
      }
}

void
bm_augment_panel_set_op_enabled (BmAugmentPanel  *self,
                                 BmAugmentOpKind  kind,
                                 gboolean         enabled)
{
  g_return_if_fail (BM_IS_AUGMENT_PANEL (self));
  g_return_if_fail (kind < BM_AUGMENT_N_OPS);

  gtk_check_button_set_active (self->op_checks[kind], enabled);
}

gboolean
bm_augment_panel_get_op_enabled (BmAugmentPanel  *self,
                                 BmAugmentOpKind  kind)
{
  g_return_val_if_fail (BM_IS_AUGMENT_PANEL (self), FALSE);
  g_return_val_if_fail (kind < BM_AUGMENT_N_OPS, FALSE);

  return gtk_check_button_get_active (self->op_checks[kind]);
}

GtkAdjustment *
bm_augment_panel_get_adjustment (BmAugmentPanel *self,
                                 const char     *parameter)
{
  g_return_val_if_fail (BM_IS_AUGMENT_PANEL (self), NULL);
  g_return_val_if_fail (parameter != NULL, NULL);

  for (guint p = 0; p < N_PARAMS; p++)
    if (strcmp (params[p].id, parameter) == 0)
      return self->adjustments[p];
  return NULL;
}
