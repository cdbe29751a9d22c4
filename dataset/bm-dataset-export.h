/* bm-dataset-export.h: a whole dataset exported to YOLO in a worker thread (the window's
 * "Export as YOLO…"), with the same result as `boxmark-cli convert --to yolo|yolo-obb`.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "core/bm-dataset.h"
#include "formats/bm-yolo-export.h"

G_BEGIN_DECLS

typedef struct
{
  char *out_dir;
  BmYoloExportReport report;
  GPtrArray *problems;         /* char *: "FILE:LINE: problem", in item order */
  guint n_load_problems;       /* problems of the label files themselves */
  guint n_orphans;             /* label files without an image: left out */
} BmDatasetExportResult;

/* Exports every labelled image of @dataset to the new or empty folder @out_dir in Ultralytics'
 * layout (see bm_yolo_export). Class ids come from @classes_file when given, else from the
 * dataset's class list when it has one, else every label sorted. Splits: the source's own, or
 * 20 % val with seed 0. */
void                   bm_dataset_export_yolo_async  (BmDataset           *dataset,
                                                      const char          *out_dir,
                                                      BmYoloTask           task,
                                                      const char          *classes_file,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
BmDatasetExportResult *bm_dataset_export_yolo_finish (GAsyncResult        *result,
                                                      GError             **error);
/* The same, in the calling thread. */
BmDatasetExportResult *bm_dataset_export_yolo        (BmDataset           *dataset,
                                                      const char          *out_dir,
                                                      BmYoloTask           task,
                                                      const char          *classes_file,
                                                      GError             **error);
void                   bm_dataset_export_result_free (BmDatasetExportResult *result);

/* What happened, for people: a headline and the details (both translated). Free with g_free. */
char                  *bm_dataset_export_result_headline (const BmDatasetExportResult *result);
char                  *bm_dataset_export_result_details  (const BmDatasetExportResult *result,
                                                          guint                        max_problems);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmDatasetExportResult, bm_dataset_export_result_free)

G_END_DECLS
