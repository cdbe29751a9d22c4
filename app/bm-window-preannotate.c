/* bm-window-preannotate.c: I (the detector — a cascade or the user's YOLO model — on the image on
 * screen, one undo step) and Ctrl+B (to the end of the list, saving each file) — runs of
 * dataset/bm-preannotate-run.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "core/bm-preannotate.h"
#include "bm-window-private.h"

#define BATCH_PROGRESS_MS 100

typedef struct
{
  BmWindow *self;
  char *image_path;
  BmPreannotateSetup *setup;   /* what turns the detections into objects */
} DetectData;

static void
detect_data_free (DetectData *data)
{
  g_object_unref (data->self);
  g_free (data->image_path);
  bm_preannotate_setup_free (data->setup);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DetectData, detect_data_free)

static void
detect_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(DetectData) data = user_data;
  BmWindow *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) found = bm_preannotate_detect_finish (result, &error);
  g_autoptr(GPtrArray) objects = NULL;

  if (!bm_session_is_running (self->session, BM_SESSION_JOB_DETECT))   /* disposed */
    return;
  bm_session_end_job (self->session, BM_SESSION_JOB_DETECT);
  if (found == NULL)
    {
      _bm_window_show_error (self, error->message);
      return;
    }
  /* The user may have moved on while the detector ran. */
  if (!bm_session_get_can_edit (self->session) || g_strcmp0 (_bm_window_current_image_path (self), data->image_path) != 0)
    return;
  objects = bm_preannotate_setup_new_objects (data->setup, bm_session_get_annotation (self->session), found);
  bm_editor_add_objects (bm_session_get_editor (self->session), objects);
}

void
_bm_window_preannotate (BmWindow *self)
{
  g_autoptr(GError) error = NULL;
  BmPreannotateSetup *setup;
  GCancellable *cancellable;
  DetectData *data;

  if (!bm_session_get_can_edit (self->session) || bm_session_is_running (self->session, BM_SESSION_JOB_DETECT))
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  setup = bm_preannotate_popover_get_setup (self->preannotate_popover, &error);
  if (setup == NULL)
    {
      _bm_window_show_error (self, error->message);
      return;
    }
  data = g_new0 (DetectData, 1);
  data->self = g_object_ref (self);
  data->image_path = g_strdup (_bm_window_current_image_path (self));
  data->setup = bm_preannotate_setup_copy (setup);
  cancellable = bm_session_begin_job (self->session, BM_SESSION_JOB_DETECT);
  bm_preannotate_detect_async (setup, data->image_path, cancellable, detect_done_cb, data);
}

static void
update_batch_progress (BmWindow *self)
{
  int done = g_atomic_int_get (&self->batch_summary->done);
  int total = self->batch_summary->total;
  g_autofree char *text = bm_preannotate_summary_progress (self->batch_summary);

  gtk_progress_bar_set_fraction (self->batch_progress, total > 0 ? (double) done / total : 1.0);
  gtk_progress_bar_set_text (self->batch_progress, text);
}

static gboolean
batch_progress_cb (gpointer user_data)
{
  update_batch_progress (BM_WINDOW (user_data));
  return G_SOURCE_CONTINUE;
}

static void
batch_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(BmWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  BmPreannotateSummary *summary = self->batch_summary;
  int current;

  if (!bm_session_is_running (self->session, BM_SESSION_JOB_BATCH))   /* disposed */
    return;
  g_clear_handle_id (&self->batch_source, g_source_remove);
  if (!bm_preannotate_batch_finish (result, &error))
    text = g_strdup (error->message);
  else
    text = bm_preannotate_summary_to_string (summary);
  gtk_progress_bar_set_fraction (self->batch_progress, summary->total > 0 ? (double) summary->done / summary->total : 1.0);
  gtk_progress_bar_set_text (self->batch_progress, text);
  gtk_button_set_label (self->batch_button, _("_Close"));
  bm_session_end_job (self->session, BM_SESSION_JOB_BATCH);
  /* The batch wrote label files: the augmentation partners must see them. */
  if (self->augment_panel != NULL)
    bm_augment_panel_labels_rewritten (self->augment_panel);
  /* The batch may have written the current image's label file. */
  current = bm_session_get_current_index (self->session);
  if (!bm_session_get_dirty (self->session) && current >= 0)
    _bm_window_go_to (self, current);
}

void
_bm_window_preannotate_all (BmWindow *self)
{
  BmDataset *dataset = bm_session_get_dataset (self->session);
  int current = bm_session_get_current_index (self->session);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  BmPreannotateSetup *setup;
  GCancellable *cancellable;

  if (dataset == NULL || current < 0 || bm_session_is_running (self->session, BM_SESSION_JOB_BATCH))
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  setup = bm_preannotate_popover_get_setup (self->preannotate_popover, &error);
  if (setup == NULL)
    {
      _bm_window_show_error (self, error->message);
      return;
    }
  /* The batch reads the label files, so this image's edits must be on disk first. */
  if (!_bm_window_save_if_dirty (self))
    {
      bm_preannotate_setup_free (setup);
      return;
    }
  items = bm_preannotate_batch_items (dataset, (guint) current);
  g_clear_pointer (&self->batch_summary, bm_preannotate_summary_unref);
  self->batch_summary = bm_preannotate_summary_new ();
  cancellable = bm_session_begin_job (self->session, BM_SESSION_JOB_BATCH);
  bm_preannotate_batch_async (setup, items, self->batch_summary, cancellable, batch_done_cb, g_object_ref (self));
  gtk_button_set_label (self->batch_button, _("_Cancel"));
  update_batch_progress (self);
  gtk_revealer_set_reveal_child (self->batch_revealer, TRUE);
  self->batch_source = g_timeout_add (BATCH_PROGRESS_MS, batch_progress_cb, self);
}

/* Cancel stops the batch after the image it is on; once it has finished, the bar is closed. */
void
_bm_window_preannotate_cancel (BmWindow *self)
{
  GCancellable *cancellable = bm_session_get_job_cancellable (self->session, BM_SESSION_JOB_BATCH);

  if (cancellable != NULL)
    g_cancellable_cancel (cancellable);
  else
    gtk_revealer_set_reveal_child (self->batch_revealer, FALSE);
}

void
_bm_window_preannotate_dispose (BmWindow *self)
{
  bm_session_cancel_job (self->session, BM_SESSION_JOB_DETECT);
  bm_session_cancel_job (self->session, BM_SESSION_JOB_BATCH);
  g_clear_handle_id (&self->batch_source, g_source_remove);
}
