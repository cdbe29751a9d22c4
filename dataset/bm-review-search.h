/* bm-review-search.h: the reviewer's jumps — to the next or previous unverified image, or image
 * with problems — as rules on an item's label state, the same for every front end.
 *
 * The walk itself follows the order and filter of the list the user sees (the window's file
 * list reads the states it does not know yet in a worker thread); what is looked for, in which
 * direction, and what the user is told, is decided here.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "core/bm-dataset.h"

G_BEGIN_DECLS

typedef enum
{
  BM_REVIEW_NEXT_UNVERIFIED,
  BM_REVIEW_PREVIOUS_UNVERIFIED,
  BM_REVIEW_NEXT_PROBLEM,
  BM_REVIEW_PREVIOUS_PROBLEM,
  BM_REVIEW_NEXT_PRE_ANNOTATED,       /* an image with pre-annotations nobody accepted yet */
  BM_REVIEW_PREVIOUS_PRE_ANNOTATED,
} BmReviewSearch;

/* What is known of an item once its label file was read. */
typedef struct
{
  gboolean verified;
  gboolean problem;     /* the label file has problems, or the image is missing */
  gboolean pre_annotated;   /* it holds pre-annotations not accepted yet */
} BmReviewState;

/* 1 (forwards) or -1. */
int         bm_review_search_get_step       (BmReviewSearch       search);
/* Whether item @index of @dataset, in @state, is what @search looks for. An unverified image is
 * one that can be verified: it has an image and no problem. */
gboolean    bm_review_search_matches        (BmReviewSearch       search,
                                             BmDataset           *dataset,
                                             guint                index,
                                             const BmReviewState *state);
/* "Looking for the next unverified image…", shown while the search runs (translated). */
const char *bm_review_search_looking_text   (BmReviewSearch       search);
/* "No unverified image after this one", when the search found nothing (translated). */
const char *bm_review_search_none_text      (BmReviewSearch       search);
/* "No unverified image after this one: back to the first", when the search went on from the
 * other end of the list and found one there (translated). The jumps wrap around, and say so. */
const char *bm_review_search_wrapped_text   (BmReviewSearch       search);
/* "No unverified image left", when the whole list holds none (translated). */
const char *bm_review_search_none_left_text (BmReviewSearch       search);
/* "This is the only unverified image", when the one on screen is the only one (translated). */
const char *bm_review_search_only_text      (BmReviewSearch       search);

G_END_DECLS
