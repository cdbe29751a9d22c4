/* bm-augment-export-cache.h: the mixup and mosaic partners loaded so far (dataset index → sample),
 * so that consecutive samples do not decode the same images again.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "core/bm-augment.h"
#include "bm-augment-export-pool.h"

G_BEGIN_DECLS

/* Loaded partners (dataset index → sample), dropped wholesale when full. Not thread-safe. */
typedef struct _BmAugmentExportCache BmAugmentExportCache;

BmAugmentExportCache *bm_augment_export_cache_new  (guint                 max_size);
void                  bm_augment_export_cache_free (BmAugmentExportCache *cache);
/* Drops the partner of dataset index @index, whose labels were saved since it was loaded. */
void                  bm_augment_export_cache_forget (BmAugmentExportCache *cache,
                                                      guint                 index);

/* Makes room for @n_more partners: when they would not fit, every partner is dropped (never
 * while a sample uses them: call it before taking the partners of the next sample). */
void                  bm_augment_export_cache_make_room (BmAugmentExportCache *cache,
                                                         guint                 n_more);
/* Partner @index of @pool, in @source's channel count and with its profile: loaded once. */
BmAugmentSample      *bm_augment_export_cache_get  (BmAugmentExportCache  *cache,
                                                    BmAugmentExportPool   *pool,
                                                    guint                  index,
                                                    const BmAugmentSample *source,
                                                    GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmAugmentExportCache, bm_augment_export_cache_free)

G_END_DECLS
