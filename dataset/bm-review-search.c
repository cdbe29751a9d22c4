/* bm-review-search.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-review-search.h"

#include <glib/gi18n.h>

static const struct
{
  int step;
  gboolean problems;
  const char *looking;
  const char *none;
} searches[] = {
  [BM_REVIEW_NEXT_UNVERIFIED] = { 1, FALSE, N_("Looking for the next unverified image…"),
                                  N_("No unverified image after this one") },
  [BM_REVIEW_PREVIOUS_UNVERIFIED] = { -1, FALSE, N_("Looking for the previous unverified image…"),
                                      N_("No unverified image before this one") },
  [BM_REVIEW_NEXT_PROBLEM] = { 1, TRUE, N_("Looking for the next image with problems…"),
                               N_("No image with problems after this one") },
  [BM_REVIEW_PREVIOUS_PROBLEM] = { -1, TRUE, N_("Looking for the previous image with problems…"),
                                   N_("No image with problems before this one") },
};

int
bm_review_search_get_step (BmReviewSearch search)
{
  g_return_val_if_fail (search < G_N_ELEMENTS (searches), 1);
  return searches[search].step;
}

gboolean
bm_review_search_matches (BmReviewSearch       search,
                          BmDataset           *dataset,
                          guint                index,
                          const BmReviewState *state)
{
  g_return_val_if_fail (search < G_N_ELEMENTS (searches), FALSE);
  g_return_val_if_fail (BM_IS_DATASET (dataset) && index < bm_dataset_get_n_items (dataset), FALSE);
  g_return_val_if_fail (state != NULL, FALSE);

  if (searches[search].problems)
    return state->problem;
  return !state->verified && !state->problem && bm_dataset_get_item (dataset, index)->image_path != NULL;
}

const char *
bm_review_search_looking_text (BmReviewSearch search)
{
  g_return_val_if_fail (search < G_N_ELEMENTS (searches), NULL);
  return _(searches[search].looking);
}

const char *
bm_review_search_none_text (BmReviewSearch search)
{
  g_return_val_if_fail (search < G_N_ELEMENTS (searches), NULL);
  return _(searches[search].none);
}
