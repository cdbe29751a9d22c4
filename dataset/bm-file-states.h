/* bm-file-states.h: what each image of an open folder is — labelled, verified, with problems,
 * how many objects of which labels — read once per label file in a background thread, so that a
 * folder of 100,000 images opens at once and fills in as the scan goes. The window's file list
 * is a thin GListModel over it (widgets/bm-file-list-model.h); the review searches and the list
 * filter read it (bm-file-search.h, bm-file-filter.h). GTK-free: "changed" is emitted in the
 * main context, the rest may be called from any thread.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "core/bm-annotation.h"
#include "core/bm-dataset.h"

G_BEGIN_DECLS

typedef enum
{
  BM_FILE_STATE_UNKNOWN,    /* the label file was not read yet */
  BM_FILE_STATE_NONE,       /* no label file */
  BM_FILE_STATE_LABELED,
  BM_FILE_STATE_VERIFIED,
  BM_FILE_STATE_PROBLEM,    /* the label file has problems, or the image is missing */
} BmFileState;

/* What is known of one item once its label file was read. */
typedef struct
{
  BmFileState state;
  int n_objects;
} BmFileSummary;

#define BM_TYPE_FILE_STATES (bm_file_states_get_type ())
G_DECLARE_FINAL_TYPE (BmFileStates, bm_file_states, BM, FILE_STATES, GObject)

BmFileStates *bm_file_states_new               (BmDataset     *dataset);
BmDataset    *bm_file_states_get_dataset       (BmFileStates  *self);
guint         bm_file_states_get_n_items       (BmFileStates  *self);
/* The file name shown for item @index ("train/1.jpg" when splits hold the same name twice). */
const char   *bm_file_states_get_name          (BmFileStates  *self,
                                                guint          index);

/* Starts reading every label file in the background (idempotent). */
void          bm_file_states_start_scan        (BmFileStates  *self);
gboolean      bm_file_states_is_scanned        (BmFileStates  *self);
/* An index a view shows now: read it (and the few after it) before going on in order. */
void          bm_file_states_hint              (BmFileStates  *self,
                                                guint          index);

gboolean      bm_file_states_is_item_read      (BmFileStates  *self,
                                                guint          index);
/* The summary of item @index as read so far, without reading anything: FALSE (and nothing
 * stored) while its label file has not been read. */
gboolean      bm_file_states_peek              (BmFileStates  *self,
                                                guint          index,
                                                BmFileSummary *summary);
/* The state of item @index; reads its label file now when the scan has not reached it. */
BmFileState   bm_file_states_get_state         (BmFileStates  *self,
                                                guint          index);
/* Whether item @index has an object labelled @label. FALSE while not read. */
gboolean      bm_file_states_has_label         (BmFileStates  *self,
                                                guint          index,
                                                const char    *label);
/* Whether item @index holds pre-annotations nobody accepted yet. FALSE while not read. */
gboolean      bm_file_states_has_pre_annotations (BmFileStates *self,
                                                  guint         index);
/* How many items are known to be verified (so far, while the scan runs). */
guint         bm_file_states_count_verified    (BmFileStates  *self);
/* For each label: in how many items it appears (of those read so far). Keys are interned
 * strings. Free with g_hash_table_unref. */
GHashTable   *bm_file_states_count_images_per_label (BmFileStates *self);
/* Records what the window just loaded or saved for item @index. */
void          bm_file_states_update            (BmFileStates  *self,
                                                guint          index,
                                                BmAnnotation  *annotation);

/* Reads the states of those of @indices not known yet in a worker thread, so that the main
 * thread never waits for a label file; label files are only read. */
void          bm_file_states_read_async        (BmFileStates        *self,
                                                const guint         *indices,
                                                guint                n_indices,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean      bm_file_states_read_finish       (BmFileStates        *self,
                                                GAsyncResult        *result,
                                                GError             **error);
/* Emits "changed" now rather than at the next idle moment. */
void          bm_file_states_flush             (BmFileStates  *self);

G_END_DECLS
