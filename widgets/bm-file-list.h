/* bm-file-list.h: the filterable list of the folder's images.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "bm-file-list-model.h"

G_BEGIN_DECLS

#define BM_TYPE_FILE_LIST (bm_file_list_get_type ())
G_DECLARE_FINAL_TYPE (BmFileList, bm_file_list, BM, FILE_LIST, GtkWidget)

typedef gboolean (*BmFileListMatch) (BmFileListModel *model,
                                     guint            index,
                                     gpointer         user_data);

GtkWidget       *bm_file_list_new             (void);
BmFileListModel *bm_file_list_get_model       (BmFileList      *self);
void             bm_file_list_set_model       (BmFileList      *self,
                                               BmFileListModel *model);

/* Filter text: words match the file name; `label:car`, `verified:yes|no`, `problem:yes|no`,
 * `empty:yes|no` match the labels (quote labels with spaces: label:"traffic light"). The terms
 * are dataset/bm-file-filter.c's table. */
const char      *bm_file_list_get_filter_text (BmFileList      *self);
void             bm_file_list_set_filter_text (BmFileList      *self,
                                               const char      *text);
void             bm_file_list_focus_filter    (BmFileList      *self);

/* Shows only the dataset items @items (guint indices; NULL: all again), on top of the filter
 * text — the images behind a bar of the dataset overview. @description is said beside the
 * count ("car: width 8–16"). */
void             bm_file_list_set_item_set    (BmFileList      *self,
                                               GArray          *items,
                                               const char      *description);
gboolean         bm_file_list_has_item_set    (BmFileList      *self);

/* Selects the row of dataset item @index (if the filter shows it) and scrolls to it, without
 * emitting ::activated. */
void             bm_file_list_select_index    (BmFileList      *self,
                                               guint            index);
/* Number of rows the filter shows. */
guint            bm_file_list_get_n_shown     (BmFileList      *self);
/* The dataset index of the next (@step 1) or previous (-1) row after the row of @from_index
 * for which @match says yes (NULL matches all), in the order shown; -1 when there is none.
 * @from_index -1 starts before the first row (or after the last for -1). */
int              bm_file_list_find            (BmFileList      *self,
                                               int              from_index,
                                               int              step,
                                               BmFileListMatch  match,
                                               gpointer         user_data);
/* Like bm_file_list_find() for a @match that looks at the items' states, without ever making
 * the main loop wait for a label file: states not read yet are read in a worker thread first,
 * and @match is called only for items whose state is known. Finds the row bm_file_list_find()
 * would once every state is known: items a label filter (`verified:no`) hides only because
 * they were not read yet are read and filtered too, and their rows are shown before it
 * finishes. */
void             bm_file_list_find_async      (BmFileList          *self,
                                               int                  from_index,
                                               int                  step,
                                               BmFileListMatch      match,
                                               gpointer             match_data,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
/* The dataset index found, -1 when there is none (or on error: G_IO_ERROR_CANCELLED). */
int              bm_file_list_find_finish     (BmFileList          *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* Filter words KEY:VALUE the list does not know itself (the review's missing:yes …): @parse
 * gives a term for a word (NULL: not one of its words), @match tells whether item @index
 * matches it. Call bm_file_list_refilter when their answers change. */
typedef gpointer (*BmFileListTermParse) (const char *key, const char *value, gpointer user_data);
typedef gboolean (*BmFileListTermMatch) (gpointer term, guint index, gpointer user_data);
void             bm_file_list_set_extra_terms (BmFileList          *self,
                                               BmFileListTermParse  parse,
                                               BmFileListTermMatch  match,
                                               GDestroyNotify       free_term,
                                               gpointer             user_data);
void             bm_file_list_refilter        (BmFileList          *self);

G_END_DECLS
