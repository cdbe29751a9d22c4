/* bm-augment-partners.h: the mixup and mosaic partners of an open folder, for a preview that
 * follows the image on screen: its BmAugmentExportPool, built once per folder by a worker when
 * first wanted and read again only for the label files saved since, and the partners decoded
 * so far.
 *
 * Workers borrow them (bm_augment_partners_lend, in the main thread), may build or refresh the
 * pool (bm_augment_partners_loan_prepare, in the worker), and give them back
 * (bm_augment_partners_take_back, in the main thread). A loan made before the folder changed,
 * or before its label files were rewritten, is dropped when it comes back.
 * GTK-free; main thread only, except bm_augment_partners_loan_prepare.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "core/bm-dataset.h"
#include "bm-augment-export.h"

G_BEGIN_DECLS

typedef struct _BmAugmentPartners BmAugmentPartners;

typedef struct
{
  BmDataset *dataset;              /* the folder (a reference), or NULL */
  BmAugmentExportPool *pool;       /* a reference, or NULL until built */
  BmAugmentExportCache *cache;     /* the decoded partners, the loan's alone */
  GArray *saved;                   /* guint: items to read again into the pool */
  guint epoch;                     /* of the partners when lent */
  gboolean built;                  /* the worker built the pool */
  gboolean renewed;                /* the worker built or refreshed it */
} BmAugmentPartnersLoan;

BmAugmentPartners     *bm_augment_partners_new         (void);
void                   bm_augment_partners_free        (BmAugmentPartners *self);
/* Another folder (or none): its pool is built when partners are first wanted. The same folder
 * keeps what it has. */
void                   bm_augment_partners_set_dataset (BmAugmentPartners *self,
                                                        BmDataset         *dataset);
BmDataset             *bm_augment_partners_get_dataset (BmAugmentPartners *self);
gboolean               bm_augment_partners_has_pool    (BmAugmentPartners *self);
/* The label file of item @index was saved: read again before the next sample. */
void                   bm_augment_partners_labels_saved     (BmAugmentPartners *self,
                                                             guint              index);
/* Many label files changed (a batch run): everything is read again when next wanted. */
void                   bm_augment_partners_labels_rewritten (BmAugmentPartners *self);
/* Pools the workers built, for tests: once per folder. */
guint                  bm_augment_partners_get_n_builds (BmAugmentPartners *self);

/* What a worker borrows. @fresh_cache: a cache of its own (an export), not the shared one. */
BmAugmentPartnersLoan *bm_augment_partners_lend        (BmAugmentPartners *self,
                                                        gboolean           fresh_cache);
/* In the worker: builds the pool when @always or when @ops take partners, and reads again the
 * items saved since it was built (forgetting their decoded partners). */
void                   bm_augment_partners_loan_prepare (BmAugmentPartnersLoan   *loan,
                                                         gboolean                 always,
                                                         const BmAugmentExportOp *ops,
                                                         guint                    n_ops);
/* Back in the main thread: a pool the worker built or refreshed replaces the one it started
 * from, and the decoded partners serve the next previews. */
void                   bm_augment_partners_take_back   (BmAugmentPartners     *self,
                                                        BmAugmentPartnersLoan *loan);
void                   bm_augment_partners_loan_free   (BmAugmentPartnersLoan *loan);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmAugmentPartners, bm_augment_partners_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmAugmentPartnersLoan, bm_augment_partners_loan_free)

G_END_DECLS
