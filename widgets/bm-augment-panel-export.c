/* bm-augment-panel-export.c: the panel's Export… — N samples of the image on screen written by
 * bm_augment_export_image (dataset/), the code of `boxmark-cli augment`, with the differences
 * listed there (the panel's labels, a partner picked by hand, nothing replaced).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "core/bm-error.h"
#include "dataset/bm-augment-export-run.h"
#include "bm-augment-panel-private.h"

static const char *const export_format_names[] = { "Pascal VOC", "DOTA", "YOLO", "YOLO OBB", NULL };

/* What the export thread needs, all of it its own. */
typedef struct
{
  BmAugmentExportImage request;
  BmAugmentSample *source;
  GArray *ops;
  BmAugmentPartnersLoan *loan;
  BmClassList *classes;
  char *out_dir;
  char *image_path;
  char *label_path;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_clear_pointer (&job->source, bm_augment_sample_free);
  g_clear_pointer (&job->ops, g_array_unref);
  g_clear_pointer (&job->loan, bm_augment_partners_loan_free);
  g_clear_pointer (&job->classes, bm_class_list_unref);
  g_free (job->out_dir);
  g_free (job->image_path);
  g_free (job->label_path);
  g_free (job);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportJob *job = task_data;
  g_autoptr(BmAugmentExportPool) empty = NULL;
  GError *error = NULL;
  guint n;

  /* the folder's pool with the label files the window saved since read again, as the CLI would
   * read them now; built here when the previews did not need one */
  bm_augment_partners_loan_prepare (job->loan, TRUE, (const BmAugmentExportOp *) job->ops->data, job->ops->len);
  if (job->loan->pool == NULL)
    empty = bm_augment_export_pool_new (NULL, -1, NULL, NULL, NULL);
  n = bm_augment_export_image (&job->request, job->loan->pool != NULL ? job->loan->pool : empty, job->loan->cache,
                               job->out_dir, cancellable, &error);
  if (n == 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, n);
}

/* The source's paths as the CLI names them: the folder's item, else the annotation's. */
static void
export_source_paths (BmAugmentPanel *self, ExportJob *job)
{
  const BmDatasetItem *item = NULL;
  const char *label = NULL;

  if (self->dataset != NULL && self->index != G_MAXUINT)
    item = bm_dataset_get_item (self->dataset, self->index);
  if (item != NULL && item->image_path != NULL)
    job->image_path = g_strdup (item->image_path);
  else if (self->annotation != NULL && bm_annotation_get_image_path (self->annotation) != NULL)
    job->image_path = g_strdup (bm_annotation_get_image_path (self->annotation));
  else if (self->image_path != NULL)
    job->image_path = g_strdup (self->image_path);
  else
    job->image_path = g_strdup ("image.png");
  if (item != NULL)
    label = item->label_path;   /* saved since the folder was opened, maybe: the disk says below */
  else if (self->annotation != NULL)
    label = bm_annotation_get_label_path (self->annotation);
  if (label != NULL && g_file_test (label, G_FILE_TEST_IS_REGULAR))
    job->label_path = g_strdup (label);
}

void
bm_augment_panel_export_async (BmAugmentPanel *self,
                               const char     *out_dir,
                               BmExportTarget  format,
                               guint           n,
                               GCancellable   *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer        user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportJob *job;

  g_return_if_fail (BM_IS_AUGMENT_PANEL (self));
  g_return_if_fail (out_dir != NULL);
  g_return_if_fail (format < BM_EXPORT_N_TARGETS);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bm_augment_panel_export_async);
  if (self->image == NULL || n == 0)
    {
      g_task_return_new_error (task, BM_ERROR, BM_ERROR_INVALID, _("There is no image to augment"));
      return;
    }
  job = g_new0 (ExportJob, 1);
  job->source = bm_augment_sample_new (self->image, self->annotation, _bm_augment_panel_get_profile (self));
  job->ops = _bm_augment_panel_parse_ops (self);
  job->loan = bm_augment_partners_lend (self->partners, TRUE);
  job->out_dir = g_strdup (out_dir);
  export_source_paths (self, job);
  if (bm_export_target_is_yolo (format) && self->dataset != NULL
      && bm_dataset_get_format (self->dataset) == BM_FORMAT_YOLO && bm_dataset_get_class_file (self->dataset) != NULL)
    {
      GError *error = NULL;

      job->classes = bm_class_list_load (bm_dataset_get_class_file (self->dataset), &error);
      if (job->classes == NULL)
        {
          export_job_free (job);
          g_task_return_error (task, error);
          return;
        }
    }
  job->request = (BmAugmentExportImage) {
    job->source, job->image_path, job->label_path, self->index != G_MAXUINT ? self->index : 0, self->partner,
    (const BmAugmentExportOp *) job->ops->data, job->ops->len, self->seed, n, format, job->classes,
  };
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  g_task_run_in_thread (task, export_thread);
}

guint
bm_augment_panel_export_finish (BmAugmentPanel  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  gssize n;

  g_return_val_if_fail (BM_IS_AUGMENT_PANEL (self), 0);
  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  n = g_task_propagate_int (G_TASK (result), error);
  return n > 0 ? (guint) n : 0;
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  BmAugmentPanel *self = BM_AUGMENT_PANEL (object);
  g_autofree char *out_dir = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  guint n = bm_augment_panel_export_finish (self, result, &error);

  if (self->preview_job == NULL)   /* disposed meanwhile */
    return;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "augment.export", TRUE);
  if (n == 0)
    message = g_strdup_printf (_("Export failed: %s"), error->message);
  else
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Wrote %u sample to %s", "Wrote %u samples to %s", n), n, out_dir);
  gtk_label_set_text (self->status_label, message);
}

static void
export_folder_chosen_cb (GtkNativeDialog *dialog,
                         int              response,
                         BmAugmentPanel  *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      char *path = folder ? g_file_get_path (folder) : NULL;

      if (path != NULL)
        {
          gtk_widget_action_set_enabled (GTK_WIDGET (self), "augment.export", FALSE);
          gtk_label_set_text (self->status_label, _("Exporting…"));
          bm_augment_panel_export_async (self, path, gtk_drop_down_get_selected (self->format_dropdown),
                                         (guint) gtk_spin_button_get_value_as_int (self->count_spin),
                                         NULL, export_done_cb, path);
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

void
_bm_augment_panel_export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BmAugmentPanel *self = BM_AUGMENT_PANEL (widget);
  GtkNative *native = gtk_widget_get_native (widget);
  GtkFileChooserNative *dialog;

  if (self->image == NULL)
    return;
  dialog = gtk_file_chooser_native_new (_("Export Augmented Samples To"),
                                        GTK_IS_WINDOW (native) ? GTK_WINDOW (native) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (export_folder_chosen_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

void
_bm_augment_panel_fill_formats (BmAugmentPanel *self)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new ((const char *const *) export_format_names);

  gtk_drop_down_set_model (self->format_dropdown, G_LIST_MODEL (list));
  gtk_drop_down_set_selected (self->format_dropdown, BM_EXPORT_TARGET_VOC);
}
