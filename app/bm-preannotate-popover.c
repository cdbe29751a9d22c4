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
};

G_DEFINE_FINAL_TYPE (BmPreannotatePopover, bm_preannotate_popover, GTK_TYPE_POPOVER)

static GtkSpinButton *
add_spin (GtkGrid *grid, int row, const char *title, double min, double max, double step, guint digits,
          double value)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (title);
  GtkWidget *spin = gtk_spin_button_new_with_range (min, max, step);

  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), spin);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_grid_attach (grid, label, 0, row, 1, 1);
  gtk_grid_attach (grid, spin, 1, row, 1, 1);
  return GTK_SPIN_BUTTON (spin);
}

static void
add_row (GtkGrid *grid, int row, const char *title, GtkWidget *widget)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (title);

  gtk_label_set_mnemonic_widget (GTK_LABEL (label), widget);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_grid_attach (grid, label, 0, row, 1, 1);
  gtk_grid_attach (grid, widget, 1, row, 1, 1);
}

static void
cascade_changed_cb (BmPreannotatePopover *self)
{
  GtkStringObject *item = gtk_drop_down_get_selected_item (self->cascade);

  if (item != NULL)
    gtk_entry_set_placeholder_text (self->label, gtk_string_object_get_string (item));
}

static GtkWidget *
action_button (const char *title, const char *action)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (title);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_widget_set_hexpand (button, TRUE);
  return button;
}

static void
bm_preannotate_popover_class_init (BmPreannotatePopoverClass *klass)
{
}

static void
bm_preannotate_popover_init (BmPreannotatePopover *self)
{
  GtkGrid *grid = GTK_GRID (gtk_grid_new ());
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *detect;

  gtk_grid_set_row_spacing (grid, 6);
  gtk_grid_set_column_spacing (grid, 12);
  self->cascade = GTK_DROP_DOWN (gtk_drop_down_new_from_strings ((const char *const *) bm_cascade_names_list ()));
  add_row (grid, 0, _("_Cascade"), GTK_WIDGET (self->cascade));
  self->scale_factor = add_spin (grid, 1, _("_Scale factor"), 1.01, 2.0, 0.01, 2, 1.1);
  self->min_neighbors = add_spin (grid, 2, _("Min _neighbours"), 0, 100, 1, 0, 3);
  self->min_size = add_spin (grid, 3, _("Min si_ze (px)"), 0, 10000, 1, 0, 30);
  self->label = GTK_ENTRY (gtk_entry_new ());
  add_row (grid, 4, _("_Label"), GTK_WIDGET (self->label));
  self->iou = add_spin (grid, 5, _("Skip _overlap (IoU ≥)"), 0.05, 1.0, 0.05, 2, 0.5);

  detect = action_button (_("_Detect (I)"), "win.preannotate");
  gtk_widget_add_css_class (detect, "suggested-action");
  gtk_box_append (GTK_BOX (buttons), detect);
  gtk_box_append (GTK_BOX (buttons), action_button (_("To the _End (Ctrl+B)"), "win.preannotate-all"));
  gtk_grid_attach (grid, buttons, 0, 6, 2, 1);

  g_signal_connect_swapped (self->cascade, "notify::selected", G_CALLBACK (cascade_changed_cb), self);
  cascade_changed_cb (self);
  gtk_popover_set_child (GTK_POPOVER (self), GTK_WIDGET (grid));
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
