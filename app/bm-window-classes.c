/* bm-window-classes.c: the class manager in the window — rename, merge or delete a class in the
 * whole folder, through dataset/bm-relabel (the code `boxmark-cli relabel` runs), in a worker.
 *
 * The image on screen is saved first (the class manager rewrites label files, and this one's
 * edits must be in it); afterwards the folder is opened again on the same image, so the file
 * list, the classes offered and the labels on screen are read from what is now on disk.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "dataset/bm-relabel.h"
#include "bm-window-private.h"

typedef struct
{
  BmWindow *self;
  BmDataset *dataset;
  char *old_name;
  char *new_name;     /* NULL: delete */
  char *reopen_at;    /* the image on screen, shown again afterwards */
} RelabelData;

static void
relabel_data_free (RelabelData *data)
{
  g_object_unref (data->self);
  g_object_unref (data->dataset);
  g_free (data->old_name);
  g_free (data->new_name);
  g_free (data->reopen_at);
  g_free (data);
}

static void
relabel_in_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  RelabelData *data = task_data;
  GError *error = NULL;
  BmRelabelReport *report = bm_relabel (data->dataset, data->old_name, data->new_name, FALSE, cancellable, &error);

  if (report == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, (GDestroyNotify) bm_relabel_report_free);
}

/* What was done, as a labeler reads it: counts, then every file left as it was and why. */
static char *
describe_report (const RelabelData     *data,
                 const BmRelabelReport *report)
{
  GString *text = g_string_new (NULL);

  if (data->new_name == NULL)
    g_string_append_printf (text, _("Class “%s” deleted: "), data->old_name);
  else if (report->merge)
    g_string_append_printf (text, _("Class “%s” merged into “%s”: "), data->old_name, data->new_name);
  else
    g_string_append_printf (text, _("Class “%s” renamed to “%s”: "), data->old_name, data->new_name);
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u object", "%u objects", report->n_objects),
                          report->n_objects);
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, " in %u label file", " in %u label files",
                                             report->changed->len),
                          report->changed->len);
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, ", %u class file.", ", %u class files.",
                                             report->class_files->len),
                          report->class_files->len);
  if (report->skipped->len > 0)
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                 "%u file was left as it was:",
                                                 "%u files were left as they were:", report->skipped->len),
                              report->skipped->len);
      for (guint i = 0; i < report->skipped->len; i++)
        {
          const BmRelabelFile *file = g_ptr_array_index (report->skipped, i);

          g_string_append_printf (text, "\n%s: %s", file->path, file->reason);
        }
    }
  for (guint i = 0; i < report->notes->len; i++)
    g_string_append_printf (text, "\n%s", (char *) g_ptr_array_index (report->notes, i));
  return g_string_free (text, FALSE);
}

static void
show_outcome (BmWindow   *self,
              const char *message,
              gboolean    failed)
{
  GtkWidget *dialog;

  g_free (self->relabel_message);
  self->relabel_message = g_strdup (message);
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  dialog = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_DESTROY_WITH_PARENT,
                                   failed ? GTK_MESSAGE_ERROR : GTK_MESSAGE_INFO, GTK_BUTTONS_CLOSE, "%s",
                                   failed ? _("The class was not changed") : _("Class changed in the folder"));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", message);
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_window_destroy), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
relabelled_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  BmWindow *self = BM_WINDOW (object);
  RelabelData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(BmRelabelReport) report = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *message = NULL;
  g_autofree char *reopen = g_strdup (data->reopen_at != NULL ? data->reopen_at : bm_dataset_get_root (data->dataset));

  bm_session_end_job (self->session, BM_SESSION_JOB_RELABEL);
  _bm_window_stop_spinner (self);
  if (report == NULL)
    {
      show_outcome (self, error->message, TRUE);
      return;
    }
  message = describe_report (data, report);
  show_outcome (self, message, FALSE);
  /* everything on screen comes from the files again */
  bm_window_open_path (self, reopen);
}

static void
relabel (BmWindow   *self,
         const char *old_name,
         const char *new_name)
{
  BmDataset *dataset = bm_session_get_dataset (self->session);
  const char *image = _bm_window_current_image_path (self);
  g_autoptr(GTask) task = NULL;
  GCancellable *cancellable;
  RelabelData *data;

  if (dataset == NULL || bm_session_is_running (self->session, BM_SESSION_JOB_RELABEL))
    return;
  if (bm_session_get_busy (self->session))
    {
      show_outcome (self, _("Wait until the work in progress is finished (pre-annotation, export, search)."), TRUE);
      return;
    }
  /* this image's edits go into its file first: the class manager reads the files */
  if (!_bm_window_save_if_dirty (self))
    return;

  data = g_new0 (RelabelData, 1);
  data->self = g_object_ref (self);
  data->dataset = g_object_ref (dataset);
  data->old_name = g_strdup (old_name);
  data->new_name = g_strdup (new_name);
  data->reopen_at = g_strdup (image);
  cancellable = bm_session_begin_job (self->session, BM_SESSION_JOB_RELABEL);
  _bm_window_start_spinner (self);
  task = g_task_new (self, cancellable, relabelled_cb, NULL);
  g_task_set_source_tag (task, relabel);
  g_task_set_task_data (task, data, (GDestroyNotify) relabel_data_free);
  g_task_run_in_thread (task, relabel_in_thread);
}

void
_bm_window_rename_class (BmWindow   *self,
                         const char *old_name,
                         const char *new_name)
{
  g_autofree char *name = bm_class_catalog_normalize_name (new_name);

  if (name == NULL || g_str_equal (name, old_name))
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  relabel (self, old_name, name);
}

void
_bm_window_delete_class (BmWindow   *self,
                         const char *name)
{
  relabel (self, name, NULL);
}

/* The dialog ---------------------------------------------------------------------------------- */

static void
dialog_response_cb (GtkDialog *dialog,
                    int        response,
                    BmWindow  *self)
{
  const char *old_name = g_object_get_data (G_OBJECT (dialog), "class");
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  g_autofree char *old_copy = g_strdup (old_name);
  g_autofree char *new_name = g_strdup (gtk_editable_get_text (entry));

  gtk_window_destroy (GTK_WINDOW (dialog));
  if (response == GTK_RESPONSE_ACCEPT)
    _bm_window_rename_class (self, old_copy, new_name);
  else if (response == GTK_RESPONSE_REJECT)
    _bm_window_delete_class (self, old_copy);
}

static void
entry_activate_cb (GtkEntry  *entry,
                   GtkDialog *dialog)
{
  gtk_dialog_response (dialog, GTK_RESPONSE_ACCEPT);
}

/* Rename (a merge when the name is a class already) or delete @name in the whole folder. */
void
_bm_window_manage_class (BmWindow   *self,
                         const char *name)
{
  g_autoptr(GHashTable) counts = self->model != NULL ? bm_file_list_model_count_images_per_label (self->model) : NULL;
  int images = counts != NULL ? GPOINTER_TO_INT (g_hash_table_lookup (counts, name)) : 0;
  g_autofree char *title = g_strdup_printf (_("Class “%s”"), name);
  g_autofree char *explanation = NULL;
  GtkWidget *dialog, *box, *label, *entry;

  if (bm_session_get_dataset (self->session) == NULL)
    return;
  explanation = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "In %d image of the folder. A new name renames it in every label file and the class file; the name of another class merges it into that one. Files with problems, read-only files and files changed meanwhile are left as they were, and listed. Ctrl+Z cannot undo this.",
                                              "In %d images of the folder. A new name renames it in every label file and the class file; the name of another class merges it into that one. Files with problems, read-only files and files changed meanwhile are left as they were, and listed. Ctrl+Z cannot undo this.",
                                              images),
                                 images);
  dialog = gtk_dialog_new_with_buttons (title, GTK_WINDOW (self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                        _("_Cancel"), GTK_RESPONSE_CANCEL,
                                        _("_Delete Class"), GTK_RESPONSE_REJECT,
                                        _("_Rename"), GTK_RESPONSE_ACCEPT,
                                        NULL);
  gtk_widget_add_css_class (gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog), GTK_RESPONSE_REJECT),
                            "destructive-action");
  gtk_widget_add_css_class (gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT),
                            "suggested-action");
  box = gtk_dialog_get_content_area (GTK_DIALOG (dialog));
  gtk_box_set_spacing (GTK_BOX (box), 12);
  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 12);
  {
    g_autofree char *heading_text = g_strdup_printf (_("Rename, merge or delete the class “%s”"), name);
    GtkWidget *heading = gtk_label_new (heading_text);

    gtk_widget_add_css_class (heading, "title-4");
    gtk_label_set_xalign (GTK_LABEL (heading), 0);
    gtk_label_set_wrap (GTK_LABEL (heading), TRUE);
    gtk_box_append (GTK_BOX (box), heading);
  }
  label = gtk_label_new (explanation);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 60);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (box), label);
  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), name);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("New name, or the class to merge into"));
  gtk_box_append (GTK_BOX (box), entry);
  g_signal_connect (entry, "activate", G_CALLBACK (entry_activate_cb), dialog);
  g_object_set_data_full (G_OBJECT (dialog), "class", g_strdup (name), g_free);
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_signal_connect (dialog, "response", G_CALLBACK (dialog_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}
