/* bm-augment-job.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-augment-job.h"

struct _BmAugmentJob
{
  gint ref_count;                /* the owner's, and one per worker */
  gpointer owner;                /* NULL once closed */
  BmAugmentJobStartFunc start;
  BmAugmentJobRunFunc run;
  BmAugmentJobDoneFunc done;
  GDestroyNotify input_free;
  GDestroyNotify result_free;
  GCancellable *cancellable;
  guint generation;              /* of the newest request */
  guint answered;                /* of the newest request answered by a current result */
  gboolean running;
};

/* What one worker was given. */
typedef struct
{
  BmAugmentJob *job;
  guint generation;
  gpointer input;
} Work;

static BmAugmentJob *
job_ref (BmAugmentJob *job)
{
  g_atomic_int_inc (&job->ref_count);
  return job;
}

static void
job_unref (BmAugmentJob *job)
{
  if (!g_atomic_int_dec_and_test (&job->ref_count))
    return;
  g_clear_object (&job->cancellable);
  g_free (job);
}

static void
work_free (Work *work)
{
  if (work->input != NULL && work->job->input_free != NULL)
    work->job->input_free (work->input);
  job_unref (work->job);
  g_free (work);
}

BmAugmentJob *
bm_augment_job_new (gpointer owner, BmAugmentJobStartFunc start, BmAugmentJobRunFunc run, BmAugmentJobDoneFunc done,
                    GDestroyNotify input_free, GDestroyNotify result_free)
{
  BmAugmentJob *job;

  g_return_val_if_fail (owner != NULL && start != NULL && run != NULL && done != NULL, NULL);

  job = g_new0 (BmAugmentJob, 1);
  job->ref_count = 1;
  job->owner = owner;
  job->start = start;
  job->run = run;
  job->done = done;
  job->input_free = input_free;
  job->result_free = result_free;
  job->cancellable = g_cancellable_new ();
  return job;
}

void
bm_augment_job_close (BmAugmentJob *job)
{
  if (job == NULL)
    return;
  job->owner = NULL;
  g_cancellable_cancel (job->cancellable);
  job_unref (job);
}

static void
work_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  Work *work = task_data;

  g_task_return_pointer (task, work->job->run (work->input, cancellable), work->job->result_free);
}

static void start_worker (BmAugmentJob *job);

static void
work_done_cb (GObject *source_object, GAsyncResult *result, gpointer user_data)
{
  Work *work = g_task_get_task_data (G_TASK (result));
  BmAugmentJob *job = work->job;
  gpointer value = g_task_propagate_pointer (G_TASK (result), NULL);
  gboolean current;

  job->running = FALSE;
  if (job->owner == NULL)
    {
      if (value != NULL && job->result_free != NULL)
        job->result_free (value);
      return;
    }
  current = work->generation == job->generation;
  if (current)
    job->answered = work->generation;
  job->done (job->owner, work->input, value, current);
  if (value != NULL && job->result_free != NULL)
    job->result_free (value);
  /* a newer request came while it ran: its turn now (unless @done started it already) */
  if (!current && job->owner != NULL)
    start_worker (job);
}

static void
start_worker (BmAugmentJob *job)
{
  g_autoptr(GTask) task = NULL;
  Work *work;
  gpointer input;

  if (job->running || job->owner == NULL)
    return;
  input = job->start (job->owner, job->generation);
  if (input == NULL)
    {
      job->answered = job->generation;
      return;
    }
  work = g_new0 (Work, 1);
  work->job = job_ref (job);
  work->generation = job->generation;
  work->input = input;
  job->running = TRUE;
  task = g_task_new (NULL, job->cancellable, work_done_cb, NULL);
  /* the result comes back even when cancelled: only the job knows how to free it */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_source_tag (task, bm_augment_job_request);
  g_task_set_task_data (task, work, (GDestroyNotify) work_free);
  g_task_run_in_thread (task, work_thread);
}

void
bm_augment_job_request (BmAugmentJob *job)
{
  g_return_if_fail (job != NULL);

  job->generation++;
  start_worker (job);
}

guint
bm_augment_job_get_generation (BmAugmentJob *job)
{
  g_return_val_if_fail (job != NULL, 0);
  return job->generation;
}

gboolean
bm_augment_job_is_running (BmAugmentJob *job)
{
  g_return_val_if_fail (job != NULL, FALSE);
  return job->running;
}

gboolean
bm_augment_job_is_pending (BmAugmentJob *job)
{
  g_return_val_if_fail (job != NULL, FALSE);
  return job->running || job->answered != job->generation;
}

void
bm_augment_job_settle (BmAugmentJob *job)
{
  g_return_if_fail (job != NULL);
  if (!job->running)
    job->answered = job->generation;
}
