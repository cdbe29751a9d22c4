/* bm-export-source.h: a dataset's labels loaded for an export (bm_dataset_export), and the
 * names its files get.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "core/bm-annotation.h"
#include "core/bm-dataset.h"
#include "core/bm-problem.h"

G_BEGIN_DECLS

typedef struct
{
  const BmDatasetItem *item;
  BmAnnotation *annotation;   /* NULL: never labelled, or unreadable (see error) */
  GError *error;              /* why the label file could not be read at all */
  BmProblem *size_problem;    /* the label file's size disagrees with the image header */
} BmExportSource;

typedef enum
{
  BM_EXPORT_SOURCE_DEFAULT  = 0,
  /* For YOLO: objects only (no editing backing), and every size from the EXIF-oriented image
   * header, which is what YOLO's numbers are relative to. */
  BM_EXPORT_SOURCE_FOR_YOLO = 1 << 0,
} BmExportSourceFlags;

/* Loads the labels of every item of @dataset that has an image, on every core. @from forces a
 * label format (BM_FORMAT_NONE: each item's own). Label files without an image are not in the
 * result (bm_dataset_get_n_orphans counts them). A YOLO image without a .txt is loaded as
 * labelled with nothing (background). Returns an array of BmExportSource in item order; free it
 * with bm_export_sources_free. */
GArray *bm_export_sources_load (BmDataset *dataset, BmFormat from, BmExportSourceFlags flags);
void    bm_export_sources_free (GArray *sources);

/* How many problems @source has: its read error, each problem of its file (a read-only file
 * counts at least one) and a size disagreement. */
guint   bm_export_source_count_problems (const BmExportSource *source);

/* The stem of @path (its name without extension), or stem-2, stem-3… when @taken (a set of
 * owned strings) has it already; the result is added to @taken. @renamed (may be NULL) is set
 * when the name changed. Two images of one name then never share an output name. */
char   *bm_export_unique_stem (GHashTable *taken, const char *path, gboolean *renamed);

G_END_DECLS
