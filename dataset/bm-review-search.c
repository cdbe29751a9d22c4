/* bm-review-search.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-review-search.h"

#include <glib/gi18n.h>

typedef enum
{
  LOOK_FOR_UNVERIFIED,
  LOOK_FOR_PROBLEMS,
  LOOK_FOR_PRE_ANNOTATIONS,
} LookFor;

static const struct
{
  int step;
  LookFor look_for;
  const char *looking;
  const char *none;
  const char *wrapped;
  const char *none_left;
  const char *only;
} searches[] = {
  [BM_REVIEW_NEXT_UNVERIFIED] = { 1, LOOK_FOR_UNVERIFIED, N_("Looking for the next unverified image…"),
                                  N_("No unverified image after this one"),
                                  N_("No unverified image after this one: went on from the first"),
                                  N_("No unverified image left"),
                                  N_("This is the only unverified image") },
  [BM_REVIEW_PREVIOUS_UNVERIFIED] = { -1, LOOK_FOR_UNVERIFIED, N_("Looking for the previous unverified image…"),
                                      N_("No unverified image before this one"),
                                      N_("No unverified image before this one: went on from the last"),
                                      N_("No unverified image left"),
                                  N_("This is the only unverified image") },
  [BM_REVIEW_NEXT_PROBLEM] = { 1, LOOK_FOR_PROBLEMS, N_("Looking for the next image with problems…"),
                               N_("No image with problems after this one"),
                               N_("No image with problems after this one: went on from the first"),
                               N_("No image with problems left"),
                                  N_("This is the only image with problems") },
  [BM_REVIEW_PREVIOUS_PROBLEM] = { -1, LOOK_FOR_PROBLEMS, N_("Looking for the previous image with problems…"),
                                   N_("No image with problems before this one"),
                                   N_("No image with problems before this one: went on from the last"),
                                   N_("No image with problems left"),
                                  N_("This is the only image with problems") },
  [BM_REVIEW_NEXT_PRE_ANNOTATED] = { 1, LOOK_FOR_PRE_ANNOTATIONS,
                                     N_("Looking for the next image with pre-annotations to accept…"),
                                     N_("No image with pre-annotations to accept after this one"),
                                     N_("No image with pre-annotations to accept after this one: went on from the first"),
                                     N_("No image with pre-annotations to accept left"),
                                  N_("This is the only image with pre-annotations to accept") },
  [BM_REVIEW_PREVIOUS_PRE_ANNOTATED] = { -1, LOOK_FOR_PRE_ANNOTATIONS,
                                         N_("Looking for the previous image with pre-annotations to accept…"),
                                         N_("No image with pre-annotations to accept before this one"),
                                         N_("No image with pre-annotations to accept before this one: went on from the last"),
                                         N_("No image with pre-annotations to accept left"),
                                  N_("This is the only image with pre-annotations to accept") },
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

  switch (searches[search].look_for)
    {
    case LOOK_FOR_PROBLEMS:
      return state->problem;
    case LOOK_FOR_PRE_ANNOTATIONS:
      return state->pre_annotated && bm_dataset_get_item (dataset, index)->image_path != NULL;
    case LOOK_FOR_UNVERIFIED:
    default:
      return !state->verified && !state->problem && bm_dataset_get_item (dataset, index)->image_path != NULL;
    }
}

const char *
bm_review_search_looking_text (BmReviewSearch search)
{
  g_return_val_if_fail (search < G_N_ELEMENTS (searches), NULL);
  return _(searches[search].looking);
}

const char *
bm_review_search_wrapped_text (BmReviewSearch search)
{
  g_return_val_if_fail (search < G_N_ELEMENTS (searches), NULL);
  return _(searches[search].wrapped);
}

const char *
bm_review_search_only_text (BmReviewSearch search)
{
  g_return_val_if_fail (search < G_N_ELEMENTS (searches), NULL);
  return _(searches[search].only);
}

const char *
bm_review_search_none_left_text (BmReviewSearch search)
{
  g_return_val_if_fail (search < G_N_ELEMENTS (searches), NULL);
  return _(searches[search].none_left);
}

const char *
bm_review_search_none_text (BmReviewSearch search)
{
  g_return_val_if_fail (search < G_N_ELEMENTS (searches), NULL);
  return _(searches[search].none);
}
