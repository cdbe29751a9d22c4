/* bm-file-item.h: one image of the open folder as the file list shows it.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "dataset/bm-file-states.h"

G_BEGIN_DECLS

#define BM_TYPE_FILE_ITEM (bm_file_item_get_type ())
G_DECLARE_FINAL_TYPE (BmFileItem, bm_file_item, BM, FILE_ITEM, GObject)

/* @name must stay valid as long as the item (it points into the dataset). */
BmFileItem  *bm_file_item_new           (guint        index,
                                         const char  *name);
guint        bm_file_item_get_index     (BmFileItem  *self);
const char  *bm_file_item_get_name      (BmFileItem  *self);
BmFileState  bm_file_item_get_state     (BmFileItem  *self);
/* -1 while unknown. */
int          bm_file_item_get_n_objects (BmFileItem  *self);
void         bm_file_item_set_summary   (BmFileItem  *self,
                                         BmFileState  state,
                                         int          n_objects);

G_END_DECLS
