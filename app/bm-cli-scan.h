/* bm-cli-scan.h: walks the datasets named on a command line and loads every label file.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "core/bm-annotation.h"
#include "core/bm-dataset.h"

G_BEGIN_DECLS

/* Called once per dataset item, in order. @annotation is NULL when the label file could not be
 * read at all; @error then says why (FILE:LINE: problem). Items without a label file are passed
 * with an empty annotation. @item is NULL (and @error set) for a folder the scan could not read:
 * its files are missing from the items. */
typedef void (*BmCliItemFunc) (BmDataset *dataset, const BmDatasetItem *item,
                               BmAnnotation *annotation, const GError *error, gpointer user_data);

/* Opens each of @paths (folders or single label/image files) and calls @func for every item,
 * loading labels on @n_threads workers but calling @func in dataset order. Returns FALSE and
 * sets @error when a path cannot be opened. */
gboolean bm_cli_scan (const char *const *paths, gboolean recursive, guint n_threads,
                      BmCliItemFunc func, gpointer user_data, GError **error);

/* Prints @problem as "FILE:LINE: message" on stdout. */
void     bm_cli_print_problem (const BmProblem *problem);

G_END_DECLS
