/* bm-file-states.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-file-states.h"

#include <string.h>

#include "bm-session.h"

/* How many items after one a view asked for are read before the scan goes on in order. */
#define HINT_WINDOW 64

typedef struct
{
  gint ready;             /* atomic */
  guint8 state;
  int n_objects;
  int n_pre;              /* pre-annotations not accepted yet */
  GQuark *labels;         /* distinct labels, 0-terminated; NULL when none */
} Summary;

/* Shared by the object and its scan thread, so the object can go away while the thread ends. */
typedef struct
{
  gint ref_count;
  BmDataset *dataset;
  guint n_items;
  Summary *summaries;
  GMutex mutex;
  GCancellable *cancellable;
  gint hint;              /* atomic: an index a view wants soon, -1 for none */
  gint flush_pending;     /* atomic */
  gint finished;          /* atomic */
  GWeakRef owner;
} ScanState;

struct _BmFileStates
{
  GObject parent_instance;

  ScanState *scan;
  gboolean scan_started;
  char **split_names;     /* "train/a.jpg" for items in a YOLO split; NULL when there are none */
};

G_DEFINE_FINAL_TYPE (BmFileStates, bm_file_states, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static ScanState *
scan_state_ref (ScanState *scan)
{
  g_atomic_int_inc (&scan->ref_count);
  return scan;
}

static void
scan_state_unref (ScanState *scan)
{
  if (!g_atomic_int_dec_and_test (&scan->ref_count))
    return;
  for (guint i = 0; i < scan->n_items; i++)
    g_free (scan->summaries[i].labels);
  g_free (scan->summaries);
  g_mutex_clear (&scan->mutex);
  g_clear_object (&scan->cancellable);
  g_clear_object (&scan->dataset);
  g_weak_ref_clear (&scan->owner);
  g_free (scan);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScanState, scan_state_unref)

static GQuark *
distinct_labels (BmAnnotation *annotation)
{
  g_autoptr(GArray) labels = g_array_new (TRUE, FALSE, sizeof (GQuark));

  for (guint i = 0; i < bm_annotation_get_n_objects (annotation); i++)
    {
      GQuark q = g_quark_from_string (bm_object_get_label (bm_annotation_get_object (annotation, i)));
      gboolean seen = FALSE;

      for (guint j = 0; j < labels->len && !seen; j++)
        seen = g_array_index (labels, GQuark, j) == q;
      if (!seen)
        g_array_append_val (labels, q);
    }
  if (labels->len == 0)
    return NULL;
  return (GQuark *) g_array_free (g_steal_pointer (&labels), FALSE);
}

static BmFileState
state_of (BmAnnotation *annotation)
{
  if (bm_annotation_is_read_only (annotation) || bm_annotation_get_problems (annotation)->len > 0)
    return BM_FILE_STATE_PROBLEM;
  if (bm_annotation_get_verified (annotation))
    return BM_FILE_STATE_VERIFIED;
  if (bm_annotation_get_label_path (annotation) != NULL &&
      g_file_test (bm_annotation_get_label_path (annotation), G_FILE_TEST_EXISTS))
    return BM_FILE_STATE_LABELED;
  return BM_FILE_STATE_NONE;
}

static int
count_pre_annotations (BmAnnotation *annotation)
{
  int n = 0;

  for (guint i = 0; annotation != NULL && i < bm_annotation_get_n_objects (annotation); i++)
    n += bm_object_get_pre_annotation (bm_annotation_get_object (annotation, i));
  return n;
}

/* Stores a summary unless someone stored a newer one first (@replace for the window's). */
static void
store_summary (ScanState    *scan,
               guint         index,
               BmFileState   state,
               int           n_objects,
               int           n_pre,
               GQuark       *labels,
               gboolean      replace)
{
  Summary *summary = &scan->summaries[index];

  g_mutex_lock (&scan->mutex);
  if (replace || !g_atomic_int_get (&summary->ready))
    {
      summary->state = state;
      summary->n_objects = n_objects;
      summary->n_pre = n_pre;
      g_free (summary->labels);
      summary->labels = labels;
      labels = NULL;
      g_atomic_int_set (&summary->ready, 1);
    }
  g_mutex_unlock (&scan->mutex);
  g_free (labels);
}

static void
summarise_item (ScanState *scan,
                guint      index)
{
  const BmDatasetItem *item = bm_dataset_get_item (scan->dataset, index);
  g_autoptr(BmAnnotation) annotation = NULL;
  g_autofree char *label_error = NULL;

  if (item->image_path == NULL)
    {
      store_summary (scan, index, BM_FILE_STATE_PROBLEM, 0, 0, NULL, FALSE);
      return;
    }
  if (!item->has_label && !g_file_test (item->label_path, G_FILE_TEST_EXISTS))
    {
      store_summary (scan, index, BM_FILE_STATE_NONE, 0, 0, NULL, FALSE);
      return;
    }

  /* the window's own reader: an unreadable file comes back read-only, a problem */
  annotation = bm_session_load_labels (scan->dataset, index, &label_error);
  store_summary (scan, index, state_of (annotation), bm_annotation_get_n_objects (annotation),
                 count_pre_annotations (annotation), distinct_labels (annotation), FALSE);
}

static gboolean
flush_idle_cb (gpointer data)
{
  ScanState *scan = data;
  g_autoptr(BmFileStates) self = g_weak_ref_get (&scan->owner);

  g_atomic_int_set (&scan->flush_pending, 0);
  if (self != NULL)
    g_signal_emit (self, signals[CHANGED], 0);
  return G_SOURCE_REMOVE;
}

static void
request_flush (ScanState *scan)
{
  if (g_atomic_int_compare_and_exchange (&scan->flush_pending, 0, 1))
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, flush_idle_cb, scan_state_ref (scan),
                     (GDestroyNotify) scan_state_unref);
}

static void
scan_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ScanState *scan = task_data;
  gint64 last_flush = g_get_monotonic_time ();

  for (guint cursor = 0; cursor < scan->n_items; cursor++)
    {
      int hint = g_atomic_int_exchange (&scan->hint, -1);

      if (g_cancellable_is_cancelled (cancellable))
        return;

      if (hint >= 0)
        for (guint i = hint; i < MIN ((guint) hint + HINT_WINDOW, scan->n_items); i++)
          if (!g_atomic_int_get (&scan->summaries[i].ready))
            summarise_item (scan, i);

      if (!g_atomic_int_get (&scan->summaries[cursor].ready))
        summarise_item (scan, cursor);

      if (g_get_monotonic_time () - last_flush > G_USEC_PER_SEC / 10)
        {
          request_flush (scan);
          last_flush = g_get_monotonic_time ();
        }
    }
  g_atomic_int_set (&scan->finished, 1);
  request_flush (scan);
}

static void
bm_file_states_dispose (GObject *object)
{
  BmFileStates *self = BM_FILE_STATES (object);

  if (self->scan != NULL)
    {
      g_cancellable_cancel (self->scan->cancellable);
      for (guint i = 0; self->split_names != NULL && i < self->scan->n_items; i++)
        g_free (self->split_names[i]);
      g_clear_pointer (&self->split_names, g_free);
      g_clear_pointer (&self->scan, scan_state_unref);
    }

  G_OBJECT_CLASS (bm_file_states_parent_class)->dispose (object);
}

static void
bm_file_states_class_init (BmFileStatesClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = bm_file_states_dispose;

  /* Emitted in the main context when more label files were read. */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
bm_file_states_init (BmFileStates *self)
{
}

static const char *
base_name (const BmDatasetItem *item)
{
  const char *path = item->image_path ? item->image_path : item->label_path;
  const char *slash = strrchr (path, G_DIR_SEPARATOR);

  return slash ? slash + 1 : path;
}

BmFileStates *
bm_file_states_new (BmDataset *dataset)
{
  BmFileStates *self;
  ScanState *scan;
  guint n;

  g_return_val_if_fail (BM_IS_DATASET (dataset), NULL);

  n = bm_dataset_get_n_items (dataset);
  self = g_object_new (BM_TYPE_FILE_STATES, NULL);
  scan = g_new0 (ScanState, 1);
  scan->ref_count = 1;
  scan->dataset = g_object_ref (dataset);
  scan->n_items = n;
  scan->summaries = g_new0 (Summary, MAX (n, 1));
  scan->cancellable = g_cancellable_new ();
  scan->hint = -1;
  g_mutex_init (&scan->mutex);
  g_weak_ref_init (&scan->owner, self);
  self->scan = scan;

  /* Splits may hold the same file name twice (train/1.jpg, val/1.jpg): show the split too. */
  for (guint i = 0; i < n; i++)
    {
      const BmDatasetItem *item = bm_dataset_get_item (dataset, i);

      if (item->split == NULL)
        continue;
      if (self->split_names == NULL)
        self->split_names = g_new0 (char *, n);
      self->split_names[i] = g_strdup_printf ("%s/%s", item->split, base_name (item));
    }
  return self;
}

BmDataset *
bm_file_states_get_dataset (BmFileStates *self)
{
  g_return_val_if_fail (BM_IS_FILE_STATES (self), NULL);
  return self->scan->dataset;
}

guint
bm_file_states_get_n_items (BmFileStates *self)
{
  g_return_val_if_fail (BM_IS_FILE_STATES (self), 0);
  return self->scan->n_items;
}

const char *
bm_file_states_get_name (BmFileStates *self,
                         guint         index)
{
  g_return_val_if_fail (BM_IS_FILE_STATES (self), NULL);
  g_return_val_if_fail (index < self->scan->n_items, NULL);

  if (self->split_names != NULL && self->split_names[index] != NULL)
    return self->split_names[index];
  return base_name (bm_dataset_get_item (self->scan->dataset, index));
}

void
bm_file_states_start_scan (BmFileStates *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BM_IS_FILE_STATES (self));

  if (self->scan_started)
    return;
  self->scan_started = TRUE;

  task = g_task_new (NULL, self->scan->cancellable, NULL, NULL);
  g_task_set_source_tag (task, bm_file_states_start_scan);
  g_task_set_task_data (task, scan_state_ref (self->scan), (GDestroyNotify) scan_state_unref);
  g_task_run_in_thread (task, scan_thread);
}

gboolean
bm_file_states_is_scanned (BmFileStates *self)
{
  g_return_val_if_fail (BM_IS_FILE_STATES (self), FALSE);
  return g_atomic_int_get (&self->scan->finished);
}

void
bm_file_states_hint (BmFileStates *self,
                     guint         index)
{
  g_return_if_fail (BM_IS_FILE_STATES (self));
  g_atomic_int_set (&self->scan->hint, (int) index);
}

gboolean
bm_file_states_is_item_read (BmFileStates *self,
                             guint         index)
{
  g_return_val_if_fail (BM_IS_FILE_STATES (self), FALSE);
  g_return_val_if_fail (index < self->scan->n_items, FALSE);

  return g_atomic_int_get (&self->scan->summaries[index].ready);
}

gboolean
bm_file_states_peek (BmFileStates  *self,
                     guint          index,
                     BmFileSummary *out)
{
  Summary *summary;

  g_return_val_if_fail (BM_IS_FILE_STATES (self), FALSE);
  g_return_val_if_fail (index < self->scan->n_items, FALSE);

  summary = &self->scan->summaries[index];
  if (!g_atomic_int_get (&summary->ready))
    return FALSE;
  g_mutex_lock (&self->scan->mutex);
  if (out != NULL)
    *out = (BmFileSummary) { summary->state, summary->n_objects };
  g_mutex_unlock (&self->scan->mutex);
  return TRUE;
}

void
bm_file_states_flush (BmFileStates *self)
{
  g_return_if_fail (BM_IS_FILE_STATES (self));
  g_signal_emit (self, signals[CHANGED], 0);
}

typedef struct
{
  ScanState *scan;
  guint *indices;
  guint n_indices;
} ReadStatesData;

static void
read_states_data_free (ReadStatesData *data)
{
  scan_state_unref (data->scan);
  g_free (data->indices);
  g_free (data);
}

static void
read_states_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  ReadStatesData *data = task_data;

  for (guint i = 0; i < data->n_indices; i++)
    {
      if (g_task_return_error_if_cancelled (task))
        return;
      /* The background scan may have got there first. */
      if (!g_atomic_int_get (&data->scan->summaries[data->indices[i]].ready))
        summarise_item (data->scan, data->indices[i]);
    }
  request_flush (data->scan);
  g_task_return_boolean (task, TRUE);
}

void
bm_file_states_read_async (BmFileStates     *self,
                                      const guint         *indices,
                                      guint                n_indices,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ReadStatesData *data;

  g_return_if_fail (BM_IS_FILE_STATES (self));
  g_return_if_fail (indices != NULL || n_indices == 0);

  for (guint i = 0; i < n_indices; i++)
    g_return_if_fail (indices[i] < self->scan->n_items);

  data = g_new0 (ReadStatesData, 1);
  data->scan = scan_state_ref (self->scan);
  data->indices = g_memdup2 (indices, n_indices * sizeof (guint));
  data->n_indices = n_indices;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bm_file_states_read_async);
  g_task_set_task_data (task, data, (GDestroyNotify) read_states_data_free);
  g_task_run_in_thread (task, read_states_thread);
}

gboolean
bm_file_states_read_finish (BmFileStates  *self,
                                       GAsyncResult     *result,
                                       GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bm_file_states_read_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

BmFileState
bm_file_states_get_state (BmFileStates *self,
                              guint            index)
{
  Summary *summary;
  BmFileState state;

  g_return_val_if_fail (BM_IS_FILE_STATES (self), BM_FILE_STATE_UNKNOWN);
  g_return_val_if_fail (index < self->scan->n_items, BM_FILE_STATE_UNKNOWN);

  summary = &self->scan->summaries[index];
  if (!g_atomic_int_get (&summary->ready))
    summarise_item (self->scan, index);

  g_mutex_lock (&self->scan->mutex);
  state = summary->state;
  g_mutex_unlock (&self->scan->mutex);
  return state;
}

gboolean
bm_file_states_has_pre_annotations (BmFileStates *self,
                                    guint         index)
{
  Summary *summary;
  gboolean has;

  g_return_val_if_fail (BM_IS_FILE_STATES (self), FALSE);
  g_return_val_if_fail (index < self->scan->n_items, FALSE);

  summary = &self->scan->summaries[index];
  if (!g_atomic_int_get (&summary->ready))
    return FALSE;
  g_mutex_lock (&self->scan->mutex);
  has = summary->n_pre > 0;
  g_mutex_unlock (&self->scan->mutex);
  return has;
}

gboolean
bm_file_states_has_label (BmFileStates *self,
                              guint            index,
                              const char      *label)
{
  GQuark q = g_quark_try_string (label);
  Summary *summary;
  gboolean found = FALSE;

  g_return_val_if_fail (BM_IS_FILE_STATES (self), FALSE);
  g_return_val_if_fail (index < self->scan->n_items, FALSE);

  summary = &self->scan->summaries[index];
  if (q == 0 || !g_atomic_int_get (&summary->ready))
    return FALSE;

  g_mutex_lock (&self->scan->mutex);
  for (GQuark *p = summary->labels; p != NULL && *p != 0 && !found; p++)
    found = *p == q;
  g_mutex_unlock (&self->scan->mutex);
  return found;
}

guint
bm_file_states_count_verified (BmFileStates *self)
{
  guint n = 0;

  g_return_val_if_fail (BM_IS_FILE_STATES (self), 0);

  g_mutex_lock (&self->scan->mutex);
  for (guint i = 0; i < self->scan->n_items; i++)
    n += g_atomic_int_get (&self->scan->summaries[i].ready) && self->scan->summaries[i].state == BM_FILE_STATE_VERIFIED;
  g_mutex_unlock (&self->scan->mutex);
  return n;
}

GHashTable *
bm_file_states_count_images_per_label (BmFileStates *self)
{
  GHashTable *counts;

  g_return_val_if_fail (BM_IS_FILE_STATES (self), NULL);

  counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_mutex_lock (&self->scan->mutex);
  for (guint i = 0; i < self->scan->n_items; i++)
    {
      Summary *summary = &self->scan->summaries[i];

      if (!g_atomic_int_get (&summary->ready))
        continue;
      for (GQuark *q = summary->labels; q != NULL && *q != 0; q++)
        {
          const char *label = g_quark_to_string (*q);

          g_hash_table_insert (counts, (gpointer) label,
                               GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, label)) + 1));
        }
    }
  g_mutex_unlock (&self->scan->mutex);
  return counts;
}

void
bm_file_states_update (BmFileStates *self,
                           guint            index,
                           BmAnnotation    *annotation)
{
  BmFileState state;

  g_return_if_fail (BM_IS_FILE_STATES (self));
  g_return_if_fail (BM_IS_ANNOTATION (annotation));
  g_return_if_fail (index < self->scan->n_items);

  /* as the scan says: a label file without its image is a problem, whatever it holds */
  state = bm_dataset_get_item (self->scan->dataset, index)->image_path == NULL ? BM_FILE_STATE_PROBLEM
                                                                              : state_of (annotation);
  store_summary (self->scan, index, state, bm_annotation_get_n_objects (annotation),
                 count_pre_annotations (annotation), distinct_labels (annotation), TRUE);

}
