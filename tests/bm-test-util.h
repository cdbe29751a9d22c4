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

/* Test data. $BM_TESTDATA is ../shared/testdata when it is beside the checkout (CI has it), else
 * the repository's tests/data: the same layout, but only the part most tests need (see its
 * README.md). A case or a program that needs more says so with these and skips without it. */

/* TRUE when @relative (a file or folder below $BM_TESTDATA) is there; otherwise marks the current
 * case skipped (g_test_skip, naming what is missing) and returns FALSE: call it first in a case,
 * `if (!bm_test_have_data ("eval/raccoon")) return;`. */
gboolean bm_test_have_data (const char *relative);

/* For a program all of whose cases need @relative below $BM_TESTDATA: call it before
 * g_test_run. Without it the program ends here as skipped: for a TAP program (@tap) it prints
 * `1..0 # SKIP …` and exits 0, otherwise it exits 77. */
void bm_test_require_data (const char *relative, gboolean tap);

G_END_DECLS
