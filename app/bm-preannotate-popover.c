/* bm-preannotate-popover.c: the pre-annotation settings.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "core/bm-cascade-names.h"
#include "bm-preannotate-popover.h"

struct _BmPreannotatePopover
{
  GtkPopover parent_instance;

  GtkDropDown   *cascade;
  GtkSpinButton *scale_factor;
  GtkSpinButton *min_neighbors;
  GtkSpinButton *min_size;
  GtkEntry      *label;
  GtkSpinButton *iou;
  GtkSpinButton *min_score;
};

G_DEFINE_FINAL_TYPE (BmPreannotatePopover, bm_preannotate_popover, GTK_TYPE_POPOVER)

enum {
  PROP_0,
  PROP_MIN_SCORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
min_score_changed_cb (BmPreannotatePopover *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MIN_SCORE]);
}

static void
bm_preannotate_popover_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  BmPreannotatePopover *self = BM_PREANNOTATE_POPOVER (object);

  switch (prop_id)
    {
    case PROP_MIN_SCORE:
      g_value_set_double (value, gtk_spin_button_get_value (self->min_score));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bm_preannotate_popover_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  BmPreannotatePopover *self = BM_PREANNOTATE_POPOVER (object);

  switch (prop_id)
    {
    case PROP_MIN_SCORE:
      gtk_spin_button_set_value (self->min_score, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cascade_changed_cb (BmPreannotatePopover *self)
{
  GtkStringObject *item = gtk_drop_down_get_selected_item (self->cascade);

  if (item != NULL)
    gtk_entry_set_placeholder_text (self->label, gtk_string_object_get_string (item));
}

static void
bm_preannotate_popover_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), BM_TYPE_PREANNOTATE_POPOVER);
  G_OBJECT_CLASS (bm_preannotate_popover_parent_class)->dispose (object);
}

static void
bm_preannotate_popover_class_init (BmPreannotatePopoverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bm_preannotate_popover_dispose;
  object_class->get_property = bm_preannotate_popover_get_property;
  object_class->set_property = bm_preannotate_popover_set_property;

  /* Pre-annotations scoring below this are hidden (the window's visibility follows it). */
  properties[PROP_MIN_SCORE] =
    g_param_spec_double ("min-score", NULL, NULL, 0, 100000, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/boxmark/Boxmark/ui/bm-preannotate-popover.ui");
  gtk_widget_class_bind_template_child (widget_class, BmPreannotatePopover, cascade);
  gtk_widget_class_bind_template_child (widget_class, BmPreannotatePopover, scale_factor);
  gtk_widget_class_bind_template_child (widget_class, BmPreannotatePopover, min_neighbors);
  gtk_widget_class_bind_template_child (widget_class, BmPreannotatePopover, min_size);
  gtk_widget_class_bind_template_child (widget_class, BmPreannotatePopover, label);
  gtk_widget_class_bind_template_child (widget_class, BmPreannotatePopover, iou);
  gtk_widget_class_bind_template_child (widget_class, BmPreannotatePopover, min_score);
  gtk_widget_class_bind_template_callback (widget_class, cascade_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, min_score_changed_cb);
}

static void
bm_preannotate_popover_init (BmPreannotatePopover *self)
{
  g_autoptr(GtkStringList) cascades = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* The cascades Debian's opencv-data installs, known only at run time. */
  cascades = gtk_string_list_new ((const char *const *) bm_cascade_names_list ());
  gtk_drop_down_set_model (self->cascade, G_LIST_MODEL (cascades));
  cascade_changed_cb (self);
}

GtkWidget *
bm_preannotate_popover_new (void)
{
  return g_object_new (BM_TYPE_PREANNOTATE_POPOVER, NULL);
}

BmPreannotateSetup *
bm_preannotate_popover_get_setup (BmPreannotatePopover *self)
{
  BmPreannotateSetup *setup;
  const char *name;
  const char *label;

  g_return_val_if_fail (BM_IS_PREANNOTATE_POPOVER (self), NULL);

  name = bm_cascade_names_list ()[gtk_drop_down_get_selected (self->cascade)];
  label = gtk_editable_get_text (GTK_EDITABLE (self->label));
  setup = g_new0 (BmPreannotateSetup, 1);
  setup->cascade_path = bm_cascade_names_resolve (name);
  bm_detector_params_init (&setup->params);
  setup->params.scale_factor = gtk_spin_button_get_value (self->scale_factor);
  setup->params.min_neighbors = gtk_spin_button_get_value_as_int (self->min_neighbors);
  setup->params.min_width = setup->params.min_height = gtk_spin_button_get_value_as_int (self->min_size);
  setup->label = g_strdup (label != NULL && *label != '\0' ? label : name);
  setup->iou = gtk_spin_button_get_value (self->iou);
  return setup;
}

void
bm_preannotate_popover_set_min_neighbors (BmPreannotatePopover *self, int min_neighbors)
{
  g_return_if_fail (BM_IS_PREANNOTATE_POPOVER (self));
  gtk_spin_button_set_value (self->min_neighbors, min_neighbors);
}

void
bm_preannotate_popover_set_iou (BmPreannotatePopover *self, double iou)
{
  g_return_if_fail (BM_IS_PREANNOTATE_POPOVER (self));
  gtk_spin_button_set_value (self->iou, iou);
}
