/* bm-file-list-model.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-file-list-model.h"

struct _BmFileListModel
{
  GObject parent_instance;

  BmFileStates *states;
  GPtrArray *items;       /* BmFileItem or NULL, made on demand */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BmFileListModel, bm_file_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  SUMMARIES_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Rows made before their label file was read get its summary now. */
static void
states_changed_cb (BmFileListModel *self)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      BmFileItem *item = g_ptr_array_index (self->items, i);
      BmFileSummary summary;

      if (item != NULL && bm_file_item_get_state (item) == BM_FILE_STATE_UNKNOWN
          && bm_file_states_peek (self->states, i, &summary))
        bm_file_item_set_summary (item, summary.state, summary.n_objects);
    }
  g_signal_emit (self, signals[SUMMARIES_CHANGED], 0);
}

static GType
bm_file_list_model_get_item_type (GListModel *model)
{
  return BM_TYPE_FILE_ITEM;
}

static guint
bm_file_list_model_get_n_items (GListModel *model)
{
  return BM_FILE_LIST_MODEL (model)->items->len;
}

static gpointer
bm_file_list_model_get_item (GListModel *model,
                             guint       position)
{
  BmFileListModel *self = BM_FILE_LIST_MODEL (model);
  BmFileItem *item;

  if (position >= self->items->len)
    return NULL;

  item = g_ptr_array_index (self->items, position);
  if (item == NULL)
    {
      BmFileSummary summary;

      item = bm_file_item_new (position, bm_file_states_get_name (self->states, position));
      if (bm_file_states_peek (self->states, position, &summary))
        bm_file_item_set_summary (item, summary.state, summary.n_objects);
      else
        bm_file_states_hint (self->states, position);
      g_ptr_array_index (self->items, position) = item;
    }
  return g_object_ref (item);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = bm_file_list_model_get_item_type;
  iface->get_n_items = bm_file_list_model_get_n_items;
  iface->get_item = bm_file_list_model_get_item;
}

static void
bm_file_list_model_dispose (GObject *object)
{
  BmFileListModel *self = BM_FILE_LIST_MODEL (object);

  if (self->states != NULL)
    g_signal_handlers_disconnect_by_data (self->states, self);
  g_clear_object (&self->states);
  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (bm_file_list_model_parent_class)->dispose (object);
}

static void
bm_file_list_model_class_init (BmFileListModelClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = bm_file_list_model_dispose;

  /* Emitted on the main thread when more rows were filled in. */
  signals[SUMMARIES_CHANGED] =
    g_signal_new ("summaries-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
bm_file_list_model_init (BmFileListModel *self)
{
}

/* Rows not asked for are still NULL, and GPtrArray frees those too. */
static void
unref_item (gpointer item)
{
  if (item != NULL)
    g_object_unref (item);
}

BmFileListModel *
bm_file_list_model_new (BmDataset *dataset)
{
  BmFileListModel *self;
  guint n;

  g_return_val_if_fail (BM_IS_DATASET (dataset), NULL);

  n = bm_dataset_get_n_items (dataset);
  self = g_object_new (BM_TYPE_FILE_LIST_MODEL, NULL);
  self->items = g_ptr_array_new_full (n, unref_item);
  g_ptr_array_set_size (self->items, n);
  self->states = bm_file_states_new (dataset);
  g_signal_connect_swapped (self->states, "changed", G_CALLBACK (states_changed_cb), self);
  return self;
}

BmFileStates *
bm_file_list_model_get_states (BmFileListModel *self)
{
  g_return_val_if_fail (BM_IS_FILE_LIST_MODEL (self), NULL);
  return self->states;
}

void
bm_file_list_model_flush (BmFileListModel *self)
{
  g_return_if_fail (BM_IS_FILE_LIST_MODEL (self));
  bm_file_states_flush (self->states);
}

void
bm_file_list_model_update (BmFileListModel *self,
                           guint            index,
                           BmAnnotation    *annotation)
{
  BmFileItem *item;
  BmFileSummary summary;

  g_return_if_fail (BM_IS_FILE_LIST_MODEL (self));
  g_return_if_fail (index < self->items->len);

  bm_file_states_update (self->states, index, annotation);
  item = g_ptr_array_index (self->items, index);
  if (item != NULL && bm_file_states_peek (self->states, index, &summary))
    bm_file_item_set_summary (item, summary.state, summary.n_objects);
}

BmDataset *
bm_file_list_model_get_dataset (BmFileListModel *self)
{
  g_return_val_if_fail (BM_IS_FILE_LIST_MODEL (self), NULL);
  return bm_file_states_get_dataset (self->states);
}

void
bm_file_list_model_start_scan (BmFileListModel *self)
{
  g_return_if_fail (BM_IS_FILE_LIST_MODEL (self));
  bm_file_states_start_scan (self->states);
}

gboolean
bm_file_list_model_is_scanned (BmFileListModel *self)
{
  g_return_val_if_fail (BM_IS_FILE_LIST_MODEL (self), FALSE);
  return bm_file_states_is_scanned (self->states);
}

gboolean
bm_file_list_model_is_item_scanned (BmFileListModel *self,
                                    guint            index)
{
  g_return_val_if_fail (BM_IS_FILE_LIST_MODEL (self), FALSE);
  return bm_file_states_is_item_read (self->states, index);
}

BmFileState
bm_file_list_model_get_state (BmFileListModel *self,
                              guint            index)
{
  g_return_val_if_fail (BM_IS_FILE_LIST_MODEL (self), BM_FILE_STATE_UNKNOWN);
  return bm_file_states_get_state (self->states, index);
}

gboolean
bm_file_list_model_has_pre_annotations (BmFileListModel *self,
                                        guint            index)
{
  g_return_val_if_fail (BM_IS_FILE_LIST_MODEL (self), FALSE);
  return bm_file_states_has_pre_annotations (self->states, index);
}

guint
bm_file_list_model_count_verified (BmFileListModel *self)
{
  g_return_val_if_fail (BM_IS_FILE_LIST_MODEL (self), 0);
  return bm_file_states_count_verified (self->states);
}

GHashTable *
bm_file_list_model_count_images_per_label (BmFileListModel *self)
{
  g_return_val_if_fail (BM_IS_FILE_LIST_MODEL (self), NULL);
  return bm_file_states_count_images_per_label (self->states);
}

const char *
bm_file_list_model_get_name (BmFileListModel *self,
                             guint            index)
{
  g_return_val_if_fail (BM_IS_FILE_LIST_MODEL (self), NULL);
  return bm_file_states_get_name (self->states, index);
}
