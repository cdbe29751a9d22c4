/* bm-eval-alloc.h: memory for the evaluation's big arrays (detections, prediction files).
 *
 * Why not g_malloc: a freshly allocated page costs a page fault when first written, and on
 * virtual machines a fault is slow — measured on the project's machine, writing 20 MB of new
 * malloc'd memory takes 63 ms of CPU (12 µs per 4 KiB page), as much as evaluating 100,000
 * detections. Blocks of 4 MiB and more are mapped here with transparent huge pages asked for
 * (2 MiB pages: 1.5 ms for the same 20 MB); smaller ones come from g_malloc.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @size bytes, not cleared. Never NULL (aborts like g_malloc when memory is out). */
gpointer bm_eval_alloc_large (gsize size);
/* Frees what bm_eval_alloc_large gave; NULL is fine. */
void     bm_eval_free_large  (gpointer block);

G_END_DECLS
