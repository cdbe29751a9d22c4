/* bm-window-save.c: the window's side of the session's save policy — saving with a bell when it
 * fails, Save / Discard / Cancel without auto-save, and closing after a save that failed.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "bm-window-private.h"

/* Ctrl+S, and every save the window makes. */
gboolean
_bm_window_save (BmWindow *self)
{
  gboolean saved = bm_session_save (self->session);

  if (!saved)
    gtk_widget_error_bell (GTK_WIDGET (self));
  _bm_window_update_everything (self);
  return saved;
}

/* Never leave an image whose changes are only in memory. */
gboolean
_bm_window_save_if_dirty (BmWindow *self)
{
  if (!bm_session_get_dirty (self->session) || bm_session_get_annotation (self->session) == NULL)
    return TRUE;
  return _bm_window_save (self);
}

/* The labels were written: the file list, the folder's counts and the augmentation partners
 * follow the file. */
void
_bm_window_session_saved_cb (BmWindow     *self,
                             guint         index,
                             BmAnnotation *annotation,
                             BmSession    *session)
{
  bm_edit_controller_mark_saved (self->edit);
  /* the augmentation panel keeps the folder's partner pool across images */
  if (self->augment_panel != NULL)
    bm_augment_panel_labels_saved (self->augment_panel, bm_session_get_dataset (session), index);
  if (self->model != NULL)
    bm_file_list_model_update (self->model, index, annotation);
  if (self->model != NULL && bm_file_list_model_is_scanned (self->model))
    _bm_window_update_folder_counts (self);
}

void
_bm_window_set_verified (BmWindow *self,
                         gboolean  verified)
{
  if (!bm_session_get_can_edit (self->session))
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  if (verified == bm_session_get_verified (self->session))
    return;
  if (!bm_session_set_verified (self->session, verified))
    gtk_widget_error_bell (GTK_WIDGET (self));
  _bm_window_update_everything (self);
  _bm_window_notify_verified (self);
}

static gboolean
close_later_cb (gpointer data)
{
  gtk_window_close (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

/* Not from inside a dialog's response: closing frees the window the dialog belongs to. */
static void
close_later (BmWindow *self)
{
  g_idle_add_full (G_PRIORITY_DEFAULT, close_later_cb, g_object_ref (self), g_object_unref);
}

static void
ask_to_save_response_cb (BmWindow  *self,
                         int        response,
                         GtkDialog *dialog)
{
  int then = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "then"));

  gtk_window_destroy (GTK_WINDOW (dialog));
  if (response == GTK_RESPONSE_ACCEPT)
    {
      if (!_bm_window_save (self))
        return;
    }
  else if (response == GTK_RESPONSE_REJECT)
    bm_session_discard_changes (self->session);   /* the user chose to drop the changes */
  else
    return;
  /* Closed once the dialog, which is transient for us, is gone. */
  if (then == BM_WINDOW_CLOSE_AFTER_ASKING)
    close_later (self);
  else
    _bm_window_go_to (self, then);
}

static void
ask_to_save (BmWindow *self,
             int       then)
{
  GtkWidget *dialog;
  GtkWidget *button;

  dialog = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                   _("Save the changes to the labels of %s?"), _bm_window_current_name (self));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s",
                                            _("If you do not save, the changes are lost."));
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL);
  button = gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Discard Changes"), GTK_RESPONSE_REJECT);
  gtk_widget_add_css_class (button, "destructive-action");
  button = gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Save"), GTK_RESPONSE_ACCEPT);
  gtk_widget_add_css_class (button, "suggested-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  g_object_set_data (G_OBJECT (dialog), "then", GINT_TO_POINTER (then));
  g_signal_connect_swapped (dialog, "response", G_CALLBACK (ask_to_save_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

gboolean
_bm_window_leave (BmWindow *self,
                  int       then)
{
  switch (bm_session_prepare_leave (self->session))
    {
    case BM_SESSION_LEAVE_OK:
      return TRUE;
    case BM_SESSION_LEAVE_ASK:
      ask_to_save (self, then);
      return FALSE;
    case BM_SESSION_LEAVE_FAILED:
    default:
      gtk_widget_error_bell (GTK_WIDGET (self));
      _bm_window_update_everything (self);
      return FALSE;
    }
}

static void
close_dialog_response_cb (BmWindow  *self,
                          int        response,
                          GtkDialog *dialog)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
  if (response != GTK_RESPONSE_ACCEPT)
    return;
  bm_session_discard_changes (self->session);   /* the user chose to drop the change */
  close_later (self);
}

/* The labels could not be saved: the user decides, nothing is dropped silently. */
static void
ask_before_closing (BmWindow *self)
{
  GtkWidget *dialog;
  GtkWidget *button;

  dialog = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_WARNING, GTK_BUTTONS_NONE,
                                   _("The labels of %s could not be saved"), _bm_window_current_name (self));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s",
                                            bm_session_get_save_error (self->session));
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Keep Open"), GTK_RESPONSE_CANCEL);
  button = gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Close Without Saving"), GTK_RESPONSE_ACCEPT);
  gtk_widget_add_css_class (button, "destructive-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  g_signal_connect_swapped (dialog, "response", G_CALLBACK (close_dialog_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

gboolean
_bm_window_may_close (BmWindow *self)
{
  switch (bm_session_prepare_leave (self->session))
    {
    case BM_SESSION_LEAVE_OK:
      return TRUE;
    case BM_SESSION_LEAVE_ASK:
      ask_to_save (self, BM_WINDOW_CLOSE_AFTER_ASKING);
      return FALSE;
    case BM_SESSION_LEAVE_FAILED:
    default:
      gtk_widget_error_bell (GTK_WIDGET (self));
      _bm_window_update_everything (self);
      ask_before_closing (self);
      return FALSE;
    }
}
