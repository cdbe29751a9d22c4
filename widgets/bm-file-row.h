/* bm-file-row.h: one row of the file list: state, name and object count.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "bm-file-item.h"

G_BEGIN_DECLS

#define BM_TYPE_FILE_ROW (bm_file_row_get_type ())
G_DECLARE_FINAL_TYPE (BmFileRow, bm_file_row, BM, FILE_ROW, GtkWidget)

GtkWidget  *bm_file_row_new      (void);
BmFileItem *bm_file_row_get_item (BmFileRow  *self);
void        bm_file_row_set_item (BmFileRow  *self,
                                  BmFileItem *item);

G_END_DECLS
