/* bm-file-filter.h: the file list's filter text — words that match the file name, and KEY:VALUE
 * terms about the labels (`label:car`, `verified:yes|no`, `problem:yes|no`, `empty:yes|no`, `pre:yes|no`), all
 * of which must hold. Quotes keep a label with spaces one word.
 *
 * The keys are a table (bm-file-filter.c): a new one is an entry with a value parser and a
 * match on an item's BmFileStates. A word whose key or value is not understood matches the file
 * name, as any other word. GTK-free.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bm-file-states.h"

G_BEGIN_DECLS

typedef struct _BmFileFilter BmFileFilter;

/* @text may be NULL or empty: a filter that shows everything. */
BmFileFilter *bm_file_filter_new          (const char   *text);
/* KEY:VALUE words the filter does not know itself (the review's missing:yes …): @parse gives a
 * term for a key (lower case) and value, or NULL when the word is not one of its own (it then
 * matches file names). The terms are the caller's to match (bm_file_filter_get_extra_terms). */
typedef gpointer (*BmFileFilterTermParse) (const char *key, const char *value, gpointer user_data);
BmFileFilter *bm_file_filter_new_full     (const char            *text,
                                           BmFileFilterTermParse  parse,
                                           GDestroyNotify         free_term,
                                           gpointer               user_data);
/* The terms @parse made, in the order of the words; NULL when there are none. */
GPtrArray    *bm_file_filter_get_extra_terms (const BmFileFilter *filter);
void          bm_file_filter_free         (BmFileFilter *filter);
BmFileFilter *bm_file_filter_copy         (const BmFileFilter *filter);
/* No words at all: every item is shown. */
gboolean      bm_file_filter_is_empty     (const BmFileFilter *filter);
/* Whether a term needs the item's label file read (bm_file_filter_match_states). */
gboolean      bm_file_filter_needs_states (const BmFileFilter *filter);
/* The words about the file name (casefolded substrings, all of them). */
gboolean      bm_file_filter_match_name   (const BmFileFilter *filter,
                                           const char         *name);
/* The terms about the labels, for item @index whose label file was read (@summary is its). */
gboolean      bm_file_filter_match_states (const BmFileFilter  *filter,
                                           BmFileStates        *states,
                                           guint                index,
                                           const BmFileSummary *summary);
/* Both, for an item whose state may be unknown: FALSE while a term needs it and it is unread. */
gboolean      bm_file_filter_match        (const BmFileFilter *filter,
                                           BmFileStates       *states,
                                           guint               index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmFileFilter, bm_file_filter_free)

G_END_DECLS
