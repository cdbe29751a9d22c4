/* bm-augment-job.h: work for a view that only cares about the newest request — the
 * augmentation panel's preview, its full-resolution detail and its image loads.
 *
 * Every request bumps the job's generation. One worker runs at a time: what it works on is
 * taken (by @start, in the main thread) from the newest state when it starts, and when it ends
 * for an older generation than the newest, @done hears it as stale and the job starts again;
 * only a result of the newest generation is delivered as current. Closing the job cancels the
 * worker and drops whatever it still returns. No counters or flags for the owner to keep.
 * GTK-free; main thread only, except @run.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _BmAugmentJob BmAugmentJob;

/* Main thread: what the worker is to work on for the newest request, or NULL when there is
 * nothing to do now (the job then rests until the next request). */
typedef gpointer (*BmAugmentJobStartFunc) (gpointer owner, guint generation);
/* Worker thread: the result for @input (freed with the job's input free function afterwards). */
typedef gpointer (*BmAugmentJobRunFunc)   (gpointer input, GCancellable *cancellable);
/* Main thread: @result (owned by the job, freed after) is @current when its generation is the
 * newest; a stale one is handed over too, so that the owner can take back what it lent. */
typedef void     (*BmAugmentJobDoneFunc)  (gpointer owner, gpointer input, gpointer result, gboolean current);

BmAugmentJob *bm_augment_job_new            (gpointer               owner,
                                             BmAugmentJobStartFunc  start,
                                             BmAugmentJobRunFunc    run,
                                             BmAugmentJobDoneFunc   done,
                                             GDestroyNotify         input_free,
                                             GDestroyNotify         result_free);
/* Cancels the worker; nothing is delivered after this. */
void          bm_augment_job_close          (BmAugmentJob *job);
/* Something changed: a new generation; the worker starts now unless one runs. */
void          bm_augment_job_request        (BmAugmentJob *job);
guint         bm_augment_job_get_generation (BmAugmentJob *job);
gboolean      bm_augment_job_is_running     (BmAugmentJob *job);
/* TRUE while a request has not been answered by a current result (running, or waiting). */
gboolean      bm_augment_job_is_pending     (BmAugmentJob *job);
/* The request is answered without a worker (nothing to compute): no longer pending. */
void          bm_augment_job_settle         (BmAugmentJob *job);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmAugmentJob, bm_augment_job_close)

G_END_DECLS
