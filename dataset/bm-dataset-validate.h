/* bm-dataset-validate.h: what `boxmark-cli validate` checks in each label file — everything
 * Boxmark's readers report, a size that disagrees with the image, a label file without an
 * image, and (when asked) Ultralytics' own stricter rules for YOLO files. Fed item by item, in
 * order, as bm_dataset_scan reads them. GTK-free.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "core/bm-annotation.h"
#include "core/bm-dataset.h"

G_BEGIN_DECLS

typedef struct _BmDatasetValidator BmDatasetValidator;

/* @yolo_strict: also Ultralytics' rules (a bad row makes it ignore the whole image). */
BmDatasetValidator *bm_dataset_validator_new   (gboolean             yolo_strict);
void                bm_dataset_validator_free  (BmDatasetValidator  *validator);
/* Checks one item (the arguments of a BmDatasetScanFunc; @item NULL: a folder the scan could
 * not read, @error says which) and appends its problems as
 * "FILE:LINE: problem" lines to @lines (char *, owned), each line once per run: a broken
 * class file shared by many label files is reported once. */
void                bm_dataset_validator_check (BmDatasetValidator  *validator,
                                                BmDataset           *dataset,
                                                const BmDatasetItem *item,
                                                BmAnnotation        *annotation,
                                                const GError        *error,
                                                GPtrArray           *lines);
/* Label files checked, and problems found, so far. */
guint               bm_dataset_validator_get_n_files    (BmDatasetValidator *validator);
guint               bm_dataset_validator_get_n_problems (BmDatasetValidator *validator);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmDatasetValidator, bm_dataset_validator_free)

G_END_DECLS
