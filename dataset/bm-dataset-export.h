/* bm-dataset-export.h: a whole dataset written in another format — `boxmark-cli convert` and
 * the window's "Export as Pascal VOC / DOTA / YOLO…" are both this one function, so they write
 * the same bytes.
 *
 *   VOC        OUT/Annotations/STEM.xml + OUT/JPEGImages/   (VOC files are copied byte for byte)
 *   DOTA       OUT/labelTxt/STEM.txt + OUT/images/
 *   YOLO, OBB  Ultralytics' layout (see bm_yolo_export)
 *
 * Images are hard-linked (else symlinked) or copied. Label files without an image are carried
 * over as they are when their format does not change. Verified images stay verified. A new
 * target format is a new entry in the target table of bm-dataset-export.c.
 * GTK-free.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "core/bm-dataset.h"
#include "formats/bm-yolo-export.h"
#include "bm-export-target.h"
#include "bm-shard.h"

G_BEGIN_DECLS

typedef struct
{
  BmExportTarget target;
  BmFormat from;               /* BM_FORMAT_NONE: each item's own label format */
  const char *classes_file;    /* YOLO: class ids from this list or data.yaml; NULL: every label,
                                * sorted (a YOLO source read without a list keeps its ids) */
  double val_fraction;         /* YOLO: < 0 keeps the source's splits (else 0.2) */
  guint seed;                  /* YOLO: of the train/val split */
  gboolean copy;               /* copy images rather than link them */
  gboolean clip;               /* YOLO-OBB: clip corners to the image */
  BmShard shard;               /* only these images are written; the folder may hold other
                                * shards' (see bm-shard.h): names, class ids, splits and the
                                * verified lists are those of the whole run */
} BmDatasetExportOptions;

/* Defaults: each item's own format, no class list, the source's splits, seed 0, links, the
 * whole dataset. */
void bm_dataset_export_options_init (BmDatasetExportOptions *options,
                                     BmExportTarget          target);

typedef struct
{
  BmExportTarget target;
  char *out_dir;
  GPtrArray *problems;         /* char *: "FILE:LINE: problem", in the order found */
  guint n_problems;            /* problems in the data (boxmark-cli convert then exits 1) */
  guint n_orphans;             /* label files without an image */
  GError *error;               /* the export stopped (nothing, or not everything, written) */
  gboolean stopped_by_data;    /* ... because of the data (a label missing from the class list,
                                * a class list that cannot be read), not of the disk */
  guint seed;                  /* the options' */
  guint n_objects;             /* objects written */

  /* YOLO targets */
  BmYoloExportReport report;

  /* VOC and DOTA targets */
  guint n_images;
  guint n_label_files;
  guint n_copied_as_is;        /* label files carried over byte for byte (same format) */
  guint n_left_out;            /* images left out because of problems */
  guint n_renamed;             /* images renamed because another had the same name */
  guint n_verified;
  guint n_orphans_copied;
  guint n_orphans_left_out;
  guint n_placed[3];           /* by BmExportPlacement */
  GHashTable *renamed_labels;  /* DOTA: label holding blanks → the name written */
} BmDatasetExportResult;

/* Exports @dataset into the new or empty folder @out_dir. Never NULL: result->error says when
 * it stopped; result->problems lists what is wrong with single items, which are left out. */
BmDatasetExportResult *bm_dataset_export        (BmDataset                    *dataset,
                                                 const char                   *out_dir,
                                                 const BmDatasetExportOptions *options);
/* The same in a worker thread (the window's export). */
void                   bm_dataset_export_async  (BmDataset                    *dataset,
                                                 const char                   *out_dir,
                                                 const BmDatasetExportOptions *options,
                                                 GCancellable                 *cancellable,
                                                 GAsyncReadyCallback           callback,
                                                 gpointer                      user_data);
BmDatasetExportResult *bm_dataset_export_finish (GAsyncResult                 *result);
void                   bm_dataset_export_result_free (BmDatasetExportResult *result);

/* What happened, for people (translated; free with g_free). The window shows the headline and
 * the details (at most @max_problems problems); boxmark-cli convert prints the summary. */
char *bm_dataset_export_result_headline (const BmDatasetExportResult *result);
char *bm_dataset_export_result_details  (const BmDatasetExportResult *result,
                                         guint                        max_problems);
char *bm_dataset_export_result_summary  (const BmDatasetExportResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmDatasetExportResult, bm_dataset_export_result_free)

G_END_DECLS
