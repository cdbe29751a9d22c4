/* bm-coco-private.h: what the COCO reader keeps for the writer. Not for other modules.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bm-coco.h"
#include "bm-coco-json.h"

G_BEGIN_DECLS

struct _BmCoco
{
  gint ref_count;
  char *path;
  JsonNode *root;
  GArray *images;            /* BmCocoImage */
  GArray *categories;        /* BmCocoCategory */
  GArray *annotations;       /* BmCocoAnnotation */
  GPtrArray *image_nodes;    /* JsonNode * of each, owned by root */
  GPtrArray *category_nodes;
  GPtrArray *annotation_nodes;
  GHashTable *image_index;   /* gint64 id → index + 1 */
  GHashTable *category_index;
  GHashTable *annotation_ids; /* gint64 ids seen */
  guint *image_first;        /* by_image[image_first[i] …] are image i's annotations */
  guint *image_count;
  guint *by_image;
  GPtrArray *problems;
  GPtrArray *notes;
};

G_END_DECLS
