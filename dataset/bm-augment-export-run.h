/* bm-augment-export-run.h: `boxmark-cli augment` — N augmented samples of every labelled image
 * of a dataset (or of one image), written with their labels, sidecars and class files.
 *
 * Two steps, so that the caller can check the output folder against the dataset in between:
 * bm_augment_export_run_open parses the operations and opens the source, bm_augment_export_run_write
 * reads the labels, plans the names, refuses to replace anything (unless told to), and writes.
 * What happens is told through a BmAugmentExportSayFunc as it happens (a run may take hours).
 * GTK-free.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "core/bm-dataset.h"
#include "bm-augment-export.h"
#include "bm-shard.h"

G_BEGIN_DECLS

typedef struct
{
  const char *ops;                   /* --ops text */
  const BmAugmentProfile *profile;
  guint n;                           /* samples per image */
  guint64 seed;
  BmExportTarget target;
  const char *classes_file;          /* YOLO: class ids; NULL: a YOLO source's own list, else every label sorted */
  const char *image_format;          /* "png", "jpg" or NULL: the source's */
  int quality;                       /* JPEG */
  gboolean clip;                     /* YOLO-OBB: clip corners */
  gboolean force;                    /* replace files of an earlier run */
  BmShard shard;                     /* only these images; named among all of them */
} BmAugmentExportRunOptions;

typedef enum
{
  BM_AUGMENT_EXPORT_SAY_INFO,        /* what was done (stdout) */
  BM_AUGMENT_EXPORT_SAY_DETAIL,      /* progress and problems, FILE:LINE: problem (stderr) */
  BM_AUGMENT_EXPORT_SAY_NOTICE,      /* about the run as a whole (stderr, after the command's name) */
} BmAugmentExportSay;

typedef void (*BmAugmentExportSayFunc) (BmAugmentExportSay kind, const char *text, gpointer user_data);

typedef enum
{
  BM_AUGMENT_EXPORT_DONE,
  BM_AUGMENT_EXPORT_PROBLEMS,        /* done, but the data had problems (said) */
  BM_AUGMENT_EXPORT_FAILED,          /* nothing or not everything written (said) */
} BmAugmentExportStatus;

typedef struct _BmAugmentExportRun BmAugmentExportRun;

/* Parses the operations (NULL and BM_ERROR_PARSE for bad text; @say hears notes about them)
 * and opens @source: a dataset folder, or one image (its folder, or up to two folders above
 * where its labels are found). NULL with BM_ERROR_NOT_FOUND when @source does not exist or is no
 * image Boxmark opens. */
BmAugmentExportRun    *bm_augment_export_run_open        (const char                      *source,
                                                          const BmAugmentExportRunOptions *options,
                                                          BmAugmentExportSayFunc           say,
                                                          gpointer                         user_data,
                                                          GError                         **error);
BmDataset             *bm_augment_export_run_get_dataset (BmAugmentExportRun              *run);
/* Writes every sample into @out_dir. */
BmAugmentExportStatus  bm_augment_export_run_write       (BmAugmentExportRun              *run,
                                                          const char                      *out_dir);
void                   bm_augment_export_run_free        (BmAugmentExportRun              *run);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmAugmentExportRun, bm_augment_export_run_free)

/* The augmentation panel's Export: `boxmark-cli augment --seed SEED --to TARGET IMAGE` on the
 * image on screen, through the same sample maker and writer, with the panel's own notions: its
 * labels (unsaved edits too; an image without labels is exported as well), a partner picked by
 * hand, nothing ever replaced, the default JPEG quality, no clipping. */
typedef struct
{
  const BmAugmentSample *source;     /* the image with the labels as the panel has them */
  const char *image_path;            /* as the sidecars name them */
  const char *label_path;            /* NULL: the image has no label file */
  guint index;                       /* of the image in the pool's dataset (0 without one) */
  int chosen_partner;                /* -1: the partners the seed draws */
  const BmAugmentExportOp *ops;
  guint n_ops;
  guint64 seed;
  guint n;                           /* samples */
  BmExportTarget target;
  BmClassList *classes;              /* YOLO ids; NULL: every label of the pool and the image, sorted */
} BmAugmentExportImage;

/* Writes the samples into @out_dir with partners from @pool (may be empty) and @cache. The
 * number written, or 0 with @error (an existing file, a label missing from the class list,
 * cancelled). */
guint bm_augment_export_image (const BmAugmentExportImage *image,
                               BmAugmentExportPool        *pool,
                               BmAugmentExportCache       *cache,
                               const char                 *out_dir,
                               GCancellable               *cancellable,
                               GError                    **error);

G_END_DECLS
