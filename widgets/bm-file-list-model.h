/* bm-file-list-model.h: the images of a dataset as a GListModel of BmFileItem.
 *
 * Rows are made only when a view asks for them, and each label file is read once in a
 * background thread to fill in the state and object count, so a folder of 100,000 images opens
 * at once.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "core/bm-dataset.h"
#include "bm-file-item.h"

G_BEGIN_DECLS

#define BM_TYPE_FILE_LIST_MODEL (bm_file_list_model_get_type ())
G_DECLARE_FINAL_TYPE (BmFileListModel, bm_file_list_model, BM, FILE_LIST_MODEL, GObject)

BmFileListModel *bm_file_list_model_new            (BmDataset       *dataset);
BmDataset       *bm_file_list_model_get_dataset    (BmFileListModel *self);
/* Starts reading every label file in the background (idempotent). */
void             bm_file_list_model_start_scan     (BmFileListModel *self);
gboolean         bm_file_list_model_is_scanned     (BmFileListModel *self);

/* The state of item @index; reads its label file now when the scan has not reached it. */
BmFileState      bm_file_list_model_get_state      (BmFileListModel *self,
                                                    guint            index);
/* Whether item @index has an object labelled @label. FALSE while not scanned. */
gboolean         bm_file_list_model_has_label      (BmFileListModel *self,
                                                    guint            index,
                                                    const char      *label);
gboolean         bm_file_list_model_is_item_scanned (BmFileListModel *self,
                                                    guint            index);
/* Whether item @index holds pre-annotations nobody accepted yet. FALSE while not scanned. */
gboolean         bm_file_list_model_has_pre_annotations (BmFileListModel *self,
                                                        guint            index);
/* The state and object count of item @index as read so far, without reading anything:
 * FALSE (and nothing stored) while its label file has not been read. */
gboolean         bm_file_list_model_peek_summary   (BmFileListModel *self,
                                                    guint            index,
                                                    BmFileState     *state,
                                                    int             *n_objects);
/* Gives the rows the states read so far now, instead of at the next idle moment, and emits
 * ::summaries-changed. */
void             bm_file_list_model_flush          (BmFileListModel *self);
/* Reads the states of those of @indices not known yet in a worker thread, so that the main
 * thread never waits for a label file; label files are only read. */
void             bm_file_list_model_read_states_async  (BmFileListModel     *self,
                                                        const guint         *indices,
                                                        guint                n_indices,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean         bm_file_list_model_read_states_finish (BmFileListModel     *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* How many items are known to be verified (so far, while the scan runs). */
guint            bm_file_list_model_count_verified (BmFileListModel *self);
/* For each label: in how many items it appears (of those read so far). Keys are interned
 * strings. Free with g_hash_table_unref. */
GHashTable      *bm_file_list_model_count_images_per_label (BmFileListModel *self);
/* Records what the window just loaded or saved for item @index. */
void             bm_file_list_model_update         (BmFileListModel *self,
                                                    guint            index,
                                                    BmAnnotation    *annotation);

/* Loads the labels of item @index, noticing label files saved since the folder was opened.
 * Thread-safe. */
BmAnnotation    *bm_file_list_model_load_labels    (BmDataset       *dataset,
                                                    guint            index,
                                                    GError         **error);

/* The file name shown for item @index. */
const char      *bm_file_list_model_get_name       (BmFileListModel *self,
                                                    guint            index);

G_END_DECLS
