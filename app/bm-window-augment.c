/* bm-window-augment.c: the augmentation preview (Ctrl+G), a window of its own that follows the
 * image on screen while it is shown.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "bm-window-private.h"

void
_bm_window_update_augment_source (BmWindow *self)
{
  BmDataset *dataset = bm_session_get_dataset (self->session);
  int current = bm_session_get_current_index (self->session);

  if (self->augment_window == NULL || !gtk_widget_get_visible (GTK_WIDGET (self->augment_window)))
    return;
  if (current < 0 || dataset == NULL)
    bm_augment_panel_set_source (self->augment_panel, NULL, NULL, NULL, 0);
  else
    bm_augment_panel_load_source (self->augment_panel, bm_session_get_annotation (self->session), dataset,
                                  (guint) current);
}

static void
create_augment_window (BmWindow *self)
{
  GtkEventController *keys = gtk_shortcut_controller_new ();
  GtkShortcutTrigger *trigger = gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                             gtk_keyval_trigger_new (GDK_KEY_w, GDK_CONTROL_MASK));

  self->augment_window = GTK_WINDOW (gtk_window_new ());
  /* a dialog-like window: Esc and Ctrl+W close it (it is only hidden, and Ctrl+G shows it again) */
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                        gtk_shortcut_new (trigger, gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (GTK_WIDGET (self->augment_window), keys);
  self->augment_panel = BM_AUGMENT_PANEL (bm_augment_panel_new ());
  gtk_window_set_title (self->augment_window, _("Augmentation Preview"));
  gtk_window_set_default_size (self->augment_window, 1100, 760);
  gtk_window_set_transient_for (self->augment_window, GTK_WINDOW (self));
  gtk_window_set_hide_on_close (self->augment_window, TRUE);
  gtk_window_set_child (self->augment_window, GTK_WIDGET (self->augment_panel));
}

void
_bm_window_toggle_augment_preview (BmWindow *self)
{
  if (self->augment_window != NULL && gtk_widget_get_visible (GTK_WIDGET (self->augment_window)))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->augment_window), FALSE);
      return;
    }
  if (self->augment_window == NULL)
    create_augment_window (self);
  gtk_window_present (self->augment_window);
  _bm_window_update_augment_source (self);
}

void
_bm_window_augment_dispose (BmWindow *self)
{
  if (self->augment_window != NULL)
    gtk_window_destroy (self->augment_window);
  self->augment_window = NULL;
  self->augment_panel = NULL;
}
