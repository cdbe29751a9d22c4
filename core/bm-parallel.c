/* bm-parallel.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-parallel.h"

#define MAX_DEFAULT_THREADS 8

typedef struct
{
  guint n_items;
  gint next;            /* atomic: the next index to hand out */
  BmParallelFunc func;
  gpointer user_data;
} ParallelJob;

static gpointer
run_job (gpointer data)
{
  ParallelJob *job = data;

  for (;;)
    {
      guint index = (guint) g_atomic_int_add (&job->next, 1);

      if (index >= job->n_items)
        return NULL;
      job->func (index, job->user_data);
    }
}

guint
bm_parallel_default_threads (void)
{
  return CLAMP (g_get_num_processors (), 1, MAX_DEFAULT_THREADS);
}

void
bm_parallel_for (guint n_items, guint n_threads, BmParallelFunc func, gpointer user_data)
{
  ParallelJob job = { n_items, 0, func, user_data };
  g_autofree GThread **threads = NULL;

  g_return_if_fail (func != NULL);
  g_return_if_fail (n_items <= G_MAXINT);

  if (n_threads == 0)
    n_threads = bm_parallel_default_threads ();
  n_threads = MIN (n_threads, MAX (n_items, 1));
  threads = g_new0 (GThread *, n_threads);
  for (guint t = 1; t < n_threads; t++)
    threads[t] = g_thread_new ("bm-parallel", run_job, &job);
  run_job (&job);
  for (guint t = 1; t < n_threads; t++)
    g_thread_join (threads[t]);
}
