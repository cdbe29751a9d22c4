/* bm-file-search.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-file-search.h"

/* Items looked at per main-loop turn, and how many unread states are sent to the worker at
 * once (few first, as the next match is often close). */
#define FIND_SLICE       8192
#define FIND_FIRST_BATCH 32
#define FIND_MAX_BATCH   2048

typedef struct
{
  BmFileFilter *filter;
  int step;
  BmFileSearchMatch match;
  gpointer match_data;
  int index;              /* the next item to look at */
  guint batch;            /* how many unread states to ask for next */
} Search;

static void
search_free (Search *search)
{
  bm_file_filter_free (search->filter);
  g_free (search);
}

static void search_continue (GTask *task);

static void
states_read_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!bm_file_states_read_finish (BM_FILE_STATES (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  search_continue (task);
}

/* Whether the search must know the state of @index before it can pass it. */
static gboolean
needs_state (BmFileStates *states, Search *search, guint index)
{
  return (search->match != NULL || bm_file_filter_needs_states (search->filter))
         && !bm_file_states_is_item_read (states, index)
         && bm_file_filter_match_name (search->filter, bm_file_states_get_name (states, index));
}

/* Sends the unread states from item search->index on to the worker; the search goes on after. */
static void
read_ahead (GTask *task, int n)
{
  BmFileStates *states = g_task_get_source_object (task);
  Search *search = g_task_get_task_data (task);
  g_autoptr(GArray) indices = g_array_sized_new (FALSE, FALSE, sizeof (guint), search->batch);

  for (int index = search->index; index >= 0 && index < n && indices->len < search->batch; index += search->step)
    if (needs_state (states, search, index))
      g_array_append_val (indices, index);
  search->batch = MIN (search->batch * 2, FIND_MAX_BATCH);
  bm_file_states_read_async (states, (const guint *) indices->data, indices->len, g_task_get_cancellable (task),
                             states_read_cb, g_object_ref (task));
}

static gboolean
search_idle_cb (gpointer user_data)
{
  search_continue (user_data);
  return G_SOURCE_REMOVE;
}

static void
search_continue (GTask *task)
{
  BmFileStates *states = g_task_get_source_object (task);
  Search *search = g_task_get_task_data (task);
  int n = (int) bm_file_states_get_n_items (states);

  if (g_task_return_error_if_cancelled (task))
    return;
  for (guint looked = 0; search->index >= 0 && search->index < n; search->index += search->step)
    {
      guint index = search->index;

      if (looked++ == FIND_SLICE)
        {
          /* Let the window draw and take keys before looking further. */
          g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, search_idle_cb, g_object_ref (task), g_object_unref);
          return;
        }
      if (needs_state (states, search, index))
        {
          read_ahead (task, n);
          return;
        }
      if (!bm_file_filter_match (search->filter, states, index))
        continue;
      if (search->match == NULL || search->match (states, index, search->match_data))
        {
          g_task_return_int (task, index);
          return;
        }
    }
  g_task_return_int (task, -1);
}

void
bm_file_search_async (BmFileStates *states, const BmFileFilter *filter, int from_index, int step,
                      BmFileSearchMatch match, gpointer match_data, GCancellable *cancellable,
                      GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  Search *search;
  int n;

  g_return_if_fail (BM_IS_FILE_STATES (states));
  g_return_if_fail (step == 1 || step == -1);

  task = g_task_new (states, cancellable, callback, user_data);
  g_task_set_source_tag (task, bm_file_search_async);
  n = (int) bm_file_states_get_n_items (states);
  search = g_new0 (Search, 1);
  search->filter = filter != NULL ? bm_file_filter_copy (filter) : bm_file_filter_new (NULL);
  search->step = step;
  search->match = match;
  search->match_data = match_data;
  search->index = from_index < 0 ? (step > 0 ? 0 : n - 1) : MIN (from_index, n) + step;
  search->batch = FIND_FIRST_BATCH;
  g_task_set_task_data (task, search, (GDestroyNotify) search_free);
  search_continue (task);
}

int
bm_file_search_finish (BmFileStates *states, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, states), -1);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bm_file_search_async, -1);

  return (int) g_task_propagate_int (G_TASK (result), error);
}
