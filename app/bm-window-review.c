/* bm-window-review.c: "Compare with Predictions…" — a model's predictions drawn over the labels,
 * their conflicts beside the canvas, stepping from conflict to conflict through the folder,
 * accepting a prediction as a label or dismissing it. The comparison itself is BmPredReview's
 * (dataset/, GTK-free) and is computed in worker threads, so a folder of 100,000 images with its
 * predictions opens without freezing the window.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "widgets/bm-file-list.h"
#include "widgets/bm-prediction-painter.h"
#include "widgets/bm-prediction-panel.h"
#include "bm-window-private.h"

/* The review's image for the image on screen, -1 when none. */
static int
review_image (BmWindow *self)
{
  int index = bm_session_get_current_index (self->session);
  BmDataset *dataset = bm_session_get_dataset (self->session);

  if (self->review == NULL || dataset == NULL || index < 0)
    return -1;
  return bm_pred_review_find_image (self->review, bm_dataset_get_item (dataset, (guint) index)->image_path);
}

static int
selected_pred (BmWindow *self)
{
  BmConflict conflict;

  if (self->prediction_panel == NULL || !bm_prediction_panel_get_selected (self->prediction_panel, &conflict))
    return -1;
  return conflict.pred;
}

static void
draw_layer (BmCanvas *canvas, cairo_t *cr, gpointer user_data)
{
  BmWindow *self = user_data;

  if (self->review == NULL)
    return;
  bm_prediction_painter_draw (canvas, cr, self->review, review_image (self),
                              bm_pred_review_get_options (self->review)->score_threshold, selected_pred (self));
}

static void
update_review_actions (BmWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean active = self->review != NULL;
  int pred = selected_pred (self);

  gtk_widget_action_set_enabled (widget, "win.next-conflict", active);
  gtk_widget_action_set_enabled (widget, "win.previous-conflict", active);
  gtk_widget_action_set_enabled (widget, "win.close-predictions", active);
  gtk_widget_action_set_enabled (widget, "win.accept-prediction", active && pred >= 0 && bm_session_get_can_edit (self->session));
  gtk_widget_action_set_enabled (widget, "win.dismiss-prediction", active && self->prediction_panel != NULL
                                 && bm_prediction_panel_get_n_conflicts (self->prediction_panel) > 0);
}

/* After another image is shown: its conflicts; the first or last one selected when stepping. */
static void
current_index_cb (BmWindow *self)
{
  if (self->prediction_panel == NULL)
    return;
  bm_prediction_panel_set_image (self->prediction_panel, review_image (self));
  /* the first conflict (the last one when stepping backwards) is ready for Y */
  bm_prediction_panel_select_next (self->prediction_panel, self->review_select < 0 ? -1 : 1, TRUE);
  self->review_select = 0;
  update_review_actions (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
}

static void
panel_selection_cb (BmWindow *self)
{
  update_review_actions (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
}

static void
review_changed_cb (BmWindow *self)
{
  update_review_actions (self);
  bm_file_list_refilter (self->file_list);
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
}

static void
options_ready_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(BmWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!bm_pred_review_set_options_finish (BM_PRED_REVIEW (source), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _bm_window_show_error (self, error->message);
}

static void
threshold_changed_cb (BmWindow *self)
{
  BmEvalConflictOptions options;

  if (self->review == NULL)
    return;
  options = *bm_pred_review_get_options (self->review);
  options.score_threshold = bm_prediction_panel_get_score_threshold (self->prediction_panel);
  if (options.score_threshold == bm_pred_review_get_options (self->review)->score_threshold)
    return;
  /* the newest threshold wins: an older computation still running is dropped */
  g_cancellable_cancel (self->threshold_cancellable);
  g_clear_object (&self->threshold_cancellable);
  self->threshold_cancellable = g_cancellable_new ();
  bm_pred_review_set_options_async (self->review, &options, self->threshold_cancellable, options_ready_cb,
                                    g_object_ref (self));
}

/* The panel goes under the object panel the first time predictions are compared. */
static void
ensure_panel (BmWindow *self)
{
  GtkWidget *side, *objects = GTK_WIDGET (self->object_panel);

  if (self->prediction_panel != NULL)
    return;
  self->prediction_panel = BM_PREDICTION_PANEL (bm_prediction_panel_new ());
  side = gtk_paned_new (GTK_ORIENTATION_VERTICAL);
  gtk_widget_set_size_request (side, 250, -1);
  g_object_ref (objects);
  gtk_paned_set_end_child (self->inner_paned, NULL);
  gtk_paned_set_start_child (GTK_PANED (side), objects);
  gtk_paned_set_end_child (GTK_PANED (side), GTK_WIDGET (self->prediction_panel));
  gtk_paned_set_shrink_end_child (GTK_PANED (side), FALSE);
  gtk_paned_set_position (GTK_PANED (side), 260);
  gtk_paned_set_end_child (self->inner_paned, side);
  g_object_unref (objects);
  g_signal_connect_object (self->prediction_panel, "selection-changed", G_CALLBACK (panel_selection_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->prediction_panel, "notify::score-threshold", G_CALLBACK (threshold_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
set_review (BmWindow *self, BmPredReview *review)
{
  if (self->review != NULL)
    g_signal_handlers_disconnect_by_func (self->review, review_changed_cb, self);
  g_set_object (&self->review, review);
  if (review != NULL)
    {
      ensure_panel (self);
      g_signal_connect_swapped (review, "changed", G_CALLBACK (review_changed_cb), self);
    }
  if (self->prediction_panel != NULL)
    {
      bm_prediction_panel_set_review (self->prediction_panel, review);
      bm_prediction_panel_set_image (self->prediction_panel, review_image (self));
      gtk_widget_set_visible (GTK_WIDGET (self->prediction_panel), review != NULL);
    }
  review_changed_cb (self);
}

static void
loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(BmWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BmPredReview) review = bm_pred_review_load_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->review_cancellable);
  self->review_loading = FALSE;
  _bm_window_stop_spinner (self);
  if (review == NULL)
    {
      _bm_window_show_error (self, error->message);
      _bm_window_update_status (self);
      return;
    }
  set_review (self, review);
  _bm_window_update_status (self);
  g_object_notify (G_OBJECT (self), "current-index");
}

void
_bm_window_compare_predictions (BmWindow *self, const char *path)
{
  BmDataset *dataset = bm_session_get_dataset (self->session);

  g_return_if_fail (path != NULL);

  if (dataset == NULL || bm_session_get_job_cancellable (self->session, BM_SESSION_JOB_OPEN) != NULL)
    {
      /* a folder still being opened: compare once it is there */
      g_free (self->review_path);
      self->review_path = g_strdup (path);
      return;
    }
  g_clear_pointer (&self->review_path, g_free);
  if (self->review_cancellable != NULL)
    g_cancellable_cancel (self->review_cancellable);
  g_clear_object (&self->review_cancellable);
  self->review_cancellable = g_cancellable_new ();
  self->review_loading = TRUE;
  _bm_window_start_spinner (self);
  _bm_window_update_status (self);
  bm_pred_review_load_async (bm_dataset_get_root (dataset), path, self->review_cancellable, loaded_cb,
                             g_object_ref (self));
}

gboolean
_bm_window_review_is_loading (BmWindow *self)
{
  return self->review_loading;
}

/* A folder was opened: predictions given before are compared now; a previous review, made for
 * another folder, goes. */
void
_bm_window_review_folder_changed (BmWindow *self)
{
  g_autofree char *pending = g_steal_pointer (&self->review_path);

  /* a comparison still being made was for the folder before */
  if (self->review_cancellable != NULL)
    g_cancellable_cancel (self->review_cancellable);
  g_clear_object (&self->review_cancellable);
  self->review_loading = FALSE;
  set_review (self, NULL);
  if (pending != NULL)
    _bm_window_compare_predictions (self, pending);
}

static void
chooser_cb (BmWindow *self, int response, GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      /* results files come one per class: a file picked in such a folder means the folder */
      if (path != NULL && !g_str_has_suffix (path, ".json") && !g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          char *dir = g_path_get_dirname (path);

          g_free (path);
          path = dir;
        }
      if (path != NULL)
        _bm_window_compare_predictions (self, path);
    }
  g_clear_object (&self->chooser);
}

void
_bm_window_choose_predictions (BmWindow *self)
{
  GtkFileChooserNative *chooser;
  BmDataset *dataset = bm_session_get_dataset (self->session);

  if (self->chooser != NULL || dataset == NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Compare with Predictions"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Compare"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  {
    g_autoptr(GFile) folder = g_file_new_for_path (bm_dataset_get_root (dataset));

    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
  }
  g_signal_connect_swapped (chooser, "response", G_CALLBACK (chooser_cb), self);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

void
_bm_window_close_predictions (BmWindow *self)
{
  if (self->review_cancellable != NULL)
    {
      g_cancellable_cancel (self->review_cancellable);
      g_clear_object (&self->review_cancellable);
      self->review_loading = FALSE;
      _bm_window_stop_spinner (self);
      _bm_window_update_status (self);
    }
  set_review (self, NULL);
}

void
_bm_window_next_conflict (BmWindow *self, int direction)
{
  int image, next;
  BmDataset *dataset = bm_session_get_dataset (self->session);

  if (self->review == NULL || self->prediction_panel == NULL || dataset == NULL)
    return;
  if (bm_prediction_panel_select_next (self->prediction_panel, direction, FALSE))
    return;
  image = review_image (self);
  next = bm_pred_review_next_image (self->review, image, direction);
  if (next < 0)
    {
      _bm_window_show_error (self, _("No conflict left between the labels and the predictions"));
      return;
    }
  if (next == image)
    {
      bm_prediction_panel_select_next (self->prediction_panel, direction, TRUE);
      return;
    }
  for (guint i = 0; i < bm_dataset_get_n_items (dataset); i++)
    {
      const char *path = bm_dataset_get_item (dataset, i)->image_path;

      if (path != NULL && g_strcmp0 (path, bm_pred_review_get_image_path (self->review, (guint) next)) == 0)
        {
          self->review_select = direction;
          _bm_window_go_to (self, (int) i);
          return;
        }
    }
}

/* The prediction to accept: the one selected, else the image's first one in conflict. */
void
_bm_window_accept_prediction (BmWindow *self)
{
  BmEditor *editor = bm_session_get_editor (self->session);
  g_autoptr(BmObject) object = NULL;
  int pred = selected_pred (self);

  if (self->review == NULL || editor == NULL || pred < 0 || !bm_session_get_can_edit (self->session))
    return;
  object = bm_pred_review_make_object (self->review, (guint) pred);
  if (object == NULL)
    return;
  /* one undoable edit, saved with the image as any other */
  if (bm_editor_add_object (editor, object) < 0)
    return;
  bm_pred_review_resolve (self->review, (guint) pred);
  bm_prediction_panel_select_next (self->prediction_panel, 1, TRUE);
  _bm_window_update_everything (self);
}

void
_bm_window_dismiss_prediction (BmWindow *self)
{
  BmConflict conflict;

  if (self->review == NULL || !bm_prediction_panel_get_selected (self->prediction_panel, &conflict))
    return;
  if (conflict.pred >= 0)
    bm_pred_review_resolve (self->review, (guint) conflict.pred);
  bm_prediction_panel_select_next (self->prediction_panel, 1, TRUE);
}

/* File-list words: missing:yes, conflict:KIND, fp:>N (predictions in conflict). */
typedef struct
{
  int kind;          /* BmConflictKind, or BM_CONFLICT_N_KINDS for "fp" */
  gboolean want;     /* missing:no */
  guint above;       /* fp:>N */
  gboolean count;    /* an fp:>N term */
} ReviewTerm;

static gpointer
parse_term (const char *key, const char *value, gpointer user_data)
{
  ReviewTerm *term = g_new0 (ReviewTerm, 1);
  BmConflictKind kind;

  if (g_ascii_strcasecmp (key, "missing") == 0 && (g_ascii_strcasecmp (value, "yes") == 0 || g_ascii_strcasecmp (value, "no") == 0))
    {
      term->kind = BM_CONFLICT_POSSIBLY_MISSING;
      term->want = g_ascii_strcasecmp (value, "yes") == 0;
      return term;
    }
  if (g_ascii_strcasecmp (key, "conflict") == 0 && bm_conflict_kind_from_string (value, &kind))
    {
      term->kind = kind;
      term->want = TRUE;
      return term;
    }
  if (g_ascii_strcasecmp (key, "fp") == 0 && value[0] == '>' && g_ascii_isdigit (value[1]))
    {
      term->kind = BM_CONFLICT_N_KINDS;
      term->count = TRUE;
      term->above = (guint) g_ascii_strtoull (value + 1, NULL, 10);
      return term;
    }
  g_free (term);
  return NULL;
}

static gboolean
match_term (gpointer data, guint index, gpointer user_data)
{
  BmWindow *self = user_data;
  const ReviewTerm *term = data;
  BmDataset *dataset = bm_session_get_dataset (self->session);
  int image;
  guint n;

  if (self->review == NULL || dataset == NULL || index >= bm_dataset_get_n_items (dataset))
    return FALSE;
  image = bm_pred_review_find_image (self->review, bm_dataset_get_item (dataset, index)->image_path);
  n = image >= 0 ? bm_pred_review_count (self->review, (guint) image, term->kind) : 0;
  if (term->count)
    return n > term->above;
  return (n > 0) == term->want;
}

void
_bm_window_review_init (BmWindow *self)
{
  bm_canvas_set_layer_func (self->canvas, draw_layer, self, NULL);
  bm_file_list_set_extra_terms (self->file_list, parse_term, match_term, g_free, self);
  g_signal_connect (self, "notify::current-index", G_CALLBACK (current_index_cb), NULL);
  update_review_actions (self);
}

void
_bm_window_review_dispose (BmWindow *self)
{
  if (self->review_cancellable != NULL)
    g_cancellable_cancel (self->review_cancellable);
  g_clear_object (&self->review_cancellable);
  if (self->threshold_cancellable != NULL)
    g_cancellable_cancel (self->threshold_cancellable);
  g_clear_object (&self->threshold_cancellable);
  if (self->review != NULL)
    g_signal_handlers_disconnect_by_func (self->review, review_changed_cb, self);
  g_clear_object (&self->review);
  g_clear_pointer (&self->review_path, g_free);
}

BmPredReview *
bm_window_get_review (BmWindow *self)
{
  g_return_val_if_fail (BM_IS_WINDOW (self), NULL);
  return self->review;
}

BmPredictionPanel *
bm_window_get_prediction_panel (BmWindow *self)
{
  g_return_val_if_fail (BM_IS_WINDOW (self), NULL);
  return self->prediction_panel;
}

void
bm_window_compare_predictions (BmWindow *self, const char *path)
{
  g_return_if_fail (BM_IS_WINDOW (self));
  _bm_window_compare_predictions (self, path);
}
