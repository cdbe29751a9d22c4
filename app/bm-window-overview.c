/* bm-window-overview.c: the dataset overview (Ctrl+Shift+O), a window of its own whose bars
 * filter the file list.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "widgets/bm-dataset-overview.h"
#include "bm-window-private.h"

static void
show_items_cb (BmDatasetOverview *overview,
               GArray            *items,
               const char        *description,
               BmWindow          *self)
{
  bm_file_list_set_item_set (self->file_list, items, description);
  /* the list is where the answer is */
  if (items != NULL)
    g_object_set (self, "show-file-list", TRUE, NULL);
}

/* Another folder: the chart's images are indices of the old one. */
static void
dataset_changed_cb (BmSession  *session,
                    GParamSpec *pspec,
                    BmWindow   *self)
{
  bm_file_list_set_item_set (self->file_list, NULL, NULL);
  if (self->overview_window != NULL && gtk_widget_get_visible (GTK_WIDGET (self->overview_window)))
    bm_dataset_overview_set_dataset (BM_DATASET_OVERVIEW (self->overview), bm_session_get_dataset (self->session));
}

static void
create_overview_window (BmWindow *self)
{
  self->overview_window = GTK_WINDOW (gtk_window_new ());
  self->overview = bm_dataset_overview_new ();
  gtk_window_set_title (self->overview_window, _("Dataset Overview"));
  gtk_window_set_default_size (self->overview_window, 900, 640);
  gtk_window_set_transient_for (self->overview_window, GTK_WINDOW (self));
  gtk_window_set_hide_on_close (self->overview_window, TRUE);
  gtk_window_set_child (self->overview_window, self->overview);
  g_signal_connect_object (self->overview, "show-items", G_CALLBACK (show_items_cb), self, 0);
  g_signal_connect_object (self->session, "notify::dataset", G_CALLBACK (dataset_changed_cb), self, 0);
}

void
_bm_window_toggle_overview (BmWindow *self)
{
  if (self->overview_window != NULL && gtk_widget_get_visible (GTK_WIDGET (self->overview_window)))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->overview_window), FALSE);
      return;
    }
  if (self->overview_window == NULL)
    create_overview_window (self);
  /* counted afresh each time it opens: labels may have been saved since */
  bm_dataset_overview_set_dataset (BM_DATASET_OVERVIEW (self->overview), bm_session_get_dataset (self->session));
  gtk_window_present (self->overview_window);
}

GtkWidget *
bm_window_get_overview (BmWindow *self)
{
  g_return_val_if_fail (BM_IS_WINDOW (self), NULL);
  return self->overview;
}

void
_bm_window_overview_dispose (BmWindow *self)
{
  if (self->overview_window != NULL)
    gtk_window_destroy (self->overview_window);
  self->overview_window = NULL;
  self->overview = NULL;
}
