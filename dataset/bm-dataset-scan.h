/* bm-dataset-scan.h: walks datasets (folders, images or single label files, as named on a command
 * line) and reads every label file — what `boxmark-cli validate` and `stats` go through.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "core/bm-annotation.h"
#include "core/bm-dataset.h"

G_BEGIN_DECLS

/* Called once per dataset item, in order. @annotation is NULL when the label file could not be
 * read at all; @error then says why (FILE:LINE: problem). Items without a label file are passed
 * with an empty annotation. @item is NULL (and @error set) for a folder the scan could not read:
 * its files are missing from the items. @dataset is NULL for a label file named by itself. */
typedef void (*BmDatasetScanFunc) (BmDataset *dataset, const BmDatasetItem *item,
                               BmAnnotation *annotation, const GError *error, gpointer user_data);

/* Opens each of @paths (folders or single label/image files) and calls @func for every item,
 * loading labels on @n_threads workers but calling @func in dataset order. Returns FALSE and
 * sets @error when a path cannot be opened. */
gboolean bm_dataset_scan (const char *const *paths, gboolean recursive, guint n_threads,
                          BmDatasetScanFunc func, gpointer user_data, GError **error);

G_END_DECLS
