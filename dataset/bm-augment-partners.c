/* bm-augment-partners.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-augment-partners.h"

#define PARTNER_CACHE_SIZE 8

struct _BmAugmentPartners
{
  BmDataset *dataset;
  BmAugmentExportPool *pool;
  GArray *saved;                 /* guint: items saved since the pool read them, oldest first */
  BmAugmentExportCache *cache;   /* NULL while a worker has it */
  guint epoch;                   /* bumped when the pool is replaced or dropped */
  guint n_builds;
};

BmAugmentPartners *
bm_augment_partners_new (void)
{
  BmAugmentPartners *self = g_new0 (BmAugmentPartners, 1);

  self->saved = g_array_new (FALSE, FALSE, sizeof (guint));
  return self;
}

static void
drop (BmAugmentPartners *self)
{
  g_clear_pointer (&self->pool, bm_augment_export_pool_unref);
  g_clear_pointer (&self->cache, bm_augment_export_cache_free);
  g_array_set_size (self->saved, 0);
  self->epoch++;
}

void
bm_augment_partners_free (BmAugmentPartners *self)
{
  if (self == NULL)
    return;
  drop (self);
  g_array_unref (self->saved);
  g_clear_object (&self->dataset);
  g_free (self);
}

void
bm_augment_partners_set_dataset (BmAugmentPartners *self, BmDataset *dataset)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (dataset == NULL || BM_IS_DATASET (dataset));

  if (dataset == self->dataset)
    return;
  g_set_object (&self->dataset, dataset);
  drop (self);
}

BmDataset *
bm_augment_partners_get_dataset (BmAugmentPartners *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->dataset;
}

gboolean
bm_augment_partners_has_pool (BmAugmentPartners *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->pool != NULL;
}

void
bm_augment_partners_labels_saved (BmAugmentPartners *self, guint index)
{
  g_return_if_fail (self != NULL);

  /* before a pool exists, it is read from the disk when first wanted */
  if (self->dataset != NULL && index < bm_dataset_get_n_items (self->dataset))
    g_array_append_val (self->saved, index);
}

void
bm_augment_partners_labels_rewritten (BmAugmentPartners *self)
{
  g_return_if_fail (self != NULL);
  drop (self);
}

guint
bm_augment_partners_get_n_builds (BmAugmentPartners *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_builds;
}

BmAugmentPartnersLoan *
bm_augment_partners_lend (BmAugmentPartners *self, gboolean fresh_cache)
{
  BmAugmentPartnersLoan *loan;

  g_return_val_if_fail (self != NULL, NULL);

  loan = g_new0 (BmAugmentPartnersLoan, 1);
  loan->dataset = self->dataset != NULL ? g_object_ref (self->dataset) : NULL;
  loan->pool = self->pool != NULL ? bm_augment_export_pool_ref (self->pool) : NULL;
  /* saves made while it works wait for the next loan */
  loan->saved = g_array_copy (self->saved);
  loan->epoch = self->epoch;
  if (!fresh_cache && self->cache != NULL)
    loan->cache = g_steal_pointer (&self->cache);
  else
    loan->cache = bm_augment_export_cache_new (PARTNER_CACHE_SIZE);
  return loan;
}

void
bm_augment_partners_loan_prepare (BmAugmentPartnersLoan *loan, gboolean always, const BmAugmentExportOp *ops,
                                  guint n_ops)
{
  g_return_if_fail (loan != NULL);

  if (loan->pool == NULL && loan->dataset != NULL
      && (always || bm_augment_export_partners_needed (ops, n_ops) > 0))
    {
      loan->pool = bm_augment_export_pool_new (loan->dataset, -1, NULL, NULL, NULL);
      loan->built = loan->renewed = TRUE;
    }
  else if (loan->pool != NULL && loan->saved->len > 0)
    {
      BmAugmentExportPool *fresh = bm_augment_export_pool_refresh (loan->pool, (const guint *) loan->saved->data,
                                                                   loan->saved->len);

      bm_augment_export_pool_unref (loan->pool);
      loan->pool = fresh;
      loan->renewed = TRUE;
    }
  for (guint i = 0; i < loan->saved->len; i++)
    bm_augment_export_cache_forget (loan->cache, g_array_index (loan->saved, guint, i));
}

void
bm_augment_partners_take_back (BmAugmentPartners *self, BmAugmentPartnersLoan *loan)
{
  g_return_if_fail (self != NULL && loan != NULL);

  if (loan->built)
    self->n_builds++;
  if (loan->dataset != self->dataset || loan->epoch != self->epoch)
    return;
  if (loan->renewed && loan->pool != NULL)
    {
      g_clear_pointer (&self->pool, bm_augment_export_pool_unref);
      self->pool = g_steal_pointer (&loan->pool);
      /* the saves the loan read are in the new pool */
      g_array_remove_range (self->saved, 0, MIN (loan->saved->len, self->saved->len));
      self->epoch++;
    }
  if (self->cache == NULL)
    self->cache = g_steal_pointer (&loan->cache);
}

void
bm_augment_partners_loan_free (BmAugmentPartnersLoan *loan)
{
  if (loan == NULL)
    return;
  g_clear_object (&loan->dataset);
  g_clear_pointer (&loan->pool, bm_augment_export_pool_unref);
  g_clear_pointer (&loan->cache, bm_augment_export_cache_free);
  g_clear_pointer (&loan->saved, g_array_unref);
  g_free (loan);
}
