/* bm-parallel.h: runs a function over the indices 0 … n-1 on several threads.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef void (*BmParallelFunc) (guint index, gpointer user_data);

/* Calls @func once for every index in [0, @n_items), from @n_threads threads (the caller's
 * among them; 0: one per processor, at most 8), and returns when all calls have returned.
 * Indices are handed out in increasing order; @func must be safe to call concurrently. */
void  bm_parallel_for          (guint n_items, guint n_threads, BmParallelFunc func, gpointer user_data);

/* The thread count bm_parallel_for uses for @n_threads == 0. */
guint bm_parallel_default_threads (void);

G_END_DECLS
