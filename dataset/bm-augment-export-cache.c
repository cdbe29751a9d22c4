/* bm-augment-export-cache.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-augment-export-cache.h"

struct _BmAugmentExportCache
{
  GHashTable *samples;           /* item index → BmAugmentSample* */
  guint max_size;
};

BmAugmentExportCache *
bm_augment_export_cache_new (guint max_size)
{
  BmAugmentExportCache *cache = g_new0 (BmAugmentExportCache, 1);

  cache->samples = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, (GDestroyNotify) bm_augment_sample_free);
  cache->max_size = MAX (max_size, 1);
  return cache;
}

void
bm_augment_export_cache_free (BmAugmentExportCache *cache)
{
  if (cache == NULL)
    return;
  g_hash_table_unref (cache->samples);
  g_free (cache);
}

void
bm_augment_export_cache_forget (BmAugmentExportCache *cache,
                                guint                 index)
{
  g_return_if_fail (cache != NULL);
  g_hash_table_remove (cache->samples, GUINT_TO_POINTER (index));
}

void
bm_augment_export_cache_make_room (BmAugmentExportCache *cache,
                                   guint                 n_more)
{
  g_return_if_fail (cache != NULL);

  if (g_hash_table_size (cache->samples) + n_more > cache->max_size)
    g_hash_table_remove_all (cache->samples);
}

BmAugmentSample *
bm_augment_export_cache_get (BmAugmentExportCache  *cache,
                             BmAugmentExportPool   *pool,
                             guint                  index,
                             const BmAugmentSample *source,
                             GError               **error)
{
  int channels = source->image->channels;
  BmAugmentSample *sample = g_hash_table_lookup (cache->samples, GUINT_TO_POINTER (index));

  if (sample == NULL || sample->image->channels != channels)
    {
      sample = bm_augment_export_pool_load_sample (pool, index, channels, source->profile, error);
      if (sample == NULL)
        return NULL;
      g_hash_table_replace (cache->samples, GUINT_TO_POINTER (index), sample);
    }
  sample->profile = source->profile;
  return sample;
}
