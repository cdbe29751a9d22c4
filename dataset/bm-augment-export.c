/* bm-augment-export.c: a sample as `boxmark-cli augment` and the augmentation panel make it.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-augment-export.h"

#include <string.h>

void
bm_augment_export_draws_clear (BmAugmentExportDraws *draws)
{
  g_return_if_fail (draws != NULL);
  memset (draws, 0, sizeof *draws);
}

void
bm_augment_export_draws_forget (BmAugmentExportDraws *draws, BmAugmentOpKind kind)
{
  g_return_if_fail (draws != NULL && kind < BM_AUGMENT_N_OPS);
  draws->kept[kind] = FALSE;
}

/* Remembers @partners; TRUE when they are the ones the kept draws were made with. */
static gboolean
keep_partners (BmAugmentExportDraws *draws, GArray *partners)
{
  /* an empty GArray may have no data at all: memcmp/memcpy must not see NULL even for 0 bytes */
  gboolean same = draws->n_partners == partners->len
                  && (partners->len == 0
                      || memcmp (draws->partners, partners->data, partners->len * sizeof (guint)) == 0);

  draws->n_partners = MIN (partners->len, BM_AUGMENT_EXPORT_MAX_PARTNERS);
  if (draws->n_partners > 0)
    memcpy (draws->partners, partners->data, draws->n_partners * sizeof (guint));
  return same;
}

/* Whether the parameters of @kind are pixels of the image it gets (a crop window, hole
 * positions, a new size), not only angles, factors or gains. */
static gboolean
in_pixels (BmAugmentOpKind kind)
{
  switch (kind)
    {
    case BM_AUGMENT_OP_EXPAND:
    case BM_AUGMENT_OP_CROP:
    case BM_AUGMENT_OP_SCALE:
    case BM_AUGMENT_OP_CUTOUT:
    case BM_AUGMENT_OP_MIXUP:
    case BM_AUGMENT_OP_MOSAIC:
      return TRUE;
    default:
      return FALSE;
    }
}

/* @op as drawn from the seed, or the one kept for its kind when it still fits @sample. */
static void
keep_or_take (BmAugmentExportDraws *draws, const BmAugmentSample *sample, gboolean same_partners, BmAugmentOp *op)
{
  BmAugmentOpKind kind = op->kind;
  gboolean uses_partners = kind == BM_AUGMENT_OP_MIXUP || kind == BM_AUGMENT_OP_MOSAIC;
  gboolean same_size = draws->width[kind] == sample->image->width && draws->height[kind] == sample->image->height;

  if (draws->kept[kind] && (same_size || !in_pixels (kind)) && (same_partners || !uses_partners))
    {
      *op = draws->ops[kind];
      return;
    }
  draws->kept[kind] = TRUE;
  draws->ops[kind] = *op;
  draws->width[kind] = sample->image->width;
  draws->height[kind] = sample->image->height;
}

BmAugmentSample *
bm_augment_export_make_sample (BmAugmentExportPool     *pool,
                               BmAugmentExportCache    *cache,
                               const BmAugmentExportOp *ops,
                               guint                    n_ops,
                               const BmAugmentSample   *source,
                               guint                    index,
                               int                      chosen_partner,
                               guint64                  sample_seed,
                               BmAugmentExportDraws    *draws,
                               GArray                 **partners_out,
                               GError                 **error)
{
  g_autoptr(BmAugmentSample) sample = NULL;
  g_autoptr(GArray) partners = NULL;
  g_autoptr(GPtrArray) others = g_ptr_array_new ();
  guint n_needed = bm_augment_export_partners_needed (ops, n_ops);
  gboolean same_partners = FALSE;
  int channels;
  BmAugmentRng rng;

  g_return_val_if_fail (source != NULL && cache != NULL, NULL);
  g_return_val_if_fail (n_ops == 0 || ops != NULL, NULL);

  /* the group of the source as the pool saw it; a source the pool does not use (the panel's
   * unlabelled image) by its decoded channels */
  channels = bm_augment_export_pool_get_channels (pool, index, source->image->channels);

  bm_augment_rng_init (&rng, sample_seed);
  partners = pool != NULL ? bm_augment_export_pool_choose_partners (pool, index, channels, n_needed, &rng)
                            : g_array_new (FALSE, FALSE, sizeof (guint));
  if (n_needed > 0 && pool != NULL && chosen_partner >= 0
      && (guint) chosen_partner < bm_augment_export_pool_get_n_items (pool) && (guint) chosen_partner != index
      && bm_augment_export_pool_get_item (pool, (guint) chosen_partner)->item->image_path != NULL)
    {
      guint chosen = (guint) chosen_partner;

      g_array_set_size (partners, 0);
      g_array_append_val (partners, chosen);
    }
  if (draws != NULL)
    same_partners = keep_partners (draws, partners);
  /* evicted only here, so no partner of this sample is freed while in use */
  bm_augment_export_cache_make_room (cache, partners->len);
  for (guint i = 0; i < partners->len; i++)
    {
      BmAugmentSample *other = bm_augment_export_cache_get (cache, pool, g_array_index (partners, guint, i), source, error);

      if (other == NULL)
        return NULL;
      g_ptr_array_add (others, other);
    }

  sample = bm_augment_sample_copy (source);
  for (guint i = 0; i < n_ops; i++)
    {
      BmAugmentOp op;

      /* drawn even when kept: the generator moves on as the CLI's does */
      if (!bm_augment_export_op_draw (&ops[i], sample, others->len, &rng, &op))
        continue;
      if (draws != NULL)
        keep_or_take (draws, sample, same_partners, &op);
      if (!bm_augment_apply (sample, &op, (BmAugmentSample *const *) others->pdata, others->len, error))
        return NULL;
    }
  if (partners_out != NULL)
    *partners_out = g_steal_pointer (&partners);
  return g_steal_pointer (&sample);
}

char *
bm_augment_export_sidecar_text (const BmAugmentSample *sample,
                                guint                  k,
                                guint64                seed,
                                guint64                sample_seed,
                                const char            *image_path,
                                const char            *label_path,
                                BmAugmentExportPool   *pool,
                                GArray                *partners)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autofree char *description = bm_augment_sample_describe (sample);
  g_autofree char *image = g_canonicalize_filename (image_path, NULL);

  /* "boxmark-cli augment" also in what the panel writes: the file says how to make it again */
  g_string_append_printf (s, "# boxmark-cli augment: sample %u, --seed %" G_GUINT64_FORMAT ", sample seed %" G_GUINT64_FORMAT "\n",
                          k, seed, sample_seed);
  g_string_append_printf (s, "# source: %s\n", image);
  if (label_path != NULL)
    {
      g_autofree char *labels = g_canonicalize_filename (label_path, NULL);
      g_string_append_printf (s, "# source labels: %s\n", labels);
    }
  for (guint i = 0; partners != NULL && pool != NULL && i < partners->len; i++)
    {
      const BmAugmentExportItem *entry = bm_augment_export_pool_get_item (pool, g_array_index (partners, guint, i));
      const BmDatasetItem *other = entry->item;
      g_autofree char *other_image = g_canonicalize_filename (other->image_path, NULL);

      g_string_append_printf (s, "# other %u: %s\n", i, other_image);
      if (entry->labelled)
        {
          g_autofree char *labels = g_canonicalize_filename (other->label_path, NULL);
          g_string_append_printf (s, "# other %u labels: %s\n", i, labels);
        }
    }
  g_string_append (s, description);
  return g_string_free (g_steal_pointer (&s), FALSE);
}
