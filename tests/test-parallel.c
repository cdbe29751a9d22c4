/* test-parallel.c: bm_parallel_for calls every index exactly once, from the threads asked for.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/bm-parallel.h"

typedef struct
{
  gint *calls;          /* per index, atomic */
  GMutex lock;
  GHashTable *threads;  /* GThread * seen */
} Counts;

static void
count_call (guint index, gpointer user_data)
{
  Counts *counts = user_data;

  g_atomic_int_inc (&counts->calls[index]);
  g_mutex_lock (&counts->lock);
  g_hash_table_add (counts->threads, g_thread_self ());
  g_mutex_unlock (&counts->lock);
}

static void
check (guint n_items, guint n_threads)
{
  Counts counts = { g_new0 (gint, MAX (n_items, 1)), { 0 }, g_hash_table_new (NULL, NULL) };

  g_mutex_init (&counts.lock);
  bm_parallel_for (n_items, n_threads, count_call, &counts);
  for (guint i = 0; i < n_items; i++)
    g_assert_cmpint (counts.calls[i], ==, 1);
  /* never more threads than asked for (0: the default), nor than items */
  g_assert_cmpuint (g_hash_table_size (counts.threads), <=,
                    MIN (n_threads == 0 ? bm_parallel_default_threads () : n_threads, MAX (n_items, 1)));
  if (n_items == 0)
    g_assert_cmpuint (g_hash_table_size (counts.threads), ==, 0);
  g_mutex_clear (&counts.lock);
  g_hash_table_unref (counts.threads);
  g_free (counts.calls);
}

static void
test_every_index_once (void)
{
  static const guint sizes[] = { 0, 1, 2, 7, 1000, 100000 };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    for (guint t = 0; t <= 5; t++)
      check (sizes[s], t);
}

static void
test_default_threads (void)
{
  guint n = bm_parallel_default_threads ();

  g_assert_cmpuint (n, >=, 1);
  g_assert_cmpuint (n, <=, 8);
  g_assert_cmpuint (n, <=, MAX (g_get_num_processors (), 1));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/parallel/every-index-once", test_every_index_once);
  g_test_add_func ("/parallel/default-threads", test_default_threads);
  return g_test_run ();
}
