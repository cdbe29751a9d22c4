/* bm-window-search.c: moving through the list (D / A, Home / End) and the review searches
 * (Ctrl+Shift+D / A, P / Shift+P), whose rules are dataset/bm-review-search's.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "bm-window-private.h"

#define NONE_FOUND_SHOWN_S 4

static void
set_search_message (BmWindow   *self,
                    const char *message)
{
  g_clear_handle_id (&self->search_message_source, g_source_remove);
  self->search_message = message;
  _bm_window_update_status (self);
}

static gboolean
clear_search_message_cb (gpointer data)
{
  BmWindow *self = data;

  self->search_message_source = 0;
  set_search_message (self, NULL);
  return G_SOURCE_REMOVE;
}

void
_bm_window_stop_search (BmWindow *self)
{
  if (self->search_message != NULL)
    set_search_message (self, NULL);
  bm_session_cancel_job (self->session, BM_SESSION_JOB_SEARCH);
}

static int
from_index (BmWindow *self)
{
  return self->pending >= 0 ? self->pending : bm_session_get_current_index (self->session);
}

void
_bm_window_step (BmWindow *self,
                 int       direction)
{
  int index;

  _bm_window_stop_search (self);
  index = bm_file_list_find (self->file_list, from_index (self), direction, NULL, NULL);
  if (index < 0)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  _bm_window_go_to (self, index);
}

/* Home (1) and End (-1): the first or last row the list shows. */
void
_bm_window_first_or_last (BmWindow *self,
                          int       direction)
{
  int index = bm_file_list_find (self->file_list, -1, direction, NULL, NULL);

  if (index >= 0)
    _bm_window_go_to (self, index);
}

/* Asks for states: bm_file_list_find_async() calls it only once the item's state is known. */
static gboolean
review_match (BmFileListModel *model,
              guint            index,
              gpointer         user_data)
{
  BmFileState state = bm_file_list_model_get_state (model, index);
  BmReviewState review = {
    .verified = state == BM_FILE_STATE_VERIFIED,
    .problem = state == BM_FILE_STATE_PROBLEM,
    .pre_annotated = bm_file_list_model_has_pre_annotations (model, index),
  };

  return bm_review_search_matches (GPOINTER_TO_INT (user_data), bm_file_list_model_get_dataset (model), index, &review);
}

typedef struct
{
  BmWindow *self;
  BmReviewSearch search;
  int from;             /* the item the search started from */
  gboolean wrapped;     /* went on from the other end of the list */
} SearchData;

static void
search_data_free (SearchData *data)
{
  g_object_unref (data->self);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SearchData, search_data_free)

static void
found_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SearchData) data = user_data;
  g_autoptr(GError) error = NULL;
  BmWindow *self = data->self;
  int index = bm_file_list_find_finish (BM_FILE_LIST (object), result, &error);

  if (error != NULL)
    return;   /* cancelled by a newer search, a move or closing the folder */

  if (index < 0 && !data->wrapped && data->from >= 0)
    {
      /* nothing up to the end: go on from the other end of the list, as a reviewer expects */
      GCancellable *cancellable = bm_session_get_job_cancellable (self->session, BM_SESSION_JOB_SEARCH);
      BmReviewSearch search = data->search;

      data->wrapped = TRUE;
      bm_file_list_find_async (self->file_list, -1, bm_review_search_get_step (search), review_match,
                               GINT_TO_POINTER (search), cancellable, found_cb, g_steal_pointer (&data));
      return;
    }
  if (index >= 0 && index != data->from)
    {
      set_search_message (self, NULL);
      bm_session_end_job (self->session, BM_SESSION_JOB_SEARCH);
      _bm_window_go_to (self, index);
      if (data->wrapped)
        {
          /* said, so that nobody thinks the rest of the list was done */
          set_search_message (self, bm_review_search_wrapped_text (data->search));
          self->search_message_source = g_timeout_add_seconds (NONE_FOUND_SHOWN_S, clear_search_message_cb, self);
        }
      return;
    }
  gtk_widget_error_bell (GTK_WIDGET (self));
  set_search_message (self, index >= 0 ? bm_review_search_only_text (data->search)
                                       : bm_review_search_none_left_text (data->search));
  self->search_message_source = g_timeout_add_seconds (NONE_FOUND_SHOWN_S, clear_search_message_cb, self);
  bm_session_end_job (self->session, BM_SESSION_JOB_SEARCH);
}

/* States not read yet are read in a worker thread: the window keeps drawing and taking keys,
 * and another move replaces the search. */
void
_bm_window_search (BmWindow       *self,
                   BmReviewSearch  search)
{
  int from = from_index (self);
  GCancellable *cancellable;
  SearchData *data;

  if (self->model == NULL)
    return;
  _bm_window_stop_search (self);
  data = g_new0 (SearchData, 1);
  data->self = g_object_ref (self);
  data->search = search;
  data->from = from;
  set_search_message (self, bm_review_search_looking_text (search));
  cancellable = bm_session_begin_job (self->session, BM_SESSION_JOB_SEARCH);
  bm_file_list_find_async (self->file_list, from, bm_review_search_get_step (search), review_match,
                           GINT_TO_POINTER (search), cancellable, found_cb, data);
}
