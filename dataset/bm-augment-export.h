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

#include "bm-augment-export-cache.h"
#include "bm-augment-export-op.h"
#include "bm-augment-export-pool.h"
#include "bm-augment-export-writer.h"

G_BEGIN_DECLS

#define BM_AUGMENT_EXPORT_MAX_PARTNERS 4

/* What a preview drew for each operation, kept so that changing one operation does not draw
 * the others anew: the picture would jump. Kept parameters given in pixels (crop, expand, scale,
 * cutout, mixup, mosaic) are used only on the image size they were drawn for, and mixup's and
 * mosaic's only with the same partners; otherwise,
 * and after bm_augment_export_draws_forget, it is drawn from the seed as `boxmark-cli augment`
 * draws it. Plain data: copy it by value. */
typedef struct
{
  gboolean kept[BM_AUGMENT_N_OPS];
  BmAugmentOp ops[BM_AUGMENT_N_OPS];
  int width[BM_AUGMENT_N_OPS], height[BM_AUGMENT_N_OPS];   /* of the image each was drawn for */
  guint partners[BM_AUGMENT_EXPORT_MAX_PARTNERS];
  guint n_partners;
} BmAugmentExportDraws;

/* Nothing kept: everything is drawn from the seed. */
void bm_augment_export_draws_clear  (BmAugmentExportDraws *draws);
/* Operation @kind is drawn anew next time; the others keep theirs. */
void bm_augment_export_draws_forget (BmAugmentExportDraws *draws,
                                     BmAugmentOpKind       kind);

/* Sample of @source (item @index of the pool's dataset; need not be usable) drawn with
 * @sample_seed: partners first (as many as the operations use, distinct usable items with the
 * source's channel count), then the operations, from one generator. @chosen_partner >= 0 (the
 * panel's partner picked by hand) replaces the partners drawn, after they were drawn, so the
 * operations still draw what `boxmark-cli augment` draws. @pool may be NULL when no operation
 * needs a partner. @draws (may be NULL; the CLI and exports pass NULL) replaces each drawn
 * operation by the one kept there when it still fits, and keeps what was applied. @partners_out
 * (may be NULL) gets the dataset indices used. */
BmAugmentSample *bm_augment_export_make_sample (BmAugmentExportPool     *pool,
                                                BmAugmentExportCache    *cache,
                                                const BmAugmentExportOp *ops,
                                                guint                    n_ops,
                                                const BmAugmentSample   *source,
                                                guint                    index,
                                                int                      chosen_partner,
                                                guint64                  sample_seed,
                                                BmAugmentExportDraws    *draws,
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

G_END_DECLS
