/* bm-file-list-model.h: the images of a dataset as a GListModel of BmFileItem — a thin view of
 * a BmFileStates (dataset/), which reads the label files in the background.
 *
 * Rows are made only when a view asks for them, and they fill in as the label files are read,
 * so a folder of 100,000 images opens at once.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "core/bm-dataset.h"
#include "dataset/bm-file-states.h"
#include "bm-file-item.h"

G_BEGIN_DECLS

#define BM_TYPE_FILE_LIST_MODEL (bm_file_list_model_get_type ())
G_DECLARE_FINAL_TYPE (BmFileListModel, bm_file_list_model, BM, FILE_LIST_MODEL, GObject)

BmFileListModel *bm_file_list_model_new            (BmDataset       *dataset);
/* What the rows show, read from the label files. */
BmFileStates    *bm_file_list_model_get_states     (BmFileListModel *self);
/* Gives the rows the states read so far now, instead of at the next idle moment, and emits
 * ::summaries-changed. */
void             bm_file_list_model_flush          (BmFileListModel *self);
/* Records what the window just loaded or saved for item @index (in the states and its row). */
void             bm_file_list_model_update         (BmFileListModel *self,
                                                    guint            index,
                                                    BmAnnotation    *annotation);

/* Shorthands for the same calls on bm_file_list_model_get_states (). */
BmDataset       *bm_file_list_model_get_dataset    (BmFileListModel *self);
void             bm_file_list_model_start_scan     (BmFileListModel *self);
gboolean         bm_file_list_model_is_scanned     (BmFileListModel *self);
gboolean         bm_file_list_model_is_item_scanned (BmFileListModel *self,
                                                    guint            index);
BmFileState      bm_file_list_model_get_state      (BmFileListModel *self,
                                                    guint            index);
gboolean         bm_file_list_model_has_pre_annotations (BmFileListModel *self,
                                                        guint            index);
guint            bm_file_list_model_count_verified (BmFileListModel *self);
GHashTable      *bm_file_list_model_count_images_per_label (BmFileListModel *self);
const char      *bm_file_list_model_get_name       (BmFileListModel *self,
                                                    guint            index);

G_END_DECLS
