/* bm-file-search.h: the review searches' walk — from an item to the next (or previous) one the
 * list filter shows and a match accepts, over a folder whose label files may not all be read yet.
 * States not known are read in a worker thread, a few first (the next match is often close),
 * then more at a time, so the main thread never waits for a label file; the walk yields to the
 * main loop every few thousand items. What is looked for is the caller's (bm-review-search.h
 * has the window's rules). GTK-free.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "bm-file-filter.h"
#include "bm-file-states.h"

G_BEGIN_DECLS

/* Called only for items whose state is known. */
typedef gboolean (*BmFileSearchMatch) (BmFileStates *states, guint index, gpointer user_data);

/* From item @from_index (-1: from the start, or the end when @step is -1) in dataset order,
 * the next item @filter (copied; NULL shows all) shows that @match (NULL: any) accepts. */
void bm_file_search_async  (BmFileStates        *states,
                            const BmFileFilter  *filter,
                            int                  from_index,
                            int                  step,
                            BmFileSearchMatch    match,
                            gpointer             match_data,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data);
/* The dataset index found, -1 when there is none (or on error: G_IO_ERROR_CANCELLED). */
int  bm_file_search_finish (BmFileStates        *states,
                            GAsyncResult        *result,
                            GError             **error);

G_END_DECLS
