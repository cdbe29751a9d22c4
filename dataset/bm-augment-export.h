/* bm-augment-export.h: writing augmented samples, shared by `boxmark-cli augment` and the
 * Export button of the augmentation panel, so that both write the same bytes for the same
 * image, operations, profile and seed.
 *
 * A sample is made in four steps that both callers take in the same order:
 *   1. its seed: bm_augment_export_sample_seed (seed, dataset index of the image, k);
 *   2. a generator seeded with it first picks the mixup/mosaic partners among the usable items
 *      of the dataset with the image's channel count (BmAugmentExportPool);
 *   3. the same generator then draws every operation (BmAugmentExportOp) and applies it;
 *   4. BmAugmentExportWriter writes image, labels (VOC, DOTA, YOLO, YOLO-OBB) and the sidecar
 *      augment/STEM_aug<k>.augment.txt that bm_augment_replay reproduces the sample from.
 * GTK-free.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "core/bm-annotation.h"
#include "core/bm-augment.h"
#include "core/bm-dataset.h"
#include "formats/bm-class-list.h"
#include "bm-export-target.h"

G_BEGIN_DECLS

typedef enum
{
  BM_AUGMENT_EXPORT_FILE_IMAGE,
  BM_AUGMENT_EXPORT_FILE_LABELS,
  BM_AUGMENT_EXPORT_FILE_SIDECAR,
} BmAugmentExportFile;

#define BM_AUGMENT_EXPORT_SIDECAR_DIR      "augment"
#define BM_AUGMENT_EXPORT_DEFAULT_QUALITY  95

/* ---- operations ---- */

/* One operation with the ranges its parameters are drawn from. The engine draws symmetric
 * ranges (U(-d, d), U(1-s, 1+s), U(-g, g)); an asymmetric range A..B is drawn as the
 * symmetric one of half-width (B-A)/2, then shifted by its middle: exactly U(A, B). */
typedef struct
{
  BmAugmentOpKind kind;
  BmAugmentSettings settings;
  BmAugmentProfile profile;      /* the run's profile, with this operation's mixup α */
  gboolean shift_degrees;
  double degrees_mid;
  gboolean shift_scale;
  double scale_mid;
  gboolean own_ratio;            /* expand ratio range not starting at 1: drawn here */
  double ratio[2];
  gboolean shift_hsv[3];
  double hsv_mid[3];
  guint seen_keys;               /* the keys --ops gave, one bit each */
} BmAugmentExportOp;

/* @settings NULL: the profile's defaults. The operation always applies (probability 1) until
 * the caller says otherwise. */
void     bm_augment_export_op_init          (BmAugmentExportOp       *op,
                                             BmAugmentOpKind          kind,
                                             const BmAugmentProfile  *profile,
                                             const BmAugmentSettings *settings);
/* `boxmark-cli augment --ops`: operations separated by ';', each NAME[:KEY=VALUE[,…]] (see
 * `boxmark-cli augment --help`); a range A..B is drawn uniformly. The array holds
 * BmAugmentExportOp; NULL and BM_ERROR_PARSE for bad text. */
GArray  *bm_augment_export_parse_ops        (const char              *text,
                                             const BmAugmentProfile  *profile,
                                             GError                 **error);
/* Whether the --ops text gave @key ("alpha", "deg", …) for @op. */
gboolean bm_augment_export_op_has_key       (const BmAugmentExportOp *op,
                                             const char              *key);
/* Draws @op's parameters for @sample; FALSE when its coin says it is skipped this time. */
gboolean bm_augment_export_op_draw          (const BmAugmentExportOp *op,
                                             BmAugmentSample         *sample,
                                             guint                    n_others,
                                             BmAugmentRng            *rng,
                                             BmAugmentOp             *out);
/* Mixup wants one partner, mosaic three. */
guint    bm_augment_export_partners_needed  (const BmAugmentExportOp *ops,
                                             guint                    n_ops);
/* SplitMix64 of (seed, dataset index of the image, k): the seed of sample k of that image. */
guint64  bm_augment_export_sample_seed      (guint64                  seed,
                                             guint                    image_index,
                                             guint                    k);

/* ---- the dataset: partner candidates ---- */

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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmAugmentExportPool, bm_augment_export_pool_unref)

/* ---- making a sample ---- */

/* Loaded partners (dataset index → sample), dropped wholesale when full. Not thread-safe. */
typedef struct _BmAugmentExportCache BmAugmentExportCache;

BmAugmentExportCache *bm_augment_export_cache_new  (guint                 max_size);
void                  bm_augment_export_cache_free (BmAugmentExportCache *cache);
/* Drops the partner of dataset index @index, whose labels were saved since it was loaded. */
void                  bm_augment_export_cache_forget (BmAugmentExportCache *cache,
                                                      guint                 index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmAugmentExportCache, bm_augment_export_cache_free)

/* Sample of @source (item @index of the pool's dataset; need not be usable) drawn with
 * @sample_seed: partners first (as many as the operations use, distinct usable items with the
 * source's channel count), then the operations, from one generator. @chosen_partner >= 0 (the
 * panel's partner picked by hand) replaces the partners drawn, after they were drawn, so the
 * operations still draw what `boxmark-cli augment` draws. @pool may be NULL when no operation
 * needs a partner. @partners_out (may be NULL) gets the dataset indices used. */
BmAugmentSample *bm_augment_export_make_sample (BmAugmentExportPool     *pool,
                                                BmAugmentExportCache    *cache,
                                                const BmAugmentExportOp *ops,
                                                guint                    n_ops,
                                                const BmAugmentSample   *source,
                                                guint                    index,
                                                int                      chosen_partner,
                                                guint64                  sample_seed,
                                                GArray                 **partners_out,
                                                GError                 **error);

/* The sidecar: a header naming seed, source and partners (canonical paths), then
 * bm_augment_sample_describe's text. @label_path may be NULL. */
char *bm_augment_export_sidecar_text (const BmAugmentSample *sample,
                                      guint                  k,
                                      guint64                seed,
                                      guint64                sample_seed,
                                      const char            *image_path,
                                      const char            *label_path,
                                      BmAugmentExportPool   *pool,
                                      GArray                *partners);

/* ---- writing ---- */

/* "png" or "jpg": @format ("png", "jpg", "jpeg", any case) or, when NULL, the source's. */
const char *bm_augment_export_image_extension  (const char *image_path,
                                                const char *format);

typedef struct _BmAugmentExportWriter BmAugmentExportWriter;

/* @replace: existing files are replaced (atomically); otherwise an existing file is an error. */
BmAugmentExportWriter *bm_augment_export_writer_new  (const char            *out_dir,
                                                      BmExportTarget  format,
                                                      int                    quality,
                                                      gboolean               clip,
                                                      gboolean               replace);
void                   bm_augment_export_writer_free (BmAugmentExportWriter *writer);

/* DIR/<images>/STEM_aug<k>.EXT, DIR/<labels>/STEM_aug<k>.xml|txt, DIR/augment/STEM_aug<k>.augment.txt */
char    *bm_augment_export_writer_path            (BmAugmentExportWriter *writer,
                                                   const char            *stem,
                                                   const char            *ext,
                                                   guint                  k,
                                                   BmAugmentExportFile    file);
/* Adds to @existing (char*, owned) the files of samples 0..n-1 of @stem (and, for YOLO, the
 * class files) that already exist. */
void     bm_augment_export_writer_find_existing   (BmAugmentExportWriter *writer,
                                                   const char            *stem,
                                                   const char            *ext,
                                                   guint                  n,
                                                   GPtrArray             *existing);
void     bm_augment_export_writer_find_existing_class_files (BmAugmentExportWriter *writer,
                                                             GPtrArray             *existing);
gboolean bm_augment_export_writer_make_dirs       (BmAugmentExportWriter *writer,
                                                   GError               **error);
/* YOLO: the class ids, and labels matched loosely (label → class name; may be NULL). */
void     bm_augment_export_writer_set_classes     (BmAugmentExportWriter *writer,
                                                   BmClassList           *classes,
                                                   GHashTable            *class_names);
/* YOLO: DIR/data.yaml and DIR/classes.txt. */
gboolean bm_augment_export_writer_write_class_files (BmAugmentExportWriter *writer,
                                                     GError               **error);
/* Labels first (a label that cannot be written leaves no orphan image), then the image and the
 * sidecar. Samples are never marked verified. */
gboolean bm_augment_export_writer_write_sample    (BmAugmentExportWriter *writer,
                                                   const char            *stem,
                                                   const char            *ext,
                                                   guint                  k,
                                                   const BmAugmentSample *sample,
                                                   const char            *sidecar,
                                                   GError               **error);
guint       bm_augment_export_writer_get_n_objects (BmAugmentExportWriter *writer);
guint       bm_augment_export_writer_get_n_clipped (BmAugmentExportWriter *writer);
guint       bm_augment_export_writer_get_n_outside (BmAugmentExportWriter *writer);
/* DOTA: label with blanks → the token written. */
GHashTable *bm_augment_export_writer_get_renamed   (BmAugmentExportWriter *writer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmAugmentExportWriter, bm_augment_export_writer_free)

G_END_DECLS
