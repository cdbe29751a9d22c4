/* test-parallel.c: bm_parallel_for calls every index exactly once, from the threads asked for;
 * whole numbers parse the same on every thread (bm_number, instead of GLib's racy parsers).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/bm-number.h"
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

static void
test_number_parsing (void)
{
  static const struct { const char *text; gboolean ok; guint64 value; } uints[] = {
    { "0", TRUE, 0 }, { "7", TRUE, 7 }, { "0012", TRUE, 12 }, { "2147483647", TRUE, 2147483647 },
    { "2147483648", FALSE, 0 }, { "", FALSE, 0 }, { " 1", FALSE, 0 }, { "1 ", FALSE, 0 },
    { "+1", FALSE, 0 }, { "-1", FALSE, 0 }, { "1.0", FALSE, 0 }, { "0x10", FALSE, 0 },
    { "99999999999999999999999", FALSE, 0 },
  };
  static const struct { const char *text; gboolean ok; gint64 value; } ints[] = {
    { "0", TRUE, 0 }, { "-0", TRUE, 0 }, { "+5", TRUE, 5 }, { "-2147483648", TRUE, G_MININT32 },
    { "2147483647", TRUE, G_MAXINT32 }, { "-2147483649", FALSE, 0 }, { "2147483648", FALSE, 0 },
    { "-", FALSE, 0 }, { "--1", FALSE, 0 }, { "1e3", FALSE, 0 }, { "", FALSE, 0 },
  };
  gint64 big = 0;

  for (guint i = 0; i < G_N_ELEMENTS (uints); i++)
    {
      guint64 value = 424242;

      g_assert_cmpint (bm_number_parse_uint (uints[i].text, G_MAXINT32, &value), ==, uints[i].ok);
      g_assert_cmpuint (value, ==, uints[i].ok ? uints[i].value : 424242);
    }
  for (guint i = 0; i < G_N_ELEMENTS (ints); i++)
    {
      gint64 value = 424242;

      g_assert_cmpint (bm_number_parse_int (ints[i].text, G_MININT32, G_MAXINT32, &value), ==, ints[i].ok);
      g_assert_cmpint (value, ==, ints[i].ok ? ints[i].value : 424242);
    }
  g_assert_true (bm_number_parse_int ("-9223372036854775808", G_MININT64, G_MAXINT64, &big));
  g_assert_cmpint (big, ==, G_MININT64);
  g_assert_false (bm_number_parse_int ("9223372036854775808", G_MININT64, G_MAXINT64, &big));
  g_assert_false (bm_number_parse_int ("-3", 0, 10, &big));
}

static void
parse_on_thread (guint index, gpointer user_data)
{
  gint *failures = user_data;
  guint64 value = 0;

  if (!bm_number_parse_uint ("0", 100, &value) || value != 0)
    g_atomic_int_inc (failures);
}

/* GLib's g_ascii_string_to_unsigned() failed on "0" about once in 20 runs of 8 threads making
 * their first call at once; ours never may. */
static void
test_number_parsing_on_threads (void)
{
  gint failures = 0;

  for (guint round = 0; round < 20; round++)
    bm_parallel_for (8000, 8, parse_on_thread, &failures);
  g_assert_cmpint (failures, ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/parallel/every-index-once", test_every_index_once);
  g_test_add_func ("/parallel/default-threads", test_default_threads);
  g_test_add_func ("/number/parse", test_number_parsing);
  g_test_add_func ("/number/parse-on-threads", test_number_parsing_on_threads);
  return g_test_run ();
}
