/* bm-window-export.c: the window's exports. The work is bm_dataset_export's (dataset/), the same
 * function as `boxmark-cli convert`'s; this file only asks for a folder and says how it went. While it writes, the session runs an
 * export job (so the window is busy and a second export is refused).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "dataset/bm-dataset-export.h"
#include "dataset/bm-export-folder.h"
#include "bm-window-export.h"
#include "bm-window-private.h"

#define MAX_PROBLEMS_SHOWN 12
#define EXPORTING_MESSAGE N_("Exporting…")

typedef struct
{
  BmWindow *window;
  BmExportTarget target;
} ChooserData;

static const char *const titles[BM_EXPORT_N_TARGETS] = {
  [BM_EXPORT_TARGET_VOC] = N_("Export as Pascal VOC"),
  [BM_EXPORT_TARGET_DOTA] = N_("Export as DOTA"),
  [BM_EXPORT_TARGET_YOLO] = N_("Export as YOLO"),
  [BM_EXPORT_TARGET_YOLO_OBB] = N_("Export as YOLO OBB"),
};

gboolean
bm_window_is_exporting (BmWindow *self)
{
  g_return_val_if_fail (BM_IS_WINDOW (self), FALSE);
  return bm_session_is_running (self->session, BM_SESSION_JOB_EXPORT);
}

GtkWindow *
bm_window_get_export_dialog (BmWindow *self)
{
  g_return_val_if_fail (BM_IS_WINDOW (self), NULL);
  return self->export_dialog;
}

static void
dialog_destroyed_cb (BmWindow *self)
{
  self->export_dialog = NULL;
}

static void
show_outcome (BmWindow *self, GtkMessageType type, const char *headline, const char *details)
{
  GtkWidget *dialog = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_DESTROY_WITH_PARENT,
                                              type, GTK_BUTTONS_CLOSE, "%s", headline);

  if (details != NULL && details[0] != '\0')
    gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", details);
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_window_destroy), NULL);
  g_signal_connect_swapped (dialog, "destroy", G_CALLBACK (dialog_destroyed_cb), self);
  self->export_dialog = GTK_WINDOW (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
export_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(BmWindow) self = user_data;
  g_autoptr(BmDatasetExportResult) outcome = bm_dataset_export_finish (result);
  GApplication *application = g_application_get_default ();
  BmCanvas *canvas = bm_window_get_canvas (self);

  bm_session_end_job (self->session, BM_SESSION_JOB_EXPORT);
  if (application != NULL)
    g_application_release (application);
  if (gtk_widget_in_destruction (GTK_WIDGET (self)) || gtk_widget_get_root (GTK_WIDGET (canvas)) == NULL)
    return;   /* the window was closed while the export ran: nobody to tell */
  if (g_strcmp0 (bm_canvas_get_message (canvas), _(EXPORTING_MESSAGE)) == 0)
    bm_canvas_set_message (canvas, NULL);
  if (outcome->error != NULL)
    {
      show_outcome (self, GTK_MESSAGE_ERROR, _("The export failed"), outcome->error->message);
      return;
    }
  {
    g_autofree char *headline = bm_dataset_export_result_headline (outcome);
    g_autofree char *details = bm_dataset_export_result_details (outcome, MAX_PROBLEMS_SHOWN);

    show_outcome (self, outcome->problems->len > 0 ? GTK_MESSAGE_WARNING : GTK_MESSAGE_INFO, headline, details);
  }
}

static void
start_export (BmWindow *self, BmExportTarget target, const char *out_dir)
{
  BmDataset *dataset = bm_window_get_dataset (self);
  BmDatasetExportOptions options;

  if (dataset == NULL || bm_window_is_exporting (self))
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  /* Pre-annotation to the end (Ctrl+B) rewrites label files while it runs. */
  if (bm_window_is_busy (self))
    {
      show_outcome (self, GTK_MESSAGE_ERROR, _("The export did not start"),
                    _("The window is still busy (pre-annotating, opening or searching). Export when it is done."));
      return;
    }
  /* The export reads the label files: what is only on screen must be in them first. */
  if (bm_window_get_dirty (self))
    gtk_widget_activate_action (GTK_WIDGET (self), "win.save", NULL);
  if (bm_window_get_dirty (self))
    {
      show_outcome (self, GTK_MESSAGE_ERROR, _("The export did not start"),
                    _("The labels of the image on screen could not be saved, and the export reads the label files. Save them first."));
      return;
    }
  if (!bm_export_folder_is_empty_or_missing (out_dir))
    {
      g_autofree char *message = g_strdup_printf (_("%s is not empty. Choose a new or empty folder: an export never overwrites anything."),
                                                  out_dir);

      show_outcome (self, GTK_MESSAGE_ERROR, _("The export did not start"), message);
      return;
    }
  if (bm_export_path_is_inside (out_dir, bm_dataset_get_root (dataset)))
    {
      g_autofree char *message =
        g_strdup_printf (_("%s lies inside the folder being exported (%s). Choose a folder outside it: the next opening would read the export as images to label."),
                         out_dir, bm_dataset_get_root (dataset));

      show_outcome (self, GTK_MESSAGE_ERROR, _("The export did not start"), message);
      return;
    }
  bm_session_begin_job (self->session, BM_SESSION_JOB_EXPORT);
  /* Closing the last window must not quit while files are being written. */
  if (g_application_get_default () != NULL)
    g_application_hold (g_application_get_default ());
  bm_canvas_set_message (bm_window_get_canvas (self), _(EXPORTING_MESSAGE));
  bm_dataset_export_options_init (&options, target);
  /* YOLO ids from the folder's own class list when it has one (labelImg's classes.txt too) */
  options.classes_file = bm_dataset_get_class_file (dataset);
  bm_dataset_export_async (dataset, out_dir, &options, NULL, export_done_cb, g_object_ref (self));
}

static void
chooser_response_cb (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  ChooserData *data = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        start_export (data->window, data->target, path);
    }
  g_object_unref (data->window);
  g_free (data);
  g_object_unref (chooser);
}

static void
ask_for_folder (BmWindow *self, BmExportTarget target)
{
  GtkFileChooserNative *chooser;
  ChooserData *data = g_new0 (ChooserData, 1);

  chooser = gtk_file_chooser_native_new (_(titles[target]),
                                         GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                         _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_create_folders (GTK_FILE_CHOOSER (chooser), TRUE);
  data->window = g_object_ref (self);
  data->target = target;
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), data);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
bm_window_export (BmWindow *self, BmExportTarget target, const char *out_dir)
{
  g_return_if_fail (BM_IS_WINDOW (self));
  g_return_if_fail (target < BM_EXPORT_N_TARGETS);

  if (bm_window_get_dataset (self) == NULL)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  if (out_dir == NULL || out_dir[0] == '\0')
    ask_for_folder (self, target);
  else
    start_export (self, target, out_dir);
}
