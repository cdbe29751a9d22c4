/* bm-shard.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <glib/gi18n.h>

#include "core/bm-error.h"
#include "core/bm-number.h"
#include "bm-shard.h"

#define MAX_SHARDS 1000000

gboolean
bm_shard_parse (const char  *text,
                BmShard     *shard,
                GError     **error)
{
  g_auto(GStrv) parts = NULL;
  guint64 k = 0, n = 0;

  g_return_val_if_fail (text != NULL && shard != NULL, FALSE);

  parts = g_strsplit (text, "/", -1);
  if (g_strv_length (parts) != 2 || !bm_number_parse_uint (parts[0], MAX_SHARDS, &k)
      || !bm_number_parse_uint (parts[1], MAX_SHARDS, &n) || k < 1 || k > n)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_PARSE,
                   _("“%s” is not a shard: give K/N with 1 ≤ K ≤ N, e.g. --shard 3/8"), text);
      return FALSE;
    }
  shard->index = (guint) k - 1;
  shard->count = (guint) n;
  return TRUE;
}

gboolean
bm_shard_is_all (const BmShard *shard)
{
  return shard == NULL || shard->count <= 1;
}

guint
bm_shard_of_path (const char *relative_path,
                  guint       count)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;
  guint64 h = 0;

  g_return_val_if_fail (relative_path != NULL && count > 0, 1);

  g_checksum_update (checksum, (const guchar *) relative_path, (gssize) strlen (relative_path));
  g_checksum_get_digest (checksum, digest, &length);
  for (int i = 0; i < 8; i++)
    h = (h << 8) | digest[i];
  return (guint) (h % count) + 1;
}

gboolean
bm_shard_contains_path (const BmShard *shard,
                        const char    *relative_path)
{
  if (bm_shard_is_all (shard))
    return TRUE;
  return bm_shard_of_path (relative_path, shard->count) == shard->index + 1;
}

static const char *
strip_prefix (const char *path, const char *root)
{
  gsize n = strlen (root);

  while (n > 1 && root[n - 1] == G_DIR_SEPARATOR)
    n--;
  if (strncmp (path, root, n) == 0 && path[n] == G_DIR_SEPARATOR)
    return path + n + 1;
  return NULL;
}

char *
bm_shard_relative_path (const char *root,
                        const char *path)
{
  g_autofree char *canonical_root = NULL;
  g_autofree char *canonical = NULL;
  const char *relative;

  g_return_val_if_fail (path != NULL, NULL);

  if (root == NULL)
    return g_strdup (path);
  /* item paths are the root joined with the path below it: the common case needs no look at
   * the file system */
  relative = strip_prefix (path, root);
  if (relative != NULL)
    return g_strdup (relative);
  canonical_root = g_canonicalize_filename (root, NULL);
  canonical = g_canonicalize_filename (path, NULL);
  relative = strip_prefix (canonical, canonical_root);
  return g_strdup (relative != NULL ? relative : path);
}

gboolean
bm_shard_contains_item (const BmShard       *shard,
                        BmDataset           *dataset,
                        const BmDatasetItem *item)
{
  g_autofree char *relative = NULL;

  g_return_val_if_fail (item != NULL, FALSE);

  if (bm_shard_is_all (shard))
    return TRUE;
  relative = bm_shard_relative_path (dataset != NULL ? bm_dataset_get_root (dataset) : NULL,
                                     item->image_path != NULL ? item->image_path : item->label_path);
  return bm_shard_contains_path (shard, relative);
}
