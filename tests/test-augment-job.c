/* test-augment-job.c: the augmentation panel's worker protocol without a display — BmAugmentJob
 * (the newest request wins, stale results are handed back and the job runs again, closing drops
 * everything) and BmAugmentPartners (the folder's pool lent to workers and taken back).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib.h>

#include "dataset/bm-augment-job.h"
#include "dataset/bm-augment-partners.h"

typedef struct
{
  int value;                 /* the "settings" a worker starts from */
  guint n_starts;
  gint n_inputs_freed;       /* atomic: a task may be finalized in its worker thread */
  gint n_results_freed;
  GArray *done;              /* Delivery */
  GMutex lock;
  GCond cond;
  gboolean open;             /* the gate the workers wait at */
  guint n_waiting;
} Owner;

typedef struct
{
  int value;
  gboolean current;
} Delivery;

static Owner *current_owner;

static gpointer
start (gpointer data, guint generation)
{
  Owner *owner = data;
  int *input;

  owner->n_starts++;
  if (owner->value < 0)
    return NULL;
  input = g_new (int, 1);
  *input = owner->value;
  return input;
}

static gpointer
run (gpointer input, GCancellable *cancellable)
{
  Owner *owner = current_owner;
  int *result = g_new (int, 1);

  g_mutex_lock (&owner->lock);
  owner->n_waiting++;
  g_cond_broadcast (&owner->cond);
  while (!owner->open)
    g_cond_wait (&owner->cond, &owner->lock);
  g_mutex_unlock (&owner->lock);
  *result = *(int *) input * 10;
  return result;
}

static void
done (gpointer data, gpointer input, gpointer result, gboolean current)
{
  Owner *owner = data;
  Delivery delivery = { *(int *) result, current };

  g_assert_cmpint (*(int *) result, ==, *(int *) input * 10);
  g_array_append_val (owner->done, delivery);
}

static void
free_input (gpointer data)
{
  g_atomic_int_inc (&current_owner->n_inputs_freed);
  g_free (data);
}

static void
free_result (gpointer data)
{
  g_atomic_int_inc (&current_owner->n_results_freed);
  g_free (data);
}

/* The last reference to a worker's task may go in its thread, after the main loop has nothing
 * left to do: poll, never block, until the frees are counted. */
static void
wait_for_frees (Owner *owner, int n_inputs, int n_results)
{
  while (g_atomic_int_get (&owner->n_inputs_freed) < n_inputs || g_atomic_int_get (&owner->n_results_freed) < n_results)
    {
      g_main_context_iteration (NULL, FALSE);
      g_thread_yield ();
    }
}

static Owner *
owner_new (gboolean open)
{
  Owner *owner = g_new0 (Owner, 1);

  owner->done = g_array_new (FALSE, FALSE, sizeof (Delivery));
  g_mutex_init (&owner->lock);
  g_cond_init (&owner->cond);
  owner->open = open;
  current_owner = owner;
  return owner;
}

static void
owner_free (Owner *owner)
{
  g_array_unref (owner->done);
  g_mutex_clear (&owner->lock);
  g_cond_clear (&owner->cond);
  g_free (owner);
}

static void
wait_for_worker (Owner *owner, guint n)
{
  g_mutex_lock (&owner->lock);
  while (owner->n_waiting < n)
    g_cond_wait (&owner->cond, &owner->lock);
  g_mutex_unlock (&owner->lock);
}

static void
open_gate (Owner *owner)
{
  g_mutex_lock (&owner->lock);
  owner->open = TRUE;
  g_cond_broadcast (&owner->cond);
  g_mutex_unlock (&owner->lock);
}

static void
run_until (BmAugmentJob *job, Owner *owner, guint n_done)
{
  while (owner->done->len < n_done || bm_augment_job_is_running (job))
    g_main_context_iteration (NULL, TRUE);
}

/* Three requests while the first runs: one stale result handed back, then one run for the
 * newest, delivered as current; nothing in between. */
static void
test_newest_wins (void)
{
  Owner *owner = owner_new (FALSE);
  BmAugmentJob *job = bm_augment_job_new (owner, start, run, done, free_input, free_result);

  g_assert_false (bm_augment_job_is_pending (job));
  owner->value = 1;
  bm_augment_job_request (job);
  wait_for_worker (owner, 1);
  g_assert_true (bm_augment_job_is_running (job));
  owner->value = 2;
  bm_augment_job_request (job);
  owner->value = 3;
  bm_augment_job_request (job);
  g_assert_cmpuint (owner->n_starts, ==, 1);
  g_assert_cmpuint (bm_augment_job_get_generation (job), ==, 3);
  open_gate (owner);
  run_until (job, owner, 2);

  g_assert_cmpuint (owner->done->len, ==, 2);
  g_assert_cmpint (g_array_index (owner->done, Delivery, 0).value, ==, 10);
  g_assert_false (g_array_index (owner->done, Delivery, 0).current);
  g_assert_cmpint (g_array_index (owner->done, Delivery, 1).value, ==, 30);
  g_assert_true (g_array_index (owner->done, Delivery, 1).current);
  g_assert_cmpuint (owner->n_starts, ==, 2);
  g_assert_false (bm_augment_job_is_pending (job));
  g_assert_cmpint (g_atomic_int_get (&owner->n_results_freed), ==, 2);
  /* the inputs go with their workers' tasks, once the threads have let go of them */
  wait_for_frees (owner, 2, 2);

  /* nothing to do: answered at once, without a worker */
  owner->value = -1;
  bm_augment_job_request (job);
  g_assert_false (bm_augment_job_is_running (job));
  g_assert_false (bm_augment_job_is_pending (job));
  g_assert_cmpuint (owner->done->len, ==, 2);
  bm_augment_job_close (job);
  owner_free (owner);
}

/* Closed while a worker runs: its result is freed, never delivered. */
static void
test_close_drops (void)
{
  Owner *owner = owner_new (FALSE);
  BmAugmentJob *job = bm_augment_job_new (owner, start, run, done, free_input, free_result);

  owner->value = 4;
  bm_augment_job_request (job);
  wait_for_worker (owner, 1);
  bm_augment_job_close (job);
  open_gate (owner);
  wait_for_frees (owner, 1, 1);
  g_assert_cmpuint (owner->done->len, ==, 0);
  owner_free (owner);
}

/* A request while idle starts at once; is_pending follows it to the end. */
static void
test_pending (void)
{
  Owner *owner = owner_new (TRUE);
  BmAugmentJob *job = bm_augment_job_new (owner, start, run, done, free_input, free_result);

  owner->value = 5;
  bm_augment_job_request (job);
  g_assert_true (bm_augment_job_is_pending (job));
  run_until (job, owner, 1);
  g_assert_false (bm_augment_job_is_pending (job));
  g_assert_cmpint (g_array_index (owner->done, Delivery, 0).value, ==, 50);
  g_assert_true (g_array_index (owner->done, Delivery, 0).current);
  bm_augment_job_close (job);
  wait_for_frees (owner, 1, 1);
  owner_free (owner);
}

/* The folder's pool: built by the first worker that needs partners, kept for the folder, read
 * again only for saved items; a loan from before the folder changed comes back to nothing. */
static void
test_partners (void)
{
  g_autofree char *folder = g_build_filename (g_getenv ("BM_TESTDATA"), "voc", "raccoon_labelimg", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BmDataset) dataset = bm_dataset_open (folder, TRUE, &error);
  g_autoptr(BmAugmentPartners) partners = bm_augment_partners_new ();
  g_autoptr(GArray) ops = bm_augment_export_parse_ops ("mixup", bm_augment_profile_get (BM_AUGMENT_FRAMEWORK_ULTRALYTICS), &error);
  g_autoptr(GArray) no_partners = bm_augment_export_parse_ops ("rotate", bm_augment_profile_get (BM_AUGMENT_FRAMEWORK_ULTRALYTICS), &error);
  BmAugmentPartnersLoan *loan, *old;
  BmAugmentExportPool *pool;

  g_assert_no_error (error);
  bm_augment_partners_set_dataset (partners, dataset);

  /* no partners wanted: nothing built */
  loan = bm_augment_partners_lend (partners, FALSE);
  bm_augment_partners_loan_prepare (loan, FALSE, (const BmAugmentExportOp *) no_partners->data, no_partners->len);
  g_assert_null (loan->pool);
  bm_augment_partners_take_back (partners, loan);
  bm_augment_partners_loan_free (loan);
  g_assert_false (bm_augment_partners_has_pool (partners));

  /* mixup: the worker builds the pool, the panel keeps it */
  loan = bm_augment_partners_lend (partners, FALSE);
  bm_augment_partners_loan_prepare (loan, FALSE, (const BmAugmentExportOp *) ops->data, ops->len);
  g_assert_true (loan->built);
  g_assert_cmpuint (bm_augment_export_pool_get_usable (loan->pool)->len, >, 100);
  pool = loan->pool;
  bm_augment_partners_take_back (partners, loan);
  bm_augment_partners_loan_free (loan);
  g_assert_true (bm_augment_partners_has_pool (partners));
  g_assert_cmpuint (bm_augment_partners_get_n_builds (partners), ==, 1);

  /* the next loan has it; a saved item makes it refresh, not rebuild */
  bm_augment_partners_labels_saved (partners, 3);
  loan = bm_augment_partners_lend (partners, FALSE);
  g_assert_true (loan->pool == pool);
  g_assert_cmpuint (loan->saved->len, ==, 1);
  bm_augment_partners_loan_prepare (loan, FALSE, (const BmAugmentExportOp *) ops->data, ops->len);
  g_assert_false (loan->built);
  g_assert_true (loan->renewed);
  g_assert_true (loan->pool != pool);
  pool = loan->pool;
  bm_augment_partners_take_back (partners, loan);
  bm_augment_partners_loan_free (loan);
  g_assert_cmpuint (bm_augment_partners_get_n_builds (partners), ==, 1);
  loan = bm_augment_partners_lend (partners, FALSE);
  g_assert_true (loan->pool == pool);
  g_assert_cmpuint (loan->saved->len, ==, 0);

  /* a batch rewrote the folder while it was lent: what comes back is dropped */
  bm_augment_partners_labels_rewritten (partners);
  bm_augment_partners_take_back (partners, loan);
  bm_augment_partners_loan_free (loan);
  g_assert_false (bm_augment_partners_has_pool (partners));

  /* another folder while a worker builds for the first */
  old = bm_augment_partners_lend (partners, FALSE);
  bm_augment_partners_set_dataset (partners, NULL);
  bm_augment_partners_loan_prepare (old, FALSE, (const BmAugmentExportOp *) ops->data, ops->len);
  g_assert_true (old->built);
  bm_augment_partners_take_back (partners, old);
  bm_augment_partners_loan_free (old);
  g_assert_false (bm_augment_partners_has_pool (partners));
  g_assert_cmpuint (bm_augment_partners_get_n_builds (partners), ==, 2);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/augment-job/newest-wins", test_newest_wins);
  g_test_add_func ("/augment-job/close-drops", test_close_drops);
  g_test_add_func ("/augment-job/pending", test_pending);
  g_test_add_func ("/augment-job/partners", test_partners);
  return g_test_run ();
}
