/* bm-shard.h: `--shard K/N` — which part of a dataset one machine of N works on.
 *
 * An image belongs to shard 1 + (h mod N), where h is the first 8 bytes (big-endian) of the
 * SHA-256 of its path relative to the dataset root, with '/' between folders, as bytes. The
 * partition depends on nothing else: not on the order of the files, the machine, the thread
 * count or which other files exist, so N machines given K = 1…N each do a disjoint part and
 * together do all of it. (Python: int.from_bytes(hashlib.sha256(rel.encode()).digest()[:8],
 * "big") % N + 1.)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "core/bm-dataset.h"

G_BEGIN_DECLS

typedef struct
{
  guint index;   /* 0-based: K - 1 */
  guint count;   /* N; 1 = the whole dataset */
} BmShard;

#define BM_SHARD_ALL ((BmShard) { 0, 1 })

/* "K/N" with 1 ≤ K ≤ N ≤ 1,000,000; BM_ERROR_PARSE naming the text otherwise. */
gboolean bm_shard_parse          (const char       *text,
                                  BmShard          *shard,
                                  GError          **error);
/* Whether @shard is the whole dataset. */
gboolean bm_shard_is_all         (const BmShard    *shard);
/* The 1-based shard of @relative_path among @count. */
guint    bm_shard_of_path        (const char       *relative_path,
                                  guint             count);
gboolean bm_shard_contains_path  (const BmShard    *shard,
                                  const char       *relative_path);
/* @path relative to @root ('/' separators), or @path itself when it is not below @root.
 * Free with g_free. */
char    *bm_shard_relative_path  (const char       *root,
                                  const char       *path);
/* Whether @item (by its image, else its label file) is in @shard. */
gboolean bm_shard_contains_item  (const BmShard       *shard,
                                  BmDataset           *dataset,
                                  const BmDatasetItem *item);

G_END_DECLS
