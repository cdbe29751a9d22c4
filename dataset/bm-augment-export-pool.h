/* bm-augment-export-pool.h: the images of a dataset an augmentation may use — the sources of
 * `boxmark-cli augment` and the mixup and mosaic partners of every sample — read once, kept small.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "core/bm-annotation.h"
#include "core/bm-augment.h"
#include "core/bm-augment-rng.h"
#include "core/bm-dataset.h"
#include "formats/bm-class-list.h"

G_BEGIN_DECLS

/* What the draw needs of one item, and no more: its labels are read again when it is used
 * (bm_augment_export_pool_load_sample), so a pool of 100,000 items stays a few MB. */
typedef struct
{
  const BmDatasetItem *item;
  gboolean labelled;             /* its label file was on disk when the pool was made */
  gboolean usable;               /* labelled (or verified empty), readable, size agrees */
  int channels;                  /* from the image header */
  int width, height;             /* from the image header (EXIF-oriented); 0 when unread */
  const char **labels;           /* usable items: their distinct labels in the order first met
                                  * (interned strings), NULL-terminated; otherwise NULL */
} BmAugmentExportItem;

typedef struct _BmAugmentExportPool BmAugmentExportPool;

/* Reads every item's labels (for reading only, and lets them go); usable items are labelled
 * (or verified empty, or a YOLO empty .txt), read cleanly and sized like their image. Whether an
 * item is labelled is asked of the disk, not of the dataset scan: the window may have written
 * label files since the folder was opened. What is wrong with item @only (every item when
 * @only < 0) is added to @problems (BmProblem*, may be NULL) and counted in @n_unlabelled /
 * @n_unverified (may be NULL). @dataset NULL gives an empty pool. The pool is immutable once
 * made: it may be read from several threads. */
BmAugmentExportPool       *bm_augment_export_pool_new        (BmDataset           *dataset,
                                                              int                  only,
                                                              GPtrArray           *problems,
                                                              guint               *n_unlabelled,
                                                              guint               *n_unverified);
/* A new pool: @pool with items @indices (@n_indices of them) read again from the disk, after
 * their label files were saved. The rest is copied, not read. */
BmAugmentExportPool       *bm_augment_export_pool_refresh    (BmAugmentExportPool *pool,
                                                              const guint         *indices,
                                                              guint                n_indices);
BmAugmentExportPool       *bm_augment_export_pool_ref        (BmAugmentExportPool *pool);
void                       bm_augment_export_pool_unref      (BmAugmentExportPool *pool);
BmDataset                 *bm_augment_export_pool_get_dataset (BmAugmentExportPool *pool);
guint                      bm_augment_export_pool_get_n_items (BmAugmentExportPool *pool);
const BmAugmentExportItem *bm_augment_export_pool_get_item   (BmAugmentExportPool *pool,
                                                              guint                index);
/* Indices of the usable items, in dataset order. */
GArray                    *bm_augment_export_pool_get_usable (BmAugmentExportPool *pool);
/* The image of item @index with its labels (read again from its label file; an item the pool
 * found unusable may come without), converted to @channels (0: as decoded). */
BmAugmentSample           *bm_augment_export_pool_load_sample (BmAugmentExportPool    *pool,
                                                               guint                   index,
                                                               int                     channels,
                                                               const BmAugmentProfile *profile,
                                                               GError                **error);
/* Every label of the usable items and of @extra (may be NULL), sorted: YOLO class ids when no
 * class list is given. */
BmClassList               *bm_augment_export_pool_sorted_labels (BmAugmentExportPool *pool,
                                                                 BmAnnotation        *extra);
/* Checks every label of the usable items and of @extra against @classes. Labels found only
 * loosely (spaces, hyphens, underscores alike) go to @class_names (label → class name) and,
 * in order of discovery, to @matched (may be NULL); labels not found go to @missing as
 * "\n  “LABEL”: LABEL_FILE". FALSE when any is missing. */
gboolean                   bm_augment_export_pool_match_classes (BmAugmentExportPool *pool,
                                                                 BmAnnotation        *extra,
                                                                 BmClassList         *classes,
                                                                 GHashTable          *class_names,
                                                                 GPtrArray           *matched,
                                                                 GString             *missing);

/* Distinct usable items other than @self with @channels channels (mixing needs one colour
 * model), as many as @n_needed (or as there are), drawn from @rng in that order. An array of
 * dataset indices. */
GArray                    *bm_augment_export_pool_choose_partners (BmAugmentExportPool *pool,
                                                                   guint                self,
                                                                   int                  channels,
                                                                   guint                n_needed,
                                                                   BmAugmentRng        *rng);
/* The channel count the pool uses for item @index: its image header's when usable, else
 * @decoded's (an image the pool does not use, such as the panel's unlabelled one). */
int                        bm_augment_export_pool_get_channels  (BmAugmentExportPool *pool,
                                                                 guint                index,
                                                                 int                  decoded);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmAugmentExportPool, bm_augment_export_pool_unref)

G_END_DECLS
