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

/* Asserts that every file below @a has the same bytes as the file at the same place below @b,
 * and that each folder holds as many entries on both sides. A data.yaml is compared from its
 * `train:` line on (its `path:` names its own folder). Returns how many files were compared. */
guint bm_test_assert_same_tree (const char *a, const char *b);

/* Every file below @root (not folders), as paths relative to it, sorted bytewise. */
GPtrArray *bm_test_list_files (const char *root);

/* A writable copy of the folder @from at @to (created): label and class files copied with
 * mode 0644, images symlinked (tests never write images). */
void bm_test_copy_dataset (const char *from, const char *to);

G_END_DECLS
