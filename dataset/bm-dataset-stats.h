/* bm-dataset-stats.h: what a dataset holds, counted once and shown as charts — by
 * `boxmark-cli stats --json/--plot` and by the window's dataset overview, from the same numbers.
 *
 * The counts (images, labelled, verified, objects per class, problems) and one small record
 * per object (its image, class, side lengths and area) are kept, so that every histogram can
 * be drawn for all classes or one, and the images behind any bar found again (the window
 * filters its file list with them). 100,000 label files with a million objects take ~20 MB.
 *
 * Sizes are pixels of the EXIF-oriented image. The width and height of an object are the sides
 * of the shape itself, not of its enclosing box: an axis-aligned box's x and y extents, a rotated
 * box's sides (p0→p1 is its width), a quadrilateral's mean opposite sides (p0p1 with p2p3 for
 * the width). Area is the polygon's. Aspect ratio is width / height.
 *
 * GTK-free; see bm-dataset-stats-chart.h for the charts.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "core/bm-annotation.h"
#include "core/bm-dataset.h"

G_BEGIN_DECLS

/* One object, as the histograms need it. */
typedef struct
{
  guint32 item;        /* index of its image among the items added (the dataset item index) */
  guint32 klass;       /* index into the class names (bm_dataset_stats_get_class_name) */
  float width;
  float height;
  float area;
} BmStatsObject;

/* Per image (item), for filtering by a bar. */
typedef enum
{
  BM_STATS_ITEM_HAS_IMAGE = 1 << 0,
  BM_STATS_ITEM_LABELLED  = 1 << 1,   /* its label file exists (and was read, maybe with problems) */
  BM_STATS_ITEM_VERIFIED  = 1 << 2,
  BM_STATS_ITEM_PROBLEMS  = 1 << 3,   /* its label file could not be read cleanly */
  BM_STATS_ITEM_READ      = 1 << 4,   /* its label file was read (maybe with problems) */
} BmStatsItemFlags;

typedef struct
{
  guint images;             /* items with an image */
  guint labelled;           /* images with a label file */
  guint unlabelled;         /* images without one */
  guint verified;           /* images marked verified */
  guint empty;              /* label files without objects (with or without image) */
  guint objects;
  guint rotated;
  guint quads;
  guint difficult;
  guint pre_annotations;    /* machine-made objects not accepted yet */
  guint pre_annotated_images;   /* images with at least one of them */
  guint orphan_labels;      /* label files without an image */
  guint files_with_problems;
  guint problems;
} BmStatsCounts;

#define BM_TYPE_DATASET_STATS (bm_dataset_stats_get_type ())
G_DECLARE_FINAL_TYPE (BmDatasetStats, bm_dataset_stats, BM, DATASET_STATS, GObject)

/* An empty accumulator, for callers that load the labels themselves (boxmark-cli stats) and
 * add them with bm_dataset_stats_add_item in item order. */
BmDatasetStats      *bm_dataset_stats_new             (void);
/* Counts one item. @annotation NULL: its label file could not be read (@error says why) or,
 * with item->has_label FALSE, it has none. Its index is the number of items added before it. */
void                 bm_dataset_stats_add_item        (BmDatasetStats       *self,
                                                       const BmDatasetItem  *item,
                                                       BmAnnotation         *annotation,
                                                       const GError         *error);

/* Counts a problem that is no item's: a folder the scan could not read (@line is said as it is). */
void                 bm_dataset_stats_add_problem     (BmDatasetStats       *self,
                                                       const char           *line);

/* Reads every label file of @dataset (for reading only) on @n_threads threads (0: every core,
 * bm_parallel_for) and counts them. Item indices are the dataset's. @progress (may be NULL) is
 * raised atomically as items are done, for a progress bar read from another thread. Returns
 * NULL when @cancellable was cancelled. */
BmDatasetStats      *bm_dataset_stats_compute         (BmDataset            *dataset,
                                                       guint                 n_threads,
                                                       GCancellable         *cancellable,
                                                       guint                *progress);
/* The same in a worker thread (GTask); the window's overview. */
void                 bm_dataset_stats_compute_async   (BmDataset            *dataset,
                                                       GCancellable         *cancellable,
                                                       guint                *progress,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
BmDatasetStats      *bm_dataset_stats_compute_finish  (GAsyncResult         *result,
                                                       GError              **error);

const BmStatsCounts *bm_dataset_stats_get_counts      (BmDatasetStats       *self);

/* Classes in the order first met. */
guint                bm_dataset_stats_get_n_classes   (BmDatasetStats       *self);
const char          *bm_dataset_stats_get_class_name  (BmDatasetStats       *self,
                                                       guint                 klass);
/* Index of @name, or -1. */
int                  bm_dataset_stats_find_class      (BmDatasetStats       *self,
                                                       const char           *name);
guint                bm_dataset_stats_get_class_objects (BmDatasetStats     *self,
                                                         guint               klass);
/* Images holding at least one object of the class. */
guint                bm_dataset_stats_get_class_images  (BmDatasetStats     *self,
                                                         guint               klass);
/* Class indices by object count (most first), then by name bytewise: the order `stats` prints. */
GArray              *bm_dataset_stats_sorted_classes  (BmDatasetStats       *self);

guint                bm_dataset_stats_get_n_objects   (BmDatasetStats       *self);
const BmStatsObject *bm_dataset_stats_get_objects     (BmDatasetStats       *self);

guint                bm_dataset_stats_get_n_items     (BmDatasetStats       *self);
BmStatsItemFlags     bm_dataset_stats_get_item_flags  (BmDatasetStats       *self,
                                                       guint                 item);
guint                bm_dataset_stats_get_item_objects (BmDatasetStats      *self,
                                                        guint                item);

/* "FILE:LINE: problem" lines, in item order. */
GPtrArray           *bm_dataset_stats_get_problem_lines (BmDatasetStats     *self);

/* Items (sorted, distinct, as guint) holding the @fraction (0..1] smallest objects of class
 * @klass (-1: any class) by area — "the images with the smallest 5 % of car boxes". At least one
 * object is taken when there is any; ties at the cut are all taken. */
GArray              *bm_dataset_stats_items_with_smallest (BmDatasetStats   *self,
                                                           int               klass,
                                                           double            fraction);

/* Sorts @items (guint) and drops repeats; returns @items. */
GArray              *bm_dataset_stats_unique_items    (GArray               *items);

G_END_DECLS
