/* bm-test-util.h: helpers shared by the test programs.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Deletes @path and, for a folder, everything below it; symlinks are removed, not followed. */
void bm_test_remove_tree (const char *path);

/* Asserts that two lists of numeric rows (GArray of double, as parsed from YOLO files) have the
 * same shape, equal first columns (class ids) and the other values within @tolerance. */
void bm_test_assert_rows_close (GPtrArray *a, GPtrArray *b, double tolerance);

G_END_DECLS
