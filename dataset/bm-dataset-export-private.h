/* bm-dataset-export-private.h: what the writers of bm_dataset_export share.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "core/bm-problem.h"
#include "formats/bm-class-list.h"
#include "bm-dataset-export.h"

G_BEGIN_DECLS

/* One export under way, as its writer gets it. */
typedef struct
{
  BmDataset *dataset;
  GArray *sources;                        /* BmExportSource of every item with an image */
  const char *out_dir;
  const BmDatasetExportOptions *options;
  BmClassList *classes;                   /* YOLO: options->classes_file, read before the labels */
  BmDatasetExportResult *result;
} BmExportRun;

/* Appends @problem as a line to result->problems (it is counted by the caller). */
void     bm_dataset_export_add_problem (BmDatasetExportResult *result,
                                        const BmProblem       *problem);

/* VOC or DOTA (bm-export-labels.c), the sources loaded with the items' own formats (or the one
 * forced). FALSE sets result->error. */
gboolean bm_export_labels_write        (BmExportRun           *run);

G_END_DECLS
