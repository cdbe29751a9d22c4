/* bm-preannotate-run.h: pre-annotation runs — the cascade detector or a YOLO model on one image,
 * or on a list of images whose label files get the new boxes — in worker threads. The window's
 * I and Ctrl+B.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "core/bm-dataset.h"
#include "core/bm-detector.h"
#include "core/bm-image.h"
#include "core/bm-onnx-model.h"

G_BEGIN_DECLS

typedef struct
{
  char *cascade_path;
  BmDetectorParams params;   /* params.cancellable is not used: a run always finishes an image */
  char *label;
  double iou;                /* skip a detection overlapping an object of its label this much */
  /* A YOLO model instead of the cascade (a reference; NULL for the cascade), its thresholds and
   * class map (dataset/bm-model-detect.h; NULL: the model's names). */
  BmOnnxModel *model;
  BmYoloParams yolo;
  GPtrArray *labels;
} BmPreannotateSetup;

/* Counts of a batch; `done` may be read (g_atomic_int_get) while it runs, the rest once it has
 * finished. Reference-counted with g_atomic_rc_box. */
typedef struct
{
  int done;           /* images finished (saved, skipped or failed) */
  int total;
  int added;          /* boxes added */
  int saved;          /* label files written */
  int skipped;        /* read-only annotations, label files with problems, images not loaded */
  int conflicts;      /* label files changed on disk since read: left as they were */
  int failed;
  char *first_error;
} BmPreannotateSummary;

BmPreannotateSetup   *bm_preannotate_setup_copy   (const BmPreannotateSetup *setup);
void                  bm_preannotate_setup_free   (BmPreannotateSetup *setup);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmPreannotateSetup, bm_preannotate_setup_free)

/* Detects on one image: the result is a GArray of BmDetection, or of BmYoloDetection with a
 * model; turn it into objects with bm_preannotate_setup_new_objects. Takes ownership of @setup. */
void    bm_preannotate_detect_async  (BmPreannotateSetup *setup, const char *image_path, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
GArray *bm_preannotate_detect_finish (GAsyncResult *result, GError **error);

/* The new pre-annotation objects for @found (from bm_preannotate_detect_finish with the same
 * kind of setup) that @annotation does not have yet: bm_preannotate_new_objects for a cascade,
 * bm_model_detect_new_objects for a model. */
GPtrArray *bm_preannotate_setup_new_objects (const BmPreannotateSetup *setup, BmAnnotation *annotation, GArray *found);

/* For each item of @items (BmDatasetItem *, copied) in turn: loads its labels, adds the
 * detections not already there (bm_preannotate_setup_new_objects) and saves with bm_label_save.
 * A model runs on every core (bm_model_detect_run). Cancelling stops before the next image.
 * @summary gets a reference. Takes @setup. */
void     bm_preannotate_batch_async  (BmPreannotateSetup *setup, GPtrArray *items, BmPreannotateSummary *summary,
                                      GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
gboolean bm_preannotate_batch_finish (GAsyncResult *result, GError **error);

/* The items of @dataset from @from to the end that have an image (BmDatasetItem *, owned by
 * the dataset): what Ctrl+B pre-annotates. */
GPtrArray *bm_preannotate_batch_items (BmDataset *dataset, guint from);

/* What a batch (Ctrl+B) does per image, in two steps so that it skips a file with problems
 * before it detects anything: the labels of @item as they are now; NULL with @error,
 * BM_ERROR_READ_ONLY for a label file with problems (it is left as it is). */
BmAnnotation *bm_preannotate_open_labels  (const BmDatasetItem *item,
                                           GError             **error);

/* Adds @found (BmDetection of @image) to @item's labels as pre-annotations named @label, except
 * those overlapping an object of the same label by @iou or more, with the label folder's lock
 * held from reading to saving (bm_label_update), so that other Boxmark writers (the window,
 * another batch, `boxmark-cli detect --write`) take turns and none of their changes is lost.
 * The number added (0: nothing saved), or -1 with @error: BM_ERROR_READ_ONLY for a label file
 * with problems; @notice (may be NULL) as bm_label_update. */
int           bm_preannotate_write_item   (const BmDatasetItem *item,
                                           const BmImage       *image,
                                           GArray              *found,
                                           const char          *label,
                                           double               iou,
                                           char               **notice,
                                           GError             **error);

/* "Pre-annotating: 3 of 10 images" while a batch runs. */
char      *bm_preannotate_summary_progress (BmPreannotateSummary *summary);
/* What a finished batch did, for the user. */
char      *bm_preannotate_summary_to_string (BmPreannotateSummary *summary);

BmPreannotateSummary *bm_preannotate_summary_new   (void);
BmPreannotateSummary *bm_preannotate_summary_ref   (BmPreannotateSummary *summary);
void                  bm_preannotate_summary_unref (BmPreannotateSummary *summary);

G_END_DECLS
